//! `camcount boundaries INPUT`: every candidate boundary relation, built or
//! not, with its status, reason and area.

use std::time::Instant;

use camcount::boundary::select::BoundarySelector;
use camcount::boundary::{self, Boundary, BoundarySummary};
use camcount::error::Result;
use camcount::output::{boundaries as render, sink::Sink};
use camcount::scan;

use crate::cli::{BoundariesArgs, BoundaryFormat};
use crate::progress::Reporter;

pub fn run(args: &BoundariesArgs) -> Result<()> {
    let reporter = Reporter::new(&args.common);
    let mut sink = Sink::create(args.common.output.as_deref())?;
    let selector = BoundarySelector {
        admin_levels: args.admin_level.iter().map(u8::to_string).collect(),
        all_areas: args.all_areas,
    };
    let started = Instant::now();
    let boundaries = super::with_threads(&args.common, || {
        let size = std::fs::metadata(&args.input).map(|m| m.len()).unwrap_or(0);
        let bar = reporter.bytes_bar(size);
        let found = scan::scan(&args.input, Some(&selector), &|n| bar.inc(n));
        bar.finish_and_clear();
        let found = found?;
        super::log_scan(&reporter, &found);
        let assembling = Instant::now();
        let boundaries = boundary::assemble_boundaries(&found);
        reporter.stage(
            "boundaries",
            assembling.elapsed(),
            &format!("{} candidates", boundaries.len()),
        );
        Ok(boundaries)
    })?;
    sink.render(|out| match args.format {
        BoundaryFormat::Csv => render::write_csv(&boundaries, out),
        BoundaryFormat::Geojson => render::write_geojson(&boundaries, out),
    })?;
    sink.commit()?;
    reporter.summary(&summary_line(&boundaries, started.elapsed()));
    warn_tags(&reporter, &boundaries);
    Ok(())
}

pub fn summary_line(boundaries: &[Boundary], elapsed: std::time::Duration) -> String {
    let s = BoundarySummary::of(boundaries);
    format!(
        "{} boundary candidates: {} assembled, {} incomplete, {} invalid; {} unparseable population tags ({:.2} s)",
        boundaries.len(),
        s.assembled,
        s.incomplete,
        s.invalid,
        s.population_unparseable,
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
