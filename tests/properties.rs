//! Property tests (the bounded, always-run twins of the fuzz targets #7
//! asks for): extraction never panics and reports only offsets inside the
//! file; the graph queries keep their invariants on generated graphs.

use blastradius::extract::{Detail, extract};
use blastradius::graph::{ImportGraph, KindSet};
use blastradius::queries::reach::{Walk, reach};
use blastradius::resolve::{EdgeOccurrence, ModuleId};
use blastradius::source::decode;
use proptest::prelude::*;

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

fn every_offset_inside(text: &str, detail: Detail) -> Result<(), TestCaseError> {
    let facts = extract(text, false, detail);
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    // Python ends lines at \n, \r\n and a lone \r.
    let terminators = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    let max_line = u32::try_from(terminators + 1).unwrap_or(u32::MAX);
    let mut offsets: Vec<u32> = facts.imports.iter().map(|i| i.offset).collect();
    offsets.extend(facts.syntax_errors.iter().map(|e| e.offset));
    offsets.extend(facts.bindings.iter().map(|b| b.offset));
    offsets.extend(facts.attribute_uses.iter().flat_map(|u| [u.offset, u.end]));
    offsets.extend(facts.string_refs.iter().flat_map(|r| [r.offset, r.end]));
    for offset in offsets {
        prop_assert!(offset <= len, "offset {offset} past the end ({len})");
        let line = facts.lines.line(offset);
        prop_assert!(line >= 1 && line <= max_line, "line {line} of {max_line}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let decoded = decode(&bytes);
        every_offset_inside(&decoded.text, Detail::Symbols)?;
        every_offset_inside(&decoded.text, Detail::Imports)?;
    }

    #[test]
    fn python_shaped_text_never_panics_and_details_agree(
        parts in proptest::collection::vec(fragment(), 0..30)
    ) {
        let text: String = parts.concat();
        every_offset_inside(&text, Detail::Symbols)?;
        let full = extract(&text, false, Detail::Symbols);
        let imports = extract(&text, false, Detail::Imports);
        prop_assert_eq!(&full.imports, &imports.imports);
        prop_assert_eq!(&full.syntax_errors, &imports.syntax_errors);
    }

    /// Dependents and dependencies are mirror images, with the same depths,
    /// and each depth is the breadth-first distance along its chain.
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
                offset: 0,
                kind: blastradius::extract::ImportKind::Module,
                guarded: false,
                names: Vec::new(),
            })
            .collect();
        let edges: Vec<(u32, u32)> = occurrences.iter().map(|o| (o.from.0, o.to.0)).collect();
        let graph = ImportGraph::build(n as usize, occurrences);
        let n_us = n as usize;
        for x in 0..n {
            let dependents = reach(&graph, n_us, &[ModuleId(x)], Walk::Dependents, KindSet::ALL, None);
            for r in &dependents {
                // Every edge of the chain exists, and the chain is as long as the depth.
                prop_assert_eq!(r.chain.len() as u32, r.depth + 1);
                for pair in r.chain.windows(2) {
                    prop_assert!(edges.contains(&(pair[0].0, pair[1].0)));
                }
                let back = reach(&graph, n_us, &[r.module], Walk::Dependencies, KindSet::ALL, None);
                let mirrored = back.iter().find(|b| b.module == ModuleId(x));
                prop_assert_eq!(mirrored.map(|b| b.depth), Some(r.depth));
            }
            // Nothing closer than its depth: no edge from a module at depth d
            // to the start side skips a level.
            let depth_of = |m: u32| {
                if m == x { Some(0) } else { dependents.iter().find(|r| r.module.0 == m).map(|r| r.depth) }
            };
            for &(a, b) in &edges {
                if let (Some(db), true) = (depth_of(b), a != x) {
                    let da = depth_of(a);
                    prop_assert!(da.is_some_and(|da| da <= db + 1), "{a}->{b}: {da:?} vs {db}");
                }
            }
        }
    }
}
