//! Bytes -> a generated user file importing a re-exported class in every
//! layout -> `migrate` to the canonical module: the rewrite parses, binds
//! the same names, and changes nothing but imports.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let user = invariants::user_file(&mut invariants::Choices::new(data));
    if let Err(problem) = invariants::check_migrate(&user) {
        panic!("{problem}");
    }
});
