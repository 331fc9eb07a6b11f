//! The answer of `graph`: the whole analysis as JSON and as a summary for
//! people, and the subgraph document of an export (`--focus`,
//! `--collapse`, `--kinds`).
//!
//! Formats a finished analysis or [`Subgraph`]; it selects nothing itself
//! (`queries::subgraph` does). Keys are stable and lists sorted, so the
//! same tree gives byte-identical JSON.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::output::SCHEMA_VERSION;
use crate::queries::reach::Walk;
use crate::queries::subgraph::{Selection, Subgraph};
use crate::resolve::{ModuleId, ModuleKind};
use crate::summary::{Incomplete, Summary};

/// `graph --format json`.
#[derive(Debug, Serialize)]
pub struct GraphJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The root as given.
    pub root: String,
    /// Source roots relative to the root (`""` is the root itself).
    pub source_roots: &'a [String],
    /// Counts.
    pub summary: Summary,
    /// Every node.
    pub modules: Vec<ModuleJson<'a>>,
    /// One entry per import occurrence between first-party modules.
    pub edges: Vec<EdgeJson<'a>>,
    /// Imports of modules outside the source roots.
    pub external: Vec<ExternalJson<'a>>,
    /// First-party imports that do not resolve.
    pub unresolved: Vec<UnresolvedJson<'a>>,
    /// Files with syntax errors (their other imports are still in the graph).
    pub parse_errors: Vec<ParseErrorJson<'a>>,
    /// Files no import can reach.
    pub shadowed: Vec<ShadowedJson<'a>>,
    /// Files that could not be read or decoded cleanly, and walk problems.
    pub problems: Vec<ProblemJson<'a>>,
    /// The same files as `parse_errors` and `problems`, in the shape every
    /// command's JSON shares.
    pub incomplete: Incomplete,
}

/// A node.
#[derive(Debug, Serialize)]
pub struct ModuleJson<'a> {
    /// Dotted name (relative path for scripts).
    pub name: &'a str,
    /// File path, `null` for a namespace package.
    pub path: Option<&'a str>,
    /// True for regular and namespace packages.
    pub package: bool,
    /// `module`, `package`, `namespace` or `script`.
    pub kind: ModuleKind,
    /// A `.pyi` stub beside the file.
    pub stub: Option<&'a str>,
}

/// One import occurrence between first-party modules.
#[derive(Debug, Serialize)]
pub struct EdgeJson<'a> {
    /// Importer.
    pub from: &'a str,
    /// Imported module.
    pub to: &'a str,
    /// When it runs.
    pub kind: ImportKind,
    /// A `lazy` or `dynamic` import that runs while the importer is imported.
    pub at_import: bool,
    /// One of the modules a computed name with a literal prefix may be.
    pub pattern: bool,
    /// Inside a `try` catching ImportError.
    pub guarded: bool,
    /// 1-based line in the importer; `null` for an implicit edge
    /// (`parent`, `conftest`).
    pub line: Option<u32>,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// Names taken from `to` (empty for `import to`, submodule imports and
    /// implicit edges).
    pub names: &'a [String],
}

/// An import of an external module.
#[derive(Debug, Serialize)]
pub struct ExternalJson<'a> {
    /// Importer.
    pub from: &'a str,
    /// Dotted external module.
    pub module: &'a str,
    /// When it runs.
    pub kind: ImportKind,
    /// 1-based line.
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// Standard library.
    pub stdlib: bool,
    /// Inside a `try` catching ImportError.
    pub guarded: bool,
}

/// A first-party import that does not resolve.
#[derive(Debug, Serialize)]
pub struct UnresolvedJson<'a> {
    /// Importer.
    pub from: &'a str,
    /// Importer's path.
    pub path: Option<&'a str>,
    /// The import as written.
    pub import: &'a str,
    /// 1-based line.
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// Why it does not resolve.
    pub reason: String,
    /// When it runs.
    pub kind: ImportKind,
    /// Inside a `try` catching ImportError.
    pub guarded: bool,
}

