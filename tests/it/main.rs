//! The integration tests: one binary (`cargo test --test it`), one module
//! per area, so the library, askama, petgraph and the dev-dependencies are
//! linked once rather than once per file. Run one area with
//! `cargo test --locked --test it cache::`. Fixtures live in
//! `tests/fixtures/`; see docs/development.md.

mod common;
// Shared with the fuzz targets (`fuzz/fuzz_targets/*.rs` include it by path).
#[path = "../invariants/mod.rs"]
mod invariants;

mod broken;
mod cache;
mod check;
mod cli;
mod exports;
mod hostile;
mod impact;
mod init;
mod migrate;
mod notebooks;
mod pipes;
mod properties;
mod report;
mod resolution;
mod sample_repo;
mod schemas;
mod symbols;
mod walkthrough;
