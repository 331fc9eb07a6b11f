//! The facts cache: each file's extracted facts, kept between runs.
//!
//! Owns the on-disk format under `.blastradius_cache/` (or `--cache-dir`)
//! and the rule that decides whether a stored entry still describes a file.
//! It never parses Python and never resolves imports: it stores
//! [`FileFacts`] and hands them back unchanged.
//!
//! One file, `facts.bin`, holds a header, an index (path, size, mtime,
//! content hash per file), the import part of every file's facts and, last,
//! the symbol part, so a command that needs only the module graph reads and
//! decodes only the imports. Every section is checksummed; a cache written
//! by another version of blastradius (or another build of its extraction
//! code), for another root, truncated or corrupt is ignored and rebuilt,
//! never trusted. Writes go through a temporary file and a rename, so
//! concurrent runs each leave a complete cache.
//!
//! An entry is trusted without reading the file when size and modification
//! time match and the file was last modified comfortably before the cache
//! was written; otherwise the file is read and its content hash compared
//! (a touched but unchanged file is not parsed again).

use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::extract::{AttributeUse, Binding, FileFacts, RawImport, StringRef, SyntaxProblem};
use crate::lines::LineIndex;

/// Name of the cache directory created in the root.
pub const DIR_NAME: &str = ".blastradius_cache";

const FILE_NAME: &str = "facts.bin";
const MAGIC: &[u8; 16] = b"blastradius\0fcts";
/// Bumped when the layout below changes.
const FORMAT: u32 = 1;
/// Fixed-size header: magic, format, fingerprint, root hash, written-at,
/// then (length, checksum) of the index, imports and symbols sections.
const HEADER_LEN: usize = 16 + 4 + 8 + 8 + 8 + 3 * 16;
/// A file modified this close to (or after) the cache's writing may have
/// changed again within the file system's timestamp granularity, so its
/// entry is confirmed by content hash.
const MTIME_SLACK_NS: u64 = 2_000_000_000;

/// Identifies the code that produced the facts: the tool's version and the
/// source of every module that shapes them, so a rebuilt binary with changed
/// extraction never reads an older build's cache.
fn fingerprint() -> u64 {
    let parts = [
        env!("CARGO_PKG_VERSION"),
        include_str!("extract/mod.rs"),
        include_str!("extract/facts.rs"),
        include_str!("extract/spans.rs"),
        include_str!("extract/imports.rs"),
        include_str!("extract/symbols/mod.rs"),
        include_str!("extract/symbols/bindings.rs"),
        include_str!("extract/symbols/uses.rs"),
        include_str!("lines.rs"),
        include_str!("source.rs"),
        include_str!("cache.rs"),
    ];
    let mut joined = String::new();
    for part in parts {
        joined.push_str(part);
        joined.push('\0');
    }
    xxh3_64(joined.as_bytes())
}

/// Size and modification time of a file, as seen when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch; `None` when
    /// the file system does not say (the content hash decides then).
    pub mtime_ns: Option<u64>,
}

impl Stamp {
    /// The stamp of `path`.
    pub fn of(path: &Path) -> io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        Ok(Stamp {
            size: meta.len(),
            mtime_ns: meta.modified().ok().and_then(nanos_since_epoch),
        })
    }
}

fn nanos_since_epoch(time: SystemTime) -> Option<u64> {
    let since = time.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

/// Content hash of a file's raw bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// One file's entry in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct IndexEntry {
    path: String,
    size: u64,
    mtime_ns: Option<u64>,
    hash: u64,
    /// The decoding warning the file produced, reported again on every run.
    warning: Option<String>,
    /// Byte range of the import part in the imports section.
    imports: (u64, u64),
    /// Byte range of the symbol part in the symbols section.
    symbols: (u64, u64),
}

#[derive(Serialize)]
struct ImportPartRef<'a> {
    imports: &'a [RawImport],
    syntax_errors: &'a [SyntaxProblem],
    lines: &'a LineIndex,
}

#[derive(Deserialize)]
struct ImportPart {
    imports: Vec<RawImport>,
    syntax_errors: Vec<SyntaxProblem>,
    lines: LineIndex,
}

