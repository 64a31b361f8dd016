//! A France-shaped national corpus with known answers.
//!
//! Why: the tiled corpus of `examples/make-corpus.rs` repeats a few small
//! extracts, so it never has 35,000 neighbouring communes, 96 départements
//! and 13 régions sharing their borders as OSM does. This module builds
//! such a file from the IGN commune polygons (Admin Express COG 2018, via
//! france-geojson) and the INSEE population list, and writes the answers
//! camcount must give on it, from its own bookkeeping.
//!
//! In: the `communes/france-geojson-2018` folder, the `population` folder,
//! [`Options`]. Out: an `.osm.pbf` and, beside it, `STEM.communes.csv`,
//! `STEM.departements.csv`, `STEM.regions.csv` and `STEM.totals.csv`.
//!
//! How the partition is made consistent: the IGN file was simplified with
//! shared arcs, and measured on 2026-12-04 every edge between two 1e-5°
//! vertices of metropolitan France is used by one or two communes, never
//! twice in one direction, and the edges used once form vertex-disjoint
//! closed rings (the coast and the land border). So the generator takes the
//! vertices as they are, deduplicated on the 1e-7 grid, and builds every
//! level from the edges: an edge on the border of a group (commune,
//! département, région, country) is one used by exactly one commune of the
//! group. An edge a commune uses twice, in both directions, cancels out of
//! it. Where the data may still disagree (a crossing the check above cannot
//! see), the answers stay exact because they are taken from the generated
//! geometry: a camera is kept only if it lies inside its commune by an
//! even-odd test on the written segments, at least 30 m from every one of
//! them, and inside no other commune.
//!
//! Groups are built from the communes in the file: with `--departements
//! 12,46,82` the région "Occitanie" and the country are the union of those
//! three départements.

mod cameras;
mod input;
mod topology;
mod write;

use std::path::{Path, PathBuf};

pub use cameras::{CameraKind, PlacedCamera, SplitMix64};
pub use input::Commune;
pub use topology::{Chain, Member, Point};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The `france-geojson-2018` folder (with `departements/*/communes-*.geojson`).
    pub communes_dir: PathBuf,
    /// The `population` folder (`communes-2026-pmun2023.csv` and
    /// `decoupage-administratif-6.0.0/{departements,regions}.json`).
    pub population_dir: PathBuf,
    /// Keep only these départements (codes as in INSEE: `12`, `2A`, `971`).
    pub departements: Option<Vec<String>>,
    pub seed: u64,
    /// Insert vertices along every border at this spacing, in metres.
    pub densify: Option<f64>,
    /// Cameras to place, per commune in the file (most go to a few hundred).
    pub cameras_per_commune: f64,
    /// Filler nodes per km² of commune, in short `highway` ways and POIs.
    pub filler_per_km2: f64,
    pub output: PathBuf,
}

impl Options {
    /// Defaults for the shared data folder (`CAMCOUNT_DATA`'s layout).
    pub fn new(data_dir: &Path, output: &Path) -> Options {
        Options {
            communes_dir: data_dir.join("communes/france-geojson-2018"),
            population_dir: data_dir.join("population"),
            departements: None,
            seed: 2026,
            densify: None,
            cameras_per_commune: 2.0,
            filler_per_km2: 20.0,
            output: output.to_path_buf(),
        }
    }
}

/// Why a corpus could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(
        "cannot read {path}: {source} (point --communes/--population at the shared data folder)"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("no commune selected (check --departements against the folder names in {0})")]
    Empty(PathBuf),
    #[error("cannot write {path}: {source} (check the folder exists and is writable)")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Everything generated, kept so that tests can check it against the file.
#[derive(Debug)]
pub struct Corpus {
    pub communes: Vec<Commune>,
    /// `(code, name)` of each département, région, in the order of their relations.
    pub departements: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    /// Node positions; node id = index + 1.
    pub points: Vec<Point>,
    /// Border ways; way id = index + 1.
    pub chains: Vec<Chain>,
    /// Members of each commune, département, région and of the country.
    pub commune_members: Vec<Vec<Member>>,
    pub departement_members: Vec<Vec<Member>>,
    pub region_members: Vec<Vec<Member>>,
    pub country_members: Vec<Member>,
    pub cameras: Vec<PlacedCamera>,
}

/// Figures of one run, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub communes: usize,
    pub departements: usize,
    pub regions: usize,
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
    pub border_nodes: usize,
    pub border_ways: usize,
    pub cameras: u64,
    pub cameras_outside: u64,
    pub decoys: u64,
    pub bytes: u64,
}

/// Builds the corpus in memory, then writes the file and its answers.
pub fn generate(options: &Options) -> Result<(Corpus, Report), CorpusError> {
    let corpus = build(options)?;
    let report = write::write_all(&corpus, options)?;
    Ok((corpus, report))
}

/// Builds the corpus in memory without writing it.
pub fn build(options: &Options) -> Result<Corpus, CorpusError> {
    let inputs = input::load(options)?;
    let mut topology = topology::Topology::build(&inputs.communes);
    if let Some(spacing) = options.densify.filter(|s| *s > 0.0) {
        topology.densify(spacing);
    }
    let n = inputs.communes.len();
    let commune_members = topology.borders(n, |c| c);
    let departement_members =
        topology.borders(inputs.departements.len(), |c| inputs.departement_of[c]);
    let region_members = topology.borders(inputs.regions.len(), |c| inputs.region_of[c]);
    let country_members = topology.borders(1, |_| 0).pop().unwrap_or_default();
    let mut rng = SplitMix64::new(options.seed);
    let cameras = cameras::place(
        &inputs.communes,
        &topology,
        &commune_members,
        options.cameras_per_commune,
        &mut rng,
    );
    Ok(Corpus {
        communes: inputs.communes,
        departements: inputs.departements,
        regions: inputs.regions,
        points: topology.points,
        chains: topology.chains,
        commune_members,
        departement_members,
        region_members,
        country_members,
        cameras,
    })
}

/// `france.osm.pbf` → `france`; the answers are `france.communes.csv` etc.
pub fn answers_stem(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".osm.pbf")
        .or_else(|| name.strip_suffix(".pbf"))
        .unwrap_or(&name);
    output.with_file_name(stem)
}

/// The path of one answers file.
///
/// # Examples
///
/// ```
/// use std::path::Path;
/// use camcount::corpus::answers_file;
///
/// let communes = answers_file(Path::new("/tmp/france.osm.pbf"), "communes");
/// assert_eq!(communes, Path::new("/tmp/france.communes.csv"));
/// ```
pub fn answers_file(output: &Path, table: &str) -> PathBuf {
    let stem = answers_stem(output);
    let mut name = stem.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{table}.csv"));
    stem.with_file_name(name)
}
