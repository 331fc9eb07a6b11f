//! Extraction: Python source text → the facts blastradius needs about one file.
//!
//! This is the only module that sees the parser (`ruff_python_parser`) and its
//! AST; everything downstream works on the plain structs defined here. It
//! parses with error recovery, so imports before and after a syntax error are
//! still found, and walks every statement and expression at any depth to find
//! imports, classifying each as `module`, `lazy`, `type-checking` or
//! `dynamic` and marking ImportError guards. It never touches the filesystem
//! and never decides what an import refers to (that is resolution's job).
//!
//! AST nodes are destructured with every field named (`range: _`) so that a
//! parser upgrade that adds a field fails to compile here instead of silently
//! changing what is extracted.

use ruff_python_ast::statement_visitor::{self, StatementVisitor};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::{ParseOptions, parse_unchecked};
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};

use crate::lines::LineIndex;

mod facts;
mod spans;

pub use facts::{
    AttributeUse, Binding, BindingKind, BindingValue, DynamicAnchor, ImportForm, ImportKind,
    ImportedName, RawImport, StringRef, SyntaxProblem,
};
pub use spans::{AliasSpan, FromImportSpan, from_import_spans};

/// Everything extracted from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Every import, in source order.
    pub imports: Vec<RawImport>,
    /// Syntax errors (the imports above were still recovered around them).
    pub syntax_errors: Vec<SyntaxProblem>,
    /// Line starts, for display.
    pub lines: LineIndex,
    /// Module-level bindings, in source order.
    pub bindings: Vec<Binding>,
    /// `__all__` when every assignment to it is a literal list or tuple of
    /// strings (`=`, `+=`, `.extend`, `.append`); `None` when absent or computed.
    pub dunder_all: Option<Vec<String>>,
    /// Indexes into `imports` of module-level `from m import *`.
    pub star_imports: Vec<usize>,
    /// The module defines `__getattr__` at module level (PEP 562), so any
    /// name may exist.
    pub has_getattr: bool,
    /// Attribute chains on import-bound names, at any depth.
    pub attribute_uses: Vec<AttributeUse>,
    /// String literals shaped like dotted paths.
    pub string_refs: Vec<StringRef>,
    /// Import-bound names also used bare (not as `name.attr`): passed
    /// around, assigned, deleted. Sorted, deduplicated.
    pub bare_uses: Vec<String>,
}

/// Every offset the facts record, so the sparse line index can answer them.
fn recorded_offsets(
    imports: &[RawImport],
    syntax_errors: &[SyntaxProblem],
    bindings: &[Binding],
    attribute_uses: &[AttributeUse],
    string_refs: &[StringRef],
) -> Vec<u32> {
    let mut offsets = Vec::with_capacity(
        imports.len()
            + syntax_errors.len()
            + bindings.len()
            + 2 * (attribute_uses.len() + string_refs.len()),
    );
    offsets.extend(imports.iter().map(|i| i.offset));
    offsets.extend(syntax_errors.iter().map(|e| e.offset));
    offsets.extend(bindings.iter().map(|b| b.offset));
    offsets.extend(attribute_uses.iter().flat_map(|u| [u.offset, u.end]));
    offsets.extend(string_refs.iter().flat_map(|r| [r.offset, r.end]));
    offsets
}

impl FileFacts {
    /// These facts at [`Detail::Imports`]: the symbol fields emptied.
    pub fn imports_only(self) -> FileFacts {
        FileFacts {
            imports: self.imports,
            syntax_errors: self.syntax_errors,
            lines: self.lines,
            ..FileFacts::default()
        }
    }
}

/// How much of a file extraction keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detail {
    /// Imports and syntax errors only: all the module graph needs. The
    /// symbol fields of [`FileFacts`] stay empty.
    Imports,
    /// Everything, including bindings, attribute uses and string references,
    /// for the symbol-level commands.
    Symbols,
}

/// Parses `text` and extracts its facts. `is_stub` selects `.pyi` parsing.
pub fn extract(text: &str, is_stub: bool, detail: Detail) -> FileFacts {
    extract_timed(text, is_stub, detail).0
}

