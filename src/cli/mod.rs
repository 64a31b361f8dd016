//! The command line, defined once with clap derive; help text, shell
//! completions and the man page come from here.
//!
//! `camcount INPUT` is the per-commune count; `camcount cameras INPUT` and
//! `camcount boundaries INPUT` expose the stages behind it. Options every
//! command shares are global: they work before or after the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod extension;
mod joined;
pub mod report;
pub use joined::{BoundaryFile, DeclaredFile, Joined, PopulationFile};
pub use report::{CompareReport, CountReport, HistoryReport, Lang, MapMetric, ReportArgs};

const EXAMPLES: &str = "\
Examples:
  camcount region.osm.pbf > communes.csv
  camcount region.osm.pbf --locale fr -o communes.csv
  camcount region.osm.pbf -f xlsx --rollup departement -o communes.xlsx
  camcount region.osm.pbf --rollup departement --rollup-output departements.csv
  camcount occitanie.osm.pbf --declared declared-occitanie.csv -f md --lang fr
  camcount monaco.osm.pbf --boundaries communes-06.geojson --population communes.csv -f md
  camcount cameras monaco.osm.pbf -f geojson -o cameras.geojson
  camcount -v cameras france.osm.pbf -j 8 --progress -o cameras.csv
  camcount boundaries region.osm.pbf --admin-level 8,6 -f geojson -o communes.geojson

Every output carries the data date (the file's replication timestamp, else
its newest object) and its sources.

Exit codes: 0 ok (also when the reader of stdout goes away), 1 bad data or
I/O error, 2 bad command line.

Data from OpenStreetMap is © OpenStreetMap contributors, under the ODbL;
outputs made from it are ODbL too.";

#[derive(Debug, Parser)]
#[command(
    name = "camcount",
    version,
    about = "Count surveillance cameras (man_made=surveillance) in OpenStreetMap extracts, commune by commune",
    after_help = EXAMPLES,
    subcommand_negates_reqs = true,
    // clap's own usage put the input before the command, an order that
    // fails ("camcount x.pbf cameras", found 2026-12-06).
    override_usage = "camcount [OPTIONS] INPUT.osm.pbf\n       camcount <COMMAND> [OPTIONS] [ARGS]..."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub count: CountArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every man_made=surveillance object, one row per camera
    #[command(after_help = EXAMPLES)]
    Cameras(CamerasArgs),
    /// Assemble boundary relations (default: communes, admin_level=8), with status, reason and area
    #[command(after_help = EXAMPLES)]
    Boundaries(BoundariesArgs),
    /// Count cameras per commune at several dates of an OSM history file (.osh.pbf)
    #[command(after_help = HISTORY_EXAMPLES)]
    History(HistoryArgs),
    /// Compare two dated snapshots: cameras per commune in each, added and removed
    #[command(after_help = HISTORY_EXAMPLES)]
    Compare(CompareArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `camcount man > camcount.1`
    Man,
    /// Diagnostic: read and inflate every blob with all threads, nothing else
    /// (the floor the benchmarks compare with)
    #[command(hide = true)]
    Inflate(InflateArgs),
}

#[derive(Debug, Args)]
pub struct InflateArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: PathBuf,
}

/// What `cameras` and `boundaries` share: one extract in, rows out.
#[derive(Debug, Args)]
pub struct RowsArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: PathBuf,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = RowFormat::Csv)]
    pub format: RowFormat,

    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Debug, Args)]
pub struct BoundariesArgs {
    #[command(flatten)]
    pub rows: RowsArgs,

    /// Admin levels to assemble, e.g. 8 (communes) or 8,6
    #[arg(long, value_name = "N[,N...]", value_delimiter = ',', default_value = "8",
          value_parser = clap::value_parser!(u8).range(1..=12))]
    pub admin_level: Vec<u8>,

    /// Assemble every type=multipolygon and type=boundary relation, whatever its tags
    #[arg(long)]
    pub all_areas: bool,
}

/// Formats of the row lists (`cameras`, `boundaries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowFormat {
    /// One row per item, with a header row and a last data_date column
    Csv,
    /// One feature per item (RFC 7946), with a metadata member
    Geojson,
    /// The rows and the metadata in one document
    Json,
    /// A workbook (needs -o): one sheet of rows, one of sources
    Xlsx,
    /// The sources, then a Markdown table of the rows
    Md,
}

/// How a CSV is written; any command that writes CSV takes these.
#[derive(Debug, Args)]
pub struct CsvArgs {
    /// CSV field delimiter, e.g. ';' for French spreadsheets [default: ,]
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Write decimals with a comma (0,7426), as French spreadsheets read them
    #[arg(long)]
    pub decimal_comma: bool,

