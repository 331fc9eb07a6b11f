//! The five `check` rules, each a method over the analysis that returns its
//! violations unsorted and unfiltered (`check` applies `ignore` and sorts).
//!
//! Graph rules (`forbidden`, `layers`, `no-cycles`) read edge occurrences of
//! the chosen kinds; name rules (`canonical`, `no-duplicates`) read the
//! session's symbol index, built only when one of them is configured.

use std::cell::OnceCell;

use globset::{GlobMatcher, GlobSet, GlobSetBuilder};
use petgraph::Direction;
use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::check::{ChainHop, ChainViolation, Rule, Violation, locate};
use crate::config::{Config, ForbiddenImport, NoCycles, module_glob};
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
            chain: None,
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

    /// `forbidden`: each contract's violations. By default a contract
    /// follows chains: a module of its `from` set violates it when a chain
    /// of imports whose interior lies outside both sets reaches a module of
    /// its `to` set (one violation per source module, with the shortest
    /// chain to the nearest such module). `direct = true` keeps one
    /// violation per direct import.
    fn forbidden(&self) -> Result<Vec<Violation>> {
        let mut out = Vec::new();
        for (i, rule) in self.config.forbidden.iter().enumerate() {
            let compile = |key: &str, pattern: &str| {
                module_glob(pattern).map_err(|err| {
                    self.config
                        .error(&format!("forbidden[{i}].{key}"), err.kind().to_string())
                })
            };
            let from = compile("from", &rule.from)?;
            let to = compile("to", &rule.to)?;
            let kinds = self.kinds_or_default(&rule.kinds);
            let name = rule
                .name
                .clone()
                .unwrap_or_else(|| format!("forbidden[{i}]"));
            if rule.direct {
                out.extend(self.forbidden_direct(&from, &to, kinds, rule));
            } else {
                out.extend(self.forbidden_chains(&name, &from, &to, kinds, rule));
            }
        }
        Ok(out)
    }

    /// One violation per direct import occurrence from `from` to `to`.
    fn forbidden_direct(
        &self,
        from: &GlobMatcher,
        to: &GlobMatcher,
        kinds: KindSet,
        rule: &ForbiddenImport,
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        for (importer, imported, occurrences) in self.analysis.graph.edges() {
            let (from_name, to_name) = (self.analysis.name(importer), self.analysis.name(imported));
            if !from.is_match(from_name) || !to.is_match(to_name) {
                continue;
            }
            for occurrence in occurrences.iter().filter(|o| kinds.admits_occurrence(o)) {
                out.extend(self.violation(
                    Rule::Forbidden,
                    importer,
                    occurrence.offset,
                    to_name.to_string(),
                    format!(
                        "imports {to_name} ({} import), forbidden from {} to {}{}",
                        occurrence.kind.as_str(),
                        rule.from,
                        rule.to,
                        reason_suffix(rule)
                    ),
                ));
            }
        }
        out
    }

    /// One violation per module of the `from` set that reaches the `to`
    /// set, through modules outside both: breadth first, neighbours in name
    /// order, so the chain is a shortest one to the nearest forbidden
    /// module, ties going to the smallest module name, and the same on
    /// every run.
    fn forbidden_chains(
        &self,
        contract: &str,
        from: &GlobMatcher,
        to: &GlobMatcher,
        kinds: KindSet,
        rule: &ForbiddenImport,
    ) -> Vec<Violation> {
        let analysis = self.analysis;
        let count = analysis.modules.len();
        let mut sources = Vec::new();
        let mut in_from = vec![false; count];
        let mut in_to = vec![false; count];
        for (id, module) in analysis.modules.iter() {
            in_from[id.index()] = from.is_match(&module.name);
            in_to[id.index()] = to.is_match(&module.name);
            if in_from[id.index()] {
                sources.push(id);
            }
        }
        if !in_to.iter().any(|&t| t) {
            return Vec::new();
        }
        sources.sort_by(|a, b| analysis.name(*a).cmp(analysis.name(*b)));
        // Visit marks are per search: `seen[m] == stamp` when m was reached.
        let mut seen = vec![0u32; count];
        let mut parent: Vec<Option<ModuleId>> = vec![None; count];
        let mut out = Vec::new();
        for (stamp, &source) in (1u32..).zip(&sources) {
            seen[source.index()] = stamp;
            let mut level = vec![source];
            let mut reached: Option<ModuleId> = None;
            while !level.is_empty() && reached.is_none() {
                let mut next = Vec::new();
                for &module in &level {
                    let mut neighbours =
                        analysis
                            .graph
                            .neighbours(module, Direction::Outgoing, kinds);
                    neighbours.sort_by(|a, b| analysis.name(a.0).cmp(analysis.name(b.0)));
                    for (other, _) in neighbours {
                        if seen[other.index()] == stamp {
                            continue;
                        }
                        seen[other.index()] = stamp;
                        parent[other.index()] = Some(module);
                        if in_to[other.index()] {
                            let better =
                                reached.is_none_or(|r| analysis.name(other) < analysis.name(r));
                            if better {
                                reached = Some(other);
                            }
                        } else if !in_from[other.index()] {
                            next.push(other);
                        }
                    }
                }
                level = next;
            }
            let Some(target) = reached else {
                continue;
            };
            let mut chain = vec![target];
            let mut at = target;
            while let Some(up) = parent[at.index()].filter(|_| at != source) {
                chain.push(up);
                at = up;
            }
            chain.reverse();
            out.extend(self.chain_violation(contract, &chain, kinds, rule));
        }
        out
    }

    /// The violation for one chain, located at its first import.
    fn chain_violation(
        &self,
        contract: &str,
        chain: &[ModuleId],
        kinds: KindSet,
        rule: &ForbiddenImport,
    ) -> Option<Violation> {
        let analysis = self.analysis;
        let (&source, &target) = (chain.first()?, chain.last()?);
        let offset_of = |pair: &[ModuleId]| {
            analysis
                .graph
                .occurrences(pair[0], pair[1])
                .and_then(|occ| occ.iter().find(|o| kinds.admits_occurrence(o)))
        };
        // Each module's import of the next (none for the last).
        let occurrences: Vec<_> = (0..chain.len())
            .map(|i| chain.get(i..i + 2).and_then(&offset_of))
            .collect();
        let mut hops: Vec<ChainHop> = Vec::new();
        let mut described = Vec::new();
        for (&module, &occurrence) in chain.iter().zip(&occurrences) {
            let line = occurrence
                .and_then(|o| o.offset)
                .map(|offset| analysis.line(module, offset));
            if let Some(o) = occurrence {
                described.push(o.kind.as_str());
            }
            hops.push(ChainHop {
                module: analysis.name(module).to_string(),
                path: analysis.path(module).map(str::to_string),
                line,
            });
        }
        let first = occurrences
            .first()
            .copied()
            .flatten()
            .and_then(|o| o.offset);
        let names: Vec<&str> = chain.iter().map(|&m| analysis.name(m)).collect();
        let to_name = analysis.name(target);
        // A named contract leads its messages; a direct import reads as it
        // always did.
        let named = rule
            .name
            .as_deref()
            .map(|n| format!("[{n}] "))
            .unwrap_or_default();
        let what = match chain.len() {
            2 => format!("imports {to_name} ({} import)", described.join(", ")),
            n => format!(
                "reaches {to_name} through {} module(s): {} ({} imports)",
                n - 2,
                names.join(" -> "),
                described.join(", ")
            ),
        };
        let mut violation = self.violation(
            Rule::Forbidden,
            source,
            first,
            format!("{contract}:{to_name}"),
            format!(
                "{named}{what}, forbidden from {} to {}{}",
                rule.from,
                rule.to,
                reason_suffix(rule)
            ),
        )?;
        violation.chain = Some(ChainViolation {
            contract: contract.to_string(),
            from: analysis.name(source).to_string(),
            to: to_name.to_string(),
            chain: hops,
        });
        Some(violation)
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

/// `: reason` when the contract gives one.
fn reason_suffix(rule: &ForbiddenImport) -> String {
    rule.reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default()
}
