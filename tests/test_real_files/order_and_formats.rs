//! Order and format: negative ids in the order `osmium sort` gives them are
//! accepted, a sort header that lies is refused, a cut inside the header
//! blob names blob 0, and OSM XML, o5m and o5c inputs are named with the
//! `osmium cat` that converts them.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use camcount::fixtures::{self, write_elements};
use camcount::pbf::{read_elements, OsmElement};
use predicates::str::contains;

use crate::common::{camcount, extract, Workdir};
use crate::{osmium, outputs};

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

/// Regression (2026-12-07): a history file in XML was told to convert
/// with `osmium cat … -o out.osm.pbf`, which writes a snapshot's header,
/// and `camcount history` then refused the result as no history file. The
/// remedy names an `.osh.pbf`, sorted, and following it works.
#[test]
fn history_xml_is_named_with_a_conversion_that_history_reads() {
    let wd = Workdir::new();
    let xml = wd.path("monaco.osh");
    osmium(&[
        "cat".as_ref(),
        crate::common::data_dir()
            .join("history/monaco-2021-2026.osh.pbf")
            .as_os_str(),
        "-o".as_ref(),
        xml.as_os_str(),
    ]);
    let run = camcount()
        .args(["history", "--at", "2024-01-01", "-q"])
        .arg(&xml)
        .assert()
        .code(1);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let remedy = format!("`osmium sort {} -o out.osh.pbf`", xml.display());
    assert!(stderr.contains(&remedy), "{stderr}");
    let converted = wd.path("out.osh.pbf");
    osmium(&[
        "sort".as_ref(),
        xml.as_os_str(),
        "-o".as_ref(),
        converted.as_os_str(),
    ]);
    let run = camcount()
        .args(["cameras", "--at", "2024-01-01", "-q"])
        .arg(&converted)
        .assert()
        .success();
    // osmium time-filter gives 16 cameras at this date (PROVENANCE.md).
    let rows = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert_eq!(rows.lines().count(), 1 + 16, "{rows}");
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
