//! `broken` reports only what really fails, on the `broken` fixture: one
//! line of `pkg/users.py` or `tests/test_optional.py` per rule of
//! docs/resolution.md's "Broken imports".

use serde_json::{Value, json};

use crate::common::{fixture, json_with_code, run};

fn entries(v: &Value) -> Vec<(String, u64, String, Value)> {
    let mut out = Vec::new();
    for file in v["files"].as_array().unwrap() {
        for entry in file["imports"].as_array().unwrap() {
            out.push((
                file["path"].as_str().unwrap().to_string(),
                entry["line"].as_u64().unwrap(),
                entry["import"].as_str().unwrap().to_string(),
                entry["handled"].clone(),
            ));
        }
    }
    out
}

#[test]
fn only_unhandled_failures_are_broken_and_each_shows_its_source_form() {
    let root = fixture("broken");
    let v = json_with_code(&root, &["--no-cache", "broken", "--json"], 1);
    // Not broken: pkg.compat.moves (created at run time), pkg.lazy's
    // `__getattr__` names, `__import__` fromlist attributes, a relative
    // import_module with a computed package, the third-party alembic beside
    // a root-level alembic/ without __init__.py; pkg.legacy_engine is in
    // broken-ignore.
    assert_eq!(
        v["files"],
        json!([
            {"path": "pkg/config.py", "module": "pkg.config", "imports": [
                {"line": 1, "problem": "missing-name", "import": "from yaml import safe_load",
                 "reason": "yaml neither defines nor re-exports safe_load and has no submodule of that name",
                 "guarded": false, "handled": null, "module": "yaml", "name": "safe_load"}]},
            {"path": "pkg/users.py", "module": "pkg.users", "imports": [
                {"line": 30, "problem": "missing-module", "import": "__import__(\"pkg.gone\", fromlist=[\"x\"])",
                 "reason": "no module pkg.gone: pkg exists but has no submodule gone",
                 "guarded": false, "handled": null, "module": "pkg.gone", "name": null},
                {"line": 31, "problem": "missing-name", "import": "from pkg import really_missing",
                 "reason": "pkg neither defines nor re-exports really_missing and has no submodule of that name",
                 "guarded": false, "handled": null, "module": "pkg", "name": "really_missing"}]}
        ])
    );
    assert_eq!(
        (&v["unhandled"], &v["handled"], &v["ignored"]),
        (&json!(3), &json!(5), &json!(1))
    );
}

#[test]
fn handled_imports_are_listed_apart_and_never_fail_the_run() {
    let root = fixture("broken");
    let v = json_with_code(
        &root,
        &["--no-cache", "broken", "--json", "--include-handled"],
        1,
    );
    let handled: Vec<_> = entries(&v).into_iter().filter(|e| !e.3.is_null()).collect();
    let row = |path: &str, line, import: &str, how: &str| {
        (path.to_string(), line, import.to_string(), json!(how))
    };
    assert_eq!(
        handled,
        vec![
            row(
                "pkg/users.py",
                11,
                "from pkg.typing_only import Protocolish",
                "type-checking"
            ),
            row("pkg/users.py", 14, "import pkg.optional", "try-except"),
            row(
                "pkg/users.py",
                19,
                "from pkg import accelerated",
                "try-except"
            ),
            row(
                "tests/test_optional.py",
                6,
                "from pkg import Missing",
                "pytest-raises"
            ),
            row(
                "tests/test_optional.py",
                10,
                "pytest.importorskip(\"pkg.extension\")",
                "importorskip"
            ),
        ]
    );
    // Only handled failures: exit 0, even when they are listed.
    let dir = tempfile::tempdir().unwrap();
    let only = dir.path();
    std::fs::create_dir_all(only.join("tests")).unwrap();
    std::fs::create_dir_all(only.join("pkg")).unwrap();
    std::fs::write(only.join("pkg/__init__.py"), "").unwrap();
    std::fs::copy(
        root.join("tests/test_optional.py"),
        only.join("tests/test_optional.py"),
    )
    .unwrap();
    let root = only.to_str().unwrap();
    let out = run(&["--root", root, "--no-cache", "broken", "--include-handled"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "no broken imports\n\n2 handled import(s): the code expects them to fail\n"
        ),
        "{text}"
    );
    let out = run(&["--root", root, "--no-cache", "broken"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "no broken imports\nnote: 2 handled import(s) not listed (try/except ImportError, pytest.raises, importorskip, TYPE_CHECKING); --include-handled lists them\n"
    );
}

#[test]
fn a_directory_without_init_named_like_a_dependency_yields_to_it_once() {
    let root = fixture("broken");
    let root = root.to_str().unwrap();
    let out = run(&["--root", root, "--no-cache", "broken"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let notes: Vec<&str> = stderr.lines().filter(|l| l.contains("alembic/")).collect();
    assert_eq!(
        notes,
        vec![
            "note: alembic/ has no __init__.py and alembic is a third-party package (declared in pyproject.toml): imports of alembic go to the installed package, and the files under alembic/ are scripts"
        ]
    );
    // Its files are scripts that import; the installed alembic is external.
    let graph = crate::common::graph(std::path::Path::new(root), &["--no-cache"]);
    let kind_of = |name: &str| {
        graph["modules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == name)
            .map(|m| m["kind"].clone())
    };
    assert_eq!(
        kind_of("alembic/versions/001_initial.py"),
        Some(json!("script"))
    );
    assert_eq!(kind_of("alembic"), None);
    // A regular package still wins over the declared PyYAML.
    assert_eq!(kind_of("yaml"), Some(json!("package")));
}

#[test]
fn broken_ignore_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("blastradius.toml"),
        "broken-ignore = [{ import = \"a.b\", reason = \" \" }]\n",
    )
    .unwrap();
    let out = run(&["--root", dir.path().to_str().unwrap(), "broken"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("broken-ignore[0].reason: say why this failing import is kept"),
        "{stderr}"
    );
}
