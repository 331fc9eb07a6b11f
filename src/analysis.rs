//! The pipeline driver: discover → read → extract (or the cache) → resolve → graph.
//!
//! Owns the order of the stages, the parallel phase (reading and parsing on
//! rayon threads with a large stack, so pathological nesting cannot overflow),
//! the use of the facts cache around it, the progress bar, the stage clock
//! and the sorting that makes results independent of thread scheduling. It
//! holds the finished analysis every query and output reads from.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, Cache, Encoded, Freshness, Record, Stamp, Update};
use crate::discover::{self, DiscoverOptions, Discovery, Shadowed, SourceFile, WalkProblem};
use crate::error::Result;
use crate::extract::{self, Detail, FileFacts, ImportKind};
use crate::graph::{ImportGraph, Occurrence};
use crate::pytest::Pytest;
use crate::resolve::{
    self, ExternalImport, ModuleId, ModuleTable, ResolveContext, UnresolvedImport,
};
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
    /// 1-based line of the first error (in a notebook, within its cell).
    pub line: u32,
    /// In a notebook, the code cell (1-based) `line` counts within.
    pub cell: Option<u32>,
    /// The parser's message for the first error.
    pub message: String,
    /// Number of errors in the file.
    pub count: usize,
}

impl ParseFailure {
    /// `path:line` or `path:cell C:line` of the first error.
    pub fn place(&self) -> String {
        crate::lines::place(&self.path, self.cell, self.line)
    }

    /// `line N` or `cell C, line N`, for messages.
    pub fn at(&self) -> String {
        match self.cell {
            Some(cell) => format!("cell {cell}, line {}", self.line),
            None => format!("line {}", self.line),
        }
    }
}

/// Time spent in each stage. The per-file stages run in parallel, so their
/// times are summed over threads (CPU time) and `files` is their wall time.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Directory walk and module naming (wall).
    pub discover: Duration,
    /// Loading the cache file (wall).
    pub cache_load: Duration,
    /// The whole parallel per-file phase (wall).
    pub files: Duration,
    /// Reading, hashing and decoding files (summed over threads).
    pub read: Duration,
    /// Parsing, including freeing the syntax tree (summed over threads).
    pub parse: Duration,
    /// Walking the syntax tree for facts (summed over threads).
    pub extract: Duration,
    /// Decoding facts from the cache and encoding new ones for it (summed).
    pub cache_facts: Duration,
    /// Resolving imports to modules (wall).
    pub resolve: Duration,
    /// Building the graph (wall).
    pub graph: Duration,
    /// Writing the cache file (wall).
    pub cache_write: Duration,
}

/// How a run is carried out (as opposed to what it looks at).
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How much of each file to keep.
    pub detail: Detail,
    /// The cache directory; `None` disables the cache.
    pub cache_dir: Option<PathBuf>,
    /// Show a progress bar on stderr when the run takes more than a second
    /// (the caller decides whether stderr is a terminal).
    pub progress: bool,
    /// Dotted names of the project's own import functions
    /// (`import-functions`): their calls with a literal name are imports.
    pub import_functions: Vec<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            detail: Detail::Symbols,
            cache_dir: None,
            progress: false,
            import_functions: Vec::new(),
        }
    }
}

/// What the cache did during a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheUse {
    /// Files whose facts came from the cache on size and mtime alone.
    pub fresh: usize,
    /// Files read and found unchanged by content hash (touched, not edited).
    pub confirmed: usize,
    /// Files parsed (new, changed, or the cache was unusable).
    pub parsed: usize,
    /// Why the cache on disk was not used at all, if it was not.
    pub rejected: Option<cache::Rejected>,
    /// True when a new cache file was written.
    pub written: bool,
    /// Why the cache could not be written, if it could not.
    pub write_error: Option<String>,
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
    /// Extracted facts per module id (`None` for namespace packages and
    /// unreadable files); symbol fields are empty unless `detail` is
    /// [`Detail::Symbols`].
    pub facts: Vec<Option<FileFacts>>,
    /// How much of each file `facts` keeps.
    pub detail: Detail,
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
    /// Top-level directories given up to an installed or declared
    /// third-party package of the same name, with the evidence.
    pub yielded: Vec<(String, String)>,
    /// Files that could not be read or decoded cleanly, and walk problems.
    pub problems: Vec<FileProblem>,
    /// pytest's view of the tree: test modules, rootdirs, conftest files.
    pub pytest: Pytest,
    /// Time per stage.
    pub timings: Timings,
    /// What the cache did (`None` when it was disabled).
    pub cache: Option<CacheUse>,
}

