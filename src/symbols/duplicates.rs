//! Single-source-of-truth findings: one public name, several distinct
//! definitions (classes or functions) across first-party modules, each
//! told apart as a copy, a fallback or a homonym.
//!
//! Aliases and re-exports of one origin are not duplicates; they are shown
//! as that origin's bindings. A module-level alias of a *different*
//! definition (`Name = Other`, `from m import Other as Name`) is an origin
//! of the alias name. `@overload` signatures, definitions under `if
//! TYPE_CHECKING:` and `.pyi` stubs are declarations, not origins. Each
//! finding suggests a canonical origin (not an alias, not a compatibility
//! shim, not conditional, most used) and compares every other origin's
//! normalised tokens with it. The tokens come from the caller
//! ([`BodyTokens`]): this module neither reads nor parses files.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::discover::is_test_path;
use crate::extract::{BindingKind, BindingValue, IMPORT_ERROR_CATCHERS};
use crate::resolve::{ModuleId, ModuleKind};
use crate::symbols::index::SymbolIndex;
use crate::symbols::{Origin, Origins};

/// Similarity at or above which an origin is a copy of the canonical one.
pub const COPY_SIMILARITY: f64 = 0.8;

/// What counts as a duplicate.
#[derive(Debug, Clone)]
pub struct DuplicateOptions {
    /// Include test modules (`test_*.py`, `*_test.py`, `tests/`, `conftest.py`).
    pub include_tests: bool,
    /// Minimum number of distinct origins.
    pub min_origins: usize,
    /// Only this kind (class or function); both when `None`.
    pub kind: Option<BindingKind>,
    /// Include private names (leading underscore).
    pub include_private: bool,
}

impl Default for DuplicateOptions {
    fn default() -> Self {
        DuplicateOptions {
            include_tests: false,
            min_origins: 2,
            kind: None,
            include_private: false,
        }
    }
}

/// The hashed normalised tokens of definitions, keyed by (defining module,
/// binding offset); a definition missing from the map could not be read.
pub type BodyTokens = FxHashMap<(ModuleId, u32), Vec<u64>>;

/// What one origin is to the suggested canonical one, and what a group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicateClass {
    /// The suggested canonical origin (origins only).
    Canonical,
    /// A conditional definition in an `except ImportError` branch, or one
    /// in a compatibility shim: a stand-in for the canonical one.
    Fallback,
    /// Identical or nearly (similarity ≥ 0.8) to the canonical body.
    Copy,
    /// A different body that shares the name.
    Homonym,
}

impl DuplicateClass {
    /// The kebab-case name used in output and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateClass::Canonical => "canonical",
            DuplicateClass::Fallback => "fallback",
            DuplicateClass::Copy => "copy",
            DuplicateClass::Homonym => "homonym",
        }
    }
}

/// One origin of a duplicated name.
#[derive(Debug, Clone)]
pub struct DuplicateOrigin {
    /// The definition (for an alias origin: the other name's definition).
    pub origin: Origin,
    /// The module holding the definition, or the alias.
    pub module: ModuleId,
    /// Byte offset of the definition or the alias in `module`.
    pub offset: u32,
    /// Distinct files that use it (for an alias: under the alias's name).
    pub users: usize,
    /// The module also re-exports another origin under this name (a
    /// compatibility layer carrying a fallback copy).
    pub shim: bool,
    /// The conditional branch of the definition or alias.
    pub branch: Option<String>,
    /// For an alias origin, the definition it binds: `module:Other`.
    pub alias_of: Option<String>,
    /// Canonical, fallback, copy or homonym.
    pub class: DuplicateClass,
    /// Similarity of its body with the canonical one's, 0 to 1 (1 for the
    /// canonical itself); `None` when a body could not be read.
    pub similarity: Option<f64>,
}

/// A duplicated name.
#[derive(Debug, Clone)]
pub struct Duplicate {
    /// The name.
    pub name: String,
    /// Its distinct origins, suggested canonical first.
    pub origins: Vec<DuplicateOrigin>,
    /// Why the first origin is suggested as canonical.
    pub reason: String,
    /// Fallback if any origin is one, else copy if any is, else homonym.
    pub class: DuplicateClass,
    /// Distinct files using any origin.
    pub users: usize,
}

/// A candidate origin before the group is ranked.
struct Candidate {
    origin: Origin,
    module: ModuleId,
    offset: u32,
    users: Vec<ModuleId>,
    shim: bool,
    branch: Option<String>,
    alias_of: Option<String>,
    /// (defining module, offset) of the body to compare.
    body: (ModuleId, u32),
}

