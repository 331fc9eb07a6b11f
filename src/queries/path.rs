//! Shortest import chain from one module to another.
//!
//! A breadth-first search in the dependency direction that stops at the
//! target (same tie-breaking as `reach`), then, for each hop, the earliest
//! occurrence whose kind is allowed, so the answer names a file and line the
//! user can open.

use petgraph::Direction;

use crate::graph::{ImportGraph, KindSet, Occurrence};
use crate::resolve::ModuleId;

/// One hop of a chain: `from` imports `to` at `occurrence`.
#[derive(Debug, Clone)]
pub struct Hop<'g> {
    /// The importer.
    pub from: ModuleId,
    /// The imported module.
    pub to: ModuleId,
    /// The earliest allowed occurrence of the import.
    pub occurrence: &'g Occurrence,
}

/// A shortest chain `from → ... → to`, or `None` when `to` is unreachable.
pub fn shortest_path<'g>(
    graph: &'g ImportGraph,
    module_count: usize,
    from: ModuleId,
    to: ModuleId,
    kinds: KindSet,
) -> Option<Vec<Hop<'g>>> {
    // Breadth-first, level by level, each level in id order and each
    // module's imports in id order, like `reach`, so the chain is the one
    // `dependencies` shows; it stops as soon as `to` is found.
    let mut parent: Vec<Option<ModuleId>> = vec![None; module_count];
    let mut seen = vec![false; module_count];
    *seen.get_mut(from.index())? = true;
    let mut frontier = vec![from];
    // A module is never its own answer (as in `reach`, the start is not
    // reported), even when it imports itself.
    if from == to {
        return None;
    }
    let mut found = false;
    'search: while !frontier.is_empty() {
        let mut next = Vec::new();
        for &current in &frontier {
            for other in graph.neighbour_ids(current, Direction::Outgoing, kinds) {
                if other == to {
                    parent[to.index()] = Some(current);
                    found = true;
                    break 'search;
                }
                if !seen[other.index()] {
                    seen[other.index()] = true;
                    parent[other.index()] = Some(current);
                    next.push(other);
                }
            }
        }
        next.sort();
        frontier = next;
    }
    if !found {
        return None;
    }
    let mut chain = vec![to];
    let mut cursor = to;
    while let Some(p) = parent[cursor.index()] {
        chain.push(p);
        cursor = p;
        if p == from {
            break;
        }
    }
    chain.reverse();
    hops(graph, &chain, kinds)
}

/// The hops along `chain` (each element imports the next).
pub fn hops<'g>(
    graph: &'g ImportGraph,
    chain: &[ModuleId],
    kinds: KindSet,
) -> Option<Vec<Hop<'g>>> {
    chain
        .windows(2)
        .map(|pair| {
            let occurrence = graph
                .occurrences(pair[0], pair[1])?
                .iter()
                .find(|o| kinds.admits_occurrence(o))?;
            Some(Hop {
                from: pair[0],
                to: pair[1],
                occurrence,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::from_pairs;
    use crate::queries::reach::{Walk, reach};

    /// On pseudo-random graphs, the early-stopping search gives exactly the
    /// chain `dependencies` reports for every pair (and none where it has none).
    #[test]
    fn chains_match_the_dependency_search_for_every_pair() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |bound: u32| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % u64::from(bound)) as u32
        };
        for _ in 0..40 {
            let n = 2 + next(12);
            let edges: Vec<(u32, u32)> = (0..next(3 * n)).map(|_| (next(n), next(n))).collect();
            let g = from_pairs(n as usize, &edges);
            for from in 0..n {
                let reached = reach(
                    &g,
                    n as usize,
                    &[ModuleId(from)],
                    Walk::Dependencies,
                    KindSet::ALL,
                    None,
                );
                for to in 0..n {
                    let expected = reached
                        .iter()
                        .find(|r| r.module == ModuleId(to))
                        .map(|r| r.chain.clone());
                    let found =
                        shortest_path(&g, n as usize, ModuleId(from), ModuleId(to), KindSet::ALL)
                            .map(|hops| {
                                let mut chain: Vec<ModuleId> =
                                    hops.iter().map(|h| h.from).collect();
                                chain.extend(hops.last().map(|h| h.to));
                                chain
                            });
                    assert_eq!(found, expected, "{edges:?} {from} -> {to}");
                }
            }
        }
    }
}
