//! Module-level bindings and `__all__`, as the symbol walk meets them.
//!
//! Owns what a module-level statement binds and to what: the names an
//! assignment target binds and where their value comes from (a definition,
//! another name, an attribute path), which entry of the import pass's list
//! an import binding or star import comes from, and whether `__all__` stays
//! a literal list of strings. The walk in `mod.rs` tells it about
//! module-level statements only, with their branch label; it must not walk
//! the tree, decide what is module level, or track uses.

use ruff_python_ast::{self as ast, Expr};

use super::super::facts::{Binding, BindingKind, BindingValue, ImportKind, RawImport};
use super::super::{literal_strings, string_literal};
use super::uses::attribute_chain;

/// What is known of `__all__` so far.
#[derive(Debug, Default)]
enum DunderAll {
    #[default]
    Absent,
    Literal(Vec<String>),
    Computed,
}

/// The module-level bindings of one file, in walk order.
pub(super) struct Bindings<'i> {
    /// The import pass's list, in its walk order.
    imports: &'i [RawImport],
    /// The next entry of `imports` an import statement may have made.
    next_import: usize,
    bindings: Vec<Binding>,
    dunder_all: DunderAll,
    star_imports: Vec<usize>,
}

impl<'i> Bindings<'i> {
    /// No bindings yet, for a file whose import pass found `imports`.
    pub(super) fn new(imports: &'i [RawImport]) -> Self {
        Bindings {
            imports,
            next_import: 0,
            bindings: Vec::new(),
            dunder_all: DunderAll::Absent,
            star_imports: Vec::new(),
        }
    }

    /// The bindings, `__all__` when it stayed literal, and the star imports.
    pub(super) fn finish(self) -> (Vec<Binding>, Option<Vec<String>>, Vec<usize>) {
        let dunder_all = match self.dunder_all {
            DunderAll::Absent | DunderAll::Computed => None,
            DunderAll::Literal(names) => Some(names),
        };
        (self.bindings, dunder_all, self.star_imports)
    }

    /// The index in the import pass's list of the next import made by the
    /// import statement at `offset`; to be asked for every import
    /// statement at any depth, once per name of `import a, b` and once per
    /// `from` statement. Both passes visit statements in the same order, so
    /// statement imports come in the same order in the list, with the
    /// dynamic imports of calls (which no statement makes) in between.
    /// `None` only if the passes fell out of step, which the offset check
    /// catches.
    pub(super) fn statement_import(&mut self, offset: u32) -> Option<usize> {
        while let Some(import) = self.imports.get(self.next_import) {
            let index = self.next_import;
            self.next_import += 1;
            match import.kind {
                // Calls make dynamic imports; the implicit kinds never come
                // out of extraction.
                ImportKind::Dynamic | ImportKind::Parent | ImportKind::Conftest => {}
                ImportKind::Module | ImportKind::Lazy | ImportKind::TypeChecking => {
                    debug_assert_eq!(import.offset, offset, "the passes fell out of step");
                    return (import.offset == offset).then_some(index);
                }
            }
        }
        debug_assert!(false, "an import statement the import pass did not see");
        None
    }

    /// Records that `name` is bound at `offset`.
    pub(super) fn bind(
        &mut self,
        name: &str,
        kind: BindingKind,
        offset: u32,
        value: BindingValue,
        branch: Option<String>,
    ) {
        self.bindings.push(Binding {
            name: name.to_string(),
            kind,
            offset,
            branch,
            value,
            overload: false,
        });
    }

    /// Marks the last binding as a `@typing.overload` signature.
    pub(super) fn mark_overload(&mut self) {
        if let Some(last) = self.bindings.last_mut() {
            last.overload = true;
        }
    }

    /// `from m import *` (the import at `import`).
    pub(super) fn star_import(&mut self, import: usize) {
        self.star_imports.push(import);
    }

