//! The symbol index: every use of every origin, every re-export, and every
//! `from m import X` that names something m does not have.
//!
//! Built once per run, in parallel per importing file, from extracted facts
//! and the [`Origins`]; results are sorted so output is deterministic.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::extract::{BindingValue, FileFacts, Handled, ImportForm, ImportKind};
use crate::resolve::{ModuleId, Target};
use crate::symbols::{Missing, Origin, Origins};

/// How a file reaches a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UseHow {
    /// `from m import X`.
    FromImport,
    /// `import m [as alias]` then `alias.X`.
    Attribute,
    /// A string literal naming it (`mock.patch("m.X")`).
    String,
}

impl UseHow {
    /// The kebab-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            UseHow::FromImport => "from-import",
            UseHow::Attribute => "attribute",
            UseHow::String => "string",
        }
    }
}

/// One use of an origin by a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Use {
    /// The using module (or script).
    pub user: ModuleId,
    /// Byte offset of the import, attribute or string in the user.
    pub offset: u32,
    /// How it is reached.
    pub how: UseHow,
    /// The module the user names (the shim, alias or canonical module).
    pub through: ModuleId,
    /// The name read from `through`.
    pub name: String,
    /// The origin reached.
    pub origin: Origin,
    /// Kind of the import involved (`module` for strings).
    pub kind: ImportKind,
}

/// A module-level binding that re-exports or aliases an origin defined elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reexport {
    /// The module holding the binding.
    pub module: ModuleId,
    /// Index of the binding in that module's facts.
    pub binding: u32,
    /// The origin it leads to.
    pub origin: Origin,
}

/// `from m import X` where first-party `m` has no `X`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BrokenImport {
    /// The importing module.
    pub user: ModuleId,
    /// Byte offset of the import.
    pub offset: u32,
    /// The module imported from.
    pub module: ModuleId,
    /// The missing name.
    pub name: String,
    /// The import in its source form.
    pub import: String,
    /// Why it fails.
    pub reason: String,
    /// How the code handles the import failing, if it does.
    pub handled: Option<Handled>,
}

/// Everything the symbol commands need, computed once.
#[derive(Debug, Default)]
pub struct SymbolIndex {
    /// All uses, sorted by origin, then user and offset.
    pub uses: Vec<Use>,
    /// All re-exports, sorted by origin, then module.
    pub reexports: Vec<Reexport>,
    /// Broken symbol imports, sorted by user and offset.
    pub broken: Vec<BrokenImport>,
}

impl SymbolIndex {
    /// Builds the index over every file of the analysis.
    pub fn build(origins: &Origins<'_>) -> Self {
        let analysis = origins.analysis();
        let per_file: Vec<(Vec<Use>, Vec<Reexport>, Vec<BrokenImport>)> = analysis
            .modules
            .iter()
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
            .into_par_iter()
            .filter_map(|id| {
                let facts = analysis.facts.get(id.index())?.as_ref()?;
                Some(FileScan { origins, id, facts }.run())
            })
            .collect();
        let mut index = SymbolIndex::default();
        for (uses, reexports, broken) in per_file {
            index.uses.extend(uses);
            index.reexports.extend(reexports);
            index.broken.extend(broken);
        }
        index.uses.sort_by(|a, b| {
            (&a.origin, a.user, a.offset, a.how).cmp(&(&b.origin, b.user, b.offset, b.how))
        });
        index.uses.dedup();
        index.reexports.sort_by(|a, b| {
            (&a.origin, a.module, a.binding).cmp(&(&b.origin, b.module, b.binding))
        });
        index.broken.sort();
        index
    }

    /// Uses of `origin`.
    pub fn uses_of(&self, origin: &Origin) -> &[Use] {
        slice_by(&self.uses, |u| &u.origin, origin)
    }

    /// Re-exports of `origin`.
    pub fn reexports_of(&self, origin: &Origin) -> &[Reexport] {
        slice_by(&self.reexports, |r| &r.origin, origin)
    }

    /// Number of distinct files that use `origin`.
    pub fn user_count(&self, origin: &Origin) -> usize {
        let mut users: Vec<ModuleId> = self.uses_of(origin).iter().map(|u| u.user).collect();
        users.dedup();
        users.len()
    }
}

/// The run of `items` (sorted by `key`) whose key equals `wanted`.
fn slice_by<'a, T>(items: &'a [T], key: impl Fn(&T) -> &Origin, wanted: &Origin) -> &'a [T] {
    let start = items.partition_point(|item| key(item) < wanted);
    let end = items.partition_point(|item| key(item) <= wanted);
    &items[start..end]
}

/// Scans one file for uses, re-exports and broken imports.
struct FileScan<'r, 'a> {
    origins: &'r Origins<'a>,
    id: ModuleId,
    facts: &'a FileFacts,
}

impl FileScan<'_, '_> {
    fn run(self) -> (Vec<Use>, Vec<Reexport>, Vec<BrokenImport>) {
        let mut uses = Vec::new();
        let mut broken = Vec::new();
        self.named_imports(&mut uses, &mut broken);
        self.attributes(&mut uses);
        self.strings(&mut uses);
        (uses, self.reexports(), broken)
    }

