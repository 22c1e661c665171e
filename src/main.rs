//! The `microneedling-bot` command: parses the command line and hands over to
//! the matching command in `cli/`.

mod cli;

use std::process::ExitCode;

/// Answering allocates many small, short-lived strings and vectors;
/// mimalloc serves those faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
