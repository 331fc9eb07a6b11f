//! The plain facts extraction produces: imports, bindings, uses and string
//! references of one file, as data.
//!
//! These types are what every later stage (resolution, the symbol index,
//! the cache, output) sees of a Python file. They hold byte offsets and
//! names only; this module must not depend on the parser or its AST, and
//! it holds no logic beyond rendering an import as source-like text.

use serde::{Deserialize, Serialize};

/// When an import runs, in order of precedence (a `dynamic` import inside a
/// function is `dynamic`; a `type-checking` import inside a function is
/// `type-checking`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
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
    /// A package argument computed at run time (`app_config.name`).
    Computed(String),
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
                Some(DynamicAnchor::Computed(source)) => {
                    write!(f, "importlib.import_module({module:?}, {source})")
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

/// What kind of object a module-level name is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BindingKind {
    /// `class Name`.
    Class,
    /// `def name` / `async def name`.
    Function,
    /// An assignment, annotated assignment or augmented `__all__`.
    Variable,
    /// A name bound by `import` or `from ... import`.
    Import,
}

impl BindingKind {
    /// The kebab-case name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            BindingKind::Class => "class",
            BindingKind::Function => "function",
            BindingKind::Variable => "variable",
            BindingKind::Import => "import",
        }
    }
}

/// Where a module-level binding's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BindingValue {
    /// Defined here: a class, a function, or a value computed here.
    Definition,
    /// `Y = X`: another module-level name of the same module.
    Alias(String),
    /// `Y = m.a.b`: an attribute path on a local name (usually a module alias).
    Attribute {
        /// The local name the path starts from.
        base: String,
        /// The attributes, in order.
        attrs: Vec<String>,
    },
    /// Bound by the import `FileFacts::imports[import]`: the module itself for
    /// `import a.b [as x]` (`name: None`), or `from m import name [as y]`.
    Import {
        /// Index into `FileFacts::imports`.
        import: usize,
        /// The imported name of a `from` import.
        name: Option<String>,
    },
}

/// A name bound at module level (including inside module-level `if`/`try`/`with`/`match` blocks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The bound name.
    pub name: String,
    /// What it is bound to.
    pub kind: BindingKind,
    /// Byte offset of the binding statement.
    pub offset: u32,
    /// The enclosing conditional blocks, outermost first (`try`,
    /// `except ImportError`, `if sys.version_info >= (3, 11)`,
    /// `match sys.platform > case "win32"`), joined by ` > `; `None` when
    /// unconditional.
    pub branch: Option<String>,
    /// Where the value comes from.
    pub value: BindingValue,
}

/// `alias.attr[.attr...]` where `alias` is a name bound by an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeUse {
    /// The import-bound name the chain starts from.
    pub root: String,
    /// The attributes, in order.
    pub attrs: Vec<String>,
    /// Byte offset of the expression.
    pub offset: u32,
    /// Byte offset just past the expression.
    pub end: u32,
}

/// A string literal shaped like a dotted Python path (`"pkg.mod.Name"`,
/// `"pkg.mod:Name"`): it may name a module or symbol and break on a move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StringRef {
    /// The literal's value.
    pub value: String,
    /// Byte offset of the literal (its prefix or opening quote).
    pub offset: u32,
    /// Byte offset just past the literal's closing quote.
    pub end: u32,
}
