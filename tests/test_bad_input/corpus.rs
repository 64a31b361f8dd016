//! The bad-input corpus: every kind of damage (wrong formats, truncation,
//! corruption, bad framing, bad features, dangling references, paths that
//! are not files), each run through every subcommand: exit 1 with one line,
//! or exit 0 with Monaco's own output, never a panic or a hang.

use camcount::fixtures::Seeded;
use camcount::pbf::wire::{put_bytes, put_packed, put_packed_delta, put_uint, unzigzag};
use camcount::pbf::writer::{blob_message, frame, Compression};

use crate::common::{camcount, extract, Workdir};
use crate::{assert_data_error, frame_boundaries, header_blob};

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
    /// Valid, with no boundary relation: exit 0, but the count has no zone
    /// to count in (exit 1, one line).
    SucceedButNoZone,
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
        Expect::SucceedButNoZone,
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
                (Some(0), Expect::SucceedButNoZone) if !command.is_empty() => {}
                (Some(1), Expect::SucceedButNoZone) if command.is_empty() => {
                    assert_data_error(&output, &path, "holds no boundary relation")
                }
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