impl Analysis {
    /// Runs the whole pipeline over `options.root`.
    pub fn run(options: &DiscoverOptions, run: &RunOptions) -> Result<Analysis> {
        let started = Instant::now();
        let mut discovery = discover::discover(options)?;
        // Only a top-level namespace package can yield to a third-party
        // name: the dependency files and site-packages are read only then.
        if discovery
            .namespace_packages
            .iter()
            .any(|name| !name.contains('.'))
        {
            let names = crate::environment::third_party(&options.root, options.python.as_deref());
            discover::yield_to_third_party(&mut discovery, &names);
        }
        let discover_time = started.elapsed();
        let mut analysis = Analysis::from_discovery(discovery, run);
        analysis.timings.discover = discover_time;
        Ok(analysis)
    }

    /// Runs every stage after the walk over `discovery`. Files are read
    /// here, not during the walk, so a file deleted or made unreadable in
    /// between is reported as a problem like any other unreadable file.
    pub fn from_discovery(discovery: Discovery, run: &RunOptions) -> Analysis {
        let clock = Clock::default();
        let cache_started = Instant::now();
        let cache = run
            .cache_dir
            .as_ref()
            .map(|dir| Cache::load(dir, &discovery.root, run.detail == Detail::Symbols));
        let cache_load = cache_started.elapsed();
        let files_started = Instant::now();
        let parsed = parse_all(&discovery, cache.as_ref(), run, &clock);
        let files_time = files_started.elapsed();
        let cache_started = Instant::now();
        let cache_use = cache.map(|cache| write_cache(&cache, &parsed));
        let cache_write = cache_started.elapsed();
        let mut analysis = assemble(discovery, parsed, run, &clock);
        analysis.cache = cache_use;
        analysis.timings = Timings {
            discover: Duration::ZERO,
            cache_load,
            files: files_time,
            read: clock.read.get(),
            parse: clock.parse.get(),
            extract: clock.extract.get(),
            cache_facts: clock.cache_facts.get(),
            resolve: clock.resolve.get(),
            graph: clock.graph.get(),
            cache_write,
        };
        analysis
    }

    /// 1-based line of `offset` in the file of module `id` (0 when
    /// unknown); in a notebook, the line within its cell ([`Analysis::cell`]).
    pub fn line(&self, id: ModuleId, offset: u32) -> u32 {
        self.location(id, offset).1
    }

    /// The notebook cell (1-based) holding `offset`, for a notebook.
    pub fn cell(&self, id: ModuleId, offset: u32) -> Option<u32> {
        self.location(id, offset).0
    }

    /// The file of module `id` relative to the root, or its name when it
    /// has none (a namespace package), for messages.
    pub fn display_path(&self, id: ModuleId) -> &str {
        self.path(id).unwrap_or(self.name(id))
    }

    /// `path:line`, or `path:cell N:line` in a notebook, for messages.
    pub fn place(&self, id: ModuleId, offset: u32) -> String {
        let (cell, line) = self.location(id, offset);
        crate::lines::place(self.display_path(id), cell, line)
    }

    /// Where an import occurrence in `from` is, for messages: `path:line`
    /// (as [`Analysis::place`]), or for an implicit edge, which has no
    /// line, the file and what the edge is: `path (parent package)`.
    pub fn occurrence_place(&self, from: ModuleId, occurrence: &Occurrence) -> String {
        match occurrence.offset {
            Some(offset) => self.place(from, offset),
            None => format!(
                "{} ({})",
                self.display_path(from),
                implicit_label(occurrence.kind)
            ),
        }
    }

