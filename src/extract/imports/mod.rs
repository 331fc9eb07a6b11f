//! The import pass: a module's AST → its imports, in walk order, and what
//! decides when they run.
//!
//! Owns what counts as an import and when it runs: `import` and `from`
//! statements at any depth; calls of the import helpers
//! (`importlib.import_module`, `__import__`, `pkgutil.resolve_name`,
//! django's `import_string`, `importlib.util.find_spec`), with a literal
//! name, a literal prefix of a computed one, or neither; `pytest_plugins`
//! entries. Each is classified as an [`ImportKind`] (`module`, `lazy`
//! inside a function, `type-checking` under `if TYPE_CHECKING:`, `dynamic`
//! for calls), marked `guarded` inside a `try` whose handlers catch
//! ImportError, and `at_import` when it runs while the module is imported
//! (a dynamic import at module level; a lazy or dynamic one in a
//! module-level function the module itself calls at import time). It also
//! records, for resolution, the calls that may be configured import
//! functions, the imported functions called at import time, and whether
//! the module edits `sys.modules`, `sys.meta_path`, `sys.path_hooks` or
//! `__path__`. It follows the file's import aliases so aliased spellings
//! count. It must not record bindings, uses or strings (the symbol pass
//! does, only when asked) and never decides what an import refers to.
//!
//! `visit_stmt` and `visit_expr` name every variant of the parser's `Stmt`
//! and `Expr`, with no catch-all arm, so a parser upgrade that adds a node
//! fails to compile here until someone decides whether it can import. The
//! small predicates (`refers_to`, `int_literal`, `expr_catches_import_error`)
//! ask whether a node has one shape; their `_` arm only means "not that".

mod calls;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashSet;

use self::calls::{
    ADDING_METHODS, Aliases, Constants, Helper, Name, dotted_name, evaluate,
    is_module_finding_state, last_segment, qualify,
};
use super::facts::{
    CallFacts, Construction, DynamicImport, DynamicTarget, HelperCall, IMPORT_ERROR_CATCHERS,
    ImportForm, ImportKind, ImportedName, LoaderClass, LoaderMethod, RawImport,
};
use super::{chain_root, import_binding, literal_strings, string_literal};

/// What the import pass finds in one module.
pub(super) struct ImportFacts {
    /// Every import, in walk order.
    pub(super) imports: Vec<RawImport>,
    /// The calls resolution needs.
    pub(super) calls: CallFacts,
}

/// Walks a module once and returns its imports in walk order: statements
/// in source order, calls where the walk meets them (the symbol pass
/// relies on this order to find a statement's imports).
pub(super) struct ImportCollector<'src> {
    text: &'src str,
    imports: Vec<RawImport>,
    function_depth: u32,
    class_depth: u32,
    /// Inside a lambda's body, which runs later.
    lambda_depth: u32,
    type_checking_depth: u32,
    /// Inside `if __name__ == "__main__":`, which runs only as a script.
    main_depth: u32,
    /// Inside the body of a `try` that catches ImportError (reset in a
    /// function body, which runs later, outside the `try`).
    guarded: bool,
    /// Inside the body of `with pytest.raises(ImportError)` (reset in a
    /// function body, like `guarded`).
    raises: bool,
    /// The function scopes entered, innermost last: the name of a
    /// module-level function, `None` for a nested function or a method.
    functions: Vec<Option<String>>,
    /// Local names bound to the `typing` / `typing_extensions` modules.
    typing_modules: Vec<String>,
    /// Local names bound to `TYPE_CHECKING` by `from typing import ...`.
    type_checking_names: Vec<String>,
    /// What each imported local name stands for.
    aliases: Aliases,
    /// Module-level names bound to string literals.
    constants: Constants,
    /// Names of module-level functions.
    module_functions: FxHashSet<String>,
    /// Every name in `aliases` or `module_functions`, and `__import__`: a
    /// call whose root name is not in it needs no lookup.
    known: NameFilter,
    /// Module-level class names (the functions are in `module_functions`).
    module_classes: Vec<String>,
    /// Functions the module calls while it is imported, as the dotted
    /// name the call spells through the aliases (`f`, `pkg.m.f`).
    calls_at_import: FxHashSet<String>,
    helper_calls: Vec<HelperCall>,
    creates_modules: bool,
    replaces_itself: bool,
    /// The module-level class being visited, with what may make it a
    /// loader class.
    class: Option<LoaderClass>,
    loader_classes: Vec<LoaderClass>,
    constructions: Vec<Construction>,
}

