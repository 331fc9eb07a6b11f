//! `completions`: a shell completion script, printed without analysing
//! anything.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::args::{Cli, CompletionsArgs};

/// Runs `completions`.
pub fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "blastradius", out);
    Ok(ExitCode::SUCCESS)
}
