//! `camcount INPUT`: cameras per commune, with densities and rollups.
//!
//! The pipeline, one stage after another: side inputs (fail fast) → scan →
//! boundaries → zones per level → join → rows and rollup → outputs.

use std::path::Path;
use std::time::Instant;

use camcount::aggregate::{self, CommuneRow, LevelTotals, PopulationJoin, RollupRow, Totals};
use camcount::boundary::select::BoundarySelector;
use camcount::boundary::{self, Boundary};
use camcount::error::{Error, Result};
use camcount::external::{geojson, population};
use camcount::output::sink::Sink;
use camcount::output::{markdown, table};
use camcount::scan::{self, ScanOutput};
use camcount::zone::Zone;

use crate::cli::{CountArgs, RollupKind, TableFormat};
use crate::progress::Reporter;

/// Options checked before any file is opened.
struct Plan {
    delimiter: u8,
    levels: Vec<u8>,
}

fn validate(args: &CountArgs) -> Result<Plan> {
    let delimiter = match args.delimiter.as_bytes() {
        [b] if b.is_ascii() && *b != b'"' && *b != b'\n' => *b,
        b"\\t" => b'\t',
        _ => {
            return Err(Error::Usage(format!(
                "--delimiter must be one ASCII character, not {:?}",
                args.delimiter
            )))
        }
    };
    let rollup_wanted = args.rollup.is_some() || args.rollup_level.is_some();
    if args.rollup_output.is_some() && !rollup_wanted {
        return Err(Error::Usage(
            "--rollup-output needs --rollup or --rollup-level".into(),
        ));
    }
    if rollup_wanted
        && args.rollup_output.is_none()
        && matches!(args.format, TableFormat::Csv | TableFormat::Geojson)
    {
        return Err(Error::Usage(
            "a rollup needs --rollup-output FILE (or --format md/json, which include it)".into(),
        ));
    }
    let mut levels = args.admin_level.clone();
    levels.sort_unstable();
    levels.dedup();
    Ok(Plan { delimiter, levels })
}

/// What the table is built from.
struct Counted {
    rows: Vec<CommuneRow>,
    zones: Vec<Zone>,
    rollup: Vec<RollupRow>,
    totals: Totals,
    population: Option<PopulationJoin>,
    boundaries: Vec<Boundary>,
}

pub fn run(input: &Path, args: &CountArgs) -> Result<()> {
    let plan = validate(args)?;
    let reporter = Reporter::new(&args.common);
    let mut sink = Sink::create(args.common.output.as_deref())?;
    let mut rollup_sink = args
        .rollup_output
        .as_deref()
        .map(|p| Sink::create(Some(p)))
        .transpose()?;
    let started = Instant::now();
    let counted = super::with_threads(&args.common, || count(input, args, &plan, &reporter))?;

    let input_name = input
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    sink.render(|out| match args.format {
        TableFormat::Csv => table::write_csv(&counted.rows, plan.delimiter, out),
        TableFormat::Geojson => table::write_geojson(&counted.rows, &counted.zones, out),
        TableFormat::Json => {
            table::write_json(&counted.rows, &counted.rollup, &counted.totals, out)
        }
        TableFormat::Md => markdown::write_report(
            &input_name,
            &counted.rows,
            &counted.rollup,
            &counted.totals,
            out,
        ),
    })?;
    if let Some(rollup_sink) = rollup_sink.as_mut() {
        rollup_sink.render(|out| table::write_rollup_csv(&counted.rollup, plan.delimiter, out))?;
    }
    if let Some(rollup_sink) = rollup_sink {
        rollup_sink.commit()?;
    }
    sink.commit()?;
    report(&reporter, &counted, started.elapsed());
    Ok(())
}

