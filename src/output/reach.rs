//! The answer of `dependents` and `dependencies`: reached modules with
//! depth and chain, as JSON and as a table whose path column opens the
//! import that starts each chain.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::graph::{KindSet, Tier};
use crate::output::SCHEMA_VERSION;
use crate::output::table::{kinds_label, table};
use crate::queries::reach::{ReachTarget, TieredReached, Walk};
use crate::summary::Incomplete;

/// `dependents --json` / `dependencies --json`.
#[derive(Debug, Serialize)]
pub struct ReachJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The root as given: paths are relative to it.
    pub root: String,
    /// The target module.
    pub target: &'a str,
    /// Edge kinds followed.
    pub kinds: Vec<ImportKind>,
    /// Depth limit (`null` = unlimited), within each tier.
    pub depth_limit: Option<u32>,
    /// Results per tier, import first (all three, zero included).
    pub tiers: Vec<TierCountJson>,
    /// Reached modules, by tier, then depth, then name.
    pub results: Vec<ReachedJson<'a>>,
    /// Counts of what the analysis could not see, so a short answer is not mistaken for a complete one.
    pub incomplete: Incomplete,
}

/// How many results a tier has.
#[derive(Debug, Serialize)]
pub struct TierCountJson {
    /// The tier.
    pub tier: Tier,
    /// Results whose smallest tier it is.
    pub count: usize,
}

/// One reached module.
#[derive(Debug, Serialize)]
pub struct ReachedJson<'a> {
    /// Module name.
    pub module: &'a str,
    /// File path (`null` for namespace packages).
    pub path: Option<&'a str>,
    /// Line of the import that starts the chain, in the chain's first
    /// module (`null` for a parent or conftest hop).
    pub line: Option<u32>,
    /// The smallest tier that reaches it: `import`, `runtime` or `typing`.
    pub tier: Tier,
    /// Shortest distance within that tier.
    pub depth: u32,
    /// One shortest chain within that tier, in import direction.
    pub chain: Vec<&'a str>,
}

/// The count of each tier among `results`.
fn tier_counts(results: &[TieredReached]) -> Vec<TierCountJson> {
    Tier::ALL
        .into_iter()
        .map(|tier| TierCountJson {
            tier,
            count: results.iter().filter(|r| r.tier == tier).count(),
        })
        .collect()
}

/// Builds reach JSON.
pub fn json<'a>(
    analysis: &'a Analysis,
    target: &'a ReachTarget,
    kinds: KindSet,
    depth_limit: Option<u32>,
    results: &[TieredReached],
) -> ReachJson<'a> {
    ReachJson {
        version: SCHEMA_VERSION,
        root: analysis.root.display().to_string(),
        target: &target.label,
        kinds: kinds.kinds(),
        depth_limit,
        tiers: tier_counts(results),
        results: results
            .iter()
            .map(|TieredReached { tier, reached: r }| ReachedJson {
                module: analysis.name(r.module),
                path: analysis.path(r.module),
                line: analysis.hop_line(&r.chain),
                tier: *tier,
                depth: r.depth,
                chain: target.chain(&analysis.modules, r),
            })
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `dependents` / `dependencies`: a count line, then one table per tier,
/// import first.
pub fn text(
    out: &mut dyn Write,
    analysis: &Analysis,
    target: &ReachTarget,
    walk: Walk,
    kinds: KindSet,
    results: &[TieredReached],
) -> io::Result<()> {
    let what = match walk {
        Walk::Dependents => "depend on",
        Walk::Dependencies => "are dependencies of",
    };
    let counts: Vec<String> = tier_counts(results)
        .iter()
        .map(|t| format!("{} {}", t.count, t.tier.as_str()))
        .collect();
    writeln!(
        out,
        "{} module(s) {what} {} ({}; kinds: {})",
        results.len(),
        target.label,
        counts.join(", "),
        kinds_label(kinds)
    )?;
    for tier in Tier::ALL {
        let rows: Vec<Vec<String>> = results
            .iter()
            .filter(|r| r.tier == tier)
            .map(|TieredReached { reached: r, .. }| {
                vec![
                    r.depth.to_string(),
                    analysis.name(r.module).to_string(),
                    match (walk, analysis.path(r.module)) {
                        // The import that makes it depend, for an editor to open.
                        (Walk::Dependents, Some(_)) => {
                            analysis.shown(&analysis.hop_place(&r.chain))
                        }
                        (_, Some(path)) => analysis.shown(path),
                        (_, None) => "(namespace)".to_string(),
                    },
                    target.chain(&analysis.modules, r).join(" → "),
                ]
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{} tier: {} module(s), {}",
            tier.as_str(),
            rows.len(),
            tier.describe()
        )?;
        table(out, &["depth", "module", "path", "chain"], &rows)?;
    }
    Ok(())
}
