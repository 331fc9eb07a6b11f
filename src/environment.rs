//! Third-party import names: the distributions a project declares in its
//! dependency files, and those installed in its environment.
//!
//! Owns the one question discovery cannot answer from paths alone: is a
//! top-level directory without `__init__.py` (`alembic/` holding migration
//! scripts) a first-party namespace package, or a place the installed
//! `alembic` wins? Python's finder takes a regular package anywhere on
//! `sys.path` before a namespace portion, so when the name is a
//! third-party one the directory does not own it. It reads dependency
//! declarations (`pyproject.toml`, `requirements*.txt`, `setup.cfg`,
//! `Pipfile`) and `*.dist-info` metadata of site-packages; it never runs
//! Python, never parses Python and knows nothing about modules.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Where a third-party name was seen.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Evidence {
    /// Declared as a dependency in this file (relative to the root).
    Declared(String),
    /// Installed in this site-packages directory.
    Installed(PathBuf),
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Evidence::Declared(file) => write!(f, "declared in {file}"),
            Evidence::Installed(dir) => write!(f, "installed in {}", dir.display()),
        }
    }
}

/// Import names of third-party distributions, each with its first evidence.
pub type ThirdParty = BTreeMap<String, Evidence>;

/// The third-party names of the project at `root`: declared dependencies
/// (their normalised distribution names) and the top-level names of every
/// distribution installed in `$VIRTUAL_ENV`, `root/.venv`, `root/venv` or
/// the environment of `python` (an interpreter path; it is not run).
pub fn third_party(root: &Path, python: Option<&Path>) -> ThirdParty {
    let mut names = ThirdParty::new();
    for (file, declared) in declared_dependencies(root) {
        for name in declared {
            // A few distributions are imported under another name; the
            // installed metadata says so for the rest.
            if let Some((_, import)) = KNOWN_IMPORT_NAMES.iter().find(|(d, _)| *d == name) {
                names
                    .entry((*import).to_string())
                    .or_insert_with(|| Evidence::Declared(file.clone()));
            }
            names
                .entry(name)
                .or_insert_with(|| Evidence::Declared(file.clone()));
        }
    }
    for site in site_packages(root, python) {
        for name in installed_names(&site) {
            names
                .entry(name)
                .or_insert_with(|| Evidence::Installed(site.clone()));
        }
    }
    names
}

/// Distributions whose import name is not their normalised name, for
/// projects whose environment is not at hand (normalised name, import name).
const KNOWN_IMPORT_NAMES: &[(&str, &str)] = &[
    ("attrs", "attr"),
    ("beautifulsoup4", "bs4"),
    ("opencv_python", "cv2"),
    ("pillow", "PIL"),
    ("protobuf", "google"),
    ("psycopg2_binary", "psycopg2"),
    ("pyjwt", "jwt"),
    ("python_dateutil", "dateutil"),
    ("python_dotenv", "dotenv"),
    ("pyyaml", "yaml"),
    ("scikit_learn", "sklearn"),
];

/// Dependency names per declaring file, normalised to import-name form
/// (`Flask-SQLAlchemy` → `flask_sqlalchemy`).
fn declared_dependencies(root: &Path) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    if let Ok(text) = fs::read_to_string(root.join("pyproject.toml"))
        && let Ok(value) = text.parse::<toml::Table>()
    {
        let mut specs = Vec::new();
        if let Some(project) = value.get("project").and_then(|p| p.as_table()) {
            collect_strings(project.get("dependencies"), &mut specs);
            if let Some(optional) = project
                .get("optional-dependencies")
                .and_then(|o| o.as_table())
            {
                for group in optional.values() {
                    collect_strings(Some(group), &mut specs);
                }
            }
        }
        if let Some(groups) = value.get("dependency-groups").and_then(|g| g.as_table()) {
            for group in groups.values() {
                collect_strings(Some(group), &mut specs);
            }
        }
        let mut names: Vec<String> = specs.iter().filter_map(|s| requirement_name(s)).collect();
        // Poetry lists dependencies as table keys.
        if let Some(poetry) = value
            .get("tool")
            .and_then(|t| t.get("poetry"))
            .and_then(|p| p.as_table())
        {
            for key in ["dependencies", "dev-dependencies"] {
                if let Some(table) = poetry.get(key).and_then(|d| d.as_table()) {
                    names.extend(table.keys().filter_map(|k| requirement_name(k)));
                }
            }
        }
        found.push(("pyproject.toml".to_string(), names));
    }
    let mut requirement_files: Vec<String> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| name.starts_with("requirements") && name.ends_with(".txt"))
        .collect();
    requirement_files.sort();
    for file in requirement_files {
        if let Ok(text) = fs::read_to_string(root.join(&file)) {
            let names = text
                .lines()
                .map(|line| line.split('#').next().unwrap_or(""))
                .filter(|line| !line.trim_start().starts_with('-'))
                .filter_map(requirement_name)
                .collect();
            found.push((file, names));
        }
    }
    if let Ok(text) = fs::read_to_string(root.join("setup.cfg")) {
        found.push(("setup.cfg".to_string(), setup_cfg_requirements(&text)));
    }
    if let Ok(text) = fs::read_to_string(root.join("Pipfile"))
        && let Ok(value) = text.parse::<toml::Table>()
    {
        let mut names = Vec::new();
        for key in ["packages", "dev-packages"] {
            if let Some(table) = value.get(key).and_then(|t| t.as_table()) {
                names.extend(table.keys().filter_map(|k| requirement_name(k)));
            }
        }
        found.push(("Pipfile".to_string(), names));
    }
    found
}

