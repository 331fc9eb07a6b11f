//! Single-source-of-truth findings: one public name, several distinct
//! definitions (classes or functions) across first-party modules.
//!
//! Aliases and re-exports of one origin are not duplicates; they are shown
//! as that origin's bindings. Each finding suggests a canonical origin: not
//! a compatibility shim, not conditional, most used.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use crate::discover::is_test_path;
use crate::extract::{BindingKind, BindingValue};
use crate::resolve::{ModuleId, ModuleKind};
use crate::symbols::index::SymbolIndex;
use crate::symbols::{Origin, Origins};

/// What counts as a duplicate.
#[derive(Debug, Clone)]
pub struct DuplicateOptions {
    /// Include test modules (`test_*.py`, `*_test.py`, `tests/`, `conftest.py`).
    pub include_tests: bool,
    /// Minimum number of distinct origins.
    pub min_origins: usize,
    /// Only this kind (class or function); both when `None`.
    pub kind: Option<BindingKind>,
    /// Include private names (leading underscore).
    pub include_private: bool,
}

impl Default for DuplicateOptions {
    fn default() -> Self {
        DuplicateOptions {
            include_tests: false,
            min_origins: 2,
            kind: None,
            include_private: false,
        }
    }
}

/// One origin of a duplicated name.
#[derive(Debug, Clone)]
pub struct DuplicateOrigin {
    /// The definition.
    pub origin: Origin,
    /// The defining module.
    pub module: ModuleId,
    /// Distinct files that use it.
    pub users: usize,
    /// The defining module also re-exports another origin under this name
    /// (a compatibility layer carrying a fallback copy).
    pub shim: bool,
    /// The conditional branch of the definition.
    pub branch: Option<String>,
}

/// A duplicated name.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// The name.
    pub name: String,
    /// Its distinct origins, suggested canonical first.
    pub origins: Vec<DuplicateOrigin>,
    /// Why the first origin is suggested as canonical.
    pub reason: String,
}

impl Duplicate {
    /// Uses of all origins together.
    pub fn total_users(&self) -> usize {
        self.origins.iter().map(|o| o.users).sum()
    }
}

/// All duplicated names, most used first.
pub fn find_duplicates(
    origins: &Origins<'_>,
    index: &SymbolIndex,
    options: &DuplicateOptions,
) -> Vec<Duplicate> {
    let analysis = origins.analysis();
    // (module, name) pairs where the module re-exports some origin under that name.
    let reexported: FxHashSet<(ModuleId, &str)> = index
        .reexports
        .iter()
        .filter_map(|r| {
            Some((
                r.module,
                binding_name(origins, r.module, r.binding)?.as_str(),
            ))
        })
        .collect();
    let mut by_name: BTreeMap<&str, Vec<DuplicateOrigin>> = BTreeMap::new();
    for (id, module) in analysis.modules.iter() {
        if module.kind == ModuleKind::Script {
            continue;
        }
        if !options.include_tests && module.path.as_deref().is_some_and(is_test_path) {
            continue;
        }
        let Some(facts) = analysis.facts.get(id.index()).and_then(|f| f.as_ref()) else {
            continue;
        };
        for (i, binding) in facts.bindings.iter().enumerate() {
            let wanted_kind = match binding.kind {
                BindingKind::Class | BindingKind::Function => {
                    options.kind.is_none_or(|k| k == binding.kind)
                }
                BindingKind::Variable | BindingKind::Import => false,
            };
            if !wanted_kind
                || !matches!(binding.value, BindingValue::Definition)
                || (!options.include_private && binding.name.starts_with('_'))
            {
                continue;
            }
            let origin = Origin::Defined {
                module: id,
                binding: i as u32,
            };
            let shim = reexported.contains(&(id, binding.name.as_str()));
            by_name
                .entry(&binding.name)
                .or_default()
                .push(DuplicateOrigin {
                    users: index.user_count(&origin),
                    origin,
                    module: id,
                    shim,
                    branch: binding.branch.clone(),
                });
        }
    }
    let mut found: Vec<Duplicate> = by_name
        .into_iter()
        .filter(|(_, origins)| {
            let mut modules: Vec<ModuleId> = origins.iter().map(|o| o.module).collect();
            modules.dedup();
            origins.len() >= options.min_origins.max(2) && modules.len() >= 2
        })
        .map(|(name, mut origins)| {
            origins.sort_by_key(|o| {
                (
                    o.shim,
                    o.branch.is_some(),
                    Reverse(o.users),
                    analysis.name(o.module).to_string(),
                )
            });
            let reason = suggestion_reason(&origins);
            Duplicate {
                name: name.to_string(),
                origins,
                reason,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.total_users()
            .cmp(&a.total_users())
            .then_with(|| a.name.cmp(&b.name))
    });
    found
}

fn binding_name<'a>(origins: &Origins<'a>, module: ModuleId, binding: u32) -> Option<&'a String> {
    origins
        .binding(&Origin::Defined { module, binding })
        .map(|b| &b.name)
}

/// Explains why `origins[0]` is suggested, relative to the others.
fn suggestion_reason(origins: &[DuplicateOrigin]) -> String {
    let Some((best, others)) = origins.split_first() else {
        return String::new();
    };
    let mut parts = Vec::new();
    if others.iter().all(|o| o.users < best.users) {
        parts.push(format!("most used ({} files)", best.users));
    } else {
        parts.push(format!("used by {} files", best.users));
    }
    if !best.shim && others.iter().any(|o| o.shim) {
        parts.push("not a compatibility shim".to_string());
    }
    if best.branch.is_none() && others.iter().any(|o| o.branch.is_some()) {
        parts.push("unconditional".to_string());
    }
    parts.join(", ")
}
