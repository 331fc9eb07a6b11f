//! Broken imports: first-party modules that do not exist, and names a
//! first-party module does not have, in file order.
//!
//! Joins the analysis's unresolved imports with the symbol index's missing
//! names into one list that `broken`, the report and `migrate`'s check all
//! read. It decides nothing new and formats nothing beyond the import text
//! and its one-line reason.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::resolve::ModuleId;
use crate::symbols::Missing;
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
    /// The import as written (or as it reads for a missing name).
    pub import: String,
    /// Why it breaks.
    pub reason: String,
    /// Inside a `try` catching ImportError (an intended fallback, perhaps).
    pub guarded: bool,
}

/// Every broken import of the analysis, by file path, line and import text.
pub fn broken_imports(analysis: &Analysis, missing_names: &[BrokenImport]) -> Vec<Broken> {
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
            guarded: u.guarded,
        })
        .collect();
    entries.extend(missing_names.iter().map(|b| {
        Broken {
            user: b.user,
            offset: b.offset,
            problem: Problem::MissingName,
            import: format!("from {} import {}", analysis.name(b.module), b.name),
            reason: Missing::NotDefined {
                module: b.module,
                name: b.name.clone(),
            }
            .describe(analysis),
            guarded: b.guarded,
        }
    }));
    entries.sort_by(|a, b| {
        (
            analysis.path(a.user),
            analysis.line(a.user, a.offset),
            &a.import,
        )
            .cmp(&(
                analysis.path(b.user),
                analysis.line(b.user, b.offset),
                &b.import,
            ))
    });
    entries
}
