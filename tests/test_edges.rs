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

/// Runs `camcount ARGS` through `sh` with `setup` first (a umask, a
/// ulimit), in `dir`.
fn camcount_after(setup: &str, dir: &Path, args: &[&OsStr]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("camcount");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{setup}; exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn temp_files(wd: &Workdir) -> Vec<String> {
    wd.listing()
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

/// Regression (2026-12-04): a new output was always 0644.
#[cfg(unix)]
#[test]
fn new_outputs_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    for (umask, mode) in [
        ("027", 0o640),
        ("000", 0o666),
        ("077", 0o600),
        ("022", 0o644),
    ] {
        let out = wd.path(&format!("cameras-{umask}.csv"));
        let args = [OsStr::new("cameras"), input.as_os_str(), OsStr::new("-q")];
        let output = camcount_after(
            &format!("umask {umask}"),
            &wd.path(""),
            &[&args[..], &[OsStr::new("-o"), out.as_os_str()]].concat(),
        );
        assert!(output.status.success(), "{output:?}");
        let found = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(found, mode, "umask {umask}: {found:o}");
    }
}

/// Regression (2026-12-04): `-o` naming a dangling symlink replaced the
/// link with a regular file. It is written through: the file it names is
/// created, through a chain of links and a relative target too.
#[cfg(unix)]
#[test]
fn a_dangling_output_symlink_is_written_through() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    std::fs::create_dir(wd.path("tables")).unwrap();
    let link = wd.path("latest.csv");
    std::os::unix::fs::symlink("middle.csv", &link).unwrap();
    std::os::unix::fs::symlink("tables/cameras.csv", wd.path("middle.csv")).unwrap();
    let output = camcount()
        .args(["cameras", "-q", "-o"])
        .arg(&link)
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    for name in ["latest.csv", "middle.csv"] {
        let meta = std::fs::symlink_metadata(wd.path(name)).unwrap();
        assert!(meta.file_type().is_symlink(), "{name} is still a link");
    }
    let written = std::fs::read_to_string(wd.path("tables/cameras.csv")).unwrap();
    assert!(written.starts_with("osm_type,"), "{written}");
    assert!(temp_files(&wd).is_empty());
    // A link into a missing folder fails, naming the path, and stays.
    let nowhere = wd.path("nowhere.csv");
    std::os::unix::fs::symlink("missing/cameras.csv", &nowhere).unwrap();
    let output = camcount()
        .args(["cameras", "-q", "-o"])
        .arg(&nowhere)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nowhere.csv: cannot write output"),
        "{stderr}"
    );
    assert!(std::fs::symlink_metadata(&nowhere)
        .unwrap()
        .file_type()
        .is_symlink());
}

/// Camera nodes in many blobs, enough that listing them all needs more
/// than 80 MB of address space.
fn many_cameras(wd: &Workdir, count: i64) -> PathBuf {
    let nodes: Vec<_> = (1..=count)
        .map(|id| {
            let (lon, lat) = (
                (id % 3600) as f64 * 0.1 - 180.0,
                (id % 1700) as f64 * 0.1 - 85.0,
            );
            node(id, lon, lat, &[CAMERA])
        })
        .collect();
    let path = wd.path("many.osm.pbf");
    write_elements(&nodes, &path, Default::default()).unwrap();
    path
}

/// Regression (2026-12-04): an allocation failure aborted (exit 134,
/// "memory allocation of 5 bytes failed") and left the temporary output.
/// It is now one error line, exit 1, and the temporary file is removed.
#[cfg(target_os = "linux")]
#[test]
fn an_allocation_failure_is_a_clean_error() {
    let wd = Workdir::new();
    let input = many_cameras(&wd, 400_000);
    let out = wd.path("cameras.csv");
    let args = [
        OsStr::new("cameras"),
        OsStr::new("--threads"),
        OsStr::new("3"),
        OsStr::new("-q"),
        OsStr::new("-o"),
        out.as_os_str(),
        input.as_os_str(),
    ];
    let output = camcount_after("ulimit -v 80000", &wd.path(""), &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("camcount: error: out of memory (an allocation of "),
        "{stderr}"
    );
    assert!(stderr.contains("ulimit -v"), "{stderr}");
    assert!(temp_files(&wd).is_empty(), "{:?}", wd.listing());
    assert!(!out.exists());
    // Without the limit the same run succeeds: the limit was the cause.
    let output = camcount_after("true", &wd.path(""), &args);
    assert!(output.status.success(), "{output:?}");
}

