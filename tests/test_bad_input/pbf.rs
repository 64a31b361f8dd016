//! Damaged and hostile PBF files: truncated at every byte or at blob
//! edges, flipped bits, oversized blob headers and blobs, unsupported
//! compressions, unknown required features, a lying sort header, and
//! hostile sizes that must keep memory bounded. History files are read.

use camcount::fixtures::Seeded;
use camcount::pbf::wire::put_bytes;
use camcount::pbf::writer::frame;

use crate::common::{camcount, extract, Workdir};
use crate::{assert_data_error, assert_success, frame_boundaries, header_blob, run_cameras};

#[test]
fn truncation_at_every_byte_of_a_fixture() {
    let wd = Workdir::new();
    let whole = std::fs::read(wd.case("camera-way-closed")).unwrap();
    let boundaries = frame_boundaries(&whole);
    let full_output = run_cameras(&wd.case("camera-way-closed"), &["-q"]).stdout;
    for cut in 0..whole.len() {
        let input = wd.write("cut.osm.pbf", &whole[..cut]);
        let output = run_cameras(&input, &["-q"]);
        if boundaries.contains(&cut) && cut >= boundaries[1] {
            // PBF has no end marker: a file cut exactly between blobs is a
            // smaller valid file. Its output must still be honest.
            assert!(output.status.success(), "cut at {cut}");
            assert!(full_output.starts_with(&output.stdout[..output.stdout.len().min(100)]));
        } else {
            let needle = if cut == 0 { "empty" } else { "" };
            assert_data_error(&output, &input, needle);
        }
    }
}

#[test]
fn truncation_of_monaco_at_blob_edges_and_seeded_offsets() {
    let wd = Workdir::new();
    let whole = std::fs::read(extract("monaco-2026-07-10")).unwrap();
    let mut cuts: Vec<usize> = frame_boundaries(&whole)
        .iter()
        .flat_map(|&b| [b.saturating_sub(1), b + 1])
        .filter(|&c| c > 0 && c < whole.len())
        .collect();
    let mut rng = Seeded::new(0x2545_f491_4f6c_dd1d);
    for _ in 0..20 {
        cuts.push((rng.next_u64() % whole.len() as u64) as usize);
    }
    for cut in cuts {
        let input = wd.write("monaco-cut.osm.pbf", &whole[..cut]);
        let output = run_cameras(&input, &["-q"]);
        assert_data_error(&output, &input, "at byte");
    }
}

#[test]
fn flipped_bytes_fail_cleanly_or_change_nothing() {
    let wd = Workdir::new();
    let original = extract("monaco-2026-07-10");
    let good = run_cameras(&original, &["-q"]).stdout;
    let whole = std::fs::read(&original).unwrap();
    let mut rng = Seeded::new(0x9e37_79b9_7f4a_7c15);
    let (mut failed, mut unchanged) = (0, 0);
    for _ in 0..50 {
        let seed = rng.next_u64();
        let offset = (seed % whole.len() as u64) as usize;
        let mut bytes = whole.clone();
        bytes[offset] ^= 1 << (seed >> 61);
        let input = wd.write("flipped.osm.pbf", &bytes);
        let output = run_cameras(&input, &["-q"]);
        if output.status.success() {
            assert_eq!(
                output.stdout, good,
                "flip at {offset} changed the output silently"
            );
            unchanged += 1;
        } else {
            assert_data_error(&output, &input, "");
            failed += 1;
        }
    }
    eprintln!("50 flips: {failed} clean errors, {unchanged} harmless");
}

/// Regression (2026-12-05): two extracts joined end to end (`cat a b`)
/// read as one, the second header skipped: Monaco 2026 read `partial`
/// against the 2021 file's box, dated 2021. Every command refuses it.
#[test]
fn two_files_joined_end_to_end_are_refused() {
    let wd = Workdir::new();
    let older = std::fs::read(extract("monaco-2021-04-21")).unwrap();
    let mut joined = older.clone();
    joined.extend(std::fs::read(extract("monaco-2026-07-10")).unwrap());
    let input = wd.write("joined.osm.pbf", &joined);
    let needle = format!(
        "at byte {}: a second OSMHeader: two files joined end to end",
        older.len()
    );
    assert_data_error(&run_cameras(&input, &["-q"]), &input, &needle);
    let counted = camcount().arg(&input).arg("-q").output().unwrap();
    assert_data_error(&counted, &input, &needle);
    let history = camcount()
        .args(["history", "--at", "2024-01-01", "-q"])
        .arg(&input)
        .output()
        .unwrap();
    assert_data_error(&history, &input, &needle);
}

