//! Reachability: who depends on a module (the blast radius) and what a module depends on.
//!
//! A breadth-first search from the start modules over reversed (dependents)
//! or forward (dependencies) edges, restricted to the chosen import kinds.
//! Depth is the BFS distance; each reached module keeps one shortest chain
//! back to a start. Neighbours are visited in module-name order, so the chain
//! chosen among equally short ones is deterministic.

use petgraph::Direction;

use crate::graph::{ImportGraph, KindSet};
use crate::resolve::ModuleId;

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
    search(graph, module_count, starts, 0, walk, kinds, max_depth)
}

/// The dependents of a symbol: `users` (the files that use it) are depth 1,
/// with a chain of just themselves; everything that imports them follows.
pub fn reach_from_users(
    graph: &ImportGraph,
    module_count: usize,
    users: &[ModuleId],
    kinds: KindSet,
    max_depth: Option<u32>,
) -> Vec<Reached> {
    search(
        graph,
        module_count,
        users,
        1,
        Walk::Dependents,
        kinds,
        max_depth,
    )
}

/// BFS where `seeds` sit at `seed_depth` (reported when it is not 0).
fn search(
    graph: &ImportGraph,
    module_count: usize,
    seeds: &[ModuleId],
    seed_depth: u32,
    walk: Walk,
    kinds: KindSet,
    max_depth: Option<u32>,
) -> Vec<Reached> {
    let direction = match walk {
        Walk::Dependents => Direction::Incoming,
        Walk::Dependencies => Direction::Outgoing,
    };
    // parent[m] = the module one step closer to a seed.
    let mut parent: Vec<Option<ModuleId>> = vec![None; module_count];
    let mut depth: Vec<u32> = vec![u32::MAX; module_count];
    let mut frontier: Vec<ModuleId> = seeds.to_vec();
    frontier.sort();
    frontier.dedup();
    let mut reached = Vec::new();
    for &seed in &frontier {
        depth[seed.index()] = seed_depth;
        if seed_depth > 0 {
            reached.push(seed);
        }
    }
    let mut level = seed_depth;
    while !frontier.is_empty() {
        if max_depth.is_some_and(|max| level >= max) {
            break;
        }
        level += 1;
        let mut next = Vec::new();
        for &current in &frontier {
            for (other, _) in graph.neighbours(current, direction, kinds) {
                if depth[other.index()] != u32::MAX {
                    continue;
                }
                depth[other.index()] = level;
                parent[other.index()] = Some(current);
                next.push(other);
            }
        }
        next.sort();
        reached.extend_from_slice(&next);
        frontier = next;
    }
    reached
        .into_iter()
        .map(|module| {
            let mut chain = vec![module];
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
