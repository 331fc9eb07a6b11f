//! Generators and invariant checks shared by the property tests
//! (`tests/it/properties.rs`: bounded, every CI run) and the fuzz targets
//! (`fuzz/`: unbounded, coverage-guided). Both hand raw bytes to the same
//! generators, so a fuzz finding replays as a property-test case and the
//! other way round. Checks return `Err(message)` rather than panicking, so
//! proptest can shrink a failure; the fuzz targets panic on `Err`.
//!
//! This file is test code: it may write temporary trees and use `unwrap`,
//! but it never reaches into the library's private parts.
#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use blastradius::analysis::{Analysis, RunOptions};
use blastradius::discover::DiscoverOptions;
use blastradius::extract::{Detail, FileFacts, ImportForm, extract, from_import_spans};
use blastradius::graph::{ImportGraph, KindSet};
use blastradius::migrate::{self, MigrateOptions};
use blastradius::queries::reach::{Walk, reach};
use blastradius::resolve::{ModuleId, ModuleTable, Target, UnresolvedReason};
use blastradius::source::decode;
use blastradius::symbols::Origins;
use blastradius::symbols::index::SymbolIndex;

/// Turns bytes into choices; past the end every choice is 0, so any input,
/// even an empty one, is a complete program.
pub struct Choices<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Choices<'a> {
    /// Choices read from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Choices { bytes, at: 0 }
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        let byte = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(byte) % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> &'b T {
        &items[self.below(items.len())]
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

fn fail<T: std::fmt::Debug>(what: &str, detail: T) -> Result<(), String> {
    Err(format!("{what}: {detail:?}"))
}

// ---------------------------------------------------------------------------
// Target 1: bytes -> extraction.

/// Decodes `bytes` as a Python file and extracts it at both details: every
/// recorded offset lies inside the text, every line number inside the
/// file, and import-only extraction agrees with full extraction.
pub fn check_extraction(bytes: &[u8]) -> Result<(), String> {
    check_text(&decode(bytes).text)
}

/// [`check_extraction`] on already decoded text.
pub fn check_text(text: &str) -> Result<(), String> {
    let full = extract(text, false, Detail::Symbols);
    let imports = extract(text, false, Detail::Imports);
    offsets_inside(text, &full)?;
    offsets_inside(text, &imports)?;
    if full.imports != imports.imports {
        return fail("import-only extraction found other imports", text);
    }
    if full.syntax_errors != imports.syntax_errors {
        return fail("import-only extraction found other syntax errors", text);
    }
    Ok(())
}

