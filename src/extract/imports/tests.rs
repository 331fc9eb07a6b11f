//! Table-driven tests of the import pass.
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
            vec![(1, Dynamic, false, r#"__import__("os.path")"#)],
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
            vec![(1, Dynamic, false, r#"__import__("helper", level=1)"#)],
        ),
        (
            "__import__('pkg.sub', fromlist=['leaf'])",
            vec![(
                1,
                Dynamic,
                false,
                r#"__import__("pkg.sub", fromlist=["leaf"])"#,
            )],
        ),
        ("something.import_module('x')", vec![]),
        (
            "with ctx():\n    for i in x:\n        import a",
            vec![(3, Module, false, "import a")],
        ),
        (
            "@deco(__import__('d'))\ndef f(x=__import__('e')):\n    pass",
            vec![
                (1, Dynamic, false, r#"__import__("d")"#),
                (2, Dynamic, false, r#"__import__("e")"#),
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

/// `(line, kind, function, at_import, rendered form)` of each import.
fn timing(src: &str) -> Vec<(u32, ImportKind, Option<String>, bool, String)> {
    let facts = extract(src, false, Detail::Imports);
    facts
        .imports
        .iter()
        .map(|i| {
            (
                facts.lines.line(i.offset),
                i.kind,
                i.function.clone(),
                i.at_import,
                i.form.to_string(),
            )
        })
        .collect()
}

#[test]
fn imports_in_functions_called_at_import_time_are_at_import() {
    let src = "\
import importlib
def setup():
    import a
    importlib.import_module('b')
def later():
    import c
class C:
    def m(self):
        import d
    later_too = staticmethod(later)
def outer():
    def inner():
        import e
    import f
setup()
if __name__ == '__main__':
    outer()
handler = lambda: later()
importlib.import_module('g')
def run():
    importlib.import_module('h')
";
    let s = |v: &str| Some(v.to_string());
    let expected = vec![
        (1, Module, None, false, "import importlib".to_string()),
        // setup() is called at module level: its own imports run then.
        (3, Lazy, s("setup"), true, "import a".to_string()),
        (
            4,
            Dynamic,
            s("setup"),
            true,
            r#"importlib.import_module("b")"#.to_string(),
        ),
        // later() only runs from a lambda, which runs later.
        (6, Lazy, s("later"), false, "import c".to_string()),
        // A method and a nested function are not module-level functions.
        (9, Lazy, None, false, "import d".to_string()),
        (13, Lazy, None, false, "import e".to_string()),
        // outer() is called only under `if __name__ == "__main__":`.
        (14, Lazy, s("outer"), false, "import f".to_string()),
        // A dynamic import at module level runs at import time.
        (
            19,
            Dynamic,
            None,
            true,
            r#"importlib.import_module("g")"#.to_string(),
        ),
        (
            21,
            Dynamic,
            s("run"),
            false,
            r#"importlib.import_module("h")"#.to_string(),
        ),
    ];
    assert_eq!(timing(src), expected);
}

#[test]
fn import_helpers_and_pytest_plugins() {
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "import pkgutil\npkgutil.resolve_name('a.b:c')\npkgutil.resolve_name('a.b.c')",
            vec![
                "import pkgutil",
                r#"pkgutil.resolve_name("a.b:c")"#,
                r#"pkgutil.resolve_name("a.b.c")"#,
            ],
        ),
        (
            "from django.utils.module_loading import import_string as load\nload('a.b.C')",
            vec![
                "from django.utils.module_loading import import_string as load",
                r#"django.utils.module_loading.import_string("a.b.C")"#,
            ],
        ),
        (
            "import importlib.util\nimportlib.util.find_spec('a.b.c')",
            vec![
                "import importlib.util",
                r#"importlib.util.find_spec("a.b.c")"#,
            ],
        ),
        (
            "from importlib import util\nutil.find_spec('.c', package=__package__)",
            vec![
                "from importlib import util",
                r#"importlib.util.find_spec(".c", package=__package__)"#,
            ],
        ),
        (
            "import importlib\nimportlib.import_module('app.plugins.' + name)",
            vec![
                "import importlib",
                r#"importlib.import_module("app.plugins." + ...)"#,
            ],
        ),
        (
            "import importlib\nimportlib.import_module(f'.unicode{v}', 'pkg.data')",
            vec![
                "import importlib",
                r#"importlib.import_module(".unicode" + ..., package="pkg.data")"#,
            ],
        ),
        (
            "import importlib\nBASE = 'app'\nimportlib.import_module('%s.handlers' % BASE)",
            vec![
                "import importlib",
                r#"importlib.import_module("app.handlers")"#,
            ],
        ),
        (
            "import importlib\nimportlib.import_module(name)",
            vec!["import importlib", "importlib.import_module(name)"],
        ),
        (
            "pytest_plugins = ['a.fixtures', 'b']\ndef f():\n    pytest_plugins = 'ignored'",
            vec![
                r#"pytest_plugins = ["a.fixtures"]"#,
                r#"pytest_plugins = ["b"]"#,
            ],
        ),
        (
            "pytest_plugins = 'one.plugin'",
            vec![r#"pytest_plugins = ["one.plugin"]"#],
        ),
    ];
    for (src, expected) in cases {
        let facts = extract(src, false, Detail::Imports);
        let got: Vec<String> = facts.imports.iter().map(|i| i.form.to_string()).collect();
        assert_eq!(got, expected, "source:\n{src}");
        for import in facts.imports.iter().filter(|i| i.kind == Dynamic) {
            assert!(import.at_import, "module-level dynamic import:\n{src}");
        }
    }
}

#[test]
fn calls_for_resolution() {
    let src = "\
from mypkg.loader import load, other
from .rel import load as rload
import pkg.m as m
def local(name):
    pass
load('app.plugins.x')
load('not_dotted')
rload('a.b')
local('c.d')
print('e.f')
other()
m.f()
m.helper.g()
def later():
    load('late.mod')
";
    let facts = extract(src, false, Detail::Imports);
    let calls: Vec<(&str, bool, &str, bool, bool)> = facts
        .calls
        .helper_calls
        .iter()
        .map(|c| {
            (
                c.callee.as_str(),
                c.local,
                c.module.as_str(),
                c.pattern,
                c.at_import,
            )
        })
        .collect();
    assert_eq!(
        calls,
        vec![
            ("mypkg.loader.load", false, "app.plugins.x", false, true),
            (".rel.load", false, "a.b", false, true),
            ("local", true, "c.d", false, true),
            ("mypkg.loader.load", false, "late.mod", false, false),
        ]
    );
    assert_eq!(
        facts.calls.import_time_calls,
        vec![
            ".rel.load",
            "mypkg.loader.load",
            "mypkg.loader.other",
            "pkg.m.f",
            "pkg.m.helper.g",
        ]
    );
    assert!(!facts.calls.creates_modules);
}

#[test]
fn modules_that_make_modules_appear() {
    let cases = [
        ("import sys\nsys.modules['x'] = object()", true),
        ("import sys as _s\n_s.meta_path.append(Finder())", true),
        (
            "import sys\nclass F:\n    def install(self):\n        sys.path_hooks.insert(0, self)",
            true,
        ),
        ("from sys import modules\nmodules.setdefault('x', m)", true),
        ("import sys\nsys.modules.update({'x': m})", true),
        (
            "__path__ = __import__('pkgutil').extend_path(__path__, __name__)",
            true,
        ),
        ("__path__.append('elsewhere')", true),
        ("import sys\nsys.modules.get('x')", false),
        ("table = {}\ntable['a'] = 1", false),
        ("path = []\npath.append(1)", false),
    ];
    for (src, expected) in cases {
        let facts = extract(src, false, Detail::Imports);
        assert_eq!(facts.calls.creates_modules, expected, "source:\n{src}");
    }
}

#[test]
fn module_level_definitions_are_listed_for_lazy_packages() {
    let src = "\
class Lexer:
    class Inner:
        pass
    def method(self):
        pass
def helper():
    def nested():
        pass
if flag:
    class Maybe:
        pass
try:
    def fallback():
        pass
except ImportError:
    pass
Alias = Lexer
def __getattr__(name):
    pass
";
    let facts = extract(src, false, Detail::Imports);
    assert_eq!(
        facts.calls.defines,
        ["Lexer", "Maybe", "__getattr__", "fallback", "helper"].map(String::from),
        "classes and functions at module level only (branches included), sorted"
    );
}

#[test]
fn loader_classes_record_what_init_reaches_and_constructions_their_literals() {
    let src = "\
from .library import import_library
import importlib
class Engine:
    default_builtins = ['pkg.tags', 'pkg.filters']
    single = 'pkg.one'
    not_a_module = 'hello world'
    def __init__(self, libraries):
        self.load(libraries)
    def load(self, names):
        return [import_library(n) for n in names]
    def direct(self, name):
        importlib.import_module(name)
    def literal(self):
        import_library('pkg.fixed')
class Plain:
    def method(self, x):
        return x
ENGINE = Engine(libraries={'i18n': 'pkg.i18n'})
OTHER = importlib.import_module('pkg.lit')
";
    let facts = extract(src, false, Detail::Imports);
    let classes = &facts.calls.loader_classes;
    assert_eq!(classes.len(), 1, "Plain loads nothing: {classes:?}");
    let engine = &classes[0];
    assert_eq!(engine.name, "Engine");
    assert_eq!(
        engine.modules,
        ["pkg.tags", "pkg.filters", "pkg.one"].map(String::from)
    );
    type Method<'a> = (&'a str, Vec<Option<&'a str>>, Vec<&'a str>);
    let methods: Vec<Method> = engine
        .methods
        .iter()
        .map(|m| {
            (
                m.name.as_str(),
                m.loads_through.iter().map(|t| t.as_deref()).collect(),
                m.calls.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        methods,
        vec![
            ("__init__", vec![], vec!["load"]),
            ("load", vec![Some(".library.import_library")], vec![]),
            // Through the helper itself: None.
            ("direct", vec![None], vec![]),
        ],
        "a literal argument is no computed load, so `literal` is left out"
    );
    let constructions: Vec<(&str, bool, Vec<&str>)> = facts
        .calls
        .import_time_constructions
        .iter()
        .map(|c| {
            (
                c.callee.as_str(),
                c.local,
                c.modules.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        constructions,
        vec![("Engine", true, vec!["pkg.i18n"])],
        "importlib is the standard library: no construction"
    );
}

#[test]
fn handled_imports_say_how() {
    use crate::extract::Handled::{Importorskip, PytestRaises, TryExcept, TypeChecking as Tc};
    let cases: Vec<(&str, Vec<Option<crate::extract::Handled>>)> = vec![
        ("import a", vec![None]),
        (
            "try:\n    import a\nexcept Exception:\n    pass",
            vec![Some(TryExcept)],
        ),
        (
            "try:\n    import a\nexcept:\n    pass",
            vec![Some(TryExcept)],
        ),
        (
            "try:\n    import a\nexcept ValueError:\n    pass",
            vec![None],
        ),
        (
            "import pytest\nwith pytest.raises(ImportError):\n    import a",
            vec![None, Some(PytestRaises)],
        ),
        (
            "from pytest import raises\nwith raises((ImportError, KeyError)):\n    from a import b",
            vec![None, Some(PytestRaises)],
        ),
        // Expecting another exception does not make the import expected to fail.
        (
            "import pytest\nwith pytest.raises(KeyError):\n    import a",
            vec![None, None],
        ),
        // The body of a function defined under the `with` runs later.
        (
            "import pytest\nwith pytest.raises(ImportError):\n    def f():\n        import a",
            vec![None, None],
        ),
        (
            "import pytest\npytest.importorskip('numpy')",
            vec![None, Some(Importorskip)],
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a",
            vec![None, Some(Tc)],
        ),
    ];
    for (src, want) in cases {
        let facts = extract(src, false, Detail::Imports);
        let got: Vec<_> = facts.imports.iter().map(|i| i.handled()).collect();
        assert_eq!(got, want, "{src}");
    }
}
