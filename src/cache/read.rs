//! Loading the cache file: every check that decides whether it can be
//! trusted, and handing stored facts back.
//!
//! Owns reading `facts.bin` at the start of a run: the header must come
//! from this build and this root, each loaded section must match its
//! length and checksum, and a file that skips the symbols section must
//! still hold all of it (or it was truncated). Anything else rejects the
//! whole cache with a [`Rejected`] reason; nothing here panics or fails a
//! run. It must not write (that is `write`) or know the byte layout beyond
//! what `format` gives it.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use super::format::{FILE_NAME, HEADER_LEN, Header, IndexEntry, decode_facts, len64, slice};
use super::{Cache, Rejected};
use crate::extract::FileFacts;

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

    /// The stored facts of `path` (symbol parts only when loaded) and its
    /// decoding warning; `None` when absent or undecodable.
    pub fn facts(&self, path: &str) -> Option<(FileFacts, Option<String>)> {
        let entry = self.entries.get(path)?;
        let import_part = slice(&self.imports, entry.imports)?;
        let symbol_part = match &self.symbols {
            Some(symbols) => Some(slice(symbols, entry.symbols)?),
            None => None,
        };
        let facts = decode_facts(import_part, symbol_part)?;
        Some((facts, entry.warning.clone()))
    }
}

/// Hash of the canonical root, so a shared `--cache-dir` never mixes roots.
fn root_hash(root: &Path) -> u64 {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    xxh3_64(canonical.to_string_lossy().as_bytes())
}

/// What a trusted cache file holds.
struct Loaded {
    written_at_ns: u64,
    index: Vec<IndexEntry>,
    imports: Vec<u8>,
    symbols: Option<Vec<u8>>,
    symbols_at: (u64, u64, u64),
}

/// Reads and checks the cache file at `path` (the symbols section only
/// `with_symbols`).
fn read_file(path: &Path, root_hash: u64, with_symbols: bool) -> Result<Loaded, Rejected> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Err(Rejected::Absent),
        Err(_) => return Err(Rejected::Corrupt),
    };
    let mut header = [0u8; HEADER_LEN];
    file.read_exact(&mut header)
        .map_err(|_| Rejected::Corrupt)?;
    let Header {
        root_hash: _,
        written_at_ns,
        sections: [index_section, imports_section, symbols_section],
    } = Header::decode(&header, root_hash)?;
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
