//! The facts cache: each file's extracted facts, kept between runs.
//!
//! Owns the on-disk format under `.blastradius_cache/` (or `--cache-dir`)
//! and the rule that decides whether a stored entry still describes a file.
//! It never parses Python and never resolves imports: it stores
//! [`FileFacts`](crate::extract::FileFacts) and hands them back unchanged.
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
//!
//! This file holds the types the rest of blastradius uses and that
//! freshness rule; `format` owns the byte layout, `read` loading and
//! validation, `write` writing and streaming.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

mod format;
mod read;
mod write;

pub use format::{DIR_NAME, Encoded};

use format::IndexEntry;

/// A file modified this close to (or after) the cache's writing may have
/// changed again within the file system's timestamp granularity, so its
/// entry is confirmed by content hash.
const MTIME_SLACK_NS: u64 = 2_000_000_000;

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
}

#[cfg(test)]
mod tests {
    use super::format::IndexEntry;
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