impl<'src> ImportCollector<'src> {
    /// A collector for the tree parsed from `text` (read for the
    /// `package=` argument of a dynamic import when it is computed).
    pub(super) fn new(text: &'src str) -> Self {
        ImportCollector {
            text,
            imports: Vec::new(),
            function_depth: 0,
            class_depth: 0,
            lambda_depth: 0,
            type_checking_depth: 0,
            main_depth: 0,
            guarded: false,
            raises: false,
            functions: Vec::new(),
            typing_modules: Vec::new(),
            type_checking_names: Vec::new(),
            aliases: Aliases::default(),
            constants: Constants::default(),
            module_functions: FxHashSet::default(),
            known: NameFilter::with("__import__"),
            module_classes: Vec::new(),
            calls_at_import: FxHashSet::default(),
            helper_calls: Vec::new(),
            creates_modules: false,
            replaces_itself: false,
            class: None,
            loader_classes: Vec::new(),
            constructions: Vec::new(),
        }
    }

    /// Every import of `module`, in walk order, and the calls resolution
    /// needs.
    pub(super) fn collect(mut self, module: &ast::Mod) -> ImportFacts {
        match module {
            ast::Mod::Module(ast::ModModule {
                body,
                range: _,
                node_index: _,
            }) => self.visit_body(body),
            ast::Mod::Expression(ast::ModExpression {
                body,
                range: _,
                node_index: _,
            }) => self.visit_expr(body),
        }
        // A function of this module that it calls at import time runs its
        // imports then too.
        let called_here: FxHashSet<&str> = self
            .calls_at_import
            .iter()
            .map(String::as_str)
            .filter(|name| self.module_functions.contains(*name))
            .collect();
        let runs_now = |function: &Option<String>| {
            function.as_deref().is_some_and(|f| called_here.contains(f))
        };
        for import in &mut self.imports {
            if matches!(import.kind, ImportKind::Lazy | ImportKind::Dynamic)
                && runs_now(&import.function)
            {
                import.at_import = true;
            }
        }
        for call in &mut self.helper_calls {
            if runs_now(&call.function) {
                call.at_import = true;
            }
        }
        // The others may be functions of other first-party modules.
        let mut import_time_calls: Vec<String> = self
            .calls_at_import
            .iter()
            .filter(|name| !self.module_functions.contains(name.as_str()) && name.contains('.'))
            .cloned()
            .collect();
        import_time_calls.sort();
        let mut defines: Vec<String> = self.module_functions.iter().cloned().collect();
        defines.extend(self.module_classes);
        defines.sort();
        defines.dedup();
        ImportFacts {
            imports: self.imports,
            calls: CallFacts {
                helper_calls: self.helper_calls,
                import_time_calls,
                creates_modules: self.creates_modules,
                replaces_itself: self.replaces_itself,
                defines,
                loader_classes: self.loader_classes,
                import_time_constructions: self.constructions,
            },
        }
    }

    fn kind(&self) -> ImportKind {
        if self.type_checking_depth > 0 {
            ImportKind::TypeChecking
        } else if self.function_depth > 0 {
            ImportKind::Lazy
        } else {
            ImportKind::Module
        }
    }

    /// True while the code being visited runs when the module is imported:
    /// not in a function or lambda body, not under `if __name__ == "__main__"`.
    fn runs_at_import(&self) -> bool {
        self.function_depth == 0 && self.lambda_depth == 0 && self.main_depth == 0
    }

    fn module_level(&self) -> bool {
        self.function_depth == 0 && self.class_depth == 0 && self.lambda_depth == 0
    }

    /// The module-level function whose own body is being visited.
    fn function(&self) -> Option<String> {
        self.functions.last().cloned().flatten()
    }

