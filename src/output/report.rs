//! The HTML impact report: one self-contained file (inline CSS, SVG and a
//! little hand-written script; no network request), rendered with askama
//! from `templates/report.html`.
//!
//! Renders a finished [`ReportModel`]: it lays out the radius pictures,
//! formats the model's names and counts into small view structs and the
//! page's JSON block, and computes nothing the model does not hold. Every
//! name reaches the page through askama's HTML escaping or through the JSON
//! block, which is escaped so that no `<` can close the script element.

use std::collections::BTreeMap;
use std::path::Path;

use askama::Template;

use crate::error::{Error, Result};
use crate::graph::Tier;
use crate::output::incomplete_note;
use crate::output::radius::{Radius, layout};
use crate::report::{DuplicateModel, OriginModel, ReportModel, TargetModel};
use crate::resolve::ModuleId;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    root: String,
    elapsed: String,
    version: &'static str,
    counts: Vec<(&'static str, String)>,
    incomplete: String,
    intro: String,
    sections: Vec<SectionView>,
    duplicates: Vec<DuplicateView>,
    cycles: Vec<(String, String, String)>,
    broken: Vec<(String, String, String)>,
    parse_errors: Vec<(String, String)>,
    shadowed: Vec<(String, String)>,
    data_json: String,
}

