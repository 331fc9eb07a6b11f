//! `impact`: the blast radius with depths, chains, test categories, critical
//! marks, the pytest line, `--tests-only` and `--changed-since`.

use std::process::Command;

use crate::common::*;
use serde_json::{Value, json};

const CONTEXT: &str = "app.core.user_execution_context";
const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";

fn affected(v: &Value) -> Vec<(String, u64, Value, bool)> {
    v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["module"].as_str().unwrap().to_string(),
                a["depth"].as_u64().unwrap(),
                a["test"].clone(),
                a["critical"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn a(module: &str, depth: u64, test: Value, critical: bool) -> (String, u64, Value, bool) {
    (module.into(), depth, test, critical)
}

#[test]
fn module_impact_has_depths_tests_and_critical_modules_first() {
    let v = json(
        &sample_repo(),
        &["impact", CONTEXT, "--critical", "*websocket*", "--json"],
    );
    assert_eq!(v["targets"], json!([CONTEXT]));
    assert_eq!(
        v["summary"],
        json!({"affected": 20, "production": 14, "tests": 6, "critical": 4, "max_depth": 4})
    );
    let null = Value::Null;
    // Critical modules first, then by tier, depth and name. pytest loads
    // tests/conftest.py (which imports the context) before every test
    // module: the tests are at depth 2 of the import tier through it.
    assert_eq!(
        affected(&v),
        vec![
            a("tests.e2e.test_websocket_flow", 2, json!("e2e"), true),
            a(
                "tests.mission_critical.test_websocket_agent_events",
                2,
                json!("mission_critical"),
                true
            ),
            a("app.websocket_core.bridge", 2, null.clone(), true),
            a("app.routes.websocket_routes", 3, null.clone(), true),
            a("app.core.managers.session_manager", 1, null.clone(), false),
            a("app.routes.agent_routes", 1, null.clone(), false),
            a("app.services.execution_service", 1, null.clone(), false),
            a("tests.conftest", 1, json!("other"), false),
            a("app.main", 2, null.clone(), false),
            a(
                "tests.integration.test_agent_service",
                2,
                json!("integration"),
                false
            ),
            a(
                "tests.unit.test_execution_engine_factory",
                2,
                json!("unit"),
                false
            ),
            a("tests.unit.test_session_manager", 2, json!("unit"), false),
            // The typing tier: the factory imports the context only under
            // TYPE_CHECKING, so everything reached through it is here.
            a(FACTORY, 1, null.clone(), false),
            a("app.agents.supervisor", 2, null.clone(), false),
            a(
                "app.core.managers.execution_engine_factory",
                2,
                null.clone(),
                false
            ),
            a("app.services.legacy_service", 2, null.clone(), false),
            a(".github/scripts/check_imports.py", 3, null.clone(), false),
            a(
                "app.agents.supervisor.execution_engine",
                3,
                null.clone(),
                false
            ),
            a("app.services.agent_service", 3, null.clone(), false),
            a("app.services.thread_service", 4, null.clone(), false),
        ]
    );
    let tiers: Vec<&str> = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["tier"].as_str().unwrap())
        .collect();
    let mut expected = vec!["import", "import", "typing", "typing"];
    expected.extend(["import"; 8]);
    expected.extend(["typing"; 8]);
    assert_eq!(tiers, expected);
    assert_eq!(
        v["tiers"],
        json!([
            {"tier": "import", "affected": 10, "production": 4, "tests": 6, "critical": 2},
            {"tier": "runtime", "affected": 0, "production": 0, "tests": 0, "critical": 0},
            {"tier": "typing", "affected": 10, "production": 10, "tests": 0, "critical": 2}
        ])
    );
    assert_eq!(
        v["affected"][0]["chain"],
        json!(["tests.e2e.test_websocket_flow", "tests.conftest", CONTEXT])
    );
    assert_eq!(v["affected"][0]["kinds"], json!(["module", "conftest"]));
    let bridge = &v["affected"][2];
    assert_eq!(
        bridge["chain"],
        json!(["app.websocket_core.bridge", FACTORY, CONTEXT])
    );
    assert_eq!(bridge["kinds"], json!(["lazy", "type-checking"]));
    assert_eq!(
        v["depths"][2],
        json!({"depth": 3, "count": 4, "production": 4, "tests": 0, "critical": 1, "packages": {".github": 1, "app": 3}})
    );
    assert_eq!(
        v["tests"],
        json!({
            "unit": ["tests/unit/test_execution_engine_factory.py", "tests/unit/test_session_manager.py"],
            "integration": ["tests/integration/test_agent_service.py"],
            "e2e": ["tests/e2e/test_websocket_flow.py"],
            "mission_critical": ["tests/mission_critical/test_websocket_agent_events.py"],
            "other": ["tests/conftest.py"]
        })
    );
    // Every affected test reaches the context at import time.
    assert_eq!(v["tests_by_tier"], json!({"import": v["tests"].clone()}));
    assert_eq!(
        v["pytest"],
        "pytest tests/unit/test_execution_engine_factory.py tests/unit/test_session_manager.py tests/integration/test_agent_service.py tests/e2e/test_websocket_flow.py tests/mission_critical/test_websocket_agent_events.py"
    );
}

#[test]
fn symbol_impact_starts_at_the_users_and_chains_end_at_the_symbol() {
    let label = "app.agents.registry:ExecutionEngineFactory";
    let v = json(&sample_repo(), &["impact", label, "--json"]);
    let rows: Vec<(String, Value)> = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["module"].as_str().unwrap().to_string(),
                a["chain"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "app.routes.admin_routes".to_string(),
                json!(["app.routes.admin_routes", label])
            ),
            (
                "app.main".to_string(),
                json!(["app.main", "app.routes.admin_routes", label])
            ),
            (
                "tests.e2e.test_websocket_flow".to_string(),
                json!([
                    "tests.e2e.test_websocket_flow",
                    "app.main",
                    "app.routes.admin_routes",
                    label
                ])
            ),
        ]
    );
}

