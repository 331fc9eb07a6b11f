//! Blast radius: everything that depends on one or more targets, by depth,
//! with the chain that explains each hit, test/production and critical marks,
//! per-depth summaries and the affected tests.
//!
//! Targets are modules (depth 0, not reported) and symbols (their users are
//! depth 1). Built on [`search`]; reads the graph and module table only.

use std::collections::BTreeMap;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::discover::is_test_path;
use crate::error::{Error, Result};
use crate::extract::ImportKind;
use crate::graph::{ImportGraph, KindSet, Tier};
use crate::queries::reach::{Seed, TieredReached, Walk, tiered_search};
use crate::resolve::{ModuleId, ModuleTable};

/// One target of an impact query.
#[derive(Debug, Clone)]
pub struct ImpactTarget {
    /// `module`, `module:Name` or `Name`.
    pub label: String,
    /// The modules the radius starts from, each with its depth: the module
    /// itself at 0, or a symbol's users at 1 (with the kinds of their uses).
    pub seeds: Vec<Seed>,
}

/// Directory category of a test file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestCategory {
    /// Under a `unit` directory.
    Unit,
    /// Under an `integration` directory.
    Integration,
    /// Under an `e2e` directory.
    E2e,
    /// Under a `mission_critical` directory.
    MissionCritical,
    /// Any other test file.
    Other,
}

impl TestCategory {
    /// The category of `path`, or `None` when it is not a test file.
    pub fn of(path: &str) -> Option<TestCategory> {
        if !is_test_path(path) {
            return None;
        }
        let dirs: Vec<&str> = path.split('/').collect();
        let has = |name: &str| dirs[..dirs.len().saturating_sub(1)].contains(&name);
        Some(if has("unit") {
            TestCategory::Unit
        } else if has("integration") {
            TestCategory::Integration
        } else if has("e2e") {
            TestCategory::E2e
        } else if has("mission_critical") {
            TestCategory::MissionCritical
        } else {
            TestCategory::Other
        })
    }

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            TestCategory::Unit => "unit",
            TestCategory::Integration => "integration",
            TestCategory::E2e => "e2e",
            TestCategory::MissionCritical => "mission_critical",
            TestCategory::Other => "other",
        }
    }
}

/// Glob patterns over module names marking critical modules.
#[derive(Debug, Clone, Default)]
pub struct Critical {
    patterns: Vec<String>,
    set: GlobSet,
}

impl Critical {
    /// Compiles `patterns` (`*websocket*`, `app.core.user_execution_context`).
    pub fn new(patterns: &[String]) -> Result<Critical> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            let glob = Glob::new(pattern).map_err(|err| Error::BadCritical {
                pattern: pattern.clone(),
                message: err.kind().to_string(),
            })?;
            builder.add(glob);
        }
        let set = builder.build().map_err(|err| Error::BadCritical {
            pattern: patterns.join(" "),
            message: err.to_string(),
        })?;
        Ok(Critical {
            patterns: patterns.to_vec(),
            set,
        })
    }

    /// True when module `name` matches a pattern.
    pub fn matches(&self, name: &str) -> bool {
        !self.patterns.is_empty() && self.set.is_match(name)
    }

    /// The patterns as given.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

/// One affected module.
#[derive(Debug, Clone)]
pub struct Affected {
    /// The module.
    pub module: ModuleId,
    /// The smallest tier that reaches it; `depth`, `chain` and `hop_kinds`
    /// are within that tier.
    pub tier: Tier,
    /// Shortest distance from a target (1 = uses or imports it directly).
    pub depth: u32,
    /// One shortest chain, `[module, ..., seed]` (each imports the next);
    /// the target's label follows the seed.
    pub chain: Vec<ModuleId>,
    /// Index into [`Impact::targets`] of the target the chain ends at.
    pub target: usize,
    /// Kinds on each hop of the chain (allowed kinds only).
    pub hop_kinds: Vec<KindSet>,
    /// Test category, `None` for production code.
    pub test: Option<TestCategory>,
    /// Matches a critical pattern.
    pub critical: bool,
    /// First dotted component (or path component for scripts).
    pub package: String,
}

/// Counts for one depth.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DepthRow {
    /// The depth.
    pub depth: u32,
    /// Affected modules at this depth.
    pub count: usize,
    /// Of which production code.
    pub production: usize,
    /// Of which tests.
    pub tests: usize,
    /// Of which critical.
    pub critical: usize,
    /// Count per top-level package.
    pub packages: BTreeMap<String, usize>,
}

