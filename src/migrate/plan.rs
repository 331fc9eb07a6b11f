//! Planning a migration: which uses of a name go through another module,
//! and the edits that make each file import it from the canonical module.
//!
//! Reads the analysis, its origins and symbol index, and each file to
//! rewrite (through `source`); writes nothing. A file that changed since it
//! was analysed, a notebook, or a rewrite that would not parse is listed as
//! skipped, never planned.

use std::collections::BTreeMap;
use std::path::Path;

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::extract::{self, Detail};
use crate::migrate::rewrite::{
    Edit, apply_edits, droppable_alias_import, has_direct_import, import_line, indentation,
    line_end, name_removal, regions, rewritten_roots, root_import, runs, statement_line_end,
};
use crate::migrate::{FilePlan, Finding, MigrateOptions, Plan};
use crate::resolve::ModuleId;
use crate::source::{self, Exact, NotRewritable};
use crate::symbols::index::{SymbolIndex, Use, UseHow};
use crate::symbols::roles::{BindingRole, binding_role};
use crate::symbols::{Origin, Origins};

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
    // The old modules are also known when their uses are gone (a second
    // run after `--apply`): the modules given with `--from`, and those that
    // re-export the canonical definition (exported by `__all__` or a
    // package, or imported through), except `to`'s own packages, which run
    // whenever `to` is imported.
    old_modules.extend(options.from.iter().copied());
    let to_name = analysis.name(to);
    for origin in &canonical {
        for r in index.reexports_of(origin) {
            let name = analysis.name(r.module);
            let ancestor = to_name
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('.'));
            let reexports = origins
                .binding(&Origin::Defined {
                    module: r.module,
                    binding: r.binding,
                })
                .and_then(|b| binding_role(analysis, index, r, b))
                == Some(BindingRole::Reexport);
            if r.module != to && !ancestor && reexports {
                old_modules.push(r.module);
            }
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
    let path = analysis.display_path(user).to_string();
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
    let Exact {
        bytes: original,
        bom,
        text,
    } = match source::read_exact(&analysis.root.join(analysis.path(user)?)) {
        Ok(exact) => exact,
        Err(NotRewritable::Unreadable(err)) => {
            skip(plan, 0, format!("cannot read: {err}"));
            return None;
        }
        Err(NotRewritable::NotUtf8) => {
            skip(plan, 0, "not UTF-8: rewrite this file by hand".to_string());
            return None;
        }
    };
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
        original,
        after,
        before: text,
        bom,
        regions,
    })
}
