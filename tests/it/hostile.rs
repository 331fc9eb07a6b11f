//! Hostile trees: odd bytes, huge and deep inputs, many files, and
//! byte-identical answers whatever the number of threads. Each test names
//! the input and asserts what the tool does with it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

/// Runs blastradius on `root` without the cache, whatever its exit code.
fn run_on(root: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_blastradius"));
    command.arg("--root").arg(root).arg("--no-cache").args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// [`run_on`], asserting success.
fn blastradius(root: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let out = run_on(root, env, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn package(root: &Path, files: &[(&str, &[u8])]) {
    fs::create_dir_all(root.join("pkg")).unwrap();
    fs::write(root.join("pkg/__init__.py"), "").unwrap();
    for (name, bytes) in files {
        fs::write(root.join("pkg").join(name), bytes).unwrap();
    }
}

#[test]
fn nul_bytes_lone_carriage_returns_and_form_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    package(
        root,
        &[
            ("b.py", b""),
            ("c.py", b""),
            // A NUL inside a string and one alone on a line: a syntax error,
            // and the imports on both sides are still found.
            ("nul.py", b"import pkg.b\nx = \"a\0b\"\n\0\nimport pkg.c\n"),
            // Old Mac line ends and a form feed at the start of a line.
            ("cr.py", b"x = 1\rimport pkg.b\r\x0cimport pkg.c\n"),
        ],
    );
    let g = graph(root, &["--no-cache"]);
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.cr", "pkg.b", "module", 2, false, ""),
            e("pkg.cr", "pkg.c", "module", 3, false, ""),
            e("pkg.nul", "pkg.b", "module", 1, false, ""),
            e("pkg.nul", "pkg.c", "module", 4, false, ""),
        ]
    );
    let errors = g["parse_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "pkg/nul.py");
    assert_eq!(errors[0]["line"], 3);
}

#[test]
fn a_50_mb_file_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let line = b"# padding padding padding padding padding padding padding padding padding\n";
    let lines = 50 * 1024 * 1024 / line.len() + 1;
    let mut big = b"import pkg.b\n".to_vec();
    big.reserve(lines * line.len() + 20);
    for _ in 0..lines {
        big.extend_from_slice(line);
    }
    big.extend_from_slice(b"import pkg.c\n");
    assert!(big.len() > 50 * 1024 * 1024);
    package(root, &[("b.py", b""), ("c.py", b""), ("big.py", &big)]);
    let g = graph(root, &["--no-cache"]);
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.big", "pkg.b", "module", 1, false, ""),
            e("pkg.big", "pkg.c", "module", lines as u64 + 2, false, ""),
        ]
    );
    assert_eq!(g["problems"], serde_json::json!([]));
}

/// Creates `depth` nested directories `d/d/...` under `root` with `m.py` at
/// the bottom. Paths that long cannot be created by absolute path, so
/// Python walks down with relative `chdir`s; `false` when python3 is absent.
fn deep_tree(root: &Path, depth: usize) -> bool {
    let script = format!(
        "import os\nos.chdir({root:?})\nfor _ in range({depth}):\n    os.mkdir('d')\n    os.chdir('d')\nopen('m.py', 'w').write('import top\\n')\n",
        root = root.to_str().unwrap()
    );
    match Command::new("python3").arg("-c").arg(script).status() {
        Ok(status) => {
            assert!(status.success());
            true
        }
        Err(_) => false,
    }
}

