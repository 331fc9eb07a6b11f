//! The normalised tokens of a module-level class or function definition,
//! for telling copies from homonyms in `duplicates`.
//!
//! Owns what "the same code" means: the definition's tokens with
//! identifiers, keywords, operators and literal values kept, and comments,
//! docstrings (string statements), indentation, line breaks and quoting
//! style dropped, each token hashed. It parses the text it is given on its
//! own, only when asked (for the few definitions a duplicate group names);
//! it never reads files and never compares.

use std::hash::{Hash, Hasher};

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Stmt};
use ruff_python_parser::{ParseOptions, parse_unchecked};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHasher;

/// For each offset (a binding's offset, as extraction recorded it), the
/// hashed normalised tokens of the module-level class or function
/// definition starting there; `None` when no definition starts there.
pub fn definition_tokens(text: &str, offsets: &[u32]) -> Vec<Option<Vec<u64>>> {
    let parsed = parse_unchecked(text, ParseOptions::from(ast::PySourceType::Python));
    let Some(module) = parsed.syntax().as_module() else {
        return vec![None; offsets.len()];
    };
    let mut definitions = Vec::new();
    module_definitions(&module.body, &mut definitions);
    offsets
        .iter()
        .map(|&offset| {
            let stmt = definitions
                .iter()
                .find(|s| s.range().start().to_u32() == offset)?;
            let mut skipped = Vec::new();
            string_statements(std::slice::from_ref(*stmt), &mut skipped);
            let tokens = parsed
                .tokens()
                .in_range(stmt.range())
                .iter()
                .filter(|t| !skipped.iter().any(|r| r.contains_range(t.range())))
                .filter_map(|t| token_hash(text, t.kind(), t.range()))
                .collect();
            Some(tokens)
        })
        .collect()
}

/// Class and function definitions at module level, including those in
/// module-level `if`/`try`/`with`/`for`/`while`/`match` blocks (and their
/// `else` clauses): the walk stops at every definition.
fn module_definitions<'a>(body: &'a [Stmt], into: &mut Vec<&'a Stmt>) {
    struct Definitions<'v, 'a>(&'v mut Vec<&'a Stmt>);
    impl<'a> Visitor<'a> for Definitions<'_, 'a> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
                self.0.push(stmt);
            } else {
                visitor::walk_stmt(self, stmt);
            }
        }
    }
    Definitions(into).visit_body(body);
}

/// Ranges of statements that are only a string (docstrings, and strings
/// used as comments) at any depth of `body`.
fn string_statements(body: &[Stmt], into: &mut Vec<TextRange>) {
    struct Strings<'v>(&'v mut Vec<TextRange>);
    impl<'a> Visitor<'a> for Strings<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::Expr(ast::StmtExpr { value, .. }) = stmt
                && value.is_string_literal_expr()
            {
                self.0.push(stmt.range());
            } else {
                visitor::walk_stmt(self, stmt);
            }
        }
    }
    Strings(into).visit_body(body);
}

/// One token's hash, `None` for layout: comments, line breaks,
/// indentation. Names and literals hash with their text (strings without
/// their quotes and prefix, so `'a'` and `"a"` are one token).
fn token_hash(text: &str, kind: TokenKind, range: TextRange) -> Option<u64> {
    match kind {
        TokenKind::Comment
        | TokenKind::NonLogicalNewline
        | TokenKind::Newline
        | TokenKind::Indent
        | TokenKind::Dedent
        | TokenKind::EndOfFile => return None,
        _ => {}
    }
    let mut hasher = FxHasher::default();
    kind.hash(&mut hasher);
    let source = text.get(range.start().to_usize()..range.end().to_usize())?;
    match kind {
        TokenKind::Name
        | TokenKind::Int
        | TokenKind::Float
        | TokenKind::Complex
        | TokenKind::FStringMiddle
        | TokenKind::TStringMiddle => source.hash(&mut hasher),
        TokenKind::String => source
            .trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .trim_matches(|c| c == '"' || c == '\'')
            .hash(&mut hasher),
        _ => {}
    }
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<u64> {
        definition_tokens(src, &[0]).remove(0).unwrap()
    }

    #[test]
    fn layout_comments_and_docstrings_do_not_count() {
        let a = "class A:\n    \"\"\"Doc.\"\"\"\n    def f(self):\n        return 'x'  # note\n";
        let b = "class A:\n\n    def f(self):\n        # other note\n        return \"x\"\n";
        let c = "class A:\n    def f(self):\n        return 'y'\n";
        assert_eq!(tokens(a), tokens(b));
        assert_ne!(tokens(a), tokens(c));
        assert!(definition_tokens("x = 1\n", &[0])[0].is_none());
    }

    #[test]
    fn definitions_in_module_level_blocks_are_found() {
        let src = "try:\n    import x\nexcept ImportError:\n    class A:\n        pass\n";
        let offset = src.find("class").unwrap() as u32;
        assert!(definition_tokens(src, &[offset])[0].is_some());
    }
}
