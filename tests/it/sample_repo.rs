//! The embedded sample repository: its exact expected graph, blast radius,
//! paths and cycles. Each expectation below was checked by hand against the
//! source files in `sample_repo/`.

use crate::common::*;
use serde_json::{Value, json};

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";
const SHIM: &str = "app.core.managers.execution_engine_factory";

#[test]
fn sample_repo_graph_is_exactly_what_the_sources_say() {
    let g = graph(&sample_repo(), &[]);
    assert_eq!(
        edges(&g),
        vec![
            e(
                ".github/scripts/check_imports.py",
                SHIM,
                "module",
                4,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.agents.supervisor",
                FACTORY,
                "module",
                2,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.agents.supervisor.execution_engine",
                "app.websocket_core.bridge",
                "module",
                2,
                false,
                "WebSocketBridge"
            ),
            e(
                FACTORY,
                "app.agents.supervisor.execution_engine",
                "module",
                6,
                false,
                "ExecutionEngine"
            ),
            e(
                FACTORY,
                "app.core.user_execution_context",
                "type-checking",
                9,
                false,
                "UserExecutionContext"
            ),
            e(SHIM, FACTORY, "module", 12, true, "ExecutionEngineFactory"),
            e(
                "app.core.managers.session_manager",
                SHIM,
                "module",
                3,
                false,
                ""
            ),
            e(
                "app.core.managers.session_manager",
                "app.core.user_execution_context",
                "module",
                2,
                false,
                "UserExecutionContext"
            ),
            e(
                "app.db.session",
                "app.core.config",
                "module",
                4,
                false,
                "settings"
            ),
            e(
                "app.main",
                "app.core.config",
                "module",
                6,
                false,
                "settings"
            ),
            e(
                "app.main",
                "app.routes.admin_routes",
                "module",
                7,
                false,
                ""
            ),
            e(
                "app.main",
                "app.routes.agent_routes",
                "module",
                7,
                false,
                ""
            ),
            e("app.main", "app.routes.health", "module", 7, false, ""),
            e(
                "app.main",
                "app.routes.websocket_routes",
                "module",
                7,
                false,
                ""
            ),
            e(
                "app.models",
                "app.models.thread",
                "module",
                2,
                false,
                "Thread"
            ),
            e("app.models", "app.models.user", "module", 3, false, "User"),
            e(
                "app.models.thread",
                "app.db.session",
                "module",
                6,
                false,
                "Base"
            ),
            e(
                "app.models.thread",
                "app.models.user",
                "type-checking",
                9,
                false,
                "User"
            ),
            e(
                "app.models.user",
                "app.db.session",
                "module",
                2,
                false,
                "Base"
            ),
            e(
                "app.plugins.metrics_plugin",
                "app.core.config",
                "module",
                2,
                false,
                "settings"
            ),
            e(
                "app.routes.admin_routes",
                "app.agents.registry",
                "module",
                4,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.routes.agent_routes",
                FACTORY,
                "module",
                4,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.routes.agent_routes",
                "app.core.user_execution_context",
                "module",
                5,
                false,
                "UserExecutionContext"
            ),
            e(
                "app.routes.health",
                "app.core.config",
                "module",
                4,
                false,
                "settings"
            ),
            e("app.routes.websocket_routes", SHIM, "module", 4, false, ""),
            e(
                "app.routes.websocket_routes",
                "app.websocket_core.bridge",
                "module",
                5,
                false,
                "WebSocketBridge"
            ),
            e(
                "app.services.agent_service",
                SHIM,
                "module",
                2,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.services.agent_service",
                "app.services.thread_service",
                "module",
                3,
                false,
                ""
            ),
            e(
                "app.services.broken_module",
                "app.core.config",
                "module",
                2,
                false,
                "settings"
            ),
            e(
                "app.services.broken_module",
                "app.utils.helpers",
                "module",
                9,
                false,
                "slugify"
            ),
            e(
                "app.services.execution_service",
                SHIM,
                "module",
                2,
                false,
                ""
            ),
            e(
                "app.services.execution_service",
                "app.core.user_execution_context",
                "module",
                3,
                false,
                "UserExecutionContext"
            ),
            e(
                "app.services.legacy_service",
                FACTORY,
                "module",
                8,
                false,
                "ExecutionEngineFactoryV2"
            ),
            // `from app.core.managers.legacy_engine import ...` fails, but
            // only after running app.core.managers, the part that exists.
            e(
                "app.services.legacy_service",
                "app.core.managers",
                "module",
                7,
                false,
                ""
            ),
            e(
                "app.services.plugin_loader",
                "app.plugins.audit_plugin",
                "dynamic",
                12,
                false,
                ""
            ),
            e(
                "app.services.plugin_loader",
                "app.plugins.metrics_plugin",
                "dynamic",
                8,
                false,
                ""
            ),
            e(
                "app.services.thread_service",
                "app.services.agent_service",
                "module",
                2,
                false,
                ""
            ),
            e(
                "app.websocket_core",
                "app.websocket_core.events",
                "module",
                2,
                false,
                "AgentEvent"
            ),
            e(
                "app.websocket_core.bridge",
                FACTORY,
                "lazy",
                15,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "app.websocket_core.bridge",
                "app.websocket_core.events",
                "module",
                2,
                false,
                "AgentEvent"
            ),
            e(
                "scripts.seed_data",
                "app.models",
                "module",
                2,
                false,
                "Thread,User"
            ),
            e(
                "scripts/run-migration.py",
                "app.db.session",
                "module",
                2,
                false,
                "DATABASE_URL"
            ),
            e(
                "tests.conftest",
                "app.core.user_execution_context",
                "module",
                4,
                false,
                "UserExecutionContext"
            ),
            e(
                "tests.e2e.test_websocket_flow",
                "app.main",
                "module",
                2,
                false,
                "create_app"
            ),
            e(
                "tests.e2e.test_websocket_flow",
                "app.websocket_core.bridge",
                "module",
                3,
                false,
                "WebSocketBridge"
            ),
            e(
                "tests.integration.test_agent_service",
                "app.services.agent_service",
                "module",
                4,
                false,
                "AgentService"
            ),
            e(
                "tests.mission_critical.test_websocket_agent_events",
                "app.services.execution_service",
                "module",
                4,
                false,
                "execute"
            ),
            e(
                "tests.unit.test_execution_engine_factory",
                FACTORY,
                "module",
                2,
                false,
                "ExecutionEngineFactory"
            ),
            e(
                "tests.unit.test_session_manager",
                "app.core.managers.session_manager",
                "module",
                2,
                false,
                "SessionManager"
            ),
        ]
    );
    // The implicit edges. Every module runs its parent package first: the
    // registry runs app/agents/__init__.py, which runs app/__init__.py;
    // namespace packages (scripts/, tests/, app/plugins/) are packages too.
    let mut expected: Vec<(String, String, String)> = [
        ("app.agents", "app"),
        ("app.agents.registry", "app.agents"),
        ("app.agents.supervisor", "app.agents"),
        (
            "app.agents.supervisor.execution_engine",
            "app.agents.supervisor",
        ),
        (FACTORY, "app.agents.supervisor"),
        ("app.core", "app"),
        ("app.core.config", "app.core"),
        ("app.core.managers", "app.core"),
        (SHIM, "app.core.managers"),
        ("app.core.managers.session_manager", "app.core.managers"),
        ("app.core.user_execution_context", "app.core"),
        ("app.db", "app"),
        ("app.db.session", "app.db"),
        ("app.main", "app"),
        ("app.models", "app"),
        ("app.models.thread", "app.models"),
        ("app.models.user", "app.models"),
        ("app.plugins", "app"),
        ("app.plugins.audit_plugin", "app.plugins"),
        ("app.plugins.metrics_plugin", "app.plugins"),
        ("app.routes", "app"),
        ("app.routes.admin_routes", "app.routes"),
        ("app.routes.agent_routes", "app.routes"),
        ("app.routes.health", "app.routes"),
        ("app.routes.websocket_routes", "app.routes"),
        ("app.services", "app"),
        ("app.services.agent_service", "app.services"),
        ("app.services.broken_module", "app.services"),
        ("app.services.execution_service", "app.services"),
        ("app.services.legacy_service", "app.services"),
        ("app.services.plugin_loader", "app.services"),
        ("app.services.thread_service", "app.services"),
        ("app.utils", "app"),
        ("app.utils.formatting", "app.utils"),
        ("app.utils.helpers", "app.utils"),
        ("app.websocket_core", "app"),
        ("app.websocket_core.bridge", "app.websocket_core"),
        ("app.websocket_core.events", "app.websocket_core"),
        ("scripts.seed_data", "scripts"),
        ("tests.conftest", "tests"),
        ("tests.e2e", "tests"),
        ("tests.e2e.test_websocket_flow", "tests.e2e"),
        ("tests.integration", "tests"),
        ("tests.integration.test_agent_service", "tests.integration"),
        ("tests.mission_critical", "tests"),
        (
            "tests.mission_critical.test_websocket_agent_events",
            "tests.mission_critical",
        ),
        ("tests.unit", "tests"),
        ("tests.unit.test_execution_engine_factory", "tests.unit"),
        ("tests.unit.test_session_manager", "tests.unit"),
    ]
    .into_iter()
    .map(|(from, to)| ie(from, to, "parent"))
    .collect();
    // pytest loads tests/conftest.py before each test module below it
    // (sample_repo has no pytest settings: the rootdir is the root).
    expected.extend(
        [
            "tests.e2e.test_websocket_flow",
            "tests.integration.test_agent_service",
            "tests.mission_critical.test_websocket_agent_events",
            "tests.unit.test_execution_engine_factory",
            "tests.unit.test_session_manager",
        ]
        .into_iter()
        .map(|test| ie(test, "tests.conftest", "conftest")),
    );
    expected.sort();
    let mut implicit = implicit_edges(&g);
    implicit.sort();
    assert_eq!(implicit, expected);
    assert_eq!(
        g["unresolved"],
        json!([{
            "from": "app.services.legacy_service",
            "path": "app/services/legacy_service.py",
            "import": "from app.core.managers.legacy_engine import LegacyEngine",
            "line": 7,
            "reason": "no module app.core.managers.legacy_engine: app.core.managers exists but has no submodule legacy_engine",
            "kind": "module",
            "guarded": false
        }])
    );
    assert_eq!(
        g["parse_errors"],
        json!([{"path": "app/services/broken_module.py", "line": 5, "message": "Expected a parameter or the end of the parameter list", "count": 2}])
    );
    assert_eq!(
        g["shadowed"],
        json!([{"path": "app/utils/formatting.py", "shadowed_by": "app.utils.formatting", "winner": "app/utils/formatting/__init__.py"}])
    );
    let special: Vec<(String, String, Option<String>)> = modules(&g)
        .into_iter()
        .filter(|(_, kind, _)| kind == "namespace" || kind == "script")
        .collect();
    assert_eq!(
        special,
        vec![
            (
                ".github/scripts/check_imports.py".into(),
                "script".into(),
                Some(".github/scripts/check_imports.py".into())
            ),
            ("app.plugins".into(), "namespace".into(), None),
            ("scripts".into(), "namespace".into(), None),
            (
                "scripts/run-migration.py".into(),
                "script".into(),
                Some("scripts/run-migration.py".into())
            ),
            ("tests".into(), "namespace".into(), None),
            ("tests.e2e".into(), "namespace".into(), None),
            ("tests.integration".into(), "namespace".into(), None),
            ("tests.mission_critical".into(), "namespace".into(), None),
            ("tests.unit".into(), "namespace".into(), None),
        ]
    );
    let engine = g["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "app.agents.supervisor.execution_engine")
        .unwrap();
    assert_eq!(engine["stub"], "app/agents/supervisor/execution_engine.pyi");
    let external = external(&g);
    assert!(external.contains(&(
        "app.services.legacy_service".into(),
        "ujson".into(),
        3,
        false
    )));
    assert!(external.contains(&("app.services.legacy_service".into(), "json".into(), 5, true)));
    assert_eq!(g["summary"]["files"], 47);
}

fn results(v: &Value) -> Vec<(String, u64, Vec<String>)> {
    v["results"]
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
        .collect()
}

fn r(module: &str, depth: u64, chain: &[&str]) -> (String, u64, Vec<String>) {
    (module.into(), depth, strings(chain))
}

#[test]
fn factory_blast_radius_has_exact_depths_and_chains() {
    let v = json(&sample_repo(), &["dependents", FACTORY, "--json"]);
    assert_eq!(v["target"], FACTORY);
    assert_eq!(
        v["kinds"],
        json!([
            "module",
            "lazy",
            "type-checking",
            "dynamic",
            "parent",
            "conftest"
        ])
    );
    assert_eq!(
        v["tiers"],
        json!([
            {"tier": "import", "count": 17},
            {"tier": "runtime", "count": 1},
            {"tier": "typing", "count": 0}
        ])
    );
    let tiers: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, [vec!["import"; 17], vec!["runtime"]].concat());
    assert_eq!(
        results(&v),
        vec![
            // The import tier: everything that runs the factory when it is
            // imported, with import-time chains.
            r(
                "app.agents.supervisor",
                1,
                &["app.agents.supervisor", FACTORY]
            ),
            r(SHIM, 1, &[SHIM, FACTORY]),
            r(
                "app.routes.agent_routes",
                1,
                &["app.routes.agent_routes", FACTORY]
            ),
            r(
                "app.services.legacy_service",
                1,
                &["app.services.legacy_service", FACTORY]
            ),
            r(
                "tests.unit.test_execution_engine_factory",
                1,
                &["tests.unit.test_execution_engine_factory", FACTORY]
            ),
            r(
                ".github/scripts/check_imports.py",
                2,
                &[".github/scripts/check_imports.py", SHIM, FACTORY]
            ),
            // Importing the engine runs its package first, and
            // app/agents/supervisor/__init__.py imports the factory.
            r(
                "app.agents.supervisor.execution_engine",
                2,
                &[
                    "app.agents.supervisor.execution_engine",
                    "app.agents.supervisor",
                    FACTORY
                ]
            ),
            r(
                "app.core.managers.session_manager",
                2,
                &["app.core.managers.session_manager", SHIM, FACTORY]
            ),
            r(
                "app.main",
                2,
                &["app.main", "app.routes.agent_routes", FACTORY]
            ),
            r(
                "app.routes.websocket_routes",
                2,
                &["app.routes.websocket_routes", SHIM, FACTORY]
            ),
            r(
                "app.services.agent_service",
                2,
                &["app.services.agent_service", SHIM, FACTORY]
            ),
            r(
                "app.services.execution_service",
                2,
                &["app.services.execution_service", SHIM, FACTORY]
            ),
            r(
                "app.services.thread_service",
                3,
                &[
                    "app.services.thread_service",
                    "app.services.agent_service",
                    SHIM,
                    FACTORY
                ]
            ),
            // At import time the e2e test reaches the factory through
            // app.main; the shorter way, through the bridge, is lazy.
            r(
                "tests.e2e.test_websocket_flow",
                3,
                &[
                    "tests.e2e.test_websocket_flow",
                    "app.main",
                    "app.routes.agent_routes",
                    FACTORY
                ]
            ),
            r(
                "tests.integration.test_agent_service",
                3,
                &[
                    "tests.integration.test_agent_service",
                    "app.services.agent_service",
                    SHIM,
                    FACTORY
                ]
            ),
            r(
                "tests.mission_critical.test_websocket_agent_events",
                3,
                &[
                    "tests.mission_critical.test_websocket_agent_events",
                    "app.services.execution_service",
                    SHIM,
                    FACTORY
                ]
            ),
            r(
                "tests.unit.test_session_manager",
                3,
                &[
                    "tests.unit.test_session_manager",
                    "app.core.managers.session_manager",
                    SHIM,
                    FACTORY
                ]
            ),
            // The runtime tier: the bridge imports the factory inside a
            // method, which runs only when called.
            r(
                "app.websocket_core.bridge",
                1,
                &["app.websocket_core.bridge", FACTORY]
            ),
        ]
    );
}

