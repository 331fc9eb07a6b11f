//! pytest's view of the tree: which files it collects as test modules, and
//! which `conftest.py` files it loads before each one.
//!
//! Reads the settings files the walk found: `pytest.ini`, `.pytest.ini`,
//! `pyproject.toml` with `[tool.pytest.ini_options]` (or `[tool.pytest]`),
//! `tox.ini` with `[pytest]` and `setup.cfg` with `[tool:pytest]`, for
//! `python_files`. A test module's rootdir is the nearest directory at or
//! above it whose files hold pytest settings (the analysis root when none
//! does), as pytest finds it from the module's path; pytest loads the
//! `conftest.py` of every directory from that rootdir down to the module's
//! own before the module. This module reads those few files only: it never
//! walks and never parses Python.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobMatcher};

/// `python_files` when no settings name it.
const DEFAULT_PYTHON_FILES: &[&str] = &["test_*.py", "*_test.py"];

/// The files pytest reads its settings from, in the order it prefers them
/// within one directory, and the section each must have to count.
const SETTINGS: &[(&str, Section)] = &[
    ("pytest.ini", Section::Always),
    (".pytest.ini", Section::Always),
    ("pyproject.toml", Section::PyProject),
    ("tox.ini", Section::Ini("pytest")),
    ("setup.cfg", Section::Ini("tool:pytest")),
];

/// What makes a settings file pytest's.
#[derive(Debug, Clone, Copy)]
enum Section {
    /// The file counts even when empty.
    Always,
    /// `[tool.pytest.ini_options]` or `[tool.pytest]` in TOML.
    PyProject,
    /// An INI section of this name.
    Ini(&'static str),
}

/// The pytest settings of one directory.
#[derive(Debug, Clone)]
struct Settings {
    /// The settings file, relative to the analysis root.
    file: String,
    /// `python_files`, compiled.
    python_files: Vec<GlobMatcher>,
}

/// pytest's view of one analysed tree.
#[derive(Debug, Clone, Default)]
pub struct Pytest {
    /// Directories (relative to the root, `""` for the root) whose files
    /// hold pytest settings.
    settings: BTreeMap<String, Settings>,
    /// `python_files` for modules with no settings above them.
    default_files: Vec<GlobMatcher>,
}

impl Pytest {
    /// Reads pytest's settings among `project_files` (relative to `root`,
    /// as the walk found them). A file that cannot be read or parsed holds
    /// no settings.
    pub fn read(root: &Path, project_files: &[String]) -> Pytest {
        let mut by_dir: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for file in project_files {
            let (dir, name) = split_dir(file);
            by_dir.entry(dir.to_string()).or_default().push(name);
        }
        let mut settings = BTreeMap::new();
        for (dir, names) in by_dir {
            for &(name, section) in SETTINGS {
                if !names.contains(&name) {
                    continue;
                }
                let file = join(&dir, name);
                let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
                    continue;
                };
                if let Some(patterns) = python_files(&text, section) {
                    let patterns = if patterns.is_empty() {
                        defaults()
                    } else {
                        patterns
                    };
                    settings.insert(
                        dir.clone(),
                        Settings {
                            file,
                            python_files: compile(&patterns),
                        },
                    );
                    break;
                }
            }
        }
        Pytest {
            settings,
            default_files: compile(&defaults()),
        }
    }

    /// The rootdir of the file at `path`: the nearest directory at or above
    /// it with pytest settings, or the analysis root (`""`).
    pub fn rootdir(&self, path: &str) -> &str {
        let mut dir = split_dir(path).0;
        loop {
            if let Some((found, _)) = self.settings.get_key_value(dir) {
                return found;
            }
            if dir.is_empty() {
                return "";
            }
            dir = split_dir(dir).0;
        }
    }

    /// The settings file that decides the file at `path`, if any.
    pub fn settings_file(&self, path: &str) -> Option<&str> {
        self.settings
            .get(self.rootdir(path))
            .map(|s| s.file.as_str())
    }

