//! Output of the symbol commands (`symbol`, `duplicates`, `broken`): JSON
//! shapes and human-readable text. Formats only; all answers come from
//! `symbols`.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::{Binding, BindingValue, Handled, ImportKind};
use crate::lines::under_root;
use crate::output::SCHEMA_VERSION;
use crate::output::table::aligned_rows;
use crate::resolve::ModuleId;
use crate::summary::Incomplete;
use crate::symbols::broken::{BrokenImports, Problem};
use crate::symbols::duplicates::{Duplicate, DuplicateClass};
use crate::symbols::index::{Reexport, SymbolIndex, Use, UseHow};
use crate::symbols::roles::{BindingRole, binding_role};
use crate::symbols::{Origin, Origins, SymbolTarget, origin_kind};

/// `symbol NAME --json`.
#[derive(Debug, Serialize)]
pub struct SymbolJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The name asked about.
    pub name: &'a str,
    /// The module it was pinned to (`module:Name`), if any.
    pub pinned: Option<&'a str>,
    /// First-party origins.
    pub origins: Vec<OriginJson<'a>>,
    /// Dotted paths of origins outside the first-party code.
    pub external: Vec<&'a str>,
    /// Why some bindings of the name lead nowhere.
    pub unresolved: Vec<String>,
    /// What the analysis could not see (uses in those files may be missing).
    pub incomplete: Incomplete,
}

/// One origin with its bindings and uses.
#[derive(Debug, Serialize)]
pub struct OriginJson<'a> {
    /// Defining module.
    pub module: &'a str,
    /// Its file.
    pub path: Option<&'a str>,
    /// Line of the definition.
    pub line: u32,
    /// `class`, `function`, `variable` or `module`.
    pub kind: &'static str,
    /// The conditional branch of the definition (`except ImportError`), or null.
    pub conditional: Option<&'a str>,
    /// Distinct files that use it.
    pub users: usize,
    /// Modules that re-export or alias it.
    pub bindings: Vec<BindingJson<'a>>,
    /// Every use.
    pub uses: Vec<UseJson<'a>>,
}

/// A re-export or alias of an origin.
#[derive(Debug, Serialize)]
pub struct BindingJson<'a> {
    /// `re-export` or `alias`.
    pub role: BindingRole,
    /// Module holding the binding.
    pub module: &'a str,
    /// Its file.
    pub path: Option<&'a str>,
    /// Line of the binding.
    pub line: u32,
    /// The local name bound.
    pub name: &'a str,
    /// The statement that binds it (`from x import Y as Z`, `Y = Z`).
    pub via: String,
    /// The conditional branch, or null.
    pub conditional: Option<&'a str>,
}

/// One use of an origin.
#[derive(Debug, Serialize)]
pub struct UseJson<'a> {
    /// The using module.
    pub module: &'a str,
    /// Its file.
    pub path: Option<&'a str>,
    /// Line of the use.
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// `from-import`, `attribute` or `string`.
    pub how: UseHow,
    /// The module the user names (a shim, an alias or the defining module).
    pub through: &'a str,
    /// Kind of the import involved.
    pub kind: ImportKind,
}

fn origin_location<'a>(
    analysis: &'a Analysis,
    origins: &Origins<'a>,
    origin: &Origin,
) -> Option<(ModuleId, u32, Option<&'a str>)> {
    match origin {
        Origin::Defined { module, .. } => {
            let binding = origins.binding(origin)?;
            Some((
                *module,
                analysis.line(*module, binding.offset),
                binding.branch.as_deref(),
            ))
        }
        Origin::Module(module) => Some((*module, 1, None)),
        Origin::External(_) | Origin::Unresolved(_) => None,
    }
}

/// The statement text of a re-export binding.
fn binding_via(analysis: &Analysis, module: ModuleId, binding: &Binding) -> String {
    match &binding.value {
        BindingValue::Import { import, .. } => analysis.facts[module.index()]
            .as_ref()
            .and_then(|f| f.imports.get(*import))
            .map_or_else(String::new, |i| i.form.to_string()),
        BindingValue::Alias(source) => format!("{} = {source}", binding.name),
        BindingValue::Attribute { base, attrs } => {
            format!("{} = {base}.{}", binding.name, attrs.join("."))
        }
        BindingValue::Definition => String::new(),
    }
}

