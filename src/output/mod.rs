//! Rendering answers: JSON for scripts, aligned text for people, DOT and
//! Mermaid for drawings.
//!
//! Output modules receive finished analyses and query results; they format,
//! they never compute. JSON shapes are plain serde structs built here so the
//! documented schema lives in one place.

pub mod check;
pub mod dot;
pub mod impact;
pub mod json;
pub mod mermaid;
pub mod radius;
pub mod report;
pub mod style;
pub mod symbols;
pub mod text;
