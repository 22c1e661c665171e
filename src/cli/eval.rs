//! `eval`: scores the knowledge on a labelled question file.

use anyhow::Context;
use microneedling_bot::eval::{evaluate, parse_cases, Kind};
use microneedling_bot::settings::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Question file (JSON lines: id, q, kind, topic, expect).
    file: PathBuf,
    /// Knowledge directory (default: the settings' knowledge.dir).
    #[arg(long, value_name = "DIR")]
    knowledge: Option<PathBuf>,
    /// Fail (exit 1) when `answer` accuracy is below this.
    #[arg(long, value_name = "RATIO", default_value_t = 0.0)]
    min_answer: f64,
    /// Fail when `no_match` accuracy is below this.
    #[arg(long, value_name = "RATIO", default_value_t = 0.0)]
    min_no_match: f64,
    /// Fail when `urgent` accuracy is below this.
    #[arg(long, value_name = "RATIO", default_value_t = 0.0)]
    min_urgent: f64,
}

pub fn run(args: Args, settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = super::engine(args.knowledge, settings)?;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let cases = parse_cases(&text).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow::anyhow!("{}: {}", args.file.display(), lines.join("; "))
    })?;
    let report = evaluate(&engine, &cases);
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        write!(out, "{report}")?;
        out.flush()?;
    }
    let mut ok = true;
    for (kind, floor) in [
        (Kind::Answer, args.min_answer),
        (Kind::NoMatch, args.min_no_match),
        (Kind::Urgent, args.min_urgent),
    ] {
        if let Some(acc) = report.accuracy(kind) {
            if acc < floor {
                eprintln!("below floor: {kind:?} accuracy {acc:.3} < {floor}");
                ok = false;
            }
        }
    }
    if report.urgent_answered > 0 {
        eprintln!(
            "unsafe: {} urgent message(s) got an ordinary answer",
            report.urgent_answered
        );
        ok = false;
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
