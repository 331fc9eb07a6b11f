//! `init`: a starter configuration inferred from the analysis.
//!
//! Builds the text of a `[tool.blastradius]` section (or a
//! `blastradius.toml`) from what the analysis found: extra source roots
//! that imports imply, generated or vendored directories to exclude, the
//! test directories, `critical` patterns guessed from module names, a
//! `canonical` entry per duplicated name with the suggested origin, and the
//! runtime cycles. Every entry carries a comment saying why, for a person
//! to review. [`write`] puts it beside the code: appended to
//! `pyproject.toml` or as a `blastradius.toml`, never over settings that
//! exist, and taken back when what it wrote does not load.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::discover::is_test_path;
use crate::error::{Error, Result};
use crate::graph::KindSet;
use crate::queries::cycles::find_cycles;
use crate::resolve::ModuleKind;
use crate::symbols::duplicates::Duplicate;

/// Where the configuration will live, which decides how tables are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A `[tool.blastradius]` section appended to `pyproject.toml`.
    PyProject,
    /// A `blastradius.toml` of its own (keys at the top level).
    Dedicated,
}

impl Target {
    /// Where the configuration goes under `root`: into the `pyproject.toml`
    /// when there is one (creating one could change how pip builds a
    /// setup.py project), else a `blastradius.toml`.
    pub fn for_root(root: &Path) -> Target {
        if root.join("pyproject.toml").is_file() {
            Target::PyProject
        } else {
            Target::Dedicated
        }
    }
}

/// Writes `text` (from [`starter_config`] for `target`) under `root` and
/// returns the file written. Refuses when settings exist; writes through a
/// symbolic link; restores the file when the result does not load.
pub fn write(root: &Path, text: &str, target: Target) -> Result<PathBuf> {
    let pyproject = root.join("pyproject.toml");
    let dedicated = root.join("blastradius.toml");
    if dedicated.is_file() {
        return Err(Error::InitRefused {
            file: dedicated,
            what: "exists",
        });
    }
    let (file, original) = match target {
        Target::PyProject => {
            let original = std::fs::read_to_string(&pyproject).map_err(|source| Error::Io {
                path: pyproject.clone(),
                source,
            })?;
            let parsed: toml::Table = toml::from_str(&original).map_err(|err| Error::Config {
                path: pyproject.clone(),
                message: format!("not valid TOML: {}", err.message()),
            })?;
            if parsed
                .get("tool")
                .and_then(|t| t.get("blastradius"))
                .is_some()
            {
                return Err(Error::InitRefused {
                    file: pyproject,
                    what: "has a [tool.blastradius] section",
                });
            }
            (pyproject, Some(original))
        }
        Target::Dedicated => (dedicated, None),
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
    new.push_str(text);
    let written = |path: &Path, result: std::io::Result<()>| {
        result.map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })
    };
    written(
        &file,
        crate::atomic::write_atomically(&file, new.as_bytes()),
    )?;
    // What was written must load; if not, put the file back as it was.
    if let Err(err) = crate::config::load(root) {
        match &original {
            Some(bytes) => written(
                &file,
                crate::atomic::write_atomically(&file, bytes.as_bytes()),
            )?,
            None => written(&file, std::fs::remove_file(&file))?,
        }
        return Err(Error::InitRejected {
            source: Box::new(err),
        });
    }
    Ok(file)
}

/// Substrings of module names that usually mark code whose breakage hurts
/// most; each one found becomes a `critical` pattern.
const CRITICAL_WORDS: &[&str] = &[
    "auth",
    "billing",
    "crypto",
    "execution",
    "payment",
    "permission",
    "security",
    "session",
    "token",
    "websocket",
];

/// Directory names that usually hold generated or vendored code.
const GENERATED_DIRS: &[&str] = &["build", "generated", "third_party", "vendor", "vendored"];