/// Counts for one tier.
#[derive(Debug, Clone, Serialize)]
pub struct TierRow {
    /// The tier.
    pub tier: Tier,
    /// Affected modules whose smallest tier this is.
    pub affected: usize,
    /// Of which production code.
    pub production: usize,
    /// Of which tests.
    pub tests: usize,
    /// Of which critical.
    pub critical: usize,
}

/// A finished blast radius.
#[derive(Debug, Clone)]
pub struct Impact {
    /// The targets.
    pub targets: Vec<ImpactTarget>,
    /// Affected modules: critical first, then by tier, depth and name.
    pub affected: Vec<Affected>,
    /// One row per depth (over every tier, each module at its tier's depth).
    pub depths: Vec<DepthRow>,
    /// One row per tier, import first, all three always.
    pub tiers: Vec<TierRow>,
    /// Edge kinds followed.
    pub kinds: KindSet,
}

impl Affected {
    /// The kinds on the chain's hops, all together, in canonical order.
    pub fn kinds(&self) -> Vec<ImportKind> {
        self.hop_kinds
            .iter()
            .fold(KindSet::EMPTY, |all, hop| all.union(*hop))
            .kinds()
    }
}

impl Impact {
    /// The chain of `a` as names, ending with its target's label (a module
    /// target already is the chain's last element; a symbol's label follows
    /// the using file).
    pub fn chain_names<'a>(&'a self, table: &'a ModuleTable, a: &Affected) -> Vec<&'a str> {
        let mut chain: Vec<&str> = a
            .chain
            .iter()
            .map(|&m| table.get(m).name.as_str())
            .collect();
        if let Some(target) = self.targets.get(a.target)
            && chain.last() != Some(&target.label.as_str())
        {
            chain.push(&target.label);
        }
        chain
    }

    /// Affected test files by category, each list sorted by path.
    pub fn tests_by_category<'a>(
        &self,
        table: &'a ModuleTable,
    ) -> BTreeMap<TestCategory, Vec<&'a str>> {
        self.tests_in(table, None)
    }

    /// Affected test files of one tier (all tiers for `None`) by category,
    /// each list sorted by path.
    pub fn tests_in<'a>(
        &self,
        table: &'a ModuleTable,
        tier: Option<Tier>,
    ) -> BTreeMap<TestCategory, Vec<&'a str>> {
        let mut out: BTreeMap<TestCategory, Vec<&str>> = BTreeMap::new();
        for a in self
            .affected
            .iter()
            .filter(|a| tier.is_none_or(|t| a.tier == t))
        {
            if let (Some(category), Some(path)) = (a.test, table.get(a.module).path.as_deref()) {
                out.entry(category).or_default().push(path);
            }
        }
        for paths in out.values_mut() {
            paths.sort_unstable();
        }
        out
    }
}

/// The top-level package of a module name (scripts: their first directory).
pub fn top_package(name: &str) -> &str {
    if name.contains('/') {
        name.split('/').next().unwrap_or(name)
    } else {
        name.split('.').next().unwrap_or(name)
    }
}

