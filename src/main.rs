//! The `blastradius` binary: everything lives in the library; see `cli`.

#![deny(clippy::unwrap_used, clippy::expect_used)]

/// Parsing allocates many small AST nodes on several threads; mimalloc
/// handles that much better than the system allocator (malloc and free were
/// a fifth of the profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    blastradius::cli::main()
}
