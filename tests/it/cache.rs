//! The facts cache: warm runs answer exactly like cold ones, changes are
//! seen (including edits that keep size and mtime), touched files are not
//! parsed again, and a damaged, foreign or unwritable cache never changes
//! an answer.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use crate::common::{copy_dir, run, sample_repo};

/// A private copy of sample_repo (so its cache and edits are the test's own).
fn tree() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    copy_dir(&sample_repo(), &root);
    (dir, root)
}

fn blastradius(root: &Path, args: &[&str]) -> Output {
    let root = root.to_string_lossy().into_owned();
    let mut full = vec!["--root", root.as_str(), "--timings", "--quiet"];
    full.extend_from_slice(args);
    let out = run(&full);
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The `cache:` line of --timings.
fn cache_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find(|l| l.starts_with("cache:"))
        .unwrap_or_default()
        .to_string()
}

/// (fresh, confirmed by content, parsed) from the `cache:` line.
fn counts(out: &Output) -> (usize, usize, usize) {
    let line = cache_line(out);
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(numbers.len(), 3, "no counts in {line:?}");
    (numbers[0], numbers[1], numbers[2])
}

fn cache_file(root: &Path) -> PathBuf {
    root.join(".blastradius_cache/facts.bin")
}

/// Sets `path`'s modification time to `when`.
fn set_mtime(path: &Path, when: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// Ages every file of the tree so cache entries are trusted on size and
/// mtime alone (fresh files are confirmed by content hash instead).
fn age_tree(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() == ".blastradius_cache" {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            age_tree(&entry.path());
        } else {
            set_mtime(&entry.path(), old);
        }
    }
}

const FILES: usize = 47;

/// Every answer the symbol commands and the graph give, as bytes.
fn answers(root: &Path, extra: &[&str]) -> Vec<Vec<u8>> {
    let commands: &[&[&str]] = &[
        &["graph", "--format", "json"],
        &["duplicates", "--json"],
        &["symbol", "ExecutionEngineFactory", "--json"],
        &["broken", "--json"],
        &[
            "impact",
            "app.core.managers.execution_engine_factory",
            "--json",
        ],
    ];
    commands
        .iter()
        .map(|args| {
            let mut full = extra.to_vec();
            full.extend_from_slice(args);
            blastradius(root, &full).stdout
        })
        .collect()
}

#[test]
fn warm_runs_answer_byte_for_byte_like_cold_runs() {
    let (_dir, root) = tree();
    age_tree(&root);
    let cold = answers(&root, &["--no-cache"]);
    assert!(!cache_file(&root).exists(), "--no-cache wrote a cache");
    // First with a cache: every file parsed, cache written.
    let first = blastradius(&root, &["graph", "--format", "json"]);
    assert_eq!(counts(&first), (0, 0, FILES));
    assert!(
        cache_line(&first).contains("written"),
        "{}",
        cache_line(&first)
    );
    // The graph run stored symbol facts too: symbol commands are warm and exact.
    let warm = answers(&root, &[]);
    assert_eq!(warm, cold);
    let again = blastradius(&root, &["duplicates", "--json"]);
    assert_eq!(counts(&again), (FILES, 0, 0));
    assert!(
        !cache_line(&again).contains("written"),
        "unchanged cache rewritten"
    );
}

#[test]
fn an_edit_is_seen_even_when_size_and_mtime_are_unchanged() {
    let (_dir, root) = tree();
    let file = root.join("app/core/config.py");
    let before = fs::read_to_string(&file).unwrap();
    // Just written: entries are confirmed by content hash on the next run.
    blastradius(&root, &["graph", "--format", "json"]);
    let mtime = fs::metadata(&file).unwrap().modified().unwrap();
    // Same length, same mtime, different content: a new import.
    assert!(before.len() > 20);
    let edited = format!("import app.agents\n{}", &before[18..]);
    assert_eq!(edited.len(), before.len());
    fs::write(&file, &edited).unwrap();
    set_mtime(&file, mtime);
    let out = blastradius(&root, &["graph", "--format", "json"]);
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]);
    assert_eq!(out.stdout, cold.stdout);
    let (_, _, parsed) = counts(&out);
    assert_eq!(parsed, 1, "{}", cache_line(&out));
    let graph: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["from"] == "app.core.config" && e["to"] == "app.agents"),
        "the new import is missing"
    );
}

