//! Which bindings of an origin are worth showing, and as what: a re-export
//! that other files go through, or a local alias.
//!
//! A judgement over the symbol index and the analysis; it renders nothing.
//! `symbol`, `duplicates` and the report all ask it, so they agree.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::{Binding, BindingValue};
use crate::symbols::index::{Reexport, SymbolIndex};

/// Why a binding of an origin is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindingRole {
    /// Other files reach the origin through it, or it is exported (package
    /// `__init__`, `__all__`).
    #[serde(rename = "re-export")]
    Reexport,
    /// It renames the origin locally (`import X as Y`, `Y = X`) and nobody
    /// goes through it.
    Alias,
}

/// Whether a binding of an origin is worth showing, and as what: a
/// re-export when other files import the origin through this module or the
/// module exports it (package `__init__`, `__all__`); an alias when it
/// renames it; nothing for a plain `from m import X` by a consumer.
pub fn binding_role(
    analysis: &Analysis,
    index: &SymbolIndex,
    r: &Reexport,
    binding: &Binding,
) -> Option<BindingRole> {
    let package = analysis.modules.get(r.module).is_package();
    let in_all = analysis.facts[r.module.index()]
        .as_ref()
        .and_then(|f| f.dunder_all.as_ref())
        .is_some_and(|all| all.contains(&binding.name));
    let used_through = index
        .uses_of(&r.origin)
        .iter()
        .any(|u| u.through == r.module && u.name == binding.name && u.user != r.module);
    if package || in_all || used_through {
        return Some(BindingRole::Reexport);
    }
    let renames = match &binding.value {
        BindingValue::Import { name, .. } => name.as_deref().is_some_and(|n| n != binding.name),
        BindingValue::Alias(_) | BindingValue::Attribute { .. } => true,
        BindingValue::Definition => false,
    };
    renames.then_some(BindingRole::Alias)
}
