//! Bad input gets exit code 1 and one line naming the file and, where it
//! applies, the blob and byte offset; never a panic or a hang. Bad options get
//! exit code 2. A failed run leaves no output and never clobbers a good one.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use camcount::fixtures::Seeded;
use camcount::pbf::wire::put_bytes;
use camcount::pbf::writer::{blob_message, frame, Compression};
use common::{camcount, extract, Workdir};

fn run_cameras(input: &Path, extra: &[&str]) -> Output {
    camcount()
        .arg("cameras")
        .arg(input)
        .args(extra)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("run camcount")
}

/// Asserts that a run succeeded, showing what it said if not.
fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts exit 1 and a single error line that names the file and contains `needle`.
fn assert_data_error(output: &Output, input: &Path, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.starts_with("camcount: error: "), "{stderr}");
    assert!(
        stderr.contains(&input.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert!(output.stdout.is_empty(), "no output on failure");
}

#[test]
fn missing_file() {
    let wd = Workdir::new();
    let input = wd.path("nope.osm.pbf");
    assert_data_error(&run_cameras(&input, &[]), &input, "No such file");
}

#[test]
fn directory() {
    let wd = Workdir::new();
    let input = wd.path("");
    assert_data_error(&run_cameras(&input, &[]), &input, "is a directory");
}

#[test]
fn empty_file() {
    let wd = Workdir::new();
    let input = wd.write("empty.osm.pbf", b"");
    assert_data_error(&run_cameras(&input, &[]), &input, "empty file");
}

#[test]
fn one_byte_file() {
    let wd = Workdir::new();
    let input = wd.write("one.osm.pbf", b"\x00");
    assert_data_error(&run_cameras(&input, &[]), &input, "truncated");
}

#[test]
fn wrong_formats_are_named() {
    let wd = Workdir::new();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "map.osm",
            b"<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\"></osm>\n",
            "OSM XML",
        ),
        (
            "map.geojson",
            b"{\"type\":\"FeatureCollection\",\"features\":[]}",
            "GeoJSON",
        ),
        (
            "map.osm.gz",
            &[
                0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
            "gzip",
        ),
    ];
    for (name, bytes, needle) in cases {
        let input = wd.write(name, bytes);
        assert_data_error(&run_cameras(&input, &[]), &input, needle);
    }
}

#[cfg(unix)]
#[test]
fn fifo_is_refused_without_hanging() {
    let wd = Workdir::new();
    let input = wd.path("pipe.osm.pbf");
    let status = std::process::Command::new("mkfifo")
        .arg(&input)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    assert_data_error(&run_cameras(&input, &[]), &input, "not a regular file");
}

/// Frame boundaries of a PBF file: where each blob frame starts, and the end.
fn frame_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = vec![0];
    let mut pos = 0;
    while pos < bytes.len() {
        let header_len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let header = &bytes[pos + 4..pos + 4 + header_len];
        let mut data_len = 0;
        for field in camcount::pbf::wire::Fields::new(header) {
            if let (3, value) = field.unwrap() {
                data_len = value.varint().unwrap() as usize;
            }
        }
        pos += 4 + header_len + data_len;
        offsets.push(pos);
    }
    offsets
}

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

