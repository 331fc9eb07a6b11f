//! The plain facts extraction produces: imports, bindings, uses and string
//! references of one file, as data.
//!
//! These types are what every later stage (resolution, the symbol index,
//! the cache, output) sees of a Python file. They hold byte offsets and
//! names only; this module must not depend on the parser or its AST, and
//! it holds no logic beyond rendering an import as source-like text.

use serde::{Deserialize, Serialize};

/// When an import runs. Extraction gives the first four, in order of
/// precedence (a `dynamic` import inside a function is `dynamic`; a
/// `type-checking` import inside a function is `type-checking`); resolution
/// adds the two implicit ones Python and pytest run without a statement.
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
    /// `importlib.import_module("literal")`, `__import__("literal")` and the
    /// other import helpers, `pytest_plugins` entries.
    Dynamic,
    /// Implicit: a module runs its parent package first (`a/b/__init__.py`
    /// before `a/b/c.py`). No source line.
    Parent,
    /// Implicit: pytest loads the `conftest.py` files from its rootdir down
    /// to a test module's directory before the test module. No source line.
    Conftest,
}

impl ImportKind {
    /// All kinds, in canonical order: the four a statement can have, then
    /// the two implicit ones.
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Module,
        ImportKind::Lazy,
        ImportKind::TypeChecking,
        ImportKind::Dynamic,
        ImportKind::Parent,
        ImportKind::Conftest,
    ];

    /// The kebab-case name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Module => "module",
            ImportKind::Lazy => "lazy",
            ImportKind::TypeChecking => "type-checking",
            ImportKind::Dynamic => "dynamic",
            ImportKind::Parent => "parent",
            ImportKind::Conftest => "conftest",
        }
    }

    /// True for the kinds that have no statement (and so no line).
    pub fn is_implicit(self) -> bool {
        match self {
            ImportKind::Parent | ImportKind::Conftest => true,
            ImportKind::Module
            | ImportKind::Lazy
            | ImportKind::TypeChecking
            | ImportKind::Dynamic => false,
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
    /// A call that imports by name: `importlib.import_module(...)`,
    /// `__import__(...)`, `pkgutil.resolve_name(...)`, django's
    /// `import_string(...)`, `importlib.util.find_spec(...)`, a configured
    /// import function, or an entry of `pytest_plugins`.
    /// Boxed: most imports are statements, and this keeps every import's
    /// form as small as a statement's.
    Dynamic(Box<DynamicImport>),
}

/// What a dynamic import names (see [`ImportForm::Dynamic`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DynamicImport {
    /// The literal module name (may start with dots); the literal prefix
    /// for [`DynamicTarget::Prefix`]; the argument's source text for
    /// [`DynamicTarget::Computed`].
    pub module: String,
    /// The `package=` argument, when given in a usable form.
    pub anchor: Option<DynamicAnchor>,
    /// What of the name it imports.
    pub target: DynamicTarget,
    /// The function called, as written (`importlib.import_module`,
    /// `__import__`, `pytest_plugins` for that list).
    pub call: String,
}

