//! docs/walkthrough.md, executed: from a copy of sample_repo to a migrated
//! copy that `check` passes, with the outputs the document shows. The
//! `[[ignore]]` entries are read from the document itself.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Runs one step of the document inside `root`, as the document does.
fn step(root: &Path, args: &[&str], code: i32) -> (String, String) {
    let mut all = vec!["--color", "never"];
    all.extend_from_slice(args);
    let out = Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .args(&all)
        .current_dir(root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{args:?}\n{stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

fn git(root: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}

#[test]
fn the_walkthrough_reaches_a_check_clean_copy() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&sample_repo(), root);
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);

    let (out, _) = step(root, &["duplicates"], 0);
    assert!(out.contains("ExecutionEngineFactory [fallback] — 3 origins, 13 using file(s); suggested canonical: app.agents.supervisor.execution_engine_factory"), "{out}");
    let (_, err) = step(root, &["init"], 0);
    assert!(err.contains("wrote a starter configuration to"), "{err}");
    let (out, err) = step(root, &["check"], 1);
    assert_eq!(out.lines().count(), 7, "{out}");
    assert!(
        err.contains("check: 7 violation(s) (2 allowed by ignore entries)"),
        "{err}"
    );
    // The document runs inside the copy; here the baseline path must be absolute.
    let baseline = root.join("blastradius-baseline.json");
    let baseline = baseline.to_str().unwrap();
    let (_, err) = step(
        root,
        &["check", "--baseline", baseline, "--update-baseline"],
        0,
    );
    assert!(
        err.contains("recorded 7 violation(s); 0 fixed one(s) dropped"),
        "{err}"
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "config"]);

    let factory = "app.agents.supervisor.execution_engine_factory";
    let (_, err) = step(
        root,
        &[
            "migrate",
            "ExecutionEngineFactory",
            "--to",
            factory,
            "--include-strings",
            "--remove-shim",
            "--apply",
        ],
        0,
    );
    assert!(err.contains("rewrote 6 file(s) to import ExecutionEngineFactory from app.agents.supervisor.execution_engine_factory"), "{err}");
    assert!(
        err.contains("  none: the old modules can be deleted"),
        "{err}"
    );
    let (_, err) = step(root, &["check", "--baseline", baseline], 0);
    assert!(err.contains("6 fixed, 1 remaining, 0 new"), "{err}");

    let before = step(&sample_repo(), &["broken"], 1).0;
    fs::remove_file(root.join("app/core/managers/execution_engine_factory.py")).unwrap();
    let (after, _) = step(root, &["broken"], 1);
    assert_eq!(after, before, "deleting the shim broke something");

    let (out, err) = step(root, &["check"], 0);
    assert_eq!(out, "");
    assert!(
        err.starts_with("check: no violations (2 allowed by ignore entries)\n"),
        "{err}"
    );
}
