//! The command line as clap sees it: the argument types and their help text.
//!
//! Only declarations live here. Nothing is validated or merged with the
//! configuration (that is [`super::settings`]), and no command runs from here
//! (that is [`crate::commands`]). The import kinds that `--kinds` accepts are
//! mapped to [`ImportKind`] here, so the facts types carry no CLI concern.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::extract::ImportKind;
use crate::output::style::ColorChoice;

/// Examples printed at the end of the top-level `--help`.
const EXAMPLES: &str = "\
Examples:
  # The HTML impact report: duplicated names, blast radii, cycles, broken imports
  blastradius report --root sample_repo
  # Who is affected if this module changes, with the tests to run
  blastradius impact app.core.config --critical '*websocket*'
  # Every definition of a name, and which one each file really gets
  blastradius symbol ExecutionEngineFactory
  # The CI gate over the rules in [tool.blastradius]
  blastradius check --format github";

/// Blast radius of Python modules: who imports what, transitively, and why.
///
/// blastradius parses every Python file under the root (no code is run),
/// builds the first-party import graph and answers questions over it.
/// Import kinds: `module` (runs at import time), `lazy` (inside a function),
/// `type-checking` (under `if TYPE_CHECKING:`), `dynamic`
/// (`importlib.import_module("literal")`).
#[derive(Debug, Parser)]
#[command(name = "blastradius", version, about, long_about, after_help = EXAMPLES)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command name.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Directory to analyse.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Extra source root, relative to --root (repeatable). The root and
    /// `src/` (when present) are always source roots.
    #[arg(long = "src", global = true, value_name = "DIR")]
    pub src: Vec<PathBuf>,
    /// Skip paths matching this glob, relative to the root or by name
    /// (repeatable; adds to the defaults such as .venv, node_modules, __pycache__).
    #[arg(long, global = true, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Follow symbolic links while walking, as long as they lead to
    /// somewhere inside the root (links out of it are reported, not followed).
    #[arg(long, global = true)]
    pub follow_links: bool,
    /// The project's Python interpreter (e.g. .venv/bin/python; it is not
    /// run): the distributions installed in its environment are
    /// third-party, so a top-level directory without __init__.py named like
    /// one (alembic/) does not capture its imports. $VIRTUAL_ENV, .venv/
    /// and venv/ are read without it.
    #[arg(long, global = true, value_name = "PATH")]
    pub python: Option<PathBuf>,
    /// Leave Jupyter notebooks out. By default `.ipynb` files are analysed
    /// as importers (their code cells; magics and shell escapes skipped),
    /// reported as `path:cell N:line`. Also `notebooks = false` in the
    /// configuration.
    #[arg(long, global = true)]
    pub no_notebooks: bool,
    /// Do not read or write the facts cache: parse every file.
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Keep the facts cache in DIR instead of <root>/.blastradius_cache.
    /// The cache holds each file's extracted facts, keyed by path, size,
    /// modification time and content hash; it is rebuilt when blastradius
    /// changes and ignored when unreadable.
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
    /// No progress bar and no warnings about the cache on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Colour human output: auto (when writing to a terminal and NO_COLOR
    /// is unset), always, or never. JSON, DOT, Mermaid and HTML are never
    /// coloured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print where the time went (walk, read, parse, extract, cache,
    /// resolve, graph, query, rendering, JSON output) and what the cache
    /// did, on stderr.
    #[arg(long, global = true)]
    pub timings: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
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
    Path(PathArgs),
    /// Write the HTML impact report: blast-radius pictures, duplicated names,
    /// cycles, broken imports; one self-contained file, no network needed.
    ///
    /// Without --target: the 10 modules with the most importers and every
    /// duplicated name. Prints the report's path.
    ///
    /// Example: blastradius report --root sample_repo --critical '*websocket*'
    Report(ReportArgs),
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
    Migrate(MigrateArgs),
    /// Every origin of a name and who uses it: which class a file really gets.
    ///
    /// NAME is `Name` (every module's binding of it), or `module:Name` /
    /// `module.Name` to pin one module's binding. For each origin: its
    /// re-exports and aliases, and every file that uses it (from-import,
    /// attribute on a module alias, or a string such as mock.patch("m.Name")).
    Symbol(SymbolArgs),
    /// Names defined more than once (distinct classes or functions): SSOT violations.
    ///
    /// Aliases and re-exports of one definition are not duplicates; an alias of
    /// a different definition (`Name = Other`) is an origin, marked "alias of".
    /// @overload signatures, `if TYPE_CHECKING:` definitions and .pyi stubs are
    /// not origins. Each finding suggests a canonical origin (not an alias, not
    /// a shim, not conditional, most used) and compares every other origin's
    /// body with it over normalised tokens (similarity 0-1): a group is
    /// `fallback` (a stand-in in `except ImportError` or a shim), `copy`
    /// (similarity >= 0.8) or `homonym` (different code). Copies and fallbacks
    /// come first, in full; homonyms one line each (--all: in full).
    Duplicates(DuplicatesArgs),
    /// Imports that would fail: missing first-party modules and names a module
    /// does not have, grouped by file (exit 1 when there are any).
    ///
    /// Imports the code expects may fail are "handled" and listed apart
    /// (only with --include-handled; they never make the exit code 1): in
    /// the body of a `try` catching ImportError, ModuleNotFoundError,
    /// Exception or BaseException (or a bare `except`), in `with
    /// pytest.raises(ImportError)`, `pytest.importorskip("...")`, and under
    /// `if TYPE_CHECKING:`. Never broken: submodules a package creates at
    /// run time (six.moves), names a module `__getattr__` may supply, names
    /// computed at run time, and `__import__` fromlist entries that are not
    /// modules. `broken-ignore = [{ import = "app.legacy.*", reason = "..." }]`
    /// in the configuration leaves out known failures (a glob over the
    /// missing module, or module.Name).
    Broken(BrokenArgs),
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
    Init(InitArgs),
    /// Print a shell completion script for bash, zsh, fish, powershell or elvish.
    ///
    /// Examples:
    ///
    ///   blastradius completions bash > ~/.local/share/bash-completion/completions/blastradius
    ///
    ///   blastradius completions zsh > ~/.zfunc/_blastradius   (with fpath+=~/.zfunc)
    ///
    ///   blastradius completions fish > ~/.config/fish/completions/blastradius.fish
    Completions(CompletionsArgs),
    /// Import cycles (strongly connected components), largest first.
    Cycles(CyclesArgs),
}

