//! Reachability: who depends on a module (the blast radius) and what a module depends on.
//!
//! A breadth-first search from the start modules over reversed (dependents)
//! or forward (dependencies) edges, restricted to the chosen import kinds.
//! Depth is the BFS distance; each reached module keeps one shortest chain
//! back to a start. Neighbours are visited in module-name order, so the chain
//! chosen among equally short ones is deterministic.

use petgraph::Direction;

use crate::graph::{ImportGraph, KindSet, Tier};
use crate::resolve::{ModuleId, ModuleTable};

/// Which way to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Towards importers: everything that (transitively) imports the start.
    Dependents,
    /// Towards imported modules: everything the start (transitively) imports.
    Dependencies,
}

/// One module reached by the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The module reached.
    pub module: ModuleId,
    /// Shortest distance from a start (1 = direct).
    pub depth: u32,
    /// One shortest chain in import direction: for dependents
    /// `[module, ..., start]` (each element imports the next); for
    /// dependencies `[start, ..., module]`.
    pub chain: Vec<ModuleId>,
}

/// A start of a search: a module at a depth (0 for a target module, 1 for
/// a symbol's user), with the kinds of the imports that make it one, so
/// each tier starts only from the seeds its edges reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    /// The module.
    pub module: ModuleId,
    /// Its depth.
    pub depth: u32,
    /// How it is reached: [`KindSet::ALL`] for a target itself; for a
    /// symbol's user, the kinds of its uses.
    pub kinds: KindSet,
}

impl Seed {
    /// A target module itself, at depth 0.
    pub fn target(module: ModuleId) -> Seed {
        Seed {
            module,
            depth: 0,
            kinds: KindSet::ALL,
        }
    }
}

/// A module reached, in the smallest tier that reaches it; its depth and
/// chain are those within that tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieredReached {
    /// The smallest tier whose edges reach the module.
    pub tier: Tier,
    /// The module, its depth and chain within `tier`.
    pub reached: Reached,
}

/// [`search`] within each tier in turn (import, runtime, typing), each over
/// its edges among `kinds`: every module comes with the smallest tier that
/// reaches it and the depth and chain within that tier, so an import-tier
/// result shows an import-time chain. Sorted by tier, depth, then name;
/// `max_depth` holds within each tier.
pub fn tiered_search(
    graph: &ImportGraph,
    module_count: usize,
    seeds: &[Seed],
    walk: Walk,
    kinds: KindSet,
    max_depth: Option<u32>,
) -> Vec<TieredReached> {
    let mut seen = vec![false; module_count];
    let mut out = Vec::new();
    let mut previous = KindSet::EMPTY;
    for tier in Tier::ALL {
        let edges = tier.kinds().intersection(kinds);
        if edges.is_empty() || edges == previous {
            continue;
        }
        previous = edges;
        let starts: Vec<(ModuleId, u32)> = seeds
            .iter()
            .filter(|s| s.depth == 0 || !s.kinds.intersection(edges).is_empty())
            .map(|s| (s.module, s.depth))
            .collect();
        for reached in search(graph, module_count, &starts, walk, edges, max_depth) {
            if let Some(seen) = seen.get_mut(reached.module.index())
                && !*seen
            {
                *seen = true;
                out.push(TieredReached { tier, reached });
            }
        }
    }
    out
}

/// What a reach query was asked about, for naming its chains.
#[derive(Debug, Clone)]
pub struct ReachTarget {
    /// Module name, or `module:Name` / `Name` for a symbol.
    pub label: String,
    /// A symbol target: chains end with the label after the using file.
    pub symbol: bool,
}

impl ReachTarget {
    /// The chain of `reached` as names, ending at the target.
    pub fn chain<'a>(&'a self, table: &'a ModuleTable, reached: &Reached) -> Vec<&'a str> {
        let mut chain: Vec<&str> = reached
            .chain
            .iter()
            .map(|&m| table.get(m).name.as_str())
            .collect();
        if self.symbol {
            chain.push(&self.label);
        }
        chain
    }
}

/// Breadth-first search from `starts`; results sorted by depth, then module name.
/// `max_depth` of `None` means unlimited. Start modules are not reported
/// unless reached from another start.
pub fn reach(
    graph: &ImportGraph,
    module_count: usize,
    starts: &[ModuleId],
    walk: Walk,
    kinds: KindSet,
    max_depth: Option<u32>,
) -> Vec<Reached> {
    let seeds: Vec<(ModuleId, u32)> = starts.iter().map(|&m| (m, 0)).collect();
    search(graph, module_count, &seeds, walk, kinds, max_depth)
}

