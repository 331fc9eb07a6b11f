//! The symbol pass: a module's AST and its imports → what the symbol
//! commands need to know about its names.
//!
//! Collects module-level bindings (classes, functions, assignments, names
//! bound by imports) with the conditional blocks around them, `__all__`,
//! star imports, a module-level `__getattr__`, attribute chains and bare
//! uses of import-bound names, and string literals shaped like dotted
//! paths. It runs only at [`Detail::Symbols`](super::Detail), after the
//! import pass, and reads that pass's list to point import bindings and
//! star imports at their entries; it must not find, classify or add
//! imports itself.
//!
//! This file owns the walk: which statements bind at module level and the
//! branch labels of the blocks around them. `bindings` records what is
//! bound (and `__all__`); `uses` owns function scopes and which uses count.
//!
//! A binding's branch names the module-level blocks around it, outermost
//! first, joined by ` > `: `if <test>`, `elif <test>`, `else`, `try`,
//! `except [<type>]`, `try-else`, `finally`, `with`, `for`, `for-else`,
//! `while`, `while-else`, and for each case of a `match`, `match <subject>`
//! then `case <pattern>[ if <guard>]` (so `match cmd > case "go" if ready`).
//! Tests, types, subjects and patterns are source snippets, whitespace
//! collapsed and cut at 60 characters.
//!
//! `visit_stmt` and `visit_expr` name every variant of the parser's `Stmt`
//! and `Expr`, with no catch-all arm, so a parser upgrade that adds a node
//! fails to compile here until someone decides what it binds. The shape
//! predicates of `bindings` and `uses` (`attribute_chain`, `all_mutation`,
//! ...) keep `_` arms that only mean "not that shape".

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::facts::{AttributeUse, Binding, BindingKind, BindingValue, RawImport, StringRef};
use super::{import_binding, literal_strings, snippet};

mod bindings;
mod uses;

use bindings::Bindings;
use uses::Uses;

/// The symbol facts of one file: the fields of
/// [`FileFacts`](super::FileFacts) the import pass leaves empty.
#[derive(Debug, Default)]
pub(super) struct Symbols {
    pub(super) bindings: Vec<Binding>,
    pub(super) dunder_all: Option<Vec<String>>,
    pub(super) star_imports: Vec<usize>,
    pub(super) has_getattr: bool,
    pub(super) getattr_names: Option<Vec<String>>,
    pub(super) attribute_uses: Vec<AttributeUse>,
    pub(super) string_refs: Vec<StringRef>,
    pub(super) bare_uses: Vec<String>,
}

/// Walks a module once, tracking where the walk is: module level or not,
/// inside which module-level blocks.
pub(super) struct SymbolCollector<'src, 'i> {
    text: &'src str,
    bindings: Bindings<'i>,
    uses: Uses,
    has_getattr: bool,
    /// What the module-level `__getattr__` answers, when it is closed (see
    /// [`getattr_names`]); once open, it stays open.
    getattr_names: Option<Vec<String>>,
    /// Enclosing module-level conditional blocks, as branch labels.
    branches: Vec<String>,
    class_depth: u32,
    function_depth: u32,
}

impl<'src, 'i> SymbolCollector<'src, 'i> {
    /// A collector for the tree parsed from `text`, whose import pass
    /// found `imports`.
    pub(super) fn new(text: &'src str, imports: &'i [RawImport]) -> Self {
        SymbolCollector {
            text,
            bindings: Bindings::new(imports),
            uses: Uses::new(imports),
            has_getattr: false,
            getattr_names: None,
            branches: Vec::new(),
            class_depth: 0,
            function_depth: 0,
        }
    }

    /// The symbol facts of `module`.
    pub(super) fn collect(mut self, module: &ast::Mod) -> Symbols {
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
        let (bindings, dunder_all, star_imports) = self.bindings.finish();
        let found = self.uses.finish();
        Symbols {
            bindings,
            dunder_all,
            star_imports,
            has_getattr: self.has_getattr,
            getattr_names: self.getattr_names,
            attribute_uses: found.attribute_uses,
            string_refs: found.string_refs,
            bare_uses: found.bare_uses,
        }
    }

    /// Outside every function and class body (module-level blocks count).
    fn module_level(&self) -> bool {
        self.function_depth == 0 && self.class_depth == 0
    }

    /// The branch label of a binding made here; `None` when unconditional.
    fn branch(&self) -> Option<String> {
        (!self.branches.is_empty()).then(|| self.branches.join(" > "))
    }

