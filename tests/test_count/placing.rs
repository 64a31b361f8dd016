//! A count whose outputs draw no boundary places each boundary against
//! the cameras as it is built and drops its geometry
//! (`boundary::assemble_placing`); one that draws them (GeoJSON) keeps
//! every geometry and joins afterwards. Both must give the same figures.

use serde_json::Value;

use super::common::{camcount, extract, Workdir};

const EXTRACTS: [&str; 4] = [
    "monaco-2026-07-10",
    "andorra-2025-01-18",
    "liechtenstein-2024-03-04",
    "mimirsbrunn-osm_fixture-idf-melun",
];

fn json_of(args: &[&str]) -> Value {
    let out = camcount().args(args).arg("-q").assert().success();
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

/// `(admin_level, osm_id, cameras, status, reason)` of each row.
type Figures = Vec<(String, String, String, String, String)>;

fn figures<'a>(rows: impl Iterator<Item = &'a Value>) -> Figures {
    rows.map(|row| {
        let field = |k: &str| row[k].to_string();
        (
            field("admin_level"),
            field("osm_id"),
            field("cameras"),
            field("status"),
            field("reason"),
        )
    })
    .collect()
}

#[test]
fn placed_and_drawn_counts_agree_at_every_level() {
    for stem in EXTRACTS {
        let input = extract(stem);
        let input = input.to_str().unwrap();
        let levels = ["--admin-level", "2,4,6,7,8,9,10"];
        let placed = json_of(&[input, levels[0], levels[1], "-f", "json"]);
        let drawn = json_of(&[input, levels[0], levels[1], "-f", "geojson"]);
        let placed_rows = figures(placed["communes"].as_array().unwrap().iter());
        let features = drawn["features"].as_array().unwrap();
        let drawn_rows = figures(features.iter().map(|f| &f["properties"]));
        assert_eq!(placed_rows, drawn_rows, "{stem}");
        let counted = placed_rows.iter().filter(|r| r.2 != "null").count();
        assert!(counted > 0, "{stem}: some zone is counted");
    }
    // Monaco's 29 cameras in one zone take the interval tree: the busy path.
    let monaco = json_of(&[extract("monaco-2026-07-10").to_str().unwrap(), "-f", "json"]);
    let cameras: Vec<u64> = (monaco["communes"].as_array().unwrap().iter())
        .filter_map(|r| r["cameras"].as_u64())
        .collect();
    assert!(cameras.iter().any(|&n| n >= 24), "{cameras:?}");
}

/// Communes placed at assembly keep a point inside them for a rollup by
/// level; the groups keep their geometry.
#[test]
fn placed_and_drawn_rollups_by_level_agree() {
    let dir = Workdir::new();
    for stem in ["monaco-2026-07-10", "andorra-2025-01-18"] {
        let input = extract(stem);
        let rollup = |format: &str| {
            let out = dir.path(&format!("{stem}-{format}.rollup.csv"));
            camcount()
                .arg(&input)
                .args(["--rollup-level", "2", "-q", "-f", format, "-o"])
                .arg(dir.path(&format!("{stem}.{format}")))
                .arg("--rollup-output")
                .arg(&out)
                .assert()
                .success();
            std::fs::read_to_string(out).unwrap()
        };
        let placed = rollup("csv");
        assert_eq!(placed, rollup("geojson"), "{stem}");
        assert!(placed.lines().count() >= 2, "{stem}: {placed}");
    }
}
