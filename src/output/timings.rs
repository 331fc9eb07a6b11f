//! The `--timings` breakdown: where a run's time went, stage by stage, and
//! what the cache did. Formats the analysis's clock; measures nothing.

use std::io::Write;

use crate::analysis::Analysis;
use crate::output::table::aligned_rows;

/// Where a command's time went after the analysis, for `--timings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommandTimes {
    /// Graph queries (reach, impact, path, cycles).
    pub query: std::time::Duration,
    /// Everything else the command did: targets, symbols, building and
    /// writing its output (apart from JSON serialisation).
    pub render: std::time::Duration,
    /// Writing JSON.
    pub serialise: std::time::Duration,
    /// The whole run.
    pub total: std::time::Duration,
}

/// The `--timings` breakdown: stage times (per-file stages are summed over
/// threads, the parallel phase is wall time) and what the cache did.
pub fn timings(analysis: &Analysis, command: &CommandTimes) -> String {
    let t = &analysis.timings;
    let ms = |d: std::time::Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    let rows: Vec<Vec<String>> = [
        ("walk", t.discover, "wall"),
        ("cache load", t.cache_load, "wall"),
        ("files", t.files, "wall, parallel phase"),
        ("  read", t.read, "cpu, summed over threads"),
        ("  parse", t.parse, "cpu, summed over threads"),
        ("  extract", t.extract, "cpu, summed over threads"),
        ("  cache facts", t.cache_facts, "cpu, summed over threads"),
        ("cache write", t.cache_write, "wall"),
        ("resolve", t.resolve, "wall"),
        ("graph", t.graph, "wall"),
        ("query", command.query, "wall, graph queries"),
        (
            "command",
            command.render,
            "wall, targets, symbols and rendering",
        ),
        ("output", command.serialise, "wall, JSON serialisation"),
        ("total", command.total, "wall"),
    ]
    .into_iter()
    .map(|(stage, d, note)| vec![stage.to_string(), ms(d), note.to_string()])
    .collect();
    let mut text = Vec::new();
    let _ = writeln!(text, "timings ({} files):", analysis.file_count());
    let _ = aligned_rows(&mut text, &rows);
    let mut text = String::from_utf8_lossy(&text).into_owned();
    match &analysis.cache {
        None => text.push_str("cache: disabled\n"),
        Some(cache) => {
            text.push_str(&format!(
                "cache: {} fresh, {} unchanged by content (touched), {} parsed",
                cache.fresh, cache.confirmed, cache.parsed
            ));
            if let Some(why) = &cache.rejected {
                text.push_str(&format!("; previous cache not used: {}", why.as_str()));
            }
            if cache.written {
                text.push_str("; written");
            }
            if let Some(err) = &cache.write_error {
                text.push_str(&format!("; not written: {err}"));
            }
            text.push('\n');
        }
    }
    text
}