#[test]
fn a_10000_level_directory_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("top.py"), "import os\n").unwrap();
    if !deep_tree(root, 10_000) {
        eprintln!("skipped: python3 is needed to build a 10,000-level tree");
        return;
    }
    let out = blastradius(root, &[], &["graph", "--format", "json"]);
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(g["summary"]["files"], 1);
    // What could not be walked is said, naming the path and the reason.
    let problems = g["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let path = problems[0]["path"].as_str().unwrap();
    assert!(
        path.starts_with("d/d/d/") && path.len() > 4000,
        "{}",
        &path[..40]
    );
    assert!(
        problems[0]["message"]
            .as_str()
            .unwrap()
            .contains("File name too long"),
        "{}",
        problems[0]["message"]
    );
    // Human output says it too.
    let out = blastradius(root, &[], &["graph"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("File name too long"));
}

#[test]
fn a_hundred_thousand_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for p in 0..100 {
        let package = root.join(format!("p{p}"));
        fs::create_dir(&package).unwrap();
        fs::write(package.join("__init__.py"), "").unwrap();
        for m in 0..999 {
            fs::write(package.join(format!("m{m}.py")), "").unwrap();
        }
    }
    fs::write(root.join("p0/m0.py"), "from p99 import m998\n").unwrap();
    let g = graph(root, &["--no-cache"]);
    assert_eq!(g["summary"]["files"], 100_000);
    assert_eq!(g["summary"]["modules"], 100_000);
    assert_eq!(
        edges(&g),
        vec![e("p0.m0", "p99.m998", "module", 1, false, "")]
    );
}

/// Every output of the sample repository, with the report's own timing removed.
fn outputs(env: &[(&str, &str)]) -> Vec<Vec<u8>> {
    let root = sample_repo();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.html");
    let commands: &[&[&str]] = &[
        &["graph", "--format", "json"],
        &["graph", "--format", "dot"],
        &["graph", "--format", "mermaid"],
        &["graph"],
        &["duplicates", "--json"],
        &["broken", "--json"],
        &["cycles", "--json"],
        &["symbol", "ExecutionEngineFactory", "--json"],
        &[
            "impact",
            "app.core.managers.execution_engine_factory",
            "--json",
        ],
    ];
    let mut all: Vec<Vec<u8>> = commands
        .iter()
        .map(|args| run_on(&root, env, args).stdout)
        .collect();
    blastradius(&root, env, &["report", "-o", report.to_str().unwrap()]);
    let html = fs::read_to_string(&report).unwrap();
    let start = html.find("analysed in ").unwrap();
    let end = start + html[start..].find(" · ").unwrap();
    all.push(format!("{}{}", &html[..start], &html[end..]).into_bytes());
    all
}

#[test]
fn outputs_are_byte_identical_across_thread_counts() {
    let one = outputs(&[("RAYON_NUM_THREADS", "1")]);
    assert!(one.iter().all(|o| !o.is_empty()));
    for threads in ["2", "7"] {
        assert!(
            outputs(&[("RAYON_NUM_THREADS", threads)]) == one,
            "output differs with {threads} threads"
        );
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_are_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("secret.py"), "import os\n").unwrap();
    package(&root, &[("a.py", b"import pkg.b\n"), ("b.py", b"")]);
    symlink(&outside, root.join("pkg/ext")).unwrap();
    symlink(outside.join("secret.py"), root.join("linked.py")).unwrap();
    symlink(root.join("pkg/b.py"), root.join("pkg/inside.py")).unwrap();
    // Not followed by default (as ripgrep and ruff): only the real files.
    let g = graph(&root, &["--no-cache"]);
    let names: Vec<String> = modules(&g).into_iter().map(|m| m.0).collect();
    assert_eq!(names, strings(&["pkg", "pkg.a", "pkg.b"]));
    // --follow-links follows links inside the root and names the others.
    let g = graph(&root, &["--no-cache", "--follow-links"]);
    let names: Vec<String> = modules(&g).into_iter().map(|m| m.0).collect();
    assert_eq!(names, strings(&["pkg", "pkg.a", "pkg.b", "pkg.inside"]));
    let message = "symbolic link leads outside the root; not followed";
    assert_eq!(
        g["problems"],
        serde_json::json!([
            {"path": "linked.py", "message": message},
            {"path": "pkg/ext", "message": message},
        ])
    );
}