fn bindings_json<'a>(
    analysis: &'a Analysis,
    origins: &Origins<'a>,
    index: &SymbolIndex,
    reexports: &[Reexport],
) -> Vec<BindingJson<'a>> {
    reexports
        .iter()
        .filter_map(|r| {
            let binding = origins.binding(&Origin::Defined {
                module: r.module,
                binding: r.binding,
            })?;
            let role = binding_role(analysis, index, r, binding)?;
            Some(BindingJson {
                role,
                module: analysis.name(r.module),
                path: analysis.path(r.module),
                line: analysis.line(r.module, binding.offset),
                name: &binding.name,
                via: binding_via(analysis, r.module, binding),
                conditional: binding.branch.as_deref(),
            })
        })
        .collect()
}

fn uses_json<'a>(analysis: &'a Analysis, uses: &[Use]) -> Vec<UseJson<'a>> {
    uses.iter()
        .map(|u| UseJson {
            module: analysis.name(u.user),
            path: analysis.path(u.user),
            line: analysis.line(u.user, u.offset),
            cell: analysis.cell(u.user, u.offset),
            how: u.how,
            through: analysis.name(u.through),
            kind: u.kind,
        })
        .collect()
}

fn origin_json<'a>(
    analysis: &'a Analysis,
    origins: &Origins<'a>,
    index: &SymbolIndex,
    origin: &Origin,
) -> Option<OriginJson<'a>> {
    let (module, line, conditional) = origin_location(analysis, origins, origin)?;
    Some(OriginJson {
        module: analysis.name(module),
        path: analysis.path(module),
        line,
        kind: origin_kind(origins, origin),
        conditional,
        users: index.user_count(origin),
        bindings: bindings_json(analysis, origins, index, index.reexports_of(origin)),
        uses: uses_json(analysis, index.uses_of(origin)),
    })
}

/// Builds `symbol` JSON.
pub fn symbol_json<'a>(
    origins: &Origins<'a>,
    index: &SymbolIndex,
    target: &'a SymbolTarget,
) -> SymbolJson<'a> {
    let analysis = origins.analysis();
    SymbolJson {
        version: SCHEMA_VERSION,
        incomplete: analysis.incomplete(),
        name: &target.name,
        pinned: target.pinned.map(|m| analysis.name(m)),
        origins: {
            // Most used first, then by module name.
            let mut origins: Vec<OriginJson<'a>> = target
                .origins
                .iter()
                .filter_map(|o| origin_json(analysis, origins, index, o))
                .collect();
            origins.sort_by(|a, b| b.users.cmp(&a.users).then_with(|| a.module.cmp(b.module)));
            origins
        },
        external: target
            .origins
            .iter()
            .filter_map(|o| match o {
                Origin::External(path) => Some(path.as_str()),
                _ => None,
            })
            .collect(),
        unresolved: target
            .origins
            .iter()
            .filter_map(|o| match o {
                Origin::Unresolved(missing) => Some(missing.describe(analysis)),
                _ => None,
            })
            .collect(),
    }
}

