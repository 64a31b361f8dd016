//! The order of a history file: sorted by type, id and version, as
//! osmium writes it. Each stage notes its blobs' first and last element;
//! the whole file is checked once every stage has read.
//!
//! In: each blob's [`BlobOrder`]. Out: `Ok`, or an error naming the first
//! blob out of order and the remedy (`osmium sort`), or, when ids repeat
//! without versions, saying that the file carries no metadata.

use std::path::Path;

use crate::error::{Error, Location, PbfError, Result};
use crate::pbf::block::ElementType;

/// `(type, id, version)`: the order of a sorted history file.
pub(super) type Key = (ElementType, i64, i32);

/// A blob's first and last element, and whether it is in order inside.
#[derive(Debug, Clone, Copy)]
pub(super) struct BlobOrder {
    pub first: Key,
    pub last: Key,
    pub in_order: bool,
    /// Some id comes twice inside: the blob holds an object's versions.
    pub repeats: bool,
    /// The highest version inside (0 when versions are not known).
    pub max_version: i32,
}

impl BlobOrder {
    /// The order of a blob of elements of one `kind`, from their ids and
    /// versions (one per element; `None` for none). One pass without
    /// branches: the node stage takes it for every block.
    pub fn of(kind: ElementType, ids: &[i64], versions: &[i32]) -> Option<BlobOrder> {
        assert_eq!(ids.len(), versions.len(), "one version per id");
        let (mut in_order, mut repeats) = (true, false);
        for (id, version) in ids.windows(2).zip(versions.windows(2)) {
            let same = id[0] == id[1];
            in_order &= (id[0] < id[1]) | (same & (version[0] < version[1]));
            repeats |= same;
        }
        let n = ids.len();
        (n > 0).then(|| BlobOrder {
            first: (kind, ids[0], versions[0]),
            last: (kind, ids[n - 1], versions[n - 1]),
            in_order,
            repeats,
            max_version: versions.iter().copied().max().unwrap_or(0),
        })
    }
}

/// Whether some object of the file holds two versions (inside a blob or
/// across two), and the highest version seen. No object with two versions
/// and some past version 1: a snapshot, whatever its header says.
pub(super) fn versions_signs(order: &[Option<BlobOrder>]) -> (bool, i32) {
    let blobs: Vec<&BlobOrder> = order.iter().flatten().collect();
    let repeats = blobs.iter().any(|b| b.repeats)
        || (blobs.windows(2)).any(|w| (w[0].last.0, w[0].last.1) == (w[1].first.0, w[1].first.1));
    let max_version = blobs.iter().map(|b| b.max_version).max().unwrap_or(0);
    (repeats, max_version)
}

pub(super) fn not_sorted(path: &Path, why: &str) -> Error {
    Error::pbf(
        path,
        PbfError::new(
            Location::File,
            format!("not a history file sorted by type, id and version ({why}); sort it with `osmium sort`"),
        ),
    )
}

/// Why a file whose objects come more than once without a version is
/// refused: nothing orders or dates its versions.
pub(super) fn without_metadata(object: &str) -> String {
    format!(
        "objects come more than once without a version (from {object} on): the file carries no \
         metadata (versions, timestamps), so its versions can be neither ordered nor dated; \
         give a history file with its metadata, as osmium and planet dumps write them \
         (`add_metadata=false` drops it)"
    )
}

/// Every blob was read by some stage, each is in order, and each starts
/// at or after the end of the one before.
pub(super) fn check_order(path: &Path, order: &[Option<BlobOrder>]) -> Result<()> {
    let mut before: Option<Key> = None;
    for (i, blob) in order.iter().enumerate() {
        let Some(blob) = blob else {
            return Err(not_sorted(
                path,
                &format!("blob {i} lies outside every section"),
            ));
        };
        // Version 0 is an element without one: it names none.
        let describe = |k: Key| match k.2 {
            0 => format!("{} {}", k.0.as_str(), k.1),
            version => format!("{} {} version {version}", k.0.as_str(), k.1),
        };
        // Every version 0: the file carries no metadata, and `osmium sort`
        // cannot order what nothing tells apart (found 2026-12-07: "node 2
        // version 0 comes after node 2 version 0", sort it).
        if !blob.in_order && blob.repeats && blob.max_version <= 0 {
            return Err(Error::pbf(
                path,
                PbfError::new(Location::File, without_metadata(&describe(blob.first))),
            ));
        }
        if !blob.in_order {
            return Err(not_sorted(
                path,
                &format!("blob {i} holds its elements out of order"),
            ));
        }
        if let Some(b) = before.filter(|b| *b >= blob.first) {
            return Err(not_sorted(
                path,
                &format!(
                    "blob {i} starts with {} after {}",
                    describe(blob.first),
                    describe(b)
                ),
            ));
        }
        before = Some(blob.last);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_in_order_by_id_then_version() {
        let order = |ids: &[i64], versions: &[i32]| BlobOrder::of(ElementType::Node, ids, versions);
        let o = order(&[1, 1, 2, 5, 5, 5], &[1, 2, 7, 1, 3, 4]).unwrap();
        assert!(o.in_order && o.repeats);
        assert_eq!(
            (o.first, o.last, o.max_version),
            ((ElementType::Node, 1, 1), (ElementType::Node, 5, 4), 7)
        );
        let o = order(&[1, 2, 3], &[4, 1, 1]).unwrap();
        assert!(o.in_order && !o.repeats);
        // A version repeated or falling within an id, an id falling.
        assert!(!order(&[1, 1], &[2, 2]).unwrap().in_order);
        assert!(!order(&[1, 1], &[3, 2]).unwrap().in_order);
        assert!(!order(&[2, 1], &[1, 1]).unwrap().in_order);
        assert!(order(&[], &[]).is_none());
    }

    /// Regression (2026-12-06): a node blob read by its ids alone, put
    /// after the relations, was said to start with "node 21911883 version
    /// 2147483647", a version no node has. An element without a version
    /// (0) names none.
    #[test]
    fn an_element_without_a_version_names_none() {
        let relations = BlobOrder {
            first: (ElementType::Relation, 1, 1),
            last: (ElementType::Relation, 3, 2),
            in_order: true,
            repeats: false,
            max_version: 2,
        };
        let nodes = BlobOrder::of(ElementType::Node, &[21911883, 21911990], &[0, 0]);
        let err = check_order(Path::new("h.osh.pbf"), &[Some(relations), nodes])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("blob 1 starts with node 21911883 after relation 3 version 2"),
            "{err}"
        );
    }

    /// Regression (2026-12-07): a file without metadata repeats ids at
    /// version 0, and was told to sort, which changes nothing.
    #[test]
    fn ids_repeated_without_versions_are_said_to_lack_metadata() {
        let unversioned = BlobOrder::of(ElementType::Node, &[7, 7, 9], &[0, 0, 0]);
        let err = check_order(Path::new("h.osh.pbf"), &[unversioned])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("from node 7 on") && err.contains("no metadata"),
            "{err}"
        );
        assert!(!err.contains("osmium sort"), "{err}");
        // Versions out of order are a sort's business.
        let unsorted = BlobOrder::of(ElementType::Node, &[7, 7], &[2, 1]);
        let err = check_order(Path::new("h.osh.pbf"), &[unsorted])
            .unwrap_err()
            .to_string();
        assert!(err.contains("osmium sort"), "{err}");
    }
}
