//! `check`: what a moderator runs before committing a knowledge edit.

use microneedling_bot::knowledge;
use microneedling_bot::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Knowledge directory (default: the settings' knowledge.dir, `knowledge`).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let dir = super::knowledge_dir(args.knowledge, settings);
    match knowledge::load(&dir) {
        Ok(k) => {
            print!("{}", k.summary());
            println!("OK: {} is valid", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprint!("{e}");
            eprintln!("FAILED: fix the problems above and run check again");
            Ok(ExitCode::FAILURE)
        }
    }
}