    /// True when pytest would collect the file at `path` as a test module:
    /// a `.py` file whose name matches `python_files`.
    pub fn is_test_module(&self, path: &str) -> bool {
        if !path.ends_with(".py") {
            return false;
        }
        let rootdir = self.rootdir(path);
        let patterns = self
            .settings
            .get(rootdir)
            .map_or(&self.default_files, |s| &s.python_files);
        let name = split_dir(path).1;
        let under_root = path
            .strip_prefix(rootdir)
            .map_or(path, |p| p.trim_start_matches('/'));
        patterns
            .iter()
            .any(|p| p.is_match(name) || p.is_match(under_root))
    }

    /// The directories whose `conftest.py` pytest loads before the module
    /// at `path`, outermost first: its rootdir and every directory below it
    /// down to the module's own.
    pub fn conftest_dirs(&self, path: &str) -> Vec<String> {
        let rootdir = self.rootdir(path);
        let dir = split_dir(path).0;
        let below = if rootdir.is_empty() {
            dir
        } else {
            dir.strip_prefix(rootdir)
                .map_or("", |rest| rest.trim_start_matches('/'))
        };
        let mut dirs = vec![rootdir.to_string()];
        let mut current = rootdir.to_string();
        for part in below.split('/').filter(|p| !p.is_empty()) {
            current = join(&current, part);
            dirs.push(current.clone());
        }
        dirs
    }
}

fn defaults() -> Vec<String> {
    DEFAULT_PYTHON_FILES.iter().map(|p| p.to_string()).collect()
}

fn compile(patterns: &[String]) -> Vec<GlobMatcher> {
    patterns
        .iter()
        .filter_map(|p| Glob::new(p).ok().map(|g| g.compile_matcher()))
        .collect()
}

/// `python_files` of a settings file: `None` when the file holds no pytest
/// settings; an empty list when it does but does not name them.
fn python_files(text: &str, section: Section) -> Option<Vec<String>> {
    match section {
        Section::Always => Some(ini_value(text, None, "python_files").unwrap_or_default()),
        Section::Ini(name) => ini_section(text, name)
            .then(|| ini_value(text, Some(name), "python_files").unwrap_or_default()),
        Section::PyProject => {
            let table: toml::Table = toml::from_str(text).ok()?;
            let pytest = table.get("tool")?.get("pytest")?;
            let options = pytest.get("ini_options").unwrap_or(pytest);
            Some(match options.get("python_files") {
                Some(toml::Value::String(s)) => s.split_whitespace().map(String::from).collect(),
                Some(toml::Value::Array(items)) => items
                    .iter()
                    .filter_map(|v| v.as_str())
                    .flat_map(|s| s.split_whitespace().map(String::from))
                    .collect(),
                Some(_) | None => Vec::new(),
            })
        }
    }
}

/// True when the INI text has a `[name]` section.
fn ini_section(text: &str, name: &str) -> bool {
    text.lines()
        .any(|line| section_name(line).is_some_and(|s| s == name))
}

fn section_name(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .map(str::trim)
}

