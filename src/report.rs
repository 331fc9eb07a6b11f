//! The report's model: everything the HTML report shows, answered by the
//! queries and the symbol index and handed over as plain data.
//!
//! Chooses the default targets (the modules with the most importers),
//! computes each target's blast radius, the duplicated names with their
//! definitions, uses and radii, the cycles with their hops, the broken
//! imports and the files not fully seen. Names, paths and lines are
//! resolved here; `output::report` only lays them out and renders them.
//! It writes nothing.

use std::time::Duration;

use crate::analysis::Analysis;
use crate::extract::{Handled, ImportKind};
use crate::graph::{KindSet, Tier};
use crate::queries::cycles::find_cycles;
use crate::queries::impact::{Critical, Impact, ImpactTarget, impact, pytest_command};
use crate::queries::path::hops;
use crate::queries::reach::Seed;
use crate::resolve::ModuleId;
use crate::session::Session;
use crate::summary::Summary;
use crate::symbols::broken::broken_imports;
use crate::symbols::duplicates::{Duplicate, DuplicateOptions, DuplicateOrigin};
use crate::symbols::index::{SymbolIndex, Use};
use crate::symbols::roles::{BindingRole, binding_role};
use crate::symbols::{Origin, Origins, find_symbol, origin_kind};

/// Modules shown when no target is given: those with the most importers.
const DEFAULT_TARGETS: usize = 10;
/// Uses listed per origin before "and N more".
const USES_SHOWN: usize = 40;
/// Duplicated names (most used first) that get a radius picture.
const DUPLICATE_PICTURES: usize = 12;
/// Definitions of one name drawn as cards; the rest are listed compactly.
const ORIGIN_CARDS: usize = 8;
/// Definitions listed compactly after the cards.
const ORIGIN_LINES: usize = 200;

/// What to put in a report.
pub struct ReportRequest<'a> {
    /// Explicit targets; empty for the default report.
    pub targets: Vec<ImpactTarget>,
    /// Critical patterns.
    pub critical: &'a Critical,
    /// Edge kinds followed.
    pub kinds: KindSet,
    /// Time the analysis took.
    pub elapsed: Duration,
}

/// Everything one report shows.
#[derive(Debug, Clone)]
pub struct ReportModel {
    /// The root as given.
    pub root: String,
    /// Time the analysis took.
    pub elapsed: Duration,
    /// The analysis counts.
    pub summary: Summary,
    /// True when the targets were given; false for the default choice.
    pub explicit: bool,
    /// One section per target.
    pub targets: Vec<TargetModel>,
    /// Duplicated names, most used first.
    pub duplicates: Vec<DuplicateModel>,
    /// Import cycles over every kind, largest first.
    pub cycles: Vec<CycleModel>,
    /// Broken imports, by file and line.
    pub broken: Vec<BrokenRow>,
    /// Files not fully seen: syntax errors and unreadable files, as
    /// (place, message).
    pub unseen: Vec<(String, String)>,
    /// Files no import can reach, as (path, what shadows them).
    pub shadowed: Vec<(String, String)>,
}

/// The blast radius of one target.
#[derive(Debug, Clone)]
pub struct TargetModel {
    /// `module`, `module:Name` or `Name`.
    pub label: String,
    /// Every affected module: critical first, then by depth and name.
    pub affected: Vec<AffectedRow>,
    /// Counts per depth.
    pub depths: Vec<DepthModel>,
    /// Affected test files per category (`unit`, `integration`, ...),
    /// each sorted by path.
    pub tests: Vec<(&'static str, Vec<String>)>,
    /// A pytest command running the affected tests.
    pub pytest: Option<String>,
}

impl TargetModel {
    /// Affected test files.
    pub fn test_count(&self) -> usize {
        self.affected.iter().filter(|a| a.test.is_some()).count()
    }

