//! What a count says on stderr once it is done: the summary lines, the
//! warnings on overlaps, shared codes and the side files' joins, and the
//! stage time of the whole run.
//!
//! Why apart from the run: the run counts and writes the outputs; this
//! reads what it counted and says it, in the order a reader checks it.
//!
//! In: the count ([`Counted`]) and the reporter. Out: lines on stderr.

use std::path::Path;

use camcount::output::markdown::Lang as ReportLang;
use camcount::output::metadata::Source;
use camcount::pipeline::Count;

use super::{notes, Counted};
use crate::progress::Reporter;

/// "27 cameras: 23 in 8 of the 9 communes counted, 4 outside every one, 0 without a
/// position; 1 commune could not be built; OSM data as of 2026-07-10".
fn summary(counted: &Counted) -> Vec<String> {
    let t = &counted.count.totals;
    let date = counted.metadata.data_date.day();
    // Grouped as the count of cameras is ("70,479 cameras: 70007 in
    // 14064 of 35357 communes" mixed both, found 2026-12-06).
    let int = |n: u64| ReportLang::En.int(n);
    t.levels
        .iter()
        .map(|level| {
            let (one, many) = match level.admin_level.as_str() {
                "" | "8" => ("commune".to_string(), "communes".to_string()),
                n => (
                    format!("admin_level {n} zone"),
                    format!("admin_level {n} zones"),
                ),
            };
            let unbuilt = match level.zones - level.zones_ok - level.zones_beyond {
                0 => String::new(),
                1 => format!("; 1 {one} could not be built"),
                n => format!("; {} {many} could not be built", int(n as u64)),
            } + &match level.zones_beyond {
                0 => String::new(),
                n => format!("; {} beyond the extract, not counted", int(n as u64)),
            };
            // "0 in 0 of the 0 admin_level 4 zones counted" (found
            // 2026-12-05).
            if level.zones_ok == 0 {
                return format!(
                    "{}: no {one} could be counted, {} without a position{unbuilt}; OSM data as of {date}",
                    crate::cmd::cameras_noun(t.cameras), int(level.unplaced),
                );
            }
            let noun = |n: usize| if n == 1 { &one } else { &many };
            // "2 in 2 of 163 communes" read as a figure for all 163, 159
            // of which the extract does not reach (found 2026-12-05): of
            // the counted ones, as the reports say.
            let of = match level.zones_ok == level.zones {
                true => format!("{} {}", int(level.zones as u64), noun(level.zones)),
                false => format!("the {} {} counted", int(level.zones_ok as u64), noun(level.zones_ok)),
            };
            // "Outside every one" read as outside every commune, where
            // Monaco 2021's 10 cameras lie in communes the extract could
            // not build (found 2026-12-05).
            format!(
                "{}: {} in {} of {of}, {} outside every {one} counted, {} without a position{unbuilt}; OSM data as of {date}",
                crate::cmd::cameras_noun(t.cameras),
                int(level.inside),
                int(level.zones_with_cameras as u64),
                int(level.outside),
                int(level.unplaced),
            )
        })
        .collect()
}

