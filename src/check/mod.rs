//! `check`: the configured architecture rules as a CI gate.
//!
//! Reads a finished analysis and the validated configuration, finds the
//! violations of each rule (canonical names, forbidden imports, duplicated
//! definitions, import cycles, layers), drops the ones an `ignore` entry
//! allows and sorts the rest by file, line and column. It never prints and
//! never touches the filesystem: `output::check` renders the result, and
//! [`baseline`] compares it with the violations recorded earlier.

pub mod baseline;
mod rules;

use globset::GlobMatcher;

use crate::analysis::Analysis;
use crate::config::{Config, module_glob, path_glob};
use crate::error::{Error, Result};
use crate::resolve::ModuleId;
use crate::session::Session;

pub use crate::config::Rule;

/// One broken rule at one place.
///
/// Ordered by file, line, column, rule and message, the order reports use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// File path relative to the root.
    pub path: String,
    /// 1-based line (in a notebook, within its cell).
    pub line: u32,
    /// 1-based column in bytes (1 when the rule has no better place).
    pub column: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    pub cell: Option<u32>,
    /// The rule broken.
    pub rule: Rule,
    /// What is wrong, for people.
    pub message: String,
    /// The module (or script) the file is.
    pub module: String,
    /// What the violation is about: the imported module, the qualified name
    /// (`pkg.mod.Name`) or a cycle's members joined by `,`; for a contract
    /// that follows chains, `contract:to`.
    pub subject: String,
    /// For a contract that follows chains: its name, the source module and
    /// the forbidden module reached, and the chain between them.
    pub chain: Option<ChainViolation>,
}

/// What a chain-following contract found from one source module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChainViolation {
    /// The contract's name (`forbidden[0]` unless it has one).
    pub contract: String,
    /// The violating source module.
    pub from: String,
    /// The forbidden module reached.
    pub to: String,
    /// The modules from `from` to `to`, each with its file and the line of
    /// its import of the next one (`None` for the last, or an implicit hop).
    pub chain: Vec<ChainHop>,
}

/// One module of a chain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChainHop {
    /// Module name.
    pub module: String,
    /// Its file under the root (`None` for a namespace package).
    pub path: Option<String>,
    /// The line of its import of the next module in the chain.
    pub line: Option<u32>,
}

impl Violation {
    /// The stable key: rule, file and subject, never a line number, so that
    /// a baseline survives edits that only move code around.
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.rule, self.path, self.subject)
    }

    /// The message, led by the notebook cell when there is one, for formats
    /// that can only point at a file's lines (GitHub, SARIF).
    pub fn message_with_cell(&self) -> String {
        match self.cell {
            Some(cell) => format!("cell {cell}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct CheckResult {
    /// Violations no `ignore` entry allows, sorted.
    pub violations: Vec<Violation>,
    /// How many violations `ignore` entries allowed.
    pub ignored: usize,
    /// Indexes of `ignore` entries that allowed nothing (stale exceptions).
    pub unused_ignores: Vec<usize>,
}

/// The check of one session's analysis against its configuration.
pub struct Check<'a> {
    session: &'a Session,
}

impl<'a> Check<'a> {
    /// A check of the session's analysis against the rules of its
    /// configuration. Graph rules follow the settings' rule kinds
    /// (`--kinds`, else the configuration's `kinds`) unless a rule names its
    /// own. Without any rule this is an error: a gate that checks nothing
    /// must not pass silently.
    pub fn new(session: &'a Session) -> Result<Check<'a>> {
        let config = &session.settings.config;
        if !config.has_check_rules() {
            return Err(Error::NoCheckRules {
                file: config.file.clone(),
            });
        }
        Ok(Check { session })
    }

    /// Runs every configured rule. Fails only on configuration that does not
    /// fit the code: a `canonical` module that does not exist or does not
    /// bind its name.
    pub fn run(self) -> Result<CheckResult> {
        let config = &self.session.settings.config;
        let found = rules::Rules::new(self.session).run()?;
        let ignores = compile_ignores(config)?;
        let mut used = vec![false; ignores.len()];
        let mut result = CheckResult::default();
        for violation in found {
            match ignores.iter().position(|entry| entry.allows(&violation)) {
                Some(i) => {
                    used[i] = true;
                    result.ignored += 1;
                }
                None => result.violations.push(violation),
            }
        }
        result.violations.sort();
        result.violations.dedup();
        result.unused_ignores = used
            .iter()
            .enumerate()
            .filter(|(_, used)| !**used)
            .map(|(i, _)| i)
            .collect();
        Ok(result)
    }
}

/// An `ignore` entry with its globs compiled.
struct Ignore {
    rule: Rule,
    path: Option<GlobMatcher>,
    module: Option<GlobMatcher>,
    target: Option<GlobMatcher>,
}

impl Ignore {
    fn allows(&self, violation: &Violation) -> bool {
        let matches = |glob: &Option<GlobMatcher>, value: &str| {
            glob.as_ref().is_none_or(|g| g.is_match(value))
        };
        self.rule == violation.rule
            && matches(&self.path, &violation.path)
            && matches(&self.module, &violation.module)
            && matches(&self.target, &violation.subject)
    }
}

fn compile_ignores(config: &Config) -> Result<Vec<Ignore>> {
    config
        .ignore
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let compile = |key: &str,
                           pattern: &Option<String>,
                           build: fn(&str) -> std::result::Result<GlobMatcher, globset::Error>|
             -> Result<Option<GlobMatcher>> {
                pattern
                    .as_deref()
                    .map(|p| {
                        build(p).map_err(|err| {
                            config.error(&format!("ignore[{i}].{key}"), err.kind().to_string())
                        })
                    })
                    .transpose()
            };
            Ok(Ignore {
                rule: entry.rule,
                path: compile("path", &entry.path, path_glob)?,
                module: compile("module", &entry.module, module_glob)?,
                target: compile("target", &entry.target, module_glob)?,
            })
        })
        .collect()
}

/// Where an offset of a module's file is: path, line, column and (in a
/// notebook) cell. `None` for a module without a file (a namespace package).
fn locate(
    analysis: &Analysis,
    module: ModuleId,
    offset: u32,
) -> Option<(String, u32, u32, Option<u32>)> {
    let path = analysis.path(module)?.to_string();
    let lines = analysis
        .facts
        .get(module.index())
        .and_then(|f| f.as_ref())
        .map(|f| &f.lines);
    Some(match lines {
        Some(lines) => {
            let (cell, line) = lines.location(offset);
            (path, line, lines.column(offset), cell)
        }
        None => (path, 1, 1, None),
    })
}