#[derive(Serialize)]
struct SymbolPartRef<'a> {
    bindings: &'a [Binding],
    dunder_all: &'a Option<Vec<String>>,
    star_imports: &'a [usize],
    has_getattr: bool,
    attribute_uses: &'a [AttributeUse],
    string_refs: &'a [StringRef],
    bare_uses: &'a [String],
}

#[derive(Deserialize)]
struct SymbolPart {
    bindings: Vec<Binding>,
    dunder_all: Option<Vec<String>>,
    star_imports: Vec<usize>,
    has_getattr: bool,
    attribute_uses: Vec<AttributeUse>,
    string_refs: Vec<StringRef>,
    bare_uses: Vec<String>,
}

/// A file's facts in cache form: the two parts, encoded.
#[derive(Debug, Clone)]
pub struct Encoded {
    imports: Vec<u8>,
    symbols: Vec<u8>,
}

impl Encoded {
    /// Encodes complete (symbol-level) facts.
    pub fn new(facts: &FileFacts) -> Encoded {
        let FileFacts {
            imports,
            syntax_errors,
            lines,
            bindings,
            dunder_all,
            star_imports,
            has_getattr,
            attribute_uses,
            string_refs,
            bare_uses,
        } = facts;
        let import_part = ImportPartRef {
            imports,
            syntax_errors,
            lines,
        };
        let symbol_part = SymbolPartRef {
            bindings,
            dunder_all,
            star_imports,
            has_getattr: *has_getattr,
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

/// Where a file's facts for the new cache come from.
#[derive(Debug, Clone)]
pub enum Record {
    /// Freshly extracted.
    New(Encoded),
    /// Unchanged since the loaded cache: its stored parts are kept.
    Kept,
}

/// What the new cache will say about one file.
#[derive(Debug, Clone)]
pub struct Update {
    /// Path relative to the root.
    pub path: String,
    /// Size and mtime when read.
    pub stamp: Stamp,
    /// Content hash of the raw bytes.
    pub hash: u64,
    /// Decoding warning, if any.
    pub warning: Option<String>,
    /// The facts.
    pub record: Record,
}

/// Why the cache on disk was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// No cache file yet.
    Absent,
    /// Written by another version or build of blastradius.
    OtherVersion,
    /// Written for another root (a shared `--cache-dir`).
    OtherRoot,
    /// Truncated, corrupt or not a blastradius cache.
    Corrupt,
}

impl Rejected {
    /// A short description for messages.
    pub fn as_str(&self) -> &'static str {
        match self {
            Rejected::Absent => "none yet",
            Rejected::OtherVersion => "written by another version of blastradius",
            Rejected::OtherRoot => "written for another root",
            Rejected::Corrupt => "truncated or corrupt",
        }
    }
}

/// The cache as loaded at the start of a run; read-only while files are
/// analysed in parallel.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    root_hash: u64,
    written_at_ns: u64,
    entries: FxHashMap<String, IndexEntry>,
    imports: Vec<u8>,
    /// The symbols section, when loaded and verified.
    symbols: Option<Vec<u8>>,
    /// Where the symbols section starts in the file, its length and checksum.
    symbols_at: (u64, u64, u64),
    /// Why the cache on disk was not used, if it was not.
    pub rejected: Option<Rejected>,
}

/// What the cache knows about a file, given its stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Size and mtime match and are unambiguous: use the stored facts
    /// (stored with this content hash).
    Fresh(u64),
    /// Read the file and compare its content hash with this one.
    Confirm(u64),
    /// Not in the cache, or its size changed.
    Unknown,
}

