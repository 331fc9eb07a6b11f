//! Line index: turns byte offsets into 1-based line numbers for display.
//!
//! Everything inside blastradius stores byte offsets into the decoded source;
//! this module is the one place that knows where lines start. It recognises the
//! three line terminators Python accepts (`\n`, `\r\n` and a lone `\r`). It
//! never reads files and knows nothing about Python syntax.
//!
//! An index is either complete (every line) or sparse: built for a known set
//! of offsets, it keeps only the lines that contain one of them, so the facts
//! of a 10,000-line file that has five imports carry five entries, not
//! 10,000. A sparse index answers exactly for the offsets it was built for
//! (and any other offset on the same lines).

use memchr::memchr2_iter;
use serde::{Deserialize, Serialize};

/// Where lines start, with their numbers: every line, or only those needed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex {
    /// `(byte offset of the line start, 1-based line number)`, ascending.
    starts: Vec<(u32, u32)>,
    /// For a notebook: `(first line of a code cell in the concatenated
    /// text, the cell's 1-based number in the notebook)`, ascending; empty
    /// for a `.py` file.
    cells: Vec<(u32, u32)>,
}

impl LineIndex {
    /// The complete index of `text`: every line.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 32 + 1);
        for_each_line(text, |start, line| {
            starts.push((start, line));
            true
        });
        LineIndex {
            starts,
            cells: Vec::new(),
        }
    }

    /// A sparse index of `text` that keeps only the lines containing one of
    /// `offsets` (in any order, duplicates allowed).
    pub fn sparse(text: &str, mut offsets: Vec<u32>) -> Self {
        offsets.sort_unstable();
        offsets.dedup();
        let mut wanted = offsets.into_iter().peekable();
        let mut starts = Vec::new();
        let mut previous: Option<(u32, u32)> = None;
        for_each_line(text, |start, line| {
            // Offsets before this line start belong to the previous line.
            let mut hit = false;
            while wanted.next_if(|&o| o < start).is_some() {
                hit = true;
            }
            if hit && let Some(prev) = previous {
                starts.push(prev);
            }
            previous = Some((start, line));
            wanted.peek().is_some()
        });
        if wanted.peek().is_some()
            && let Some(last) = previous
        {
            starts.push(last);
        }
        LineIndex {
            starts,
            cells: Vec::new(),
        }
    }

    /// Marks the text as a notebook's code cells laid end to end:
    /// `(first line, cell number)` per cell, ascending.
    pub fn set_cells(&mut self, cells: Vec<(u32, u32)>) {
        self.cells = cells;
    }

    /// Where byte `offset` is for a person: `(None, line)` in a `.py` file,
    /// `(Some(cell), line within the cell)` in a notebook.
    pub fn location(&self, offset: u32) -> (Option<u32>, u32) {
        let line = self.line(offset);
        let idx = self.cells.partition_point(|&(first, _)| first <= line);
        match idx.checked_sub(1).and_then(|i| self.cells.get(i)) {
            Some(&(first, cell)) => (Some(cell), line - first + 1),
            None => (None, line),
        }
    }

    /// The 1-based line that contains byte `offset` (exact for a sparse index
    /// when the offset was one it was built for).
    pub fn line(&self, offset: u32) -> u32 {
        self.entry(offset).map_or(1, |(_, line)| line)
    }

    /// The 1-based column of byte `offset` in its line, counted in bytes.
    pub fn column(&self, offset: u32) -> u32 {
        let start = self.entry(offset).map_or(0, |(start, _)| start);
        offset.saturating_sub(start).saturating_add(1)
    }

    fn entry(&self, offset: u32) -> Option<(u32, u32)> {
        let idx = self.starts.partition_point(|&(start, _)| start <= offset);
        idx.checked_sub(1).and_then(|i| self.starts.get(i)).copied()
    }
}

