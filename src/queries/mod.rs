//! Questions asked of the module graph.
//!
//! Each family of queries lives in its own file: reachability (dependents,
//! dependencies: the blast radius), shortest paths, cycles, the subgraph an
//! export draws, and the lookup that turns a user's target into a module.
//! Queries read the graph and the module table; they never change them and
//! never touch the filesystem.

pub mod cycles;
pub mod impact;
pub mod path;
pub mod reach;
pub mod subgraph;
pub mod target;
