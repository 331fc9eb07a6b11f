//! `init`: prints the starter configuration (`--dry-run`), or adds it to
//! the repository where no settings exist, after checking that `check`
//! accepts it.
//!
//! The command runs the analyses `init` compares: once per candidate
//! source root (with it and without it), once with the accepted roots, and
//! once more under the configuration it is about to write, so that what it
//! writes has been loaded and checked. The decisions are `init.rs`'s.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::analysis::Analysis;
use crate::check::Check;
use crate::check::baseline::Baseline;
use crate::cli::args::InitArgs;
use crate::extract::ImportKind;
use crate::graph::KindSet;
use crate::init::{self, BASELINE_FILE, Starter, Target};
use crate::output::style;
use crate::queries::cycles::find_cycles;
use crate::session::{Session, Settings};
use crate::symbols::duplicates::DuplicateOptions;

/// Runs `init`.
pub fn run(session: &Session, args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let settings = &session.settings;
    let root = session.analysis.root.clone();
    // Source roots: each candidate must resolve imports that do not resolve
    // today and change none that do.
    let third_party = crate::environment::third_party(&root, settings.discover.python.as_deref());
    let (candidates, mut refused) = init::candidate_source_roots(&session.analysis, &third_party);
    let mut roots = Vec::new();
    for candidate in candidates {
        let mut discover = settings.discover.clone();
        discover.src.extend(roots.iter().map(Into::into));
        let without = (!roots.is_empty())
            .then(|| Analysis::run(&discover, &settings.run))
            .transpose()?;
        discover.src.push(candidate.clone().into());
        let with = Analysis::run(&discover, &settings.run)?;
        match init::root_verdict(without.as_ref().unwrap_or(&session.analysis), &with) {
            Ok(_) => roots.push(candidate),
            Err(why) => refused.push((candidate, why)),
        }
    }
    let rooted;
    let current = if roots.is_empty() {
        session
    } else {
        let mut again = copy_settings(settings, settings.config.clone());
        again.discover.src.extend(roots.iter().map(Into::into));
        rooted = Session::open(again)?;
        &rooted
    };
    let analysis = &current.analysis;
    let duplicates: Vec<_> = current
        .duplicates(&DuplicateOptions::default())
        .into_iter()
        .filter(|d| d.is_consolidation())
        .collect();
    // The count quoted is the count of the rule written.
    let cycles: Vec<String> = find_cycles(
        &analysis.graph,
        analysis.modules.len(),
        KindSet::of(&[ImportKind::Module]),
    )
    .iter()
    .map(|c| {
        c.example
            .iter()
            .map(|&m| analysis.name(m))
            .collect::<Vec<_>>()
            .join(" -> ")
    })
    .collect();
    let target = Target::for_root(&root);
    let starter = Starter {
        roots,
        refused,
        duplicates: &duplicates,
        cycles,
    };
    let text = init::starter_config(analysis, &starter, target);

    // Load what would be written and run the check under it: a starter
    // configuration `check` refuses is a bug, and nothing is written.
    let file = match target {
        Target::PyProject => root.join("pyproject.toml"),
        Target::Dedicated => root.join("blastradius.toml"),
    };
    let config = crate::config::from_text(&text, &file)
        .context("init built a configuration that does not load (a bug; nothing was written)")?;
    let wants_baseline = config.baseline.is_some();
    let mut checked_settings = copy_settings(&current.settings, config);
    // The excludes it writes apply to the walk, as they will for `check`.
    for pattern in &checked_settings.config.exclude {
        if !checked_settings.discover.exclude.contains(pattern) {
            checked_settings.discover.exclude.push(pattern.clone());
        }
    }
    let checked = Session::open(checked_settings)?;
    let result = Check::new(&checked)
        .and_then(|check| check.run())
        .context("init built a configuration that `check` refuses (a bug; nothing was written)")?;
    let violations = result.violations.len();

    if args.dry_run {
        out.write_all(text.as_bytes())?;
        eprintln!(
            "{} with this configuration `blastradius check` reports {violations} violation(s){}",
            style::note(),
            if wants_baseline {
                format!(", all recorded in {BASELINE_FILE} when written")
            } else {
                String::new()
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    let written = init::write(&root, &text, target)?;
    if wants_baseline {
        Baseline::of(&result.violations).write(&root.join(BASELINE_FILE))?;
        eprintln!(
            "wrote a starter configuration to {} and recorded today's {violations} cycle(s) in {}: `blastradius check` passes until a new one appears",
            written.display(),
            root.join(BASELINE_FILE).display()
        );
    } else {
        eprintln!(
            "wrote a starter configuration to {}; `blastradius check` reports {violations} violation(s) under it: review it, then fix or ignore them",
            written.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The same run settings under another configuration.
fn copy_settings(settings: &Settings, config: crate::config::Config) -> Settings {
    Settings {
        discover: settings.discover.clone(),
        run: settings.run.clone(),
        config,
        critical: settings.critical.clone(),
        kinds: settings.kinds,
        quiet: true,
        timings: false,
    }
}
