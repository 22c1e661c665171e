//! The `microneedling-bot` command: parses the command line and hands over to
//! the matching command in `cli/`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
