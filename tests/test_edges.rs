//! Edge cases of the side inputs and of the run's environment: the border
//! rule on exact grid points, duplicate codes in `--boundaries`, signals,
//! the umask, dangling `-o` symlinks and memory limits. Fixtures are
//! written by our own PBF writer; their coordinates are chosen where a
//! nanodegree camera and a 1e-7 vertex decode to doubles one ulp apart.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use camcount::fixtures::{node, relation, way, write_elements};
use camcount::pbf::block::ElementType;
use common::{camcount, read_csv, Workdir};

const CAMERA: (&str, &str) = ("man_made", "surveillance");

/// Four zones around the vertex (7.42, 43.73): A south-west, B south-east,
/// C north-west, D north-east, each 0.01° square, in this order.
const ZONES: [(&str, f64, f64); 4] = [
    ("A", 7.41, 43.72),
    ("B", 7.42, 43.72),
    ("C", 7.41, 43.73),
    ("D", 7.42, 43.73),
];

/// Cameras on the A|B edge, on the shared vertex, on the A|C edge, on D's
/// outer east border, and inside D. By the README's rule: A 3, D 2.
const CAMERAS: [(f64, f64); 5] = [
    (7.42, 43.725),
    (7.42, 43.73),
    (7.415, 43.73),
    (7.43, 43.735),
    (7.425, 43.735),
];

fn camera_nodes() -> Vec<camcount::pbf::OsmElement> {
    CAMERAS
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat))| node(1 + i as i64, lon, lat, &[CAMERA]))
        .collect()
}

fn corners(x: f64, y: f64) -> [(f64, f64); 4] {
    [(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01)]
}

/// Cameras per zone code and the outside count, from a CSV table and the
/// summary on stderr.
fn cameras_by_ref(args: &[&OsStr]) -> BTreeMap<String, String> {
    let output = camcount().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    read_csv(&String::from_utf8(output.stdout).unwrap())
        .into_iter()
        .map(|r| (r["ref"].clone(), r["cameras"].clone()))
        .collect()
}

fn expected() -> BTreeMap<String, String> {
    [("A", "3"), ("B", "0"), ("C", "0"), ("D", "2")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Regression (2026-12-04): on OSM zones, cameras on a shared edge or
/// vertex went to a later zone and one on an outer border was outside.
#[test]
fn border_rule_on_osm_zones() {
    let wd = Workdir::new();
    let mut elements = camera_nodes();
    let mut ways = Vec::new();
    let mut relations = Vec::new();
    for (z, &(code, x, y)) in ZONES.iter().enumerate() {
        let first = 100 + 10 * z as i64;
        for (c, &(lon, lat)) in corners(x, y).iter().enumerate() {
            elements.push(node(first + c as i64, lon, lat, &[]));
        }
        let id = 1000 + z as i64;
        let refs = [first, first + 1, first + 2, first + 3, first];
        ways.push(way(id, &refs, &[]));
        relations.push(relation(
            id,
            &[(ElementType::Way, id, "outer")],
            &[
                ("type", "boundary"),
                ("boundary", "administrative"),
                ("admin_level", "8"),
                ("ref:INSEE", code),
            ],
        ));
    }
    elements.extend(ways);
    elements.extend(relations);
    let input = wd.path("zones.osm.pbf");
    write_elements(&elements, &input, Default::default()).unwrap();
    let found = cameras_by_ref(&[input.as_os_str(), OsStr::new("-q")]);
    assert_eq!(found, expected());
}

fn geojson_zones(order: &[usize]) -> String {
    let features: Vec<String> = order
        .iter()
        .map(|&z| {
            let (code, x, y) = ZONES[z];
            let ring: Vec<String> = corners(x, y)
                .iter()
                .chain(&corners(x, y)[..1])
                .map(|(lon, lat)| format!("[{lon},{lat}]"))
                .collect();
            format!(
                r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                ring.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

/// Regression (2026-12-04): the same with `--boundaries`, whose vertices
/// are decimal degrees; the first feature wins a border.
#[test]
fn border_rule_on_geojson_zones() {
    let wd = Workdir::new();
    let input = wd.path("cameras.osm.pbf");
    write_elements(&camera_nodes(), &input, Default::default()).unwrap();
    let zones = wd.write("zones.geojson", geojson_zones(&[0, 1, 2, 3]).as_bytes());
    let args = |zones: &Path| -> Vec<PathBuf> {
        vec![
            input.clone(),
            "--boundaries".into(),
            zones.into(),
            "-q".into(),
        ]
    };
    let run = |zones: &Path| {
        let args = args(zones);
        cameras_by_ref(&args.iter().map(|a| a.as_os_str()).collect::<Vec<_>>())
    };
    assert_eq!(run(&zones), expected());
    // Listed D first, D wins every border it has: the vertex and the
    // B|D, C|D edges; A keeps the edges D does not touch.
    let reversed = wd.write("reversed.geojson", geojson_zones(&[3, 2, 1, 0]).as_bytes());
    let found = run(&reversed);
    assert_eq!(found["D"], "3", "{found:?}");
    assert_eq!(found["A"], "0", "{found:?}");
    assert_eq!(found["C"], "1", "{found:?}");
    assert_eq!(found["B"], "1", "{found:?}");
}

/// Regression (2026-12-04): two features with one code each got the full
/// population, and the département counted it twice.
#[test]
fn features_sharing_a_code_are_counted_once() {
    let wd = Workdir::new();
    let input = wd.path("cameras.osm.pbf");
    write_elements(&camera_nodes(), &input, Default::default()).unwrap();
    let zones = geojson_zones(&[0, 1, 3])
        .replace(r#""code":"A""#, r#""code":"06001","nom":"Aiglun""#)
        .replace(r#""code":"B""#, r#""code":"06002","nom":"Amirat""#)
        .replace(r#""code":"D""#, r#""code":"06001","nom":"Aiglun""#);
    let zones = wd.write("zones.geojson", zones.as_bytes());
    let population = wd.write("pop.csv", b"code,population\n06001,100\n06002,50\n");
    let rollup = wd.path("departements.csv");
    let output = camcount()
        .arg(&input)
        .args(["--boundaries".as_ref(), zones.as_os_str()])
        .args(["--boundary-name-field", "nom", "--population"])
        .arg(&population)
        .args(["--rollup", "departement", "--rollup-output"])
        .arg(&rollup)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("features 0 and 2 share the code 06001: joined into one zone"),
        "{stderr}"
    );
    let rows = read_csv(&String::from_utf8(output.stdout).unwrap());
    let found: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["ref"].as_str(),
                r["cameras"].as_str(),
                r["population"].as_str(),
            )
        })
        .collect();
    assert_eq!(found, [("06001", "5", "100"), ("06002", "0", "50")]);
    let groups = read_csv(&std::fs::read_to_string(&rollup).unwrap());
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["population"], "150", "{groups:?}");
    assert_eq!(groups[0]["communes"], "2", "{groups:?}");
    assert_eq!(groups[0]["cameras"], "5", "{groups:?}");
}
