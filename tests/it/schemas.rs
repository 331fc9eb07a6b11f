//! The JSON Schemas in `docs/schemas/`: each is a self-contained, strict
//! draft 2020-12 document for one command's JSON, the real output of every
//! command on the sample repository (and on notebooks, and a configured
//! `check`) validates against its schema, and a document with an unknown or
//! a missing field does not.

use std::path::{Path, PathBuf};

use crate::common::*;
use jsonschema::Validator;
use serde_json::{Value, json};

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";
const SHIM: &str = "app.core.managers.execution_engine_factory";
const NOTEBOOK: &str = "notebooks/engine_exploration.ipynb";

/// Every schema file, named after its document.
const SCHEMAS: [&str; 11] = [
    "graph",
    "subgraph",
    "dependents",
    "path",
    "cycles",
    "impact",
    "symbol",
    "duplicates",
    "broken",
    "check",
    "migrate",
];

fn schema_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas")
        .join(format!("{name}.json"))
}

/// The schema `docs/schemas/NAME.json`, parsed.
fn schema(name: &str) -> Value {
    let path = schema_path(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// A draft 2020-12 validator for `docs/schemas/NAME.json`.
fn validator(name: &str) -> Validator {
    let schema = schema(name);
    if let Err(err) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{name}.json is not a valid draft 2020-12 schema: {err}");
    }
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|err| panic!("{name}.json does not compile: {err}"))
}

/// Every validation error of `doc` against `validator`, with its location.
fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "(root)" } else { &at };
            format!("{at}: {e}")
        })
        .collect()
}

/// Asserts that `doc` validates against `docs/schemas/NAME.json`, listing
/// every error with its instance path otherwise.
fn assert_valid(name: &str, what: &str, doc: &Value) {
    let errors = errors(&validator(name), doc);
    assert!(
        errors.is_empty(),
        "{what} does not validate against docs/schemas/{name}.json ({} error(s)):\n  {}",
        errors.len(),
        errors.join("\n  ")
    );
}

/// `blastradius --root ROOT --no-cache ARGS`, which must exit with `code`,
/// as JSON.
fn output(root: &Path, args: &[&str], code: i32) -> Value {
    let mut full = vec!["--no-cache"];
    full.extend_from_slice(args);
    json_with_code(root, &full, code)
}

/// Runs `args` on `root`, expects `code` and validates the output against
/// `docs/schemas/NAME.json`; returns the document for further checks.
fn validated(name: &str, root: &Path, args: &[&str], code: i32) -> Value {
    let doc = output(root, args, code);
    assert_valid(name, &format!("`{}`", args.join(" ")), &doc);
    doc
}

/// sample_repo plus `notebooks/` holding the fixture notebooks (one of
/// them unreadable).
fn sample_with_notebooks() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&sample_repo(), dir.path());
    copy_dir(&fixture("notebooks"), &dir.path().join("notebooks"));
    dir
}

/// sample_repo with a `[canonical]` rule for the factory, so `check` finds
/// violations, and an `ignore` entry for the registry's unrelated class.
fn sample_with_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&sample_repo(), dir.path());
    std::fs::write(
        dir.path().join("blastradius.toml"),
        format!(
            r#"[canonical]
ExecutionEngineFactory = "{FACTORY}"

[[ignore]]
rule = "canonical"
target = "app.agents.registry.ExecutionEngineFactory"
reason = "a different class that shares the name"
"#
        ),
    )
    .unwrap();
    dir
}

/// Every node of a schema, depth first.
fn walk<'a>(node: &'a Value, found: &mut Vec<&'a Value>) {
    found.push(node);
    match node {
        Value::Object(map) => map.values().for_each(|v| walk(v, found)),
        Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
        _ => {}
    }
}

