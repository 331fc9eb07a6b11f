//! Checking a migration after it was applied: a fresh analysis of the tree
//! lists the uses that still go through the old modules, the imports that
//! broke, and (on request) every remaining importer of the old modules.
//!
//! Runs the pipeline again; reads, never writes.

use petgraph::Direction;

use crate::analysis::{Analysis, RunOptions};
use crate::discover::DiscoverOptions;
use crate::error::Result;
use crate::graph::KindSet;
use crate::migrate::Finding;
use crate::queries::target::find_module;
use crate::symbols::index::{BrokenImport, SymbolIndex, UseHow};
use crate::symbols::{Origin, Origins};

/// What a re-analysis after `migrate --apply` found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Uses of the name that still go through an old module.
    pub remaining: Vec<Finding>,
    /// Broken imports that did not exist before.
    pub broken: Vec<Finding>,
    /// Every import of the old modules (with `--remove-shim`).
    pub shim_dependents: Vec<Finding>,
}

/// What was migrated, for the check after it.
pub struct Migrated<'a> {
    /// The name.
    pub name: &'a str,
    /// The canonical module as the user gave it.
    pub to: &'a str,
    /// The modules uses went through before.
    pub old_modules: &'a [String],
    /// Whether string references count as uses.
    pub include_strings: bool,
    /// Whether to list the old modules' remaining importers.
    pub remove_shim: bool,
}

/// Re-analyses the tree after a migration: uses that still go through the
/// old modules (imports; strings only with `include_strings`) and broken
/// imports that did not exist `before`.
pub fn verify(
    before: &Analysis,
    index_before: &SymbolIndex,
    discover: &DiscoverOptions,
    run: &RunOptions,
    migrated: &Migrated<'_>,
) -> Result<Outcome> {
    let after = Analysis::run(discover, run)?;
    let origins = Origins::new(&after);
    let index = SymbolIndex::build(&origins);
    let to = find_module(&after.modules, &after.root, migrated.to)?;
    let mut outcome = Outcome::default();
    for origin in origins.of(to, migrated.name) {
        if !matches!(origin, Origin::Defined { .. }) {
            continue;
        }
        for u in index.uses_of(&origin) {
            let through = after.name(u.through);
            let counted = u.how != UseHow::String || migrated.include_strings;
            if counted && migrated.old_modules.iter().any(|o| o == through) {
                outcome.remaining.push(Finding::at(
                    &after,
                    u.user,
                    u.offset,
                    format!("still imports {} through {through}", migrated.name),
                ));
            }
        }
    }
    let key = |a: &Analysis, b: &BrokenImport| {
        (
            a.name(b.user).to_string(),
            a.name(b.module).to_string(),
            b.name.clone(),
        )
    };
    let existed: Vec<_> = index_before.broken.iter().map(|b| key(before, b)).collect();
    for b in &index.broken {
        if !existed.contains(&key(&after, b)) {
            outcome.broken.push(Finding::at(
                &after,
                b.user,
                b.offset,
                format!(
                    "from {} import {} is now broken",
                    after.name(b.module),
                    b.name
                ),
            ));
        }
    }
    if migrated.remove_shim {
        outcome.shim_dependents = shim_dependents(&after, migrated.old_modules);
    }
    Ok(outcome)
}

/// Every remaining importer of the modules named `old_modules`, by
/// importer and line: whatever the import takes from the module (another
/// name, the module itself, an importlib literal), and every string that
/// names the module or something in it (`mock.patch("old.mod.func")`),
/// which breaks at run time when the module is deleted.
pub fn shim_dependents(analysis: &Analysis, old_modules: &[String]) -> Vec<Finding> {
    let mut found = imports_of(analysis, old_modules);
    // A literal an import call already reports (`import_module("old")`)
    // is not a second importer.
    let lines: std::collections::BTreeSet<String> = found.iter().map(Finding::place).collect();
    for (id, _) in analysis.modules.iter() {
        let Some(facts) = analysis.facts.get(id.index()).and_then(|f| f.as_ref()) else {
            continue;
        };
        for string in &facts.string_refs {
            let Some(old) = old_modules.iter().find(|old| {
                string.value == **old
                    || string
                        .value
                        .strip_prefix(old.as_str())
                        .is_some_and(|rest| rest.starts_with(['.', ':']))
            }) else {
                continue;
            };
            if analysis.name(id) == old.as_str() {
                continue;
            }
            let finding = Finding::at(
                analysis,
                id,
                string.offset,
                format!("names {old} in a string ({:?})", string.value),
            );
            if !lines.contains(&finding.place()) {
                found.push(finding);
            }
        }
    }
    found.sort();
    found
}

/// The import statements and calls of the modules named `old_modules`.
fn imports_of(analysis: &Analysis, old_modules: &[String]) -> Vec<Finding> {
    let mut found = Vec::new();
    for name in old_modules {
        let Some(id) = analysis.modules.by_name(name) else {
            continue;
        };
        // Statements only: the implicit edges of a package's own submodules
        // are not importers that a migration could have missed.
        for (importer, occurrences) in
            analysis
                .graph
                .neighbours(id, Direction::Incoming, KindSet::STATEMENTS)
        {
            for occ in occurrences {
                let Some(offset) = occ.offset else {
                    continue;
                };
                found.push(Finding::at(
                    analysis,
                    importer,
                    offset,
                    format!("imports {name} ({})", occ.kind.as_str()),
                ));
            }
        }
    }
    found.sort();
    found
}
