//! Output of `check`: one line per violation for people, GitHub workflow
//! commands, a versioned JSON document and SARIF 2.1.0 for code scanning.
//!
//! Formats only; the violations come sorted from `check`. Paths are shown as
//! seen from the current directory (the root as given, joined with the
//! file's path under it) so that editors and CI annotations can open them;
//! stable keys keep paths under the root.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::check::baseline::Comparison;
use crate::check::{Rule, Violation};
use crate::output::SCHEMA_VERSION;
use crate::summary::Incomplete;

/// Where the official SARIF 2.1.0 JSON schema is published.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub use crate::lines::under_root;

/// `path:line:col: RULE message`, one line per violation.
pub fn text(out: &mut dyn Write, root: &Path, violations: &[Violation]) -> io::Result<()> {
    for v in violations {
        writeln!(
            out,
            "{}:{}: {} {}",
            crate::lines::place(&under_root(root, &v.path), v.cell, v.line),
            v.column,
            v.rule,
            v.message
        )?;
    }
    Ok(())
}

/// GitHub Actions workflow commands: `::error file=...,line=...,col=...,title=RULE::message`.
pub fn github(out: &mut dyn Write, root: &Path, violations: &[Violation]) -> io::Result<()> {
    for v in violations {
        writeln!(
            out,
            "::error file={},line={},col={},title={}::{}",
            escape_property(&under_root(root, &v.path)),
            v.line,
            v.column,
            escape_property(v.rule.as_str()),
            escape_data(&v.message_with_cell())
        )?;
    }
    Ok(())
}

/// Escapes a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `check --format json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    /// Schema version.
    pub version: u32,
    /// The violations that fail the check (not covered by the baseline), sorted.
    pub violations: Vec<ViolationJson>,
    /// Violations allowed by `ignore` entries.
    pub ignored: usize,
    /// The baseline comparison, `null` without `--baseline`.
    pub baseline: Option<BaselineJson>,
    /// What the analysis could not see.
    pub incomplete: Incomplete,
}

/// One violation.
#[derive(Debug, Serialize)]
pub struct ViolationJson {
    /// Rule name (`canonical`, `forbidden`, `no-duplicates`, `no-cycles`, `layers`).
    pub rule: Rule,
    /// File path as seen from the current directory.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// The stable key a baseline records.
    pub key: String,
    /// For a contract that follows chains: its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
    /// The violating source module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The forbidden module reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The modules from `from` to `to`, each with its path (under the root)
    /// and the line of its import of the next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain: Option<Vec<ChainHopJson>>,
}

/// One module of a violation's chain.
#[derive(Debug, Serialize)]
pub struct ChainHopJson {
    /// Module name.
    pub module: String,
    /// File path under the root (`null` for a namespace package).
    pub path: Option<String>,
    /// Line of its import of the next module (`null` for the last, or an
    /// implicit hop).
    pub line: Option<u32>,
}

/// The baseline part of `check --format json`.
#[derive(Debug, Serialize)]
pub struct BaselineJson {
    /// The baseline file.
    pub file: String,
    /// True when this run (re)wrote it.
    pub updated: bool,
    /// Recorded violations still present.
    pub remaining: usize,
    /// Recorded violations that are gone.
    pub fixed: usize,
    /// Their keys, once per fixed occurrence.
    pub fixed_keys: Vec<String>,
}

impl BaselineJson {
    /// The baseline part of a comparison against `file`.
    pub fn new(file: &Path, updated: bool, comparison: &Comparison) -> BaselineJson {
        BaselineJson {
            file: file.display().to_string(),
            updated,
            remaining: comparison.remaining,
            fixed: comparison.fixed_count(),
            fixed_keys: comparison
                .fixed
                .iter()
                .flat_map(|(key, n)| std::iter::repeat_n(key.clone(), *n))
                .collect(),
        }
    }
}

/// The JSON document of a check.
pub fn json(
    root: &Path,
    violations: &[Violation],
    ignored: usize,
    baseline: Option<BaselineJson>,
    incomplete: Incomplete,
) -> CheckJson {
    CheckJson {
        version: SCHEMA_VERSION,
        violations: violations
            .iter()
            .map(|v| ViolationJson {
                rule: v.rule,
                path: under_root(root, &v.path),
                line: v.line,
                column: v.column,
                cell: v.cell,
                message: v.message.clone(),
                key: v.key(),
                contract: v.chain.as_ref().map(|c| c.contract.clone()),
                from: v.chain.as_ref().map(|c| c.from.clone()),
                to: v.chain.as_ref().map(|c| c.to.clone()),
                chain: v.chain.as_ref().map(|c| {
                    c.chain
                        .iter()
                        .map(|h| ChainHopJson {
                            module: h.module.clone(),
                            path: h.path.clone(),
                            line: h.line,
                        })
                        .collect()
                }),
            })
            .collect(),
        ignored,
        baseline,
        incomplete,
    }
}

