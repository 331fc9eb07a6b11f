//! `symbol`: every origin of a name, its re-exports and aliases, and every
//! file that uses it.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::SymbolArgs;
use crate::commands::{end_human, write_json};
use crate::output::symbols;
use crate::session::Session;
use crate::symbols::find_symbol;

/// Runs `symbol`.
pub fn run(session: &Session, args: &SymbolArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let origins = session.origins();
    let symbol = find_symbol(&origins, &args.name)?;
    let index = session.index();
    if args.json {
        write_json(out, &symbols::symbol_json(&origins, index, &symbol))?;
    } else {
        symbols::symbol_text(out, &origins, index, &symbol)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
