//! `check`, the CI gate: one violating and one clean fixture per rule under
//! `tests/fixtures/check/<rule>/{bad,good}/` (each with its own
//! `pyproject.toml`), `ignore` with and without a reason, configuration
//! errors, the baseline burn-down, every output format (SARIF validated
//! against the official 2.1.0 schema) and the consolidation of the sample
//! repository. Expected lines were checked against the fixture sources.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use serde_json::{Value, json};

/// Exit code, stdout and stderr of `blastradius check ARGS` run inside `dir`
/// (so the root is `.` and paths print as they are under it).
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("binary runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn case(rule: &str, variant: &str) -> PathBuf {
    fixture("check").join(rule).join(variant)
}

/// Asserts a violating run: exit 1 and exactly `expected` on stdout.
fn assert_violations(dir: &Path, args: &[&str], expected: &[&str]) {
    let (code, stdout, stderr) = check(dir, args);
    assert_eq!(code, 1, "stdout:\n{stdout}\nstderr:\n{stderr}");
    pretty_assertions::assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    let summary = format!("check: {} violation(s)", expected.len());
    assert!(stderr.contains(&summary), "{stderr}");
}

/// Asserts a clean run: exit 0, nothing on stdout.
fn assert_clean(dir: &Path) {
    let (code, stdout, stderr) = check(dir, &[]);
    assert_eq!(code, 0, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("check: no violations"), "{stderr}");
}

/// A temporary copy of fixture `rule/variant`.
fn copy_case(rule: &str, variant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case(rule, variant), dir.path());
    dir
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replace(from, to)).unwrap();
}

#[test]
fn canonical_flags_other_definitions_and_every_use_not_through_the_canonical_module() {
    assert_violations(
        &case("canonical", "bad"),
        &[],
        &[
            "attr_user.py:5:12: canonical uses compat.Engine; import Engine from core.engine",
            "compat.py:5:5: canonical defines class Engine; its one definition belongs in core.engine",
            "other.py:1:1: canonical defines function Engine; its one definition belongs in core.engine",
            "string_user.py:1:16: canonical names compat.Engine in a string; name core.engine.Engine",
            "user_compat.py:1:1: canonical imports Engine from compat; import Engine from core.engine",
        ],
    );
}

#[test]
fn canonical_passes_when_every_use_goes_through_the_canonical_module() {
    assert_clean(&case("canonical", "good"));
}

#[test]
fn canonical_module_that_does_not_exist_is_a_configuration_error() {
    let dir = copy_case("canonical", "good");
    replace_in(
        &dir.path().join("pyproject.toml"),
        "\"core.engine\"",
        "\"core.engines\"",
    );
    let (code, stdout, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("pyproject.toml"), "{stderr}");
    assert!(
        stderr.contains("tool.blastradius.canonical.Engine: module core.engines is not in the analysis; did you mean core.engine?"),
        "{stderr}"
    );
}

#[test]
fn forbidden_flags_each_import_a_contract_rules_out_of_the_contract_kinds() {
    assert_violations(
        &case("forbidden", "bad"),
        &[],
        &[
            "app/api/views.py:1:1: forbidden imports app.legacy (module import), forbidden from app.* to app.legacy: app.legacy is being removed",
            "app/api/views.py:2:1: forbidden imports app.db.models (module import), forbidden from app.api.* to app.db.*: views go through app.services",
            "app/services/users.py:5:5: forbidden imports app.legacy (lazy import), forbidden from app.* to app.legacy: app.legacy is being removed",
        ],
    );
}

#[test]
fn kinds_flag_replaces_the_default_kinds_but_not_a_contract_s_own() {
    // The first contract follows --kinds (lazy only); the second keeps its
    // own `kinds = ["module"]`.
    assert_violations(
        &case("forbidden", "bad"),
        &["--kinds", "lazy"],
        &[
            "app/api/views.py:2:1: forbidden imports app.db.models (module import), forbidden from app.api.* to app.db.*: views go through app.services",
            "app/services/users.py:5:5: forbidden imports app.legacy (lazy import), forbidden from app.* to app.legacy: app.legacy is being removed",
        ],
    );
}

