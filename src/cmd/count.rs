//! `camcount INPUT`: cameras per commune, with densities and rollups.
//!
//! The pipeline, one stage after another: side inputs (fail fast) → scan →
//! boundaries → zones per level → join → rows and rollup → outputs.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use camcount::aggregate::{self, CommuneRow, LevelTotals, PopulationJoin, RollupRow, Totals};
use camcount::boundary;
use camcount::boundary::select::BoundarySelector;
use camcount::camera::Camera;
use camcount::error::{Error, Result};
use camcount::external::population::PopulationTable;
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
    tag_warnings: Vec<(i64, String)>,
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
        TableFormat::Csv => {
            write_bom(args.bom, out)?;
            table::write_csv(&counted.rows, plan.delimiter, out)
        }
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
        rollup_sink.render(|out| {
            write_bom(args.bom, out)?;
            table::write_rollup_csv(&counted.rollup, plan.delimiter, out)
        })?;
    }
    if let Some(rollup_sink) = rollup_sink {
        rollup_sink.commit()?;
    }
    sink.commit()?;
    report(&reporter, &counted, started.elapsed());
    Ok(())
}

/// The UTF-8 byte-order mark, when asked for.
fn write_bom(wanted: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if wanted {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    Ok(())
}

fn count(input: &Path, args: &CountArgs, plan: &Plan, reporter: &Reporter) -> Result<Counted> {
    let external = read_external(args, reporter)?;
    let population = read_population(args, reporter)?;
    let mut found = scan_input(input, args, plan, reporter)?;
    let cameras = std::mem::take(&mut found.cameras);
    let zones = build_zones(found, external, plan, args, reporter);
    let joining = Instant::now();
    let (rows, totals, coverage) = join_levels(&cameras, &zones.table, population.as_ref());
    reporter.stage(
        "join",
        joining.elapsed(),
        &format!("{} cameras into {} zones", cameras.len(), zones.table.len()),
    );
    let rollup = match (args.rollup, &zones.rollup) {
        (Some(RollupKind::Departement), _) => aggregate::rollup_by_departement(&rows),
        (None, Some(groups)) => aggregate::rollup_by_zones(&rows, &zones.table, groups),
        (None, None) => Vec::new(),
    };
    Ok(Counted {
        rows,
        zones: zones.table,
        rollup,
        totals,
        population: population.map(|_| coverage),
        tag_warnings: zones.tag_warnings,
    })
}

fn read_population(args: &CountArgs, reporter: &Reporter) -> Result<Option<PopulationTable>> {
    let Some(path) = args.population.as_deref() else {
        return Ok(None);
    };
    let table = population::read_population(path, &args.population_key, &args.population_field)?;
    for warning in &table.warnings {
        reporter.warn(&format!("{}: {warning}", path.display()));
    }
    Ok(Some(table))
}

/// The zones a run counts in, and those its rollup groups by.
struct Zones {
    table: Vec<Zone>,
    rollup: Option<Vec<Zone>>,
    /// `(relation id, warning)` about tags, for the report.
    tag_warnings: Vec<(i64, String)>,
}

/// Assembles the boundaries and sorts them into zones by level, moving
/// geometries rather than copying them (they are most of the memory), and
/// freeing the scan's way and node tables as soon as they are used.
fn build_zones(
    found: ScanOutput,
    external: Option<Vec<Zone>>,
    plan: &Plan,
    args: &CountArgs,
    reporter: &Reporter,
) -> Zones {
    let assembling = Instant::now();
    let boundaries = boundary::assemble_boundaries(&found);
    drop(found);
    reporter.stage(
        "boundaries",
        assembling.elapsed(),
        &format!("{} candidates", boundaries.len()),
    );
    let tag_warnings = boundaries
        .iter()
        .flat_map(|b| b.tag_warnings.iter().map(|w| (b.osm_id, w.clone())))
        .collect();
    let mut by_level: BTreeMap<String, Vec<Zone>> = BTreeMap::new();
    for boundary in boundaries {
        by_level
            .entry(boundary.admin_level.clone())
            .or_default()
            .push(Zone::from(boundary));
    }
    let rollup_level = args.rollup_level.map(|l| l.to_string());
    let rollup = rollup_level.as_ref().map(|level| {
        let in_table = external.is_none() && plan.levels.iter().any(|l| &l.to_string() == level);
        match in_table {
            true => by_level.get(level).cloned().unwrap_or_default(),
            false => by_level.remove(level).unwrap_or_default(),
        }
    });
    let table = match external {
        Some(zones) => zones,
        None => plan
            .levels
            .iter()
            .flat_map(|level| by_level.remove(&level.to_string()).unwrap_or_default())
            .collect(),
    };
    Zones {
        table,
        rollup,
        tag_warnings,
    }
}

/// Joins cameras into each admin level on its own; rows of all levels, in
/// level order, with their totals and the population file's coverage.
fn join_levels(
    cameras: &[Camera],
    zones: &[Zone],
    population: Option<&PopulationTable>,
) -> (Vec<CommuneRow>, Totals, PopulationJoin) {
    let mut rows = Vec::new();
    let mut coverage = PopulationJoin::default();
    let mut totals = Totals {
        cameras: cameras.len() as u64,
        levels: Vec::new(),
    };
    for range in split_by_level(zones) {
        let level_zones = &zones[range.clone()];
        let join = aggregate::join_cameras(cameras, level_zones);
        let (mut level_rows, level_coverage) =
            aggregate::commune_rows(level_zones, &join, population);
        level_rows.iter_mut().for_each(|r| r.zone += range.start);
        totals.levels.push(LevelTotals::of(
            &level_zones[0].admin_level,
            &level_rows,
            &join,
        ));
        rows.extend(level_rows);
        coverage.matched += level_coverage.matched;
        coverage.unmatched.extend(level_coverage.unmatched);
    }
    (rows, totals, coverage)
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
    for (relation, warning) in &counted.tag_warnings {
        reporter.warn(&format!("relation {relation}: {warning}"));
    }
}
