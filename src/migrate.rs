//! Migration: rewrite the imports of a name to its canonical module.
//!
//! Plans, for one symbol origin, every edit that makes its users import it
//! from the canonical module instead of a shim, alias or re-export:
//! `from shim import NAME` statements are retargeted (or split when they
//! import other names too), `alias.NAME` attribute uses get a direct import,
//! and dotted string references are rewritten on request. Edits use the
//! parser's exact ranges and are checked to parse. Applying writes each file
//! atomically after checking it did not change, never outside the root and,
//! in a git work tree, never over uncommitted changes unless allowed. It
//! never deletes an import: a binding that may be a re-export stays bound.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::extract::{self, Detail, ImportForm};
use crate::lines::LineIndex;
use crate::resolve::ModuleId;
use crate::symbols::index::{SymbolIndex, Use, UseHow};
use crate::symbols::{Origin, Origins};

/// What to migrate.
#[derive(Debug, Clone)]
pub struct MigrateOptions {
    /// The name (as defined in the canonical module).
    pub name: String,
    /// The canonical module.
    pub to: ModuleId,
    /// Only rewrite uses that go through these modules (all when empty).
    pub from: Vec<ModuleId>,
    /// Also rewrite string references such as `mock.patch("shim.NAME")`.
    pub include_strings: bool,
}

/// Something the user should look at: not rewritten, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    /// File path relative to the root.
    pub path: String,
    /// 1-based line (in a notebook, within its cell).
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// What and why.
    pub message: String,
}

impl Finding {
    /// The finding at `offset` in the file of `module`.
    pub fn at(analysis: &Analysis, module: ModuleId, offset: u32, message: String) -> Finding {
        Finding {
            path: display_path(analysis, module),
            line: analysis.line(module, offset),
            cell: analysis.cell(module, offset),
            message,
        }
    }

    /// `path:line`, or `path:cell N:line` in a notebook.
    pub fn place(&self) -> String {
        crate::lines::place(&self.path, self.cell, self.line)
    }
}

/// One contiguous group of changed lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// First line (1-based) of the original text replaced.
    pub start_line: u32,
    /// Last line of the original text replaced.
    pub end_line: u32,
    /// The original lines.
    pub before: String,
    /// Their replacement.
    pub after: String,
}

/// The planned rewrite of one file.
#[derive(Debug, Clone)]
pub struct FilePlan {
    /// The file's module.
    pub module: ModuleId,
    /// Path relative to the root.
    pub path: String,
    /// The bytes read, to detect changes before writing.
    pub original: Vec<u8>,
    /// The text after the edits (without the BOM, which is restored on write).
    pub after: String,
    /// The text before (without BOM).
    pub before: String,
    /// Whether the file starts with a UTF-8 BOM.
    pub bom: bool,
    /// Changed line groups.
    pub regions: Vec<Region>,
}

/// Everything a migration would do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The name.
    pub name: String,
    /// The canonical module.
    pub to: ModuleId,
    /// The modules uses currently go through (shims, aliases, re-exports).
    pub old_modules: Vec<ModuleId>,
    /// Per-file rewrites, sorted by path.
    pub files: Vec<FilePlan>,
    /// String references left for manual review (without `--include-strings`).
    pub strings: Vec<Finding>,
    /// Uses of a different definition of the same name: never rewritten.
    pub decisions: Vec<Finding>,
    /// Uses that could not be rewritten safely, with the reason.
    pub skipped: Vec<Finding>,
}