/// An import kind as `--kinds` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[clap(rename_all = "kebab-case")]
pub enum KindArg {
    /// Runs when the module is imported (top level, class bodies, module-level
    /// `if`/`try`/`with`/`for`).
    Module,
    /// Inside a function or method body: runs when the function is called.
    Lazy,
    /// Under `if TYPE_CHECKING:`: never runs, seen only by type checkers.
    TypeChecking,
    /// `importlib.import_module("literal")`, `__import__`, the other import
    /// helpers and `pytest_plugins`.
    Dynamic,
    /// A module runs its parent package first (implicit, no line).
    Parent,
    /// pytest loads the conftest.py files above a test module first
    /// (implicit, no line).
    Conftest,
}

impl From<KindArg> for ImportKind {
    fn from(kind: KindArg) -> ImportKind {
        match kind {
            KindArg::Module => ImportKind::Module,
            KindArg::Lazy => ImportKind::Lazy,
            KindArg::TypeChecking => ImportKind::TypeChecking,
            KindArg::Dynamic => ImportKind::Dynamic,
            KindArg::Parent => ImportKind::Parent,
            KindArg::Conftest => ImportKind::Conftest,
        }
    }
}

/// `--kinds`, shared by the graph commands.
#[derive(Debug, Args)]
pub struct KindsArg {
    /// Import kinds to follow, comma-separated; replaces `kinds` in the
    /// configuration. Defaults: all six for dependents, dependencies,
    /// impact and report (answers are never silently smaller than the
    /// truth, and come in tiers); the four statement kinds (no parent,
    /// conftest) for cycles and graph exports.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<KindArg>,
}

/// `broken`'s options.
#[derive(Debug, Args)]
pub struct BrokenArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also list the handled imports (try/except ImportError,
    /// pytest.raises, importorskip, TYPE_CHECKING); the exit code still
    /// counts only the unhandled ones.
    #[arg(long)]
    pub include_handled: bool,
}

/// `--json`, for commands whose only option it is.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `graph`'s output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
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

/// Which way `graph --focus` walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphDirection {
    /// Modules that import the focus, transitively (its blast radius).
    Dependents,
    /// Modules the focus imports, transitively.
    Dependencies,
}

/// `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    pub format: GraphFormat,
    /// Export only TARGET (dotted module name or file path), at depth 0, and
    /// its dependents or dependencies, with the imports among them.
    #[arg(long, value_name = "TARGET")]
    pub focus: Option<String>,
    /// With --focus: stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", requires = "focus", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
    /// With --focus: walk to the modules that import it, or to those it imports.
    #[arg(long, value_enum, requires = "focus", default_value_t = GraphDirection::Dependents)]
    pub direction: GraphDirection,
    /// Fold every module into its first N dotted components (with 2,
    /// app.core.managers.x becomes app.core), adding up the imports of merged
    /// edges and dropping the self-loops folding creates. A script folds into
    /// its top directory (scripts/run.py becomes scripts/); one at the root
    /// stays as it is.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub collapse: Option<u32>,
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
}

impl GraphArgs {
    /// True when the options select a subgraph rather than the whole analysis.
    pub fn selects(&self) -> bool {
        self.focus.is_some() || self.collapse.is_some() || !self.kinds.kinds.is_empty()
    }
}

