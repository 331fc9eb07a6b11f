//! `graph`: the summary, the whole analysis as JSON, or an export (DOT,
//! Mermaid, subgraph JSON) of the part `--focus`, `--collapse` and
//! `--kinds` select.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::{GraphArgs, GraphDirection, GraphFormat};
use crate::commands::write_json;
use crate::graph::KindSet;
use crate::output::{dot, graph, mermaid};
use crate::queries::reach::Walk;
use crate::queries::subgraph::{Focus, Selection, select};
use crate::session::Session;

/// Runs `graph`.
pub fn run(session: &Session, args: &GraphArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let subgraph = |selection: &Selection| select(&analysis.graph, &analysis.modules, selection);
    match args.format {
        GraphFormat::Text => graph::text(out, analysis)?,
        GraphFormat::Json if !args.selects() => write_json(out, &graph::json(analysis))?,
        GraphFormat::Json => {
            let selection = selection(session, args)?;
            let sub = subgraph(&selection);
            write_json(out, &graph::subgraph_json(analysis, &selection, &sub))?;
        }
        GraphFormat::Dot => dot::write(out, &subgraph(&selection(session, args)?))?,
        GraphFormat::Mermaid => mermaid::write(out, &subgraph(&selection(session, args)?))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The subgraph selection of `graph`'s options; an unknown --focus is an error.
fn selection(session: &Session, args: &GraphArgs) -> anyhow::Result<Selection> {
    let focus = match &args.focus {
        Some(target) => Some(Focus {
            module: session.module(target)?,
            walk: match args.direction {
                GraphDirection::Dependents => Walk::Dependents,
                GraphDirection::Dependencies => Walk::Dependencies,
            },
            depth: args.depth,
        }),
        None => None,
    };
    Ok(Selection {
        focus,
        collapse: args.collapse,
        kinds: session.settings.kinds_or(KindSet::STATEMENTS),
    })
}
