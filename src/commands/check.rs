//! `check`: the CI gate. Runs the configured rules, sets the result
//! against a baseline when one is given, prints the violations in the
//! chosen format and exits 1 when any fails the check.

use std::io::Write;
use std::process::ExitCode;

use crate::check::Check;
use crate::check::baseline;
use crate::cli::args::{CheckArgs, CheckFormat};
use crate::commands::{end_human, write_json};
use crate::output::check as check_out;
use crate::output::style;
use crate::session::Session;

/// Runs `check`.
pub fn run(session: &Session, args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let analysis = &session.analysis;
    let config = &session.settings.config;
    let root = &analysis.root;
    let result = Check::new(session)?.run()?;
    for &i in &result.unused_ignores {
        if let Some(entry) = config.ignore.get(i) {
            eprintln!(
                "{} {}ignore[{i}] (rule {}) allowed no violation; remove it if the exception is gone",
                style::note(),
                config.key_prefix,
                entry.rule
            );
        }
    }
    let total = result.violations.len();
    let configured = config.baseline.as_ref().map(|file| root.join(file));
    let baseline_file = args.baseline.as_ref().or(configured.as_ref());
    if args.update_baseline && baseline_file.is_none() {
        anyhow::bail!(
            "--update-baseline needs a baseline: give --baseline FILE or set `baseline` in the configuration"
        );
    }
    let (failing, baseline_json) = match baseline_file {
        None => (result.violations, None),
        Some(file) => {
            let applied = baseline::apply(file, result.violations, args.update_baseline)?;
            let comparison = &applied.comparison;
            if applied.updated {
                eprintln!(
                    "baseline {}: recorded {total} violation(s); {} fixed one(s) dropped",
                    file.display(),
                    comparison.fixed_count()
                );
            } else {
                eprintln!(
                    "baseline {}: {} fixed, {} remaining, {} new",
                    file.display(),
                    comparison.fixed_count(),
                    comparison.remaining,
                    comparison.new.len()
                );
                if comparison.fixed_count() > 0 {
                    eprintln!(
                        "{} run with --update-baseline to drop the fixed entries",
                        style::note()
                    );
                }
            }
            let json = check_out::BaselineJson::new(file, applied.updated, comparison);
            (applied.failing().to_vec(), Some(json))
        }
    };
    match args.format {
        CheckFormat::Text => check_out::text(out, root, &failing)?,
        CheckFormat::Github => check_out::github(out, root, &failing)?,
        CheckFormat::Json => write_json(
            out,
            &check_out::json(
                root,
                &failing,
                result.ignored,
                baseline_json,
                analysis.incomplete(),
            ),
        )?,
        CheckFormat::Sarif => write_json(out, &check_out::sarif(root, &failing))?,
    }
    let ignored = match result.ignored {
        0 => String::new(),
        n => format!(" ({n} allowed by ignore entries)"),
    };
    let new = if baseline_file.is_some() { " new" } else { "" };
    let code = if failing.is_empty() {
        eprintln!("check: no{new} violations{ignored}");
        ExitCode::SUCCESS
    } else {
        eprintln!("check: {}{new} violation(s){ignored}", failing.len());
        ExitCode::from(1)
    };
    if matches!(args.format, CheckFormat::Text | CheckFormat::Github) {
        end_human(out, session)?;
    }
    Ok(code)
}
