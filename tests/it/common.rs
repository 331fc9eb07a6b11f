//! Helpers shared by the integration tests: run the binary, read its JSON,
//! and flatten edges into comparable tuples.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Path of a fixture tree under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Path of `sample_repo/`.
pub fn sample_repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_repo")
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Runs the binary with `args` from the directory `dir` (human output
/// shows paths as seen from there).
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs")
}

/// Runs the binary on `root` with `args` and parses stdout as JSON; panics
/// (with stderr) when the exit code is not `code`.
pub fn json_with_code(root: &Path, args: &[&str], code: i32) -> Value {
    let root = root.to_string_lossy().into_owned();
    let mut full = vec!["--root", root.as_str()];
    full.extend_from_slice(args);
    let out = run(&full);
    assert_eq!(
        out.status.code(),
        Some(code),
        "args {full:?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// Like [`json_with_code`] expecting success.
pub fn json(root: &Path, args: &[&str]) -> Value {
    json_with_code(root, args, 0)
}

/// `graph --format json` of `root`.
pub fn graph(root: &Path, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend_from_slice(&["graph", "--format", "json"]);
    json(root, &args)
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Statement edges as `(from, to, kind, line, guarded, names joined by
/// ',')`. The implicit `parent` and `conftest` edges, which have no line,
/// are left out: [`implicit_edges`] lists them, for the tests of their rules.
pub fn edges(graph: &Value) -> Vec<(String, String, String, u64, bool, String)> {
    graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| !e["line"].is_null())
        .map(|e| {
            let names: Vec<String> = e["names"]
                .as_array()
                .expect("names")
                .iter()
                .map(s)
                .collect();
            (
                s(&e["from"]),
                s(&e["to"]),
                s(&e["kind"]),
                e["line"].as_u64().expect("line"),
                e["guarded"].as_bool().expect("guarded"),
                names.join(","),
            )
        })
        .collect()
}

/// The implicit edges (`parent`, `conftest`) as `(from, to, kind)`; they
/// have no line and take no names.
pub fn implicit_edges(graph: &Value) -> Vec<(String, String, String)> {
    graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["line"].is_null())
        .map(|e| {
            assert_eq!(e["names"], serde_json::json!([]), "{e}");
            (s(&e["from"]), s(&e["to"]), s(&e["kind"]))
        })
        .collect()
}

/// Builds an expected implicit edge tuple.
pub fn ie(from: &str, to: &str, kind: &str) -> (String, String, String) {
    (from.into(), to.into(), kind.into())
}

/// Builds an expected edge tuple.
pub fn e(
    from: &str,
    to: &str,
    kind: &str,
    line: u64,
    guarded: bool,
    names: &str,
) -> (String, String, String, u64, bool, String) {
    (
        from.into(),
        to.into(),
        kind.into(),
        line,
        guarded,
        names.into(),
    )
}

/// Unresolved imports as `(from, line, import, reason)`.
pub fn unresolved(graph: &Value) -> Vec<(String, u64, String, String)> {
    graph["unresolved"]
        .as_array()
        .expect("unresolved")
        .iter()
        .map(|u| {
            (
                s(&u["from"]),
                u["line"].as_u64().expect("line"),
                s(&u["import"]),
                s(&u["reason"]),
            )
        })
        .collect()
}

/// External imports as `(from, module, line, stdlib)`.
pub fn external(graph: &Value) -> Vec<(String, String, u64, bool)> {
    graph["external"]
        .as_array()
        .expect("external")
        .iter()
        .map(|x| {
            (
                s(&x["from"]),
                s(&x["module"]),
                x["line"].as_u64().expect("line"),
                x["stdlib"].as_bool().expect("stdlib"),
            )
        })
        .collect()
}

/// Modules as `(name, kind, path)`.
pub fn modules(graph: &Value) -> Vec<(String, String, Option<String>)> {
    graph["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| {
            (
                s(&m["name"]),
                s(&m["kind"]),
                m["path"].as_str().map(String::from),
            )
        })
        .collect()
}

/// Owned strings from string literals.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Copies the tree at `from` into `to` (created when missing), leaving out
/// the facts cache earlier runs left in the fixture.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".blastradius_cache" {
            continue;
        }
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs git in `dir` with a throwaway identity; panics when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
