//! One module per subcommand; each owns its `run`. Shared here: the thread
//! pool every command runs its stages in, the checks every command makes
//! before it reads anything, where the data lies (`coverage`), and what a
//! scan says of the file (`scan_log`).

pub mod boundaries;
pub mod cameras;
pub mod compare;
pub mod count;
mod coverage;
pub mod history;
pub mod inflate;
mod scan_log;

use std::path::{Path, PathBuf};

use camcount::error::{Error, Result};
use camcount::output::csv::CsvOptions;

use camcount::external::geojson as external_geojson;
use camcount::external::population::{self, PopulationTable};
use camcount::zone::Zone;

use camcount::pipeline::{self, Rollup};

use camcount::output::lang::Lang as ReportLang;
use camcount::output::map::{MapOptions, Metric};

use crate::cli::report::ReportKind;
use crate::cli::{
    CommonArgs, CsvArgs, Lang, Locale, MapMetric, ReportArgs, RollupKind, RowFormat, RowsArgs,
    ZoneArgs,
};
use crate::progress::Reporter;

pub use coverage::{cover, cover_in, cover_osm, data_cover, mark_osm, warn_without_box};
pub use scan_log::{log_scan, nodes_only_note, warn_nodes_only, warn_stale_header};

/// Runs a whole command on one rayon pool of `--threads` workers
/// (default: all cores): the scan, the count and the rendering alike.
/// The pool once held only the count, so the rendering's parallel steps
/// started rayon's global pool (a thread per core, whatever `-j` said),
/// which under a tight `ulimit -v` panicked (found 2026-12-06).
pub fn with_threads<T: Send>(
    args: &CommonArgs,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        builder = builder.num_threads(usize::from(n));
    }
    let pool = builder.build().map_err(|e| {
        let threads = args.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            usize::from,
        );
        Error::Resource(format!(
            "cannot start {threads} worker {}: {e}; raise the limits on processes or memory (ulimit -u, ulimit -v), or give fewer --threads",
            if threads == 1 { "thread" } else { "threads" }
        ))
    })?;
    // Every worker up before the work: a thread sets up its own signal
    // stack as it starts, and Rust aborts the process when that allocation
    // fails, so a worker starting late, under a tight `ulimit -v`, aborted
    // runs (exit 134) that would otherwise succeed or fail cleanly
    // (2026-12-06).
    pool.broadcast(|_| ());
    pool.install(work)
}

/// Refuses what cannot run before a byte is read: a PBF on stdin, an
/// output that is one of the inputs (through links too, and stdout sent
/// to one), two outputs that are one file. `table` and `rollup` are the
/// table's and the rollup's paths as given (none, or `-`, is stdout).
pub fn check_paths(
    input: &Path,
    side_inputs: &[&Path],
    table: Option<&Path>,
    rollup: Option<&Path>,
) -> Result<()> {
    if input.as_os_str() == "-" {
        return Err(Error::Usage(
            "a PBF needs a seekable file, not stdin (-): save it to a file first".into(),
        ));
    }
    let stdout = |p: Option<&Path>| p.is_some_and(|p| p.as_os_str() == "-");
    // Each with its option: "choose another -o path" answered a
    // --rollup-output that was the input (found 2026-12-06).
    let named: Vec<(&Path, &str)> = [(table, "-o"), (rollup, "--rollup-output")]
        .into_iter()
        .filter_map(|(path, option)| Some((path?, option)))
        .filter(|(p, _)| p.as_os_str() != "-")
        .collect();
    let written = match (table.is_none() || stdout(table), stdout(rollup)) {
        (true, _) => Some("the table"),
        (false, true) => Some("the rollup"),
        (false, false) => None,
    };
    if let Some(what) = written {
        let inputs = std::iter::once(input).chain(side_inputs.iter().copied());
        check_stdout(inputs, &named, what)?;
    }
    for (output, option) in &named {
        for given in std::iter::once(&input).chain(side_inputs) {
            if same_file(output, given) {
                return Err(Error::Usage(format!(
                    "output {} is the input {}: choose another {option} path, the input would be overwritten",
                    output.display(),
                    given.display()
                )));
            }
        }
    }
    let outputs: Vec<&Path> = named.iter().map(|(p, _)| *p).collect();
    // Two outputs to one device (`/dev/null`) clobber nothing.
    let device = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.is_file());
    for (i, a) in outputs.iter().enumerate() {
        for b in outputs[i + 1..].iter().filter(|b| !device(b)) {
            if same_file(a, b) || resolved(a, 8) == resolved(b, 8) {
                return Err(Error::Usage(format!(
                    "-o and --rollup-output both name {}: give each output its own file",
                    a.display()
                )));
            }
        }
    }
    Ok(())
}

