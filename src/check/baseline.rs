//! Baselines: the violations a project has accepted for now, so that `check`
//! fails only on new ones while the old ones are burnt down.
//!
//! A baseline is a JSON file `{"version": 1, "violations": [KEY, ...]}` of
//! stable keys ([`Violation::key`]: rule, file and subject, no line numbers),
//! sorted, a key repeated once per occurrence so that fixing one occurrence
//! is a one-line diff. Writing is atomic (`atomic`). Owns that file format,
//! the comparison and the flow of `--baseline` / `--update-baseline`
//! ([`apply`]); it prints nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

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
        let text = std::fs::read_to_string(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                Error::Baseline {
                    path: path.to_path_buf(),
                    message: "does not exist; record one with --update-baseline".to_string(),
                }
            } else {
                Error::BaselineRead {
                    path: path.to_path_buf(),
                    source,
                }
            }
        })?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|source| Error::BaselineFormat {
                path: path.to_path_buf(),
                source,
            })?;
        if file.version != BASELINE_VERSION {
            return Err(Error::Baseline {
                path: path.to_path_buf(),
                message: format!(
                    "version {} is not supported (this blastradius writes version {BASELINE_VERSION})",
                    file.version
                ),
            });
        }
        let mut counts = BTreeMap::new();
        for key in file.violations {
            *counts.entry(key).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// Writes the baseline to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        if path.file_name().is_none() {
            return Err(Error::Baseline {
                path: path.to_path_buf(),
                message: "not a file path".to_string(),
            });
        }
        let file = BaselineFile {
            version: BASELINE_VERSION,
            violations: self
                .counts
                .iter()
                .flat_map(|(key, &n)| std::iter::repeat_n(key.clone(), n))
                .collect(),
        };
        crate::atomic::write_atomically_with(path, |out| {
            serde_json::to_writer_pretty(&mut *out, &file)?;
            out.write_all(b"\n")
        })
        .map_err(|source| Error::BaselineWrite {
            path: path.to_path_buf(),
            source,
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

/// What `--baseline FILE` (with or without `--update-baseline`) made of a
/// run's violations.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The run set against the baseline. After an update, nothing is new,
    /// everything recorded remains, and `fixed` lists what the update
    /// dropped.
    pub comparison: Comparison,
    /// True when FILE was rewritten with the run's violations.
    pub updated: bool,
}

impl Applied {
    /// The violations that fail the check: the new ones (none after an update).
    pub fn failing(&self) -> &[Violation] {
        &self.comparison.new
    }
}

/// Sets `violations` against the baseline in `file`; with `update`, first
/// records them there (a missing file counts as empty).
pub fn apply(file: &Path, violations: Vec<Violation>, update: bool) -> Result<Applied> {
    if !update {
        return Ok(Applied {
            comparison: Baseline::read(file)?.compare(violations),
            updated: false,
        });
    }
    let old = if file.exists() {
        Baseline::read(file)?
    } else {
        Baseline::default()
    };
    let total = violations.len();
    let recorded = Baseline::of(&violations);
    let fixed = old.compare(violations).fixed;
    recorded.write(file)?;
    Ok(Applied {
        comparison: Comparison {
            new: Vec::new(),
            remaining: total,
            fixed,
        },
        updated: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Rule;

    fn v(path: &str, line: u32, subject: &str) -> Violation {
        Violation {
            chain: None,
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
