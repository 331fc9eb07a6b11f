//! The import pass: a module's AST → its imports, in walk order.
//!
//! Owns what counts as an import and when it runs: `import` and `from`
//! statements at any depth and `importlib.import_module("literal")` /
//! `__import__("literal")` calls, each classified as an [`ImportKind`]
//! (`module`, `lazy` inside a function, `type-checking` under
//! `if TYPE_CHECKING:`, `dynamic` for calls) and marked `guarded` inside a
//! `try` whose handlers catch ImportError. It follows the local names of
//! `typing`, `TYPE_CHECKING`, `importlib` and `import_module` so aliased
//! spellings count. It must not record bindings, uses or strings (the
//! symbol pass does, only when asked) and never decides what an import
//! refers to.
//!
//! `visit_stmt` and `visit_expr` name every variant of the parser's `Stmt`
//! and `Expr`, with no catch-all arm, so a parser upgrade that adds a node
//! fails to compile here until someone decides whether it can import. The
//! small predicates (`refers_to`, `int_literal`, `expr_catches_import_error`)
//! ask whether a node has one shape; their `_` arm only means "not that".

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::Ranged;

use super::facts::{DynamicAnchor, ImportForm, ImportKind, ImportedName, RawImport};
use super::{import_binding, literal_strings, snippet, string_literal};

/// Walks a module once and returns its imports in walk order: statements
/// in source order, calls where the walk meets them (the symbol pass
/// relies on this order to find a statement's imports).
pub(super) struct ImportCollector<'src> {
    text: &'src str,
    imports: Vec<RawImport>,
    function_depth: u32,
    type_checking_depth: u32,
    /// Inside the body of a `try` that catches ImportError (reset in a
    /// function body, which runs later, outside the `try`).
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

impl<'src> ImportCollector<'src> {
    /// A collector for the tree parsed from `text` (read for the
    /// `package=` argument of a dynamic import when it is computed).
    pub(super) fn new(text: &'src str) -> Self {
        ImportCollector {
            text,
            imports: Vec::new(),
            function_depth: 0,
            type_checking_depth: 0,
            guarded: false,
            typing_modules: Vec::new(),
            type_checking_names: Vec::new(),
            importlib_modules: Vec::new(),
            import_module_names: Vec::new(),
        }
    }

    /// Every import of `module`, in walk order.
    pub(super) fn collect(mut self, module: &ast::Mod) -> Vec<RawImport> {
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
        self.imports
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
                None => DynamicAnchor::Computed(snippet(self.text, other)),
            },
        });
        self.push(
            offset,
            ImportKind::Dynamic,
            ImportForm::Dynamic { module, anchor },
        );
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
                name: _,
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
                // The body runs when called, outside any `try` around the `def`.
                let guarded = std::mem::replace(&mut self.guarded, false);
                self.function_depth += 1;
                self.visit_body(body);
                self.function_depth -= 1;
                self.guarded = guarded;
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
                // its `elif`/`else` clauses run.
                if self.is_type_checking_test(test) {
                    self.type_checking_depth += 1;
                    self.visit_body(body);
                    self.type_checking_depth -= 1;
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
            // Bodies that run when the module does (a class body, a loop, a
            // `with`, a `match` case): their imports keep the enclosing kind.
            Stmt::ClassDef(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Match(_)
            // Simple statements: only their expressions can import (calls).
            | Stmt::Return(_)
            | Stmt::Delete(_)
            | Stmt::TypeAlias(_)
            | Stmt::Assign(_)
            | Stmt::AugAssign(_)
            | Stmt::AnnAssign(_)
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
                self.dynamic_call(call);
                visitor::walk_expr(self, expr);
            }
            // Every other expression imports only through the calls inside
            // it. A lambda's body runs later, but a call in it is `dynamic`
            // wherever it is, so it needs no depth of its own.
            Expr::BoolOp(_)
            | Expr::Named(_)
            | Expr::BinOp(_)
            | Expr::UnaryOp(_)
            | Expr::Lambda(_)
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
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::Attribute(_)
            | Expr::Subscript(_)
            | Expr::Starred(_)
            | Expr::Name(_)
            | Expr::List(_)
            | Expr::Tuple(_)
            | Expr::Slice(_)
            | Expr::IpyEscapeCommand(_) => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::{Detail, ImportForm, ImportKind, extract};

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
