//! Symbols: origins through aliases and re-exports, uses, duplicates and
//! broken symbol imports, on the `symbols` fixture (one case per rule) and on
//! the sample repository. Expected values were checked against the sources.

use crate::common::*;
use serde_json::Value;

type OriginRow = (String, u64, String, Option<String>, u64);

fn origins(v: &Value) -> Vec<OriginRow> {
    v["origins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["module"].as_str().unwrap().to_string(),
                o["line"].as_u64().unwrap(),
                o["kind"].as_str().unwrap().to_string(),
                o["conditional"].as_str().map(String::from),
                o["users"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn o(module: &str, line: u64, kind: &str, conditional: Option<&str>, users: u64) -> OriginRow {
    (
        module.into(),
        line,
        kind.into(),
        conditional.map(String::from),
        users,
    )
}

/// `(module, line, how, through, kind)` of each use of origin `i`.
fn uses(v: &Value, i: usize) -> Vec<(String, u64, String, String, String)> {
    v["origins"][i]["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["module"].as_str().unwrap().to_string(),
                u["line"].as_u64().unwrap(),
                u["how"].as_str().unwrap().to_string(),
                u["through"].as_str().unwrap().to_string(),
                u["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn u(
    module: &str,
    line: u64,
    how: &str,
    through: &str,
    kind: &str,
) -> (String, u64, String, String, String) {
    (module.into(), line, how.into(), through.into(), kind.into())
}

/// `(module, line, via, role)` of each binding of origin `i`.
fn bindings(v: &Value, i: usize) -> Vec<(String, u64, String, String)> {
    v["origins"][i]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["module"].as_str().unwrap().to_string(),
                b["line"].as_u64().unwrap(),
                b["via"].as_str().unwrap().to_string(),
                b["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn b(module: &str, line: u64, via: &str, role: &str) -> (String, u64, String, String) {
    (module.into(), line, via.into(), role.into())
}

fn symbols_fixture() -> std::path::PathBuf {
    fixture("symbols")
}

#[test]
fn alias_chain_of_four_hops_through_init_reaches_the_class() {
    let v = json(&symbols_fixture(), &["symbol", "hops.c:E3", "--json"]);
    assert_eq!(v["pinned"], "hops.c");
    assert_eq!(origins(&v), vec![o("core.impl", 1, "class", None, 8)]);
    assert_eq!(
        bindings(&v, 0),
        vec![
            b("core", 1, "from .impl import Engine", "re-export"),
            b("hops.a", 1, "from core import Engine as E1", "re-export"),
            b("hops.b", 1, "from hops.a import E1 as E2", "re-export"),
            b("hops.c", 3, "E3 = E2", "re-export"),
        ],
        "hops.c line 1 is a plain import nobody goes through: not a re-export"
    );
    assert_eq!(
        uses(&v, 0),
        vec![
            u("attr_user", 6, "attribute", "hops.c", "module"),
            u("core", 1, "from-import", "core.impl", "module"),
            u("fallback", 2, "from-import", "core.impl", "module"),
            u("hops.a", 1, "from-import", "core", "module"),
            u("hops.b", 1, "from-import", "hops.a", "module"),
            u("hops.c", 1, "from-import", "hops.b", "module"),
            u("strings", 3, "string", "core.impl", "module"),
            u("strings", 4, "string", "hops.c", "module"),
            u(
                "user_stars",
                3,
                "from-import",
                "stars.without_all",
                "module"
            ),
        ]
    );
}

#[test]
fn try_except_fallback_gives_two_origins_and_one_duplicate() {
    let v = json(&symbols_fixture(), &["symbol", "Engine", "--json"]);
    assert_eq!(
        origins(&v),
        vec![
            o("core.impl", 1, "class", None, 8),
            o("fallback", 4, "class", Some("except ImportError"), 0),
        ]
    );
    let d = json(&symbols_fixture(), &["duplicates", "--json"]);
    let found = d["duplicates"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["name"], "Engine");
    assert_eq!(found[0]["suggested"]["module"], "core.impl");
    assert_eq!(
        found[0]["suggested"]["reason"],
        "most used (8 files), not a compatibility shim, unconditional"
    );
    assert_eq!(found[0]["origins"][1]["shim"], true);
}

#[test]
fn star_imports_follow_all_or_public_names() {
    let v = json(
        &symbols_fixture(),
        &["symbol", "user_stars:Exported", "--json"],
    );
    assert_eq!(origins(&v), vec![o("stars.all_src", 4, "class", None, 1)]);
    let v = json(
        &symbols_fixture(),
        &["symbol", "stars.without_all:helper", "--json"],
    );
    assert_eq!(origins(&v), vec![o("core.impl", 5, "function", None, 2)]);
    assert_eq!(
        uses(&v, 0),
        vec![
            u("attr_user", 7, "attribute", "core.impl", "module"),
            u(
                "user_stars",
                3,
                "from-import",
                "stars.without_all",
                "module"
            ),
        ]
    );
}

#[test]
fn broken_symbol_imports_are_listed_by_file_and_not_for_cycles_or_getattr() {
    let v = json_with_code(&symbols_fixture(), &["broken", "--json"], 1);
    let rows: Vec<(String, u64, String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let path = f["path"].as_str().unwrap().to_string();
            f["imports"].as_array().unwrap().iter().map(move |i| {
                (
                    path.clone(),
                    i["line"].as_u64().unwrap(),
                    i["problem"].as_str().unwrap().to_string(),
                    i["import"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let r = |p: &str, l: u64, k: &str, i: &str| (p.to_string(), l, k.to_string(), i.to_string());
    assert_eq!(
        rows,
        vec![
            r(
                "missing_user.py",
                1,
                "missing-name",
                "from core.impl import Nope"
            ),
            r(
                "missing_user.py",
                3,
                "missing-name",
                "from core import Nope2"
            ),
            r(
                "user_stars.py",
                2,
                "missing-name",
                "from stars.with_all import Hidden"
            ),
            r(
                "user_stars.py",
                4,
                "missing-name",
                "from stars.without_all import _private"
            ),
        ]
    );
}

#[test]
fn alias_cycles_and_module_getattr_end_unresolved_without_looping() {
    let v = json(&symbols_fixture(), &["symbol", "X", "--json"]);
    assert_eq!(origins(&v), vec![]);
    assert_eq!(
        v["unresolved"],
        serde_json::json!(["the aliases and re-exports form a cycle"])
    );
    let v = json(
        &symbols_fixture(),
        &["symbol", "getattr_user:anything", "--json"],
    );
    assert_eq!(
        v["unresolved"],
        serde_json::json!(["getattr_mod defines __getattr__: the name is computed at run time"])
    );
}

#[test]
fn unknown_symbols_suggest_close_names() {
    let root = symbols_fixture();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "symbol",
        "core.impl:Engin",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: core.impl has no name \"Engin\"; did you mean Engine?\n"
    );
}

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";
const SHIM: &str = "app.core.managers.execution_engine_factory";

#[test]
fn sample_repo_factory_has_exactly_its_three_origins_and_their_uses() {
    let v = json(
        &sample_repo(),
        &["symbol", "ExecutionEngineFactory", "--json"],
    );
    assert_eq!(
        origins(&v),
        vec![
            o(FACTORY, 12, "class", None, 12),
            o(SHIM, 20, "class", Some("except ImportError"), 6),
            o("app.agents.registry", 15, "class", None, 1),
        ]
    );
    assert_eq!(
        bindings(&v, 0),
        vec![
            b(
                "app.agents.supervisor",
                2,
                "from .execution_engine_factory import ExecutionEngineFactory",
                "re-export"
            ),
            b(
                SHIM,
                12,
                "from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactory as _CanonicalExecutionEngineFactory",
                "alias"
            ),
            b(
                SHIM,
                16,
                "ExecutionEngineFactory = _CanonicalExecutionEngineFactory",
                "re-export"
            ),
        ]
    );
    assert_eq!(v["origins"][0]["bindings"][1]["conditional"], "try");
    assert_eq!(
        uses(&v, 0),
        vec![
            u(
                ".github/scripts/check_imports.py",
                4,
                "from-import",
                SHIM,
                "module"
            ),
            u("app.agents.supervisor", 2, "from-import", FACTORY, "module"),
            u(SHIM, 12, "from-import", FACTORY, "module"),
            u(
                "app.core.managers.session_manager",
                8,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "app.routes.agent_routes",
                4,
                "from-import",
                FACTORY,
                "module"
            ),
            u(
                "app.routes.websocket_routes",
                14,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "app.services.agent_service",
                2,
                "from-import",
                SHIM,
                "module"
            ),
            u(
                "app.services.execution_service",
                8,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "app.websocket_core.bridge",
                15,
                "from-import",
                FACTORY,
                "lazy"
            ),
            u(
                "tests.integration.test_agent_service",
                8,
                "string",
                SHIM,
                "module"
            ),
            u(
                "tests.mission_critical.test_websocket_agent_events",
                8,
                "string",
                FACTORY,
                "module"
            ),
            u(
                "tests.unit.test_execution_engine_factory",
                2,
                "from-import",
                FACTORY,
                "module"
            ),
        ]
    );
    assert_eq!(
        uses(&v, 1),
        vec![
            u(
                ".github/scripts/check_imports.py",
                4,
                "from-import",
                SHIM,
                "module"
            ),
            u(
                "app.core.managers.session_manager",
                8,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "app.routes.websocket_routes",
                14,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "app.services.agent_service",
                2,
                "from-import",
                SHIM,
                "module"
            ),
            u(
                "app.services.execution_service",
                8,
                "attribute",
                SHIM,
                "module"
            ),
            u(
                "tests.integration.test_agent_service",
                8,
                "string",
                SHIM,
                "module"
            ),
        ]
    );
    assert_eq!(
        uses(&v, 2),
        vec![u(
            "app.routes.admin_routes",
            4,
            "from-import",
            "app.agents.registry",
            "module"
        )]
    );
}

#[test]
fn sample_repo_duplicates_suggest_the_canonical_factory() {
    let v = json(&sample_repo(), &["duplicates", "--json"]);
    let found = v["duplicates"].as_array().unwrap();
    let names: Vec<&str> = found.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["ExecutionEngineFactory", "describe"]);
    let factory = &found[0];
    // 12 + 1 + 6 uses, 13 distinct files.
    assert_eq!(factory["total_users"], 13);
    assert_eq!(factory["class"], "fallback");
    assert_eq!(factory["suggested"]["module"], FACTORY);
    assert_eq!(
        factory["suggested"]["reason"],
        "most used (12 files), not a compatibility shim, unconditional"
    );
    let rows: Vec<(String, u64, bool, u64, String, f64)> = factory["origins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["module"].as_str().unwrap().to_string(),
                o["line"].as_u64().unwrap(),
                o["shim"].as_bool().unwrap(),
                o["users"].as_u64().unwrap(),
                o["class"].as_str().unwrap().to_string(),
                o["similarity"].as_f64().unwrap(),
            )
        })
        .collect();
    // The canonical class, the registry's different class of the same
    // name, and the compatibility layer's diverging fallback copy.
    assert_eq!(
        rows,
        vec![
            (FACTORY.to_string(), 12, false, 12, "canonical".into(), 1.0),
            (
                "app.agents.registry".to_string(),
                15,
                false,
                1,
                "homonym".into(),
                0.077
            ),
            (SHIM.to_string(), 20, true, 6, "fallback".into(), 0.462),
        ]
    );
    let only_classes = json(&sample_repo(), &["duplicates", "--kind", "class", "--json"]);
    assert_eq!(only_classes["duplicates"].as_array().unwrap().len(), 1);
}

#[test]
fn sample_repo_broken_lists_missing_module_and_missing_name() {
    let v = json_with_code(&sample_repo(), &["broken", "--json"], 1);
    assert_eq!(
        v["files"],
        serde_json::json!([{
            "path": "app/services/legacy_service.py",
            "module": "app.services.legacy_service",
            "imports": [
                {
                    "line": 7,
                    "problem": "missing-module",
                    "import": "from app.core.managers.legacy_engine import LegacyEngine",
                    "reason": "no module app.core.managers.legacy_engine: app.core.managers exists but has no submodule legacy_engine",
                    "guarded": false,
                    "handled": null,
                    "module": "app.core.managers.legacy_engine",
                    "name": null
                },
                {
                    "line": 8,
                    "problem": "missing-name",
                    "import": "from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactoryV2",
                    "reason": "app.agents.supervisor.execution_engine_factory neither defines nor re-exports ExecutionEngineFactoryV2 and has no submodule of that name",
                    "guarded": false,
                    "handled": null,
                    "module": "app.agents.supervisor.execution_engine_factory",
                    "name": "ExecutionEngineFactoryV2"
                }
            ]
        }])
    );
}

#[test]
fn symbol_dependents_start_from_its_users() {
    let v = json(
        &sample_repo(),
        &[
            "dependents",
            "app.agents.registry:ExecutionEngineFactory",
            "--json",
        ],
    );
    assert_eq!(v["target"], "app.agents.registry:ExecutionEngineFactory");
    let rows: Vec<(String, u64, Vec<String>)> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["module"].as_str().unwrap().to_string(),
                r["depth"].as_u64().unwrap(),
                r["chain"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "app.routes.admin_routes".into(),
                1,
                strings(&[
                    "app.routes.admin_routes",
                    "app.agents.registry:ExecutionEngineFactory"
                ])
            ),
            (
                "app.main".into(),
                2,
                strings(&[
                    "app.main",
                    "app.routes.admin_routes",
                    "app.agents.registry:ExecutionEngineFactory"
                ])
            ),
            (
                "tests.e2e.test_websocket_flow".into(),
                3,
                strings(&[
                    "tests.e2e.test_websocket_flow",
                    "app.main",
                    "app.routes.admin_routes",
                    "app.agents.registry:ExecutionEngineFactory"
                ])
            ),
        ]
    );
    // The fallback copy: exactly the files that reach it through the shim.
    let v = json(
        &sample_repo(),
        &[
            "dependents",
            "app.core.managers.execution_engine_factory.ExecutionEngineFactory",
            "--depth",
            "1",
            "--json",
        ],
    );
    let direct: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["module"].as_str().unwrap())
        .collect();
    assert_eq!(
        direct,
        vec![
            ".github/scripts/check_imports.py",
            "app.agents.supervisor",
            "app.core.managers.execution_engine_factory",
            "app.core.managers.session_manager",
            "app.routes.agent_routes",
            "app.routes.websocket_routes",
            "app.services.agent_service",
            "app.services.execution_service",
            "tests.unit.test_execution_engine_factory",
            // The runtime tier: a lazy import in the bridge, and two tests
            // that name the class in mock.patch strings.
            "app.websocket_core.bridge",
            "tests.integration.test_agent_service",
            "tests.mission_critical.test_websocket_agent_events",
        ],
        "the shim's name has two origins (canonical and fallback): users of either"
    );
    let tiers: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, [vec!["import"; 9], vec!["runtime"; 3]].concat());
}

/// A class defined in each case of a module-level `match` has two
/// conditional origins, like the same code written with `if`/`else`
/// (regression: the cases were not branches, so only the last definition
/// counted, as one unconditional origin).
#[test]
fn match_cases_give_conditional_origins_like_if_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |name: &str, text: &str| std::fs::write(root.join(name), text).unwrap();
    write(
        "plat.py",
        "import sys\n\nmatch sys.platform:\n    case \"win32\":\n        class Other:\n            \
         pass\n    case _:\n        class Other:\n            pass\n",
    );
    write(
        "plat_if.py",
        "import sys\n\nif sys.platform == \"win32\":\n    class Other:\n        pass\nelse:\n    \
         class Other:\n        pass\n",
    );
    write(
        "user.py",
        "from plat import Other\nfrom plat_if import Other as Same\n",
    );
    let v = json(root, &["--no-cache", "symbol", "plat:Other", "--json"]);
    assert_eq!(
        origins(&v),
        vec![
            o(
                "plat",
                5,
                "class",
                Some("match sys.platform > case \"win32\""),
                1
            ),
            o("plat", 8, "class", Some("match sys.platform > case _"), 1),
        ]
    );
    let v = json(root, &["--no-cache", "symbol", "plat_if:Other", "--json"]);
    assert_eq!(
        origins(&v),
        vec![
            o(
                "plat_if",
                4,
                "class",
                Some("if sys.platform == \"win32\""),
                1
            ),
            o("plat_if", 7, "class", Some("else"), 1),
        ]
    );
}

/// `(module, line, class, similarity, alias_of, users)` of each origin.
type DuplicateRow = (String, u64, String, f64, Option<String>, u64);

fn duplicate_rows(v: &Value) -> Vec<(String, String, u64, Vec<DuplicateRow>)> {
    v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let origins = d["origins"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| {
                    (
                        o["module"].as_str().unwrap().to_string(),
                        o["line"].as_u64().unwrap(),
                        o["class"].as_str().unwrap().to_string(),
                        o["similarity"].as_f64().unwrap(),
                        o["alias_of"].as_str().map(str::to_string),
                        o["users"].as_u64().unwrap(),
                    )
                })
                .collect();
            (
                d["name"].as_str().unwrap().to_string(),
                d["class"].as_str().unwrap().to_string(),
                d["total_users"].as_u64().unwrap(),
                origins,
            )
        })
        .collect()
}

