//! One file's imports → edges, external imports and unresolved imports.
//!
//! The Python rules, one `match` over the import's form: `import a.b.c`
//! reaches `a.b.c` (its packages come through `parent` edges); `from m
//! import n` reaches the submodule `m.n` or else `m`; relative imports are
//! anchored at the importer's package; the import helpers reach what they
//! import (the module, its parents only, the longest existing prefix, the
//! fromlist's submodules, every module under a literal prefix). An import
//! of a missing submodule still runs the longest existing prefix, so it
//! gets an edge there; when a package on the way makes modules appear at
//! run time, the missing rest is "created at run time", never broken. Calls
//! of configured import functions become dynamic imports here, and imports
//! in functions other modules call at import time become `at_import`.
//! `from lazy_pkg import Name`, where the package answers names it does not
//! bind (a `__getattr__`, or replacing itself in `sys.modules`), may load
//! the submodule that defines `Name`: a runtime-tier `dynamic` edge there.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::extract::{
    DynamicAnchor, DynamicImport, DynamicTarget, FileFacts, Handled, ImportForm, ImportKind,
    ImportedName,
};
use crate::resolve::{
    EdgeOccurrence, ExternalImport, ModuleId, ModuleKind, ModuleTable, Resolved, Target,
    UnresolvedImport, UnresolvedReason, relative_base,
};
use crate::stdlib::is_stdlib;

/// What resolution knows beyond one file: which modules make others appear
/// at run time, which functions other modules call at import time, and the
/// configured import functions.
#[derive(Debug, Default)]
pub struct ResolveContext<'a> {
    /// Modules that edit `sys.modules`, `sys.meta_path`, `sys.path_hooks`
    /// or `__path__`, by id.
    pub creators: FxHashSet<ModuleId>,
    /// Per module, its functions some module calls while being imported.
    pub called_at_import: FxHashMap<ModuleId, FxHashSet<String>>,
    /// Dotted names of the configured import functions (`import-functions`).
    pub import_functions: &'a [String],
    /// Per lazy package, the names it does not define itself that modules
    /// below it define, with those modules ([`lazy_attribute_sources`]).
    pub lazy_attributes: FxHashMap<ModuleId, FxHashMap<String, Vec<ModuleId>>>,
    /// Loader classes by the module and name they are reached through
    /// (where defined, and one re-export further), with the modules their
    /// class bodies name ([`loader_classes`]).
    pub loader_classes: FxHashMap<(ModuleId, String), Vec<ModuleId>>,
}

/// The import an occurrence stands for, with what resolution needs of it.
struct Import<'f> {
    offset: u32,
    kind: ImportKind,
    guarded: bool,
    handled: Option<Handled>,
    at_import: bool,
    form: &'f ImportForm,
}

