//! Asking git: the Python files changed since a reference, and which files
//! have uncommitted changes.
//!
//! The only module that runs `git`. It reads git's answers and never
//! changes the repository. Outside a work tree, questions that have a safe
//! answer (no uncommitted changes to protect) get it; the others are errors
//! naming the reference.

use std::path::Path;
use std::process::Command;

use crate::error::{Error, Result};

/// Runs `git -C root ARGS`; `Ok(None)` when git ran and failed, with its
/// first line of stderr in `failure`.
fn run(root: &Path, args: &[&str]) -> std::io::Result<Result<String, String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()?;
    if output.status.success() {
        Ok(Ok(String::from_utf8_lossy(&output.stdout).into_owned()))
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Ok(Err(stderr
            .lines()
            .next()
            .unwrap_or("git failed")
            .to_string()))
    }
}

/// Python files (relative to `root`) changed between `reference` and the
/// working tree, plus untracked ones, sorted.
pub fn changed_since(root: &Path, reference: &str) -> Result<Vec<String>> {
    let git = |args: &[&str]| -> Result<String> {
        match run(root, args) {
            Ok(Ok(stdout)) => Ok(stdout),
            Ok(Err(message)) => Err(Error::Git {
                reference: reference.to_string(),
                message,
            }),
            Err(source) => Err(Error::GitUnavailable {
                reference: reference.to_string(),
                source,
            }),
        }
    };
    let changed = git(&["diff", "--name-only", "--relative", reference, "--"])?;
    let untracked = git(&["ls-files", "--others", "--exclude-standard"])?;
    let mut files: Vec<String> = changed
        .lines()
        .chain(untracked.lines())
        .filter(|p| p.ends_with(".py") || p.ends_with(".pyi"))
        .map(String::from)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// Files among `paths` (relative to `root`) with uncommitted changes, when
/// `root` is in a git work tree; empty otherwise (or when git cannot run:
/// there is then no work tree to protect).
pub fn dirty_files(root: &Path, paths: &[&str]) -> Vec<String> {
    let inside = matches!(
        run(root, &["rev-parse", "--is-inside-work-tree"]),
        Ok(Ok(_))
    );
    if !inside || paths.is_empty() {
        return Vec::new();
    }
    let mut args = vec!["status", "--porcelain", "--"];
    args.extend_from_slice(paths);
    match run(root, &args) {
        Ok(Ok(stdout)) => stdout
            .lines()
            .filter_map(|l| l.get(3..).map(String::from))
            .collect(),
        Ok(Err(_)) | Err(_) => Vec::new(),
    }
}
