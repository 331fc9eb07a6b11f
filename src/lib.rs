//! blastradius: the import graph and blast radius of a Python codebase.
//!
//! The pipeline runs forward through plain data: [`discover`] names the files,
//! [`source`] reads and decodes them, [`extract`] parses each one (the only
//! module that sees the parser's AST; [`cache`] keeps its results between
//! runs), [`resolve`] maps imports to modules,
//! [`graph`] holds the module graph, [`queries`] answer questions over it and
//! [`output`] renders answers. [`analysis`] drives the stages; [`check`]
//! holds the configured architecture rules against them; [`cli`] is the
//! command-line edge.

// Nothing that depends on input may panic: no unwrap/expect outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod analysis;
pub mod atomic;
pub mod cache;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod environment;
pub mod error;
pub mod extract;
pub mod git;
pub mod graph;
pub mod init;
pub mod lines;
pub mod migrate;
pub mod output;
pub mod pytest;
pub mod queries;
pub mod report;
pub mod resolve;
pub mod session;
pub mod source;
pub mod stdlib;
pub mod summary;
pub mod symbols;

pub use error::{Error, Result};
