//! Human-readable output: aligned tables and `path:line` locations that
//! editors can open.
//!
//! Every renderer writes to a `Write` and returns I/O errors to the caller,
//! which treats a closed pipe as success.

use std::io::{self, Write};

use crate::analysis::Analysis;
use crate::graph::KindSet;
use crate::output::json::ReachTarget;
use crate::summary::Summary;
use crate::queries::cycles::Cycle;
use crate::queries::path::Hop;
use crate::queries::reach::{Reached, Walk};
use crate::resolve::ModuleId;

/// Writes rows as left-aligned columns separated by two spaces.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let all: Vec<Vec<String>> = std::iter::once(header)
        .chain(rows.iter().cloned())
        .collect();
    let widths = column_widths(&all);
    let mut header = all[0].clone();
    // Padding is computed on the plain text, so colour never misaligns.
    if let Some(last) = header.len().checked_sub(1) {
        for (i, cell) in header.iter_mut().enumerate() {
            let pad = if i == last {
                0
            } else {
                widths[i] - cell.chars().count() + 2
            };
            *cell = format!("{}{}", super::style::header(cell), " ".repeat(pad));
        }
    }
    writeln!(out, "{}", header.concat().trim_end())?;
    aligned_with(out, &all[1..], &widths)
}

fn column_widths(rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            let len = cell.chars().count();
            match widths.get_mut(i) {
                Some(w) => *w = (*w).max(len),
                None => widths.push(len),
            }
        }
    }
    widths
}

/// Writes rows as left-aligned columns separated by two spaces, no header.
pub fn aligned_rows(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    aligned_with(out, rows, &column_widths(rows))
}

fn aligned_with(out: &mut dyn Write, rows: &[Vec<String>], widths: &[usize]) -> io::Result<()> {
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn kinds_label(kinds: KindSet) -> String {
    kinds
        .kinds()
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

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

/// One line saying what the analysis could not see (empty when it saw everything).
pub fn incomplete_note(summary: &Summary) -> Option<String> {
    let Summary {
        parse_errors,
        unresolved,
        problems,
        shadowed,
        ..
    } = *summary;
    let mut parts = Vec::new();
    if parse_errors > 0 {
        parts.push(format!(
            "{parse_errors} file(s) with syntax errors (partially parsed)"
        ));
    }
    if problems > 0 {
        parts.push(format!(
            "{problems} file(s) unreadable or not cleanly decoded"
        ));
    }
    if unresolved > 0 {
        parts.push(format!("{unresolved} unresolved first-party import(s)"));
    }
    if shadowed > 0 {
        parts.push(format!("{shadowed} shadowed file(s)"));
    }
    (!parts.is_empty())
        .then(|| format!("note: {}; `blastradius graph` lists them", parts.join(", ")))
}

/// `graph` without `--format json`: a summary and the problem lists.
pub fn graph(out: &mut dyn Write, analysis: &Analysis) -> io::Result<()> {
    let s = analysis.summary();
    writeln!(out, "root: {}", analysis.root.display())?;
    writeln!(
        out,
        "{} files, {} modules, {} import edges, {} external packages",
        s.files, s.modules, s.edges, s.external_packages
    )?;
    if !analysis.parse_errors.is_empty() {
        writeln!(
            out,
            "\nsyntax errors (imports around them were still read):"
        )?;
        for p in &analysis.parse_errors {
            writeln!(out, "  {}: {}", p.place(), p.message)?;
        }
    }
    if !analysis.unresolved.is_empty() {
        writeln!(out, "\nunresolved imports:")?;
        for u in &analysis.unresolved {
            writeln!(
                out,
                "  {}: {} ({})",
                analysis.place(u.from, u.offset),
                u.import,
                u.reason
            )?;
        }
    }
    if !analysis.shadowed.is_empty() {
        writeln!(out, "\nshadowed files (never imported; dead code):")?;
        for s in &analysis.shadowed {
            writeln!(out, "  {}: shadowed by {}", s.path, s.shadowed_by)?;
        }
    }
    if !analysis.problems.is_empty() {
        writeln!(out, "\nfiles not fully read:")?;
        for p in &analysis.problems {
            writeln!(out, "  {}: {}", p.path, p.message)?;
        }
    }
    writeln!(out, "\nuse --format json for every module and edge")?;
    Ok(())
}

/// `dependents` / `dependencies`.
pub fn reach(
    out: &mut dyn Write,
    analysis: &Analysis,
    target: &ReachTarget,
    walk: Walk,
    kinds: KindSet,
    results: &[Reached],
) -> io::Result<()> {
    let (what, arrow) = match walk {
        Walk::Dependents => ("depend on", " → "),
        Walk::Dependencies => ("are dependencies of", " → "),
    };
    writeln!(
        out,
        "{} module(s) {what} {} (kinds: {})",
        results.len(),
        target.label,
        kinds_label(kinds)
    )?;
    if results.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            vec![
                r.depth.to_string(),
                analysis.name(r.module).to_string(),
                match (walk, analysis.path(r.module)) {
                    // The import that makes it depend, for an editor to open.
                    (Walk::Dependents, Some(_)) => analysis.hop_place(&r.chain),
                    (_, path) => path.unwrap_or("(namespace)").to_string(),
                },
                target.chain(analysis, r).join(arrow),
            ]
        })
        .collect();
    writeln!(out)?;
    table(out, &["depth", "module", "path", "chain"], &rows)
}

/// `path FROM TO`.
pub fn path(
    out: &mut dyn Write,
    analysis: &Analysis,
    from: ModuleId,
    to: ModuleId,
    hops: Option<&[Hop<'_>]>,
) -> io::Result<()> {
    match hops {
        None => writeln!(
            out,
            "no import chain from {} to {}",
            analysis.name(from),
            analysis.name(to)
        ),
        Some(hops) => {
            writeln!(
                out,
                "{} imports {} in {} step(s):",
                analysis.name(from),
                analysis.name(to),
                hops.len()
            )?;
            for hop in hops {
                writeln!(
                    out,
                    "  {}: {} imports {} ({})",
                    analysis.place(hop.from, hop.occurrence.offset),
                    analysis.name(hop.from),
                    analysis.name(hop.to),
                    hop.occurrence.kind.as_str()
                )?;
            }
            Ok(())
        }
    }
}

/// `cycles`.
pub fn cycles(out: &mut dyn Write, analysis: &Analysis, cycles: &[Cycle]) -> io::Result<()> {
    if cycles.is_empty() {
        return writeln!(out, "no import cycles");
    }
    writeln!(out, "{} import cycle(s), largest first:", cycles.len())?;
    for (i, cycle) in cycles.iter().enumerate() {
        let kinds: Vec<&str> = cycle.kinds.iter().map(|k| k.as_str()).collect();
        let nature = if cycle.runtime {
            "runtime cycle"
        } else {
            "only through lazy/type-checking/dynamic imports"
        };
        writeln!(
            out,
            "\n{}. {} modules ({nature}; kinds: {})",
            i + 1,
            cycle.modules.len(),
            kinds.join(", ")
        )?;
        let example: Vec<&str> = cycle.example.iter().map(|&m| analysis.name(m)).collect();
        writeln!(out, "   {}", example.join(" → "))?;
        if cycle.modules.len() + 1 > cycle.example.len() {
            let members: Vec<&str> = cycle.modules.iter().map(|&m| analysis.name(m)).collect();
            writeln!(out, "   members: {}", members.join(", "))?;
        }
    }
    Ok(())
}
