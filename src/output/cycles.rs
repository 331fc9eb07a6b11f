//! The answer of `cycles`: strongly connected components with one concrete
//! cycle each, as JSON and for people.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::extract::ImportKind;
use crate::graph::KindSet;
use crate::output::SCHEMA_VERSION;
use crate::queries::cycles::Cycle;
use crate::resolve::ModuleId;
use crate::summary::Incomplete;

/// `cycles --json`.
#[derive(Debug, Serialize)]
pub struct CyclesJson<'a> {
    /// Schema version.
    pub version: u32,
    /// Edge kinds considered.
    pub kinds: Vec<ImportKind>,
    /// Cycles, largest first.
    pub cycles: Vec<CycleJson<'a>>,
    /// What the analysis could not see.
    pub incomplete: Incomplete,
}

/// One cycle.
#[derive(Debug, Serialize)]
pub struct CycleJson<'a> {
    /// Members, sorted.
    pub modules: Vec<&'a str>,
    /// One concrete cycle `[a, ..., a]`.
    pub example: Vec<&'a str>,
    /// Kinds of the edges inside it.
    pub kinds: &'a [ImportKind],
    /// True when module-kind imports alone form a cycle here.
    pub runtime: bool,
}

/// Builds cycles JSON.
pub fn json<'a>(analysis: &'a Analysis, kinds: KindSet, cycles: &'a [Cycle]) -> CyclesJson<'a> {
    let names = |ids: &[ModuleId]| ids.iter().map(|&m| analysis.name(m)).collect();
    CyclesJson {
        version: SCHEMA_VERSION,
        kinds: kinds.kinds(),
        cycles: cycles
            .iter()
            .map(|c| CycleJson {
                modules: names(&c.modules),
                example: names(&c.example),
                kinds: &c.kinds,
                runtime: c.runtime,
            })
            .collect(),
        incomplete: analysis.incomplete(),
    }
}

/// `cycles`.
pub fn text(out: &mut dyn Write, analysis: &Analysis, cycles: &[Cycle]) -> io::Result<()> {
    if cycles.is_empty() {
        return writeln!(out, "no import cycles");
    }
    writeln!(out, "{} import cycle(s), largest first:", cycles.len())?;
    for (i, cycle) in cycles.iter().enumerate() {
        let kinds: Vec<&str> = cycle.kinds.iter().map(|k| k.as_str()).collect();
        let nature = cycle.nature();
        writeln!(
            out,
            "\n{}. {} modules ({nature}; kinds: {})",
            i + 1,
            cycle.modules.len(),
            kinds.join(", ")
        )?;
        let example: Vec<&str> = cycle.example.iter().map(|&m| analysis.name(m)).collect();
        writeln!(out, "   {}", example.join(" → "))?;
        if cycle.modules.len() + 1 > cycle.example.len() {
            let members: Vec<&str> = cycle.modules.iter().map(|&m| analysis.name(m)).collect();
            writeln!(out, "   members: {}", members.join(", "))?;
        }
    }
    Ok(())
}
