//! Validated settings: the command line merged with the configuration, once.
//!
//! Everything a command needs to know about *how* to run is decided here,
//! before any file is read: the walk (roots, excludes, links, notebooks),
//! the run (detail, cache, progress), the critical patterns (configuration
//! plus `--critical`) and the import kinds (`--kinds`, then the
//! configuration's `kinds`, then each command's default). Options that cannot
//! go together are refused here with a message saying what to do. The
//! [`Settings`] type itself belongs to the session, which the library's
//! stages read; this file only builds it from the command line. It runs no
//! analysis and prints nothing.

use std::io::IsTerminal;

use anyhow::bail;

use crate::analysis::RunOptions;
use crate::cli::args::{Cli, Command, GraphFormat, KindArg};
use crate::config::Config;
use crate::discover::DiscoverOptions;
use crate::extract::{Detail, ImportKind};
use crate::graph::KindSet;
use crate::queries::impact::Critical;
use crate::session::Settings;

impl Settings {
    /// Validates `cli` and merges it with `config`.
    pub fn new(cli: &Cli, config: Config) -> anyhow::Result<Settings> {
        if let Command::Graph(args) = &cli.command
            && args.format == GraphFormat::Text
            && args.selects()
        {
            bail!(
                "--focus, --collapse and --kinds select what an export shows; \
                 use them with --format dot, mermaid or json (text is the summary of the whole graph)"
            );
        }
        let global = &cli.global;
        let mut src = config.src.clone();
        src.extend(global.src.iter().cloned());
        let mut exclude = config.exclude.clone();
        exclude.extend(global.exclude.iter().cloned());
        let discover = DiscoverOptions {
            root: global.root.clone(),
            src,
            exclude,
            follow_links: global.follow_links,
            skip_notebooks: global.no_notebooks || config.notebooks == Some(false),
            python: global.python.clone(),
        };
        let run = RunOptions {
            detail: detail(&cli.command),
            cache_dir: (!global.no_cache).then(|| {
                global
                    .cache_dir
                    .clone()
                    .unwrap_or_else(|| global.root.join(crate::cache::DIR_NAME))
            }),
            progress: !global.quiet && std::io::stderr().is_terminal(),
            import_functions: config.import_functions.clone(),
        };
        let mut patterns = config.critical.clone();
        patterns.extend(critical_args(&cli.command).iter().cloned());
        let critical = Critical::new(&patterns)?;
        let kinds = kinds_arg(&cli.command)
            .and_then(kind_set)
            .or_else(|| config.kinds.as_deref().map(KindSet::of));
        Ok(Settings {
            discover,
            run,
            critical,
            kinds,
            quiet: global.quiet,
            timings: global.timings,
            config,
        })
    }
}

/// How much of each file a command needs: the module graph only, or
/// symbols too.
fn detail(command: &Command) -> Detail {
    match command {
        Command::Graph(_)
        | Command::Dependencies(_)
        | Command::Path(_)
        | Command::Cycles(_)
        | Command::Completions(_) => Detail::Imports,
        // Targets may be symbols (`pkg.mod:Name`, or a name that is no module).
        Command::Dependents(_)
        | Command::Impact(_)
        | Command::Report(_)
        | Command::Migrate(_)
        | Command::Symbol(_)
        | Command::Duplicates(_)
        | Command::Broken(_)
        | Command::Check(_)
        | Command::Init(_) => Detail::Symbols,
    }
}

/// The `--critical` patterns of the commands that take them.
fn critical_args(command: &Command) -> &[String] {
    match command {
        Command::Impact(args) => &args.critical,
        Command::Report(args) => &args.critical,
        Command::Graph(_)
        | Command::Dependents(_)
        | Command::Dependencies(_)
        | Command::Path(_)
        | Command::Migrate(_)
        | Command::Symbol(_)
        | Command::Duplicates(_)
        | Command::Broken(_)
        | Command::Check(_)
        | Command::Init(_)
        | Command::Completions(_)
        | Command::Cycles(_) => &[],
    }
}

/// The `--kinds` of the commands that take it.
fn kinds_arg(command: &Command) -> Option<&[KindArg]> {
    match command {
        Command::Graph(args) => Some(&args.kinds.kinds),
        Command::Dependents(args) | Command::Dependencies(args) => Some(&args.kinds.kinds),
        Command::Impact(args) => Some(&args.kinds.kinds),
        Command::Path(args) => Some(&args.kinds.kinds),
        Command::Report(args) => Some(&args.kinds.kinds),
        Command::Cycles(args) => Some(&args.kinds.kinds),
        Command::Check(args) => Some(&args.kinds),
        Command::Migrate(_)
        | Command::Symbol(_)
        | Command::Duplicates(_)
        | Command::Broken(_)
        | Command::Init(_)
        | Command::Completions(_) => None,
    }
}

/// The set of `kinds`, `None` when the option was not given.
fn kind_set(kinds: &[KindArg]) -> Option<KindSet> {
    let kinds: Vec<ImportKind> = kinds.iter().map(|&k| k.into()).collect();
    (!kinds.is_empty()).then(|| KindSet::of(&kinds))
}