impl Cache {
    /// Loads the cache in `dir` for `root` (an empty cache when there is
    /// none or it cannot be trusted; `rejected` says why). With
    /// `with_symbols` the symbol parts are loaded too.
    pub fn load(dir: &Path, root: &Path, with_symbols: bool) -> Cache {
        let root_hash = root_hash(root);
        let mut cache = Cache {
            dir: dir.to_path_buf(),
            root_hash,
            written_at_ns: 0,
            entries: FxHashMap::default(),
            imports: Vec::new(),
            symbols: None,
            symbols_at: (0, 0, 0),
            rejected: None,
        };
        match read_file(&dir.join(FILE_NAME), root_hash, with_symbols) {
            Ok(loaded) => {
                cache.written_at_ns = loaded.written_at_ns;
                cache.entries = loaded
                    .index
                    .into_iter()
                    .map(|e| (e.path.clone(), e))
                    .collect();
                cache.imports = loaded.imports;
                cache.symbols = loaded.symbols;
                cache.symbols_at = loaded.symbols_at;
            }
            Err(why) => cache.rejected = Some(why),
        }
        cache
    }

    /// Number of files the loaded cache describes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the loaded cache describes no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the stored entry for `path` can be used for a file with `stamp`.
    pub fn freshness(&self, path: &str, stamp: Stamp) -> Freshness {
        let Some(entry) = self.entries.get(path) else {
            return Freshness::Unknown;
        };
        let settled = stamp
            .mtime_ns
            .is_some_and(|m| m.saturating_add(MTIME_SLACK_NS) < self.written_at_ns);
        if entry.size == stamp.size && entry.mtime_ns == stamp.mtime_ns && settled {
            Freshness::Fresh(entry.hash)
        } else if entry.size == stamp.size {
            Freshness::Confirm(entry.hash)
        } else {
            Freshness::Unknown
        }
    }

    /// The stored facts of `path` (symbol parts only when loaded) and its
    /// decoding warning; `None` when absent or undecodable.
    pub fn facts(&self, path: &str) -> Option<(FileFacts, Option<String>)> {
        let entry = self.entries.get(path)?;
        let part: ImportPart = postcard::from_bytes(slice(&self.imports, entry.imports)?).ok()?;
        let mut facts = FileFacts {
            imports: part.imports,
            syntax_errors: part.syntax_errors,
            lines: part.lines,
            ..FileFacts::default()
        };
        if let Some(symbols) = &self.symbols {
            let part: SymbolPart = postcard::from_bytes(slice(symbols, entry.symbols)?).ok()?;
            let SymbolPart {
                bindings,
                dunder_all,
                star_imports,
                has_getattr,
                attribute_uses,
                string_refs,
                bare_uses,
            } = part;
            facts.bindings = bindings;
            facts.dunder_all = dunder_all;
            facts.star_imports = star_imports;
            facts.has_getattr = has_getattr;
            facts.attribute_uses = attribute_uses;
            facts.string_refs = string_refs;
            facts.bare_uses = bare_uses;
        }
        Some((facts, entry.warning.clone()))
    }

    /// True when `updates` describe exactly what the loaded cache holds, so
    /// there is nothing to write.
    pub fn unchanged(&self, updates: &[&Update]) -> bool {
        self.rejected.is_none()
            && updates.len() == self.entries.len()
            && updates.iter().all(|u| {
                matches!(u.record, Record::Kept)
                    && self.entries.get(&u.path).is_some_and(|e| {
                        e.size == u.stamp.size && e.mtime_ns == u.stamp.mtime_ns && e.hash == u.hash
                    })
            })
    }