#[test]
fn depth_and_kind_filters_shrink_the_radius() {
    let direct = json(
        &sample_repo(),
        &["dependents", FACTORY, "--depth", "1", "--json"],
    );
    let direct: Vec<String> = results(&direct)
        .into_iter()
        .map(|(m, d, _)| {
            assert_eq!(d, 1);
            m
        })
        .collect();
    // Import tier first, the bridge's lazy import after.
    assert_eq!(
        direct,
        strings(&[
            "app.agents.supervisor",
            SHIM,
            "app.routes.agent_routes",
            "app.services.legacy_service",
            "tests.unit.test_execution_engine_factory",
            "app.websocket_core.bridge"
        ])
    );
    // Without lazy imports the bridge no longer reaches the factory: the
    // bridge and the engine drop out, and the e2e test is reached only
    // through app.main, one step further away.
    let module_only = json(
        &sample_repo(),
        &["dependents", FACTORY, "--kinds", "module", "--json"],
    );
    let module_only = results(&module_only);
    let names: Vec<&str> = module_only.iter().map(|(m, _, _)| m.as_str()).collect();
    assert!(!names.contains(&"app.websocket_core.bridge"));
    assert!(!names.contains(&"app.agents.supervisor.execution_engine"));
    assert_eq!(names.len(), 16);
    assert!(module_only.contains(&r(
        "tests.e2e.test_websocket_flow",
        3,
        &[
            "tests.e2e.test_websocket_flow",
            "app.main",
            "app.routes.agent_routes",
            FACTORY
        ]
    )));
    // Type-checking imports count by default and can be excluded.
    let ctx = json(
        &sample_repo(),
        &[
            "dependents",
            "app.core.user_execution_context",
            "--depth",
            "1",
            "--json",
        ],
    );
    let ctx: Vec<String> = results(&ctx).into_iter().map(|(m, _, _)| m).collect();
    assert!(ctx.contains(&FACTORY.to_string()));
    let ctx = json(
        &sample_repo(),
        &[
            "dependents",
            "app/core/user_execution_context.py",
            "--depth",
            "1",
            "--kinds",
            "module,lazy,dynamic",
            "--json",
        ],
    );
    let ctx: Vec<String> = results(&ctx).into_iter().map(|(m, _, _)| m).collect();
    assert_eq!(
        ctx,
        strings(&[
            "app.core.managers.session_manager",
            "app.routes.agent_routes",
            "app.services.execution_service",
            "tests.conftest"
        ])
    );
}