/// Refuses a stdout that is one of the inputs: `camcount a.pbf >> a.pbf`
/// appended the table to the extract, which then no longer read, exit 0
/// (found 2026-12-06). (`>` empties the file before camcount starts; that
/// one is refused as an empty file.)
///
/// Nor one of the output files: `--rollup-output r.csv > r.csv` put the
/// rollup in place of the stdout the table went to, and the table was
/// lost, exit 0 (found 2026-12-06). `what` is what stdout gets.
fn check_stdout<'a>(
    inputs: impl Iterator<Item = &'a Path>,
    outputs: &[(&Path, &str)],
    what: &str,
) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(out) = std::fs::metadata("/dev/stdout") else {
            return Ok(());
        };
        if !out.is_file() {
            return Ok(());
        }
        let is_stdout = |p: &Path| {
            std::fs::metadata(p).is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino())
        };
        for given in inputs {
            if is_stdout(given) {
                return Err(Error::Usage(format!(
                    "stdout is the input {}: {what} would be written into it; redirect it elsewhere, or give -o FILE",
                    given.display()
                )));
            }
        }
        for (path, option) in outputs {
            if is_stdout(path) {
                return Err(Error::Usage(format!(
                    "stdout is {}, which {option} names too: {what} and that output would be one file, one of them lost; redirect stdout elsewhere",
                    path.display()
                )));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (inputs, outputs, what);
    Ok(())
}

/// The paths of the options given (side files), for [`check_paths`].
pub fn given<'a>(options: &[&'a Option<PathBuf>]) -> Vec<&'a Path> {
    options.iter().filter_map(|p| p.as_deref()).collect()
}

/// True when both paths name one existing file (same device and inode, so
/// symlinks and hard links count).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

/// Where a path leads, for comparing outputs that may not exist yet: the
/// file itself when it exists, else its folder's real path and its name,
/// a dangling link followed (at most `links` deep). `sub/../y.csv` and
/// `y.csv`, or a path through a linked folder, both named one new file,
/// and the rollup was written over by the table (found 2026-12-05).
fn resolved(path: &Path, links: u32) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    if let (Ok(target), true) = (std::fs::read_link(&absolute), links > 0) {
        let folder = absolute.parent().unwrap_or(Path::new("/"));
        return resolved(&folder.join(target), links - 1);
    }
    match (absolute.parent(), absolute.file_name()) {
        (Some(folder), Some(name)) => std::fs::canonicalize(folder)
            .map(|folder| folder.join(name))
            .unwrap_or(absolute),
        _ => absolute,
    }
}

/// The CSV options given, checked against the format: CSV options with a
/// format that writes no CSV are a usage error, not silently ignored.
pub fn csv_options(args: &CsvArgs, writes_csv: bool, format: &str) -> Result<CsvOptions> {
    let given = [
        (args.delimiter.is_some(), "--delimiter"),
        (args.decimal_comma, "--decimal-comma"),
        (args.bom, "--bom"),
    ];
    if !writes_csv {
        if let Some((_, flag)) = given.iter().find(|(set, _)| *set) {
            return Err(Error::Usage(format!(
                "{flag} applies to CSV output only (the table, or a --rollup-output file), not --format {format}"
            )));
        }
    }
    let french = args.locale == Some(Locale::Fr);
    let delimiter = match args.delimiter.as_deref() {
        None if french => b';',
        None => b',',
        Some(text) => match text.as_bytes() {
            // Numbers, codes and dates are written with digits, letters
            // and `.-+:`: a delimiter among them split every figure
            // (`--delimiter 0`, found 2026-12-05).
            [b] if b.is_ascii_alphanumeric() || b".-+:'".contains(b) => {
                return Err(Error::Usage(format!(
                    "--delimiter {text:?} is a character figures are written with: give ',', \
                     ';', '|' or '\\t'"
                )))
            }
            [b] if b.is_ascii() && (!b.is_ascii_control() || *b == b'\t') && *b != b'"' => *b,
            b"\\t" => b'\t',
            _ => {
                return Err(Error::Usage(format!(
                    "--delimiter must be one printable ASCII character (or '\\t'), not {text:?}"
                )))
            }
        },
    };
    Ok(CsvOptions {
        delimiter,
        decimal_comma: args.decimal_comma || french,
        bom: args.bom || french,
    })
}

