//! One fixture per resolution and discovery rule, each asserting the exact
//! edges, unresolved imports, modules and problems the rule produces.

use crate::common::*;

fn m(name: &str, kind: &str, path: Option<&str>) -> (String, String, Option<String>) {
    (name.into(), kind.into(), path.map(String::from))
}

fn u(from: &str, line: u64, import: &str, reason: &str) -> (String, u64, String, String) {
    (from.into(), line, import.into(), reason.into())
}

#[test]
fn relative_imports_resolve_against_the_importers_package() {
    let g = graph(&fixture("relative"), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e("pkg", "pkg.a", "module", 1, false, ""),
            e("pkg.a", "pkg.b", "module", 1, false, "thing"),
            e("pkg.sub", "pkg.b", "module", 1, false, ""),
            e("pkg.sub", "pkg.b", "module", 2, false, "thing"),
            e("pkg.sub.c", "pkg.sub.d", "module", 1, false, ""),
            e("pkg.sub.c", "pkg.sub.d", "module", 2, false, "helper"),
            e("pkg.sub.c", "pkg.sub.d", "module", 3, false, ""),
        ]
    );
    assert_eq!(
        unresolved(&g),
        vec![
            u(
                "pkg.a",
                2,
                "from .. import nothing",
                "relative import goes above the top-level package"
            ),
            u(
                "pkg.sub",
                3,
                "from ...toplevel import x",
                "relative import goes above the top-level package"
            ),
            u(
                "toplevel",
                1,
                "from . import pkg",
                "relative import in a top-level module, which has no parent package"
            ),
        ]
    );
}

#[test]
fn from_import_prefers_submodule_and_decides_each_name_alone() {
    let g = graph(&fixture("from_names"), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e("app", "lib", "module", 1, false, "VERSION"),
            e("app", "lib.more", "module", 1, false, ""),
            e("app", "lib.more", "module", 3, false, "*"),
            e("app", "lib.tools", "module", 1, false, ""),
            e("app", "lib.tools", "module", 2, false, "hammer"),
            e("app", "lib.tools", "module", 4, false, ""),
            e("app", "lib.tools", "module", 5, false, ""),
        ],
        "no implicit edge from `import lib.tools` to the parent package lib"
    );
    assert!(unresolved(&g).is_empty());
}

#[test]
fn absolute_imports_are_absolute_and_missing_first_party_is_unresolved() {
    let g = graph(&fixture("absolute"), &[]);
    // `import pkg.missing` and `from pkg.gone import X` run pkg, the part
    // that exists, before they fail; but pkg.json is inside pkg, which has
    // run already, so they add no edge.
    assert_eq!(
        edges(&g),
        vec![e("pkg.json", "pkg", "module", 6, false, "absent")]
    );
    assert_eq!(
        external(&g),
        vec![
            ("pkg.json".into(), "json".into(), 1, true),
            ("pkg.json".into(), "requests.adapters".into(), 2, false),
            ("pkg.json".into(), "os".into(), 3, true),
            ("pkg.json".into(), "nothere".into(), 7, false),
        ],
        "`import json` inside pkg/ is the standard library, not pkg/json.py"
    );
    assert_eq!(
        unresolved(&g),
        vec![
            u(
                "pkg.json",
                4,
                "import pkg.missing",
                "no module pkg.missing: pkg exists but has no submodule missing"
            ),
            u(
                "pkg.json",
                5,
                "from pkg.gone import X",
                "no module pkg.gone: pkg exists but has no submodule gone"
            ),
        ]
    );
}

#[test]
fn namespace_packages_are_nodes_without_files() {
    let g = graph(&fixture("namespace"), &[]);
    assert_eq!(
        modules(&g),
        vec![
            m("ns", "namespace", None),
            m("ns.inner", "namespace", None),
            m("ns.inner.mod", "module", Some("ns/inner/mod.py")),
            m("ns.other", "module", Some("ns/other.py")),
            m("user", "module", Some("user.py")),
        ]
    );
    assert_eq!(
        edges(&g),
        vec![
            e("ns.inner.mod", "ns.inner", "module", 2, false, ""),
            e("ns.inner.mod", "ns.other", "module", 1, false, ""),
            e("ns.other", "ns.inner.mod", "module", 1, false, ""),
            e("user", "ns", "module", 1, false, ""),
            e("user", "ns.inner.mod", "module", 2, false, ""),
        ]
    );
}