/// `symbol NAME` for people.
pub fn symbol_text(
    out: &mut dyn Write,
    origins: &Origins<'_>,
    index: &SymbolIndex,
    target: &SymbolTarget,
) -> io::Result<()> {
    let analysis = origins.analysis();
    let json = symbol_json(origins, index, target);
    writeln!(
        out,
        "{}: {} first-party origin(s)",
        target.label(analysis),
        json.origins.len()
    )?;
    for (i, origin) in json.origins.iter().enumerate() {
        let conditional = origin
            .conditional
            .map(|c| format!(" [conditional: {c}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "\n{}. {} {} — {}{conditional}",
            i + 1,
            origin.kind,
            origin.module,
            match origin.path {
                Some(path) => analysis.shown(&format!("{path}:{}", origin.line)),
                None => "(namespace)".to_string(),
            },
        )?;
        write_bindings(out, &origin.bindings, &|p| analysis.shown(p))?;
        writeln!(out, "   used by {} file(s):", origin.users)?;
        let rows: Vec<Vec<String>> = origin
            .uses
            .iter()
            .map(|u| {
                vec![
                    format!(
                        "     {}",
                        analysis.shown(&crate::lines::place(
                            u.path.unwrap_or(u.module),
                            u.cell,
                            u.line
                        ))
                    ),
                    u.how.as_str().to_string(),
                    format!("through {}", u.through),
                ]
            })
            .collect();
        if !rows.is_empty() {
            aligned_rows(out, &rows)?;
        }
    }
    for external in &json.external {
        writeln!(out, "\nexternal origin: {external}")?;
    }
    for reason in &json.unresolved {
        writeln!(out, "\nunresolved: {reason}")?;
    }
    Ok(())
}

/// Re-exports in full; aliases (often `gettext as _` in every file) capped.
fn write_bindings(
    out: &mut dyn Write,
    bindings: &[BindingJson<'_>],
    shown: &dyn Fn(&str) -> String,
) -> io::Result<()> {
    const SHOWN_ALIASES: usize = 5;
    for (role, title) in [
        (BindingRole::Reexport, "re-exported by"),
        (BindingRole::Alias, "aliased by"),
    ] {
        let matching: Vec<&BindingJson<'_>> = bindings.iter().filter(|b| b.role == role).collect();
        if matching.is_empty() {
            continue;
        }
        writeln!(out, "   {title}:")?;
        let limit = match role {
            BindingRole::Reexport => matching.len(),
            BindingRole::Alias => SHOWN_ALIASES,
        };
        for b in matching.iter().take(limit) {
            writeln!(
                out,
                "     {}  {}",
                shown(&format!("{}:{}", b.path.unwrap_or(b.module), b.line)),
                b.via
            )?;
        }
        if matching.len() > limit {
            writeln!(
                out,
                "     ... and {} more (--json lists them all)",
                matching.len() - limit
            )?;
        }
    }
    Ok(())
}

/// `duplicates --json`.
#[derive(Debug, Serialize)]
pub struct DuplicatesJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The root as given: paths are relative to it.
    pub root: String,
    /// Findings: copy and fallback groups first, then homonyms; within a
    /// class, users split most evenly first.
    pub duplicates: Vec<DuplicateJson<'a>>,
    /// What the analysis could not see (uses in those files may be missing).
    pub incomplete: Incomplete,
}

/// One duplicated name.
#[derive(Debug, Serialize)]
pub struct DuplicateJson<'a> {
    /// The name.
    pub name: &'a str,
    /// `fallback`, `copy` or `homonym`.
    pub class: DuplicateClass,
    /// Distinct files using any of its origins.
    pub total_users: usize,
    /// The suggested canonical origin and why.
    pub suggested: SuggestionJson<'a>,
    /// Every origin, suggested first.
    pub origins: Vec<DuplicateOriginJson<'a>>,
}

/// The suggested canonical origin.
#[derive(Debug, Serialize)]
pub struct SuggestionJson<'a> {
    /// Its module.
    pub module: &'a str,
    /// Its file.
    pub path: Option<&'a str>,
    /// Why.
    pub reason: &'a str,
}

/// One origin of a duplicated name.
#[derive(Debug, Serialize)]
pub struct DuplicateOriginJson<'a> {
    /// Defining module (for an alias origin: the module holding the alias).
    pub module: &'a str,
    /// Its file.
    pub path: Option<&'a str>,
    /// Line.
    pub line: u32,
    /// `class` or `function`.
    pub kind: &'static str,
    /// `canonical`, `fallback`, `copy` or `homonym`.
    pub class: DuplicateClass,
    /// Similarity of its body with the suggested canonical's (0 to 1; 1
    /// for itself); null when a body could not be read.
    pub similarity: Option<f64>,
    /// For an alias of another name's definition: `module:Name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<&'a str>,
    /// Conditional branch, or null.
    pub conditional: Option<&'a str>,
    /// The defining module re-exports another origin under this name.
    pub shim: bool,
    /// Distinct files using it.
    pub users: usize,
    /// Modules re-exporting or aliasing it.
    pub bindings: Vec<BindingJson<'a>>,
}

/// Builds `duplicates` JSON.
pub fn duplicates_json<'a>(
    origins: &Origins<'a>,
    index: &SymbolIndex,
    duplicates: &'a [Duplicate],
) -> DuplicatesJson<'a> {
    let analysis = origins.analysis();
    DuplicatesJson {
        version: SCHEMA_VERSION,
        root: analysis.root.display().to_string(),
        incomplete: analysis.incomplete(),
        duplicates: duplicates
            .iter()
            .filter_map(|d| {
                let best = d.origins.first()?;
                Some(DuplicateJson {
                    name: &d.name,
                    class: d.class,
                    total_users: d.users,
                    suggested: SuggestionJson {
                        module: analysis.name(best.module),
                        path: analysis.path(best.module),
                        reason: &d.reason,
                    },
                    origins: d
                        .origins
                        .iter()
                        .map(|o| DuplicateOriginJson {
                            module: analysis.name(o.module),
                            path: analysis.path(o.module),
                            line: analysis.line(o.module, o.offset),
                            kind: origin_kind(origins, &o.origin),
                            class: o.class,
                            similarity: o.similarity,
                            alias_of: o.alias_of.as_deref(),
                            conditional: o.branch.as_deref(),
                            shim: o.shim,
                            users: o.users,
                            // An alias origin's re-exports are the other
                            // name's: listed with that name, not here.
                            bindings: if o.alias_of.is_some() {
                                Vec::new()
                            } else {
                                bindings_json(
                                    analysis,
                                    origins,
                                    index,
                                    index.reexports_of(&o.origin),
                                )
                            },
                        })
                        .collect(),
                })
            })
            .collect(),
    }
}

