//! Command-line behaviour: errors, exit codes, human output, determinism.

use crate::common::*;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unknown_target_suggests_close_matches_and_exits_2() {
    let root = sample_repo();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "dependents",
        "app.core.managers.execution_engine_factori",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown target \"app.core.managers.execution_engine_factori\"; did you mean app.core.managers.execution_engine_factory"), "{err}");
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "dependents",
        "execution_engine_factory",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean app.agents.supervisor.execution_engine_factory, app.core.managers.execution_engine_factory"), "{}", stderr(&out));
}

#[test]
fn missing_root_and_file_root_are_one_line_errors() {
    let out = run(&["--root", "/nonexistent/blastradius-root", "graph"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: root /nonexistent/blastradius-root does not exist; pass --root with your repository's directory (default: the current one)\n"
    );
    let file = fixture("kinds").join("mod.py");
    let out = run(&["--root", file.to_str().unwrap(), "graph"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: root "), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a file, not a directory"));
}

#[test]
fn empty_root_gives_an_empty_graph() {
    let dir = tempfile::tempdir().unwrap();
    let g = graph(dir.path(), &[]);
    assert_eq!(g["modules"], serde_json::json!([]));
    assert_eq!(g["edges"], serde_json::json!([]));
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_unreadable_files_are_reported_not_fatal() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/a.py"), "import pkg.b\n").unwrap();
    std::fs::write(root.join("pkg/b.py"), "").unwrap();
    symlink(root.join("pkg"), root.join("pkg/loop")).unwrap();
    // Not followed by default: no problem, no duplicate modules.
    let g = graph(root, &[]);
    assert_eq!(edges(&g), vec![e("pkg.a", "pkg.b", "module", 1, false, "")]);
    // Followed: the loop is reported and the run still finishes.
    let g = graph(root, &["--follow-links"]);
    assert_eq!(edges(&g), vec![e("pkg.a", "pkg.b", "module", 1, false, "")]);
    let problems = g["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["message"] == "symbolic link loop"),
        "{problems:?}"
    );

    let secret = root.join("pkg/secret.py");
    std::fs::write(&secret, "import pkg.a\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&secret).is_err() {
        // Only meaningful when not running with root's override.
        let g = graph(root, &[]);
        assert!(
            g["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["path"] == "pkg/secret.py" && p["message"] == "permission denied")
        );
    }
}

#[test]
fn human_output_has_aligned_rows_and_an_incompleteness_note() {
    let root = sample_repo();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "dependents",
        "app.core.config",
        "--depth",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "5 module(s) depend on app.core.config (5 import, 0 runtime, 0 typing; kinds: module, lazy, type-checking, dynamic, parent, conftest)"
    );
    // One table per tier that has results, under its heading.
    assert_eq!(
        lines[2],
        "import tier: 5 module(s), runs when it is imported"
    );
    assert_eq!(
        lines[3].split_whitespace().collect::<Vec<_>>(),
        vec!["depth", "module", "path", "chain"]
    );
    // The path column is where an editor should open: the import's line.
    // Seen from the current directory: the root as given, joined.
    let prefix = format!("{}/", sample_repo().display());
    let places: Vec<&str> = lines[4..]
        .iter()
        .map(|row| row.split_whitespace().nth(2).unwrap())
        .map(|place| place.strip_prefix(prefix.as_str()).unwrap())
        .collect();
    assert_eq!(
        places,
        vec![
            "app/db/session.py:4",
            "app/main.py:6",
            "app/plugins/metrics_plugin.py:2",
            "app/routes/health.py:4",
            "app/services/broken_module.py:2",
        ]
    );
    let column = lines[3].find("module").unwrap();
    for row in &lines[4..] {
        assert_eq!(
            row.find("app.").or_else(|| row.find("scripts")),
            Some(column),
            "{row}"
        );
    }
    assert_eq!(
        stderr_of(&root),
        "note: 1 file(s) with syntax errors (partially parsed), 1 unresolved first-party import(s), 1 shadowed file(s); `blastradius graph` lists them\n"
    );
}

fn stderr_of(root: &std::path::Path) -> String {
    stderr(&run(&["--root", root.to_str().unwrap(), "cycles"]))
}

#[test]
fn json_output_is_byte_identical_across_runs() {
    let root = sample_repo();
    let a = run(&[
        "--root",
        root.to_str().unwrap(),
        "graph",
        "--format",
        "json",
    ]);
    let b = run(&[
        "--root",
        root.to_str().unwrap(),
        "graph",
        "--format",
        "json",
    ]);
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn completions_for_each_shell() {
    let cases = [
        ("bash", "_blastradius() {"),
        ("zsh", "#compdef blastradius"),
        (
            "fish",
            "complete -c blastradius -n \"__fish_blastradius_needs_command\" -f -a \"impact\"",
        ),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'blastradius'",
        ),
    ];
    for (shell, expected) in cases {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains(expected), "{shell}: {script}");
        // Every subcommand is completed.
        for command in [
            "graph",
            "dependents",
            "impact",
            "report",
            "migrate",
            "check",
            "completions",
        ] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let root = sample_repo();
    let root = root.to_str().unwrap();
    let args = |color: &'static str| {
        vec![
            "--root",
            root,
            "--color",
            color,
            "dependents",
            "app.core.config",
            "--depth",
            "1",
        ]
    };
    // Piped output (as here) is plain with auto and never.
    for color in ["auto", "never"] {
        let out = run(&args(color));
        assert!(
            !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
            "{color}"
        );
    }
    // Always: a bold header (aligned as without colour) and a coloured note.
    let out = run(&args("always"));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let plain = String::from_utf8(run(&args("never")).stdout).unwrap();
    let header = text.lines().nth(3).unwrap();
    assert_eq!(
        header.replace("\x1b[1m", "").replace("\x1b[0m", ""),
        plain.lines().nth(3).unwrap()
    );
    assert!(header.starts_with("\x1b[1mdepth\x1b[0m  "), "{header:?}");
    assert!(
        stderr(&out).starts_with("\x1b[1;36mnote:\x1b[0m "),
        "{:?}",
        stderr(&out)
    );
    let out = run(&["--color", "always", "--root", "/nonexistent/x", "graph"]);
    assert!(
        stderr(&out).starts_with("\x1b[1;31merror:\x1b[0m root"),
        "{:?}",
        stderr(&out)
    );
}