    /// Records the binding(s) made by `target = value`.
    pub(super) fn assignment(
        &mut self,
        target: &Expr,
        value: Option<&Expr>,
        offset: u32,
        branch: &Option<String>,
    ) {
        match target {
            Expr::Name(ast::ExprName {
                id,
                ctx: _,
                range: _,
                node_index: _,
            }) => {
                if id.as_str() == "__all__" {
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
                let kind = BindingKind::Variable;
                self.bind(id.as_str(), kind, offset, binding, branch.clone());
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for elt in elts {
                    self.assignment(elt, None, offset, branch);
                }
            }
            Expr::Starred(ast::ExprStarred { value, .. }) => {
                self.assignment(value, None, offset, branch)
            }
            // Stores into an object bind no name.
            Expr::Attribute(_) | Expr::Subscript(_) => {}
            // Not assignable; the parser's error recovery may still put them here.
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
            | Expr::Call(_)
            | Expr::FString(_)
            | Expr::TString(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::Slice(_)
            | Expr::IpyEscapeCommand(_) => {}
        }
    }

    /// `__all__ += [...]` (`added`: the names when literal).
    pub(super) fn extend_all(&mut self, added: Option<Vec<String>>) {
        self.dunder_all = match (std::mem::take(&mut self.dunder_all), added) {
            (DunderAll::Literal(mut names), Some(more)) => {
                names.extend(more);
                DunderAll::Literal(names)
            }
            // Extended by something computed, or never assigned a literal.
            (DunderAll::Literal(_), None) | (DunderAll::Absent | DunderAll::Computed, _) => {
                DunderAll::Computed
            }
        };
    }

    /// A statement expression: `__all__.extend([...])` and the like
    /// change `__all__`; any other expression does nothing here.
    pub(super) fn expression(&mut self, expr: &Expr) {
        if let Some(added) = all_mutation(expr) {
            self.extend_all(added);
        }
    }
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

#[cfg(test)]
mod tests {
    use crate::extract::{BindingKind, BindingValue, Detail, ImportForm, ImportKind, extract};

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

    /// Import bindings and star imports point at their own entry of the
    /// import list, though the import pass also lists dynamic imports
    /// (calls in decorators, defaults, comprehensions, lambdas), imports in
    /// function and class bodies, and one entry per name of `import a, b`.
    #[test]
    fn import_bindings_point_at_their_entries() {
        type Case = (
            &'static str,
            &'static [(&'static str, usize)],
            &'static [usize],
        );
        let cases: &[Case] = &[
            (
                "import a, b.c as d\nfrom e import *",
                &[("a", 0), ("d", 1)],
                &[2],
            ),
            ("__import__('x')\nimport a\n", &[("a", 1)], &[]),
            (
                "@deco(__import__('d'))\ndef f(x=__import__('e')):\n    import inner\n    \
                 __import__('g')\nimport a, b\nfrom m import (n, o as p)\n",
                &[("a", 4), ("b", 5), ("n", 6), ("p", 6)],
                &[],
            ),
            (
                "try:\n    import a\nexcept ImportError:\n    a = __import__('b')\nmatch x:\n    \
                 case 1:\n        from c import *\n    case _:\n        import d, e\n",
                &[("a", 0), ("d", 3), ("e", 4)],
                &[2],
            ),
            (
                "class C:\n    import hidden\n    from h import *\nimport a\n",
                &[("a", 2)],
                &[],
            ),
            (
                "import a\ndef broken(:\n    pass\nimport b\n",
                &[("a", 0), ("b", 1)],
                &[],
            ),
            (
                "x = [__import__('p') for _ in ()]\nif TYPE_CHECKING:\n    from t import T\n",
                &[("T", 1)],
                &[],
            ),
            ("f = lambda: __import__('q')\nimport r\n", &[("r", 1)], &[]),
        ];
        for (src, expected, stars) in cases {
            let facts = extract(src, false, Detail::Symbols);
            let mut found = Vec::new();
            for binding in &facts.bindings {
                let BindingValue::Import { import, name } = &binding.value else {
                    continue;
                };
                let entry = &facts.imports[*import];
                assert_eq!(binding.kind, BindingKind::Import, "{src}");
                assert_eq!(entry.offset, binding.offset, "{src}");
                assert_ne!(entry.kind, ImportKind::Dynamic, "{src}");
                let binds = match &entry.form {
                    ImportForm::Import { module, asname } => {
                        let top = module.split('.').next().unwrap_or(module);
                        name.is_none() && asname.as_deref().unwrap_or(top) == binding.name
                    }
                    ImportForm::From { names, .. } => names.iter().any(|n| {
                        Some(&n.name) == name.as_ref()
                            && n.asname.as_ref().unwrap_or(&n.name) == &binding.name
                    }),
                    ImportForm::Dynamic(_) => false,
                };
                assert!(binds, "{src}: {binding:?} -> {entry:?}");
                found.push((binding.name.as_str(), *import));
            }
            assert_eq!(found, *expected, "{src}");
            assert_eq!(facts.star_imports, *stars, "{src}");
            for &star in *stars {
                let form = &facts.imports[star].form;
                assert!(
                    matches!(form, ImportForm::From { names, .. } if names[0].name == "*"),
                    "{src}"
                );
            }
        }
    }
}
