//! The module graph: a petgraph directed graph of first-party modules.
//!
//! Node `i` is module `ModuleId(i)` of the module table; an edge `a → b`
//! means "a imports b" and carries every occurrence of that import (offset,
//! kind, guard, names), sorted by offset. External modules are not nodes.
//! This module only stores and filters; questions are answered in `queries`.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use rustc_hash::FxHashMap;

use crate::extract::ImportKind;
use crate::resolve::{EdgeOccurrence, ModuleId};

/// One occurrence of an import between two modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Byte offset of the statement in the importer; `None` for an implicit
    /// edge (`parent`, `conftest`), which has no statement.
    pub offset: Option<u32>,
    /// When it runs.
    pub kind: ImportKind,
    /// A `lazy` or `dynamic` import that runs while the importer is being
    /// imported: in a function called at module level (or in a class body,
    /// a decorator, a default), or a dynamic import at module level.
    pub at_import: bool,
    /// One of the modules a computed name with a literal prefix may be
    /// (`import_module("app.plugins." + name)`).
    pub pattern: bool,
    /// Inside a `try` that catches ImportError.
    pub guarded: bool,
    /// Names taken from the imported module.
    pub names: Vec<String>,
}

/// A set of import kinds, used to filter edges.
///
/// `lazy` and `dynamic` are two bits each inside: the imports that run
/// while their module is imported (`at_import`), and the others. Naming
/// the kind means both; the tiers take only the first into the import tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSet(u8);

const MODULE: u8 = 1;
const LAZY: u8 = 2;
const TYPE_CHECKING: u8 = 4;
const DYNAMIC: u8 = 8;
const PARENT: u8 = 16;
const CONFTEST: u8 = 32;
const LAZY_AT_IMPORT: u8 = 64;
const DYNAMIC_AT_IMPORT: u8 = 128;

impl KindSet {
    /// Every kind: the default of the blast-radius queries, so that an
    /// answer is never silently smaller than the truth.
    pub const ALL: KindSet = KindSet(u8::MAX);

    /// The four kinds a statement can have, without the implicit `parent`
    /// and `conftest` edges: the default of `cycles`, drawings and `check`,
    /// where a package `__init__` importing its own submodule would
    /// otherwise be a cycle everywhere.
    pub const STATEMENTS: KindSet =
        KindSet(MODULE | LAZY | LAZY_AT_IMPORT | TYPE_CHECKING | DYNAMIC | DYNAMIC_AT_IMPORT);

    /// No kind: the start of a set built up with [`KindSet::insert`].
    pub const EMPTY: KindSet = KindSet(0);

    /// The set holding exactly `kinds`.
    pub fn of(kinds: &[ImportKind]) -> Self {
        KindSet(kinds.iter().fold(0, |acc, k| acc | Self::bits(*k)))
    }

    fn bits(kind: ImportKind) -> u8 {
        match kind {
            ImportKind::Module => MODULE,
            ImportKind::Lazy => LAZY | LAZY_AT_IMPORT,
            ImportKind::TypeChecking => TYPE_CHECKING,
            ImportKind::Dynamic => DYNAMIC | DYNAMIC_AT_IMPORT,
            ImportKind::Parent => PARENT,
            ImportKind::Conftest => CONFTEST,
        }
    }

    /// The one bit an occurrence of `kind` sets.
    fn bit_of(kind: ImportKind, at_import: bool) -> u8 {
        match kind {
            ImportKind::Lazy if at_import => LAZY_AT_IMPORT,
            ImportKind::Lazy => LAZY,
            ImportKind::Dynamic if at_import => DYNAMIC_AT_IMPORT,
            ImportKind::Dynamic => DYNAMIC,
            ImportKind::Module
            | ImportKind::TypeChecking
            | ImportKind::Parent
            | ImportKind::Conftest => Self::bits(kind),
        }
    }

    /// Adds `kind` to the set (both of its bits, for `lazy`).
    pub fn insert(&mut self, kind: ImportKind) {
        self.0 |= Self::bits(kind);
    }

    /// Adds what one occurrence is.
    pub fn insert_occurrence(&mut self, kind: ImportKind, at_import: bool) {
        self.0 |= Self::bit_of(kind, at_import);
    }

    /// True when `kind` is in the set (for `lazy`: either of its bits).
    pub fn contains(self, kind: ImportKind) -> bool {
        self.0 & Self::bits(kind) != 0
    }

    /// True when an occurrence of `kind` (with `at_import`) passes the set.
    pub fn admits(self, kind: ImportKind, at_import: bool) -> bool {
        self.0 & Self::bit_of(kind, at_import) != 0
    }