/// Resolves the imports of the module `from`, whose facts are `facts`.
pub fn resolve_imports(
    table: &ModuleTable,
    from: ModuleId,
    facts: &FileFacts,
    context: &ResolveContext<'_>,
) -> Resolved {
    let mut out = Resolved::default();
    let called = context.called_at_import.get(&from);
    for raw in &facts.imports {
        let called_elsewhere = matches!(raw.kind, ImportKind::Lazy | ImportKind::Dynamic)
            && raw
                .function
                .as_ref()
                .is_some_and(|f| called.is_some_and(|c| c.contains(f)));
        let import = Import {
            offset: raw.offset,
            kind: raw.kind,
            guarded: raw.guarded,
            handled: raw.handled(),
            at_import: raw.at_import || called_elsewhere,
            form: &raw.form,
        };
        Resolver {
            table,
            context,
            from,
            import: &import,
            out: &mut out,
        }
        .run();
    }
    // Calls of the configured import functions import what they name.
    let forms: Vec<(usize, ImportForm)> = facts
        .calls
        .helper_calls
        .iter()
        .enumerate()
        .filter(|(_, call)| {
            configured_callee(table, from, &call.callee, call.local)
                .is_some_and(|callee| context.import_functions.contains(&callee))
        })
        .map(|(i, call)| {
            let relative = call.module.starts_with('.');
            let form = ImportForm::Dynamic(Box::new(DynamicImport {
                module: call.module.clone(),
                anchor: relative.then_some(DynamicAnchor::CurrentPackage),
                target: if call.pattern {
                    DynamicTarget::Prefix
                } else {
                    DynamicTarget::Module
                },
                call: call.callee.clone(),
            }));
            (i, form)
        })
        .collect();
    for (i, form) in &forms {
        let call = &facts.calls.helper_calls[*i];
        let called_elsewhere = call
            .function
            .as_ref()
            .is_some_and(|f| called.is_some_and(|c| c.contains(f)));
        let import = Import {
            offset: call.offset,
            kind: call.kind,
            guarded: call.guarded,
            handled: call.handled(),
            at_import: call.at_import || called_elsewhere,
            form,
        };
        Resolver {
            table,
            context,
            from,
            import: &import,
            out: &mut out,
        }
        .run();
    }
    // Building a loader class at import time imports the modules its class
    // body names, and those the call names.
    for construction in &facts.calls.import_time_constructions {
        // Few classes are loaders: most calls are rejected on their name.
        let last = construction
            .callee
            .rsplit('.')
            .next()
            .unwrap_or(&construction.callee);
        if !context
            .loader_classes
            .keys()
            .any(|(_, class)| class == last)
        {
            continue;
        }
        let Some(named) = callee_in_module(table, from, &construction.callee, construction.local)
            .and_then(|key| context.loader_classes.get(&key))
        else {
            continue;
        };
        let mut targets: Vec<ModuleId> = named.clone();
        targets.extend(
            construction
                .modules
                .iter()
                .filter_map(|m| match table.lookup(m) {
                    Target::Internal(id) => Some(id),
                    Target::External | Target::Missing => None,
                }),
        );
        targets.sort();
        targets.dedup();
        for to in targets.into_iter().filter(|&to| to != from) {
            out.edges.push(EdgeOccurrence {
                from,
                to,
                offset: Some(construction.offset),
                kind: ImportKind::Dynamic,
                at_import: true,
                pattern: false,
                guarded: false,
                names: Vec::new(),
            });
        }
    }
    out
}

/// Classes that import modules by name when they are built: `__init__`, or
/// a method it calls on `self`, passes a computed name to an import helper
/// or to a first-party function that does (its module's dynamic import of
/// a computed name is inside it). Each maps to the first-party modules its class body names
/// (Django's template `Engine` and its `default_builtins`), under the
/// module that defines it and under each module that imports it by name.
pub fn loader_classes(
    table: &ModuleTable,
    facts: &[Option<FileFacts>],
) -> FxHashMap<(ModuleId, String), Vec<ModuleId>> {
    let facts_of = |id: ModuleId| facts.get(id.index()).and_then(|f| f.as_ref());
    let mut found: FxHashMap<(ModuleId, String), Vec<ModuleId>> = FxHashMap::default();
    if facts
        .iter()
        .flatten()
        .all(|f| f.calls.loader_classes.is_empty())
    {
        return found;
    }
    // Functions that import a name computed at run time: their own bodies do.
    let loaders: FxHashSet<(ModuleId, &str)> = table
        .iter()
        .filter_map(|(id, _)| facts_of(id).map(|f| (id, f)))
        .flat_map(|(id, f)| {
            f.imports.iter().filter_map(move |raw| match &raw.form {
                ImportForm::Dynamic(dynamic)
                    if matches!(
                        dynamic.target,
                        DynamicTarget::Computed | DynamicTarget::Prefix
                    ) =>
                {
                    raw.function.as_deref().map(|function| (id, function))
                }
                ImportForm::Dynamic(_) | ImportForm::Import { .. } | ImportForm::From { .. } => {
                    None
                }
            })
        })
        .collect();
    for (id, _) in table.iter() {
        let Some(f) = facts_of(id) else { continue };
        for class in &f.calls.loader_classes {
            let loads_here = |through: &Option<String>| match through {
                None => true,
                Some(callee) => callee_in_module(table, id, callee, false)
                    .is_some_and(|(m, function)| loaders.contains(&(m, function.as_str()))),
            };
            // Building the class runs `__init__` and what it calls on self.
            let mut seen: Vec<&str> = vec!["__init__"];
            let mut next = 0;
            let mut loads = false;
            while next < seen.len() && !loads {
                let name = seen[next];
                next += 1;
                let Some(method) = class.methods.iter().find(|m| m.name == name) else {
                    continue;
                };
                loads = method.loads_through.iter().any(loads_here);
                for called in &method.calls {
                    if !seen.contains(&called.as_str()) {
                        seen.push(called);
                    }
                }
            }
            if !loads {
                continue;
            }
            let mut modules: Vec<ModuleId> = class
                .modules
                .iter()
                .filter_map(|m| match table.lookup(m) {
                    Target::Internal(to) => Some(to),
                    Target::External | Target::Missing => None,
                })
                .collect();
            modules.sort();
            modules.dedup();
            found.insert((id, class.name.clone()), modules);
        }
    }
    if found.is_empty() {
        return found;
    }
    // One re-export further: `from .engine import Engine` in a package.
    let class_names: FxHashSet<&str> = found.keys().map(|(_, name)| name.as_str()).collect();
    let mut reexported = Vec::new();
    for (id, _) in table.iter() {
        let Some(f) = facts_of(id) else { continue };
        for raw in &f.imports {
            let ImportForm::From {
                level,
                module,
                names,
            } = &raw.form
            else {
                continue;
            };
            if !names.iter().any(|n| class_names.contains(n.name.as_str())) {
                continue;
            }
            let Some(source) = table
                .from_base(id, *level, module)
                .ok()
                .and_then(|base| table.by_name(&base))
            else {
                continue;
            };
            for name in names {
                if let Some(modules) = found.get(&(source, name.name.clone())) {
                    let bound = name.asname.as_deref().unwrap_or(name.name.as_str());
                    reexported.push(((id, bound.to_string()), modules.clone()));
                }
            }
        }
    }
    for (key, modules) in reexported {
        found.entry(key).or_insert(modules);
    }
    found
}

