//! One file per command: each takes the [`Session`], its own arguments and
//! stdout, asks the queries, hands the answer to its renderer, and returns
//! the exit code.
//!
//! Commands hold no domain logic of their own: they join a query to an
//! output and decide the exit code (0 success, 1 a negative answer). The
//! helpers here time the queries and the JSON writing for `--timings`, and
//! print the note about what the analysis could not see after human output.

pub mod broken;
pub mod check;
pub mod completions;
pub mod cycles;
pub mod duplicates;
pub mod graph;
pub mod impact;
pub mod init;
pub mod migrate;
pub mod path;
pub mod reach;
pub mod report;
pub mod symbol;

use std::io::Write;
use std::time::Instant;

use crate::analysis::Total;
use crate::output::{incomplete_note, style};
use crate::session::Session;

/// Time spent writing JSON documents, for `--timings`.
pub static SERIALISE_TIME: Total = Total::new();
/// Time spent in graph queries (reach, impact, path, cycles), for `--timings`.
pub static QUERY_TIME: Total = Total::new();

/// Runs a graph query, adding its time to [`QUERY_TIME`].
pub fn timed<T>(query: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = query();
    QUERY_TIME.since(started);
    result
}

/// Writes `value` as pretty JSON and a newline, adding the time to
/// [`SERIALISE_TIME`].
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> anyhow::Result<()> {
    let started = Instant::now();
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    SERIALISE_TIME.since(started);
    Ok(())
}

/// Ends human output: flushes it, then says on stderr what the analysis
/// could not see, so the note follows what it qualifies.
pub fn end_human(out: &mut dyn Write, session: &Session) -> anyhow::Result<()> {
    out.flush()?;
    if let Some(note) = incomplete_note(&session.analysis.summary()) {
        eprintln!("{}{}", style::note(), note.trim_start_matches("note:"));
    }
    for (name, evidence) in &session.analysis.yielded {
        eprintln!(
            "{} {name}/ has no __init__.py and {name} is a third-party package ({evidence}): imports of {name} go to the installed package, and the files under {name}/ are scripts",
            style::note()
        );
    }
    Ok(())
}