    fn push(&mut self, offset: u32, kind: ImportKind, form: ImportForm) {
        let at_import = kind == ImportKind::Dynamic && self.runs_at_import();
        self.imports.push(RawImport {
            offset,
            kind,
            guarded: self.guarded,
            raises: self.raises,
            function: self.function(),
            at_import,
            form,
        });
    }

    fn note_import_aliases(&mut self, module: &str, asname: Option<&str>) {
        let bound = import_binding(module, asname);
        // `import importlib.util` binds `importlib`; `import a.b as x` binds `x` to `a.b`.
        let bound_module = if asname.is_some() { module } else { bound };
        if matches!(bound_module, "typing" | "typing_extensions") {
            self.typing_modules.push(bound.to_string());
        }
        self.known.insert(bound);
        self.aliases
            .insert(bound.to_string(), bound_module.to_string());
    }

    fn note_from_aliases(&mut self, level: u32, module: &str, names: &[ImportedName]) {
        let base = format!("{}{module}", ".".repeat(level as usize));
        for name in names {
            if name.name == "*" {
                continue;
            }
            let bound = name.asname.as_deref().unwrap_or(&name.name).to_string();
            if level == 0
                && matches!(module, "typing" | "typing_extensions")
                && name.name == "TYPE_CHECKING"
            {
                self.type_checking_names.push(bound.clone());
            }
            let full = if base.ends_with('.') || base.is_empty() {
                format!("{base}{}", name.name)
            } else {
                format!("{base}.{}", name.name)
            };
            self.known.insert(&bound);
            self.aliases.insert(bound, full);
        }
    }

    fn is_type_checking_test(&self, test: &Expr) -> bool {
        // A bare `TYPE_CHECKING` counts even without an import:
        // `TYPE_CHECKING = False` is a common idiom.
        matches!(test, Expr::Name(n) if n.id.as_str() == "TYPE_CHECKING")
            || refers_to(
                test,
                "TYPE_CHECKING",
                &self.type_checking_names,
                &self.typing_modules,
            )
    }

    /// `name = <value>` at module level: remember string constants, and a
    /// `pytest_plugins` list as the imports pytest makes of it.
    fn module_assignment(&mut self, target: &Expr, value: &Expr, offset: u32) {
        let Expr::Name(ast::ExprName { id, .. }) = target else {
            return;
        };
        match evaluate(value, &self.constants) {
            Name::Literal(text) => {
                self.constants.insert(id.to_string(), text);
            }
            Name::Prefix(_) | Name::Unknown => {
                self.constants.remove(id.as_str());
            }
        }
        if id.as_str() == "pytest_plugins" {
            let plugins = string_literal(value)
                .map(|one| vec![one])
                .or_else(|| literal_strings(value))
                .unwrap_or_default();
            for plugin in plugins {
                self.push(
                    offset,
                    ImportKind::Dynamic,
                    ImportForm::Dynamic(Box::new(DynamicImport {
                        module: plugin,
                        anchor: None,
                        target: DynamicTarget::Module,
                        call: "pytest_plugins".to_string(),
                    })),
                );
            }
        }
    }