/// The starter configuration for `analysis`, with `duplicates` (suggested
/// canonical first, as `duplicates` reports them).
pub fn starter_config(analysis: &Analysis, duplicates: &[Duplicate], target: Target) -> String {
    let (header, table) = match target {
        Target::PyProject => ("[tool.blastradius]\n", "tool.blastradius."),
        Target::Dedicated => ("", ""),
    };
    let mut out = String::new();
    out.push_str(
        "# Written by `blastradius init` from what it found in this repository.\n\
         # Review every entry: each says why it is here. `blastradius check` enforces\n\
         # the rules; see the README's Configuration section for every key.\n",
    );
    out.push_str(header);

    let roots = implied_source_roots(analysis);
    if roots.is_empty() {
        out.push_str("# Source roots: the root");
        if analysis.source_roots.iter().any(|r| r == "src") {
            out.push_str(" and src/ (found, used automatically)");
        }
        out.push_str("; no import suggests another.\n");
    } else {
        out.push_str(
            "# Imports name these packages as top-level, so their parents are source roots.\n",
        );
        let _ = writeln!(out, "src = {}", toml_list(&roots));
    }

    let generated = generated_dirs(analysis);
    if generated.is_empty() {
        out.push_str(
            "# Excludes: the defaults (.venv, build artefacts, caches...) cover this tree.\n",
        );
    } else {
        out.push_str("# Directories that usually hold generated or vendored code.\n");
        let _ = writeln!(out, "exclude = {}", toml_list(&generated));
    }

    let tests = test_dirs(analysis);
    if !tests.is_empty() {
        let _ = writeln!(
            out,
            "# Test files are recognised by path (tests/, test_*.py, *_test.py, conftest.py);\n\
             # found: {}.",
            tests.join(", ")
        );
    }

    let critical = critical_patterns(analysis);
    if critical.is_empty() {
        out.push_str("# critical = [\"*websocket*\"]  # no module name suggested one\n");
    } else {
        out.push_str(
            "# Modules whose names suggest a golden path: `impact` and `report` list them first.\n",
        );
        let _ = writeln!(out, "critical = {}", toml_list(&critical));
    }

    let cycles: Vec<String> =
        find_cycles(&analysis.graph, analysis.modules.len(), KindSet::STATEMENTS)
            .iter()
            .filter(|c| c.runtime)
            .map(|c| {
                c.example
                    .iter()
                    .map(|&m| analysis.name(m))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            })
            .collect();
    if cycles.is_empty() {
        out.push_str("# No runtime import cycle today: keep it that way.\nno-cycles = { kinds = [\"module\"] }\n");
    } else {
        let _ = writeln!(
            out,
            "# {} runtime import cycle(s) today ({}); enable once they are broken:\n\
             # no-cycles = {{ kinds = [\"module\"] }}",
            cycles.len(),
            cycles.join("; ")
        );
    }

    if !duplicates.is_empty() {
        let _ = writeln!(
            out,
            "\n# One home per duplicated name: `check` flags every other definition and\n\
             # every import through another module. Change a module if the suggestion is wrong.\n\
             [{table}canonical]"
        );
        for duplicate in duplicates {
            let Some((first, others)) = duplicate.origins.split_first() else {
                continue;
            };
            let others: Vec<&str> = others.iter().map(|o| analysis.name(o.module)).collect();
            let _ = writeln!(
                out,
                "# {}: also defined in {}; suggested because: {}.\n{} = {}",
                duplicate.name,
                others.join(", "),
                duplicate.reason,
                toml_key(&duplicate.name),
                toml_string(analysis.name(first.module))
            );
        }
    }
    out
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A TOML basic string holding `s` (names and paths may hold anything).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `s` as a TOML key: bare when TOML allows (ASCII letters, digits, `_`,
/// `-`), quoted otherwise (`Café`).
fn toml_key(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { s.to_string() } else { toml_string(s) }
}

/// Parents of packages that the code imports as top-level names but that
/// sit below the root (`services/api/app/` imported as `app`): those
/// parents are source roots the analysis is missing.
fn implied_source_roots(analysis: &Analysis) -> Vec<String> {
    let external: BTreeSet<&str> = analysis
        .external
        .iter()
        .filter(|e| !e.stdlib)
        .filter_map(|e| e.module.split('.').next())
        .collect();
    let mut roots = BTreeSet::new();
    for (_, module) in analysis.modules.iter() {
        if module.kind != ModuleKind::Package {
            continue;
        }
        let Some(path) = module.path.as_deref() else {
            continue;
        };
        // `a/b/app/__init__.py`: the package is `app`, its parent `a/b`.
        let dir = path
            .trim_end_matches("/__init__.py")
            .trim_end_matches("/__init__.pyi");
        let Some((parent, name)) = dir.rsplit_once('/') else {
            continue;
        };
        if external.contains(name) && !is_test_path(path) {
            roots.insert(parent.to_string());
        }
    }
    roots.into_iter().collect()
}

fn directories(analysis: &Analysis) -> BTreeSet<String> {
    let mut dirs = BTreeSet::new();
    for (_, module) in analysis.modules.iter() {
        let Some(path) = module.path.as_deref() else {
            continue;
        };
        let mut at = path;
        while let Some((parent, _)) = at.rsplit_once('/') {
            dirs.insert(parent.to_string());
            at = parent;
        }
    }
    dirs
}

fn generated_dirs(analysis: &Analysis) -> Vec<String> {
    directories(analysis)
        .into_iter()
        .filter(|d| {
            let name = d.rsplit('/').next().unwrap_or(d);
            GENERATED_DIRS.contains(&name)
        })
        .collect()
}

fn test_dirs(analysis: &Analysis) -> Vec<String> {
    directories(analysis)
        .into_iter()
        .filter(|d| {
            let name = d.rsplit('/').next().unwrap_or(d);
            name == "tests" || name == "test"
        })
        .map(|d| format!("{d}/"))
        .collect()
}

fn critical_patterns(analysis: &Analysis) -> Vec<String> {
    CRITICAL_WORDS
        .iter()
        .filter(|word| {
            analysis.modules.iter().any(|(_, m)| {
                m.kind != ModuleKind::Script
                    && !m.path.as_deref().is_some_and(is_test_path)
                    && m.name.split('.').any(|part| part.contains(*word))
            })
        })
        .map(|word| format!("*{word}*"))
        .collect()
}
