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
