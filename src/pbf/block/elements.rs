//! The element views of a block ([`Node`], [`Way`], [`Relation`] with its
//! [`Member`]s), their parsing, and the walks that hand them to an
//! [`ElementVisitor`].
//!
//! Why: the scan looks at every element but keeps a handful, so a view
//! borrows the block's bytes and decodes refs, members, tags and metadata
//! only when asked.
//!
//! In: a [`PrimitiveBlock`]'s groups. Out: views handed to a visitor that
//! says which [`Wants`] it has, and the block's [`TypeSpan`].

use super::meta::{parse_info, RawMeta};
use super::tags::Tags;
use super::{packed_bytes, widen_span, ElementType, PrimitiveBlock, TypeSpan};
use crate::pbf::wire::{read_varint_inline, slice_at, zigzag, Fields, Packed, WireError};

impl<'a> PrimitiveBlock<'a> {
    /// Appends to `out` the positions `(lon, lat)` in degrees that a way
    /// carries for its nodes, one per ref, when the file was written with
    /// the `LocationsOnWays` feature (`osmium add-locations-to-ways`, which
    /// by default drops the untagged nodes: the way's own locations are
    /// then the only ones in the file). Returns false, appending nothing,
    /// for a way without locations. `refs` is how many refs the way has.
    pub fn way_positions(
        &self,
        way: &Way<'a>,
        refs: usize,
        out: &mut Vec<(f64, f64)>,
    ) -> Result<bool, WireError> {
        let Some((lats, lons)) = way.raw_locations()? else {
            return Ok(false);
        };
        let (mut lat_column, mut lon_column) = (Vec::new(), Vec::new());
        crate::pbf::delta::decode_delta_sint64(lats, &mut lat_column)
            .map_err(|e| e.context("way latitudes"))?;
        crate::pbf::delta::decode_delta_sint64(lons, &mut lon_column)
            .map_err(|e| e.context("way longitudes"))?;
        if lat_column.len() != refs || lon_column.len() != refs {
            return Err(WireError::new(
                "way locations (LocationsOnWays) differ in number from its node refs",
            ));
        }
        out.extend(lon_column.iter().zip(&lat_column).map(|(&lon, &lat)| {
            (
                self.degrees(self.lon_offset, lon),
                self.degrees(self.lat_offset, lat),
            )
        }));
        Ok(true)
    }

