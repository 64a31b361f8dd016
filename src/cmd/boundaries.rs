//! `camcount boundaries INPUT`: every candidate boundary relation, built or
//! not, with its status, reason and area.

use std::time::Instant;

use camcount::boundary::{self, Boundary, BoundarySummary};
use camcount::candidates::BoundarySelector;
use camcount::error::Result;
use camcount::output::metadata::{Metadata, Objects};
use camcount::output::{csv, geojson, json, markdown, sink::Sink, xlsx};
use camcount::scan;

use crate::cli::{BoundariesArgs, CommonArgs, RowFormat};
use crate::progress::Reporter;

pub fn run(args: &BoundariesArgs, common: &CommonArgs) -> Result<()> {
    let csv_options = super::check_row_command(&args.rows, common)?;
    let reporter = Reporter::new(common);
    let mut sink = Sink::create(common.output.as_deref())?;
    let selector = BoundarySelector {
        admin_levels: args.admin_level.iter().map(u8::to_string).collect(),
        all_areas: args.all_areas,
    };
    let started = Instant::now();
    let (boundaries, data_date, history) = {
        let size = std::fs::metadata(&args.rows.input)
            .map(|m| m.len())
            .unwrap_or(0);
        let bar = reporter.bytes_bar(size);
        let found = scan::scan(&args.rows.input, Some(&selector), &|n| bar.inc(n));
        bar.finish_and_clear();
        let found = found?;
        super::log_scan(&reporter, &found);
        let assembling = Instant::now();
        let mut boundaries = boundary::assemble_boundaries(&found.relations, &found);
        super::coverage::mark_boundaries(&mut boundaries, found.bbox);
        let input = &args.rows.input;
        super::coverage::warn_boundaries_without_box(&boundaries, found.bbox, input, &reporter);
        reporter.stage(
            "boundaries",
            assembling.elapsed(),
            &format!("{} candidates", boundaries.len()),
        );
        (boundaries, found.data_date, found.history)
    };
    let mut metadata = Metadata::of_input(&args.rows.input, data_date, Objects::Boundaries);
    metadata.admin_levels = args.admin_level.clone();
    sink.render(|out| match args.rows.format {
        RowFormat::Csv => csv::write(&boundaries, &csv_options, &data_date.day(), out),
        RowFormat::Geojson => geojson::write(
            &boundaries,
            |b| geojson::Shape {
                id: Some(format!("relation/{}", b.osm_id)),
                geometry: geojson::multipolygon(b.geometry.as_ref()),
            },
            &metadata,
            out,
        ),
        RowFormat::Json => json::write_rows("boundaries", &boundaries, &metadata, out),
        RowFormat::Md => markdown::write_rows(
            ["Boundaries", "Limites"],
            &boundaries,
            &metadata,
            super::row_lang(&args.rows),
            out,
        ),
        RowFormat::Xlsx => xlsx::write(
            &[xlsx::Sheet::of(
                "Boundaries",
                &boundaries,
                &metadata.data_date.day(),
            )],
            &metadata,
            out,
        ),
    })?;
    let history_note = super::history::history_note(&args.rows.input, history);
    sink.commit()?;
    reporter.summary(&summary_line(&boundaries, &metadata, started.elapsed()));
    history_note.inspect(|note| reporter.summary(note));
    warn_tags(&reporter, &boundaries);
    Ok(())
}

pub fn summary_line(
    boundaries: &[Boundary],
    metadata: &Metadata,
    elapsed: std::time::Duration,
) -> String {
    let s = BoundarySummary::of(boundaries);
    format!(
        "{} boundary candidates: {} assembled{}, {} incomplete, {} invalid; {} unparseable population tags; OSM data as of {} ({:.2} s)",
        boundaries.len(),
        s.assembled,
        match s.partial {
            0 => String::new(),
            n => format!(" ({n} partly beyond the extract's bounding box)"),
        },
        s.incomplete,
        s.invalid,
        s.population_unparseable,
        metadata.data_date.day(),
        elapsed.as_secs_f64()
    )
}

/// Population tag problems ("ca. 2400", "many"), one warning line each.
pub fn warn_tags(reporter: &Reporter, boundaries: &[Boundary]) {
    for b in boundaries {
        for warning in &b.tag_warnings {
            reporter.warn(&format!("relation {}: {warning}", b.osm_id));
        }
    }
}
