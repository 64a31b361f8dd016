//! The `camcount` binary: parse the command line, run one command, map the
//! outcome to an exit code (0 ok, 1 data or I/O error, 2 usage).

mod cli;
mod cmd;
mod memory;
mod progress;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use camcount::error::{Error, Result};
use camcount::output::sink;
use cli::{Cli, Command};

#[global_allocator]
static ALLOCATOR: memory::CleanFailure = memory::CleanFailure;

fn main() -> ExitCode {
    // Before the work: a stdout that takes no writes fails the run now.
    sink::check_stdout();
    memory::tune_malloc();
    let cli = parse();
    camcount::temp_files::install_signal_cleanup();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(err) => {
            progress::say(&format!("camcount: error: {err}"));
            ExitCode::from(err.exit_code())
        }
    }
}

/// Parses the command line. The count's own options (and its input) before
/// a subcommand would be ignored by it, so they are a usage error; the
/// global options (`-o`, `-j`, `-v`, `-q`, progress) go anywhere.
fn parse() -> Cli {
    let matches = Cli::command()
        .try_get_matches()
        .unwrap_or_else(|e| exit_with(e));
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| exit_with(e));
    settle_format(&mut cli, &matches);
    if let Some((name, _)) = matches.subcommand() {
        let mut command = Cli::command();
        let misplaced = command.get_arguments().find(|arg| {
            !arg.is_global_set()
                && matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine)
        });
        let shown = misplaced.map(|arg| {
            arg.get_long()
                .map_or_else(|| arg.get_id().to_string(), |l| format!("--{l}"))
        });
        if let Some(shown) = shown {
            let error = command.error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!("{shown} belongs to the count, not to `camcount {name}`; options of `{name}` go after it"),
                );
            exit_with(error);
        }
    }
    cli
}

/// The format `-o`'s extension names, when `-f` is not given; a
/// contradiction is a usage error (see [`cli::extension`]).
fn settle_format(cli: &mut Cli, matches: &clap::ArgMatches) {
    use cli::extension::settle;
    let (name, local) = matches.subcommand().unwrap_or(("camcount", matches));
    // Asked only of commands that have `-f`: clap's debug builds panic on
    // an id a command lacks (`completions`, `man`).
    let given = || local.value_source("format") == Some(ValueSource::CommandLine);
    let output = cli.common.output.as_deref();
    let settled = match &mut cli.command {
        None => settle(&mut cli.count.format, given(), output, name),
        Some(Command::Cameras(args)) => settle(&mut args.rows.format, given(), output, name),
        Some(Command::Boundaries(args)) => settle(&mut args.rows.format, given(), output, name),
        Some(Command::History(args)) => settle(&mut args.format, given(), output, name),
        Some(Command::Compare(args)) => settle(&mut args.format, given(), output, name),
        Some(_) => Ok(()),
    };
    if let Err(message) = settled {
        // The usage shown is the command's own, as clap shows it.
        let mut top = Cli::command();
        top.build();
        let mut command = match top.find_subcommand_mut(name) {
            Some(sub) => sub.clone(),
            None => top,
        };
        exit_with(command.error(clap::error::ErrorKind::ArgumentConflict, message));
    }
}

/// Ends a run the command line decided: help and version on stdout (exit
/// 0, or 1 when stdout takes no writes: `--help > /dev/full` exited 0),
/// any other message as one line on stderr, exit 2. Clap's own errors ran
/// to eight lines with the usage block, without the `camcount:` that
/// starts every other error (found 2026-12-06); the lines that say what
/// is wrong (the possible values, a tip) are kept, on the one line.
fn exit_with(error: clap::Error) -> ! {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            if let Err(e) = sink::require_stdout() {
                progress::say(&format!("camcount: error: {e}"));
                std::process::exit(1)
            }
            let written = error.print().and_then(|()| {
                use std::io::Write as _;
                std::io::stdout().flush()
            });
            match written {
                Ok(()) => std::process::exit(0),
                Err(e) => match Error::write(std::path::Path::new("<stdout>"), e) {
                    // `camcount --help | head`: no error.
                    Error::BrokenPipe => std::process::exit(0),
                    e => {
                        progress::say(&format!("camcount: error: {e}"));
                        std::process::exit(1)
                    }
                },
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            let text = error.render().to_string();
            let said: Vec<&str> = (text.lines())
                .take_while(|line| !line.starts_with("Usage:"))
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
                .collect();
            let said = said.join(" ");
            let said = said.strip_prefix("error: ").unwrap_or(&said);
            progress::say(&format!("camcount: error: {said}; see `camcount --help`"));
            std::process::exit(2)
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Some(Command::Completions { .. } | Command::Man) => run_command(cli),
        _ => cmd::with_threads(&cli.common, || run_command(cli)),
    }
}

fn run_command(cli: &Cli) -> Result<()> {
    let common = &cli.common;
    match &cli.command {
        Some(Command::Cameras(args)) => cmd::cameras::run(args, common),
        Some(Command::Boundaries(args)) => cmd::boundaries::run(args, common),
        Some(Command::Inflate(args)) => cmd::inflate::run(args, common),
        Some(Command::History(args)) => cmd::history::run(args, common),
        Some(Command::Compare(args)) => cmd::compare::run(args, common),
        // Written through a sink, as the tables are: `-o` was ignored
        // here, the script printed and no file made (found 2026-12-06).
        Some(Command::Completions { shell }) => {
            // Generated into memory: clap_complete panics on a write error,
            // and a reader that goes away (`| head`) is no error.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "camcount", &mut script);
            let mut sink = sink::Sink::create(common.output.as_deref())?;
            sink.render(|out| out.write_all(&script))?;
            sink.commit()
        }
        Some(Command::Man) => {
            let mut sink = sink::Sink::create(common.output.as_deref())?;
            sink.render(|out| clap_mangen::Man::new(Cli::command()).render(out))?;
            sink.commit()
        }
        None => match &cli.count.input {
            Some(input) => cmd::count::run(input, &cli.count, common),
            None => Err(Error::Usage(
                "missing INPUT.osm.pbf; see `camcount --help`".into(),
            )),
        },
    }
}
