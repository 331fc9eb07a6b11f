//! `impact`: the blast radius of modules, files and symbols together (and
//! of the Python files changed since a git reference), with tests to run.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;

use crate::cli::args::ImpactArgs;
use crate::commands::{end_human, timed, write_json};
use crate::graph::KindSet;
use crate::output::{impact as impact_out, style};
use crate::queries::impact::impact;
use crate::session::Session;

/// Runs `impact`.
pub fn run(session: &Session, args: &ImpactArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let mut specs = args.targets.clone();
    if let Some(reference) = &args.changed_since {
        let changed = crate::git::changed_since(&analysis.root, reference)?;
        let mut outside = Vec::new();
        for path in changed {
            match analysis.modules.by_path(&path) {
                Some(id) => specs.push(analysis.name(id).to_string()),
                None => outside.push(path),
            }
        }
        if !outside.is_empty() {
            eprintln!(
                "{} {} changed Python file(s) are not in the graph (deleted, excluded or shadowed): {}",
                style::note(),
                outside.len(),
                outside.join(", ")
            );
        }
    }
    if specs.is_empty() {
        if args.changed_since.is_some() {
            eprintln!("no Python file changed: nothing is affected");
            return Ok(ExitCode::SUCCESS);
        }
        bail!("give at least one TARGET (module, file or module:Name) or --changed-since REF");
    }
    let targets = session.targets(&specs)?;
    let critical = &session.settings.critical;
    let result = timed(|| {
        impact(
            &analysis.graph,
            &analysis.modules,
            targets,
            session.settings.kinds_or(KindSet::ALL),
            args.depth,
            critical,
        )
    });
    let report = impact_out::impact_json(analysis, &result, critical, args.depth);
    if args.tests_only {
        impact_out::tests_only(out, &report)?;
    } else if args.json {
        write_json(out, &report)?;
    } else {
        impact_out::impact_text(out, &report)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
