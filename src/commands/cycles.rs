//! `cycles`: strongly connected components over the chosen kinds, largest
//! first.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::CyclesArgs;
use crate::commands::{end_human, timed, write_json};
use crate::graph::KindSet;
use crate::output::cycles;
use crate::queries::cycles::find_cycles;
use crate::session::Session;

/// Runs `cycles`.
pub fn run(session: &Session, args: &CyclesArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let kinds = session.settings.kinds_or(KindSet::STATEMENTS);
    let found = timed(|| find_cycles(&analysis.graph, analysis.modules.len(), kinds));
    if args.json {
        write_json(out, &cycles::json(analysis, kinds, &found))?;
    } else {
        cycles::text(out, analysis, &found)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
