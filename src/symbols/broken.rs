//! Broken imports: first-party modules that do not exist, and names a
//! first-party module does not have, in file order.
//!
//! Joins the analysis's unresolved imports with the symbol index's missing
//! names into one list that `broken`, the report and `migrate`'s check all
//! read, and tells the imports that would fail unexpectedly from those the
//! code handles (a `try`, `pytest.raises`, `importorskip`, `if
//! TYPE_CHECKING:`) and from those `broken-ignore` names. It decides
//! nothing new about resolution and formats nothing beyond the one-line
//! reason.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::config::{BrokenIgnore, module_glob};
use crate::extract::Handled;
use crate::resolve::{ModuleId, UnresolvedReason};
use crate::symbols::index::BrokenImport;

/// What is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// The first-party module imported does not exist.
    MissingModule,
    /// The module exists but has no such name.
    MissingName,
}

/// One import that would fail at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The importing module.
    pub user: ModuleId,
    /// Byte offset of the import in the user.
    pub offset: u32,
    /// What is missing.
    pub problem: Problem,
    /// The import in its source form (statement or call).
    pub import: String,
    /// Why it breaks.
    pub reason: String,
    /// How the code handles the failure, when it expects it.
    pub handled: Option<Handled>,
    /// The module that does not exist (missing module), or the module that
    /// lacks the name (missing name); `None` when no absolute name exists
    /// (a relative import above the top-level package).
    pub module: Option<String>,
    /// The missing name.
    pub name: Option<String>,
}

impl Broken {
    /// The dotted name `broken-ignore` patterns match: the missing module,
    /// or the module and the missing name.
    pub fn dotted(&self) -> Option<String> {
        let module = self.module.as_deref()?;
        Some(match &self.name {
            Some(name) => format!("{module}.{name}"),
            None => module.to_string(),
        })
    }
}

/// Every broken import, and how many `broken-ignore` left out.
#[derive(Debug, Clone, Default)]
pub struct BrokenImports {
    /// Handled and unhandled, by file path, line and import text.
    pub items: Vec<Broken>,
    /// Imports left out by a `broken-ignore` entry.
    pub ignored: usize,
}

impl BrokenImports {
    /// The imports that would fail unexpectedly.
    pub fn unhandled(&self) -> impl Iterator<Item = &Broken> {
        self.items.iter().filter(|b| b.handled.is_none())
    }
}

/// Every broken import of the analysis, without those `ignore` names.
pub fn broken_imports(
    analysis: &Analysis,
    missing_names: &[BrokenImport],
    ignore: &[BrokenIgnore],
) -> BrokenImports {
    // An import that may well work (a module created at run time, a name
    // computed at run time) is unresolved, not broken.
    let mut entries: Vec<Broken> = analysis
        .unresolved
        .iter()
        .filter(|u| !u.reason.may_work())
        .map(|u| Broken {
            user: u.from,
            offset: u.offset,
            problem: Problem::MissingModule,
            import: u.import.clone(),
            reason: u.reason.to_string(),
            handled: u.handled,
            module: match &u.reason {
                UnresolvedReason::Missing { module, .. } => Some(module.clone()),
                UnresolvedReason::BeyondTopLevel
                | UnresolvedReason::NoParentPackage
                | UnresolvedReason::RelativeInScript
                | UnresolvedReason::DynamicWithoutPackage
                | UnresolvedReason::ComputedPackage
                | UnresolvedReason::RuntimeCreated { .. }
                | UnresolvedReason::Computed { .. } => None,
            },
            name: None,
        })
        .collect();
    entries.extend(missing_names.iter().map(|b| Broken {
        user: b.user,
        offset: b.offset,
        problem: Problem::MissingName,
        import: b.import.clone(),
        reason: b.reason.clone(),
        handled: b.handled,
        module: Some(analysis.name(b.module).to_string()),
        name: Some(b.name.clone()),
    }));
    let patterns: Vec<_> = ignore
        .iter()
        .filter_map(|entry| module_glob(&entry.import).ok())
        .collect();
    let before = entries.len();
    entries.retain(|b| {
        b.dotted()
            .is_none_or(|dotted| !patterns.iter().any(|p| p.is_match(&dotted)))
    });
    let ignored = before - entries.len();
    entries.sort_by(|a, b| {
        (
            analysis.path(a.user),
            analysis.line(a.user, a.offset),
            &a.import,
            &a.name,
        )
            .cmp(&(
                analysis.path(b.user),
                analysis.line(b.user, b.offset),
                &b.import,
                &b.name,
            ))
    });
    BrokenImports {
        items: entries,
        ignored,
    }
}