/// Regression (2026-12-06): a blob whose type was not OSMData was skipped,
/// as the spec allows, and only `cameras` said so: one flipped byte in a
/// type read Monaco 15 cameras of 29, exit 0, and `history` 27 of 32.
/// Every command refuses it, as libosmium does.
#[test]
fn a_blob_of_an_unknown_type_is_refused() {
    let wd = Workdir::new();
    let whole = std::fs::read(extract("monaco-2026-07-10")).unwrap();
    let edges = frame_boundaries(&whole);
    // The type string of the third blob (a data blob): "OSMData" → "OSMDatA".
    let start = edges[2];
    let at = start
        + whole[start..]
            .windows(7)
            .position(|w| w == b"OSMData")
            .unwrap();
    let mut bytes = whole.clone();
    bytes[at + 6] = b'A';
    let input = wd.write("unknown.osm.pbf", &bytes);
    let needle = format!(
        "blob 2 at byte {start}: a blob of type \"OSMDatA\", neither OSMHeader nor OSMData"
    );
    assert_data_error(&run_cameras(&input, &["-q"]), &input, &needle);
    for args in [
        &["-q"][..],
        &["boundaries", "-q"],
        &["history", "--at", "2024-01-01", "-q"],
    ] {
        let (command, rest) = match args[0] {
            "-q" => (None, args),
            command => (Some(command), &args[1..]),
        };
        let output = camcount()
            .args(command)
            .args(rest)
            .arg(&input)
            .output()
            .unwrap();
        assert_data_error(&output, &input, &needle);
    }
}

#[test]
fn oversized_blob_header_is_refused() {
    let wd = Workdir::new();
    let mut bytes = header_blob(&["OsmSchema-V0.6"]);
    bytes.extend_from_slice(&(70_000u32).to_be_bytes());
    bytes.extend(std::iter::repeat_n(0u8, 70_000));
    let input = wd.write("big-header.osm.pbf", &bytes);
    assert_data_error(
        &run_cameras(&input, &[]),
        &input,
        "exceeds the format's 64 KiB limit",
    );
}

#[test]
fn oversized_blob_is_refused_before_reading_it() {
    let wd = Workdir::new();
    let mut bytes = header_blob(&["OsmSchema-V0.6"]);
    let mut blob_header = Vec::new();
    put_bytes(&mut blob_header, 1, b"OSMData");
    camcount::pbf::wire::put_uint(&mut blob_header, 3, 33 * 1024 * 1024);
    bytes.extend_from_slice(&(blob_header.len() as u32).to_be_bytes());
    bytes.extend_from_slice(&blob_header);
    let input = wd.write("big-blob.osm.pbf", &bytes);
    let output = run_cameras(&input, &[]);
    assert_data_error(&output, &input, "exceeds the format's 32 MiB limit");
    assert!(String::from_utf8_lossy(&output.stderr).contains("blob 1 at byte"));
}

#[test]
fn unsupported_compressions_are_named() {
    let wd = Workdir::new();
    for (field, name) in [(4, "lzma"), (5, "bzip2"), (7, "zstd")] {
        let mut bytes = header_blob(&["OsmSchema-V0.6"]);
        let mut blob = Vec::new();
        camcount::pbf::wire::put_uint(&mut blob, 2, 10);
        put_bytes(&mut blob, field, b"not really compressed");
        bytes.extend(frame("OSMData", &blob));
        let input = wd.write(&format!("{name}.osm.pbf"), &bytes);
        for command in [&["cameras"][..], &["boundaries"][..], &[][..]] {
            let output = camcount().args(command).arg(&input).output().unwrap();
            assert_data_error(&output, &input, &format!("{name} compression"));
        }
    }
}

/// History files are read since 2026-12-04 (`camcount history`); the
/// plain commands count their newest state.
#[test]
fn history_files_are_read() {
    let wd = Workdir::new();
    let input = wd.write(
        "history.osh.pbf",
        &header_blob(&["OsmSchema-V0.6", "HistoricalInformation"]),
    );
    let output = run_cameras(&input, &[]);
    assert_success(&output);
}

