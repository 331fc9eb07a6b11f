//! Property tests (the bounded, always-run twins of the fuzz targets #7
//! asks for): extraction never panics and reports only offsets inside the
//! file; the graph queries keep their invariants on generated graphs.

use crate::invariants::{
    Choices, check_extraction, check_migrate, check_reach, check_resolution, check_text,
    module_tree, user_file,
};
use blastradius::graph::ImportGraph;
use blastradius::resolve::{EdgeOccurrence, ModuleId};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Python-shaped fragments, so generated files reach deep into the parser
/// and the collector rather than failing on the first byte.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("import a.b as c\n".to_string()),
        Just("from . import x\n".to_string()),
        Just("from ..m import (y,\n z as w)\n".to_string()),
        Just("if TYPE_CHECKING:\n    import t\n".to_string()),
        Just("try:\n    import q\nexcept ImportError:\n    q = None\n".to_string()),
        Just("def f():\n    import lazy\n    return c.d.e('p.q.R')\n".to_string()),
        Just("importlib.import_module('.rel', package=__name__)\n".to_string()),
        Just("__all__ = ['A'] + ['B']\n".to_string()),
        Just("class A(B): pass\n".to_string()),
        Just("x = f\"{d.get(\"k\")}\"\r\n".to_string()),
        Just("\x0c\r(\n".to_string()),
        Just("\0".to_string()),
        "[ -~]{0,40}\n",
    ]
}

/// 512 cases unless `PROPTEST_CASES` asks for more (the long runs that
/// stand in for the fuzzers, recorded in docs/reliability.md).
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        // The long runs must not stop at proptest's default reject limit.
        max_global_rejects: u32::MAX,
        // Seeds are read from (and saved to) properties.proptest-regressions
        // beside this file. proptest's default, SourceParallel, finds
        // tests/it/main.rs and would silently use the missing
        // tests/proptest-regressions/properties.txt instead.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_extraction(&bytes).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn python_shaped_text_never_panics_and_details_agree(
        parts in proptest::collection::vec(fragment(), 0..30)
    ) {
        check_text(&parts.concat()).map_err(TestCaseError::fail)?;
    }

    /// Dependents and dependencies are mirror images, with the same depths,
    /// and each depth is the breadth-first distance.
    #[test]
    fn reach_is_symmetric_and_depths_are_distances(
        n in 1u32..25,
        pairs in proptest::collection::vec((0u32..25, 0u32..25), 0..80),
    ) {
        let occurrences: Vec<EdgeOccurrence> = pairs
            .iter()
            .filter(|(a, b)| *a < n && *b < n)
            .map(|&(from, to)| EdgeOccurrence {
                from: ModuleId(from),
                to: ModuleId(to),
                offset: Some(0),
                kind: blastradius::extract::ImportKind::Module,
                at_import: false,
                pattern: false,
                guarded: false,
                names: Vec::new(),
            })
            .collect();
        let graph = ImportGraph::build(n as usize, occurrences);
        check_reach(&graph, n as usize).map_err(TestCaseError::fail)?;
    }

    /// Generated module trees (packages, clashes, scripts, missing and
    /// external modules, every import form and level) resolve without
    /// losing an import, and their graphs keep the reach invariants.
    #[test]
    fn resolution_invariants_on_generated_trees(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let files = module_tree(&mut Choices::new(&bytes));
        check_resolution(&files).map_err(TestCaseError::fail)?;
    }

    /// `migrate` rewrites of generated user files parse, bind the same
    /// names, and change nothing but imports.
    #[test]
    fn migrate_rewrites_keep_bindings_and_text(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let user = user_file(&mut Choices::new(&bytes));
        check_migrate(&user).map_err(TestCaseError::fail)?;
    }
}
