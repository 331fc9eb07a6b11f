//! `init`: a starter configuration inferred from the analysis.
//!
//! Builds the text of a `[tool.blastradius]` section (or a
//! `blastradius.toml`) from what the analysis found: extra source roots
//! that imports imply and that [`root_verdict`] accepted (they resolve
//! imports that did not, and change none that did), generated or vendored
//! directories to exclude, the test directories, `critical` patterns
//! guessed from module names, a `canonical` entry per copy or fallback
//! group (never for homonyms) and the `no-cycles` rule, with a baseline of
//! today's cycles when it is the only rule. Every entry carries a comment
//! saying why, for a person to review. [`write`] puts it beside the code:
//! appended to `pyproject.toml` or as a `blastradius.toml`, never over
//! settings that exist, and taken back when what it wrote does not load.
//! It runs no analysis itself: the command gives it the analyses.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::analysis::Analysis;
use crate::discover::is_test_path;
use crate::environment::ThirdParty;
use crate::error::{Error, Result};
use crate::resolve::ModuleKind;
use crate::symbols::duplicates::{Duplicate, DuplicateClass};

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

/// The file `init` records today's cycles in when `no-cycles` is its only
/// rule, relative to the root.
pub const BASELINE_FILE: &str = "blastradius-baseline.json";

/// What `init` decided besides what it reads off the analysis.
#[derive(Debug, Default)]
pub struct Starter<'a> {
    /// Source roots accepted by [`root_verdict`].
    pub roots: Vec<String>,
    /// Candidate roots refused, with why.
    pub refused: Vec<(String, String)>,
    /// The copy and fallback groups (suggested canonical first).
    pub duplicates: &'a [Duplicate],
    /// Cycles the `no-cycles = { kinds = ["module"] }` rule reports today.
    pub cycles: Vec<String>,
}

/// Candidate source roots: parents of packages that imports name as
/// top-level but that sit below the root, for [`root_verdict`] to decide;
/// and those refused at once because the package's name is a third-party
/// distribution's (a vendored copy: the imports go to the installed one).
pub fn candidate_source_roots(
    analysis: &Analysis,
    third_party: &ThirdParty,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut candidates = Vec::new();
    let mut refused = Vec::new();
    for (parent, names) in implied_source_roots(analysis) {
        match names
            .iter()
            .find_map(|n| third_party.get(n).map(|e| (n, e)))
        {
            Some((name, evidence)) => refused.push((
                parent,
                format!("{name} is a third-party package ({evidence}): `import {name}` goes to it"),
            )),
            None => candidates.push(parent),
        }
    }
    (candidates, refused)
}

/// How the imports of an analysis resolve, by (importer file, offset): the
/// first-party files (or namespace packages) each reaches, and which
/// imports do not resolve to first-party code (external or unresolved).
struct Resolutions {
    internal: BTreeMap<(String, u32), BTreeSet<String>>,
    unresolved: BTreeSet<(String, u32)>,
}

impl Resolutions {
    fn of(analysis: &Analysis) -> Resolutions {
        let mut internal: BTreeMap<(String, u32), BTreeSet<String>> = BTreeMap::new();
        let key = |from, offset| analysis.path(from).map(|p| (p.to_string(), offset));
        for (from, to, occurrences) in analysis.graph.edges() {
            let target = match analysis.path(to) {
                Some(path) => path.to_string(),
                None => format!("namespace {}", analysis.name(to)),
            };
            for occurrence in occurrences {
                if let Some(k) = occurrence.offset.and_then(|o| key(from, o)) {
                    internal.entry(k).or_default().insert(target.clone());
                }
            }
        }
        let unresolved = analysis
            .unresolved
            .iter()
            .filter_map(|u| key(u.from, u.offset))
            .collect();
        Resolutions {
            internal,
            unresolved,
        }
    }

    /// Resolves to first-party code, completely.
    fn resolved(&self, key: &(String, u32)) -> Option<&BTreeSet<String>> {
        self.internal
            .get(key)
            .filter(|_| !self.unresolved.contains(key))
    }
}

