//! `path`: a shortest import chain FROM → TO; exit 1 when there is none.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::PathArgs;
use crate::commands::{end_human, timed, write_json};
use crate::graph::KindSet;
use crate::output::path;
use crate::queries::path::shortest_path;
use crate::session::Session;

/// Runs `path`.
pub fn run(session: &Session, args: &PathArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let from = session.module(&args.from)?;
    let to = session.module(&args.to)?;
    let hops = timed(|| {
        shortest_path(
            &analysis.graph,
            analysis.modules.len(),
            from,
            to,
            session.settings.kinds_or(KindSet::ALL),
        )
    });
    if args.json {
        write_json(out, &path::json(analysis, from, to, hops.as_deref()))?;
    } else {
        path::text(out, analysis, from, to, hops.as_deref())?;
        end_human(out, session)?;
    }
    Ok(if hops.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
