//! `camcount history INPUT.osh.pbf --at DATE,…` (or `--every … --from …`):
//! cameras per commune at each date, with those added and removed since
//! the date before.
//!
//! Reads the options (dates are checked by clap: a malformed one is a
//! usage error), reads the history file once
//! ([`camcount::history::read_history`]), counts each date's state with
//! the plain scan and pipeline in the zones of the last date (or of each
//! date), then renders the long or wide table, JSON, Markdown, the page
//! or the charts (HTML, SVG), the workbook or the GeoJSON.
//! Also the shared pieces of `compare` and `cameras --at`.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use camcount::candidates::BoundarySelector;
use camcount::dates::{DataDate, DateSource};
use camcount::error::{Error, Result};
use camcount::external::population::PopulationTable;
use camcount::history::through::{self, zone_key, DateCount};
use camcount::history::{self, History};
use camcount::output::csv;
use camcount::output::history_rows::{DateTotals, HistorySources, LevelAtDate, Zoning};
use camcount::output::metadata::{file_name, Note};
use camcount::output::sink::Sink;
use camcount::output::through::{self as history_report, Through};
use camcount::pipeline::{self, Rollup, Zones};
use camcount::zone::Zone;

mod caveats;
mod dates;
mod render;

use caveats::{dates_without_zones, no_zones_at, warn_missing_versions, warn_undated};
use dates::{dates, require_timestamps, settle};

use crate::cli::{CommonArgs, HistoryArgs, HistoryFormat, ZoneArgs};
use crate::progress::Reporter;

