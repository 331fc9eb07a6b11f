//! Shortest import chain from one module to another.
//!
//! Reuses the dependency search and then picks, for each hop, the earliest
//! occurrence whose kind is allowed, so the answer names a file and line the
//! user can open.

use crate::graph::{ImportGraph, KindSet, Occurrence};
use crate::queries::reach::{Walk, reach};
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
    let reached = reach(
        graph,
        module_count,
        &[from],
        Walk::Dependencies,
        kinds,
        None,
    );
    let target = reached.into_iter().find(|r| r.module == to)?;
    hops(graph, &target.chain, kinds)
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
                .find(|o| kinds.contains(o.kind))?;
            Some(Hop {
                from: pair[0],
                to: pair[1],
                occurrence,
            })
        })
        .collect()
}
