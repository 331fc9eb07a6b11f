//! `duplicates`: names with two or more distinct definitions, most used
//! first, each with a suggested canonical origin.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::args::{DefinitionKind, DuplicatesArgs};
use crate::commands::{end_human, write_json};
use crate::extract::BindingKind;
use crate::output::symbols;
use crate::session::Session;
use crate::symbols::duplicates::{DuplicateOptions, find_duplicates};

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
    let found = find_duplicates(&origins, index, &options);
    if args.json {
        write_json(out, &symbols::duplicates_json(&origins, index, &found))?;
    } else {
        symbols::duplicates_text(out, &origins, index, &found)?;
        end_human(out, session)?;
    }
    Ok(ExitCode::SUCCESS)
}
