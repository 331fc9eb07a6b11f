//! What the user asks about: turns target strings (a dotted module, a file
//! path, or a symbol `module:Name`) into impact targets, and lists the
//! Python files changed since a git reference.
//!
//! The glue between queries and symbols at the command-line edge; it builds
//! the symbol index only when a symbol target needs it.

use std::cell::OnceCell;
use std::path::Path;
use std::process::Command;

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::queries::impact::ImpactTarget;
use crate::queries::target::find_module;
use crate::resolve::ModuleId;
use crate::symbols::index::SymbolIndex;
use crate::symbols::{Origin, Origins, SymbolTarget, find_symbol};

/// Resolves target strings, building the symbol index at most once.
pub struct Targets<'a> {
    analysis: &'a Analysis,
    origins: Origins<'a>,
    index: OnceCell<SymbolIndex>,
}

impl<'a> Targets<'a> {
    /// A origins over `analysis`.
    pub fn new(analysis: &'a Analysis) -> Self {
        Targets {
            analysis,
            origins: Origins::new(analysis),
            index: OnceCell::new(),
        }
    }

    /// The analysis targets are resolved in.
    pub fn analysis(&self) -> &'a Analysis {
        self.analysis
    }

    /// The symbol origins.
    pub fn origins(&self) -> &Origins<'a> {
        &self.origins
    }

    /// The symbol index (built on first use).
    pub fn index(&self) -> &SymbolIndex {
        self.index.get_or_init(|| SymbolIndex::build(&self.origins))
    }

    /// Resolves `spec`: a module name or file path, else a symbol (`Name`
    /// for every definition of a name, `module:Name` or `module.Name` for
    /// one module's). `module:Name` is always a symbol; for anything else
    /// that is neither module nor symbol, the module error (with its
    /// suggestions) is returned.
    pub fn resolve(&self, spec: &str) -> Result<ImpactTarget> {
        let module_error = match find_module(&self.analysis.modules, &self.analysis.root, spec) {
            Ok(id) => {
                return Ok(ImpactTarget {
                    label: self.analysis.name(id).to_string(),
                    seeds: vec![(id, 0)],
                });
            }
            Err(err) => err,
        };
        match find_symbol(&self.origins, spec) {
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

    /// The impact target of a resolved symbol: its users at depth 1.
    pub fn symbol_target(&self, symbol: &SymbolTarget) -> ImpactTarget {
        let mut users: Vec<ModuleId> = symbol
            .origins
            .iter()
            .flat_map(|origin| self.index().uses_of(origin).iter().map(|u| u.user))
            .collect();
        users.sort();
        users.dedup();
        ImpactTarget {
            label: symbol.label(self.analysis),
            seeds: users.into_iter().map(|u| (u, 1)).collect(),
        }
    }
}

/// Python files (relative to `root`) changed between `reference` and the
/// working tree, plus untracked ones, sorted.
pub fn changed_since(root: &Path, reference: &str) -> Result<Vec<String>> {
    let git = |args: &[&str]| -> Result<String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|err| Error::Git {
                reference: reference.to_string(),
                message: format!("cannot run git: {err}"),
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(Error::Git {
                reference: reference.to_string(),
                message: stderr.lines().next().unwrap_or("git failed").to_string(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let changed = git(&["diff", "--name-only", "--relative", reference, "--"])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard"])?;
    let mut files: Vec<String> = changed
        .lines()
        .chain(untracked.lines())
        .filter(|p| p.ends_with(".py") || p.ends_with(".pyi"))
        .map(String::from)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}