    /// Assignment targets that make modules appear: `sys.modules[k] = m`,
    /// `__path__ = ...`.
    fn note_module_creation(&mut self, target: &Expr) {
        match target {
            // `sys.modules[__name__] = obj` replaces this module; any
            // other key makes a module appear.
            Expr::Subscript(ast::ExprSubscript { value, slice, .. })
                if is_module_finding_state(value, &self.aliases) =>
            {
                if matches!(slice.as_ref(), Expr::Name(n) if n.id.as_str() == "__name__") {
                    self.replaces_itself = true;
                } else {
                    self.creates_modules = true;
                }
            }
            Expr::Name(ast::ExprName { id, .. }) if id.as_str() == "__path__" => {
                self.creates_modules = true;
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.note_module_creation(elt);
                }
            }
            _ => {}
        }
    }

    /// Records what a call does for imports: a helper's import, a candidate
    /// configured import function, an edit of module-finding state, and a
    /// call made at import time.
    fn call(&mut self, call: &ast::ExprCall) {
        let ast::ExprCall {
            func,
            arguments,
            range_start: _,
            node_index: _,
        } = call;
        if let Expr::Attribute(ast::ExprAttribute { value, attr, .. }) = func.as_ref()
            && ADDING_METHODS.contains(&attr.id.as_str())
            && (is_module_finding_state(value, &self.aliases)
                || matches!(value.as_ref(), Expr::Name(n) if n.id.as_str() == "__path__"))
        {
            self.creates_modules = true;
        }
        // Most calls are of names no import binds (methods, builtins, local
        // functions): the root name alone decides, with one lookup and no
        // allocation.
        let Some(root) = chain_root(func) else {
            return;
        };
        let at_import = self.runs_at_import();
        let offset = call.start().to_u32();
        let in_method = self.function_depth > 0 && self.class.is_some();
        if in_method
            && let Expr::Attribute(ast::ExprAttribute { value, attr, .. }) = func.as_ref()
            && matches!(value.as_ref(), Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls"))
            && let Some(method) = self.class.as_mut().and_then(|c| c.methods.last_mut())
            && !method.calls.iter().any(|c| c == attr.id.as_str())
        {
            method.calls.push(attr.id.to_string());
        }
        if at_import
            && self.function_depth == 0
            && self.class_depth == 0
            && self.module_classes.iter().any(|c| c == root)
            && let Expr::Name(_) = func.as_ref()
        {
            self.construction(root.to_string(), true, arguments, offset);
        }
        if !self.known.may_contain(root) {
            if at_import && let Expr::Name(_) = func.as_ref() {
                self.calls_at_import.insert(root.to_string());
            }
            return;
        }
        if !self.aliases.contains_key(root) {
            if let Expr::Name(_) = func.as_ref() {
                if at_import {
                    // Perhaps a function defined in this module.
                    self.calls_at_import.insert(root.to_string());
                }
                if root == "__import__" {
                    self.helper(&Helper::DunderImport, "__import__", call);
                } else if self.module_functions.contains(root) {
                    self.candidate(func, arguments, offset);
                }
            }
            return;
        }
        // Whether it is a helper is decided without building the name where
        // possible: a bare name is its alias's target, and a dotted one must
        // end in a helper's last word. Other calls need the qualified name
        // only when they run at import time or in a loader class's method.
        let helper = match func.as_ref() {
            Expr::Name(_) => self
                .aliases
                .get(root)
                .and_then(|full| Helper::named(full).map(|h| (h, full.clone()))),
            _ if Helper::may_end(last_segment(func)) => {
                qualify(func, &self.aliases).and_then(|q| Helper::named(&q).map(|h| (h, q)))
            }
            _ => None,
        };
        let qualified = match &helper {
            Some((_, name)) => Some(name.clone()),
            None if at_import || in_method => qualify(func, &self.aliases),
            None => None,
        };
        if at_import && let Some(name) = &qualified {
            self.calls_at_import.insert(name.clone());
            // A standard-library callee builds no first-party class.
            if self.function_depth == 0 && self.class_depth == 0 && !crate::stdlib::is_stdlib(name)
            {
                self.construction(name.clone(), false, arguments, offset);
            }
        }
        if in_method
            && let Some(name) = &qualified
            && self.passes_computed_name(arguments)
        {
            // A standard-library function is no first-party loader.
            let through = Helper::named(name).is_none().then(|| name.clone());
            let stdlib = through.as_deref().is_some_and(crate::stdlib::is_stdlib);
            if let Some(method) = self.class.as_mut().and_then(|c| c.methods.last_mut())
                && !stdlib
                && !method.loads_through.contains(&through)
            {
                method.loads_through.push(through);
            }
        }
        match helper {
            Some((helper, name)) => self.helper(&helper, &name, call),
            None => self.candidate(func, arguments, offset),
        }
    }
}