/// [`extract`], also returning the time spent parsing and the time spent
/// walking the tree, for the stage breakdown.
pub fn extract_timed(
    text: &str,
    is_stub: bool,
    detail: Detail,
) -> (FileFacts, std::time::Duration, std::time::Duration) {
    let started = std::time::Instant::now();
    let source_type = if is_stub {
        ast::PySourceType::Stub
    } else {
        ast::PySourceType::Python
    };
    let parsed = parse_unchecked(text, ParseOptions::from(source_type));
    let parse_time = started.elapsed();
    let walk_started = std::time::Instant::now();
    let syntax_errors: Vec<SyntaxProblem> = parsed
        .errors()
        .iter()
        .map(|err| SyntaxProblem {
            offset: err.location.start().to_u32(),
            message: err.error.to_string(),
        })
        .collect();
    let mut collector = Collector {
        text,
        symbols: detail == Detail::Symbols,
        ..Collector::default()
    };
    if collector.symbols
        && let ast::Mod::Module(module) = parsed.syntax()
    {
        let mut names = ImportNames::default();
        names.visit_body(&module.body);
        collector.ever_import_bound = names.0;
    }
    match parsed.syntax() {
        ast::Mod::Module(ast::ModModule {
            body,
            range: _,
            node_index: _,
        }) => collector.visit_body(body),
        ast::Mod::Expression(ast::ModExpression {
            body,
            range: _,
            node_index: _,
        }) => collector.visit_expr(body),
    }
    if detail == Detail::Imports {
        collector.bindings = Vec::new();
        collector.dunder_all = DunderAll::Absent;
        collector.star_imports = Vec::new();
        collector.has_getattr = false;
    }
    let dunder_all = match collector.dunder_all {
        DunderAll::Absent | DunderAll::Computed => None,
        DunderAll::Literal(names) => Some(names),
    };
    // A use counts when an import binds its name in the use's own function
    // or an enclosing one, in any order (a function body runs after the
    // module's later imports).
    let bound = |scope: u32, name: &str| {
        let mut scope = Some(scope);
        while let Some(s) = scope {
            if collector
                .import_bound
                .get(&s)
                .is_some_and(|names| names.contains(name))
            {
                return true;
            }
            scope = collector.scope_parents.get(s as usize).copied().flatten();
        }
        false
    };
    let mut attribute_uses_kept = Vec::new();
    for (scope, u) in std::mem::take(&mut collector.attribute_uses) {
        if bound(scope, &u.root) {
            attribute_uses_kept.push(u);
        }
    }
    let mut bare_uses: Vec<String> = collector
        .names_used
        .iter()
        .flat_map(|(scope, names)| names.iter().map(move |n| (*scope, n)))
        .filter(|(scope, n)| bound(*scope, n))
        .map(|(_, n)| n.clone())
        .collect();
    bare_uses.sort();
    bare_uses.dedup();
    let offsets = recorded_offsets(
        &collector.imports,
        &syntax_errors,
        &collector.bindings,
        &attribute_uses_kept,
        &collector.string_refs,
    );
    let facts = FileFacts {
        lines: LineIndex::sparse(text, offsets),
        imports: collector.imports,
        syntax_errors,
        bindings: collector.bindings,
        dunder_all,
        star_imports: collector.star_imports,
        has_getattr: collector.has_getattr,
        attribute_uses: attribute_uses_kept,
        string_refs: collector.string_refs,
        bare_uses,
    };
    let walk_time = walk_started.elapsed();
    // Freeing the tree is counted as parsing.
    let drop_started = std::time::Instant::now();
    drop(parsed);
    (facts, parse_time + drop_started.elapsed(), walk_time)
}

/// What is known of `__all__` so far.
#[derive(Debug, Default)]
enum DunderAll {
    #[default]
    Absent,
    Literal(Vec<String>),
    Computed,
}

/// Walks the AST, tracking the context that decides an import's kind.
#[derive(Default)]
struct Collector<'src> {
    text: &'src str,
    /// Record attribute uses, string references and bare uses ([`Detail::Symbols`]).
    symbols: bool,
    imports: Vec<RawImport>,
    bindings: Vec<Binding>,
    dunder_all: DunderAll,
    star_imports: Vec<usize>,
    has_getattr: bool,
    /// Candidate `alias.attr` chains with the function scope they are in;
    /// narrowed to the import-bound roots at the end.
    attribute_uses: Vec<(u32, AttributeUse)>,
    string_refs: Vec<StringRef>,
    /// Names read, per function scope, among those some import of the file
    /// binds; narrowed to the ones an import binds in scope at the end.
    /// Looked up before inserting, so a name read many times is allocated
    /// once per scope.
    names_used: rustc_hash::FxHashMap<u32, rustc_hash::FxHashSet<String>>,
    /// Names bound by an import, per function scope.
    import_bound: rustc_hash::FxHashMap<u32, rustc_hash::FxHashSet<String>>,
    /// Every name some import statement of the file binds, in any scope:
    /// a cheap first filter, so chains and names that can never be
    /// import-bound are not recorded at all.
    ever_import_bound: rustc_hash::FxHashSet<String>,
    /// The function scope being visited (0: the module).
    scope: u32,
    /// The enclosing scope of each scope id (`None` for the module).
    scope_parents: Vec<Option<u32>>,
    /// Enclosing module-level conditional blocks.
    branches: Vec<String>,
    class_depth: u32,
    function_depth: u32,
    type_checking_depth: u32,
    guarded: bool,
    /// Local names bound to the `typing` / `typing_extensions` modules.
    typing_modules: Vec<String>,
    /// Local names bound to `TYPE_CHECKING` by `from typing import ...`.
    type_checking_names: Vec<String>,
    /// Local names bound to the `importlib` module.
    importlib_modules: Vec<String>,
    /// Local names bound to `importlib.import_module`.
    import_module_names: Vec<String>,
}