/// Regression (2026-12-06): under tight address-space limits a run
/// panicked (exit 101: a thread that freed memory aside, rayon's global
/// pool started by the rendering outside the run's pool), said "cannot
/// start 0 threads" with the usage code 2, or failed with exit 1 after
/// the output was in place. At every limit the run now succeeds with the
/// free run's table, or fails with one line, exit 1, the previous file
/// intact and no temporary file left.
#[cfg(target_os = "linux")]
#[test]
fn every_memory_limit_gives_the_table_or_a_clean_error() {
    let wd = Workdir::new();
    let input = common::extract("andorra-2025-01-18");
    let out = wd.path("table.csv");
    let args = [
        input.as_os_str(),
        OsStr::new("-j"),
        OsStr::new("1"),
        OsStr::new("-q"),
        OsStr::new("-o"),
        out.as_os_str(),
    ];
    assert!(camcount_after("true", &wd.path(""), &args).status.success());
    let table = std::fs::read(&out).unwrap();
    // From the least limit the binary starts under (a debug build needs
    // more): below it the loader fails, before camcount runs.
    let version = [OsStr::new("--version")];
    let start = (4_000..200_000)
        .step_by(1_000)
        .find(|limit| {
            camcount_after(&format!("ulimit -v {limit}"), &wd.path(""), &version)
                .status
                .success()
        })
        .expect("camcount starts under some limit");
    let (mut failed, mut succeeded) = (0, 0);
    for limit in (start..start + 60_000).step_by(1_000) {
        std::fs::write(&out, "GOOD\n").unwrap();
        let output = camcount_after(&format!("ulimit -v {limit}"), &wd.path(""), &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                assert_eq!(std::fs::read(&out).unwrap(), table, "{limit} KiB");
                succeeded += 1;
            }
            Some(1) => {
                assert_eq!(stderr.lines().count(), 1, "{limit} KiB: {stderr}");
                assert!(stderr.starts_with("camcount: error: "), "{stderr}");
                assert_eq!(std::fs::read(&out).unwrap(), b"GOOD\n", "{limit} KiB");
                failed += 1;
            }
            code => panic!("{limit} KiB: exit {code:?}: {stderr}"),
        }
        assert!(
            temp_files(&wd).is_empty(),
            "{limit} KiB: {:?}",
            wd.listing()
        );
    }
    assert!(
        failed > 0 && succeeded > 0,
        "{failed} failed, {succeeded} succeeded"
    );
}

/// Under an address-space limit the run needs its true footprint, not 64
/// MiB of reservations per thread's glibc arena. On a 100 MiB corpus the
/// release build with 8 threads aborted under 256 MiB before 2026-12-04;
/// whether glibc makes extra arenas depends on thread timing, so this
/// small case guards the capped run's result rather than reproducing the
/// abort every time.
#[cfg(target_os = "linux")]
#[test]
fn a_limited_address_space_is_enough_for_many_threads() {
    let wd = Workdir::new();
    let input = common::extract("liechtenstein-2024-03-04");
    let args = [
        input.as_os_str(),
        OsStr::new("--threads"),
        OsStr::new("8"),
        OsStr::new("-q"),
    ];
    let free = camcount_after("true", &wd.path(""), &args);
    let limited = camcount_after("ulimit -v 131072", &wd.path(""), &args);
    assert!(limited.status.success(), "{limited:?}");
    assert_eq!(limited.stdout, free.stdout);
}

/// Regression (2026-12-06): `--progress` promised a bar on stderr "even
/// when it is not a terminal", and drew nothing there (indicatif hides
/// its bars off a terminal). It draws; without it, nothing is drawn.
#[test]
fn progress_draws_a_bar_off_a_terminal_when_asked() {
    let input = common::extract("monaco-2026-07-10");
    let run = |flag: Option<&str>| {
        let output = common::camcount()
            .args(flag)
            .arg("cameras")
            .arg(&input)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    assert!(run(Some("--progress")).contains(" KiB/669.51 KiB"));
    assert!(!run(None).contains("KiB/"));
    assert!(!run(Some("--no-progress")).contains("KiB/"));
}
