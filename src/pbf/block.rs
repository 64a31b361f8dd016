//! PrimitiveBlock decoding: zero-copy elements over one decompressed blob.
//!
//! Why our own: the scan looks at every element of a country, but keeps a
//! handful. Elements here borrow the block's bytes and decode tags, refs and
//! members only when asked, and a block whose string table lacks a string can
//! be dismissed without touching its elements. Every index and length is
//! checked against the bytes that are really there.
//!
//! In: the bytes of one `OSMData` blob. Out: [`Node`], [`Way`] and
//! [`Relation`] views handed to an [`ElementVisitor`].

use super::delta::{decode_delta_into, decode_delta_pair, delta_room};
use super::owned::OsmMeta;
use super::wire::{
    count_varints, read_length_delimited, read_varint, zigzag, Fields, Packed, Value, WireError,
};

/// The three OSM element types, in the order a sorted file holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementType {
    Node,
    Way,
    Relation,
}

impl ElementType {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementType::Node => "node",
            ElementType::Way => "way",
            ElementType::Relation => "relation",
        }
    }
}

/// Where an element sorts in a file sorted `Type_then_ID`, as osmium sorts
/// it (libosmium's object order): by type, then ids 0 and below before the
/// positive ones, each group by absolute value (−1, −2, …, then 1, 2, …).
/// JOSM files and test files use negative ids; `osmium sort` writes them
/// first, and a sorted file with them is valid.
pub fn sort_key(kind: ElementType, id: i64) -> (ElementType, bool, u64) {
    (kind, id > 0, id.unsigned_abs())
}

/// One decoded PrimitiveBlock, borrowing the decompressed bytes.
pub struct PrimitiveBlock<'a> {
    strings: Vec<&'a [u8]>,
    groups: Vec<&'a [u8]>,
    granularity: i64,
    lat_offset: i64,
    lon_offset: i64,
    /// Milliseconds per timestamp unit.
    date_granularity: i64,
}

/// A string of the table as text; OSM strings are UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, WireError> {
    std::str::from_utf8(bytes).map_err(|_| WireError::new("string is not valid UTF-8"))
}