#[test]
fn a_hundred_thousand_nested_parentheses() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let mut deep = b"import pkg.b\nx = ".to_vec();
    deep.extend(std::iter::repeat_n(b'(', 100_000));
    deep.extend(std::iter::repeat_n(b')', 100_000));
    deep.extend_from_slice(b"\nimport pkg.c\n");
    package(root, &[("b.py", b""), ("c.py", b""), ("deep.py", &deep)]);
    let g = graph(root, &["--no-cache"]);
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.deep", "pkg.b", "module", 1, false, ""),
            e("pkg.deep", "pkg.c", "module", 3, false, ""),
        ]
    );
}

#[test]
fn every_json_answer_lists_what_was_not_seen() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    package(
        root,
        &[
            ("a.py", b"import pkg.b\nclass Thing: pass\n"),
            ("b.py", b"from pkg.a import Thing\n"),
            ("broken.py", b"import pkg.a\ndef f(:\n"),
            ("latin.py", b"import pkg.a\nx = '\xff'\n"),
        ],
    );
    let commands: &[&[&str]] = &[
        &["graph", "--format", "json"],
        &["graph", "--format", "json", "--focus", "pkg.a"],
        &["dependents", "pkg.a", "--json"],
        &["dependencies", "pkg.b", "--json"],
        &["path", "pkg.b", "pkg.a", "--json"],
        &["cycles", "--json"],
        &["impact", "pkg.a", "--json"],
        &["symbol", "Thing", "--json"],
        &["duplicates", "--json"],
        &["broken", "--json"],
    ];
    for args in commands {
        let out = run_on(root, &[], args);
        let answer: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|err| panic!("{args:?}: {err}"));
        let files = &answer["incomplete"]["files"];
        let listed: Vec<(&str, &str)> = files
            .as_array()
            .unwrap_or_else(|| panic!("{args:?}: no incomplete.files"))
            .iter()
            .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("pkg/broken.py", "partially-parsed"),
                ("pkg/latin.py", "problem")
            ],
            "{args:?}"
        );
        assert!(
            files[0]["message"]
                .as_str()
                .unwrap()
                .contains("first at line 2"),
            "{args:?}: {}",
            files[0]["message"]
        );
    }
}

#[test]
fn the_same_module_in_two_source_roots_is_reported_and_the_first_root_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for (src, body) in [("a", "import os\n"), ("b", "import sys\n")] {
        fs::create_dir_all(root.join(src).join("pkg")).unwrap();
        fs::write(root.join(src).join("pkg/__init__.py"), "").unwrap();
        fs::write(root.join(src).join("pkg/m.py"), body).unwrap();
    }
    fs::write(root.join("main.py"), "import pkg.m\n").unwrap();
    // Like sys.path: the source root given first provides the module, and
    // the other copy is listed as shadowed, whatever the walk order.
    for (first, second) in [("a", "b"), ("b", "a")] {
        let g = graph(root, &["--no-cache", "--src", first, "--src", second]);
        let winner = format!("{first}/pkg/m.py");
        assert_eq!(
            modules(&g),
            vec![
                (
                    "main".to_string(),
                    "module".to_string(),
                    Some("main.py".to_string())
                ),
                (
                    "pkg".to_string(),
                    "package".to_string(),
                    Some(format!("{first}/pkg/__init__.py"))
                ),
                (
                    "pkg.m".to_string(),
                    "module".to_string(),
                    Some(winner.clone())
                ),
            ]
        );
        assert_eq!(
            g["shadowed"],
            serde_json::json!([
                {"path": format!("{second}/pkg/__init__.py"), "shadowed_by": "pkg", "winner": format!("{first}/pkg/__init__.py")},
                {"path": format!("{second}/pkg/m.py"), "shadowed_by": "pkg.m", "winner": winner},
            ])
        );
        assert_eq!(edges(&g), vec![e("main", "pkg.m", "module", 1, false, "")]);
    }
}

