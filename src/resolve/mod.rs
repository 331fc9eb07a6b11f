//! Resolution: which module each extracted import refers to.
//!
//! Owns the module table (every first-party module, package, namespace
//! package and script, sorted by name, with dense ids) and the Python 3 rules
//! that map an import to an internal edge, an external (standard-library or
//! third-party) module, or an unresolved first-party import with its reason
//! ([`imports`]), and the implicit edges no statement makes ([`implicit`]).
//! It works only on names and extracted facts: it never reads files and
//! never parses.

mod implicit;
mod imports;

pub use implicit::{conftest_edges, parent_edges};
pub use imports::{
    ResolveContext, functions_called_at_import, lazy_attribute_sources, loader_classes,
    resolve_imports,
};

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::discover::{Discovery, FileRole};
use crate::extract::{Handled, ImportKind};

/// Dense index of a module in the [`ModuleTable`] (and node index in the graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleId(pub u32);

impl ModuleId {
    /// The id as a vector index.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What kind of node a module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModuleKind {
    /// A `.py` (or stub-only `.pyi`) module file.
    Module,
    /// A regular package (`__init__.py`).
    Package,
    /// A PEP 420 namespace package: a directory without `__init__.py`.
    Namespace,
    /// A file that cannot be imported (its path is not a dotted identifier);
    /// named by its path.
    Script,
}

/// One node of the analysis.
#[derive(Debug, Clone)]
pub struct Module {
    /// Dotted name (the relative path for scripts).
    pub name: String,
    /// File path relative to the root, `None` for namespace packages.
    pub path: Option<String>,
    /// Node kind.
    pub kind: ModuleKind,
    /// A `.pyi` stub beside the `.py`, if any.
    pub stub: Option<String>,
}

impl Module {
    /// True for regular and namespace packages.
    pub fn is_package(&self) -> bool {
        matches!(self.kind, ModuleKind::Package | ModuleKind::Namespace)
    }
}

/// All modules, sorted by name, with a name index.
#[derive(Debug, Default)]
pub struct ModuleTable {
    modules: Vec<Module>,
    by_name: FxHashMap<String, ModuleId>,
    by_path: FxHashMap<String, ModuleId>,
    first_party: FxHashSet<String>,
}

impl ModuleTable {
    /// Builds the table from discovery; ids follow name order.
    pub fn new(discovery: &Discovery) -> Self {
        let mut modules: Vec<Module> = discovery
            .files
            .iter()
            .map(|file| Module {
                name: file.module.clone(),
                path: Some(file.rel_path.clone()),
                kind: match file.role {
                    FileRole::Module => ModuleKind::Module,
                    FileRole::Package => ModuleKind::Package,
                    FileRole::Script => ModuleKind::Script,
                },
                stub: file.stub.clone(),
            })
            .chain(discovery.namespace_packages.iter().map(|name| Module {
                name: name.clone(),
                path: None,
                kind: ModuleKind::Namespace,
                stub: None,
            }))
            .collect();
        modules.sort_by(|a, b| a.name.cmp(&b.name));
        let mut table = ModuleTable::default();
        for (i, module) in modules.iter().enumerate() {
            let id = ModuleId(u32::try_from(i).unwrap_or(u32::MAX));
            table.by_name.insert(module.name.clone(), id);
            if let Some(path) = &module.path {
                table.by_path.insert(path.clone(), id);
            }
            if let Some(stub) = &module.stub {
                table.by_path.insert(stub.clone(), id);
            }
            if module.kind != ModuleKind::Script {
                let top = module.name.split('.').next().unwrap_or(&module.name);
                table.first_party.insert(top.to_string());
            }
        }
        table.modules = modules;
        table
    }

