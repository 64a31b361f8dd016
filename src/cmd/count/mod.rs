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
use camcount::output::metadata::{Metadata, Source};
use camcount::output::{csv, geojson, html, json, sink::Sink, xlsx};
use camcount::pipeline::{self, Count, Rollup, Zones};
use camcount::scan::{self, ScanOutput};

use crate::cli::{CommonArgs, CountArgs, TableFormat};
use crate::progress::Reporter;

pub(crate) mod notes;
use notes::notes;

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
                    super::cameras_noun(t.cameras), int(level.unplaced),
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
                super::cameras_noun(t.cameras),
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
fn report(
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
