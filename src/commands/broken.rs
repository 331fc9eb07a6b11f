//! `broken`: imports that would fail at run time, by file; exit 1 when
//! there are any the code does not handle.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::BrokenArgs;
use crate::commands::{end_human, write_json};
use crate::output::symbols;
use crate::session::Session;
use crate::symbols::broken::broken_imports;

/// Runs `broken`.
pub fn run(session: &Session, args: &BrokenArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let broken = broken_imports(
        analysis,
        &session.index().broken,
        &session.settings.config.broken_ignore,
    );
    let failing = broken.unhandled().count();
    let report = symbols::broken_json(analysis, &broken, args.include_handled);
    if args.json {
        write_json(out, &report)?;
    } else {
        symbols::broken_text(out, &report)?;
        end_human(out, session)?;
    }
    Ok(if failing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