    /// Start CSV outputs with a UTF-8 byte-order mark, so that Excel and
    /// LibreOffice's import dialog pick UTF-8 for names like "Val-d'Écume"
    #[arg(long)]
    pub bom: bool,

    /// Conventions of a country's spreadsheets: `fr` is --delimiter ';'
    /// --decimal-comma --bom for CSV (and --lang fr for the report)
    #[arg(long, value_enum)]
    pub locale: Option<Locale>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Locale {
    /// French: `;` between fields, decimal comma, UTF-8 byte-order mark
    Fr,
}

/// The per-commune count (the default command).
#[derive(Debug, Args)]
pub struct CountArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: Option<PathBuf>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,

    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub report: ReportArgs<CountReport>,

    #[command(flatten)]
    pub zones: ZoneArgs,

    #[command(flatten)]
    pub declared: Joined<DeclaredFile>,

    #[command(flatten)]
    pub group: RollupArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// One row per commune, for spreadsheets
    Csv,
    /// Commune polygons carrying every column, for maps (QGIS, uMap)
    Geojson,
    /// Metadata, rows, rollup and totals in one document
    Json,
    /// A human report: sources, totals, top communes, declared counts, rollup sentences
    Md,
    /// A workbook (needs -o): communes, the rollup, and the sources
    Xlsx,
    /// A self-contained page: sources, key sentences, the map, a sortable table
    Html,
    /// The map alone (SVG), for print and newsroom tools
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RollupKind {
    /// Two characters of the INSEE code (three for 97x/98x; 2A/2B for Corsica)
    Departement,
}

#[derive(Debug, Args)]
pub struct CamerasArgs {
    #[command(flatten)]
    pub rows: RowsArgs,

    /// For a history file (.osh.pbf): list the cameras as they stood at
    /// this date (YYYY-MM-DD, 00:00 UTC, or YYYY-MM-DDTHH:MM:SSZ)
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub at: Option<i64>,
}

const HISTORY_EXAMPLES: &str = "\
Examples:
  camcount history monaco.osh.pbf --at 2019-01-01,2021-04-22,2026-07-11
  camcount history monaco.osh.pbf --every year --from 2012-01-01 --wide -o growth.csv
  camcount history region.osh.pbf --every quarter --from 2020-01-01 -f md
  camcount cameras monaco.osh.pbf --at 2021-04-22
  camcount compare monaco-2021-04-21.osm.pbf monaco-2026-07-10.osm.pbf

A date is YYYY-MM-DD (00:00 UTC that day) or YYYY-MM-DDTHH:MM:SSZ (or
with its offset, +02:00, +0200 or +02). The
state of an object at a date is its newest version with a timestamp at or
before it; it is a camera when that version is visible and tagged
man_made=surveillance (what `osmium time-filter` gives).

Data from OpenStreetMap is © OpenStreetMap contributors, under the ODbL.";

/// A date on the command line, as Unix seconds.
pub fn parse_date(text: &str) -> Result<i64, String> {
    camcount::history::parse_date(text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Every {
    Year,
    Quarter,
    Month,
}

/// Formats of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// Long: one row per date and commune (or --wide: one per commune)
    Csv,
    /// Metadata (input, dates, zones), totals per date and every row
    Json,
    /// The totals per date, a sentence per commune with cameras, the rollup through time
    Md,
    /// A self-contained page (needs -o): sources, key sentences, a chart of the
    /// total per date and of the ten communes that grew most, the map of the
    /// last date, the sortable wide table
    Html,
    /// The two charts (total per date, the ten communes that grew most) one
    /// above the other in one standalone SVG, credit line under them
    Svg,
    /// A workbook (needs -o): Communes (wide), Long, Totals, Rollup, Sources
    Xlsx,
    /// One feature per commune with the wide columns (geometry of the zones
    /// counted in; with --zones-each-date, the last date's, or the newest
    /// date's that has zones)
    Geojson,
}

/// Formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// One row per commune, with the old and new data dates as last columns
    Csv,
    /// One feature per commune of NEW (RFC 7946), with a metadata member
    Geojson,
    /// Metadata, totals with the cameras added and removed, every row
    Json,
    /// The totals old → new, cameras added and removed, a sentence per commune that changed
    Md,
    /// A self-contained page (needs -o): sources, key sentences, the two-point
    /// charts, the map of NEW, the sortable table
    Html,
    /// A workbook (needs -o): one sheet of rows, one of sources
    Xlsx,
}

/// How communes are grouped into a rollup: the count's, and the count
/// through time's at each date.
#[derive(Debug, Args)]
pub struct RollupArgs {
    /// Group communes (admin_level 8) by the département part of their INSEE code
    #[arg(long, value_enum, conflicts_with = "rollup_level")]
    pub rollup: Option<RollupKind>,