#[test]
fn forbidden_passes_without_the_ruled_out_imports() {
    assert_clean(&case("forbidden", "good"));
}

#[test]
fn no_duplicates_flags_each_definition_past_the_suggested_one() {
    assert_violations(
        &case("no-duplicates", "bad"),
        &[],
        &[
            "legacy_widgets.py:1:1: no-duplicates defines class WidgetFactory again (2 definitions, matches *Factory); keep the one at widgets.py:1",
            "legacy_widgets.py:9:1: no-duplicates defines function SessionManager again (2 definitions, matches *Manager); keep the one at sessions.py:1",
        ],
    );
}

#[test]
fn no_duplicates_passes_when_copies_became_re_exports() {
    assert_clean(&case("no-duplicates", "good"));
}

#[test]
fn no_cycles_flags_each_cycle_of_the_configured_kinds_at_its_first_import() {
    assert_violations(
        &case("no-cycles", "bad"),
        &[],
        &[
            "pkg/a.py:2:1: no-cycles import cycle of 2 modules (runtime cycle; kinds: module): pkg.a -> pkg.b -> pkg.a",
        ],
    );
}

#[test]
fn no_cycles_passes_with_only_a_lazy_cycle_when_kinds_is_module() {
    assert_clean(&case("no-cycles", "good"));
}

#[test]
fn layers_flag_imports_from_a_lower_layer_into_a_higher_one() {
    assert_violations(
        &case("layers", "bad"),
        &[],
        &[
            "app/core/db.py:5:5: layers imports app.services.users (lazy import): layer app.core must not import the higher layer app.services",
            "app/services/users.py:2:1: layers imports app.api.routes (module import): layer app.services must not import the higher layer app.api",
        ],
    );
}

#[test]
fn layers_pass_when_imports_only_go_down() {
    assert_clean(&case("layers", "good"));
}

#[test]
fn ignore_entries_allow_matching_violations_and_stale_ones_are_noted() {
    let dir = case("ignore", "with-reason");
    assert_violations(
        &dir,
        &[],
        &[
            "app/new.py:1:1: forbidden imports app.legacy (module import), forbidden from * to app.legacy: app.legacy is being removed",
            // `*` in a path glob stays in its directory: app/old/deep is not app/old/*.py.
            "app/old/deep/b.py:1:1: forbidden imports app.legacy (module import), forbidden from * to app.legacy: app.legacy is being removed",
        ],
    );
    let (_, _, stderr) = check(&dir, &[]);
    assert!(
        stderr.contains("check: 2 violation(s) (1 allowed by ignore entries)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "note: tool.blastradius.ignore[1] (rule forbidden) allowed no violation; remove it if the exception is gone"
        ),
        "{stderr}"
    );
}

#[test]
fn ignore_without_a_reason_is_a_configuration_error_with_its_location() {
    let (code, stdout, stderr) = check(&case("ignore", "no-reason"), &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: invalid configuration in ./pyproject.toml: TOML parse error at line 4, column 1"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("missing field `reason`"), "{stderr}");
}

#[test]
fn ignore_with_an_empty_reason_is_a_configuration_error_naming_the_key() {
    let (code, _, stderr) = check(&case("ignore", "empty-reason"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        "error: invalid configuration in ./pyproject.toml: tool.blastradius.ignore[0].reason: say why this exception is allowed\n"
    );
}

#[test]
fn unknown_key_exits_2_naming_the_file_the_key_and_its_line() {
    let (code, stdout, stderr) = check(&case("config", "unknown-key"), &[]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: invalid configuration in ./pyproject.toml: TOML parse error at line 3, column 1"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("unknown field `forbiden`"), "{stderr}");
    // One line: no multi-line source excerpt.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn blastradius_toml_holds_the_same_keys_at_top_level() {
    let dir = copy_case("layers", "bad");
    std::fs::remove_file(dir.path().join("pyproject.toml")).unwrap();
    std::fs::write(
        dir.path().join("blastradius.toml"),
        "layers = [\"app.api\", \"app.services\", \"app.core\"]\nkinds = [\"module\"]\n",
    )
    .unwrap();
    assert_violations(
        dir.path(),
        &[],
        &[
            "app/services/users.py:2:1: layers imports app.api.routes (module import): layer app.services must not import the higher layer app.api",
        ],
    );
    std::fs::write(dir.path().join("blastradius.toml"), "layers = [\"app.\"]\n").unwrap();
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid configuration in ./blastradius.toml: layers[0]: \"app.\" is not a dotted module name"),
        "{stderr}"
    );
}

#[test]
fn no_rules_is_a_usage_error_not_a_silent_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "VALUE = 1\n").unwrap();
    let (code, _, stderr) = check(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: no check rules configured"),
        "{stderr}"
    );
}