/// `duplicates` for people: copy and fallback groups in full, homonym
/// groups one line each unless `all`.
pub fn duplicates_text(
    out: &mut dyn Write,
    origins: &Origins<'_>,
    index: &SymbolIndex,
    duplicates: &[Duplicate],
    all: bool,
) -> io::Result<()> {
    let json = duplicates_json(origins, index, duplicates);
    if json.duplicates.is_empty() {
        return writeln!(out, "no duplicated names");
    }
    let shown = |place: &str| under_root(Path::new(&json.root), place);
    let homonyms = json
        .duplicates
        .iter()
        .filter(|d| d.class == DuplicateClass::Homonym)
        .count();
    writeln!(
        out,
        "{} name(s) defined more than once: {} copy or fallback group(s) to consolidate, {homonyms} homonym group(s) (different code, same name)",
        json.duplicates.len(),
        json.duplicates.len() - homonyms,
    )?;
    let mut summarised = false;
    for d in &json.duplicates {
        if d.class == DuplicateClass::Homonym && !all {
            if !summarised {
                writeln!(out, "\nhomonyms (--all shows them in full):")?;
                summarised = true;
            }
            let places: Vec<String> = d
                .origins
                .iter()
                .map(|o| shown(&format!("{}:{}", o.path.unwrap_or(o.module), o.line)))
                .collect();
            writeln!(
                out,
                "  {} — {} origins, {} using file(s): {}",
                d.name,
                d.origins.len(),
                d.total_users,
                places.join(", ")
            )?;
            continue;
        }
        writeln!(
            out,
            "\n{} [{}] — {} origins, {} using file(s); suggested canonical: {} ({})",
            d.name,
            d.class.as_str(),
            d.origins.len(),
            d.total_users,
            d.suggested.module,
            d.suggested.reason
        )?;
        let rows: Vec<Vec<String>> = d
            .origins
            .iter()
            .map(|o| {
                let mut notes = Vec::new();
                if let Some(of) = o.alias_of {
                    notes.push(format!("alias of {of}"));
                }
                if o.shim {
                    notes.push("shim".to_string());
                }
                if let Some(c) = o.conditional {
                    notes.push(format!("conditional: {c}"));
                }
                let reexports = o
                    .bindings
                    .iter()
                    .filter(|b| b.role == BindingRole::Reexport)
                    .count();
                if reexports > 0 {
                    notes.push(format!("{reexports} re-export(s)"));
                }
                vec![
                    format!(
                        "  {}",
                        shown(&format!("{}:{}", o.path.unwrap_or(o.module), o.line))
                    ),
                    o.kind.to_string(),
                    o.class.as_str().to_string(),
                    match o.similarity {
                        Some(s) => format!("similarity {s:.2}"),
                        None => "similarity ?".to_string(),
                    },
                    format!("{} user(s)", o.users),
                    notes.join(", "),
                ]
            })
            .collect();
        aligned_rows(out, &rows)?;
    }
    Ok(())
}

/// `broken --json`.
#[derive(Debug, Serialize)]
pub struct BrokenJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The root as given: paths are relative to it.
    pub root: String,
    /// Files with listed imports, sorted by path.
    pub files: Vec<BrokenFileJson<'a>>,
    /// Imports that would fail unexpectedly (what the exit code counts).
    pub unhandled: usize,
    /// Imports the code handles (listed only with `--include-handled`).
    pub handled: usize,
    /// Imports left out by `broken-ignore`.
    pub ignored: usize,
    /// What the analysis could not see (uses in those files may be missing).
    pub incomplete: Incomplete,
}