    /// The 1-based line of an occurrence (in a notebook, within its cell);
    /// `None` for an implicit edge.
    pub fn occurrence_line(&self, from: ModuleId, occurrence: &Occurrence) -> Option<u32> {
        occurrence.offset.map(|offset| self.line(from, offset))
    }

    /// The notebook cell of an occurrence, when it is in a notebook.
    pub fn occurrence_cell(&self, from: ModuleId, occurrence: &Occurrence) -> Option<u32> {
        occurrence.offset.and_then(|offset| self.cell(from, offset))
    }

    /// Where an editor should open for a chain `[module, next, ...]`: the
    /// first import in `module` of `next` as [`Analysis::occurrence_place`],
    /// or the module's path when the chain has no hop or no such import.
    pub fn hop_place(&self, chain: &[ModuleId]) -> String {
        let path = |id: ModuleId| self.display_path(id).to_string();
        match chain {
            [from, to, ..] => self
                .graph
                .occurrences(*from, *to)
                .and_then(|o| o.first())
                .map_or_else(|| path(*from), |o| self.occurrence_place(*from, o)),
            [only] => path(*only),
            [] => String::new(),
        }
    }

    /// The line of the import that starts `chain` (its first hop), `None`
    /// for an implicit hop (`parent`, `conftest`) or a one-module chain.
    pub fn hop_line(&self, chain: &[ModuleId]) -> Option<u32> {
        let [from, to, ..] = chain else {
            return None;
        };
        let offset = self.graph.occurrences(*from, *to)?.first()?.offset?;
        Some(self.line(*from, offset))
    }

    /// `rel` (a path under the root, or `path:line`) as seen from the
    /// current directory, for human output.
    pub fn shown(&self, rel: &str) -> String {
        crate::lines::under_root(&self.root, rel)
    }

    fn location(&self, id: ModuleId, offset: u32) -> (Option<u32>, u32) {
        self.facts
            .get(id.index())
            .and_then(|f| f.as_ref())
            .map_or((None, 0), |f| f.lines.location(offset))
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

/// What an implicit edge is, for `path (…)` in place of a line.
pub fn implicit_label(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Parent => "parent package",
        ImportKind::Conftest => "conftest",
        ImportKind::Module | ImportKind::Lazy | ImportKind::TypeChecking | ImportKind::Dynamic => {
            kind.as_str()
        }
    }
}

/// A duration summed by many threads (or many calls), for `--timings`.
#[derive(Debug, Default)]
pub struct Total(AtomicU64);

impl Total {
    /// Zero, usable in a `static`.
    pub const fn new() -> Total {
        Total(AtomicU64::new(0))
    }

    /// Adds `d`.
    pub fn add(&self, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Adds the time elapsed since `started`.
    pub fn since(&self, started: Instant) {
        self.add(started.elapsed());
    }

    /// The sum so far.
    pub fn get(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }
}

/// The stage clock shared by the worker threads.
#[derive(Debug, Default)]
struct Clock {
    read: Total,
    parse: Total,
    extract: Total,
    cache_facts: Total,
    resolve: Total,
    graph: Total,
}

impl Clock {
    /// Parses and extracts `text`, adding the time of each to the clock.
    fn extract(&self, text: &str, is_stub: bool, detail: Detail) -> FileFacts {
        let (facts, parse, extract) = extract::extract_timed(text, is_stub, detail);
        self.parse.add(parse);
        self.extract.add(extract);
        facts
    }
}

/// What reading and parsing one file produced.
struct Parsed {
    facts: Option<FileFacts>,
    problem: Option<String>,
    /// The file's entry for the new cache (`None` without a cache or when
    /// the file could not be read).
    update: Option<Update>,
    /// How the facts were obtained, for [`CacheUse`].
    source: FactsSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FactsSource {
    Fresh,
    Confirmed,
    Parsed,
    Unread,
}

/// Shows progress over the parallel phase, but only once it has run for a
/// second: quick runs stay silent.
struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    shown: AtomicBool,
    done: AtomicUsize,
}

impl Progress {
    const DELAY: Duration = Duration::from_secs(1);

