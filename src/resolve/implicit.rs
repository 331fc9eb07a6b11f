//! The edges no statement makes: a module's parent package, which Python
//! runs first, and the `conftest.py` files pytest loads before a test
//! module.
//!
//! Built from the module table (and pytest's view of the tree) alone: no
//! facts, no files.

use rustc_hash::FxHashMap;

use crate::extract::ImportKind;
use crate::pytest::Pytest;
use crate::resolve::{EdgeOccurrence, ModuleId, ModuleKind, ModuleTable};

/// The implicit `parent` edges: every module and package `a.b.c` (namespace
/// packages included) runs its parent package `a.b` first, so it depends on
/// it at import time. Top-level modules and scripts have none.
pub fn parent_edges(table: &ModuleTable) -> Vec<EdgeOccurrence> {
    table
        .iter()
        .filter(|(_, module)| module.kind != ModuleKind::Script)
        .filter_map(|(from, module)| {
            let (parent, _) = module.name.rsplit_once('.')?;
            let to = table.by_name(parent)?;
            Some(EdgeOccurrence {
                from,
                to,
                offset: None,
                kind: ImportKind::Parent,
                at_import: false,
                pattern: false,
                guarded: false,
                names: Vec::new(),
            })
        })
        .collect()
}

/// The implicit `conftest` edges: pytest loads every `conftest.py` from a
/// test module's rootdir down to its directory before it imports the test
/// module, so each test module depends on each of them.
pub fn conftest_edges(table: &ModuleTable, pytest: &Pytest) -> Vec<EdgeOccurrence> {
    let conftests: FxHashMap<&str, ModuleId> = table
        .iter()
        .filter_map(|(id, module)| {
            let path = module.path.as_deref()?;
            let dir = match path.rsplit_once('/') {
                Some((dir, "conftest.py")) => dir,
                None if path == "conftest.py" => "",
                Some(_) | None => return None,
            };
            Some((dir, id))
        })
        .collect();
    let mut edges = Vec::new();
    if conftests.is_empty() {
        return edges;
    }
    for (from, module) in table.iter() {
        let Some(path) = module.path.as_deref() else {
            continue;
        };
        // Matching pytest's globs costs more than looking for a conftest.py
        // on the way up, which most modules of most trees do not have.
        if !has_conftest_above(path, &conftests) || !pytest.is_test_module(path) {
            continue;
        }
        for dir in pytest.conftest_dirs(path) {
            if let Some(&to) = conftests.get(dir.as_str())
                && to != from
            {
                edges.push(EdgeOccurrence {
                    from,
                    to,
                    offset: None,
                    kind: ImportKind::Conftest,
                    at_import: false,
                    pattern: false,
                    guarded: false,
                    names: Vec::new(),
                });
            }
        }
    }
    edges
}

/// True when a directory holding `path`, or one above it, has a
/// `conftest.py` (a key of `conftests`, `""` for the root).
fn has_conftest_above(path: &str, conftests: &FxHashMap<&str, ModuleId>) -> bool {
    let mut dir = path;
    while let Some((parent, _)) = dir.rsplit_once('/') {
        if conftests.contains_key(parent) {
            return true;
        }
        dir = parent;
    }
    conftests.contains_key("")
}
