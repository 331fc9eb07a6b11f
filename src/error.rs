//! The library's error type.
//!
//! Only problems that stop a whole run live here (a missing root, a bad
//! option, an unknown query target). Per-file problems (unreadable,
//! undecodable, syntax errors) are data: they are recorded in the analysis
//! and reported, never raised.

use std::path::PathBuf;

/// A problem that stops the current command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The root given with `--root` does not exist.
    #[error(
        "root {0} does not exist; pass --root with your repository's directory (default: the current one)"
    )]
    RootMissing(PathBuf),
    /// The root given with `--root` is a file, not a directory.
    #[error(
        "root {0} is a file, not a directory; pass the directory that holds your Python packages"
    )]
    RootNotDirectory(PathBuf),
    /// A `--src` directory does not exist under the root.
    #[error("source root {0} does not exist (--src is relative to --root)")]
    SourceRootMissing(PathBuf),
    /// An `--exclude` pattern is not a valid glob.
    #[error("invalid --exclude pattern {pattern:?}: {message}; globs take *, ** and [abc]")]
    BadGlob {
        /// The pattern as given.
        pattern: String,
        /// What the glob parser said.
        message: String,
    },
    /// A query target names no module, file or symbol of the analysis.
    #[error("unknown target {target:?}{}", did_you_mean(.suggestions))]
    UnknownTarget {
        /// The target as given.
        target: String,
        /// Close matches, best first.
        suggestions: Vec<String>,
    },
    /// A symbol target names a module that has no such name.
    #[error("{module} has no name {name:?}{}", did_you_mean_names(.suggestions))]
    UnknownSymbol {
        /// The module looked in (or `*` for every module).
        module: String,
        /// The name looked for.
        name: String,
        /// Close matches, best first.
        suggestions: Vec<String>,
    },
    /// A configuration file is invalid.
    #[error("invalid configuration in {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A `--critical` pattern is not a valid glob.
    #[error(
        "invalid --critical pattern {pattern:?}: {message}; patterns are globs over module names such as '*websocket*'"
    )]
    BadCritical {
        /// The pattern as given.
        pattern: String,
        /// What the glob parser said.
        message: String,
    },
    /// `git` failed while listing changed files.
    #[error(
        "--changed-since {reference}: {message}; it needs a git work tree and a reference git knows (git fetch it first)"
    )]
    Git {
        /// The git reference given.
        reference: String,
        /// What git said.
        message: String,
    },
    /// `git` could not be started at all.
    #[error("--changed-since {reference}: cannot run git")]
    GitUnavailable {
        /// The git reference given.
        reference: String,
        /// Why it could not start.
        #[source]
        source: std::io::Error,
    },
    /// An output file is refused where asked (a Python source, not a file).
    #[error("cannot write {path}: {message}")]
    Output {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// An output file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The report template failed to render.
    #[error("cannot render the report")]
    Render {
        /// What askama said.
        #[source]
        source: askama::Error,
    },
    /// A migration cannot be planned or applied.
    #[error("migrate: {0}")]
    Migrate(String),
    /// `check` found no rule to check in the configuration.
    #[error(
        "no check rules configured{}: add canonical, forbidden, no-duplicates, no-cycles or layers \
         to [tool.blastradius] in pyproject.toml or to blastradius.toml",
        .file.as_ref().map(|f| format!(" in {}", f.display())).unwrap_or_default()
    )]
    NoCheckRules {
        /// The configuration file, when there is one.
        file: Option<PathBuf>,
    },
    /// A `check` baseline file is missing, of another version, or not a path.
    #[error("baseline {path}: {message}")]
    Baseline {
        /// The baseline file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A `check` baseline file cannot be read.
    #[error("baseline {path}")]
    BaselineRead {
        /// The baseline file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A `check` baseline file is not a baseline.
    #[error("baseline {path}: not a baseline file ({{\"version\": 1, \"violations\": [...]}})")]
    BaselineFormat {
        /// The baseline file.
        path: PathBuf,
        /// What the JSON reader said.
        #[source]
        source: serde_json::Error,
    },
    /// A `check` baseline file cannot be written.
    #[error("baseline {path}: cannot write")]
    BaselineWrite {
        /// The baseline file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// `init` found settings it must not overwrite.
    #[error(
        "{file} already {what}; init never overwrites settings: `blastradius init --dry-run` prints its suggestion to merge by hand"
    )]
    InitRefused {
        /// The file holding settings.
        file: PathBuf,
        /// What it has (`exists`, `has a [tool.blastradius] section`).
        what: &'static str,
    },
    /// The configuration `init` wrote did not load; the file was restored.
    #[error("the generated configuration did not load, so nothing was written")]
    InitRejected {
        /// Why it did not load.
        #[source]
        source: Box<Error>,
    },
    /// An I/O error on the root itself or on a file a command must read.
    #[error("cannot read {path}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; give a dotted module name (pkg.mod) or a file path under the root".to_string()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

fn did_you_mean_names(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; `blastradius symbol NAME` lists where a name is bound".to_string()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// Result alias for the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