    /// True when `module` puts a loader object in its own place
    /// (`sys.modules[__name__] = newmod`, pygments.lexers) and a module
    /// below it defines `name`: the loader may import it from there.
    fn loader_supplies(&self, module: ModuleId, name: &str) -> bool {
        let analysis = self.origins.analysis();
        let facts_of = |id: ModuleId| analysis.facts.get(id.index()).and_then(|f| f.as_ref());
        if !facts_of(module).is_some_and(|f| f.calls.replaces_itself) {
            return false;
        }
        let prefix = format!("{}.", analysis.name(module));
        analysis.modules.iter().any(|(id, m)| {
            m.name.starts_with(&prefix)
                && facts_of(id).is_some_and(|f| f.calls.defines.iter().any(|d| d == name))
        })
    }

    /// True when every binding of `name` in `module` is a `from` import
    /// of the module itself (`from . import gone` in a package's
    /// `__init__`): the package then has the name only as a submodule.
    fn binds_only_from_itself(&self, module: ModuleId, name: &str) -> bool {
        let analysis = self.origins.analysis();
        let Some(facts) = analysis.facts.get(module.index()).and_then(|f| f.as_ref()) else {
            return false;
        };
        let mut bindings = facts.bindings.iter().filter(|b| b.name == name).peekable();
        bindings.peek().is_some()
            && bindings.all(|b| match &b.value {
                BindingValue::Import { import, name: _ } => {
                    facts.imports.get(*import).is_some_and(|i| match &i.form {
                        ImportForm::From {
                            level, module: m, ..
                        } => self
                            .table()
                            .from_base(module, *level, m)
                            .is_ok_and(|base| base == analysis.name(module)),
                        ImportForm::Import { .. } | ImportForm::Dynamic(_) => false,
                    })
                }
                BindingValue::Definition
                | BindingValue::Alias(_)
                | BindingValue::Attribute { .. } => false,
            })
    }

    /// Why `from source import name` fails, given the name's origins:
    /// nothing binds it (and no loader may supply it); or the package
    /// imports it from itself (`from . import gone` in its `__init__`,
    /// with no submodule `gone`); or every binding of it comes from an
    /// import that fails.
    fn failure(&self, source: ModuleId, name: &str, origins: &[Origin]) -> Option<String> {
        let analysis = self.origins.analysis();
        let not_defined = || {
            Missing::NotDefined {
                module: source,
                name: name.to_string(),
            }
            .describe(analysis)
        };
        let mut failing = Vec::new();
        for origin in origins {
            match origin {
                Origin::Unresolved(Missing::NotDefined { module, .. }) if *module == source => {
                    return (!self.loader_supplies(source, name)).then(not_defined);
                }
                Origin::Unresolved(Missing::Cycle)
                    if source == self.id || self.binds_only_from_itself(source, name) => {}
                Origin::Unresolved(Missing::Import(reason)) if !reason.may_work() => {
                    failing.push(reason);
                }
                _ => return None,
            }
        }
        match failing.first() {
            None if !origins.is_empty() => Some(not_defined()),
            None => None,
            Some(reason) => Some(format!(
                "{} binds {name} only through an import that fails ({reason})",
                analysis.name(source)
            )),
        }
    }

    fn table(&self) -> &crate::resolve::ModuleTable {
        &self.origins.analysis().modules
    }

    /// `from m import X` at any depth.
    fn named_imports(&self, uses: &mut Vec<Use>, broken: &mut Vec<BrokenImport>) {
        for import in &self.facts.imports {
            let ImportForm::From {
                level,
                module,
                names,
            } = &import.form
            else {
                continue;
            };
            let Ok(base) = self.table().from_base(self.id, *level, module) else {
                continue;
            };
            let Target::Internal(source) = self.table().lookup(&base) else {
                continue;
            };
            for name in names {
                if name.name == "*" || self.origins.submodule(source, &name.name).is_some() {
                    continue;
                }
                let origins = self.origins.of(source, &name.name);
                if let Some(reason) = self.failure(source, &name.name, &origins) {
                    broken.push(BrokenImport {
                        user: self.id,
                        offset: import.offset,
                        module: source,
                        name: name.name.clone(),
                        import: import.form.to_string(),
                        reason,
                        handled: import.handled(),
                    });
                }
                for origin in origins {
                    uses.push(Use {
                        user: self.id,
                        offset: import.offset,
                        how: UseHow::FromImport,
                        through: source,
                        name: name.name.clone(),
                        origin,
                        kind: import.kind,
                    });
                }
            }
        }
    }