/// Every duplicated name: the groups, without similarity, and the bodies
/// to read for it (defining module, binding offset).
pub struct DuplicateGroups {
    groups: BTreeMap<String, Vec<Candidate>>,
}

impl DuplicateGroups {
    /// The definitions whose tokens [`DuplicateGroups::finish`] compares.
    pub fn bodies(&self) -> Vec<(ModuleId, u32)> {
        let mut wanted: Vec<(ModuleId, u32)> =
            self.groups.values().flatten().map(|c| c.body).collect();
        wanted.sort();
        wanted.dedup();
        wanted
    }

    /// Classifies and ranks the groups with the bodies' tokens: copy and
    /// fallback groups first, then homonyms; within a class, the groups
    /// whose users are split most evenly between origins first.
    pub fn finish(self, origins: &Origins<'_>, tokens: &BodyTokens) -> Vec<Duplicate> {
        let analysis = origins.analysis();
        let mut found: Vec<Duplicate> = self
            .groups
            .into_iter()
            .map(|(name, mut candidates)| {
                candidates.sort_by_key(|c| {
                    (
                        c.alias_of.is_some(),
                        c.shim,
                        c.branch.is_some(),
                        Reverse(c.users.len()),
                        analysis.name(c.module).to_string(),
                        c.offset,
                    )
                });
                let canonical = candidates.first().and_then(|c| tokens.get(&c.body));
                let mut everyone: Vec<ModuleId> =
                    candidates.iter().flat_map(|c| c.users.clone()).collect();
                everyone.sort();
                everyone.dedup();
                let origins: Vec<DuplicateOrigin> = candidates
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let similarity = match (canonical, tokens.get(&c.body)) {
                            _ if i == 0 => Some(1.0),
                            (Some(a), Some(b)) => Some(similarity(a, b)),
                            _ => None,
                        };
                        let class = if i == 0 {
                            DuplicateClass::Canonical
                        } else if c.shim || c.branch.as_deref().is_some_and(is_import_fallback) {
                            DuplicateClass::Fallback
                        } else if similarity.is_some_and(|s| s >= COPY_SIMILARITY) {
                            DuplicateClass::Copy
                        } else {
                            DuplicateClass::Homonym
                        };
                        DuplicateOrigin {
                            origin: c.origin,
                            module: c.module,
                            offset: c.offset,
                            users: c.users.len(),
                            shim: c.shim,
                            branch: c.branch,
                            alias_of: c.alias_of,
                            class,
                            similarity,
                        }
                    })
                    .collect();
                let has = |class| origins.iter().any(|o| o.class == class);
                let class = if has(DuplicateClass::Fallback) {
                    DuplicateClass::Fallback
                } else if has(DuplicateClass::Copy) {
                    DuplicateClass::Copy
                } else {
                    DuplicateClass::Homonym
                };
                Duplicate {
                    reason: suggestion_reason(&origins),
                    name,
                    origins,
                    class,
                    users: everyone.len(),
                }
            })
            .collect();
        rank(&mut found);
        found
    }
}

/// Consolidation value first: copy and fallback groups before homonyms;
/// within a class, users split most evenly first, then more users, then
/// the name.
fn rank(found: &mut [Duplicate]) {
    found.sort_by(|a, b| {
        (a.class == DuplicateClass::Homonym)
            .cmp(&(b.class == DuplicateClass::Homonym))
            .then_with(|| b.evenness().total_cmp(&a.evenness()))
            .then_with(|| b.users.cmp(&a.users))
            .then_with(|| a.name.cmp(&b.name))
    });
}

impl Duplicate {
    /// How evenly the users are split between origins: the share of the
    /// uses that are not of the most used origin (0 when one origin has
    /// them all, or nobody uses any).
    pub fn evenness(&self) -> f64 {
        let total: usize = self.origins.iter().map(|o| o.users).sum();
        let top = self.origins.iter().map(|o| o.users).max().unwrap_or(0);
        if total == 0 {
            return 0.0;
        }
        (total - top) as f64 / total as f64
    }

    /// True for groups worth consolidating: copies and fallbacks.
    pub fn is_consolidation(&self) -> bool {
        match self.class {
            DuplicateClass::Fallback | DuplicateClass::Copy => true,
            DuplicateClass::Canonical | DuplicateClass::Homonym => false,
        }
    }
}

/// True for a branch label inside an `except` clause that catches
/// ImportError (or broader): the definition stands in for a failed import.
fn is_import_fallback(branch: &str) -> bool {
    branch.split(" > ").any(|part| {
        part == "except"
            || part
                .strip_prefix("except ")
                .is_some_and(|caught| IMPORT_ERROR_CATCHERS.iter().any(|e| caught.contains(e)))
    })
}