    /// All modules in id order.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// The module with id `id`.
    pub fn get(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// Number of modules.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// True when there are no modules.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// Looks a module up by dotted name.
    pub fn by_name(&self, name: &str) -> Option<ModuleId> {
        self.by_name.get(name).copied()
    }

    /// Looks a module up by its path relative to the root.
    pub fn by_path(&self, path: &str) -> Option<ModuleId> {
        self.by_path.get(path).copied()
    }

    /// Iterates over `(id, module)`.
    pub fn iter(&self) -> impl Iterator<Item = (ModuleId, &Module)> {
        self.modules
            .iter()
            .enumerate()
            .map(|(i, m)| (ModuleId(i as u32), m))
    }

    /// True when the top-level name of `module` exists under a source root.
    pub fn is_first_party(&self, module: &str) -> bool {
        let top = module.split('.').next().unwrap_or(module);
        self.first_party.contains(top)
    }

    /// The package a relative import in `id` is relative to (`None` for
    /// scripts and namespace packages; `""` for a top-level module).
    /// Where the absolute module `name` leads (scripts are never import targets).
    pub fn lookup(&self, name: &str) -> Target {
        match self.by_name(name) {
            Some(id) if self.get(id).kind != ModuleKind::Script => Target::Internal(id),
            _ if self.is_first_party(name) => Target::Missing,
            _ => Target::External,
        }
    }

    /// The absolute module that `from <level dots><module> import ...` in
    /// module `from` reads from.
    pub fn from_base(
        &self,
        from: ModuleId,
        level: u32,
        module: &str,
    ) -> Result<String, UnresolvedReason> {
        if level == 0 {
            return Ok(module.to_string());
        }
        let package = match self.get(from).kind {
            ModuleKind::Script => return Err(UnresolvedReason::RelativeInScript),
            _ => self.anchor_package(from).unwrap_or(""),
        };
        relative_base(package, level, module)
    }

    /// The package relative imports in `id` start from (`None` for a
    /// namespace package or a script).
    pub(crate) fn anchor_package(&self, id: ModuleId) -> Option<&str> {
        let module = self.get(id);
        match module.kind {
            ModuleKind::Package => Some(&module.name),
            ModuleKind::Module => Some(module.name.rsplit_once('.').map_or("", |(p, _)| p)),
            ModuleKind::Namespace | ModuleKind::Script => None,
        }
    }
}

/// One import occurrence that reaches a first-party module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeOccurrence {
    /// The importing module.
    pub from: ModuleId,
    /// The imported module.
    pub to: ModuleId,
    /// Byte offset of the statement in the importer; `None` for an implicit
    /// edge (`parent`, `conftest`).
    pub offset: Option<u32>,
    /// When it runs.
    pub kind: ImportKind,
    /// A `lazy` or `dynamic` import that runs at import time.
    pub at_import: bool,
    /// One of the modules a computed name with a literal prefix may be.
    pub pattern: bool,
    /// Inside a `try` that catches ImportError.
    pub guarded: bool,
    /// Names taken from `to` (`from to import a, b`); empty for `import to`
    /// and for submodule imports (`from pkg import to`).
    pub names: Vec<String>,
}

/// An import of a module outside the source roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalImport {
    /// The importing module.
    pub from: ModuleId,
    /// The dotted module imported.
    pub module: String,
    /// Byte offset in the importer.
    pub offset: u32,
    /// When it runs.
    pub kind: ImportKind,
    /// Inside a `try` that catches ImportError.
    pub guarded: bool,
    /// Part of the standard library.
    pub stdlib: bool,
}

/// Why a first-party-looking import does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnresolvedReason {
    /// The absolute module does not exist; `existing` is its longest existing ancestor.
    Missing {
        /// The module that was looked for.
        module: String,
        /// The longest prefix that does exist.
        existing: Option<String>,
    },
    /// A relative import climbs above the top-level package.
    BeyondTopLevel,
    /// A relative import in a top-level module, which has no parent package.
    NoParentPackage,
    /// A relative import in a file that cannot be imported itself.
    RelativeInScript,
    /// A relative dynamic import without a package: it raises TypeError.
    DynamicWithoutPackage,
    /// A relative dynamic import whose package is computed at run time
    /// (`import_module(".management", app_config.name)`). Never broken.
    ComputedPackage,
    /// No file holds `module`, but `creator`, a package on its way, edits
    /// `sys.modules`, `sys.meta_path`, `sys.path_hooks` or `__path__`: the
    /// module may be created when it runs (`six.moves`). Never broken.
    RuntimeCreated {
        /// The module imported.
        module: String,
        /// The existing package that may create it.
        creator: String,
    },
    /// A name computed at run time; `prefix` is its literal start when it
    /// has one (and no first-party module starts with it). Never broken.
    Computed {
        /// The literal start of the name.
        prefix: Option<String>,
    },
}