/// A byte-range replacement in a file's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// Plans the migration of `options.name` to `options.to`.
pub fn plan(
    analysis: &Analysis,
    origins: &Origins<'_>,
    index: &SymbolIndex,
    options: &MigrateOptions,
) -> Result<Plan> {
    let to = options.to;
    let canonical: Vec<Origin> = origins
        .of(to, &options.name)
        .into_iter()
        .filter(|o| matches!(o, Origin::Defined { .. }))
        .collect();
    if canonical.is_empty() {
        return Err(Error::Migrate(format!(
            "{} does not define or re-export {}; `blastradius symbol {}` lists where it is defined",
            analysis.name(to),
            options.name,
            options.name
        )));
    }
    let wanted = |u: &Use| {
        u.through != to
            && u.user != to
            && (options.from.is_empty() || options.from.contains(&u.through))
    };
    let mut by_file: BTreeMap<ModuleId, Vec<&Use>> = BTreeMap::new();
    let mut old_modules = Vec::new();
    for origin in &canonical {
        for u in index.uses_of(origin).iter().filter(|u| wanted(u)) {
            by_file.entry(u.user).or_default().push(u);
            old_modules.push(u.through);
        }
    }
    old_modules.sort();
    old_modules.dedup();

    let mut plan = Plan {
        name: options.name.clone(),
        to,
        old_modules,
        files: Vec::new(),
        strings: Vec::new(),
        decisions: Vec::new(),
        skipped: Vec::new(),
    };
    let moved: Vec<(ModuleId, u32)> = by_file
        .values()
        .flatten()
        .map(|u| (u.user, u.offset))
        .collect();
    decisions(
        analysis, origins, index, options, &canonical, &moved, &mut plan,
    );
    for (user, uses) in by_file {
        if let Some(file) = plan_file(
            analysis, origins, options, &canonical, user, &uses, &mut plan,
        ) {
            plan.files.push(file);
        }
    }
    plan.files.sort_by(|a, b| a.path.cmp(&b.path));
    plan.strings.sort();
    plan.decisions.sort();
    plan.skipped.sort();
    Ok(plan)
}

/// Uses of other definitions of the same name: listed, never rewritten.
fn decisions(
    analysis: &Analysis,
    origins: &Origins<'_>,
    index: &SymbolIndex,
    options: &MigrateOptions,
    canonical: &[Origin],
    moved: &[(ModuleId, u32)],
    plan: &mut Plan,
) {
    let Ok(symbol) = crate::symbols::find_symbol(origins, &options.name) else {
        return;
    };
    for origin in symbol.origins.iter().filter(|o| !canonical.contains(o)) {
        let Origin::Defined { module, .. } = origin else {
            continue;
        };
        for u in index.uses_of(origin) {
            if moved.contains(&(u.user, u.offset)) || u.user == *module {
                continue;
            }
            plan.decisions.push(Finding::at(
                analysis,
                u.user,
                u.offset,
                format!(
                    "uses the {} defined in {}, a different definition: not rewritten, decide by hand",
                    options.name,
                    analysis.name(*module)
                ),
            ));
        }
    }
    plan.decisions.dedup();
}

fn display_path(analysis: &Analysis, module: ModuleId) -> String {
    analysis.display_path(module).to_string()
}

