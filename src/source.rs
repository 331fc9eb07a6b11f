//! Reading and decoding one source file.
//!
//! Owns file I/O for Python sources and text decoding: a UTF-8 BOM is
//! stripped, a PEP 263 `coding:` declaration on the first two lines is
//! honoured, and anything that still fails to decode is decoded lossily and
//! reported, so the imports it holds are not lost. It knows nothing about
//! Python syntax beyond the coding cookie.

use std::borrow::Cow;
use std::path::Path;

/// Decoded text plus what went wrong on the way, if anything.
#[derive(Debug)]
pub struct Decoded {
    /// The text to parse.
    pub text: String,
    /// Set when the bytes did not decode cleanly (the text is then lossy).
    pub warning: Option<String>,
    /// For a notebook, `(first line in text, cell number)` of each code cell
    /// laid end to end in `text`; empty for a `.py` file.
    pub cells: Vec<(u32, u32)>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadFailure {
    /// A one-line description.
    pub message: String,
}

/// Reads and decodes the file at `path`.
pub fn read_source(path: &Path) -> Result<Decoded, ReadFailure> {
    let bytes = read_bytes(path).map_err(|err| ReadFailure {
        message: read_error_message(&err),
    })?;
    decode_file(path, &bytes)
}

/// True for a Jupyter notebook, by its extension.
pub fn is_notebook(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ipynb")
}

/// Decodes the bytes of the file at `path`: a `.py`/`.pyi` as Python
/// source ([`decode`]), a `.ipynb` as a notebook ([`decode_notebook`]).
pub fn decode_file(path: &Path, bytes: &[u8]) -> Result<Decoded, ReadFailure> {
    if is_notebook(path) {
        decode_notebook(bytes)
    } else {
        Ok(decode(bytes))
    }
}

/// The Python a notebook would run, for import analysis: its code cells
/// laid end to end, each line kept so lines map back to `cell:line`.
/// IPython syntax is blanked, not parsed: a cell starting with a cell
/// magic (`%%bash`) is skipped whole, and line magics (`%time`), shell
/// escapes (`!pip`, `x = !ls`) and help lines (`obj?`) become empty lines.
/// Markdown and raw cells are not code. A file that is not notebook JSON is
/// a failure, reported like an unreadable file.
pub fn decode_notebook(bytes: &[u8]) -> Result<Decoded, ReadFailure> {
    let not_notebook = |why: String| ReadFailure {
        message: format!("not a readable notebook: {why}"),
    };
    let notebook: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|err| not_notebook(err.to_string()))?;
    let cells = notebook
        .get("cells")
        .and_then(|c| c.as_array())
        .ok_or_else(|| not_notebook("no \"cells\" list (nbformat 4 expected)".to_string()))?;
    let mut text = String::new();
    let mut starts = Vec::new();
    let mut line = 1u32;
    for (index, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(|t| t.as_str()) != Some("code") {
            continue;
        }
        let source = match cell.get("source") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(parts)) => {
                parts.iter().filter_map(|p| p.as_str()).collect::<String>()
            }
            _ => String::new(),
        };
        // A lone CR ends a line here too, as it does for `.py` files.
        let source = source.replace("\r\n", "\n").replace('\r', "\n");
        let mut body: Vec<&str> = source.lines().collect();
        if let Some(first) = body.first_mut()
            && let Some(magic) = first.trim_start().strip_prefix("%%")
        {
            let name = magic.split_whitespace().next().unwrap_or("");
            if !PYTHON_CELL_MAGICS.contains(&name) {
                // %%bash, %%writefile, %%html...: not Python.
                continue;
            }
            *first = "";
        }
        if body.is_empty() {
            body.push("");
        }
        starts.push((line, u32::try_from(index + 1).unwrap_or(u32::MAX)));
        let mut state = Continuation::default();
        for code in body {
            let python = if state.at_statement_start() {
                python_of_line(code)
            } else {
                Cow::Borrowed(code)
            };
            state.feed(&python);
            text.push_str(&python);
            text.push('\n');
            line = line.saturating_add(1);
        }
    }
    Ok(Decoded {
        text,
        warning: None,
        cells: starts,
    })
}

