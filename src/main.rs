//! The `almanac` binary: parse the arguments, run the command, exit with its status
//! (0 success, 1 problems in the collection, 2 usage errors).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    almanac::cli::run(almanac::cli::Args::parse())
}

// Rendering allocates many short-lived strings and values on every thread;
// mimalloc handles that pattern markedly better than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