#[test]
fn duplicates_tell_copies_from_homonyms_and_leave_declarations_out() {
    let v = json(
        &fixture("duplicates"),
        &["--no-cache", "duplicates", "--json"],
    );
    let o = |m: &str, line, class: &str, sim, alias: Option<&str>, users| {
        (
            m.to_string(),
            line,
            class.to_string(),
            sim,
            alias.map(str::to_string),
            users,
        )
    };
    assert_eq!(
        duplicate_rows(&v),
        vec![
            // A copy (layout, comments and docstring aside) and a different
            // class bound to the name; stubs/engine.pyi is not an origin.
            // app2 uses three origins: counted once.
            (
                "Engine".to_string(),
                "copy".to_string(),
                2,
                vec![
                    o("core.engine", 5, "canonical", 1.0, None, 2),
                    o("core.copy_engine", 2, "copy", 1.0, None, 1),
                    o(
                        "ext.alias",
                        2,
                        "homonym",
                        0.083,
                        Some("ext.extensions:UserEngineExtensions"),
                        1
                    ),
                ]
            ),
            (
                "Encoder".to_string(),
                "homonym".to_string(),
                2,
                vec![
                    o("plugins.a", 1, "canonical", 1.0, None, 1),
                    o("plugins.b", 1, "homonym", 0.271, None, 1),
                ]
            ),
            // The two @overload signatures are not origins; neither is the
            // Job under `if TYPE_CHECKING:` (so Job is no duplicate).
            (
                "parse".to_string(),
                "homonym".to_string(),
                2,
                vec![
                    o("core.api", 1, "canonical", 1.0, None, 1),
                    o("core.engine", 23, "homonym", 0.063, None, 1),
                ]
            ),
        ]
    );
    let copies = json(
        &fixture("duplicates"),
        &["duplicates", "--class", "copy,fallback", "--json"],
    );
    let names: Vec<&str> = copies["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Engine"]);
    // Homonyms are one line each unless --all.
    let root = fixture("duplicates");
    let out = run_in(&root, &["duplicates"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("\nhomonyms (--all shows them in full):\n  Encoder — 2 origins, 2 using file(s): plugins/a.py:1, plugins/b.py:1\n  parse — 2 origins, 2 using file(s): core/api.py:1, core/engine.py:23\n"),
        "{text}"
    );
}