#[test]
fn package_shadows_module_and_stub_describes_its_py() {
    let g = graph(&fixture("shadowing"), &[]);
    assert_eq!(
        modules(&g),
        vec![
            m("pkg", "package", Some("pkg/__init__.py")),
            m("pkg.stubonly", "module", Some("pkg/stubonly.pyi")),
            m("pkg.typed", "module", Some("pkg/typed.py")),
            m("pkg.x", "package", Some("pkg/x/__init__.py")),
            m("pkg.x.impl", "module", Some("pkg/x/impl.py")),
            m("user", "module", Some("user.py")),
        ]
    );
    let typed = g["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "pkg.typed")
        .unwrap();
    assert_eq!(typed["stub"], "pkg/typed.pyi");
    assert_eq!(
        g["shadowed"],
        serde_json::json!([{"path": "pkg/x.py", "shadowed_by": "pkg.x", "winner": "pkg/x/__init__.py"}])
    );
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.typed", "pkg.x", "module", 1, false, ""),
            e("pkg.x", "pkg.x.impl", "module", 1, false, ""),
            e("user", "pkg.stubonly", "module", 2, false, ""),
            e("user", "pkg.typed", "module", 1, false, ""),
            e("user", "pkg.x", "module", 3, false, ""),
        ]
    );
}

#[test]
fn files_with_non_identifier_paths_import_but_are_never_imported() {
    let g = graph(&fixture("scripts"), &[]);
    assert_eq!(
        modules(&g),
        vec![
            m(
                "backup/20250909_1041/db.py",
                "script",
                Some("backup/20250909_1041/db.py")
            ),
            m("tools", "namespace", None),
            m("tools.db", "module", Some("tools/db.py")),
            m(
                "tools/run-migration.py",
                "script",
                Some("tools/run-migration.py")
            ),
        ]
    );
    assert_eq!(
        edges(&g),
        vec![
            e(
                "backup/20250909_1041/db.py",
                "tools.db",
                "module",
                1,
                false,
                ""
            ),
            e("tools/run-migration.py", "tools.db", "module", 1, false, ""),
        ]
    );
    assert_eq!(
        unresolved(&g),
        vec![u(
            "tools/run-migration.py",
            2,
            "from . import db",
            "relative import in a file that is not importable (its path is not a dotted name)"
        )]
    );
}

#[test]
fn src_directory_and_extra_source_roots_name_modules() {
    let g = graph(&fixture("src_roots"), &["--src", "extra"]);
    assert_eq!(g["source_roots"], serde_json::json!(["", "src", "extra"]));
    assert_eq!(
        modules(&g),
        vec![
            m("core", "package", Some("src/core/__init__.py")),
            m("core.engine", "module", Some("src/core/engine.py")),
            m("plugins", "package", Some("extra/plugins/__init__.py")),
            m("plugins.audit", "module", Some("extra/plugins/audit.py")),
            m("setup", "module", Some("setup.py")),
        ]
    );
    assert_eq!(
        edges(&g),
        vec![
            e("core.engine", "plugins.audit", "module", 1, false, ""),
            e("plugins.audit", "core.engine", "module", 1, false, ""),
            e("setup", "core.engine", "module", 1, false, ""),
        ]
    );
    // Without --src, extra/ is an ordinary directory under the root.
    let g = graph(&fixture("src_roots"), &[]);
    assert!(modules(&g).contains(&m(
        "extra.plugins.audit",
        "module",
        Some("extra/plugins/audit.py")
    )));
    assert!(
        unresolved(&g).is_empty(),
        "plugins is not first-party without --src, so it is external, not unresolved"
    );
    assert!(external(&g).contains(&("core.engine".into(), "plugins.audit".into(), 1, false)));
}