impl ImportCollector<'_> {
    /// A class body's `name = "pkg.mod"` or `names = ["pkg.a", ...]`: the
    /// modules a loader class may import when it is built.
    fn class_attribute(&mut self, value: &Expr) {
        if self.class_depth != 1 || self.function_depth != 0 || self.lambda_depth != 0 {
            return;
        }
        if let Some(class) = &mut self.class {
            class.modules.extend(module_literals(value));
        }
    }

    /// True when the call's name argument (the first one) is computed:
    /// neither a literal nor a module-level constant.
    fn passes_computed_name(&self, arguments: &ast::Arguments) -> bool {
        let first = arguments
            .args
            .first()
            .or_else(|| arguments.keywords.first().map(|k| &k.value));
        first.is_some_and(|first| {
            matches!(
                evaluate(first, &self.constants),
                Name::Unknown | Name::Prefix(_)
            )
        })
    }

    /// Records a call made at import time that may build a loader class,
    /// with the dotted module names among its arguments. Only a capitalised
    /// name is taken for a class (PEP 8's CapWords): most calls at import
    /// time are of functions, and each recorded call is kept in the facts.
    fn construction(
        &mut self,
        callee: String,
        local: bool,
        arguments: &ast::Arguments,
        offset: u32,
    ) {
        let last = callee.rsplit('.').next().unwrap_or(&callee);
        if !last.starts_with(|c: char| c.is_ascii_uppercase()) {
            return;
        }
        let mut modules: Vec<String> = arguments.args.iter().flat_map(module_literals).collect();
        modules.extend(
            arguments
                .keywords
                .iter()
                .flat_map(|k| module_literals(&k.value)),
        );
        self.constructions.push(Construction {
            offset,
            callee,
            local,
            modules,
        });
    }
}

/// The expressions of `value` that may spell a module name: the value
/// itself, or the elements of a literal list, tuple or set, or the values
/// of a dict.
fn literal_elements(value: &Expr) -> Vec<&Expr> {
    match value {
        Expr::List(ast::ExprList { elts, .. })
        | Expr::Tuple(ast::ExprTuple { elts, .. })
        | Expr::Set(ast::ExprSet { elts, .. }) => elts.iter().collect(),
        Expr::Dict(ast::ExprDict { items, .. }) => items.iter().map(|item| &item.value).collect(),
        other => vec![other],
    }
}

/// An absolute dotted module name spelled by a string literal.
fn module_literal(expr: &Expr) -> Option<String> {
    string_literal(expr).filter(|s| !s.starts_with('.') && dotted_name(s))
}

/// Dotted names among `value`'s string literals ([`literal_elements`]).
fn module_literals(value: &Expr) -> Vec<String> {
    literal_elements(value)
        .into_iter()
        .filter_map(module_literal)
        .collect()
}

/// True for a class-body assignment whose value names a module.
fn names_a_module(stmt: &Stmt) -> bool {
    let value = match stmt {
        Stmt::Assign(ast::StmtAssign { value, .. }) => value.as_ref(),
        Stmt::AnnAssign(ast::StmtAnnAssign {
            value: Some(value), ..
        }) => value.as_ref(),
        _ => return false,
    };
    literal_elements(value)
        .into_iter()
        .any(|e| module_literal(e).is_some())
}

/// A set of names that may answer "maybe" for a name it does not hold, and
/// never "no" for one it does: most calls in a file are of names no import
/// binds, and this rejects them without hashing the name. 512 bits keep
/// false answers rare for files with a few hundred imported names.
#[derive(Debug, Clone, Copy, Default)]
struct NameFilter([u64; 8]);

impl NameFilter {
    fn with(name: &str) -> Self {
        let mut filter = NameFilter::default();
        filter.insert(name);
        filter
    }

    fn slot(name: &str) -> (usize, u64) {
        let bytes = name.as_bytes();
        let first = bytes.first().copied().unwrap_or(0) as usize;
        let last = bytes.last().copied().unwrap_or(0) as usize;
        let second = bytes.get(1).copied().unwrap_or(0) as usize;
        let bit = (first * 31 + last * 7 + second * 131 + bytes.len() * 17) % 512;
        (bit / 64, 1u64 << (bit % 64))
    }

    fn insert(&mut self, name: &str) {
        let (word, bit) = Self::slot(name);
        self.0[word] |= bit;
    }