impl<'a> PrimitiveBlock<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut block = PrimitiveBlock {
            strings: Vec::new(),
            groups: Vec::new(),
            granularity: 100,
            lat_offset: 0,
            lon_offset: 0,
            date_granularity: 1000,
        };
        for field in Fields::new(bytes) {
            match field? {
                (1, value) => block.strings = parse_string_table(value.bytes()?)?,
                (2, value) => block.groups.push(value.bytes()?),
                (17, value) => block.granularity = value.varint()? as i64,
                (18, value) => block.date_granularity = value.varint()? as i64,
                (19, value) => block.lat_offset = value.varint()? as i64,
                (20, value) => block.lon_offset = value.varint()? as i64,
                _ => {}
            }
        }
        if block.granularity <= 0 {
            return Err(WireError::new("granularity is not positive"));
        }
        Ok(block)
    }

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

    fn table_len(&self) -> u32 {
        u32::try_from(self.strings.len()).unwrap_or(u32::MAX)
    }

    /// The string at `index`, as raw bytes.
    pub fn string(&self, index: u32) -> Result<&'a [u8], WireError> {
        self.strings
            .get(index as usize)
            .copied()
            .ok_or(WireError::new("string table index out of range"))
    }

    /// The string at `index`, checked to be UTF-8 as the format requires.
    pub fn str(&self, index: u32) -> Result<&'a str, WireError> {
        utf8(self.string(index)?)
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

    /// An element's metadata with its timestamp in seconds and its user
    /// name resolved.
    pub fn owned_meta(&self, raw: RawMeta) -> Result<OsmMeta, WireError> {
        Ok(OsmMeta {
            version: raw.version,
            timestamp: raw.timestamp.saturating_mul(self.date_granularity) / 1000,
            changeset: raw.changeset,
            uid: raw.uid,
            user: self.str(raw.user_sid)?.to_string(),
            deleted: raw.deleted,
        })
    }

    fn degrees(&self, offset: i64, raw: i64) -> f64 {
        // Coordinates are nanodegrees: offset + granularity * value.
        offset.wrapping_add(self.granularity.wrapping_mul(raw)) as f64 * 1e-9
    }

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
        super::delta::decode_delta_sint64(lats, &mut lat_column)
            .map_err(|e| e.context("way latitudes"))?;
        super::delta::decode_delta_sint64(lons, &mut lon_column)
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

    /// The first and last element types in the block, read from the group
    /// field numbers alone (no element is decoded); `None` for an empty block.
    pub fn type_span(&self) -> Result<TypeSpan, WireError> {
        let mut span = None;
        for group in &self.groups {
            for field in Fields::new(group) {
                widen_span(&mut span, field?.0);
            }
        }
        Ok(span)
    }

    /// For a block made only of dense nodes, decodes the id column into
    /// `columns` and returns the parsed DenseNodes messages for the later
    /// passes; `None` for any other block. The node stage's path: it needs
    /// the ids of every node, but the coordinates of few blocks and the tags
    /// of fewer.
    pub fn dense_ids(
        &self,
        columns: &mut DenseColumns,
    ) -> Result<Option<DenseNodes<'a>>, WireError> {
        columns.id_count = 0;
        columns.coord_count = 0;
        columns.ids_rising = true;
        let mut messages = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            for field in Fields::new(group) {
                let (number, value) = field?;
                if number != 2 {
                    return Ok(None);
                }
                messages.push(DenseFields::parse(value.bytes()?)?);
            }
        }
        let mut groups = Vec::with_capacity(messages.len());
        for dense in messages {
            let start = columns.id_count;
            let room = delta_room(dense.ids);
            let slots = &mut reused_slots(&mut columns.ids, start + room)[start..];
            let decoded =
                decode_delta_into(dense.ids, slots).map_err(|e| e.context("dense node ids"))?;
            // Each message's deltas restart from zero: its first id must
            // still be above the last id of the message before.
            let joins =
                start == 0 || decoded.count == 0 || columns.ids[start - 1] < columns.ids[start];
            columns.ids_rising &= decoded.rising && joins;
            columns.id_count += decoded.count;
            groups.push((dense, columns.id_count));
        }
        Ok(Some(DenseNodes { groups }))
    }

    /// Decodes the coordinates of the first `through` entries of columns
    /// that [`PrimitiveBlock::dense_ids`] filled; the rest are only counted,
    /// to check that every column has one value per node (their values are
    /// not checked for overflow: nobody reads them).
    pub fn dense_coords(
        &self,
        nodes: &DenseNodes<'a>,
        columns: &mut DenseColumns,
        through: usize,
    ) -> Result<(), WireError> {
        let through = through.min(columns.id_count);
        let lats = reused_slots(&mut columns.lats, through);
        let lons = reused_slots(&mut columns.lons, through);
        let mut group_start = 0;
        for &(ref dense, group_end) in &nodes.groups {
            let len = group_end - group_start;
            if count_varints(dense.lats) != len || count_varints(dense.lons) != len {
                return Err(WireError::new("dense node arrays differ in length"));
            }
            let wanted = group_start..through.clamp(group_start, group_end);
            decode_delta_pair(
                (dense.lats, dense.lons),
                (&mut lats[wanted.clone()], &mut lons[wanted]),
            )?;
            group_start = group_end;
        }
        columns.coord_count = through;
        Ok(())
    }

    /// The versions of the first `through` entries of a dense-only block
    /// (0 where the block has no metadata), for a file that holds a node
    /// twice: only such a file's run reads them.
    pub fn dense_versions(
        &self,
        nodes: &DenseNodes<'a>,
        through: usize,
    ) -> Result<Vec<i32>, WireError> {
        let metas = self.dense_metas(nodes, through)?;
        Ok(metas.iter().map(|m| m.version).collect())
    }

    /// The metadata of the first `through` entries of a dense-only block
    /// (all zero where the block has none): for the few entries a run
    /// reports (cameras) or compares (copies of one node).
    pub fn dense_metas(
        &self,
        nodes: &DenseNodes<'a>,
        through: usize,
    ) -> Result<Vec<RawMeta>, WireError> {
        let mut metas = Vec::with_capacity(through);
        let mut group_start = 0;
        for &(ref dense, group_end) in &nodes.groups {
            let mut meta = DenseMeta::parse(dense.info)?;
            for _ in group_start..group_end.min(through) {
                metas.push(meta.next()?);
            }
            group_start = group_end;
        }
        Ok(metas)
    }

    /// An element's version and timestamp in seconds, without resolving
    /// its user name.
    pub fn edit(&self, raw: RawMeta) -> crate::camera::Edit {
        crate::camera::Edit::new(
            raw.version,
            raw.timestamp.saturating_mul(self.date_granularity) / 1000,
        )
    }

    /// The position `(lon, lat)` in degrees of entry `i`, once
    /// [`PrimitiveBlock::dense_coords`] decoded it. Panics for an entry past
    /// the decoded prefix: asking for it is a bug in the caller.
    pub fn dense_position(&self, columns: &DenseColumns, i: usize) -> (f64, f64) {
        let decoded = columns.coord_count;
        (
            self.degrees(self.lon_offset, columns.lons[..decoded][i]),
            self.degrees(self.lat_offset, columns.lats[..decoded][i]),
        )
    }

    /// The entries (indices into [`DenseColumns`]) of the dense nodes
    /// carrying `tag`, with their tags.
    pub fn dense_tagged(
        &self,
        nodes: &DenseNodes<'a>,
        tag: &TagIndices,
    ) -> Result<Vec<(usize, Tags<'a>)>, WireError> {
        let mut found = Vec::new();
        let mut entry = 0;
        for &(ref dense, group_end) in &nodes.groups {
            let mut keys_vals = dense.keys_vals;
            for i in entry..group_end {
                // Most nodes carry no tags: a lone 0 ends their empty list.
                if let [0, rest @ ..] = keys_vals {
                    keys_vals = rest;
                    continue;
                }
                let (tags, holds) = cut_dense_tags(&mut keys_vals, self.table_len(), Some(tag))?;
                if holds {
                    found.push((i, tags));
                }
            }
            entry = group_end;
        }
        Ok(found)
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
        for group in &self.groups {
            let mut pos = 0;
            while let Some(&key) = group.get(pos) {
                // Field 3, length-delimited, as every writer encodes its key.
                if key != 0x1a {
                    return Ok(false);
                }
                pos += 1;
                each(&parse_way(
                    read_length_delimited(group, &mut pos)?,
                    table_len,
                )?)?;
            }
        }
        Ok(true)
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

    fn visit_dense<V: ElementVisitor<'a>>(
        &self,
        bytes: &'a [u8],
        visitor: &mut V,
    ) -> Result<(), WireError> {
        let dense = DenseFields::parse(bytes)?;
        let mut keys_vals = dense.keys_vals;
        let mut metas = match visitor.wants_metadata() && !dense.info.is_empty() {
            true => Some(DenseMeta::parse(dense.info)?),
            false => None,
        };
        for node in DenseCoords::new(&dense) {
            let (id, lat, lon) = node?;
            let tags = take_dense_tags(&mut keys_vals, self.table_len())?;
            let meta = metas.as_mut().map(DenseMeta::next).transpose()?;
            visitor.node(&Node {
                id,
                lat: self.degrees(self.lat_offset, lat),
                lon: self.degrees(self.lon_offset, lon),
                tags,
                meta,
            })?;
        }
        Ok(())
    }
}