    /// True when `occurrence` passes the set.
    pub fn admits_occurrence(self, occurrence: &Occurrence) -> bool {
        self.admits(occurrence.kind, occurrence.at_import)
    }

    /// True when no kind is in the set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in both sets.
    pub fn intersection(self, other: KindSet) -> KindSet {
        KindSet(self.0 & other.0)
    }

    /// The kinds in either set.
    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    /// The kinds in the set, in canonical order.
    pub fn kinds(self) -> Vec<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .filter(|k| self.contains(*k))
            .collect()
    }
}

/// The three nested edge sets every blast radius is shown in: what runs
/// when a module is imported, what may run once it runs, and what type
/// checkers also read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// `module`, `parent`, `conftest`, and the `lazy` and `dynamic` imports
    /// that run at import time (`at_import`).
    Import,
    /// The import tier plus every `lazy` and `dynamic` import.
    Runtime,
    /// Everything, `type-checking` included.
    Typing,
}

impl Tier {
    /// The tiers, smallest first.
    pub const ALL: [Tier; 3] = [Tier::Import, Tier::Runtime, Tier::Typing];

    /// The edges of the tier.
    pub fn kinds(self) -> KindSet {
        match self {
            Tier::Import => {
                KindSet(MODULE | PARENT | CONFTEST | LAZY_AT_IMPORT | DYNAMIC_AT_IMPORT)
            }
            Tier::Runtime => KindSet(!TYPE_CHECKING),
            Tier::Typing => KindSet::ALL,
        }
    }

    /// The name used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Import => "import",
            Tier::Runtime => "runtime",
            Tier::Typing => "typing",
        }
    }

    /// What the tier means, for text headings.
    pub fn describe(self) -> &'static str {
        match self {
            Tier::Import => "runs when it is imported",
            Tier::Runtime => "may run once it runs (lazy and dynamic imports)",
            Tier::Typing => "only type checkers follow (TYPE_CHECKING imports)",
        }
    }
}

/// The first-party import graph.
#[derive(Debug, Default)]
pub struct ImportGraph {
    graph: DiGraph<ModuleId, Vec<Occurrence>, u32>,
    /// Compact adjacency for searches: what each module imports.
    imports: Adjacency,
    /// Compact adjacency for searches: who imports each module.
    importers: Adjacency,
}

/// Neighbour lists in one flat array (compressed sparse rows), each sorted
/// by module id and tagged with the kinds of the edge's occurrences, so a
/// breadth-first search over 200,000 modules touches contiguous memory and
/// allocates nothing per module.
#[derive(Debug, Default)]
struct Adjacency {
    /// `starts[m]..starts[m + 1]` is module `m`'s range in `neighbours`.
    starts: Vec<u32>,
    neighbours: Vec<(ModuleId, KindSet)>,
}

impl Adjacency {
    /// Builds the lists from `(module, neighbour, kinds)` triples.
    fn build(module_count: usize, mut pairs: Vec<(ModuleId, ModuleId, KindSet)>) -> Adjacency {
        pairs.sort_unstable_by_key(|&(m, n, _)| (m, n));
        let mut starts = Vec::with_capacity(module_count + 1);
        let mut neighbours = Vec::with_capacity(pairs.len());
        let mut next = pairs.iter().peekable();
        for m in 0..module_count {
            starts.push(u32::try_from(neighbours.len()).unwrap_or(u32::MAX));
            while let Some(&(_, n, kinds)) = next.next_if(|(from, _, _)| from.index() == m) {
                neighbours.push((n, kinds));
            }
        }
        starts.push(u32::try_from(neighbours.len()).unwrap_or(u32::MAX));
        Adjacency { starts, neighbours }
    }

    fn of(&self, module: ModuleId) -> &[(ModuleId, KindSet)] {
        let range = (|| {
            let start = *self.starts.get(module.index())? as usize;
            let end = *self.starts.get(module.index() + 1)? as usize;
            self.neighbours.get(start..end)
        })();
        range.unwrap_or(&[])
    }
}