/// `dependents` and `dependencies`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Dotted module name (pkg.mod), file path (pkg/mod.py), or for dependents
    /// a symbol (pkg.mod:Name): its users, then everything importing them.
    pub target: String,
    /// Stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Modules (pkg.mod), files (pkg/mod.py) or symbols (pkg.mod:Name).
    pub targets: Vec<String>,
    /// Also take as targets the Python files changed between REF and the
    /// working tree (git diff plus untracked files).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Glob over module names marking critical modules, reported first
    /// (repeatable; adds to `critical` in the configuration).
    #[arg(long, value_name = "PATTERN")]
    pub critical: Vec<String>,
    /// Stop at this depth (1 = direct only). Unlimited by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub depth: Option<u32>,
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Print only the affected test files, one per line.
    #[arg(long, conflicts_with = "json")]
    pub tests_only: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Importing module (dotted name or file path).
    pub from: String,
    /// Imported module (dotted name or file path).
    pub to: String,
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Module, file or symbol (module:Name) to report on (repeatable).
    #[arg(long = "target", value_name = "T")]
    pub targets: Vec<String>,
    /// Glob over module names marking critical modules (repeatable; adds
    /// to `critical` in the configuration).
    #[arg(long, value_name = "PATTERN")]
    pub critical: Vec<String>,
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Where to write the report.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        default_value = "blastradius-report.html"
    )]
    pub output: PathBuf,
}

/// `migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The name to migrate.
    pub name: String,
    /// The canonical module (dotted name or file path).
    #[arg(long, value_name = "MODULE")]
    pub to: String,
    /// Only rewrite uses that go through this module (repeatable).
    #[arg(long = "from", value_name = "MODULE")]
    pub from: Vec<String>,
    /// Write the files (atomically), then re-analyse and report what
    /// still goes through the old modules (exit 1 if anything does).
    #[arg(long)]
    pub apply: bool,
    /// Allow --apply over uncommitted git changes in the files it touches.
    #[arg(long, requires = "apply")]
    pub allow_dirty: bool,
    /// Also rewrite string references such as mock.patch("shim.NAME").
    #[arg(long)]
    pub include_strings: bool,
    /// Also list the old modules' remaining importers (never deletes them):
    /// every import of them, whatever it takes, importlib literals, and
    /// strings naming them (mock.patch("old.mod.func")). The old modules are
    /// those uses went through, --from, and the modules re-exporting NAME,
    /// so a run after --apply still finds them. "Can be deleted" only when
    /// nothing is listed.
    #[arg(long)]
    pub remove_shim: bool,
    /// Print the planned edits (and results) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `symbol`.
#[derive(Debug, Args)]
pub struct SymbolArgs {
    /// `Name`, `module:Name` or `module.Name`.
    pub name: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `duplicates --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DefinitionKind {
    /// Classes only.
    Class,
    /// Functions only.
    Function,
}

/// `duplicates`.
#[derive(Debug, Args)]
pub struct DuplicatesArgs {
    /// Include test modules (test_*.py, *_test.py, tests/, conftest.py).
    #[arg(long)]
    pub include_tests: bool,
    /// Include private names (leading underscore).
    #[arg(long)]
    pub include_private: bool,
    /// Report names with at least N distinct origins.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..))]
    pub min_origins: u32,
    /// Only classes or only functions.
    #[arg(long, value_enum)]
    pub kind: Option<DefinitionKind>,
    /// Only groups of these classes: copy (identical or >= 0.8 similar to
    /// the suggested canonical), fallback (a stand-in in an `except
    /// ImportError` branch or a shim), homonym (different code, same name).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "CLASS,...")]
    pub class: Vec<GroupClass>,
    /// Show homonym groups in full, not one line each.
    #[arg(long)]
    pub all: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `duplicates --class` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupClass {
    /// Identical or nearly identical bodies.
    Copy,
    /// A conditional stand-in (except ImportError, compatibility shim).
    Fallback,
    /// Different code that shares the name.
    Homonym,
}

/// How `check` prints violations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// `path:line:col: RULE message`, one line per violation.
    Text,
    /// GitHub Actions annotations (`::error file=...,line=...::message`).
    Github,
    /// A versioned JSON document with stable keys and the baseline counts.
    Json,
    /// SARIF 2.1.0, for code-scanning uploads.
    Sarif,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Recorded violations (JSON): only violations not in FILE fail.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Rewrite the baseline (--baseline FILE, else the configuration's
    /// `baseline`) with today's violations (dropping fixed ones) and pass.
    #[arg(long)]
    pub update_baseline: bool,
    /// Import kinds the graph rules (forbidden, layers, no-cycles) follow,
    /// comma-separated; replaces `kinds` in the configuration (the four
    /// statement kinds when neither says). A rule's own `kinds` still wins.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<KindArg>,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Print the configuration instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `cycles`.
#[derive(Debug, Args)]
pub struct CyclesArgs {
    /// Import kinds.
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
