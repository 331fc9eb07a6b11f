//! The HTML report: written where asked, self-contained, escaped, and in a
//! real headless Chromium its script runs without error, draws one dot per
//! affected module on the right ring, and filters the table.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use serde_json::Value;

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";

fn write_report(root: &Path, dir: &Path, extra: &[&str]) -> (String, std::path::PathBuf) {
    let out = dir.join("report.html");
    let mut args = vec![
        "--root",
        root.to_str().unwrap(),
        "report",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let result = run(&args);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&result.stdout),
        format!("{}\n", out.display())
    );
    (std::fs::read_to_string(&out).unwrap(), out)
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
}

fn ring_counts(svg: &str) -> Vec<(u64, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for part in svg.split("<circle class=\"dot").skip(1) {
        let ring: u64 = between(part, "data-ring=\"", "\"").parse().unwrap();
        *counts.entry(ring).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// Depth counts of `impact TARGET --json`, an independent answer.
fn depth_counts(target: &str) -> Vec<(u64, usize)> {
    let v = json(&sample_repo(), &["impact", target, "--json"]);
    v["depths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["depth"].as_u64().unwrap(),
                d["count"].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

#[test]
fn default_report_shows_the_factory_duplication_with_its_radius() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = write_report(&sample_repo(), dir.path(), &["--critical", "*websocket*"]);
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network references"
    );
    assert!(!html.contains(" src="), "no external resources");
    let dup = between(
        &html,
        "<article class=\"duplicate\" id=\"dup0\">",
        "</article>",
    );
    assert!(dup.contains("<code>ExecutionEngineFactory</code> — 3 definitions, 13 using file(s)"));
    assert!(dup.contains(&format!("Suggested canonical: <code>{FACTORY}</code>")));
    assert_eq!(
        dup.matches("<div class=\"origin\">").count()
            + dup.matches("<div class=\"origin suggested\">").count(),
        3
    );
    assert!(
        dup.contains("Removing this definition breaks 1 import(s):"),
        "the registry class"
    );
    assert!(dup.contains("app/routes/admin_routes.py:4 from-import via app.agents.registry"));
    assert!(dup.contains("Removing this definition breaks no import (its module re-exports another definition under the same name)."));
    // The radius of the name: every file using any of its definitions.
    let svg = between(dup, "<svg class=\"radius\"", "</svg>");
    assert_eq!(ring_counts(svg), depth_counts("ExecutionEngineFactory"));
    // Header counts.
    assert!(html.contains("<li><b>47</b>files</li>"));
    assert!(html.contains("<li><b>2</b>cycles</li>"));
    // The table data is one JSON block.
    let data: Value = serde_json::from_str(between(
        &html,
        "<script type=\"application/json\" id=\"report-data\">",
        "</script>",
    ))
    .unwrap();
    assert_eq!(data["tables"].as_object().unwrap().len(), 10);
}

#[test]
fn target_sections_draw_one_dot_per_affected_module_per_ring() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = write_report(
        &sample_repo(),
        dir.path(),
        &["--target", FACTORY, "--target", "app.core.config"],
    );
    for (id, target) in [("t0", FACTORY), ("t1", "app.core.config")] {
        let section = between(
            &html,
            &format!("<section id=\"{id}\" class=\"target-section\">"),
            "</section>",
        );
        let svg = between(section, "<svg class=\"radius\"", "</svg>");
        assert_eq!(ring_counts(svg), depth_counts(target), "{target}");
    }
    assert!(
        !html.contains("id=\"duplicates\""),
        "module targets: no duplicate section"
    );
}

#[test]
fn hostile_file_names_are_escaped() {
    let tree = tempfile::tempdir().unwrap();
    std::fs::write(tree.path().join("core.py"), "").unwrap();
    std::fs::write(
        tree.path().join("\"><img src=x onerror=alert(1)>.py"),
        "import core\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = write_report(tree.path(), dir.path(), &["--target", "core"]);
    assert!(
        !html.contains("<img"),
        "raw markup from a file name reached the page"
    );
    assert!(html.contains("&#34;&#62;&#60;img src=x onerror=alert(1)&#62;.py"));
    let data = between(&html, "id=\"report-data\">", "</script>");
    assert!(data.contains("\\u003cimg"));
}

#[test]
fn refuses_to_overwrite_python_sources() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("module.py");
    std::fs::write(&target, "x = 1\n").unwrap();
    let root = sample_repo();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "report",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite a Python source file")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "x = 1\n");
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM of `url` after its scripts ran, from headless Chromium.
fn dump_dom(browser: &str, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", url])
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn report_scripts_run_and_filter_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium not installed (CI installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = write_report(
        &sample_repo(),
        dir.path(),
        &["--target", FACTORY, "--critical", "*websocket*"],
    );
    let url = format!("file://{}", path.display());
    let dom = dump_dom(browser, &url);
    assert!(
        dom.contains("data-status=\"ok\""),
        "script error or script did not run"
    );
    assert!(dom.contains("data-ready=\"1\""));
    let table = between(
        &dom,
        "<table class=\"affected\" id=\"table-t0\">",
        "</table>",
    );
    let expected: usize = depth_counts(FACTORY).iter().map(|(_, n)| n).sum();
    assert_eq!(table.matches("<tr data-depth=").count(), expected);
    let svg = between(&dom, "<svg class=\"radius\"", "</svg>");
    assert_eq!(ring_counts(svg), depth_counts(FACTORY));
    // The same page opened with a filter in its address.
    let dom = dump_dom(browser, &format!("{url}#t0&role=test"));
    let table = between(
        &dom,
        "<table class=\"affected\" id=\"table-t0\">",
        "</table>",
    );
    let rows = table.matches("<tr data-depth=").count();
    let tests = json(&sample_repo(), &["impact", FACTORY, "--json"])["summary"]["tests"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(rows, tests);
    assert!(dom.contains(&format!("{tests} of {expected} shown")));
    // Critical rows whose module, path or chain mention the bridge, counted
    // from the JSON answer independently of the page.
    let v = json(
        &sample_repo(),
        &["impact", FACTORY, "--critical", "*websocket*", "--json"],
    );
    let wanted = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["critical"] == true && a.to_string().contains("bridge"))
        .count();
    assert!(wanted >= 1);
    let dom = dump_dom(browser, &format!("{url}#t0&critical=1&text=bridge"));
    let table = between(
        &dom,
        "<table class=\"affected\" id=\"table-t0\">",
        "</table>",
    );
    assert_eq!(table.matches("<tr data-depth=").count(), wanted);
    assert!(table.contains("app.websocket_core.bridge"));
}

#[test]
fn header_counts_match_their_sections_and_shadowed_files_have_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = write_report(&sample_repo(), dir.path(), &[]);
    let header = between(&html, "<ul class=\"counts\">", "</ul>");
    let count = |label: &str| -> u64 {
        let item = header
            .split("<li>")
            .find(|li| li.ends_with(&format!("{label}</li>")))
            .unwrap_or_else(|| panic!("no {label} in {header}"));
        between(item, "<b>", "</b>").parse().unwrap()
    };
    let rows = |id: &str| -> u64 {
        let section = between(&html, &format!("<section id=\"{id}\">"), "</section>");
        section.matches("<tr><td").count() as u64
    };
    // sample_repo: one file with syntax errors, one shadowed file, the two
    // broken imports of legacy_service.py.
    assert_eq!(count("syntax errors and unreadable files"), 1);
    assert_eq!(rows("parse-errors"), 1);
    assert_eq!(count("shadowed files"), 1);
    assert_eq!(rows("shadowed"), 1);
    assert_eq!(count("broken imports"), 2);
    assert_eq!(rows("broken"), 2);
    assert!(
        between(&html, "<section id=\"shadowed\">", "</section>")
            .contains("never imported: shadowed by")
    );
}