/// The delta-decoded `(id, lat, lon)` columns of a DenseNodes message, in
/// raw units, checking that the three columns agree and nothing overflows.
struct DenseCoords<'a> {
    ids: Packed<'a>,
    lats: Packed<'a>,
    lons: Packed<'a>,
    current: (i64, i64, i64),
    finished: bool,
}

impl<'a> DenseCoords<'a> {
    fn new(dense: &DenseFields<'a>) -> Self {
        DenseCoords {
            ids: Packed::new(dense.ids),
            lats: Packed::new(dense.lats),
            lons: Packed::new(dense.lons),
            current: (0, 0, 0),
            finished: false,
        }
    }

    fn step(&mut self, id: u64) -> Result<(i64, i64, i64), WireError> {
        let mismatch = || WireError::new("dense node arrays differ in length");
        let lat = self.lats.next().ok_or_else(mismatch)??;
        let lon = self.lons.next().ok_or_else(mismatch)??;
        let add = |acc: i64, delta: u64, what: &'static str| {
            acc.checked_add(zigzag(delta)).ok_or(WireError::new(what))
        };
        let (id0, lat0, lon0) = self.current;
        self.current = (
            add(id0, id, "dense node id overflows")?,
            add(lat0, lat, "dense node latitude overflows")?,
            add(lon0, lon, "dense node longitude overflows")?,
        );
        Ok(self.current)
    }
}

impl Iterator for DenseCoords<'_> {
    type Item = Result<(i64, i64, i64), WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = match self.ids.next() {
            Some(id) => id.and_then(|id| self.step(id)),
            None if self.lats.is_empty() && self.lons.is_empty() => {
                self.finished = true;
                return None;
            }
            None => Err(WireError::new("dense node arrays differ in length")),
        };
        self.finished = item.is_err();
        Some(item)
    }
}

