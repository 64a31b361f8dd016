//! The `camcount` binary: parse the command line, run one command, map the
//! outcome to an exit code (0 ok, 1 data or I/O error, 2 usage).

mod cli;
mod cmd;
mod memory;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use camcount::error::{Error, Result};
use camcount::output::sink;
use cli::{Cli, Command};

#[global_allocator]
static ALLOCATOR: memory::CleanFailure = memory::CleanFailure;

fn main() -> ExitCode {
    memory::cap_arenas_under_a_limit();
    let cli = Cli::parse();
    sink::install_signal_cleanup();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("camcount: error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Some(Command::Cameras(args)) => cmd::cameras::run(args),
        Some(Command::Boundaries(args)) => cmd::boundaries::run(args),
        Some(Command::Inflate(args)) => cmd::inflate::run(args),
        None => match &cli.count.input {
            Some(input) => cmd::count::run(input, &cli.count),
            None => Err(Error::Usage(
                "missing INPUT.osm.pbf; see `camcount --help`".into(),
            )),
        },
    }
}