#[test]
fn default_excludes_ignore_files_and_exclude_option() {
    let g = graph(&fixture("excludes"), &[]);
    assert_eq!(
        modules(&g),
        vec![
            m(
                ".github/scripts/ci.py",
                "script",
                Some(".github/scripts/ci.py")
            ),
            m("app", "module", Some("app.py")),
            m("lib", "module", Some("lib.py")),
            m("vendor", "namespace", None),
            m("vendor.v", "module", Some("vendor/v.py")),
        ],
        ".venv, a dir with pyvenv.cfg, node_modules, __pycache__ and .ignore'd dirs are skipped; .github is not"
    );
    let g = graph(
        &fixture("excludes"),
        &["--exclude", "vendor", "--exclude", ".github/**"],
    );
    let names: Vec<String> = modules(&g).into_iter().map(|(n, _, _)| n).collect();
    assert_eq!(names, strings(&["app", "lib"]));
}

#[test]
fn every_kind_and_guard_is_recorded() {
    let g = graph(&fixture("kinds"), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e("mod", "target_a", "module", 4, true, ""),
            e("mod", "target_b", "type-checking", 8, false, ""),
            e("mod", "target_c", "lazy", 12, false, ""),
            e("mod", "target_d", "dynamic", 13, false, ""),
        ]
    );
}

#[test]
fn syntax_errors_and_encodings_do_not_lose_imports() {
    let g = graph(&fixture("syntax"), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e("bad_utf8", "good_after", "module", 1, false, ""),
            e("bom_crlf", "good_after", "module", 2, false, ""),
            e("bom_crlf", "good_before", "module", 1, false, ""),
            e("broken", "good_after", "module", 4, false, ""),
            e("broken", "good_before", "module", 1, false, ""),
            e("latin", "good_before", "module", 2, false, ""),
        ]
    );
    let errors = g["parse_errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["path"], "broken.py");
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(
        g["problems"],
        serde_json::json!([{"path": "bad_utf8.py", "message": "invalid UTF-8 at byte 26; add a PEP 263 coding declaration or fix the file"}])
    );
}

#[test]
fn dynamic_imports_take_positional_package_level_and_fromlist() {
    let g = graph(&fixture("dynamic"), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.lvl", "pkg.helper", "dynamic", 1, false, ""),
            e("pkg.main", "pkg.helper", "dynamic", 2, false, ""),
            e("pkg.main", "pkg.other", "dynamic", 3, false, ""),
            // `__import__("pkg.sub", fromlist=["leaf"])` imports pkg.sub,
            // then its submodule leaf.
            e("pkg.main", "pkg.sub", "dynamic", 4, false, ""),
            e("pkg.main", "pkg.sub.leaf", "dynamic", 4, false, ""),
            e("pkg/run-me.py", "pkg.helper", "module", 1, false, ""),
        ]
    );
    assert_eq!(
        unresolved(&g),
        vec![u(
            "pkg.main",
            5,
            "importlib.import_module(\".x\", app_config.name)",
            "relative dynamic import whose package is computed (known only at run time)"
        )]
    );
}

#[test]
fn a_root_inside_a_package_keeps_the_package_name() {
    let g = graph(&fixture("dynamic").join("pkg"), &[]);
    let names: Vec<String> = modules(&g).into_iter().map(|(n, _, _)| n).collect();
    assert_eq!(
        names,
        strings(&[
            "pkg",
            "pkg.helper",
            "pkg.lvl",
            "pkg.main",
            "pkg.other",
            "pkg.sub",
            "pkg.sub.leaf",
            "pkg/run-me.py"
        ]),
        "scripts keep their path from the import root too"
    );
    assert_eq!(edges(&g).len(), 6);
}

/// `dependents TARGET --json` results as `(module, tier, depth, chain)`.
fn tiered(root: &std::path::Path, target: &str) -> Vec<(String, String, u64, Vec<String>)> {
    let v = json(root, &["dependents", target, "--json"]);
    v["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["module"].as_str().expect("module").to_string(),
                r["tier"].as_str().expect("tier").to_string(),
                r["depth"].as_u64().expect("depth"),
                r["chain"]
                    .as_array()
                    .expect("chain")
                    .iter()
                    .map(|c| c.as_str().expect("name").to_string())
                    .collect(),
            )
        })
        .collect()
}