fn collect_strings(value: Option<&toml::Value>, into: &mut Vec<String>) {
    if let Some(array) = value.and_then(|v| v.as_array()) {
        into.extend(array.iter().filter_map(|v| v.as_str()).map(str::to_string));
    }
}

/// `install_requires` (and `extras_require`) lines of a setup.cfg.
fn setup_cfg_requirements(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut section = String::new();
    let mut in_list = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            in_list = false;
            continue;
        }
        let continuation = line.starts_with([' ', '\t']) && !trimmed.is_empty();
        if continuation && in_list {
            names.extend(requirement_name(trimmed));
            continue;
        }
        in_list = false;
        if let Some((key, value)) = trimmed.split_once('=') {
            let key = key.trim();
            let listed = (section == "[options]" && key == "install_requires")
                || section == "[options.extras_require]";
            if listed {
                in_list = true;
                names.extend(requirement_name(value.trim()));
            }
        }
    }
    names
}

/// The import-name form of a requirement's distribution name
/// (`PyYAML>=6; python_version>"3"` → `pyyaml`), if it has one.
fn requirement_name(spec: &str) -> Option<String> {
    let spec = spec.trim();
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..end];
    if name.is_empty() || name.eq_ignore_ascii_case("python") {
        return None;
    }
    Some(name.to_ascii_lowercase().replace(['-', '.'], "_"))
}

/// The site-packages directories of the project's environments.
fn site_packages(root: &Path, python: Option<&Path>) -> Vec<PathBuf> {
    let mut prefixes: Vec<PathBuf> = Vec::new();
    if let Some(env) = std::env::var_os("VIRTUAL_ENV") {
        prefixes.push(PathBuf::from(env));
    }
    prefixes.push(root.join(".venv"));
    prefixes.push(root.join("venv"));
    if let Some(python) = python {
        // `<prefix>/bin/python`: the environment is two levels up.
        if let Some(prefix) = python.parent().and_then(Path::parent) {
            prefixes.push(prefix.to_path_buf());
        }
    }
    let mut sites = Vec::new();
    for prefix in prefixes {
        for lib in ["lib", "lib64"] {
            let Ok(entries) = fs::read_dir(prefix.join(lib)) else {
                continue;
            };
            let mut versions: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("python"))
                })
                .map(|p| p.join("site-packages"))
                .filter(|p| p.is_dir())
                .collect();
            versions.sort();
            sites.extend(versions);
        }
        // Windows layout.
        let windows = prefix.join("Lib").join("site-packages");
        if windows.is_dir() {
            sites.push(windows);
        }
    }
    sites.dedup();
    sites
}

/// Top-level import names of the distributions installed in `site`, from
/// each `*.dist-info`'s `top_level.txt`, else its RECORD.
fn installed_names(site: &Path) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(entries) = fs::read_dir(site) else {
        return names;
    };
    let mut infos: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "dist-info" || e == "egg-info")
        })
        .collect();
    infos.sort();
    for info in infos {
        if let Ok(text) = fs::read_to_string(info.join("top_level.txt")) {
            names.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| crate::discover::is_identifier(l))
                    .map(str::to_string),
            );
            continue;
        }
        if let Ok(text) = fs::read_to_string(info.join("RECORD")) {
            names.extend(record_top_levels(&text));
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The top-level importable names a RECORD lists: first path components
/// that are identifiers (packages), or `name.py` files at the top.
fn record_top_levels(record: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in record.lines() {
        let path = line.split(',').next().unwrap_or("");
        let first = path.split('/').next().unwrap_or("");
        let name = if path.contains('/') {
            first
        } else {
            first.strip_suffix(".py").unwrap_or("")
        };
        if crate::discover::is_identifier(name) && name != "__pycache__" {
            names.push(name.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_names() {
        let cases = [
            ("alembic>=1.12", Some("alembic")),
            ("PyYAML==6.0; python_version > '3'", Some("pyyaml")),
            ("Flask-SQLAlchemy[async]", Some("flask_sqlalchemy")),
            ("zope.interface", Some("zope_interface")),
            ("python>=3.9", None),
            ("", None),
        ];
        for (spec, want) in cases {
            assert_eq!(requirement_name(spec).as_deref(), want, "{spec}");
        }
    }

    #[test]
    fn setup_cfg_lists() {
        let text = "[metadata]\nname = x\n[options]\ninstall_requires =\n    alembic>=1\n    requests\npackages = find:\n[options.extras_require]\ndev = pytest\n";
        assert_eq!(
            setup_cfg_requirements(text),
            vec!["alembic", "requests", "pytest"]
        );
    }

    #[test]
    fn record_names() {
        let record = "alembic/__init__.py,sha256=x,1\nalembic-1.0.dist-info/RECORD,,\nsix.py,sha256=y,2\n../../bin/alembic,,\n";
        assert_eq!(record_top_levels(record), vec!["alembic", "six"]);
    }
}