/// True for a branch that only type checkers see.
fn is_type_checking(branch: &str) -> bool {
    branch
        .split(" > ")
        .any(|part| part == "if TYPE_CHECKING" || part.ends_with(".TYPE_CHECKING"))
}

/// Multiset Dice coefficient of the token trigrams (of the tokens
/// themselves when a body has fewer than three): 1 for identical
/// sequences, 0 when nothing is shared.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    fn grams(tokens: &[u64]) -> FxHashMap<(u64, u64, u64), usize> {
        let mut counts = FxHashMap::default();
        if tokens.len() < 3 {
            for &t in tokens {
                *counts.entry((t, 0, 0)).or_insert(0) += 1;
            }
        } else {
            for w in tokens.windows(3) {
                *counts.entry((w[0], w[1], w[2])).or_insert(0) += 1;
            }
        }
        counts
    }
    if a == b {
        return 1.0;
    }
    let (ga, gb) = (grams(a), grams(b));
    let total: usize = ga.values().sum::<usize>() + gb.values().sum::<usize>();
    if total == 0 {
        return 0.0;
    }
    let shared: usize = ga
        .iter()
        .map(|(g, n)| (*n).min(gb.get(g).copied().unwrap_or(0)))
        .sum();
    // Rounded to 3 places so that output is stable across platforms.
    (2.0 * shared as f64 / total as f64 * 1000.0).round() / 1000.0
}

/// The duplicated names' groups, before similarity; call
/// [`DuplicateGroups::finish`] with the tokens of
/// [`DuplicateGroups::bodies`].
pub fn duplicate_groups(
    origins: &Origins<'_>,
    index: &SymbolIndex,
    options: &DuplicateOptions,
) -> DuplicateGroups {
    let analysis = origins.analysis();
    // (module, name) pairs where the module re-exports some origin under that name.
    let reexported: FxHashSet<(ModuleId, &str)> = index
        .reexports
        .iter()
        .filter_map(|r| {
            Some((
                r.module,
                binding_name(origins, r.module, r.binding)?.as_str(),
            ))
        })
        .collect();
    let users_of = |origin: &Origin, name: Option<&str>| -> Vec<ModuleId> {
        let mut users: Vec<ModuleId> = index
            .uses_of(origin)
            .iter()
            .filter(|u| name.is_none_or(|n| u.name == n))
            .map(|u| u.user)
            .collect();
        users.sort();
        users.dedup();
        users
    };
    let wanted_kind = |kind: BindingKind| match kind {
        BindingKind::Class | BindingKind::Function => options.kind.is_none_or(|k| k == kind),
        BindingKind::Variable | BindingKind::Import => false,
    };
    let mut definitions: BTreeMap<&str, Vec<Candidate>> = BTreeMap::new();
    let mut aliases: Vec<(&str, Candidate)> = Vec::new();
    for (id, module) in analysis.modules.iter() {
        if module.kind == ModuleKind::Script
            || module.path.as_deref().is_some_and(|p| p.ends_with(".pyi"))
        {
            continue;
        }
        if !options.include_tests && module.path.as_deref().is_some_and(is_test_path) {
            continue;
        }
        let Some(facts) = analysis.facts.get(id.index()).and_then(|f| f.as_ref()) else {
            continue;
        };
        for (i, binding) in facts.bindings.iter().enumerate() {
            if (!options.include_private && binding.name.starts_with('_'))
                || binding.overload
                || binding.branch.as_deref().is_some_and(is_type_checking)
            {
                continue;
            }
            // A compatibility shim binds the name both ways, in alternative
            // branches (`try: from new import X` / `except ImportError:
            // class X`); an unconditional definition after an import of the
            // name just replaces it.
            let shim =
                binding.branch.is_some() && reexported.contains(&(id, binding.name.as_str()));
            match &binding.value {
                BindingValue::Definition if wanted_kind(binding.kind) => {
                    let origin = Origin::Defined {
                        module: id,
                        binding: i as u32,
                    };
                    definitions
                        .entry(&binding.name)
                        .or_default()
                        .push(Candidate {
                            users: users_of(&origin, None),
                            origin,
                            module: id,
                            offset: binding.offset,
                            shim,
                            branch: binding.branch.clone(),
                            alias_of: None,
                            body: (id, binding.offset),
                        });
                }
                BindingValue::Alias(_) | BindingValue::Import { .. } => {
                    // `Name = Other` / `from m import Other as Name`: an
                    // origin of Name when it reaches a definition of another name.
                    for origin in origins.of_binding(id, i) {
                        let Origin::Defined { module: at, .. } = origin else {
                            continue;
                        };
                        let Some(target) = origins.binding(&origin) else {
                            continue;
                        };
                        if target.name == binding.name
                            || !matches!(target.value, BindingValue::Definition)
                            || !wanted_kind(target.kind)
                        {
                            continue;
                        }
                        aliases.push((
                            &binding.name,
                            Candidate {
                                users: users_of(&origin, Some(&binding.name)),
                                alias_of: Some(format!("{}:{}", analysis.name(at), target.name)),
                                body: (at, target.offset),
                                origin,
                                module: id,
                                offset: binding.offset,
                                // The alias is itself the re-export.
                                shim: false,
                                branch: binding.branch.clone(),
                            },
                        ));
                    }
                }
                BindingValue::Definition | BindingValue::Attribute { .. } => {}
            }
        }
    }
    for (name, alias) in aliases {
        if let Some(group) = definitions.get_mut(name)
            && !group.iter().any(|c| c.origin == alias.origin)
        {
            group.push(alias);
        }
    }
    let groups = definitions
        .into_iter()
        .filter(|(_, candidates)| {
            let mut modules: Vec<ModuleId> = candidates.iter().map(|c| c.module).collect();
            modules.sort();
            modules.dedup();
            candidates.len() >= options.min_origins.max(2) && modules.len() >= 2
        })
        .map(|(name, candidates)| (name.to_string(), candidates))
        .collect();
    DuplicateGroups { groups }
}

