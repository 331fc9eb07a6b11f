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
    /// An output file cannot be written where asked.
    #[error("cannot write {path}: {message}")]
    Output {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
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
    /// A `check` baseline file cannot be read, parsed or written.
    #[error("baseline {path}: {message}")]
    Baseline {
        /// The baseline file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An I/O error on the root itself.
    #[error("cannot read {path}: {source}")]
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