/// A file listed by the walk and gone before it is read: reported as a
/// problem (so `incomplete` says so), its importers still point at it,
/// with and without the cache.
#[test]
fn a_file_deleted_between_walk_and_read_is_a_problem() {
    use blastradius::analysis::{Analysis, RunOptions};
    use blastradius::discover::{DiscoverOptions, discover};
    use blastradius::extract::Detail;
    for cached in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        package(
            root,
            &[
                ("a.py", b"import pkg.gone\n"),
                ("gone.py", b"import pkg.a\n"),
            ],
        );
        let cache_dir = tempfile::tempdir().unwrap();
        let options = DiscoverOptions {
            root: root.to_path_buf(),
            ..DiscoverOptions::default()
        };
        let discovery = discover(&options).unwrap();
        assert!(discovery.files.iter().any(|f| f.rel_path == "pkg/gone.py"));
        fs::remove_file(root.join("pkg/gone.py")).unwrap();
        let run = RunOptions {
            detail: Detail::Symbols,
            cache_dir: cached.then(|| cache_dir.path().to_path_buf()),
            progress: false,
            import_functions: Vec::new(),
        };
        let analysis = Analysis::from_discovery(discovery, &run);
        let problems: Vec<(&str, &str)> = analysis
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![("pkg/gone.py", "file disappeared before it could be read")],
            "cached: {cached}"
        );
        let gone = analysis.modules.by_name("pkg.gone").unwrap();
        assert!(analysis.facts[gone.index()].is_none());
        let a = analysis.modules.by_name("pkg.a").unwrap();
        let edges: Vec<(&str, &str)> = analysis
            .graph
            .edges()
            .into_iter()
            .map(|(from, to, _)| (analysis.name(from), analysis.name(to)))
            .collect();
        // The import of the deleted module, and both modules' parent edges:
        // the module stays a node with a file, only its facts are missing.
        assert_eq!(
            edges,
            vec![("pkg.a", "pkg"), ("pkg.a", "pkg.gone"), ("pkg.gone", "pkg")]
        );
        assert!(analysis.facts[a.index()].is_some());
    }
}

/// Unreadable files and directories, as a user without root's override
/// (CI runs as root, so there the binary is run as `nobody` through
/// `setpriv`): each is a "permission denied" problem listed under
/// `incomplete`, and everything readable is analysed.
#[test]
fn unreadable_files_and_directories_are_listed_as_not_seen() {
    use std::os::unix::fs::PermissionsExt;
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if as_root && Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: running as root without setpriv to drop privileges");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The binary is copied in, so the unprivileged user can run it
    // whatever the permissions on the build directory.
    let binary = dir.path().join("blastradius");
    fs::copy(env!("CARGO_BIN_EXE_blastradius"), &binary).unwrap();
    let root = dir.path().join("tree");
    package(
        &root,
        &[
            ("a.py", b"import pkg.secret\nimport pkg.hidden.x\n"),
            ("secret.py", b"import pkg.a\n"),
        ],
    );
    fs::create_dir(root.join("pkg/hidden")).unwrap();
    fs::write(root.join("pkg/hidden/x.py"), "").unwrap();
    let mode = |path: &Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    };
    mode(dir.path(), 0o755);
    for path in [root.clone(), root.join("pkg")] {
        mode(&path, 0o755);
    }
    mode(&root.join("pkg/__init__.py"), 0o644);
    mode(&root.join("pkg/a.py"), 0o644);
    mode(&root.join("pkg/secret.py"), 0o000);
    mode(&root.join("pkg/hidden"), 0o000);
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary);
        c
    } else {
        Command::new(&binary)
    };
    let out = command
        .arg("--root")
        .arg(&root)
        .args(["--no-cache", "graph", "--format", "json"])
        .output()
        .unwrap();
    // Let the temporary directory be removed.
    mode(&root.join("pkg/hidden"), 0o755);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let problems: Vec<(String, String)> = g["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            ("pkg/hidden".to_string(), "permission denied".to_string()),
            ("pkg/secret.py".to_string(), "permission denied".to_string()),
        ]
    );
    let listed: Vec<(&str, &str)> = g["incomplete"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        vec![("pkg/hidden", "problem"), ("pkg/secret.py", "problem")]
    );
    assert_eq!(
        edges(&g),
        vec![e("pkg.a", "pkg.secret", "module", 1, false, "")]
    );
}