fn binding_name<'a>(origins: &Origins<'a>, module: ModuleId, binding: u32) -> Option<&'a String> {
    origins
        .binding(&Origin::Defined { module, binding })
        .map(|b| &b.name)
}

/// Explains why `origins[0]` is suggested, relative to the others.
fn suggestion_reason(origins: &[DuplicateOrigin]) -> String {
    let Some((best, others)) = origins.split_first() else {
        return String::new();
    };
    let mut parts = Vec::new();
    if others.iter().all(|o| o.users < best.users) {
        parts.push(format!("most used ({} files)", best.users));
    } else {
        parts.push(format!("used by {} files", best.users));
    }
    if !best.shim && others.iter().any(|o| o.shim) {
        parts.push("not a compatibility shim".to_string());
    }
    if best.branch.is_none() && others.iter().any(|o| o.branch.is_some()) {
        parts.push("unconditional".to_string());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_of_token_sequences() {
        let a: Vec<u64> = (0..20).collect();
        let mut b = a.clone();
        b[19] = 99;
        let c: Vec<u64> = (100..120).collect();
        assert_eq!(similarity(&a, &a), 1.0);
        // One changed token of 20 breaks one trigram of 18 on each side.
        assert_eq!(similarity(&a, &b), 0.944);
        assert_eq!(similarity(&a, &c), 0.0);
        assert_eq!(similarity(&[], &[]), 1.0);
    }

    #[test]
    fn groups_rank_by_class_then_evenness() {
        let group = |name: &str, class, users: &[usize]| Duplicate {
            name: name.to_string(),
            origins: users
                .iter()
                .enumerate()
                .map(|(i, &n)| DuplicateOrigin {
                    origin: Origin::Module(ModuleId(i as u32)),
                    module: ModuleId(i as u32),
                    offset: 0,
                    users: n,
                    shim: false,
                    branch: None,
                    alias_of: None,
                    class: DuplicateClass::Copy,
                    similarity: Some(1.0),
                })
                .collect(),
            reason: String::new(),
            class,
            users: users.iter().sum(),
        };
        let mut found = vec![
            group("Homonym", DuplicateClass::Homonym, &[5, 5]),
            group("Lopsided", DuplicateClass::Copy, &[9, 1]),
            group("Even", DuplicateClass::Fallback, &[3, 3]),
            group("Unused", DuplicateClass::Copy, &[0, 0]),
        ];
        assert_eq!(found[2].evenness(), 0.5);
        assert_eq!(found[1].evenness(), 0.1);
        rank(&mut found);
        let names: Vec<&str> = found.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, vec!["Even", "Lopsided", "Unused", "Homonym"]);
    }

    #[test]
    fn branch_labels() {
        let cases = [
            ("try > except ImportError", true, false),
            ("except (ImportError, AttributeError)", true, false),
            ("except", true, false),
            ("except KeyError", false, false),
            ("if TYPE_CHECKING", false, true),
            ("if typing.TYPE_CHECKING > try", false, true),
            ("if sys.version_info >= (3, 11)", false, false),
        ];
        for (branch, fallback, typing) in cases {
            assert_eq!(is_import_fallback(branch), fallback, "{branch}");
            assert_eq!(is_type_checking(branch), typing, "{branch}");
        }
    }
}
