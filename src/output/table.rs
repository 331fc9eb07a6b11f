//! Aligned text for people: tables whose columns line up, with bold
//! headers when colour is on, and the kind lists that label answers.
//!
//! Every renderer writes to a `Write` and returns I/O errors to the caller,
//! which treats a closed pipe as success.

use std::io::{self, Write};

use crate::graph::KindSet;

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
            *cell = format!("{}{}", crate::output::style::header(cell), " ".repeat(pad));
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

/// The kinds of `kinds`, comma-separated, for headers.
pub fn kinds_label(kinds: KindSet) -> String {
    kinds
        .kinds()
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
