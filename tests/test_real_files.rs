//! Files as they come from the usual tools, not only as extracts are
//! published: ways carrying their nodes' locations (`osmium
//! add-locations-to-ways`), the same object twice (`osmium cat` of
//! overlapping extracts, `osmium merge` of two dates), negative ids as
//! `osmium sort` orders them, and inputs in another OSM format.
//!
//! The expected outputs come from an independent source each time: the
//! original extract, or the file osmium deduplicates or converts.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use camcount::fixtures::{self, write_elements};
use camcount::pbf::writer::{WayLocations, WriterOptions};
use camcount::pbf::{read_elements, OsmElement};
use common::{camcount, data_dir, extract, Workdir};
use predicates::str::contains;

/// Runs osmium with `args`; osmium-tool is a test dependency (CI installs
/// it), and a missing osmium fails the test.
fn osmium(args: &[&std::ffi::OsStr]) {
    let output = Process::new("osmium")
        .args(args)
        .output()
        .expect("osmium-tool is installed (apt-get install osmium-tool)");
    assert!(
        output.status.success(),
        "osmium {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The three outputs of a file: the commune count CSV, the camera list and
/// the boundary table, and the stderr of the count run.
#[derive(Debug, PartialEq)]
struct Outputs {
    count: String,
    cameras: String,
    boundaries: String,
}

fn outputs(path: &Path) -> Outputs {
    let run = |args: &[&str]| {
        let output = camcount()
            .args(args)
            .arg(path)
            .arg("-q")
            .output()
            .expect("run camcount");
        assert!(
            output.status.success(),
            "camcount {args:?} {} failed: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };
    Outputs {
        count: run(&[]),
        cameras: run(&["cameras"]),
        boundaries: run(&["boundaries"]),
    }
}

/// Every real extract of the data folder.
fn real_extracts() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir().join("pbf"))
        .expect("read the pbf folder")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".osm.pbf"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the real extracts are missing");
    files
}

// Issue: LocationsOnWays files were read as if their ways had no nodes:
// every boundary `incomplete`, 0 zones, camera ways without a position.
#[test]
fn locations_on_ways_files_give_the_outputs_of_their_originals() {
    let wd = Workdir::new();
    let mut compared = 0;
    for original in real_extracts() {
        let expected = outputs(&original);
        let stem = original.file_name().unwrap().to_string_lossy().to_string();
        for (flag, suffix) in [(None, "dropped"), (Some("-n"), "kept")] {
            let located = wd.path(&format!("{stem}.{suffix}.osm.pbf"));
            let mut args = vec![
                "add-locations-to-ways".as_ref(),
                original.as_os_str(),
                "-o".as_ref(),
                located.as_os_str(),
            ];
            args.extend(flag.map(std::ffi::OsStr::new));
            osmium(&args);
            assert_eq!(
                outputs(&located),
                expected,
                "{stem} with locations on ways, untagged nodes {suffix}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 16);
    // The comparison means something: Monaco's count has communes in it.
    let monaco = outputs(&extract("monaco-2026-07-10"));
    assert!(monaco.count.lines().count() > 1, "{}", monaco.count);
    assert!(monaco.boundaries.contains(",ok,"), "{}", monaco.boundaries);
}

/// Writes `elements` with the way locations `locations`.
fn write_with(elements: &[OsmElement], path: &Path, locations: WayLocations) {
    let options = WriterOptions {
        way_locations: locations,
        ..WriterOptions::default()
    };
    write_elements(elements, path, options).expect("write the fixture");
}

#[test]
fn our_writer_s_locations_on_ways_read_as_the_plain_file() {
    let wd = Workdir::new();
    // A real extract, rewritten by our writer three ways.
    let elements = read_elements(&extract("monaco-2026-07-10")).expect("read Monaco");
    let plain = wd.path("plain.osm.pbf");
    write_with(&elements, &plain, WayLocations::Off);
    let expected = outputs(&plain);
    assert!(expected.boundaries.contains(",ok,"));
    for locations in [WayLocations::KeepNodes, WayLocations::DropUntaggedNodes] {
        let located = wd.path(&format!("{locations:?}.osm.pbf"));
        write_with(&elements, &located, locations);
        assert_eq!(outputs(&located), expected, "{locations:?}");
    }
    // The tiny case: a closed camera way whose nodes are all untagged, so
    // the way's own locations are the only ones in the file.
    let case = fixtures::case("camera-way-closed").unwrap();
    let (plain, dropped) = (wd.path("way.osm.pbf"), wd.path("way-dropped.osm.pbf"));
    write_with(&case, &plain, WayLocations::Off);
    write_with(&case, &dropped, WayLocations::DropUntaggedNodes);
    let nodes_left = read_elements(&dropped)
        .unwrap()
        .iter()
        .filter(|e| matches!(e, OsmElement::Node(_)))
        .count();
    assert_eq!(nodes_left, 0, "the fixture keeps no node");
    let cameras = outputs(&dropped).cameras;
    assert_eq!(cameras, outputs(&plain).cameras);
    let row = cameras.lines().nth(1).expect("one camera row");
    assert!(row.starts_with("way,"), "{row}");
    let lon = row.split(',').nth(2).unwrap_or_default();
    assert!(!lon.is_empty(), "the camera way has a position: {row}");
}

#[test]
fn way_locations_that_disagree_with_the_refs_are_refused_with_the_blob() {
    use camcount::pbf::wire::{put_bytes, put_packed, put_packed_delta, put_uint};
    use camcount::pbf::writer::{blob_message, frame, Compression, PbfWriter};
    // A header, then one block of one camera way with two refs and one
    // location.
    let header = PbfWriter::new(Vec::new(), WriterOptions::default())
        .unwrap()
        .finish()
        .unwrap();
    let mut way = Vec::new();
    put_uint(&mut way, 1, 7);
    put_packed(&mut way, 2, [1]);
    put_packed(&mut way, 3, [2]);
    put_packed_delta(&mut way, 8, &[1, 2]);
    put_packed_delta(&mut way, 9, &[437_000_000]);
    put_packed_delta(&mut way, 10, &[74_000_000]);
    let mut group = Vec::new();
    put_bytes(&mut group, 3, &way);
    let mut table = Vec::new();
    for string in ["", "man_made", "surveillance"] {
        put_bytes(&mut table, 1, string.as_bytes());
    }
    let mut block = Vec::new();
    put_bytes(&mut block, 1, &table);
    put_bytes(&mut block, 2, &group);
    let mut file = header;
    file.extend(frame(
        "OSMData",
        &blob_message(&block, Compression::None).unwrap(),
    ));
    let wd = Workdir::new();
    let path = wd.write("cut-locations.osm.pbf", &file);
    camcount()
        .args(["cameras"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("blob 1"))
        .stderr(contains("differ in number from its node refs"));
}

/// `osmium cat` of overlapping extracts, the same sorted, and `osmium
/// merge` of two dates, with the file osmium keeps the latest versions of
/// (`osmium time-filter`) as the reference.
fn monaco_twice(wd: &Workdir) -> (PathBuf, Vec<PathBuf>) {
    let (old, new) = (extract("monaco-2021-04-21"), extract("monaco-2026-07-10"));
    let path = |name: &str| wd.path(name);
    let (cat, sorted, merged, latest) = (
        path("cat.osm.pbf"),
        path("sorted.osm.pbf"),
        path("merged.osm.pbf"),
        path("latest.osm.pbf"),
    );
    let os = |p: &PathBuf| p.as_os_str().to_owned();
    osmium(&[
        "cat".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "-o".as_ref(),
        &os(&cat),
    ]);
    osmium(&["sort".as_ref(), &os(&cat), "-o".as_ref(), &os(&sorted)]);
    osmium(&[
        "merge".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "-o".as_ref(),
        &os(&merged),
    ]);
    osmium(&[
        "time-filter".as_ref(),
        &os(&merged),
        "-o".as_ref(),
        &os(&latest),
    ]);
    (latest, vec![cat, sorted, merged])
}

// Issue: the same object twice listed cameras twice and built a commune
// twice from a mix of versions (2.3888 km² instead of 2.3915).
#[test]
fn objects_found_twice_give_the_outputs_of_the_latest_versions() {
    let wd = Workdir::new();
    let (latest, doubled) = monaco_twice(&wd);
    let expected = outputs(&latest);
    assert!(
        expected.boundaries.contains("2.3915"),
        "{}",
        expected.boundaries
    );
    for path in &doubled {
        assert_eq!(outputs(path), expected, "{}", path.display());
        // One warning, with the count and a remedy.
        let run = camcount()
            .arg(path)
            .arg("-o")
            .arg(wd.path("out.csv"))
            .assert();
        let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
        assert_eq!(warnings.len(), 1, "{stderr}");
        assert!(warnings[0].contains("dropped ") && warnings[0].contains("osmium"));
    }
    // The sorted file's count is of every duplicate: the elements of the
    // file less those of the reference, as osmium counts them.
    let counts = |path: &Path| -> u64 {
        let count = |kind: &str| {
            let output = Process::new("osmium")
                .args(["fileinfo", "-e", "-g", &format!("data.count.{kind}")])
                .arg(path)
                .output()
                .expect("osmium fileinfo");
            let text = String::from_utf8(output.stdout).unwrap();
            text.trim().parse::<u64>().expect("a count")
        };
        ["nodes", "ways", "relations"].map(count).iter().sum()
    };
    let dropped = counts(&doubled[1]) - counts(&latest);
    let run = camcount()
        .arg("cameras")
        .arg(&doubled[1])
        .arg("-o")
        .arg(wd.path("out.csv"))
        .assert()
        .success();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(&format!("dropped {dropped} copies")),
        "{stderr}"
    );
    // A file without duplicates says nothing of them.
    let run = camcount()
        .arg("cameras")
        .arg(&latest)
        .arg("-o")
        .arg(wd.path("o.csv"))
        .assert();
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// A camera node with a version.
fn versioned(id: i64, version: i32, lon: f64) -> OsmElement {
    with_version(id, version, lon, &[("man_made", "surveillance")])
}

/// A node with a version and tags.
fn with_version(id: i64, version: i32, lon: f64, tags: &[(&str, &str)]) -> OsmElement {
    let mut element = fixtures::node(id, lon, 1.0, tags);
    if let OsmElement::Node(node) = &mut element {
        node.meta = Some(camcount::pbf::OsmMeta {
            version,
            ..Default::default()
        });
    }
    element
}

#[test]
fn the_highest_version_is_kept_and_on_a_tie_the_last_read() {
    let wd = Workdir::new();
    // Node 1: version 3 before version 2. Node 2: two copies of version 1.
    // Node 3: versions 1 then 2, side by side as `osmium merge` writes.
    // Node 4: a camera in version 1, no longer in version 2.
    let elements = [
        versioned(1, 3, 10.0),
        versioned(1, 2, 20.0),
        versioned(2, 1, 30.0),
        versioned(2, 1, 40.0),
        versioned(3, 1, 50.0),
        versioned(3, 2, 60.0),
        versioned(4, 1, 70.0),
        with_version(4, 2, 80.0, &[("amenity", "bench")]),
    ];
    let longitudes = |sorted: bool| {
        let path = wd.path(&format!("twice-{sorted}.osm.pbf"));
        let sorted_only = &elements[2..];
        let options = WriterOptions {
            sorted,
            block_size: 2,
            ..WriterOptions::default()
        };
        let chosen = if sorted { sorted_only } else { &elements[..] };
        write_elements(chosen, &path, options).unwrap();
        let cameras = outputs(&path).cameras;
        cameras
            .lines()
            .skip(1)
            .map(|row| {
                let fields: Vec<&str> = row.split(',').collect();
                (fields[1].to_string(), fields[2].to_string())
            })
            .collect::<Vec<_>>()
    };
    let pair = |id: &str, lon: &str| (id.to_string(), lon.to_string());
    assert_eq!(
        longitudes(false),
        [
            pair("1", "10.0000000"),
            pair("2", "40.0000000"),
            pair("3", "60.0000000")
        ]
    );
    // Sorted (ids equal side by side, across blobs of two): the same.
    assert_eq!(
        longitudes(true),
        [pair("2", "40.0000000"), pair("3", "60.0000000")]
    );
}

/// A small OSM XML file with negative ids, written out of order, as JOSM
/// saves new objects: camera nodes −2 and 3, a closed camera way −5.
const NEGATIVE_IDS_XML: &str = r#"<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="camcount test">
  <node id="3" version="1" lat="1.0" lon="3.0"><tag k="man_made" v="surveillance"/></node>
  <node id="-2" version="1" lat="1.0" lon="-2.0"><tag k="man_made" v="surveillance"/></node>
  <node id="-1" version="1" lat="1.0" lon="-1.0"/>
  <node id="-10" version="1" lat="2.0" lon="-1.0"/>
  <node id="1" version="1" lat="2.0" lon="1.0"/>
  <way id="-5" version="1">
    <nd ref="-1"/><nd ref="-10"/><nd ref="1"/><nd ref="-1"/>
    <tag k="man_made" v="surveillance"/>
  </way>
  <way id="-4" version="1"><nd ref="3"/><nd ref="1"/></way>
</osm>
"#;

// Issue: valid sorted files with negative ids were refused with "out of
// order; sort the file with `osmium sort`".
#[test]
fn negative_ids_sorted_by_osmium_are_accepted() {
    let wd = Workdir::new();
    let xml = wd.write("josm.osm", NEGATIVE_IDS_XML.as_bytes());
    let (sorted, plain) = (wd.path("sorted.osm.pbf"), wd.path("plain.osm.pbf"));
    let os = |p: &PathBuf| p.as_os_str().to_owned();
    osmium(&["sort".as_ref(), &os(&xml), "-o".as_ref(), &os(&sorted)]);
    osmium(&["cat".as_ref(), &os(&xml), "-o".as_ref(), &os(&plain)]);
    let header = camcount::pbf::PbfFile::open(&sorted).unwrap().header;
    assert!(header.is_sorted(), "osmium sort declares the order");
    let elements = read_elements(&sorted).unwrap();
    let first_ids: Vec<i64> = elements
        .iter()
        .filter_map(|e| match e {
            OsmElement::Node(n) => Some(n.id),
            _ => None,
        })
        .collect();
    assert_eq!(first_ids, [-1, -2, -10, 1, 3], "osmium's order");
    // The unsorted copy takes the other path through the scan: same answer.
    let expected = outputs(&plain);
    assert_eq!(outputs(&sorted), expected);
    let rows: Vec<&str> = expected.cameras.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{}", expected.cameras);
    assert!(
        rows[0].starts_with("node,-2,-2.0000000,1.0000000"),
        "{}",
        rows[0]
    );
    assert!(rows[2].starts_with("way,-5,"), "{}", rows[2]);
    assert!(
        !rows[2].split(',').nth(2).unwrap().is_empty(),
        "{}",
        rows[2]
    );
}

#[test]
fn a_sorted_file_out_of_osmium_s_order_is_still_refused() {
    use camcount::pbf::writer::WriterOptions;
    let wd = Workdir::new();
    // Our writer checks the same order, so write −2 before −1 unsorted and
    // give the file a sorted header taken from a sorted twin.
    let nodes = |ids: &[i64]| -> Vec<OsmElement> {
        ids.iter()
            .map(|&id| fixtures::node(id, 0.0, 0.0, &[]))
            .collect()
    };
    let options = |sorted| WriterOptions {
        sorted,
        ..WriterOptions::default()
    };
    let (sorted, unsorted) = (wd.path("s.osm.pbf"), wd.path("u.osm.pbf"));
    write_elements(&nodes(&[-1, -2]), &sorted, options(true)).unwrap();
    write_elements(&nodes(&[-2, -1]), &unsorted, options(false)).unwrap();
    let header_end = |bytes: &[u8]| {
        let len = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
        let header = &bytes[4..4 + len];
        // BlobHeader field 3 (datasize) is the last varint in our writer's.
        let mut pos = header.len() - 1;
        while pos > 0 && header[pos - 1] & 0x80 != 0 {
            pos -= 1;
        }
        let mut size = 0usize;
        for (k, &b) in header[pos..].iter().enumerate() {
            size |= ((b & 0x7f) as usize) << (7 * k);
        }
        4 + len + size
    };
    let (s, u) = (
        std::fs::read(&sorted).unwrap(),
        std::fs::read(&unsorted).unwrap(),
    );
    let mut lying = s[..header_end(&s)].to_vec();
    lying.extend_from_slice(&u[header_end(&u)..]);
    let input = wd.write("lying.osm.pbf", &lying);
    camcount()
        .arg("cameras")
        .arg(&input)
        .assert()
        .code(1)
        .stderr(contains("out of order"))
        .stderr(contains("blob 1"));
}

// Issue: a file cut inside the data of its header blob named blob 1.
#[test]
fn a_cut_inside_the_header_blob_names_blob_0() {
    let wd = Workdir::new();
    let bytes = std::fs::read(extract("monaco-2026-07-10")).unwrap();
    // The header frame: a 4-byte length, the BlobHeader, then its blob.
    let header_len = u32::from_be_bytes(bytes[..4].try_into().unwrap()) as usize;
    let blob_start = 4 + header_len;
    let cut = wd.write("cut.osm.pbf", &bytes[..blob_start + 10]);
    for command in [&["cameras"][..], &[], &["boundaries"]] {
        let run = camcount().args(command).arg(&cut).assert().code(1);
        let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains("blob 0 at byte"), "{stderr}");
        assert!(stderr.contains("truncated"), "{stderr}");
        assert!(!stderr.contains("blob 1"), "{stderr}");
    }
}

/// Runs every command on `path` and checks the one-line refusal.
fn assert_named(path: &Path, format: &str) {
    for command in [&["cameras"][..], &[], &["boundaries"]] {
        let run = camcount().args(command).arg(path).assert().code(1);
        let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(stderr.contains(&*name), "{stderr}");
        assert!(
            stderr.contains(&format!("is {format}, not OSM PBF")),
            "{stderr}"
        );
        let remedy = format!("`osmium cat {} -o out.osm.pbf`", path.display());
        assert!(stderr.contains(&remedy), "{stderr}");
    }
}

#[test]
fn xml_and_o5m_inputs_are_named_with_the_conversion() {
    let wd = Workdir::new();
    // OSM XML as osmium writes it, and as JOSM saves it.
    let xml = wd.path("monaco.osm");
    osmium(&[
        "cat".as_ref(),
        extract("monaco-2021-04-21").as_os_str(),
        "-o".as_ref(),
        xml.as_os_str(),
    ]);
    assert_named(&xml, "OSM XML");
    assert_named(
        &wd.write("josm.osm", NEGATIVE_IDS_XML.as_bytes()),
        "OSM XML",
    );
    // An empty o5m file (osmium reads o5m but does not write it): reset,
    // header `o5m2`, end. osmium itself names its format.
    let o5m = wd.write("empty.o5m", b"\xff\xe0\x04o5m2\xfe");
    let info = Process::new("osmium")
        .args(["fileinfo"])
        .arg(&o5m)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Format: O5M"));
    assert_named(&o5m, "an o5m file");
    assert_named(
        &wd.write("change.o5c", b"\xff\xe0\x04o5c2\xfe"),
        "an o5c (OSM change) file",
    );
}

#[test]
fn a_camera_whose_latest_version_is_no_camera_is_not_listed() {
    let wd = Workdir::new();
    let bench = [("amenity", "bench")];
    let cameras = |elements: &[OsmElement], sorted: bool| {
        let path = wd.path(&format!("superseded-{sorted}.osm.pbf"));
        let options = WriterOptions {
            sorted,
            block_size: 2,
            ..WriterOptions::default()
        };
        write_elements(elements, &path, options).unwrap();
        let listed = outputs(&path).cameras;
        listed
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // Unsorted, as `osmium cat` of two dates writes it: the two copies of
    // node 4 in two blobs, nothing else twice.
    let unsorted = [
        versioned(4, 1, 70.0),
        with_version(5, 1, 0.0, &[]),
        with_version(4, 2, 80.0, &bench),
        with_version(6, 1, 0.0, &[]),
    ];
    assert_eq!(cameras(&unsorted, false), Vec::<String>::new());
    // The file with the old copy alone lists it: the test can fail.
    assert_eq!(cameras(&unsorted[..2], false).len(), 1);
    // Sorted, as `osmium merge` writes it.
    let merged = [versioned(4, 1, 70.0), with_version(4, 2, 80.0, &bench)];
    assert_eq!(cameras(&merged, true), Vec::<String>::new());
    // The same in one blob of a file without the sort promise in its
    // header, as `osmium merge` writes it.
    assert_eq!(cameras(&merged, false), Vec::<String>::new());
    // And the other way round: a node that became a camera is listed.
    let became = [with_version(4, 1, 70.0, &bench), versioned(4, 2, 80.0)];
    let listed = cameras(&became, true);
    assert_eq!(listed.len(), 1);
    assert!(listed[0].starts_with("node,4,80.0000000"), "{listed:?}");
}