/// The dotted name of a candidate import function as `from` spells it:
/// absolute, relative (leading dots, anchored at `from`'s package) or a
/// function of `from` itself.
fn configured_callee(
    table: &ModuleTable,
    from: ModuleId,
    callee: &str,
    local: bool,
) -> Option<String> {
    if local {
        return Some(format!("{}.{callee}", table.get(from).name));
    }
    let level = callee.len() - callee.trim_start_matches('.').len();
    if level == 0 {
        return Some(callee.to_string());
    }
    table.from_base(from, level as u32, &callee[level..]).ok()
}

/// The first-party module and the name in it that a callee spelled as in
/// `from`'s imports stands for (`.library.import_library` in
/// `pkg.engine` → `pkg.library`, `import_library`).
fn callee_in_module(
    table: &ModuleTable,
    from: ModuleId,
    callee: &str,
    local: bool,
) -> Option<(ModuleId, String)> {
    let absolute = configured_callee(table, from, callee, local)?;
    let (module, name) = absolute.rsplit_once('.')?;
    match table.lookup(module) {
        Target::Internal(id) => Some((id, name.to_string())),
        Target::External | Target::Missing => None,
    }
}

/// Packages that may answer a name they do not bind by importing a
/// submodule: they define a module-level `__getattr__` (PEP 562) or edit
/// `sys.modules` (pygments' lexers replace themselves with a module whose
/// class does it). For each, every name a module below it defines (class or
/// function) that the package neither defines nor imports by name itself,
/// with the modules that define it, sorted. A module the package
/// star-imports gives no names: they are bound before any `__getattr__`.
pub fn lazy_attribute_sources(
    table: &ModuleTable,
    facts: &[Option<FileFacts>],
) -> FxHashMap<ModuleId, FxHashMap<String, Vec<ModuleId>>> {
    let facts_of = |id: ModuleId| facts.get(id.index()).and_then(|f| f.as_ref());
    // What each lazy package binds itself, and the modules it star-imports,
    // worked out once per package.
    let lazy: FxHashMap<ModuleId, LazyPackage<'_>> = table
        .iter()
        .filter_map(|(id, _)| {
            let f = facts_of(id)?;
            let is_lazy = f.calls.creates_modules
                || f.calls.replaces_itself
                || f.calls.defines.iter().any(|d| d == "__getattr__");
            is_lazy.then(|| (id, LazyPackage::of(table, id, f)))
        })
        .collect();
    let mut sources: FxHashMap<ModuleId, FxHashMap<String, Vec<ModuleId>>> = FxHashMap::default();
    if lazy.is_empty() {
        return sources;
    }
    for (id, module) in table.iter() {
        let Some(own) = facts_of(id) else { continue };
        if module.kind == ModuleKind::Script || own.calls.defines.is_empty() {
            continue;
        }
        let mut name = module.name.as_str();
        while let Some((parent, _)) = name.rsplit_once('.') {
            name = parent;
            let Some((package, known)) = table
                .by_name(parent)
                .and_then(|p| lazy.get(&p).map(|known| (p, known)))
            else {
                continue;
            };
            if known.starred.contains(&id) {
                continue;
            }
            for defined in &own.calls.defines {
                if defined.starts_with("__") || known.bound.contains(defined.as_str()) {
                    continue;
                }
                sources
                    .entry(package)
                    .or_default()
                    .entry(defined.clone())
                    .or_default()
                    .push(id);
            }
        }
    }
    for names in sources.values_mut() {
        for modules in names.values_mut() {
            modules.sort();
        }
    }
    sources
}

