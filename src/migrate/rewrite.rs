//! Text edits for a migration: byte-range replacements over a file's text,
//! the helpers that find where lines and statements start and end, the
//! grouping of edits into changed-line regions, and the unified diff.
//!
//! Pure functions over text and extracted facts; no I/O, no parsing.

use crate::analysis::Analysis;
use crate::extract::{self, ImportForm};
use crate::lines::LineIndex;
use crate::migrate::{FilePlan, Region};
use crate::resolve::ModuleId;

/// A byte-range replacement in a file's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) text: String,
}

/// Roots (`m` of `m.NAME`) all of whose attribute uses in the file are
/// replaced by `edits`.
pub(crate) fn rewritten_roots(facts: &extract::FileFacts, edits: &[Edit]) -> Vec<String> {
    let replaced = |a: &extract::AttributeUse| {
        edits
            .iter()
            .any(|e| e.start == a.offset as usize && e.end == a.end as usize)
    };
    let mut roots: Vec<String> = facts
        .attribute_uses
        .iter()
        .filter(|a| replaced(a))
        .map(|a| a.root.clone())
        .collect();
    roots.sort();
    roots.dedup();
    roots.retain(|root| {
        facts
            .attribute_uses
            .iter()
            .filter(|a| &a.root == root)
            .all(replaced)
    });
    roots
}

/// The whole-line range of the statement binding `root` when it can be
/// deleted: a one-name `import a.b as root`, `import root` or
/// `from p import m [as root]` alone on its line(s), `root` not used bare, not in `__all__`, and not
/// imported from this module by any other file.
pub(crate) fn droppable_alias_import(
    analysis: &Analysis,
    facts: &extract::FileFacts,
    text: &str,
    spans: &[extract::FromImportSpan],
    user: ModuleId,
    root: &str,
) -> Option<(usize, usize)> {
    if facts.bare_uses.iter().any(|n| n == root)
        || facts
            .dunder_all
            .as_ref()
            .is_some_and(|all| all.iter().any(|n| n == root))
    {
        return None;
    }
    let binding: Vec<&extract::RawImport> = facts
        .imports
        .iter()
        .filter(|i| match &i.form {
            ImportForm::Import { module, asname } => {
                asname
                    .as_deref()
                    .unwrap_or(module.split('.').next().unwrap_or(module))
                    == root
            }
            ImportForm::From { names, .. } => names
                .iter()
                .any(|n| n.asname.as_deref().unwrap_or(&n.name) == root),
            ImportForm::Dynamic(_) => false,
        })
        .collect();
    let [import] = binding.as_slice() else {
        return None;
    };
    let offset = import.offset as usize;
    let one_name = match &import.form {
        ImportForm::Import { .. } => {
            facts
                .imports
                .iter()
                .filter(|i| i.offset == import.offset)
                .count()
                == 1
        }
        ImportForm::From { .. } => spans
            .iter()
            .find(|s| s.start == import.offset)
            .is_some_and(|s| s.names.len() == 1),
        ImportForm::Dynamic(_) => false,
    };
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = statement_line_end(text, offset);
    let alone = text[line_start..offset].trim().is_empty() && !text[offset..end].contains(';');
    let me = analysis.name(user);
    let imported_elsewhere = analysis.facts.iter().enumerate().any(|(i, f)| {
        let importer = ModuleId(i as u32);
        f.as_ref().is_some_and(|f| {
            f.imports.iter().any(|imp| match &imp.form {
                ImportForm::From {
                    level,
                    module,
                    names,
                } => {
                    names.iter().any(|n| n.name == root)
                        && analysis
                            .modules
                            .from_base(importer, *level, module)
                            .is_ok_and(|base| base == me)
                }
                ImportForm::Import { .. } | ImportForm::Dynamic(_) => false,
            })
        })
    });
    (one_name && alone && !imported_elsewhere).then_some((line_start, end))
}