/// Plans one file; `None` when nothing can be rewritten there.
fn plan_file(
    analysis: &Analysis,
    origins: &Origins<'_>,
    options: &MigrateOptions,
    canonical: &[Origin],
    user: ModuleId,
    uses: &[&Use],
    plan: &mut Plan,
) -> Option<FilePlan> {
    let path = display_path(analysis, user);
    if crate::source::is_notebook(Path::new(&path)) {
        // Offsets point into the cells' code, not the notebook's JSON.
        for u in uses {
            plan.skipped.push(Finding::at(
                analysis,
                user,
                u.offset,
                "notebooks are not rewritten; change this import by hand".to_string(),
            ));
        }
        return None;
    }
    let lines = &analysis.facts.get(user.index())?.as_ref()?.lines;
    let skip = |plan: &mut Plan, offset: u32, message: String| {
        plan.skipped.push(Finding {
            path: path.clone(),
            line: lines.line(offset),
            cell: None,
            message,
        });
    };
    let original = match std::fs::read(analysis.root.join(analysis.path(user)?)) {
        Ok(bytes) => bytes,
        Err(err) => {
            skip(plan, 0, format!("cannot read: {err}"));
            return None;
        }
    };
    let (bom, body) = match original.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, original.as_slice()),
    };
    let Ok(text) = std::str::from_utf8(body) else {
        skip(plan, 0, "not UTF-8: rewrite this file by hand".to_string());
        return None;
    };
    let text = text.to_string();
    let facts = analysis.facts[user.index()].as_ref()?;
    // Offsets come from the analysis; if the file changed since, they may
    // point anywhere, so the file is left alone.
    let fresh = extract::extract(&text, false, Detail::Symbols);
    if fresh.imports != facts.imports
        || fresh.attribute_uses != facts.attribute_uses
        || fresh.string_refs != facts.string_refs
    {
        skip(
            plan,
            0,
            "changed since it was analysed: run migrate again".to_string(),
        );
        return None;
    }
    let to_name = analysis.name(options.to).to_string();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits: Vec<Edit> = Vec::new();
    let mut inserts: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let spans = extract::from_import_spans(&text);

    // `from old import NAME [as X]`.
    let mut done_statements = Vec::new();
    for u in uses.iter().filter(|u| u.how == UseHow::FromImport) {
        if done_statements.contains(&u.offset) {
            continue;
        }
        done_statements.push(u.offset);
        let Some(span) = spans.iter().find(|s| s.start == u.offset) else {
            skip(
                plan,
                u.offset,
                "import statement not found again".to_string(),
            );
            continue;
        };
        let moving: Vec<usize> = span
            .names
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                uses.iter().any(|v| {
                    v.how == UseHow::FromImport && v.offset == u.offset && v.name == a.name
                })
            })
            .map(|(i, _)| i)
            .collect();
        if moving.len() == span.names.len() {
            edits.push(Edit {
                start: span.module_start as usize,
                end: span.module_end as usize,
                text: to_name.clone(),
            });
            continue;
        }
        // Split: the other names stay in the statement untouched.
        for (first, last) in runs(&moving) {
            edits.push(name_removal(&text, &span.names, first, last));
        }
        let indent = indentation(&text, span.start as usize);
        let at = line_end(&text, span.end as usize);
        for &i in &moving {
            let alias = &span.names[i];
            let local = alias.asname.as_deref().unwrap_or(&alias.name);
            inserts.entry(at).or_default().push(format!(
                "{indent}{}",
                import_line(&to_name, &options.name, local)
            ));
        }
    }

    // `alias.NAME` where alias is bound to an old module.
    let attribute_uses: Vec<&&Use> = uses.iter().filter(|u| u.how == UseHow::Attribute).collect();
    if !attribute_uses.is_empty() {
        let conflicting = Origins::visible_bindings(facts, &options.name)
            .into_iter()
            .any(|i| {
                !origins
                    .of_binding(user, i)
                    .iter()
                    .any(|o| canonical.contains(o))
            });
        if conflicting {
            for u in &attribute_uses {
                skip(
                    plan,
                    u.offset,
                    format!(
                        "the file binds another {} already: rewrite by hand",
                        options.name
                    ),
                );
            }
        } else {
            let mut imported_at: Vec<usize> = Vec::new();
            for u in attribute_uses {
                let Some(attr) = facts.attribute_uses.iter().find(|a| a.offset == u.offset) else {
                    continue;
                };
                edits.push(Edit {
                    start: attr.offset as usize,
                    end: attr.end as usize,
                    text: options.name.clone(),
                });
                let Some(root_import) = root_import(facts, &attr.root, attr.offset) else {
                    continue;
                };
                let at = statement_line_end(&text, root_import as usize);
                if !imported_at.contains(&at) && !has_direct_import(&spans, &to_name, &options.name)
                {
                    imported_at.push(at);
                    let indent = indentation(&text, root_import as usize);
                    inserts.entry(at).or_default().push(format!(
                        "{indent}{}",
                        import_line(&to_name, &options.name, &options.name)
                    ));
                }
            }
        }
    }

    // A module alias whose every use was just rewritten goes too, unless
    // something else may need it (a bare use, `__all__`, another module
    // importing it from here): an import that may be a re-export stays.
    for root in rewritten_roots(facts, &edits) {
        if let Some((start, end)) =
            droppable_alias_import(analysis, facts, &text, &spans, user, &root)
        {
            edits.push(Edit {
                start,
                end,
                text: String::new(),
            });
        }
    }

    // "old.NAME" strings.
    for u in uses.iter().filter(|u| u.how == UseHow::String) {
        let Some(string) = facts.string_refs.iter().find(|s| s.offset == u.offset) else {
            continue;
        };
        let old = analysis.name(u.through);
        if !options.include_strings {
            plan.strings.push(Finding {
                path: path.clone(),
                line: lines.line(u.offset),
                cell: None,
                message: format!(
                    "string \"{}\" names {} through {old}: review, or pass --include-strings",
                    string.value, options.name
                ),
            });
            continue;
        }
        let literal = &text[string.offset as usize..string.end as usize];
        match (literal.find(&string.value), string.value.strip_prefix(old)) {
            (Some(at), Some(rest)) => {
                let start = string.offset as usize + at;
                edits.push(Edit {
                    start,
                    end: start + string.value.len(),
                    text: format!("{to_name}{rest}"),
                });
            }
            _ => skip(
                plan,
                u.offset,
                "string literal is not a plain dotted path in the source: rewrite by hand"
                    .to_string(),
            ),
        }
    }

    for (at, lines_to_add) in inserts {
        let mut block = String::new();
        if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
            block.push_str(newline);
        }
        for line in lines_to_add {
            block.push_str(&line);
            block.push_str(newline);
        }
        edits.push(Edit {
            start: at,
            end: at,
            text: block,
        });
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort();
    if edits
        .windows(2)
        .any(|w| w[0].end > w[1].start && w[0].start != w[1].start)
    {
        skip(
            plan,
            0,
            "overlapping edits: rewrite this file by hand".to_string(),
        );
        return None;
    }
    let after = apply_edits(&text, &edits);
    let errors_before = extract::extract(&text, false, Detail::Imports)
        .syntax_errors
        .len();
    let errors_after = extract::extract(&after, false, Detail::Imports)
        .syntax_errors
        .len();
    if errors_after > errors_before {
        skip(
            plan,
            0,
            "the rewritten file would not parse: rewrite by hand".to_string(),
        );
        return None;
    }
    let regions = regions(&text, &edits);
    Some(FilePlan {
        module: user,
        path,
        original: original.clone(),
        after,
        before: text,
        bom,
        regions,
    })
}

