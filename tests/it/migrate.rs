//! `migrate`: every rewrite form compared byte for byte, the dry-run diff
//! and JSON, the safety refusals, and the sample repository's consolidation.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use serde_json::json;

/// A copy of `src` in a fresh temporary directory.
fn copy_tree(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(src, dir.path());
    dir
}

fn read(root: &Path, path: &str) -> Vec<u8> {
    std::fs::read(root.join(path)).unwrap()
}

fn migrate(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--root", root.to_str().unwrap(), "migrate"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn every_rewrite_form_is_exact() {
    let tree = copy_tree(&fixture("migrate"));
    let root = tree.path();
    let out = migrate(
        root,
        &["Thing", "--to", "pkg.canon", "--include-strings", "--apply"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cases: &[(&str, &[u8])] = &[
        ("users/u_whole.py", b"from pkg.canon import Thing\n\nThing()\n"),
        ("pkg/sub/u_relative.py", b"from pkg.canon import Thing as T\n\nT()\n"),
        ("users/u_split.py", b"from pkg.shim import Other, helper\nfrom pkg.canon import Thing\n\nhelper(Thing, Other)\n"),
        ("users/u_paren.py", b"from pkg.shim import (\n    Other,  # keep me\n)\nfrom pkg.canon import Thing\n\nprint(Other, Thing)\n"),
        ("users/u_backslash.py", b"from pkg.shim import Other\nfrom pkg.canon import Thing\n\nprint(Other, Thing)\n"),
        ("users/u_crlf.py", b"from pkg.shim import Other\r\nfrom pkg.canon import Thing\r\n\r\nprint(Thing, Other)\r\n"),
        ("users/u_attr.py", b"from pkg.canon import Thing\n\n\ndef f():\n    return Thing()\n"),
        ("users/u_attr_kept.py", b"import pkg.shim as m\nfrom pkg.canon import Thing\n\nprint(m)\nThing()\n"),
        ("users/u_lazy.py", b"def f():\n    from pkg.shim import Other\n    from pkg.canon import Thing\n    return Thing, Other\n"),
        // The use comes before the import in source order (a function body).
        ("users/u_alias_later.py", b"def make():\n    return Thing()\n\n\nfrom pkg.canon import Thing\n"),
        ("users/u_string.py", b"PATCH = \"pkg.canon.Thing\"\n"),
        ("users/u_bom.py", b"\xef\xbb\xbffrom pkg.canon import Thing\n"),
        ("pkg/reexport.py", b"from pkg.canon import Thing\n"),
        ("users/u_via_reexport.py", b"from pkg.canon import Thing\n"),
        // A different Thing, and the definitions themselves, stay as they are.
        ("users/u_other.py", b"from pkg.other import Thing\n"),
        ("pkg/shim.py", b"from pkg.canon import Thing\n\nOther = 1\n\n\ndef helper():\n    pass\n"),
    ];
    for (path, expected) in cases {
        assert_eq!(
            String::from_utf8_lossy(&read(root, path)),
            String::from_utf8_lossy(expected),
            "{path}"
        );
    }
    // Nothing goes through the shim any more, and everything still parses.
    let v = json(root, &["symbol", "pkg.canon:Thing", "--json"]);
    let through: Vec<&str> = v["origins"][0]["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["through"].as_str().unwrap())
        .collect();
    assert!(through.iter().all(|t| *t == "pkg.canon"), "{through:?}");
    let g = graph(root, &[]);
    assert_eq!(g["parse_errors"], json!([]));
}

#[test]
fn dry_run_prints_a_diff_and_lists_what_it_leaves() {
    let tree = copy_tree(&fixture("migrate"));
    let root = tree.path();
    let before = read(root, "users/u_split.py");
    let out = migrate(root, &["Thing", "--to", "pkg.canon", "--from", "pkg.shim"]);
    assert_eq!(out.status.code(), Some(0));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("--- a/users/u_split.py\n+++ b/users/u_split.py\n@@ -1,3 +1,4 @@\n-from pkg.shim import Other, Thing, helper\n+from pkg.shim import Other, helper\n+from pkg.canon import Thing\n"), "{diff}");
    assert!(
        !diff.contains("u_via_reexport"),
        "--from pkg.shim leaves uses through pkg.reexport"
    );
    assert_eq!(
        read(root, "users/u_split.py"),
        before,
        "a dry run writes nothing"
    );
    let notes = String::from_utf8(out.stderr).unwrap();
    assert!(notes.contains("users/u_string.py:1: string \"pkg.shim.Thing\" names Thing through pkg.shim: review, or pass --include-strings"), "{notes}");
    assert!(notes.contains("users/u_other.py:1: uses the Thing defined in pkg.other, a different definition: not rewritten, decide by hand"), "{notes}");
    let v = json(root, &["migrate", "Thing", "--to", "pkg.canon", "--json"]);
    let edit = v["edits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["file"] == "users/u_paren.py")
        .unwrap();
    assert_eq!(
        edit,
        &json!({
            "file": "users/u_paren.py", "start_line": 3, "end_line": 4,
            "before": "    Thing,\n)\n",
            "after": ")\nfrom pkg.canon import Thing\n"
        })
    );
}

#[test]
fn apply_refuses_uncommitted_changes_unless_allowed() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git not installed");
        return;
    }
    let tree = copy_tree(&fixture("migrate"));
    let root = tree.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    std::fs::write(
        root.join("users/u_whole.py"),
        "from pkg.shim import Thing\n\nThing()\nThing()\n",
    )
    .unwrap();
    let out = migrate(root, &["Thing", "--to", "pkg.canon", "--apply"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("uncommitted changes in users/u_whole.py"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        read(root, "users/u_split.py"),
        read(&fixture("migrate"), "users/u_split.py"),
        "nothing written"
    );
    let out = migrate(
        root,
        &["Thing", "--to", "pkg.canon", "--apply", "--allow-dirty"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        read(root, "users/u_whole.py"),
        b"from pkg.canon import Thing\n\nThing()\nThing()\n"
    );
}

#[test]
fn unknown_definition_is_a_clear_error() {
    let out = migrate(&fixture("migrate"), &["Nothing", "--to", "pkg.canon"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: migrate: pkg.canon does not define or re-export Nothing; `blastradius symbol Nothing` lists where it is defined\n"
    );
}

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";
const SHIM: &str = "app.core.managers.execution_engine_factory";

fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tree = copy_tree(&sample_repo());
    let root = tree.path().to_path_buf();
    (tree, root)
}

#[test]
fn sample_repo_consolidation_moves_every_shim_user() {
    let (_tree, root) = sample_copy();
    let out = migrate(&root, &["ExecutionEngineFactory", "--to", FACTORY]);
    let diff = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = diff
        .lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .collect();
    assert_eq!(
        files,
        vec![
            ".github/scripts/check_imports.py",
            "app/core/managers/session_manager.py",
            "app/routes/websocket_routes.py",
            "app/services/agent_service.py",
            "app/services/execution_service.py",
        ]
    );
    let out = migrate(
        &root,
        &[
            "ExecutionEngineFactory",
            "--to",
            FACTORY,
            "--apply",
            "--include-strings",
            "--remove-shim",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notes = String::from_utf8_lossy(&out.stderr);
    assert!(notes.lines().any(|l| l == "after applying: 0 import(s) still reach ExecutionEngineFactory through the old modules, 0 new broken import(s)"), "{notes}");
    assert!(
        notes.contains("remaining importers of the old modules (delete a module only when it has none):\n  none: the old modules can be deleted\n"),
        "{notes}"
    );
    // Every use of the canonical class now names the canonical module; the
    // registry's different class keeps its one user; the fallback has none.
    let v = json(&root, &["symbol", "ExecutionEngineFactory", "--json"]);
    let origins = v["origins"].as_array().unwrap();
    let canonical = origins.iter().find(|o| o["module"] == FACTORY).unwrap();
    assert_eq!(canonical["users"], 12);
    assert!(
        canonical["uses"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["through"] == FACTORY)
    );
    let registry = origins
        .iter()
        .find(|o| o["module"] == "app.agents.registry")
        .unwrap();
    assert_eq!(registry["uses"][0]["module"], "app.routes.admin_routes");
    let fallback = origins.iter().find(|o| o["module"] == SHIM).unwrap();
    assert_eq!(fallback["users"], 0);
    // Nobody imports the compatibility layer any more.
    let d = json(&root, &["dependents", SHIM, "--json"]);
    assert_eq!(d["results"], json!([]));
    // The tree parses as before: only the deliberate syntax-error file.
    let g = graph(&root, &[]);
    let errors: Vec<&str> = g["parse_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(errors, vec!["app/services/broken_module.py"]);
    assert_eq!(
        std::fs::read_to_string(root.join("app/services/execution_service.py")).unwrap(),
        r#""""Executes requests; reaches the factory through a module alias."""
from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactory
from app.core.user_execution_context import UserExecutionContext


def execute(user_id: str, request: str) -> str:
    context = UserExecutionContext(user_id=user_id, thread_id="t", run_id="r")
    factory = ExecutionEngineFactory()
    return factory.create_for_user(context).run(request)
"#
    );
}

#[test]
fn apply_refuses_a_file_changed_after_planning() {
    use blastradius::analysis::Analysis;
    use blastradius::analysis::RunOptions;
    use blastradius::discover::DiscoverOptions;
    use blastradius::migrate::{MigrateOptions, apply, plan};
    use blastradius::symbols::Origins;
    use blastradius::symbols::index::SymbolIndex;

    let tree = copy_tree(&fixture("migrate"));
    let root = tree.path();
    let analysis = Analysis::run(
        &DiscoverOptions {
            root: root.to_path_buf(),
            ..DiscoverOptions::default()
        },
        &RunOptions::default(),
    )
    .unwrap();
    let origins = Origins::new(&analysis);
    let index = SymbolIndex::build(&origins);
    let to = analysis.modules.by_name("pkg.canon").unwrap();
    let planned = plan(
        &analysis,
        &origins,
        &index,
        &MigrateOptions {
            name: "Thing".to_string(),
            to,
            from: Vec::new(),
            include_strings: false,
        },
    )
    .unwrap();
    std::fs::write(
        root.join("users/u_whole.py"),
        "from pkg.shim import Thing  # edited\n",
    )
    .unwrap();
    let err = apply(root, &planned, true).unwrap_err().to_string();
    assert!(
        err.contains("u_whole.py: changed since it was read"),
        "{err}"
    );
    assert_eq!(
        read(root, "users/u_split.py"),
        read(&fixture("migrate"), "users/u_split.py"),
        "no file is written when one of them changed"
    );
}

/// `migrate --apply` killed while it writes: every file is either exactly
/// as it was or exactly as planned, never truncated or mixed, and running
/// it again finishes the job.
#[test]
fn an_interrupted_apply_leaves_each_file_old_or_new() {
    use std::time::{Duration, Instant};
    const USERS: usize = 1500;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::create_dir_all(root.join("users")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/canon.py"), "class Thing:\n    pass\n").unwrap();
    std::fs::write(root.join("pkg/shim.py"), "from pkg.canon import Thing\n").unwrap();
    let filler = "# a line that pads the file so writing it takes a moment\n".repeat(40);
    let old = format!("from pkg.shim import Thing\n{filler}Thing()\n");
    let new = format!("from pkg.canon import Thing\n{filler}Thing()\n");
    let name = |i: usize| format!("users/u_{i:05}.py");
    for i in 0..USERS {
        std::fs::write(root.join(name(i)), &old).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .arg("--root")
        .arg(root)
        .args([
            "--no-cache",
            "migrate",
            "Thing",
            "--to",
            "pkg.canon",
            "--apply",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Files are written in path order: kill once a third of them are new.
    let first = root.join(name(USERS / 3));
    let started = Instant::now();
    let mut finished = None;
    while started.elapsed() < Duration::from_secs(120) {
        if let Some(status) = child.try_wait().unwrap() {
            finished = Some(status);
            break;
        }
        if std::fs::read(&first).unwrap() != old.as_bytes() {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let status = match finished {
        Some(status) => status,
        None => child.wait().unwrap(),
    };
    assert!(
        !status.success(),
        "the run finished before it could be killed"
    );
    let (mut olds, mut news) = (0, 0);
    for i in 0..USERS {
        let bytes = std::fs::read(root.join(name(i))).unwrap();
        if bytes == old.as_bytes() {
            olds += 1;
        } else if bytes == new.as_bytes() {
            news += 1;
        } else {
            panic!(
                "{} is neither old nor new: {:?}",
                name(i),
                String::from_utf8_lossy(&bytes)
            );
        }
    }
    assert!(
        news >= 1 && olds >= 1,
        "killed mid-run: {news} new, {olds} old"
    );
    // Left-over temporary files (if the kill came between create and
    // rename) are hidden and not `.py`, so they are never analysed.
    for entry in std::fs::read_dir(root.join("users")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            file.ends_with(".py") || (file.starts_with('.') && file.ends_with(".tmp")),
            "{file}"
        );
    }
    // Running it again completes the migration.
    let out = migrate(root, &["Thing", "--to", "pkg.canon", "--apply"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for i in 0..USERS {
        assert_eq!(read(root, &name(i)), new.as_bytes(), "{}", name(i));
    }
}

#[test]
fn remove_shim_run_on_its_own_after_apply_lists_every_remaining_importer() {
    let (_dir, root) = sample_copy();
    std::fs::write(
        root.join("app/services/leftover.py"),
        "import importlib\n\
         from app.core.managers.execution_engine_factory import logger\n\
         import app.core.managers.execution_engine_factory as eef\n\
         \n\
         \n\
         def load():\n    return importlib.import_module(\"app.core.managers.execution_engine_factory\")\n\
         \n\
         \n\
         PATCHED = \"app.core.managers.execution_engine_factory.logger\"\n",
    )
    .unwrap();
    let canonical = "app.agents.supervisor.execution_engine_factory";
    let out = migrate(
        &root,
        &[
            "ExecutionEngineFactory",
            "--to",
            canonical,
            "--include-strings",
            "--apply",
            "--allow-dirty",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second, separate run: every use of the class is migrated, but the
    // shim still has importers of other things, and must not be deleted.
    for extra in [
        &[][..],
        &["--from", "app.core.managers.execution_engine_factory"],
    ] {
        let mut args = vec!["ExecutionEngineFactory", "--to", canonical, "--remove-shim"];
        args.extend_from_slice(extra);
        let out = migrate(&root, &args);
        assert_eq!(out.status.code(), Some(0));
        let notes = String::from_utf8(out.stderr).unwrap();
        let prefix = format!("  {}/", root.display());
        let listed: Vec<String> = notes
            .lines()
            .skip_while(|l| !l.starts_with("remaining importers of the old modules"))
            .skip(1)
            .map(|l| l.replacen(&prefix, "  ", 1))
            .collect();
        assert_eq!(
            listed,
            vec![
                "  app/services/leftover.py:2: imports app.core.managers.execution_engine_factory (module)",
                "  app/services/leftover.py:3: imports app.core.managers.execution_engine_factory (module)",
                "  app/services/leftover.py:7: imports app.core.managers.execution_engine_factory (dynamic)",
                "  app/services/leftover.py:10: names app.core.managers.execution_engine_factory in a string (\"app.core.managers.execution_engine_factory.logger\")",
            ],
            "{notes}"
        );
        assert!(!notes.contains("can be deleted"), "{notes}");
    }
}