    fn may_contain(&self, name: &str) -> bool {
        let (word, bit) = Self::slot(name);
        self.0[word] & bit != 0
    }
}

/// True for `__name__ == "__main__"` (either way round).
fn is_main_test(test: &Expr) -> bool {
    let Expr::Compare(ast::ExprCompare {
        left,
        ops,
        comparators,
        range: _,
        node_index: _,
    }) = test
    else {
        return false;
    };
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| string_literal(e).is_some_and(|s| s == "__main__");
    matches!(ops.as_ref(), [ast::CmpOp::Eq])
        && comparators.first().is_some_and(|right| {
            (is_name(left) && is_main(right)) || (is_main(left) && is_name(right))
        })
}

/// True when `expr` is a local alias of `member` (`aliases`, bound by
/// `from module import member [as alias]`), or `m.member` where `m` is a
/// local name of its module (`modules`).
fn refers_to(expr: &Expr, member: &str, aliases: &[String], modules: &[String]) -> bool {
    match expr {
        Expr::Name(ast::ExprName {
            id,
            ctx: _,
            range: _,
            node_index: _,
        }) => aliases.iter().any(|a| a == id.as_str()),
        Expr::Attribute(ast::ExprAttribute {
            value,
            attr,
            ctx: _,
            range: _,
            node_index: _,
        }) => {
            attr.id.as_str() == member
                && matches!(value.as_ref(), Expr::Name(name)
                    if modules.iter().any(|m| m == name.id.as_str()))
        }
        _ => false,
    }
}

fn int_literal(expr: &Expr) -> Option<u32> {
    match expr {
        Expr::NumberLiteral(ast::ExprNumberLiteral {
            value: ast::Number::Int(int),
            range: _,
            node_index: _,
        }) => int.as_u8().map(u32::from),
        _ => None,
    }
}

impl ImportCollector<'_> {
    /// True for `pytest.raises(E, ...)` / `raises(E)` (imported from
    /// pytest) where `E` catches ImportError.
    fn expects_import_error(&self, expr: &Expr) -> bool {
        let Expr::Call(ast::ExprCall {
            func,
            arguments,
            range_start: _,
            node_index: _,
        }) = expr
        else {
            return false;
        };
        let is_raises = matches!(
            qualify(func, &self.aliases).as_deref(),
            Some("pytest.raises" | "_pytest.python_api.raises" | "_pytest.raises.raises")
        );
        is_raises
            && arguments
                .find_argument_value("expected_exception", 0)
                .is_some_and(expr_catches_import_error)
    }
}

/// True when an `except` clause catches ImportError (or something broader).
fn catches_import_error(handler: &ast::ExceptHandler) -> bool {
    let ast::ExceptHandler::ExceptHandler(ast::ExceptHandlerExceptHandler {
        type_,
        name: _,
        body: _,
        range: _,
        node_index: _,
    }) = handler;
    match type_ {
        None => true,
        Some(expr) => expr_catches_import_error(expr),
    }
}

fn expr_catches_import_error(expr: &Expr) -> bool {
    match expr {
        Expr::Name(n) => IMPORT_ERROR_CATCHERS.contains(&n.id.as_str()),
        Expr::Attribute(a) => IMPORT_ERROR_CATCHERS.contains(&a.attr.id.as_str()),
        Expr::Tuple(t) => t.elts.iter().any(expr_catches_import_error),
        _ => false,
    }
}