/// What a dynamic import brings in of the name it is given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DynamicTarget {
    /// The named module, after its parent packages.
    Module,
    /// Only the parent packages of the name: `find_spec("a.b.c")` runs `a.b`.
    Parents,
    /// The longest prefix of the name (before any `:`) that is a module:
    /// `pkgutil.resolve_name("a.b:attr")` / `("a.b.attr")`, django's
    /// `import_string("a.b.Attr")`.
    LongestPrefix,
    /// `__import__(name, fromlist=[...])`: the module, and each listed name
    /// that is a submodule of it (the others are attributes).
    FromList(Vec<String>),
    /// A computed name with a literal prefix (`f"pkg.plugins.{name}"`):
    /// every module whose dotted name starts with it.
    Prefix,
    /// A computed name with no usable prefix: known only at run time.
    Computed,
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
            ImportForm::Dynamic(dynamic) => {
                let DynamicImport {
                    module,
                    anchor,
                    target,
                    call,
                } = dynamic.as_ref();
                if call == "pytest_plugins" {
                    return write!(f, "pytest_plugins = [{module:?}]");
                }
                // `__import__("helper", level=1)`, as it was written.
                let level = module.len() - module.trim_start_matches('.').len();
                if call == "__import__"
                    && level > 0
                    && *anchor == Some(DynamicAnchor::CurrentPackage)
                {
                    write!(f, "__import__({:?}", &module[level..])?;
                    if let DynamicTarget::FromList(names) = target {
                        write!(f, ", fromlist={names:?}")?;
                    }
                    return write!(f, ", level={level})");
                }
                match target {
                    DynamicTarget::Computed => write!(f, "{call}({module}")?,
                    DynamicTarget::Prefix => write!(f, "{call}({module:?} + ...")?,
                    DynamicTarget::Module
                    | DynamicTarget::Parents
                    | DynamicTarget::LongestPrefix
                    | DynamicTarget::FromList(_) => write!(f, "{call}({module:?}")?,
                }
                match anchor {
                    Some(DynamicAnchor::Literal(p)) => write!(f, ", package={p:?}")?,
                    Some(DynamicAnchor::CurrentPackage) => write!(f, ", package=__package__")?,
                    Some(DynamicAnchor::CurrentModule) => write!(f, ", package=__name__")?,
                    Some(DynamicAnchor::Computed(source)) => write!(f, ", {source}")?,
                    None => {}
                }
                if let DynamicTarget::FromList(names) = target {
                    write!(f, ", fromlist={names:?}")?;
                }
                f.write_str(")")
            }
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
    /// In the body of `with pytest.raises(E)` / `with raises(E)` where `E`
    /// catches ImportError: the test expects the import to fail.
    pub raises: bool,
    /// The module-level function whose own body holds the import (not a
    /// nested function's or a method's), for deciding `at_import`.
    pub function: Option<String>,
    /// A `lazy` or `dynamic` import that runs while the module is imported:
    /// a dynamic import at module level, or an import in a module-level
    /// function that the module calls at import time (extraction decides
    /// calls within the file; resolution those from other modules).
    pub at_import: bool,
    /// What is imported.
    pub form: ImportForm,
}

/// The exceptions whose handler catches a failing import: ImportError and
/// the classes it derives from or that derive from it. Extraction marks
/// imports under such a handler `guarded`; `duplicates` reads the same
/// names in branch labels (`except ImportError`).
pub const IMPORT_ERROR_CATCHERS: [&str; 4] = [
    "ImportError",
    "ModuleNotFoundError",
    "Exception",
    "BaseException",
];

/// Why a failing import is expected to fail, or cannot fail: the code
/// handles it. `broken` lists such imports apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Handled {
    /// In the body of a `try` whose handlers catch ImportError or broader.
    TryExcept,
    /// In the body of `with pytest.raises(ImportError)` (or broader).
    PytestRaises,
    /// `pytest.importorskip("name")`: a missing module skips the test.
    Importorskip,
    /// Under `if TYPE_CHECKING:`: never runs.
    TypeChecking,
}

impl Handled {
    /// How the code handles the failure, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Handled::TryExcept => "inside a try whose except catches ImportError",
            Handled::PytestRaises => "inside pytest.raises(ImportError)",
            Handled::Importorskip => "pytest.importorskip skips when it is missing",
            Handled::TypeChecking => "under if TYPE_CHECKING: never runs",
        }
    }
}

impl RawImport {
    /// How the code handles this import failing, if it does; the most
    /// certain reason first (an import that never runs cannot fail).
    pub fn handled(&self) -> Option<Handled> {
        let skips = matches!(&self.form, ImportForm::Dynamic(dynamic)
            if dynamic.call.rsplit('.').next() == Some("importorskip"));
        if skips && self.kind != ImportKind::TypeChecking {
            return Some(Handled::Importorskip);
        }
        handled_where(self.kind, self.guarded, self.raises)
    }
}

impl HelperCall {
    /// How the code handles this call's import failing, if it does.
    pub fn handled(&self) -> Option<Handled> {
        handled_where(self.kind, self.guarded, false)
    }
}