/// Cell magics whose body is Python that runs (timed, captured, profiled).
const PYTHON_CELL_MAGICS: &[&str] = &["capture", "debug", "prun", "time", "timeit"];

/// The Python a line that starts a statement stands for: itself, the
/// statement a `%time`/`%timeit` runs, or nothing for the other IPython
/// syntax (line magics, `!shell`, `x = !shell`, `x = %magic`, `obj?`).
fn python_of_line(line: &str) -> Cow<'_, str> {
    let code = line.trim_start();
    let indent = &line[..line.len() - code.len()];
    for magic in ["%timeit", "%time"] {
        if let Some(rest) = code.strip_prefix(magic)
            && rest.starts_with([' ', '\t'])
        {
            let rest = rest.trim_start();
            // Options (`%timeit -n 10 f()`) are not parsed: blank the line.
            if rest.starts_with('-') {
                return Cow::Borrowed("");
            }
            return Cow::Owned(format!("{indent}{rest}"));
        }
    }
    let is_names = |s: &str| {
        s.split(',').all(|n| {
            let n = n.trim();
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        })
    };
    let help = |s: &str| {
        let name = s.trim_start_matches('?').trim_end_matches('?');
        name.len() < s.len()
            && !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '*')
    };
    let assigned_from_ipython = code.split_once('=').is_some_and(|(target, value)| {
        is_names(target) && value.trim_start().starts_with(['!', '%'])
    });
    if code.starts_with(['%', '!']) || help(code) || assigned_from_ipython {
        Cow::Borrowed("")
    } else {
        Cow::Borrowed(line)
    }
}

/// Whether the next line starts a statement: not inside brackets, a
/// triple-quoted string, or after a backslash. IPython only rewrites its
/// syntax there, so a docstring line ending in `?` stays as it is.
#[derive(Debug, Default)]
struct Continuation {
    depth: i32,
    triple: Option<char>,
    backslash: bool,
}

impl Continuation {
    fn at_statement_start(&self) -> bool {
        self.depth == 0 && self.triple.is_none() && !self.backslash
    }

    fn feed(&mut self, line: &str) {
        let chars: Vec<char> = line.chars().collect();
        let triple_at = |i: usize, q: char| chars.get(i..i + 3) == Some(&[q, q, q][..]);
        self.backslash = false;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = self.triple {
                if c == '\\' {
                    i += 2;
                } else if triple_at(i, q) {
                    self.triple = None;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            match c {
                '#' => break,
                '"' | '\'' if triple_at(i, c) => {
                    self.triple = Some(c);
                    i += 3;
                    continue;
                }
                '"' | '\'' => {
                    i += 1;
                    while i < chars.len() && chars[i] != c {
                        i += if chars[i] == '\\' { 2 } else { 1 };
                    }
                }
                '(' | '[' | '{' => self.depth += 1,
                ')' | ']' | '}' => self.depth = (self.depth - 1).max(0),
                '\\' if i + 1 == chars.len() => self.backslash = true,
                _ => {}
            }
            i += 1;
        }
    }
}

/// A file exactly as it is on disk, for a rewrite that must give back the
/// same bytes wherever nothing changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exact {
    /// The bytes read, to detect a change before writing.
    pub bytes: Vec<u8>,
    /// Whether the bytes start with a UTF-8 BOM (not part of `text`).
    pub bom: bool,
    /// The text after the BOM.
    pub text: String,
}

/// Why a file cannot be rewritten as text.
#[derive(Debug)]
pub enum NotRewritable {
    /// It could not be read.
    Unreadable(std::io::Error),
    /// It is not UTF-8 (a rewrite would have to re-encode it).
    NotUtf8,
}

/// Reads the file at `path` for rewriting: UTF-8 only, byte for byte.
pub fn read_exact(path: &Path) -> Result<Exact, NotRewritable> {
    let bytes = read_bytes(path).map_err(NotRewritable::Unreadable)?;
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes.as_slice()),
    };
    let text = std::str::from_utf8(body)
        .map_err(|_| NotRewritable::NotUtf8)?
        .to_string();
    Ok(Exact { bytes, bom, text })
}

/// The bytes of the file at `path`, as they are now.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

/// The one-line description of a failure to read a source file.
pub fn read_error_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "file disappeared before it could be read".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => err.to_string(),
    }
}

