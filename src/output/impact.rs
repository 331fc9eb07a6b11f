//! Output of `impact`: JSON for scripts and CI, text for people, and the
//! bare test list of `--tests-only`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::graph::Tier;
use crate::lines::under_root;
use crate::output::SCHEMA_VERSION;
use crate::output::table::table;
use crate::queries::impact::{
    Affected, Critical, DepthRow, Impact, TestCategory, TierRow, pytest_command,
};
use crate::summary::Incomplete;

/// `impact --json`.
#[derive(Debug, Serialize)]
pub struct ImpactJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The root as given: paths (and `pytest`) are relative to it.
    pub root: String,
    /// Target labels.
    pub targets: Vec<&'a str>,
    /// Edge kinds followed.
    pub kinds: Vec<ImportKind>,
    /// Depth limit (`null` = unlimited).
    pub depth_limit: Option<u32>,
    /// Critical patterns in force.
    pub critical_patterns: &'a [String],
    /// Totals.
    pub summary: ImpactSummary,
    /// Counts per tier, import first (all three, zero included).
    pub tiers: &'a [TierRow],
    /// One row per depth.
    pub depths: &'a [DepthRow],
    /// Affected modules: critical first, then by tier, depth and name.
    pub affected: Vec<AffectedJson<'a>>,
    /// Affected test files by category, every tier together.
    pub tests: BTreeMap<TestCategory, Vec<&'a str>>,
    /// The same test files by tier, then category.
    pub tests_by_tier: BTreeMap<Tier, BTreeMap<TestCategory, Vec<&'a str>>>,
    /// A pytest command line running every affected test.
    pub pytest: Option<String>,
    /// What the analysis could not see.
    pub incomplete: Incomplete,
}

/// Totals of an impact.
#[derive(Debug, Serialize)]
pub struct ImpactSummary {
    /// Affected modules.
    pub affected: usize,
    /// Of which production code.
    pub production: usize,
    /// Of which tests.
    pub tests: usize,
    /// Of which critical.
    pub critical: usize,
    /// Deepest depth reached.
    pub max_depth: u32,
}

/// One affected module.
#[derive(Debug, Serialize)]
pub struct AffectedJson<'a> {
    /// Module name.
    pub module: &'a str,
    /// File path.
    pub path: Option<&'a str>,
    /// Line of the import that starts the chain, in the chain's first
    /// module (`null` for a parent or conftest hop, or a direct user of a
    /// symbol).
    pub line: Option<u32>,
    /// The smallest tier that reaches it.
    pub tier: Tier,
    /// Shortest distance within that tier.
    pub depth: u32,
    /// Test category, or null for production code.
    pub test: Option<TestCategory>,
    /// Matches a critical pattern.
    pub critical: bool,
    /// Top-level package.
    pub package: &'a str,
    /// Kinds on the chain's hops, all together.
    pub kinds: Vec<ImportKind>,
    /// One shortest chain, ending with the target label.
    pub chain: Vec<&'a str>,
    /// `path:line` of the chain's first import (the path alone for a direct
    /// user of a symbol), for human output only.
    #[serde(skip)]
    pub place: String,
}

fn affected_json<'a>(
    analysis: &'a Analysis,
    impact: &'a Impact,
    a: &'a Affected,
) -> AffectedJson<'a> {
    let kinds = a.kinds();
    let chain = impact.chain_names(&analysis.modules, a);
    AffectedJson {
        module: analysis.name(a.module),
        path: analysis.path(a.module),
        line: analysis.hop_line(&a.chain),
        tier: a.tier,
        depth: a.depth,
        test: a.test,
        critical: a.critical,
        package: &a.package,
        kinds,
        chain,
        place: analysis.shown(&analysis.hop_place(&a.chain)),
    }
}

