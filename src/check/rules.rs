//! The five `check` rules, each a method over the analysis that returns its
//! violations unsorted and unfiltered (`check` applies `ignore` and sorts).
//!
//! Graph rules (`forbidden`, `layers`, `no-cycles`) read edge occurrences of
//! the chosen kinds; name rules (`canonical`, `no-duplicates`) read the
//! session's symbol index, built only when one of them is configured.

use std::cell::OnceCell;

use globset::{GlobMatcher, GlobSet, GlobSetBuilder};
use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::check::{Rule, Violation, locate};
use crate::config::{Config, NoCycles, module_glob};
use crate::error::Result;
use crate::extract::{BindingKind, BindingValue, ImportKind};
use crate::graph::KindSet;
use crate::queries::cycles::find_cycles;
use crate::queries::target::closest;
use crate::resolve::{ModuleId, ModuleKind};
use crate::session::Session;
use crate::symbols::duplicates::DuplicateOptions;
use crate::symbols::index::{SymbolIndex, UseHow};
use crate::symbols::{Origin, Origins};

/// The rules of one configuration over one analysis.
pub(crate) struct Rules<'a> {
    session: &'a Session,
    analysis: &'a Analysis,
    config: &'a Config,
    kinds: KindSet,
    origins: Origins<'a>,
    /// Definitions and uses by name, built once for every `canonical`
    /// entry (a configuration may have a thousand).
    by_name: OnceCell<ByName<'a>>,
}

/// Class and function definitions by name, and the symbol index's uses by
/// the name of the definition they reach.
struct ByName<'a> {
    definitions: FxHashMap<&'a str, Vec<(ModuleId, u32)>>,
    uses: FxHashMap<&'a str, Vec<usize>>,
}

impl<'a> Rules<'a> {
    /// The rules of the session's configuration; the settings' rule kinds
    /// are the default set of import kinds for the graph rules.
    pub(crate) fn new(session: &'a Session) -> Self {
        Rules {
            session,
            analysis: &session.analysis,
            config: &session.settings.config,
            kinds: session.settings.kinds_or(KindSet::STATEMENTS),
            origins: session.origins(),
            by_name: OnceCell::new(),
        }
    }

