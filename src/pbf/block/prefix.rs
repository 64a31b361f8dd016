//! A block's first element type, read from its first bytes.
//!
//! Why: finding the sections of a sorted file inflates one blob at each
//! step of a binary search, one after another, while the other cores wait.
//! Most steps only ask which type a blob starts with, and that is the key
//! of its first group's first field, right after the string table: a few
//! percent of the block (141 KB of a 2.6 MB relation block in the tiled
//! corpus, 2026-12-06). Only the key is read, not the field it opens, which
//! for dense nodes is nearly the whole block.
//!
//! In: a prefix of a PrimitiveBlock's bytes. Out: the type of its first
//! element, or nothing when the prefix ends before that key.

use super::{group_field_type, ElementType};
use crate::pbf::wire::{read_varint, skip_field};

const LENGTH_DELIMITED: u64 = 2;
/// The key of a PrimitiveBlock's `primitivegroup` field (2, length-delimited).
const GROUP_KEY: u64 = 2 << 3 | LENGTH_DELIMITED;

/// The type of the block's first element, as
/// [`super::PrimitiveBlock::type_span`] gives it, once `prefix` reaches the
/// key of that element's field. `None` when it ends before, or is damaged
/// before: the whole block, read the usual way, then answers, or names the
/// damage.
pub fn first_type_in_prefix(prefix: &[u8]) -> Option<ElementType> {
    let mut pos = 0;
    while pos < prefix.len() {
        let key = read_varint(prefix, &mut pos).ok()?;
        if key != GROUP_KEY {
            pos = skip_field(prefix, pos, key).ok()?;
            continue;
        }
        let len = usize::try_from(read_varint(prefix, &mut pos).ok()?).ok()?;
        let end = pos.checked_add(len)?;
        let present = &prefix[pos..end.min(prefix.len())];
        match first_in_group(present)? {
            Some(kind) => return Some(kind),
            // A group without elements, whole in the prefix: the next.
            None if end <= prefix.len() => pos = end,
            None => return None,
        }
    }
    None
}

/// The type of a group's first element field: `Some(None)` when the bytes
/// end cleanly without one, `None` when they break off or are damaged.
fn first_in_group(group: &[u8]) -> Option<Option<ElementType>> {
    let mut pos = 0;
    while pos < group.len() {
        let key = read_varint(group, &mut pos).ok()?;
        if let Some(kind) = u32::try_from(key >> 3).ok().and_then(group_field_type) {
            // Elements are messages; another wire type is damage.
            return (key & 7 == LENGTH_DELIMITED).then_some(Some(kind));
        }
        pos = skip_field(group, pos, key).ok()?;
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::wire::{put_bytes, put_uint};

    /// A block of a string table and `groups`, each a list of
    /// (field number, bytes) fields.
    fn block(groups: &[&[(u32, &[u8])]]) -> Vec<u8> {
        let mut table = Vec::new();
        for s in [&b""[..], b"man_made", b"surveillance"] {
            put_bytes(&mut table, 1, s);
        }
        let mut out = Vec::new();
        put_bytes(&mut out, 1, &table);
        for group in groups {
            let mut g = Vec::new();
            for &(number, bytes) in *group {
                put_bytes(&mut g, number, bytes);
            }
            put_bytes(&mut out, 2, &g);
        }
        put_uint(&mut out, 17, 100);
        out
    }

    /// The answer of every prefix of `bytes`: `None` up to the key of the
    /// first element field, then that field's type.
    fn answers(bytes: &[u8]) -> Vec<Option<ElementType>> {
        (0..=bytes.len())
            .map(|n| first_type_in_prefix(&bytes[..n]))
            .collect()
    }

    #[test]
    fn a_prefix_answers_from_the_first_element_key_on() {
        let dense = [7u8; 300];
        let bytes = block(&[&[(2, &dense)]]);
        let answers = answers(&bytes);
        // The table's field (2 + 26 bytes), the group's key and two-byte
        // length, then the key of the dense field.
        let key_end = 28 + 1 + 2 + 1;
        assert!(answers[..key_end].iter().all(Option::is_none));
        assert!(answers[key_end..]
            .iter()
            .all(|a| *a == Some(ElementType::Node)));
    }

    #[test]
    fn empty_groups_and_changesets_are_passed_over() {
        let bytes = block(&[&[], &[(5, b"changeset")], &[(4, b"r"), (3, b"w")]]);
        assert_eq!(first_type_in_prefix(&bytes), Some(ElementType::Relation));
        let ways_first = block(&[&[(3, b"w")], &[(1, b"n")]]);
        assert_eq!(first_type_in_prefix(&ways_first), Some(ElementType::Way));
    }

    #[test]
    fn a_block_without_elements_or_with_damage_gives_no_answer() {
        assert_eq!(first_type_in_prefix(&block(&[])), None);
        assert_eq!(first_type_in_prefix(&block(&[&[(5, b"c")]])), None);
        // A key of wire type 7, where the group's first field should be.
        let mut bytes = block(&[&[(3, b"w")]]);
        let key_at = bytes.iter().rposition(|&b| b == (3 << 3 | 2)).unwrap();
        bytes[key_at] = 3 << 3 | 7;
        assert_eq!(first_type_in_prefix(&bytes), None);
    }

    #[test]
    fn agrees_with_the_whole_block_on_written_blocks() {
        for groups in [
            &[&[(2u32, &b"dense"[..])][..]][..],
            &[&[(3, b"w1"), (3, b"w2")], &[(4, b"r")]],
            &[&[], &[(4, b"r")]],
        ] {
            let bytes = block(groups);
            let whole = super::super::PrimitiveBlock::parse(&bytes)
                .unwrap()
                .type_span()
                .unwrap()
                .map(|(first, _)| first);
            assert_eq!(first_type_in_prefix(&bytes), whole);
        }
    }
}
