//! `init`: prints the starter configuration (`--dry-run`), or adds it to
//! the repository where no settings exist.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::InitArgs;
use crate::init::{self, Target};
use crate::session::Session;
use crate::symbols::duplicates::DuplicateOptions;

/// Runs `init`.
pub fn run(session: &Session, args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let duplicates = session.duplicates(&DuplicateOptions::default());
    let target = Target::for_root(&analysis.root);
    let text = init::starter_config(analysis, &duplicates, target);
    if args.dry_run {
        out.write_all(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let file = init::write(&analysis.root, &text, target)?;
    eprintln!(
        "wrote a starter configuration to {}; review it, then run `blastradius check`",
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}
