//! Import cycles: strongly connected components of the module graph.
//!
//! Components come from petgraph's Tarjan SCC over the edges of the chosen
//! kinds. Each is reported with one concrete shortest cycle through its
//! first module, the kinds of the edges inside it, and whether the cycle
//! still exists with the import tier's edges alone (a runtime cycle: it
//! runs while the modules are imported) or only through imports that run
//! later or never (lazy and dynamic ones outside import time,
//! type-checking ones).

use petgraph::Direction;
use rustc_hash::FxHashMap;

use crate::extract::ImportKind;
use crate::graph::{ImportGraph, KindSet, Tier};
use crate::resolve::ModuleId;

/// One import cycle (strongly connected component).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Members, sorted by name.
    pub modules: Vec<ModuleId>,
    /// One concrete cycle: `[a, b, ..., a]`.
    pub example: Vec<ModuleId>,
    /// Kinds of the edges inside the component.
    pub kinds: Vec<ImportKind>,
    /// True when the import tier's edges of the chosen kinds alone already
    /// form a cycle here (`module`, `parent`, `conftest`, and `lazy` or
    /// `dynamic` imports that run at import time).
    pub runtime: bool,
}

impl Cycle {
    /// What kind of cycle it is, in words, for every renderer.
    pub fn nature(&self) -> &'static str {
        if self.runtime {
            "runtime cycle"
        } else {
            "only through imports that do not run at import time"
        }
    }
}

/// All cycles over edges of `kinds`, largest first, then by first member.
pub fn find_cycles(graph: &ImportGraph, module_count: usize, kinds: KindSet) -> Vec<Cycle> {
    let components = components_of(graph, module_count, kinds);
    let runtime_members: Vec<bool> = {
        let mut member = vec![false; module_count];
        for comp in components_of(
            graph,
            module_count,
            kinds.intersection(Tier::Import.kinds()),
        ) {
            for m in comp {
                member[m.index()] = true;
            }
        }
        member
    };
    let mut cycles: Vec<Cycle> = components
        .into_iter()
        .map(|mut modules| {
            modules.sort();
            let first = modules[0];
            let example = concrete_cycle(graph, first, &modules, kinds);
            let mut found = Vec::new();
            for &m in &modules {
                for (other, occs) in graph.neighbours(m, Direction::Outgoing, kinds) {
                    if modules.binary_search(&other).is_ok() {
                        found.extend(occs.iter().map(|o| o.kind).filter(|k| kinds.contains(*k)));
                    }
                }
            }
            found.sort();
            found.dedup();
            let runtime = modules.iter().any(|m| runtime_members[m.index()]);
            Cycle {
                modules,
                example,
                kinds: found,
                runtime,
            }
        })
        .collect();
    cycles.sort_by(|a, b| {
        b.modules
            .len()
            .cmp(&a.modules.len())
            .then_with(|| a.modules.cmp(&b.modules))
    });
    cycles
}

/// Non-trivial SCCs (two or more members, or a module importing itself).
fn components_of(graph: &ImportGraph, module_count: usize, kinds: KindSet) -> Vec<Vec<ModuleId>> {
    strongly_connected(graph, module_count, kinds)
        .into_iter()
        .filter(|comp| {
            comp.len() > 1
                || comp.first().is_some_and(|&id| {
                    graph.edge_kinds(id, id).intersection(kinds) != KindSet::EMPTY
                })
        })
        .collect()
}

/// Tarjan's strongly connected components over edges of `kinds`, with an
/// explicit stack: import chains hundreds of thousands of modules long must
/// not overflow the call stack.
fn strongly_connected(
    graph: &ImportGraph,
    module_count: usize,
    kinds: KindSet,
) -> Vec<Vec<ModuleId>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; module_count];
    let mut low = vec![0u32; module_count];
    let mut on_stack = vec![false; module_count];
    let mut stack: Vec<ModuleId> = Vec::new();
    let mut next_index = 0u32;
    let mut components = Vec::new();
    let mut calls = Vec::new();
    for root in (0..module_count).map(|i| ModuleId(i as u32)) {
        if index[root.index()] != UNSEEN {
            continue;
        }
        index[root.index()] = next_index;
        low[root.index()] = next_index;
        next_index += 1;
        on_stack[root.index()] = true;
        stack.push(root);
        calls.push((root, graph.neighbour_ids(root, Direction::Outgoing, kinds)));
        while let Some((v, neighbours)) = calls.last_mut() {
            let v = *v;
            match neighbours.next() {
                Some(w) if index[w.index()] == UNSEEN => {
                    index[w.index()] = next_index;
                    low[w.index()] = next_index;
                    next_index += 1;
                    on_stack[w.index()] = true;
                    stack.push(w);
                    calls.push((w, graph.neighbour_ids(w, Direction::Outgoing, kinds)));
                }
                Some(w) => {
                    if on_stack[w.index()] {
                        low[v.index()] = low[v.index()].min(index[w.index()]);
                    }
                }
                None => {
                    calls.pop();
                    if let Some((parent, _)) = calls.last() {
                        low[parent.index()] = low[parent.index()].min(low[v.index()]);
                    }
                    if low[v.index()] == index[v.index()] {
                        let mut component = Vec::new();
                        while let Some(m) = stack.pop() {
                            on_stack[m.index()] = false;
                            component.push(m);
                            if m == v {
                                break;
                            }
                        }
                        components.push(component);
                    }
                }
            }
        }
    }
    components
}