/// Whether adding a source root helps: `Ok(n)` when it makes `n` (> 0)
/// imports resolve to first-party files that did not (they were external
/// or unresolved) and changes where no resolved import leads; `Err(why)`
/// otherwise, with an example.
pub fn root_verdict(without: &Analysis, with: &Analysis) -> std::result::Result<usize, String> {
    let before = Resolutions::of(without);
    let after = Resolutions::of(with);
    for key in before.internal.keys() {
        let Some(was) = before.resolved(key) else {
            continue;
        };
        let now = after.resolved(key);
        if now != Some(was) {
            let list = |t: &BTreeSet<String>| t.iter().cloned().collect::<Vec<_>>().join(", ");
            let line = without
                .modules
                .by_path(&key.0)
                .map_or(0, |m| without.line(m, key.1));
            return Err(format!(
                "the import at {}:{line} would no longer reach {} (but {})",
                key.0,
                list(was),
                now.map_or_else(|| "nothing first-party".to_string(), list)
            ));
        }
    }
    let gained = after
        .internal
        .keys()
        .filter(|k| after.resolved(k).is_some() && before.resolved(k).is_none())
        .count();
    if gained == 0 {
        return Err("no import would resolve that does not today".to_string());
    }
    Ok(gained)
}

/// The starter configuration for `analysis` with what `init` decided.
pub fn starter_config(analysis: &Analysis, starter: &Starter<'_>, target: Target) -> String {
    let duplicates = starter.duplicates;
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

    let roots = &starter.roots;
    if roots.is_empty() {
        out.push_str("# Source roots: the root");
        if analysis.source_roots.iter().any(|r| r == "src") {
            out.push_str(" and src/ (found, used automatically)");
        }
        out.push_str("; no other root resolves an import without changing another.\n");
    } else {
        out.push_str(
            "# Imports name these packages as top-level; with their parents as source roots\n\
             # unresolved imports resolve and no resolved import changes.\n",
        );
        let _ = writeln!(out, "src = {}", toml_list(roots));
    }
    for (root, why) in &starter.refused {
        let _ = writeln!(out, "# Not a source root: {root}/, because {why}.");
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

    let cycles = &starter.cycles;
    let shown: Vec<&str> = cycles.iter().take(5).map(String::as_str).collect();
    let more = if cycles.len() > shown.len() {
        format!("; and {} more", cycles.len() - shown.len())
    } else {
        String::new()
    };
    if cycles.is_empty() {
        out.push_str("# No import cycle of module-level imports today: keep it that way.\nno-cycles = { kinds = [\"module\"] }\n");
    } else if duplicates.is_empty() {
        let _ = writeln!(
            out,
            "# {} import cycle(s) of module-level imports today ({}{more}), recorded in\n\
             # {BASELINE_FILE}: `check` fails only on new ones. Fixed ones drop out\n\
             # with `check --update-baseline`.\n\
             no-cycles = {{ kinds = [\"module\"] }}\nbaseline = {}",
            cycles.len(),
            shown.join("; "),
            toml_string(BASELINE_FILE)
        );
    } else {
        let _ = writeln!(
            out,
            "# {} import cycle(s) of module-level imports today ({}{more}); enable once they are broken:\n\
             # no-cycles = {{ kinds = [\"module\"] }}",
            cycles.len(),
            shown.join("; ")
        );
    }

    if !duplicates.is_empty() {
        let _ = writeln!(
            out,
            "\n# One home per copied name (copies and fallbacks; homonyms, different code\n\
             # that shares a name, get none): `check` flags every other definition and\n\
             # every import through another module. Change a module if the suggestion is wrong.\n\
             [{table}canonical]"
        );
        for duplicate in duplicates {
            let Some((first, others)) = duplicate.origins.split_first() else {
                continue;
            };
            let others: Vec<String> = others
                .iter()
                .map(|o| format!("{} ({})", analysis.name(o.module), o.class.as_str()))
                .collect();
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
        // A homonym in a copied name's group is different code: `check`
        // would flag it as a second definition; say so once, with why.
        for duplicate in duplicates {
            for homonym in duplicate
                .origins
                .iter()
                .filter(|o| o.class == DuplicateClass::Homonym)
            {
                let _ = writeln!(
                    out,
                    "\n[[{table}ignore]]\nrule = \"canonical\"\ntarget = {}\nreason = {}",
                    toml_string(&format!(
                        "{}.{}",
                        analysis.name(homonym.module),
                        duplicate.name
                    )),
                    toml_string(&format!(
                        "a different {} that shares the name (similarity {:.2} to the canonical one)",
                        if homonym.alias_of.is_some() {
                            "binding"
                        } else {
                            "definition"
                        },
                        homonym.similarity.unwrap_or(0.0)
                    ))
                );
            }
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
fn implied_source_roots(analysis: &Analysis) -> BTreeMap<String, Vec<String>> {
    let external: BTreeSet<&str> = analysis
        .external
        .iter()
        .filter(|e| !e.stdlib)
        .filter_map(|e| e.module.split('.').next())
        .collect();
    let mut roots: BTreeMap<String, Vec<String>> = BTreeMap::new();
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
            roots
                .entry(parent.to_string())
                .or_default()
                .push(name.to_string());
        }
    }
    roots
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
