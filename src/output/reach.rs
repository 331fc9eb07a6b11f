//! The answer of `dependents` and `dependencies`: reached modules with
//! depth and chain, as JSON and as a table whose path column opens the
//! import that starts each chain.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::graph::KindSet;
use crate::output::SCHEMA_VERSION;
use crate::output::table::{kinds_label, table};
use crate::queries::reach::{ReachTarget, Reached, Walk};
use crate::summary::Incomplete;

/// `dependents --json` / `dependencies --json`.
#[derive(Debug, Serialize)]
pub struct ReachJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The target module.
    pub target: &'a str,
    /// Edge kinds followed.
    pub kinds: Vec<ImportKind>,
    /// Depth limit (`null` = unlimited).
    pub depth_limit: Option<u32>,
    /// Reached modules, by depth then name.
    pub results: Vec<ReachedJson<'a>>,
    /// Counts of what the analysis could not see, so a short answer is not mistaken for a complete one.
    pub incomplete: Incomplete,
}

/// One reached module.
#[derive(Debug, Serialize)]
pub struct ReachedJson<'a> {
    /// Module name.
    pub module: &'a str,
    /// File path (`null` for namespace packages).
    pub path: Option<&'a str>,
    /// Shortest distance.
    pub depth: u32,
    /// One shortest chain, in import direction.
    pub chain: Vec<&'a str>,
}

/// Builds reach JSON.
pub fn json<'a>(
    analysis: &'a Analysis,
    target: &'a ReachTarget,
    kinds: KindSet,
    depth_limit: Option<u32>,
    results: &[Reached],
) -> ReachJson<'a> {
    ReachJson {
        version: SCHEMA_VERSION,
        target: &target.label,
        kinds: kinds.kinds(),
        depth_limit,
        results: results
            .iter()
            .map(|r| ReachedJson {
                module: analysis.name(r.module),
                path: analysis.path(r.module),
                depth: r.depth,
                chain: target.chain(&analysis.modules, r),
            })
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `dependents` / `dependencies`.
pub fn text(
    out: &mut dyn Write,
    analysis: &Analysis,
    target: &ReachTarget,
    walk: Walk,
    kinds: KindSet,
    results: &[Reached],
) -> io::Result<()> {
    let (what, arrow) = match walk {
        Walk::Dependents => ("depend on", " → "),
        Walk::Dependencies => ("are dependencies of", " → "),
    };
    writeln!(
        out,
        "{} module(s) {what} {} (kinds: {})",
        results.len(),
        target.label,
        kinds_label(kinds)
    )?;
    if results.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.depth.to_string(),
                analysis.name(r.module).to_string(),
                match (walk, analysis.path(r.module)) {
                    // The import that makes it depend, for an editor to open.
                    (Walk::Dependents, Some(_)) => analysis.hop_place(&r.chain),
                    (_, path) => path.unwrap_or("(namespace)").to_string(),
                },
                target.chain(&analysis.modules, r).join(arrow),
            ]
        })
        .collect();
    writeln!(out)?;
    table(out, &["depth", "module", "path", "chain"], &rows)
}