    /// Records a binding, when at module level.
    fn bind(&mut self, name: &str, kind: BindingKind, offset: u32, value: BindingValue) {
        if self.module_level() {
            let branch = self.branch();
            self.bindings.bind(name, kind, offset, value, branch);
        }
    }

    /// Records the binding(s) of `target = value`, when at module level.
    fn assignment(&mut self, target: &Expr, value: Option<&Expr>, offset: u32) {
        if self.module_level() {
            let branch = self.branch();
            self.bindings.assignment(target, value, offset, &branch);
        }
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

    /// Runs `f` in a new function scope (a `def` or `lambda` body).
    fn in_function(&mut self, f: impl FnOnce(&mut Self)) {
        let outer = self.uses.enter_function();
        self.function_depth += 1;
        f(self);
        self.function_depth -= 1;
        self.uses.leave_function(outer);
    }

    /// One `case` of a `match`: its pattern and guard, then its body in a
    /// branch labelled `case <pattern>[ if <guard>]`.
    fn match_case(&mut self, case: &ast::MatchCase) {
        let ast::MatchCase {
            pattern,
            guard,
            body,
            range: _,
            node_index: _,
        } = case;
        self.visit_pattern(pattern);
        if let Some(guard) = guard {
            self.visit_expr(guard);
        }
        self.in_branch(
            |c| match guard {
                Some(guard) => format!(
                    "case {} if {}",
                    c.snippet(pattern),
                    c.snippet(guard.as_ref())
                ),
                None => format!("case {}", c.snippet(pattern)),
            },
            |c| c.visit_body(body),
        );
    }

    /// Source text of `node`, shortened, for branch labels.
    fn snippet(&self, node: &impl Ranged) -> String {
        snippet(self.text, node)
    }
}

impl<'a> Visitor<'a> for SymbolCollector<'_, '_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(ast::StmtImport {
                names,
                is_lazy: _,
                range,
                node_index: _,
            }) => {
                let offset = range.start().to_u32();
                for alias in names {
                    let ast::Alias {
                        name,
                        asname,
                        range: _,
                        node_index: _,
                    } = alias;
                    let asname = asname.as_ref().map(|a| a.id.as_str());
                    let bound = import_binding(name.id.as_str(), asname);
                    // Asked at any depth, to keep in step with the list.
                    if let Some(import) = self.bindings.statement_import(offset) {
                        let value = BindingValue::Import { import, name: None };
                        self.bind(bound, BindingKind::Import, offset, value);
                    }
                    self.uses.import_binds(bound);
                }
            }
            Stmt::ImportFrom(ast::StmtImportFrom {
                module: _,
                names,
                level: _,
                is_lazy: _,
                range,
                node_index: _,
            }) => {
                let offset = range.start().to_u32();
                let import = self.bindings.statement_import(offset);
                for alias in names {
                    let ast::Alias {
                        name,
                        asname,
                        range: _,
                        node_index: _,
                    } = alias;
                    if name.id.as_str() == "*" {
                        if let Some(import) = import
                            && self.module_level()
                        {
                            self.bindings.star_import(import);
                        }
                        continue;
                    }
                    let bound = asname.as_ref().unwrap_or(name).id.as_str();
                    if let Some(import) = import {
                        let value = BindingValue::Import {
                            import,
                            name: Some(name.id.to_string()),
                        };
                        self.bind(bound, BindingKind::Import, offset, value);
                    }
                    self.uses.import_binds(bound);
                }
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
                    // Two definitions (under if/else): closed only when the
                    // first was, and the union of what both answer.
                    let first = !self.has_getattr;
                    self.has_getattr = true;
                    self.getattr_names = match (getattr_names(parameters, body), first) {
                        (Some(names), true) => Some(names),
                        (Some(mut names), false) => self.getattr_names.take().map(|mut old| {
                            old.append(&mut names);
                            old.sort();
                            old.dedup();
                            old
                        }),
                        (None, _) => None,
                    };
                }
                self.bind(
                    name.id.as_str(),
                    BindingKind::Function,
                    range.start().to_u32(),
                    BindingValue::Definition,
                );
                if self.module_level() && decorator_list.iter().any(is_overload) {
                    self.bindings.mark_overload();
                }
                // Decorators, defaults and annotations are in the enclosing scope.
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
                self.in_function(|c| c.visit_body(body));
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
                // Not module level, but no function scope either: uses in a
                // class body see the module's imports.
                self.class_depth += 1;
                self.visit_body(body);
                self.class_depth -= 1;
            }
            Stmt::If(ast::StmtIf {
                test,
                body,
                elif_else_clauses,
                range: _,
                node_index: _,
            }) => {
                self.visit_expr(test);
                self.in_branch(
                    |c| format!("if {}", c.snippet(test.as_ref())),
                    |c| c.visit_body(body),
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
                self.in_branch(|_| "try".to_string(), |c| c.visit_body(body));
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
                // A bare annotation (`x: int`) binds nothing.
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
                // Only `__all__ += ...` is tracked: other names were bound before.
                if matches!(target.as_ref(), Expr::Name(n) if n.id.as_str() == "__all__")
                    && self.module_level()
                {
                    let added = matches!(op, ast::Operator::Add)
                        .then(|| literal_strings(value))
                        .flatten();
                    self.bindings.extend_all(added);
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
                if self.module_level() {
                    self.bindings.expression(value);
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::Match(ast::StmtMatch {
                subject,
                cases,
                range: _,
                node_index: _,
            }) => {
                // Each case is a branch, like the clauses of an `if` chain;
                // its label names the `match` too, since a case pattern
                // alone (`case 1`) says little.
                self.visit_expr(subject);
                self.in_branch(
                    |c| format!("match {}", c.snippet(subject.as_ref())),
                    |c| {
                        for case in cases {
                            c.match_case(case);
                        }
                    },
                );
            }
            // Bind no name we track (`type X = ...` is not recorded); only
            // their expressions hold uses.
            Stmt::TypeAlias(_)
            | Stmt::Return(_)
            | Stmt::Delete(_)
            | Stmt::Raise(_)
            | Stmt::Assert(_)
            | Stmt::Global(_)
            | Stmt::Nonlocal(_)
            | Stmt::Pass(_)
            | Stmt::Break(_)
            | Stmt::Continue(_)
            | Stmt::IpyEscapeCommand(_) => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(_) => {
                // A chain kept as a use holds nothing else to visit.
                if !self.uses.attribute(expr) {
                    visitor::walk_expr(self, expr);
                }
            }
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => self.uses.name(id.as_str()),
            Expr::StringLiteral(literal) => self.uses.string(literal),
            Expr::Lambda(ast::ExprLambda {
                parameters,
                body,
                range: _,
                node_index: _,
            }) => {
                // Defaults are evaluated where the lambda is; the body is a scope.
                if let Some(parameters) = parameters {
                    self.visit_parameters(parameters);
                }
                self.in_function(|c| c.visit_expr(body));
            }
            // Everything else only holds expressions to visit.
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
            | Expr::Call(_)
            | Expr::FString(_)
            | Expr::TString(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::Subscript(_)
            | Expr::Starred(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Slice(_)
            | Expr::IpyEscapeCommand(_) => visitor::walk_expr(self, expr),
        }
    }
}

/// `@overload`, `@typing.overload`, `@typing_extensions.overload`.
fn is_overload(decorator: &ast::Decorator) -> bool {
    match &decorator.expression {
        Expr::Name(n) => n.id.as_str() == "overload",
        Expr::Attribute(a) => a.attr.id.as_str() == "overload",
        _ => false,
    }
}

/// The names a module `__getattr__(name)` can answer, when its body uses
/// `name` only in comparisons with string literals (`name == "x"`, `name
/// in ("a", "b")`) and in `raise` statements: those literals, sorted.
/// `None` when it may answer any name (it passes `name` on, looks it up,
/// builds an import from it).
fn getattr_names(parameters: &ast::Parameters, body: &[Stmt]) -> Option<Vec<String>> {
    let param = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .next()?
        .parameter
        .name
        .id
        .as_str();
    let mut scan = GetattrScan {
        param,
        open: false,
        names: Vec::new(),
    };
    scan.visit_body(body);
    if scan.open {
        return None;
    }
    scan.names.sort();
    scan.names.dedup();
    Some(scan.names)
}

/// Walks a `__getattr__` body for [`getattr_names`].
struct GetattrScan<'a> {
    param: &'a str,
    open: bool,
    names: Vec<String>,
}

impl GetattrScan<'_> {
    fn is_param(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(n) if n.id.as_str() == self.param)
    }

    /// The string literals of `expr` (a literal, or a tuple, list or set
    /// of them); `None` for anything else.
    fn literals(expr: &Expr) -> Option<Vec<String>> {
        match expr {
            Expr::StringLiteral(s) => Some(vec![s.value.to_str().to_string()]),
            Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::List(ast::ExprList { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => elts
                .iter()
                .map(|e| match e {
                    Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
}

impl<'a> Visitor<'a> for GetattrScan<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        // An error message may name the parameter: it answers nothing.
        if matches!(stmt, Stmt::Raise(_)) {
            return;
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Compare(ast::ExprCompare {
            left,
            ops: _,
            comparators,
            range: _,
            node_index: _,
        }) = expr
        {
            let operands: Vec<&Expr> = std::iter::once(left.as_ref()).chain(comparators).collect();
            if operands.iter().any(|e| self.is_param(e)) {
                let others: Vec<Option<Vec<String>>> = operands
                    .iter()
                    .filter(|e| !self.is_param(e))
                    .map(|e| Self::literals(e))
                    .collect();
                for found in others {
                    match found {
                        Some(found) => self.names.extend(found),
                        None => self.open = true,
                    }
                }
                return;
            }
        }
        if self.is_param(expr) {
            self.open = true;
            return;
        }
        visitor::walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{BindingValue, Detail, extract};

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

    /// A module-level `match` gives each case a branch, as `if`/`else`
    /// does (regression: its cases were walked as plain blocks, so two
    /// `class Other` in two cases were one unconditional origin twice).
    #[test]
    fn match_cases_are_branches_like_if_clauses() {
        type Expected = &'static [(u32, Option<&'static str>)];
        let cases: &[(&str, Expected)] = &[
            (
                "match sys.platform:\n    case 'win32':\n        class Other: pass\n    \
                 case _:\n        class Other: pass\n",
                &[
                    (3, Some("match sys.platform > case 'win32'")),
                    (5, Some("match sys.platform > case _")),
                ],
            ),
            (
                "if sys.platform == 'win32':\n    class Other: pass\nelse:\n    class Other: pass\n",
                &[(2, Some("if sys.platform == 'win32'")), (4, Some("else"))],
            ),
            (
                "match cfg:\n    case {'fast': True} if FAST:\n        from fast import Other\n    \
                 case [x, *rest]:\n        Other = x\n",
                &[
                    (3, Some("match cfg > case {'fast': True} if FAST")),
                    (5, Some("match cfg > case [x, *rest]")),
                ],
            ),
            (
                "try:\n    match k:\n        case 1:\n            Other = 1\nexcept ImportError:\n    \
                 Other = 2\n",
                &[
                    (4, Some("try > match k > case 1")),
                    (6, Some("except ImportError")),
                ],
            ),
            (
                "def f():\n    match k:\n        case 1:\n            class Other: pass\nclass Other: pass\n",
                &[(5, None)],
            ),
        ];
        for (src, expected) in cases {
            let found: Vec<(u32, Option<String>)> = bindings(src)
                .into_iter()
                .filter(|(name, ..)| name == "Other")
                .map(|(_, _, line, branch, _)| (line, branch))
                .collect();
            let expected: Vec<(u32, Option<String>)> = expected
                .iter()
                .map(|(line, branch)| (*line, branch.map(String::from)))
                .collect();
            assert_eq!(found, expected, "source:\n{src}");
        }
    }
}

#[cfg(test)]
mod getattr_tests {
    use crate::extract::{Detail, extract};

    #[test]
    fn a_getattr_that_only_compares_its_name_answers_those_names() {
        let cases: [(&str, Option<&[&str]>); 6] = [
            (
                "def __getattr__(name):\n    if name == 'BaseCommand':\n        return 1\n    if name in ('A', 'B'):\n        return 2\n    raise AttributeError(f'no {name}')\n",
                Some(&["A", "B", "BaseCommand"]),
            ),
            (
                "def __getattr__(name):\n    return importlib.import_module(f'.{name}', __name__)\n",
                None,
            ),
            ("def __getattr__(name):\n    return _LAZY[name]\n", None),
            (
                "def __getattr__(name):\n    if name in _LAZY:\n        return 1\n",
                None,
            ),
            (
                "def __getattr__(attr):\n    raise AttributeError(attr)\n",
                Some(&[]),
            ),
            ("x = 1\n", None),
        ];
        for (src, want) in cases {
            let facts = extract(src, false, Detail::Symbols);
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(facts.getattr_names, want, "{src}");
        }
    }

    #[test]
    fn replacing_itself_in_sys_modules_is_not_creating_submodules() {
        let cases = [
            ("import sys\nsys.modules[__name__] = X()\n", (false, true)),
            (
                "import sys\nsys.modules[__name__ + '.moves'] = m\n",
                (true, false),
            ),
            (
                "import sys\nsys.modules.update({'a.b': m})\n",
                (true, false),
            ),
        ];
        for (src, want) in cases {
            let facts = extract(src, false, Detail::Imports);
            assert_eq!(
                (facts.calls.creates_modules, facts.calls.replaces_itself),
                want,
                "{src}"
            );
        }
    }
}
