//! Applying a migration: each planned file written atomically, after
//! checking that it did not change since it was read, that it is inside
//! the root, and (unless allowed) that git has no uncommitted changes in it.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::migrate::Plan;

/// Writes every planned file: refuses when a file changed since it was
/// read, when a path leaves the root, or (unless `allow_dirty`) when git
/// reports uncommitted changes to a file it would touch. Each file is
/// written to a temporary file beside it, flushed, then renamed over it.
pub fn apply(root: &Path, plan: &Plan, allow_dirty: bool) -> Result<Vec<PathBuf>> {
    let root_abs = std::fs::canonicalize(root).map_err(|source| Error::Io {
        path: root.to_path_buf(),
        source,
    })?;
    let refuse =
        |path: &Path, message: String| Error::Migrate(format!("{}: {message}", path.display()));
    let mut targets = Vec::new();
    for file in &plan.files {
        let path = root.join(&file.path);
        let abs = std::fs::canonicalize(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        if !abs.starts_with(&root_abs) {
            return Err(refuse(&path, "outside the root; not written".to_string()));
        }
        targets.push((abs, file));
    }
    if !allow_dirty {
        let dirty = crate::git::dirty_files(
            root,
            &plan
                .files
                .iter()
                .map(|f| f.path.as_str())
                .collect::<Vec<_>>(),
        );
        if !dirty.is_empty() {
            return Err(Error::Migrate(format!(
                "uncommitted changes in {}; commit or stash them, or pass --allow-dirty",
                dirty.join(", ")
            )));
        }
    }
    for (abs, file) in &targets {
        let now = crate::source::read_bytes(abs).map_err(|source| Error::Io {
            path: abs.clone(),
            source,
        })?;
        if now != file.original {
            return Err(refuse(
                abs,
                "changed since it was read; run migrate again".to_string(),
            ));
        }
    }
    let mut written = Vec::new();
    for (abs, file) in targets {
        let mut bytes = Vec::with_capacity(file.after.len() + 3);
        if file.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(file.after.as_bytes());
        crate::atomic::write_atomically(&abs, &bytes).map_err(|source| Error::Io {
            path: abs.clone(),
            source,
        })?;
        written.push(abs);
    }
    Ok(written)
}
