//! Correctness at national scale, on a France-shaped corpus.
//!
//! `camcount::corpus` builds three neighbouring départements (12 Aveyron,
//! 46 Lot, 82 Tarn-et-Garonne: 800 communes sharing their borders, one
//! région) from the IGN polygons in the shared data, as generated and
//! densified every 30 m, and writes the answers beside the file. The
//! answers come from the generator's bookkeeping; they are first checked
//! against an independent even-odd count over the segments read back from
//! the file, then camcount must reproduce them: every commune `ok` with
//! its cameras and population, the three rollups, and `--admin-level
//! 8,6,4` counting each level on its own. The national run is
//! `scripts/bench-national.sh`. Outputs are read by header name, so added
//! columns do not break these tests.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use camcount::corpus::{answers_file, generate, Corpus, CorpusError, Options};
use camcount::pbf::{read_elements, OsmElement};
use common::{camcount, data_dir, Workdir};

type Row = HashMap<String, String>;

const DEPARTEMENTS: [&str; 3] = ["12", "46", "82"];

fn options(dir: &Workdir, densify: Option<f64>) -> Options {
    let mut options = Options::new(&data_dir(), &dir.path("occitanie.osm.pbf"));
    options.departements = Some(DEPARTEMENTS.iter().map(|d| d.to_string()).collect());
    options.densify = densify;
    options
}

fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a CSV record");
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs camcount with `args` and `-o OUT`; returns OUT's rows.
fn run(dir: &Workdir, name: &str, args: &[&str]) -> Vec<Row> {
    let out = dir.path(name);
    camcount()
        .args(args)
        .arg("-q")
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    read_csv(&out)
}

fn column<'a>(row: &'a Row, name: &str) -> &'a str {
    row.get(name)
        .unwrap_or_else(|| panic!("no column {name:?} in {row:?}"))
}

/// Every expected row has an actual row with the same `key`, equal on `columns`.
fn assert_same(actual: &[Row], expected: &[Row], key: &str, columns: &[&str], what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: row count");
    let by_key: HashMap<&str, &Row> = actual.iter().map(|r| (column(r, key), r)).collect();
    for want in expected {
        let got = by_key
            .get(column(want, key))
            .unwrap_or_else(|| panic!("{what}: no row {:?}", column(want, key)));
        for c in columns {
            assert_eq!(
                column(got, c),
                column(want, c),
                "{what}: {c} of {}",
                column(want, key)
            );
        }
    }
}

/// A commune relation read back from the file: its segments and box.
struct Boundary {
    code: String,
    segments: Vec<((i64, i64), (i64, i64))>,
    low: (i64, i64),
    high: (i64, i64),
}

