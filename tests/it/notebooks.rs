//! Jupyter notebooks: analysed as importers (code cells only; magics,
//! shell escapes and help lines skipped), located as `cell:line`, in the
//! factory's blast radius, never rewritten by `migrate`, and left out with
//! `--no-notebooks`.

use crate::common::*;
use serde_json::{Value, json};

/// sample_repo plus `notebooks/` holding the two fixture notebooks.
fn sample_with_notebooks() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&sample_repo(), dir.path());
    copy_dir(&fixture("notebooks"), &dir.path().join("notebooks"));
    dir
}

fn notebook_rows(list: &Value, key: &str) -> Vec<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|e| e[key].as_str().is_some_and(|f| f.ends_with(".ipynb")))
        .cloned()
        .collect()
}

const NOTEBOOK: &str = "notebooks/engine_exploration.ipynb";

#[test]
fn notebook_imports_are_edges_located_by_cell_and_line() {
    let dir = sample_with_notebooks();
    let g = graph(dir.path(), &["--no-cache"]);
    assert_eq!(
        notebook_rows(&g["edges"], "from"),
        vec![
            json!({"from": NOTEBOOK, "to": "app.agents.supervisor.execution_engine_factory",
                   "kind": "lazy", "at_import": false, "pattern": false, "guarded": false,
                   "line": 2, "cell": 6, "names": []}),
            json!({"from": NOTEBOOK, "to": "app.core.managers.execution_engine_factory",
                   "kind": "module", "at_import": false, "pattern": false, "guarded": false,
                   "line": 2, "cell": 3, "names": ["ExecutionEngineFactory"]}),
        ]
    );
    // `import json` after a line magic; nothing from the %%bash cell.
    assert_eq!(
        notebook_rows(&g["external"], "from"),
        vec![
            json!({"from": NOTEBOOK, "module": "json", "kind": "module", "line": 2,
                    "cell": 2, "stdlib": true, "guarded": false})
        ]
    );
    // A notebook is an importer that nothing can import.
    let kinds: Vec<(&str, &str)> = g["modules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"].as_str().unwrap().ends_with(".ipynb"))
        .map(|m| (m["name"].as_str().unwrap(), m["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        vec![("notebooks/broken.ipynb", "script"), (NOTEBOOK, "script")]
    );
    // Not notebook JSON: a problem, listed as not seen.
    assert_eq!(
        g["problems"],
        json!([{"path": "notebooks/broken.ipynb",
                "message": "not a readable notebook: expected ident at line 1 column 14"}])
    );
    assert_eq!(
        g["parse_errors"].as_array().unwrap().len(),
        1,
        "only sample_repo's own"
    );
}

#[test]
fn a_notebook_is_in_the_factory_blast_radius() {
    let dir = sample_with_notebooks();
    let root = dir.path();
    let impact = json(
        root,
        &[
            "impact",
            "app.agents.supervisor.execution_engine_factory:ExecutionEngineFactory",
            "--json",
        ],
    );
    let affected: Vec<(&str, u64)> = impact["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["module"].as_str().unwrap().ends_with(".ipynb"))
        .map(|a| (a["module"].as_str().unwrap(), a["depth"].as_u64().unwrap()))
        .collect();
    assert_eq!(affected, vec![(NOTEBOOK, 1)]);
    // Text output names the cell.
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "symbol",
        "ExecutionEngineFactory",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(&format!("{NOTEBOOK}:cell 3:2 ")), "{text}");
    // Without notebooks the radius shrinks back to sample_repo's.
    let without = json(
        root,
        &[
            "--no-notebooks",
            "impact",
            "app.agents.supervisor.execution_engine_factory:ExecutionEngineFactory",
            "--json",
        ],
    );
    let plain = json(
        &sample_repo(),
        &[
            "impact",
            "app.agents.supervisor.execution_engine_factory:ExecutionEngineFactory",
            "--json",
        ],
    );
    assert_eq!(without["affected"], plain["affected"]);
    assert_eq!(without["summary"], plain["summary"]);
}

#[test]
fn migrate_never_rewrites_a_notebook() {
    let dir = sample_with_notebooks();
    let root = dir.path();
    let before = std::fs::read(root.join(NOTEBOOK)).unwrap();
    let migrate = |extra: &[&str]| {
        let mut args = vec![
            "--root",
            root.to_str().unwrap(),
            "migrate",
            "ExecutionEngineFactory",
            "--to",
            "app.agents.supervisor.execution_engine_factory",
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let out = migrate(&["--json"]);
    let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped: Vec<&Value> = plan["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"] == NOTEBOOK)
        .collect();
    assert_eq!(
        skipped,
        vec![&json!({"path": NOTEBOOK, "line": 2, "cell": 3,
            "message": "notebooks are not rewritten; change this import by hand"})]
    );
    assert!(
        plan["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f.as_str().unwrap() != NOTEBOOK)
    );
    let applied = migrate(&["--apply", "--allow-dirty"]);
    // The notebook still imports through the shim, so the migration is
    // not complete: exit 1, and it says where.
    let stderr = String::from_utf8_lossy(&applied.stderr);
    assert_eq!(applied.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "after applying: 1 import(s) still reach ExecutionEngineFactory through the old modules, 0 new broken import(s)\n  {}/{NOTEBOOK}:cell 3:2: still imports ExecutionEngineFactory through app.core.managers.execution_engine_factory",
            root.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read(root.join(NOTEBOOK)).unwrap(), before);
}

#[test]
fn check_and_broken_locate_notebook_lines_by_cell() {
    let dir = sample_with_notebooks();
    let root = dir.path();
    std::fs::write(
        root.join("blastradius.toml"),
        "[canonical]\nExecutionEngineFactory = \"app.agents.supervisor.execution_engine_factory\"\n",
    )
    .unwrap();
    let v = json_with_code(root, &["check", "--format", "json"], 1);
    let mine: Vec<&Value> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["path"].as_str().unwrap().ends_with(NOTEBOOK))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!((&mine[0]["cell"], &mine[0]["line"]), (&json!(3), &json!(2)));
    let out = run(&["--root", root.to_str().unwrap(), "check"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.ends_with(&format!("{NOTEBOOK}:cell 3:2:1: canonical imports ExecutionEngineFactory from app.core.managers.execution_engine_factory; import ExecutionEngineFactory from app.agents.supervisor.execution_engine_factory"))),
        "{text}"
    );
}

#[test]
fn syntax_errors_and_broken_imports_in_notebooks_name_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    let notebook = json!({"cells": [
        {"cell_type": "code", "source": "import pkg\n"},
        {"cell_type": "code", "source": "x = 1\ny = = 2\n"},
        {"cell_type": "code", "source": "from pkg import gone\n"},
    ]});
    std::fs::write(root.join("nb.ipynb"), notebook.to_string()).unwrap();
    let g = graph(root, &["--no-cache"]);
    let error = &g["parse_errors"][0];
    assert_eq!(
        (&error["path"], &error["cell"], &error["line"]),
        (&json!("nb.ipynb"), &json!(2), &json!(2))
    );
    let out = run(&["--root", root.to_str().unwrap(), "--no-cache", "broken"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("nb.ipynb:cell 3:1: from pkg import gone"),
        "{text}"
    );
}
