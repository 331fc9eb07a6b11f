//! The pipeline driver: discover → read → extract → resolve → graph.
//!
//! Owns the order of the stages, the parallel phase (reading and parsing on
//! rayon threads with a large stack, so pathological nesting cannot overflow)
//! and the sorting that makes results independent of thread scheduling. It
//! holds the finished analysis every query and output reads from.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::discover::{self, DiscoverOptions, Discovery, Shadowed, WalkProblem};
use crate::error::Result;
use crate::extract::{self, FileFacts};
use crate::graph::ImportGraph;
use crate::resolve::{self, ExternalImport, ModuleId, ModuleTable, UnresolvedImport};
use crate::source;

/// Stack size for parser threads: deep nesting recurses deeply.
const PARSE_STACK_BYTES: usize = 256 * 1024 * 1024;

/// A file-level problem that did not stop the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileProblem {
    /// Path relative to the root.
    pub path: String,
    /// What happened.
    pub message: String,
}

/// A file with syntax errors; its recovered imports are still used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ParseFailure {
    /// Path relative to the root.
    pub path: String,
    /// Byte offset of the first error.
    pub offset: u32,
    /// 1-based line of the first error.
    pub line: u32,
    /// The parser's message for the first error.
    pub message: String,
    /// Number of errors in the file.
    pub count: usize,
}

/// Wall time spent in each stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Directory walk and module naming.
    pub discover: Duration,
    /// Reading, decoding, parsing and extraction (parallel).
    pub parse: Duration,
    /// Resolution and graph construction.
    pub resolve: Duration,
}

/// The finished analysis of one root.
#[derive(Debug)]
pub struct Analysis {
    /// The root as given.
    pub root: PathBuf,
    /// Source roots relative to the root (`""` is the root).
    pub source_roots: Vec<String>,
    /// Every module, namespace package and script.
    pub modules: ModuleTable,
    /// Extracted facts per module id (`None` for namespace packages and unreadable files).
    pub facts: Vec<Option<FileFacts>>,
    /// The first-party import graph.
    pub graph: ImportGraph,
    /// Imports of external modules, sorted by importer and offset.
    pub external: Vec<ExternalImport>,
    /// First-party imports that do not resolve, sorted by importer and offset.
    pub unresolved: Vec<UnresolvedImport>,
    /// Files with syntax errors.
    pub parse_errors: Vec<ParseFailure>,
    /// Files no import can reach.
    pub shadowed: Vec<Shadowed>,
    /// Files that could not be read or decoded cleanly, and walk problems.
    pub problems: Vec<FileProblem>,
    /// Time per stage.
    pub timings: Timings,
}

impl Analysis {
    /// Runs the whole pipeline over `options.root`.
    pub fn run(options: &DiscoverOptions) -> Result<Analysis> {
        let started = Instant::now();
        let discovery = discover::discover(options)?;
        let discover_time = started.elapsed();
        let parse_started = Instant::now();
        let parsed = parse_all(&discovery);
        let parse_time = parse_started.elapsed();
        let resolve_started = Instant::now();
        let mut analysis = assemble(discovery, parsed);
        analysis.timings = Timings {
            discover: discover_time,
            parse: parse_time,
            resolve: resolve_started.elapsed(),
        };
        Ok(analysis)
    }

    /// 1-based line of `offset` in the file of module `id` (0 when unknown).
    pub fn line(&self, id: ModuleId, offset: u32) -> u32 {
        self.facts
            .get(id.index())
            .and_then(|f| f.as_ref())
            .map_or(0, |f| f.lines.line(offset))
    }

    /// Name of module `id`.
    pub fn name(&self, id: ModuleId) -> &str {
        &self.modules.get(id).name
    }

    /// Path of module `id` relative to the root, if it has a file.
    pub fn path(&self, id: ModuleId) -> Option<&str> {
        self.modules.get(id).path.as_deref()
    }

    /// Number of files analysed (modules and scripts with a file).
    pub fn file_count(&self) -> usize {
        self.modules
            .modules()
            .iter()
            .filter(|m| m.path.is_some())
            .count()
    }
}

/// What reading and parsing one file produced.
struct Parsed {
    facts: Option<FileFacts>,
    problem: Option<String>,
}

fn parse_all(discovery: &Discovery) -> Vec<Parsed> {
    let work = || {
        discovery
            .files
            .par_iter()
            .map(|file| match source::read_source(&file.abs_path) {
                Ok(decoded) => {
                    let is_stub = file.rel_path.ends_with(".pyi");
                    let facts = extract::extract(&decoded.text, is_stub);
                    Parsed {
                        facts: Some(facts),
                        problem: decoded.warning,
                    }
                }
                Err(failure) => Parsed {
                    facts: None,
                    problem: Some(failure.message),
                },
            })
            .collect()
    };
    match rayon::ThreadPoolBuilder::new()
        .stack_size(PARSE_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

fn assemble(discovery: Discovery, parsed: Vec<Parsed>) -> Analysis {
    let table = ModuleTable::new(&discovery);
    let mut facts: Vec<Option<FileFacts>> = vec![None; table.len()];
    let mut problems: Vec<FileProblem> = discovery
        .problems
        .iter()
        .map(|WalkProblem { path, message }| FileProblem {
            path: path.clone(),
            message: message.clone(),
        })
        .collect();
    let mut parse_errors = Vec::new();
    for (file, parsed) in discovery.files.iter().zip(parsed) {
        if let Some(message) = parsed.problem {
            problems.push(FileProblem {
                path: file.rel_path.clone(),
                message,
            });
        }
        let Some(id) = table.by_path(&file.rel_path) else {
            continue;
        };
        if let Some(file_facts) = parsed.facts {
            if let Some(first) = file_facts.syntax_errors.first() {
                parse_errors.push(ParseFailure {
                    path: file.rel_path.clone(),
                    offset: first.offset,
                    line: file_facts.lines.line(first.offset),
                    message: first.message.clone(),
                    count: file_facts.syntax_errors.len(),
                });
            }
            facts[id.index()] = Some(file_facts);
        }
    }
    let resolved: Vec<resolve::Resolved> = table
        .iter()
        .filter_map(|(id, _)| {
            let file_facts = facts[id.index()].as_ref()?;
            Some(resolve::resolve_imports(&table, id, &file_facts.imports))
        })
        .collect();
    let mut edges = Vec::new();
    let mut external = Vec::new();
    let mut unresolved = Vec::new();
    for r in resolved {
        edges.extend(r.edges);
        external.extend(r.external);
        unresolved.extend(r.unresolved);
    }
    external.sort_by(|a, b| (a.from, a.offset, &a.module).cmp(&(b.from, b.offset, &b.module)));
    unresolved.sort_by(|a, b| (a.from, a.offset, &a.import).cmp(&(b.from, b.offset, &b.import)));
    parse_errors.sort();
    problems.sort();
    let graph = ImportGraph::build(table.len(), edges);
    Analysis {
        root: discovery.root,
        source_roots: discovery.source_roots,
        modules: table,
        facts,
        graph,
        external,
        unresolved,
        parse_errors,
        shadowed: discovery.shadowed,
        problems,
        timings: Timings::default(),
    }
}