/// `declared` is the declared file as given, for its warnings: they named
/// it as the reader's warnings do not ("nomatch.csv:" beside
/// "dc/nomatch.csv:", found 2026-12-06).
pub(super) fn report(
    reporter: &Reporter,
    counted: &Counted,
    declared: Option<&Path>,
    elapsed: std::time::Duration,
) {
    let count = &counted.count;
    for line in summary(counted) {
        reporter.summary(&line);
    }
    reporter.stage("total", elapsed, "run");
    for o in &count.overlaps {
        reporter.warn(&format!(
            "{} and {} ({}) overlap: {} {} inside both {} counted in the first only, \
             and the second's figure is short of {}; check the boundaries (a relation missing \
             its inner members, two files of one level)",
            o.counted_in,
            o.left_out,
            match o.admin_level.as_str() {
                "" => "--boundaries polygons".to_string(),
                level => format!("admin_level {level}"),
            },
            o.cameras,
            if o.cameras == 1 { "camera" } else { "cameras" },
            if o.cameras == 1 { "is" } else { "are" },
            if o.cameras == 1 { "it" } else { "them" },
        ));
    }
    if let Some(warning) = notes::shared_codes_warning(&count.rows) {
        reporter.warn(&warning);
    }
    if let Source::File(_) = counted.metadata.population {
        report_population(reporter, count);
    }
    if let (Some(_), Some(path)) = (&counted.metadata.declared, declared) {
        let source = path.display();
        let matched = count.rows.iter().filter(|r| r.declared.is_some()).count();
        let join = &count.declared;
        reporter.summary(&format!(
            "declared file: {}, {} no commune{}",
            communes_matched(matched),
            match join.unmatched.len() {
                1 => "1 code matches".to_string(),
                n => format!("{n} codes match"),
            },
            match join.split.len() {
                0 => String::new(),
                n => format!(", {n} for communes merged since that the zones hold in parts"),
            } + &match join.superseded.len() {
                0 => String::new(),
                n => format!(", {n} under former codes of communes that declare their own"),
            } + &match join.partial.len() {
                0 => String::new(),
                n => format!(", {n} of former communes covering part of their commune"),
            }
        ));
        if !join.split.is_empty() {
            let listed: Vec<String> = (join.split.iter())
                .map(|(d, commune)| {
                    match camcount::external::code_key(&d.code) == commune.as_str() {
                        true => format!("{} (line {})", d.code, d.line),
                        false => format!("{} (line {}, now {commune})", d.code, d.line),
                    }
                })
                .collect();
            reporter.warn(&format!(
                "{source}: figures of communes merged since, which the boundaries hold as \
                 several zones or under another code, set beside none (no zone is that \
                 commune; use boundaries of the declaration's year): {}",
                listed.join(", ")
            ));
        }
        if !join.superseded.is_empty() {
            let listed: Vec<String> = (join.superseded.iter())
                .map(|(d, commune)| format!("{} (line {}, now {commune})", d.code, d.line))
                .collect();
            reporter.warn(&format!(
                "{source}: figures under former codes of communes that declare under their own \
                 code too, set beside none (the commune's own figure covers them; adding them \
                 would count the former commune twice): {}",
                listed.join(", ")
            ));
        }
        if !join.partial.is_empty() {
            let listed: Vec<String> = (join.partial.iter())
                .map(|(d, commune)| format!("{} (line {}, now part of {commune})", d.code, d.line))
                .collect();
            reporter.warn(&format!(
                "{source}: figures of former communes, covering only part of the commune they \
                 merged into (the others declared nothing), set beside none (set against the \
                 whole commune's cameras, they read as its figure; add the figures of the \
                 others, or one of the whole commune): {}",
                listed.join(", ")
            ));
        }
        if !join.unmatched.is_empty() {
            let listed: Vec<String> = join
                .unmatched
                .iter()
                .map(|d| format!("{} (line {})", d.code, d.line))
                .collect();
            reporter.warn(&format!(
                "{source}: codes that match no commune of this run, not counted anywhere: {}",
                listed.join(", ")
            ));
        }
    }
    for (relation, warning) in &counted.zones.tag_warnings {
        reporter.warn(&format!("relation {relation}: {warning}"));
    }
}

/// What the population file gave, on stderr: zones matched, not found,
/// merged since, renumbered, communes no zone holds. `history` and
/// `compare` said none of it, beside rates credited to the file (found
/// 2026-12-06).
pub(crate) fn report_population(reporter: &Reporter, count: &Count) {
    let coverage = &count.population;
    let merged = match coverage.merged.len() {
        0 => String::new(),
        n => format!(
            ", {} merged since (no population)",
            ReportLang::En.int(n as u64)
        ),
    };
    let merged = match coverage.named_otherwise.len() {
        0 => merged,
        n => format!(
            "{merged}, {} named otherwise (no population)",
            ReportLang::En.int(n as u64)
        ),
    };
    reporter.summary(&format!(
        "population file: {}, {} not found in it or without a usable population{merged}",
        communes_matched(coverage.matched),
        ReportLang::En.int(coverage.unmatched.len() as u64)
    ));
    if let Some(warning) = coverage.merged_warning() {
        reporter.warn(&warning);
    }
    if let Some(note) = coverage.renumbered_note() {
        reporter.summary(&note);
    }
    if let Some(warning) = coverage.unheld_warning() {
        reporter.warn(&warning);
    }
    if let Some(warning) = coverage.named_otherwise_warning() {
        reporter.warn(&warning);
    }
    if let Some(warning) = coverage.blind_to_mergers_warning() {
        reporter.warn(&warning);
    }
    if !coverage.unmatched.is_empty() {
        let shown: Vec<&str> = coverage
            .unmatched
            .iter()
            .take(10)
            .map(String::as_str)
            .collect();
        reporter.detail(&format!(
            "codes not in the population file: {}",
            shown.join(", ")
        ));
    }
}

/// "1 commune matched", "163 communes matched".
fn communes_matched(n: usize) -> String {
    match n {
        1 => "1 commune matched".to_string(),
        n => format!("{} communes matched", ReportLang::En.int(n as u64)),
    }
}
