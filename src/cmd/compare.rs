//! `camcount compare OLD.osm.pbf NEW.osm.pbf`: cameras per commune in two
//! dated snapshots, with the cameras added and removed by OSM type and id.
//!
//! Both snapshots are counted in NEW's zones (or the `--boundaries`
//! GeoJSON), so a change is a change of cameras, not of boundaries; each
//! side's data date is shown. A camera that moved into another commune is
//! removed from the one and added to the other. The Markdown and the page
//! say it in sentences; the page draws the two-point charts and NEW's map.

use std::path::Path;
use std::time::Instant;

use camcount::boundary::Status;
use camcount::error::{Error, Result};
use camcount::external::coverage::{self, DataCover};
use camcount::history::through;
use camcount::output::cell::Table;
use camcount::output::history_rows::ids;
use camcount::output::lang::Lang;
use camcount::output::map;
use camcount::output::metadata::{file_name, Note};
use camcount::output::sink::Sink;
use camcount::output::through::{report, Through, GROWERS};
use camcount::output::{geojson, html, json, markdown, xlsx};
use camcount::pipeline;

use crate::cli::{CommonArgs, CompareArgs, CompareFormat};
use crate::progress::Reporter;

use super::history::{levels, selector};
use super::{read_external, read_population};

pub fn run(args: &CompareArgs, common: &CommonArgs) -> Result<()> {
    let format = super::format_name(args.format);
    let csv_options = super::csv_options(&args.csv, args.format == CompareFormat::Csv, &format)?;
    let shown = super::report_options(
        &args.report,
        args.csv.locale,
        &format,
        &["md", "html"],
        &["html"],
    )?;
    if matches!(args.format, CompareFormat::Xlsx | CompareFormat::Html) {
        super::require_output_file(common, &format)?;
    }
    let side: Vec<&Path> = [Some(args.new.as_path())]
        .into_iter()
        .flatten()
        .chain(args.zones.boundaries.file.as_deref())
        .chain(args.zones.population.file.as_deref())
        .collect();
    super::check_paths(&args.old, &side, common.output.as_deref(), None)?;
    if args.new.as_os_str() == "-" {
        return Err(Error::Usage(
            "a PBF needs a seekable file, not stdin (-): save it to a file first".into(),
        ));
    }
    let reporter = Reporter::new(common);
    let mut sink = Sink::create(common.output.as_deref())?;
    let started = Instant::now();
    let mut external = read_external(&args.zones, &reporter)?;
    let population = read_population(&args.zones, &reporter)?;
    let selector = selector(&args.zones);
    let levels = levels(&args.zones);
    let old = through::scan_snapshot(&args.old, None, false)?;
    let new = through::scan_snapshot(&args.new, Some(&selector), external.is_none())?;
    let (old_date, new_date) = (old.data_date, new.data_date);
    // What stderr says of the order goes with the figures too: a reversed
    // pair of undated files read "0 added, 22 removed" with empty notes
    // (found 2026-12-05).
    let mut order_notes = Vec::new();
    let mut undated = Vec::new();
    for (path, date, is_old) in [(&args.old, old_date, true), (&args.new, new_date, false)] {
        if date.timestamp.is_none() {
            reporter.warn(&format!(
                "the data date of {} is unknown (no header timestamp, no object timestamp): \
                 camcount cannot check that {} is the older snapshot and takes it to be{}",
                file_name(path),
                file_name(&args.old),
                if is_old {
                    "; added_before_old is left empty"
                } else {
                    ""
                }
            ));
            undated.push(file_name(path));
        }
    }
    if !undated.is_empty() {
        order_notes.push(Note {
            en: format!(
                "The data {} of {} {} unknown: camcount could not check that {} is the older \
                 snapshot. Were it the newer, every camera added would read removed.",
                if undated.len() == 1 { "date" } else { "dates" },
                undated.join(" and "),
                if undated.len() == 1 { "is" } else { "are" },
                file_name(&args.old)
            ),
            fr: format!(
                "{} de {} {} : camcount n'a pas pu vérifier que {} est l'instantané le plus \
                 ancien. S'il était le plus récent, chaque caméra ajoutée se lirait supprimée.",
                if undated.len() == 1 {
                    "La date des données"
                } else {
                    "Les dates des données"
                },
                undated.join(" et "),
                if undated.len() == 1 {
                    "est inconnue"
                } else {
                    "sont inconnues"
                },
                file_name(&args.old)
            ),
        });
    }
    // One file given twice gave "no change" everywhere, exit 0, without a
    // word (found 2026-12-05).
    if old_date == new_date && old.cameras == new.cameras {
        order_notes.push(Note {
            en: format!(
                "{} and {} hold the same data: every change reads 0.",
                file_name(&args.old),
                file_name(&args.new)
            ),
            fr: format!(
                "{} et {} contiennent les mêmes données : toutes les variations valent 0.",
                file_name(&args.old),
                file_name(&args.new)
            ),
        });
        reporter.warn(&format!(
            "{} and {} hold the same data (date {}, the same cameras): the same snapshot given \
             twice? every change reads 0; give an older snapshot first (Geofabrik keeps dated \
             extracts)",
            file_name(&args.old),
            file_name(&args.new),
            new_date.day()
        ));
    }
    if let (Some(o), Some(n)) = (old_date.timestamp, new_date.timestamp) {
        if o > n {
            // Two snapshots of one day read "(as of 2026-04-27) is newer
            // than … (as of 2026-04-27)" (found 2026-12-05): the instants.
            let same_day = old_date.day() == new_date.day();
            let shown = |d: &camcount::dates::DataDate| match same_day {
                true => d.instant(),
                false => d.day(),
            };
            return Err(Error::Usage(format!(
                "{} (OSM data as of {}) is newer than {} (as of {}): give the older snapshot first",
                file_name(&args.old),
                shown(&old_date),
                file_name(&args.new),
                shown(&new_date)
            )));
        }
    }
    let (new_cover, mut cover_notes) = super::data_cover(&args.new, new.bbox, None, &reporter)?;
    let new_cover = new_cover.holding(new.cameras.iter().filter_map(|c| c.position));
    if let Some(zones) = external.as_mut() {
        super::cover_in(zones, &new_cover, &args.new, &reporter);
    }
    let from_osm = external.is_none();
    let mut zones = pipeline::zones_by_level(new.boundaries, external, &levels, None);
    let mut unchecked = None;
    if from_osm {
        unchecked = super::cover_osm(&mut zones, new.bbox, &args.new, &reporter);
    }
    super::require_zones(&zones, &args.new, &levels)?;
    let (old_cover, old_notes) = super::data_cover(&args.old, old.bbox, None, &reporter)?;
    let old_cover = old_cover.holding(old.cameras.iter().filter_map(|c| c.position));
    cover_notes.extend(old_notes);
    // OSM zones are judged by each box alone: the notes on the cells are
    // of `--boundaries` polygons.
    if from_osm {
        cover_notes.clear();
    }
    // OSM zones are judged by the box alone, as NEW's were (`cover_osm`).
    let old_cover = match from_osm {
        true => DataCover {
            cells: None,
            ..old_cover
        },
        false => old_cover,
    };
    let status_old = coverage::statuses_in(&zones.table, &old_cover);
    let (old_count, new_count) = (
        through::count_in(
            old_date.timestamp,
            old.cameras,
            &zones,
            population.as_ref(),
            None,
        ),
        through::count_in(
            new_date.timestamp,
            new.cameras,
            &zones,
            population.as_ref(),
            None,
        ),
    );
    let existed = through::edited_by(&new_count.cameras, old_date.timestamp);
    if existed.is_none() && old_date.timestamp.is_some() {
        reporter.warn(&format!(
            "cameras of {} carry no timestamp (a file written without metadata): camcount \
             cannot tell which added ones OSM already had when {} was made; added_before_old \
             is left empty",
            file_name(&args.new),
            file_name(&args.old),
        ));
    }
    let side = through::OldSide {
        status_of_zone: &status_old,
        existed: existed.as_ref(),
    };
    let rows = through::compare_rows(&old_count, &new_count, &side);
    let (added, removed) = through::camera_changes(&old_count.cameras, &new_count.cameras);
    let added_before_old = (existed.as_ref()).map_or(0, |existed| {
        added.iter().filter(|k| existed.contains(k)).count()
    });
    let beyond_new = through::beyond(&old_count.cameras, &new_cover);
    let removed_beyond_new = removed.iter().filter(|k| beyond_new.contains(k)).count();
    // Added where OLD holds no data: it could not hold them, so they are
    // not known to be new (a narrower older file's "5 added" counted
    // cameras of zones it never covered, found 2026-12-06).
    let beyond_old = through::beyond(&new_count.cameras, &old_cover);
    // Apart from `added_before_old`, which says those were not new: the
    // two are never the same camera, so both subtract from `added`.
    let not_new = |k: &&through::CameraKey| existed.as_ref().is_some_and(|e| e.contains(k));
    let added_beyond_old = (added.iter())
        .filter(|k| beyond_old.contains(k) && !not_new(k))
        .count();
    let mut metadata = super::count_metadata(
        &args.new,
        new_date,
        &args.zones,
        population.as_ref(),
        None,
        &levels,
    );
    metadata.older = Some((file_name(&args.old), old_date));
    metadata
        .notes
        .extend(Note::of_date(&file_name(&args.old), &old_date));
    metadata.notes.extend(order_notes);
    metadata.notes.extend(unchecked);
    metadata.notes.extend(cover_notes);
    if args.zones.population.file.is_some() {
        super::count::report_population(&reporter, &new_count.count);
        (metadata.notes).extend(super::count::notes::join_notes(&new_count.count.population));
        (metadata.notes).extend(super::count::notes::osm_population_note(
            &new_count.count,
            false,
        ));
    }
    let (old_day, new_day) = (old_date.day(), new_date.day());
    let old_name = file_name(&args.old);
    let new_name = file_name(&args.new);
    let through = Through::of_compare(
        &rows,
        [old_day.clone(), new_day.clone()],
        [old_date.timestamp, new_date.timestamp],
        [old_count.totals().cameras, new_count.totals().cameras],
    );
    let zones_file = args.zones.boundaries.file.as_deref().map(file_name);
    let snapshots = report::Snapshots {
        old_input: &old_name,
        old_date: &old_day,
        new_input: &new_name,
        new_date: &new_day,
        added: added.len(),
        added_before_old,
        added_beyond_old,
        removed: removed.len(),
        removed_beyond_new,
        new_partial: (rows.iter())
            .filter(|r| r.status == Status::Partial)
            .count(),
        old_partial: (rows.iter())
            .filter(|r| r.status.is_counted() && r.status_old == Status::Partial)
            .count(),
        old_beyond: (rows.iter())
            .filter(|r| r.status.is_counted() && r.status_old == Status::OutsideExtract)
            .count(),
        zones_file: zones_file.as_deref(),
    };
    let extra = [
        ("old_data_date", old_day.as_str()),
        ("new_data_date", new_day.as_str()),
    ];
    let l = shown.lang;
    sink.render(|out| match args.format {
        CompareFormat::Csv => camcount::output::csv::write_with(&rows, &extra, &csv_options, out),
        CompareFormat::Json => {
            let mut document = serde_json::Map::new();
            document.insert("metadata".into(), metadata.to_json());
            document.insert(
                "totals".into(),
                // Counts under the rows' names, ids under theirs: `added`
                // held the ids here and a count in every row (found
                // 2026-12-05), and the report's figures were nowhere.
                serde_json::json!({
                    "cameras_old": old_count.totals().cameras,
                    "cameras_new": new_count.totals().cameras,
                    "added": added.len(),
                    "removed": removed.len(),
                    "added_before_old": existed.is_some().then_some(added_before_old),
                    "added_beyond_old": added_beyond_old,
                    "removed_beyond_new": removed_beyond_new,
                    "added_ids": ids(&added),
                    "removed_ids": ids(&removed),
                }),
            );
            document.insert(
                "rows".into(),
                rows.iter()
                    .map(|r| serde_json::Value::Object(json::object(r)))
                    .collect(),
            );
            serde_json::to_writer_pretty(&mut *out, &serde_json::Value::Object(document))?;
            out.write_all(b"\n")
        }
        CompareFormat::Geojson => geojson::write(
            &rows,
            |row| {
                let zone = zones
                    .table
                    .iter()
                    .find(|z| z.osm_id == row.osm_id && z.reference == row.reference);
                geojson::Shape {
                    id: None,
                    geometry: geojson::multipolygon(zone.and_then(|z| z.geometry.as_ref())),
                }
            },
            &metadata,
            out,
        ),
        CompareFormat::Xlsx => xlsx::write(
            &[xlsx::Sheet::table(
                "Compare",
                Table::of(&rows)
                    .with_date("old_data_date", &old_day)
                    .with_date("new_data_date", &new_day),
            )],
            &metadata,
            out,
        ),
        CompareFormat::Md => {
            markdown::through::write_compare(&rows, &through, &snapshots, &metadata, l, out)
        }
        CompareFormat::Html => {
            let mut sentences = report::compare_sentences(&through, &snapshots, l);
            sentences.extend(
                report::changed(&rows)
                    .iter()
                    .take(GROWERS)
                    .map(|r| report::change_sentence(r, l)),
            );
            let drawn = map::render(
                &new_count.count.rows,
                &zones.table,
                &new_count.cameras,
                &shown,
                &map::credit_on(&metadata, l, &new_day),
            );
            let caption = match l {
                Lang::En => format!("The map on {new_day} (newer snapshot)"),
                Lang::Fr => format!("La carte au {new_day} (instantané le plus récent)"),
            };
            let page = report::Page {
                title: l.pick(
                    "Surveillance cameras: two snapshots compared",
                    "Caméras de surveillance : deux instantanés comparés",
                ),
                metadata: &metadata,
                sources: format!(
                    "{} · {}",
                    html::sources_line(&metadata, l),
                    report::older_source(&snapshots, l)
                ),
                sentences,
                charts: vec![through.total_chart(l), through.growth_chart(l)],
                map: Some((drawn, caption)),
                table: Table::of(&rows)
                    .with_date("old_data_date", &old_day)
                    .with_date("new_data_date", &new_day),
                lang: l,
            };
            report::write_page(&page, out)
        }
    })?;
    let history_notes: Vec<String> = [(&args.old, old.history), (&args.new, new.history)]
        .into_iter()
        .filter_map(|(p, history)| super::history::history_note(p, history))
        .collect();
    sink.commit()?;
    // The caveats of the report's totals, in short.
    let unsure = |n: usize, what: &str| match n {
        0 => String::new(),
        n => format!(" ({n} {what})"),
    };
    reporter.summary(&format!(
        "{} in {old_name} (OSM data as of {old_day}) → {} in {} (as of {new_day}): {} added{}, {} removed{}, counted in the zones of {}; {:.2} s",
        super::cameras_noun(old_count.totals().cameras),
        new_count.totals().cameras,
        file_name(&args.new),
        added.len(),
        unsure(added_beyond_old, &format!("beyond the data of {old_name}, not known to be new")),
        removed.len(),
        unsure(removed_beyond_new, &format!("beyond the data of {new_name}, not known to be gone")),
        match &zones_file {
            Some(file) => file.clone(),
            None => "the newer file".to_string(),
        },
        started.elapsed().as_secs_f64()
    ));
    // A history file given as a snapshot counts its newest state: said,
    // as the plain commands say it.
    history_notes.iter().for_each(|note| reporter.summary(note));
    reporter.detail(&format!("added: {}", ids(&added)));
    reporter.detail(&format!("removed: {}", ids(&removed)));
    Ok(())
}
