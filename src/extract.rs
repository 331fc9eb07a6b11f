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

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_python_parser::{ParseOptions, parse_unchecked};
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};

use crate::lines::LineIndex;

/// When an import runs, in order of precedence (a `dynamic` import inside a
/// function is `dynamic`; a `type-checking` import inside a function is
/// `type-checking`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
#[clap(rename_all = "kebab-case")]
pub enum ImportKind {
    /// Runs when the module is imported (top level, class bodies, module-level
    /// `if`/`try`/`with`/`for`).
    Module,
    /// Inside a function or method body: runs when the function is called.
    Lazy,
    /// Under `if TYPE_CHECKING:`: never runs, seen only by type checkers.
    TypeChecking,
    /// `importlib.import_module("literal")` or `__import__("literal")`.
    Dynamic,
}

impl ImportKind {
    /// All kinds, in precedence order from weakest to strongest.
    pub const ALL: [ImportKind; 4] = [
        ImportKind::Module,
        ImportKind::Lazy,
        ImportKind::TypeChecking,
        ImportKind::Dynamic,
    ];

    /// The kebab-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Module => "module",
            ImportKind::Lazy => "lazy",
            ImportKind::TypeChecking => "type-checking",
            ImportKind::Dynamic => "dynamic",
        }
    }
}

/// One name of a `from` import (`*` for a star import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedName {
    /// The imported name.
    pub name: String,
    /// The `as` alias, if any.
    pub asname: Option<String>,
}

/// What a dynamic import's relative name is relative to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DynamicAnchor {
    /// `package="a.b"`.
    Literal(String),
    /// `package=__package__`.
    CurrentPackage,
    /// `package=__name__`.
    CurrentModule,
}

/// The syntactic form of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportForm {
    /// `import a.b.c [as x]` (one per dotted name of the statement).
    Import {
        /// The dotted module name.
        module: String,
        /// The `as` alias, if any.
        asname: Option<String>,
    },
    /// `from [.]*a.b import x [as y], ...`.
    From {
        /// Number of leading dots.
        level: u32,
        /// The dotted module after the dots (may be empty: `from . import x`).
        module: String,
        /// The imported names.
        names: Vec<ImportedName>,
    },
    /// `importlib.import_module(...)` / `__import__(...)` with a literal name.
    Dynamic {
        /// The literal module name (may start with dots).
        module: String,
        /// The `package=` argument, when given in a usable form.
        anchor: Option<DynamicAnchor>,
    },
}

impl std::fmt::Display for ImportForm {
    /// Source-like text (`from ..gone import X as Y`), for messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportForm::Import { module, asname } => match asname {
                Some(alias) => write!(f, "import {module} as {alias}"),
                None => write!(f, "import {module}"),
            },
            ImportForm::From {
                level,
                module,
                names,
            } => {
                write!(f, "from {}{module} import ", ".".repeat(*level as usize))?;
                for (i, n) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&n.name)?;
                    if let Some(alias) = &n.asname {
                        write!(f, " as {alias}")?;
                    }
                }
                Ok(())
            }
            ImportForm::Dynamic { module, anchor } => match anchor {
                Some(DynamicAnchor::Literal(p)) => {
                    write!(f, "importlib.import_module({module:?}, package={p:?})")
                }
                Some(DynamicAnchor::CurrentPackage) => {
                    write!(
                        f,
                        "importlib.import_module({module:?}, package=__package__)"
                    )
                }
                Some(DynamicAnchor::CurrentModule) => {
                    write!(f, "importlib.import_module({module:?}, package=__name__)")
                }
                None => write!(f, "importlib.import_module({module:?})"),
            },
        }
    }
}

/// One import occurrence in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawImport {
    /// Byte offset of the statement (or call) in the decoded text.
    pub offset: u32,
    /// When it runs.
    pub kind: ImportKind,
    /// In the body of a `try` whose handlers catch ImportError or broader.
    pub guarded: bool,
    /// What is imported.
    pub form: ImportForm,
}

/// A syntax error the parser recovered from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyntaxProblem {
    /// Byte offset where the error starts.
    pub offset: u32,
    /// The parser's message.
    pub message: String,
}

/// Everything extracted from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Every import, in source order.
    pub imports: Vec<RawImport>,
    /// Syntax errors (the imports above were still recovered around them).
    pub syntax_errors: Vec<SyntaxProblem>,
    /// Line starts, for display.
    pub lines: LineIndex,
}

/// Parses `text` and extracts its facts. `is_stub` selects `.pyi` parsing.
pub fn extract(text: &str, is_stub: bool) -> FileFacts {
    let source_type = if is_stub {
        ast::PySourceType::Stub
    } else {
        ast::PySourceType::Python
    };
    let parsed = parse_unchecked(text, ParseOptions::from(source_type));
    let syntax_errors = parsed
        .errors()
        .iter()
        .map(|err| SyntaxProblem {
            offset: err.location.start().to_u32(),
            message: err.error.to_string(),
        })
        .collect();
    let mut collector = Collector::default();
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
    FileFacts {
        imports: collector.imports,
        syntax_errors,
        lines: LineIndex::new(text),
    }
}

/// Walks the AST, tracking the context that decides an import's kind.
#[derive(Default)]
struct Collector {
    imports: Vec<RawImport>,
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

impl Collector {
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
        let top = module.split('.').next().unwrap_or(module);
        let bound = asname.unwrap_or(top);
        // `import importlib.util` binds `importlib`; `import a.b as x` binds `x` to `a.b`.
        let bound_module = if asname.is_some() { module } else { top };
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
        let name_arg = arguments
            .args
            .first()
            .or_else(|| arguments.find_keyword("name").map(|k| &k.value));
        let Some(module) = name_arg.and_then(string_literal) else {
            return;
        };
        if module.is_empty() {
            return;
        }
        let anchor = if is_dunder {
            None
        } else {
            arguments
                .find_keyword("package")
                .and_then(|k| match &k.value {
                    Expr::Name(n) if n.id.as_str() == "__package__" => {
                        Some(DynamicAnchor::CurrentPackage)
                    }
                    Expr::Name(n) if n.id.as_str() == "__name__" => {
                        Some(DynamicAnchor::CurrentModule)
                    }
                    other => string_literal(other).map(DynamicAnchor::Literal),
                })
        };
        self.push(
            call.start().to_u32(),
            ImportKind::Dynamic,
            ImportForm::Dynamic { module, anchor },
        );
    }

    fn visit_function_body(&mut self, body: &[Stmt]) {
        let guarded = std::mem::replace(&mut self.guarded, false);
        self.function_depth += 1;
        self.visit_body(body);
        self.function_depth -= 1;
        self.guarded = guarded;
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

impl<'a> Visitor<'a> for Collector {
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
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Call(call) => {
                self.dynamic_call(call);
                visitor::walk_expr(self, expr);
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
                self.function_depth += 1;
                self.visit_expr(body);
                self.function_depth -= 1;
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(line, kind, guarded, rendered form)` for each import of `src`.
    fn summary(src: &str) -> Vec<(u32, ImportKind, bool, String)> {
        let facts = extract(src, false);
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
        let facts = extract(src, false);
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
        let facts = extract("import a\nx = f\"{d.get(\"type\")}\"\n", false);
        assert!(facts.syntax_errors.is_empty(), "{:?}", facts.syntax_errors);
        assert_eq!(facts.imports.len(), 1);
    }
}