/// A SARIF 2.1.0 log (the parts blastradius fills).
#[derive(Debug, Serialize)]
pub struct SarifLog {
    /// Always `2.1.0`.
    pub version: &'static str,
    /// The schema URI.
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    /// One run.
    pub runs: Vec<SarifRun>,
}

/// A SARIF run.
#[derive(Debug, Serialize)]
pub struct SarifRun {
    /// The tool.
    pub tool: SarifTool,
    /// One result per violation.
    pub results: Vec<SarifResult>,
}

/// A SARIF tool.
#[derive(Debug, Serialize)]
pub struct SarifTool {
    /// The tool's driver.
    pub driver: SarifDriver,
}

/// A SARIF tool component.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifDriver {
    /// `blastradius`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
    /// Every rule, in [`Rule::ALL`] order.
    pub rules: Vec<SarifRule>,
}

/// A SARIF reporting descriptor.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRule {
    /// The rule name.
    pub id: &'static str,
    /// One sentence.
    pub short_description: SarifText,
    /// Always level `error`.
    pub default_configuration: SarifConfiguration,
}

/// A SARIF message or description.
#[derive(Debug, Serialize)]
pub struct SarifText {
    /// Plain text.
    pub text: String,
}

/// A SARIF reporting configuration.
#[derive(Debug, Serialize)]
pub struct SarifConfiguration {
    /// `error`.
    pub level: &'static str,
}

/// A SARIF result.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    /// The rule name.
    pub rule_id: &'static str,
    /// Index of the rule in the driver's `rules`.
    pub rule_index: usize,
    /// `error`.
    pub level: &'static str,
    /// The violation's message.
    pub message: SarifText,
    /// Where.
    pub locations: Vec<SarifLocation>,
    /// The stable key, so code scanning can follow a result across edits.
    pub partial_fingerprints: SarifFingerprints,
}

/// Stable fingerprints of a result.
#[derive(Debug, Serialize)]
pub struct SarifFingerprints {
    /// The violation's stable key.
    #[serde(rename = "blastradius/v1")]
    pub key: String,
}

/// A SARIF location.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    /// The file and region.
    pub physical_location: SarifPhysicalLocation,
}

/// A SARIF physical location.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifPhysicalLocation {
    /// The file.
    pub artifact_location: SarifArtifact,
    /// The line and column.
    pub region: SarifRegion,
}

/// A SARIF artifact location.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifArtifact {
    /// A relative URI reference (percent-encoded path), or a `file://` URI
    /// for an absolute path.
    pub uri: String,
    /// `%SRCROOT%` for relative URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

/// A SARIF region.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRegion {
    /// 1-based line.
    pub start_line: u32,
    /// 1-based column.
    pub start_column: u32,
}

/// The SARIF 2.1.0 log of a check.
pub fn sarif(root: &Path, violations: &[Violation]) -> SarifLog {
    let rules = Rule::ALL
        .iter()
        .map(|rule| SarifRule {
            id: rule.as_str(),
            short_description: SarifText {
                text: rule.description().to_string(),
            },
            default_configuration: SarifConfiguration { level: "error" },
        })
        .collect();
    let results = violations
        .iter()
        .map(|v| {
            let path = under_root(root, &v.path);
            let (uri, uri_base_id) = match path.strip_prefix('/') {
                Some(_) => (format!("file://{}", encode_uri_path(&path)), None),
                None => (encode_uri_path(&path), Some("%SRCROOT%")),
            };
            SarifResult {
                rule_id: v.rule.as_str(),
                rule_index: Rule::ALL.iter().position(|r| *r == v.rule).unwrap_or(0),
                level: "error",
                message: SarifText {
                    text: v.message_with_cell(),
                },
                locations: vec![SarifLocation {
                    physical_location: SarifPhysicalLocation {
                        artifact_location: SarifArtifact { uri, uri_base_id },
                        region: SarifRegion {
                            start_line: v.line,
                            start_column: v.column,
                        },
                    },
                }],
                partial_fingerprints: SarifFingerprints { key: v.key() },
            }
        })
        .collect();
    SarifLog {
        version: "2.1.0",
        schema: SARIF_SCHEMA,
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "blastradius",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            results,
        }],
    }
}

/// Percent-encodes a path for a URI: everything but unreserved characters
/// and `/`.
fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_separators_and_newlines() {
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x: y\nz"), "x: y%0Az");
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode_uri_path("my dir/é.py"), "my%20dir/%C3%A9.py");
        assert_eq!(under_root(Path::new("."), "a.py"), "a.py");
        assert_eq!(under_root(Path::new("repo/"), "a.py"), "repo/a.py");
    }
}