impl Boundary {
    fn contains(&self, p: (i64, i64)) -> bool {
        if p.0 < self.low.0 || p.0 > self.high.0 || p.1 < self.low.1 || p.1 > self.high.1 {
            return false;
        }
        let mut inside = false;
        for &(a, b) in &self.segments {
            if (a.1 > p.1) != (b.1 > p.1) {
                let t = (b.0 - a.0) as i128 * (p.1 - a.1) as i128
                    - (p.0 - a.0) as i128 * (b.1 - a.1) as i128;
                if (t > 0) == (b.1 > a.1) {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

fn tag<'a>(tags: &'a [(String, String)], key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Cameras per commune code, and how many lie in no commune, counted from
/// the file alone: an even-odd test over each admin_level 8 relation's
/// segments (members in any order, no ring assembly), way cameras at the
/// mean of their distinct nodes.
fn count_in_file(path: &Path) -> (HashMap<String, u64>, u64) {
    let grid = |lon: f64, lat: f64| ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64);
    let (mut nodes, mut ways, mut cameras, mut relations) =
        (HashMap::new(), HashMap::new(), Vec::new(), Vec::new());
    for element in read_elements(path).expect("read the corpus back") {
        match element {
            OsmElement::Node(n) => {
                if tag(&n.tags, "man_made") == Some("surveillance") {
                    cameras.push(grid(n.lon, n.lat));
                }
                nodes.insert(n.id, grid(n.lon, n.lat));
            }
            OsmElement::Way(w) => {
                if tag(&w.tags, "man_made") == Some("surveillance") {
                    let corners: Vec<(i64, i64)> = w.refs[1..].iter().map(|r| nodes[r]).collect();
                    let n = corners.len() as i64;
                    let sum = corners.iter().fold((0, 0), |s, p| (s.0 + p.0, s.1 + p.1));
                    cameras.push((sum.0 / n, sum.1 / n));
                }
                ways.insert(w.id, w.refs);
            }
            OsmElement::Relation(r) if tag(&r.tags, "admin_level") == Some("8") => {
                relations.push(r)
            }
            OsmElement::Relation(_) => {}
        }
    }
    let boundaries: Vec<Boundary> = relations
        .iter()
        .map(|r| {
            let mut segments = Vec::new();
            for m in &r.members {
                for pair in ways[&m.id].windows(2) {
                    segments.push((nodes[&pair[0]], nodes[&pair[1]]));
                }
            }
            let xs = segments.iter().map(|s| s.0 .0);
            let ys = segments.iter().map(|s| s.0 .1);
            Boundary {
                code: tag(&r.tags, "ref:INSEE").expect("ref:INSEE").to_string(),
                low: (xs.clone().min().unwrap(), ys.clone().min().unwrap()),
                high: (xs.max().unwrap(), ys.max().unwrap()),
                segments,
            }
        })
        .collect();
    let mut counts: HashMap<String, u64> = boundaries.iter().map(|b| (b.code.clone(), 0)).collect();
    let mut outside = 0;
    for camera in cameras {
        let holders: Vec<&Boundary> = boundaries.iter().filter(|b| b.contains(camera)).collect();
        assert!(holders.len() <= 1, "camera {camera:?} in several communes");
        match holders.first() {
            Some(b) => *counts.get_mut(&b.code).unwrap() += 1,
            None => outside += 1,
        }
    }
    (counts, outside)
}

fn totals(output: &Path) -> HashMap<String, u64> {
    read_csv(&answers_file(output, "totals"))
        .iter()
        .map(|r| {
            (
                column(r, "total").to_string(),
                column(r, "value").parse().unwrap(),
            )
        })
        .collect()
}

/// The answers agree with an independent count on the file written.
fn check_answers(output: &Path) {
    let (counts, outside) = count_in_file(output);
    let expected = read_csv(&answers_file(output, "communes"));
    assert_eq!(counts.len(), expected.len());
    for row in &expected {
        let want: u64 = column(row, "cameras").parse().unwrap();
        assert_eq!(
            counts[column(row, "ref")],
            want,
            "cameras in {}",
            column(row, "ref")
        );
    }
    let totals = totals(output);
    assert_eq!(outside, totals["cameras_outside"]);
    assert!(totals["cameras_outside"] > 0 && totals["camera_ways"] > 0 && totals["decoys"] > 0);
}

/// Every row `ok`, without a note (a role that disagrees with the ring a
/// way ends in would be one).
fn assert_all_ok(rows: &[Row]) {
    for row in rows {
        assert_eq!(column(row, "status"), "ok", "{row:?}");
        assert_eq!(row.get("reason").map_or("", String::as_str), "", "{row:?}");
    }
}

/// camcount reproduces the answers at every level and in every rollup.
fn check_camcount(dir: &Workdir, output: &Path) {
    let file = output.to_str().unwrap();
    let expected = read_csv(&answers_file(output, "communes"));
    let communes = run(dir, "communes.csv", &[file]);
    assert_all_ok(&communes);
    assert_same(
        &communes,
        &expected,
        "ref",
        &["osm_id", "name", "population", "cameras"],
        "communes",
    );

    let rollup_columns = [
        "name",
        "communes",
        "communes_with_cameras",
        "cameras",
        "population",
    ];
    let departements = read_csv(&answers_file(output, "departements"));
    let regions = read_csv(&answers_file(output, "regions"));
    for (args, want, what) in [
        (
            vec!["--rollup", "departement"],
            &departements,
            "--rollup departement",
        ),
        // A rollup is over communes, whatever other levels are counted.
        (
            vec!["--admin-level", "8,6", "--rollup", "departement"],
            &departements,
            "--admin-level 8,6 --rollup departement",
        ),
        (
            vec!["--rollup-level", "6"],
            &departements,
            "--rollup-level 6",
        ),
        (vec!["--rollup-level", "4"], &regions, "--rollup-level 4"),
    ] {
        let rollup = dir.path("rollup.csv");
        let mut all = vec![file];
        all.extend(args);
        all.extend(["--rollup-output", rollup.to_str().unwrap()]);
        run(dir, "with-rollup.csv", &all);
        assert_same(&read_csv(&rollup), want, "group", &rollup_columns, what);
    }

    let levels = run(dir, "levels.csv", &[file, "--admin-level", "8,6,4"]);
    let level = |l: &str| -> Vec<Row> {
        levels
            .iter()
            .filter(|r| column(r, "admin_level") == l)
            .cloned()
            .collect()
    };
    assert_eq!(level("8"), communes, "level 8 rows as with --admin-level 8");
    for (l, want) in [("6", &departements), ("4", &regions)] {
        let rows = level(l);
        assert_all_ok(&rows);
        let as_groups: Vec<Row> = want
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.insert("ref".into(), column(&r, "group").to_string());
                r
            })
            .collect();
        assert_same(
            &rows,
            &as_groups,
            "ref",
            &["name", "cameras"],
            &format!("level {l}"),
        );
    }

    let cameras = run(dir, "cameras.csv", &["cameras", file]);
    assert_eq!(cameras.len() as u64, totals(output)["cameras"]);
}

fn generate_checked(dir: &Workdir, densify: Option<f64>) -> (Corpus, PathBuf) {
    let options = options(dir, densify);
    let (corpus, report) = generate(&options).expect("generate the corpus");
    assert_eq!(report.communes, 800);
    assert_eq!((report.departements, report.regions), (3, 1));
    (corpus, options.output)
}

#[test]
fn three_departements_as_generated() {
    let dir = Workdir::new();
    let (_, output) = generate_checked(&dir, None);
    check_answers(&output);
    check_camcount(&dir, &output);
}

#[test]
fn three_departements_densified_every_30_m() {
    let dir = Workdir::new();
    let (corpus, output) = generate_checked(&dir, Some(30.0));
    // Every border segment is at most 30 m long (31 m allows for the
    // flat approximation against the ellipsoid).
    for chain in &corpus.chains {
        for w in chain.nodes.windows(2) {
            let (p, q) = (corpus.points[w[0] as usize], corpus.points[w[1] as usize]);
            let lat = (p.1 as f64 * 1e-7).to_radians();
            let dx = (q.0 - p.0) as f64 * 1e-7 * 111_320.0 * lat.cos();
            let dy = (q.1 - p.1) as f64 * 1e-7 * 110_574.0;
            assert!(dx.hypot(dy) <= 31.0, "segment of {} m", dx.hypot(dy));
        }
    }
    // Neighbours still share their ways: no way is used by more than two
    // communes, and most are used by two.
    let shared = corpus.chains.iter().filter(|c| c.users.len() == 2).count();
    assert!(corpus
        .chains
        .iter()
        .all(|c| (1..=2).contains(&c.users.len())));
    assert!(
        shared * 10 > corpus.chains.len() * 8,
        "{shared} of {}",
        corpus.chains.len()
    );
    check_answers(&output);
    check_camcount(&dir, &output);
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b) = (Workdir::new(), Workdir::new());
    let mut options_a = options(&a, None);
    options_a.departements = Some(vec!["46".into()]);
    let mut options_b = options(&b, None);
    options_b.departements = options_a.departements.clone();
    generate(&options_a).expect("first run");
    generate(&options_b).expect("second run");
    let bytes = |o: &Options| std::fs::read(&o.output).expect("read the file");
    assert!(
        bytes(&options_a) == bytes(&options_b),
        "the two files differ"
    );
    options_b.seed += 1;
    generate(&options_b).expect("third run");
    assert!(
        bytes(&options_a) != bytes(&options_b),
        "the seed changes nothing"
    );
}

#[test]
fn an_unknown_departement_names_the_folder() {
    let dir = Workdir::new();
    let mut options = options(&dir, None);
    options.departements = Some(vec!["12".into(), "99".into()]);
    match generate(&options) {
        Err(error @ CorpusError::Format { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains("\"99\"") && message.contains("departements"),
                "{message}"
            );
        }
        other => panic!("expected a format error, got {other:?}"),
    }
}