    /// Hands every element to `visitor`, skipping the types it does not
    /// want, and returns the block's [`PrimitiveBlock::type_span`], found on
    /// the same walk (a second walk over every element would cost the way
    /// stage time for nothing).
    pub fn visit<V: ElementVisitor<'a>>(&self, visitor: &mut V) -> Result<TypeSpan, WireError> {
        let wants = visitor.wants();
        let mut span = None;
        for group in &self.groups {
            for field in Fields::new(group) {
                let (number, value) = field?;
                widen_span(&mut span, number);
                match number {
                    1 if wants.nodes => self.visit_node(value.bytes()?, visitor)?,
                    2 if wants.nodes => self.visit_dense(value.bytes()?, visitor)?,
                    3 if wants.ways => {
                        visitor.way(&parse_way(value.bytes()?, self.table_len())?)?
                    }
                    4 if wants.relations => {
                        visitor.relation(&parse_relation(value.bytes()?, self.table_len())?)?
                    }
                    _ => {}
                }
            }
        }
        Ok(span)
    }

    /// Calls `each` with every way of a block whose groups hold only ways,
    /// walking the groups with a loop made for them. A way stage meets
    /// millions of ways and wants nothing of most but their ids: this walk
    /// (with the scan's visitor inlined into it) spends less on each than
    /// [`PrimitiveBlock::visit`] does.
    /// Returns `Ok(false)`, having stopped, at the first field that is not
    /// a way: the caller then visits the block the general way and drops
    /// what `each` was told.
    pub fn for_each_way(
        &self,
        mut each: impl FnMut(&Way<'a>) -> Result<(), WireError>,
    ) -> Result<bool, WireError> {
        let table_len = self.table_len();
        self.for_each_way_id(|id, bytes| {
            each(&Way {
                id,
                bytes,
                table_len,
            })
        })
    }

    /// Calls `each` with the id and encoded bytes of every way of a block
    /// whose groups hold only ways: the walk of a way stage that wants
    /// most ways for their id alone (its order, its count, whether it is a
    /// member way), with no [`Way`] view built for them.
    /// Returns `Ok(false)`, having stopped, at the first field that is not
    /// a way, as [`PrimitiveBlock::for_each_way`] does.
    #[inline]
    pub fn for_each_way_id(
        &self,
        mut each: impl FnMut(i64, &'a [u8]) -> Result<(), WireError>,
    ) -> Result<bool, WireError> {
        for group in &self.groups {
            let mut pos = 0;
            while let Some(&key) = group.get(pos) {
                // Field 3, length-delimited, as every writer encodes its key.
                if key != 0x1a {
                    return Ok(false);
                }
                pos += 1;
                let len = read_varint_inline(group, &mut pos)?;
                let bytes;
                (bytes, pos) = slice_at(group, pos, len)?;
                each(way_id(bytes)?, bytes)?;
            }
        }
        Ok(true)
    }

    /// The [`Way`] view of bytes [`PrimitiveBlock::for_each_way_id`] gave.
    pub fn way_of(&self, bytes: &'a [u8]) -> Result<Way<'a>, WireError> {
        parse_way(bytes, self.table_len())
    }

    fn visit_node<V: ElementVisitor<'a>>(
        &self,
        bytes: &'a [u8],
        visitor: &mut V,
    ) -> Result<(), WireError> {
        let (mut id, mut lat, mut lon) = (0, 0, 0);
        let (mut keys, mut vals): (&[u8], &[u8]) = (&[], &[]);
        let mut meta = None;
        for field in Fields::new(bytes) {
            match field? {
                (1, v) => id = zigzag(v.varint()?),
                (2, v) => keys = v.bytes()?,
                (3, v) => vals = v.bytes()?,
                (4, v) if visitor.wants_metadata() => meta = Some(parse_info(v.bytes()?)?),
                (8, v) => lat = zigzag(v.varint()?),
                (9, v) => lon = zigzag(v.varint()?),
                _ => {}
            }
        }
        visitor.node(&Node {
            id,
            lat: self.degrees(self.lat_offset, lat),
            lon: self.degrees(self.lon_offset, lon),
            tags: Tags::parallel(keys, vals, self.table_len()),
            meta,
        })
    }
}

/// Which element types a visitor needs; the others are not decoded.
#[derive(Debug, Clone, Copy)]
pub struct Wants {
    pub nodes: bool,
    pub ways: bool,
    pub relations: bool,
}

impl Wants {
    pub const ALL: Wants = Wants {
        nodes: true,
        ways: true,
        relations: true,
    };
}

/// Receives the elements of a block.
pub trait ElementVisitor<'a> {
    fn wants(&self) -> Wants {
        Wants::ALL
    }
    /// Whether nodes come with their [`RawMeta`]; the scan never needs it.
    fn wants_metadata(&self) -> bool {
        false
    }
    fn node(&mut self, _node: &Node<'a>) -> Result<(), WireError> {
        Ok(())
    }
    fn way(&mut self, _way: &Way<'a>) -> Result<(), WireError> {
        Ok(())
    }
    fn relation(&mut self, _relation: &Relation<'a>) -> Result<(), WireError> {
        Ok(())
    }
}

/// A node: id, position in degrees, tags.
pub struct Node<'a> {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub tags: Tags<'a>,
    /// Read only for a visitor that [wants it](ElementVisitor::wants_metadata).
    pub meta: Option<RawMeta>,
}

/// Two packed fields read together: a way's latitudes and longitudes.
type PackedPair<'a> = (&'a [u8], &'a [u8]);

/// A way: id, tags, and its node references (decoded on demand).
/// Only the id is decoded up front: most ways of a country are neither
/// cameras nor boundary members, and their tags and refs are never read.
#[derive(Clone, Copy)]
pub struct Way<'a> {
    pub id: i64,
    bytes: &'a [u8],
    table_len: u32,
}

impl<'a> Way<'a> {
    /// The way's tags (decoded from its message on each call).
    pub fn tags(&self) -> Result<Tags<'a>, WireError> {
        let mut tags = Tags::parallel(&[], &[], self.table_len);
        for field in Fields::new(self.bytes) {
            match field? {
                (2, v) => tags.keys = v.bytes()?,
                (3, v) => tags.vals = v.bytes()?,
                _ => {}
            }
        }
        Ok(tags)
    }

    /// The way's metadata, if its message has any.
    pub fn meta(&self) -> Result<Option<RawMeta>, WireError> {
        for field in Fields::new(self.bytes) {
            if let (4, v) = field? {
                return parse_info(v.bytes()?).map(Some);
            }
        }
        Ok(None)
    }

    /// Appends the way's node ids to `out`.
    pub fn refs(&self, out: &mut Vec<i64>) -> Result<(), WireError> {
        for field in Fields::new(self.bytes) {
            if let (8, v) = field? {
                return crate::pbf::delta::decode_delta_sint64(v.bytes()?, out);
            }
        }
        Ok(())
    }

    /// The packed `lat` and `lon` fields (9 and 10) of a way written with
    /// the `LocationsOnWays` feature; `None` when the way has neither.
    fn raw_locations(&self) -> Result<Option<PackedPair<'a>>, WireError> {
        let (mut lats, mut lons) = (None, None);
        for field in Fields::new(self.bytes) {
            match field? {
                (9, v) => lats = Some(v.bytes()?),
                (10, v) => lons = Some(v.bytes()?),
                _ => {}
            }
        }
        Ok(match (lats, lons) {
            (None, None) => None,
            (lats, lons) => Some((lats.unwrap_or_default(), lons.unwrap_or_default())),
        })
    }
}

