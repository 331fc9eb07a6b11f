//! Graph exports: exact DOT and Mermaid for a tiny fixture, focus, depth,
//! direction, kinds and collapse on the sample repository, hostile file
//! names, and Graphviz accepting every DOT export.

use std::path::Path;
use std::process::Command;

use crate::common::*;
use pretty_assertions::assert_eq;
use serde_json::Value;

const FACTORY: &str = "app.agents.supervisor.execution_engine_factory";

/// Stdout of `blastradius --root ROOT graph ARGS`, which must succeed.
fn export(root: &Path, args: &[&str]) -> String {
    let root = root.to_string_lossy().into_owned();
    let mut full = vec!["--root", root.as_str(), "graph"];
    full.extend_from_slice(args);
    let out = run(&full);
    assert_eq!(
        out.status.code(),
        Some(0),
        "args {full:?}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The subgraph JSON of `root` with `args` (after `--format json`).
fn subgraph(root: &Path, args: &[&str]) -> Value {
    let mut full = vec!["graph", "--format", "json"];
    full.extend_from_slice(args);
    json(root, &full)
}

/// Node names of a subgraph document.
fn node_names(g: &Value) -> Vec<String> {
    g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["name"].as_str().expect("name").to_string())
        .collect()
}

/// Nodes as `(name, depth)` (depth -1 when absent).
fn node_depths(g: &Value) -> Vec<(String, i64)> {
    g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| {
            (
                n["name"].as_str().expect("name").to_string(),
                n["depth"].as_i64().unwrap_or(-1),
            )
        })
        .collect()
}

/// Edges as `(from, to, count, kinds joined by ',')`.
fn sub_edges(g: &Value) -> Vec<(String, String, u64, String)> {
    g["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let kinds: Vec<&str> = e["kinds"]
                .as_array()
                .expect("kinds")
                .iter()
                .map(|k| k.as_str().expect("kind"))
                .collect();
            (
                e["from"].as_str().expect("from").to_string(),
                e["to"].as_str().expect("to").to_string(),
                e["count"].as_u64().expect("count"),
                kinds.join(","),
            )
        })
        .collect()
}

fn se(from: &str, to: &str, count: u64, kinds: &str) -> (String, String, u64, String) {
    (from.into(), to.into(), count, kinds.into())
}

fn depths(items: &[(&str, i64)]) -> Vec<(String, i64)> {
    items.iter().map(|(n, d)| (n.to_string(), *d)).collect()
}

const DOT_HEADER: &str = r##"digraph blastradius {
  graph [rankdir=LR, fontname="Helvetica", fontsize=10];
  node [shape=box, style="rounded,filled", fillcolor="#eef2f7", fontname="Helvetica", fontsize=10];
  edge [color="#555555", arrowsize=0.7, fontname="Helvetica", fontsize=9];
"##;

#[test]
fn dot_export_of_the_fixture_is_exact() {
    let root = fixture("exports");
    // Every kind once, a package cluster, and module+lazy on cart → pricing
    // drawn as module (solid).
    let whole = export(&root, &["--format", "dot"]);
    let expected = DOT_HEADER.to_string()
        + r##"  subgraph "cluster_shop" {
    label="shop"; style="rounded"; color="#9aa5b1";
    "shop";
    "shop.cart";
    "shop.pricing";
    "shop.tax";
  }
  "main";
  "main" -> "shop.cart";
  "main" -> "shop.tax" [style=dashed];
  "shop.cart" -> "shop.pricing";
  "shop.pricing" -> "shop.cart" [style=dotted];
  "shop.tax" -> "shop.pricing" [style=bold, color="#7b3294"];
}
"##;
    assert_eq!(whole, expected);

    // Fill by depth: the focus highlighted, its direct dependents lighter.
    let focused = export(
        &root,
        &["--format", "dot", "--focus", "shop.pricing", "--depth", "1"],
    );
    let expected = DOT_HEADER.to_string()
        + r##"  subgraph "cluster_shop" {
    label="shop"; style="rounded"; color="#9aa5b1";
    "shop.cart" [fillcolor="#f9a66c"];
    "shop.pricing" [fillcolor="#f26b3a", penwidth=2];
    "shop.tax" [fillcolor="#f9a66c"];
  }
  "shop.cart" -> "shop.pricing";
  "shop.pricing" -> "shop.cart" [style=dotted];
  "shop.tax" -> "shop.pricing" [style=bold, color="#7b3294"];
}
"##;
    assert_eq!(focused, expected);

    // Collapsed to one component: the shop's internal edges become
    // self-loops and vanish; main's two imports add up to a labelled edge.
    let collapsed = export(&root, &["--format", "dot", "--collapse", "1"]);
    let expected = DOT_HEADER.to_string()
        + r##"  "main";
  "shop";
  "main" -> "shop" [xlabel="2"];
}
"##;
    assert_eq!(collapsed, expected);
}

