//! Symbols: what a module-level name really is, following imports, aliases
//! and re-exports back to where the object is defined.
//!
//! Reads extracted bindings and the module table; never parses and never
//! touches the filesystem. Resolution follows Python's rules statically:
//! `from m import X` is m's binding of X (or m's submodule X); `Y = X` is X;
//! `Name = m.Attr` is m's Attr; star imports go through `__all__` when it is a
//! literal, otherwise through public names. A name bound differently in
//! different branches (a try/except fallback) has several origins. Cycles
//! end in an unresolved origin instead of looping.

pub mod broken;
pub mod duplicates;
pub mod index;
pub mod roles;

use rustc_hash::FxHashSet;

use crate::analysis::Analysis;
use crate::extract::{Binding, BindingKind, BindingValue, FileFacts, ImportForm};
use crate::resolve::{ModuleId, Target, UnresolvedReason};

/// Where a name's object comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Defined by binding number `binding` of `module` (a class, a function or
    /// a value computed there).
    Defined {
        /// The defining module.
        module: ModuleId,
        /// Index into that module's `FileFacts::bindings`.
        binding: u32,
    },
    /// The name is a first-party module.
    Module(ModuleId),
    /// The chain leaves the first-party code: the dotted external path.
    External(String),
    /// The chain breaks.
    Unresolved(Missing),
}

/// Why a chain of bindings breaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Missing {
    /// `module` neither binds `name` nor has such a submodule.
    NotDefined {
        /// The module looked in.
        module: ModuleId,
        /// The name looked for.
        name: String,
    },
    /// `module` defines `__getattr__`, so the name may exist at run time.
    ModuleGetattr {
        /// The module with `__getattr__`.
        module: ModuleId,
    },
    /// The aliases or re-exports loop back on themselves.
    Cycle,
    /// The import that binds the name does not resolve.
    Import(UnresolvedReason),
}

impl Missing {
    /// A one-line explanation naming modules.
    pub fn describe(&self, analysis: &Analysis) -> String {
        match self {
            Missing::NotDefined { module, name } => format!(
                "{} neither defines nor re-exports {name} and has no submodule of that name",
                analysis.name(*module)
            ),
            Missing::ModuleGetattr { module } => format!(
                "{} defines __getattr__: the name is computed at run time",
                analysis.name(*module)
            ),
            Missing::Cycle => "the aliases and re-exports form a cycle".to_string(),
            Missing::Import(reason) => format!("the import does not resolve: {reason}"),
        }
    }
}

/// How to treat an attribute path that continues past a non-module object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PastObject {
    /// `Y = SomeClass.attr` defines a new value: the binding is its own origin.
    BindingIsOrigin,
    /// `m.SomeClass.method()` uses `SomeClass`.
    ObjectIsOrigin,
}

/// Traces names back to their origins over a finished analysis: the one
/// service every symbol command asks "what is this name, really?".
pub struct Origins<'a> {
    analysis: &'a Analysis,
}

type Visited = FxHashSet<(ModuleId, String)>;

impl<'a> Origins<'a> {
    /// A origins over `analysis`.
    pub fn new(analysis: &'a Analysis) -> Self {
        Origins { analysis }
    }

