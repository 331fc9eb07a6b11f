//! Uses of import-bound names, and dotted-path strings, as the symbol
//! walk meets them.
//!
//! Owns the function scopes of a file and the rule for when a use counts:
//! an attribute chain (`alias.attr.attr`) or a bare name counts when an
//! import binds its root in the use's own function or an enclosing one, in
//! any order (a function body runs after the module's later imports).
//! Candidates are kept with their scope and judged once the file is seen.
//! It also keeps string literals shaped like `pkg.mod.Name`. It is told
//! about each expression and import-bound name by the walk in `mod.rs` and
//! must not walk the tree or record bindings itself.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;
use rustc_hash::{FxHashMap, FxHashSet};

use super::super::facts::{AttributeUse, ImportForm, ImportKind, RawImport, StringRef};
use super::super::{chain_root, import_binding};

/// Scopes and candidate uses of one file.
pub(super) struct Uses {
    /// Candidate `alias.attr` chains with the function scope they are in;
    /// narrowed to the import-bound roots at the end.
    attribute_uses: Vec<(u32, AttributeUse)>,
    string_refs: Vec<StringRef>,
    /// Names read, per function scope, among those some import of the file
    /// binds; narrowed to the ones an import binds in scope at the end.
    /// Looked up before inserting, so a name read many times is allocated
    /// once per scope.
    names_used: FxHashMap<u32, FxHashSet<String>>,
    /// Names bound by an import, per function scope.
    import_bound: FxHashMap<u32, FxHashSet<String>>,
    /// Every name some import statement of the file binds, in any scope:
    /// a cheap first filter, so chains and names that can never be
    /// import-bound are not recorded at all.
    ever_import_bound: FxHashSet<String>,
    /// The function scope being visited (0: the module).
    scope: u32,
    /// The enclosing scope of each scope id (`None` for the module).
    scope_parents: Vec<Option<u32>>,
}

/// What [`Uses`] found, judged.
pub(super) struct UsesFound {
    /// Attribute chains on import-bound names, in walk order.
    pub(super) attribute_uses: Vec<AttributeUse>,
    /// Dotted-path strings, in walk order.
    pub(super) string_refs: Vec<StringRef>,
    /// Import-bound names used bare, sorted and deduplicated.
    pub(super) bare_uses: Vec<String>,
}

impl Uses {
    /// Empty scopes for a file whose import pass found `imports`.
    pub(super) fn new(imports: &[RawImport]) -> Self {
        Uses {
            attribute_uses: Vec::new(),
            string_refs: Vec::new(),
            names_used: FxHashMap::default(),
            import_bound: FxHashMap::default(),
            ever_import_bound: names_statements_bind(imports),
            scope: 0,
            scope_parents: Vec::new(),
        }
    }

    /// Starts a function (or lambda) scope inside the current one; returns
    /// the current one, for [`Uses::leave_function`].
    pub(super) fn enter_function(&mut self) -> u32 {
        if self.scope_parents.is_empty() {
            self.scope_parents.push(None);
        }
        let outer = self.scope;
        self.scope = u32::try_from(self.scope_parents.len()).unwrap_or(u32::MAX);
        self.scope_parents.push(Some(outer));
        outer
    }

    /// Returns to the scope `outer` that [`Uses::enter_function`] gave.
    pub(super) fn leave_function(&mut self, outer: u32) {
        self.scope = outer;
    }

    /// An import statement binds `name` in the current scope.
    pub(super) fn import_binds(&mut self, name: &str) {
        let names = self.import_bound.entry(self.scope).or_default();
        if !names.contains(name) {
            names.insert(name.to_string());
        }
    }

    /// Keeps the attribute expression `expr` when it is a plain chain on a
    /// name some import binds; `false` when it is not, and the walk should
    /// go into it.
    pub(super) fn attribute(&mut self, expr: &Expr) -> bool {
        // A chain whose root some import of the file binds is kept with
        // its scope and judged once the whole file is seen: a function
        // body may use an alias imported further down.
        if !chain_root(expr).is_some_and(|r| self.ever_import_bound.contains(r)) {
            return false;
        }
        let Some((root, attrs)) = attribute_chain(expr) else {
            return false;
        };
        let usage = AttributeUse {
            root,
            attrs,
            offset: expr.start().to_u32(),
            end: expr.end().to_u32(),
        };
        self.attribute_uses.push((self.scope, usage));
        true
    }

    /// A bare name is read (or stored or deleted) in the current scope.
    pub(super) fn name(&mut self, id: &str) {
        if self.ever_import_bound.contains(id) {
            let names = self.names_used.entry(self.scope).or_default();
            if !names.contains(id) {
                names.insert(id.to_string());
            }
        }
    }

    /// Keeps a string literal shaped like a dotted path.
    pub(super) fn string(&mut self, literal: &ast::ExprStringLiteral) {
        let ast::ExprStringLiteral {
            value,
            range,
            node_index: _,
        } = literal;
        let value = value.to_str();
        if looks_like_python_path(value) {
            self.string_refs.push(StringRef {
                value: value.to_string(),
                offset: range.start().to_u32(),
                end: range.end().to_u32(),
            });
        }
    }

    /// The uses that count, now that every import of the file is known.
    pub(super) fn finish(self) -> UsesFound {
        let Uses {
            attribute_uses,
            string_refs,
            names_used,
            import_bound,
            ever_import_bound: _,
            scope: _,
            scope_parents,
        } = self;
        let bound = |scope: u32, name: &str| {
            let mut scope = Some(scope);
            while let Some(s) = scope {
                if import_bound
                    .get(&s)
                    .is_some_and(|names| names.contains(name))
                {
                    return true;
                }
                scope = scope_parents.get(s as usize).copied().flatten();
            }
            false
        };
        let attribute_uses = attribute_uses
            .into_iter()
            .filter(|(scope, u)| bound(*scope, &u.root))
            .map(|(_, u)| u)
            .collect();
        let mut bare_uses: Vec<String> = names_used
            .iter()
            .flat_map(|(scope, names)| names.iter().map(move |n| (*scope, n)))
            .filter(|(scope, n)| bound(*scope, n))
            .map(|(_, n)| n.clone())
            .collect();
        bare_uses.sort();
        bare_uses.dedup();
        UsesFound {
            attribute_uses,
            string_refs,
            bare_uses,
        }
    }
}

/// Every name an import statement of the file binds, in any scope, read
/// off the import pass's list. Calls bind nothing (`__import__` returns the
/// module), so dynamic imports are skipped even when they have a `from` form.
fn names_statements_bind(imports: &[RawImport]) -> FxHashSet<String> {
    let mut names = FxHashSet::default();
    for import in imports {
        let form = match import.kind {
            ImportKind::Dynamic | ImportKind::Parent | ImportKind::Conftest => continue,
            ImportKind::Module | ImportKind::Lazy | ImportKind::TypeChecking => &import.form,
        };
        match form {
            ImportForm::Import { module, asname } => {
                names.insert(import_binding(module, asname.as_deref()).to_string());
            }
            ImportForm::From { names: from, .. } => {
                for name in from {
                    names.insert(name.asname.as_ref().unwrap_or(&name.name).clone());
                }
            }
            ImportForm::Dynamic(_) => {}
        }
    }
    names
}

/// `a.b.c` → `("a", ["b", "c"])`; `None` unless the chain starts at a name.
pub(super) fn attribute_chain(expr: &Expr) -> Option<(String, Vec<String>)> {
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

#[cfg(test)]
mod tests {
    use crate::extract::{Detail, FileFacts, extract};

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
