//! The answer of `path`: one shortest chain, each hop located, as JSON
//! and as one line per hop.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::output::SCHEMA_VERSION;
use crate::queries::path::Hop;
use crate::resolve::ModuleId;
use crate::summary::Incomplete;

/// `path --json`.
#[derive(Debug, Serialize)]
pub struct PathJson<'a> {
    /// Schema version.
    pub version: u32,
    /// Start module.
    pub from: &'a str,
    /// End module.
    pub to: &'a str,
    /// Hops, empty when there is no path.
    pub hops: Vec<HopJson<'a>>,
    /// Whether a path exists.
    pub found: bool,
    /// What the analysis could not see (a missing path may run through it).
    pub incomplete: Incomplete,
}

/// One hop of a path.
#[derive(Debug, Serialize)]
pub struct HopJson<'a> {
    /// Importer.
    pub from: &'a str,
    /// Imported.
    pub to: &'a str,
    /// Importer's file.
    pub path: Option<&'a str>,
    /// Line of the import; `null` for an implicit edge (`parent`, `conftest`).
    pub line: Option<u32>,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// Kind of the import.
    pub kind: ImportKind,
}

/// Builds path JSON.
pub fn json<'a>(
    analysis: &'a Analysis,
    from: ModuleId,
    to: ModuleId,
    hops: Option<&[Hop<'_>]>,
) -> PathJson<'a> {
    PathJson {
        version: SCHEMA_VERSION,
        incomplete: analysis.incomplete(),
        from: analysis.name(from),
        to: analysis.name(to),
        found: hops.is_some(),
        hops: hops
            .unwrap_or_default()
            .iter()
            .map(|h| HopJson {
                from: analysis.name(h.from),
                to: analysis.name(h.to),
                path: analysis.path(h.from),
                line: analysis.occurrence_line(h.from, h.occurrence),
                cell: analysis.occurrence_cell(h.from, h.occurrence),
                kind: h.occurrence.kind,
            })
            .collect(),
    }
}

/// `path FROM TO`.
pub fn text(
    out: &mut dyn Write,
    analysis: &Analysis,
    from: ModuleId,
    to: ModuleId,
    hops: Option<&[Hop<'_>]>,
) -> io::Result<()> {
    match hops {
        None => writeln!(
            out,
            "no import chain from {} to {}",
            analysis.name(from),
            analysis.name(to)
        ),
        Some(hops) => {
            writeln!(
                out,
                "{} imports {} in {} step(s):",
                analysis.name(from),
                analysis.name(to),
                hops.len()
            )?;
            for hop in hops {
                writeln!(
                    out,
                    "  {}: {} imports {} ({})",
                    analysis.shown(&analysis.occurrence_place(hop.from, hop.occurrence)),
                    analysis.name(hop.from),
                    analysis.name(hop.to),
                    hop.occurrence.kind.as_str()
                )?;
            }
            Ok(())
        }
    }
}
