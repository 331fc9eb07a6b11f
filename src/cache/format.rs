//! The cache file's layout: header, index entries and the encoded parts of
//! a file's facts.
//!
//! Owns every byte of `facts.bin` that is not a plain copy: the magic, the
//! format number, the build fingerprint, the fixed-size [`Header`], the
//! [`IndexEntry`] of a file, and how [`FileFacts`] become an import part and
//! a symbol part and back. It does no I/O (reading and validation live in
//! `read`, writing and streaming in `write`) and decides nothing about
//! whether an entry is fresh.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

use super::Rejected;
use crate::extract::{
    AttributeUse, Binding, CallFacts, FileFacts, RawImport, StringRef, SyntaxProblem,
};
use crate::lines::LineIndex;

/// Name of the cache directory created in the root.
pub const DIR_NAME: &str = ".blastradius_cache";

/// Name of the cache file in the cache directory.
pub(super) const FILE_NAME: &str = "facts.bin";
const MAGIC: &[u8; 16] = b"blastradius\0fcts";
/// Bumped when the layout below changes.
const FORMAT: u32 = 1;
/// Fixed-size header: magic, format, fingerprint, root hash, written-at,
/// then (length, checksum) of the index, imports and symbols sections.
pub(super) const HEADER_LEN: usize = 16 + 4 + 8 + 8 + 8 + 3 * 16;

/// The source of every module that shapes the stored facts, by path under
/// `src/`: all of extraction, the line index, decoding and this cache.
/// A unit test checks that no file of `src/extract/` or `src/cache/` is
/// missing.
const SOURCES: [(&str, &str); 16] = [
    ("extract/mod.rs", include_str!("../extract/mod.rs")),
    ("extract/bodies.rs", include_str!("../extract/bodies.rs")),
    ("extract/facts.rs", include_str!("../extract/facts.rs")),
    (
        "extract/imports/mod.rs",
        include_str!("../extract/imports/mod.rs"),
    ),
    (
        "extract/imports/calls.rs",
        include_str!("../extract/imports/calls.rs"),
    ),
    (
        "extract/imports/tests.rs",
        include_str!("../extract/imports/tests.rs"),
    ),
    ("extract/spans.rs", include_str!("../extract/spans.rs")),
    (
        "extract/symbols/mod.rs",
        include_str!("../extract/symbols/mod.rs"),
    ),
    (
        "extract/symbols/bindings.rs",
        include_str!("../extract/symbols/bindings.rs"),
    ),
    (
        "extract/symbols/uses.rs",
        include_str!("../extract/symbols/uses.rs"),
    ),
    ("lines.rs", include_str!("../lines.rs")),
    ("source.rs", include_str!("../source.rs")),
    ("cache/mod.rs", include_str!("mod.rs")),
    ("cache/format.rs", include_str!("format.rs")),
    ("cache/read.rs", include_str!("read.rs")),
    ("cache/write.rs", include_str!("write.rs")),
];

/// Identifies the code that produced the facts: the tool's version and the
/// source of every module that shapes them, so a rebuilt binary with changed
/// extraction never reads an older build's cache.
fn fingerprint() -> u64 {
    let mut joined = String::new();
    joined.push_str(env!("CARGO_PKG_VERSION"));
    joined.push('\0');
    for (_, text) in SOURCES {
        joined.push_str(text);
        joined.push('\0');
    }
    xxh3_64(joined.as_bytes())
}

/// The fixed-size header at the start of the cache file (after the magic,
/// the format and the fingerprint, which identify the build).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Header {
    /// Hash of the root the cache was written for.
    pub(super) root_hash: u64,
    /// When the cache was written, in nanoseconds since the Unix epoch.
    pub(super) written_at_ns: u64,
    /// `(length, checksum)` of the index, imports and symbols sections, in
    /// file order.
    pub(super) sections: [(u64, u64); 3],
}

impl Header {
    /// Where the symbols checksum sits in the header: the writer knows it
    /// only once the section is written, and patches it there.
    pub(super) const SYMBOLS_CHECKSUM_AT: usize = HEADER_LEN - 8;

