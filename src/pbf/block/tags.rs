//! Tags: the key and value string-table indices of an element, and the
//! lookups that find a tag in a block's string table.
//!
//! Why apart: a block whose string table lacks a wanted key or value holds
//! no element with that tag, so tags are matched by index ([`TagIndices`])
//! and turned into strings only for the elements kept.
//!
//! In: packed key/value indices (parallel for ways and relations,
//! interleaved for dense nodes) and the string table. Out: [`Tags`] pairs,
//! whether they hold a tag, and owned strings.

use super::PrimitiveBlock;
use crate::pbf::wire::{read_varint, Packed, WireError};

impl<'a> PrimitiveBlock<'a> {
    /// Where the tag `key=value` can be in this block; `None` when the
    /// string table lacks either string, so no element here carries it (a
    /// block without `man_made` holds no camera).
    pub fn find_tag(&self, key: &[u8], value: &[u8]) -> Option<TagIndices> {
        // One pass for both strings: every block is asked, and a node block
        // of a file with metadata holds hundreds of user names, so a pass
        // for each string would walk them all twice.
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        for (index, &string) in (0u32..).zip(&self.strings) {
            if string == key {
                keys.push(index);
            }
            if string == value {
                values.push(index);
            }
        }
        (!keys.is_empty() && !values.is_empty()).then_some(TagIndices { keys, values })
    }

    /// Every string-table index holding one of `needles` (writers store a
    /// string once, but the format does not promise it).
    pub fn indices_of(&self, needles: &[&[u8]]) -> Vec<u32> {
        (0..self.table_len())
            .filter(|&i| needles.contains(&self.strings[i as usize]))
            .collect()
    }

    /// An element's tags as borrowed strings of the table, into `out`
    /// (cleared first; a buffer reused from element to element): enough to
    /// decide whether an element is wanted before owning anything.
    pub fn borrowed_tags(
        &self,
        tags: &Tags<'a>,
        out: &mut Vec<(&'a [u8], &'a [u8])>,
    ) -> Result<(), WireError> {
        out.clear();
        for pair in tags.iter() {
            let (k, v) = pair?;
            out.push((self.string(k)?, self.string(v)?));
        }
        Ok(())
    }

    /// A relation's members, their roles resolved to owned strings.
    pub fn owned_members(
        &self,
        relation: &super::Relation<'a>,
    ) -> Result<Vec<crate::pbf::OsmMember>, WireError> {
        let mut members = Vec::new();
        for member in relation.members() {
            let member = member?;
            members.push(crate::pbf::OsmMember {
                kind: member.kind,
                id: member.id,
                role: self.str(member.role)?.to_string(),
            });
        }
        Ok(members)
    }

    /// An element's tags as owned, UTF-8-checked strings.
    pub fn owned_tags(&self, tags: &Tags<'a>) -> Result<Vec<(String, String)>, WireError> {
        tags.iter()
            .map(|pair| {
                let (k, v) = pair?;
                Ok((self.str(k)?.to_string(), self.str(v)?.to_string()))
            })
            .collect()
    }
}

/// An element's tags as string table indices, keys and values.
#[derive(Clone, Copy)]
pub struct Tags<'a> {
    pub(super) keys: &'a [u8],
    pub(super) vals: &'a [u8],
    pub(super) interleaved: bool,
    /// Size of the block's string table, to refuse indices past it.
    pub(super) table_len: u32,
}

impl<'a> Tags<'a> {
    pub(super) fn parallel(keys: &'a [u8], vals: &'a [u8], table_len: u32) -> Self {
        Tags {
            keys,
            vals,
            interleaved: false,
            table_len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Iterates `(key, value)` string indices.
    pub fn iter(&self) -> impl Iterator<Item = Result<(u32, u32), WireError>> + 'a {
        let mut keys = Packed::new(self.keys);
        let mut vals = Packed::new(if self.interleaved {
            self.keys
        } else {
            self.vals
        });
        let (interleaved, table_len) = (self.interleaved, self.table_len);
        std::iter::from_fn(move || {
            let key = keys.next()?;
            let val = if interleaved {
                keys.next()
            } else {
                vals.next()
            };
            Some(tag_pair(key, val, table_len))
        })
    }

    /// True when one of the element's values is the string at one of
    /// `indices`. Parallel key and value arrays (ways, relations) have
    /// their values read alone, no index checked against the string table.
    pub fn has_value_in(&self, indices: &[u32]) -> Result<bool, WireError> {
        if self.interleaved {
            for pair in self.iter() {
                if indices.contains(&pair?.1) {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        for value in Packed::new(self.vals) {
            let value = value?;
            if indices.iter().any(|&i| u64::from(i) == value) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// True when the element carries `tag`.
    pub fn contains(&self, tag: &TagIndices) -> Result<bool, WireError> {
        for pair in self.iter() {
            if tag.matches(pair?) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The string-table indices of one `key=value` tag in a block, found by
/// [`PrimitiveBlock::find_tag`]. Writers store each string once, but the
/// format does not promise it, so every index holding the key, and every
/// one holding the value, counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagIndices {
    pub(super) keys: Vec<u32>,
    pub(super) values: Vec<u32>,
}

impl TagIndices {
    fn matches(&self, (key, value): (u32, u32)) -> bool {
        self.keys.contains(&key) && self.values.contains(&value)
    }
}

fn tag_pair(
    key: Result<u64, WireError>,
    val: Option<Result<u64, WireError>>,
    table_len: u32,
) -> Result<(u32, u32), WireError> {
    let val = val.ok_or(WireError::new("tag has a key but no value"))?;
    let index = |v: u64| {
        u32::try_from(v)
            .ok()
            .filter(|&i| i < table_len)
            .ok_or(WireError::new("string table index out of range"))
    };
    Ok((index(key?)?, index(val?)?))
}

/// Cuts the next node's tags (up to its 0 separator) off a dense keys_vals run.
pub(super) fn take_dense_tags<'a>(
    keys_vals: &mut &'a [u8],
    table_len: u32,
) -> Result<Tags<'a>, WireError> {
    Ok(cut_dense_tags(keys_vals, table_len, None)?.0)
}

/// [`take_dense_tags`], also saying whether the tags hold `tag`, judged in
/// the same walk: in a block that may hold a camera, every tagged node is
/// tested, and walking its pairs a second time to test them cost as much
/// as cutting them off.
pub(super) fn cut_dense_tags<'a>(
    keys_vals: &mut &'a [u8],
    table_len: u32,
    tag: Option<&TagIndices>,
) -> Result<(Tags<'a>, bool), WireError> {
    if keys_vals.is_empty() {
        // A block whose nodes carry no tags at all may omit keys_vals.
        return Ok((Tags::parallel(&[], &[], table_len), false));
    }
    let (mut pos, mut holds) = (0, false);
    loop {
        let start = pos;
        let key = read_varint(keys_vals, &mut pos)?;
        if key == 0 {
            let tags = Tags {
                keys: &keys_vals[..start],
                vals: &[],
                interleaved: true,
                table_len,
            };
            *keys_vals = &keys_vals[pos..];
            return Ok((tags, holds));
        }
        let value = read_varint(keys_vals, &mut pos)?;
        if let Some(tag) = tag {
            holds |= tag.matches(tag_pair(Ok(key), Some(Ok(value)), table_len)?);
        }
    }
}