fn count(input: &Path, args: &CountArgs, plan: &Plan, reporter: &Reporter) -> Result<Counted> {
    let external = read_external(args, reporter)?;
    let population = args
        .population
        .as_deref()
        .map(|p| population::read_population(p, &args.population_key, &args.population_field))
        .transpose()?;
    for warning in population.iter().flat_map(|t| &t.warnings) {
        reporter.warn(&format!(
            "{}: {warning}",
            args.population
                .as_deref()
                .unwrap_or(Path::new(""))
                .display()
        ));
    }
    let found = scan_input(input, args, plan, reporter)?;
    let assembling = Instant::now();
    let boundaries = boundary::assemble_boundaries(&found);
    reporter.stage(
        "boundaries",
        assembling.elapsed(),
        &format!("{} candidates", boundaries.len()),
    );

    let joining = Instant::now();
    let table_zones: Vec<Zone> = match external {
        Some(zones) => zones,
        None => plan
            .levels
            .iter()
            .flat_map(|level| zones_at(&boundaries, *level))
            .collect(),
    };
    let mut rows = Vec::new();
    let mut coverage: Option<PopulationJoin> =
        population.as_ref().map(|_| PopulationJoin::default());
    let mut totals = Totals {
        cameras: found.cameras.len() as u64,
        levels: Vec::new(),
    };
    for level_zones in split_by_level(&table_zones) {
        let join = aggregate::join_cameras(&found.cameras, &table_zones[level_zones.clone()]);
        let (mut level_rows, level_coverage) = aggregate::commune_rows(
            &table_zones[level_zones.clone()],
            &join,
            population.as_ref(),
        );
        level_rows
            .iter_mut()
            .for_each(|r| r.zone += level_zones.start);
        let level = &table_zones[level_zones.start].admin_level;
        totals
            .levels
            .push(LevelTotals::of(level, &level_rows, &join));
        rows.extend(level_rows);
        if let Some(c) = coverage.as_mut() {
            c.matched += level_coverage.matched;
            c.unmatched.extend(level_coverage.unmatched);
        }
    }
    reporter.stage(
        "join",
        joining.elapsed(),
        &format!(
            "{} cameras into {} zones",
            found.cameras.len(),
            table_zones.len()
        ),
    );
    let rollup = rollup(args, &rows, &table_zones, &boundaries);
    Ok(Counted {
        rows,
        zones: table_zones,
        rollup,
        totals,
        population: coverage,
        boundaries,
    })
}

fn read_external(args: &CountArgs, reporter: &Reporter) -> Result<Option<Vec<Zone>>> {
    let Some(path) = args.boundaries.as_deref() else {
        return Ok(None);
    };
    let external = geojson::read_zones(
        path,
        &args.boundary_id_field,
        Some(&args.boundary_name_field),
    )?;
    for warning in &external.warnings {
        reporter.warn(&format!("{}: {warning}", path.display()));
    }
    Ok(Some(external.zones))
}

fn scan_input(
    input: &Path,
    args: &CountArgs,
    plan: &Plan,
    reporter: &Reporter,
) -> Result<ScanOutput> {
    let mut levels: Vec<String> = if args.boundaries.is_some() {
        Vec::new()
    } else {
        plan.levels.iter().map(u8::to_string).collect()
    };
    levels.extend(args.rollup_level.map(|l| l.to_string()));
    let selector = BoundarySelector {
        admin_levels: levels,
        all_areas: false,
    };
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    let bar = reporter.bytes_bar(size);
    let found = scan::scan(input, Some(&selector), &|n| bar.inc(n));
    bar.finish_and_clear();
    let found = found?;
    super::log_scan(reporter, &found);
    Ok(found)
}

/// The zones of one admin level, in relation id order.
fn zones_at(boundaries: &[Boundary], level: u8) -> Vec<Zone> {
    let level = level.to_string();
    boundaries
        .iter()
        .filter(|b| b.admin_level == level)
        .cloned()
        .map(Zone::from)
        .collect()
}

/// Ranges of consecutive zones sharing an admin level (levels stay apart).
fn split_by_level(zones: &[Zone]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for i in 1..=zones.len() {
        if i == zones.len() || zones[i].admin_level != zones[start].admin_level {
            ranges.push(start..i);
            start = i;
        }
    }
    ranges
}

fn rollup(
    args: &CountArgs,
    rows: &[CommuneRow],
    zones: &[Zone],
    boundaries: &[Boundary],
) -> Vec<RollupRow> {
    match (args.rollup, args.rollup_level) {
        (Some(RollupKind::Departement), _) => aggregate::rollup_by_departement(rows),
        (None, Some(level)) => {
            aggregate::rollup_by_zones(rows, zones, &zones_at(boundaries, level))
        }
        (None, None) => Vec::new(),
    }
}

fn report(reporter: &Reporter, counted: &Counted, elapsed: std::time::Duration) {
    let t = &counted.totals;
    for level in &t.levels {
        let label = if level.admin_level.is_empty() {
            "communes".to_string()
        } else {
            format!("admin_level {} zones", level.admin_level)
        };
        reporter.summary(&format!(
            "{} cameras: {} in {} of {} {label} counted ({} could not be built), {} outside every one, {} without a position",
            t.cameras,
            level.inside,
            level.zones_with_cameras,
            level.zones_ok,
            level.zones - level.zones_ok,
            level.outside,
            level.unplaced,
        ));
    }
    if t.levels.is_empty() {
        reporter.warn(&format!("no zone to count {} cameras in", t.cameras));
    }
    reporter.stage("total", elapsed, "run");
    if let Some(coverage) = &counted.population {
        reporter.summary(&format!(
            "population file: {} communes matched, {} not found in it",
            coverage.matched,
            coverage.unmatched.len()
        ));
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
    super::boundaries::warn_tags(reporter, &counted.boundaries);
}
