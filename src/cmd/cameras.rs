//! `camcount cameras INPUT`: every surveillance object, one row each.
//! With `--at DATE` on a history file: the cameras as they stood then
//! (the state written to a temporary file and scanned as any extract).

use std::time::Instant;

use camcount::error::Result;
use camcount::output::metadata::{Metadata, Objects};
use camcount::output::{csv, geojson, json, markdown, sink::Sink, xlsx};
use camcount::pbf::block::ElementType;
use camcount::scan::{self, ScanOutput};

use crate::cli::{CamerasArgs, CommonArgs, RowFormat};
use crate::progress::{megabytes_per_second, Reporter};

pub fn run(args: &CamerasArgs, common: &CommonArgs) -> Result<()> {
    let csv_options = super::check_row_command(&args.rows, common)?;
    let reporter = Reporter::new(common);
    // Opened first so that an unwritable path fails before a long scan.
    let mut sink = Sink::create(common.output.as_deref())?;
    let started = Instant::now();
    let size = std::fs::metadata(&args.rows.input)
        .map(|m| m.len())
        .unwrap_or(0);
    let bar = reporter.bytes_bar(size);
    let result = match args.at {
        Some(at) => super::history::scan_at(&args.rows.input, at, &reporter),
        None => scan::scan_cameras(&args.rows.input, &|n| bar.inc(n)).map(|f| (f, Vec::new())),
    };
    bar.finish_and_clear();
    let (found, late) = result?;
    super::log_scan(&reporter, &found);
    if args.at.is_none() {
        super::history::history_note(&args.rows.input, found.history)
            .inspect(|note| reporter.summary(note));
    }

    let rendering = Instant::now();
    let mut metadata = Metadata::of_input(&args.rows.input, found.data_date, Objects::Cameras);
    let s = &found.stats;
    metadata
        .notes
        .extend(super::nodes_only_note([s.nodes, s.ways, s.relations]));
    metadata.notes.extend(late);
    let cameras = &found.cameras;
    sink.render(|out| match args.rows.format {
        RowFormat::Csv => csv::write(cameras, &csv_options, &metadata.data_date.day(), out),
        RowFormat::Geojson => geojson::write(
            cameras,
            |c| geojson::Shape {
                id: Some(format!("{}/{}", c.osm_type.as_str(), c.osm_id)),
                geometry: geojson::point(c.position),
            },
            &metadata,
            out,
        ),
        RowFormat::Json => json::write_rows("cameras", cameras, &metadata, out),
        RowFormat::Md => markdown::write_rows(
            ["Surveillance cameras", "Caméras de surveillance"],
            cameras,
            &metadata,
            super::row_lang(&args.rows),
            out,
        ),
        RowFormat::Xlsx => {
            let date = metadata.data_date.day();
            xlsx::write(
                &[xlsx::Sheet::of("Cameras", cameras, &date)],
                &metadata,
                out,
            )
        }
    })?;
    let destination = sink.display_path();
    sink.commit()?;
    reporter.stage(
        "output",
        rendering.elapsed(),
        &format!("{} rows to {}", found.cameras.len(), destination.display()),
    );
    reporter.summary(&summary_line(&found, started.elapsed()));
    warn_unplaced(&reporter, &found);
    Ok(())
}

/// "1 node", "2 ways".
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

fn summary_line(found: &ScanOutput, elapsed: std::time::Duration) -> String {
    let s = &found.stats;
    format!(
        "{} ({}, {}, {}), OSM data as of {}; {} blobs, {} elements, {:.1} MB in {:.2} s ({:.0} MB/s)",
        super::cameras_noun(found.cameras.len() as u64),
        counted(found.count(ElementType::Node), "node"),
        counted(found.count(ElementType::Way), "way"),
        counted(found.count(ElementType::Relation), "relation"),
        found.data_date.day(),
        s.blobs,
        s.elements(),
        s.bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        megabytes_per_second(s.bytes, elapsed),
    )
}

fn warn_unplaced(reporter: &Reporter, found: &ScanOutput) {
    if found.stats.ways_unlocated > 0 {
        reporter.warn(&format!(
            "{} nodes missing from the extract; {} listed without a position",
            match found.stats.ways_unlocated {
                1 => "1 camera way has".to_string(),
                n => format!("{n} camera ways have"),
            },
            if found.stats.ways_unlocated == 1 {
                "it is"
            } else {
                "they are"
            }
        ));
    }
    let relations = found.count(ElementType::Relation);
    if relations > 0 {
        reporter.warn(&match relations {
            1 => "1 camera relation is listed without a position".to_string(),
            n => format!("{n} camera relations are listed without a position"),
        });
    }
}
