//! The command-line edge: argument parsing, running a command, exit codes.
//!
//! Turns arguments into options once, runs the analysis, calls one query and
//! one renderer. Errors become one-line messages on stderr; exit codes are
//! 0 (success), 1 (a negative answer, such as no path) and 2 (bad usage or
//! unknown target). A closed stdout pipe is not an error.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::{Analysis, CacheUse, RunOptions, Total};
use crate::config::Config;
use crate::discover::DiscoverOptions;
use crate::extract::{BindingKind, Detail, ImportKind};
use crate::graph::KindSet;
use crate::migrate::{self, MigrateOptions};
use crate::output::impact as impact_out;
use crate::output::report;
use crate::output::style::{self, ColorChoice};
use crate::output::symbols as symbols_out;
use crate::output::{self as out_mod, dot, mermaid};
use crate::output::{
    cycles as cycles_out, graph as graph_out, path as path_out, reach as reach_out,
    timings as timings_out,
};
use crate::queries::cycles::find_cycles;
use crate::queries::impact::{Critical, impact};
use crate::queries::path::shortest_path;
use crate::queries::reach::ReachTarget;
use crate::queries::reach::{Walk, reach, search};
use crate::queries::subgraph::{Focus, Selection, select};
use crate::queries::target::find_module;
use crate::symbols::duplicates::{DuplicateOptions, find_duplicates};
use crate::symbols::index::SymbolIndex;
use crate::symbols::{Origins, find_symbol};
use crate::targets::{Targets, changed_since};

