//! What camcount tells a person on stderr: a progress bar, stage logs under
//! `-v`, one summary line, warnings. Stages never print; they return counts
//! and this module words them.
//!
//! The bar shows only on a terminal (not under `TERM=dumb`), unless
//! `--progress` or `--no-progress` says otherwise.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

use crate::cli::CommonArgs;

/// How much to say on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

pub struct Reporter {
    verbosity: Verbosity,
    show_bar: bool,
}

impl Reporter {
    pub fn new(args: &CommonArgs) -> Self {
        let verbosity = if args.quiet {
            Verbosity::Quiet
        } else if args.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        let show_bar = if args.progress {
            true
        } else if args.no_progress || args.quiet {
            false
        } else {
            std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
        };
        Reporter {
            verbosity,
            show_bar,
        }
    }

    /// True under `-v`, for stages that cost time only to be reported.
    pub fn verbose(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    /// A byte-counting bar for reading `total` bytes, hidden when not wanted.
    pub fn bytes_bar(&self, total: u64) -> ProgressBar {
        if !self.show_bar {
            return ProgressBar::hidden();
        }
        let target = match std::io::stderr().is_terminal() {
            true => ProgressDrawTarget::stderr(),
            false => ProgressDrawTarget::term_like(Box::new(ForcedStderr)),
        };
        let bar = ProgressBar::with_draw_target(Some(total), target);
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar
    }

    /// A stage log line, under `-v` only.
    pub fn stage(&self, stage: &str, elapsed: Duration, detail: &str) {
        if self.verbosity >= Verbosity::Verbose {
            say(&format!(
                "camcount: [{stage}] {detail} in {:.3} s",
                elapsed.as_secs_f64()
            ));
        }
    }

    /// The summary line, unless `-q`.
    pub fn summary(&self, line: &str) {
        if self.verbosity >= Verbosity::Normal {
            say(&format!("camcount: {line}"));
        }
    }

    /// A detail worth a line under `-v` only.
    pub fn detail(&self, line: &str) {
        if self.verbosity >= Verbosity::Verbose {
            say(&format!("camcount: note: {line}"));
        }
    }

    /// A warning, unless `-q`.
    pub fn warn(&self, line: &str) {
        if self.verbosity >= Verbosity::Normal {
            say(&format!("camcount: warning: {line}"));
        }
    }

    /// The warnings a side file gave, each naming it: the first
    /// [`FILE_WARNINGS`], then how many more (all of them under `-v`). A
    /// population file with "11.936"-style thousands gave one line per
    /// row, 10,148, and hid everything else (found 2026-12-05).
    pub fn warn_file(&self, path: &std::path::Path, warnings: &[String]) {
        let shown = match self.verbosity >= Verbosity::Verbose {
            true => warnings.len(),
            false => warnings.len().min(FILE_WARNINGS),
        };
        for warning in &warnings[..shown] {
            self.warn(&format!("{}: {warning}", path.display()));
        }
        if shown < warnings.len() {
            self.warn(&format!(
                "{}: {} more warnings like these (-v shows them all)",
                path.display(),
                warnings.len() - shown
            ));
        }
    }
}

/// Writes a line to stderr. An stderr that cannot be written (`2>/dev/full`)
/// loses the line and nothing else: `eprintln!` panicked there, exit 101,
/// after the output was in place (found 2026-12-06).
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// How many warnings of one side file are shown without `-v`.
pub const FILE_WARNINGS: usize = 10;

/// Megabytes per second, guarding against a zero duration.
pub fn megabytes_per_second(bytes: u64, elapsed: Duration) -> f64 {
    bytes as f64 / 1e6 / elapsed.as_secs_f64().max(1e-6)
}

/// stderr as indicatif's terminal, for `--progress` where stderr is no
/// terminal: indicatif's own stderr target hides itself there, so the
/// flag drew nothing (found 2026-12-06). The bar is drawn as on a
/// terminal, cursor codes and all: what `--progress` asks for.
#[derive(Debug)]
struct ForcedStderr;

impl ForcedStderr {
    fn put(&self, text: &str) -> std::io::Result<()> {
        use std::io::Write;
        std::io::stderr().write_all(text.as_bytes())
    }

    fn cursor(&self, n: usize, code: char) -> std::io::Result<()> {
        match n {
            0 => Ok(()),
            n => self.put(&format!("\x1b[{n}{code}")),
        }
    }
}

impl TermLike for ForcedStderr {
    fn width(&self) -> u16 {
        80
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.cursor(n, 'D')
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.put(&format!("{s}\n"))
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.put(s)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.put("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        use std::io::Write;
        std::io::stderr().flush()
    }
}