    /// Writes a new cache holding `updates` (sorted by path for a
    /// deterministic file), atomically. Kept entries reuse the loaded parts;
    /// their symbol parts are streamed from the old file, not loaded, and if
    /// that section turns out damaged they are left out (and parsed next time).
    pub fn write(&self, updates: &[&Update]) -> io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        mark_directory(&self.dir)?;
        match self.write_file(updates, true) {
            Err(err) if err.kind() == io::ErrorKind::InvalidData => self.write_file(updates, false),
            result => result,
        }
    }

    fn write_file(&self, updates: &[&Update], keep_unloaded: bool) -> io::Result<()> {
        let mut order: Vec<&Update> = updates.to_vec();
        order.sort_by(|a, b| a.path.cmp(&b.path));
        let mut index = Vec::with_capacity(order.len());
        let mut parts: Vec<(&[u8], SymbolSource<'_>)> = Vec::with_capacity(order.len());
        let (mut imports_len, mut symbols_len) = (0u64, 0u64);
        let mut imports_hash = Xxh3::new();
        for update in order {
            let (import_part, symbol_part) = match &update.record {
                Record::New(encoded) => (
                    encoded.imports.as_slice(),
                    SymbolSource::Bytes(&encoded.symbols),
                ),
                Record::Kept => {
                    let Some(entry) = self.entries.get(&update.path) else {
                        continue;
                    };
                    let Some(import_part) = slice(&self.imports, entry.imports) else {
                        continue;
                    };
                    let symbol_part = match &self.symbols {
                        Some(loaded) => match slice(loaded, entry.symbols) {
                            Some(bytes) => SymbolSource::Bytes(bytes),
                            None => continue,
                        },
                        None if keep_unloaded => SymbolSource::OldFile(entry.symbols),
                        None => continue,
                    };
                    (import_part, symbol_part)
                }
            };
            let symbol_len = match symbol_part {
                SymbolSource::Bytes(bytes) => len64(bytes.len()),
                SymbolSource::OldFile((_, len)) => len,
            };
            index.push(IndexEntry {
                path: update.path.clone(),
                size: update.stamp.size,
                mtime_ns: update.stamp.mtime_ns,
                hash: update.hash,
                warning: update.warning.clone(),
                imports: (imports_len, len64(import_part.len())),
                symbols: (symbols_len, symbol_len),
            });
            imports_len += len64(import_part.len());
            symbols_len += symbol_len;
            imports_hash.update(import_part);
            parts.push((import_part, symbol_part));
        }
        let index = postcard::to_stdvec(&index).map_err(io::Error::other)?;
        let mut old = if parts
            .iter()
            .any(|(_, s)| matches!(s, SymbolSource::OldFile(_)))
        {
            Some(OldSymbols::open(
                &self.dir.join(FILE_NAME),
                self.symbols_at,
            )?)
        } else {
            None
        };
        let written_at_ns = nanos_since_epoch(SystemTime::now()).unwrap_or(0);
        crate::atomic::write_atomically_with(&self.dir.join(FILE_NAME), |out| {
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT.to_le_bytes())?;
            out.write_all(&fingerprint().to_le_bytes())?;
            out.write_all(&self.root_hash.to_le_bytes())?;
            out.write_all(&written_at_ns.to_le_bytes())?;
            out.write_all(&len64(index.len()).to_le_bytes())?;
            out.write_all(&xxh3_64(&index).to_le_bytes())?;
            out.write_all(&imports_len.to_le_bytes())?;
            out.write_all(&imports_hash.digest().to_le_bytes())?;
            out.write_all(&symbols_len.to_le_bytes())?;
            // The symbols checksum is known only once the section is written.
            let checksum_at = out.stream_position()?;
            out.write_all(&0u64.to_le_bytes())?;
            out.write_all(&index)?;
            for (import_part, _) in &parts {
                out.write_all(import_part)?;
            }
            let mut symbols_hash = Xxh3::new();
            for (_, symbol_part) in &parts {
                match symbol_part {
                    SymbolSource::Bytes(bytes) => {
                        symbols_hash.update(bytes);
                        out.write_all(bytes)?;
                    }
                    SymbolSource::OldFile(range) => match &mut old {
                        Some(old) => old.copy(*range, out, &mut symbols_hash)?,
                        None => return Err(io::Error::other("old cache not open")),
                    },
                }
            }
            if let Some(old) = old.take() {
                old.finish()?;
            }
            out.seek(SeekFrom::Start(checksum_at))?;
            out.write_all(&symbols_hash.digest().to_le_bytes())
        })
    }
}

/// Where a written entry's symbol part comes from.
#[derive(Debug, Clone, Copy)]
enum SymbolSource<'a> {
    /// Bytes in memory (new, or from a loaded symbols section).
    Bytes(&'a [u8]),
    /// A range of the old file's symbols section.
    OldFile((u64, u64)),
}

/// The old file's symbols section, read once from start to end while its
/// kept ranges (in ascending order) are copied out; the whole section is
/// hashed on the way so damage is caught before the new file is used.
struct OldSymbols {
    reader: io::BufReader<io::Take<File>>,
    position: u64,
    hash: Xxh3,
    len: u64,
    checksum: u64,
}