#[test]
fn every_schema_is_self_contained_strict_and_versioned() {
    let source = include_str!("../../src/output/mod.rs");
    assert!(
        source.contains("pub const SCHEMA_VERSION: u32 = 2;"),
        "SCHEMA_VERSION changed: update the schemas' version const and $id"
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(schema_path("graph").parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = SCHEMAS.iter().map(|n| format!("{n}.json")).collect();
    expected.sort();
    assert_eq!(on_disk, expected);

    for name in SCHEMAS {
        let s = schema(name);
        validator(name);
        assert_eq!(
            s["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        assert_eq!(
            s["$id"],
            format!("https://blastradius.dev/schemas/v2/{name}.json"),
            "{name}"
        );
        for key in ["title", "description"] {
            assert!(
                s[key].as_str().is_some_and(|t| !t.is_empty()),
                "{name}: {key}"
            );
        }
        assert_eq!(s["properties"]["version"]["const"], 2, "{name}");
        assert!(
            s["required"]
                .as_array()
                .unwrap()
                .contains(&json!("version")),
            "{name}: version is required"
        );
        let mut nodes = Vec::new();
        walk(&s, &mut nodes);
        for node in nodes {
            if let Some(target) = node.get("$ref").and_then(Value::as_str) {
                let local = target
                    .strip_prefix("#/$defs/")
                    .unwrap_or_else(|| panic!("{name}: reference outside the file: {target}"));
                assert!(
                    s["$defs"].get(local).is_some(),
                    "{name}: dangling reference {target}"
                );
            }
            let Some(properties) = node.get("properties").and_then(Value::as_object) else {
                continue;
            };
            // Conditional subschemas (`if`/`then`/`else`) only narrow
            // properties already documented; every real object is closed.
            if node.get("type") != Some(&json!("object")) {
                continue;
            }
            assert_eq!(
                node["additionalProperties"],
                json!(false),
                "{name}: an object accepts undocumented fields: {node}"
            );
            for (key, property) in properties {
                assert!(
                    property["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{name}: property {key} has no description"
                );
            }
            for key in node["required"].as_array().unwrap() {
                assert!(
                    properties.contains_key(key.as_str().unwrap()),
                    "{name}: required {key} is not a property"
                );
            }
        }
    }
}

#[test]
fn graph_json_validates() {
    let doc = validated("graph", &sample_repo(), &["graph", "--format", "json"], 0);
    // The sample exercises the nullable fields and every list.
    let modules = doc["modules"].as_array().unwrap();
    assert!(modules.iter().any(|m| m["path"].is_null()));
    assert!(modules.iter().any(|m| m["stub"].is_string()));
    for key in [
        "edges",
        "external",
        "unresolved",
        "parse_errors",
        "shadowed",
    ] {
        assert!(!doc[key].as_array().unwrap().is_empty(), "{key}");
    }
    assert!(!doc["incomplete"]["files"].as_array().unwrap().is_empty());
}

#[test]
fn notebook_locations_validate() {
    let dir = sample_with_notebooks();
    let root = dir.path();
    let doc = validated("graph", root, &["graph", "--format", "json"], 0);
    let has_cell = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|e| e["cell"].as_u64().is_some_and(|c| c >= 1))
    };
    assert!(has_cell(&doc["edges"]), "a notebook edge carries its cell");
    assert!(has_cell(&doc["external"]));
    assert!(
        doc["problems"].as_array().unwrap().len() == 1
            && doc["incomplete"]["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["status"] == "problem"),
        "the unreadable notebook is a problem"
    );

    let doc = validated("path", root, &["path", NOTEBOOK, FACTORY, "--json"], 0);
    assert!(doc["hops"][0]["cell"].is_u64(), "{doc}");

    let doc = validated(
        "symbol",
        root,
        &[
            "symbol",
            &format!("{FACTORY}:ExecutionEngineFactory"),
            "--json",
        ],
        0,
    );
    assert!(has_cell(&doc["origins"][0]["uses"]), "{doc}");

    validated(
        "impact",
        root,
        &["impact", FACTORY, "--critical", "*websocket*", "--json"],
        0,
    );
    validated("dependents", root, &["dependents", FACTORY, "--json"], 0);
    validated("broken", root, &["broken", "--json"], 1);
    let doc = validated(
        "migrate",
        root,
        &[
            "migrate",
            "ExecutionEngineFactory",
            "--to",
            FACTORY,
            "--json",
        ],
        0,
    );
    assert!(
        doc["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == NOTEBOOK),
        "notebooks are never rewritten: {doc}"
    );
}

#[test]
fn subgraph_json_validates() {
    let root = sample_repo();
    let doc = validated(
        "subgraph",
        &root,
        &[
            "graph",
            "--format",
            "json",
            "--focus",
            "app.core.config",
            "--depth",
            "2",
        ],
        0,
    );
    assert_eq!(doc["focus"]["depth_limit"], 2);
    assert!(
        doc["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["depth"].is_u64())
    );

    let doc = validated(
        "subgraph",
        &root,
        &["graph", "--format", "json", "--collapse", "2"],
        0,
    );
    assert!(doc["focus"].is_null());
    assert_eq!(doc["collapse"], 2);
    assert!(
        doc["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n.get("depth").is_none())
    );

    let doc = validated(
        "subgraph",
        &root,
        &[
            "graph",
            "--format",
            "json",
            "--focus",
            "app.routes.websocket_routes",
            "--direction",
            "dependencies",
            "--kinds",
            "module,lazy",
        ],
        0,
    );
    assert_eq!(doc["focus"]["direction"], "dependencies");
    assert!(doc["focus"]["depth_limit"].is_null());
    assert_eq!(doc["kinds"], json!(["module", "lazy"]));
}

#[test]
fn dependents_and_dependencies_share_one_schema() {
    let root = sample_repo();
    let doc = validated(
        "dependents",
        &root,
        &["dependents", "app.core.config", "--json"],
        0,
    );
    assert!(!doc["results"].as_array().unwrap().is_empty());
    validated(
        "dependents",
        &root,
        &[
            "dependents",
            &format!("{FACTORY}:ExecutionEngineFactory"),
            "--json",
        ],
        0,
    );
    let doc = validated(
        "dependents",
        &root,
        &[
            "dependencies",
            "app.routes.websocket_routes",
            "--depth",
            "2",
            "--kinds",
            "module",
            "--json",
        ],
        0,
    );
    assert_eq!(doc["depth_limit"], 2);
    assert!(!doc["results"].as_array().unwrap().is_empty());
}

#[test]
fn path_json_validates_found_or_not() {
    let root = sample_repo();
    let doc = validated(
        "path",
        &root,
        &[
            "path",
            "app.routes.websocket_routes",
            "app.agents.supervisor.execution_engine",
            "--json",
        ],
        0,
    );
    assert_eq!(doc["found"], true);
    assert_eq!(doc["hops"].as_array().unwrap().len(), 3);
    let doc = validated(
        "path",
        &root,
        &[
            "path",
            "app.core.config",
            "app.routes.websocket_routes",
            "--json",
        ],
        1,
    );
    assert_eq!(doc["found"], false);
    assert_eq!(doc["hops"], json!([]));
}

#[test]
fn cycles_json_validates() {
    let doc = validated("cycles", &sample_repo(), &["cycles", "--json"], 0);
    let cycles = doc["cycles"].as_array().unwrap();
    assert!(cycles.iter().any(|c| c["runtime"] == true));
    assert!(cycles.iter().any(|c| c["runtime"] == false));
}

#[test]
fn impact_json_validates() {
    let root = sample_repo();
    let doc = validated(
        "impact",
        &root,
        &[
            "impact",
            &format!("{FACTORY}:ExecutionEngineFactory"),
            "--critical",
            "*websocket*",
            "--json",
        ],
        0,
    );
    assert!(doc["summary"]["critical"].as_u64().unwrap() > 0);
    assert!(doc["pytest"].is_string());
    assert!(!doc["tests"].as_object().unwrap().is_empty());
    // A file nothing imports: nothing affected, no tests, no pytest line.
    let doc = validated(
        "impact",
        &root,
        &[
            "impact",
            "tests/e2e/test_websocket_flow.py",
            "--depth",
            "1",
            "--json",
        ],
        0,
    );
    assert_eq!(doc["depth_limit"], 1);
    assert_eq!(doc["summary"]["affected"], 0);
    assert!(doc["pytest"].is_null());
    assert_eq!(doc["tests"], json!({}));
}

#[test]
fn symbol_json_validates() {
    let root = sample_repo();
    let doc = validated(
        "symbol",
        &root,
        &["symbol", "ExecutionEngineFactory", "--json"],
        0,
    );
    assert!(doc["pinned"].is_null());
    let origins = doc["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 3);
    assert!(origins.iter().any(|o| o["conditional"].is_string()));
    let doc = validated(
        "symbol",
        &root,
        &[
            "symbol",
            "app.agents.registry:ExecutionEngineFactory",
            "--json",
        ],
        0,
    );
    assert_eq!(doc["pinned"], "app.agents.registry");
}

#[test]
fn duplicates_json_validates() {
    let doc = validated("duplicates", &sample_repo(), &["duplicates", "--json"], 0);
    let duplicates = doc["duplicates"].as_array().unwrap();
    assert!(duplicates.iter().any(|d| {
        d["origins"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["shim"] == true)
    }));
}

#[test]
fn broken_json_validates() {
    let doc = validated("broken", &sample_repo(), &["broken", "--json"], 1);
    let problems: Vec<&Value> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["imports"].as_array().unwrap())
        .map(|i| &i["problem"])
        .collect();
    assert!(problems.contains(&&json!("missing-module")));
    assert!(problems.contains(&&json!("missing-name")));
}

#[test]
fn check_json_validates_with_and_without_a_baseline() {
    let dir = sample_with_rules();
    let root = dir.path();
    let doc = validated("check", root, &["check", "--format", "json"], 1);
    assert!(!doc["violations"].as_array().unwrap().is_empty());
    assert!(doc["baseline"].is_null());
    assert!(doc["ignored"].as_u64().unwrap() > 0);

    // A baseline recording a violation that no longer exists: every
    // current violation is new (exit 1) and the stale key is fixed.
    let baseline = root.join("baseline.json");
    std::fs::write(
        &baseline,
        r#"{"version": 1, "violations": ["canonical:gone.py:gone.ExecutionEngineFactory"]}"#,
    )
    .unwrap();
    let file = baseline.to_string_lossy().into_owned();
    let doc = validated(
        "check",
        root,
        &["check", "--format", "json", "--baseline", &file],
        1,
    );
    assert_eq!(doc["baseline"]["fixed"], 1);
    assert_eq!(
        doc["baseline"]["fixed_keys"],
        json!(["canonical:gone.py:gone.ExecutionEngineFactory"])
    );
    // Recording today's violations passes.
    let doc = validated(
        "check",
        root,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            &file,
            "--update-baseline",
        ],
        0,
    );
    assert_eq!(doc["baseline"]["updated"], true);
    assert_eq!(doc["violations"], json!([]));
}

#[test]
fn migrate_json_validates() {
    let root = sample_repo();
    let doc = validated(
        "migrate",
        &root,
        &[
            "migrate",
            "ExecutionEngineFactory",
            "--to",
            FACTORY,
            "--json",
        ],
        0,
    );
    assert_eq!(doc["applied"], false);
    assert_eq!(doc["old_modules"], json!([SHIM]));
    assert!(!doc["edits"].as_array().unwrap().is_empty());
    assert!(!doc["strings"].as_array().unwrap().is_empty());
    assert!(!doc["decisions"].as_array().unwrap().is_empty());
    let doc = validated(
        "migrate",
        &root,
        &[
            "migrate",
            "ExecutionEngineFactory",
            "--to",
            FACTORY,
            "--include-strings",
            "--remove-shim",
            "--json",
        ],
        0,
    );
    assert!(!doc["shim_dependents"].as_array().unwrap().is_empty());
}

#[test]
fn schemas_reject_unknown_and_missing_fields() {
    let graph = output(&sample_repo(), &["graph", "--format", "json"], 0);
    let validator = validator("graph");
    assert!(errors(&validator, &graph).is_empty());

    let mut extra = graph.clone();
    extra["undocumented"] = json!(true);
    let found = errors(&validator, &extra);
    assert!(
        !found.is_empty(),
        "an unknown top-level field must fail validation"
    );
    assert!(
        found.iter().any(|e| e.contains("undocumented")),
        "{found:#?}"
    );

    let mut missing = graph.clone();
    missing.as_object_mut().unwrap().remove("summary");
    let found = errors(&validator, &missing);
    assert!(
        !found.is_empty(),
        "a missing required field must fail validation"
    );
    assert!(found.iter().any(|e| e.contains("summary")), "{found:#?}");

    // Nested objects are closed too, and `version` is pinned.
    let mut nested = graph.clone();
    nested["edges"][0]["weight"] = json!(1);
    assert!(!validator.is_valid(&nested));
    let mut bumped = graph;
    bumped["version"] = json!(3);
    assert!(!validator.is_valid(&bumped));
}