#[test]
fn touched_files_are_confirmed_by_content_not_parsed() {
    let (_dir, root) = tree();
    age_tree(&root);
    blastradius(&root, &["graph", "--format", "json"]);
    let now = SystemTime::now();
    for path in ["app/core/config.py", "app/main.py", "tests/conftest.py"] {
        set_mtime(&root.join(path), now);
    }
    let out = blastradius(&root, &["graph", "--format", "json"]);
    assert_eq!(counts(&out), (FILES - 3, 3, 0));
    assert!(
        cache_line(&out).contains("written"),
        "new mtimes not recorded"
    );
    // The rewrite copied every kept symbol part from the old file intact.
    let out = blastradius(&root, &["duplicates", "--json"]);
    assert!(
        !cache_line(&out).contains("corrupt"),
        "{}",
        cache_line(&out)
    );
    assert_eq!(counts(&out), (FILES - 3, 3, 0), "{}", cache_line(&out));
    assert_eq!(answers(&root, &[]), answers(&root, &["--no-cache"]));
}

#[test]
fn changed_added_and_deleted_files_are_reanalysed() {
    let (_dir, root) = tree();
    age_tree(&root);
    blastradius(&root, &["graph", "--format", "json"]);
    fs::write(
        root.join("app/new_module.py"),
        "from app.core import config\n",
    )
    .unwrap();
    fs::remove_file(root.join("app/main.py")).unwrap();
    let config = root.join("app/core/config.py");
    let mut text = fs::read_to_string(&config).unwrap();
    text.push_str("\nimport app.agents.registry\n");
    fs::write(&config, text).unwrap();
    let out = blastradius(&root, &["graph", "--format", "json"]);
    // 47 - 1 deleted + 1 added; the added and the edited file are parsed.
    assert_eq!(counts(&out), (FILES - 2, 0, 2));
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]);
    assert_eq!(out.stdout, cold.stdout);
}

/// Byte ranges of the index, imports and symbols sections of a cache file
/// (from its header: magic, format, fingerprint, root, written-at, then
/// a length and a checksum per section).
fn sections(cache: &[u8]) -> [std::ops::Range<usize>; 3] {
    let field = |at: usize| u64::from_le_bytes(cache[at..at + 8].try_into().unwrap()) as usize;
    let header = 44 + 3 * 16;
    let (index, imports, symbols) = (field(44), field(60), field(76));
    [
        header..header + index,
        header + index..header + index + imports,
        header + index + imports..header + index + imports + symbols,
    ]
}

#[test]
fn damaged_or_foreign_caches_are_ignored_and_rebuilt() {
    let (_dir, root) = tree();
    age_tree(&root);
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]).stdout;
    let cold_duplicates = blastradius(&root, &["--no-cache", "duplicates", "--json"]).stdout;
    blastradius(&root, &["graph", "--format", "json"]);
    let good = fs::read(cache_file(&root)).unwrap();
    let [index, imports, symbols] = sections(&good);
    assert_eq!(symbols.end, good.len());
    assert!(!index.is_empty() && !imports.is_empty() && !symbols.is_empty());
    let flip = |at: usize| {
        let mut bytes = good.clone();
        bytes[at] ^= 0x55;
        bytes
    };
    let mut other_version = good.clone();
    other_version[20] ^= 0x01;
    let corrupt = Some("truncated or corrupt");
    // (case, bytes, reason given by `graph`, reason given by `duplicates`):
    // `graph` reads no symbol parts, so a damaged symbols section only
    // matters to the symbol commands.
    type Case<'a> = (&'a str, Vec<u8>, Option<&'a str>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (
            "truncated",
            good[..good.len() - 7].to_vec(),
            corrupt,
            corrupt,
        ),
        ("header only", good[..40].to_vec(), corrupt, corrupt),
        (
            "index byte",
            flip(index.start + index.len() / 2),
            corrupt,
            corrupt,
        ),
        (
            "imports byte",
            flip(imports.start + imports.len() / 2),
            corrupt,
            corrupt,
        ),
        (
            "symbols byte",
            flip(symbols.start + symbols.len() / 2),
            None,
            corrupt,
        ),
        ("empty", Vec::new(), corrupt, corrupt),
        (
            "not a cache",
            b"{\"json\": true}\n".repeat(100),
            corrupt,
            corrupt,
        ),
        (
            "another build",
            other_version,
            Some("another version"),
            Some("another version"),
        ),
    ];
    for (what, bytes, graph_reason, symbols_reason) in cases {
        for (args, reason, expected) in [
            (&["graph", "--format", "json"][..], graph_reason, &cold),
            (
                &["duplicates", "--json"][..],
                symbols_reason,
                &cold_duplicates,
            ),
        ] {
            fs::write(cache_file(&root), &bytes).unwrap();
            let out = blastradius(&root, args);
            assert_eq!(&out.stdout, expected, "{what} {args:?}");
            match reason {
                Some(reason) => {
                    assert!(
                        cache_line(&out).contains(reason),
                        "{what}: {}",
                        cache_line(&out)
                    );
                    assert_eq!(counts(&out), (0, 0, FILES), "{what} {args:?}");
                }
                None => assert_eq!(counts(&out), (FILES, 0, 0), "{what} {args:?}"),
            }
            let rebuilt = blastradius(&root, args);
            assert_eq!(&rebuilt.stdout, expected, "{what} {args:?}");
            assert_eq!(
                counts(&rebuilt),
                (FILES, 0, 0),
                "{what} {args:?}: not rebuilt"
            );
        }
    }
}

