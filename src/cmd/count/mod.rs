//! `camcount INPUT`: cameras per commune, with densities, declared counts
//! and rollups.
//!
//! Reads the options, checks them before any file is opened, runs the
//! library's stages one after another with progress and stage logs (side
//! inputs first, so that a bad one fails fast → scan → boundaries →
//! [`camcount::pipeline`]), then renders.

use std::path::Path;
use std::time::Instant;

use camcount::boundary;
use camcount::camera::Camera;
use camcount::candidates::BoundarySelector;
use camcount::error::{Error, Result};
use camcount::external::declared::{self, DeclaredTable};
use camcount::output::csv::CsvOptions;
use camcount::output::map::MapOptions;
use camcount::output::markdown::{self, Lang as ReportLang};
use camcount::output::metadata::Metadata;
use camcount::output::{csv, geojson, html, json, sink::Sink, xlsx};
use camcount::pipeline::{self, Count, Rollup, Zones};
use camcount::scan::{self, ScanOutput};

use crate::cli::{CommonArgs, CountArgs, TableFormat};
use crate::progress::Reporter;

pub(crate) mod notes;
mod population_notes;
mod report;
use notes::notes;
use report::report;
pub(crate) use report::report_population;

/// Options checked before any file is opened.
struct Plan {
    csv: CsvOptions,
    levels: Vec<u8>,
    rollup: Option<Rollup>,
    lang: ReportLang,
    map: MapOptions,
}

fn validate(input: &Path, args: &CountArgs, common: &CommonArgs) -> Result<Plan> {
    let format = super::format_name(args.format);
    let csv = super::csv_options(
        &args.csv,
        args.format == TableFormat::Csv || args.group.rollup_output.is_some(),
        &format,
    )?;
    let rollup = super::rollup_of(
        args.group.rollup,
        args.group.rollup_level,
        args.group.rollup_output.as_deref(),
        common.output.as_deref(),
    )?;
    if rollup.is_some()
        && args.group.rollup_output.is_none()
        && matches!(
            args.format,
            TableFormat::Csv | TableFormat::Geojson | TableFormat::Svg
        )
    {
        // The map alone has no place for it: `-f svg --rollup` dropped it
        // with exit 0 (found 2026-12-05).
        return Err(Error::Usage(
            "a rollup needs --rollup-output FILE (or --format md, json, xlsx or html, which \
             include it)"
                .into(),
        ));
    }
    let levels = super::history::levels(&args.zones);
    if rollup.is_some() && args.zones.boundaries.file.is_none() && !levels.contains(&8) {
        return Err(Error::Usage(
            "a rollup groups communes: add 8 to --admin-level".into(),
        ));
    }
    let map = super::report_options(
        &args.report,
        args.csv.locale,
        &format,
        &["md", "html", "svg"],
        &["html", "svg"],
    )?;
    if args.format == TableFormat::Xlsx {
        super::require_output_file(common, "xlsx")?;
    }
    let side_inputs = super::given(&[
        &args.zones.boundaries.file,
        &args.zones.population.file,
        &args.declared.file,
    ]);
    super::check_paths(
        input,
        &side_inputs,
        common.output.as_deref(),
        args.group.rollup_output.as_deref(),
    )?;
    Ok(Plan {
        csv,
        levels,
        rollup,
        lang: map.lang,
        map,
    })
}

/// What the outputs are made from.
struct Counted {
    count: Count,
    zones: Zones,
    cameras: Vec<Camera>,
    metadata: Metadata,
    /// The input's header says it holds history.
    history: bool,
}