fn offsets_inside(text: &str, facts: &FileFacts) -> Result<(), String> {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    // Python ends lines at \n, \r\n and a lone \r.
    let terminators = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    let max_line = u32::try_from(terminators + 1).unwrap_or(u32::MAX);
    let mut offsets: Vec<u32> = facts.imports.iter().map(|i| i.offset).collect();
    offsets.extend(facts.syntax_errors.iter().map(|e| e.offset));
    offsets.extend(facts.bindings.iter().map(|b| b.offset));
    offsets.extend(facts.attribute_uses.iter().flat_map(|u| [u.offset, u.end]));
    offsets.extend(facts.string_refs.iter().flat_map(|r| [r.offset, r.end]));
    for offset in offsets {
        if offset > len {
            return fail("offset past the end", (offset, len));
        }
        let line = facts.lines.line(offset);
        if line < 1 || line > max_line {
            return fail("line outside the file", (line, max_line));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Target 2: generated module trees -> resolution.

const DIRS: &[&str] = &["", "a/", "b/", "a/c/", "b/c/", "a/c/d/"];
const FILES: &[&str] = &["__init__.py", "m.py", "n.py", "c.py", "run-me.py"];
const PARTS: &[&str] = &["a", "b", "c", "d", "m", "n", "os", "x"];

fn dotted(c: &mut Choices) -> String {
    let n = 1 + c.below(3);
    (0..n).map(|_| *c.pick(PARTS)).collect::<Vec<_>>().join(".")
}

fn import_statement(c: &mut Choices) -> String {
    let dots = ".".repeat(c.below(4));
    match c.below(7) {
        0 => format!("import {}", dotted(c)),
        1 => format!("import {} as z", dotted(c)),
        2 => format!("from {dots}{} import {}", dotted(c), c.pick(PARTS)),
        3 => format!("from .{dots} import {}", c.pick(PARTS)),
        4 => format!("from {} import *", dotted(c)),
        5 => format!(
            "importlib.import_module(\"{dots}{}\", package=__name__)",
            dotted(c)
        ),
        _ => format!("importlib.import_module(\"{}\")", dotted(c)),
    }
}

/// A small tree of packages, modules, a script and module/package clashes,
/// whose files import each other (and missing and external modules) in
/// every form, at every level, some under guards and some after broken code.
pub fn module_tree(c: &mut Choices) -> Vec<(String, String)> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..1 + c.below(8) {
        let path = format!("{}{}", c.pick(DIRS), c.pick(FILES));
        let mut text = String::new();
        for _ in 0..c.below(6) {
            let statement = import_statement(c);
            let wrapped = match c.below(5) {
                0 => format!("if TYPE_CHECKING:\n    {statement}\n"),
                1 => format!("def f():\n    {statement}\n"),
                2 => format!("try:\n    {statement}\nexcept ImportError:\n    pass\n"),
                3 if c.one_in(4) => format!("x = (\n{statement}\n"),
                _ => format!("{statement}\n"),
            };
            text.push_str(&wrapped);
        }
        files.insert(path, text);
    }
    files.into_iter().collect()
}

/// Writes `files` under `root`.
pub fn write_tree(root: &Path, files: &[(String, String)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn analyse(root: &Path, detail: Detail) -> Result<Analysis, String> {
    let options = DiscoverOptions {
        root: root.to_path_buf(),
        ..DiscoverOptions::default()
    };
    let run = RunOptions {
        detail,
        ..RunOptions::default()
    };
    Analysis::run(&options, &run).map_err(|e| format!("analysis failed: {e}"))
}

/// The package a relative import in `module` starts from, climbed `level - 1` times.
fn relative_base(table: &ModuleTable, from: ModuleId, level: u32) -> Option<String> {
    let module = table.get(from);
    let mut parts: Vec<&str> = module.name.split('.').collect();
    if !module.is_package() {
        parts.pop();
    }
    for _ in 1..level {
        parts.pop()?;
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// Analyses the tree and checks what must hold whatever the tree:
/// every import ends somewhere (an edge, an external module or an
/// unresolved entry); `import X` reaches X when X exists, is external when
/// its top-level name is not first-party, and is unresolved otherwise;
/// a relative `from` import reaches its module when that exists; edges join
/// real modules; and dependents and dependencies mirror each other with
/// depths equal to breadth-first distances.
pub fn check_resolution(files: &[(String, String)]) -> Result<(), String> {
    resolution_holds(files).map_err(|e| format!("{e}\nin the tree {files:#?}"))
}

fn resolution_holds(files: &[(String, String)]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    write_tree(dir.path(), files);
    let analysis = analyse(dir.path(), Detail::Imports)?;
    let table = &analysis.modules;
    let n = table.len();
    // Implicit edges (`parent`) have no offset.
    let edges: Vec<(ModuleId, ModuleId, Option<u32>)> = analysis
        .graph
        .edges()
        .into_iter()
        .flat_map(|(from, to, occurrences)| occurrences.iter().map(move |o| (from, to, o.offset)))
        .collect();
    for &(from, to, _) in &edges {
        if from.index() >= n || to.index() >= n {
            return fail("edge to a module that does not exist", (from, to, n));
        }
    }
    let has_edge =
        |from: ModuleId, to: ModuleId, offset: u32| edges.contains(&(from, to, Some(offset)));
    for (id, module) in table.iter() {
        let Some(facts) = analysis.facts[id.index()].as_ref() else {
            continue;
        };
        for import in &facts.imports {
            let at = import.offset;
            let seen = edges.iter().any(|&(f, _, o)| f == id && o == Some(at))
                || analysis
                    .external
                    .iter()
                    .any(|e| e.from == id && e.offset == at)
                || analysis
                    .unresolved
                    .iter()
                    .any(|u| u.from == id && u.offset == at);
            if !seen {
                return fail("import lost", (&module.name, &import.form));
            }
            match &import.form {
                ImportForm::Import { module: name, .. } => {
                    let unresolved = analysis
                        .unresolved
                        .iter()
                        .any(|u| u.from == id && u.offset == at);
                    match table.lookup(name) {
                        Target::Internal(to) if !has_edge(id, to, at) => {
                            return fail("import of an existing module has no edge", name);
                        }
                        Target::External
                            if !analysis
                                .external
                                .iter()
                                .any(|e| e.from == id && e.offset == at) =>
                        {
                            return fail("external import not listed", name);
                        }
                        Target::Missing if !unresolved => {
                            return fail("missing first-party module not unresolved", name);
                        }
                        _ => {}
                    }
                }
                ImportForm::From {
                    level,
                    module: name,
                    ..
                } if *level > 0 => {
                    if module.path.as_deref().is_some_and(|p| !p.ends_with(".py")) {
                        continue;
                    }
                    let Some(base) = relative_base(table, id, *level) else {
                        let reason = analysis
                            .unresolved
                            .iter()
                            .find(|u| u.from == id && u.offset == at)
                            .map(|u| &u.reason);
                        let beyond = matches!(
                            reason,
                            Some(
                                UnresolvedReason::BeyondTopLevel
                                    | UnresolvedReason::NoParentPackage
                                    | UnresolvedReason::RelativeInScript
                            )
                        );
                        if !beyond {
                            return fail(
                                "relative import above the top not unresolved",
                                (&module.name, &import.form, reason),
                            );
                        }
                        continue;
                    };
                    let full = if name.is_empty() {
                        base
                    } else {
                        format!("{base}.{name}")
                    };
                    let ImportForm::From { names, .. } = &import.form else {
                        continue;
                    };
                    // `from X import n` reaches X, or X.n when n is a submodule.
                    let reached = |m: &str| table.by_name(m).is_some_and(|to| has_edge(id, to, at));
                    let exists = table.by_name(&full).is_some();
                    let found = reached(&full)
                        || names.iter().any(|n| reached(&format!("{full}.{}", n.name)));
                    if exists && !found {
                        return fail(
                            "relative import of an existing module has no edge",
                            (&module.name, &import.form),
                        );
                    }
                    let unresolved = analysis
                        .unresolved
                        .iter()
                        .any(|u| u.from == id && u.offset == at);
                    if !exists && !unresolved {
                        return fail(
                            "relative import of a missing module not unresolved",
                            (&module.name, &import.form),
                        );
                    }
                }
                ImportForm::From { .. } | ImportForm::Dynamic { .. } => {}
            }
        }
    }
    check_reach(&analysis.graph, n)
}

/// Dependents and dependencies of every module mirror each other with the
/// same depths; each depth equals the distance found by a plain
/// breadth-first search here; every chain is made of real edges.
pub fn check_reach(graph: &ImportGraph, n: usize) -> Result<(), String> {
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut edge_set = std::collections::HashSet::new();
    for (from, to, _) in graph.edges() {
        importers[to.index()].push(from.index());
        edge_set.insert((from, to));
    }
    for x in 0..n {
        // Reference distances: plain BFS over importers.
        let mut distance = vec![u32::MAX; n];
        distance[x] = 0;
        let mut queue = VecDeque::from([x]);
        while let Some(m) = queue.pop_front() {
            for &i in &importers[m] {
                if distance[i] == u32::MAX {
                    distance[i] = distance[m] + 1;
                    queue.push_back(i);
                }
            }
        }
        let start = ModuleId(u32::try_from(x).unwrap());
        let dependents = reach(graph, n, &[start], Walk::Dependents, KindSet::ALL, None);
        let expected = distance
            .iter()
            .enumerate()
            .filter(|&(i, &d)| i != x && d != u32::MAX)
            .count();
        if dependents.len() != expected {
            return fail(
                "dependents missed or invented",
                (x, dependents.len(), expected),
            );
        }
        for r in &dependents {
            if r.depth != distance[r.module.index()] {
                return fail("depth is not the BFS distance", (x, r));
            }
            if r.chain.len() != r.depth as usize + 1 {
                return fail("chain length is not depth + 1", r);
            }
            if r.chain
                .windows(2)
                .any(|p| !edge_set.contains(&(p[0], p[1])))
            {
                return fail("chain uses a missing edge", r);
            }
            let back = reach(
                graph,
                n,
                &[r.module],
                Walk::Dependencies,
                KindSet::ALL,
                None,
            );
            if back.iter().find(|b| b.module == start).map(|b| b.depth) != Some(r.depth) {
                return fail("dependencies do not mirror dependents", (x, r));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Target 3: import statements -> migrate rewrites.

/// The fixed part of the migration tree: `Factory` is defined in
/// `pkg.core`, re-exported by `pkg.shim` (which also has names of its own);
/// the generated user file is `pkg/sub/user.py`.
pub const MIGRATE_TREE: &[(&str, &str)] = &[
    ("pkg/__init__.py", ""),
    ("pkg/core.py", "class Factory:\n    pass\n"),
    (
        "pkg/shim.py",
        "from pkg.core import Factory\n\n\nclass Other:\n    pass\n\n\nOTHER = 1\n",
    ),
    ("pkg/sub/__init__.py", ""),
];

/// Where the generated user file goes.
pub const USER_PATH: &str = "pkg/sub/user.py";

fn from_import(c: &mut Choices) -> String {
    let module = *c.pick(&[
        "pkg.shim", "..shim", "pkg.core", "..core", "pkg.shim", "..shim",
    ]);
    let mut pool: Vec<&str> = if module.ends_with("shim") {
        vec!["Factory", "Other", "OTHER"]
    } else {
        vec!["Factory"]
    };
    let mut names = Vec::new();
    while !pool.is_empty() && (names.is_empty() || c.one_in(2)) {
        let name = pool.remove(c.below(pool.len()));
        names.push(if c.one_in(3) {
            format!("{name} as {}{}", name.to_lowercase(), names.len())
        } else {
            name.to_string()
        });
    }
    let list = match c.below(5) {
        0 => names.join(", "),
        1 => format!("({})", names.join(", ")),
        2 => format!("(\n    {},\n)", names.join(",\n    ")),
        3 => format!("({}  # why\n)", names.join(",  # note\n    ")),
        _ => names.join(", \\\n    "),
    };
    let tail = *c.pick(&["", "", "  # trailing", "; y = 1"]);
    format!("from {module} import {list}{tail}")
}

fn indent(block: &str) -> String {
    block
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>()
}

/// A user file importing `Factory` (and its neighbours) from the shim and
/// the canonical module in every layout: split and parenthesised lists,
/// comments, backslashes, aliases, `;`, nested blocks, module aliases
/// with attribute uses, string references, a rival `Factory`, CRLF.
pub fn user_file(c: &mut Choices) -> String {
    let mut text = String::new();
    for _ in 0..1 + c.below(8) {
        let chunk = match c.below(9) {
            0..=2 => from_import(c),
            3 => "import pkg.shim as s".to_string(),
            4 => "from pkg import shim".to_string(),
            5 => c
                .pick(&["v = s.Factory()", "w = shim.Factory()"])
                .to_string(),
            6 => c
                .pick(&[
                    "x = 1",
                    "# Factory is used below",
                    "print(\"pkg.shim.Factory\")",
                    "def g():\n    return 2",
                    "",
                    "Factory = None",
                ])
                .to_string(),
            _ => format!(
                "{}\n{}",
                from_import(c),
                c.pick(&["x = 2", "w = shim.Factory()"])
            ),
        };
        let has_code = !chunk.is_empty() && !chunk.starts_with('#');
        let chunk = match c.below(6) {
            0 if has_code => format!("if True:\n{}", indent(&chunk)),
            1 if has_code => format!("try:\n{}except ImportError:\n    pass\n", indent(&chunk)),
            _ => format!("{chunk}\n"),
        };
        text.push_str(&chunk);
    }
    if c.one_in(4) {
        text = text.replace('\n', "\r\n");
    }
    text
}

/// Bindings made by import statements: (local name, absolute module, name)
/// for `from` imports, (local name, module, "") for `import m as x`.
fn import_bindings(text: &str) -> Vec<(String, String, String)> {
    let facts = extract(text, false, Detail::Imports);
    let mut out = Vec::new();
    for import in facts.imports {
        match import.form {
            ImportForm::From {
                level,
                module,
                names,
            } => {
                let base = match level {
                    0 => module,
                    1 => format!("pkg.sub.{module}"),
                    _ => format!("pkg.{module}"),
                };
                let base = base.trim_end_matches('.').to_string();
                for n in names {
                    let local = n.asname.unwrap_or_else(|| n.name.clone());
                    out.push((local, base.clone(), n.name));
                }
            }
            ImportForm::Import { module, asname } => {
                let local = asname.unwrap_or_else(|| module.clone());
                out.push((local, module, String::new()));
            }
            ImportForm::Dynamic { .. } => {}
        }
    }
    out.sort();
    out
}

/// The file with its import statements cut out and attribute uses of
/// `Factory` written one way, so rewritten and original files compare
/// equal when nothing but imports changed.
fn skeleton(text: &str) -> String {
    let mut spans: Vec<(usize, usize)> = from_import_spans(text)
        .iter()
        .map(|s| (s.start as usize, s.end as usize))
        .collect();
    spans.sort();
    let mut cut = String::new();
    let mut at = 0;
    for (start, end) in spans {
        cut.push_str(&text[at..start]);
        cut.push('\u{1}');
        at = end;
    }
    cut.push_str(&text[at..]);
    let cut = cut
        .replace("import pkg.shim as s", "\u{1}")
        .replace("= s.Factory()", "= Factory()")
        .replace("= shim.Factory()", "= Factory()");
    cut.split_inclusive('\n')
        .filter(|line| line.trim() != "\u{1}")
        .collect()
}

/// Migrates `Factory` to `pkg.core` in a tree with the generated user file
/// and checks the rewrite: it parses; every `Factory` imported through the
/// shim is now imported from `pkg.core` under the same local name, every
/// other binding is unchanged (the only additions are direct imports of
/// `Factory`, the only removals module aliases no longer used); nothing
/// outside import statements changes but `alias.Factory` becoming
/// `Factory`; line endings stay as they were. When nothing is rewritten,
/// the plan says why.
pub fn check_migrate(user: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut files: Vec<(String, String)> = MIGRATE_TREE
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    files.push((USER_PATH.to_string(), user.to_string()));
    write_tree(dir.path(), &files);
    let analysis = analyse(dir.path(), Detail::Symbols)?;
    let Some(to) = analysis.modules.by_name("pkg.core") else {
        return fail("pkg.core missing", analysis.modules.len());
    };
    let origins = Origins::new(&analysis);
    let index = SymbolIndex::build(&origins);
    let options = MigrateOptions {
        name: "Factory".to_string(),
        to,
        from: Vec::new(),
        include_strings: false,
    };
    let plan = migrate::plan(&analysis, &origins, &index, &options)
        .map_err(|e| format!("plan failed: {e}"))?;
    if let Some(other) = plan.files.iter().find(|f| f.path != USER_PATH) {
        return fail("rewrote a file other than the user's", &other.path);
    }
    let errors = extract(user, false, Detail::Imports).syntax_errors;
    if !errors.is_empty() {
        return fail("the generator wrote invalid Python", (user, errors));
    }
    let before_bindings = import_bindings(user);
    let through_shim = |b: &(String, String, String)| b.1 == "pkg.shim" && b.2 == "Factory";
    let Some(file) = plan.files.first() else {
        let skipped = plan.skipped.iter().any(|f| f.path == USER_PATH);
        if before_bindings.iter().any(through_shim) && !skipped {
            return fail(
                "Factory imported through the shim, yet no rewrite and no reason",
                &plan.skipped,
            );
        }
        return Ok(());
    };
    let after = &file.after;
    let errors = extract(after, false, Detail::Imports).syntax_errors;
    if !errors.is_empty() {
        return fail("the rewritten file does not parse", (after, errors));
    }
    // Bindings: the shim's Factory moves to pkg.core under the same name.
    let mut expected: Vec<(String, String, String)> = before_bindings
        .iter()
        .map(|b| {
            if through_shim(b) {
                (b.0.clone(), "pkg.core".to_string(), b.2.clone())
            } else {
                b.clone()
            }
        })
        .collect();
    expected.sort();
    let mut added = import_bindings(after);
    // The generator uses aliases only as `= alias.Factory()`; the facts
    // cannot tell, since without its import the alias is a plain name.
    let still_used = |alias: &str| after.contains(&format!("= {alias}.Factory()"));
    for b in &expected {
        if let Some(i) = added.iter().position(|a| a == b) {
            added.remove(i);
        } else {
            // A module alias may go once nothing uses it.
            let alias_gone = b.0 == "s" || b.0 == "shim";
            let alias_gone = alias_gone && !still_used(&b.0);
            if !alias_gone {
                return fail("a binding was lost or changed", (b, after));
            }
        }
    }
    let direct = (
        "Factory".to_string(),
        "pkg.core".to_string(),
        "Factory".to_string(),
    );
    if let Some(extra) = added.iter().find(|a| **a != direct) {
        return fail("an unexpected binding appeared", (extra, after));
    }
    if skeleton(user) != skeleton(after) {
        return fail(
            "text outside imports changed",
            (skeleton(user), skeleton(after)),
        );
    }
    if user.contains("\r\n") && after.replace("\r\n", "").contains('\n') {
        return fail("a CRLF file got a bare LF", after);
    }
    Ok(())
}
