//! The caveats of a history file that change how its counts read: cameras
//! whose first versions it lacks, versions that carry no timestamp, dates
//! without a zone. Each is a warning on stderr and a note the outputs
//! carry (or, with no zone at all, the error).
//!
//! In: the history read. Out: warnings through the reporter, notes.

use std::path::Path;

use camcount::error::Error;
use camcount::history::through::DateCount;
use camcount::history::History;
use camcount::output::metadata::{file_name, Note};

use crate::progress::Reporter;

/// Says when cameras lack their first versions in the file: before the
/// first version it holds, such a camera counts nowhere, and the figure
/// may be low. Monaco's history file, built from two snapshots, holds
/// three cameras from their version 2 only.
pub fn warn_missing_versions(reporter: &Reporter, history: &History, input: &Path) -> Option<Note> {
    let missing = history.cameras_without_first_version();
    let &(kind, id, version, timestamp) = missing.iter().min_by_key(|m| (m.3, m.1))?;
    let newest = missing.iter().map(|m| m.3).max().unwrap_or(timestamp);
    // To the second: a count at 07:31:50 on the day of a camera's first
    // version at 07:31:54 misses it, and "before 2026-04-27" did not say
    // so (found 2026-12-05).
    let (first, until) = (
        camcount::dates::iso_day(timestamp),
        camcount::history::through::date_label(Some(newest)),
    );
    let n = missing.len();
    reporter.warn(&format!(
        "{} of {} {} at a later version than 1 (e.g. {}/{id} at version {version}, {first}): \
         the file lacks their earlier versions, so counts before {until} may miss them",
        match n {
            1 => "1 camera".to_string(),
            n => format!("{n} cameras"),
        },
        file_name(input),
        if n == 1 { "starts" } else { "start" },
        kind.as_str(),
    ));
    // The figures go out with the caveat: on stderr alone, no output said
    // that Monaco's 2021 count may miss 3 cameras (found 2026-12-05).
    Some(Note {
        en: format!(
            "{} of {} {} at a later version than 1: the file lacks their earlier versions, so counts before {until} may miss {}.",
            if n == 1 { "1 camera".to_string() } else { format!("{n} cameras") },
            file_name(input),
            if n == 1 { "starts" } else { "start" },
            if n == 1 { "it" } else { "them" },
        ),
        fr: format!(
            "{n} {} de {} {} à une version postérieure à 1 : le fichier n'a pas leurs versions antérieures, et les comptes avant le {until} peuvent {} manquer.",
            if n == 1 { "caméra" } else { "caméras" },
            file_name(input),
            if n == 1 { "commence" } else { "commencent" },
            if n == 1 { "la" } else { "les" },
        ),
    })
}

/// Says when versions carry no timestamp: they stand at every date, as
/// `osmium time-filter` reads them, so a camera of no date counts in 2000
/// as in 2026 (found 2026-12-05, while a warning said every count before
/// the oldest object was 0). A file with no timestamp at all is refused.
pub fn warn_undated(reporter: &Reporter, history: &History, input: &Path) -> Option<Note> {
    let n = history.undated_versions();
    if n == 0 {
        return None;
    }
    let versions = if n == 1 { "version" } else { "versions" };
    reporter.warn(&format!(
        "{n} {versions} of {} {} no timestamp: counted as standing at every date, as osmium \
         time-filter reads them; check them (`osmium cat -f opl`) before printing an early figure",
        file_name(input),
        if n == 1 { "carries" } else { "carry" },
    ));
    Some(Note {
        en: format!(
            "{n} {versions} of {} {} no timestamp: {} counted at every date.",
            file_name(input),
            if n == 1 { "carries" } else { "carry" },
            if n == 1 { "it is" } else { "they are" },
        ),
        fr: format!(
            "{n} {} de {} sans horodatage : {} à toutes les dates.",
            if n == 1 { "version" } else { "versions" },
            file_name(input),
            if n == 1 {
                "elle est comptée"
            } else {
                "elles sont comptées"
            },
        ),
    })
}

/// No zone to count in: said of the date whose zones count, not of the
/// file. "holds no boundary relation of admin_level 8" read false of the
/// Monaco history, which holds some from 2019 on, counted to 2019-01-01
/// (found 2026-12-05).
pub fn no_zones_at(input: &Path, levels: &[u8], labels: &[String], each_date: bool) -> Error {
    let levels: Vec<String> = levels.iter().map(u8::to_string).collect();
    let levels = levels.join(",");
    let last = labels.last().map_or("", String::as_str);
    let (when, remedy) = match each_date {
        true => (
            "at any of the dates asked for".to_string(),
            "count at the dates it holds them",
        ),
        false => (
            format!("at {last}, the last date, whose zones every date is counted in"),
            "end at a date it holds them",
        ),
    };
    let message = format!(
        "holds no boundary relation of admin_level {levels} {when}, though it holds some at other dates; {remedy}, give other --admin-level values or --boundaries communes.geojson (IGN's, say), or list the cameras alone with `camcount cameras --at`"
    );
    Error::input(input, message)
}

/// With each date's own zones, the dates at which the file holds none:
/// they had no row in the long table and no word, only a total (found
/// 2026-12-05). Said on stderr and in every output.
pub fn dates_without_zones(
    counts: &[DateCount],
    labels: &[String],
    each_date: bool,
    input: &Path,
) -> Option<Note> {
    if !each_date {
        return None;
    }
    let bare: Vec<&str> = (counts.iter().zip(labels))
        .filter(|(c, _)| c.count.rows.is_empty())
        .map(|(_, label)| label.as_str())
        .collect();
    if bare.is_empty() {
        return None;
    }
    let n = bare.len();
    let dates = bare.join(", ");
    Some(Note {
        en: format!(
            "{} holds no boundary relation at {dates}: {} no zone row, and the cameras of {} are in the totals only.",
            file_name(input),
            if n == 1 { "that date has" } else { "those dates have" },
            if n == 1 { "that date" } else { "those dates" },
        ),
        fr: format!(
            "{} ne contient aucune relation de limite au {dates} : {} de ligne de zone, et les caméras {} ne sont que dans les totaux.",
            file_name(input),
            if n == 1 { "cette date n'a pas" } else { "ces dates n'ont pas" },
            if n == 1 { "de cette date" } else { "de ces dates" },
        ),
    })
}