/// The columns of a dense-only block, decoded in bulk: ids always, raw
/// coordinates of a prefix when asked. Reused from block to block by one
/// thread: the vectors only grow, and the counts say how much of them is
/// this block's, so no block pays for zeroing them.
#[derive(Debug, Default)]
pub struct DenseColumns {
    ids: Vec<i64>,
    lats: Vec<i64>,
    lons: Vec<i64>,
    id_count: usize,
    coord_count: usize,
    /// Whether the ids rise, found while decoding them.
    ids_rising: bool,
}

/// The first `len` slots of a reused column, grown (and zeroed) only where
/// no earlier block reached.
fn reused_slots(column: &mut Vec<i64>, len: usize) -> &mut [i64] {
    if column.len() < len {
        column.resize(len, 0);
    }
    &mut column[..len]
}

/// The DenseNodes messages of a dense-only block, each with where its
/// entries end in the [`DenseColumns`]: parsed once by
/// [`PrimitiveBlock::dense_ids`], for every later pass over the block.
pub struct DenseNodes<'a> {
    groups: Vec<(DenseFields<'a>, usize)>,
}

impl DenseColumns {
    /// The block's node ids, in file order.
    pub fn ids(&self) -> &[i64] {
        &self.ids[..self.id_count]
    }

    /// Count, first, last, min and max id, and whether ids rise (min and
    /// max take a pass only when they do not).
    pub fn id_summary(&self) -> IdSummary {
        let ids = self.ids();
        let mut summary = IdSummary {
            count: ids.len() as u64,
            first: ids.first().copied(),
            last: ids.last().copied(),
            min: None,
            max: None,
            // No ids rise trivially, even in columns no block has filled.
            rising: self.ids_rising || ids.is_empty(),
        };
        if let (Some(&first), Some(&last)) = (ids.first(), ids.last()) {
            (summary.min, summary.max) = match summary.rising {
                true => (Some(first), Some(last)),
                false => (ids.iter().min().copied(), ids.iter().max().copied()),
            };
        }
        summary
    }
}

/// Count and id range of a block's dense nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdSummary {
    pub count: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// False when ids went down inside the block.
    pub rising: bool,
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

/// An element's metadata as the block stores it: the timestamp in the
/// block's date units, the user as a string table index (see
/// [`PrimitiveBlock::owned_meta`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawMeta {
    pub version: i32,
    pub timestamp: i64,
    pub changeset: i64,
    pub uid: i32,
    pub user_sid: u32,
    /// `visible=false` in a history file: this version deletes the object.
    pub deleted: bool,
}

/// An `Info` message (a way's, a relation's or a non-dense node's).
fn parse_info(bytes: &[u8]) -> Result<RawMeta, WireError> {
    let mut meta = RawMeta::default();
    for field in Fields::new(bytes) {
        match field? {
            (1, v) => meta.version = v.varint()? as i32,
            (2, v) => meta.timestamp = v.varint()? as i64,
            (3, v) => meta.changeset = v.varint()? as i64,
            (4, v) => meta.uid = v.varint()? as i32,
            (5, v) => meta.user_sid = v.varint()? as u32,
            (6, v) => meta.deleted = v.varint()? == 0,
            _ => {}
        }
    }
    Ok(meta)
}

/// The DenseInfo columns, read node by node alongside the coordinates.
/// Versions are plain; the other columns are delta-coded. A writer may
/// leave a column out (it then reads as zeros), but not cut one short.
struct DenseMeta<'a> {
    versions: Packed<'a>,
    timestamps: Packed<'a>,
    changesets: Packed<'a>,
    uids: Packed<'a>,
    user_sids: Packed<'a>,
    /// Field 6, packed bools, present only in history files.
    visibles: Packed<'a>,
    current: RawMeta,
    /// Which columns the message holds (a missing one reads as zeros).
    present: [bool; 5],
}