#[test]
fn mermaid_export_of_the_fixture_is_exact() {
    let root = fixture("exports");
    assert_eq!(
        export(&root, &["--format", "mermaid"]),
        r#"flowchart LR
  subgraph p0 ["shop"]
    n1["shop"]
    n2["shop.cart"]
    n3["shop.pricing"]
    n4["shop.tax"]
  end
  n0["main"]
  n0 --> n2
  n0 -.->|lazy| n4
  n2 --> n3
  n3 -.->|type-checking| n2
  n4 -.->|dynamic| n3
"#
    );
    assert_eq!(
        export(
            &root,
            &[
                "--format",
                "mermaid",
                "--focus",
                "shop.pricing",
                "--direction",
                "dependencies"
            ]
        ),
        r#"flowchart LR
  subgraph p0 ["shop"]
    n0["shop.cart"]
    n1["shop.pricing"]
  end
  n0 --> n1
  n1 -.->|type-checking| n0
  classDef depth0 fill:#f26b3a,stroke:#333,stroke-width:2px
  class n1 depth0
  classDef depth1 fill:#f9a66c
  class n0 depth1
"#
    );
    assert_eq!(
        export(&root, &["--format", "mermaid", "--collapse", "1"]),
        "flowchart LR\n  n0[\"main\"]\n  n1[\"shop\"]\n  n0 -->|2| n1\n"
    );
}

#[test]
fn kinds_filter_edges_and_counts_only_the_selected_kinds() {
    let root = fixture("exports");
    let g = subgraph(
        &root,
        &[
            "--focus",
            "main",
            "--direction",
            "dependencies",
            "--kinds",
            "module,dynamic",
        ],
    );
    // main → shop.tax is lazy only, so shop.tax is not reached; cart →
    // pricing keeps its module import and loses its lazy one.
    assert_eq!(
        node_depths(&g),
        depths(&[("main", 0), ("shop.cart", 1), ("shop.pricing", 2)])
    );
    assert_eq!(
        sub_edges(&g),
        vec![
            se("main", "shop.cart", 1, "module"),
            se("shop.cart", "shop.pricing", 1, "module"),
        ]
    );
    assert_eq!(g["kinds"], serde_json::json!(["module", "dynamic"]));
    assert_eq!(
        g["focus"],
        serde_json::json!({"module": "main", "direction": "dependencies", "depth_limit": null})
    );
    // Without a focus: every node, only the edges with a selected kind.
    let g = subgraph(&root, &["--kinds", "type-checking"]);
    assert_eq!(
        node_names(&g),
        strings(&["main", "shop", "shop.cart", "shop.pricing", "shop.tax"])
    );
    assert_eq!(
        sub_edges(&g),
        vec![se("shop.pricing", "shop.cart", 1, "type-checking")]
    );
    assert!(g["nodes"][0].get("depth").is_none(), "{g}");
}