/// Roots (`m` of `m.NAME`) all of whose attribute uses in the file are
/// replaced by `edits`.
fn rewritten_roots(facts: &extract::FileFacts, edits: &[Edit]) -> Vec<String> {
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
fn droppable_alias_import(
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
            ImportForm::Dynamic { .. } => false,
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
        ImportForm::Dynamic { .. } => false,
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
                ImportForm::Import { .. } | ImportForm::Dynamic { .. } => false,
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
fn name_removal(text: &str, names: &[extract::AliasSpan], first: usize, last: usize) -> Edit {
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
fn import_line(module: &str, name: &str, local: &str) -> String {
    if local == name {
        format!("from {module} import {name}")
    } else {
        format!("from {module} import {name} as {local}")
    }
}

/// Whether the file already has `from MODULE import NAME` bound to NAME.
fn has_direct_import(spans: &[extract::FromImportSpan], module: &str, name: &str) -> bool {
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
fn root_import(facts: &extract::FileFacts, root: &str, before: u32) -> Option<u32> {
    let binds = |form: &ImportForm| match form {
        ImportForm::Import { module, asname } => match asname {
            Some(alias) => alias == root,
            None => module.split('.').next() == Some(root),
        },
        ImportForm::From { names, .. } => names
            .iter()
            .any(|n| n.asname.as_deref().unwrap_or(&n.name) == root),
        ImportForm::Dynamic { .. } => false,
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
fn runs(indexes: &[usize]) -> Vec<(usize, usize)> {
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
fn indentation(text: &str, offset: usize) -> String {
    let line_start = text[..offset.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    text[line_start..]
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .collect()
}

/// The offset just past the line terminator of the line holding `offset`.
fn line_end(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    match text[offset..].find('\n') {
        Some(i) => offset + i + 1,
        None => text.len(),
    }
}

/// Like [`line_end`], following `\` continuations of a simple statement.
fn statement_line_end(text: &str, offset: usize) -> usize {
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

fn apply_edits(text: &str, edits: &[Edit]) -> String {
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
fn regions(text: &str, edits: &[Edit]) -> Vec<Region> {
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
        let dirty = dirty_files(
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
        let now = std::fs::read(abs).map_err(|source| Error::Io {
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

/// Files among `paths` (relative to `root`) with uncommitted changes, when
/// `root` is in a git work tree; empty otherwise.
fn dirty_files(root: &Path, paths: &[&str]) -> Vec<String> {
    let inside = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !inside || paths.is_empty() {
        return Vec::new();
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["status", "--porcelain", "--"])
        .args(paths)
        .output();
    match output {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| l.get(3..).map(String::from))
            .collect(),
        _ => Vec::new(),
    }
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