    /// The deepest depth reached (0 when nothing is affected).
    pub fn max_depth(&self) -> u32 {
        self.depths.last().map_or(0, |d| d.depth)
    }
}

/// One affected module of a radius.
#[derive(Debug, Clone)]
pub struct AffectedRow {
    /// The module.
    pub module: ModuleId,
    /// Its dotted name.
    pub name: String,
    /// Its file, empty for a namespace package.
    pub path: String,
    /// The smallest tier that reaches it.
    pub tier: Tier,
    /// Shortest distance from the target within that tier.
    pub depth: u32,
    /// The next module on its chain towards the target (`None` when the
    /// chain ends at the target's label).
    pub parent: Option<ModuleRef>,
    /// The chain as names, ending with the target's label.
    pub chain: Vec<String>,
    /// Kinds on the chain's hops, in canonical order.
    pub kinds: Vec<ImportKind>,
    /// Test category (`unit`, ...), `None` for production code.
    pub test: Option<&'static str>,
    /// Matches a critical pattern.
    pub critical: bool,
    /// Top-level package.
    pub package: String,
}

/// A module by id, name and file (empty for a namespace package).
#[derive(Debug, Clone)]
pub struct ModuleRef {
    /// The module.
    pub module: ModuleId,
    /// Its dotted name.
    pub name: String,
    /// Its file.
    pub path: String,
}

/// Counts for one depth of a radius.
#[derive(Debug, Clone)]
pub struct DepthModel {
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
    /// Count per top-level package, by package name.
    pub packages: Vec<(String, usize)>,
}

/// A duplicated name.
#[derive(Debug, Clone)]
pub struct DuplicateModel {
    /// The name.
    pub name: String,
    /// Files using any of its definitions (sum over definitions).
    pub users: usize,
    /// The suggested canonical module.
    pub suggested: String,
    /// Why it is suggested.
    pub reason: String,
    /// Number of distinct definitions.
    pub definitions: usize,
    /// The first definitions in full, suggested first.
    pub origins: Vec<OriginModel>,
    /// The next definitions, one line each (`path:line (N user(s))`).
    pub rest: Vec<String>,
    /// Definitions not listed at all.
    pub unlisted: usize,
    /// The radius of the name (everything using any definition), for the
    /// most used names; `None` beyond them or when nothing uses it.
    pub radius: Option<TargetModel>,
    /// Number of modules in that radius.
    pub affected: usize,
}

/// One definition of a duplicated name.
#[derive(Debug, Clone)]
pub struct OriginModel {
    /// `class`, `function` or `variable`.
    pub kind: &'static str,
    /// The defining module.
    pub module: String,
    /// `path:line` of the definition.
    pub location: String,
    /// Its conditional branch, if any.
    pub conditional: Option<String>,
    /// The suggested canonical definition.
    pub suggested: bool,
    /// The module is a compatibility shim.
    pub shim: bool,
    /// `path:line` of each re-export.
    pub reexports: Vec<String>,
    /// Number of local aliases.
    pub aliases: usize,
    /// Distinct files using it.
    pub users: usize,
    /// The first uses (`place how via module`).
    pub uses: Vec<String>,
    /// Uses not listed.
    pub more_uses: usize,
    /// Imports that removing this definition would break.
    pub breaks: Vec<String>,
}

/// One import cycle.
#[derive(Debug, Clone)]
pub struct CycleModel {
    /// Number of member modules.
    pub size: usize,
    /// What kind of cycle it is, in words ([`crate::queries::cycles::Cycle::nature`]).
    pub nature: &'static str,
    /// Each hop of one concrete cycle as `module (path:line)`.
    pub hops: Vec<String>,
    /// The module the cycle starts (and ends) at.
    pub first: String,
}

/// One broken import.
#[derive(Debug, Clone)]
pub struct BrokenRow {
    /// `path:line`.
    pub place: String,
    /// The import as written.
    pub import: String,
    /// Why it breaks.
    pub reason: String,
    /// How the code handles the failure, when it expects it.
    pub handled: Option<Handled>,
}

impl ReportModel {
    /// Answers everything the report shows.
    pub fn build(session: &Session, request: ReportRequest<'_>) -> ReportModel {
        let analysis = &session.analysis;
        let explicit = !request.targets.is_empty();
        let names: Vec<String> = request
            .targets
            .iter()
            .filter_map(|t| t.label.split_once(':').map(|(_, name)| name.to_string()))
            .collect();
        let chosen = if explicit {
            request.targets.clone()
        } else {
            most_imported(analysis)
        };
        let origins = session.origins();
        let builder = Builder {
            session,
            origins: &origins,
            index: session.index(),
            request: &request,
        };
        let sections = chosen
            .into_iter()
            .map(|target| builder.target(target))
            .collect();
        let mut duplicates = session.duplicates(&DuplicateOptions::default());
        if explicit {
            duplicates.retain(|d| names.contains(&d.name));
        }
        let duplicates = duplicates
            .iter()
            .enumerate()
            .map(|(i, d)| builder.duplicate(d, i < DUPLICATE_PICTURES))
            .collect();
        ReportModel {
            root: analysis.root.display().to_string(),
            elapsed: request.elapsed,
            summary: analysis.summary(),
            explicit,
            targets: sections,
            duplicates,
            cycles: cycles(analysis),
            broken: broken_imports(
                analysis,
                &builder.index.broken,
                &session.settings.config.broken_ignore,
            )
            .items
            .iter()
            .map(|b| BrokenRow {
                place: analysis.place(b.user, b.offset),
                import: b.import.clone(),
                reason: b.reason.clone(),
                handled: b.handled,
            })
            .collect(),
            unseen: unseen(analysis),
            shadowed: analysis
                .shadowed
                .iter()
                .map(|sh| {
                    (
                        sh.path.clone(),
                        format!("never imported: shadowed by {}", sh.shadowed_by),
                    )
                })
                .collect(),
        }
    }
}

/// The shared inputs of one report's answers.
struct Builder<'r, 'a> {
    session: &'r Session,
    origins: &'r Origins<'a>,
    index: &'r SymbolIndex,
    request: &'r ReportRequest<'r>,
}

impl Builder<'_, '_> {
    /// The full blast radius of one target, with the report's kinds and
    /// critical patterns.
    fn target(&self, target: ImpactTarget) -> TargetModel {
        let analysis = &self.session.analysis;
        let result = impact(
            &analysis.graph,
            &analysis.modules,
            vec![target],
            self.request.kinds,
            None,
            self.request.critical,
        );
        target_model(analysis, &result)
    }

