//! The HTML impact report: one self-contained file (inline CSS, SVG and a
//! little hand-written script; no network request), rendered with askama
//! from `templates/report.html`.
//!
//! Builds small, pre-formatted view structs from an analysis, its symbol
//! index and blast radii; every name reaches the page through askama's HTML
//! escaping or through the JSON block, which is escaped so that no `<` can
//! close the script element. It computes nothing the library does not
//! already answer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use askama::Template;

use crate::analysis::Analysis;
use crate::error::{Error, Result};
use crate::graph::KindSet;
use crate::output::radius::{Radius, layout};
use crate::output::symbols::broken_json;
use crate::symbols::broken::broken_imports;
use crate::symbols::roles::{BindingRole, binding_role};
use crate::output::text::incomplete_note;
use crate::queries::cycles::find_cycles;
use crate::queries::impact::{Critical, Impact, ImpactTarget, impact, pytest_command};
use crate::queries::path::hops;
use crate::resolve::ModuleId;
use crate::symbols::duplicates::{DuplicateOptions, find_duplicates};
use crate::symbols::index::SymbolIndex;
use crate::symbols::{Origin, Origins, find_symbol, origin_kind};
use crate::targets::Targets;

/// Modules shown when no target is given: those with the most importers.
const DEFAULT_TARGETS: usize = 10;
/// Uses listed per origin before "and N more".
const USES_SHOWN: usize = 40;
/// Duplicated names (most used first) that get a radius picture.
const DUPLICATE_PICTURES: usize = 12;
/// Definitions of one name drawn as cards; the rest are listed compactly.
const ORIGIN_CARDS: usize = 8;
/// Definitions listed compactly after the cards.
const ORIGIN_LINES: usize = 200;

/// What to put in a report.
pub struct ReportRequest<'a> {
    /// The analysis.
    pub analysis: &'a Analysis,
    /// Explicit targets; empty for the default report.
    pub targets: Vec<ImpactTarget>,
    /// Critical patterns.
    pub critical: &'a Critical,
    /// Edge kinds followed.
    pub kinds: KindSet,
    /// Time the analysis took.
    pub elapsed: Duration,
}

impl ReportRequest<'_> {
    /// The full blast radius of one target, with the report's kinds and
    /// critical patterns.
    fn impact_of(&self, target: ImpactTarget) -> Impact {
        impact(
            &self.analysis.graph,
            &self.analysis.modules,
            vec![target],
            self.kinds,
            None,
            self.critical,
        )
    }
}

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
    origins: Vec<OriginView>,
    rest: Vec<String>,
    unlisted: usize,
    radius: Option<Radius>,
    affected: usize,
}

struct OriginView {
    kind: &'static str,
    module: String,
    location: String,
    conditional: Option<String>,
    suggested: bool,
    shim: bool,
    reexports: Vec<String>,
    aliases: usize,
    users: usize,
    uses: Vec<String>,
    more_uses: usize,
    breaks: Vec<String>,
}

