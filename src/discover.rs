//! Discovery: which Python files exist under the root, and which module each one is.
//!
//! Owns the directory walk (the `ignore` crate, in parallel, honouring
//! `.gitignore`/`.ignore`), the default excludes, source roots, the mapping
//! from path to dotted module name, namespace packages (PEP 420) and the
//! finder's shadowing rules (a package beats a same-named module file; the
//! first source root beats later ones). It reads directory entries only: it
//! never opens a Python file and knows nothing about Python syntax.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use crate::error::{Error, Result};

/// Directory names skipped by default, as ruff skips them: VCS folders,
/// virtualenvs, tool caches and build output.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".blastradius_cache",
    ".ipynb_checkpoints",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// What to walk and how.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// The directory to analyse.
    pub root: PathBuf,
    /// Extra source roots, relative to `root`.
    pub src: Vec<PathBuf>,
    /// Extra glob patterns to skip, matched against the path relative to the
    /// root and against the file or directory name.
    pub exclude: Vec<String>,
    /// Follow symbolic links (off by default).
    pub follow_links: bool,
    /// Leave Jupyter notebooks (`.ipynb`) out; by default they are
    /// analysed as importers, like scripts.
    pub skip_notebooks: bool,
    /// The project's interpreter (`--python`): its environment's installed
    /// distributions are third-party names.
    pub python: Option<PathBuf>,
}

/// How a discovered file takes part in the import system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileRole {
    /// `pkg/mod.py`: an importable module.
    Module,
    /// `pkg/__init__.py`: a regular package.
    Package,
    /// A file whose path is not a dotted identifier (`scripts/run-migration.py`),
    /// or a notebook: it can import but can never be imported.
    Script,
}

/// One Python file that will be parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the root, `/`-separated.
    pub rel_path: String,
    /// Absolute (or root-joined) path used to read the file.
    pub abs_path: PathBuf,
    /// Dotted module name; for scripts, the relative path.
    pub module: String,
    /// The file's role.
    pub role: FileRole,
    /// A `.pyi` stub that sits beside this `.py` and describes the same module.
    pub stub: Option<String>,
}

/// A file the import system can never reach because something else owns its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Shadowed {
    /// The dead file, relative to the root.
    pub path: String,
    /// The module name that wins.
    pub shadowed_by: String,
    /// The file that wins (`null` for a namespace package).
    pub winner: Option<String>,
}

/// A path that could not be walked (permission denied, a symlink loop...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WalkProblem {
    /// The path concerned, relative to the root when possible.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// The result of discovery.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Canonical form of the root, for display.
    pub root: PathBuf,
    /// Source roots relative to the root (`""` is the root itself).
    pub source_roots: Vec<String>,
    /// Files to parse, sorted by path.
    pub files: Vec<SourceFile>,
    /// Namespace packages (directories without `__init__.py`), sorted.
    pub namespace_packages: Vec<String>,
    /// Files no import can reach, sorted by path.
    pub shadowed: Vec<Shadowed>,
    /// Paths that could not be walked.
    pub problems: Vec<WalkProblem>,
    /// Top-level directories without `__init__.py` whose name is a
    /// third-party distribution's: the installed package wins at run time,
    /// so their files are scripts. Name and evidence, sorted.
    pub yielded: Vec<(String, String)>,
    /// Project and test configuration files met on the walk
    /// ([`PROJECT_FILES`]), relative to the root, sorted: where pytest's
    /// settings may live.
    pub project_files: Vec<String>,
}

/// File names the walk collects besides Python files: the places pytest
/// (and packaging) read their settings from.
pub const PROJECT_FILES: &[&str] = &[
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
];

