//! `duplicates`: names with two or more distinct definitions, most used
//! first, each with a suggested canonical origin.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::{DefinitionKind, DuplicatesArgs, GroupClass};
use crate::commands::{end_human, write_json};
use crate::extract::BindingKind;
use crate::output::symbols;
use crate::session::Session;
use crate::symbols::duplicates::{DuplicateClass, DuplicateOptions};

/// Runs `duplicates`.
pub fn run(
    session: &Session,
    args: &DuplicatesArgs,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let origins = session.origins();
    let index = session.index();
    let options = DuplicateOptions {
        include_tests: args.include_tests,
        include_private: args.include_private,
        min_origins: args.min_origins as usize,
        kind: args.kind.map(|k| match k {
            DefinitionKind::Class => BindingKind::Class,
            DefinitionKind::Function => BindingKind::Function,
        }),
    };
    let mut found = session.duplicates(&options);
    if !args.class.is_empty() {
        let wanted: Vec<DuplicateClass> = args
            .class
            .iter()
            .map(|c| match c {
                GroupClass::Copy => DuplicateClass::Copy,
                GroupClass::Fallback => DuplicateClass::Fallback,
                GroupClass::Homonym => DuplicateClass::Homonym,
            })
            .collect();
        found.retain(|d| wanted.contains(&d.class));
    }
    if args.json {
        write_json(out, &symbols::duplicates_json(&origins, index, &found))?;
    } else {
        symbols::duplicates_text(out, &origins, index, &found, args.all)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