#[test]
fn baseline_fails_only_new_violations_and_counts_fixed_ones() {
    let dir = copy_case("forbidden", "bad");
    let root = dir.path();
    let (code, _, stderr) = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 2, "a missing baseline is an error: {stderr}");
    assert!(stderr.contains("--update-baseline"), "{stderr}");

    // Record today's three violations.
    let (code, stdout, stderr) = check(root, &["--baseline", "baseline.json", "--update-baseline"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("baseline baseline.json: recorded 3 violation(s); 0 fixed one(s) dropped"),
        "{stderr}"
    );
    let recorded = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    assert_eq!(
        recorded,
        r#"{
  "version": 1,
  "violations": [
    "forbidden:app/api/views.py:app.db.models",
    "forbidden:app/api/views.py:app.legacy",
    "forbidden:app/services/users.py:app.legacy"
  ]
}
"#
    );
    let (code, stdout, stderr) = check(root, &["--baseline", "baseline.json"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("baseline baseline.json: 0 fixed, 3 remaining, 0 new"),
        "{stderr}"
    );
    assert!(stderr.contains("check: no new violations"), "{stderr}");

    // Moving code around keeps the keys: a line shift is not a new violation.
    replace_in(
        &root.join("app/api/views.py"),
        "import app.legacy\n",
        "\n\nimport app.legacy\n",
    );
    let (code, _, stderr) = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{stderr}");

    // A new violation fails alone.
    std::fs::write(root.join("app/api/more.py"), "from app import legacy\n").unwrap();
    let (code, stdout, stderr) = check(root, &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stdout,
        "app/api/more.py:1:1: forbidden imports app.legacy (module import), forbidden from app.* to app.legacy: app.legacy is being removed\n"
    );
    assert!(
        stderr.contains("baseline baseline.json: 0 fixed, 3 remaining, 1 new"),
        "{stderr}"
    );
    assert!(stderr.contains("check: 1 new violation(s)"), "{stderr}");

    // Fixing a recorded one is counted, and JSON names it.
    std::fs::write(
        root.join("app/services/users.py"),
        "from app.db import models\n",
    )
    .unwrap();
    let (code, stdout, stderr) = check(root, &["--baseline", "baseline.json", "--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("baseline baseline.json: 1 fixed, 2 remaining, 1 new"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: run with --update-baseline to drop the fixed entries"),
        "{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["baseline"],
        json!({
            "file": "baseline.json",
            "updated": false,
            "remaining": 2,
            "fixed": 1,
            "fixed_keys": ["forbidden:app/services/users.py:app.legacy"],
        })
    );
    assert_eq!(report["violations"].as_array().unwrap().len(), 1);

    // Updating drops the fixed entry and records the new one.
    let (code, _, stderr) = check(root, &["--baseline", "baseline.json", "--update-baseline"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("recorded 3 violation(s); 1 fixed one(s) dropped"),
        "{stderr}"
    );
    let recorded = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    assert!(recorded.contains("forbidden:app/api/more.py:app.legacy"));
    assert!(!recorded.contains("app/services/users.py"));
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn github_format_is_one_workflow_command_per_violation() {
    let (code, stdout, _) = check(&case("forbidden", "bad"), &["--format", "github"]);
    assert_eq!(code, 1);
    pretty_assertions::assert_eq!(
        stdout,
        "::error file=app/api/views.py,line=1,col=1,title=forbidden::imports app.legacy (module import), forbidden from app.* to app.legacy: app.legacy is being removed\n\
         ::error file=app/api/views.py,line=2,col=1,title=forbidden::imports app.db.models (module import), forbidden from app.api.* to app.db.*: views go through app.services\n\
         ::error file=app/services/users.py,line=5,col=5,title=forbidden::imports app.legacy (lazy import), forbidden from app.* to app.legacy: app.legacy is being removed\n"
    );
}

#[test]
fn paths_are_shown_from_the_current_directory_and_keys_from_the_root() {
    let root = case("no-cycles", "bad");
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let violation = &report["violations"][0];
    assert_eq!(
        violation["path"],
        format!("{}/pkg/a.py", root.to_str().unwrap())
    );
    assert_eq!(violation["key"], "no-cycles:pkg/a.py:pkg.a,pkg.b");
}

#[test]
fn json_format_is_versioned_with_stable_keys() {
    let (code, stdout, _) = check(&case("layers", "bad"), &["--format", "json"]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    pretty_assertions::assert_eq!(
        report,
        json!({
            "version": 2,
            "violations": [
                {
                    "rule": "layers",
                    "path": "app/core/db.py",
                    "line": 5,
                    "column": 5,
                    "message": "imports app.services.users (lazy import): layer app.core must not import the higher layer app.services",
                    "key": "layers:app/core/db.py:app.services.users",
                },
                {
                    "rule": "layers",
                    "path": "app/services/users.py",
                    "line": 2,
                    "column": 1,
                    "message": "imports app.api.routes (module import): layer app.services must not import the higher layer app.api",
                    "key": "layers:app/services/users.py:app.api.routes",
                },
            ],
            "ignored": 0,
            "baseline": null,
            "incomplete": {"parse_errors": 0, "problems": 0, "unresolved": 0, "files": []},
        })
    );
    let (code, stdout, _) = check(&case("layers", "good"), &["--format", "json"]);
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["violations"], json!([]));
}

/// The official SARIF 2.1.0 schema (rtm.5). It is not kept in this
/// repository: `.ci/run` fetches it from the npm registry (package
/// `@microsoft/jest-sarif` 1.0.0-beta.0, `lib/schemas/sarif-2.1.0-rtm.5.json`)
/// and names it in `SARIF_SCHEMA`. `None` when that is not set.
fn sarif_schema() -> Option<Value> {
    let path = std::env::var_os("SARIF_SCHEMA")?;
    let text = std::fs::read_to_string(&path).expect("SARIF_SCHEMA names a readable file");
    // The schema's pattern for `run.language` has a lone `]`, a literal in
    // ECMA-262 regexes that the Rust validator rejects as malformed; escaping
    // it keeps the meaning.
    let lone = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(lone), "the schema changed");
    let text = text.replace(lone, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    Some(serde_json::from_str(&text).expect("the schema is JSON"))
}

#[test]
fn sarif_format_has_the_required_fields_and_validates_against_the_schema() {
    let (code, stdout, _) = check(&case("canonical", "bad"), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "blastradius");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "canonical",
            "forbidden",
            "no-duplicates",
            "no-cycles",
            "layers"
        ]
    );
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string(), "{rule}");
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    for result in results {
        assert_eq!(result["ruleId"], "canonical");
        assert_eq!(result["level"], "error");
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string());
        assert!(location["region"]["startLine"].is_u64());
        assert!(location["region"]["startColumn"].is_u64());
    }
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"],
        json!({
            "artifactLocation": {"uri": "attr_user.py", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 5, "startColumn": 12},
        })
    );
    assert_eq!(
        results[0]["partialFingerprints"]["blastradius/v1"],
        "canonical:attr_user.py:compat.Engine"
    );

    let Some(schema) = sarif_schema() else {
        eprintln!("skipped schema validation: SARIF_SCHEMA not set (.ci/run sets it)");
        return;
    };
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A clean run is a valid log with no results.
    let (code, stdout, _) = check(&case("canonical", "good"), &["--format", "sarif"]);
    assert_eq!(code, 0);
    let clean: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(clean["runs"][0]["results"], json!([]));
    assert!(validator.is_valid(&clean));
    // The schema really checks: a log without a version is rejected.
    let mut broken = log.clone();
    broken.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&broken));
}