/// The language and the map of a command's reports, checked against the
/// format the way the count checks them: `--lang` only with a report
/// (`reports`: md, html, svg), `--locale` only with a report or CSV, a map
/// option other than the default only with a format that draws the map
/// (`maps`); machine-readable outputs keep English names, so `--lang` is
/// refused there rather than ignored. `--locale fr` makes the report
/// French, as its help says.
pub fn report_options<K: ReportKind + Send + Sync + 'static>(
    report: &ReportArgs<K>,
    locale: Option<Locale>,
    format: &str,
    reports: &[&str],
    maps: &[&str],
) -> Result<MapOptions> {
    let human = reports.contains(&format);
    if report.lang.is_some() && !human {
        return Err(Error::Usage(format!(
            "--lang applies to the reports (--format {}), not --format {format}",
            reports.join(", ")
        )));
    }
    if locale.is_some() && !(human || format == "csv") {
        return Err(Error::Usage(format!(
            "--locale applies to CSV and the reports ({}), not --format {format}",
            reports.join(", ")
        )));
    }
    if report.map_given() && !maps.contains(&format) {
        return Err(Error::Usage(format!(
            "--map-metric and --map-no-points apply to the map (--format {}), not --format {format}",
            maps.join(", ")
        )));
    }
    Ok(MapOptions {
        metric: match report.map_metric {
            MapMetric::CamerasPer1000 => Metric::CamerasPer1000,
            MapMetric::CamerasPerKm2 => Metric::CamerasPerKm2,
            MapMetric::Cameras => Metric::Cameras,
        },
        points: !report.map_no_points,
        lang: match (report.lang, locale) {
            (Some(Lang::Fr), _) | (None, Some(Locale::Fr)) => ReportLang::Fr,
            _ => ReportLang::En,
        },
    })
}

/// What `cameras` and `boundaries` check before reading anything: the CSV
/// options against the format, a file for a workbook, the paths. Returns
/// the CSV options.
pub fn check_row_command(rows: &RowsArgs, common: &CommonArgs) -> Result<CsvOptions> {
    let (input, format) = (&rows.input, rows.format);
    let options = csv_options(&rows.csv, format == RowFormat::Csv, &format_name(format))?;
    if rows.csv.locale.is_some() && !matches!(format, RowFormat::Csv | RowFormat::Md) {
        return Err(Error::Usage(format!(
            "--locale applies to CSV and Markdown (--format csv, md), not --format {}",
            format_name(format)
        )));
    }
    if format == RowFormat::Xlsx {
        require_output_file(common, "xlsx")?;
    }
    check_paths(input, &[], common.output.as_deref(), None)?;
    Ok(options)
}

/// Frees `value` on a thread of its own while the caller goes on: the
/// scan's relations and node table, and at the end the whole count, are
/// hundreds of thousands of allocations, and freeing them one by one held
/// the one busy core of a national count's last, serial steps (0.597 →
/// 0.573 s, medians of 8, 2026-12-05). A thread still freeing when the
/// process exits ends with it.
///
/// A thread the system refuses (under a process or memory limit) is no
/// failure: the value is then dropped here. `std::thread::spawn` panicked
/// there, exit 101, after the output was in place (found 2026-12-06).
///
/// Under a limited address space the value is dropped here: a thread
/// started then aborted the run when std could not map its signal stack
/// (found 2026-12-06).
pub fn drop_aside<T: Send + 'static>(value: T) {
    if crate::memory::address_space_limited() {
        return drop(value);
    }
    // On failure the closure, and the value with it, is dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// A count needs zones. A file without one boundary relation of the levels
