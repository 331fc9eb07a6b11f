//! The answer of `migrate`: the planned edits as JSON, the unified diff of
//! a dry run, and the notes that say what was (or would be) rewritten, what
//! was left for a person, and what a check after `--apply` found.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::migrate::{Finding, Outcome, Plan, unified_diff};
use crate::output::SCHEMA_VERSION;
use crate::summary::Incomplete;

/// `migrate --json`. Written with its keys in alphabetical order at every
/// level, as this document always has been.
#[derive(Debug, Serialize)]
pub struct MigrateJson<'a> {
    /// Schema version.
    pub version: u32,
    /// The name migrated.
    pub name: &'a str,
    /// The canonical module.
    pub to: &'a str,
    /// The modules uses went through before.
    pub old_modules: &'a [String],
    /// The files rewritten (or to rewrite), sorted.
    pub files: Vec<&'a str>,
    /// Every changed region of every file.
    pub edits: Vec<EditJson<'a>>,
    /// String references left for review.
    pub strings: &'a [Finding],
    /// Uses of a different definition, never rewritten.
    pub decisions: &'a [Finding],
    /// Uses that could not be rewritten safely.
    pub skipped: &'a [Finding],
    /// Whether the files were written.
    pub applied: bool,
    /// After `--apply`: uses still going through the old modules.
    pub remaining: &'a [Finding],
    /// After `--apply`: imports that broke.
    pub broken: &'a [Finding],
    /// With `--remove-shim`: the old modules' remaining importers.
    pub shim_dependents: &'a [Finding],
    /// What the analysis could not see.
    pub incomplete: Incomplete,
}

/// One changed region of one file.
#[derive(Debug, Serialize)]
pub struct EditJson<'a> {
    /// The file.
    pub file: &'a str,
    /// First line replaced.
    pub start_line: u32,
    /// Last line replaced.
    pub end_line: u32,
    /// The lines before.
    pub before: &'a str,
    /// The lines after.
    pub after: &'a str,
}

/// What `migrate` was asked to do, for its answer.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The modules uses went through before.
    pub old_modules: &'a [String],
    /// `--apply`.
    pub apply: bool,
    /// `--remove-shim`.
    pub remove_shim: bool,
}

/// Builds `migrate` JSON.
pub fn json<'a>(
    analysis: &'a Analysis,
    plan: &'a Plan,
    outcome: &'a Outcome,
    asked: Asked<'a>,
) -> MigrateJson<'a> {
    MigrateJson {
        version: SCHEMA_VERSION,
        name: &plan.name,
        to: analysis.name(plan.to),
        old_modules: asked.old_modules,
        files: plan.files.iter().map(|f| f.path.as_str()).collect(),
        edits: plan
            .files
            .iter()
            .flat_map(|f| {
                f.regions.iter().map(move |r| EditJson {
                    file: &f.path,
                    start_line: r.start_line,
                    end_line: r.end_line,
                    before: &r.before,
                    after: &r.after,
                })
            })
            .collect(),
        strings: &plan.strings,
        decisions: &plan.decisions,
        skipped: &plan.skipped,
        applied: asked.apply,
        remaining: &outcome.remaining,
        broken: &outcome.broken,
        shim_dependents: &outcome.shim_dependents,
        incomplete: analysis.incomplete(),
    }
}

/// The unified diff of every planned file, for a dry run.
pub fn diff(out: &mut dyn Write, plan: &Plan) -> io::Result<()> {
    for file in &plan.files {
        write!(out, "{}", unified_diff(file))?;
    }
    Ok(())
}

/// The notes a person reads on stderr, one line each.
pub fn notes(analysis: &Analysis, plan: &Plan, outcome: &Outcome, asked: Asked<'_>) -> Vec<String> {
    let listed = |findings: &[Finding]| {
        findings
            .iter()
            .map(|f| format!("  {}: {}", analysis.shown(&f.place()), f.message))
            .collect::<Vec<_>>()
    };
    let mut notes = Vec::new();
    let verb = if asked.apply {
        "rewrote"
    } else {
        "would rewrite"
    };
    notes.push(format!(
        "{verb} {} file(s) to import {} from {} (was through: {})",
        plan.files.len(),
        plan.name,
        analysis.name(plan.to),
        if asked.old_modules.is_empty() {
            "nothing".to_string()
        } else {
            asked.old_modules.join(", ")
        }
    ));
    for (title, findings) in [
        (
            "string references to review (not rewritten without --include-strings)",
            &plan.strings,
        ),
        (
            "uses of a different definition (never rewritten; decide by hand)",
            &plan.decisions,
        ),
        ("not rewritten", &plan.skipped),
    ] {
        if !findings.is_empty() {
            notes.push(format!("{title}:"));
            notes.extend(listed(findings));
        }
    }
    if asked.apply {
        notes.push(format!(
            "after applying: {} import(s) still reach {} through the old modules, {} new broken import(s)",
            outcome.remaining.len(),
            plan.name,
            outcome.broken.len()
        ));
        notes.extend(listed(&outcome.remaining));
        notes.extend(listed(&outcome.broken));
    }
    if asked.remove_shim {
        notes.push(
            "remaining importers of the old modules (delete a module only when it has none):"
                .to_string(),
        );
        notes.extend(listed(&outcome.shim_dependents));
        if outcome.shim_dependents.is_empty() {
            notes.push("  none: the old modules can be deleted".to_string());
        }
    }
    notes
}