    /// The header's bytes, for this build.
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        out.extend_from_slice(&fingerprint().to_le_bytes());
        out.extend_from_slice(&self.root_hash.to_le_bytes());
        out.extend_from_slice(&self.written_at_ns.to_le_bytes());
        for (len, checksum) in self.sections {
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&checksum.to_le_bytes());
        }
        out
    }

    /// Reads a header, accepting it only when this build wrote it for the
    /// root with `root_hash`.
    pub(super) fn decode(bytes: &[u8; HEADER_LEN], root_hash: u64) -> Result<Header, Rejected> {
        let mut fields = Fields(bytes);
        if fields.take(MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(Rejected::Corrupt);
        }
        let format = fields.u32().ok_or(Rejected::Corrupt)?;
        let fingerprint_found = fields.u64().ok_or(Rejected::Corrupt)?;
        if format != FORMAT || fingerprint_found != fingerprint() {
            return Err(Rejected::OtherVersion);
        }
        if fields.u64() != Some(root_hash) {
            return Err(Rejected::OtherRoot);
        }
        let written_at_ns = fields.u64().ok_or(Rejected::Corrupt)?;
        let mut sections = [(0u64, 0u64); 3];
        for section in &mut sections {
            *section = (
                fields.u64().ok_or(Rejected::Corrupt)?,
                fields.u64().ok_or(Rejected::Corrupt)?,
            );
        }
        Ok(Header {
            root_hash,
            written_at_ns,
            sections,
        })
    }
}

/// One file's entry in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct IndexEntry {
    /// Path relative to the root.
    pub(super) path: String,
    /// Size in bytes when read.
    pub(super) size: u64,
    /// Modification time when read, if known.
    pub(super) mtime_ns: Option<u64>,
    /// Content hash of the raw bytes.
    pub(super) hash: u64,
    /// The decoding warning the file produced, reported again on every run.
    pub(super) warning: Option<String>,
    /// Byte range of the import part in the imports section.
    pub(super) imports: (u64, u64),
    /// Byte range of the symbol part in the symbols section.
    pub(super) symbols: (u64, u64),
}

/// The import part of a file's facts, as encoded.
#[derive(Serialize)]
struct ImportPartRef<'a> {
    imports: &'a [RawImport],
    calls: &'a CallFacts,
    syntax_errors: &'a [SyntaxProblem],
    lines: &'a LineIndex,
}

/// The import part of a file's facts, as decoded.
#[derive(Deserialize)]
struct ImportPart {
    imports: Vec<RawImport>,
    calls: CallFacts,
    syntax_errors: Vec<SyntaxProblem>,
    lines: LineIndex,
}

/// The symbol part of a file's facts, as encoded.
#[derive(Serialize)]
struct SymbolPartRef<'a> {
    bindings: &'a [Binding],
    dunder_all: &'a Option<Vec<String>>,
    star_imports: &'a [usize],
    has_getattr: bool,
    getattr_names: &'a Option<Vec<String>>,
    attribute_uses: &'a [AttributeUse],
    string_refs: &'a [StringRef],
    bare_uses: &'a [String],
}

/// The symbol part of a file's facts, as decoded.
#[derive(Deserialize)]
struct SymbolPart {
    bindings: Vec<Binding>,
    dunder_all: Option<Vec<String>>,
    star_imports: Vec<usize>,
    has_getattr: bool,
    getattr_names: Option<Vec<String>>,
    attribute_uses: Vec<AttributeUse>,
    string_refs: Vec<StringRef>,
    bare_uses: Vec<String>,
}

/// A file's facts in cache form: the two parts, encoded.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The import part: imports, syntax errors, line index.
    pub(super) imports: Vec<u8>,
    /// The symbol part: the other fields of [`FileFacts`].
    pub(super) symbols: Vec<u8>,
}

