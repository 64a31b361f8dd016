//! The same object twice (`osmium cat` of overlapping extracts, `osmium
//! merge` of two dates): the latest version is kept, with one warning that
//! counts the copies dropped, and a camera whose latest version is no
//! camera is not listed.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use camcount::fixtures::{self, write_elements};
use camcount::pbf::writer::WriterOptions;
use camcount::pbf::OsmElement;

use crate::common::{camcount, extract, Workdir};
use crate::{osmium, outputs};

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
        // (`osmium cat` writes no bounding box, which is said apart.)
        let warnings: Vec<&str> = (stderr.lines())
            .filter(|l| l.contains("warning") && !l.contains("states no bounding box"))
            .collect();
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
