//! Extraction: Python source text → the facts blastradius needs about one file.
//!
//! This is the only module that sees the parser (`ruff_python_parser`) and its
//! AST; everything downstream works on the plain structs of `facts`, re-exported
//! here. It parses with error recovery, so imports before and after a syntax
//! error are still found. It never touches the filesystem and never decides
//! what an import refers to (that is resolution's job).
//!
//! This file owns the entry points ([`extract`], [`extract_timed`]), the
//! [`Detail`] levels and [`FileFacts`]; the work is done by two passes over
//! the tree, each in its own file:
//!
//! - `imports`: every import at any depth, classified as `module`, `lazy`,
//!   `type-checking` or `dynamic`, with ImportError guards. Always runs, and
//!   at [`Detail::Imports`] it is the only walk.
//! - `symbols`: module-level bindings with their conditional branches,
//!   `__all__`, star imports, `__getattr__`, attribute and bare uses of
//!   import-bound names and dotted-path strings. Runs only at
//!   [`Detail::Symbols`], after `imports`, whose list it points into.
//!
//! `spans` (exact ranges of `from` imports, for `migrate`) parses on its own.
//! This file must not walk the tree itself; it only holds the few helpers
//! both passes share.
//!
//! AST nodes are destructured with every field named (`range: _`) and the
//! passes match every statement variant, so that a parser upgrade that adds a
//! field or a node fails to compile here instead of silently changing what
//! is extracted.

use ruff_python_ast::{self as ast, Expr};
use ruff_python_parser::{ParseOptions, parse_unchecked};
use ruff_text_size::Ranged;
use serde::{Deserialize, Serialize};

use crate::lines::LineIndex;

mod bodies;
mod facts;
mod imports;
mod spans;
mod symbols;

pub use bodies::definition_tokens;
pub use facts::{
    AttributeUse, Binding, BindingKind, BindingValue, CallFacts, Construction, DynamicAnchor,
    DynamicImport, DynamicTarget, Handled, HelperCall, IMPORT_ERROR_CATCHERS, ImportForm,
    ImportKind, ImportedName, LoaderClass, LoaderMethod, RawImport, StringRef, SyntaxProblem,
};
pub use spans::{AliasSpan, FromImportSpan, from_import_spans};

use imports::{ImportCollector, ImportFacts};
use symbols::{SymbolCollector, Symbols};

/// Everything extracted from one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFacts {
    /// Every import, in source order.
    pub imports: Vec<RawImport>,
    /// Calls resolution decides on, and module-creating code.
    pub calls: CallFacts,
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
    /// The names that `__getattr__` can answer, when its body only compares
    /// its parameter with string literals (`if name == "BaseCommand":`)
    /// and otherwise raises; `None` when any name may exist (or there is
    /// no `__getattr__`).
    pub getattr_names: Option<Vec<String>>,
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
            calls: self.calls,
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
    let ImportFacts { imports, calls } = ImportCollector::new(text).collect(parsed.syntax());
    let Symbols {
        bindings,
        dunder_all,
        star_imports,
        has_getattr,
        getattr_names,
        attribute_uses,
        string_refs,
        bare_uses,
    } = match detail {
        Detail::Imports => Symbols::default(),
        Detail::Symbols => SymbolCollector::new(text, &imports).collect(parsed.syntax()),
    };
    let mut offsets = recorded_offsets(
        &imports,
        &syntax_errors,
        &bindings,
        &attribute_uses,
        &string_refs,
    );
    offsets.extend(calls.helper_calls.iter().map(|c| c.offset));
    offsets.extend(calls.import_time_constructions.iter().map(|c| c.offset));
    let facts = FileFacts {
        lines: LineIndex::sparse(text, offsets),
        imports,
        calls,
        syntax_errors,
        bindings,
        dunder_all,
        star_imports,
        has_getattr,
        getattr_names,
        attribute_uses,
        string_refs,
        bare_uses,
    };
    let walk_time = walk_started.elapsed();
    // Freeing the tree is counted as parsing.
    let drop_started = std::time::Instant::now();
    drop(parsed);
    (facts, parse_time + drop_started.elapsed(), walk_time)
}

// Helpers both passes use. They answer "is this node of that shape", so a
// node of any other variant (including one a parser upgrade adds) simply
// is not of it: their catch-all arms cannot hide a missed case.

/// Source text of `node` in `text`, whitespace collapsed, shortened for
/// labels and messages.
/// The name a plain `a.b.c` chain (an attribute use, a call's function)
/// starts from, without allocating.
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

fn snippet(text: &str, node: &impl Ranged) -> String {
    let text = text.get(node.range().to_std_range()).unwrap_or("");
    let mut out: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > 60 {
        out = out.chars().take(57).collect::<String>() + "...";
    }
    out
}

/// The local name `import module [as asname]` binds: the alias, else the
/// top-level package (`import a.b` binds `a`).
fn import_binding<'n>(module: &'n str, asname: Option<&'n str>) -> &'n str {
    asname.unwrap_or_else(|| module.split('.').next().unwrap_or(module))
}

/// The strings of a literal list or tuple of strings.
fn literal_strings(expr: &Expr) -> Option<Vec<String>> {
    let elts = match expr {
        Expr::List(ast::ExprList { elts, .. }) | Expr::Tuple(ast::ExprTuple { elts, .. }) => elts,
        _ => return None,
    };
    elts.iter().map(string_literal).collect()
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
}