/// Calls `visit(start, line)` for each line of `text` in order until it
/// returns false.
fn for_each_line(text: &str, mut visit: impl FnMut(u32, u32) -> bool) {
    let bytes = text.as_bytes();
    let mut line: u32 = 1;
    if !visit(0, line) {
        return;
    }
    let mut skip_newline_at = usize::MAX;
    for i in memchr2_iter(b'\n', b'\r', bytes) {
        if i == skip_newline_at {
            continue;
        }
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            skip_newline_at = i + 1;
            line = line.saturating_add(1);
            if !visit(offset(i + 2), line) {
                return;
            }
        } else {
            line = line.saturating_add(1);
            if !visit(offset(i + 1), line) {
                return;
            }
        }
    }
}

fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// `path:line`, or `path:cell N:line` in a notebook: how every human
/// output names a location.
pub fn place(path: &str, cell: Option<u32>, line: u32) -> String {
    match cell {
        Some(cell) => format!("{path}:cell {cell}:{line}"),
        None => format!("{path}:{line}"),
    }
}

/// The path of `path` (relative to `root`) as seen from the current
/// directory: the root as given joined with it, as ruff and pytest print
/// paths; `path` itself when the root is `.`. Human output only: JSON keeps
/// root-relative paths and carries the root.
pub fn under_root(root: &std::path::Path, path: &str) -> String {
    let root = root.to_string_lossy();
    let root = root.trim_end_matches('/');
    if root.is_empty() || root == "." {
        path.to_string()
    } else {
        format!("{root}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    const CASES: &[(&str, &[(u32, u32)])] = &[
        ("a\nb\nc", &[(0, 1), (1, 1), (2, 2), (4, 3)]),
        ("a\r\nb", &[(0, 1), (2, 1), (3, 2)]),
        ("a\rb\rc", &[(0, 1), (2, 2), (4, 3)]),
        ("", &[(0, 1)]),
        ("x\n", &[(2, 2)]),
        ("\n\n\r\n\rz", &[(0, 1), (1, 2), (2, 3), (4, 4), (5, 5)]),
    ];

    #[test]
    fn lines_for_each_terminator() {
        for (text, expected) in CASES {
            let index = LineIndex::new(text);
            for &(offset, line) in *expected {
                assert_eq!(index.line(offset), line, "text {text:?} offset {offset}");
            }
        }
    }

    #[test]
    fn sparse_index_answers_like_the_complete_one_for_its_offsets() {
        for (text, expected) in CASES {
            for &(offset, line) in *expected {
                let index = LineIndex::sparse(text, vec![offset]);
                assert_eq!(index.line(offset), line, "text {text:?} offset {offset}");
            }
            let all: Vec<u32> = expected.iter().map(|&(o, _)| o).rev().collect();
            let index = LineIndex::sparse(text, all);
            for &(offset, line) in *expected {
                assert_eq!(index.line(offset), line, "text {text:?} offset {offset}");
            }
        }
    }

    #[test]
    fn sparse_index_keeps_only_the_lines_asked_for() {
        let text = "a\nb\nc\nd\ne\n";
        let index = LineIndex::sparse(text, vec![6, 2, 6, 3]);
        assert_eq!(index.starts, vec![(2, 2), (6, 4)]);
        assert_eq!(index.column(3), 2);
        let complete = LineIndex::new(text);
        assert_eq!(complete.starts.len(), 6);
    }

    #[test]
    fn columns_count_bytes_from_the_line_start() {
        let index = LineIndex::new("import a\n    from b import c\r\nx");
        assert_eq!(index.column(0), 1);
        assert_eq!(index.column(7), 8);
        assert_eq!(index.column(13), 5);
        assert_eq!(index.column(30), 1);
    }

    #[test]
    fn notebook_locations_count_lines_within_cells() {
        let text = "\nimport a\nif x:\n    import b\n";
        let mut index = LineIndex::new(text);
        assert_eq!(index.location(1), (None, 2));
        index.set_cells(vec![(1, 2), (3, 5)]);
        let cases = [
            (0, (Some(2), 1)),
            (1, (Some(2), 2)),
            (10, (Some(5), 1)),
            (20, (Some(5), 2)),
        ];
        for (offset, expected) in cases {
            assert_eq!(index.location(offset), expected, "offset {offset}");
        }
    }
}
