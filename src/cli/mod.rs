//! The command-line edge: parse the arguments, settle the settings, run one
//! command, turn the outcome into an exit code.
//!
//! Exit codes: 0 success, 1 a negative answer (no path, broken imports,
//! violations), 2 bad usage, an invalid configuration or an unknown target.
//! Errors are one line on stderr with their causes; a closed stdout pipe
//! (`| head`) is not an error. No command logic lives here.

pub mod args;
pub mod settings;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use crate::analysis::CacheUse;
use crate::commands::{self, QUERY_TIME, SERIALISE_TIME};
use crate::config::Config;
use crate::output::style;
use crate::output::timings::{CommandTimes, timings};
use crate::queries::reach::Walk;
use crate::session::Session;
use crate::session::Settings;
use args::{Cli, Command};

/// Parses arguments, runs, and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    style::configure(cli.global.color);
    match run(&cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{} {err:#}", style::error());
            ExitCode::from(2)
        }
    }
}

/// True when a closed stdout is anywhere in the error's chain (serde_json
/// and other writers wrap the I/O error).
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if let Command::Completions(args) = &cli.command {
        let code = commands::completions::run(args, &mut out)?;
        out.flush()?;
        return Ok(code);
    }
    let config = if cli.global.root.is_dir() {
        crate::config::load(&cli.global.root)?
    } else {
        Config::default()
    };
    let settings = Settings::new(cli, config)?;
    let started = Instant::now();
    let session = Session::open(settings)?;
    warn_about_cache(&session);
    let command_started = Instant::now();
    let code = dispatch(&session, &cli.command, &mut out)?;
    out.flush()?;
    if session.settings.timings {
        let command = command_started.elapsed();
        let (query, serialise) = (QUERY_TIME.get(), SERIALISE_TIME.get());
        let render = command.saturating_sub(query).saturating_sub(serialise);
        let total = started.elapsed();
        let times = CommandTimes {
            query,
            render,
            serialise,
            total,
        };
        eprint!("{}", timings(&session.analysis, &times));
    }
    Ok(code)
}

fn dispatch(session: &Session, command: &Command, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match command {
        Command::Graph(args) => commands::graph::run(session, args, out),
        Command::Dependents(args) => commands::reach::run(session, args, Walk::Dependents, out),
        Command::Dependencies(args) => commands::reach::run(session, args, Walk::Dependencies, out),
        Command::Impact(args) => commands::impact::run(session, args, out),
        Command::Path(args) => commands::path::run(session, args, out),
        Command::Report(args) => commands::report::run(session, args, out),
        Command::Migrate(args) => commands::migrate::run(session, args, out),
        Command::Symbol(args) => commands::symbol::run(session, args, out),
        Command::Duplicates(args) => commands::duplicates::run(session, args, out),
        Command::Broken(args) => commands::broken::run(session, args, out),
        Command::Check(args) => commands::check::run(session, args, out),
        Command::Init(args) => commands::init::run(session, args, out),
        Command::Cycles(args) => commands::cycles::run(session, args, out),
        Command::Completions(args) => commands::completions::run(args, out),
    }
}

/// One warning line when the cache could not be written (not with --quiet).
fn warn_about_cache(session: &Session) {
    if let (
        false,
        Some(CacheUse {
            write_error: Some(err),
            ..
        }),
        Some(dir),
    ) = (
        session.settings.quiet,
        &session.analysis.cache,
        &session.settings.run.cache_dir,
    ) {
        eprintln!(
            "{} could not write the cache in {}: {err} (use --cache-dir DIR, or --no-cache)",
            style::warning(),
            dir.display()
        );
    }
}