/// A file with syntax errors.
#[derive(Debug, Serialize)]
pub struct ParseErrorJson<'a> {
    /// Path.
    pub path: &'a str,
    /// Line of the first error.
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// First error's message.
    pub message: &'a str,
    /// Number of errors.
    pub count: usize,
}

/// A shadowed file.
#[derive(Debug, Serialize)]
pub struct ShadowedJson<'a> {
    /// The dead file.
    pub path: &'a str,
    /// The module that wins.
    pub shadowed_by: &'a str,
    /// The winning file (`null` for a namespace package).
    pub winner: Option<&'a str>,
}

/// A file-level problem.
#[derive(Debug, Serialize)]
pub struct ProblemJson<'a> {
    /// Path.
    pub path: &'a str,
    /// What happened.
    pub message: &'a str,
}

/// Builds the `graph` JSON.
pub fn json(analysis: &Analysis) -> GraphJson<'_> {
    let name = |id: ModuleId| analysis.name(id);
    let mut edges = Vec::new();
    for (from, to, occurrences) in analysis.graph.edges() {
        for occ in occurrences {
            edges.push(EdgeJson {
                from: name(from),
                to: name(to),
                kind: occ.kind,
                guarded: occ.guarded,
                line: analysis.occurrence_line(from, occ),
                cell: analysis.occurrence_cell(from, occ),
                at_import: occ.at_import,
                pattern: occ.pattern,
                names: &occ.names,
            });
        }
    }
    GraphJson {
        version: SCHEMA_VERSION,
        root: analysis.root.display().to_string(),
        source_roots: &analysis.source_roots,
        summary: analysis.summary(),
        modules: analysis
            .modules
            .modules()
            .iter()
            .map(|m| ModuleJson {
                name: &m.name,
                path: m.path.as_deref(),
                package: m.is_package(),
                kind: m.kind,
                stub: m.stub.as_deref(),
            })
            .collect(),
        edges,
        external: analysis
            .external
            .iter()
            .map(|e| ExternalJson {
                from: name(e.from),
                module: &e.module,
                kind: e.kind,
                line: analysis.line(e.from, e.offset),
                cell: analysis.cell(e.from, e.offset),
                stdlib: e.stdlib,
                guarded: e.guarded,
            })
            .collect(),
        unresolved: analysis
            .unresolved
            .iter()
            .map(|u| UnresolvedJson {
                from: name(u.from),
                path: analysis.path(u.from),
                import: &u.import,
                line: analysis.line(u.from, u.offset),
                cell: analysis.cell(u.from, u.offset),
                reason: u.reason.to_string(),
                kind: u.kind,
                guarded: u.guarded,
            })
            .collect(),
        parse_errors: analysis
            .parse_errors
            .iter()
            .map(|p| ParseErrorJson {
                path: &p.path,
                line: p.line,
                cell: p.cell,
                message: &p.message,
                count: p.count,
            })
            .collect(),
        shadowed: analysis
            .shadowed
            .iter()
            .map(|s| ShadowedJson {
                path: &s.path,
                shadowed_by: &s.shadowed_by,
                winner: s.winner.as_deref(),
            })
            .collect(),
        problems: analysis
            .problems
            .iter()
            .map(|p| ProblemJson {
                path: &p.path,
                message: &p.message,
            })
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `graph --format json` with `--focus`, `--collapse` or `--kinds`: the
/// selected subgraph, not the whole analysis.
#[derive(Debug, Serialize)]
pub struct SubgraphJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The focus, `null` for the whole graph.
    pub focus: Option<FocusJson<'a>>,
    /// Dotted components kept when collapsing, `null` when not collapsed.
    pub collapse: Option<u32>,
    /// Edge kinds kept (and followed from the focus).
    pub kinds: Vec<ImportKind>,
    /// Nodes, sorted by name.
    pub nodes: Vec<SubgraphNodeJson<'a>>,
    /// Edges, sorted by `from` then `to`.
    pub edges: Vec<SubgraphEdgeJson<'a>>,
    /// Counts of what the analysis could not see.
    pub incomplete: Incomplete,
}