#[test]
fn unknown_required_feature_is_refused() {
    let wd = Workdir::new();
    let input = wd.write(
        "future.osm.pbf",
        &header_blob(&["OsmSchema-V0.6", "Sort.Hilbert"]),
    );
    assert_data_error(&run_cameras(&input, &[]), &input, "\"Sort.Hilbert\"");
}

/// Peak RSS in KiB of `camcount ARGS`, as GNU time reports it.
fn peak_rss_kib(args: &[&std::ffi::OsStr]) -> (bool, u64) {
    let binary = assert_cmd::cargo::cargo_bin("camcount");
    let output = std::process::Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(binary)
        .args(args)
        .output()
        .expect("GNU time (Debian package time) must be installed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let kib = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a %M line");
    (output.status.success(), kib)
}

#[test]
fn hostile_sizes_keep_memory_bounded() {
    use camcount::fixtures::{node, relation, way, write_elements};
    use camcount::pbf::block::ElementType;
    let wd = Workdir::new();
    let mut elements: Vec<_> = (1..=3000)
        .map(|i| node(i, (i as f64) * 1e-5, 0.0, &[]))
        .collect();
    let many_tags: Vec<(String, String)> = (0..1_000_000)
        .map(|i| (format!("k{}", i % 7), "v".to_string()))
        .collect();
    if let camcount::pbf::OsmElement::Node(n) = &mut elements[0] {
        n.tags = many_tags;
        n.tags.push(("man_made".into(), "surveillance".into()));
    }
    let refs: Vec<i64> = (1..=2500).chain([1]).collect();
    elements.push(way(10, &refs, &[("man_made", "surveillance")]));
    let members: Vec<(ElementType, i64, &str)> = (0..1_000_000)
        .map(|i| (ElementType::Way, 100 + i, "outer"))
        .collect();
    elements.push(relation(
        20,
        &members,
        &[
            ("type", "boundary"),
            ("boundary", "administrative"),
            ("admin_level", "8"),
        ],
    ));
    let input = wd.path("hostile-sizes.osm.pbf");
    write_elements(&elements, &input, Default::default()).unwrap();
    for command in [&["cameras"][..], &["boundaries"][..], &[][..]] {
        let mut args: Vec<&std::ffi::OsStr> = command.iter().map(std::ffi::OsStr::new).collect();
        let out = wd.path("out");
        args.extend([
            input.as_os_str(),
            std::ffi::OsStr::new("-q"),
            std::ffi::OsStr::new("-o"),
            out.as_os_str(),
        ]);
        let (ok, kib) = peak_rss_kib(&args);
        assert!(ok, "{command:?} failed");
        eprintln!("hostile sizes, {command:?}: peak RSS {} MiB", kib / 1024);
        assert!(kib < 300 * 1024, "{command:?}: {} MiB", kib / 1024);
    }
}

#[test]
fn lying_sort_header_is_caught() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::writer::WriterOptions;
    let wd = Workdir::new();
    let sorted = wd.path("sorted.osm.pbf");
    let unsorted = wd.path("unsorted.osm.pbf");
    let nodes = |ids: &[i64]| {
        ids.iter()
            .map(|&id| node(id, 0.0, 0.0, &[]))
            .collect::<Vec<_>>()
    };
    let options = |sorted| WriterOptions {
        sorted,
        block_size: 2,
        ..Default::default()
    };
    write_elements(&nodes(&[1, 2, 3, 4]), &sorted, options(true)).unwrap();
    write_elements(&nodes(&[3, 4, 1, 2]), &unsorted, options(false)).unwrap();
    // The sorted file's header, the unsorted file's blobs.
    let header = std::fs::read(&sorted).unwrap();
    let body = std::fs::read(&unsorted).unwrap();
    let mut lying = header[..frame_boundaries(&header)[1]].to_vec();
    lying.extend_from_slice(&body[frame_boundaries(&body)[1]..]);
    let input = wd.write("lying.osm.pbf", &lying);
    assert_data_error(&run_cameras(&input, &[]), &input, "Sort.Type_then_ID");
}