fn t(module: &str, tier: &str, depth: u64, chain: &[&str]) -> (String, String, u64, Vec<String>) {
    (module.into(), tier.into(), depth, strings(chain))
}

#[test]
fn every_module_and_package_runs_its_parent_package_first() {
    let root = fixture("parents");
    let g = graph(&root, &[]);
    assert_eq!(
        implicit_edges(&g),
        vec![
            // Namespace packages are nodes, so their children reach them.
            ie("ns.inner", "ns", "parent"),
            ie("ns.inner.mod", "ns.inner", "parent"),
            ie("pkg.a", "pkg", "parent"),
            ie("pkg.a.b", "pkg.a", "parent"),
            // c imports only `__future__`, and still runs pkg.a.b, pkg.a
            // and pkg. Top-level modules (pkg, top) and the script have none.
            ie("pkg.a.b.c", "pkg.a.b", "parent"),
        ]
    );
    assert_eq!(
        edges(&g),
        vec![
            e("pkg.a", "pkg.a.b.c", "module", 1, false, ""),
            e("tools/run-me.py", "top", "module", 1, false, ""),
            e("top", "pkg.a.b.c", "module", 1, false, ""),
        ]
    );
    // A change to pkg/__init__.py reaches everyone who imports anything
    // below it, at import time; a depth counts parent hops too.
    assert_eq!(
        tiered(&root, "pkg"),
        vec![
            t("pkg.a", "import", 1, &["pkg.a", "pkg"]),
            t("pkg.a.b", "import", 2, &["pkg.a.b", "pkg.a", "pkg"]),
            t(
                "pkg.a.b.c",
                "import",
                3,
                &["pkg.a.b.c", "pkg.a.b", "pkg.a", "pkg"]
            ),
            t(
                "top",
                "import",
                4,
                &["top", "pkg.a.b.c", "pkg.a.b", "pkg.a", "pkg"]
            ),
            t(
                "tools/run-me.py",
                "import",
                5,
                &[
                    "tools/run-me.py",
                    "top",
                    "pkg.a.b.c",
                    "pkg.a.b",
                    "pkg.a",
                    "pkg"
                ]
            ),
        ]
    );
    // pkg.a imports its own submodule: a cycle only with parent edges, so
    // `cycles` leaves it out unless asked, and then it is a runtime cycle.
    assert_eq!(
        json(&root, &["cycles", "--json"])["cycles"],
        serde_json::json!([])
    );
    let asked = json(&root, &["cycles", "--kinds", "module,parent", "--json"]);
    assert_eq!(
        asked["cycles"],
        serde_json::json!([{
            "modules": ["pkg.a", "pkg.a.b", "pkg.a.b.c"],
            "example": ["pkg.a", "pkg.a.b.c", "pkg.a.b", "pkg.a"],
            "kinds": ["module", "parent"],
            "runtime": true
        }])
    );
}

