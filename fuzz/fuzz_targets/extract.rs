//! Bytes -> decoding and extraction at both details: no panic, every
//! offset and line inside the file, the two details agree on imports.
#![no_main]

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(problem) = invariants::check_extraction(data) {
        panic!("{problem}");
    }
});
