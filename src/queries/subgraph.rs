//! The part of the module graph that an export draws: focus, kinds, collapse.
//!
//! Owns the selection behind `graph --focus/--depth/--direction/--kinds/
//! --collapse`: which modules are kept (everything, or a focus module and its
//! dependents or dependencies up to a depth, found with [`reach`]), which
//! edges between them are kept (those with at least one occurrence of a
//! selected kind), and how modules fold into dotted-name prefixes. The result
//! is a plain, sorted [`Subgraph`] of names, depths and edge counts that the
//! DOT, Mermaid and JSON writers render as they are. It must not format
//! anything, read files or change the graph.

use std::collections::BTreeMap;

use crate::extract::ImportKind;
use crate::graph::{ImportGraph, KindSet};
use crate::queries::reach::{Walk, reach};
use crate::resolve::{Module, ModuleId, ModuleKind, ModuleTable};

/// Keep one module and what it reaches instead of the whole graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Focus {
    /// The module at depth 0.
    pub module: ModuleId,
    /// Towards its dependents (importers) or its dependencies.
    pub walk: Walk,
    /// Stop at this depth (1 = direct only); `None` is unlimited.
    pub depth: Option<u32>,
}

/// What to keep and how to fold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Keep only the focus and what it reaches; `None` keeps every module.
    pub focus: Option<Focus>,
    /// Fold every dotted name into its first N components; `None` keeps
    /// modules as they are. Values below 1 are treated as 1.
    pub collapse: Option<u32>,
    /// Keep edges with an occurrence of one of these kinds; the focus walk
    /// follows the same kinds.
    pub kinds: KindSet,
}

/// One node of a [`Subgraph`]: a module, or the modules folded into a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Module name, or the collapsed prefix (`app.core`, or `scripts/` for
    /// the scripts under `scripts/`).
    pub name: String,
    /// Top-level package: the first dotted component, or the first path
    /// component and `/` for a script in a directory; `None` for a script at
    /// the root, which belongs to no package.
    pub package: Option<String>,
    /// Distance from the focus (0 = the focus itself, or the node the focus
    /// folded into; the smallest distance of its members when collapsed);
    /// `None` without a focus.
    pub depth: Option<u32>,
    /// How many modules this node stands for (1 unless collapsed).
    pub modules: usize,
}

/// One edge of a [`Subgraph`]: every kept import occurrence from one node to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Index of the importing node in [`Subgraph::nodes`].
    pub from: usize,
    /// Index of the imported node in [`Subgraph::nodes`].
    pub to: usize,
    /// Import occurrences of the selected kinds, summed over merged edges.
    pub count: usize,
    /// The selected kinds among those occurrences (never empty).
    pub kinds: KindSet,
    /// The strongest of `kinds` (see [`strength`]): what a drawing shows.
    pub strongest: ImportKind,
}

/// The selected, possibly collapsed, graph.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subgraph {
    /// Nodes sorted by name.
    pub nodes: Vec<Node>,
    /// Edges sorted by `(from, to)`, that is by importer name then imported
    /// name. No self-loops when collapsed.
    pub edges: Vec<Edge>,
    /// True when the nodes are collapsed prefixes.
    pub collapsed: bool,
}

/// Nodes grouped by top-level package, for drawings with one box per package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Packages<'a> {
    /// Packages with two or more nodes, sorted by name, each with its node
    /// indices in name order.
    pub groups: Vec<(&'a str, Vec<usize>)>,
    /// Indices of the nodes drawn outside any box: alone in their package,
    /// or in no package.
    pub loose: Vec<usize>,
}

impl Subgraph {
    /// Groups the nodes by package. A package with a single node gets no box
    /// (the node's name already says where it lives).
    pub fn packages(&self) -> Packages<'_> {
        let mut by_package: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut loose = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            match &node.package {
                Some(package) => by_package.entry(package).or_default().push(i),
                None => loose.push(i),
            }
        }
        let mut groups = Vec::new();
        for (package, members) in by_package {
            if members.len() >= 2 {
                groups.push((package, members));
            } else {
                loose.extend(members);
            }
        }
        loose.sort_unstable();
        Packages { groups, loose }
    }
}

/// How strongly an import kind binds, for drawing an edge that has several:
/// module (a statement that runs at import time) > parent > conftest (run
/// at import time without a statement) > dynamic > lazy > type-checking.
pub fn strength(kind: ImportKind) -> u8 {
    match kind {
        ImportKind::Module => 5,
        ImportKind::Parent => 4,
        ImportKind::Conftest => 3,
        ImportKind::Dynamic => 2,
        ImportKind::Lazy => 1,
        ImportKind::TypeChecking => 0,
    }
}