/// Decodes Python source bytes (PEP 263 + BOM), never failing.
pub fn decode(bytes: &[u8]) -> Decoded {
    let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let declared = coding_cookie(bytes);
    if declared.as_deref().is_some_and(is_latin1) {
        // Python's latin-1 maps each byte to the same code point; the WHATWG
        // tables behind encoding_rs would treat it as windows-1252.
        return Decoded {
            text: bytes.iter().map(|&b| char::from(b)).collect(),
            warning: had_bom
                .then(|| "UTF-8 byte order mark contradicts the coding declaration".to_string()),
            cells: Vec::new(),
        };
    }
    let encoding = match declared.as_deref() {
        None => encoding_rs::UTF_8,
        Some(label) => match lookup_encoding(label) {
            Some(enc) => enc,
            None => {
                let (text, _) = lossy_utf8(bytes);
                return Decoded {
                    text,
                    warning: Some(format!(
                        "unknown encoding {label:?} in coding declaration; read as UTF-8"
                    )),
                    cells: Vec::new(),
                };
            }
        },
    };
    if had_bom && encoding != encoding_rs::UTF_8 {
        let (text, _) = lossy_utf8(bytes);
        return Decoded {
            text,
            warning: Some("UTF-8 byte order mark contradicts the coding declaration".to_string()),
            cells: Vec::new(),
        };
    }
    if encoding == encoding_rs::UTF_8 {
        let (text, bad_at) = lossy_utf8(bytes);
        let warning = bad_at.map(|at| {
            format!("invalid UTF-8 at byte {at}; add a PEP 263 coding declaration or fix the file")
        });
        return Decoded {
            text,
            warning,
            cells: Vec::new(),
        };
    }
    let (text, _, had_errors) = encoding.decode(bytes);
    Decoded {
        text: text.into_owned(),
        warning: had_errors
            .then(|| format!("bytes invalid for declared encoding {}", encoding.name())),
        cells: Vec::new(),
    }
}

fn lossy_utf8(bytes: &[u8]) -> (String, Option<usize>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(err) => {
            let at = err.valid_up_to();
            (String::from_utf8_lossy(bytes).into_owned(), Some(at))
        }
    }
}

fn is_latin1(label: &str) -> bool {
    let normalised = label.to_ascii_lowercase().replace('_', "-");
    matches!(
        normalised.as_str(),
        "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1"
    ) || normalised.starts_with("iso-latin-1")
}

