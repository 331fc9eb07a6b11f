//! Line index: turns byte offsets into 1-based line numbers for display.
//!
//! Everything inside blastradius stores byte offsets into the decoded source;
//! this module is the one place that knows where lines start. It recognises the
//! three line terminators Python accepts (`\n`, `\r\n` and a lone `\r`). It
//! never reads files and knows nothing about Python syntax.

use serde::{Deserialize, Serialize};

/// The byte offsets at which each line of one source text starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Builds the index of `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(offset(i + 1)),
                b'\r' => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(offset(i + 1));
                }
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts }
    }

    /// The 1-based line that contains byte `offset`.
    pub fn line(&self, offset: u32) -> u32 {
        let idx = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }

    /// The 1-based column of byte `offset` in its line, counted in bytes.
    pub fn column(&self, offset: u32) -> u32 {
        let idx = self.starts.partition_point(|&start| start <= offset);
        let start = idx
            .checked_sub(1)
            .and_then(|i| self.starts.get(i))
            .copied()
            .unwrap_or(0);
        offset.saturating_sub(start).saturating_add(1)
    }

    /// Number of lines (a trailing newline opens an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_for_each_terminator() {
        let cases: &[(&str, &[(u32, u32)])] = &[
            ("a\nb\nc", &[(0, 1), (1, 1), (2, 2), (4, 3)]),
            ("a\r\nb", &[(0, 1), (2, 1), (3, 2)]),
            ("a\rb\rc", &[(0, 1), (2, 2), (4, 3)]),
            ("", &[(0, 1)]),
            ("x\n", &[(2, 2)]),
        ];
        for (text, expected) in cases {
            let index = LineIndex::new(text);
            for &(offset, line) in *expected {
                assert_eq!(index.line(offset), line, "text {text:?} offset {offset}");
            }
        }
    }

    #[test]
    fn columns_count_bytes_from_the_line_start() {
        let index = LineIndex::new("import a\n    from b import c\r\nx");
        assert_eq!(index.column(0), 1);
        assert_eq!(index.column(7), 8);
        assert_eq!(index.column(13), 5);
        assert_eq!(index.column(30), 1);
    }
}