/// Selects and folds the part of `graph` described by `selection`.
///
/// Kept modules: every module, or the focus and everything [`reach`] finds
/// from it over `selection.kinds`. Kept edges: every edge between two kept
/// modules with an occurrence of a selected kind (so a focused view also shows
/// the imports among the modules it reached). Collapsing merges nodes and
/// edges, adds up counts, unites kinds and drops the self-loops it creates.
pub fn select(graph: &ImportGraph, modules: &ModuleTable, selection: &Selection) -> Subgraph {
    let collapse = selection.collapse.map(|n| n.max(1) as usize);
    // kept[m]: Some(Some(d)) kept at depth d from the focus, Some(None) kept
    // without a focus, None dropped.
    let kept: Vec<Option<Option<u32>>> = match selection.focus {
        None => vec![Some(None); modules.len()],
        Some(focus) => {
            let mut kept = vec![None; modules.len()];
            if let Some(slot) = kept.get_mut(focus.module.index()) {
                *slot = Some(Some(0));
            }
            for r in reach(
                graph,
                modules.len(),
                &[focus.module],
                focus.walk,
                selection.kinds,
                focus.depth,
            ) {
                if let Some(slot) = kept.get_mut(r.module.index()) {
                    *slot = Some(Some(r.depth));
                }
            }
            kept
        }
    };

    // Node name of each kept module, and the nodes themselves by name.
    let mut node_of: Vec<Option<String>> = vec![None; modules.len()];
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    for (id, module) in modules.iter() {
        let Some(depth) = kept[id.index()] else {
            continue;
        };
        let name = node_name(module, collapse);
        let node = nodes.entry(name.clone()).or_insert_with(|| Node {
            name: name.clone(),
            package: package(module),
            depth,
            modules: 0,
        });
        node.modules += 1;
        node.depth = match (node.depth, depth) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        node_of[id.index()] = Some(name);
    }

    let mut tallies: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for (from, to, occurrences) in graph.edges() {
        let (Some(Some(from)), Some(Some(to))) =
            (node_of.get(from.index()), node_of.get(to.index()))
        else {
            continue;
        };
        if collapse.is_some() && from == to {
            continue;
        }
        for occurrence in occurrences {
            if !selection.kinds.admits_occurrence(occurrence) {
                continue;
            }
            tallies
                .entry((from.as_str(), to.as_str()))
                .or_insert_with(|| Tally::new(occurrence.kind))
                .add(occurrence.kind);
        }
    }

    let index: BTreeMap<&str, usize> = nodes
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let edges = tallies
        .into_iter()
        .filter_map(|((from, to), tally)| {
            Some(Edge {
                from: *index.get(from)?,
                to: *index.get(to)?,
                count: tally.count,
                kinds: tally.kinds,
                strongest: tally.strongest,
            })
        })
        .collect();
    Subgraph {
        nodes: nodes.into_values().collect(),
        edges,
        collapsed: collapse.is_some(),
    }
}

/// The occurrences merged into one edge so far.
struct Tally {
    count: usize,
    kinds: KindSet,
    strongest: ImportKind,
}

impl Tally {
    fn new(first: ImportKind) -> Self {
        Tally {
            count: 0,
            kinds: KindSet::EMPTY,
            strongest: first,
        }
    }

    fn add(&mut self, kind: ImportKind) {
        self.count += 1;
        self.kinds.insert(kind);
        if strength(kind) > strength(self.strongest) {
            self.strongest = kind;
        }
    }
}

/// The node a module belongs to: its own name, or its collapsed prefix.
/// A script in a directory collapses to that directory's first component and
/// `/`; a script at the root keeps its name.
fn node_name(module: &Module, collapse: Option<usize>) -> String {
    let Some(n) = collapse else {
        return module.name.clone();
    };
    match module.kind {
        ModuleKind::Script => match module.name.split_once('/') {
            Some((first, _)) => format!("{first}/"),
            None => module.name.clone(),
        },
        ModuleKind::Module | ModuleKind::Package | ModuleKind::Namespace => {
            module.name.split('.').take(n).collect::<Vec<_>>().join(".")
        }
    }
}

/// The top-level package of a module (see [`Node::package`]).
fn package(module: &Module) -> Option<String> {
    match module.kind {
        ModuleKind::Script => module
            .name
            .split_once('/')
            .map(|(first, _)| format!("{first}/")),
        ModuleKind::Module | ModuleKind::Package | ModuleKind::Namespace => {
            module.name.split('.').next().map(str::to_string)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str, kind: ModuleKind) -> Module {
        Module {
            name: name.to_string(),
            path: None,
            kind,
            stub: None,
        }
    }

    #[test]
    fn collapsing_keeps_n_dotted_components_and_folds_scripts_by_directory() {
        let m = module("app.core.managers.x", ModuleKind::Module);
        assert_eq!(node_name(&m, Some(2)), "app.core");
        assert_eq!(node_name(&m, Some(1)), "app");
        assert_eq!(node_name(&m, Some(9)), "app.core.managers.x");
        assert_eq!(node_name(&m, None), "app.core.managers.x");
        let s = module(".github/scripts/check.py", ModuleKind::Script);
        assert_eq!(node_name(&s, Some(3)), ".github/");
        assert_eq!(package(&s).as_deref(), Some(".github/"));
        let root_script = module("run-me.py", ModuleKind::Script);
        assert_eq!(node_name(&root_script, Some(1)), "run-me.py");
        assert_eq!(package(&root_script), None);
        assert_eq!(package(&m).as_deref(), Some("app"));
    }

    #[test]
    fn strength_orders_module_parent_conftest_dynamic_lazy_type_checking() {
        let mut kinds = ImportKind::ALL.to_vec();
        kinds.sort_by_key(|k| std::cmp::Reverse(strength(*k)));
        assert_eq!(
            kinds,
            vec![
                ImportKind::Module,
                ImportKind::Parent,
                ImportKind::Conftest,
                ImportKind::Dynamic,
                ImportKind::Lazy,
                ImportKind::TypeChecking
            ]
        );
    }
}
