//! One run's shared services: the settings, the finished analysis, and the
//! symbol index built lazily, once, for whichever command needs it.
//!
//! Commands receive a [`Session`] instead of rebuilding services by hand:
//! it resolves what the user typed into modules and impact targets, and it
//! hands out the [`Origins`] and the [`SymbolIndex`]. It answers no
//! question of its own and prints nothing.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::analysis::{Analysis, RunOptions};
use crate::config::Config;
use crate::discover::DiscoverOptions;
use crate::error::Result;
use crate::extract::ImportKind;
use crate::extract::definition_tokens;
use crate::graph::KindSet;
use crate::queries::impact::{Critical, ImpactTarget};
use crate::queries::reach::Seed;
use crate::queries::target::find_module;
use crate::resolve::ModuleId;
use crate::source::read_source;
use crate::symbols::duplicates::{BodyTokens, Duplicate, DuplicateOptions, duplicate_groups};
use crate::symbols::index::{SymbolIndex, UseHow};
use crate::symbols::{Origin, Origins, SymbolTarget, find_symbol};
use rayon::prelude::*;

/// How a run goes, decided once from the arguments and the configuration
/// (by `cli::settings`) before any file is read.
#[derive(Debug)]
pub struct Settings {
    /// What to walk.
    pub discover: DiscoverOptions,
    /// How to run the pipeline (detail, cache, progress).
    pub run: RunOptions,
    /// The configuration read from the root (defaults when there is none).
    pub config: Config,
    /// Critical module patterns: the configuration's, then `--critical`.
    pub critical: Critical,
    /// Import kinds given: `--kinds`, else the configuration's `kinds`;
    /// `None` when neither says, and each command takes its default
    /// ([`Settings::kinds_or`]).
    pub kinds: Option<KindSet>,
    /// `--quiet`: no progress bar, no cache warnings.
    pub quiet: bool,
    /// `--timings`: print the stage breakdown on stderr.
    pub timings: bool,
}

impl Settings {
    /// The kinds to follow: the given ones, else `default` (a `check` rule's
    /// own `kinds` still wins over both).
    pub fn kinds_or(&self, default: KindSet) -> KindSet {
        self.kinds.unwrap_or(default)
    }
}

/// The settings and analysis of one run, with its lazily built services.
#[derive(Debug)]
pub struct Session {
    /// How this run goes.
    pub settings: Settings,
    /// The finished analysis.
    pub analysis: Analysis,
    /// When the analysis started.
    started: Instant,
    index: OnceCell<SymbolIndex>,
}

impl Session {
    /// Runs the analysis `settings` describe.
    pub fn open(settings: Settings) -> Result<Session> {
        let started = Instant::now();
        let analysis = Analysis::run(&settings.discover, &settings.run)?;
        Ok(Session {
            settings,
            analysis,
            started,
            index: OnceCell::new(),
        })
    }

    /// Time since the analysis started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// What names in this analysis really are.
    pub fn origins(&self) -> Origins<'_> {
        Origins::new(&self.analysis)
    }

    /// The symbol index, built on first use.
    pub fn index(&self) -> &SymbolIndex {
        self.index
            .get_or_init(|| SymbolIndex::build(&self.origins()))
    }

    /// The duplicated names, classified: the groups come from the symbol
    /// index; the bodies they compare are read (only theirs) and
    /// tokenised here, in parallel.
    pub fn duplicates(&self, options: &DuplicateOptions) -> Vec<Duplicate> {
        let origins = self.origins();
        let groups = duplicate_groups(&origins, self.index(), options);
        let mut by_module: BTreeMap<ModuleId, Vec<u32>> = BTreeMap::new();
        for (module, offset) in groups.bodies() {
            by_module.entry(module).or_default().push(offset);
        }
        let analysis = &self.analysis;
        let read: Vec<BodyTokens> = by_module
            .into_par_iter()
            .map(|(module, offsets)| {
                let Some(text) = analysis
                    .path(module)
                    .and_then(|p| read_source(&analysis.root.join(p)).ok())
                    .map(|decoded| decoded.text)
                else {
                    return BodyTokens::default();
                };
                definition_tokens(&text, &offsets)
                    .into_iter()
                    .zip(offsets)
                    .filter_map(|(tokens, offset)| Some(((module, offset), tokens?)))
                    .collect()
            })
            .collect();
        let tokens: BodyTokens = read.into_iter().flatten().collect();
        // (The map is keyed, so the parallel order does not matter.)
        groups.finish(&origins, &tokens)
    }

    /// The module named by `spec`: a dotted name or a file path.
    pub fn module(&self, spec: &str) -> Result<ModuleId> {
        find_module(&self.analysis.modules, &self.analysis.root, spec)
    }

    /// Resolves `spec`: a module name or file path, else a symbol (`Name`
    /// for every definition of a name, `module:Name` or `module.Name` for
    /// one module's). `module:Name` is always a symbol; for anything else
    /// that is neither module nor symbol, the module error (with its
    /// suggestions) is returned.
    pub fn target(&self, spec: &str) -> Result<ImpactTarget> {
        let module_error = match self.module(spec) {
            Ok(id) => {
                return Ok(ImpactTarget {
                    label: self.analysis.name(id).to_string(),
                    seeds: vec![Seed::target(id)],
                });
            }
            Err(err) => err,
        };
        match find_symbol(&self.origins(), spec) {
            // A name bound only to modules (`from pkg import sub`) is not a
            // symbol target: the module error suggests the module instead.
            Ok(symbol)
                if !symbol
                    .origins
                    .iter()
                    .any(|o| matches!(o, Origin::Defined { .. })) =>
            {
                Err(module_error)
            }
            Ok(symbol) => Ok(self.symbol_target(&symbol)),
            Err(err) if spec.contains(':') => Err(err),
            Err(_) => Err(module_error),
        }
    }

    /// [`Session::target`] of each spec, in order.
    pub fn targets(&self, specs: &[String]) -> Result<Vec<ImpactTarget>> {
        specs.iter().map(|spec| self.target(spec)).collect()
    }

    /// The impact target of a resolved symbol: its users at depth 1, each
    /// with the kinds of its uses (a string reference such as
    /// `mock.patch("m.Name")` runs only when its code does: `dynamic`).
    pub fn symbol_target(&self, symbol: &SymbolTarget) -> ImpactTarget {
        let mut users: BTreeMap<ModuleId, KindSet> = BTreeMap::new();
        for origin in &symbol.origins {
            for u in self.index().uses_of(origin) {
                let kind = match u.how {
                    UseHow::FromImport | UseHow::Attribute => u.kind,
                    UseHow::String => ImportKind::Dynamic,
                };
                // A use does not say whether its function runs at import
                // time: a lazy use counts from the runtime tier on.
                users
                    .entry(u.user)
                    .or_insert(KindSet::EMPTY)
                    .insert_occurrence(kind, false);
            }
        }
        ImpactTarget {
            label: symbol.label(&self.analysis),
            seeds: users
                .into_iter()
                .map(|(module, kinds)| Seed {
                    module,
                    depth: 1,
                    kinds,
                })
                .collect(),
        }
    }
}