fn lookup_encoding(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let normalised = label.to_ascii_lowercase().replace('_', "-");
    // Python spells some encodings differently from the WHATWG labels.
    let label: Cow<str> = match normalised.as_str() {
        "utf8" | "utf-8-sig" => "utf-8".into(),
        "cp1252" => "windows-1252".into(),
        other if other.starts_with("utf-8-") => "utf-8".into(),
        other => other.to_string().into(),
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// The encoding named by a PEP 263 declaration on line 1 or 2.
fn coding_cookie(bytes: &[u8]) -> Option<String> {
    for (i, line) in bytes.split(|&b| b == b'\n').take(2).enumerate() {
        let line = std::str::from_utf8(line).ok()?;
        let trimmed = line.trim_start_matches([' ', '\t', '\x0c']);
        if !trimmed.starts_with('#') {
            // Only comment lines may carry the cookie; a code line on line 1
            // means line 2 is not looked at either.
            if i == 0 && !trimmed.trim().is_empty() {
                return None;
            }
            continue;
        }
        if let Some(pos) = trimmed.find("coding") {
            let rest = &trimmed[pos + "coding".len()..];
            let rest = rest.strip_prefix([':', '='])?;
            let rest = rest.trim_start_matches([' ', '\t']);
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            if !name.is_empty() {
                return Some(name);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_each_encoding_case() {
        let cases: &[(&[u8], &str, bool)] = &[
            (b"import os\n", "import os\n", false),
            (b"\xEF\xBB\xBFimport os\n", "import os\n", false),
            (
                b"# -*- coding: latin-1 -*-\nx = '\xe9\x80'\n",
                "# -*- coding: latin-1 -*-\nx = '\u{e9}\u{80}'\n",
                false,
            ),
            (
                b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx='\x80'\n",
                "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx='\u{20ac}'\n",
                false,
            ),
            (b"x = '\xff'\n", "x = '\u{fffd}'\n", true),
            (
                b"# coding: klingon\nimport os\n",
                "# coding: klingon\nimport os\n",
                true,
            ),
        ];
        for (bytes, text, warned) in cases {
            let decoded = decode(bytes);
            assert_eq!(decoded.text, *text);
            assert_eq!(decoded.warning.is_some(), *warned, "{decoded:?}");
        }
    }

    #[test]
    fn cookie_only_on_first_two_lines() {
        assert_eq!(coding_cookie(b"# coding=utf-8\n"), Some("utf-8".into()));
        assert_eq!(coding_cookie(b"\n\n# coding: latin-1\n"), None);
        assert_eq!(coding_cookie(b"import x\n# coding: latin-1\n"), None);
    }

    #[test]
    fn notebooks_become_their_code_cells_with_ipython_syntax_blanked() {
        let notebook = br#"{"cells": [
            {"cell_type": "markdown", "source": ["import md\n"]},
            {"cell_type": "code", "source": ["%time x\n", "import a\n", "!ls\n", "y = !pwd\n", "a?"]},
            {"cell_type": "code", "source": "%%bash\nimport shell\n"},
            {"cell_type": "raw", "source": "import raw\n"},
            {"cell_type": "code", "source": []},
            {"cell_type": "code", "source": "if x:\n    %load_ext foo\n    import b\n"}
        ], "nbformat": 4}"#;
        let decoded = decode_notebook(notebook).unwrap();
        assert_eq!(decoded.text, "x\nimport a\n\n\n\n\nif x:\n\n    import b\n");
        assert_eq!(decoded.cells, vec![(1, 2), (6, 5), (7, 6)]);
        assert_eq!(decoded.warning, None);
        // Each case: one code cell's source, and the Python it stands for.
        let cases: &[(&str, &str)] = &[
            // Python that merely looks like IPython stays.
            (
                "import pkg.a  # still needed?\n",
                "import pkg.a  # still needed?\n",
            ),
            (
                "def f():\n    \"\"\"Why?\n    !not shell\n    \"\"\"\n",
                "def f():\n    \"\"\"Why?\n    !not shell\n    \"\"\"\n",
            ),
            ("x = (1 +\n% 2)\n", "x = (1 +\n% 2)\n"),
            (
                "try:  # ok?\n    import c\nexcept ImportError:\n    pass\n",
                "try:  # ok?\n    import c\nexcept ImportError:\n    pass\n",
            ),
            ("if a != !b:\n", "if a != !b:\n"),
            // Cell magics that run their body as Python keep it.
            ("%%time\nimport t\n", "\nimport t\n"),
            ("%%timeit -n 1\nimport t\n", "\nimport t\n"),
            ("%%writefile x.py\nimport w\n", ""),
            // Line magics that run a statement keep the statement.
            ("%time import t\n", "import t\n"),
            ("    %timeit import t\n", "    import t\n"),
            ("%timeit -n 1 import t\n", "\n"),
            // The rest of IPython's syntax is blanked.
            (
                "obj??\n?obj\nmod.attr?\nfiles, dirs = !ls\nr = %who_ls\n",
                "\n\n\n\n\n",
            ),
            // Lone CRs end lines, as in .py files.
            ("x = 1\ry = 2\nimport z\n", "x = 1\ny = 2\nimport z\n"),
        ];
        for (source, python) in cases {
            let notebook = serde_json::json!({"cells": [{"cell_type": "code", "source": source}]});
            let decoded = decode_notebook(notebook.to_string().as_bytes()).unwrap();
            assert_eq!(&decoded.text, python, "{source:?}");
        }
        // Every way of not being a notebook is a one-line failure.
        for (bytes, message) in [
            (
                &b"{"[..],
                "not a readable notebook: EOF while parsing an object at line 1 column 1",
            ),
            (
                b"[1]",
                "not a readable notebook: no \"cells\" list (nbformat 4 expected)",
            ),
            (
                b"{\"cells\": 3}",
                "not a readable notebook: no \"cells\" list (nbformat 4 expected)",
            ),
        ] {
            assert_eq!(decode_notebook(bytes).unwrap_err().message, message);
        }
    }
}