/// Walks `options.root` and names every Python file under it.
pub fn discover(options: &DiscoverOptions) -> Result<Discovery> {
    let root = &options.root;
    let meta = std::fs::metadata(root).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => Error::RootMissing(root.clone()),
        _ => Error::Io {
            path: root.clone(),
            source: err,
        },
    })?;
    if !meta.is_dir() {
        return Err(Error::RootNotDirectory(root.clone()));
    }
    let mut source_roots = vec![String::new()];
    if root.join("src").is_dir() {
        source_roots.push("src".to_string());
    }
    for src in &options.src {
        if !root.join(src).is_dir() {
            return Err(Error::SourceRootMissing(src.clone()));
        }
        let rel = normalise_rel(src);
        if !source_roots.contains(&rel) {
            source_roots.push(rel);
        }
    }
    let excludes = build_excludes(&options.exclude)?;
    let (mut paths, problems, project_files) = walk(root, &excludes, options.follow_links);
    if options.skip_notebooks {
        paths.retain(|(rel, _)| !rel.ends_with(".ipynb"));
    }
    let root_package = enclosing_package(root);
    let mut discovery = name_modules(paths, &source_roots, &root_package);
    discovery.root = root.clone();
    discovery.source_roots = source_roots;
    discovery.problems = problems;
    discovery.project_files = project_files;
    Ok(discovery)
}

/// Gives up top-level namespace packages whose name is a third-party one
/// (`names`): Python's finder takes a regular package anywhere on
/// `sys.path` before a namespace portion, so `from alembic import op`
/// imports the installed alembic even beside a root-level `alembic/` of
/// migration scripts. Their files become scripts (they can import, they
/// are never imported); each name given up is recorded in `yielded`.
pub fn yield_to_third_party(discovery: &mut Discovery, names: &crate::environment::ThirdParty) {
    let tops: Vec<String> = discovery
        .namespace_packages
        .iter()
        .filter(|n| !n.contains('.') && names.contains_key(n.as_str()))
        .cloned()
        .collect();
    if tops.is_empty() {
        return;
    }
    let inside = |module: &str| {
        tops.iter().any(|top| {
            module == top
                || module
                    .strip_prefix(top.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    for file in &mut discovery.files {
        if file.role != FileRole::Script && inside(&file.module) {
            file.module = file.rel_path.clone();
            file.role = FileRole::Script;
            file.stub = None;
        }
    }
    discovery.namespace_packages.retain(|n| !inside(n));
    for top in tops {
        let evidence = names.get(&top).map(ToString::to_string).unwrap_or_default();
        discovery.yielded.push((top, evidence));
    }
}

/// When the root is itself inside a package (`site-packages/django`), the
/// dotted name of that package (`django`), found by climbing while the
/// directories hold `__init__.py`, as ruff and Python's finder see it; `""`
/// otherwise.
fn enclosing_package(root: &Path) -> String {
    let Ok(mut dir) = std::fs::canonicalize(root) else {
        return String::new();
    };
    let mut parts = Vec::new();
    while dir.join("__init__.py").is_file() {
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            return String::new();
        };
        if !is_identifier(name) {
            return String::new();
        }
        parts.push(name.to_string());
        if !dir.pop() {
            break;
        }
    }
    parts.reverse();
    parts.join(".")
}

fn normalise_rel(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    parts.join("/")
}

fn build_excludes(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|err| Error::BadGlob {
            pattern: pattern.clone(),
            message: err.kind().to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|err| Error::BadGlob {
        pattern: patterns.join(" "),
        message: err.to_string(),
    })
}

/// What one walk found: Python files as `(relative path, absolute path)`,
/// the problems met, and the project files, each list sorted.
type Walked = (Vec<(String, PathBuf)>, Vec<WalkProblem>, Vec<String>);

/// Walks in parallel; returns `(relative path, absolute path)` of every
/// `.py`/`.pyi`/`.ipynb` file, the problems met on the way and the
/// relative paths of [`PROJECT_FILES`], each sorted.
fn walk(root: &Path, excludes: &GlobSet, follow_links: bool) -> Walked {
    let found = Mutex::new(Vec::new());
    let project = Mutex::new(Vec::new());
    let problems = std::sync::Arc::new(Mutex::new(Vec::new()));
    let root_owned = root.to_path_buf();
    let filter_root = root.to_path_buf();
    let filter_excludes = excludes.clone();
    // With --follow-links, links are followed only while they stay inside
    // the root: a link out of it would analyse someone else's files.
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let filter_problems = std::sync::Arc::clone(&problems);
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(follow_links)
        .threads(rayon::current_num_threads())
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            if follow_links
                && entry.path_is_symlink()
                && !std::fs::canonicalize(entry.path())
                    .is_ok_and(|target| target.starts_with(&canonical_root))
            {
                if let Ok(mut problems) = filter_problems.lock() {
                    problems.push(WalkProblem {
                        path: relative(&filter_root, entry.path()),
                        message: "symbolic link leads outside the root; not followed".to_string(),
                    });
                }
                return false;
            }
            keep_entry(entry, &filter_root, &filter_excludes)
        });
    builder.build_parallel().run(|| {
        let found = &found;
        let project = &project;
        let problems = &*problems;
        let root = &root_owned;
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let path = entry.path();
                    let is_python = matches!(
                        path.extension().and_then(|e| e.to_str()),
                        Some("py" | "pyi" | "ipynb")
                    );
                    if is_file && is_python {
                        let rel = relative(root, path);
                        if let Ok(mut found) = found.lock() {
                            found.push((rel, path.to_path_buf()));
                        }
                    } else if is_file
                        && PROJECT_FILES.contains(&entry.file_name().to_string_lossy().as_ref())
                        && let Ok(mut project) = project.lock()
                    {
                        project.push(relative(root, path));
                    }
                }
                Err(err) => {
                    let (path, message) = describe_walk_error(root, &err);
                    if let Ok(mut problems) = problems.lock() {
                        problems.push(WalkProblem { path, message });
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut found = found.into_inner().unwrap_or_default();
    found.sort();
    let mut problems = match problems.lock() {
        Ok(mut problems) => std::mem::take(&mut *problems),
        Err(_) => Vec::new(),
    };
    problems.sort();
    let mut project = project.into_inner().unwrap_or_default();
    project.sort();
    (found, problems, project)
}

fn keep_entry(entry: &ignore::DirEntry, root: &Path, excludes: &GlobSet) -> bool {
    let name = entry.file_name().to_string_lossy();
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    if is_dir {
        if DEFAULT_EXCLUDES.contains(&name.as_ref()) {
            return false;
        }
        if entry.path().join("pyvenv.cfg").is_file() {
            return false;
        }
    }
    if !excludes.is_empty() {
        let rel = relative(root, entry.path());
        if excludes.is_match(&rel) || excludes.is_match(name.as_ref()) {
            return false;
        }
    }
    true
}

fn describe_walk_error(root: &Path, err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let message = match err.as_ref() {
                // The same words as for a file that cannot be read.
                ignore::Error::Io(io) => crate::source::read_error_message(io),
                other => other.to_string(),
            };
            (relative(root, path), message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(root, err)
        }
        ignore::Error::Loop { child, .. } => {
            (relative(root, child), "symbolic link loop".to_string())
        }
        other => (String::new(), other.to_string()),
    }
}

/// `path` relative to `root`, `/`-separated.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for component in rel.components() {
        if let std::path::Component::Normal(part) = component {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(&part.to_string_lossy());
        }
    }
    out
}

/// True for test files: `test_*.py`, `*_test.py`, `conftest.py`, or anything
/// under a `tests/` or `test/` directory.
pub fn is_test_path(path: &str) -> bool {
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            let stem = part.trim_end_matches(".pyi").trim_end_matches(".py");
            return stem.starts_with("test_") || stem.ends_with("_test") || stem == "conftest";
        }
        if part == "tests" || part == "test" {
            return true;
        }
    }
    false
}

