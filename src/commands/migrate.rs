//! `migrate`: plans the rewrite of NAME's imports to its canonical module,
//! prints the diff (or the JSON plan), and with `--apply` writes the files
//! and checks the result; exit 1 when anything still goes through the old
//! modules or an import broke.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::MigrateArgs;
use crate::commands::write_json;
use crate::migrate::{self, MigrateOptions, Migrated, Outcome};
use crate::output::migrate::{self as migrate_out, Asked};
use crate::session::Session;

/// Runs `migrate`.
pub fn run(session: &Session, args: &MigrateArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let to = session.module(&args.to)?;
    let from = args
        .from
        .iter()
        .map(|m| session.module(m))
        .collect::<Result<Vec<_>, _>>()?;
    let origins = session.origins();
    let index = session.index();
    let plan = migrate::plan(
        analysis,
        &origins,
        index,
        &MigrateOptions {
            name: args.name.clone(),
            to,
            from,
            include_strings: args.include_strings,
        },
    )?;
    let old_modules: Vec<String> = plan
        .old_modules
        .iter()
        .map(|&m| analysis.name(m).to_string())
        .collect();
    let mut outcome = Outcome::default();
    if args.apply {
        migrate::apply(&analysis.root, &plan, args.allow_dirty)?;
        outcome = migrate::verify(
            analysis,
            index,
            &session.settings.discover,
            &session.settings.run,
            &Migrated {
                name: &args.name,
                to: &args.to,
                old_modules: &old_modules,
                include_strings: args.include_strings,
                remove_shim: args.remove_shim,
            },
        )?;
    } else if args.remove_shim {
        outcome.shim_dependents = migrate::shim_dependents(analysis, &old_modules);
    }
    let asked = Asked {
        old_modules: &old_modules,
        apply: args.apply,
        remove_shim: args.remove_shim,
    };
    if args.json {
        // Keys in alphabetical order at every level, as this document
        // always had them.
        let document = serde_json::to_value(migrate_out::json(analysis, &plan, &outcome, asked))?;
        write_json(out, &document)?;
    } else {
        if !args.apply {
            migrate_out::diff(out, &plan)?;
        }
        out.flush()?;
        for note in migrate_out::notes(analysis, &plan, &outcome, asked) {
            eprintln!("{note}");
        }
    }
    let failed = args.apply && (!outcome.remaining.is_empty() || !outcome.broken.is_empty());
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