/// `sample_repo` with the consolidation of ExecutionEngineFactory as rules.
fn sample_with_rules() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&sample_repo(), dir.path());
    std::fs::write(
        dir.path().join("pyproject.toml"),
        r#"[project]
name = "sample"

[tool.blastradius.canonical]
ExecutionEngineFactory = "app.agents.supervisor.execution_engine_factory"

[[tool.blastradius.forbidden]]
from = "*"
to = "app.core.managers.execution_engine_factory"
reason = "compatibility layer; import app.agents.supervisor.execution_engine_factory"

[[tool.blastradius.ignore]]
rule = "canonical"
target = "app.agents.registry.ExecutionEngineFactory"
reason = "the registry's ExecutionEngineFactory is a different class that shares the name"
"#,
    )
    .unwrap();
    dir
}

#[test]
fn sample_repo_consolidation_fails_on_every_shim_user() {
    let dir = sample_with_rules();
    let canonical = "app.agents.supervisor.execution_engine_factory";
    let shim = "app.core.managers.execution_engine_factory";
    let forbidden = format!(
        "forbidden imports {shim} (module import), forbidden from * to {shim}: compatibility layer; import {canonical}"
    );
    let imports = format!(
        "canonical imports ExecutionEngineFactory from {shim}; import ExecutionEngineFactory from {canonical}"
    );
    let uses = format!(
        "canonical uses {shim}.ExecutionEngineFactory; import ExecutionEngineFactory from {canonical}"
    );
    let expected = [
        format!(".github/scripts/check_imports.py:4:1: {imports}"),
        format!(".github/scripts/check_imports.py:4:1: {forbidden}"),
        format!(
            "app/core/managers/execution_engine_factory.py:20:5: canonical defines class ExecutionEngineFactory; its one definition belongs in {canonical}"
        ),
        format!("app/core/managers/session_manager.py:3:1: {forbidden}"),
        format!("app/core/managers/session_manager.py:8:24: {uses}"),
        format!("app/routes/websocket_routes.py:4:1: {forbidden}"),
        format!("app/routes/websocket_routes.py:14:5: {uses}"),
        format!("app/services/agent_service.py:2:1: {imports}"),
        format!("app/services/agent_service.py:2:1: {forbidden}"),
        format!("app/services/execution_service.py:2:1: {forbidden}"),
        format!("app/services/execution_service.py:8:15: {uses}"),
        format!(
            "tests/integration/test_agent_service.py:8:21: canonical names {shim}.ExecutionEngineFactory in a string; name {canonical}.ExecutionEngineFactory"
        ),
    ];
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_violations(dir.path(), &[], &expected);
    let (_, _, stderr) = check(dir.path(), &[]);
    assert!(
        stderr.contains("(2 allowed by ignore entries)"),
        "the registry's class and admin_routes' use of it: {stderr}"
    );
}