impl<'a> Visitor<'a> for ImportCollector<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(ast::StmtImport {
                names,
                is_lazy: _,
                range,
                node_index: _,
            }) => {
                // `import a, b` is one import per name, at the statement's offset.
                for alias in names {
                    let ast::Alias {
                        name,
                        asname,
                        range: _,
                        node_index: _,
                    } = alias;
                    let module = name.id.to_string();
                    let asname = asname.as_ref().map(|a| a.id.to_string());
                    self.note_import_aliases(&module, asname.as_deref());
                    let kind = self.kind();
                    self.push(
                        range.start().to_u32(),
                        kind,
                        ImportForm::Import { module, asname },
                    );
                }
            }
            Stmt::ImportFrom(ast::StmtImportFrom {
                module,
                names,
                level,
                is_lazy: _,
                range,
                node_index: _,
            }) => {
                let module = module
                    .as_ref()
                    .map(|m| m.id.to_string())
                    .unwrap_or_default();
                let names: Vec<ImportedName> = names
                    .iter()
                    .map(|alias| ImportedName {
                        name: alias.name.id.to_string(),
                        asname: alias.asname.as_ref().map(|a| a.id.to_string()),
                    })
                    .collect();
                self.note_from_aliases(*level, &module, &names);
                let kind = self.kind();
                self.push(
                    range.start().to_u32(),
                    kind,
                    ImportForm::From {
                        level: *level,
                        module,
                        names,
                    },
                );
            }
            Stmt::FunctionDef(ast::StmtFunctionDef {
                is_async: _,
                decorator_list,
                name,
                type_params,
                parameters,
                returns,
                body,
                range: _,
                node_index: _,
            }) => {
                // Decorators, defaults and annotations run at definition time.
                for decorator in decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = type_params {
                    self.visit_type_params(type_params);
                }
                self.visit_parameters(parameters);
                if let Some(returns) = returns {
                    self.visit_annotation(returns);
                }
                // A method of the module-level class being visited.
                let method = self.class_depth == 1 && self.function_depth == 0;
                if method && let Some(class) = &mut self.class {
                    class.methods.push(LoaderMethod {
                        name: name.id.to_string(),
                        loads_through: Vec::new(),
                        calls: Vec::new(),
                    });
                }
                // The body runs when called, outside any `try` around the `def`.
                let own = self.module_level().then(|| name.id.to_string());
                if let Some(own) = &own {
                    self.known.insert(own);
                    self.module_functions.insert(own.clone());
                }
                self.functions.push(own);
                let guarded = std::mem::replace(&mut self.guarded, false);
                let raises = std::mem::replace(&mut self.raises, false);
                self.function_depth += 1;
                self.visit_body(body);
                self.function_depth -= 1;
                self.guarded = guarded;
                self.raises = raises;
                self.functions.pop();
            }
            Stmt::If(ast::StmtIf {
                test,
                body,
                elif_else_clauses,
                range: _,
                node_index: _,
            }) => {
                self.visit_expr(test);
                // Only the `if TYPE_CHECKING:` body is for type checkers;
                // its `elif`/`else` clauses run. The body of
                // `if __name__ == "__main__":` runs only as a script.
                if self.is_type_checking_test(test) {
                    self.type_checking_depth += 1;
                    self.visit_body(body);
                    self.type_checking_depth -= 1;
                } else if is_main_test(test) {
                    self.main_depth += 1;
                    self.visit_body(body);
                    self.main_depth -= 1;
                } else {
                    self.visit_body(body);
                }
                for clause in elif_else_clauses {
                    self.visit_elif_else_clause(clause);
                }
            }
            Stmt::Try(ast::StmtTry {
                body,
                handlers,
                orelse,
                finalbody,
                is_star: _,
                range: _,
                node_index: _,
            }) => {
                // Only the body is guarded: an import in a handler, `else`
                // or `finally` fails like any other.
                let outer = self.guarded;
                self.guarded = outer || handlers.iter().any(catches_import_error);
                self.visit_body(body);
                self.guarded = outer;
                for handler in handlers {
                    self.visit_except_handler(handler);
                }
                self.visit_body(orelse);
                self.visit_body(finalbody);
            }
            Stmt::ClassDef(ast::StmtClassDef {
                decorator_list,
                name,
                type_params,
                arguments,
                body,
                range: _,
                node_index: _,
            }) => {
                let top_level = self.module_level();
                if top_level {
                    self.module_classes.push(name.id.to_string());
                }
                for decorator in decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = arguments {
                    self.visit_arguments(arguments);
                }
                // A class body runs when the module does; its imports keep
                // the enclosing kind, its functions are methods.
                // Only a class whose body names modules can be a loader
                // class: most classes are not followed into their methods.
                if top_level && body.iter().any(names_a_module) {
                    self.class = Some(LoaderClass {
                        name: name.id.to_string(),
                        methods: Vec::new(),
                        modules: Vec::new(),
                    });
                }
                self.class_depth += 1;
                self.visit_body(body);
                self.class_depth -= 1;
                if top_level && let Some(mut class) = self.class.take() {
                    class
                        .methods
                        .retain(|m| !m.loads_through.is_empty() || !m.calls.is_empty());
                    // Only a class that names modules can import them when built.
                    if !class.modules.is_empty()
                        && class.methods.iter().any(|m| !m.loads_through.is_empty())
                    {
                        self.loader_classes.push(class);
                    }
                }
            }
            Stmt::Assign(ast::StmtAssign {
                targets,
                value,
                range,
                node_index: _,
            }) => {
                for target in targets {
                    self.note_module_creation(target);
                }
                if self.module_level()
                    && let [target] = targets.as_slice()
                {
                    self.module_assignment(target, value, range.start().to_u32());
                }
                self.class_attribute(value);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AnnAssign(ast::StmtAnnAssign {
                target,
                annotation: _,
                value,
                simple: _,
                range,
                node_index: _,
            }) => {
                self.note_module_creation(target);
                if self.module_level()
                    && let Some(value) = value
                {
                    self.module_assignment(target, value, range.start().to_u32());
                }
                if let Some(value) = value {
                    self.class_attribute(value);
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AugAssign(ast::StmtAugAssign {
                target,
                op: _,
                value: _,
                range: _,
                node_index: _,
            }) => {
                self.note_module_creation(target);
                visitor::walk_stmt(self, stmt);
            }
            // `with pytest.raises(ImportError):` expects its body to fail.
            Stmt::With(ast::StmtWith {
                items,
                body,
                is_async: _,
                range: _,
                node_index: _,
            }) => {
                for item in items {
                    self.visit_with_item(item);
                }
                let outer = self.raises;
                self.raises = outer
                    || items
                        .iter()
                        .any(|item| self.expects_import_error(&item.context_expr));
                self.visit_body(body);
                self.raises = outer;
            }
            // Bodies that run when the module does (a loop, a `match`
            // case): their imports keep the enclosing kind.
            Stmt::For(_)
            | Stmt::While(_)
            | Stmt::Match(_)
            // Simple statements: only their expressions can import (calls).
            | Stmt::Return(_)
            | Stmt::Delete(_)
            | Stmt::TypeAlias(_)
            | Stmt::Raise(_)
            | Stmt::Assert(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Expr(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::IpyEscapeCommand(_) => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.call(call);
                visitor::walk_expr(self, expr);
            }
            // A lambda's body runs later: its calls are not made at import
            // time (a call in it is still `dynamic`, wherever it is).
            Expr::Lambda(ast::ExprLambda {
                parameters,
                body,
                range: _,
                node_index: _,
            }) => {
                if let Some(parameters) = parameters {
                    self.visit_parameters(parameters);
                }
                self.lambda_depth += 1;
                self.visit_expr(body);
                self.lambda_depth -= 1;
            }
            // Every other expression imports only through the calls inside it.
            Expr::BoolOp(_)
            | Expr::Named(_)
            | Expr::BinOp(_)
            | Expr::UnaryOp(_)
            | Expr::If(_)
            | Expr::Dict(_)
            | Expr::Set(_)
            | Expr::ListComp(_)
            | Expr::SetComp(_)
            | Expr::DictComp(_)
            | Expr::Generator(_)
            | Expr::Await(_)
            | Expr::Yield(_)
            | Expr::YieldFrom(_)
            | Expr::Compare(_)
            | Expr::FString(_)
            | Expr::TString(_)
            | Expr::Attribute(_)
            | Expr::Subscript(_)
            | Expr::Starred(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Slice(_) => visitor::walk_expr(self, expr),
            // Leaves hold no call: most nodes are leaves, and not walking
            // them is most of the walk's cost saved.
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::Name(_)
            | Expr::IpyEscapeCommand(_) => {}
        }
    }
}

#[cfg(test)]
mod tests;
