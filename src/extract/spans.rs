//! Exact source ranges of `from` import statements, for rewriting.
//!
//! Only `migrate` needs these: it edits a file's imports in place, so it
//! needs where each module name and imported name starts and ends. This
//! module parses the text itself and records ranges only; it must not
//! classify imports or record any other fact (that is the collectors' job).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Stmt};
use ruff_python_parser::{ParseOptions, parse_unchecked};
use ruff_text_size::Ranged;

/// One name of a `from` import statement, with its source range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasSpan {
    /// The imported name.
    pub name: String,
    /// The `as` alias, if any.
    pub asname: Option<String>,
    /// Byte range of `name [as alias]`.
    pub start: u32,
    /// End of that range.
    pub end: u32,
}

/// A `from ... import ...` statement with the source ranges a rewrite needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromImportSpan {
    /// Start of the statement (the `from` keyword).
    pub start: u32,
    /// End of the statement (after its last name or closing parenthesis).
    pub end: u32,
    /// Number of leading dots.
    pub level: u32,
    /// The dotted module after the dots.
    pub module: String,
    /// Byte range of the dots and module (`..managers.shim`).
    pub module_start: u32,
    /// End of that range.
    pub module_end: u32,
    /// The imported names in order.
    pub names: Vec<AliasSpan>,
}

/// Every `from` import statement of `text`, at any depth, with exact
/// ranges, for rewriting. Parses again; used only by `migrate`.
pub fn from_import_spans(text: &str) -> Vec<FromImportSpan> {
    struct Spans<'t> {
        out: Vec<FromImportSpan>,
        text: &'t str,
    }
    impl<'a> Visitor<'a> for Spans<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::ImportFrom(ast::StmtImportFrom {
                module,
                names,
                level,
                is_lazy: _,
                range,
                node_index: _,
            }) = stmt
            {
                // The module text starts after `from` and its whitespace or
                // line continuations; it ends with the module identifier, or
                // after the dots of `from . import x`.
                let bytes = self.text.as_bytes();
                let mut module_start = range.start().to_usize() + "from".len();
                while module_start < bytes.len()
                    && matches!(
                        bytes[module_start],
                        b' ' | b'\t' | b'\\' | b'\n' | b'\r' | b'\x0c'
                    )
                {
                    module_start += 1;
                }
                let module_end = match module {
                    Some(m) => m.range.end().to_usize(),
                    None => module_start + *level as usize,
                };
                let offset = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
                self.out.push(FromImportSpan {
                    start: range.start().to_u32(),
                    end: range.end().to_u32(),
                    level: *level,
                    module: module
                        .as_ref()
                        .map(|m| m.id.to_string())
                        .unwrap_or_default(),
                    module_start: offset(module_start),
                    module_end: offset(module_end),
                    names: names
                        .iter()
                        .map(|alias| AliasSpan {
                            name: alias.name.id.to_string(),
                            asname: alias.asname.as_ref().map(|a| a.id.to_string()),
                            start: alias.range.start().to_u32(),
                            end: alias.range.end().to_u32(),
                        })
                        .collect(),
                });
            }
            visitor::walk_stmt(self, stmt);
        }
    }
    let parsed = parse_unchecked(text, ParseOptions::from(ast::PySourceType::Python));
    let mut spans = Spans {
        out: Vec::new(),
        text,
    };
    if let ast::Mod::Module(ast::ModModule {
        body,
        range: _,
        node_index: _,
    }) = parsed.syntax()
    {
        spans.visit_body(body);
    }
    spans.out
}