#[test]
fn sample_repo_passes_once_the_shim_users_import_the_canonical_module() {
    let dir = sample_with_rules();
    let root = dir.path();
    let canonical = "app.agents.supervisor.execution_engine_factory";
    let shim = "app.core.managers.execution_engine_factory";
    for file in [
        ".github/scripts/check_imports.py",
        "app/services/agent_service.py",
        "app/services/execution_service.py",
        "tests/integration/test_agent_service.py",
    ] {
        replace_in(&root.join(file), shim, canonical);
    }
    replace_in(
        &root.join("app/core/managers/session_manager.py"),
        "from . import execution_engine_factory",
        "from app.agents.supervisor import execution_engine_factory",
    );
    replace_in(
        &root.join("app/routes/websocket_routes.py"),
        "from app.core.managers import execution_engine_factory as compat",
        "from app.agents.supervisor import execution_engine_factory as compat",
    );
    std::fs::remove_file(root.join("app/core/managers/execution_engine_factory.py")).unwrap();
    let (code, stdout, stderr) = check(root, &[]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("check: no violations (2 allowed by ignore entries)"),
        "{stderr}"
    );
}

#[test]
fn sample_repo_passes_after_migrate_and_removing_the_shim() {
    let dir = sample_with_rules();
    let root = dir.path();
    let (code, _, _) = check(root, &[]);
    assert_eq!(code, 1, "the consolidation is not done yet");
    let out = Command::new(env!("CARGO_BIN_EXE_blastradius"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "migrate",
            "ExecutionEngineFactory",
        ])
        .args(["--to", "app.agents.supervisor.execution_engine_factory"])
        .args(["--apply", "--include-strings", "--remove-shim"])
        .output()
        .expect("binary runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // --remove-shim listed no remaining importer, so the layer can go.
    let notes = String::from_utf8_lossy(&out.stderr);
    let listed = notes
        .split("remaining importers of the old modules")
        .nth(1)
        .expect("--remove-shim section");
    let listed: Vec<&str> = listed.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        listed,
        vec!["  none: the old modules can be deleted"],
        "{notes}"
    );
    std::fs::remove_file(root.join("app/core/managers/execution_engine_factory.py")).unwrap();
    assert_clean(root);
}