/// What a lazy package answers without its `__getattr__`.
struct LazyPackage<'f> {
    /// Names it defines or imports by name.
    bound: FxHashSet<&'f str>,
    /// Modules it star-imports (their names are bound too).
    starred: FxHashSet<ModuleId>,
}

impl<'f> LazyPackage<'f> {
    fn of(table: &ModuleTable, id: ModuleId, facts: &'f FileFacts) -> Self {
        let mut bound: FxHashSet<&str> = facts.calls.defines.iter().map(String::as_str).collect();
        let mut starred = FxHashSet::default();
        for import in &facts.imports {
            match &import.form {
                ImportForm::From {
                    level,
                    module,
                    names,
                } => {
                    for n in names {
                        if n.name == "*" {
                            if let Ok(absolute) = table.from_base(id, *level, module)
                                && let Some(target) = table.by_name(&absolute)
                            {
                                starred.insert(target);
                            }
                        } else {
                            bound.insert(n.asname.as_deref().unwrap_or(n.name.as_str()));
                        }
                    }
                }
                ImportForm::Import { .. } | ImportForm::Dynamic(_) => {}
            }
        }
        LazyPackage { bound, starred }
    }
}

/// For every module, the functions other modules call while they are
/// imported: `from m import f` then `f()` at module level (or in a class
/// body, a decorator, a default), `m.f()` on a module alias. A name the
/// importer's facts spell relatively is anchored at its package. Names that
/// are no first-party module's function are dropped.
pub fn functions_called_at_import(
    table: &ModuleTable,
    facts: &[Option<FileFacts>],
) -> FxHashMap<ModuleId, FxHashSet<String>> {
    let mut called: FxHashMap<ModuleId, FxHashSet<String>> = FxHashMap::default();
    for (caller, _) in table.iter() {
        let Some(caller_facts) = facts.get(caller.index()).and_then(|f| f.as_ref()) else {
            continue;
        };
        for name in &caller_facts.calls.import_time_calls {
            if let Some((id, function)) = callee_in_module(table, caller, name, false)
                && id != caller
            {
                called.entry(id).or_default().insert(function);
            }
        }
    }
    called
}

struct Resolver<'a> {
    table: &'a ModuleTable,
    context: &'a ResolveContext<'a>,
    from: ModuleId,
    import: &'a Import<'a>,
    out: &'a mut Resolved,
}