/// Computes the blast radius of `targets`.
pub fn impact(
    graph: &ImportGraph,
    table: &ModuleTable,
    targets: Vec<ImpactTarget>,
    kinds: KindSet,
    max_depth: Option<u32>,
    critical: &Critical,
) -> Impact {
    let mut seeds: Vec<Seed> = targets.iter().flat_map(|t| t.seeds.clone()).collect();
    seeds.sort_by_key(|s| (s.depth, s.module));
    let reached = tiered_search(
        graph,
        table.len(),
        &seeds,
        Walk::Dependents,
        kinds,
        max_depth,
    );
    let target_of = |seed: ModuleId| {
        targets
            .iter()
            .position(|t| t.seeds.iter().any(|s| s.module == seed))
            .unwrap_or(0)
    };
    let mut affected: Vec<Affected> = reached
        .into_iter()
        .map(|TieredReached { tier, reached: r }| {
            let module = table.get(r.module);
            let hop_kinds = r
                .chain
                .windows(2)
                .map(|pair| {
                    graph
                        .edge_kinds(pair[0], pair[1])
                        .intersection(tier.kinds())
                        .intersection(kinds)
                })
                .collect();
            let seed = r.chain.last().copied().unwrap_or(r.module);
            Affected {
                module: r.module,
                tier,
                depth: r.depth,
                target: target_of(seed),
                hop_kinds,
                test: module.path.as_deref().and_then(TestCategory::of),
                critical: critical.matches(&module.name),
                package: top_package(&module.name).to_string(),
                chain: r.chain,
            }
        })
        .collect();
    let mut depths: BTreeMap<u32, DepthRow> = BTreeMap::new();
    for a in &affected {
        let row = depths.entry(a.depth).or_insert_with(|| DepthRow {
            depth: a.depth,
            ..DepthRow::default()
        });
        row.count += 1;
        match a.test {
            Some(_) => row.tests += 1,
            None => row.production += 1,
        }
        if a.critical {
            row.critical += 1;
        }
        match row.packages.get_mut(a.package.as_str()) {
            Some(count) => *count += 1,
            None => {
                row.packages.insert(a.package.clone(), 1);
            }
        }
    }
    affected.sort_by_key(|a| (!a.critical, a.tier, a.depth, a.module));
    let tiers = Tier::ALL
        .into_iter()
        .map(|tier| {
            let of_tier = || affected.iter().filter(move |a| a.tier == tier);
            TierRow {
                tier,
                affected: of_tier().count(),
                production: of_tier().filter(|a| a.test.is_none()).count(),
                tests: of_tier().filter(|a| a.test.is_some()).count(),
                critical: of_tier().filter(|a| a.critical).count(),
            }
        })
        .collect();
    Impact {
        targets,
        affected,
        depths: depths.into_values().collect(),
        tiers,
        kinds,
    }
}

/// A shell command line that runs the test files `tests` with pytest
/// (paths quoted when needed; `conftest.py` files hold fixtures, not tests,
/// and are left out). `None` when no test file remains: a bare `pytest`
/// would run every test, not the affected ones.
pub fn pytest_command<'a>(tests: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let paths: Vec<&str> = tests
        .into_iter()
        .filter(|path| path.rsplit('/').next() != Some("conftest.py"))
        .collect();
    if paths.is_empty() {
        return None;
    }
    let mut line = String::from("pytest");
    for path in paths {
        line.push(' ');
        if path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
        {
            line.push_str(path);
        } else {
            line.push('\'');
            line.push_str(&path.replace('\'', "'\\''"));
            line.push('\'');
        }
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_categories_from_paths() {
        let cases = [
            ("tests/unit/test_a.py", Some(TestCategory::Unit)),
            (
                "tests/integration/api/test_b.py",
                Some(TestCategory::Integration),
            ),
            ("tests/e2e/test_c.py", Some(TestCategory::E2e)),
            (
                "tests/mission_critical/test_d.py",
                Some(TestCategory::MissionCritical),
            ),
            ("tests/conftest.py", Some(TestCategory::Other)),
            ("app/unit/model.py", None),
            ("app/test_unit.py", Some(TestCategory::Other)),
        ];
        for (path, expected) in cases {
            assert_eq!(TestCategory::of(path), expected, "{path}");
        }
    }

    #[test]
    fn pytest_command_quotes_odd_paths() {
        let tests = BTreeMap::from([
            (TestCategory::Unit, vec!["tests/unit/test_a.py"]),
            (
                TestCategory::Other,
                vec!["tests/conftest.py", "tests/it's here.py"],
            ),
        ]);
        assert_eq!(
            pytest_command(tests.values().flatten().copied()).as_deref(),
            Some("pytest tests/unit/test_a.py 'tests/it'\\''s here.py'")
        );
        let only_fixtures = BTreeMap::from([(TestCategory::Other, vec!["tests/conftest.py"])]);
        assert_eq!(
            pytest_command(only_fixtures.values().flatten().copied()),
            None,
            "never a bare `pytest`"
        );
    }

    #[test]
    fn critical_globs_match_dotted_names() {
        let c = Critical::new(&["*websocket*".to_string(), "app.core.user_*".to_string()]).unwrap();
        assert!(c.matches("app.websocket_core.bridge"));
        assert!(c.matches("app.core.user_execution_context"));
        assert!(!c.matches("app.core.config"));
        assert!(!Critical::default().matches("anything"));
        assert!(Critical::new(&["[".to_string()]).is_err());
    }
}