/// `(contract, from, to, line, [(module, line)])` of a chain violation.
type ChainRow = (String, String, String, u64, Vec<(String, Option<u64>)>);

#[test]
fn forbidden_follows_chains_through_modules_outside_both_sets() {
    let root = fixture("check/chains");
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "--no-cache",
        "check",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<ChainRow> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["contract"].is_string())
        .map(|x| {
            (
                x["contract"].as_str().unwrap().to_string(),
                x["from"].as_str().unwrap().to_string(),
                x["to"].as_str().unwrap().to_string(),
                x["line"].as_u64().unwrap(),
                x["chain"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        (
                            h["module"].as_str().unwrap().to_string(),
                            h["line"].as_u64(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let hop = |m: &str, line: Option<u64>| (m.to_string(), line);
    assert_eq!(
        found,
        vec![
            // kinds = ["module"]: the lazy import in app.core.bridge does not
            // count, so only the direct import does.
            (
                "routes-no-db-at-import".into(),
                "app.routes.direct".into(),
                "app.db.engine".into(),
                1,
                vec![
                    hop("app.routes.direct", Some(1)),
                    hop("app.db.engine", None)
                ]
            ),
            (
                "routes-no-db".into(),
                "app.routes.direct".into(),
                "app.db.engine".into(),
                1,
                vec![
                    hop("app.routes.direct", Some(1)),
                    hop("app.db.engine", None)
                ]
            ),
            // Three hops, the last a lazy import; app.routes.via_route only
            // reaches the database through app.routes.ws, a source module
            // itself, so it is not a violation of its own.
            (
                "routes-no-db".into(),
                "app.routes.ws".into(),
                "app.db.engine".into(),
                2,
                vec![
                    hop("app.routes.ws", Some(2)),
                    hop("app.services.runner", Some(1)),
                    hop("app.core.bridge", Some(2)),
                    hop("app.db.engine", None),
                ]
            ),
        ]
    );
    // direct = true: one violation per direct import, today's message.
    let direct: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["contract"].is_null())
        .map(|x| x["key"].as_str().unwrap())
        .collect();
    assert_eq!(direct, vec!["forbidden:app/routes/direct.py:app.db.engine"]);
    // The baseline key names the contract and the modules.
    let keys: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["contract"].is_string())
        .map(|x| x["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec![
            "forbidden:app/routes/direct.py:routes-no-db-at-import:app.db.engine",
            "forbidden:app/routes/direct.py:routes-no-db:app.db.engine",
            "forbidden:app/routes/ws.py:routes-no-db:app.db.engine",
        ]
    );
}
