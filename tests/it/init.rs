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
            "# ExecutionEngineFactory: also defined in app.agents.registry, app.core.managers.execution_engine_factory; suggested because: most used (12 files), not a compatibility shim, unconditional.",
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
    // The rival class, the fallback copy, and the files going through the
    // compatibility layer or the registry.
    for expected in [
        ("app/agents/registry.py", 15),
        ("app/core/managers/execution_engine_factory.py", 20),
        ("app/routes/admin_routes.py", 4),
        ("app/services/agent_service.py", 2),
    ] {
        assert!(
            factory.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {factory:?}"
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