/// Renders the report to a string.
pub fn render(request: &ReportRequest<'_>) -> Result<String> {
    let analysis = request.analysis;
    let targets = Targets::new(analysis);
    let explicit = !request.targets.is_empty();
    let chosen = if explicit {
        request.targets.clone()
    } else {
        most_imported(analysis)
    };
    let mut tables: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    let mut names = NameTable::default();
    let mut sections = Vec::new();
    for (i, target) in chosen.into_iter().enumerate() {
        let id = format!("t{i}");
        let result = request.impact_of(target);
        tables.insert(id.clone(), table_json(analysis, &result, &mut names));
        sections.push(section_view(analysis, &result, id));
    }
    let origins = targets.origins();
    let index = targets.index();
    let mut duplicates = find_duplicates(origins, index, &DuplicateOptions::default());
    if explicit {
        let names: Vec<&str> = request
            .targets
            .iter()
            .filter_map(|t| t.label.rsplit(':').next().filter(|_| t.label.contains(':')))
            .collect();
        duplicates.retain(|d| names.contains(&d.name.as_str()));
    }
    let duplicate_views = duplicates
        .iter()
        .enumerate()
        .map(|(i, d)| duplicate_view(&targets, request, d, i))
        .collect();

    let s = analysis.summary();
    let cycles = find_cycles(&analysis.graph, analysis.modules.len(), KindSet::ALL);
    let counts = vec![
        ("files", s.files.to_string()),
        ("modules", s.modules.to_string()),
        ("import edges", s.edges.to_string()),
        ("external packages", s.external_packages.to_string()),
        ("syntax errors", s.parse_errors.to_string()),
        ("unresolved imports", s.unresolved.to_string()),
        ("cycles", cycles.len().to_string()),
    ];
    let broken = broken_json(analysis, &broken_imports(analysis, &index.broken))
        .files
        .into_iter()
        .flat_map(|file| {
            let path = file.path.to_string();
            file.imports.into_iter().map(move |entry| {
                let guarded = if entry.guarded { " (guarded)" } else { "" };
                (
                    format!("{path}:{}", entry.line),
                    entry.import,
                    format!("{}{guarded}", entry.reason),
                )
            })
        })
        .collect();
    let mut parse_errors: Vec<(String, String)> = analysis
        .parse_errors
        .iter()
        .map(|p| {
            (
                p.place(),
                format!(
                    "{} ({} error(s); imports around them were still read)",
                    p.message, p.count
                ),
            )
        })
        .collect();
    parse_errors.extend(
        analysis
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.message.clone())),
    );
    parse_errors.extend(analysis.shadowed.iter().map(|sh| {
        (
            sh.path.clone(),
            format!("never imported: shadowed by {}", sh.shadowed_by),
        )
    }));
    let page = ReportPage {
        root: analysis.root.display().to_string(),
        elapsed: format!("{:.2} s", request.elapsed.as_secs_f64()),
        version: env!("CARGO_PKG_VERSION"),
        counts,
        incomplete: incomplete_note(analysis)
            .map(|n| {
                n.trim_start_matches("note: ")
                    .split("; ")
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default(),
        intro: if explicit {
            String::new()
        } else {
            format!(
                "No --target given: the {} modules with the most importers, and every duplicated name.",
                sections.len()
            )
        },
        sections,
        duplicates: duplicate_views,
        cycles: cycles
            .iter()
            .map(|c| {
                // Each hop as `importer:line`, so the cycle can be opened.
                let hops: Vec<String> = hops(&analysis.graph, &c.example, KindSet::ALL)
                    .unwrap_or_default()
                    .iter()
                    .map(|h| {
                        format!(
                            "{} ({}:{})",
                            analysis.name(h.from),
                            analysis.path(h.from).unwrap_or(""),
                            analysis.line(h.from, h.occurrence.offset)
                        )
                    })
                    .collect();
                let first = c.example.first().map_or("", |&m| analysis.name(m));
                (
                    c.modules.len().to_string(),
                    if c.runtime {
                        "runtime".to_string()
                    } else {
                        "only through lazy/type-checking/dynamic imports".to_string()
                    },
                    format!("{} → {first}", hops.join(" → ")),
                )
            })
            .collect(),
        broken,
        parse_errors,
        data_json: script_safe_json(
            &serde_json::json!({ "names": names.entries, "tables": tables }),
        ),
    };
    page.render().map_err(|err| Error::Output {
        path: PathBuf::from("(report)"),
        message: err.to_string(),
    })
}

/// The modules with the most distinct importers, as default targets.
fn most_imported(analysis: &Analysis) -> Vec<ImpactTarget> {
    let mut ranked: Vec<(usize, ModuleId)> = analysis
        .modules
        .iter()
        .map(|(id, _)| {
            let importers = analysis
                .graph
                .neighbours(id, petgraph::Direction::Incoming, KindSet::ALL)
                .len();
            (importers, id)
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .take(DEFAULT_TARGETS)
        .map(|(_, id)| ImpactTarget {
            label: analysis.name(id).to_string(),
            seeds: vec![(id, 0)],
        })
        .collect()
}

/// Module names and paths shared by every table of the page, so that a
/// 10,000-row table costs a few numbers per row.
#[derive(Default)]
struct NameTable {
    index: BTreeMap<ModuleId, usize>,
    entries: Vec<(String, String)>,
}

impl NameTable {
    fn id(&mut self, analysis: &Analysis, module: ModuleId) -> usize {
        let next = self.entries.len();
        *self.index.entry(module).or_insert_with(|| {
            self.entries.push((
                analysis.name(module).to_string(),
                analysis.path(module).unwrap_or("").to_string(),
            ));
            next
        })
    }
}

/// One table: the target label and rows `[name, depth, parent, kinds, test,
/// critical]`, where `name` and `parent` index the shared names and
/// `parent` is the next module on the chain (-1 when the chain ends at the
/// label); the script rebuilds each chain by following parents.
fn table_json(analysis: &Analysis, result: &Impact, names: &mut NameTable) -> serde_json::Value {
    let label = result.targets.first().map_or("", |t| t.label.as_str());
    let rows: Vec<serde_json::Value> = result
        .affected
        .iter()
        .map(|a| {
            let kinds: Vec<&str> = a.kinds().into_iter().map(|k| k.as_str()).collect();
            let parent = a.chain.get(1).map_or(-1, |&p| names.id(analysis, p) as i64);
            serde_json::json!([
                names.id(analysis, a.module),
                a.depth,
                parent,
                kinds.join(" "),
                a.test.map_or("", |t| t.as_str()),
                u8::from(a.critical),
            ])
        })
        .collect();
    serde_json::json!({ "target": label, "rows": rows })
}

fn section_view(analysis: &Analysis, result: &Impact, id: String) -> SectionView {
    let label = result
        .targets
        .first()
        .map(|t| t.label.clone())
        .unwrap_or_default();
    let tests_total = result.affected.iter().filter(|a| a.test.is_some()).count();
    let critical_hits = result
        .affected
        .iter()
        .filter(|a| a.critical)
        .map(|a| {
            (
                analysis.name(a.module).to_string(),
                a.depth,
                result.chain_names(&analysis.modules, a).join(" → "),
            )
        })
        .collect();
    let tests_by = result.tests_by_category(&analysis.modules);
    SectionView {
        summary: format!(
            "{} module(s) affected: {} production, {} tests, {} level(s) deep.",
            result.affected.len(),
            result.affected.len() - tests_total,
            tests_total,
            result.depths.last().map_or(0, |d| d.depth)
        ),
        affected: result.affected.len(),
        radius: layout(analysis, result, &label),
        depths: result
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
        tests: tests_by
            .iter()
            .map(|(c, paths)| (c.as_str(), paths.iter().map(|p| p.to_string()).collect()))
            .collect(),
        pytest: pytest_command(&tests_by),
        critical_hits,
        label,
        id,
    }
}

fn duplicate_view(
    targets: &Targets<'_>,
    request: &ReportRequest<'_>,
    duplicate: &crate::symbols::duplicates::Duplicate,
    i: usize,
) -> DuplicateView {
    let analysis = request.analysis;
    let origins: &Origins<'_> = targets.origins();
    let index: &SymbolIndex = targets.index();
    let cards = duplicate
        .origins
        .iter()
        .take(ORIGIN_CARDS)
        .enumerate()
        .map(|(j, o)| origin_view(analysis, origins, index, o, j == 0))
        .collect();
    let rest: Vec<String> = duplicate
        .origins
        .iter()
        .skip(ORIGIN_CARDS)
        .take(ORIGIN_LINES)
        .map(|o| {
            let line = origins
                .binding(&o.origin)
                .map_or(0, |b| analysis.line(o.module, b.offset));
            format!(
                "{}:{line} ({} user(s))",
                analysis.display_path(o.module),
                o.users
            )
        })
        .collect();
    let unlisted = duplicate
        .origins
        .len()
        .saturating_sub(ORIGIN_CARDS + ORIGIN_LINES);
    // The radius of the name: everything using any of its definitions.
    let (radius, affected) = match find_symbol(origins, &duplicate.name) {
        Ok(symbol) if i < DUPLICATE_PICTURES => {
            let result = request.impact_of(targets.symbol_target(&symbol));
            let count = result.affected.len();
            (
                (count > 0).then(|| layout(analysis, &result, &duplicate.name)),
                count,
            )
        }
        Ok(_) | Err(_) => (None, 0),
    };
    DuplicateView {
        id: format!("dup{i}"),
        name: duplicate.name.clone(),
        users: duplicate.total_users(),
        suggested: duplicate
            .origins
            .first()
            .map(|o| analysis.name(o.module).to_string())
            .unwrap_or_default(),
        reason: duplicate.reason.clone(),
        definitions: duplicate.origins.len(),
        origins: cards,
        rest,
        unlisted,
        radius,
        affected,
    }
}

fn origin_view(
    analysis: &Analysis,
    origins: &Origins<'_>,
    index: &SymbolIndex,
    origin: &crate::symbols::duplicates::DuplicateOrigin,
    suggested: bool,
) -> OriginView {
    let module = origin.module;
    let binding = origins.binding(&origin.origin);
    let line = binding.map_or(0, |b| analysis.line(module, b.offset));
    let uses = index.uses_of(&origin.origin);
    let use_text = |u: &crate::symbols::index::Use| {
        format!(
            "{} {} via {}",
            analysis.place(u.user, u.offset),
            u.how.as_str(),
            analysis.name(u.through)
        )
    };
    let mut reexports = Vec::new();
    let mut aliases = 0;
    for r in index.reexports_of(&origin.origin) {
        let Some(binding) = origins.binding(&Origin::Defined {
            module: r.module,
            binding: r.binding,
        }) else {
            continue;
        };
        match binding_role(analysis, index, r, binding) {
            Some(BindingRole::Reexport) => {
                reexports.push(analysis.place(r.module, binding.offset));
            }
            Some(BindingRole::Alias) => aliases += 1,
            None => {}
        }
    }
    // Removing a definition breaks the imports that name its module, unless
    // that module keeps re-exporting another definition under the name.
    let breaks = if origin.shim {
        Vec::new()
    } else {
        uses.iter()
            .filter(|u| u.through == module)
            .map(use_text)
            .collect()
    };
    OriginView {
        kind: origin_kind(origins, &origin.origin),
        module: analysis.name(module).to_string(),
        location: format!("{}:{line}", analysis.path(module).unwrap_or("")),
        conditional: origin.branch.clone(),
        suggested,
        shim: origin.shim,
        reexports,
        aliases,
        users: origin.users,
        uses: uses.iter().take(USES_SHOWN).map(use_text).collect(),
        more_uses: uses.len().saturating_sub(USES_SHOWN),
        breaks,
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

/// Writes `html` to `path` atomically (temporary file beside it, then
/// rename), refusing to overwrite a Python source file.
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
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| refuse("not a file path"))?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let io = |err: std::io::Error| refuse(&err.to_string());
    std::fs::write(&tmp, html).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|err| {
        let _ = std::fs::remove_file(&tmp);
        io(err)
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