/// Builds `impact` JSON.
pub fn impact_json<'a>(
    analysis: &'a Analysis,
    impact: &'a Impact,
    critical: &'a Critical,
    depth_limit: Option<u32>,
) -> ImpactJson<'a> {
    let tests = impact.tests_by_category(&analysis.modules);
    ImpactJson {
        version: SCHEMA_VERSION,
        root: analysis.root.display().to_string(),
        targets: impact.targets.iter().map(|t| t.label.as_str()).collect(),
        kinds: impact.kinds.kinds(),
        depth_limit,
        critical_patterns: critical.patterns(),
        summary: ImpactSummary {
            affected: impact.affected.len(),
            production: impact.affected.iter().filter(|a| a.test.is_none()).count(),
            tests: impact.affected.iter().filter(|a| a.test.is_some()).count(),
            critical: impact.affected.iter().filter(|a| a.critical).count(),
            max_depth: impact.depths.last().map_or(0, |d| d.depth),
        },
        tiers: &impact.tiers,
        depths: &impact.depths,
        affected: impact
            .affected
            .iter()
            .map(|a| affected_json(analysis, impact, a))
            .collect(),
        pytest: pytest_command(tests.values().flatten().copied()),
        tests,
        tests_by_tier: Tier::ALL
            .into_iter()
            .map(|tier| (tier, impact.tests_in(&analysis.modules, Some(tier))))
            .filter(|(_, tests)| !tests.is_empty())
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `impact` for people.
pub fn impact_text(out: &mut dyn Write, json: &ImpactJson<'_>) -> io::Result<()> {
    let s = &json.summary;
    writeln!(
        out,
        "blast radius of {}: {} module(s) affected ({} production, {} tests, {} critical), {} level(s) deep",
        json.targets.join(", "),
        s.affected,
        s.production,
        s.tests,
        s.critical,
        s.max_depth
    )?;
    for row in json.tiers {
        writeln!(
            out,
            "  {} tier: {} ({} production, {} tests, {} critical): {}",
            row.tier.as_str(),
            row.affected,
            row.production,
            row.tests,
            row.critical,
            row.tier.describe()
        )?;
    }
    let critical: Vec<&AffectedJson<'_>> = json.affected.iter().filter(|a| a.critical).collect();
    if !critical.is_empty() {
        writeln!(out, "\ncritical modules hit:")?;
        for a in critical {
            writeln!(
                out,
                "  {} (depth {}): {}",
                a.module,
                a.depth,
                a.chain.join(" → ")
            )?;
        }
    }
    if json.affected.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let rows: Vec<Vec<String>> = json
        .depths
        .iter()
        .map(|d| {
            let packages: Vec<String> =
                d.packages.iter().map(|(p, n)| format!("{p} {n}")).collect();
            vec![
                d.depth.to_string(),
                d.count.to_string(),
                d.production.to_string(),
                d.tests.to_string(),
                packages.join(", "),
            ]
        })
        .collect();
    table(
        out,
        &["depth", "modules", "production", "tests", "by package"],
        &rows,
    )?;
    writeln!(out)?;
    let rows: Vec<Vec<String>> = json
        .affected
        .iter()
        .map(|a| {
            let mut role = match a.test {
                Some(category) => format!("test:{}", category.as_str()),
                None => "prod".to_string(),
            };
            if a.critical {
                role.push_str(",critical");
            }
            vec![
                a.tier.as_str().to_string(),
                a.depth.to_string(),
                role,
                a.place.clone(),
                a.chain.join(" → "),
            ]
        })
        .collect();
    table(out, &["tier", "depth", "role", "file", "chain"], &rows)?;
    if !json.tests.is_empty() {
        for (tier, tests) in &json.tests_by_tier {
            writeln!(out, "\naffected tests, {} tier:", tier.as_str())?;
            for (category, paths) in tests {
                writeln!(out, "  {} ({}):", category.as_str(), paths.len())?;
                for path in paths {
                    writeln!(out, "    {}", under_root(Path::new(&json.root), path))?;
                }
            }
        }
        // The command runs from here: its paths are the root as given
        // joined with the root-relative ones of `json.pytest`.
        let shown: Vec<String> = json
            .tests
            .values()
            .flatten()
            .map(|p| under_root(Path::new(&json.root), p))
            .collect();
        if let Some(pytest) = pytest_command(shown.iter().map(String::as_str)) {
            writeln!(out, "\n{pytest}")?;
        }
    }
    Ok(())
}

/// `impact --tests-only`: affected test paths, one per line.
pub fn tests_only(out: &mut dyn Write, json: &ImpactJson<'_>) -> io::Result<()> {
    let mut paths: Vec<&str> = json.tests.values().flatten().copied().collect();
    paths.sort_unstable();
    for path in paths {
        writeln!(out, "{}", under_root(Path::new(&json.root), path))?;
    }
    Ok(())
}