pub fn run(input: &Path, args: &CountArgs, common: &CommonArgs) -> Result<()> {
    let plan = validate(input, args, common)?;
    let reporter = Reporter::new(common);
    let mut sink = Sink::create(common.output.as_deref())?;
    let mut rollup_sink = args
        .group
        .rollup_output
        .as_deref()
        .map(|p| Sink::create(Some(p)))
        .transpose()?;
    let started = Instant::now();
    let counted = count(input, args, &plan, &reporter)?;
    let (count, metadata) = (&counted.count, &counted.metadata);
    let date = metadata.data_date.day();
    let rendering = Instant::now();
    let mut left_off = Vec::new();
    sink.render(|out| match args.format {
        TableFormat::Csv => csv::write(&count.rows, &plan.csv, &date, out),
        TableFormat::Geojson => geojson::write(
            &count.rows,
            |row| geojson::Shape {
                id: None,
                geometry: geojson::multipolygon(counted.zones.table[row.zone].geometry.as_ref()),
            },
            metadata,
            out,
        ),
        TableFormat::Json => {
            json::write_count(&count.rows, &count.rollup, &count.totals, metadata, out)
        }
        TableFormat::Md => markdown::write_report(
            &count.rows,
            &count.rollup,
            &count.totals,
            metadata,
            plan.lang,
            out,
        ),
        TableFormat::Xlsx => {
            let mut sheets = vec![xlsx::Sheet::of("Communes", &count.rows, &date)];
            if plan.rollup.is_some() {
                sheets.push(xlsx::Sheet::of("Rollup", &count.rollup, &date));
            }
            xlsx::write(&sheets, metadata, out)
        }
        TableFormat::Html => html::write(
            &html::Report {
                rows: &count.rows,
                rollup: &count.rollup,
                totals: &count.totals,
                zones: &counted.zones.table,
                cameras: &counted.cameras,
                metadata,
            },
            &plan.map,
            out,
        ),
        TableFormat::Svg => {
            let map = camcount::output::map::render(
                &count.rows,
                &counted.zones.table,
                &counted.cameras,
                &plan.map,
                &camcount::output::map::credit(metadata, plan.lang),
            );
            left_off = map.notes.sentences();
            out.write_all(map.svg.as_bytes())
        }
    })?;
    for sentence in &left_off {
        reporter.warn(sentence);
    }
    if let Some(rollup_sink) = rollup_sink.as_mut() {
        rollup_sink.render(|out| csv::write(&count.rollup, &plan.csv, &date, out))?;
    }
    if let Some(rollup_sink) = rollup_sink {
        rollup_sink.commit()?;
    }
    let history_note = super::history::history_note(input, counted.history);
    sink.commit()?;
    reporter.stage(
        &format!("render {}", super::format_name(args.format)),
        rendering.elapsed(),
        "output",
    );
    report(
        &reporter,
        &counted,
        args.declared.file.as_deref(),
        started.elapsed(),
    );
    history_note.inspect(|note| reporter.summary(note));
    // The process ends next, and the system takes its memory back whole:
    // freeing the count allocation by allocation would hold the last core,
    // and a thread started to do it, once the output was in place, could
    // fail under a memory limit and turn a written table into exit 1
    // (found 2026-12-06).
    std::mem::forget(counted);
    Ok(())
}

fn count(input: &Path, args: &CountArgs, plan: &Plan, reporter: &Reporter) -> Result<Counted> {
    let mut external = super::read_external(&args.zones, reporter)?;
    let population = super::read_population(&args.zones, reporter)?;
    let declared = read_declared(args, reporter)?;
    let mut found = scan_input(input, args, plan, reporter)?;
    let from_osm = external.is_none();
    let mut cover_notes = Vec::new();
    if let Some(zones) = external.as_mut() {
        let (data, notes) = super::data_cover(input, found.bbox, found.cover.take(), reporter)?;
        let data = data.holding(found.cameras.iter().filter_map(|c| c.position));
        super::cover_in(zones, &data, input, reporter);
        cover_notes = notes;
    }
    let header_box = found.bbox;
    let cameras = std::mem::take(&mut found.cameras);
    let (data_date, history) = (found.data_date, found.history);
    let s = &found.stats;
    let short = super::nodes_only_note([s.nodes, s.ways, s.relations]);
    let assembling = Instant::now();
    let boundaries = assemble(&found, &cameras, args, plan);
    super::drop_aside(found);
    reporter.stage(
        "boundaries",
        assembling.elapsed(),
        &format!("{} candidates", boundaries.len()),
    );
    let mut zones = pipeline::zones_by_level(boundaries, external, &plan.levels, plan.rollup);
    let mut unchecked = None;
    if from_osm {
        unchecked = super::cover_osm(&mut zones, header_box, input, reporter);
        super::warn_missing_levels(reporter, &zones, &plan.levels, input);
    }
    super::require_zones(&zones, input, &plan.levels)?;
    super::require_rollup_zones(&zones, input, plan.rollup)?;
    let joining = Instant::now();
    let mut count = pipeline::count(
        &cameras,
        &zones,
        population.as_ref(),
        declared.as_ref(),
        plan.rollup,
    );
    if from_osm {
        // OSM relations are today's communes, and an extract cut from a
        // région lacks most of its border départements' communes: the
        // communes no zone holds say nothing of the boundaries' year.
        count.population.unheld.clear();
    }
    reporter.stage(
        "join",
        joining.elapsed(),
        &format!("{} cameras into {} zones", cameras.len(), zones.table.len()),
    );
    let mut metadata = super::count_metadata(
        input,
        data_date,
        &args.zones,
        population.as_ref(),
        declared.as_ref().map(|d| d.source.clone()),
        &plan.levels,
    );
    metadata.notes.extend(short);
    metadata.notes.extend(notes(&count, population.is_some()));
    if let Some((warning, note)) = notes::unplaced_note(&count, &zones) {
        reporter.warn(&warning);
        metadata.notes.push(note);
    }
    metadata.notes.extend(unchecked);
    metadata.notes.extend(cover_notes);
    Ok(Counted {
        count,
        zones,
        cameras,
        metadata,
        history,
    })
}