/// True when `s` is a Python identifier (PEP 3131, approximated by XID rules).
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// A candidate claim on a module name, before shadowing is decided.
#[derive(Debug)]
struct Claim {
    root_index: usize,
    role: FileRole,
    rel: String,
    abs: PathBuf,
    is_stub: bool,
}

/// Assigns module names, decides shadowing and finds namespace packages.
fn name_modules(
    paths: Vec<(String, PathBuf)>,
    source_roots: &[String],
    root_package: &str,
) -> Discovery {
    let mut claims: BTreeMap<String, Vec<Claim>> = BTreeMap::new();
    let mut scripts = Vec::new();
    for (rel, abs) in paths {
        let (root_index, under) = nearest_root(&rel, source_roots);
        let prefix = if root_index == 0 { root_package } else { "" };
        // A notebook can import but is never imported: a script.
        let name = if rel.ends_with(".ipynb") {
            None
        } else {
            module_name(under, prefix)
        };
        match name {
            Some((name, role, is_stub)) => claims.entry(name).or_default().push(Claim {
                root_index,
                role,
                rel,
                abs,
                is_stub,
            }),
            None => scripts.push((rel, abs)),
        }
    }

    let mut shadowed = Vec::new();
    let mut winners: BTreeMap<String, SourceFile> = BTreeMap::new();
    for (name, mut list) in claims {
        // The finder's order: earlier source root first; within one root a
        // package beats a module; a `.py` beats its `.pyi`.
        list.sort_by(|a, b| {
            (a.root_index, a.role != FileRole::Package, a.is_stub, &a.rel).cmp(&(
                b.root_index,
                b.role != FileRole::Package,
                b.is_stub,
                &b.rel,
            ))
        });
        let mut iter = list.into_iter();
        let Some(first) = iter.next() else { continue };
        let mut winner = SourceFile {
            rel_path: first.rel.clone(),
            abs_path: first.abs,
            module: name.clone(),
            role: first.role,
            stub: None,
        };
        for other in iter {
            let same_file_pair = other.is_stub
                && !first.is_stub
                && other.role == first.role
                && other.root_index == first.root_index;
            if same_file_pair && winner.stub.is_none() {
                winner.stub = Some(other.rel);
            } else {
                shadowed.push(Shadowed {
                    path: other.rel,
                    shadowed_by: name.clone(),
                    winner: Some(first.rel.clone()),
                });
            }
        }
        winners.insert(name, winner);
    }

    // A plain module file `pkg/x.py` wins over a namespace directory `pkg/x/`,
    // so everything below that directory is unreachable.
    let mut files = Vec::new();
    let mut namespace = BTreeSet::new();
    for (name, file) in &winners {
        let mut owner: Option<&SourceFile> = None;
        for (i, _) in name.match_indices('.') {
            if let Some(parent) = winners.get(&name[..i])
                && parent.role == FileRole::Module
            {
                owner = Some(parent);
                break;
            }
        }
        if let Some(owner) = owner {
            shadowed.push(Shadowed {
                path: file.rel_path.clone(),
                shadowed_by: owner.module.clone(),
                winner: Some(owner.rel_path.clone()),
            });
            continue;
        }
        for (i, _) in name.match_indices('.') {
            let parent = &name[..i];
            if !winners.contains_key(parent) {
                namespace.insert(parent.to_string());
            }
        }
        files.push(file.clone());
    }
    // Scripts are named by their path from the import root, so the name
    // does not depend on whether --root points into a package.
    let script_prefix: String = root_package
        .split('.')
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}/"))
        .collect();
    for (rel, abs) in scripts {
        files.push(SourceFile {
            module: format!("{script_prefix}{rel}"),
            rel_path: rel,
            abs_path: abs,
            role: FileRole::Script,
            stub: None,
        });
    }
    files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    shadowed.sort();
    Discovery {
        files,
        namespace_packages: namespace.into_iter().collect(),
        shadowed,
        ..Discovery::default()
    }
}