impl Resolver<'_> {
    fn run(&mut self) {
        match self.import.form {
            ImportForm::Import { module, .. } => self.absolute(module),
            ImportForm::From {
                level,
                module,
                names,
            } => match self.table.from_base(self.from, *level, module) {
                Ok(base) => self.names_from(&base, names),
                Err(reason) => self.unresolved(reason),
            },
            ImportForm::Dynamic(dynamic) => {
                let DynamicImport {
                    module,
                    anchor,
                    target,
                    call: _,
                } = dynamic.as_ref();
                if *target == DynamicTarget::Computed {
                    self.unresolved(UnresolvedReason::Computed { prefix: None });
                    return;
                }
                let name = match self.anchored(module, anchor.as_ref()) {
                    Ok(name) => name,
                    Err(reason) => {
                        self.unresolved(reason);
                        return;
                    }
                };
                match target {
                    DynamicTarget::Module => self.absolute(&name),
                    DynamicTarget::Parents => {
                        if let Some((parent, _)) = name.rsplit_once('.') {
                            self.absolute(parent);
                        }
                    }
                    DynamicTarget::LongestPrefix => self.longest_prefix(&name),
                    DynamicTarget::FromList(names) => {
                        self.absolute(&name);
                        for entry in names {
                            // A listed name that is no submodule is an attribute.
                            if let Target::Internal(to) =
                                self.table.lookup(&format!("{name}.{entry}"))
                            {
                                self.edge(to, Vec::new(), false);
                            }
                        }
                    }
                    DynamicTarget::Prefix => self.prefix(&name),
                    DynamicTarget::Computed => {}
                }
            }
        }
    }

    /// A dynamic import's absolute name: relative names anchored at the
    /// package they are given (or the importer's own).
    fn anchored(
        &self,
        module: &str,
        anchor: Option<&DynamicAnchor>,
    ) -> Result<String, UnresolvedReason> {
        let level = module.len() - module.trim_start_matches('.').len();
        if level == 0 {
            return Ok(module.to_string());
        }
        let rest = &module[level..];
        let importer = self.table.get(self.from);
        let package = match anchor {
            None => None,
            Some(DynamicAnchor::Computed(_)) => return Err(UnresolvedReason::ComputedPackage),
            Some(DynamicAnchor::Literal(p)) => Some(p.as_str()),
            Some(DynamicAnchor::CurrentPackage) => self.table.anchor_package(self.from),
            Some(DynamicAnchor::CurrentModule) => {
                Some(importer.name.as_str()).filter(|_| importer.kind != ModuleKind::Script)
            }
        };
        let Some(package) = package else {
            return Err(UnresolvedReason::DynamicWithoutPackage);
        };
        relative_base(package, level as u32, rest)
    }

    fn absolute(&mut self, module: &str) {
        match self.table.lookup(module) {
            Target::Internal(to) => self.edge(to, Vec::new(), false),
            Target::External => self.external(module),
            Target::Missing => self.missing(module),
        }
    }

    fn names_from(&mut self, base: &str, names: &[ImportedName]) {
        let mut base_names = Vec::new();
        for name in names {
            if name.name == "*" {
                base_names.push(name.name.clone());
                continue;
            }
            let full = format!("{base}.{}", name.name);
            match self.table.lookup(&full) {
                Target::Internal(to) => self.edge(to, Vec::new(), false),
                Target::External | Target::Missing => base_names.push(name.name.clone()),
            }
        }
        if base_names.is_empty() {
            return;
        }
        match self.table.lookup(base) {
            Target::Internal(to) => {
                self.lazy_attributes(to, &base_names);
                self.edge(to, base_names, false);
            }
            Target::External => self.external(base),
            Target::Missing => self.missing(base),
        }
    }

    /// `from package import Name` where a lazy package does not bind `Name`:
    /// its `__getattr__` imports the submodule that defines it, then and
    /// there. The edges are `dynamic` (`type-checking` under `if
    /// TYPE_CHECKING:`), `at_import` when the `from` import runs at import
    /// time.
    fn lazy_attributes(&mut self, package: ModuleId, names: &[String]) {
        let Some(sources) = self.context.lazy_attributes.get(&package) else {
            return;
        };
        let kind = match self.import.kind {
            ImportKind::TypeChecking => ImportKind::TypeChecking,
            ImportKind::Module
            | ImportKind::Lazy
            | ImportKind::Dynamic
            | ImportKind::Parent
            | ImportKind::Conftest => ImportKind::Dynamic,
        };
        let mut targets: Vec<ModuleId> = names
            .iter()
            .filter_map(|name| sources.get(name))
            .flatten()
            .copied()
            .filter(|&to| to != self.from)
            .collect();
        targets.sort();
        targets.dedup();
        for to in targets {
            self.out.edges.push(EdgeOccurrence {
                from: self.from,
                to,
                offset: Some(self.import.offset),
                kind,
                at_import: self.import.kind == ImportKind::Module || self.import.at_import,
                pattern: false,
                guarded: self.import.guarded,
                names: Vec::new(),
            });
        }
    }

    /// `pkgutil.resolve_name("a.b:attr")`, `import_string("a.b.Attr")`: the
    /// longest prefix (before any `:`) that is a module.
    fn longest_prefix(&mut self, name: &str) {
        let name = name.split(':').next().unwrap_or(name);
        let mut candidate = name;
        loop {
            if let Target::Internal(to) = self.table.lookup(candidate) {
                self.edge(to, Vec::new(), false);
                return;
            }
            match candidate.rsplit_once('.') {
                Some((shorter, _)) => candidate = shorter,
                None => break,
            }
        }
        if self.table.is_first_party(name) {
            self.missing(name);
        } else {
            self.external(name.split('.').next().unwrap_or(name));
        }
    }

    /// A computed name with a literal prefix: every first-party module whose
    /// dotted name starts with it.
    fn prefix(&mut self, prefix: &str) {
        let matching: Vec<ModuleId> = self
            .table
            .iter()
            .filter(|(_, m)| m.kind != ModuleKind::Script && m.name.starts_with(prefix))
            .map(|(id, _)| id)
            .filter(|&id| id != self.from)
            .collect();
        if !matching.is_empty() {
            for to in matching {
                self.edge(to, Vec::new(), true);
            }
            return;
        }
        let top = prefix.split('.').next().unwrap_or("");
        if top.is_empty() || self.table.is_first_party(top) {
            self.unresolved(UnresolvedReason::Computed {
                prefix: Some(prefix.to_string()),
            });
        } else {
            // The complete dotted components of the prefix name the package.
            let complete = match prefix.strip_suffix('.') {
                Some(whole) => whole,
                None => prefix.rsplit_once('.').map_or(prefix, |(whole, _)| whole),
            };
            self.external(complete);
        }
    }

    fn edge(&mut self, to: ModuleId, names: Vec<String>, pattern: bool) {
        self.out.edges.push(EdgeOccurrence {
            from: self.from,
            to,
            offset: Some(self.import.offset),
            kind: self.import.kind,
            at_import: self.import.at_import,
            pattern,
            guarded: self.import.guarded,
            names,
        });
    }

    fn external(&mut self, module: &str) {
        self.out.external.push(ExternalImport {
            from: self.from,
            module: module.to_string(),
            offset: self.import.offset,
            kind: self.import.kind,
            guarded: self.import.guarded,
            stdlib: is_stdlib(module),
        });
    }

    /// A first-party module that no file holds. Python still runs its
    /// longest existing prefix (the edge goes there); when a package on the
    /// way makes modules appear at run time, the rest may exist then.
    fn missing(&mut self, module: &str) {
        let mut existing = None;
        let mut prefix = module;
        while let Some((parent, _)) = prefix.rsplit_once('.') {
            if self.table.by_name(parent).is_some() {
                existing = Some(parent.to_string());
                break;
            }
            prefix = parent;
        }
        if let Some(found) = existing.as_deref()
            && let Target::Internal(to) = self.table.lookup(found)
        {
            // A package the importer is inside has run already (its parent
            // edges say so): the import runs nothing new there.
            let importer = &self.table.get(self.from).name;
            let inside = to == self.from
                || importer
                    .strip_prefix(found)
                    .is_some_and(|rest| rest.starts_with('.'));
            if !inside {
                self.edge(to, Vec::new(), false);
            }
            let mut ancestor = Some(found);
            while let Some(name) = ancestor {
                if let Some(id) = self.table.by_name(name)
                    && self.context.creators.contains(&id)
                {
                    self.unresolved(UnresolvedReason::RuntimeCreated {
                        module: module.to_string(),
                        creator: name.to_string(),
                    });
                    return;
                }
                ancestor = name.rsplit_once('.').map(|(parent, _)| parent);
            }
        }
        self.unresolved(UnresolvedReason::Missing {
            module: module.to_string(),
            existing,
        });
    }

    fn unresolved(&mut self, reason: UnresolvedReason) {
        self.out.unresolved.push(UnresolvedImport {
            from: self.from,
            import: self.import.form.to_string(),
            offset: self.import.offset,
            kind: self.import.kind,
            guarded: self.import.guarded,
            handled: self.import.handled,
            reason,
        });
    }
}
