//! A closed stdout (`blastradius … | head -c 10`) is success: exit 0 and no
//! error, for every command that writes JSON. The outputs are well over the
//! 64 KiB stdout buffer, so the closed pipe shows up while a JSON writer is
//! still writing (wrapped in its own error), not only at the final flush.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// Modules in the generated ring; their long names make every answer large.
const MODULES: usize = 1500;

/// A package of `MODULES` modules in one import ring, each importing a
/// class through a shim and a name its target lacks, each defining `Dup`;
/// a forbidden rule every module breaks.
fn write_tree(root: &Path) {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("canonical.py"), "class Thing:\n    pass\n").unwrap();
    std::fs::write(pkg.join("shim.py"), "from pkg.canonical import Thing\n").unwrap();
    for i in 0..MODULES {
        let next = (i + 1) % MODULES;
        std::fs::write(
            pkg.join(format!("module_with_a_rather_long_name_{i:05}.py")),
            format!(
                "from pkg.shim import Thing\n\
                 from pkg import module_with_a_rather_long_name_{next:05}\n\
                 from pkg.canonical import missing_{i}\n\n\
                 class Dup:\n    pass\n"
            ),
        )
        .unwrap();
    }
    std::fs::write(
        root.join("blastradius.toml"),
        "forbidden = [{ from = \"pkg.module_*\", to = \"pkg.canonical\" }]\n",
    )
    .unwrap();
}

/// Runs the binary, reads 10 bytes of its stdout, closes the pipe, and
/// returns the exit code with stderr.
fn run_into_closed_pipe(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .arg("--root")
        .arg(root)
        .arg("--quiet")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap().code(), stderr)
}

#[test]
fn a_closed_stdout_pipe_is_success_for_every_json_command() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    let first = "pkg.module_with_a_rather_long_name_00000";
    let last = "pkg.module_with_a_rather_long_name_01499";
    let commands: &[&[&str]] = &[
        &["graph", "--format", "json"],
        &["graph", "--format", "json", "--focus", "pkg.canonical"],
        &["dependents", "pkg.canonical", "--json"],
        &["dependencies", first, "--json"],
        &["impact", "pkg.canonical", "--json"],
        &["path", first, last, "--json"],
        &["cycles", "--json"],
        &["symbol", "Dup", "--json"],
        &["duplicates", "--json"],
        &["broken", "--json"],
        &["migrate", "Thing", "--to", "pkg.canonical", "--json"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
    ];
    for args in commands {
        // The answer is far larger than the 64 KiB stdout buffer.
        let full = crate::common::run(
            &[&["--root", dir.path().to_str().unwrap(), "--quiet"], *args].concat(),
        );
        assert!(
            full.stdout.len() > 128 * 1024,
            "{args:?}: {} bytes",
            full.stdout.len()
        );
        let (code, stderr) = run_into_closed_pipe(dir.path(), args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}
