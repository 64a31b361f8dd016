//! The command line, defined once with clap derive; help text comes from here.
//!
//! `camcount INPUT` is the per-commune count; `camcount cameras INPUT` and
//! `camcount boundaries INPUT` expose the stages behind it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  camcount region.osm.pbf > communes.csv
  camcount region.osm.pbf --delimiter ';' --rollup departement --rollup-output departements.csv
  camcount monaco.osm.pbf --boundaries communes-06.geojson --population communes.csv --format md
  camcount cameras monaco.osm.pbf
  camcount cameras monaco.osm.pbf --format geojson -o cameras.geojson
  camcount cameras france.osm.pbf --threads 8 --progress -v -o cameras.csv
  camcount boundaries region.osm.pbf --admin-level 8,6 --format geojson -o communes.geojson

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
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

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

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct BoundariesArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: PathBuf,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = BoundaryFormat::Csv)]
    pub format: BoundaryFormat,

    /// Admin levels to assemble, e.g. 8 (communes) or 8,6
    #[arg(long, value_name = "N[,N...]", value_delimiter = ',', default_value = "8",
          value_parser = clap::value_parser!(u8).range(1..=12))]
    pub admin_level: Vec<u8>,

    /// Assemble every type=multipolygon and type=boundary relation, whatever its tags
    #[arg(long)]
    pub all_areas: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BoundaryFormat {
    /// One row per candidate relation
    Csv,
    /// One feature per candidate: a MultiPolygon, or null geometry with the reason
    Geojson,
}

/// The per-commune count (the default command).
#[derive(Debug, Args)]
pub struct CountArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
    pub format: TableFormat,

    /// CSV field delimiter, e.g. ';' for French spreadsheets
    #[arg(long, value_name = "CHAR", default_value = ",")]
    pub delimiter: String,

    /// Start CSV outputs with a UTF-8 byte-order mark, so that Excel and
    /// LibreOffice's import dialog pick UTF-8 for names like "Val-d'Écume"
    #[arg(long)]
    pub bom: bool,

    /// Admin levels to count, each on its own, e.g. 8 or 8,6
    #[arg(long, value_name = "N[,N...]", value_delimiter = ',', default_value = "8",
          value_parser = clap::value_parser!(u8).range(1..=12))]
    pub admin_level: Vec<u8>,

    /// Count in the polygons of this GeoJSON instead of OSM boundaries
    #[arg(long, value_name = "FILE.geojson")]
    pub boundaries: Option<PathBuf>,

    /// GeoJSON property holding each polygon's code (becomes `ref`)
    #[arg(
        long,
        value_name = "FIELD",
        default_value = "code",
        requires = "boundaries"
    )]
    pub boundary_id_field: String,

    /// GeoJSON property holding each polygon's name
    #[arg(
        long,
        value_name = "FIELD",
        default_value = "nom",
        requires = "boundaries"
    )]
    pub boundary_name_field: String,

    /// Take populations from this CSV (joined on `ref`) instead of OSM tags
    #[arg(long, value_name = "FILE.csv")]
    pub population: Option<PathBuf>,

    /// CSV column holding the commune code
    #[arg(
        long,
        value_name = "COLUMN",
        default_value = "code",
        requires = "population"
    )]
    pub population_key: String,

    /// CSV column holding the population
    #[arg(
        long,
        value_name = "COLUMN",
        default_value = "population",
        requires = "population"
    )]
    pub population_field: String,

    /// Group communes: by the département part of their INSEE code
    #[arg(long, value_enum, conflicts_with = "rollup_level")]
    pub rollup: Option<RollupKind>,

    /// Group communes by the OSM boundaries of this admin level that hold them
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=12))]
    pub rollup_level: Option<u8>,

    /// Write the rollup table (CSV) to FILE, from the same scan
    #[arg(long, value_name = "FILE")]
    pub rollup_output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// One row per commune, for spreadsheets
    Csv,
    /// Commune polygons carrying every column, for maps (QGIS, uMap)
    Geojson,
    /// Rows, rollup and totals in one document
    Json,
    /// A human report: totals, top communes, rollup sentences
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RollupKind {
    /// Two characters of the INSEE code (three for 97x/98x; 2A/2B for Corsica)
    Departement,
}

#[derive(Debug, Args)]
pub struct CamerasArgs {
    /// The OpenStreetMap extract to read (.osm.pbf)
    #[arg(value_name = "INPUT.osm.pbf")]
    pub input: PathBuf,

    #[command(flatten)]
    pub common: CommonArgs,

    /// Output format
    #[arg(long, value_enum, default_value_t = CameraFormat::Csv)]
    pub format: CameraFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CameraFormat {
    /// One row per camera, with a header row
    Csv,
    /// A FeatureCollection of Points (RFC 7946)
    Geojson,
}

/// Options every command shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Write to FILE instead of stdout; FILE appears only when the run succeeds
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Worker threads [default: all cores]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub threads: Option<u16>,

    /// Show a progress bar on stderr even when it is not a terminal
    #[arg(long, overrides_with = "no_progress")]
    pub progress: bool,

    /// Never show a progress bar
    #[arg(long, overrides_with = "progress")]
    pub no_progress: bool,

    /// Print nothing on stderr but errors
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Log each stage with its time and counts
    #[arg(short, long)]
    pub verbose: bool,
}