impl Encoded {
    /// Encodes complete (symbol-level) facts.
    pub fn new(facts: &FileFacts) -> Encoded {
        let FileFacts {
            imports,
            calls,
            syntax_errors,
            lines,
            bindings,
            dunder_all,
            star_imports,
            has_getattr,
            getattr_names,
            attribute_uses,
            string_refs,
            bare_uses,
        } = facts;
        let import_part = ImportPartRef {
            imports,
            calls,
            syntax_errors,
            lines,
        };
        let symbol_part = SymbolPartRef {
            bindings,
            dunder_all,
            star_imports,
            has_getattr: *has_getattr,
            getattr_names,
            attribute_uses,
            string_refs,
            bare_uses,
        };
        Encoded {
            // Encoding plain structs into a Vec cannot fail; an empty part
            // would be rejected on load and the file parsed again.
            imports: postcard::to_stdvec(&import_part).unwrap_or_default(),
            symbols: postcard::to_stdvec(&symbol_part).unwrap_or_default(),
        }
    }
}

/// Decodes a file's facts from its import part and, when given, its
/// symbol part (without it the symbol fields stay empty); `None` when a
/// part does not decode.
pub(super) fn decode_facts(import_part: &[u8], symbol_part: Option<&[u8]>) -> Option<FileFacts> {
    let ImportPart {
        imports,
        calls,
        syntax_errors,
        lines,
    } = postcard::from_bytes(import_part).ok()?;
    let mut facts = FileFacts {
        imports,
        calls,
        syntax_errors,
        lines,
        ..FileFacts::default()
    };
    if let Some(symbol_part) = symbol_part {
        let SymbolPart {
            bindings,
            dunder_all,
            star_imports,
            has_getattr,
            getattr_names,
            attribute_uses,
            string_refs,
            bare_uses,
        } = postcard::from_bytes(symbol_part).ok()?;
        facts.bindings = bindings;
        facts.dunder_all = dunder_all;
        facts.star_imports = star_imports;
        facts.has_getattr = has_getattr;
        facts.getattr_names = getattr_names;
        facts.attribute_uses = attribute_uses;
        facts.string_refs = string_refs;
        facts.bare_uses = bare_uses;
    }
    Some(facts)
}

/// `n` as a file offset or length.
pub(super) fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The part at `(start, len)` of a section; `None` when out of range.
pub(super) fn slice(bytes: &[u8], (start, len): (u64, u64)) -> Option<&[u8]> {
    let start = usize::try_from(start).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    bytes.get(start..end)
}

/// Little-endian fields read off the front of a byte slice.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under `src/extract/` and `src/cache/` shapes or stores
    /// the facts, so each must be in the fingerprint (a new file left out
    /// would let a changed build read an older build's cache).
    #[test]
    fn fingerprint_covers_every_extraction_and_cache_file() {
        fn rust_files(src: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    rust_files(src, &path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let relative = path.strip_prefix(src).unwrap();
                    out.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut on_disk = Vec::new();
        rust_files(&src, &src.join("extract"), &mut on_disk);
        rust_files(&src, &src.join("cache"), &mut on_disk);
        let listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        for file in &on_disk {
            assert!(listed.contains(&file.as_str()), "{file} is not in SOURCES");
        }
        for (name, text) in SOURCES {
            let on_disk = std::fs::read_to_string(src.join(name)).unwrap();
            assert_eq!(text, on_disk, "SOURCES names {name} for another file");
        }
    }

    #[test]
    fn header_round_trips_and_rejects_other_roots_and_builds() {
        let header = Header {
            root_hash: 7,
            written_at_ns: 11,
            sections: [(1, 2), (3, 4), (5, 6)],
        };
        let bytes: [u8; HEADER_LEN] = header.encode().try_into().unwrap();
        assert_eq!(Header::decode(&bytes, 7), Ok(header));
        assert_eq!(Header::decode(&bytes, 8), Err(Rejected::OtherRoot));
        assert_eq!(
            bytes[Header::SYMBOLS_CHECKSUM_AT..],
            6u64.to_le_bytes(),
            "the symbols checksum is last"
        );
        let mut other_build = bytes;
        other_build[MAGIC.len() + 4] ^= 1;
        assert_eq!(Header::decode(&other_build, 7), Err(Rejected::OtherVersion));
        let mut not_a_cache = bytes;
        not_a_cache[0] ^= 1;
        assert_eq!(Header::decode(&not_a_cache, 7), Err(Rejected::Corrupt));
    }
}