#[test]
fn dependencies_walk_forward_with_chains_from_the_target() {
    let v = json(
        &sample_repo(),
        &["dependencies", "app.services.execution_service", "--json"],
    );
    // Everything runs when the service is imported: the modules it imports
    // and, through `parent` edges, every package on their way (app,
    // app.services, app.core, ...), each at its shortest distance.
    let tiers: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, vec!["import"; 13]);
    const ENGINE: &str = "app.agents.supervisor.execution_engine";
    const BRIDGE: &str = "app.websocket_core.bridge";
    assert_eq!(
        results(&v),
        vec![
            r(SHIM, 1, &["app.services.execution_service", SHIM]),
            r(
                "app.core.user_execution_context",
                1,
                &[
                    "app.services.execution_service",
                    "app.core.user_execution_context"
                ]
            ),
            r(
                "app.services",
                1,
                &["app.services.execution_service", "app.services"]
            ),
            r(
                "app",
                2,
                &["app.services.execution_service", "app.services", "app"]
            ),
            r(
                FACTORY,
                2,
                &["app.services.execution_service", SHIM, FACTORY]
            ),
            r(
                "app.core",
                2,
                &[
                    "app.services.execution_service",
                    "app.core.user_execution_context",
                    "app.core"
                ]
            ),
            r(
                "app.core.managers",
                2,
                &["app.services.execution_service", SHIM, "app.core.managers"]
            ),
            r(
                "app.agents.supervisor",
                3,
                &[
                    "app.services.execution_service",
                    SHIM,
                    FACTORY,
                    "app.agents.supervisor"
                ]
            ),
            r(
                ENGINE,
                3,
                &["app.services.execution_service", SHIM, FACTORY, ENGINE]
            ),
            r(
                "app.agents",
                4,
                &[
                    "app.services.execution_service",
                    SHIM,
                    FACTORY,
                    "app.agents.supervisor",
                    "app.agents"
                ]
            ),
            r(
                BRIDGE,
                4,
                &[
                    "app.services.execution_service",
                    SHIM,
                    FACTORY,
                    ENGINE,
                    BRIDGE
                ]
            ),
            r(
                "app.websocket_core",
                5,
                &[
                    "app.services.execution_service",
                    SHIM,
                    FACTORY,
                    ENGINE,
                    BRIDGE,
                    "app.websocket_core"
                ]
            ),
            r(
                "app.websocket_core.events",
                5,
                &[
                    "app.services.execution_service",
                    SHIM,
                    FACTORY,
                    ENGINE,
                    BRIDGE,
                    "app.websocket_core.events"
                ]
            ),
        ]
    );
}

