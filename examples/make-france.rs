//! Writes a France-shaped national corpus and its expected answers.
//!
//! The work is done by `camcount::corpus` (so that tests can call it); this
//! example reads the options and prints what it wrote.
//!
//! Run: `cargo run --release --example make-france -- -o france.osm.pbf
//! [--data DIR] [--departements 12,46,82] [--seed N] [--densify METRES]
//! [--cameras-per-commune X] [--filler-per-km2 X]`
//! `--data` is the shared data folder (default: `CAMCOUNT_DATA`, else
//! `../shared/data`). Beside `france.osm.pbf` it writes
//! `france.communes.csv`, `france.departements.csv`, `france.regions.csv`
//! and `france.totals.csv`.
//! The default filler (20 nodes per km²) keeps files small: border nodes
//! are then 8 % of the nodes as generated, 50 % with `--densify 30`. A
//! France extract has hundreds of millions of nodes; `--filler-per-km2
//! 1000` brings the densified borders down to about 2 % of the nodes.

use std::path::PathBuf;
use std::time::Instant;

use camcount::corpus::{answers_stem, generate, Options};

const USAGE: &str = "usage: make-france -o OUT.osm.pbf [--data DIR] [--departements 12,46,82] \
[--seed N] [--densify METRES] [--cameras-per-commune X] [--filler-per-km2 X]";

fn parse_args() -> Result<Options, String> {
    let data = std::env::var_os("CAMCOUNT_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"));
    let mut options = Options::new(&data, &PathBuf::from("france.osm.pbf"));
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value\n{USAGE}"))?;
        let number = |what: &str| {
            value
                .parse::<f64>()
                .map_err(|_| format!("{what} takes a number, not {value:?}"))
        };
        match flag.as_str() {
            "--data" => {
                let output = options.output.clone();
                options = Options {
                    output,
                    ..Options::new(&PathBuf::from(&value), &PathBuf::new())
                };
            }
            "--departements" => {
                options.departements =
                    Some(value.split(',').map(|d| d.trim().to_string()).collect())
            }
            "--seed" => {
                options.seed = value
                    .parse()
                    .map_err(|_| format!("--seed takes a whole number, not {value:?}"))?
            }
            "--densify" => options.densify = Some(number("--densify")?),
            "--cameras-per-commune" => {
                options.cameras_per_commune = number("--cameras-per-commune")?
            }
            "--filler-per-km2" => options.filler_per_km2 = number("--filler-per-km2")?,
            "-o" | "--output" => options.output = value.into(),
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = parse_args()?;
    let start = Instant::now();
    let (_, report) = generate(&options)?;
    eprintln!(
        "wrote {} ({:.1} MiB, {:.1} s): {} communes, {} départements, {} régions; \
         {} nodes ({} on borders), {} ways ({} borders), {} relations; \
         {} cameras ({} at sea), {} decoys; answers in {}.*.csv",
        options.output.display(),
        report.bytes as f64 / 1_048_576.0,
        start.elapsed().as_secs_f64(),
        report.communes,
        report.departements,
        report.regions,
        report.nodes,
        report.border_nodes,
        report.ways,
        report.border_ways,
        report.relations,
        report.cameras,
        report.cameras_outside,
        report.decoys,
        answers_stem(&options.output).display(),
    );
    Ok(())
}