/// The whitespace-separated words of `key` in section `section` (the first
/// section, `[pytest]`, for a `pytest.ini` when `None`), continuation lines
/// included.
fn ini_value(text: &str, section: Option<&str>, key: &str) -> Option<Vec<String>> {
    let mut in_section = false;
    let mut words: Option<Vec<String>> = None;
    let mut continuing = false;
    for line in text.lines() {
        if let Some(name) = section_name(line) {
            in_section = section.is_none_or(|s| s == name);
            continuing = false;
            continue;
        }
        if !in_section {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        let content = line.split(['#', ';']).next().unwrap_or("").trim();
        if continuing && indented && !content.is_empty() {
            if let Some(words) = words.as_mut() {
                words.extend(content.split_whitespace().map(String::from));
            }
            continue;
        }
        continuing = false;
        let Some((k, v)) = content.split_once(['=', ':']) else {
            continue;
        };
        if k.trim() == key {
            words = Some(v.split_whitespace().map(String::from).collect());
            continuing = true;
        }
    }
    words
}

/// `a/b/c.py` → `("a/b", "c.py")`; `c.py` → `("", "c.py")`.
fn split_dir(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pytest(files: &[(&str, &str)]) -> (tempfile::TempDir, Pytest) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        let names: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        let p = Pytest::read(dir.path(), &names);
        (dir, p)
    }

    #[test]
    fn default_patterns_and_rootdir() {
        let (_d, p) = pytest(&[]);
        let cases = [
            ("tests/test_a.py", true),
            ("tests/a_test.py", true),
            ("tests/helpers.py", false),
            ("tests/test_a.pyi", false),
            ("test_top.py", true),
            ("tests/conftest.py", false),
        ];
        for (path, expected) in cases {
            assert_eq!(p.is_test_module(path), expected, "{path}");
        }
        assert_eq!(p.rootdir("a/b/test_x.py"), "");
        assert_eq!(p.conftest_dirs("a/b/test_x.py"), ["", "a", "a/b"]);
        assert_eq!(p.conftest_dirs("test_x.py"), [""]);
    }

    /// Settings files, a path, and whether pytest collects it.
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, bool);

    #[test]
    fn settings_files_in_order_of_preference() {
        let cases: &[Case] = &[
            (
                &[("pytest.ini", "[pytest]\npython_files = check_*.py\n")],
                "check_a.py",
                true,
            ),
            (
                &[("pytest.ini", "[pytest]\npython_files = check_*.py\n")],
                "test_a.py",
                false,
            ),
            // An empty pytest.ini still is pytest's: the defaults hold.
            (&[("pytest.ini", "")], "test_a.py", true),
            (
                &[(
                    "pyproject.toml",
                    "[tool.pytest.ini_options]\npython_files = [\"check_*.py\", \"spec_*.py\"]\n",
                )],
                "spec_a.py",
                true,
            ),
            (
                &[(
                    "pyproject.toml",
                    "[tool.pytest.ini_options]\npython_files = \"a_*.py b_*.py\"\n",
                )],
                "b_x.py",
                true,
            ),
            // A pyproject.toml without pytest settings does not count.
            (
                &[("pyproject.toml", "[project]\nname = \"x\"\n")],
                "test_a.py",
                true,
            ),
            (
                &[(
                    "tox.ini",
                    "[tox]\nenvlist = py3\n[pytest]\npython_files =\n    one_*.py\n    two_*.py\n",
                )],
                "two_a.py",
                true,
            ),
            (
                &[(
                    "setup.cfg",
                    "[metadata]\nname = x\n[tool:pytest]\npython_files = t_*.py # comment\n",
                )],
                "t_a.py",
                true,
            ),
            // pytest.ini wins over tox.ini in the same directory.
            (
                &[
                    ("pytest.ini", "[pytest]\npython_files = p_*.py\n"),
                    ("tox.ini", "[pytest]\npython_files = t_*.py\n"),
                ],
                "t_a.py",
                false,
            ),
        ];
        for (files, path, expected) in cases {
            let (_d, p) = pytest(files);
            assert_eq!(p.is_test_module(path), *expected, "{files:?} {path}");
        }
    }

    #[test]
    fn the_nearest_settings_make_the_rootdir() {
        let (_d, p) = pytest(&[
            (
                "backend/pytest.ini",
                "[pytest]\npython_files = check_*.py\n",
            ),
            ("tox.ini", "[tox]\n"),
        ]);
        assert_eq!(p.rootdir("backend/tests/unit/check_a.py"), "backend");
        assert_eq!(
            p.settings_file("backend/tests/check_a.py"),
            Some("backend/pytest.ini")
        );
        assert!(p.is_test_module("backend/tests/unit/check_a.py"));
        assert!(!p.is_test_module("backend/tests/unit/test_a.py"));
        // Outside backend/ the defaults hold, the tox.ini has no [pytest].
        assert!(p.is_test_module("other/test_a.py"));
        assert_eq!(p.rootdir("other/test_a.py"), "");
        assert_eq!(
            p.conftest_dirs("backend/tests/unit/check_a.py"),
            ["backend", "backend/tests", "backend/tests/unit"]
        );
    }
}