    /// Module bound to each import-bound local name, for attribute chains.
    fn module_aliases(&self) -> FxHashMap<&str, (ModuleId, ImportKind)> {
        let mut aliases = FxHashMap::default();
        for import in &self.facts.imports {
            match &import.form {
                ImportForm::Import { module, asname } => {
                    let (bound, target) = match asname {
                        Some(alias) => (alias.as_str(), module.as_str()),
                        None => {
                            let top = module.split('.').next().unwrap_or(module);
                            (top, top)
                        }
                    };
                    if let Target::Internal(id) = self.table().lookup(target) {
                        aliases.insert(bound, (id, import.kind));
                    }
                }
                ImportForm::From {
                    level,
                    module,
                    names,
                } => {
                    let Ok(base) = self.table().from_base(self.id, *level, module) else {
                        continue;
                    };
                    for name in names {
                        let full = format!("{base}.{}", name.name);
                        if let Target::Internal(id) = self.table().lookup(&full) {
                            let bound = name.asname.as_deref().unwrap_or(&name.name);
                            aliases.insert(bound, (id, import.kind));
                        }
                    }
                }
                ImportForm::Dynamic(_) => {}
            }
        }
        aliases
    }

    /// `alias.X` where `alias` is bound to a first-party module.
    fn attributes(&self, uses: &mut Vec<Use>) {
        if self.facts.attribute_uses.is_empty() {
            return;
        }
        let aliases = self.module_aliases();
        for attribute in &self.facts.attribute_uses {
            let Some(&(module, kind)) = aliases.get(attribute.root.as_str()) else {
                continue;
            };
            // Walk down submodules to find the module the last name is read from.
            let (through, name) = self.read_from(module, &attribute.attrs);
            for origin in self.origins.of_attribute(module, &attribute.attrs) {
                if matches!(origin, Origin::Module(_)) {
                    continue;
                }
                uses.push(Use {
                    user: self.id,
                    offset: attribute.offset,
                    how: UseHow::Attribute,
                    through,
                    name: name.clone(),
                    origin,
                    kind,
                });
            }
        }
    }

    /// String literals naming a first-party symbol (`"pkg.mod.Name"`, `"pkg.mod:Name"`).
    fn strings(&self, uses: &mut Vec<Use>) {
        for string in &self.facts.string_refs {
            let Some((module, rest)) = split_python_path(self.table(), &string.value) else {
                continue;
            };
            if rest.is_empty() {
                continue;
            }
            let (through, name) = self.read_from(module, &rest);
            for origin in self.origins.of_attribute(module, &rest) {
                if matches!(origin, Origin::Module(_) | Origin::Unresolved(_)) {
                    continue;
                }
                uses.push(Use {
                    user: self.id,
                    offset: string.offset,
                    how: UseHow::String,
                    through,
                    name: name.clone(),
                    origin,
                    kind: ImportKind::Module,
                });
            }
        }
    }

    /// The module an attribute path finally reads from (walking down
    /// submodules that the module does not shadow with a binding) and the
    /// name it reads.
    fn read_from(&self, module: ModuleId, attrs: &[String]) -> (ModuleId, String) {
        let analysis = self.origins.analysis();
        let mut through = module;
        for (i, attr) in attrs.iter().enumerate() {
            let binds = analysis.facts[through.index()]
                .as_ref()
                .is_some_and(|f| f.bindings.iter().any(|b| &b.name == attr));
            match self.origins.submodule(through, attr) {
                Some(sub) if !binds && i + 1 < attrs.len() => through = sub,
                _ => return (through, attr.clone()),
            }
        }
        (through, attrs.last().cloned().unwrap_or_default())
    }

    /// Bindings here that lead to an origin defined elsewhere.
    fn reexports(&self) -> Vec<Reexport> {
        let mut out = Vec::new();
        for (index, binding) in self.facts.bindings.iter().enumerate() {
            if matches!(binding.value, BindingValue::Definition) {
                continue;
            }
            let itself = Origin::Defined {
                module: self.id,
                binding: index as u32,
            };
            for origin in self.origins.of_binding(self.id, index) {
                if origin != itself && matches!(origin, Origin::Defined { .. }) {
                    out.push(Reexport {
                        module: self.id,
                        binding: index as u32,
                        origin,
                    });
                }
            }
        }
        out
    }
}

/// Splits `pkg.mod.Name` / `pkg.mod:Name` into the longest first-party module
/// prefix and the remaining attribute path.
pub fn split_python_path(
    table: &crate::resolve::ModuleTable,
    value: &str,
) -> Option<(ModuleId, Vec<String>)> {
    let (dotted, member) = match value.split_once(':') {
        Some((left, right)) => (left, Some(right)),
        None => (value, None),
    };
    if !table.is_first_party(dotted) {
        return None;
    }
    let parts: Vec<&str> = dotted.split('.').collect();
    for k in (1..=parts.len()).rev() {
        if let Target::Internal(id) = table.lookup(&parts[..k].join(".")) {
            let mut rest: Vec<String> = parts[k..].iter().map(|s| s.to_string()).collect();
            if let Some(member) = member {
                if k < parts.len() {
                    // `a.b:c` where a.b is not a module: not a valid path.
                    return None;
                }
                rest.extend(member.split('.').map(String::from));
            }
            return Some((id, rest));
        }
    }
    None
}