    fn new(total: usize) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} files ({eta})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix("analysing");
        Progress {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            done: AtomicUsize::new(0),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.shown.load(Ordering::Relaxed) {
            self.bar
                .set_position(u64::try_from(done).unwrap_or(u64::MAX));
        } else if self.started.elapsed() >= Self::DELAY && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(10));
            self.bar
                .set_position(u64::try_from(done).unwrap_or(u64::MAX));
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn parse_all(
    discovery: &Discovery,
    cache: Option<&Cache>,
    run: &RunOptions,
    clock: &Clock,
) -> Vec<Parsed> {
    let progress = run.progress.then(|| Progress::new(discovery.files.len()));
    let work = || {
        discovery
            .files
            .par_iter()
            .map(|file| {
                let parsed = analyse_file(file, cache, run.detail, clock);
                if let Some(progress) = &progress {
                    progress.tick();
                }
                parsed
            })
            .collect()
    };
    let parsed = run_with_big_stacks(work);
    if let Some(progress) = &progress {
        progress.finish();
    }
    parsed
}

/// Runs `work` on a rayon pool whose threads have [`PARSE_STACK_BYTES`] of stack.
fn run_with_big_stacks<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .stack_size(PARSE_STACK_BYTES)
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Facts for one file: from the cache when it still describes the file,
/// otherwise read and parsed (at symbol detail when a cache will store them).
fn analyse_file(file: &SourceFile, cache: Option<&Cache>, detail: Detail, clock: &Clock) -> Parsed {
    let is_stub = file.rel_path.ends_with(".pyi");
    let unread = |message: String| Parsed {
        facts: None,
        problem: Some(message),
        update: None,
        source: FactsSource::Unread,
    };
    let Some(cache) = cache else {
        let started = Instant::now();
        let decoded = match source::read_source(&file.abs_path) {
            Ok(decoded) => decoded,
            Err(failure) => return unread(failure.message),
        };
        clock.read.since(started);
        let mut facts = clock.extract(&decoded.text, is_stub, detail);
        facts.lines.set_cells(decoded.cells);
        return Parsed {
            facts: Some(facts),
            problem: decoded.warning,
            update: None,
            source: FactsSource::Parsed,
        };
    };
    // The stamp is taken before reading: a change after it shows up as a
    // different stamp next time.
    let stamp = Stamp::of(&file.abs_path).ok();
    let freshness = stamp.map_or(Freshness::Unknown, |s| cache.freshness(&file.rel_path, s));
    let from_cache = |hash: u64, stamp: Stamp, source: FactsSource| {
        let started = Instant::now();
        let (facts, warning) = cache.facts(&file.rel_path)?;
        clock.cache_facts.since(started);
        Some(Parsed {
            facts: Some(facts),
            problem: warning.clone(),
            update: Some(Update {
                path: file.rel_path.clone(),
                stamp,
                hash,
                warning,
                record: Record::Kept,
            }),
            source,
        })
    };
    if let (Freshness::Fresh(hash), Some(stamp)) = (freshness, stamp)
        && let Some(parsed) = from_cache(hash, stamp, FactsSource::Fresh)
    {
        return parsed;
    }
    let started = Instant::now();
    let bytes = match std::fs::read(&file.abs_path) {
        Ok(bytes) => bytes,
        Err(err) => return unread(source::read_error_message(&err)),
    };
    let hash = cache::content_hash(&bytes);
    // Without a stamp the entry is written with no mtime, so the next run
    // confirms it by hash again.
    let stamp = stamp.unwrap_or(Stamp {
        size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
        mtime_ns: None,
    });
    if freshness == Freshness::Confirm(hash) || freshness == Freshness::Fresh(hash) {
        clock.read.since(started);
        if let Some(parsed) = from_cache(hash, stamp, FactsSource::Confirmed) {
            return parsed;
        }
    }
    let decoded = match source::decode_file(&file.abs_path, &bytes) {
        Ok(decoded) => decoded,
        Err(failure) => return unread(failure.message),
    };
    drop(bytes);
    clock.read.since(started);
    let mut facts = clock.extract(&decoded.text, is_stub, Detail::Symbols);
    facts.lines.set_cells(decoded.cells);
    let started = Instant::now();
    let encoded = Encoded::new(&facts);
    clock.cache_facts.since(started);
    let facts = match detail {
        Detail::Imports => facts.imports_only(),
        Detail::Symbols => facts,
    };
    Parsed {
        facts: Some(facts),
        problem: decoded.warning.clone(),
        update: Some(Update {
            path: file.rel_path.clone(),
            stamp,
            hash,
            warning: decoded.warning,
            record: Record::New(encoded),
        }),
        source: FactsSource::Parsed,
    }
}

/// Writes the new cache when anything changed; reports what the cache did.
fn write_cache(cache: &Cache, parsed: &[Parsed]) -> CacheUse {
    let mut used = CacheUse {
        rejected: cache.rejected.clone(),
        ..CacheUse::default()
    };
    for p in parsed {
        match p.source {
            FactsSource::Fresh => used.fresh += 1,
            FactsSource::Confirmed => used.confirmed += 1,
            FactsSource::Parsed => used.parsed += 1,
            FactsSource::Unread => {}
        }
    }
    let updates: Vec<&Update> = parsed.iter().filter_map(|p| p.update.as_ref()).collect();
    if cache.unchanged(&updates) {
        return used;
    }
    match cache.write(&updates) {
        Ok(()) => used.written = true,
        Err(err) => used.write_error = Some(err.to_string()),
    }
    used
}

fn assemble(
    discovery: Discovery,
    parsed: Vec<Parsed>,
    run: &RunOptions,
    clock: &Clock,
) -> Analysis {
    let detail = run.detail;
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
                let (cell, line) = file_facts.lines.location(first.offset);
                parse_errors.push(ParseFailure {
                    path: file.rel_path.clone(),
                    offset: first.offset,
                    line,
                    cell,
                    message: first.message.clone(),
                    count: file_facts.syntax_errors.len(),
                });
            }
            facts[id.index()] = Some(file_facts);
        }
    }
    let started = Instant::now();
    let ids: Vec<ModuleId> = table.iter().map(|(id, _)| id).collect();
    // The three cross-module tables are independent of each other.
    let (called_at_import, (lazy_attributes, loader_classes)) = rayon::join(
        || resolve::functions_called_at_import(&table, &facts),
        || {
            rayon::join(
                || resolve::lazy_attribute_sources(&table, &facts),
                || resolve::loader_classes(&table, &facts),
            )
        },
    );
    let context = ResolveContext {
        creators: ids
            .iter()
            .copied()
            .filter(|id| {
                facts[id.index()]
                    .as_ref()
                    .is_some_and(|f| f.calls.creates_modules)
            })
            .collect(),
        called_at_import,
        import_functions: &run.import_functions,
        lazy_attributes,
        loader_classes,
    };
    let resolved: Vec<resolve::Resolved> = ids
        .par_iter()
        .filter_map(|&id| {
            let file_facts = facts[id.index()].as_ref()?;
            Some(resolve::resolve_imports(&table, id, file_facts, &context))
        })
        .collect();
    let pytest = Pytest::read(&discovery.root, &discovery.project_files);
    let mut edges = resolve::parent_edges(&table);
    edges.extend(resolve::conftest_edges(&table, &pytest));
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
    clock.resolve.since(started);
    let started = Instant::now();
    let graph = ImportGraph::build(table.len(), edges);
    clock.graph.since(started);
    Analysis {
        root: discovery.root,
        source_roots: discovery.source_roots,
        modules: table,
        facts,
        detail,
        graph,
        external,
        unresolved,
        parse_errors,
        shadowed: discovery.shadowed,
        yielded: discovery.yielded,
        problems,
        pytest,
        timings: Timings::default(),
        cache: None,
    }
}