#[test]
fn test_modules_load_every_conftest_from_the_pytest_rootdir_down() {
    let g = graph(&fixture("conftest"), &[]);
    let conftest: Vec<_> = implicit_edges(&g)
        .into_iter()
        .filter(|(_, _, kind)| kind == "conftest")
        .collect();
    // backend/pytest.ini makes backend/ the rootdir, so conftest.py above
    // it is never loaded; its python_files (check_*.py test_*.py) replace
    // the default, so engine_test.py and helpers.py are no test modules.
    assert_eq!(
        conftest,
        vec![
            ie("backend.other.test_misc", "backend.conftest", "conftest"),
            ie(
                "backend.tests.unit.check_engine",
                "backend.conftest",
                "conftest"
            ),
            ie(
                "backend.tests.unit.check_engine",
                "backend.tests.conftest",
                "conftest"
            ),
            ie(
                "backend.tests.unit.check_engine",
                "backend.tests.unit.conftest",
                "conftest"
            ),
            ie(
                "backend.tests.unit.test_api",
                "backend.conftest",
                "conftest"
            ),
            ie(
                "backend.tests.unit.test_api",
                "backend.tests.conftest",
                "conftest"
            ),
            ie(
                "backend.tests.unit.test_api",
                "backend.tests.unit.conftest",
                "conftest"
            ),
        ]
    );
    // pytest_plugins (a list or one string) imports its modules while the
    // conftest loads.
    let dynamic: Vec<_> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "dynamic")
        .map(|e| {
            (
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["line"].as_u64().unwrap(),
                e["at_import"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        dynamic,
        vec![
            ("backend.conftest", "backend.plugins.db", 1, true),
            ("backend.conftest", "backend.plugins.fixtures", 1, true),
            ("backend.tests.conftest", "backend.plugins.db", 1, true),
        ]
    );
    // So a change to a plugin reaches every test module at import time.
    assert_eq!(
        tiered(&fixture("conftest"), "backend.plugins.fixtures"),
        vec![
            t(
                "backend.conftest",
                "import",
                1,
                &["backend.conftest", "backend.plugins.fixtures"]
            ),
            t(
                "backend.other.test_misc",
                "import",
                2,
                &[
                    "backend.other.test_misc",
                    "backend.conftest",
                    "backend.plugins.fixtures"
                ]
            ),
            t(
                "backend.tests.unit.check_engine",
                "import",
                2,
                &[
                    "backend.tests.unit.check_engine",
                    "backend.conftest",
                    "backend.plugins.fixtures"
                ]
            ),
            t(
                "backend.tests.unit.test_api",
                "import",
                2,
                &[
                    "backend.tests.unit.test_api",
                    "backend.conftest",
                    "backend.plugins.fixtures"
                ]
            ),
        ]
    );
}

#[test]
fn submodules_a_package_creates_at_run_time_are_not_broken() {
    let root = fixture("runtime");
    let g = graph(&root, &[]);
    // Each import runs the longest prefix that exists, so it has an edge
    // there, of its own kind.
    assert_eq!(
        edges(&g),
        vec![
            // The loader's own import of its submodule, when it is called.
            e("pkg.lazyattr", "pkg.lazyattr.impl", "dynamic", 6, false, ""),
            e("pkg.user", "pkg.lazyattr", "module", 4, false, ""),
            e("pkg.user", "pkg.lazyattr", "module", 6, false, "Thing"),
            // pkg.lazyattr binds no Thing; its __getattr__ loads the
            // submodule that defines it, while pkg.user is imported.
            e("pkg.user", "pkg.lazyattr.impl", "dynamic", 6, false, ""),
            e("pkg.user", "pkg.plain", "module", 3, false, ""),
            e("pkg.user", "pkg.registry", "module", 2, false, ""),
            e("pkg.user", "pkg.six", "module", 1, false, ""),
            // `fromlist=["leaf", "VERSION"]`: leaf is a module, VERSION an
            // attribute of pkg.sub, neither unresolved nor broken.
            e("pkg.user", "pkg.sub", "dynamic", 5, false, ""),
            e("pkg.user", "pkg.sub.leaf", "dynamic", 5, false, ""),
        ]
    );
    let creator = |module: &str| {
        format!(
            "created at run time by {module}: no file holds {module}.{}, and {module} edits sys.modules, sys.meta_path, sys.path_hooks or __path__",
            if module == "pkg.six" {
                "moves.collections_abc"
            } else {
                "virtual"
            }
        )
    };
    assert_eq!(
        unresolved(&g),
        vec![
            // six-style: the package appends an importer to sys.meta_path.
            u(
                "pkg.user",
                1,
                "from pkg.six.moves.collections_abc import Mapping",
                &creator("pkg.six")
            ),
            // The package writes the submodule into sys.modules.
            u(
                "pkg.user",
                2,
                "import pkg.registry.virtual",
                &creator("pkg.registry")
            ),
            // Nothing creates these: a module-level __getattr__ answers
            // attributes, never `import pkg.lazyattr.nope`.
            u(
                "pkg.user",
                3,
                "import pkg.plain.gone",
                "no module pkg.plain.gone: pkg.plain exists but has no submodule gone"
            ),
            u(
                "pkg.user",
                4,
                "import pkg.lazyattr.nope",
                "no module pkg.lazyattr.nope: pkg.lazyattr exists but has no submodule nope"
            ),
        ]
    );
    let lazy = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["from"] == "pkg.user" && e["to"] == "pkg.lazyattr.impl" && e["kind"] == "dynamic"
        })
        .expect("the lazy attribute's edge");
    assert_eq!(lazy["at_import"], true);
    let broken = json_with_code(&root, &["broken", "--json"], 1);
    let lines: Vec<u64> = broken["files"][0]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["line"].as_u64().unwrap())
        .collect();
    assert_eq!(broken["files"].as_array().unwrap().len(), 1);
    assert_eq!(
        lines,
        vec![3, 4],
        "the two created submodules are not broken"
    );
}