pub fn run(args: &HistoryArgs, common: &CommonArgs) -> Result<()> {
    let format = super::format_name(args.format);
    let csv_options = super::csv_options(
        &args.csv,
        args.format == HistoryFormat::Csv || args.group.rollup_output.is_some(),
        &format,
    )?;
    let shown = super::report_options(
        &args.report,
        args.csv.locale,
        &format,
        &["md", "html", "svg"],
        &["html"],
    )?;
    if args.wide && args.format != HistoryFormat::Csv {
        return Err(Error::Usage(format!(
            "--wide applies to CSV output, not --format {format}"
        )));
    }
    if matches!(args.format, HistoryFormat::Html | HistoryFormat::Xlsx) {
        super::require_output_file(common, &format)?;
    }
    if args.zones_each_date && args.zones.boundaries.file.is_some() {
        return Err(Error::Usage(
            "--zones-each-date builds OSM boundaries at each date; it cannot go with --boundaries"
                .into(),
        ));
    }
    let rollup = super::rollup_of(
        args.group.rollup,
        args.group.rollup_level,
        args.group.rollup_output.as_deref(),
        common.output.as_deref(),
    )?;
    let includes_rollup = matches!(
        args.format,
        HistoryFormat::Json | HistoryFormat::Md | HistoryFormat::Html | HistoryFormat::Xlsx
    );
    if rollup.is_some() && args.group.rollup_output.is_none() && !includes_rollup {
        return Err(Error::Usage(
            "a rollup through time needs --rollup-output FILE (or --format json, md, html or xlsx, which include it)"
                .into(),
        ));
    }
    let side = super::given(&[&args.zones.boundaries.file, &args.zones.population.file]);
    super::check_paths(
        &args.input,
        &side,
        common.output.as_deref(),
        args.group.rollup_output.as_deref(),
    )?;
    let reporter = Reporter::new(common);
    let mut sink = Sink::create(common.output.as_deref())?;
    let mut rollup_sink = (args.group.rollup_output.as_deref())
        .map(|p| Sink::create(Some(p)))
        .transpose()?;
    let started = Instant::now();

    let mut external = super::read_external(&args.zones, &reporter)?;
    let population = super::read_population(&args.zones, &reporter)?;
    let mut selector = selector(&args.zones);
    selector
        .admin_levels
        .extend(args.group.rollup_level.map(|l| l.to_string()));
    let history = read_logged(&args.input, Some(&selector), &reporter)?;
    // Every version of a camera node is data: a zone holding one is not
    // beyond the file, as in the count.
    let cover_notes = super::cover(
        external.as_mut(),
        history.bbox,
        &args.input,
        history.camera_positions(),
        &reporter,
    )?;
    let dates = settle(&reporter, &history, dates(args, &history, &args.input)?);
    let late = warn_missing_versions(&reporter, &history, &args.input);
    let undated = warn_undated(&reporter, &history, &args.input);
    let seen = &history.stats.versions_seen;
    let seen = [seen.nodes, seen.ways, seen.relations];
    super::warn_nodes_only(&reporter, seen);
    let short = super::nodes_only_note(seen);
    let labels: Vec<String> = dates
        .iter()
        .map(|&d| through::date_label(Some(d)))
        .collect();

    let counting = Instant::now();
    let levels = levels(&args.zones);
    let (counts, zones, zoned) = count_dates(
        &history,
        &dates,
        &selector,
        ZonePlan {
            external,
            levels: &levels,
            population: population.as_ref(),
            zones_each_date: args.zones_each_date,
            rollup,
        },
    )?;
    reporter.stage(
        "count",
        counting.elapsed(),
        &format!(
            "{} {}, each a scan of its state",
            dates.len(),
            if dates.len() == 1 { "date" } else { "dates" }
        ),
    );
    // No zone at the last date (or in each date's own): a table of no
    // rows and "no zone held a camera" read as a finding (found
    // 2026-12-05, `--admin-level 9` on Monaco).
    // A level the file holds at no date is refused as the count refuses
    // it (`require_zones`); one it holds at other dates, by the date.
    let ever = (history.relations.iter()).any(|r| selector.matches_tags(&r.tags));
    let (bbox, data_date, kept) = (
        history.bbox,
        history_date(&history),
        history.versions_kept(),
    );
    let read: u64 = history.stats.versions_seen.iter().map(|(_, n)| n).sum();
    // Hundreds of thousands of versions: freed while the outputs are
    // written.
    super::drop_aside(history);
    if zones.table.is_empty() && args.zones.boundaries.file.is_none() && ever {
        return Err(no_zones_at(
            &args.input,
            &levels,
            &labels,
            args.zones_each_date,
        ));
    }
    super::require_zones(&zones, &args.input, &levels)?;
    super::require_rollup_zones(&zones, &args.input, rollup)?;
    let bare = dates_without_zones(&counts, &labels, args.zones_each_date, &args.input);
    if let Some(note) = &bare {
        reporter.warn(&note.en);
    }
    let unchecked = match args.zones.boundaries.file {
        None => super::warn_without_box(&zones.table, bbox, &args.input, &reporter),
        Some(_) => None,
    };
    let rows = through::history_rows(&counts, &labels);
    let dated_rollup: Vec<(String, &camcount::aggregate::RollupRow)> = counts
        .iter()
        .zip(&labels)
        .flat_map(|(c, label)| c.count.rollup.iter().map(move |r| (label.clone(), r)))
        .collect();
    super::warn_stale_header(&reporter, &data_date);
    let totals: Vec<DateTotals> = counts
        .iter()
        .zip(&labels)
        .map(|(c, label)| date_totals(c, label, &data_date))
        .collect();
    let zoning = match (args.zones_each_date, &args.zones.boundaries.file) {
        (true, _) => Zoning::EachDate,
        (false, Some(path)) => Zoning::File(file_name(path)),
        (false, None) => Zoning::LastDate(labels.last().cloned().unwrap_or_default()),
    };
    let mut metadata = super::count_metadata(
        &args.input,
        data_date,
        &args.zones,
        population.as_ref(),
        None,
        &levels,
    );
    metadata.notes.extend(short);
    metadata.notes.extend(late);
    metadata.notes.extend(undated);
    metadata.notes.extend(unchecked);
    metadata.notes.extend(cover_notes);
    metadata.notes.extend(bare);
    // The count's outputs said which zones are floors; the history's did
    // not, though the same zones were partial (found 2026-12-05).
    let partial: std::collections::BTreeSet<_> = (rows.iter())
        .filter(|r| r.status == camcount::boundary::Status::Partial)
        .map(|r| zone_key(&r.admin_level, r.osm_id, r.reference.as_deref()))
        .collect();
    metadata
        .notes
        .extend(super::count::notes::partial_note(partial.len()));
    let populated = (counts.iter()).any(|c| c.count.rows.iter().any(|r| r.population.is_some()));
    let population_file = args.zones.population.file.as_deref().map(file_name);
    metadata.notes.extend(
        populated
            .then(|| population_note(population_file.clone(), &zoning))
            .flatten(),
    );
    // The populations every date's rates use are the last count's.
    if let (Some(_), Some(last)) = (&population_file, counts.last()) {
        super::count::report_population(&reporter, &last.count);
        (metadata.notes).extend(super::count::notes::join_notes(&last.count.population));
        (metadata.notes).extend(super::count::notes::osm_population_note(&last.count, false));
    }
    let sources = HistorySources {
        metadata: &metadata,
        dates: &labels,
        zones: &zoning,
    };
    let instants: Vec<Option<i64>> = dates.iter().map(|&d| Some(d)).collect();
    let through = Through::of_history(&rows, &instants, &totals);
    let rendered = render::Rendered {
        rows: &rows,
        totals: &totals,
        rollup: rollup.map(|_| dated_rollup.as_slice()),
        through: &through,
        sources: &sources,
        mapped: counts.get(zoned).zip(labels.get(zoned).map(String::as_str)),
        zones: &zones,
    };
    sink.render(|out| render::render(args, &csv_options, &shown, &rendered, out))?;
    if let Some(rollup_sink) = rollup_sink.as_mut() {
        let table = history_report::dated_table(&dated_rollup);
        rollup_sink.render(|out| csv::write_table(&table, &csv_options, out))?;
    }
    if let Some(rollup_sink) = rollup_sink {
        rollup_sink.commit()?;
    }
    sink.commit()?;
    let steps: Vec<String> = totals
        .iter()
        .map(|t| format!("{} ({})", t.cameras, t.date))
        .collect();
    reporter.summary(&format!(
        "cameras through time in {} (OSM data as of {}): {}; {} versions kept of {} read, in {:.2} s",
        file_name(&args.input),
        data_date.day(),
        steps.join(" → "),
        kept,
        read,
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Says whose populations the rates of every date use: the last date's
/// tags stood beside 2019's cameras, 39,050 where 2021 says 35,881, with
/// no word (found 2026-12-05). With each date's own zones, each date's
/// own tags are used, and nothing is said.
fn population_note(file: Option<String>, zoning: &Zoning) -> Option<Note> {
    let (en, fr) = match (file, zoning) {
        (Some(file), _) => (format!("those of {file}"), format!("celles de {file}")),
        (None, Zoning::LastDate(last)) => (
            format!("the OSM tags of the boundaries of the last date, {last}"),
            format!("les étiquettes OSM des limites de la dernière date, {last}"),
        ),
        (None, _) => return None,
    };
    Some(Note {
        en: format!("Populations are {en}, at every date: the rates of earlier dates use them."),
        fr: format!(
            "Les populations sont {fr}, à toutes les dates : les taux des dates antérieures les utilisent."
        ),
    })
}

/// The data date of a history's outputs: its header's, else (or when an
/// object is newer) its newest object.
pub fn history_date(history: &History) -> DataDate {
    DataDate::of_file(
        camcount::dates::plausible(history.header_timestamp),
        history.last_timestamp,
        camcount::dates::Newest::Object,
    )
}

/// Reads a history file, with a progress bar and the stage logged.
pub fn read_logged(
    input: &Path,
    selector: Option<&BoundarySelector>,
    reporter: &Reporter,
) -> Result<History> {
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    let bar = reporter.bytes_bar(size);
    let reading = Instant::now();
    let history = history::read_history(input, selector, &|n| bar.inc(n));
    bar.finish_and_clear();
    let history = history?;
    let s = &history.stats;
    reporter.stage(
        "history read",
        reading.elapsed(),
        &format!(
            "{} blobs, {} blob reads, {} node, {} way, {} relation versions; kept {} node, {} way, {} relation versions",
            s.blobs,
            s.blob_reads,
            s.versions_seen.nodes,
            s.versions_seen.ways,
            s.versions_seen.relations,
            history.nodes.len(),
            history.ways.len(),
            history.relations.len()
        ),
    );
    for (kind, time) in s.stage_times.iter() {
        reporter.stage(&format!("history {}s", kind.as_str()), *time, "stage");
    }
    Ok(history)
}

/// Where and how each date is counted.
pub struct ZonePlan<'a> {
    /// `--boundaries` zones, used at every date.
    pub external: Option<Vec<Zone>>,
    pub levels: &'a [u8],
    pub population: Option<&'a PopulationTable>,
    pub zones_each_date: bool,
    pub rollup: Option<Rollup>,
}

/// Counts every date: states scanned side by side, zones from the last date
/// (or each date's own, or the external ones). Returns the counts, the
/// zones of the last date (for the map and the GeoJSON), and which date's
/// they are: with each date's own, the newest date that has any.
pub fn count_dates(
    history: &History,
    dates: &[i64],
    selector: &BoundarySelector,
    plan: ZonePlan<'_>,
) -> Result<(Vec<DateCount>, Zones, usize)> {
    let ZonePlan {
        external,
        levels,
        population,
        zones_each_date,
        rollup,
    } = plan;
    let dir = std::env::temp_dir();
    let osm_zones = external.is_none();
    // The dates side by side: each is a small file of its own, whose
    // scan leaves a core idle at each stage's end, and `--every month`
    // asks for a hundred of them. The first error in date order is the
    // one told, whatever finished first.
    let snapshots: Vec<Result<through::Snapshot>> = (dates.par_iter().enumerate())
        .map(|(i, &at)| {
            let last = i + 1 == dates.len();
            let boundaries = osm_zones && (zones_each_date || last);
            through::snapshot_at(history, at, Some(selector), boundaries, &dir)
        })
        .collect();
    let mut snapshots = snapshots.into_iter().collect::<Result<Vec<_>>>()?;
    let shared: Option<Zones> = match (external, zones_each_date) {
        (Some(zones), _) => Some(pipeline::zones_by_level(
            Vec::new(),
            Some(zones),
            levels,
            rollup,
        )),
        (None, false) => snapshots.last_mut().map(|s| {
            let mut zones =
                pipeline::zones_by_level(std::mem::take(&mut s.boundaries), None, levels, rollup);
            super::mark_osm(&mut zones, history.bbox);
            zones
        }),
        (None, true) => None,
    };
    let mut counts = Vec::new();
    // With each date's own zones, those of the newest date that has any:
    // a level gone by the last date left none, and a run whose earlier
    // dates hold it was refused as holding it "at none of the dates"
    // (found 2026-12-07).
    let mut own: Option<(Zones, usize)> = None;
    for (i, (snapshot, &at)) in snapshots.into_iter().zip(dates).enumerate() {
        let date_zones = shared.is_none().then(|| {
            let mut zones = pipeline::zones_by_level(snapshot.boundaries, None, levels, rollup);
            super::mark_osm(&mut zones, history.bbox);
            zones
        });
        let zones = (date_zones.as_ref().or(shared.as_ref())).expect("shared zones or the date's");
        counts.push(through::count_in(
            Some(at),
            snapshot.cameras,
            zones,
            population,
            rollup,
        ));
        if let Some(zones) = date_zones.filter(|z| own.is_none() || !z.table.is_empty()) {
            own = Some((zones, i));
        }
    }
    let last = dates.len().saturating_sub(1);
    let (zones, zoned) = match (shared, own) {
        (Some(zones), _) => (zones, last),
        (None, Some(own)) => own,
        (None, None) => (
            pipeline::zones_by_level(Vec::new(), None, levels, rollup),
            last,
        ),
    };
    Ok((counts, zones, zoned))
}

/// A date's totals; one after the file's data date is marked, as what it
/// counts is the file's newest state.
pub fn date_totals(count: &DateCount, label: &str, data: &DataDate) -> DateTotals {
    let t = count.totals();
    let after = matches!((count.at, data.timestamp), (Some(at), Some(data)) if at > data);
    DateTotals {
        date: label.to_string(),
        after_data: after.then(|| data.day()),
        cameras: t.cameras,
        levels: t
            .levels
            .iter()
            .map(|l| LevelAtDate {
                admin_level: l.admin_level.clone(),
                inside: l.inside,
                outside: l.outside,
                unplaced: l.unplaced,
                not_built: (l.zones - l.zones_ok - l.zones_beyond) as u64,
            })
            .collect(),
    }
}

pub fn levels(args: &ZoneArgs) -> Vec<u8> {
    let mut levels = args.admin_level.clone();
    levels.sort_unstable();
    levels.dedup();
    levels
}

pub fn selector(args: &ZoneArgs) -> BoundarySelector {
    BoundarySelector {
        admin_levels: match args.boundaries.file {
            Some(_) => Vec::new(),
            None => levels(args).iter().map(u8::to_string).collect(),
        },
        all_areas: false,
    }
}

/// The plain scan of the state of a history file at `at`: what `cameras
/// --at` lists. Its data date is `at`.
/// Also returns the notes on cameras the file holds from a later version
/// only and on versions without a timestamp: `cameras --at` said nothing
/// of them (found 2026-12-05).
pub fn scan_at(
    input: &Path,
    at: i64,
    reporter: &Reporter,
) -> Result<(camcount::scan::ScanOutput, Vec<Note>)> {
    let history = read_logged(input, None, reporter)?;
    require_timestamps(&history, input)?;
    let late = warn_missing_versions(reporter, &history, input);
    let undated = warn_undated(reporter, &history, input);
    let asked = at;
    let at = settle(reporter, &history, vec![at])[0];
    let dir = std::env::temp_dir();
    let file = camcount::temp_files::LiveTempFile::create_in(&dir, "camcount-state-", ".osm.pbf")
        .map_err(|e| Error::write(&dir, e))?;
    // The state at a date past the file's own is the file's newest: its
    // data are as of the file's date, never of a date to come.
    let file_date = history_date(&history);
    let as_of = file_date.timestamp.map_or(at, |t| t.min(at));
    history
        .state_at(at)
        .write_to(file.as_file(), file.path(), as_of)?;
    let mut found = camcount::scan::scan_cameras(file.path(), &|_| {})?;
    // Labelled with the date counted, as `history` labels it: `settle`
    // has already brought a date past the data back to the day after its
    // newest object. Labelled with the file's date instead, the lists at
    // 2024-06-01 (00:00) and 2024-06-02 of a file whose newest object, a
    // deletion, is of 2024-06-01 15:00 both read "2024-06-01", and
    // Monaco at 2026-07-11 read 2026-07-10 where `history` says
    // 2026-07-11 (found 2026-12-05).
    found.data_date = DataDate {
        timestamp: Some(at),
        source: match at == asked {
            true => DateSource::AskedDate,
            false => DateSource::DataEnd,
        },
    };
    // The summary speaks of the file read, not of the temporary state.
    let (read, stats) = (&history.stats, &mut found.stats);
    stats.bytes = read.bytes;
    stats.blobs = read.blobs;
    stats.blob_reads = read.blob_reads;
    let seen = read.versions_seen;
    (stats.nodes, stats.ways, stats.relations) = (seen.nodes, seen.ways, seen.relations);
    Ok((found, late.into_iter().chain(undated).collect()))
}

/// The summary's line saying that a history file was counted at its
/// newest state (the plain commands read every version and keep the
/// newest), if the scan found `input` to be one. From the scan's own
/// header: the note read the file's header again, after the output was
/// in place, where an allocation could fail and turn a written table into
/// exit 1 (found 2026-12-06).
pub fn history_note(input: &Path, history: bool) -> Option<String> {
    history.then(|| {
        format!(
            "history file {}: counted the newest state of each object; `camcount history` counts at other dates",
            file_name(input)
        )
    })
}