/// asked for gave a table of no rows, "no zone to count 12 cameras in" on
/// stderr and exit 0, over a good output file (found 2026-12-05, on a
/// download cut at a block boundary): it is an error.
pub fn require_zones(zones: &pipeline::Zones, input: &Path, levels: &[u8]) -> Result<()> {
    if !zones.table.is_empty() {
        return Ok(());
    }
    let levels: Vec<String> = levels.iter().map(u8::to_string).collect();
    Err(Error::input(
        input,
        format!(
            "holds no boundary relation of admin_level {} to count cameras in (a download cut short, or a filtered extract, keeps none); give --boundaries communes.geojson (IGN's, say), other --admin-level values, or list the cameras alone with `camcount cameras`",
            levels.join(",")
        ),
    ))
}

/// Refuses a rollup by a level the file holds no boundary relation of:
/// `--rollup-level 5` put all 35,357 communes in the group "not placed",
/// exit 0 and no word (found 2026-12-05), where `--admin-level 5` is
/// refused.
pub fn require_rollup_zones(
    zones: &pipeline::Zones,
    input: &Path,
    rollup: Option<Rollup>,
) -> Result<()> {
    match (rollup, &zones.rollup) {
        (Some(Rollup::Level(level)), Some(groups)) if groups.is_empty() => Err(Error::input(
            input,
            format!(
                "holds no boundary relation of admin_level {level} to group the communes by (--rollup-level {level}); give another --rollup-level, or --rollup departement"
            ),
        )),
        _ => Ok(()),
    }
}

/// Says which of several levels asked for the file holds no boundary of:
/// `--admin-level 8,7` on Liechtenstein left level 7 out without a word
/// (found 2026-12-05). [`require_zones`] refuses a run with none at all.
pub fn warn_missing_levels(
    reporter: &Reporter,
    zones: &pipeline::Zones,
    levels: &[u8],
    input: &Path,
) {
    if zones.table.is_empty() {
        return;
    }
    for level in levels {
        let level_text = level.to_string();
        if !zones.table.iter().any(|z| z.admin_level == level_text) {
            reporter.warn(&format!(
                "{} holds no boundary relation of admin_level {level}: that level is left out of every output",
                input.display()
            ));
        }
    }
}

/// The language of a row command's Markdown list: French with `--locale fr`.
pub fn row_lang(rows: &RowsArgs) -> ReportLang {
    match rows.csv.locale {
        Some(Locale::Fr) => ReportLang::Fr,
        None => ReportLang::En,
    }
}

/// The rollup asked for (`--rollup` or `--rollup-level`); `--rollup-output`
/// without one is a usage error, and so is `--rollup-output -` beside a
/// table on stdout (`main`, the `-o` given).
pub fn rollup_of(
    kind: Option<RollupKind>,
    level: Option<u8>,
    output: Option<&Path>,
    main: Option<&Path>,
) -> Result<Option<Rollup>> {
    let rollup = match (kind, level) {
        (Some(RollupKind::Departement), _) => Some(Rollup::Departement),
        (None, Some(level)) => Some(Rollup::Level(level)),
        (None, None) => None,
    };
    if output.is_some() && rollup.is_none() {
        return Err(Error::Usage(
            "--rollup-output needs --rollup or --rollup-level".into(),
        ));
    }
    // Two outputs on stdout run into one stream: a CSV reader took the
    // rollup's header and rows for communes, and JSON was invalid, with
    // exit 0 (found 2026-12-05).
    let stdout = |p: Option<&Path>| {
        p.is_none_or(|p| {
            ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"].contains(&p.to_str().unwrap_or(""))
        })
    };
    if output.is_some() && stdout(output) && stdout(main) {
        return Err(Error::Usage(format!(
            "--rollup-output {} and the table would both go to stdout: give the table a file with -o FILE, or the rollup one with --rollup-output FILE.csv",
            output.map_or(String::new(), |p| p.display().to_string())
        )));
    }
    if let Some((path, what)) = output.and_then(|p| Some((p, crate::cli::extension::foreign(p)?))) {
        return Err(Error::Usage(format!(
            "--rollup-output {} names {what}",
            path.display()
        )));
    }
    // The rollup file is CSV: `--rollup-output dep.xlsx` wrote CSV text
    // that Excel refuses (found 2026-12-05).
    // So is `dep.kml` (2026-12-06).
    let named = output.and_then(|p| {
        let extension = crate::cli::extension::unknown(p).map(|e| format!(".{e}"));
        (crate::cli::extension::format_named(p).map(str::to_string)).or(extension)
    });
    if let (Some(path), Some(named)) = (output, named.filter(|n| n != "csv")) {
        return Err(Error::Usage(format!(
            "--rollup-output writes CSV, not {named} as {} says: name it .csv (the xlsx, json, \
             md and html outputs of -o hold the rollup too)",
            path.display()
        )));
    }
    Ok(rollup)
}