/// The deepest source root containing `rel`, and `rel` relative to it.
fn nearest_root<'a>(rel: &'a str, source_roots: &[String]) -> (usize, &'a str) {
    let mut best = (0, rel);
    let mut best_len = 0;
    for (i, root) in source_roots.iter().enumerate() {
        if root.is_empty() {
            continue;
        }
        if let Some(rest) = rel.strip_prefix(root.as_str())
            && let Some(rest) = rest.strip_prefix('/')
            && root.len() > best_len
        {
            best = (i, rest);
            best_len = root.len();
        }
    }
    best
}

/// `pkg/sub/mod.py` → `pkg.sub.mod`; `pkg/__init__.py` → `pkg`. `None` when
/// some part is not an identifier (the file is a script).
fn module_name(under_root: &str, prefix: &str) -> Option<(String, FileRole, bool)> {
    let (stem_path, is_stub) = if let Some(s) = under_root.strip_suffix(".pyi") {
        (s, true)
    } else {
        (under_root.strip_suffix(".py")?, false)
    };
    let mut parts: Vec<&str> = stem_path.split('/').collect();
    let role = if parts.last() == Some(&"__init__") {
        parts.pop();
        FileRole::Package
    } else {
        FileRole::Module
    };
    if !parts.iter().all(|p| is_identifier(p)) {
        return None;
    }
    let mut name = prefix.to_string();
    for part in parts {
        if !name.is_empty() {
            name.push('.');
        }
        name.push_str(part);
    }
    (!name.is_empty()).then_some((name, role, is_stub))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_from_paths() {
        let cases = [
            (
                "pkg/sub/mod.py",
                Some(("pkg.sub.mod", FileRole::Module, false)),
            ),
            ("pkg/__init__.py", Some(("pkg", FileRole::Package, false))),
            ("pkg/mod.pyi", Some(("pkg.mod", FileRole::Module, true))),
            ("scripts/run-migration.py", None),
            ("backup/20250909_1041/x.py", None),
            ("__init__.py", None),
            ("x-y/__init__.py", None),
            ("setup.py", Some(("setup", FileRole::Module, false))),
        ];
        for (path, expected) in cases {
            let got = module_name(path, "");
            let expected = expected.map(|(n, r, s)| (n.to_string(), r, s));
            assert_eq!(got, expected, "{path}");
        }
    }

    #[test]
    fn module_names_inside_an_enclosing_package() {
        assert_eq!(
            module_name("apps/config.py", "django"),
            Some(("django.apps.config".to_string(), FileRole::Module, false))
        );
        assert_eq!(
            module_name("__init__.py", "django"),
            Some(("django".to_string(), FileRole::Package, false))
        );
    }

    #[test]
    fn nearest_source_root_wins() {
        let roots = vec![String::new(), "src".to_string(), "src/lib".to_string()];
        assert_eq!(nearest_root("a/b.py", &roots), (0, "a/b.py"));
        assert_eq!(nearest_root("src/a/b.py", &roots), (1, "a/b.py"));
        assert_eq!(nearest_root("src/lib/a.py", &roots), (2, "a.py"));
        assert_eq!(nearest_root("srcx/a.py", &roots), (0, "srcx/a.py"));
    }

    fn names(paths: &[&str]) -> Discovery {
        let paths = paths
            .iter()
            .map(|p| (p.to_string(), PathBuf::from(p)))
            .collect();
        name_modules(paths, &[String::new()], "")
    }

    #[test]
    fn package_shadows_module_and_namespace_found() {
        let d = names(&[
            "ns/pkg/__init__.py",
            "ns/pkg.py",
            "ns/pkg/a.py",
            "x.py",
            "x.pyi",
        ]);
        let modules: Vec<_> = d.files.iter().map(|f| f.module.as_str()).collect();
        assert_eq!(modules, vec!["ns.pkg", "ns.pkg.a", "x"]);
        assert_eq!(d.namespace_packages, vec!["ns"]);
        assert_eq!(
            d.shadowed,
            vec![Shadowed {
                path: "ns/pkg.py".into(),
                shadowed_by: "ns.pkg".into(),
                winner: Some("ns/pkg/__init__.py".into())
            }]
        );
        assert_eq!(d.files[2].stub.as_deref(), Some("x.pyi"));
    }

    #[test]
    fn module_file_shadows_namespace_directory() {
        let d = names(&["a/x.py", "a/x/y.py"]);
        let modules: Vec<_> = d.files.iter().map(|f| f.module.as_str()).collect();
        assert_eq!(modules, vec!["a.x"]);
        assert_eq!(d.shadowed[0].path, "a/x/y.py");
        assert_eq!(d.shadowed[0].shadowed_by, "a.x");
    }

    #[test]
    fn test_paths() {
        for (path, is_test) in [
            ("tests/unit/test_x.py", true),
            ("pkg/test/helpers.py", true),
            ("pkg/test_models.py", true),
            ("pkg/models_test.py", true),
            ("conftest.py", true),
            ("pkg/testing.py", false),
            ("pkg/contest.py", false),
            ("latest/x.py", false),
        ] {
            assert_eq!(is_test_path(path), is_test, "{path}");
        }
    }

    #[test]
    fn identifiers() {
        for (s, ok) in [
            ("abc", true),
            ("_x1", true),
            ("1x", false),
            ("a-b", false),
            ("é", true),
            ("", false),
        ] {
            assert_eq!(is_identifier(s), ok, "{s}");
        }
    }
}
