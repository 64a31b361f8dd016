//! The dates a history run counts: those asked for (`--at`, or `--every`
//! to the newest object), checked against what the file can tell (a
//! timestamp on its objects, more than one version of them), then sorted,
//! with a date before the oldest object said and one past the data
//! counted at the data's end and labelled so.
//!
//! In: the options and the read [`History`]. Out: the dates, Unix seconds.

use std::path::Path;

use camcount::error::{Error, Result};
use camcount::history::through;
use camcount::history::{self, Every as Step, History};
use camcount::output::metadata::file_name;

use crate::cli::{Every, HistoryArgs};
use crate::progress::Reporter;

/// The dates asked for; `--every` runs to the newest object.
pub(super) fn dates(args: &HistoryArgs, history: &History, input: &Path) -> Result<Vec<i64>> {
    require_timestamps(history, input)?;
    let dates = match (args.every, args.from) {
        (Some(every), Some(from)) => {
            let until = history.last_timestamp.unwrap_or_default();
            if from > until {
                return Err(Error::Usage(format!(
                    "--from {} is after the newest object of {} ({}): nothing to count",
                    through::date_label(Some(from)),
                    file_name(input),
                    camcount::dates::iso_instant(until)
                )));
            }
            let step = match every {
                Every::Year => Step::Year,
                Every::Quarter => Step::Quarter,
                Every::Month => Step::Month,
            };
            history::dates_every(from, step, until)
        }
        _ => args.at.clone(),
    };
    Ok(dates)
}

/// A file whose objects carry no timestamp cannot tell what stood at a
/// date: every version would count at every date, each figure labelled
/// with a date the file knows nothing of. Nor can a snapshot marked as
/// history: it holds each object's newest version only, so a camera edited
/// since a date is missing at that date (found 2026-12-05: Monaco's 2026
/// snapshot so marked read 9 cameras in 2021, where the history holds 11).
/// When every object kept was never edited (all at version 1), one
/// version each is the whole history, and the file is taken.
pub(super) fn require_timestamps(history: &History, input: &Path) -> Result<()> {
    if history.last_timestamp.is_none() {
        return Err(Error::input(
            input,
            "no object carries a timestamp, so the file cannot tell what stood at a date; give \
             a history file with its metadata (as osmium and planet dumps write them), or count \
             its newest state with `camcount FILE`",
        ));
    }
    // Past version 1 with no object holding two versions: a snapshot. The
    // kept objects alone (cameras, boundaries) may all be at version 1, as
    // the 2021 Monaco snapshot's cameras are (found 2026-12-05).
    if history.one_version_each() && history.max_version > 1 {
        let example = match history.first_past_version_one() {
            Some((kind, id, version)) => {
                format!("{}/{id} only at version {version}", kind.as_str())
            }
            None => format!("objects up to version {}", history.max_version),
        };
        return Err(Error::input(
            input,
            format!(
                "holds one version of each object, though its header says history ({example}): \
                 a snapshot, which cannot tell what stood at an earlier date; give a \
                 full-history file (.osh.pbf from a history dump), or compare two dated \
                 snapshots with `camcount compare OLD NEW`",
            ),
        ));
    }
    Ok(())
}

/// The day the file's data reach: the start of the day after its newest
/// object, or its header's replication timestamp if later. The state
/// there is the file's newest; at any later date the file cannot say.
fn data_end(history: &History) -> Option<i64> {
    let header = camcount::dates::plausible(history.header_timestamp);
    let newest = history.last_timestamp.max(header)?;
    Some(newest.div_euclid(86_400) * 86_400 + 86_400 * i64::from(newest % 86_400 != 0))
}

/// The dates to count, sorted and each once. A date before the oldest
/// object gives a documented result (nothing yet), said once. A date after
/// the file's data is counted at [`data_end`] and labelled so: the file's
/// newest state is no figure of a date it does not reach.
pub(super) fn settle(reporter: &Reporter, history: &History, mut dates: Vec<i64>) -> Vec<i64> {
    if let Some(first) = history.first_timestamp {
        // One line for them all: `--every month --from 1900-01-01` gave
        // 1,284 lines, one a month (found 2026-12-05).
        let early: Vec<i64> = dates.iter().copied().filter(|&d| d < first).collect();
        let shown = match early[..] {
            [] => None,
            [date] => Some(through::date_label(Some(date))),
            [from, .., to] => Some(format!(
                "{} dates, {} to {}, are",
                early.len(),
                through::date_label(Some(from)),
                through::date_label(Some(to))
            )),
        };
        if let Some(shown) = shown {
            // Versions without a timestamp stand at every date: "every count
            // is 0" was false beside them (found 2026-12-05).
            let then = match history.undated_versions() {
                0 => "nothing existed yet, every count is 0".to_string(),
                1 => "nothing dated existed yet; only the version without a timestamp stands then"
                    .to_string(),
                n => format!(
                    "nothing dated existed yet; only the {n} versions without a timestamp stand then"
                ),
            };
            let shown = match early.len() {
                1 => format!("{shown} is"),
                _ => shown,
            };
            reporter.warn(&format!(
                "{shown} before the oldest object of the file ({}): {then}",
                camcount::dates::iso_instant(first)
            ));
        }
    }
    if let (Some(end), Some(newest)) = (data_end(history), history.last_timestamp) {
        for date in dates.iter_mut().filter(|d| **d > end) {
            reporter.warn(&format!(
                "{} is after the file's data (newest object {}): counted and labelled as {}, the file's newest state",
                through::date_label(Some(*date)),
                camcount::dates::iso_instant(newest),
                through::date_label(Some(end)),
            ));
            *date = end;
        }
    }
    dates.sort_unstable();
    dates.dedup();
    dates
}