/// A relation: id, tags, and its members (decoded on demand).
pub struct Relation<'a> {
    pub id: i64,
    pub tags: Tags<'a>,
    info: Option<&'a [u8]>,
    roles: &'a [u8],
    member_ids: &'a [u8],
    member_types: &'a [u8],
}

/// One relation member; `role` is a string table index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub kind: ElementType,
    pub id: i64,
    pub role: u32,
}

impl Relation<'_> {
    /// The relation's metadata, if its message has any.
    pub fn meta(&self) -> Result<Option<RawMeta>, WireError> {
        self.info.map(parse_info).transpose()
    }

    /// Iterates the members, checking that the three arrays agree.
    pub fn members(&self) -> impl Iterator<Item = Result<Member, WireError>> + '_ {
        let mut roles = Packed::new(self.roles);
        let mut ids = Packed::new(self.member_ids);
        let mut types = Packed::new(self.member_types);
        let mut id = 0i64;
        std::iter::from_fn(move || {
            let (role, delta, kind) = match (roles.next(), ids.next(), types.next()) {
                (None, None, None) => return None,
                (Some(r), Some(d), Some(t)) => (r, d, t),
                _ => {
                    return Some(Err(WireError::new(
                        "relation member arrays differ in length",
                    )))
                }
            };
            Some(decode_member(&mut id, role, delta, kind))
        })
    }
}

fn decode_member(
    id: &mut i64,
    role: Result<u64, WireError>,
    delta: Result<u64, WireError>,
    kind: Result<u64, WireError>,
) -> Result<Member, WireError> {
    *id = id
        .checked_add(zigzag(delta?))
        .ok_or(WireError::new("member id overflows"))?;
    let kind = match kind? {
        0 => ElementType::Node,
        1 => ElementType::Way,
        2 => ElementType::Relation,
        _ => return Err(WireError::new("unknown relation member type")),
    };
    let role = u32::try_from(role?).map_err(|_| WireError::new("role index out of range"))?;
    Ok(Member {
        kind,
        id: *id,
        role,
    })
}

/// A way's id: [`parse_way`]'s, read in line for the usual encoding.
#[inline(always)]
fn way_id(bytes: &[u8]) -> Result<i64, WireError> {
    match bytes.split_first() {
        Some((&0x08, rest)) => Ok(read_varint_inline(rest, &mut 0)? as i64),
        _ => Ok(parse_way(bytes, 0)?.id),
    }
}

pub(super) fn parse_way(bytes: &[u8], table_len: u32) -> Result<Way<'_>, WireError> {
    // Writers put the id first (field 1, a varint: key byte 0x08); read it
    // straight, without the field iterator, which every way would otherwise
    // pay for. Read on only when a writer did not.
    if let Some((&0x08, rest)) = bytes.split_first() {
        let mut pos = 0;
        let id = crate::pbf::wire::read_varint(rest, &mut pos)? as i64;
        return Ok(Way {
            id,
            bytes,
            table_len,
        });
    }
    let mut id = 0;
    for field in Fields::new(bytes) {
        if let (1, v) = field? {
            id = v.varint()? as i64;
            break;
        }
    }
    Ok(Way {
        id,
        bytes,
        table_len,
    })
}

fn parse_relation(bytes: &[u8], table_len: u32) -> Result<Relation<'_>, WireError> {
    let mut rel = Relation {
        id: 0,
        tags: Tags::parallel(&[], &[], table_len),
        info: None,
        roles: &[],
        member_ids: &[],
        member_types: &[],
    };
    for field in Fields::new(bytes) {
        match field? {
            (1, v) => rel.id = v.varint()? as i64,
            (2, v) => rel.tags.keys = packed_bytes(v)?,
            (3, v) => rel.tags.vals = packed_bytes(v)?,
            (4, v) => rel.info = Some(v.bytes()?),
            (8, v) => rel.roles = v.bytes()?,
            (9, v) => rel.member_ids = v.bytes()?,
            (10, v) => rel.member_types = v.bytes()?,
            _ => {}
        }
    }
    Ok(rel)
}
