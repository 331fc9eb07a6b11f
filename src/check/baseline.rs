//! Baselines: the violations a project has accepted for now, so that `check`
//! fails only on new ones while the old ones are burnt down.
//!
//! A baseline is a JSON file `{"version": 1, "violations": [KEY, ...]}` of
//! stable keys ([`Violation::key`]: rule, file and subject, no line numbers),
//! sorted, a key repeated once per occurrence so that fixing one occurrence
//! is a one-line diff. Writing is atomic (a temporary file beside the target,
//! then a rename). Owns that file format and the comparison; nothing else.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::Violation;
use crate::error::{Error, Result};

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// Recorded violations: how many times each stable key occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    violations: Vec<String>,
}

/// The violations of a run set against a baseline.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Violations the baseline does not cover: they fail the check.
    pub new: Vec<Violation>,
    /// Recorded occurrences still present.
    pub remaining: usize,
    /// Recorded occurrences that are gone, by key (a key with a count above
    /// one lost that many occurrences).
    pub fixed: Vec<(String, usize)>,
}

impl Comparison {
    /// Total recorded occurrences that are gone.
    pub fn fixed_count(&self) -> usize {
        self.fixed.iter().map(|(_, n)| n).sum()
    }
}

impl Baseline {
    /// The baseline recording exactly `violations`.
    pub fn of(violations: &[Violation]) -> Baseline {
        let mut counts = BTreeMap::new();
        for violation in violations {
            *counts.entry(violation.key()).or_insert(0) += 1;
        }
        Baseline { counts }
    }

    /// Number of recorded occurrences.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline> {
        let bad = |message: String| Error::Baseline {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|err| {
            if err.kind() == std::io::ErrorKind::NotFound {
                bad("does not exist; record one with --update-baseline".to_string())
            } else {
                bad(err.to_string())
            }
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|err| {
            bad(format!(
                "not a baseline file ({{\"version\": 1, \"violations\": [...]}}): {err}"
            ))
        })?;
        if file.version != BASELINE_VERSION {
            return Err(bad(format!(
                "version {} is not supported (this blastradius writes version {BASELINE_VERSION})",
                file.version
            )));
        }
        let mut counts = BTreeMap::new();
        for key in file.violations {
            *counts.entry(key).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Writes the baseline to `path` atomically: a temporary file in the
    /// same directory, flushed, then renamed over `path`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let bad = |message: String| Error::Baseline {
            path: path.to_path_buf(),
            message,
        };
        let file = BaselineFile {
            version: BASELINE_VERSION,
            violations: self
                .counts
                .iter()
                .flat_map(|(key, &n)| std::iter::repeat_n(key.clone(), n))
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|err| bad(err.to_string()))?;
        text.push('\n');
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| bad("not a file path".to_string()))?
            .to_string_lossy()
            .into_owned();
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        });
        written
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|err| {
                let _ = std::fs::remove_file(&tmp);
                bad(format!("cannot write: {err}"))
            })
    }

    /// Splits `violations` (sorted) into those the baseline covers and new
    /// ones. When a key occurs more often than recorded, its first
    /// occurrences (in file order) count as recorded and the rest as new.
    pub fn compare(&self, violations: Vec<Violation>) -> Comparison {
        let mut left = self.counts.clone();
        let mut comparison = Comparison::default();
        for violation in violations {
            match left.get_mut(&violation.key()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    comparison.remaining += 1;
                }
                _ => comparison.new.push(violation),
            }
        }
        comparison.fixed = left.into_iter().filter(|(_, n)| *n > 0).collect();
        comparison
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Rule;

    fn v(path: &str, line: u32, subject: &str) -> Violation {
        Violation {
            path: path.to_string(),
            line,
            column: 1,
            cell: None,
            rule: Rule::Forbidden,
            message: String::new(),
            module: String::new(),
            subject: subject.to_string(),
        }
    }

    #[test]
    fn extra_occurrences_of_a_recorded_key_are_new() {
        let baseline = Baseline::of(&[v("a.py", 3, "m"), v("b.py", 1, "m")]);
        let comparison = baseline.compare(vec![v("a.py", 3, "m"), v("a.py", 9, "m")]);
        assert_eq!(comparison.new, vec![v("a.py", 9, "m")]);
        assert_eq!(comparison.remaining, 1);
        assert_eq!(comparison.fixed, vec![("forbidden:b.py:m".to_string(), 1)]);
    }

    #[test]
    fn written_baselines_read_back_and_are_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let baseline = Baseline::of(&[v("b.py", 1, "m"), v("a.py", 2, "m"), v("a.py", 1, "m")]);
        baseline.write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"violations\": [\n    \"forbidden:a.py:m\",\n    \"forbidden:a.py:m\",\n    \"forbidden:b.py:m\"\n  ]\n}\n"
        );
        assert_eq!(Baseline::read(&path).unwrap(), baseline);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn unknown_versions_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let err = Baseline::read(&path).unwrap_err().to_string();
        assert!(err.contains("--update-baseline"), "{err}");
        std::fs::write(&path, r#"{"version": 2, "violations": []}"#).unwrap();
        let err = Baseline::read(&path).unwrap_err().to_string();
        assert!(err.contains("version 2"), "{err}");
    }
}
