//! Import cycles: strongly connected components of the module graph.
//!
//! Components come from petgraph's Tarjan SCC over the edges of the chosen
//! kinds. Each is reported with one concrete shortest cycle through its
//! first module, the kinds of the edges inside it, and whether the cycle
//! still exists with `module`-kind edges alone (a runtime cycle) or only
//! through lazy, type-checking or dynamic imports.

use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::visit::EdgeFiltered;

use crate::extract::ImportKind;
use crate::graph::{ImportGraph, KindSet};
use crate::queries::reach::{Walk, reach};
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
    /// True when `module`-kind imports alone already form a cycle here.
    pub runtime: bool,
}

/// All cycles over edges of `kinds`, largest first, then by first member.
pub fn find_cycles(graph: &ImportGraph, module_count: usize, kinds: KindSet) -> Vec<Cycle> {
    let components = components_of(graph, kinds);
    let runtime_members: Vec<bool> = {
        let mut member = vec![false; module_count];
        for comp in components_of(graph, KindSet::of(&[ImportKind::Module])) {
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
            let example = concrete_cycle(graph, module_count, first, &modules, kinds);
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
fn components_of(graph: &ImportGraph, kinds: KindSet) -> Vec<Vec<ModuleId>> {
    let inner = graph.inner();
    let filtered =
        EdgeFiltered::from_fn(inner, |e| e.weight().iter().any(|o| kinds.contains(o.kind)));
    tarjan_scc(&filtered)
        .into_iter()
        .filter(|comp| {
            comp.len() > 1
                || comp.first().is_some_and(|&n| {
                    let id = inner[n];
                    graph
                        .occurrences(id, id)
                        .is_some_and(|occ| occ.iter().any(|o| kinds.contains(o.kind)))
                })
        })
        .map(|comp| comp.into_iter().map(|n| inner[n]).collect())
        .collect()
}

/// A shortest cycle through `start`, staying inside the component.
fn concrete_cycle(
    graph: &ImportGraph,
    module_count: usize,
    start: ModuleId,
    members: &[ModuleId],
    kinds: KindSet,
) -> Vec<ModuleId> {
    // The shortest cycle through `start` is the shortest path start → p plus
    // the edge p → start, over predecessors p inside the component.
    let reached = reach(
        graph,
        module_count,
        &[start],
        Walk::Dependencies,
        kinds,
        None,
    );
    let mut best: Option<Vec<ModuleId>> = None;
    if graph
        .occurrences(start, start)
        .is_some_and(|occ| occ.iter().any(|o| kinds.contains(o.kind)))
    {
        return vec![start, start];
    }
    for (pred, _) in graph.neighbours(start, Direction::Incoming, kinds) {
        if members.binary_search(&pred).is_err() {
            continue;
        }
        if let Some(r) = reached.iter().find(|r| r.module == pred) {
            let mut cycle = r.chain.clone();
            cycle.push(start);
            if best.as_ref().is_none_or(|b| cycle.len() < b.len()) {
                best = Some(cycle);
            }
        }
    }
    best.unwrap_or_else(|| vec![start])
}