impl UnresolvedReason {
    /// True when the import may well work: the name only exists, or is
    /// only known, at run time. `broken` leaves these out.
    pub fn may_work(&self) -> bool {
        match self {
            UnresolvedReason::RuntimeCreated { .. }
            | UnresolvedReason::Computed { .. }
            | UnresolvedReason::ComputedPackage => true,
            UnresolvedReason::Missing { .. }
            | UnresolvedReason::BeyondTopLevel
            | UnresolvedReason::NoParentPackage
            | UnresolvedReason::RelativeInScript
            | UnresolvedReason::DynamicWithoutPackage => false,
        }
    }
}

impl fmt::Display for UnresolvedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnresolvedReason::Missing { module, existing } => match existing {
                Some(existing) => {
                    let rest = module
                        .strip_prefix(existing.as_str())
                        .map(|r| r.trim_start_matches('.'))
                        .unwrap_or(module);
                    write!(
                        f,
                        "no module {module}: {existing} exists but has no submodule {rest}"
                    )
                }
                None => write!(f, "no module {module} under the source roots"),
            },
            UnresolvedReason::BeyondTopLevel => {
                write!(f, "relative import goes above the top-level package")
            }
            UnresolvedReason::NoParentPackage => write!(
                f,
                "relative import in a top-level module, which has no parent package"
            ),
            UnresolvedReason::RelativeInScript => write!(
                f,
                "relative import in a file that is not importable (its path is not a dotted name)"
            ),
            UnresolvedReason::DynamicWithoutPackage => {
                write!(
                    f,
                    "relative dynamic import without a package argument (raises TypeError)"
                )
            }
            UnresolvedReason::ComputedPackage => {
                write!(
                    f,
                    "relative dynamic import whose package is computed (known only at run time)"
                )
            }
            UnresolvedReason::RuntimeCreated { module, creator } => write!(
                f,
                "created at run time by {creator}: no file holds {module}, and {creator} edits sys.modules, sys.meta_path, sys.path_hooks or __path__"
            ),
            UnresolvedReason::Computed { prefix: None } => {
                write!(
                    f,
                    "computed at run time: the name is known only when it runs"
                )
            }
            UnresolvedReason::Computed {
                prefix: Some(prefix),
            } => write!(
                f,
                "computed at run time: no first-party module starts with {prefix}"
            ),
        }
    }
}

/// A first-party import that leads nowhere: an ImportError waiting to happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnresolvedImport {
    /// The importing module.
    pub from: ModuleId,
    /// The import as written (`from ..gone import X`).
    pub import: String,
    /// Byte offset in the importer.
    pub offset: u32,
    /// When it runs.
    pub kind: ImportKind,
    /// Inside a `try` that catches ImportError.
    pub guarded: bool,
    /// How the code handles it failing, if it does.
    pub handled: Option<Handled>,
    /// Why it does not resolve.
    pub reason: UnresolvedReason,
}

/// Everything one file's imports resolve to.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Edges to first-party modules.
    pub edges: Vec<EdgeOccurrence>,
    /// Imports of external modules.
    pub external: Vec<ExternalImport>,
    /// First-party imports that do not resolve.
    pub unresolved: Vec<UnresolvedImport>,
}

/// Where an absolute module name leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A first-party module, package or namespace package.
    Internal(ModuleId),
    /// Outside the source roots.
    External,
    /// First-party by its top-level name, but it does not exist.
    Missing,
}

/// Applies `level` leading dots to `package` and appends `rest`, as
/// `importlib._bootstrap._resolve_name` does.
pub(crate) fn relative_base(
    package: &str,
    level: u32,
    rest: &str,
) -> Result<String, UnresolvedReason> {
    if package.is_empty() {
        return Err(UnresolvedReason::NoParentPackage);
    }
    let mut base = package;
    for _ in 1..level {
        match base.rsplit_once('.') {
            Some((parent, _)) => base = parent,
            None => return Err(UnresolvedReason::BeyondTopLevel),
        }
    }
    Ok(if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}.{rest}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_bases() {
        let cases: &[(&str, u32, &str, Result<&str, UnresolvedReason>)] = &[
            ("a.b", 1, "c", Ok("a.b.c")),
            ("a.b", 2, "c", Ok("a.c")),
            ("a.b", 2, "", Ok("a")),
            ("a.b", 3, "c", Err(UnresolvedReason::BeyondTopLevel)),
            ("", 1, "c", Err(UnresolvedReason::NoParentPackage)),
        ];
        for (package, level, rest, expected) in cases {
            let got = relative_base(package, *level, rest);
            assert_eq!(
                got,
                expected.clone().map(String::from),
                "{package} {level} {rest}"
            );
        }
    }
}