impl<'a> DenseMeta<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut columns: [&[u8]; 5] = [&[]; 5];
        let mut visibles: &[u8] = &[];
        for field in Fields::new(bytes) {
            let (number, value) = field?;
            match number {
                n @ 1..=5 => columns[n as usize - 1] = value.bytes()?,
                6 => visibles = value.bytes()?,
                _ => {}
            }
        }
        Ok(DenseMeta {
            versions: Packed::new(columns[0]),
            timestamps: Packed::new(columns[1]),
            changesets: Packed::new(columns[2]),
            uids: Packed::new(columns[3]),
            user_sids: Packed::new(columns[4]),
            visibles: Packed::new(visibles),
            current: RawMeta::default(),
            present: columns.map(|c| !c.is_empty()),
        })
    }

    fn next(&mut self) -> Result<RawMeta, WireError> {
        fn take(column: &mut Packed<'_>, present: bool) -> Result<u64, WireError> {
            match (present, column.next()) {
                (false, _) => Ok(0),
                (true, Some(value)) => value,
                (true, None) => Err(WireError::new(
                    "dense node metadata is shorter than the id column",
                )),
            }
        }
        let [version, timestamp, changeset, uid, user_sid] = self.present;
        let m = &mut self.current;
        m.version = take(&mut self.versions, version)? as i32;
        m.timestamp = m
            .timestamp
            .wrapping_add(zigzag(take(&mut self.timestamps, timestamp)?));
        m.changeset = m
            .changeset
            .wrapping_add(zigzag(take(&mut self.changesets, changeset)?));
        m.uid = m
            .uid
            .wrapping_add(zigzag(take(&mut self.uids, uid)?) as i32);
        m.user_sid = m
            .user_sid
            .wrapping_add(zigzag(take(&mut self.user_sids, user_sid)?) as u32);
        // Without the column every node is visible (a non-history file).
        m.deleted = self.visibles.next().transpose()? == Some(0);
        Ok(*m)
    }
}

/// Two packed fields read together: a way's latitudes and longitudes.
type PackedPair<'a> = (&'a [u8], &'a [u8]);

/// A way: id, tags, and its node references (decoded on demand).
/// Only the id is decoded up front: most ways of a country are neither
/// cameras nor boundary members, and their tags and refs are never read.
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
                return super::delta::decode_delta_sint64(v.bytes()?, out);
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

/// An element's tags as string table indices, keys and values.
#[derive(Clone, Copy)]
pub struct Tags<'a> {
    keys: &'a [u8],
    vals: &'a [u8],
    interleaved: bool,
    /// Size of the block's string table, to refuse indices past it.
    table_len: u32,
}

impl<'a> Tags<'a> {
    fn parallel(keys: &'a [u8], vals: &'a [u8], table_len: u32) -> Self {
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
    keys: Vec<u32>,
    values: Vec<u32>,
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
fn take_dense_tags<'a>(keys_vals: &mut &'a [u8], table_len: u32) -> Result<Tags<'a>, WireError> {
    Ok(cut_dense_tags(keys_vals, table_len, None)?.0)
}

/// [`take_dense_tags`], also saying whether the tags hold `tag`, judged in
/// the same walk: in a block that may hold a camera, every tagged node is
/// tested, and walking its pairs a second time to test them cost as much
/// as cutting them off.
fn cut_dense_tags<'a>(
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

fn parse_string_table(bytes: &[u8]) -> Result<Vec<&[u8]>, WireError> {
    let mut strings = Vec::new();
    for field in Fields::new(bytes) {
        if let (1, value) = field? {
            strings.push(value.bytes()?);
        }
    }
    Ok(strings)
}

/// The element types a block starts and ends with (the first type, then
/// the greatest); `None` for a block without elements.
pub type TypeSpan = Option<(ElementType, ElementType)>;

/// Widens `span` by the element type of a PrimitiveGroup field number.
fn widen_span(span: &mut TypeSpan, field: u32) {
    let kind = match field {
        1 | 2 => ElementType::Node,
        3 => ElementType::Way,
        4 => ElementType::Relation,
        _ => return,
    };
    *span = Some(match *span {
        None => (kind, kind),
        Some((first, last)) => (first, last.max(kind)),
    });
}

struct DenseFields<'a> {
    ids: &'a [u8],
    info: &'a [u8],
    lats: &'a [u8],
    lons: &'a [u8],
    keys_vals: &'a [u8],
}

impl<'a> DenseFields<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut dense = DenseFields {
            ids: &[],
            info: &[],
            lats: &[],
            lons: &[],
            keys_vals: &[],
        };
        for field in Fields::new(bytes) {
            match field? {
                (1, v) => dense.ids = v.bytes()?,
                (5, v) => dense.info = v.bytes()?,
                (8, v) => dense.lats = v.bytes()?,
                (9, v) => dense.lons = v.bytes()?,
                (10, v) => dense.keys_vals = v.bytes()?,
                _ => {}
            }
        }
        Ok(dense)
    }
}

