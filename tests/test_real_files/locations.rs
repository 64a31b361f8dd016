//! Ways that carry their nodes' locations: files from `osmium
//! add-locations-to-ways` and from our own writer give the outputs of the
//! plain file, and locations that disagree with the node refs are refused
//! with the blob named.

use std::path::{Path, PathBuf};

use camcount::fixtures::{self, write_elements};
use camcount::pbf::writer::{WayLocations, WriterOptions};
use camcount::pbf::{read_elements, OsmElement};
use predicates::str::contains;

use crate::common::{camcount, data_dir, extract, Workdir};
use crate::{osmium, outputs};

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
