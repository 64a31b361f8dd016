//! Tests of blob framing: empty input, other formats recognised, and cuts
//! named by blob and offset.

use super::*;

fn read_all(bytes: &[u8]) -> Result<Vec<RawBlob>, PbfError> {
    BlobReader::new(bytes).collect()
}

#[test]
fn empty_input_is_named_empty() {
    let err = read_all(b"").unwrap_err();
    assert!(err.to_string().contains("empty file"), "{err}");
}

#[test]
fn xml_and_gzip_are_recognised() {
    let xml = read_all(b"<?xml version='1.0'?><osm/>").unwrap_err();
    assert!(xml.to_string().contains("OSM XML"), "{xml}");
    let gz = read_all(&[0x1f, 0x8b, 8, 0, 0, 0]).unwrap_err();
    assert!(gz.to_string().contains("gzip"), "{gz}");
}

// Issue: a file cut inside its header blob's data named blob 1.
#[test]
fn a_cut_inside_the_header_blob_names_blob_0() {
    let file = crate::pbf::writer::PbfWriter::new(Vec::new(), Default::default())
        .unwrap()
        .finish()
        .unwrap();
    let err = read_all(&file[..file.len() - 3]).unwrap_err();
    assert_eq!(
        err.location,
        Location::Blob {
            index: 0,
            offset: file.len() as u64 - 3
        }
    );
    assert!(err.problem.contains("inside a Blob"), "{err}");
}

#[test]
fn one_byte_is_truncated_at_offset_1() {
    let err = read_all(b"\0").unwrap_err();
    assert_eq!(err.location, Location::Offset(1));
    assert!(err.problem.contains("truncated"));
}

fn data_blob(raw: &[u8], compression: crate::pbf::writer::Compression) -> RawBlob {
    RawBlob {
        index: 1,
        offset: 0,
        frame_len: 0,
        kind: BlobKind::Data,
        data: crate::pbf::writer::blob_message(raw, compression).unwrap(),
    }
}

#[test]
fn a_prefix_is_inflated_only_as_far_as_its_question() {
    use crate::pbf::writer::Compression;
    let raw: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let zlib = data_blob(&raw, Compression::Zlib(6));
    // Asked for 20,000 bytes, it stops after the second step (16 + 32
    // KiB), and what it gives is the start of the block.
    let mut seen = 0;
    let len = zlib.inflate_prefix(|prefix| {
        seen = prefix.len();
        (prefix.len() >= 20_000 && prefix == &raw[..prefix.len()]).then_some(prefix.len())
    });
    assert_eq!(len, Some(48 * 1024));
    assert_eq!(seen, 48 * 1024);
    // No answer from the whole block; none either for the other codecs.
    assert_eq!(zlib.inflate_prefix(|_| None::<()>), None);
    assert_eq!(
        zlib.inflate_prefix(|p| (p.len() == raw.len()).then_some(())),
        Some(())
    );
    for other in [Compression::None, Compression::Lz4] {
        assert_eq!(data_blob(&raw, other).inflate_prefix(|_| Some(())), None);
    }
    // zlib data cut short inside a whole Blob message: no answer, and no
    // endless wait for the rest.
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    std::io::Write::write_all(&mut encoder, &raw).unwrap();
    let deflated = encoder.finish().unwrap();
    let mut message = Vec::new();
    crate::pbf::wire::put_uint(&mut message, 2, raw.len() as u64);
    crate::pbf::wire::put_bytes(&mut message, 3, &deflated[..deflated.len() - 4000]);
    let cut = RawBlob {
        data: message,
        ..data_blob(&raw, Compression::None)
    };
    assert_eq!(
        cut.inflate_prefix(|p| (p.len() == raw.len()).then_some(())),
        None
    );
    assert_eq!(
        cut.inflate_prefix(|p| (p.len() >= 1000).then_some(())),
        Some(())
    );
}
