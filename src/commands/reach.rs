//! `dependents` and `dependencies`: everything that imports TARGET, or
//! that TARGET imports, transitively, with depth and chain. A `dependents`
//! target may be a symbol, whose users are depth 1.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::ReachArgs;
use crate::commands::{end_human, timed, write_json};
use crate::graph::KindSet;
use crate::output::reach;
use crate::queries::reach::{ReachTarget, Seed, Walk, tiered_search};
use crate::session::Session;

/// Runs `dependents` (`walk` = dependents) or `dependencies`.
pub fn run(
    session: &Session,
    args: &ReachArgs,
    walk: Walk,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let kinds = session.settings.kinds_or(KindSet::ALL);
    let (target, seeds) = match walk {
        Walk::Dependents => {
            let target = session.target(&args.target)?;
            let symbol = target.seeds.iter().any(|s| s.depth > 0);
            (
                ReachTarget {
                    label: target.label,
                    symbol,
                },
                target.seeds,
            )
        }
        Walk::Dependencies => {
            let id = session.module(&args.target)?;
            (
                ReachTarget {
                    label: analysis.name(id).to_string(),
                    symbol: false,
                },
                vec![Seed::target(id)],
            )
        }
    };
    let results = timed(|| {
        tiered_search(
            &analysis.graph,
            analysis.modules.len(),
            &seeds,
            walk,
            kinds,
            args.depth,
        )
    });
    if args.json {
        write_json(
            out,
            &reach::json(analysis, &target, kinds, args.depth, &results),
        )?;
    } else {
        reach::text(out, analysis, &target, walk, kinds, &results)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