    /// Group communes by the OSM boundaries of this admin level that hold them (1 to 7: coarser than communes)
    // A level of 8 or more cannot hold a commune: `--rollup-level 10` put
    // all of Monaco's cameras in Monte-Carlo (found 2026-12-05).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=7))]
    pub rollup_level: Option<u8>,

    /// Write the rollup (CSV; through time, a row per date and group) to FILE, from the same scan
    #[arg(long, value_name = "FILE")]
    pub rollup_output: Option<PathBuf>,
}

/// Options of the count that a count through time takes too.
#[derive(Debug, Args)]
pub struct ZoneArgs {
    /// Admin levels to count, each on its own, e.g. 8 or 8,6 (OSM boundaries only)
    // With --boundaries the zones are the file's features: the level was
    // ignored without a word (found 2026-12-05).
    #[arg(long, value_name = "N[,N...]", value_delimiter = ',', default_value = "8",
          value_parser = clap::value_parser!(u8).range(1..=12), conflicts_with = "boundaries")]
    pub admin_level: Vec<u8>,

    #[command(flatten)]
    pub boundaries: Joined<BoundaryFile>,

    #[command(flatten)]
    pub population: Joined<PopulationFile>,
}

/// The dates: `--at`, or `--every` with `--from`. As one group, a run
/// with neither says "give one of them" (two required arguments, each
/// named, read as both needed, found 2026-12-06).
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("dates").required(true).args(["at", "every"])))]
pub struct HistoryArgs {
    /// The OpenStreetMap history file to read (.osh.pbf, sorted)
    #[arg(value_name = "INPUT.osh.pbf")]
    pub input: PathBuf,

    /// Count at these dates (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ), comma-separated
    #[arg(long, value_name = "DATE[,DATE...]", value_delimiter = ',', value_parser = parse_date)]
    pub at: Vec<i64>,

    /// Count at a regular step from --from to the file's newest object
    #[arg(long, value_enum, requires = "from", conflicts_with = "at")]
    pub every: Option<Every>,

    /// First date of --every
    // With --at, --from was ignored without a word (found 2026-12-06):
    // `requires` alone let it pass.
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "every", conflicts_with = "at")]
    pub from: Option<i64>,

    /// One row per commune, one cameras_DATE column per date (CSV)
    #[arg(long)]
    pub wide: bool,

    /// Build zones from each date's own boundaries instead of the last date's
    #[arg(long)]
    pub zones_each_date: bool,

    #[command(flatten)]
    pub group: RollupArgs,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = HistoryFormat::Csv)]
    pub format: HistoryFormat,

    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub report: ReportArgs<HistoryReport>,

    #[command(flatten)]
    pub zones: ZoneArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The older snapshot (.osm.pbf)
    #[arg(value_name = "OLD.osm.pbf")]
    pub old: PathBuf,

    /// The newer snapshot (.osm.pbf); zones come from it
    #[arg(value_name = "NEW.osm.pbf")]
    pub new: PathBuf,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = CompareFormat::Csv)]
    pub format: CompareFormat,

    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub report: ReportArgs<CompareReport>,

    #[command(flatten)]
    pub zones: ZoneArgs,
}

/// Options every command shares; they may stand before or after the
/// subcommand.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Write to FILE instead of stdout; FILE appears only when the run succeeds.
    /// Without -f, its extension (.csv, .json, .geojson, .md, .html, .svg, .xlsx)
    /// chooses the format
    #[arg(short, long, value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,

    /// Worker threads [default: all cores]
    #[arg(short = 'j', long, value_name = "N", global = true,
          value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub threads: Option<u16>,

    /// Show a progress bar on stderr even when it is not a terminal
    #[arg(long, overrides_with = "no_progress", global = true)]
    pub progress: bool,

    /// Never show a progress bar
    #[arg(long, overrides_with = "progress", global = true)]
    pub no_progress: bool,

    /// Print nothing on stderr but errors
    #[arg(short, long, conflicts_with = "verbose", global = true)]
    pub quiet: bool,

    /// Log each stage with its time and counts
    #[arg(short, long, global = true)]
    pub verbose: bool,
}