#[test]
fn tests_only_prints_paths_one_per_line() {
    let root = sample_repo();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "impact",
        "app.services.agent_service",
        "--tests-only",
    ]);
    assert_eq!(out.status.code(), Some(0));
    // Seen from the current directory: the root as given, joined.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{}/tests/integration/test_agent_service.py\n",
            root.display()
        )
    );
}

#[test]
fn changed_since_takes_the_diff_and_untracked_files_as_targets() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/a.py"), "X = 1\n").unwrap();
    std::fs::write(root.join("pkg/b.py"), "from pkg.a import X\n").unwrap();
    std::fs::write(root.join("pkg/c.py"), "import pkg.b\n").unwrap();
    std::fs::write(root.join("pkg/d.py"), "").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    std::fs::write(root.join("pkg/a.py"), "X = 2\n").unwrap();
    std::fs::write(root.join("pkg/e.py"), "import pkg.d\n").unwrap();
    let v = json(root, &["impact", "--changed-since", "HEAD", "--json"]);
    assert_eq!(v["targets"], json!(["pkg.a", "pkg.e"]));
    let modules: Vec<&str> = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["module"].as_str().unwrap())
        .collect();
    assert_eq!(modules, vec!["pkg.b", "pkg.c"]);
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "impact",
        "--changed-since",
        "no-such-ref",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("error: --changed-since no-such-ref: ")
    );
}

#[test]
fn the_pytest_line_runs_from_the_directory_it_was_printed_in() {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("proj/pytest.ini", "[pytest]\npythonpath = .\n"),
        ("proj/app/__init__.py", ""),
        ("proj/app/core.py", "VALUE = 1\n"),
        (
            "proj/tests/test_core.py",
            "from app.core import VALUE\n\n\ndef test_value():\n    assert VALUE == 1\n",
        ),
    ] {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    // Run from the parent of the root, with the root given relatively.
    let out = run_in(
        dir.path(),
        &["--root", "proj", "--no-cache", "impact", "app.core"],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let pytest = text.lines().rfind(|l| l.starts_with("pytest ")).unwrap();
    assert_eq!(pytest, "pytest proj/tests/test_core.py");
    assert!(dir.path().join("proj/tests/test_core.py").is_file());
    // JSON keeps root-relative paths, and says what they are relative to.
    let out = run_in(
        dir.path(),
        &[
            "--root",
            "proj",
            "--no-cache",
            "impact",
            "app.core",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["root"], "proj");
    assert_eq!(v["pytest"], "pytest tests/test_core.py");
    let test = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["module"] == "tests.test_core")
        .unwrap();
    assert_eq!(
        (&test["path"], &test["line"]),
        (
            &serde_json::json!("tests/test_core.py"),
            &serde_json::json!(1)
        )
    );
    // Where pytest is installed, the printed line really runs there.
    let python = std::process::Command::new("python3")
        .args(["-m", "pytest", "--version"])
        .output();
    if python.is_ok_and(|o| o.status.success()) {
        let mut args = vec!["-m"];
        args.extend(pytest.split(' '));
        args.push("-q");
        let ran = std::process::Command::new("python3")
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            ran.status.success(),
            "{}",
            String::from_utf8_lossy(&ran.stdout)
        );
    } else {
        eprintln!("pytest not installed: the printed line was checked, not run");
    }
}
