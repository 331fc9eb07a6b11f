//! Writing the cache file at the end of a run, streaming kept parts from
//! the old file.
//!
//! Owns producing a complete `facts.bin` in one pass: entries sorted by
//! path, new parts from memory, kept import parts from the loaded section
//! and kept symbol parts copied from the old file's symbols section when
//! that was not loaded (checked against its checksum on the way, and left
//! out if damaged). The file is written through a temporary file and a
//! rename, so concurrent runs each leave a complete cache. It must not
//! decide what is fresh or interpret facts; layout comes from `format`.

use std::fs::File;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::SystemTime;

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use super::format::{FILE_NAME, Header, IndexEntry, len64, slice};
use super::{Cache, Record, Update, nanos_since_epoch};

impl Cache {
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

    /// One attempt at [`Cache::write`]: with `keep_unloaded`, kept symbol
    /// parts that were not loaded are copied from the old file; without,
    /// they are left out.
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
        let header = Header {
            root_hash: self.root_hash,
            written_at_ns,
            sections: [
                (len64(index.len()), xxh3_64(&index)),
                (imports_len, imports_hash.digest()),
                // The symbols checksum is known only once the section is
                // written: patched in below.
                (symbols_len, 0),
            ],
        };
        crate::atomic::write_atomically_with(&self.dir.join(FILE_NAME), |out| {
            let checksum_at = out.stream_position()? + len64(Header::SYMBOLS_CHECKSUM_AT);
            out.write_all(&header.encode())?;
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