/// The focus of a subgraph.
#[derive(Debug, Serialize)]
pub struct FocusJson<'a> {
    /// The focus module (depth 0).
    pub module: &'a str,
    /// `dependents` or `dependencies`.
    pub direction: &'static str,
    /// Depth limit (`null` = unlimited).
    pub depth_limit: Option<u32>,
}

/// One node of a subgraph: a module, or a collapsed prefix.
#[derive(Debug, Serialize)]
pub struct SubgraphNodeJson<'a> {
    /// Module name or collapsed prefix (`scripts/` for collapsed scripts).
    pub name: &'a str,
    /// Distance from the focus; absent without a focus.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    /// Top-level package, `null` for a script at the root.
    pub package: Option<&'a str>,
    /// Number of modules the node stands for (1 unless collapsed).
    pub modules: usize,
}

/// One edge of a subgraph: all kept occurrences between two nodes.
#[derive(Debug, Serialize)]
pub struct SubgraphEdgeJson<'a> {
    /// Importing node.
    pub from: &'a str,
    /// Imported node.
    pub to: &'a str,
    /// Import occurrences of the kept kinds.
    pub count: usize,
    /// Kinds among those occurrences, in canonical order.
    pub kinds: Vec<ImportKind>,
}

/// Builds subgraph JSON.
pub fn subgraph_json<'a>(
    analysis: &'a Analysis,
    selection: &Selection,
    sub: &'a Subgraph,
) -> SubgraphJson<'a> {
    let name = |i: usize| sub.nodes.get(i).map_or("", |n| n.name.as_str());
    SubgraphJson {
        version: SCHEMA_VERSION,
        focus: selection.focus.map(|f| FocusJson {
            module: analysis.name(f.module),
            direction: match f.walk {
                Walk::Dependents => "dependents",
                Walk::Dependencies => "dependencies",
            },
            depth_limit: f.depth,
        }),
        collapse: selection.collapse,
        kinds: selection.kinds.kinds(),
        nodes: sub
            .nodes
            .iter()
            .map(|n| SubgraphNodeJson {
                name: &n.name,
                depth: n.depth,
                package: n.package.as_deref(),
                modules: n.modules,
            })
            .collect(),
        edges: sub
            .edges
            .iter()
            .map(|e| SubgraphEdgeJson {
                from: name(e.from),
                to: name(e.to),
                count: e.count,
                kinds: e.kinds.kinds(),
            })
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `graph` without `--format json`: a summary and the problem lists.
pub fn text(out: &mut dyn Write, analysis: &Analysis) -> io::Result<()> {
    let s = analysis.summary();
    writeln!(out, "root: {}", analysis.root.display())?;
    writeln!(
        out,
        "{} files, {} modules, {} import edges, {} external packages",
        s.files, s.modules, s.edges, s.external_packages
    )?;
    if !analysis.parse_errors.is_empty() {
        writeln!(
            out,
            "\nsyntax errors (imports around them were still read):"
        )?;
        for p in &analysis.parse_errors {
            writeln!(out, "  {}: {}", analysis.shown(&p.place()), p.message)?;
        }
    }
    if !analysis.unresolved.is_empty() {
        writeln!(out, "\nunresolved imports:")?;
        for u in &analysis.unresolved {
            writeln!(
                out,
                "  {}: {} ({})",
                analysis.shown(&analysis.place(u.from, u.offset)),
                u.import,
                u.reason
            )?;
        }
    }
    if !analysis.shadowed.is_empty() {
        writeln!(out, "\nshadowed files (never imported; dead code):")?;
        for s in &analysis.shadowed {
            writeln!(
                out,
                "  {}: shadowed by {}",
                analysis.shown(&s.path),
                s.shadowed_by
            )?;
        }
    }
    if !analysis.problems.is_empty() {
        writeln!(out, "\nfiles not fully read:")?;
        for p in &analysis.problems {
            writeln!(out, "  {}: {}", p.path, p.message)?;
        }
    }
    writeln!(out, "\nuse --format json for every module and edge")?;
    Ok(())
}