    fn duplicate(&self, duplicate: &Duplicate, with_radius: bool) -> DuplicateModel {
        let analysis = &self.session.analysis;
        let origins = duplicate
            .origins
            .iter()
            .take(ORIGIN_CARDS)
            .enumerate()
            .map(|(j, o)| self.origin(o, j == 0))
            .collect();
        let rest: Vec<String> = duplicate
            .origins
            .iter()
            .skip(ORIGIN_CARDS)
            .take(ORIGIN_LINES)
            .map(|o| {
                let line = self
                    .origins
                    .binding(&o.origin)
                    .map_or(0, |b| analysis.line(o.module, b.offset));
                format!(
                    "{}:{line} ({} user(s))",
                    analysis.display_path(o.module),
                    o.users
                )
            })
            .collect();
        // The radius of the name: everything using any of its definitions.
        let radius = match find_symbol(self.origins, &duplicate.name) {
            Ok(symbol) if with_radius => Some(self.target(self.session.symbol_target(&symbol))),
            Ok(_) | Err(_) => None,
        };
        let affected = radius.as_ref().map_or(0, |r| r.affected.len());
        DuplicateModel {
            name: duplicate.name.clone(),
            users: duplicate.users,
            suggested: duplicate
                .origins
                .first()
                .map(|o| analysis.name(o.module).to_string())
                .unwrap_or_default(),
            reason: duplicate.reason.clone(),
            definitions: duplicate.origins.len(),
            origins,
            rest,
            unlisted: duplicate
                .origins
                .len()
                .saturating_sub(ORIGIN_CARDS + ORIGIN_LINES),
            radius: radius.filter(|r| !r.affected.is_empty()),
            affected,
        }
    }

