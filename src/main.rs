//! The `blastradius` binary: everything lives in the library; see `cli`.

fn main() -> std::process::ExitCode {
    blastradius::cli::main()
}
