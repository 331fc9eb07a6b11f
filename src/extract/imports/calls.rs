//! Calls that import, seen by the import pass: which function a call
//! names (through the file's import aliases), whether it is one of the
//! import helpers, what name it is given (a literal, a literal prefix of a
//! computed name, or nothing usable), and whether it changes how modules
//! are found (`sys.modules`, `sys.meta_path`, `sys.path_hooks`).
//!
//! Functions over AST nodes and the pass's alias and constant tables, and
//! the two methods of the pass that turn a helper call, or a candidate
//! configured one, into what it records.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::super::facts::{
    DynamicAnchor, DynamicImport, DynamicTarget, HelperCall, ImportForm, ImportKind,
};
use super::super::{chain_root, literal_strings, snippet, string_literal};
use super::{ImportCollector, int_literal};

/// Local name → the dotted name it stands for, from `import a.b [as x]`
/// and `from m import n [as y]` (absolute imports; relative ones keep
/// their dots: `from .m import n` gives `.m.n`).
pub(super) type Aliases = FxHashMap<String, String>;

/// Module-level names bound to a string literal (`BASE = "app.plugins"`),
/// for names built from them.
pub(super) type Constants = FxHashMap<String, String>;

/// The import helpers Python and common libraries provide, by dotted
/// name, with what each imports of its argument.
pub(super) enum Helper {
    /// `importlib.import_module(name, package)`.
    ImportModule,
    /// `__import__(name, globals, locals, fromlist, level)`.
    DunderImport,
    /// `pkgutil.resolve_name("pkg.mod:attr")` / `("pkg.mod.attr")`.
    ResolveName,
    /// `django.utils.module_loading.import_string("pkg.mod.Attr")`.
    ImportString,
    /// `importlib.util.find_spec("a.b.c")`: runs the parent packages only.
    FindSpec,
    /// `pytest.importorskip("a.b")`: imports it, skips the test if it fails.
    ImportOrSkip,
}

impl Helper {
    /// The helper a qualified function name is, if any.
    /// True when a call whose function's last name is `last` may be a
    /// helper: each helper's qualified name ends in one of these.
    pub(super) fn may_end(last: Option<&str>) -> bool {
        matches!(
            last,
            Some(
                "import_module"
                    | "__import__"
                    | "resolve_name"
                    | "import_string"
                    | "find_spec"
                    | "importorskip"
            )
        )
    }

    pub(super) fn named(qualified: &str) -> Option<Helper> {
        match qualified {
            "importlib.import_module" => Some(Helper::ImportModule),
            "__import__" | "builtins.__import__" | "importlib.__import__" => {
                Some(Helper::DunderImport)
            }
            "pkgutil.resolve_name" => Some(Helper::ResolveName),
            "django.utils.module_loading.import_string" => Some(Helper::ImportString),
            "importlib.util.find_spec" => Some(Helper::FindSpec),
            "pytest.importorskip" | "_pytest.outcomes.importorskip" => Some(Helper::ImportOrSkip),
            _ => None,
        }
    }
}

/// What a call's name argument is, as far as the source says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Name {
    /// A literal (or built only from literals and module-level constants).
    Literal(String),
    /// Computed, starting with this literal text.
    Prefix(String),
    /// Computed with no literal start: known only at run time.
    Unknown,
}