impl ImportGraph {
    /// Builds the graph over `module_count` modules from resolved occurrences.
    pub fn build(module_count: usize, mut occurrences: Vec<EdgeOccurrence>) -> Self {
        let mut graph = DiGraph::with_capacity(module_count, occurrences.len());
        for i in 0..module_count {
            graph.add_node(ModuleId(i as u32));
        }
        occurrences.sort_by_key(|o| (o.from, o.to, o.offset));
        let mut index: FxHashMap<(ModuleId, ModuleId), petgraph::graph::EdgeIndex> =
            FxHashMap::default();
        for occ in occurrences {
            let key = (occ.from, occ.to);
            let edge = *index
                .entry(key)
                .or_insert_with(|| graph.add_edge(node(occ.from), node(occ.to), Vec::new()));
            graph[edge].push(Occurrence {
                offset: occ.offset,
                kind: occ.kind,
                at_import: occ.at_import,
                pattern: occ.pattern,
                guarded: occ.guarded,
                names: occ.names,
            });
        }
        let mut forward = Vec::with_capacity(graph.edge_count());
        for edge in graph.edge_indices() {
            if let Some((a, b)) = graph.edge_endpoints(edge) {
                let mut kinds = KindSet::EMPTY;
                for occ in &graph[edge] {
                    kinds.insert_occurrence(occ.kind, occ.at_import);
                }
                forward.push((graph[a], graph[b], kinds));
            }
        }
        let backward = forward.iter().map(|&(a, b, k)| (b, a, k)).collect();
        ImportGraph {
            imports: Adjacency::build(module_count, forward),
            importers: Adjacency::build(module_count, backward),
            graph,
        }
    }

    /// Ids of the neighbours of `module` in `direction` over edges with at
    /// least one occurrence of a kind in `kinds`, in id order; the fast path
    /// for searches that need no occurrences.
    pub fn neighbour_ids(
        &self,
        module: ModuleId,
        direction: Direction,
        kinds: KindSet,
    ) -> impl Iterator<Item = ModuleId> + '_ {
        let lists = match direction {
            Direction::Outgoing => &self.imports,
            Direction::Incoming => &self.importers,
        };
        lists
            .of(module)
            .iter()
            .filter(move |(_, k)| k.0 & kinds.0 != 0)
            .map(|&(m, _)| m)
    }

    /// The underlying petgraph graph (node weights are module ids).
    pub fn inner(&self) -> &DiGraph<ModuleId, Vec<Occurrence>, u32> {
        &self.graph
    }

    /// Number of distinct (importer, imported) pairs.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every edge `(from, to, occurrences)`, sorted by `(from, to)`.
    pub fn edges(&self) -> Vec<(ModuleId, ModuleId, &[Occurrence])> {
        let mut edges: Vec<_> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                Some((self.graph[a], self.graph[b], self.graph[e].as_slice()))
            })
            .collect();
        edges.sort_by_key(|(a, b, _)| (*a, *b));
        edges
    }

    /// Neighbours of `module` in `direction` (`Outgoing` = what it imports,
    /// `Incoming` = who imports it), over edges with at least one occurrence
    /// of a kind in `kinds`; sorted by id, each with its occurrences.
    pub fn neighbours(
        &self,
        module: ModuleId,
        direction: Direction,
        kinds: KindSet,
    ) -> Vec<(ModuleId, &[Occurrence])> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(node(module), direction)
            .filter(|e| e.weight().iter().any(|o| kinds.admits_occurrence(o)))
            .map(|e| {
                let other = match direction {
                    Direction::Outgoing => petgraph::visit::EdgeRef::target(&e),
                    Direction::Incoming => petgraph::visit::EdgeRef::source(&e),
                };
                (self.graph[other], e.weight().as_slice())
            })
            .collect();
        out.sort_by_key(|(m, _)| *m);
        out
    }

    /// The kinds of the occurrences of `from → to` (empty when there is no
    /// such edge).
    pub fn edge_kinds(&self, from: ModuleId, to: ModuleId) -> KindSet {
        let list = self.imports.of(from);
        match list.binary_search_by_key(&to, |&(m, _)| m) {
            Ok(i) => list[i].1,
            Err(_) => KindSet::EMPTY,
        }
    }

    /// The occurrences of `from → to`, if that edge exists.
    pub fn occurrences(&self, from: ModuleId, to: ModuleId) -> Option<&[Occurrence]> {
        self.graph
            .find_edge(node(from), node(to))
            .map(|e| self.graph[e].as_slice())
    }
}

/// A graph over `n` modules from `(from, to)` pairs, every edge one
/// module-kind import: for query tests.
#[cfg(test)]
pub(crate) fn from_pairs(n: usize, edges: &[(u32, u32)]) -> ImportGraph {
    let occurrences = edges
        .iter()
        .map(|&(from, to)| EdgeOccurrence {
            from: ModuleId(from),
            to: ModuleId(to),
            offset: Some(0),
            kind: ImportKind::Module,
            at_import: false,
            pattern: false,
            guarded: false,
            names: Vec::new(),
        })
        .collect();
    ImportGraph::build(n, occurrences)
}

fn node(id: ModuleId) -> NodeIndex<u32> {
    NodeIndex::new(id.index())
}
