//! Terminal colour for human output: bold table headers on stdout, and
//! coloured `error:`, `warning:` and `note:` prefixes on stderr.
//!
//! Decided once, by the CLI, from `--color` (`auto` honours `NO_COLOR`, a
//! `TERM` of `dumb`, and whether each stream is a terminal); off until
//! then, so the library and tests see plain text. It never changes what is
//! written, only how it looks: JSON, DOT, Mermaid and the report are never
//! coloured.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT: AtomicBool = AtomicBool::new(false);
static STDERR: AtomicBool = AtomicBool::new(false);

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour a stream only when it is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour (e.g. piping into `less -R`).
    Always,
    /// Never colour.
    Never,
}

/// Sets colour for stdout and stderr from `choice` and the environment.
pub fn configure(choice: ColorChoice) {
    let allowed = |is_terminal: bool| match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    };
    STDOUT.store(allowed(std::io::stdout().is_terminal()), Ordering::Relaxed);
    STDERR.store(allowed(std::io::stderr().is_terminal()), Ordering::Relaxed);
}

fn paint(on: &AtomicBool, code: &str, text: &str) -> String {
    if on.load(Ordering::Relaxed) {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// A table header cell on stdout.
pub fn header(text: &str) -> String {
    paint(&STDOUT, "1", text)
}

/// `error:` on stderr.
pub fn error() -> String {
    paint(&STDERR, "1;31", "error:")
}

/// `warning:` on stderr.
pub fn warning() -> String {
    paint(&STDERR, "1;33", "warning:")
}

/// `note:` on stderr.
pub fn note() -> String {
    paint(&STDERR, "1;36", "note:")
}