/// The deletion that takes names `first..=last` out of a `from` import
/// while the others stay: up to the next name when one follows; otherwise,
/// with a trailing comma, the names and that comma (and the line, when
/// nothing else is left on it, so comments on other lines survive); without
/// one, from the end of the previous name.
pub(crate) fn name_removal(
    text: &str,
    names: &[extract::AliasSpan],
    first: usize,
    last: usize,
) -> Edit {
    let start = names[first].start as usize;
    if let Some(next) = names.get(last + 1) {
        return Edit {
            start,
            end: next.start as usize,
            text: String::new(),
        };
    }
    let after = names[last].end as usize;
    let rest = &text[after..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[spaces..].starts_with(',') {
        let end = after + spaces + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = line_end(text, end);
        let left = text[line_start..start].trim().is_empty();
        let right = text[end..line_end].trim().is_empty();
        return if left && right && line_start > 0 {
            Edit {
                start: line_start,
                end: line_end,
                text: String::new(),
            }
        } else {
            Edit {
                start,
                end,
                text: String::new(),
            }
        };
    }
    let previous = first
        .checked_sub(1)
        .map_or(start, |p| names[p].end as usize);
    Edit {
        start: previous,
        end: after,
        text: String::new(),
    }
}

/// `from MODULE import NAME [as LOCAL]`.
pub(crate) fn import_line(module: &str, name: &str, local: &str) -> String {
    if local == name {
        format!("from {module} import {name}")
    } else {
        format!("from {module} import {name} as {local}")
    }
}

/// Whether the file already has `from MODULE import NAME` bound to NAME.
pub(crate) fn has_direct_import(
    spans: &[extract::FromImportSpan],
    module: &str,
    name: &str,
) -> bool {
    spans.iter().any(|s| {
        s.level == 0
            && s.module == module
            && s.names
                .iter()
                .any(|a| a.name == name && a.asname.as_deref().is_none_or(|x| x == name))
    })
}

/// Offset of the import statement that binds `root` (the last one before
/// `before`, else the first).
pub(crate) fn root_import(facts: &extract::FileFacts, root: &str, before: u32) -> Option<u32> {
    let binds = |form: &ImportForm| match form {
        ImportForm::Import { module, asname } => match asname {
            Some(alias) => alias == root,
            None => module.split('.').next() == Some(root),
        },
        ImportForm::From { names, .. } => names
            .iter()
            .any(|n| n.asname.as_deref().unwrap_or(&n.name) == root),
        ImportForm::Dynamic(_) => false,
    };
    let candidates: Vec<u32> = facts
        .imports
        .iter()
        .filter(|i| binds(&i.form))
        .map(|i| i.offset)
        .collect();
    candidates
        .iter()
        .rev()
        .find(|&&o| o < before)
        .or(candidates.first())
        .copied()
}

/// Maximal runs of consecutive indexes: `[1, 2, 4]` → `[(1, 2), (4, 4)]`.
pub(crate) fn runs(indexes: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in indexes {
        match out.last_mut() {
            Some((_, last)) if *last + 1 == i => *last = i,
            _ => out.push((i, i)),
        }
    }
    out
}

/// The whitespace that starts the line holding `offset`.
pub(crate) fn indentation(text: &str, offset: usize) -> String {
    let line_start = text[..offset.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    text[line_start..]
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .collect()
}

/// The offset just past the line terminator of the line holding `offset`.
pub(crate) fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    match text[offset..].find('\n') {
        Some(i) => offset + i + 1,
        None => text.len(),
    }
}

/// Like [`line_end`], following `\` continuations of a simple statement.
pub(crate) fn statement_line_end(text: &str, offset: usize) -> usize {
    let mut end = line_end(text, offset);
    while end > 0 && end < text.len() {
        let line = text[..end].trim_end_matches(['\n', '\r']);
        if !line.ends_with('\\') {
            break;
        }
        end = line_end(text, end);
    }
    end
}

pub(crate) fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in edits {
        if edit.start < at {
            continue;
        }
        out.push_str(&text[at..edit.start]);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Groups edits into whole-line regions with their before and after text.
pub(crate) fn regions(text: &str, edits: &[Edit]) -> Vec<Region> {
    let index = LineIndex::new(text);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for edit in edits {
        let at_line_start = edit.start == 0 || text.as_bytes()[edit.start - 1] == b'\n';
        let (start, end) = if edit.end == edit.start && at_line_start && edit.start > 0 {
            // An inserted line belongs with the line it follows.
            let previous = text[..edit.start - 1].rfind('\n').map_or(0, |i| i + 1);
            (previous, edit.start)
        } else {
            let start = text[..edit.start].rfind('\n').map_or(0, |i| i + 1);
            let end = if edit.end > edit.start {
                line_end(text, edit.end.saturating_sub(1))
            } else {
                line_end(text, edit.start)
            };
            (start, end)
        };
        match spans.last_mut() {
            Some((_, last_end)) if start <= *last_end => *last_end = (*last_end).max(end),
            _ => spans.push((start, end)),
        }
    }
    spans
        .into_iter()
        .map(|(start, end)| {
            let inside: Vec<Edit> = edits
                .iter()
                .filter(|e| e.start >= start && e.end <= end)
                .map(|e| Edit {
                    start: e.start - start,
                    end: e.end - start,
                    text: e.text.clone(),
                })
                .collect();
            let before = &text[start..end];
            let offset = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            Region {
                start_line: index.line(offset(start)),
                end_line: index.line(offset(end.saturating_sub(1).max(start))),
                before: before.to_string(),
                after: apply_edits(before, &inside),
            }
        })
        .collect()
}

/// A unified diff of one planned file.
pub fn unified_diff(file: &FilePlan) -> String {
    similar::TextDiff::from_lines(&file.before, &file.after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_indexes() {
        assert_eq!(runs(&[1, 2, 4]), vec![(1, 2), (4, 4)]);
        assert_eq!(runs(&[]), Vec::<(usize, usize)>::new());
    }

    #[test]
    fn line_helpers() {
        let text = "a\n    import x as m \\\n  , y\nz";
        assert_eq!(indentation(text, 6), "    ");
        assert_eq!(line_end(text, 0), 2);
        assert_eq!(statement_line_end(text, 2), 28);
        assert_eq!(line_end(text, 28), text.len());
    }
}
