//! `init`: the starter configuration it infers, that `check` accepts it and
//! flags the duplication, and that it never overwrites settings.

use std::fs;
use std::path::Path;

use crate::common::*;
use serde_json::Value;

/// Every one of `lines` is a whole line of `text`.
fn assert_has_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(
            text.lines().any(|l| l == *line),
            "missing {line:?} in\n{text}"
        );
    }
}

fn blastradius(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--root", root.to_str().unwrap(), "--no-cache"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn dry_run_on_sample_repo_is_a_config_check_accepts_and_that_flags_the_duplication() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&sample_repo(), root);
    let out = blastradius(root, &["init", "--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // No pyproject.toml in sample_repo: the blastradius.toml form.
    assert_has_lines(
        &text,
        &[
            "critical = [\"*execution*\", \"*session*\", \"*websocket*\"]",
            "# no-cycles = { kinds = [\"module\"] }",
            "[canonical]",
            "ExecutionEngineFactory = \"app.agents.supervisor.execution_engine_factory\"",
            "# ExecutionEngineFactory: also defined in app.agents.registry (homonym), app.core.managers.execution_engine_factory (fallback); suggested because: most used (12 files), not a compatibility shim, unconditional.",
            // The registry's class is different code: not flagged, and why.
            "[[ignore]]",
            "target = \"app.agents.registry.ExecutionEngineFactory\"",
            "reason = \"a different definition that shares the name (similarity 0.08 to the canonical one)\"",
        ],
    );
    assert!(!text.contains("[tool.blastradius]"));
    // Nothing was written by the dry run.
    assert!(!root.join("blastradius.toml").exists());

    fs::write(root.join("blastradius.toml"), &text).unwrap();
    let out = blastradius(root, &["check", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let factory: Vec<(String, u64)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| {
            v["rule"] == "canonical"
                && v["message"]
                    .as_str()
                    .unwrap()
                    .contains("ExecutionEngineFactory")
        })
        .map(|v| {
            // Paths are given as the root joined with the file's path.
            let path = Path::new(v["path"].as_str().unwrap());
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            (rel, v["line"].as_u64().unwrap())
        })
        .collect();
    // The fallback copy and the files going through the compatibility
    // layer; the registry's different class and its users are left alone.
    for expected in [
        ("app/core/managers/execution_engine_factory.py", 20),
        ("app/services/agent_service.py", 2),
    ] {
        assert!(
            factory.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {factory:?}"
        );
    }
    for absent in [
        ("app/agents/registry.py", 15),
        ("app/routes/admin_routes.py", 4),
    ] {
        assert!(
            !factory.contains(&(absent.0.to_string(), absent.1)),
            "{absent:?} in {factory:?}"
        );
    }
}

#[test]
fn appends_to_pyproject_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&sample_repo(), root);
    let original = "[project]\nname = \"demo\"\nversion = \"0.1\"";
    fs::write(root.join("pyproject.toml"), original).unwrap();
    let out = blastradius(root, &["init"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = fs::read_to_string(root.join("pyproject.toml")).unwrap();
    // The original bytes first, untouched; then the section.
    let section = written.strip_prefix(&format!("{original}\n\n")).unwrap();
    assert!(section.contains("\n[tool.blastradius]\n"), "{section}");
    assert!(
        section.contains("\n[tool.blastradius.canonical]\n"),
        "{section}"
    );
    assert!(!root.join("blastradius.toml").exists());
    // It loads: check runs the rules and finds the duplication.
    assert_eq!(blastradius(root, &["check"]).status.code(), Some(1));
    // Again: refused, nothing changed.
    let out = blastradius(root, &["init"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("has a [tool.blastradius] section; init never overwrites settings"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::read_to_string(root.join("pyproject.toml")).unwrap(),
        written
    );
}

#[test]
fn source_roots_and_excludes_are_inferred_from_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (path, text) in [
        ("services/api/app/__init__.py", ""),
        ("services/api/app/core.py", "import requests\n"),
        ("main.py", "from app import core\n"),
        ("vendor/lib/six.py", ""),
        ("tests/test_main.py", "import main\n"),
    ] {
        fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        fs::write(root.join(path), text).unwrap();
    }
    let out = blastradius(root, &["init", "--dry-run"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_has_lines(
        &text,
        &[
            "src = [\"services/api\"]",
            "exclude = [\"vendor\"]",
            "# found: tests/.",
            "no-cycles = { kinds = [\"module\"] }",
            "# critical = [\"*websocket*\"]  # no module name suggested one",
        ],
    );
    // With it, `from app import core` resolves.
    fs::write(root.join("blastradius.toml"), &text).unwrap();
    let g = graph(root, &["--no-cache"]);
    assert!(
        edges(&g).contains(&e("main", "app.core", "module", 1, false, "")),
        "{:?}",
        edges(&g)
    );
}

#[test]
fn non_ascii_names_are_quoted_and_a_linked_pyproject_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("pkg")).unwrap();
    fs::write(root.join("pkg/__init__.py"), "").unwrap();
    fs::write(root.join("pkg/a.py"), "class Café:\n    pass\n").unwrap();
    fs::write(root.join("pkg/b.py"), "class Café:\n    pass\n").unwrap();
    fs::create_dir(root.join("shared")).unwrap();
    fs::write(
        root.join("shared/pyproject.toml"),
        "[project]\nname = \"x\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink("shared/pyproject.toml", root.join("pyproject.toml")).unwrap();
    let out = blastradius(root, &["init"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        fs::symlink_metadata(root.join("pyproject.toml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = fs::read_to_string(root.join("shared/pyproject.toml")).unwrap();
    assert!(written.contains("\n\"Café\" = \"pkg.a\"\n"), "{written}");
    // The quoted key loads: check enforces it.
    let out = blastradius(root, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("pkg/b.py:1:1: canonical defines class Café")
    );
}

/// Writes `files` under a fresh directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let file = dir.path().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    dir
}

#[test]
fn a_source_root_that_changes_resolved_imports_or_shadows_a_dependency_is_refused() {
    // backend/app is imported as `backend.app` (resolved) and, somewhere,
    // `app` is imported as a top-level name: making backend/ a root would
    // rename backend/app to app and break every `backend.app` import.
    let dir = tree(&[
        ("backend/__init__.py", ""),
        ("backend/app/__init__.py", ""),
        ("backend/app/core.py", ""),
        (
            "backend/main.py",
            "from backend.app import core
",
        ),
        (
            "scripts/run.py",
            "import app
",
        ),
        // A vendored copy of a declared dependency.
        (
            "requirements.txt",
            "PyYAML>=6
",
        ),
        ("lib/__init__.py", ""),
        ("lib/_vendor/yaml/__init__.py", ""),
        (
            "lib/loader.py",
            "import yaml
",
        ),
    ]);
    let root = dir.path();
    let out = blastradius(root, &["init", "--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_has_lines(
        &text,
        &[
            "# Source roots: the root; no other root resolves an import without changing another.",
            "# Not a source root: backend/, because the import at backend/main.py:1 would no longer reach backend/app/core.py (but nothing first-party).",
            "# Not a source root: lib/_vendor/, because yaml is a third-party package (declared in requirements.txt): `import yaml` goes to it.",
        ],
    );
    assert!(!text.lines().any(|l| l.starts_with("src = ")), "{text}");
}

#[test]
fn with_cycles_and_nothing_to_consolidate_it_writes_no_cycles_and_a_baseline() {
    let dir = tree(&[
        ("pkg/__init__.py", ""),
        (
            "pkg/a.py",
            "from pkg import b
",
        ),
        (
            "pkg/b.py",
            "from pkg import a
",
        ),
    ]);
    let root = dir.path();
    let out = blastradius(root, &["init"]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("recorded today's 1 cycle(s) in"),
        "{stderr}"
    );
    let config = fs::read_to_string(root.join("blastradius.toml")).unwrap();
    assert_has_lines(
        &config,
        &[
            "# 1 import cycle(s) of module-level imports today (pkg.a -> pkg.b -> pkg.a), recorded in",
            "no-cycles = { kinds = [\"module\"] }",
            "baseline = \"blastradius-baseline.json\"",
        ],
    );
    assert!(root.join("blastradius-baseline.json").is_file());
    // The gate starts green; a new cycle fails it.
    let out = blastradius(root, &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::write(root.join("pkg/c.py"), "from pkg import d\n").unwrap();
    fs::write(root.join("pkg/d.py"), "from pkg import c\n").unwrap();
    let out = blastradius(root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("no-cycles import cycle of 2 modules"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