#[test]
fn a_damaged_symbols_section_is_dropped_not_copied_when_rewriting() {
    let (_dir, root) = tree();
    age_tree(&root);
    blastradius(&root, &["graph", "--format", "json"]);
    let mut bytes = fs::read(cache_file(&root)).unwrap();
    let symbols = sections(&bytes)[2].clone();
    bytes[symbols.start + 1] ^= 0x55;
    fs::write(cache_file(&root), &bytes).unwrap();
    // A touched file makes `graph` rewrite the cache; it cannot copy the
    // damaged symbol parts of the entries it kept, so it leaves them out
    // rather than writing a cache that would fail its own checksum.
    set_mtime(&root.join("app/main.py"), SystemTime::now());
    let out = blastradius(&root, &["graph", "--format", "json"]);
    assert_eq!(counts(&out), (FILES - 1, 1, 0));
    assert!(cache_line(&out).contains("written"), "{}", cache_line(&out));
    let out = blastradius(&root, &["duplicates", "--json"]);
    assert_eq!(
        cache_line(&out),
        format!("cache: 0 fresh, 0 unchanged by content (touched), {FILES} parsed; written")
    );
}

#[test]
fn a_cache_for_another_root_is_not_used() {
    let (_dir, root) = tree();
    let shared = tempfile::tempdir().unwrap();
    let dir = shared.path().to_string_lossy().into_owned();
    let (_other_dir, other) = tree();
    blastradius(&root, &["--cache-dir", &dir, "graph", "--format", "json"]);
    assert!(shared.path().join("facts.bin").is_file());
    assert!(!cache_file(&root).exists(), "--cache-dir ignored");
    let out = blastradius(&other, &["--cache-dir", &dir, "graph", "--format", "json"]);
    assert!(
        cache_line(&out).contains("another root"),
        "{}",
        cache_line(&out)
    );
}

#[test]
fn an_unwritable_cache_warns_and_answers_in_full() {
    let (_dir, root) = tree();
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]).stdout;
    // A file where the cache directory should be: it cannot be created.
    let blocker = root.join("blocker");
    fs::write(&blocker, "").unwrap();
    let dir = blocker.join("cache").to_string_lossy().into_owned();
    let args = [
        "--root",
        root.to_str().unwrap(),
        "--cache-dir",
        &dir,
        "graph",
        "--format",
        "json",
    ];
    let out = run(&args);
    assert!(out.status.success());
    assert_eq!(out.stdout, cold);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("warning: could not write the cache in ") && stderr.contains("blocker"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // --quiet silences the warning, not the answer.
    let mut quiet = args.to_vec();
    quiet.insert(0, "--quiet");
    let out = run(&quiet);
    assert_eq!(out.stdout, cold);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn concurrent_runs_agree_and_leave_a_valid_cache() {
    let (_dir, root) = tree();
    age_tree(&root);
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]).stdout;
    let root_arg = root.to_string_lossy().into_owned();
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_blastradius"))
                .args(["--root", &root_arg, "--quiet", "graph", "--format", "json"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout, cold);
    }
    let out = blastradius(&root, &["graph", "--format", "json"]);
    assert_eq!(out.stdout, cold);
    assert_eq!(counts(&out), (FILES, 0, 0));
    let leftovers: Vec<_> = fs::read_dir(root.join(".blastradius_cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn decoding_warnings_are_reported_again_from_the_cache() {
    let (_dir, root) = tree();
    fs::write(
        root.join("app/latin.py"),
        b"import app.core.config\nx = '\xff'\n",
    )
    .unwrap();
    age_tree(&root);
    let cold = blastradius(&root, &["--no-cache", "graph", "--format", "json"]).stdout;
    blastradius(&root, &["graph", "--format", "json"]);
    let warm = blastradius(&root, &["graph", "--format", "json"]);
    assert_eq!(counts(&warm).2, 0);
    assert_eq!(warm.stdout, cold);
    let graph: serde_json::Value = serde_json::from_slice(&warm.stdout).unwrap();
    let problems = graph["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["path"] == "app/latin.py"),
        "{problems:?}"
    );
}