/// A shortest cycle through `start`, staying inside the component (sorted
/// `members`): a breadth-first search from `start` in id order (so the same
/// cycle is chosen on every run), closed by the predecessor of `start`
/// nearest to it (the lowest id among equals).
fn concrete_cycle(
    graph: &ImportGraph,
    start: ModuleId,
    members: &[ModuleId],
    kinds: KindSet,
) -> Vec<ModuleId> {
    if graph.edge_kinds(start, start).intersection(kinds) != KindSet::EMPTY {
        return vec![start, start];
    }
    // Every module on a shortest path from start to a member that imports
    // start is itself a member, so the search can stay inside the component.
    let mut parent: FxHashMap<ModuleId, (ModuleId, u32)> = FxHashMap::default();
    let mut frontier = vec![start];
    let mut depth = 0;
    while !frontier.is_empty() {
        depth += 1;
        let mut next = Vec::new();
        for &current in &frontier {
            for other in graph.neighbour_ids(current, Direction::Outgoing, kinds) {
                if other == start
                    || members.binary_search(&other).is_err()
                    || parent.contains_key(&other)
                {
                    continue;
                }
                parent.insert(other, (current, depth));
                next.push(other);
            }
        }
        next.sort();
        frontier = next;
    }
    let best = graph
        .neighbour_ids(start, Direction::Incoming, kinds)
        .filter_map(|pred| parent.get(&pred).map(|&(_, d)| (d, pred)))
        .min_by_key(|&(d, _)| d);
    let Some((_, last)) = best else {
        return vec![start];
    };
    // Walk back from the predecessor to start, then put it in import order.
    let mut path = vec![last];
    let mut cursor = last;
    while let Some(&(p, _)) = parent.get(&cursor) {
        path.push(p);
        cursor = p;
    }
    path.reverse();
    path.push(start);
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::from_pairs;

    fn ids(ms: &[ModuleId]) -> Vec<u32> {
        ms.iter().map(|m| m.0).collect()
    }

    #[test]
    fn components_with_their_shortest_cycles() {
        // 0 → 1 → 2 → 0 and 1 → 0 (a shorter cycle through 0); 3 ↔ 4;
        // 5 imports itself; 6 → 0 is in no cycle.
        let g = from_pairs(
            7,
            &[
                (0, 1),
                (1, 2),
                (2, 0),
                (1, 0),
                (3, 4),
                (4, 3),
                (5, 5),
                (6, 0),
            ],
        );
        let cycles = find_cycles(&g, 7, KindSet::ALL);
        let found: Vec<(Vec<u32>, Vec<u32>)> = cycles
            .iter()
            .map(|c| (ids(&c.modules), ids(&c.example)))
            .collect();
        assert_eq!(
            found,
            vec![
                (vec![0, 1, 2], vec![0, 1, 0]),
                (vec![3, 4], vec![3, 4, 3]),
                (vec![5], vec![5, 5]),
            ]
        );
        assert!(cycles.iter().all(|c| c.runtime));
    }

    #[test]
    fn a_ring_of_200k_modules_is_one_cycle_without_deep_recursion() {
        let n: u32 = 200_000;
        let edges: Vec<(u32, u32)> = (0..n).map(|i| (i, (i + 1) % n)).collect();
        let g = from_pairs(n as usize, &edges);
        let cycles = find_cycles(&g, n as usize, KindSet::ALL);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].modules.len(), n as usize);
        let example = ids(&cycles[0].example);
        assert_eq!(example.len(), n as usize + 1);
        assert_eq!(example[..3], [0, 1, 2]);
        assert_eq!(example[example.len() - 2..], [n - 1, 0]);
    }
}