#[test]
fn functions_called_at_import_time_and_import_functions_run_their_imports() {
    let root = fixture("import_time");
    let g = graph(&root, &[]);
    let flagged: Vec<_> = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["line"].is_null())
        .map(|e| {
            (
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["line"].as_u64().unwrap(),
                e["at_import"].as_bool().unwrap(),
                e["pattern"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        flagged,
        vec![
            // later() is never called; start() is, by app.main, which
            // imports it by name.
            ("app.boot", "app.cache", "lazy", 6, false, false),
            ("app.boot", "app.engine", "lazy", 2, true, false),
            ("app.main", "app.boot", "module", 1, false, false),
            ("app.main", "app.loader", "module", 2, false, false),
            ("app.main", "app.loader", "module", 3, false, false),
            // app.loader.load is a configured import function, called by
            // name and through the module alias.
            ("app.main", "app.plugins.alpha", "dynamic", 6, true, false),
            ("app.main", "app.plugins.beta", "dynamic", 7, true, false),
            // "app.plugins." + _name: every module below that prefix.
            ("app.plugins", "app.plugins.alpha", "dynamic", 4, true, true),
            ("app.plugins", "app.plugins.beta", "dynamic", 4, true, true),
            // _cli() runs only under `if __name__ == "__main__":`, which
            // importing the module never enters; _configure() runs.
            ("app.setup", "app.cli", "lazy", 6, false, false),
            ("app.setup", "app.settings", "lazy", 2, true, false),
            (
                "app.templates",
                "app.templates.engine",
                "module",
                1,
                false,
                false
            ),
            (
                "app.templates.engine",
                "app.templates.loader_lib",
                "module",
                1,
                false,
                false
            ),
            ("app.views", "app.templates", "module", 1, false, false),
            // Building Engine at import time runs __init__, which calls
            // load_all on self, which passes each name to load_library,
            // which imports it: the modules Engine's class body lists and
            // the one the call names. LazyEngine loads only in a method
            // __init__ never calls, so building it imports nothing.
            (
                "app.views",
                "app.templates.extra",
                "dynamic",
                3,
                true,
                false
            ),
            (
                "app.views",
                "app.templates.filters",
                "dynamic",
                3,
                true,
                false
            ),
            ("app.views", "app.templates.tags", "dynamic", 3, true, false),
        ]
    );
    let computed = "computed at run time: the name is known only when it runs";
    assert_eq!(
        unresolved(&g),
        vec![
            u("app.loader", 5, "importlib.import_module(name)", computed),
            u(
                "app.templates.loader_lib",
                5,
                "importlib.import_module(name)",
                computed
            ),
        ]
    );
    assert_eq!(
        tiered(&root, "app.engine"),
        vec![
            t("app.boot", "import", 1, &["app.boot", "app.engine"]),
            t(
                "app.main",
                "import",
                2,
                &["app.main", "app.boot", "app.engine"]
            ),
        ]
    );
    assert_eq!(
        tiered(&root, "app.cache"),
        vec![
            t("app.boot", "runtime", 1, &["app.boot", "app.cache"]),
            t(
                "app.main",
                "runtime",
                2,
                &["app.main", "app.boot", "app.cache"]
            ),
        ]
    );
    assert_eq!(
        tiered(&root, "app.cli"),
        vec![t("app.setup", "runtime", 1, &["app.setup", "app.cli"])]
    );
    assert_eq!(
        tiered(&root, "app.templates.tags"),
        vec![t(
            "app.views",
            "import",
            1,
            &["app.views", "app.templates.tags"]
        )]
    );
}