fn parse_way(bytes: &[u8], table_len: u32) -> Result<Way<'_>, WireError> {
    // Writers put the id first (field 1, a varint: key byte 0x08); read it
    // straight, without the field iterator, which every way would otherwise
    // pay for. Read on only when a writer did not.
    if let Some((&0x08, rest)) = bytes.split_first() {
        let mut pos = 0;
        let id = super::wire::read_varint(rest, &mut pos)? as i64;
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

fn packed_bytes(value: Value<'_>) -> Result<&[u8], WireError> {
    value.bytes()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pbf::blob::BlobReader;
    use crate::pbf::writer::{Compression, PbfWriter, WriterOptions};
    use crate::pbf::OsmNode;

    /// The inflated block of a file of `count` nodes, ids from `first_id`.
    fn node_block(first_id: i64, count: i64) -> Vec<u8> {
        let options = WriterOptions {
            compression: Compression::None,
            ..WriterOptions::default()
        };
        let mut writer = PbfWriter::new(Vec::new(), options).unwrap();
        for i in 0..count {
            let node = OsmNode {
                id: first_id + i,
                lon: 7.0 + i as f64 * 1e-3,
                lat: 43.0 - i as f64 * 1e-3,
                tags: vec![],
                meta: None,
            };
            writer.node(&node).unwrap();
        }
        let file = writer.finish().unwrap();
        let mut blobs = BlobReader::new(file.as_slice());
        blobs.next_blob().unwrap();
        let mut bytes = Vec::new();
        let blob = blobs.next_blob().unwrap().unwrap();
        blob.decompress(&mut bytes).unwrap();
        bytes
    }

    /// Counts the ways it is handed, and wants nothing else.
    struct WayCounter(usize);

    impl<'a> ElementVisitor<'a> for WayCounter {
        fn wants(&self) -> Wants {
            Wants {
                nodes: false,
                ways: true,
                relations: false,
            }
        }
        fn way(&mut self, _way: &Way<'a>) -> Result<(), WireError> {
            self.0 += 1;
            Ok(())
        }
    }

    #[test]
    fn a_visit_reports_the_span_of_every_type_even_those_it_skips() {
        use crate::pbf::wire::{put_bytes, put_uint};
        // One block, as a careless writer might make it: a node group, a
        // group of two ways, a relation group.
        let message = |id: u64| {
            let mut element = Vec::new();
            put_uint(&mut element, 1, id);
            element
        };
        let group = |field: u32, ids: &[u64]| {
            let mut group = Vec::new();
            for &id in ids {
                put_bytes(&mut group, field, &message(id));
            }
            group
        };
        let mut bytes = Vec::new();
        put_bytes(&mut bytes, 1, &[]);
        put_bytes(&mut bytes, 2, &group(1, &[2]));
        put_bytes(&mut bytes, 2, &group(3, &[4, 6]));
        put_bytes(&mut bytes, 2, &group(4, &[8]));
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        let mut ways = WayCounter(0);
        let span = block.visit(&mut ways).unwrap();
        assert_eq!(ways.0, 2);
        assert_eq!(span, Some((ElementType::Node, ElementType::Relation)));
        assert_eq!(span, block.type_span().unwrap());
    }

    #[test]
    fn the_way_walk_sees_what_the_general_visit_sees_or_stands_aside() {
        use crate::pbf::wire::{put_bytes, put_packed_delta, put_uint};
        let way = |id: u64| {
            let mut message = Vec::new();
            put_uint(&mut message, 1, id);
            put_packed_delta(&mut message, 8, &[5, 6, 5]);
            message
        };
        let group = |field: u32, ids: &[u64]| {
            let mut group = Vec::new();
            ids.iter()
                .for_each(|&id| put_bytes(&mut group, field, &way(id)));
            group
        };
        let walk = |bytes: &[u8]| {
            let block = PrimitiveBlock::parse(bytes).unwrap();
            let mut ids = Vec::new();
            let whole = block.for_each_way(|way| {
                ids.push(way.id);
                Ok(())
            });
            (whole, ids)
        };
        // Ways in two groups, ids of one to five bytes: all seen, in order.
        let ids = [1, 300, 70_000, 20_000_000, 1_300_000_000];
        let mut groups = Vec::new();
        put_bytes(&mut groups, 2, &group(3, &ids[..2]));
        put_bytes(&mut groups, 2, &group(3, &ids[2..]));
        let mut bytes = Vec::new();
        put_bytes(&mut bytes, 1, &[]);
        bytes.extend_from_slice(&groups);
        let (whole, seen) = walk(&bytes);
        assert!(whole.unwrap());
        assert_eq!(seen, ids.map(|id| id as i64));
        let mut counter = WayCounter(0);
        PrimitiveBlock::parse(&bytes)
            .unwrap()
            .visit(&mut counter)
            .unwrap();
        assert_eq!(counter.0, ids.len());

        // A relation after the ways: the walk stops there and says so.
        put_bytes(&mut bytes, 2, &group(4, &[9]));
        assert_eq!(walk(&bytes).0, Ok(false));
        // A way under a key spelt in two bytes (field 3, length-delimited,
        // as the varint 0x9a 0x00): legal, left to the general visit.
        let mut odd = Vec::new();
        odd.extend_from_slice(&[0x9a, 0x00]);
        let message = way(4);
        odd.push(message.len() as u8);
        odd.extend_from_slice(&message);
        let odd = raw_block(&[""], &odd);
        assert_eq!(walk(&odd).0, Ok(false));
        let mut counter = WayCounter(0);
        PrimitiveBlock::parse(&odd)
            .unwrap()
            .visit(&mut counter)
            .unwrap();
        assert_eq!(counter.0, 1);
        // A way whose length runs past its group is an error.
        let mut cut = group(3, &[7]);
        cut.truncate(cut.len() - 1);
        assert!(walk(&raw_block(&[""], &cut)).0.is_err());
        // No groups: nothing to see, nothing refused.
        assert_eq!(walk(&raw_block(&[""], &[])), (Ok(true), vec![]));
    }

    #[test]
    fn reused_columns_hold_only_the_current_block() {
        let (big, small) = (node_block(100, 50), node_block(1000, 3));
        let mut columns = DenseColumns::default();
        let block = PrimitiveBlock::parse(&big).unwrap();
        let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
        block.dense_coords(&nodes, &mut columns, 50).unwrap();
        assert_eq!(columns.ids().len(), 50);

        let block = PrimitiveBlock::parse(&small).unwrap();
        let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
        assert_eq!(columns.ids(), [1000, 1001, 1002]);
        assert_eq!(columns.id_summary().count, 3);
        block.dense_coords(&nodes, &mut columns, 2).unwrap();
        let (lon, lat) = block.dense_position(&columns, 1);
        assert!((lon - 7.001).abs() < 1e-9 && (lat - 42.999).abs() < 1e-9);
        let past_prefix = std::panic::catch_unwind(|| block.dense_position(&columns, 2));
        assert!(
            past_prefix.is_err(),
            "entry 2 was not decoded for this block"
        );
    }

    #[test]
    fn ids_must_rise_across_dense_messages_too() {
        use crate::pbf::wire::{put_bytes, put_packed_delta};
        let block_of = |messages: &[&[i64]]| {
            let mut group = Vec::new();
            for ids in messages {
                let mut dense = Vec::new();
                put_packed_delta(&mut dense, 1, ids);
                put_packed_delta(&mut dense, 8, &vec![0; ids.len()]);
                put_packed_delta(&mut dense, 9, &vec![0; ids.len()]);
                put_bytes(&mut group, 2, &dense);
            }
            raw_block(&[""], &group)
        };
        assert!(DenseColumns::default().id_summary().rising);
        let rising = |messages: &[&[i64]]| {
            let bytes = block_of(messages);
            let block = PrimitiveBlock::parse(&bytes).unwrap();
            let mut columns = DenseColumns::default();
            block.dense_ids(&mut columns).unwrap().unwrap();
            columns.id_summary().rising
        };
        assert!(rising(&[&[1, 2], &[], &[3, 9]]));
        assert!(!rising(&[&[1, 5], &[], &[5, 9]]));
        assert!(!rising(&[&[1, 5], &[4]]));
        assert!(!rising(&[&[1, 5, 3], &[6]]));
    }

    #[test]
    fn a_way_id_is_read_first_or_later_in_its_message() {
        use crate::pbf::wire::{put_packed, put_packed_delta, put_uint};
        let mut id_first = Vec::new();
        put_uint(&mut id_first, 1, 300);
        put_packed(&mut id_first, 2, [1]);
        put_packed(&mut id_first, 3, [2]);
        put_packed_delta(&mut id_first, 8, &[7, 9]);
        let mut id_later = Vec::new();
        put_packed(&mut id_later, 2, [1]);
        put_uint(&mut id_later, 1, 300);
        put_packed_delta(&mut id_later, 8, &[7, 9]);
        for bytes in [&id_first, &id_later] {
            let way = parse_way(bytes, 3).unwrap();
            assert_eq!(way.id, 300);
            let mut refs = Vec::new();
            way.refs(&mut refs).unwrap();
            assert_eq!(refs, [7, 9]);
        }
        // An id cut short is an error, not a wrong id.
        assert!(parse_way(&id_first[..2], 3).is_err());
    }

    #[test]
    fn has_value_in_looks_at_values_not_keys() {
        use crate::pbf::wire::put_varint;
        let packed = |values: &[u64]| {
            let mut out = Vec::new();
            values.iter().for_each(|&v| put_varint(&mut out, v));
            out
        };
        // Keys 3 and 200 (two bytes); values 5 and 300 (two bytes).
        let (keys, vals) = (packed(&[3, 200]), packed(&[5, 300]));
        let tags = Tags::parallel(&keys, &vals, 400);
        assert!(tags.has_value_in(&[5]).unwrap());
        assert!(tags.has_value_in(&[1, 300]).unwrap());
        assert!(
            !tags.has_value_in(&[3, 200]).unwrap(),
            "keys are not values"
        );
        assert!(!tags.has_value_in(&[]).unwrap());
        // Interleaved (dense) tags: key, value, key, value.
        let interleaved = packed(&[3, 5, 200, 300]);
        let dense = Tags {
            keys: &interleaved,
            vals: &[],
            interleaved: true,
            table_len: 400,
        };
        assert!(dense.has_value_in(&[300]).unwrap());
        assert!(!dense.has_value_in(&[200]).unwrap());
        let truncated = [0x80];
        let broken = Tags::parallel(&keys, &truncated, 400);
        assert!(broken.has_value_in(&[7]).is_err());
    }

    /// The bytes of a block whose string table is `strings` and whose one
    /// group is `group` (a PrimitiveGroup's bytes).
    pub(crate) fn raw_block(strings: &[&str], group: &[u8]) -> Vec<u8> {
        use crate::pbf::wire::put_bytes;
        let mut table = Vec::new();
        for string in strings {
            put_bytes(&mut table, 1, string.as_bytes());
        }
        let mut block = Vec::new();
        put_bytes(&mut block, 1, &table);
        put_bytes(&mut block, 2, group);
        block
    }

    #[test]
    fn a_tag_is_found_under_every_copy_of_its_strings() {
        use crate::pbf::wire::{put_bytes, put_packed, put_packed_delta};
        let strings = [
            "",
            "man_made",
            "surveillance",
            "name",
            "man_made",
            "surveillance",
        ];
        // Node 11 is untagged, 12 uses the second copies, 13 the first
        // (after another tag), 14 the first (before another tag); 15 has
        // the key and the value, but in two different tags.
        let mut dense = Vec::new();
        put_packed_delta(&mut dense, 1, &[11, 12, 13, 14, 15]);
        put_packed_delta(&mut dense, 8, &[0; 5]);
        put_packed_delta(&mut dense, 9, &[0; 5]);
        let keys_vals = [0, 4, 5, 0, 3, 2, 1, 2, 0, 1, 2, 3, 3, 0, 1, 3, 3, 2, 0];
        put_packed(&mut dense, 10, keys_vals);
        let mut group = Vec::new();
        put_bytes(&mut group, 2, &dense);
        let bytes = raw_block(&strings, &group);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        assert_eq!(block.find_tag(b"man_made", b"tower"), None);
        let tag = block.find_tag(b"man_made", b"surveillance").unwrap();
        assert_eq!(
            (tag.keys.as_slice(), tag.values.as_slice()),
            (&[1, 4][..], &[2, 5][..])
        );
        // A key that is also its value is found as both.
        let same = block.find_tag(b"name", b"name").unwrap();
        assert_eq!((same.keys, same.values), (vec![3], vec![3]));
        let mut columns = DenseColumns::default();
        let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
        let tagged: Vec<usize> = block
            .dense_tagged(&nodes, &tag)
            .unwrap()
            .into_iter()
            .map(|(entry, _)| entry)
            .collect();
        assert_eq!(tagged, [1, 2, 3]);
    }
}