/// The value of a string expression: a literal, an f-string, `+`
/// concatenation, `%` formatting or `.format()` over literals and
/// module-level constants, as far as it can be known.
pub(super) fn evaluate(expr: &Expr, constants: &Constants) -> Name {
    match expr {
        Expr::StringLiteral(_) => match string_literal(expr) {
            Some(s) => Name::Literal(s),
            None => Name::Unknown,
        },
        Expr::Name(ast::ExprName {
            id,
            ctx: _,
            range: _,
            node_index: _,
        }) => match constants.get(id.as_str()) {
            Some(value) => Name::Literal(value.clone()),
            None => Name::Unknown,
        },
        Expr::FString(ast::ExprFString {
            value,
            range: _,
            node_index: _,
        }) => {
            // Implicitly concatenated parts come in order: plain literals
            // and f-strings alike.
            let mut known = String::new();
            for part in value.iter() {
                let elements = match part {
                    ast::FStringPart::Literal(literal) => {
                        known.push_str(&literal.value);
                        continue;
                    }
                    ast::FStringPart::FString(fstring) => &fstring.elements,
                };
                for element in elements.iter() {
                    match element {
                        ast::InterpolatedStringElement::Literal(literal) => {
                            known.push_str(&literal.value);
                        }
                        ast::InterpolatedStringElement::Interpolation(interpolation) => {
                            match evaluate(&interpolation.expression, constants) {
                                Name::Literal(s)
                                    if interpolation.format_spec.is_none()
                                        && interpolation.debug_text.is_none() =>
                                {
                                    known.push_str(&s);
                                }
                                Name::Literal(_) | Name::Prefix(_) | Name::Unknown => {
                                    return prefix_or_unknown(known);
                                }
                            }
                        }
                    }
                }
            }
            Name::Literal(known)
        }
        Expr::BinOp(ast::ExprBinOp {
            left,
            op,
            right,
            range: _,
            node_index: _,
        }) => match op {
            ast::Operator::Add => match evaluate(left, constants) {
                Name::Literal(l) => match evaluate(right, constants) {
                    Name::Literal(r) => Name::Literal(l + &r),
                    Name::Prefix(r) => Name::Prefix(l + &r),
                    Name::Unknown => prefix_or_unknown(l),
                },
                other @ (Name::Prefix(_) | Name::Unknown) => match other {
                    Name::Prefix(p) => Name::Prefix(p),
                    Name::Literal(_) | Name::Unknown => Name::Unknown,
                },
            },
            ast::Operator::Mod => match evaluate(left, constants) {
                Name::Literal(template) => percent_format(&template, right, constants),
                Name::Prefix(_) | Name::Unknown => Name::Unknown,
            },
            ast::Operator::Sub
            | ast::Operator::Mult
            | ast::Operator::MatMult
            | ast::Operator::Div
            | ast::Operator::Pow
            | ast::Operator::LShift
            | ast::Operator::RShift
            | ast::Operator::BitOr
            | ast::Operator::BitXor
            | ast::Operator::BitAnd
            | ast::Operator::FloorDiv => Name::Unknown,
        },
        Expr::Call(ast::ExprCall {
            func,
            arguments,
            range_start: _,
            node_index: _,
        }) => match func.as_ref() {
            // "{}.handlers".format(base)
            Expr::Attribute(ast::ExprAttribute {
                value,
                attr,
                ctx: _,
                range: _,
                node_index: _,
            }) if attr.id.as_str() == "format" => match evaluate(value, constants) {
                Name::Literal(template) => {
                    let values: Vec<Name> = arguments
                        .args
                        .iter()
                        .map(|a| evaluate(a, constants))
                        .collect();
                    brace_format(&template, &values)
                }
                Name::Prefix(_) | Name::Unknown => Name::Unknown,
            },
            _ => Name::Unknown,
        },
        _ => Name::Unknown,
    }
}

fn prefix_or_unknown(known: String) -> Name {
    if known.is_empty() {
        Name::Unknown
    } else {
        Name::Prefix(known)
    }
}

/// `"%s.handlers" % base` / `"%s.%s" % (a, b)`: `%s` filled from known
/// values; the text before the first unknown one is a prefix.
fn percent_format(template: &str, args: &Expr, constants: &Constants) -> Name {
    let values: Vec<Name> = match args {
        Expr::Tuple(ast::ExprTuple { elts, .. }) => {
            elts.iter().map(|a| evaluate(a, constants)).collect()
        }
        other => vec![evaluate(other, constants)],
    };
    fill(template, "%s", &values)
}

/// `"{}.handlers".format(base)`: `{}` filled from known positional values.
fn brace_format(template: &str, values: &[Name]) -> Name {
    fill(template, "{}", values)
}

fn fill(template: &str, hole: &str, values: &[Name]) -> Name {
    let mut out = String::new();
    let mut rest = template;
    let mut next = values.iter();
    while let Some(at) = rest.find(hole) {
        out.push_str(&rest[..at]);
        match next.next() {
            Some(Name::Literal(v)) => out.push_str(v),
            Some(Name::Prefix(p)) => {
                out.push_str(p);
                return prefix_or_unknown(out);
            }
            Some(Name::Unknown) | None => return prefix_or_unknown(out),
        }
        rest = &rest[at + hole.len()..];
    }
    out.push_str(rest);
    Name::Literal(out)
}