    fn by_name(&self) -> &ByName<'a> {
        self.by_name.get_or_init(|| {
            let analysis = self.analysis;
            let mut definitions: FxHashMap<&'a str, Vec<(ModuleId, u32)>> = FxHashMap::default();
            for (id, _) in analysis.modules.iter() {
                let Some(facts) = analysis.facts.get(id.index()).and_then(|f| f.as_ref()) else {
                    continue;
                };
                for (i, binding) in facts.bindings.iter().enumerate() {
                    if matches!(binding.value, BindingValue::Definition)
                        && matches!(binding.kind, BindingKind::Class | BindingKind::Function)
                    {
                        definitions
                            .entry(binding.name.as_str())
                            .or_default()
                            .push((id, i as u32));
                    }
                }
            }
            let index: &'a SymbolIndex = self.session.index();
            let mut uses: FxHashMap<&'a str, Vec<usize>> = FxHashMap::default();
            for (i, used) in index.uses.iter().enumerate() {
                if let Some(binding) = self.origins.binding(&used.origin) {
                    uses.entry(binding.name.as_str()).or_default().push(i);
                }
            }
            ByName { definitions, uses }
        })
    }

    /// Every violation of every configured rule.
    pub(crate) fn run(self) -> Result<Vec<Violation>> {
        let mut found = Vec::new();
        for (name, module) in &self.config.canonical {
            found.extend(self.canonical(name, module)?);
        }
        found.extend(self.forbidden()?);
        found.extend(self.no_duplicates()?);
        if let Some(NoCycles::On { kinds }) = &self.config.no_cycles {
            found.extend(self.no_cycles(self.kinds_or_default(kinds)));
        }
        found.extend(self.layers());
        Ok(found)
    }

    fn index(&self) -> &SymbolIndex {
        self.session.index()
    }

    fn kinds_or_default(&self, kinds: &Option<Vec<ImportKind>>) -> KindSet {
        kinds.as_deref().map_or(self.kinds, KindSet::of)
    }

    fn violation(
        &self,
        rule: Rule,
        module: ModuleId,
        offset: Option<u32>,
        subject: String,
        message: String,
    ) -> Option<Violation> {
        let (path, line, column, cell) = match offset {
            Some(offset) => locate(self.analysis, module, offset)?,
            None => (self.analysis.path(module)?.to_string(), 1, 1, None),
        };
        Some(Violation {
            path,
            line,
            column,
            cell,
            rule,
            message,
            module: self.analysis.name(module).to_string(),
            subject,
        })
    }

    /// `canonical`: `name` is defined only by `module` (or by what `module`'s
    /// own binding of it leads to) and used only through `module`.
    fn canonical(&self, name: &str, module: &str) -> Result<Vec<Violation>> {
        let key = format!("canonical.{name}");
        let analysis = self.analysis;
        let Some(canonical) = analysis.modules.by_name(module) else {
            let names = analysis.modules.iter().map(|(_, m)| m.name.as_str());
            let suggestions = closest(module, names, |_| false);
            let hint = if suggestions.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", suggestions.join(", "))
            };
            return Err(self.config.error(
                &key,
                format!("module {module} is not in the analysis{hint}"),
            ));
        };
        let allowed: Vec<Origin> = self
            .origins
            .of(canonical, name)
            .into_iter()
            .filter(|o| matches!(o, Origin::Defined { .. }))
            .collect();
        if allowed.is_empty() {
            return Err(self.config.error(
                &key,
                format!("{module} neither defines nor re-exports {name}"),
            ));
        }
        let mut out = Vec::new();
        let by_name = self.by_name();
        for &(id, i) in by_name.definitions.get(name).into_iter().flatten() {
            let origin = Origin::Defined {
                module: id,
                binding: i,
            };
            if id == canonical || allowed.contains(&origin) {
                continue;
            }
            let Some(binding) = self.origins.binding(&origin) else {
                continue;
            };
            let kind = binding.kind.as_str();
            out.extend(self.violation(
                Rule::Canonical,
                id,
                Some(binding.offset),
                format!("{}.{name}", analysis.name(id)),
                format!("defines {kind} {name}; its one definition belongs in {module}"),
            ));
        }
        // The uses of a definition of the name, and of what the canonical
        // module's binding leads to (which may be called otherwise).
        let index = self.index();
        let mut positions: Vec<usize> = by_name.uses.get(name).cloned().unwrap_or_default();
        for origin in &allowed {
            let start = index.uses.partition_point(|u| u.origin < *origin);
            positions.extend(start..start + index.uses_of(origin).len());
        }
        positions.sort_unstable();
        positions.dedup();
        for used in positions.into_iter().filter_map(|i| index.uses.get(i)) {
            if used.user == canonical || used.through == canonical {
                continue;
            }
            let through = analysis.name(used.through);
            let read = &used.name;
            let alias = if read == name {
                String::new()
            } else {
                format!(" (that is {name})")
            };
            let message = match used.how {
                UseHow::FromImport => {
                    format!("imports {read} from {through}{alias}; import {name} from {module}")
                }
                UseHow::Attribute => {
                    format!("uses {through}.{read}{alias}; import {name} from {module}")
                }
                UseHow::String => {
                    format!("names {through}.{read}{alias} in a string; name {module}.{name}")
                }
            };
            out.extend(self.violation(
                Rule::Canonical,
                used.user,
                Some(used.offset),
                format!("{through}.{read}"),
                message,
            ));
        }
        // A use reaching several origins (a shim's try/except) is one violation.
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// `forbidden`: each import occurrence a contract rules out; the first
    /// matching contract explains it.
    fn forbidden(&self) -> Result<Vec<Violation>> {
        if self.config.forbidden.is_empty() {
            return Ok(Vec::new());
        }
        let contracts = self
            .config
            .forbidden
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let compile = |key: &str, pattern: &str| {
                    module_glob(pattern).map_err(|err| {
                        self.config
                            .error(&format!("forbidden[{i}].{key}"), err.kind().to_string())
                    })
                };
                Ok((
                    compile("from", &rule.from)?,
                    compile("to", &rule.to)?,
                    self.kinds_or_default(&rule.kinds),
                    rule,
                ))
            })
            .collect::<Result<Vec<(GlobMatcher, GlobMatcher, KindSet, _)>>>()?;
        let mut out = Vec::new();
        for (from, to, occurrences) in self.analysis.graph.edges() {
            let (from_name, to_name) = (self.analysis.name(from), self.analysis.name(to));
            for occurrence in occurrences {
                let contract = contracts.iter().find(|(f, t, kinds, _)| {
                    kinds.admits_occurrence(occurrence)
                        && f.is_match(from_name)
                        && t.is_match(to_name)
                });
                let Some((_, _, _, rule)) = contract else {
                    continue;
                };
                let reason = rule
                    .reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                out.extend(self.violation(
                    Rule::Forbidden,
                    from,
                    occurrence.offset,
                    to_name.to_string(),
                    format!(
                        "imports {to_name} ({} import), forbidden from {} to {}{reason}",
                        occurrence.kind.as_str(),
                        rule.from,
                        rule.to
                    ),
                ));
            }
        }
        Ok(out)
    }

    /// `no-duplicates`: every definition of a matching name past the one to
    /// keep (the `canonical` one when configured, else the suggested one).
    fn no_duplicates(&self) -> Result<Vec<Violation>> {
        let patterns = &self.config.no_duplicates;
        if patterns.is_empty() {
            return Ok(Vec::new());
        }
        let mut builder = GlobSetBuilder::new();
        for (i, pattern) in patterns.iter().enumerate() {
            let glob = globset::Glob::new(pattern).map_err(|err| {
                self.config
                    .error(&format!("no-duplicates[{i}]"), err.kind().to_string())
            })?;
            builder.add(glob);
        }
        let set: GlobSet = builder
            .build()
            .map_err(|err| self.config.error("no-duplicates", err.to_string()))?;
        let options = DuplicateOptions {
            include_tests: false,
            include_private: true,
            min_origins: 2,
            kind: None,
        };
        let analysis = self.analysis;
        let mut out = Vec::new();
        for mut duplicate in self.session.duplicates(&options) {
            let Some(&pattern) = set.matches(&duplicate.name).first() else {
                continue;
            };
            // An alias of another name's definition is not a definition.
            duplicate.origins.retain(|o| o.alias_of.is_none());
            if duplicate.origins.len() < 2 {
                continue;
            }
            let name = &duplicate.name;
            let canonical: Vec<Origin> = self
                .config
                .canonical
                .get(name)
                .and_then(|m| analysis.modules.by_name(m))
                .map(|m| self.origins.of(m, name))
                .unwrap_or_default();
            let keep = duplicate
                .origins
                .iter()
                .position(|o| canonical.contains(&o.origin))
                .unwrap_or(0);
            let Some(kept) = duplicate.origins.get(keep) else {
                continue;
            };
            let kept_at = self
                .origins
                .binding(&kept.origin)
                .and_then(|b| locate(analysis, kept.module, b.offset))
                .map(|(path, line, _, _)| format!("{path}:{line}"))
                .unwrap_or_else(|| analysis.name(kept.module).to_string());
            for (i, extra) in duplicate.origins.iter().enumerate() {
                if i == keep {
                    continue;
                }
                let Some(binding) = self.origins.binding(&extra.origin) else {
                    continue;
                };
                out.extend(self.violation(
                    Rule::NoDuplicates,
                    extra.module,
                    Some(binding.offset),
                    format!("{}.{name}", analysis.name(extra.module)),
                    format!(
                        "defines {} {name} again ({} definitions, matches {}); keep the one at {kept_at}",
                        binding.kind.as_str(),
                        duplicate.origins.len(),
                        patterns[pattern],
                    ),
                ));
            }
        }
        Ok(out)
    }

    /// `no-cycles`: one violation per cycle, at the first import of its
    /// example chain.
    fn no_cycles(&self, kinds: KindSet) -> Vec<Violation> {
        let analysis = self.analysis;
        let mut out = Vec::new();
        for cycle in find_cycles(&analysis.graph, analysis.modules.len(), kinds) {
            let (Some(&first), Some(&second)) = (cycle.example.first(), cycle.example.get(1))
            else {
                continue;
            };
            let offset = analysis
                .graph
                .occurrences(first, second)
                .and_then(|occ| occ.iter().find(|o| kinds.admits_occurrence(o)))
                .and_then(|o| o.offset);
            let chain: Vec<&str> = cycle.example.iter().map(|&m| analysis.name(m)).collect();
            let members: Vec<&str> = cycle.modules.iter().map(|&m| analysis.name(m)).collect();
            let kinds: Vec<&str> = cycle.kinds.iter().map(|k| k.as_str()).collect();
            let when = cycle.nature();
            out.extend(self.violation(
                Rule::NoCycles,
                first,
                offset,
                members.join(","),
                format!(
                    "import cycle of {} modules ({when}; kinds: {}): {}",
                    cycle.modules.len(),
                    kinds.join(", "),
                    chain.join(" -> ")
                ),
            ));
        }
        out
    }

    /// `layers`: each import occurrence from a module of a lower layer into
    /// a module of a higher one. A module belongs to the most specific
    /// layer that is itself or one of its parent packages.
    fn layers(&self) -> Vec<Violation> {
        let layers = &self.config.layers;
        if layers.is_empty() {
            return Vec::new();
        }
        let layer_of = |module: ModuleId| -> Option<usize> {
            if self.analysis.modules.get(module).kind == ModuleKind::Script {
                return None;
            }
            let name = self.analysis.name(module);
            layers
                .iter()
                .enumerate()
                .filter(|(_, layer)| {
                    name == layer.as_str()
                        || name
                            .strip_prefix(layer.as_str())
                            .is_some_and(|rest| rest.starts_with('.'))
                })
                .max_by_key(|(_, layer)| layer.len())
                .map(|(i, _)| i)
        };
        let mut out = Vec::new();
        for (from, to, occurrences) in self.analysis.graph.edges() {
            let (Some(lower), Some(higher)) = (layer_of(from), layer_of(to)) else {
                continue;
            };
            if higher >= lower {
                continue;
            }
            let to_name = self.analysis.name(to);
            for occurrence in occurrences
                .iter()
                .filter(|o| self.kinds.admits_occurrence(o))
            {
                out.extend(self.violation(
                    Rule::Layers,
                    from,
                    occurrence.offset,
                    to_name.to_string(),
                    format!(
                        "imports {to_name} ({} import): layer {} must not import the higher layer {}",
                        occurrence.kind.as_str(),
                        layers[lower],
                        layers[higher]
                    ),
                ));
            }
        }
        out
    }
}
