//! `report`: the self-contained HTML impact report, written to a file
//! whose path is printed.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::ReportArgs;
use crate::commands::end_human;
use crate::graph::KindSet;
use crate::output::report;
use crate::report::{ReportModel, ReportRequest};
use crate::session::Session;

/// Runs `report`.
pub fn run(session: &Session, args: &ReportArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let model = ReportModel::build(
        session,
        ReportRequest {
            targets: session.targets(&args.targets)?,
            critical: &session.settings.critical,
            kinds: session.settings.kinds_or(KindSet::ALL),
            elapsed: session.elapsed(),
        },
    );
    report::write_report(&args.output, &report::render(&model)?)?;
    writeln!(out, "{}", args.output.display())?;
    end_human(out, session)?;
    Ok(ExitCode::SUCCESS)
}
