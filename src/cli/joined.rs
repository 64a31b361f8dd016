//! The options of a file joined to the zones: its path and the two of its
//! columns we read. `--boundaries` (a GeoJSON), `--population` and
//! `--declared` (CSVs) share this shape, so it is declared once.
//!
//! Clap cannot prefix the options of a flattened group, so the names come
//! from a [`JoinedFile`] type, one per file, and the group's own id is
//! skipped so that several can sit in one command.

use std::marker::PhantomData;
use std::path::PathBuf;

use clap::Args;

/// The names and help of one joined file's three options.
pub struct JoinedNames {
    /// The file's option (and clap id), e.g. `population`.
    pub file: &'static str,
    pub file_value: &'static str,
    pub file_help: &'static str,
    /// The value name of both column options: `COLUMN` or `FIELD`.
    pub column: &'static str,
    /// The option naming the column of codes, its default and help.
    pub key: [&'static str; 3],
    /// The option naming the column of values, its default and help.
    pub field: [&'static str; 3],
}

/// A kind of joined file: gives [`Joined`] its option names.
pub trait JoinedFile {
    const NAMES: JoinedNames;
}

/// A joined file's path (when given) and the columns to read from it.
#[derive(Debug, Args)]
#[group(skip)]
pub struct Joined<F: JoinedFile + Send + Sync + 'static> {
    #[arg(id = F::NAMES.file, long = F::NAMES.file, value_name = F::NAMES.file_value,
          help = F::NAMES.file_help)]
    pub file: Option<PathBuf>,

    #[arg(id = F::NAMES.key[0], long = F::NAMES.key[0], value_name = F::NAMES.column,
          default_value = F::NAMES.key[1], help = F::NAMES.key[2], requires = F::NAMES.file)]
    pub key: String,

    #[arg(id = F::NAMES.field[0], long = F::NAMES.field[0], value_name = F::NAMES.column,
          default_value = F::NAMES.field[1], help = F::NAMES.field[2], requires = F::NAMES.file)]
    pub field: String,

    #[arg(skip)]
    kind: PhantomData<F>,
}

/// `--boundaries FILE.geojson`, `--boundary-id-field`, `--boundary-name-field`.
#[derive(Debug)]
pub struct BoundaryFile;

impl JoinedFile for BoundaryFile {
    const NAMES: JoinedNames = JoinedNames {
        file: "boundaries",
        file_value: "FILE.geojson",
        file_help: "Count in the polygons of this GeoJSON instead of OSM boundaries",
        column: "FIELD",
        key: [
            "boundary-id-field",
            "code",
            "GeoJSON property holding each polygon's code (becomes `ref`)",
        ],
        field: [
            "boundary-name-field",
            "nom",
            "GeoJSON property holding each polygon's name",
        ],
    };
}

/// `--population FILE.csv`, `--population-key`, `--population-field`.
#[derive(Debug)]
pub struct PopulationFile;

impl JoinedFile for PopulationFile {
    const NAMES: JoinedNames = JoinedNames {
        file: "population",
        file_value: "FILE.csv",
        file_help: "Take populations from this CSV (joined on `ref`) instead of OSM tags",
        column: "COLUMN",
        key: [
            "population-key",
            "code",
            "CSV column holding the commune code",
        ],
        field: [
            "population-field",
            "population",
            "CSV column holding the population",
        ],
    };
}

/// `--declared FILE.csv`, `--declared-key`, `--declared-field`.
#[derive(Debug)]
pub struct DeclaredFile;

impl JoinedFile for DeclaredFile {
    const NAMES: JoinedNames = JoinedNames {
        file: "declared",
        file_value: "FILE.csv",
        file_help: "Set what towns declare beside what OSM maps: a CSV of camera counts \
                    per commune code, with optional `source` and `date` columns",
        column: "COLUMN",
        key: [
            "declared-key",
            "code",
            "Column of the declared CSV holding the commune code",
        ],
        field: [
            "declared-field",
            "cameras",
            "Column of the declared CSV holding the declared number of cameras",
        ],
    };
}