impl OldSymbols {
    fn open(path: &Path, (at, len, checksum): (u64, u64, u64)) -> io::Result<OldSymbols> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(at))?;
        Ok(OldSymbols {
            reader: io::BufReader::with_capacity(1 << 16, file.take(len)),
            position: 0,
            hash: Xxh3::new(),
            len,
            checksum,
        })
    }

    /// Copies the range `(start, len)` of the section to `out` (and into `hash`).
    fn copy(
        &mut self,
        (start, len): (u64, u64),
        out: &mut dyn Write,
        hash: &mut Xxh3,
    ) -> io::Result<()> {
        if start < self.position {
            return Err(damaged());
        }
        self.pass(start - self.position, &mut io::sink(), &mut Xxh3::new())?;
        self.pass(len, out, hash)
    }

    /// Moves `n` bytes forward, writing them to `out` and hashing them.
    fn pass(&mut self, mut n: u64, out: &mut dyn Write, hash: &mut Xxh3) -> io::Result<()> {
        while n > 0 {
            let chunk = self.reader.fill_buf()?;
            if chunk.is_empty() {
                return Err(damaged());
            }
            let take = chunk.len().min(usize::try_from(n).unwrap_or(usize::MAX));
            let bytes = &chunk[..take];
            self.hash.update(bytes);
            hash.update(bytes);
            out.write_all(bytes)?;
            self.reader.consume(take);
            self.position += len64(take);
            n -= len64(take);
        }
        Ok(())
    }

    /// Reads the rest of the section and checks it against its checksum.
    fn finish(mut self) -> io::Result<()> {
        let rest = self.len.saturating_sub(self.position);
        self.pass(rest, &mut io::sink(), &mut Xxh3::new())?;
        if self.hash.digest() != self.checksum {
            return Err(damaged());
        }
        Ok(())
    }
}

/// The error that makes [`Cache::write`] retry without the old file's parts.
fn damaged() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "symbols section damaged")
}

/// Creates the marker files that keep the directory out of git and backups.
fn mark_directory(dir: &Path) -> io::Result<()> {
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# Created by blastradius.\n*\n")?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by blastradius.\n",
        )?;
    }
    Ok(())
}

fn root_hash(root: &Path) -> u64 {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    xxh3_64(canonical.to_string_lossy().as_bytes())
}

fn len64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn slice(bytes: &[u8], (start, len): (u64, u64)) -> Option<&[u8]> {
    let start = usize::try_from(start).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    bytes.get(start..end)
}

struct Loaded {
    written_at_ns: u64,
    index: Vec<IndexEntry>,
    imports: Vec<u8>,
    symbols: Option<Vec<u8>>,
    symbols_at: (u64, u64, u64),
}

fn read_file(path: &Path, root_hash: u64, with_symbols: bool) -> Result<Loaded, Rejected> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(Rejected::Absent),
        Err(_) => return Err(Rejected::Corrupt),
    };
    let mut header = [0u8; HEADER_LEN];
    file.read_exact(&mut header)
        .map_err(|_| Rejected::Corrupt)?;
    let mut fields = Fields(&header);
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
    let [index_section, imports_section, symbols_section] = sections;
    let index_bytes = read_section(&mut file, index_section)?;
    let imports = read_section(&mut file, imports_section)?;
    let index: Vec<IndexEntry> =
        postcard::from_bytes(&index_bytes).map_err(|_| Rejected::Corrupt)?;
    let symbols_start = len64(HEADER_LEN)
        .checked_add(index_section.0)
        .and_then(|n| n.checked_add(imports_section.0))
        .ok_or(Rejected::Corrupt)?;
    let symbols = if with_symbols {
        Some(read_section(&mut file, symbols_section)?)
    } else {
        // The file must still hold the whole section, or it was truncated.
        let total = file.metadata().map_err(|_| Rejected::Corrupt)?.len();
        if symbols_start.checked_add(symbols_section.0) != Some(total) {
            return Err(Rejected::Corrupt);
        }
        None
    };
    Ok(Loaded {
        written_at_ns,
        index,
        imports,
        symbols,
        symbols_at: (symbols_start, symbols_section.0, symbols_section.1),
    })
}