/// The name a format has on the command line (`csv`, `xlsx`).
pub fn format_name(format: impl clap::ValueEnum) -> String {
    format
        .to_possible_value()
        .map_or_else(String::new, |v| v.get_name().to_string())
}

/// Binary formats go to a file: a workbook on a terminal helps nobody.
pub fn require_output_file(common: &CommonArgs, format: &str) -> Result<()> {
    match common.output.as_deref() {
        Some(p) if p.as_os_str() != "-" => Ok(()),
        _ => Err(Error::Usage(format!(
            "--format {format} needs an output file: add -o FILE.{format}"
        ))),
    }
}

/// The `--population` table, its warnings reported.
pub fn read_population(args: &ZoneArgs, reporter: &Reporter) -> Result<Option<PopulationTable>> {
    let Some(path) = args.population.file.as_deref() else {
        return Ok(None);
    };
    let table = population::read_population(path, &args.population.key, &args.population.field)?;
    reporter.warn_file(path, &table.warnings);
    Ok(Some(table))
}

/// The `--boundaries` zones, their warnings reported.
pub fn read_external(args: &ZoneArgs, reporter: &Reporter) -> Result<Option<Vec<Zone>>> {
    let Some(path) = args.boundaries.file.as_deref() else {
        return Ok(None);
    };
    let external =
        external_geojson::read_zones(path, &args.boundaries.key, Some(&args.boundaries.field))?;
    reporter.warn_file(path, &external.warnings);
    Ok(Some(external.zones))
}

/// The sources of a count over zones: the input, its data date, the
/// boundary and population files (or `osm`), the declared file, the levels.
pub fn count_metadata(
    input: &Path,
    data_date: camcount::dates::DataDate,
    zones: &ZoneArgs,
    population: Option<&PopulationTable>,
    declared: Option<String>,
    levels: &[u8],
) -> camcount::output::metadata::Metadata {
    use camcount::output::metadata::{file_name, Metadata, Note, Source};
    let input = file_name(input);
    Metadata {
        data_date,
        notes: Note::of_date(&input, &data_date).into_iter().collect(),
        input,
        boundaries: (zones.boundaries.file.as_deref())
            .map_or(Source::Osm, |file| Source::File(file_name(file))),
        // Polygons of a file carry no population: "OSM tags" named a
        // source that gave nothing (found 2026-12-05).
        population: match (population, &zones.boundaries.file) {
            (Some(table), _) => Source::File(table.source.clone()),
            (None, None) => Source::Osm,
            (None, Some(_)) => Source::None,
        },
        declared,
        objects: Default::default(),
        admin_levels: match zones.boundaries.file {
            Some(_) => Vec::new(),
            None => levels.to_vec(),
        },
        older: None,
    }
}

/// "1 camera", "2 cameras" (English digits are ungrouped), for summary
/// lines: "1 cameras: 1 in 1 of 2 communes" (found 2026-12-05).
pub fn cameras_noun(n: u64) -> String {
    camcount::output::through::sentences::cameras(n, camcount::output::lang::Lang::En)
}