#[test]
fn focus_keeps_the_module_and_its_dependents_up_to_depth() {
    let root = sample_repo();
    let g = subgraph(&root, &["--focus", FACTORY, "--depth", "1"]);
    assert_eq!(
        node_depths(&g),
        depths(&[
            ("app.agents.supervisor", 1),
            (FACTORY, 0),
            ("app.core.managers.execution_engine_factory", 1),
            ("app.routes.agent_routes", 1),
            ("app.services.legacy_service", 1),
            ("app.websocket_core.bridge", 1),
            ("tests.unit.test_execution_engine_factory", 1),
        ])
    );
    let edges = sub_edges(&g);
    assert_eq!(edges.len(), 6);
    assert!(edges.iter().all(|(_, to, _, _)| to == FACTORY), "{edges:?}");
    assert!(edges.contains(&se("app.websocket_core.bridge", FACTORY, 1, "lazy")));

    // Unlimited: 18 dependents, and every import among them (including the
    // factory's own import of the engine, which closes the lazy cycle).
    let g = subgraph(&root, &["--focus", FACTORY]);
    assert_eq!(
        node_depths(&g),
        depths(&[
            (".github/scripts/check_imports.py", 2),
            ("app.agents.supervisor", 1),
            ("app.agents.supervisor.execution_engine", 2),
            (FACTORY, 0),
            ("app.core.managers.execution_engine_factory", 1),
            ("app.core.managers.session_manager", 2),
            ("app.main", 2),
            ("app.routes.agent_routes", 1),
            ("app.routes.websocket_routes", 2),
            ("app.services.agent_service", 2),
            ("app.services.execution_service", 2),
            ("app.services.legacy_service", 1),
            ("app.services.thread_service", 3),
            ("app.websocket_core.bridge", 1),
            ("tests.e2e.test_websocket_flow", 2),
            ("tests.integration.test_agent_service", 3),
            ("tests.mission_critical.test_websocket_agent_events", 3),
            ("tests.unit.test_execution_engine_factory", 1),
            ("tests.unit.test_session_manager", 3),
        ])
    );
    let edges = sub_edges(&g);
    assert_eq!(edges.len(), 23);
    assert!(edges.contains(&se(
        FACTORY,
        "app.agents.supervisor.execution_engine",
        1,
        "module"
    )));

    // A file path names the same focus.
    let by_path = subgraph(
        &root,
        &[
            "--focus",
            "app/agents/supervisor/execution_engine_factory.py",
            "--depth",
            "1",
        ],
    );
    assert_eq!(
        node_names(&by_path),
        node_names(&subgraph(&root, &["--focus", FACTORY, "--depth", "1"]))
    );
}

#[test]
fn direction_dependencies_walks_what_the_focus_imports() {
    let root = sample_repo();
    let g = subgraph(&root, &["--focus", FACTORY, "--direction", "dependencies"]);
    assert_eq!(
        node_depths(&g),
        depths(&[
            ("app.agents.supervisor.execution_engine", 1),
            (FACTORY, 0),
            ("app.core.user_execution_context", 1),
            ("app.websocket_core.bridge", 2),
            ("app.websocket_core.events", 3),
        ])
    );
    assert_eq!(
        sub_edges(&g),
        vec![
            se(
                "app.agents.supervisor.execution_engine",
                "app.websocket_core.bridge",
                1,
                "module"
            ),
            se(
                FACTORY,
                "app.agents.supervisor.execution_engine",
                1,
                "module"
            ),
            se(
                FACTORY,
                "app.core.user_execution_context",
                1,
                "type-checking"
            ),
            se("app.websocket_core.bridge", FACTORY, 1, "lazy"),
            se(
                "app.websocket_core.bridge",
                "app.websocket_core.events",
                1,
                "module"
            ),
        ]
    );
    // Module imports only: the type-checking import and the lazy way back drop out.
    let g = subgraph(
        &root,
        &[
            "--focus",
            FACTORY,
            "--direction",
            "dependencies",
            "--kinds",
            "module",
            "--depth",
            "2",
        ],
    );
    assert_eq!(
        node_depths(&g),
        depths(&[
            ("app.agents.supervisor.execution_engine", 1),
            (FACTORY, 0),
            ("app.websocket_core.bridge", 2),
        ])
    );
    assert_eq!(sub_edges(&g).len(), 2);
}

