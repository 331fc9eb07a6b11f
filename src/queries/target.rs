//! Turning what the user typed into a module: a dotted name or a file path.
//!
//! Unknown targets become an [`Error::UnknownTarget`] carrying close matches,
//! so the command line can say "did you mean ...".

use std::path::Path;

use crate::error::{Error, Result};
use crate::resolve::{ModuleId, ModuleTable};

/// Finds the module named by `target`: a dotted module name, or a path to a
/// file (relative to the current directory or to `root`, or absolute).
pub fn find_module(table: &ModuleTable, root: &Path, target: &str) -> Result<ModuleId> {
    if let Some(id) = table.by_name(target) {
        return Ok(id);
    }
    let as_path = Path::new(target);
    let mut candidates = vec![target.replace('\\', "/")];
    if let Ok(abs) = std::path::absolute(as_path)
        && let Ok(root_abs) = std::path::absolute(root)
        && let Ok(rel) = abs.strip_prefix(&root_abs)
    {
        candidates.push(crate::discover::relative(Path::new(""), rel));
    }
    for candidate in &candidates {
        let trimmed = candidate.trim_start_matches("./");
        if let Some(id) = table.by_path(trimmed) {
            return Ok(id);
        }
        // A directory given as a path means its package.
        if let Some(id) = table.by_path(&format!("{}/__init__.py", trimmed.trim_end_matches('/'))) {
            return Ok(id);
        }
    }
    Err(Error::UnknownTarget {
        target: target.to_string(),
        suggestions: suggest(table, target),
    })
}

/// Up to five module names close to `target`, best first.
pub fn suggest(table: &ModuleTable, target: &str) -> Vec<String> {
    let wanted = target.trim_end_matches(".py").replace('/', ".");
    let last = wanted.rsplit('.').next().unwrap_or(&wanted).to_string();
    // A module whose last part (or dotted tail) is exactly what was typed is
    // the best match, whatever its package.
    closest(
        &wanted,
        table.modules().iter().map(|m| m.name.as_str()),
        |name| {
            let tail = name.rsplit('.').next().unwrap_or(name);
            name.ends_with(&format!(".{wanted}")) || tail == last
        },
    )
}

/// Up to five of `candidates` within a small edit distance of `wanted` (or
/// for which `exact` holds), best first.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    exact: impl Fn(&str) -> bool,
) -> Vec<String> {
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|name| {
            let score = if exact(name) {
                0
            } else {
                edit_distance(wanted, name)
            };
            (score <= limit).then_some((score, name))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup();
    scored
        .into_iter()
        .take(5)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn distances() {
        for (a, b, d) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("abc", "abd", 1),
            ("kitten", "sitting", 3),
            ("a", "", 1),
        ] {
            assert_eq!(edit_distance(a, b), d, "{a} {b}");
        }
    }
}