/// The boundaries of the scan, each placed against the cameras as it is
/// built. A boundary keeps its geometry only where an output draws it or
/// a later step measures it: a rollup level's groups, and a boundary the
/// header's box does not hold (the coverage check measures its share).
fn assemble(
    found: &ScanOutput,
    cameras: &[Camera],
    args: &CountArgs,
    plan: &Plan,
) -> Vec<boundary::Boundary> {
    let draws = matches!(
        args.format,
        TableFormat::Geojson | TableFormat::Html | TableFormat::Svg
    );
    let points: Vec<Option<(f64, f64)>> = cameras.iter().map(|c| c.position).collect();
    let index = camcount::index::PointIndex::new(&points);
    let group_level = match plan.rollup {
        Some(Rollup::Level(level)) => Some(level.to_string()),
        _ => None,
    };
    let header_box = found.bbox.filter(camcount::pbf::header::BBox::is_usable);
    let keep = |b: &boundary::Boundary, geometry: &geo::MultiPolygon<f64>| {
        draws
            || group_level.as_deref() == Some(b.admin_level.as_str())
            || header_box
                .is_some_and(|bbox| !camcount::external::coverage::box_holds(&bbox, geometry))
    };
    let placing = boundary::Placing {
        cameras: &index,
        keep: &keep,
        interior: group_level.is_some(),
    };
    boundary::assemble_placing(&found.relations, found, &placing)
}

fn read_declared(args: &CountArgs, reporter: &Reporter) -> Result<Option<DeclaredTable>> {
    let Some(path) = args.declared.file.as_deref() else {
        return Ok(None);
    };
    let table = declared::read_declared(path, &args.declared.key, &args.declared.field)?;
    reporter.warn_file(path, &table.warnings);
    Ok(Some(table))
}

fn scan_input(
    input: &Path,
    args: &CountArgs,
    plan: &Plan,
    reporter: &Reporter,
) -> Result<ScanOutput> {
    let mut levels: Vec<String> = if args.zones.boundaries.file.is_some() {
        Vec::new()
    } else {
        plan.levels.iter().map(u8::to_string).collect()
    };
    levels.extend(args.group.rollup_level.map(|l| l.to_string()));
    let selector = BoundarySelector {
        admin_levels: levels,
        all_areas: false,
    };
    let size = std::fs::metadata(input).map(|m| m.len()).unwrap_or(0);
    let bar = reporter.bytes_bar(size);
    // Where the data lies, for the zones of --boundaries: found as the
    // node blobs pass.
    let found = match args.zones.boundaries.file {
        Some(_) => scan::scan_covering(input, Some(&selector), &|n| bar.inc(n)),
        None => scan::scan(input, Some(&selector), &|n| bar.inc(n)),
    };
    bar.finish_and_clear();
    let found = found?;
    super::log_scan(reporter, &found);
    Ok(found)
}