    fn origin(&self, origin: &DuplicateOrigin, suggested: bool) -> OriginModel {
        let analysis = &self.session.analysis;
        let module = origin.module;
        let binding = self.origins.binding(&origin.origin);
        let line = binding.map_or(0, |b| analysis.line(module, b.offset));
        let uses = self.index.uses_of(&origin.origin);
        let use_text = |u: &Use| {
            format!(
                "{} {} via {}",
                analysis.place(u.user, u.offset),
                u.how.as_str(),
                analysis.name(u.through)
            )
        };
        let mut reexports = Vec::new();
        let mut aliases = 0;
        for r in self.index.reexports_of(&origin.origin) {
            let Some(binding) = self.origins.binding(&Origin::Defined {
                module: r.module,
                binding: r.binding,
            }) else {
                continue;
            };
            match binding_role(analysis, self.index, r, binding) {
                Some(BindingRole::Reexport) => {
                    reexports.push(analysis.place(r.module, binding.offset));
                }
                Some(BindingRole::Alias) => aliases += 1,
                None => {}
            }
        }
        // Removing a definition breaks the imports that name its module, unless
        // that module keeps re-exporting another definition under the name.
        let breaks = if origin.shim {
            Vec::new()
        } else {
            uses.iter()
                .filter(|u| u.through == module)
                .map(use_text)
                .collect()
        };
        OriginModel {
            kind: origin_kind(self.origins, &origin.origin),
            module: analysis.name(module).to_string(),
            location: format!("{}:{line}", analysis.path(module).unwrap_or("")),
            conditional: origin.branch.clone(),
            suggested,
            shim: origin.shim,
            reexports,
            aliases,
            users: origin.users,
            uses: uses.iter().take(USES_SHOWN).map(use_text).collect(),
            more_uses: uses.len().saturating_sub(USES_SHOWN),
            breaks,
        }
    }
}

/// The model of one computed radius.
fn target_model(analysis: &Analysis, result: &Impact) -> TargetModel {
    let label = result
        .targets
        .first()
        .map(|t| t.label.clone())
        .unwrap_or_default();
    let tests_by = result.tests_by_category(&analysis.modules);
    TargetModel {
        affected: result
            .affected
            .iter()
            .map(|a| AffectedRow {
                module: a.module,
                name: analysis.name(a.module).to_string(),
                path: analysis.path(a.module).unwrap_or("").to_string(),
                tier: a.tier,
                depth: a.depth,
                parent: a.chain.get(1).map(|&p| ModuleRef {
                    module: p,
                    name: analysis.name(p).to_string(),
                    path: analysis.path(p).unwrap_or("").to_string(),
                }),
                chain: result
                    .chain_names(&analysis.modules, a)
                    .into_iter()
                    .map(String::from)
                    .collect(),
                kinds: a.kinds(),
                test: a.test.map(|t| t.as_str()),
                critical: a.critical,
                package: a.package.clone(),
            })
            .collect(),
        depths: result
            .depths
            .iter()
            .map(|d| DepthModel {
                depth: d.depth,
                count: d.count,
                production: d.production,
                tests: d.tests,
                critical: d.critical,
                packages: d.packages.iter().map(|(p, n)| (p.clone(), *n)).collect(),
            })
            .collect(),
        tests: tests_by
            .iter()
            .map(|(c, paths)| (c.as_str(), paths.iter().map(|p| p.to_string()).collect()))
            .collect(),
        pytest: pytest_command(tests_by.values().flatten().copied()),
        label,
    }
}

/// The modules with the most distinct importers (by statements: a
/// package's submodules do not count as importing it), as default targets.
fn most_imported(analysis: &Analysis) -> Vec<ImpactTarget> {
    let mut ranked: Vec<(usize, ModuleId)> = analysis
        .modules
        .iter()
        .map(|(id, _)| {
            let importers = analysis
                .graph
                .neighbours(id, petgraph::Direction::Incoming, KindSet::STATEMENTS)
                .len();
            (importers, id)
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(DEFAULT_TARGETS)
        .map(|(_, id)| ImpactTarget {
            label: analysis.name(id).to_string(),
            seeds: vec![Seed::target(id)],
        })
        .collect()
}

/// Every cycle over the statement kinds (as `cycles` finds them by
/// default: a package and the submodule it imports are no cycle), each hop
/// located so it can be opened.
fn cycles(analysis: &Analysis) -> Vec<CycleModel> {
    find_cycles(&analysis.graph, analysis.modules.len(), KindSet::STATEMENTS)
        .iter()
        .map(|c| CycleModel {
            size: c.modules.len(),
            nature: c.nature(),
            hops: hops(&analysis.graph, &c.example, KindSet::STATEMENTS)
                .unwrap_or_default()
                .iter()
                .map(|h| {
                    format!(
                        "{} ({})",
                        analysis.name(h.from),
                        analysis.occurrence_place(h.from, h.occurrence)
                    )
                })
                .collect(),
            first: c
                .example
                .first()
                .map_or(String::new(), |&m| analysis.name(m).to_string()),
        })
        .collect()
}

/// Files not fully seen: syntax errors and unreadable files.
fn unseen(analysis: &Analysis) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = analysis
        .parse_errors
        .iter()
        .map(|p| {
            (
                p.place(),
                format!(
                    "{} ({} error(s); imports around them were still read)",
                    p.message, p.count
                ),
            )
        })
        .collect();
    rows.extend(
        analysis
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.message.clone())),
    );
    rows
}