impl Collector<'_> {
    fn module_level(&self) -> bool {
        self.function_depth == 0 && self.class_depth == 0
    }

    fn bind(&mut self, name: &str, kind: BindingKind, offset: u32, value: BindingValue) {
        if !self.module_level() {
            return;
        }
        let branch = (!self.branches.is_empty()).then(|| self.branches.join(" > "));
        self.bindings.push(Binding {
            name: name.to_string(),
            kind,
            offset,
            branch,
            value,
        });
    }

    /// Runs `f` inside a conditional block labelled `label` (module level only).
    fn in_branch(&mut self, label: impl FnOnce(&Self) -> String, f: impl FnOnce(&mut Self)) {
        if self.module_level() {
            let label = label(self);
            self.branches.push(label);
            f(self);
            self.branches.pop();
        } else {
            f(self);
        }
    }

    /// Source text of `node`, whitespace collapsed, shortened for labels.
    fn snippet(&self, node: &impl Ranged) -> String {
        let text = self.text.get(node.range().to_std_range()).unwrap_or("");
        let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if out.chars().count() > 60 {
            out = out.chars().take(57).collect::<String>() + "...";
        }
        out
    }

    /// Records the binding(s) made by `target = value` at module level.
    fn assignment(&mut self, target: &Expr, value: Option<&Expr>, offset: u32) {
        match target {
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => {
                if id.as_str() == "__all__" && self.module_level() {
                    self.dunder_all = match value.and_then(literal_strings) {
                        Some(names) => DunderAll::Literal(names),
                        None => DunderAll::Computed,
                    };
                }
                let binding = match value {
                    Some(Expr::Name(source)) => BindingValue::Alias(source.id.to_string()),
                    Some(expr @ Expr::Attribute(_)) => match attribute_chain(expr) {
                        Some((base, attrs)) => BindingValue::Attribute { base, attrs },
                        None => BindingValue::Definition,
                    },
                    _ => BindingValue::Definition,
                };
                self.bind(id.as_str(), BindingKind::Variable, offset, binding);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.assignment(elt, None, offset);
                }
            }
            Expr::Starred(ast::ExprStarred { value, .. }) => self.assignment(value, None, offset),
            _ => {}
        }
    }

    /// `__all__ += [...]`, `__all__.extend([...])`, `__all__.append("x")`.
    fn extend_all(&mut self, added: Option<Vec<String>>) {
        if !self.module_level() {
            return;
        }
        self.dunder_all = match (std::mem::take(&mut self.dunder_all), added) {
            (DunderAll::Literal(mut names), Some(more)) => {
                names.extend(more);
                DunderAll::Literal(names)
            }
            _ => DunderAll::Computed,
        };
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

    fn push(&mut self, offset: u32, kind: ImportKind, form: ImportForm) {
        self.imports.push(RawImport {
            offset,
            kind,
            guarded: self.guarded,
            form,
        });
    }

    fn note_import_aliases(&mut self, module: &str, asname: Option<&str>) {
        let bound = import_binding(module, asname);
        // `import importlib.util` binds `importlib`; `import a.b as x` binds `x` to `a.b`.
        let bound_module = if asname.is_some() { module } else { bound };
        match bound_module {
            "typing" | "typing_extensions" => self.typing_modules.push(bound.to_string()),
            "importlib" => self.importlib_modules.push(bound.to_string()),
            _ => {}
        }
    }

    fn note_from_aliases(&mut self, level: u32, module: &str, names: &[ImportedName]) {
        if level != 0 {
            return;
        }
        for name in names {
            let bound = name.asname.as_deref().unwrap_or(&name.name).to_string();
            match (module, name.name.as_str()) {
                ("typing" | "typing_extensions", "TYPE_CHECKING") => {
                    self.type_checking_names.push(bound)
                }
                ("importlib", "import_module") => self.import_module_names.push(bound),
                _ => {}
            }
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

    fn is_import_module_func(&self, func: &Expr) -> bool {
        matches!(func, Expr::Name(n) if n.id.as_str() == "__import__")
            || refers_to(
                func,
                "import_module",
                &self.import_module_names,
                &self.importlib_modules,
            )
    }

    /// Records `importlib.import_module("x")` / `__import__("x")` calls.
    fn dynamic_call(&mut self, call: &ast::ExprCall) {
        let ast::ExprCall {
            func,
            arguments,
            range_start: _,
            node_index: _,
        } = call;
        if !self.is_import_module_func(func) {
            return;
        }
        let is_dunder = matches!(func.as_ref(), Expr::Name(n) if n.id.as_str() == "__import__");
        // An argument given by keyword or at a position.
        let arg = |keyword: &str, position: usize| {
            arguments
                .find_keyword(keyword)
                .map(|k| &k.value)
                .or_else(|| arguments.args.get(position))
        };
        let Some(module) = arg("name", 0).and_then(string_literal) else {
            return;
        };
        if module.is_empty() {
            return;
        }
        let offset = call.start().to_u32();
        if is_dunder {
            // __import__(name, globals, locals, fromlist, level): a fromlist
            // makes it `from name import ...`; a level makes it relative to
            // the calling module's package.
            let level = arg("level", 4).and_then(int_literal).unwrap_or(0);
            let fromlist = arg("fromlist", 3)
                .and_then(literal_strings)
                .unwrap_or_default();
            let form = if !fromlist.is_empty() {
                ImportForm::From {
                    level,
                    module,
                    names: fromlist
                        .into_iter()
                        .map(|name| ImportedName { name, asname: None })
                        .collect(),
                }
            } else if level > 0 {
                ImportForm::Dynamic {
                    module: ".".repeat(level as usize) + &module,
                    anchor: Some(DynamicAnchor::CurrentPackage),
                }
            } else {
                ImportForm::Dynamic {
                    module,
                    anchor: None,
                }
            };
            self.push(offset, ImportKind::Dynamic, form);
            return;
        }
        let anchor = arg("package", 1).map(|value| match value {
            Expr::Name(n) if n.id.as_str() == "__package__" => DynamicAnchor::CurrentPackage,
            Expr::Name(n) if n.id.as_str() == "__name__" => DynamicAnchor::CurrentModule,
            other => match string_literal(other) {
                Some(literal) => DynamicAnchor::Literal(literal),
                None => DynamicAnchor::Computed(self.snippet(other)),
            },
        });
        self.push(
            offset,
            ImportKind::Dynamic,
            ImportForm::Dynamic { module, anchor },
        );
    }

    fn visit_function_body(&mut self, body: &[Stmt]) {
        let guarded = std::mem::replace(&mut self.guarded, false);
        let outer = self.enter_scope();
        self.function_depth += 1;
        self.visit_body(body);
        self.function_depth -= 1;
        self.scope = outer;
        self.guarded = guarded;
    }

    /// Starts a new function scope inside the current one; returns the
    /// current one, to restore.
    fn enter_scope(&mut self) -> u32 {
        if self.scope_parents.is_empty() {
            self.scope_parents.push(None);
        }
        let outer = self.scope;
        self.scope = u32::try_from(self.scope_parents.len()).unwrap_or(u32::MAX);
        self.scope_parents.push(Some(outer));
        outer
    }
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

/// The name a plain `a.b.c` chain starts from, without allocating.
fn chain_root(expr: &Expr) -> Option<&str> {
    let mut cursor = expr;
    loop {
        match cursor {
            Expr::Attribute(ast::ExprAttribute {
                value,
                attr: _,
                ctx: _,
                range: _,
                node_index: _,
            }) => cursor = value,
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => return Some(id.as_str()),
            _ => return None,
        }
    }
}

/// The local name `import module [as asname]` binds: the alias, else the
/// top-level package (`import a.b` binds `a`).
fn import_binding<'n>(module: &'n str, asname: Option<&'n str>) -> &'n str {
    asname.unwrap_or_else(|| module.split('.').next().unwrap_or(module))
}

/// Names bound by import statements anywhere in a file (statements only).
#[derive(Default)]
struct ImportNames(rustc_hash::FxHashSet<String>);

impl<'a> StatementVisitor<'a> for ImportNames {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(ast::StmtImport {
                names,
                is_lazy: _,
                range: _,
                node_index: _,
            }) => {
                for alias in names {
                    let asname = alias.asname.as_ref().map(|a| a.id.as_str());
                    self.0
                        .insert(import_binding(alias.name.id.as_str(), asname).to_string());
                }
            }
            Stmt::ImportFrom(ast::StmtImportFrom {
                module: _,
                names,
                level: _,
                is_lazy: _,
                range: _,
                node_index: _,
            }) => {
                for alias in names {
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.0.insert(bound.id.to_string());
                }
            }
            _ => statement_visitor::walk_stmt(self, stmt),
        }
    }
}

/// `a.b.c` → `("a", ["b", "c"])`; `None` unless the chain starts at a name.
fn attribute_chain(expr: &Expr) -> Option<(String, Vec<String>)> {
    let mut attrs = Vec::new();
    let mut cursor = expr;
    loop {
        match cursor {
            Expr::Attribute(ast::ExprAttribute {
                value,
                attr,
                ctx: _,
                range: _,
                node_index: _,
            }) => {
                attrs.push(attr.id.to_string());
                cursor = value;
            }
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => {
                attrs.reverse();
                return Some((id.to_string(), attrs));
            }
            _ => return None,
        }
    }
}

/// The strings of a literal list or tuple of strings.
fn literal_strings(expr: &Expr) -> Option<Vec<String>> {
    let elts = match expr {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => elts,
        _ => return None,
    };
    elts.iter().map(string_literal).collect()
}

/// `__all__.extend([...])` / `__all__.append("x")`: `Some(Some(names))` when
/// literal, `Some(None)` when computed, `None` when not a mutation of `__all__`.
fn all_mutation(expr: &Expr) -> Option<Option<Vec<String>>> {
    let Expr::Call(ast::ExprCall {
        func,
        arguments,
        range_start: _,
        node_index: _,
    }) = expr
    else {
        return None;
    };
    let (root, attrs) = attribute_chain(func)?;
    if root != "__all__" || attrs.len() != 1 {
        return None;
    }
    let arg = arguments.args.first();
    match attrs[0].as_str() {
        "extend" => Some(arg.and_then(literal_strings)),
        "append" => Some(arg.and_then(string_literal).map(|s| vec![s])),
        "remove" | "insert" | "pop" | "clear" => Some(None),
        _ => None,
    }
}

/// `pkg.mod.Name` or `pkg.mod:Name`: at least two dotted identifier parts.
fn looks_like_python_path(value: &str) -> bool {
    if value.len() > 300 {
        return false;
    }
    let (dotted, member) = match value.split_once(':') {
        Some((left, right)) => (left, Some(right)),
        None => (value, None),
    };
    let parts: Vec<&str> = dotted.split('.').collect();
    let dotted_ok = parts.iter().all(|p| crate::discover::is_identifier(p));
    let member_ok = member.is_none_or(|m| m.split('.').all(crate::discover::is_identifier));
    dotted_ok && member_ok && (parts.len() >= 2 || member.is_some())
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

fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::StringLiteral(ast::ExprStringLiteral {
            value,
            range: _,
            node_index: _,
        }) => Some(value.to_str().to_string()),
        _ => None,
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
    const CATCHING: [&str; 4] = [
        "ImportError",
        "ModuleNotFoundError",
        "Exception",
        "BaseException",
    ];
    match expr {
        Expr::Name(n) => CATCHING.contains(&n.id.as_str()),
        Expr::Attribute(a) => CATCHING.contains(&a.attr.id.as_str()),
        Expr::Tuple(t) => t.elts.iter().any(expr_catches_import_error),
        _ => false,
    }
}

impl<'a> Visitor<'a> for Collector<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(ast::StmtImport {
                names,
                is_lazy: _,
                range,
                node_index: _,
            }) => {
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
                    let bound = import_binding(&module, asname.as_deref()).to_string();
                    let index = self.imports.len();
                    self.bind(
                        &bound,
                        BindingKind::Import,
                        range.start().to_u32(),
                        BindingValue::Import {
                            import: index,
                            name: None,
                        },
                    );
                    self.import_bound
                        .entry(self.scope)
                        .or_default()
                        .insert(bound);
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
                let index = self.imports.len();
                for name in &names {
                    if name.name == "*" {
                        if self.module_level() {
                            self.star_imports.push(index);
                        }
                        continue;
                    }
                    let bound = name.asname.as_deref().unwrap_or(&name.name);
                    self.bind(
                        bound,
                        BindingKind::Import,
                        range.start().to_u32(),
                        BindingValue::Import {
                            import: index,
                            name: Some(name.name.clone()),
                        },
                    );
                    self.import_bound
                        .entry(self.scope)
                        .or_default()
                        .insert(bound.to_string());
                }
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
                range,
                node_index: _,
            }) => {
                if self.module_level() && name.id.as_str() == "__getattr__" {
                    self.has_getattr = true;
                }
                self.bind(
                    name.id.as_str(),
                    BindingKind::Function,
                    range.start().to_u32(),
                    BindingValue::Definition,
                );
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
                self.visit_function_body(body);
            }
            Stmt::If(ast::StmtIf {
                test,
                body,
                elif_else_clauses,
                range: _,
                node_index: _,
            }) => {
                self.visit_expr(test);
                let type_checking = self.is_type_checking_test(test);
                self.in_branch(
                    |c| format!("if {}", c.snippet(test.as_ref())),
                    |c| {
                        if type_checking {
                            c.type_checking_depth += 1;
                            c.visit_body(body);
                            c.type_checking_depth -= 1;
                        } else {
                            c.visit_body(body);
                        }
                    },
                );
                for clause in elif_else_clauses {
                    let ast::ElifElseClause {
                        test,
                        body,
                        range: _,
                        node_index: _,
                    } = clause;
                    if let Some(test) = test {
                        self.visit_expr(test);
                    }
                    self.in_branch(
                        |c| match test {
                            Some(test) => format!("elif {}", c.snippet(test)),
                            None => "else".to_string(),
                        },
                        |c| c.visit_body(body),
                    );
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
                let outer = self.guarded;
                self.guarded = outer || handlers.iter().any(catches_import_error);
                self.in_branch(|_| "try".to_string(), |c| c.visit_body(body));
                self.guarded = outer;
                for handler in handlers {
                    let ast::ExceptHandler::ExceptHandler(ast::ExceptHandlerExceptHandler {
                        type_,
                        name: _,
                        body,
                        range: _,
                        node_index: _,
                    }) = handler;
                    if let Some(type_) = type_ {
                        self.visit_expr(type_);
                    }
                    self.in_branch(
                        |c| match type_ {
                            Some(type_) => format!("except {}", c.snippet(type_.as_ref())),
                            None => "except".to_string(),
                        },
                        |c| c.visit_body(body),
                    );
                }
                self.in_branch(|_| "try-else".to_string(), |c| c.visit_body(orelse));
                self.in_branch(|_| "finally".to_string(), |c| c.visit_body(finalbody));
            }
            Stmt::ClassDef(ast::StmtClassDef {
                decorator_list,
                name,
                type_params,
                arguments,
                body,
                range,
                node_index: _,
            }) => {
                self.bind(
                    name.id.as_str(),
                    BindingKind::Class,
                    range.start().to_u32(),
                    BindingValue::Definition,
                );
                for decorator in decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = arguments {
                    self.visit_arguments(arguments);
                }
                self.class_depth += 1;
                self.visit_body(body);
                self.class_depth -= 1;
            }
            Stmt::Assign(ast::StmtAssign {
                targets,
                value,
                range,
                node_index: _,
            }) => {
                for target in targets {
                    self.assignment(target, Some(value), range.start().to_u32());
                }
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
                if let Some(value) = value {
                    self.assignment(target, Some(value), range.start().to_u32());
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::AugAssign(ast::StmtAugAssign {
                target,
                op,
                value,
                range,
                node_index: _,
            }) => {
                if matches!(target.as_ref(), Expr::Name(n) if n.id.as_str() == "__all__")
                    && self.module_level()
                {
                    let added = matches!(op, ast::Operator::Add)
                        .then(|| literal_strings(value))
                        .flatten();
                    self.extend_all(added);
                    self.bind(
                        "__all__",
                        BindingKind::Variable,
                        range.start().to_u32(),
                        BindingValue::Definition,
                    );
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::Expr(ast::StmtExpr {
                value,
                range: _,
                node_index: _,
            }) => {
                if let Some(added) = all_mutation(value) {
                    self.extend_all(added);
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::With(ast::StmtWith {
                is_async: _,
                items,
                body,
                range: _,
                node_index: _,
            }) => {
                for item in items {
                    self.visit_with_item(item);
                    if let Some(target) = &item.optional_vars {
                        self.assignment(target, None, target.start().to_u32());
                    }
                }
                self.in_branch(|_| "with".to_string(), |c| c.visit_body(body));
            }
            Stmt::For(ast::StmtFor {
                is_async: _,
                target,
                iter,
                body,
                orelse,
                range: _,
                node_index: _,
            }) => {
                self.visit_expr(iter);
                self.visit_expr(target);
                self.assignment(target, None, target.start().to_u32());
                self.in_branch(|_| "for".to_string(), |c| c.visit_body(body));
                self.in_branch(|_| "for-else".to_string(), |c| c.visit_body(orelse));
            }
            Stmt::While(ast::StmtWhile {
                test,
                body,
                orelse,
                range: _,
                node_index: _,
            }) => {
                self.visit_expr(test);
                self.in_branch(|_| "while".to_string(), |c| c.visit_body(body));
                self.in_branch(|_| "while-else".to_string(), |c| c.visit_body(orelse));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.dynamic_call(call);
                visitor::walk_expr(self, expr);
            }
            Expr::Attribute(_) if !self.symbols => visitor::walk_expr(self, expr),
            // A chain whose root some import of the file binds is kept with
            // its scope and judged once the whole file is seen: a function
            // body may use an alias imported further down.
            Expr::Attribute(_)
                if !chain_root(expr).is_some_and(|r| self.ever_import_bound.contains(r)) =>
            {
                visitor::walk_expr(self, expr)
            }
            Expr::Attribute(_) => match attribute_chain(expr) {
                Some((root, attrs)) => {
                    let usage = AttributeUse {
                        root,
                        attrs,
                        offset: expr.start().to_u32(),
                        end: expr.end().to_u32(),
                    };
                    self.attribute_uses.push((self.scope, usage));
                }
                _ => visitor::walk_expr(self, expr),
            },
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => {
                if self.symbols && self.ever_import_bound.contains(id.as_str()) {
                    let names = self.names_used.entry(self.scope).or_default();
                    if !names.contains(id.as_str()) {
                        names.insert(id.to_string());
                    }
                }
            }
            Expr::StringLiteral(ast::ExprStringLiteral {
                value,
                range,
                node_index: _,
            }) => {
                let value = value.to_str();
                if self.symbols && looks_like_python_path(value) {
                    self.string_refs.push(StringRef {
                        value: value.to_string(),
                        offset: range.start().to_u32(),
                        end: range.end().to_u32(),
                    });
                }
            }
            Expr::Lambda(ast::ExprLambda {
                parameters,
                body,
                range: _,
                node_index: _,
            }) => {
                if let Some(parameters) = parameters {
                    self.visit_parameters(parameters);
                }
                let outer = self.enter_scope();
                self.function_depth += 1;
                self.visit_expr(body);
                self.function_depth -= 1;
                self.scope = outer;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_detail_keeps_imports_and_lines_and_nothing_else() {
        let src = "import a\nx = a.b.c\ny = 'p.q.R'\nclass K: pass\n__all__ = ['K']\n\
                   from m import *\ndef __getattr__(n): pass\nif T:\n    from .r import s\n(\n";
        let full = extract(src, false, Detail::Symbols);
        let imports = extract(src, false, Detail::Imports);
        assert!(!full.bindings.is_empty() && !full.attribute_uses.is_empty());
        assert!(!full.string_refs.is_empty() && full.dunder_all.is_some() && full.has_getattr);
        assert_eq!(imports.imports, full.imports);
        assert_eq!(imports.syntax_errors, full.syntax_errors);
        assert_eq!(
            imports,
            FileFacts {
                lines: imports.lines.clone(),
                ..full.clone().imports_only()
            }
        );
        for offset in full
            .imports
            .iter()
            .map(|i| i.offset)
            .chain(full.syntax_errors.iter().map(|e| e.offset))
        {
            assert_eq!(imports.lines.line(offset), full.lines.line(offset));
        }
        assert_eq!(
            full.imports
                .iter()
                .map(|i| full.lines.line(i.offset))
                .collect::<Vec<_>>(),
            vec![1, 6, 9]
        );
    }

    /// `(line, kind, guarded, rendered form)` for each import of `src`.
    fn summary(src: &str) -> Vec<(u32, ImportKind, bool, String)> {
        let facts = extract(src, false, Detail::Symbols);
        facts
            .imports
            .iter()
            .map(|imp| {
                let form = imp.form.to_string();
                (facts.lines.line(imp.offset), imp.kind, imp.guarded, form)
            })
            .collect()
    }

    use ImportKind::{Dynamic, Lazy, Module, TypeChecking};

    /// `(line, kind, guarded, rendered import)` expected for one import.
    type Expected = (u32, ImportKind, bool, &'static str);

    #[test]
    fn kinds_and_guards() {
        let cases: Vec<(&str, Vec<Expected>)> = vec![
            (
                "import a.b.c as x, d",
                vec![
                    (1, Module, false, "import a.b.c as x"),
                    (1, Module, false, "import d"),
                ],
            ),
            (
                "from ..p import (x,\n  y as z)",
                vec![(1, Module, false, "from ..p import x, y as z")],
            ),
            (
                "from . import *",
                vec![(1, Module, false, "from . import *")],
            ),
            ("def f():\n    import a", vec![(2, Lazy, false, "import a")]),
            (
                "class C:\n    import a\n    def m(self):\n        from b import c",
                vec![
                    (2, Module, false, "import a"),
                    (4, Lazy, false, "from b import c"),
                ],
            ),
            (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a",
                vec![
                    (1, Module, false, "from typing import TYPE_CHECKING"),
                    (3, TypeChecking, false, "import a"),
                ],
            ),
            (
                "import typing as t\nif t.TYPE_CHECKING:\n    import a\nelse:\n    import b",
                vec![
                    (1, Module, false, "import typing as t"),
                    (3, TypeChecking, false, "import a"),
                    (5, Module, false, "import b"),
                ],
            ),
            (
                "from typing import TYPE_CHECKING as TC\nif TC:\n    import a",
                vec![
                    (1, Module, false, "from typing import TYPE_CHECKING as TC"),
                    (3, TypeChecking, false, "import a"),
                ],
            ),
            (
                "if other.TYPE_CHECKING:\n    import a",
                vec![(2, Module, false, "import a")],
            ),
            (
                "def f():\n    if TYPE_CHECKING:\n        import a",
                vec![(3, TypeChecking, false, "import a")],
            ),
            (
                "try:\n    import a\nexcept ImportError:\n    import b",
                vec![
                    (2, Module, true, "import a"),
                    (4, Module, false, "import b"),
                ],
            ),
            (
                "try:\n    import a\nexcept (ValueError, ModuleNotFoundError):\n    pass",
                vec![(2, Module, true, "import a")],
            ),
            (
                "try:\n    import a\nexcept:\n    pass",
                vec![(2, Module, true, "import a")],
            ),
            (
                "try:\n    import a\nexcept ValueError:\n    pass",
                vec![(2, Module, false, "import a")],
            ),
            (
                "try:\n    def f():\n        import a\nexcept Exception:\n    pass",
                vec![(3, Lazy, false, "import a")],
            ),
            (
                "import importlib\nimportlib.import_module('p.q')",
                vec![
                    (1, Module, false, "import importlib"),
                    (2, Dynamic, false, r#"importlib.import_module("p.q")"#),
                ],
            ),
            (
                "from importlib import import_module as im\ndef f():\n    im('.q', package='p')",
                vec![
                    (
                        1,
                        Module,
                        false,
                        "from importlib import import_module as im",
                    ),
                    (
                        3,
                        Dynamic,
                        false,
                        r#"importlib.import_module(".q", package="p")"#,
                    ),
                ],
            ),
            (
                "import importlib as il\nx = lambda: il.import_module('.q', package=__package__)",
                vec![
                    (1, Module, false, "import importlib as il"),
                    (
                        2,
                        Dynamic,
                        false,
                        r#"importlib.import_module(".q", package=__package__)"#,
                    ),
                ],
            ),
            (
                "__import__('os.path')",
                vec![(1, Dynamic, false, r#"importlib.import_module("os.path")"#)],
            ),
            ("importlib.import_module(name)", vec![]),
            (
                "import importlib\nimportlib.import_module('.helper', 'pkg')",
                vec![
                    (1, Module, false, "import importlib"),
                    (
                        2,
                        Dynamic,
                        false,
                        r#"importlib.import_module(".helper", package="pkg")"#,
                    ),
                ],
            ),
            (
                "__import__('helper', globals(), locals(), [], 1)",
                vec![(
                    1,
                    Dynamic,
                    false,
                    r#"importlib.import_module(".helper", package=__package__)"#,
                )],
            ),
            (
                "__import__('pkg.sub', fromlist=['leaf'])",
                vec![(1, Dynamic, false, "from pkg.sub import leaf")],
            ),
            ("something.import_module('x')", vec![]),
            (
                "with ctx():\n    for i in x:\n        import a",
                vec![(3, Module, false, "import a")],
            ),
            (
                "@deco(__import__('d'))\ndef f(x=__import__('e')):\n    pass",
                vec![
                    (1, Dynamic, false, r#"importlib.import_module("d")"#),
                    (2, Dynamic, false, r#"importlib.import_module("e")"#),
                ],
            ),
        ];
        for (src, expected) in cases {
            let expected: Vec<(u32, ImportKind, bool, String)> = expected
                .into_iter()
                .map(|(l, k, g, f)| (l, k, g, f.to_string()))
                .collect();
            assert_eq!(summary(src), expected, "source:\n{src}");
        }
    }

    #[test]
    fn imports_survive_syntax_errors() {
        let src = "import a\ndef broken(:\n    pass\nimport b\n";
        let facts = extract(src, false, Detail::Symbols);
        let modules: Vec<_> = facts
            .imports
            .iter()
            .map(|i| match &i.form {
                ImportForm::Import { module, .. } => module.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(modules, vec!["a", "b"]);
        assert!(!facts.syntax_errors.is_empty());
        assert_eq!(facts.lines.line(facts.syntax_errors[0].offset), 2);
    }

    #[test]
    fn pep701_fstrings_parse() {
        let facts = extract(
            "import a\nx = f\"{d.get(\"type\")}\"\n",
            false,
            Detail::Symbols,
        );
        assert!(facts.syntax_errors.is_empty(), "{:?}", facts.syntax_errors);
        assert_eq!(facts.imports.len(), 1);
    }
}

#[cfg(test)]
mod binding_tests {
    use super::*;

    /// `(name, kind, line, branch, value)` of each module-level binding.
    fn bindings(src: &str) -> Vec<(String, &'static str, u32, Option<String>, String)> {
        let facts = extract(src, false, Detail::Symbols);
        facts
            .bindings
            .iter()
            .map(|b| {
                let value = match &b.value {
                    BindingValue::Definition => "def".to_string(),
                    BindingValue::Alias(n) => format!("alias {n}"),
                    BindingValue::Attribute { base, attrs } => {
                        format!("attr {base}.{}", attrs.join("."))
                    }
                    BindingValue::Import { import, name } => format!(
                        "import [{}] {}",
                        facts.imports[*import].form,
                        name.as_deref().unwrap_or("<module>")
                    ),
                };
                (
                    b.name.clone(),
                    b.kind.as_str(),
                    facts.lines.line(b.offset),
                    b.branch.clone(),
                    value,
                )
            })
            .collect()
    }

    fn b(
        name: &str,
        kind: &'static str,
        line: u32,
        branch: Option<&str>,
        value: &str,
    ) -> (String, &'static str, u32, Option<String>, String) {
        (
            name.into(),
            kind,
            line,
            branch.map(String::from),
            value.into(),
        )
    }

    #[test]
    fn module_level_bindings_with_branches() {
        let src = "\
import a.b.c
import a.b as ab
from m import X as Y, Z
class C:
    inner = 1
    def method(self): pass
async def f():
    local = 2
V: int = 3
W = Y
U = ab.Thing
p, (q, *r) = 1, (2, 3)
try:
    from fast import Impl
except (ImportError, AttributeError):
    class Impl:
        pass
if sys.version_info >= (3, 11):
    T = 1
elif FLAG:
    T = 2
else:
    with ctx():
        T = 3
";
        assert_eq!(
            bindings(src),
            vec![
                b("a", "import", 1, None, "import [import a.b.c] <module>"),
                b(
                    "ab",
                    "import",
                    2,
                    None,
                    "import [import a.b as ab] <module>"
                ),
                b("Y", "import", 3, None, "import [from m import X as Y, Z] X"),
                b("Z", "import", 3, None, "import [from m import X as Y, Z] Z"),
                b("C", "class", 4, None, "def"),
                b("f", "function", 7, None, "def"),
                b("V", "variable", 9, None, "def"),
                b("W", "variable", 10, None, "alias Y"),
                b("U", "variable", 11, None, "attr ab.Thing"),
                b("p", "variable", 12, None, "def"),
                b("q", "variable", 12, None, "def"),
                b("r", "variable", 12, None, "def"),
                b(
                    "Impl",
                    "import",
                    14,
                    Some("try"),
                    "import [from fast import Impl] Impl"
                ),
                b(
                    "Impl",
                    "class",
                    16,
                    Some("except (ImportError, AttributeError)"),
                    "def"
                ),
                b(
                    "T",
                    "variable",
                    19,
                    Some("if sys.version_info >= (3, 11)"),
                    "def"
                ),
                b("T", "variable", 21, Some("elif FLAG"), "def"),
                b("T", "variable", 24, Some("else > with"), "def"),
            ]
        );
    }

    #[test]
    fn dunder_all_literal_forms() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("__all__ = ['a', 'b']", Some(&["a", "b"])),
            ("__all__ = ('a',)\n__all__ += ['b']", Some(&["a", "b"])),
            (
                "__all__ = ['a']\n__all__.extend(['b'])\n__all__.append('c')",
                Some(&["a", "b", "c"]),
            ),
            ("__all__ = [n for n in dir()]", None),
            ("__all__ = ['a']\n__all__ += other.__all__", None),
            ("x = 1", None),
            ("def f():\n    __all__ = ['nope']", None),
        ];
        for (src, expected) in cases {
            let facts = extract(src, false, Detail::Symbols);
            let expected = expected.map(|names| names.iter().map(|s| s.to_string()).collect());
            assert_eq!(facts.dunder_all, expected, "{src}");
        }
    }

    #[test]
    fn attribute_uses_strings_star_and_getattr() {
        let src = "\
import app.core.shim as compat
from pkg import *
def f():
    import other
    return compat.Factory(), other.sub.Name, self.attr, compat
x = mock.patch('app.core.shim.Factory')
y = 'not a path', 'pkg.mod:attr', 'a.b'
def __getattr__(name):
    pass
";
        let facts = extract(src, false, Detail::Symbols);
        let uses: Vec<(String, Vec<String>, u32)> = facts
            .attribute_uses
            .iter()
            .map(|u| (u.root.clone(), u.attrs.clone(), facts.lines.line(u.offset)))
            .collect();
        assert_eq!(
            uses,
            vec![
                ("compat".into(), vec!["Factory".to_string()], 5),
                (
                    "other".into(),
                    vec!["sub".to_string(), "Name".to_string()],
                    5
                ),
            ]
        );
        let strings: Vec<&str> = facts.string_refs.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(
            strings,
            vec!["app.core.shim.Factory", "pkg.mod:attr", "a.b"]
        );
        assert_eq!(facts.star_imports, vec![1]);
        assert!(facts.has_getattr);
    }

    /// A function body may use an alias imported further down the file
    /// (found by the migrate property test: the alias import was dropped
    /// while such a use remained).
    #[test]
    fn uses_before_the_import_in_source_order_count() {
        let src = "\
def f():
    return shim.Factory(), shim
from pkg import shim
";
        let facts = extract(src, false, Detail::Symbols);
        assert_eq!(use_roots_and_lines(&facts), vec![("shim", 2)]);
        assert_eq!(facts.bare_uses, vec!["shim".to_string()]);
    }

    /// An import inside a function binds the name there (and in nested
    /// functions), not at module level (found in review: a module-level
    /// local of the same name was counted as a use).
    #[test]
    fn uses_count_only_where_an_import_binds_the_name() {
        let src = "\
mod = Local()
print(mod.Factory)
def later():
    import pkg.core as mod
    return mod.Factory
def outer():
    import pkg.x as px
    def inner():
        return px.Thing
    return inner
";
        let facts = extract(src, false, Detail::Symbols);
        assert_eq!(use_roots_and_lines(&facts), vec![("mod", 5), ("px", 9)]);
    }

    /// `(root, line)` of each attribute use.
    fn use_roots_and_lines(facts: &FileFacts) -> Vec<(&str, u32)> {
        facts
            .attribute_uses
            .iter()
            .map(|u| (u.root.as_str(), facts.lines.line(u.offset)))
            .collect()
    }
}