/// What the place of an import says about its failing: never run (under
/// `if TYPE_CHECKING:`), caught, or expected by `pytest.raises`.
fn handled_where(kind: ImportKind, guarded: bool, raises: bool) -> Option<Handled> {
    if kind == ImportKind::TypeChecking {
        Some(Handled::TypeChecking)
    } else if guarded {
        Some(Handled::TryExcept)
    } else {
        raises.then_some(Handled::PytestRaises)
    }
}

/// What the import pass learns besides the imports: the calls resolution
/// decides on, and whether the module makes other modules appear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFacts {
    /// Calls that may be configured import functions.
    pub helper_calls: Vec<HelperCall>,
    /// Functions of other modules called while this one is imported, as
    /// the file's imports spell them (`pkg.mod.f`, `.mod.f`), sorted.
    pub import_time_calls: Vec<String>,
    /// The module writes `sys.modules`, `sys.meta_path`, `sys.path_hooks`
    /// or `__path__`: submodules that no file holds may exist at run time.
    pub creates_modules: bool,
    /// The module puts another object in its own place
    /// (`sys.modules[__name__] = newmod`): that object may supply names the
    /// module does not bind (pygments' lazy lexer loader).
    pub replaces_itself: bool,
    /// Names of the classes and functions defined at module level (outside
    /// functions and classes), sorted: where a lazy package's `__getattr__`
    /// may find a name it does not bind itself.
    pub defines: Vec<String>,
    /// Module-level classes whose methods import a computed name: through
    /// an import helper, or by passing it to a function resolution may
    /// find to be a loader. Only such classes are listed.
    pub loader_classes: Vec<LoaderClass>,
    /// Calls made while the module is imported of a name an import binds,
    /// or of a module-level class of this module: if the callee is a
    /// loader class, building it imports the modules it names.
    pub import_time_constructions: Vec<Construction>,
}

/// A module-level class that may import modules by name when it is built
/// (Django's template `Engine` imports its `default_builtins`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoaderClass {
    /// The class's name.
    pub name: String,
    /// Its methods that import a computed name or call another method.
    pub methods: Vec<LoaderMethod>,
    /// Dotted module names its class body lists as string literals.
    pub modules: Vec<String>,
}

/// One method of a [`LoaderClass`]: building the class runs `__init__`
/// and the methods it calls on `self`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoaderMethod {
    /// The method's name.
    pub name: String,
    /// How it imports a computed name: `None` through an import helper,
    /// `Some(callee)` by passing it to that function, spelled as the file's
    /// imports spell it (`.library.import_library`).
    pub loads_through: Vec<Option<String>>,
    /// The methods it calls on `self` (or `cls`).
    pub calls: Vec<String>,
}

/// A call made while the module is imported, of a name that may be a
/// loader class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Construction {
    /// Byte offset of the call.
    pub offset: u32,
    /// The callee as the file's imports spell it (`pkg.m.Engine`,
    /// `.engine.Engine`), or a class of this module (`local`).
    pub callee: String,
    /// `callee` is a module-level class of this module.
    pub local: bool,
    /// Dotted module names among its arguments' string literals (directly,
    /// or as elements or values of a literal list, tuple, set or dict).
    pub modules: Vec<String>,
}

/// A call of a function that might be a configured import function: its
/// first argument is a dotted-name literal (or has a literal prefix) and
/// the function is imported or defined in the file. Resolution keeps the
/// calls of the functions the configuration names (`import-functions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelperCall {
    /// Byte offset of the call.
    pub offset: u32,
    /// The function's dotted name as the file's imports spell it: absolute
    /// (`pkg.loader.load`), relative (`.loader.load`, with the `from`
    /// import's dots), or a module-level function of this file
    /// (`local` true).
    pub callee: String,
    /// `callee` is a function defined in this module.
    pub local: bool,
    /// The literal name, or its literal prefix when `pattern`.
    pub module: String,
    /// The name was computed: `module` is only its prefix.
    pub pattern: bool,
    /// When the call runs (`dynamic`, as the import it makes).
    pub kind: ImportKind,
    /// In the body of a `try` that catches ImportError.
    pub guarded: bool,
    /// The module-level function whose body holds the call.
    pub function: Option<String>,
    /// The call runs while the module is imported.
    pub at_import: bool,
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
    /// A `@typing.overload` signature: a declaration for type checkers,
    /// not a definition.
    pub overload: bool,
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