/// Breadth-first search from seeds that each sit at a given depth: depth-0
/// seeds are the targets themselves (not reported); deeper seeds (a symbol's
/// users) are reported at their depth with a chain of just themselves.
/// Results are sorted by depth, then module id (name order).
pub fn search(
    graph: &ImportGraph,
    module_count: usize,
    seeds: &[(ModuleId, u32)],
    walk: Walk,
    kinds: KindSet,
    max_depth: Option<u32>,
) -> Vec<Reached> {
    let direction = match walk {
        Walk::Dependents => Direction::Incoming,
        Walk::Dependencies => Direction::Outgoing,
    };
    let within = |d: u32| max_depth.is_none_or(|max| d <= max);
    // parent[m] = the module one step closer to a seed.
    let mut parent: Vec<Option<ModuleId>> = vec![None; module_count];
    let mut depth: Vec<u32> = vec![u32::MAX; module_count];
    // Seeds by depth: each level's frontier is what the previous level
    // reached plus the seeds that sit at this level.
    let mut seeds_by_depth: Vec<(u32, ModuleId)> = seeds
        .iter()
        .filter(|(m, _)| m.index() < module_count)
        .map(|&(m, d)| (d, m))
        .collect();
    seeds_by_depth.sort();
    let mut pending = seeds_by_depth.into_iter().peekable();
    let mut reached = Vec::new();
    let mut frontier: Vec<ModuleId> = Vec::new();
    let mut level = pending.peek().map_or(0, |&(d, _)| d);
    loop {
        while let Some(&(d, m)) = pending.peek() {
            if d > level {
                break;
            }
            pending.next();
            if depth[m.index()] == u32::MAX {
                depth[m.index()] = d;
                frontier.push(m);
                if d > 0 {
                    reached.push(m);
                }
            }
        }
        frontier.sort();
        let mut next = Vec::new();
        if within(level + 1) {
            for &current in &frontier {
                for other in graph.neighbour_ids(current, direction, kinds) {
                    if depth[other.index()] != u32::MAX {
                        continue;
                    }
                    depth[other.index()] = level + 1;
                    parent[other.index()] = Some(current);
                    next.push(other);
                }
            }
        }
        next.sort();
        reached.extend_from_slice(&next);
        frontier = next;
        level += 1;
        if frontier.is_empty() {
            match pending.peek() {
                Some(&(d, _)) if within(d) => level = level.max(d),
                _ => break,
            }
        }
    }
    reached.sort_by_key(|m| (depth[m.index()], *m));
    reached
        .into_iter()
        .map(|module| {
            let mut chain = Vec::with_capacity(depth[module.index()] as usize + 1);
            chain.push(module);
            let mut cursor = module;
            while let Some(p) = parent[cursor.index()] {
                chain.push(p);
                cursor = p;
            }
            if walk == Walk::Dependencies {
                chain.reverse();
            }
            Reached {
                module,
                depth: depth[module.index()],
                chain,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> ImportGraph {
        crate::graph::from_pairs(n, edges)
    }

    fn summary(results: &[Reached]) -> Vec<(u32, u32, Vec<u32>)> {
        results
            .iter()
            .map(|r| (r.module.0, r.depth, r.chain.iter().map(|m| m.0).collect()))
            .collect()
    }

    #[test]
    fn depth_is_bfs_distance_and_chains_are_shortest() {
        // 1 → 0, 2 → 1, 3 → 0, 2 → 3, 4 → 2
        let g = graph(5, &[(1, 0), (2, 1), (3, 0), (2, 3), (4, 2)]);
        let r = reach(&g, 5, &[ModuleId(0)], Walk::Dependents, KindSet::ALL, None);
        assert_eq!(
            summary(&r),
            vec![
                (1, 1, vec![1, 0]),
                (3, 1, vec![3, 0]),
                (2, 2, vec![2, 1, 0]),
                (4, 3, vec![4, 2, 1, 0]),
            ]
        );
        let r = reach(
            &g,
            5,
            &[ModuleId(0)],
            Walk::Dependents,
            KindSet::ALL,
            Some(2),
        );
        assert_eq!(r.len(), 3);
        let r = reach(
            &g,
            5,
            &[ModuleId(4)],
            Walk::Dependencies,
            KindSet::ALL,
            None,
        );
        assert_eq!(
            summary(&r),
            vec![
                (2, 1, vec![4, 2]),
                (1, 2, vec![4, 2, 1]),
                (3, 2, vec![4, 2, 3]),
                (0, 3, vec![4, 2, 1, 0]),
            ]
        );
    }

    #[test]
    fn seeds_at_depth_one_are_reported_and_mixed_seeds_merge() {
        let g = graph(5, &[(1, 0), (2, 1), (4, 3)]);
        let r = search(
            &g,
            5,
            &[(ModuleId(1), 1), (ModuleId(3), 1)],
            Walk::Dependents,
            KindSet::ALL,
            None,
        );
        assert_eq!(
            summary(&r),
            vec![
                (1, 1, vec![1]),
                (3, 1, vec![3]),
                (2, 2, vec![2, 1]),
                (4, 2, vec![4, 3])
            ]
        );
        // A module target (depth 0) and a symbol's user (depth 1) together.
        let r = search(
            &g,
            5,
            &[(ModuleId(0), 0), (ModuleId(3), 1)],
            Walk::Dependents,
            KindSet::ALL,
            None,
        );
        assert_eq!(
            summary(&r),
            vec![
                (1, 1, vec![1, 0]),
                (3, 1, vec![3]),
                (2, 2, vec![2, 1, 0]),
                (4, 2, vec![4, 3])
            ]
        );
        let r = search(
            &g,
            5,
            &[(ModuleId(1), 1)],
            Walk::Dependents,
            KindSet::ALL,
            Some(1),
        );
        assert_eq!(summary(&r), vec![(1, 1, vec![1])]);
    }
}
