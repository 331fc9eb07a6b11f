//! Migration: rewrite the imports of a name to its canonical module.
//!
//! Plans, for one symbol origin, every edit that makes its users import it
//! from the canonical module instead of a shim, alias or re-export
//! ([`plan`]): `from shim import NAME` statements are retargeted (or split
//! when they import other names too), `alias.NAME` attribute uses get a
//! direct import, and dotted string references are rewritten on request.
//! Edits use the parser's exact ranges and are checked to parse
//! ([`rewrite`]). Applying writes each file atomically after checking it did
//! not change, never outside the root and, in a git work tree, never over
//! uncommitted changes unless allowed ([`apply`]); a fresh analysis then
//! shows what still goes through the old modules ([`verify`]). It never
//! deletes an import: a binding that may be a re-export stays bound.

mod apply;
mod plan;
mod rewrite;
mod verify;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::resolve::ModuleId;

pub use apply::apply;
pub use plan::plan;
pub use rewrite::unified_diff;
pub use verify::{Migrated, Outcome, shim_dependents, verify};

/// What to migrate.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The name (as defined in the canonical module).
    pub name: String,
    /// The canonical module.
    pub to: ModuleId,
    /// Only rewrite uses that go through these modules (all when empty).
    pub from: Vec<ModuleId>,
    /// Also rewrite string references such as `mock.patch("shim.NAME")`.
    pub include_strings: bool,
}

/// Something the user should look at: not rewritten, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// File path relative to the root.
    pub path: String,
    /// 1-based line (in a notebook, within its cell).
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// What and why.
    pub message: String,
}

impl Finding {
    /// The finding at `offset` in the file of `module`.
    pub fn at(analysis: &Analysis, module: ModuleId, offset: u32, message: String) -> Finding {
        Finding {
            path: analysis.display_path(module).to_string(),
            line: analysis.line(module, offset),
            cell: analysis.cell(module, offset),
            message,
        }
    }

    /// `path:line`, or `path:cell N:line` in a notebook.
    pub fn place(&self) -> String {
        crate::lines::place(&self.path, self.cell, self.line)
    }
}

/// One contiguous group of changed lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// First line (1-based) of the original text replaced.
    pub start_line: u32,
    /// Last line of the original text replaced.
    pub end_line: u32,
    /// The original lines.
    pub before: String,
    /// Their replacement.
    pub after: String,
}

/// The planned rewrite of one file.
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// The file's module.
    pub module: ModuleId,
    /// Path relative to the root.
    pub path: String,
    /// The bytes read, to detect changes before writing.
    pub original: Vec<u8>,
    /// The text after the edits (without the BOM, which is restored on write).
    pub after: String,
    /// The text before (without BOM).
    pub before: String,
    /// Whether the file starts with a UTF-8 BOM.
    pub bom: bool,
    /// Changed line groups.
    pub regions: Vec<Region>,
}

/// Everything a migration would do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The name.
    pub name: String,
    /// The canonical module.
    pub to: ModuleId,
    /// The modules uses currently go through (shims, aliases, re-exports).
    pub old_modules: Vec<ModuleId>,
    /// Per-file rewrites, sorted by path.
    pub files: Vec<FilePlan>,
    /// String references left for manual review (without `--include-strings`).
    pub strings: Vec<Finding>,
    /// Uses of a different definition of the same name: never rewritten.
    pub decisions: Vec<Finding>,
    /// Uses that could not be rewritten safely, with the reason.
    pub skipped: Vec<Finding>,
}