fn header_blob(required: &[&str]) -> Vec<u8> {
    let mut header = Vec::new();
    for feature in required {
        put_bytes(&mut header, 4, feature.as_bytes());
    }
    frame(
        "OSMHeader",
        &blob_message(&header, Compression::Zlib(6)).unwrap(),
    )
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

#[test]
fn failed_run_keeps_the_existing_output_and_leaves_no_temp_file() {
    let wd = Workdir::new();
    let out = wd.write("cameras.csv", b"yesterday's good table\n");
    let input = wd.write("broken.osm.pbf", b"<osm/>");
    let output = run_cameras(&input, &["-o", out.to_str().unwrap()]);
    assert_data_error(&output, &input, "OSM XML");
    assert_eq!(std::fs::read(&out).unwrap(), b"yesterday's good table\n");
    assert_eq!(wd.listing(), ["broken.osm.pbf", "cameras.csv"]);
}

#[test]
fn unwritable_output_fails_before_the_scan() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let out = wd.path("no-such-dir/cameras.csv");
    let output = run_cameras(&input, &["-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("no-such-dir/cameras.csv: cannot write output"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("cameras ("),
        "no summary: the scan never ran: {stderr}"
    );
}

#[test]
fn broken_pipe_exits_zero_quietly() {
    let wd = Workdir::new();
    let elements: Vec<_> = (1..=50_000)
        .map(|id| camcount::fixtures::node(id, 1.0, 1.0, &[("man_made", "surveillance")]))
        .collect();
    let input = wd.path("many.osm.pbf");
    camcount::fixtures::write_elements(&elements, &input, Default::default()).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("camcount");
    let script = format!(
        "set -o pipefail; '{}' cameras '{}' | head -1",
        binary.display(),
        input.display()
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bad_options_exit_2() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    for args in [
        vec!["--threads", "0"],
        vec!["--format", "xml"],
        vec!["--no-such-flag"],
        vec!["-q", "-v"],
    ] {
        let output = run_cameras(&input, &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = camcount().output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let _ = OsStr::new("");
}

// ---- the bad-input corpus: every kind of damage, every subcommand ----------

use camcount::pbf::wire::{put_packed, put_packed_delta, put_uint, unzigzag};

/// A PrimitiveBlock of a string table and one group of dense nodes, both
/// encoded already.
fn block_of(table: &[u8], dense: &[u8]) -> Vec<u8> {
    let mut group = Vec::new();
    put_bytes(&mut group, 2, dense);
    let mut block = Vec::new();
    put_bytes(&mut block, 1, table);
    put_bytes(&mut block, 2, &group);
    block
}

/// A PrimitiveBlock of dense nodes, written by hand so that it can lie.
fn dense_block(strings: &[&[u8]], ids: &[i64], keys_vals: &[u64]) -> Vec<u8> {
    let mut table = Vec::new();
    for s in strings {
        put_bytes(&mut table, 1, s);
    }
    let mut dense = Vec::new();
    put_packed_delta(&mut dense, 1, ids);
    put_packed_delta(&mut dense, 8, &vec![0; ids.len()]);
    put_packed_delta(&mut dense, 9, &vec![0; ids.len()]);
    put_packed(&mut dense, 10, keys_vals.iter().copied());
    block_of(&table, &dense)
}

fn with_header(blobs: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = header_blob(&["OsmSchema-V0.6", "DenseNodes"]);
    for blob in blobs {
        bytes.extend(frame("OSMData", blob));
    }
    bytes
}

/// A file of one zlib data blob holding `block`, after a valid header.
fn zlib_file(block: &[u8]) -> Vec<u8> {
    with_header(&[blob_message(block, Compression::Zlib(6)).unwrap()])
}

/// A zlib Blob whose raw_size field says `claimed`.
fn zlib_blob_claiming(raw: &[u8], claimed: u64) -> Vec<u8> {
    let honest = blob_message(raw, Compression::Zlib(6)).unwrap();
    let mut payload = Vec::new();
    for field in camcount::pbf::wire::Fields::new(&honest) {
        if let (3, v) = field.unwrap() {
            payload = v.bytes().unwrap().to_vec();
        }
    }
    let mut blob = Vec::new();
    put_uint(&mut blob, 2, claimed);
    put_bytes(&mut blob, 3, &payload);
    blob
}

struct BadInput {
    kind: &'static str,
    name: String,
    bytes: Option<Vec<u8>>,
    expect: Expect,
}

#[derive(Clone, Copy, PartialEq)]
enum Expect {
    /// Truly invalid data: exit 1 with one line.
    Fail,
    /// Damaged Monaco: exit 1, or exit 0 with Monaco's own output.
    FailOrPristine,
    /// Valid but odd (dangling references): exit 0.
    Succeed,
}

fn bad_inputs(monaco: &[u8]) -> Vec<BadInput> {
    let mut inputs = Vec::new();
    let mut add = |kind: &'static str, name: String, bytes: Option<Vec<u8>>, expect: Expect| {
        inputs.push(BadInput {
            kind,
            name,
            bytes,
            expect,
        })
    };
    add(
        "empty/wrong format",
        "empty.osm.pbf".into(),
        Some(vec![]),
        Expect::Fail,
    );
    add(
        "empty/wrong format",
        "one-byte.osm.pbf".into(),
        Some(vec![0]),
        Expect::Fail,
    );
    add(
        "empty/wrong format",
        "map.osm".into(),
        Some(b"<?xml version='1.0'?><osm/>".to_vec()),
        Expect::Fail,
    );
    add(
        "empty/wrong format",
        "map.geojson".into(),
        Some(b"{\"type\":\"FeatureCollection\"}".to_vec()),
        Expect::Fail,
    );
    add(
        "empty/wrong format",
        "map.gz".into(),
        Some(vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0]),
        Expect::Fail,
    );
    let boundaries = frame_boundaries(monaco);
    for &cut in boundaries
        .iter()
        .filter(|&&b| b > 0 && b < monaco.len())
        .skip(1)
    {
        // Cut inside the next frame's length prefix: the file must be refused.
        add(
            "truncation",
            format!("cut-{}.osm.pbf", cut + 2),
            Some(monaco[..cut + 2].to_vec()),
            Expect::FailOrPristine,
        );
    }
    let mut rng = Seeded::new(0x51ed_2701_aa55_1234);
    let mut next = move || rng.next_u64();
    for _ in 0..20 {
        let cut = (next() % (monaco.len() as u64 - 100)) as usize + 50;
        add(
            "truncation",
            format!("cut-{cut}.osm.pbf"),
            Some(monaco[..cut].to_vec()),
            Expect::FailOrPristine,
        );
    }
    for _ in 0..50 {
        let offset = (next() % monaco.len() as u64) as usize;
        let mut bytes = monaco.to_vec();
        bytes[offset] ^= 0x10;
        add(
            "corruption",
            format!("flip-{offset}.osm.pbf"),
            Some(bytes),
            Expect::FailOrPristine,
        );
    }
    let node_block = dense_block(&[b"", b"man_made", b"surveillance"], &[1, 2], &[1, 2, 0, 0]);
    add(
        "bad framing",
        "raw-size-small.osm.pbf".into(),
        Some(with_header(&[zlib_blob_claiming(
            &node_block,
            node_block.len() as u64 - 1,
        )])),
        Expect::Fail,
    );
    add(
        "bad framing",
        "raw-size-large.osm.pbf".into(),
        Some(with_header(&[zlib_blob_claiming(
            &node_block,
            node_block.len() as u64 + 1,
        )])),
        Expect::Fail,
    );
    add(
        "bad framing",
        "zlib-bomb.osm.pbf".into(),
        Some(with_header(&[zlib_blob_claiming(
            &vec![0u8; 40 << 20],
            1000,
        )])),
        Expect::Fail,
    );
    let mut big_header = header_blob(&["OsmSchema-V0.6"]);
    big_header.extend_from_slice(&70_000u32.to_be_bytes());
    add(
        "bad framing",
        "blob-header-70k.osm.pbf".into(),
        Some(big_header),
        Expect::Fail,
    );
    add(
        "bad features",
        "unknown-feature.osm.pbf".into(),
        Some(header_blob(&["OsmSchema-V0.6", "Sort.Hilbert"])),
        Expect::Fail,
    );
    add(
        "bad features",
        "history.osm.pbf".into(),
        Some(header_blob(&["OsmSchema-V0.6", "HistoricalInformation"])),
        Expect::Succeed,
    );
    let non_utf8 = dense_block(
        &[b"", b"man_made", b"surveillance", b"name", b"\xff\xfe"],
        &[1],
        &[1, 2, 3, 4, 0],
    );
    add(
        "bad features",
        "non-utf8.osm.pbf".into(),
        Some(zlib_file(&non_utf8)),
        Expect::Fail,
    );
    let out_of_range = dense_block(&[b"", b"man_made", b"surveillance"], &[1], &[1, 999, 0]);
    add(
        "bad features",
        "string-index.osm.pbf".into(),
        Some(zlib_file(&out_of_range)),
        Expect::Fail,
    );
    let mut overflow = Vec::new();
    put_packed(&mut overflow, 1, [unzigzag(i64::MIN), unzigzag(-1)]);
    let overflow_block = dense_block_raw_ids(&overflow);
    add(
        "bad features",
        "delta-overflow.osm.pbf".into(),
        Some(zlib_file(&overflow_block)),
        Expect::Fail,
    );
    add(
        "bad references",
        "missing-nodes.osm.pbf".into(),
        None,
        Expect::Succeed,
    );
    add(
        "bad references",
        "relation-cycle.osm.pbf".into(),
        None,
        Expect::Succeed,
    );
    inputs
}

/// A dense block whose id column is given as raw packed bytes.
fn dense_block_raw_ids(ids_field: &[u8]) -> Vec<u8> {
    let mut table = Vec::new();
    put_bytes(&mut table, 1, b"");
    let mut dense = ids_field.to_vec();
    put_packed(&mut dense, 8, [0, 0]);
    put_packed(&mut dense, 9, [0, 0]);
    block_of(&table, &dense)
}

/// Valid files with dangling references: a camera way and a boundary over
/// missing nodes, and two boundary relations that contain each other.
fn write_reference_cases(wd: &Workdir) {
    use camcount::fixtures::{node, relation, way, write_elements};
    use camcount::pbf::block::ElementType;
    let boundary = [
        ("type", "boundary"),
        ("boundary", "administrative"),
        ("admin_level", "8"),
    ];
    let missing = vec![
        node(1, 0.0, 0.0, &[]),
        way(10, &[1, 2, 3, 1], &[("man_made", "surveillance")]),
        relation(20, &[(ElementType::Way, 10, "outer")], &boundary),
    ];
    write_elements(
        &missing,
        &wd.path("missing-nodes.osm.pbf"),
        Default::default(),
    )
    .unwrap();
    let cycle = vec![
        node(1, 0.0, 0.0, &[]),
        node(2, 0.01, 0.0, &[]),
        node(3, 0.0, 0.01, &[]),
        way(10, &[1, 2, 3, 1], &[]),
        relation(
            20,
            &[
                (ElementType::Way, 10, "outer"),
                (ElementType::Relation, 21, "subarea"),
            ],
            &boundary,
        ),
        relation(
            21,
            &[
                (ElementType::Way, 10, "outer"),
                (ElementType::Relation, 20, "subarea"),
            ],
            &boundary,
        ),
    ];
    write_elements(
        &cycle,
        &wd.path("relation-cycle.osm.pbf"),
        Default::default(),
    )
    .unwrap();
}

#[test]
fn bad_input_corpus_on_every_subcommand() {
    let wd = Workdir::new();
    let monaco_path = extract("monaco-2026-07-10");
    let monaco = std::fs::read(&monaco_path).unwrap();
    write_reference_cases(&wd);
    let commands: [&[&str]; 3] = [&["cameras"], &["boundaries"], &[]];
    let pristine: Vec<Vec<u8>> = commands
        .iter()
        .map(|c| {
            camcount()
                .args(*c)
                .arg(&monaco_path)
                .arg("-q")
                .output()
                .unwrap()
                .stdout
        })
        .collect();
    let mut tried: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut inputs = bad_inputs(&monaco);
    // Paths that are not files: made here, listed like the others.
    std::fs::create_dir(wd.path("a-directory.osm.pbf")).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(wd.path("fifo.osm.pbf"))
        .status()
        .unwrap()
        .success());
    for name in ["a-directory.osm.pbf", "fifo.osm.pbf", "missing.osm.pbf"] {
        inputs.push(BadInput {
            kind: "not a file",
            name: name.into(),
            bytes: None,
            expect: Expect::Fail,
        });
    }
    for input in &inputs {
        let path = match &input.bytes {
            Some(bytes) => wd.write(&input.name, bytes),
            None => wd.path(&input.name),
        };
        *tried.entry(input.kind).or_default() += 1;
        for (command, good) in commands.iter().zip(&pristine) {
            let output = camcount()
                .args(*command)
                .arg(&path)
                .arg("-q")
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !stderr.contains("panicked"),
                "{} {command:?}: {stderr}",
                input.name
            );
            match (output.status.code(), input.expect) {
                (Some(0), Expect::Succeed) => {}
                (Some(0), Expect::FailOrPristine) => assert!(
                    &output.stdout == good,
                    "{} {command:?}: exit 0 with a changed output",
                    input.name
                ),
                (Some(1), Expect::Fail | Expect::FailOrPristine) => {
                    assert_data_error(&output, &path, "")
                }
                (other, _) => panic!("{} {command:?}: exit {other:?}: {stderr}", input.name),
            }
        }
    }
    for (kind, n) in &tried {
        eprintln!("bad-input corpus: {n} {kind} inputs x 3 subcommands");
    }
    assert!(tried["truncation"] >= 20 && tried["corruption"] == 50);
}

/// A side file's case: the option it goes to, its name and bytes, and
/// what the run must say: `Err(needle)` for exit 1 naming the file, or
/// `Ok(needle)` for exit 0 with a warning holding the needle.
struct SideInput {
    option: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
    expect: Result<&'static str, &'static str>,
}

/// A FeatureCollection of Monaco squares; `features` are `(properties,
/// x0, y0)` with sides of 0.01 degree, and `extra` goes before them.
fn monaco_squares(extra: &str, features: &[(&str, f64, f64)]) -> Vec<u8> {
    let features: Vec<String> = features
        .iter()
        .map(|(properties, x, y)| {
            let (x1, y1) = (x + 0.01, y + 0.01);
            format!(
                r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection",{extra}"features":[{}]}}"#,
        features.join(",")
    )
    .into_bytes()
}

fn side_inputs() -> Vec<SideInput> {
    let geojson = |name, bytes, expect| SideInput {
        option: "--boundaries",
        name,
        bytes,
        expect,
    };
    let lambert = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"#;
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(monaco_squares("", &[(r#"{"code":"99001"}"#, 7.41, 43.72)]));
    let projected = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[1044000,6298000],[1045000,6298000],[1045000,6299000],[1044000,6298000]]]}}]}"#;
    let point = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[7.42,43.73]}}]}"#;
    let line = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7.42,43.73],[7.43,43.74]]}}]}"#;
    vec![
        geojson("bom.geojson", bom, Ok("")),
        geojson(
            "lambert93.geojson",
            monaco_squares(lambert, &[(r#"{"code":"1"}"#, 7.41, 43.72)]),
            Err("EPSG::2154, not longitude/latitude (WGS 84); convert it with: ogr2ogr -t_srs EPSG:4326"),
        ),
        geojson(
            "projected.geojson",
            projected.to_vec(),
            Err("feature 0: position [1044000,6298000] is beyond longitude"),
        ),
        geojson("point.geojson", point.to_vec(), Err("feature 0: geometry is a Point")),
        geojson("line.geojson", line.to_vec(), Err("feature 0: geometry is a LineString")),
        geojson(
            "duplicate.geojson",
            monaco_squares(
                "",
                &[
                    (r#"{"code":"99001","nom":"Une"}"#, 7.41, 43.72),
                    (r#"{"code":"99001","nom":"Autre"}"#, 7.42, 43.73),
                ],
            ),
            Ok("features 0 and 1 share the code 99001 but different names"),
        ),
        geojson(
            "numeric.geojson",
            monaco_squares("", &[(r#"{"code":6001}"#, 7.41, 43.72)]),
            Ok("feature 0: \"code\" is the number 6001, not a string"),
        ),
        SideInput {
            option: "--population",
            name: "ragged.csv",
            bytes: b"code,population\n06012,100\n\n06032\n06150,1,2\n".to_vec(),
            expect: Ok("line 5: 3 fields where the header has 2 (row skipped)"),
        },
    ]
}

/// The side files (`--boundaries`, `--population`) in the corpus: each
/// either fails with one line naming the file, or runs and warns. Never a
/// panic or a hang.
#[test]
fn bad_input_corpus_of_side_files() {
    let wd = Workdir::new();
    let monaco = extract("monaco-2026-07-10");
    let cases = side_inputs();
    for case in &cases {
        let path = wd.write(case.name, &case.bytes);
        let output = camcount()
            .arg(&monaco)
            .arg(case.option)
            .arg(&path)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        match case.expect {
            Err(needle) => assert_data_error(&output, &path, needle),
            Ok(needle) => {
                assert_eq!(output.status.code(), Some(0), "{}: {stderr}", case.name);
                assert!(stderr.contains(needle), "{}: {stderr}", case.name);
                assert!(!stderr.contains("error"), "{}: {stderr}", case.name);
            }
        }
    }
    eprintln!("bad-input corpus: {} side files", cases.len());
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

#[cfg(unix)]
#[test]
fn interrupted_runs_leave_no_partial_file_and_keep_the_old_one() {
    use camcount::fixtures::{node, write_elements};
    let wd = Workdir::new();
    let input = wd.path("big.osm.pbf");
    let nodes: Vec<_> = (1..=3_000_000)
        .map(|id| {
            node(
                id,
                (id % 3600) as f64 * 0.1 - 180.0,
                (id % 1700) as f64 * 0.1 - 85.0,
                &[("man_made", "surveillance")],
            )
        })
        .collect();
    write_elements(&nodes, &input, Default::default()).unwrap();
    drop(nodes);
    // 128 + the signal, as shells report it (SIGTERM and SIGHUP exited
    // 130 like SIGINT before 2026-12-04).
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let out = wd.write("cameras.csv", b"the good old table\n");
        let binary = assert_cmd::cargo::cargo_bin("camcount");
        let mut child = std::process::Command::new(binary)
            .args(["cameras", "--threads", "1", "-q", "-o"])
            .arg(&out)
            .arg(&input)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let still_running = child.try_wait().unwrap().is_none();
        std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"the good old table\n",
            "SIG{signal}"
        );
        let leftovers: Vec<String> = wd
            .listing()
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "SIG{signal} left {leftovers:?}");
        assert!(
            still_running,
            "the run must still be going when the signal comes"
        );
        assert_eq!(status.code(), Some(code), "SIG{signal}");
    }
}

/// Regression: `-o /dev/null` once renamed a temporary file over /dev/null,
/// replacing the device with a regular file. Devices and FIFOs are written
/// in place; a FIFO stands in for the device here.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let fifo = wd.path("out.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let output = run_cameras(&input, &["-q", "-o", fifo.to_str().unwrap()]);
    assert_success(&output);
    assert!(reader.join().unwrap().starts_with("osm_type,"));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "still a FIFO"
    );
    assert!(!wd.listing().iter().any(|n| n.ends_with(".tmp")));
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link_and_the_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let real = wd.write("real.csv", b"old\n");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = wd.path("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = run_cameras(&input, &["-q", "-o", link.to_str().unwrap()]);
    assert_success(&output);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("osm_type,"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
}