#[test]
fn command_help_lists_its_own_options_before_the_global_ones() {
    let out = run(&["dependents", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let own = text.find("--depth <N>").expect("own option");
    let json = text.find("--json").expect("own option");
    let heading = text.find("\nGlobal options:\n").expect("global heading");
    let root = text.find("--root <DIR>").expect("global option");
    assert!(own < heading && json < heading && heading < root, "{text}");
    // The short help keeps the same order.
    let out = run(&["dependents", "-h"]);
    let short = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        short.find("--depth").unwrap() < short.find("Global options:").unwrap(),
        "{short}"
    );
}

#[test]
fn top_level_help_ends_with_examples() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let examples = text
        .split("\nExamples:\n")
        .nth(1)
        .expect("an Examples section");
    let commands: Vec<&str> = examples
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("blastradius "))
        .collect();
    assert_eq!(
        commands,
        [
            "blastradius report --root sample_repo",
            "blastradius impact app.core.config --critical '*websocket*'",
            "blastradius symbol ExecutionEngineFactory",
            "blastradius check --format github",
        ]
    );
}

#[test]
fn human_paths_are_seen_from_the_current_directory() {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = |args: &[&str]| {
        let mut all = vec!["--root", "sample_repo"];
        all.extend_from_slice(args);
        String::from_utf8(run_in(here, &all).stdout).unwrap()
    };
    let path = text(&[
        "path",
        "app.routes.websocket_routes",
        "app.agents.supervisor.execution_engine_factory",
    ]);
    assert!(
        path.contains("\n  sample_repo/app/routes/websocket_routes.py:4: app.routes.websocket_routes imports app.core.managers.execution_engine_factory (module)\n"),
        "{path}"
    );
    let symbol = text(&["symbol", "ExecutionEngineFactory"]);
    assert!(
        symbol.contains("class app.agents.supervisor.execution_engine_factory — sample_repo/app/agents/supervisor/execution_engine_factory.py:12\n"),
        "{symbol}"
    );
    let graph = text(&["graph"]);
    assert!(
        graph.contains(
            "\n  sample_repo/app/utils/formatting.py: shadowed by app.utils.formatting\n"
        ),
        "{graph}"
    );
    let broken = text(&["broken"]);
    assert!(
        broken.contains("\nsample_repo/app/services/legacy_service.py:7: from app.core.managers.legacy_engine import LegacyEngine\n"),
        "{broken}"
    );
}
