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
            "relative dynamic import whose package is not a string literal (known only at run time)"
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