/// The dotted name a call's function stands for: `f` through the aliases
/// (`from a.b import f as g` makes `g` stand for `a.b.f`), `m.f` from
/// `m`'s alias, `__import__` as the builtin; `None` for anything else
/// (a method on a value, a call result).
pub(super) fn qualify(func: &Expr, aliases: &Aliases) -> Option<String> {
    match func {
        Expr::Name(ast::ExprName {
            id,
            ctx: _,
            range: _,
            node_index: _,
        }) => match aliases.get(id.as_str()) {
            Some(full) => Some(full.clone()),
            None if id.as_str() == "__import__" => Some("__import__".to_string()),
            None => None,
        },
        Expr::Attribute(ast::ExprAttribute {
            value,
            attr,
            ctx: _,
            range: _,
            node_index: _,
        }) => qualify(value, aliases).map(|base| format!("{base}.{}", attr.id)),
        _ => None,
    }
}

/// The last name of a call's function: `f` for `m.a.f(...)` and `f(...)`.
pub(super) fn last_segment(func: &Expr) -> Option<&str> {
    match func {
        Expr::Attribute(ast::ExprAttribute {
            value: _,
            attr,
            ctx: _,
            range: _,
            node_index: _,
        }) => Some(attr.id.as_str()),
        Expr::Name(ast::ExprName {
            id,
            ctx: _,
            range: _,
            node_index: _,
        }) => Some(id.as_str()),
        _ => None,
    }
}

/// What a helper imports of its literal name: `import_string("a.b.C")`
/// and `resolve_name("a.b:c")` / `("a.b.c")` the longest prefix that is a
/// module (before any `:`); `find_spec("a.b.c")` only `a.b` and its
/// packages; the others the module itself.
pub(super) fn helper_target(helper: &Helper) -> DynamicTarget {
    match helper {
        Helper::ImportModule | Helper::DunderImport | Helper::ImportOrSkip => DynamicTarget::Module,
        Helper::ImportString | Helper::ResolveName => DynamicTarget::LongestPrefix,
        Helper::FindSpec => DynamicTarget::Parents,
    }
}

/// True when `name` reads like a dotted module path (`a`, `a.b_c`,
/// `.rel.mod`): the literal a configured import function is called with.
pub(super) fn dotted_name(name: &str) -> bool {
    let body = name.trim_start_matches('.');
    !body.is_empty() && name.contains('.') && body.split('.').all(crate::discover::is_identifier)
}

/// True when `target` (a call's function, a subscript's value, an
/// assignment's target) is `sys.modules`, `sys.meta_path` or
/// `sys.path_hooks`: what a module edits to make other modules appear.
pub(super) fn is_module_finding_state(target: &Expr, aliases: &Aliases) -> bool {
    matches!(
        qualify(target, aliases).as_deref(),
        Some("sys.modules" | "sys.meta_path" | "sys.path_hooks")
    )
}

/// The method names that add to `sys.modules` or the finder lists.
pub(super) const ADDING_METHODS: &[&str] = &[
    "update",
    "setdefault",
    "append",
    "insert",
    "extend",
    "__setitem__",
];