    /// The analysis resolved over.
    pub fn analysis(&self) -> &'a Analysis {
        self.analysis
    }

    fn facts(&self, module: ModuleId) -> Option<&'a FileFacts> {
        self.analysis.facts.get(module.index())?.as_ref()
    }

    /// The binding an origin was defined by, when it is [`Origin::Defined`].
    pub fn binding(&self, origin: &Origin) -> Option<&'a Binding> {
        match origin {
            Origin::Defined { module, binding } => {
                self.facts(*module)?.bindings.get(*binding as usize)
            }
            _ => None,
        }
    }

    /// Every origin of `name` as seen from `module`, sorted and deduplicated.
    pub fn of(&self, module: ModuleId, name: &str) -> Vec<Origin> {
        let mut visited = Visited::default();
        finish(self.resolve_name(module, name, &mut visited))
    }

    /// Origins of binding number `index` of `module`.
    pub fn of_binding(&self, module: ModuleId, index: usize) -> Vec<Origin> {
        let mut visited = Visited::default();
        finish(self.resolve_binding(module, index, &mut visited))
    }

    /// Origins reached by `attrs` from the first-party module `module`
    /// (`m.a.b` with `m` bound to `module`), treating an object met before the
    /// end as the thing used.
    pub fn of_attribute(&self, module: ModuleId, attrs: &[String]) -> Vec<Origin> {
        let mut visited = Visited::default();
        finish(self.follow(
            vec![Origin::Module(module)],
            attrs,
            PastObject::ObjectIsOrigin,
            None,
            &mut visited,
        ))
    }

    /// Indexes of the bindings of `name` in `facts` that can be the value at
    /// the end of the module: the last unconditional binding and every
    /// conditional one after it (or every binding when all are conditional).
    pub fn visible_bindings(facts: &FileFacts, name: &str) -> Vec<usize> {
        let all: Vec<usize> = facts
            .bindings
            .iter()
            .enumerate()
            .filter(|(_, b)| b.name == name)
            .map(|(i, _)| i)
            .collect();
        match all
            .iter()
            .rposition(|&i| facts.bindings[i].branch.is_none())
        {
            Some(pos) => all[pos..].to_vec(),
            None => all,
        }
    }

    /// The submodule `module.name`, if it exists.
    pub fn submodule(&self, module: ModuleId, name: &str) -> Option<ModuleId> {
        let full = format!("{}.{name}", self.analysis.name(module));
        match self.analysis.modules.lookup(&full) {
            Target::Internal(id) => Some(id),
            Target::External | Target::Missing => None,
        }
    }

    fn resolve_name(&self, module: ModuleId, name: &str, visited: &mut Visited) -> Vec<Origin> {
        if !visited.insert((module, name.to_string())) {
            return vec![Origin::Unresolved(Missing::Cycle)];
        }
        let Some(facts) = self.facts(module) else {
            // A namespace package binds nothing; only submodules exist.
            return vec![self.submodule_or_missing(module, name)];
        };
        let visible = Self::visible_bindings(facts, name);
        if !visible.is_empty() {
            return visible
                .into_iter()
                .flat_map(|i| self.resolve_binding(module, i, visited))
                .collect();
        }
        if let Some(sub) = self.submodule(module, name) {
            return vec![Origin::Module(sub)];
        }
        let mut from_stars = Vec::new();
        for &star in &facts.star_imports {
            let Some(ImportForm::From {
                level, module: m, ..
            }) = facts.imports.get(star).map(|i| &i.form)
            else {
                continue;
            };
            let Ok(base) = self.analysis.modules.from_base(module, *level, m) else {
                continue;
            };
            match self.analysis.modules.lookup(&base) {
                Target::Internal(source) => {
                    if self.star_exports(source, name) {
                        from_stars.extend(self.resolve_name(source, name, visited));
                    }
                }
                Target::External => from_stars.push(Origin::External(format!("{base}.{name}"))),
                Target::Missing => {}
            }
        }
        if !from_stars.is_empty() {
            return from_stars;
        }
        // A closed `__getattr__` answers only the names it compares with.
        if facts.has_getattr
            && facts
                .getattr_names
                .as_ref()
                .is_none_or(|names| names.iter().any(|n| n == name))
        {
            return vec![Origin::Unresolved(Missing::ModuleGetattr { module })];
        }
        vec![Origin::Unresolved(Missing::NotDefined {
            module,
            name: name.to_string(),
        })]
    }

    /// Whether `from source import *` brings `name`.
    fn star_exports(&self, source: ModuleId, name: &str) -> bool {
        match self.facts(source) {
            Some(facts) => match &facts.dunder_all {
                Some(all) => all.iter().any(|n| n == name),
                None => {
                    !name.starts_with('_')
                        && (facts.bindings.iter().any(|b| b.name == name)
                            || !facts.star_imports.is_empty())
                }
            },
            None => false,
        }
    }

    fn submodule_or_missing(&self, module: ModuleId, name: &str) -> Origin {
        match self.submodule(module, name) {
            Some(sub) => Origin::Module(sub),
            None => Origin::Unresolved(Missing::NotDefined {
                module,
                name: name.to_string(),
            }),
        }
    }

    fn resolve_binding(
        &self,
        module: ModuleId,
        index: usize,
        visited: &mut Visited,
    ) -> Vec<Origin> {
        let Some(facts) = self.facts(module) else {
            return Vec::new();
        };
        let Some(binding) = facts.bindings.get(index) else {
            return Vec::new();
        };
        let itself = Origin::Defined {
            module,
            binding: index as u32,
        };
        match &binding.value {
            BindingValue::Definition => vec![itself],
            BindingValue::Alias(source) => {
                let origins = self.resolve_name(module, source, visited);
                // A name this module never binds comes from builtins: the
                // alias then defines a value of its own.
                if origins.iter().all(|o| {
                    matches!(o, Origin::Unresolved(Missing::NotDefined { module: m, .. }) if *m == module)
                }) {
                    vec![itself]
                } else {
                    origins
                }
            }
            BindingValue::Attribute { base, attrs } => {
                let start = self.resolve_name(module, base, visited);
                if start.iter().all(|o| {
                    matches!(o, Origin::Unresolved(Missing::NotDefined { module: m, .. }) if *m == module)
                }) {
                    return vec![itself];
                }
                self.follow(
                    start,
                    attrs,
                    PastObject::BindingIsOrigin,
                    Some(itself),
                    visited,
                )
            }
            BindingValue::Import { import, name } => {
                let Some(import) = facts.imports.get(*import) else {
                    return Vec::new();
                };
                self.import_binding(module, &import.form, name.as_deref(), visited)
            }
        }
    }

    /// What the name bound by an import refers to.
    fn import_binding(
        &self,
        module: ModuleId,
        form: &ImportForm,
        name: Option<&str>,
        visited: &mut Visited,
    ) -> Vec<Origin> {
        let table = &self.analysis.modules;
        match (form, name) {
            (
                ImportForm::Import {
                    module: imported,
                    asname,
                },
                _,
            ) => {
                // `import a.b.c` binds `a`; `import a.b.c as x` binds `a.b.c`.
                let bound = match asname {
                    Some(_) => imported.as_str(),
                    None => imported.split('.').next().unwrap_or(imported),
                };
                vec![module_origin(table.lookup(bound), bound)]
            }
            (
                ImportForm::From {
                    level,
                    module: from,
                    ..
                },
                Some(name),
            ) => {
                let base = match table.from_base(module, *level, from) {
                    Ok(base) => base,
                    Err(reason) => return vec![Origin::Unresolved(Missing::Import(reason))],
                };
                if let Target::Internal(sub) = table.lookup(&format!("{base}.{name}")) {
                    return vec![Origin::Module(sub)];
                }
                match table.lookup(&base) {
                    Target::Internal(source) => self.resolve_name(source, name, visited),
                    Target::External => vec![Origin::External(format!("{base}.{name}"))],
                    Target::Missing => vec![module_origin(Target::Missing, &base)],
                }
            }
            (ImportForm::From { .. } | ImportForm::Dynamic(_), _) => Vec::new(),
        }
    }

    /// Follows `attrs` from each of `origins`.
    fn follow(
        &self,
        origins: Vec<Origin>,
        attrs: &[String],
        past_object: PastObject,
        itself: Option<Origin>,
        visited: &mut Visited,
    ) -> Vec<Origin> {
        let Some((first, rest)) = attrs.split_first() else {
            return origins;
        };
        let mut out = Vec::new();
        for origin in origins {
            match origin {
                Origin::Module(id) => {
                    let binds = self
                        .facts(id)
                        .is_some_and(|f| f.bindings.iter().any(|b| &b.name == first));
                    let next = match (binds, self.submodule(id, first)) {
                        (false, Some(sub)) => vec![Origin::Module(sub)],
                        _ => self.resolve_name(id, first, visited),
                    };
                    out.extend(self.follow(next, rest, past_object, itself.clone(), visited));
                }
                Origin::External(path) => {
                    out.push(Origin::External(format!("{path}.{}", attrs.join("."))))
                }
                Origin::Defined { .. } => match (past_object, &itself) {
                    (PastObject::BindingIsOrigin, Some(own)) => out.push(own.clone()),
                    _ => out.push(origin),
                },
                Origin::Unresolved(_) => out.push(origin),
            }
        }
        out
    }
}