#[test]
fn path_names_each_hop_with_file_and_line() {
    let v = json(
        &sample_repo(),
        &[
            "path",
            "tests.integration.test_agent_service",
            FACTORY,
            "--json",
        ],
    );
    assert_eq!(
        v["hops"],
        json!([
            {"from": "tests.integration.test_agent_service", "to": "app.services.agent_service", "path": "tests/integration/test_agent_service.py", "line": 4, "kind": "module"},
            {"from": "app.services.agent_service", "to": SHIM, "path": "app/services/agent_service.py", "line": 2, "kind": "module"},
            {"from": SHIM, "to": FACTORY, "path": "app/core/managers/execution_engine_factory.py", "line": 12, "kind": "module"}
        ])
    );
    let none = json_with_code(
        &sample_repo(),
        &["path", FACTORY, "tests.conftest", "--json"],
        1,
    );
    assert_eq!(none["found"], false);
    assert_eq!(none["hops"], json!([]));
}

#[test]
fn cycles_separate_runtime_from_lazy_only() {
    let v = json(&sample_repo(), &["cycles", "--json"]);
    assert_eq!(
        v["cycles"],
        json!([
            {
                "modules": ["app.agents.supervisor.execution_engine", FACTORY, "app.websocket_core.bridge"],
                "example": ["app.agents.supervisor.execution_engine", "app.websocket_core.bridge", FACTORY, "app.agents.supervisor.execution_engine"],
                "kinds": ["module", "lazy"],
                "runtime": false
            },
            {
                "modules": ["app.services.agent_service", "app.services.thread_service"],
                "example": ["app.services.agent_service", "app.services.thread_service", "app.services.agent_service"],
                "kinds": ["module"],
                "runtime": true
            }
        ])
    );
    let runtime_only = json(&sample_repo(), &["cycles", "--kinds", "module", "--json"]);
    assert_eq!(runtime_only["cycles"].as_array().unwrap().len(), 1);
}