struct SectionView {
    id: String,
    label: String,
    summary: String,
    affected: usize,
    critical_hits: Vec<(String, u32, String)>,
    radius: Radius,
    depths: Vec<DepthView>,
    tests: Vec<(&'static str, Vec<String>)>,
    pytest: Option<String>,
}

struct DepthView {
    depth: u32,
    count: usize,
    production: usize,
    tests: usize,
    critical: usize,
    packages: String,
}

struct DuplicateView {
    id: String,
    name: String,
    users: usize,
    suggested: String,
    reason: String,
    definitions: usize,
    origins: Vec<OriginModel>,
    rest: Vec<String>,
    unlisted: usize,
    radius: Option<Radius>,
    affected: usize,
}

/// Renders the report to a string.
pub fn render(model: &ReportModel) -> Result<String> {
    let mut tables: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut names = NameTable::default();
    let mut sections = Vec::new();
    for (i, target) in model.targets.iter().enumerate() {
        let id = format!("t{i}");
        tables.insert(id.clone(), table_json(target, &mut names));
        sections.push(section_view(target, id));
    }
    let s = &model.summary;
    let counts = vec![
        ("files", s.files.to_string()),
        ("modules", s.modules.to_string()),
        ("import edges", s.edges.to_string()),
        ("external packages", s.external_packages.to_string()),
        // Each count below is the length of the section it names.
        (
            "syntax errors and unreadable files",
            model.unseen.len().to_string(),
        ),
        ("shadowed files", model.shadowed.len().to_string()),
        ("broken imports", model.broken.len().to_string()),
        ("unresolved imports", s.unresolved.to_string()),
        ("cycles", model.cycles.len().to_string()),
    ];
    let page = ReportPage {
        root: model.root.clone(),
        elapsed: format!("{:.2} s", model.elapsed.as_secs_f64()),
        version: env!("CARGO_PKG_VERSION"),
        counts,
        incomplete: incomplete_note(s)
            .map(|n| {
                n.trim_start_matches("note: ")
                    .split("; ")
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default(),
        intro: if model.explicit {
            String::new()
        } else {
            format!(
                "No --target given: the {} modules with the most importers, and every duplicated name.",
                sections.len()
            )
        },
        sections,
        duplicates: model
            .duplicates
            .iter()
            .enumerate()
            .map(|(i, d)| duplicate_view(d, i))
            .collect(),
        cycles: model
            .cycles
            .iter()
            .map(|c| {
                (
                    c.size.to_string(),
                    c.nature.to_string(),
                    format!("{} → {}", c.hops.join(" → "), c.first),
                )
            })
            .collect(),
        broken: model
            .broken
            .iter()
            .map(|b| {
                let how = match b.handled {
                    Some(how) => format!(" (handled: {})", how.describe()),
                    None => String::new(),
                };
                (
                    b.place.clone(),
                    b.import.clone(),
                    format!("{}{how}", b.reason),
                )
            })
            .collect(),
        parse_errors: model.unseen.clone(),
        shadowed: model.shadowed.clone(),
        data_json: script_safe_json(
            &serde_json::json!({ "names": names.entries, "tables": tables }),
        ),
    };
    page.render().map_err(|source| Error::Render { source })
}

/// Module names and paths shared by every table of the page, so that a
/// 10,000-row table costs a few numbers per row.
#[derive(Default)]
struct NameTable {
    index: BTreeMap<ModuleId, usize>,
    entries: Vec<(String, String)>,
}

impl NameTable {
    fn id(&mut self, module: ModuleId, name: &str, path: &str) -> usize {
        let next = self.entries.len();
        *self.index.entry(module).or_insert_with(|| {
            self.entries.push((name.to_string(), path.to_string()));
            next
        })
    }
}

/// One table: the target label and rows `[name, depth, parent, kinds, test,
/// critical]`, where `name` and `parent` index the shared names and
/// `parent` is the next module on the chain (-1 when the chain ends at the
/// label); the script rebuilds each chain by following parents.
fn table_json(target: &TargetModel, names: &mut NameTable) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = target
        .affected
        .iter()
        .map(|a| {
            let kinds: Vec<&str> = a.kinds.iter().map(|k| k.as_str()).collect();
            let parent = a
                .parent
                .as_ref()
                .map_or(-1, |p| names.id(p.module, &p.name, &p.path) as i64);
            let name = names.id(a.module, &a.name, &a.path);
            serde_json::json!([
                name,
                a.depth,
                parent,
                kinds.join(" "),
                a.test.unwrap_or(""),
                u8::from(a.critical),
                a.tier.as_str(),
            ])
        })
        .collect();
    serde_json::json!({ "target": target.label, "rows": rows })
}

fn section_view(target: &TargetModel, id: String) -> SectionView {
    let tests_total = target.test_count();
    let affected = target.affected.len();
    let tiers: Vec<String> = Tier::ALL
        .into_iter()
        .map(|tier| {
            let n = target.affected.iter().filter(|a| a.tier == tier).count();
            format!("{n} {}", tier.as_str())
        })
        .collect();
    SectionView {
        summary: format!(
            "{affected} module(s) affected ({}): {} production, {tests_total} tests, {} level(s) deep.",
            tiers.join(", "),
            affected - tests_total,
            target.max_depth()
        ),
        affected,
        radius: layout(&target.label, &target.affected),
        depths: target
            .depths
            .iter()
            .map(|d| DepthView {
                depth: d.depth,
                count: d.count,
                production: d.production,
                tests: d.tests,
                critical: d.critical,
                packages: d
                    .packages
                    .iter()
                    .map(|(p, n)| format!("{p} {n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
        tests: target.tests.clone(),
        pytest: target.pytest.clone(),
        critical_hits: target
            .affected
            .iter()
            .filter(|a| a.critical)
            .map(|a| (a.name.clone(), a.depth, a.chain.join(" → ")))
            .collect(),
        label: target.label.clone(),
        id,
    }
}

fn duplicate_view(duplicate: &DuplicateModel, i: usize) -> DuplicateView {
    DuplicateView {
        id: format!("dup{i}"),
        name: duplicate.name.clone(),
        users: duplicate.users,
        suggested: duplicate.suggested.clone(),
        reason: duplicate.reason.clone(),
        definitions: duplicate.definitions,
        origins: duplicate.origins.clone(),
        rest: duplicate.rest.clone(),
        unlisted: duplicate.unlisted,
        radius: duplicate
            .radius
            .as_ref()
            .map(|r| layout(&duplicate.name, &r.affected)),
        affected: duplicate.affected,
    }
}

/// JSON that can sit inside `<script>`: `<`, `>` and `&` become `\u` escapes
/// (so `</script>` in a module name cannot close the element), and so do the
/// line separators JavaScript once treated as newlines.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

/// Writes `html` to `path` atomically (`atomic`), refusing to overwrite a
/// Python source file.
pub fn write_report(path: &Path, html: &str) -> Result<()> {
    let refuse = |message: &str| Error::Output {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("py" | "pyi" | "pyw" | "ipynb")
    ) {
        return Err(refuse(
            "refusing to overwrite a Python source file; choose an .html path with -o",
        ));
    }
    if path.file_name().is_none() {
        return Err(refuse("not a file path"));
    }
    crate::atomic::write_atomically(path, html.as_bytes()).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::script_safe_json;

    #[test]
    fn json_cannot_close_the_script_element() {
        let value = serde_json::json!(["</script><b>&", "\u{2028}"]);
        let text = script_safe_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