/// Reads the next section of `len` bytes and checks its checksum.
fn read_section(file: &mut File, (len, checksum): (u64, u64)) -> Result<Vec<u8>, Rejected> {
    let mut bytes = Vec::new();
    file.take(len)
        .read_to_end(&mut bytes)
        .map_err(|_| Rejected::Corrupt)?;
    if len64(bytes.len()) != len || xxh3_64(&bytes) != checksum {
        return Err(Rejected::Corrupt);
    }
    Ok(bytes)
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
    use crate::extract::{Detail, extract};

    fn stamp(size: u64, mtime_ns: Option<u64>) -> Stamp {
        Stamp { size, mtime_ns }
    }

    fn entry(size: u64, mtime_ns: Option<u64>, hash: u64) -> IndexEntry {
        IndexEntry {
            path: "m.py".to_string(),
            size,
            mtime_ns,
            hash,
            warning: None,
            imports: (0, 0),
            symbols: (0, 0),
        }
    }

    #[test]
    fn freshness_needs_size_mtime_and_a_settled_mtime() {
        let written_at = 100 * MTIME_SLACK_NS;
        let old = Some(written_at - 2 * MTIME_SLACK_NS);
        let recent = Some(written_at - MTIME_SLACK_NS / 2);
        let cases = [
            // (stored, seen, expected)
            (entry(10, old, 7), stamp(10, old), Freshness::Fresh(7)),
            (
                entry(10, recent, 7),
                stamp(10, recent),
                Freshness::Confirm(7),
            ),
            (entry(10, old, 7), stamp(10, recent), Freshness::Confirm(7)),
            (entry(10, None, 7), stamp(10, None), Freshness::Confirm(7)),
            (entry(10, old, 7), stamp(11, old), Freshness::Unknown),
        ];
        for (stored, seen, expected) in cases {
            let cache = Cache {
                dir: PathBuf::new(),
                root_hash: 0,
                written_at_ns: written_at,
                entries: [("m.py".to_string(), stored.clone())].into_iter().collect(),
                imports: Vec::new(),
                symbols: None,
                symbols_at: (0, 0, 0),
                rejected: None,
            };
            assert_eq!(
                cache.freshness("m.py", seen),
                expected,
                "{stored:?} {seen:?}"
            );
            assert_eq!(cache.freshness("other.py", seen), Freshness::Unknown);
        }
    }

    #[test]
    fn facts_come_back_exactly_with_or_without_symbol_parts() {
        let text = "import a.b as c\nfrom . import x\n__all__ = ['Thing']\nclass Thing: pass\n\
                    def f():\n    import d\n    return c.e.f('p.q.R')\nfrom (\n";
        let facts = extract(text, false, Detail::Symbols);
        assert!(!facts.syntax_errors.is_empty() && !facts.attribute_uses.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let cache = Cache::load(&root.join("cache"), root, true);
        assert_eq!(cache.rejected, Some(Rejected::Absent));
        let update = Update {
            path: "m.py".to_string(),
            stamp: Stamp {
                size: 3,
                mtime_ns: Some(1),
            },
            hash: 9,
            warning: Some("lossy".to_string()),
            record: Record::New(Encoded::new(&facts)),
        };
        cache.write(&[&update]).unwrap();
        let full = Cache::load(&root.join("cache"), root, true);
        assert_eq!(full.rejected, None);
        assert_eq!(
            full.facts("m.py"),
            Some((facts.clone(), Some("lossy".to_string())))
        );
        let imports_only = Cache::load(&root.join("cache"), root, false);
        assert_eq!(
            imports_only.facts("m.py"),
            Some((facts.imports_only(), Some("lossy".to_string())))
        );
        assert_eq!(full.facts("n.py"), None);
        assert!(full.unchanged(&[&Update {
            record: Record::Kept,
            ..update.clone()
        }]));
        assert!(!full.unchanged(&[&Update {
            hash: 8,
            record: Record::Kept,
            ..update
        }]));
    }
}
