//! Bytes -> a generated module tree on disk -> the whole pipeline: no
//! import lost, imports of existing modules reach them, edges join real
//! modules, dependents and dependencies mirror with BFS depths.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let files = invariants::module_tree(&mut invariants::Choices::new(data));
    if let Err(problem) = invariants::check_resolution(&files) {
        panic!("{problem}");
    }
});