#[test]
fn collapse_merges_nodes_adds_counts_and_drops_self_loops() {
    let root = sample_repo();
    let g = subgraph(&root, &["--collapse", "2"]);
    let nodes: Vec<(String, u64)> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap().to_string(),
                n["modules"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [
        (".github/", 1),
        ("app", 1),
        ("app.agents", 5),
        ("app.core", 6),
        ("app.db", 2),
        ("app.main", 1),
        ("app.models", 3),
        ("app.plugins", 3),
        ("app.routes", 5),
        ("app.services", 7),
        ("app.utils", 3),
        ("app.websocket_core", 3),
        ("scripts", 1),
        ("scripts.seed_data", 1),
        ("scripts/", 1),
        ("tests", 1),
        ("tests.conftest", 1),
        ("tests.e2e", 2),
        ("tests.integration", 2),
        ("tests.mission_critical", 2),
        ("tests.unit", 3),
    ]
    .iter()
    .map(|(n, c)| (n.to_string(), *c))
    .collect();
    assert_eq!(nodes, expected);
    let edges = sub_edges(&g);
    assert_eq!(edges.len(), 26);
    assert!(edges.iter().all(|(from, to, _, _)| from != to), "{edges:?}");
    for edge in [
        se("app.main", "app.routes", 4, "module"),
        se("app.routes", "app.core", 3, "module"),
        // 5: legacy_service's import of the missing
        // app.core.managers.legacy_engine runs app.core.managers too.
        se("app.services", "app.core", 5, "module"),
        se("app.services", "app.plugins", 2, "dynamic"),
        se("app.agents", "app.core", 1, "type-checking"),
        se("app.websocket_core", "app.agents", 1, "lazy"),
        se("scripts/", "app.db", 1, "module"),
    ] {
        assert!(edges.contains(&edge), "{edge:?} in {edges:?}");
    }
    // The 49 imports (48 statements reaching a module, and one reaching
    // only the existing package of a missing one) minus the 11 inside one
    // prefix (agents 2, core 2, models 3, services 2, websocket_core 2).
    let total: u64 = edges.iter().map(|e| e.2).sum();
    assert_eq!(total, 38);

    let g = subgraph(&root, &["--collapse", "1"]);
    assert_eq!(
        node_names(&g),
        strings(&[".github/", "app", "scripts", "scripts/", "tests"])
    );
    assert_eq!(
        sub_edges(&g),
        vec![
            se(".github/", "app", 1, "module"),
            se("scripts", "app", 1, "module"),
            se("scripts/", "app", 1, "module"),
            se("tests", "app", 7, "module"),
        ]
    );
    assert_eq!(g["nodes"][1]["package"], "app");
    assert_eq!(g["nodes"][3]["package"], "scripts/");
}

#[test]
fn focus_and_collapse_give_each_prefix_its_smallest_depth() {
    let g = subgraph(&sample_repo(), &["--focus", FACTORY, "--collapse", "2"]);
    assert_eq!(
        node_depths(&g),
        depths(&[
            (".github/", 2),
            ("app.agents", 0),
            ("app.core", 1),
            ("app.main", 2),
            ("app.routes", 1),
            ("app.services", 1),
            ("app.websocket_core", 1),
            ("tests.e2e", 2),
            ("tests.integration", 3),
            ("tests.mission_critical", 3),
            ("tests.unit", 1),
        ])
    );
    assert_eq!(sub_edges(&g).len(), 16);
    assert_eq!(g["collapse"], 2);
}

#[test]
fn json_without_focus_collapse_or_kinds_is_the_full_document() {
    let root = sample_repo();
    let full = json(&root, &["graph", "--format", "json"]);
    assert!(full.get("modules").is_some() && full.get("nodes").is_none());
    // Every full edge pair with a module occurrence, and no other, in the
    // kind-filtered subgraph.
    let mut module_pairs: Vec<(String, String)> = edges(&full)
        .into_iter()
        .filter(|e| e.2 == "module")
        .map(|e| (e.0, e.1))
        .collect();
    module_pairs.dedup();
    let sub = subgraph(&root, &["--kinds", "module"]);
    assert!(sub.get("modules").is_none());
    let sub_pairs: Vec<(String, String)> =
        sub_edges(&sub).into_iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(sub_pairs, module_pairs);
    assert_eq!(
        node_names(&sub).len(),
        full["modules"].as_array().unwrap().len()
    );
}

#[test]
fn export_options_misused_are_usage_errors() {
    let root = sample_repo();
    let root = root.to_str().unwrap();
    for args in [
        vec!["graph", "--format", "dot", "--depth", "2"],
        vec!["graph", "--format", "dot", "--direction", "dependencies"],
        vec!["graph", "--collapse", "2"],
        vec!["graph", "--format", "dot", "--collapse", "0"],
        vec!["graph", "--format", "dot", "--focus", "app.core.confg"],
    ] {
        let mut full = vec!["--root", root];
        full.extend_from_slice(&args);
        let out = run(&full);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = run(&[
        "--root",
        root,
        "graph",
        "--format",
        "mermaid",
        "--focus",
        "app.core.confg",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean app.core.config"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A tree whose scripts have hostile names: a directory whose name holds a
/// double quote, a backslash, a newline, non-ASCII and `<`, holding
/// `script>.py` (so the path spells `</script>`), and a file whose name
/// spells a Mermaid entity and holds `&`, `:` and a backtick.
#[cfg(unix)]
fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/a.py"), "x = 1\n").unwrap();
    let evil = root.join("evil\"q\\b\n€<");
    std::fs::create_dir(&evil).unwrap();
    std::fs::write(evil.join("script>.py"), "import pkg.a\n").unwrap();
    std::fs::create_dir(root.join("amp&co")).unwrap();
    std::fs::write(root.join("amp&co/x#quot;:y`.py"), "import pkg.a\n").unwrap();
    dir
}

#[cfg(unix)]
#[test]
fn hostile_file_names_are_escaped_in_dot_mermaid_and_json() {
    let dir = hostile_tree();
    let root = dir.path();
    let dot = export(root, &["--format", "dot"]);
    let expected = DOT_HEADER.to_string()
        + r##"  subgraph "cluster_pkg" {
    label="pkg"; style="rounded"; color="#9aa5b1";
    "pkg";
    "pkg.a";
  }
  "amp&co/x#quot;:y`.py" [label="amp&amp;co/x#quot;:y`.py"];
  "evil\"q\\b\n€</script>.py";
  "amp&co/x#quot;:y`.py" -> "pkg.a";
  "evil\"q\\b\n€</script>.py" -> "pkg.a";
}
"##;
    assert_eq!(dot, expected);

    let mermaid = export(root, &["--format", "mermaid"]);
    assert_eq!(
        mermaid,
        r#"flowchart LR
  subgraph p0 ["pkg"]
    n2["pkg"]
    n3["pkg.a"]
  end
  n0["amp#amp;co/x#35;quot;#58;y#96;.py"]
  n1["evil#quot;q\b#10;€#lt;/script#gt;.py"]
  n0 --> n3
  n1 --> n3
"#
    );
    // Whatever the names, a label holds no quote, angle bracket or raw `&`.
    for line in mermaid.lines() {
        if let Some((_, rest)) = line.split_once("[\"") {
            let label = rest.strip_suffix("\"]").expect("label closes the line");
            assert!(!label.contains(['"', '<', '>', '&']), "{line}");
        }
    }

    // Collapsed, the evil directory becomes a node (and a package) of its own;
    // JSON carries the names as they are.
    let g = subgraph(root, &["--collapse", "1"]);
    assert_eq!(
        node_names(&g),
        strings(&["amp&co/", "evil\"q\\b\n€</", "pkg"])
    );
    assert_eq!(g["nodes"][1]["package"], "evil\"q\\b\n€</");
    let dot = export(root, &["--format", "dot", "--collapse", "1"]);
    assert!(
        dot.contains("  \"evil\\\"q\\\\b\\n€</\" -> \"pkg\";\n"),
        "{dot}"
    );

    for dot in [dot, expected] {
        if let Some(svg) = render_svg(&dot) {
            assert!(!svg.contains("</script>"), "{svg}");
        }
    }
}

/// True when Graphviz's `dot` can be run; prints why a test is skipped otherwise.
fn graphviz_available() -> bool {
    let found = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: graphviz `dot` not installed");
    }
    found
}

/// `dot -Tsvg` of `source`: the SVG, or `None` when Graphviz is missing.
/// Panics on any Graphviz error, warning or non-zero exit.
fn render_svg(source: &str) -> Option<String> {
    if !graphviz_available() {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("graph.dot");
    std::fs::write(&input, source).unwrap();
    let out = Command::new("dot")
        .arg("-Tsvg")
        .arg(&input)
        .output()
        .expect("dot runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.trim().is_empty(),
        "dot -Tsvg failed ({:?}): {stderr}\n{source}",
        out.status.code()
    );
    let svg = String::from_utf8(out.stdout).expect("SVG is UTF-8");
    assert!(svg.contains("<svg"), "{svg}");
    Some(svg)
}

#[test]
fn every_dot_export_of_sample_repo_renders_with_graphviz() {
    if !graphviz_available() {
        return;
    }
    let root = sample_repo();
    for args in [
        vec!["--format", "dot"],
        vec!["--format", "dot", "--focus", FACTORY],
        vec!["--format", "dot", "--collapse", "2"],
    ] {
        let dot = export(&root, &args);
        assert_eq!(dot, export(&root, &args), "deterministic: {args:?}");
        let svg = render_svg(&dot).expect("graphviz is available");
        // One SVG group per node and per edge.
        let nodes = svg.matches("class=\"node\"").count();
        let edges = svg.matches("class=\"edge\"").count();
        let expected: (usize, usize) = match args.len() {
            // 49 edges: 48 statements reaching a module, and legacy_service's
            // import of a missing module, which still runs its package.
            2 => (54, 49),
            _ if args.contains(&"--collapse") => (21, 26),
            _ => (19, 23),
        };
        assert_eq!((nodes, edges), expected, "{args:?}");
    }
}

/// Regression: plain edge `label`s double dot's ranks; on a dense collapsed
/// graph (5,000 synthetic files at --collapse 2) dot then ran 83 s and failed
/// with "trouble in init_rank". Counts are external labels instead.
#[test]
fn collapsed_edge_counts_are_external_labels() {
    let dot = export(&sample_repo(), &["--format", "dot", "--collapse", "2"]);
    let edge_lines: Vec<&str> = dot.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(edge_lines.len(), 26);
    assert!(edge_lines.iter().all(|l| !l.contains(" label=")), "{dot}");
    assert!(
        edge_lines.contains(&"  \"app.main\" -> \"app.routes\" [xlabel=\"4\"];"),
        "{dot}"
    );
}

/// Parses Mermaid sources with the real mermaid parser, when `.ci/run` has
/// installed it (`MERMAID_CHECK_DIR` holds `node_modules` with mermaid and
/// jsdom); `None` when it is not available.
fn mermaid_parse(sources: &[(&str, String)]) -> Option<std::process::Output> {
    let dir = std::env::var_os("MERMAID_CHECK_DIR")?;
    let dir = Path::new(&dir);
    let script = dir.join("mermaid_check.mjs");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mermaid_check.mjs"),
        &script,
    )
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(&script);
    for (name, text) in sources {
        let path = files.path().join(format!("{name}.mmd"));
        std::fs::write(&path, text).unwrap();
        cmd.arg(path);
    }
    Some(cmd.output().expect("node runs"))
}

#[test]
fn mermaid_exports_parse_with_the_mermaid_parser() {
    let sample = sample_repo();
    let hostile = hostile_tree();
    let sources = vec![
        ("whole", export(&sample, &["--format", "mermaid"])),
        (
            "focus",
            export(
                &sample,
                &["--format", "mermaid", "--focus", FACTORY, "--depth", "2"],
            ),
        ),
        (
            "collapsed",
            export(&sample, &["--format", "mermaid", "--collapse", "2"]),
        ),
        ("hostile", export(hostile.path(), &["--format", "mermaid"])),
    ];
    let Some(out) = mermaid_parse(&sources) else {
        eprintln!("skipped: MERMAID_CHECK_DIR not set (.ci/run installs mermaid)");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        4,
        "{stdout}"
    );
    // The checker really parses: a broken flowchart is rejected.
    let bad = mermaid_parse(&[("bad", "flowchart LR\n  n0[\"a\"] -->\n".to_string())]).unwrap();
    assert!(!bad.status.success());
}