/// A resolved symbol target.
#[derive(Debug, Clone)]
pub struct SymbolTarget {
    /// The name.
    pub name: String,
    /// The module the name was pinned to (`module:Name`), if any.
    pub pinned: Option<ModuleId>,
    /// Its origins, sorted.
    pub origins: Vec<Origin>,
}

impl SymbolTarget {
    /// A label for chains and headers: `module:Name` or `Name`.
    pub fn label(&self, analysis: &Analysis) -> String {
        match self.pinned {
            Some(module) => format!("{}:{}", analysis.name(module), self.name),
            None => self.name.clone(),
        }
    }
}

/// Resolves `spec`: `Name` (every binding of that name in any module),
/// `module:Name` or `module.Name` (one module's binding).
pub fn find_symbol(origins: &Origins<'_>, spec: &str) -> crate::Result<SymbolTarget> {
    let analysis = origins.analysis();
    let table = &analysis.modules;
    let pinned = match spec.split_once(':') {
        Some((module, name)) => {
            let id = crate::queries::target::find_module(table, &analysis.root, module)?;
            Some((id, name))
        }
        None => spec
            .rsplit_once('.')
            .and_then(|(module, name)| table.by_name(module).map(|id| (id, name))),
    };
    if let Some((module, name)) = pinned {
        let found = origins.of(module, name);
        let missing = found.iter().all(|o| {
            matches!(o, Origin::Unresolved(Missing::NotDefined { module: m, .. }) if *m == module)
        });
        if missing {
            let names = analysis.facts[module.index()]
                .as_ref()
                .map(|f| {
                    f.bindings
                        .iter()
                        .map(|b| b.name.as_str())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            return Err(crate::Error::UnknownSymbol {
                module: analysis.name(module).to_string(),
                name: name.to_string(),
                suggestions: close_names(name, names),
            });
        }
        return Ok(SymbolTarget {
            name: name.to_string(),
            pinned: Some(module),
            origins: found,
        });
    }
    let mut found = Vec::new();
    for (id, _) in table.iter() {
        let Some(facts) = analysis.facts.get(id.index()).and_then(|f| f.as_ref()) else {
            continue;
        };
        for index in Origins::visible_bindings(facts, spec) {
            found.extend(origins.of_binding(id, index));
        }
    }
    if found.is_empty() {
        let names = analysis
            .facts
            .iter()
            .flatten()
            .flat_map(|f| f.bindings.iter().map(|b| b.name.as_str()))
            .collect();
        return Err(crate::Error::UnknownSymbol {
            module: "any module".to_string(),
            name: spec.to_string(),
            suggestions: close_names(spec, names),
        });
    }
    Ok(SymbolTarget {
        name: spec.to_string(),
        pinned: None,
        origins: finish(found),
    })
}

/// Up to five names close to `wanted`.
fn close_names(wanted: &str, names: Vec<&str>) -> Vec<String> {
    crate::queries::target::closest(wanted, names, |_| false)
}

/// The origin of a name bound to a whole module.
fn module_origin(target: Target, name: &str) -> Origin {
    match target {
        Target::Internal(id) => Origin::Module(id),
        Target::External => Origin::External(name.to_string()),
        Target::Missing => Origin::Unresolved(Missing::Import(UnresolvedReason::Missing {
            module: name.to_string(),
            existing: None,
        })),
    }
}

fn finish(mut origins: Vec<Origin>) -> Vec<Origin> {
    origins.sort();
    origins.dedup();
    origins
}

/// The kind label of an origin for output.
pub fn origin_kind(origins: &Origins<'_>, origin: &Origin) -> &'static str {
    match origin {
        Origin::Defined { .. } => origins
            .binding(origin)
            .map_or("variable", |b| match b.kind {
                BindingKind::Class => "class",
                BindingKind::Function => "function",
                BindingKind::Variable | BindingKind::Import => "variable",
            }),
        Origin::Module(_) => "module",
        Origin::External(_) => "external",
        Origin::Unresolved(_) => "unresolved",
    }
}
