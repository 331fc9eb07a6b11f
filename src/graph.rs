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
    /// Byte offset of the statement in the importer.
    pub offset: u32,
    /// When it runs.
    pub kind: ImportKind,
    /// Inside a `try` that catches ImportError.
    pub guarded: bool,
    /// Names taken from the imported module.
    pub names: Vec<String>,
}

/// A set of import kinds, used to filter edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSet(u8);

impl KindSet {
    /// Every kind: the default, so that a blast radius is never silently smaller than the truth.
    pub const ALL: KindSet = KindSet(0b1111);

    /// No kind: the start of a set built up with [`KindSet::insert`].
    pub const EMPTY: KindSet = KindSet(0);

    /// The set holding exactly `kinds`.
    pub fn of(kinds: &[ImportKind]) -> Self {
        KindSet(kinds.iter().fold(0, |acc, k| acc | Self::bit(*k)))
    }

    fn bit(kind: ImportKind) -> u8 {
        match kind {
            ImportKind::Module => 1,
            ImportKind::Lazy => 2,
            ImportKind::TypeChecking => 4,
            ImportKind::Dynamic => 8,
        }
    }

    /// Adds `kind` to the set.
    pub fn insert(&mut self, kind: ImportKind) {
        self.0 |= Self::bit(kind);
    }

    /// True when `kind` is in the set.
    pub fn contains(self, kind: ImportKind) -> bool {
        self.0 & Self::bit(kind) != 0
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
                guarded: occ.guarded,
                names: occ.names,
            });
        }
        let mut forward = Vec::with_capacity(graph.edge_count());
        for edge in graph.edge_indices() {
            if let Some((a, b)) = graph.edge_endpoints(edge) {
                let mut kinds = KindSet::EMPTY;
                for occ in &graph[edge] {
                    kinds.insert(occ.kind);
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
            .filter(|e| e.weight().iter().any(|o| kinds.contains(o.kind)))
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
            offset: 0,
            kind: ImportKind::Module,
            guarded: false,
            names: Vec::new(),
        })
        .collect();
    ImportGraph::build(n, occurrences)
}

fn node(id: ModuleId) -> NodeIndex<u32> {
    NodeIndex::new(id.index())
}