/// Blast radius of Python modules: who imports what, transitively, and why.
///
/// blastradius parses every Python file under the root (no code is run),
/// builds the first-party import graph and answers questions over it.
/// Import kinds: `module` (runs at import time), `lazy` (inside a function),
/// `type-checking` (under `if TYPE_CHECKING:`), `dynamic`
/// (`importlib.import_module("literal")`).
#[derive(Debug, Parser)]
#[command(name = "blastradius", version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct GlobalArgs {
    /// Directory to analyse.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Extra source root, relative to --root (repeatable). The root and
    /// `src/` (when present) are always source roots.
    #[arg(long = "src", global = true, value_name = "DIR")]
    src: Vec<PathBuf>,
    /// Skip paths matching this glob, relative to the root or by name
    /// (repeatable; adds to the defaults such as .venv, node_modules, __pycache__).
    #[arg(long, global = true, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Follow symbolic links while walking, as long as they lead to
    /// somewhere inside the root (links out of it are reported, not followed).
    #[arg(long, global = true)]
    follow_links: bool,
    /// Leave Jupyter notebooks out. By default `.ipynb` files are analysed
    /// as importers (their code cells; magics and shell escapes skipped),
    /// reported as `path:cell N:line`. Also `notebooks = false` in the
    /// configuration.
    #[arg(long, global = true)]
    no_notebooks: bool,
    /// Do not read or write the facts cache: parse every file.
    #[arg(long, global = true)]
    no_cache: bool,
    /// Keep the facts cache in DIR instead of <root>/.blastradius_cache.
    /// The cache holds each file's extracted facts, keyed by path, size,
    /// modification time and content hash; it is rebuilt when blastradius
    /// changes and ignored when unreadable.
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "no_cache")]
    cache_dir: Option<PathBuf>,
    /// No progress bar and no warnings about the cache on stderr.
    #[arg(long, short = 'q', global = true)]
    quiet: bool,
    /// Colour human output: auto (when writing to a terminal and NO_COLOR
    /// is unset), always, or never. JSON, DOT, Mermaid and HTML are never
    /// coloured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Print where the time went (walk, read, parse, extract, cache,
    /// resolve, graph, query, rendering, JSON output) and what the cache
    /// did, on stderr.
    #[arg(long, global = true)]
    timings: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The import graph: a summary, every module and edge as JSON, or a
    /// Graphviz or Mermaid drawing of all or part of it.
    ///
    /// --focus (with --depth, --direction), --kinds and --collapse select what
    /// is exported. With any of them, JSON is the smaller subgraph document
    /// ({"nodes", "edges"} with depths and counts) instead of the whole
    /// analysis; text is always the summary and takes none of them.
    ///
    /// Example: blastradius graph --format dot --focus app.core.config --depth 2 | dot -Tsvg -o radius.svg
    Graph(GraphArgs),
    /// Everything that depends on TARGET (its blast radius), transitively.
    ///
    /// Example: blastradius dependents app.core.managers.execution_engine_factory --depth 2
    Dependents(ReachArgs),
    /// Everything TARGET depends on, transitively.
    Dependencies(ReachArgs),
    /// The blast radius of one or more targets: affected modules by depth,
    /// production vs tests, critical modules first, affected tests and a
    /// pytest command line.
    ///
    /// Examples:
    ///
    ///   blastradius impact app.core.config --critical '*websocket*'
    ///
    ///   blastradius impact app.core.managers.execution_engine_factory:ExecutionEngineFactory
    ///
    ///   blastradius impact --changed-since origin/main --tests-only | xargs pytest
    Impact(ImpactArgs),
    /// A shortest import chain FROM → TO, each hop with file and line (exit 1 when none).
    Path {
        /// Importing module (dotted name or file path).
        from: String,
        /// Imported module (dotted name or file path).
        to: String,
        #[command(flatten)]
        kinds: KindsArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the HTML impact report: blast-radius pictures, duplicated names,
    /// cycles, broken imports; one self-contained file, no network needed.
    ///
    /// Without --target: the 10 modules with the most importers and every
    /// duplicated name. Prints the report's path.
    ///
    /// Example: blastradius report --root sample_repo --critical '*websocket*'
    Report {
        /// Module, file or symbol (module:Name) to report on (repeatable).
        #[arg(long = "target", value_name = "T")]
        targets: Vec<String>,
        /// Glob over module names marking critical modules (repeatable; adds
        /// to `critical` in the configuration).
        #[arg(long, value_name = "PATTERN")]
        critical: Vec<String>,
        #[command(flatten)]
        kinds: KindsArg,
        /// Where to write the report.
        #[arg(
            short = 'o',
            long = "output",
            value_name = "FILE",
            default_value = "blastradius-report.html"
        )]
        output: PathBuf,
    },
    /// Rewrite the imports of NAME to come straight from its canonical module.
    ///
    /// Every use that reaches the definition in (or re-exported as canonical
    /// by) --to through another module (a shim, alias or re-export) is
    /// rewritten: `from shim import NAME` is retargeted (split when it
    /// imports other names too), `shim_alias.NAME` gets a direct import, and
    /// with --include-strings `mock.patch("shim.NAME")` too. Uses of a
    /// different definition of the same name are listed, never rewritten.
    /// Default: a dry run printing a unified diff (notes go to stderr).
    ///
    /// Example: blastradius migrate ExecutionEngineFactory --to app.agents.supervisor.execution_engine_factory
    Migrate {
        /// The name to migrate.
        name: String,
        /// The canonical module (dotted name or file path).
        #[arg(long, value_name = "MODULE")]
        to: String,
        /// Only rewrite uses that go through this module (repeatable).
        #[arg(long = "from", value_name = "MODULE")]
        from: Vec<String>,
        /// Write the files (atomically), then re-analyse and report what
        /// still goes through the old modules (exit 1 if anything does).
        #[arg(long)]
        apply: bool,
        /// Allow --apply over uncommitted git changes in the files it touches.
        #[arg(long, requires = "apply")]
        allow_dirty: bool,
        /// Also rewrite string references such as mock.patch("shim.NAME").
        #[arg(long)]
        include_strings: bool,
        /// Also list the old modules' remaining importers (never deletes them).
        #[arg(long)]
        remove_shim: bool,
        /// Print the planned edits (and results) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every origin of a name and who uses it: which class a file really gets.
    ///
    /// NAME is `Name` (every module's binding of it), or `module:Name` /
    /// `module.Name` to pin one module's binding. For each origin: its
    /// re-exports and aliases, and every file that uses it (from-import,
    /// attribute on a module alias, or a string such as mock.patch("m.Name")).
    Symbol {
        /// `Name`, `module:Name` or `module.Name`.
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Names defined more than once (distinct classes or functions): SSOT violations.
    ///
    /// Aliases and re-exports of one definition are not duplicates. Each finding
    /// suggests a canonical origin (not a shim, not conditional, most used).
    Duplicates {
        /// Include test modules (test_*.py, *_test.py, tests/, conftest.py).
        #[arg(long)]
        include_tests: bool,
        /// Include private names (leading underscore).
        #[arg(long)]
        include_private: bool,
        /// Report names with at least N distinct origins.
        #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..))]
        min_origins: u32,
        /// Only classes or only functions.
        #[arg(long, value_enum)]
        kind: Option<DefinitionKind>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Imports that would fail: missing first-party modules and names a module
    /// does not have, grouped by file (exit 1 when there are any).
    Broken {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fail when the architecture rules configured in pyproject.toml
    /// ([tool.blastradius]) or blastradius.toml are broken: a CI gate.
    ///
    /// Rules: canonical (a name is defined in one module and imported only
    /// from there), forbidden (import contracts), no-duplicates, no-cycles and
    /// layers; ignore lists allowed exceptions, each with its reason. Exit 0
    /// when clean, 1 on violations, 2 on a configuration or usage error.
    ///
    /// With --baseline FILE only violations not recorded in FILE fail, and
    /// the fixed and remaining recorded ones are counted; --update-baseline
    /// rewrites FILE with today's violations.
    ///
    /// Example: blastradius check --format github --baseline blastradius-baseline.json
    ///
    /// Example: blastradius check --format sarif > blastradius.sarif
    Check(CheckArgs),
    /// Write a starter configuration inferred from the repository.
    ///
    /// Appends a `[tool.blastradius]` section to the root's pyproject.toml
    /// (or writes blastradius.toml when there is no pyproject.toml): source
    /// roots that imports imply, generated directories to exclude, critical
    /// patterns guessed from module names, a canonical module for each
    /// duplicated name, and no-cycles. Every entry is commented for review.
    /// Never overwrites: if settings exist, it stops and says so.
    ///
    /// Example: blastradius init --dry-run
    Init {
        /// Print the configuration instead of writing it.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish.
    ///
    /// Examples:
    ///
    ///   blastradius completions bash > ~/.local/share/bash-completion/completions/blastradius
    ///
    ///   blastradius completions zsh > ~/.zfunc/_blastradius   (with fpath+=~/.zfunc)
    ///
    ///   blastradius completions fish > ~/.config/fish/completions/blastradius.fish
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Import cycles (strongly connected components), largest first.
    Cycles {
        #[command(flatten)]
        kinds: KindsArg,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DefinitionKind {
    /// Classes only.
    Class,
    /// Functions only.
    Function,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// A summary for people (the whole analysis).
    Text,
    /// Every module, edge, external and unresolved import; the subgraph
    /// document with --focus, --collapse or --kinds.
    Json,
    /// A Graphviz digraph: a box per top-level package, fill by depth from
    /// the focus, edge style by kind.
    Dot,
    /// A Mermaid flowchart that GitHub renders in Markdown.
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphDirection {
    /// Modules that import the focus, transitively (its blast radius).
    Dependents,
    /// Modules the focus imports, transitively.
    Dependencies,
}

#[derive(Debug, Args)]
struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    format: GraphFormat,
    /// Export only TARGET (dotted module name or file path), at depth 0, and
    /// its dependents or dependencies, with the imports among them.
    #[arg(long, value_name = "TARGET")]
    focus: Option<String>,
    /// With --focus: stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", requires = "focus", value_parser = clap::value_parser!(u32).range(1..))]
    depth: Option<u32>,
    /// With --focus: walk to the modules that import it, or to those it imports.
    #[arg(long, value_enum, requires = "focus", default_value_t = GraphDirection::Dependents)]
    direction: GraphDirection,
    /// Fold every module into its first N dotted components (with 2,
    /// app.core.managers.x becomes app.core), adding up the imports of merged
    /// edges and dropping the self-loops folding creates. A script folds into
    /// its top directory (scripts/run.py becomes scripts/); one at the root
    /// stays as it is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    collapse: Option<u32>,
    #[command(flatten)]
    kinds: KindsArg,
}

impl GraphArgs {
    /// True when the options select a subgraph rather than the whole analysis.
    fn selects(&self) -> bool {
        self.focus.is_some() || self.collapse.is_some() || !self.kinds.kinds.is_empty()
    }
}

#[derive(Debug, Args)]
struct KindsArg {
    /// Import kinds to follow, comma-separated. Defaults to all four, so an
    /// answer is never silently smaller than the truth.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    kinds: Vec<ImportKind>,
}

impl KindsArg {
    fn set(&self) -> KindSet {
        if self.kinds.is_empty() {
            KindSet::ALL
        } else {
            KindSet::of(&self.kinds)
        }
    }
}

#[derive(Debug, Args)]
struct ImpactArgs {
    /// Modules (pkg.mod), files (pkg/mod.py) or symbols (pkg.mod:Name).
    targets: Vec<String>,
    /// Also take as targets the Python files changed between REF and the
    /// working tree (git diff plus untracked files).
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Glob over module names marking critical modules, reported first
    /// (repeatable; adds to `critical` in the configuration).
    #[arg(long, value_name = "PATTERN")]
    critical: Vec<String>,
    /// Stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    depth: Option<u32>,
    #[command(flatten)]
    kinds: KindsArg,
    /// Print only the affected test files, one per line.
    #[arg(long, conflicts_with = "json")]
    tests_only: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ReachArgs {
    /// Dotted module name (pkg.mod), file path (pkg/mod.py), or for dependents
    /// a symbol (pkg.mod:Name): its users, then everything importing them.
    target: String,
    /// Stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    depth: Option<u32>,
    #[command(flatten)]
    kinds: KindsArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Parses arguments, runs, and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    style::configure(cli.global.color);
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{} {err:#}", style::error());
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Completions { shell } = &cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(*shell, &mut command, "blastradius", &mut io::stdout());
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Graph(args) = &cli.command
        && args.format == GraphFormat::Text
        && args.selects()
    {
        anyhow::bail!(
            "--focus, --collapse and --kinds select what an export shows; \
             use them with --format dot, mermaid or json (text is the summary of the whole graph)"
        );
    }
    let config = if cli.global.root.is_dir() {
        crate::config::load(&cli.global.root)?
    } else {
        Config::default()
    };
    let mut src = config.src.clone();
    src.extend(cli.global.src.iter().cloned());
    let mut exclude = config.exclude.clone();
    exclude.extend(cli.global.exclude.iter().cloned());
    let options = DiscoverOptions {
        root: cli.global.root.clone(),
        src,
        exclude,
        follow_links: cli.global.follow_links,
        skip_notebooks: cli.global.no_notebooks || config.notebooks == Some(false),
    };
    let run_options = RunOptions {
        detail: cli.command.detail(),
        cache_dir: if cli.global.no_cache {
            None
        } else {
            Some(
                cli.global
                    .cache_dir
                    .clone()
                    .unwrap_or_else(|| cli.global.root.join(crate::cache::DIR_NAME)),
            )
        },
        progress: !cli.global.quiet && io::stderr().is_terminal(),
    };
    let started = Instant::now();
    let analysis = Analysis::run(&options, &run_options)?;
    if !cli.global.quiet
        && let Some(CacheUse {
            write_error: Some(err),
            ..
        }) = &analysis.cache
        && let Some(dir) = &run_options.cache_dir
    {
        eprintln!(
            "{} could not write the cache in {}: {err} (use --cache-dir DIR, or --no-cache)",
            style::warning(),
            dir.display()
        );
    }
    let command_started = Instant::now();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut code = ExitCode::SUCCESS;
    let human = match &cli.command {
        // Answered before any analysis, in `run`.
        Command::Completions { .. } => false,
        Command::Init { dry_run } => {
            init_command(&mut out, &analysis, *dry_run)?;
            false
        }
        Command::Graph(args) => {
            graph(&mut out, &analysis, args)?;
            false
        }
        Command::Dependents(args) | Command::Dependencies(args) => {
            let walk = match cli.command {
                Command::Dependents(_) => Walk::Dependents,
                _ => Walk::Dependencies,
            };
            let kinds = args.kinds.set();
            let targets = Targets::new(&analysis);
            let (target, results) = match walk {
                Walk::Dependents => {
                    let target = targets.resolve(&args.target)?;
                    let results = timed(|| {
                        search(
                            &analysis.graph,
                            analysis.modules.len(),
                            &target.seeds,
                            walk,
                            kinds,
                            args.depth,
                        )
                    });
                    let symbol = target.seeds.iter().any(|&(_, d)| d > 0);
                    (
                        ReachTarget {
                            label: target.label,
                            symbol,
                        },
                        results,
                    )
                }
                Walk::Dependencies => {
                    let id = find_module(&analysis.modules, &analysis.root, &args.target)?;
                    (
                        ReachTarget {
                            label: analysis.name(id).to_string(),
                            symbol: false,
                        },
                        timed(|| {
                            reach(
                                &analysis.graph,
                                analysis.modules.len(),
                                &[id],
                                walk,
                                kinds,
                                args.depth,
                            )
                        }),
                    )
                }
            };
            if args.json {
                write_json(
                    &mut out,
                    &reach_out::json(&analysis, &target, kinds, args.depth, &results),
                )?;
            } else {
                reach_out::text(&mut out, &analysis, &target, walk, kinds, &results)?;
            }
            !args.json
        }
        Command::Impact(args) => {
            let targets = Targets::new(&analysis);
            let mut specs = args.targets.clone();
            if let Some(reference) = &args.changed_since {
                let changed = changed_since(&analysis.root, reference)?;
                let mut outside = Vec::new();
                for path in changed {
                    match analysis.modules.by_path(&path) {
                        Some(id) => specs.push(analysis.name(id).to_string()),
                        None => outside.push(path),
                    }
                }
                if !outside.is_empty() {
                    eprintln!(
                        "{} {} changed Python file(s) are not in the graph (deleted, excluded or shadowed): {}",
                        style::note(),
                        outside.len(),
                        outside.join(", ")
                    );
                }
            }
            if specs.is_empty() {
                if args.changed_since.is_some() {
                    eprintln!("no Python file changed: nothing is affected");
                    return Ok(ExitCode::SUCCESS);
                }
                anyhow::bail!(
                    "give at least one TARGET (module, file or module:Name) or --changed-since REF"
                );
            }
            let resolved = specs
                .iter()
                .map(|spec| targets.resolve(spec))
                .collect::<Result<Vec<_>, _>>()?;
            let mut patterns = config.critical.clone();
            patterns.extend(args.critical.iter().cloned());
            let critical = Critical::new(&patterns)?;
            let result = timed(|| {
                impact(
                    &analysis.graph,
                    &analysis.modules,
                    resolved,
                    args.kinds.set(),
                    args.depth,
                    &critical,
                )
            });
            let report = impact_out::impact_json(&analysis, &result, &critical, args.depth);
            if args.tests_only {
                impact_out::tests_only(&mut out, &report)?;
                false
            } else if args.json {
                write_json(&mut out, &report)?;
                false
            } else {
                impact_out::impact_text(&mut out, &report)?;
                true
            }
        }
        Command::Report {
            targets: specs,
            critical,
            kinds,
            output,
        } => {
            let targets = Targets::new(&analysis);
            let resolved = specs
                .iter()
                .map(|spec| targets.resolve(spec))
                .collect::<Result<Vec<_>, _>>()?;
            let mut patterns = config.critical.clone();
            patterns.extend(critical.iter().cloned());
            let critical = Critical::new(&patterns)?;
            let model = crate::report::ReportModel::build(
                &targets,
                crate::report::ReportRequest {
                    targets: resolved,
                    critical: &critical,
                    kinds: kinds.set(),
                    elapsed: started.elapsed(),
                },
            );
            let html = report::render(&model)?;
            report::write_report(output, &html)?;
            writeln!(out, "{}", output.display())?;
            true
        }
        Command::Migrate {
            name,
            to,
            from,
            apply,
            allow_dirty,
            include_strings,
            remove_shim,
            json: as_json,
        } => {
            let request = MigrateRequest {
                name,
                to,
                from,
                apply: *apply,
                allow_dirty: *allow_dirty,
                include_strings: *include_strings,
                remove_shim: *remove_shim,
                json: *as_json,
                run: &run_options,
            };
            code = migrate_command(&mut out, &analysis, &options, &request)?;
            false
        }
        Command::Symbol {
            name,
            json: as_json,
        } => {
            let origins = Origins::new(&analysis);
            let symbol = find_symbol(&origins, name)?;
            let index = SymbolIndex::build(&origins);
            if *as_json {
                write_json(
                    &mut out,
                    &symbols_out::symbol_json(&origins, &index, &symbol),
                )?;
            } else {
                symbols_out::symbol_text(&mut out, &origins, &index, &symbol)?;
            }
            !*as_json
        }
        Command::Duplicates {
            include_tests,
            include_private,
            min_origins,
            kind,
            json: as_json,
        } => {
            let origins = Origins::new(&analysis);
            let index = SymbolIndex::build(&origins);
            let options = DuplicateOptions {
                include_tests: *include_tests,
                include_private: *include_private,
                min_origins: *min_origins as usize,
                kind: kind.map(|k| match k {
                    DefinitionKind::Class => BindingKind::Class,
                    DefinitionKind::Function => BindingKind::Function,
                }),
            };
            let found = find_duplicates(&origins, &index, &options);
            if *as_json {
                write_json(
                    &mut out,
                    &symbols_out::duplicates_json(&origins, &index, &found),
                )?;
            } else {
                symbols_out::duplicates_text(&mut out, &origins, &index, &found)?;
            }
            !*as_json
        }
        Command::Broken { json: as_json } => {
            let origins = Origins::new(&analysis);
            let index = SymbolIndex::build(&origins);
            let report = symbols_out::broken_json(
                &analysis,
                &crate::symbols::broken::broken_imports(&analysis, &index.broken),
            );
            if !report.files.is_empty() {
                code = ExitCode::from(1);
            }
            if *as_json {
                write_json(&mut out, &report)?;
            } else {
                symbols_out::broken_text(&mut out, &report)?;
            }
            !*as_json
        }
        Command::Path {
            from,
            to,
            kinds,
            json: as_json,
        } => {
            let from = find_module(&analysis.modules, &analysis.root, from)?;
            let to = find_module(&analysis.modules, &analysis.root, to)?;
            let hops = timed(|| {
                shortest_path(
                    &analysis.graph,
                    analysis.modules.len(),
                    from,
                    to,
                    kinds.set(),
                )
            });
            if hops.is_none() {
                code = ExitCode::from(1);
            }
            if *as_json {
                write_json(
                    &mut out,
                    &path_out::json(&analysis, from, to, hops.as_deref()),
                )?;
            } else {
                path_out::text(&mut out, &analysis, from, to, hops.as_deref())?;
            }
            !*as_json
        }
        Command::Check(args) => {
            code = check(&mut out, &analysis, &config, &cli.global.root, args)?;
            matches!(args.format, CheckFormat::Text | CheckFormat::Github)
        }
        Command::Cycles {
            kinds,
            json: as_json,
        } => {
            let set = kinds.set();
            let cycles = timed(|| find_cycles(&analysis.graph, analysis.modules.len(), set));
            if *as_json {
                write_json(&mut out, &cycles_out::json(&analysis, set, &cycles))?;
            } else {
                cycles_out::text(&mut out, &analysis, &cycles)?;
            }
            !*as_json
        }
    };
    out.flush()?;
    if human && let Some(note) = out_mod::incomplete_note(&analysis.summary()) {
        eprintln!("{}{}", style::note(), note.trim_start_matches("note:"));
    }
    if cli.global.timings {
        let command = command_started.elapsed();
        let query = QUERY_TIME.get();
        let output = SERIALISE_TIME.get();
        eprint!(
            "{}",
            timings_out::timings(
                &analysis,
                &timings_out::CommandTimes {
                    query,
                    render: command.saturating_sub(query).saturating_sub(output),
                    serialise: output,
                    total: started.elapsed(),
                }
            )
        );
    }
    Ok(code)
}

/// Time spent writing JSON documents, for `--timings`.
static SERIALISE_TIME: Total = Total::new();
/// Time spent in graph queries (reach, impact, path, cycles), for `--timings`.
static QUERY_TIME: Total = Total::new();

/// Runs a graph query, adding its time to [`QUERY_TIME`].
fn timed<T>(query: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = query();
    QUERY_TIME.since(started);
    result
}

impl Command {
    /// How much of each file the command needs: the module graph only, or
    /// symbols too.
    fn detail(&self) -> Detail {
        match self {
            Command::Graph(_)
            | Command::Dependencies(_)
            | Command::Path { .. }
            | Command::Cycles { .. } => Detail::Imports,
            // Targets may be symbols (`pkg.mod:Name`, or a name that is no module).
            Command::Dependents(_)
            | Command::Impact(_)
            | Command::Report { .. }
            | Command::Migrate { .. }
            | Command::Symbol { .. }
            | Command::Duplicates { .. }
            | Command::Broken { .. }
            | Command::Check(_) => Detail::Symbols,
            Command::Completions { .. } => Detail::Imports,
            Command::Init { .. } => Detail::Symbols,
        }
    }
}

/// `init`: prints the starter configuration, or adds it where none exists.
fn init_command(out: &mut dyn Write, analysis: &Analysis, dry_run: bool) -> anyhow::Result<()> {
    let origins = Origins::new(analysis);
    let index = SymbolIndex::build(&origins);
    let duplicates = find_duplicates(&origins, &index, &DuplicateOptions::default());
    let pyproject = analysis.root.join("pyproject.toml");
    let dedicated = analysis.root.join("blastradius.toml");
    let target = if pyproject.is_file() {
        crate::init::Target::PyProject
    } else {
        crate::init::Target::Dedicated
    };
    let text = crate::init::starter_config(analysis, &duplicates, target);
    if dry_run {
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    let refuse = |file: &std::path::Path, what: &str| {
        anyhow::anyhow!(
            "{} already {what}; init never overwrites settings: `blastradius init --dry-run` prints its suggestion to merge by hand",
            file.display()
        )
    };
    if dedicated.is_file() {
        return Err(refuse(&dedicated, "exists"));
    }
    let (file, original) = match target {
        crate::init::Target::PyProject => {
            let original = std::fs::read_to_string(&pyproject)
                .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", pyproject.display()))?;
            let parsed: toml::Table = toml::from_str(&original).map_err(|err| {
                anyhow::anyhow!(
                    "{} is not valid TOML: {}",
                    pyproject.display(),
                    err.message()
                )
            })?;
            if parsed
                .get("tool")
                .and_then(|t| t.get("blastradius"))
                .is_some()
            {
                return Err(refuse(&pyproject, "has a [tool.blastradius] section"));
            }
            (pyproject, Some(original))
        }
        crate::init::Target::Dedicated => (dedicated, None),
    };
    // Write through a symbolic link, not over it.
    let file = std::fs::canonicalize(&file).unwrap_or(file);
    let mut new = original.clone().unwrap_or_default();
    if !new.is_empty() {
        if !new.ends_with('\n') {
            new.push('\n');
        }
        new.push('\n');
    }
    new.push_str(&text);
    crate::atomic::write_atomically(&file, new.as_bytes())
        .map_err(|err| anyhow::anyhow!("cannot write {}: {err}", file.display()))?;
    // What was written must load; if not, put the file back as it was.
    if let Err(err) = crate::config::load(&analysis.root) {
        match &original {
            Some(bytes) => crate::atomic::write_atomically(&file, bytes.as_bytes())?,
            None => std::fs::remove_file(&file)?,
        }
        anyhow::bail!("the generated configuration did not load ({err}); nothing was written");
    }
    eprintln!(
        "wrote a starter configuration to {}; review it, then run `blastradius check`",
        file.display()
    );
    Ok(())
}

/// `graph`: the summary, the whole JSON document, or an export of the
/// selected subgraph.
fn graph(out: &mut dyn Write, analysis: &Analysis, args: &GraphArgs) -> anyhow::Result<()> {
    let subgraph = |selection: &Selection| select(&analysis.graph, &analysis.modules, selection);
    match args.format {
        GraphFormat::Text => graph_out::text(out, analysis)?,
        GraphFormat::Json if !args.selects() => write_json(out, &graph_out::json(analysis))?,
        GraphFormat::Json => {
            let selection = selection(analysis, args)?;
            let sub = subgraph(&selection);
            write_json(out, &graph_out::subgraph_json(analysis, &selection, &sub))?;
        }
        GraphFormat::Dot => dot::write(out, &subgraph(&selection(analysis, args)?))?,
        GraphFormat::Mermaid => mermaid::write(out, &subgraph(&selection(analysis, args)?))?,
    }
    Ok(())
}

/// The subgraph selection of `graph`'s options; an unknown --focus is an error.
fn selection(analysis: &Analysis, args: &GraphArgs) -> anyhow::Result<Selection> {
    let focus = match &args.focus {
        Some(target) => Some(Focus {
            module: find_module(&analysis.modules, &analysis.root, target)?,
            walk: match args.direction {
                GraphDirection::Dependents => Walk::Dependents,
                GraphDirection::Dependencies => Walk::Dependencies,
            },
            depth: args.depth,
        }),
        None => None,
    };
    Ok(Selection {
        focus,
        collapse: args.collapse,
        kinds: args.kinds.set(),
    })
}

fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let started = Instant::now();
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    SERIALISE_TIME.since(started);
    Ok(())
}

/// The options of `migrate`, borrowed from the parsed command line.
struct MigrateRequest<'a> {
    name: &'a str,
    to: &'a str,
    from: &'a [String],
    apply: bool,
    allow_dirty: bool,
    include_strings: bool,
    remove_shim: bool,
    json: bool,
    /// How to re-run the analysis after --apply.
    run: &'a RunOptions,
}

/// Plans (and with --apply performs and verifies) a migration.
fn migrate_command(
    out: &mut dyn Write,
    analysis: &Analysis,
    options: &DiscoverOptions,
    request: &MigrateRequest<'_>,
) -> anyhow::Result<ExitCode> {
    let table = &analysis.modules;
    let to = find_module(table, &analysis.root, request.to)?;
    let from = request
        .from
        .iter()
        .map(|m| find_module(table, &analysis.root, m))
        .collect::<Result<Vec<_>, _>>()?;
    let origins = Origins::new(analysis);
    let index = SymbolIndex::build(&origins);
    let plan = migrate::plan(
        analysis,
        &origins,
        &index,
        &MigrateOptions {
            name: request.name.to_string(),
            to,
            from,
            include_strings: request.include_strings,
        },
    )?;
    let old_names: Vec<String> = plan
        .old_modules
        .iter()
        .map(|&m| analysis.name(m).to_string())
        .collect();
    let mut outcome = MigrateOutcome::default();
    if request.apply {
        migrate::apply(&analysis.root, &plan, request.allow_dirty)?;
        outcome = verify_migration(analysis, options, request, &old_names, &index)?;
    } else if request.remove_shim {
        outcome.shim_dependents = shim_dependents(analysis, &old_names);
    }
    if request.json {
        let edits: Vec<serde_json::Value> = plan
            .files
            .iter()
            .flat_map(|f| {
                f.regions.iter().map(move |r| {
                    serde_json::json!({
                        "file": f.path, "start_line": r.start_line, "end_line": r.end_line,
                        "before": r.before, "after": r.after,
                    })
                })
            })
            .collect();
        write_json(
            out,
            &serde_json::json!({
                "version": out_mod::SCHEMA_VERSION,
                "name": plan.name,
                "to": analysis.name(plan.to),
                "old_modules": old_names,
                "files": plan.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
                "edits": edits,
                "strings": plan.strings,
                "decisions": plan.decisions,
                "skipped": plan.skipped,
                "applied": request.apply,
                "remaining": outcome.remaining,
                "broken": outcome.broken,
                "shim_dependents": outcome.shim_dependents,
                "incomplete": analysis.incomplete(),
            }),
        )?;
    } else {
        if !request.apply {
            for file in &plan.files {
                write!(out, "{}", migrate::unified_diff(file))?;
            }
        }
        out.flush()?;
        let mut notes = Vec::new();
        let verb = if request.apply {
            "rewrote"
        } else {
            "would rewrite"
        };
        notes.push(format!(
            "{verb} {} file(s) to import {} from {} (was through: {})",
            plan.files.len(),
            plan.name,
            analysis.name(plan.to),
            if old_names.is_empty() {
                "nothing".to_string()
            } else {
                old_names.join(", ")
            }
        ));
        for (title, findings) in [
            (
                "string references to review (not rewritten without --include-strings)",
                &plan.strings,
            ),
            (
                "uses of a different definition (never rewritten; decide by hand)",
                &plan.decisions,
            ),
            ("not rewritten", &plan.skipped),
        ] {
            if !findings.is_empty() {
                notes.push(format!("{title}:"));
                notes.extend(
                    findings
                        .iter()
                        .map(|f| format!("  {}: {}", f.place(), f.message)),
                );
            }
        }
        if request.apply {
            notes.push(format!(
                "after applying: {} import(s) still reach {} through the old modules, {} new broken import(s)",
                outcome.remaining.len(),
                plan.name,
                outcome.broken.len()
            ));
            notes.extend(
                outcome
                    .remaining
                    .iter()
                    .map(|f| format!("  {}: {}", f.place(), f.message)),
            );
            notes.extend(
                outcome
                    .broken
                    .iter()
                    .map(|f| format!("  {}: {}", f.place(), f.message)),
            );
        }
        if request.remove_shim {
            notes.push(
                "remaining importers of the old modules (delete a module only when it has none):"
                    .to_string(),
            );
            notes.extend(
                outcome
                    .shim_dependents
                    .iter()
                    .map(|f| format!("  {}: {}", f.place(), f.message)),
            );
            if outcome.shim_dependents.is_empty() {
                notes.push("  none: the old modules can be deleted".to_string());
            }
        }
        for note in notes {
            eprintln!("{note}");
        }
    }
    let failed = request.apply && (!outcome.remaining.is_empty() || !outcome.broken.is_empty());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What a re-analysis after `migrate --apply` found.
#[derive(Default)]
struct MigrateOutcome {
    remaining: Vec<migrate::Finding>,
    broken: Vec<migrate::Finding>,
    shim_dependents: Vec<migrate::Finding>,
}

/// Re-analyses the tree after a migration: uses that still go through the
/// old modules (imports; strings only with --include-strings) and broken
/// imports that did not exist before.
fn verify_migration(
    before: &Analysis,
    options: &DiscoverOptions,
    request: &MigrateRequest<'_>,
    old_names: &[String],
    index_before: &SymbolIndex,
) -> anyhow::Result<MigrateOutcome> {
    let after = Analysis::run(options, request.run)?;
    let origins = Origins::new(&after);
    let index = SymbolIndex::build(&origins);
    let to = find_module(&after.modules, &after.root, request.to)?;
    let mut outcome = MigrateOutcome::default();
    for origin in origins.of(to, request.name) {
        if !matches!(origin, crate::symbols::Origin::Defined { .. }) {
            continue;
        }
        for u in index.uses_of(&origin) {
            let through = after.name(u.through);
            let counted = u.how != crate::symbols::index::UseHow::String || request.include_strings;
            if counted && old_names.iter().any(|o| o == through) {
                outcome.remaining.push(migrate::Finding::at(
                    &after,
                    u.user,
                    u.offset,
                    format!("still imports {} through {through}", request.name),
                ));
            }
        }
    }
    let key = |a: &Analysis, b: &crate::symbols::index::BrokenImport| {
        (
            a.name(b.user).to_string(),
            a.name(b.module).to_string(),
            b.name.clone(),
        )
    };
    let existed: Vec<_> = index_before.broken.iter().map(|b| key(before, b)).collect();
    for b in &index.broken {
        if !existed.contains(&key(&after, b)) {
            outcome.broken.push(migrate::Finding::at(
                &after,
                b.user,
                b.offset,
                format!(
                    "from {} import {} is now broken",
                    after.name(b.module),
                    b.name
                ),
            ));
        }
    }
    if request.remove_shim {
        outcome.shim_dependents = shim_dependents(&after, old_names);
    }
    Ok(outcome)
}

/// Every import of the old modules, by importer and line.
fn shim_dependents(analysis: &Analysis, old_names: &[String]) -> Vec<migrate::Finding> {
    let mut found = Vec::new();
    for name in old_names {
        let Some(id) = analysis.modules.by_name(name) else {
            continue;
        };
        for (importer, occurrences) in
            analysis
                .graph
                .neighbours(id, petgraph::Direction::Incoming, KindSet::ALL)
        {
            for occ in occurrences {
                found.push(migrate::Finding::at(
                    analysis,
                    importer,
                    occ.offset,
                    format!("imports {name} ({})", occ.kind.as_str()),
                ));
            }
        }
    }
    found.sort();
    found
}

/// How `check` prints violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// `path:line:col: RULE message`, one line per violation.
    Text,
    /// GitHub Actions annotations (`::error file=...,line=...::message`).
    Github,
    /// A versioned JSON document with stable keys and the baseline counts.
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Recorded violations (JSON): only violations not in FILE fail.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Rewrite the --baseline FILE with today's violations (dropping fixed
    /// ones) and pass.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    /// Import kinds the graph rules (forbidden, layers, no-cycles) follow,
    /// comma-separated; replaces `kinds` in the configuration (all four when
    /// neither says). A rule's own `kinds` still wins.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    kinds: Vec<ImportKind>,
}

/// `check`: runs the rules, applies the baseline, prints, and returns the
/// exit code (1 when a violation fails the check).
fn check(
    out: &mut dyn Write,
    analysis: &Analysis,
    config: &Config,
    root: &std::path::Path,
    args: &CheckArgs,
) -> anyhow::Result<ExitCode> {
    use crate::check::Check;
    use crate::check::baseline::{Baseline, Comparison};
    use crate::output::check as check_out;

    let kinds = (!args.kinds.is_empty()).then(|| KindSet::of(&args.kinds));
    let result = Check::new(analysis, config, kinds)?.run()?;
    for &i in &result.unused_ignores {
        if let Some(entry) = config.ignore.get(i) {
            eprintln!(
                "{} {}ignore[{i}] (rule {}) allowed no violation; remove it if the exception is gone",
                style::note(),
                config.key_prefix,
                entry.rule
            );
        }
    }
    let total = result.violations.len();
    let (failing, baseline) = match &args.baseline {
        None => (result.violations, None),
        Some(file) if args.update_baseline => {
            let old = if file.exists() {
                Baseline::read(file)?
            } else {
                Baseline::default()
            };
            let fixed = old.compare(result.violations.clone()).fixed;
            Baseline::of(&result.violations).write(file)?;
            let comparison = Comparison {
                new: Vec::new(),
                remaining: total,
                fixed,
            };
            eprintln!(
                "baseline {}: recorded {total} violation(s); {} fixed one(s) dropped",
                file.display(),
                comparison.fixed_count()
            );
            (
                Vec::new(),
                Some(check_out::BaselineJson::new(file, true, &comparison)),
            )
        }
        Some(file) => {
            let comparison = Baseline::read(file)?.compare(result.violations);
            eprintln!(
                "baseline {}: {} fixed, {} remaining, {} new",
                file.display(),
                comparison.fixed_count(),
                comparison.remaining,
                comparison.new.len()
            );
            if comparison.fixed_count() > 0 {
                eprintln!(
                    "{} run with --update-baseline to drop the fixed entries",
                    style::note()
                );
            }
            let json = check_out::BaselineJson::new(file, false, &comparison);
            (comparison.new, Some(json))
        }
    };
    match args.format {
        CheckFormat::Text => check_out::text(out, root, &failing)?,
        CheckFormat::Github => check_out::github(out, root, &failing)?,
        CheckFormat::Json => write_json(
            out,
            &check_out::json(
                root,
                &failing,
                result.ignored,
                baseline,
                analysis.incomplete(),
            ),
        )?,
        CheckFormat::Sarif => write_json(out, &check_out::sarif(root, &failing))?,
    }
    let ignored = match result.ignored {
        0 => String::new(),
        n => format!(" ({n} allowed by ignore entries)"),
    };
    let new = if args.baseline.is_some() { " new" } else { "" };
    if failing.is_empty() {
        eprintln!("check: no{new} violations{ignored}");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("check: {}{new} violation(s){ignored}", failing.len());
        Ok(ExitCode::from(1))
    }
}
