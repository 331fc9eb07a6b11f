//! What an analysis saw, and what it could not: the counts every summary
//! shows and the files every answer lists under `incomplete`.
//!
//! Computed from a finished [`Analysis`] only, as methods on it, so every
//! command and page counts the same way. Plain serde structs: outputs embed
//! them as they are; nothing here formats text for people.

use serde::Serialize;

use crate::analysis::Analysis;

/// Counts shown in every summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files analysed.
    pub files: usize,
    /// Nodes (modules, packages, namespace packages, scripts).
    pub modules: usize,
    /// Distinct (importer, imported) pairs.
    pub edges: usize,
    /// Distinct external top-level packages.
    pub external_packages: usize,
    /// Files with syntax errors.
    pub parse_errors: usize,
    /// Unresolved first-party imports.
    pub unresolved: usize,
    /// Files that could not be read, or decoded only lossily.
    pub problems: usize,
    /// Shadowed files.
    pub shadowed: usize,
}

/// What the analysis could not see, so an answer is never silently
/// smaller than the truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incomplete {
    /// Files with syntax errors (partially parsed).
    pub parse_errors: usize,
    /// Files unreadable or decoded lossily, and walk problems.
    pub problems: usize,
    /// Unresolved first-party imports.
    pub unresolved: usize,
    /// Each file behind the first two counts, sorted by path.
    pub files: Vec<IncompleteFile>,
}

/// One file the analysis saw only in part, or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncompleteFile {
    /// Path relative to the root.
    pub path: String,
    /// `partially-parsed` (syntax errors) or `problem` (unreadable, not
    /// cleanly decoded, or not walked: `message` says which).
    pub status: &'static str,
    /// What happened (for syntax errors: the first one, with its line).
    pub message: String,
}

impl Analysis {
    /// The counts shown by every command.
    pub fn summary(&self) -> Summary {
        let mut packages: Vec<&str> = self
            .external
            .iter()
            .map(|e| e.module.split('.').next().unwrap_or(&e.module))
            .collect();
        packages.sort_unstable();
        packages.dedup();
        Summary {
            files: self.file_count(),
            modules: self.modules.len(),
            edges: self.graph.edge_count(),
            external_packages: packages.len(),
            parse_errors: self.parse_errors.len(),
            unresolved: self.unresolved.len(),
            problems: self.problems.len(),
            shadowed: self.shadowed.len(),
        }
    }

    /// What was not seen: counts and the files concerned.
    pub fn incomplete(&self) -> Incomplete {
        let mut files: Vec<IncompleteFile> = self
            .parse_errors
            .iter()
            .map(|p| IncompleteFile {
                path: p.path.clone(),
                status: "partially-parsed",
                message: format!(
                    "{} syntax error(s), first at {}: {}",
                    p.count,
                    p.at(),
                    p.message
                ),
            })
            .chain(self.problems.iter().map(|p| IncompleteFile {
                path: p.path.clone(),
                status: "problem",
                message: p.message.clone(),
            }))
            .collect();
        files.sort_by(|a, b| (&a.path, a.status).cmp(&(&b.path, b.status)));
        Incomplete {
            parse_errors: self.parse_errors.len(),
            problems: self.problems.len(),
            unresolved: self.unresolved.len(),
            files,
        }
    }
}