impl ImportCollector<'_> {
    /// The import a helper call makes.
    pub(super) fn helper(&mut self, helper: &Helper, name: &str, call: &ast::ExprCall) {
        let arguments = &call.arguments;
        // An argument given by keyword or at a position.
        let arg = |keyword: &str, position: usize| {
            arguments
                .find_keyword(keyword)
                .map(|k| &k.value)
                .or_else(|| arguments.args.get(position))
        };
        let keyword = match helper {
            Helper::ImportString => "dotted_path",
            Helper::ImportOrSkip => "modname",
            Helper::ImportModule
            | Helper::DunderImport
            | Helper::ResolveName
            | Helper::FindSpec => "name",
        };
        let Some(argument) = arg(keyword, 0) else {
            return;
        };
        let offset = call.start().to_u32();
        let mut anchor = match helper {
            Helper::ImportModule | Helper::FindSpec => arg("package", 1).map(|value| match value {
                Expr::Name(n) if n.id.as_str() == "__package__" => DynamicAnchor::CurrentPackage,
                Expr::Name(n) if n.id.as_str() == "__name__" => DynamicAnchor::CurrentModule,
                other => match string_literal(other) {
                    Some(literal) => DynamicAnchor::Literal(literal),
                    None => DynamicAnchor::Computed(snippet(self.text, other)),
                },
            }),
            Helper::DunderImport
            | Helper::ResolveName
            | Helper::ImportString
            | Helper::ImportOrSkip => None,
        };
        let (module, target) = match evaluate(argument, &self.constants) {
            Name::Literal(literal) if literal.is_empty() => return,
            Name::Literal(literal) => (literal, helper_target(helper)),
            Name::Prefix(prefix) => (prefix, DynamicTarget::Prefix),
            Name::Unknown => (snippet(self.text, argument), DynamicTarget::Computed),
        };
        let (module, target) = match (helper, target) {
            // __import__(name, globals, locals, fromlist, level): a
            // fromlist also imports the submodules it names; a level makes
            // the name relative to the calling module's package.
            (Helper::DunderImport, DynamicTarget::Module) => {
                let level = arg("level", 4).and_then(int_literal).unwrap_or(0);
                let fromlist = arg("fromlist", 3)
                    .and_then(literal_strings)
                    .unwrap_or_default();
                let module = if level > 0 {
                    anchor = Some(DynamicAnchor::CurrentPackage);
                    ".".repeat(level as usize) + &module
                } else {
                    module
                };
                let names: Vec<String> = fromlist.into_iter().filter(|n| n != "*").collect();
                if names.is_empty() {
                    (module, DynamicTarget::Module)
                } else {
                    (module, DynamicTarget::FromList(names))
                }
            }
            (_, target) => (module, target),
        };
        self.push(
            offset,
            ImportKind::Dynamic,
            ImportForm::Dynamic(Box::new(DynamicImport {
                module,
                anchor,
                target,
                call: name.to_string(),
            })),
        );
    }

    /// A call of an imported (or this module's) function whose first
    /// argument is a dotted name: it may be a configured import function.
    pub(super) fn candidate(&mut self, func: &Expr, arguments: &ast::Arguments, offset: u32) {
        let Some(first) = arguments.args.first() else {
            return;
        };
        // Only a call through an import or of this module's own function
        // can be a configured import function.
        let Some(root) = chain_root(func) else {
            return;
        };
        let imported = self.aliases.contains_key(root);
        let own = matches!(func, Expr::Name(_)) && self.module_functions.contains(root);
        if !imported && !own {
            return;
        }
        let (module, pattern) = match evaluate(first, &self.constants) {
            Name::Literal(literal) if dotted_name(&literal) => (literal, false),
            Name::Prefix(prefix) if prefix.trim_start_matches('.').contains('.') => (prefix, true),
            Name::Literal(_) | Name::Prefix(_) | Name::Unknown => return,
        };
        // Through an import: the qualified name; else this module's function.
        let (callee, local) = if imported {
            let Some(callee) = qualify(func, &self.aliases) else {
                return;
            };
            (callee, false)
        } else {
            (root.to_string(), true)
        };
        self.helper_calls.push(HelperCall {
            offset,
            callee,
            local,
            module,
            pattern,
            kind: ImportKind::Dynamic,
            guarded: self.guarded,
            function: self.function(),
            at_import: self.runs_at_import(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_of(src: &str) -> Name {
        let parsed = ruff_python_parser::parse_expression(src).unwrap();
        let mut constants = Constants::default();
        constants.insert("BASE".to_string(), "app".to_string());
        evaluate(parsed.expr(), &constants)
    }

    #[test]
    fn names_built_from_literals_and_constants() {
        let lit = |s: &str| Name::Literal(s.to_string());
        let pre = |s: &str| Name::Prefix(s.to_string());
        let cases = [
            ("'a.b'", lit("a.b")),
            ("BASE", lit("app")),
            ("other", Name::Unknown),
            ("f'.unicode{v}'", pre(".unicode")),
            ("f'{BASE}.x'", lit("app.x")),
            ("f'{v}.x'", Name::Unknown),
            ("'app.plugins.' + name", pre("app.plugins.")),
            ("BASE + '.handlers'", lit("app.handlers")),
            ("name + '.x'", Name::Unknown),
            ("'%s.handlers' % BASE", lit("app.handlers")),
            ("'%s.handlers' % base", Name::Unknown),
            ("'app.%s' % name", pre("app.")),
            ("'{}.handlers'.format(BASE)", lit("app.handlers")),
            ("'app.{}.x'.format(name)", pre("app.")),
        ];
        for (src, expected) in cases {
            assert_eq!(name_of(src), expected, "{src}");
        }
    }

    #[test]
    fn dotted_names() {
        for (name, expected) in [
            ("a.b", true),
            (".rel.mod", true),
            ("a", false),
            ("a b.c", false),
            ("a..b", false),
            ("", false),
            ("Hello, world.", false),
        ] {
            assert_eq!(dotted_name(name), expected, "{name}");
        }
    }
}