/// The broken imports of one file.
#[derive(Debug, Serialize)]
pub struct BrokenFileJson<'a> {
    /// File path.
    pub path: &'a str,
    /// Module name.
    pub module: &'a str,
    /// Its broken imports, by line.
    pub imports: Vec<BrokenEntryJson>,
}

/// One broken import.
#[derive(Debug, Serialize)]
pub struct BrokenEntryJson {
    /// Line.
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// `missing-module` or `missing-name`.
    pub problem: Problem,
    /// The import in its source form.
    pub import: String,
    /// Why it breaks.
    pub reason: String,
    /// Inside a `try` catching ImportError or broader (`handled` is
    /// `try-except`); kept for scripts written against the first schema.
    pub guarded: bool,
    /// How the code handles the failure (`null`: it does not).
    pub handled: Option<Handled>,
    /// The module that does not exist, or the one that lacks `name`.
    pub module: Option<String>,
    /// The missing name (`missing-name` only).
    pub name: Option<String>,
}

/// Builds `broken` JSON: the unhandled broken imports (and the handled
/// ones with `include_handled`) grouped by file.
pub fn broken_json<'a>(
    analysis: &'a Analysis,
    broken: &BrokenImports,
    include_handled: bool,
) -> BrokenJson<'a> {
    let mut files: Vec<BrokenFileJson<'a>> = Vec::new();
    for b in broken
        .items
        .iter()
        .filter(|b| include_handled || b.handled.is_none())
    {
        let entry = BrokenEntryJson {
            line: analysis.line(b.user, b.offset),
            cell: analysis.cell(b.user, b.offset),
            problem: b.problem,
            import: b.import.clone(),
            reason: b.reason.clone(),
            guarded: b.handled == Some(Handled::TryExcept),
            handled: b.handled,
            module: b.module.clone(),
            name: b.name.clone(),
        };
        let path = analysis.display_path(b.user);
        match files.last_mut() {
            Some(file) if file.path == path => file.imports.push(entry),
            _ => files.push(BrokenFileJson {
                path,
                module: analysis.name(b.user),
                imports: vec![entry],
            }),
        }
    }
    let unhandled = broken.unhandled().count();
    BrokenJson {
        version: SCHEMA_VERSION,
        root: analysis.root.display().to_string(),
        incomplete: analysis.incomplete(),
        files,
        unhandled,
        handled: broken.items.len() - unhandled,
        ignored: broken.ignored,
    }
}

/// `broken` for people: the unhandled imports, then the handled ones when
/// listed, then what was left out.
pub fn broken_text(out: &mut dyn Write, json: &BrokenJson<'_>) -> io::Result<()> {
    let listed_handled = json
        .files
        .iter()
        .flat_map(|f| &f.imports)
        .any(|e| e.handled.is_some());
    if json.unhandled == 0 {
        writeln!(out, "no broken imports")?;
    } else {
        let files = json
            .files
            .iter()
            .filter(|f| f.imports.iter().any(|e| e.handled.is_none()))
            .count();
        writeln!(
            out,
            "{} broken import(s) in {files} file(s):",
            json.unhandled
        )?;
        broken_entries(out, json, false)?;
    }
    if listed_handled {
        writeln!(
            out,
            "\n{} handled import(s): the code expects them to fail",
            json.handled
        )?;
        broken_entries(out, json, true)?;
    } else if json.handled > 0 {
        writeln!(
            out,
            "note: {} handled import(s) not listed (try/except ImportError, pytest.raises, importorskip, TYPE_CHECKING); --include-handled lists them",
            json.handled
        )?;
    }
    if json.ignored > 0 {
        writeln!(
            out,
            "note: {} import(s) left out by broken-ignore",
            json.ignored
        )?;
    }
    Ok(())
}

fn broken_entries(out: &mut dyn Write, json: &BrokenJson<'_>, handled: bool) -> io::Result<()> {
    let mut last = None;
    for file in &json.files {
        for entry in file
            .imports
            .iter()
            .filter(|e| e.handled.is_some() == handled)
        {
            if last != Some(file.path) {
                writeln!(out)?;
                last = Some(file.path);
            }
            let how = match entry.handled {
                Some(how) => format!(" ({})", how.describe()),
                None => String::new(),
            };
            writeln!(
                out,
                "{}: {}{how}\n    {}",
                under_root(
                    Path::new(&json.root),
                    &crate::lines::place(file.path, entry.cell, entry.line)
                ),
                entry.import,
                entry.reason
            )?;
        }
    }
    Ok(())
}
