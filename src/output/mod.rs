//! Rendering answers: JSON for scripts, aligned text for people, DOT and
//! Mermaid for drawings, the HTML report.
//!
//! One file per answer (`graph`, `reach`, `path`, `cycles`, `impact`,
//! `symbols`, `check`, `migrate`, `report`), each holding its JSON shape
//! (plain serde structs, so the documented schema lives in one place) and
//! its text renderer, beside the format writers (`dot`, `mermaid`, `table`,
//! `style`, `radius`). Outputs receive finished analyses, query results and
//! models; they format, they never compute an answer.

pub mod check;
pub mod cycles;
pub mod dot;
pub mod graph;
pub mod impact;
pub mod mermaid;
pub mod migrate;
pub mod path;
pub mod radius;
pub mod reach;
pub mod report;
pub mod style;
pub mod symbols;
pub mod table;
pub mod timings;

use crate::summary::Summary;

/// Version of the JSON schemas; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// One line saying what the analysis could not see (empty when it saw everything).
pub fn incomplete_note(summary: &Summary) -> Option<String> {
    let Summary {
        parse_errors,
        unresolved,
        problems,
        shadowed,
        ..
    } = *summary;
    let mut parts = Vec::new();
    if parse_errors > 0 {
        parts.push(format!(
            "{parse_errors} file(s) with syntax errors (partially parsed)"
        ));
    }
    if problems > 0 {
        parts.push(format!(
            "{problems} file(s) unreadable or not cleanly decoded"
        ));
    }
    if unresolved > 0 {
        parts.push(format!("{unresolved} unresolved first-party import(s)"));
    }
    if shadowed > 0 {
        parts.push(format!("{shadowed} shadowed file(s)"));
    }
    (!parts.is_empty())
        .then(|| format!("note: {}; `blastradius graph` lists them", parts.join(", ")))
}
