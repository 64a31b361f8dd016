//! Counts through time, from an OSM history file (`.osh.pbf`) or from two
//! dated snapshots.
//!
//! Why this design: a camera, a boundary and the join of one to the other
//! are defined once, by the plain scan and the pipeline. So a count at a
//! date D is made exactly as `osmium time-filter FILE D` followed by the
//! plain count would make it, reusing every stage:
//!
//! ```text
//! .osh.pbf ─ read::read_history ─▶ History: every version of the relevant objects only
//!            History::state_at(D) ─▶ each object's newest version with timestamp ≤ D, if visible
//!            write_state ─▶ a temporary .osm.pbf dated D (our PbfWriter)
//!            scan::scan + assemble_boundaries ─▶ cameras and boundaries at D
//!            through::count_dates ─▶ per date and zone: cameras, added, removed
//! ```
//!
//! The file is read once (each blob once, relations, then ways, then
//! nodes, in parallel; a node blob again only when a camera's versions
//! straddle its edge); memory grows with the versions of cameras and
//! boundaries (their member ways and nodes), not with the file. The
//! temporary files hold only those objects, so each date costs a scan of a
//! small file. Zones are those of the last date unless each date's own are
//! asked for (see [`through`]).
//!
//! A date is `YYYY-MM-DD` (00:00 UTC that day) or `YYYY-MM-DDTHH:MM:SSZ`
//! ([`parse_date`]).
//!
//! In: a history path and dates. Out: [`through::DateCount`]s.

pub mod fixtures;
pub mod read;
pub mod through;

use std::io::BufWriter;
use std::path::Path;

use crate::error::{Error, Result};
use crate::pbf::block::ElementType;
use crate::pbf::writer::{PbfWriter, WriterOptions};
use crate::pbf::{OsmNode, OsmRelation, OsmWay};

pub use read::{read_history, ReadStats};

/// Every version of the objects a count can need, each type sorted by id
/// then version. Versions of no interest (a camera untagged) are stubs
/// marked deleted.
#[derive(Debug, Default)]
pub struct History {
    pub nodes: Vec<OsmNode>,
    pub ways: Vec<OsmWay>,
    pub relations: Vec<OsmRelation>,
    /// Oldest and newest object timestamps in the file, Unix seconds.
    pub first_timestamp: Option<i64>,
    pub last_timestamp: Option<i64>,
    /// The header's replication timestamp, if any.
    pub header_timestamp: Option<i64>,
    /// The header's bounding box: where the extract says its data lies.
    pub bbox: Option<crate::pbf::header::BBox>,
    /// Some object of the file, kept or not, holds two versions.
    pub any_object_twice: bool,
    /// The highest version of any object read (0 when unknown).
    pub max_version: i32,
    pub stats: ReadStats,
}

/// The state of a set of objects at one date.
#[derive(Debug, Default)]
pub struct State<'h> {
    pub nodes: Vec<&'h OsmNode>,
    pub ways: Vec<&'h OsmWay>,
    pub relations: Vec<&'h OsmRelation>,
}

/// Each object's newest version with timestamp ≤ `at`, if it is visible.
fn newest_at<T>(
    versions: &[T],
    id: impl Fn(&T) -> i64,
    meta: impl Fn(&T) -> Option<(i64, bool)>,
    at: i64,
) -> Vec<&T> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < versions.len() {
        let object = id(&versions[i]);
        let mut current: Option<&T> = None;
        while i < versions.len() && id(&versions[i]) == object {
            let v = &versions[i];
            // Without metadata, or a timestamp (osmium writes 0), a
            // version is of no date: it always stands, before 1970 too,
            // as the warning about it says (found 2026-12-07).
            let timestamp = match meta(v) {
                Some((timestamp, _)) if timestamp > 0 => timestamp,
                _ => i64::MIN,
            };
            if timestamp <= at {
                current = Some(v);
            }
            i += 1;
        }
        if let Some(v) = current.filter(|v| !meta(v).is_some_and(|m| m.1)) {
            out.push(v);
        }
    }
    out
}

impl History {
    /// The objects as they stood at `at` (Unix seconds).
    pub fn state_at(&self, at: i64) -> State<'_> {
        let meta = |m: &Option<crate::pbf::OsmMeta>| m.as_ref().map(|m| (m.timestamp, m.deleted));
        State {
            nodes: newest_at(&self.nodes, |n| n.id, |n| meta(&n.meta), at),
            ways: newest_at(&self.ways, |w| w.id, |w| meta(&w.meta), at),
            relations: newest_at(&self.relations, |r| r.id, |r| meta(&r.meta), at),
        }
    }

    /// Versions kept, all types.
    pub fn versions_kept(&self) -> usize {
        self.nodes.len() + self.ways.len() + self.relations.len()
    }

    /// The cameras (nodes and ways tagged so in some version) whose first
    /// version in the file is not version 1, with that first version's
    /// number and timestamp: the file lacks their earlier versions (a
    /// history built from snapshots, or an extract the object entered
    /// later), so at an earlier date they may be missing from the count.
    /// True when no object kept holds two versions: a snapshot, whatever
    /// its header says (`osmium cat snapshot.osm.pbf -o x.osh.pbf` marks
    /// one as history).
    pub fn one_version_each(&self) -> bool {
        fn single<T>(versions: &[T], id: impl Fn(&T) -> i64) -> bool {
            versions.windows(2).all(|w| id(&w[0]) != id(&w[1]))
        }
        !self.any_object_twice
            && single(&self.nodes, |n| n.id)
            && single(&self.ways, |w| w.id)
            && single(&self.relations, |r| r.id)
    }

    /// The first object kept (nodes, then ways, then relations) whose
    /// first version in the file is past version 1, with that version.
    /// With [`History::one_version_each`], a snapshot: its cameras may all
    /// be at version 1 while its boundaries are not (a 2021 Monaco
    /// snapshot saved as `.osh.pbf` was taken for history, and deleted
    /// cameras went missing from earlier dates, found 2026-12-05).
    pub fn first_past_version_one(&self) -> Option<(ElementType, i64, i32)> {
        fn first<T>(
            kind: ElementType,
            versions: &[T],
            parts: impl Fn(&T) -> (i64, &Option<crate::pbf::OsmMeta>),
        ) -> Option<(ElementType, i64, i32)> {
            (versions.chunk_by(|a, b| parts(a).0 == parts(b).0)).find_map(|run| {
                let (id, meta) = parts(&run[0]);
                let version = meta.as_ref()?.version;
                (version > 1).then_some((kind, id, version))
            })
        }
        first(ElementType::Node, &self.nodes, |n| (n.id, &n.meta))
            .or_else(|| first(ElementType::Way, &self.ways, |w| (w.id, &w.meta)))
            .or_else(|| first(ElementType::Relation, &self.relations, |r| (r.id, &r.meta)))
    }

    /// How many versions kept carry no timestamp: they stand at every
    /// date (as `osmium time-filter` reads them).
    /// A timestamp of 0 is how osmium writes a version without one.
    pub fn undated_versions(&self) -> usize {
        let undated = |m: &Option<crate::pbf::OsmMeta>| m.as_ref().is_none_or(|m| m.timestamp <= 0);
        (self.nodes.iter().filter(|n| undated(&n.meta)).count())
            + self.ways.iter().filter(|w| undated(&w.meta)).count()
            + self.relations.iter().filter(|r| undated(&r.meta)).count()
    }

    /// The positions of every camera node version that is not a deletion:
    /// where the file, at some date, holds data.
    pub fn camera_positions(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        (self.nodes.iter())
            .filter(|n| !n.meta.as_ref().is_some_and(|m| m.deleted))
            .filter(|n| crate::camera::tagged_camera(&n.tags))
            .map(|n| (n.lon, n.lat))
    }

    pub fn cameras_without_first_version(&self) -> Vec<(ElementType, i64, i32, i64)> {
        let mut found = late_cameras(ElementType::Node, &self.nodes, |n| (n.id, &n.meta, &n.tags));
        found.extend(late_cameras(ElementType::Way, &self.ways, |w| {
            (w.id, &w.meta, &w.tags)
        }));
        found
    }
}

/// For [`History::cameras_without_first_version`]: over one type's
/// versions, sorted by id then version (`parts` gives each one's id,
/// metadata and tags), the objects tagged as cameras in some version whose
/// first version is not 1.
fn late_cameras<T>(
    kind: ElementType,
    versions: &[T],
    parts: impl Fn(&T) -> (i64, &Option<crate::pbf::OsmMeta>, &Vec<(String, String)>),
) -> Vec<(ElementType, i64, i32, i64)> {
    let camera = |v: &T| crate::camera::tagged_camera(parts(v).2);
    (versions.chunk_by(|a, b| parts(a).0 == parts(b).0))
        .filter(|run| run.iter().any(camera))
        .filter_map(|run| {
            let (id, first, _) = parts(&run[0]);
            let first = first.as_ref().filter(|m| m.version > 1)?;
            Some((kind, id, first.version, first.timestamp))
        })
        .collect()
}

impl State<'_> {
    /// Writes the state as a plain, sorted `.osm.pbf` whose header carries
    /// `at` as its data date, so the plain scan reads it as any extract.
    pub fn write(&self, path: &Path, at: i64) -> Result<()> {
        let file = std::fs::File::create(path).map_err(|e| Error::write(path, e))?;
        self.write_to(&file, path, at)
    }

    /// [`State::write`] through `file`, open on `path` (which names it in
    /// errors): a temporary file is written through its handle.
    pub fn write_to(&self, file: &std::fs::File, path: &Path, at: i64) -> Result<()> {
        let fail = |e: std::io::Error| Error::write(path, e);
        let options = WriterOptions {
            compression: crate::pbf::writer::Compression::Lz4,
            replication_timestamp: Some(at),
            ..WriterOptions::default()
        };
        let mut writer = PbfWriter::new(BufWriter::new(file), options).map_err(fail)?;
        for node in &self.nodes {
            writer.node(node).map_err(fail)?;
        }
        for way in &self.ways {
            writer.way(way).map_err(fail)?;
        }
        for relation in &self.relations {
            writer.relation(relation).map_err(fail)?;
        }
        writer.finish().map_err(fail)?;
        Ok(())
    }
}

/// Parses `YYYY-MM-DD` (00:00 UTC) or `YYYY-MM-DDTHH:MM:SS[Z]` into Unix
/// seconds; the message says what was expected.
pub fn parse_date(text: &str) -> std::result::Result<i64, String> {
    let bad =
        || format!("{text:?} is not a date: write YYYY-MM-DD (00:00 UTC) or YYYY-MM-DDTHH:MM:SSZ");
    let text_trimmed = text.trim();
    let (day, time) = match text_trimmed.split_once(['T', 't', ' ']) {
        Some((day, time)) => (day, Some(time)),
        None => (text_trimmed, None),
    };
    let parts: Vec<&str> = day.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    // Digits only: `str::parse` took "+1" as a month (found 2026-12-05).
    let number = |s: &str| match s.bytes().all(|b| b.is_ascii_digit()) {
        true => s.parse::<i64>().map_err(|_| bad()),
        false => Err(bad()),
    };
    let (y, m, d) = (number(y)?, number(m)?, number(d)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(bad());
    }
    let mut seconds = days_from_civil(y, m, d) * 86_400;
    if let Some(time) = time {
        // A time without its zone may be meant in local time (Paris is an
        // hour or two ahead of UTC): it is no date to guess at. A zone
        // given as an offset (`+02:00`) is taken, and the time read in UTC.
        // RFC 3339 allows a lowercase `z`, and ISO 8601 offsets without
        // the colon or the minutes: `+0200` and `+02` were refused as "a
        // time without its zone" (found 2026-12-07).
        let (time, offset) = match time.strip_suffix(['Z', 'z']) {
            Some(time) => (time, 0),
            None => match time.rfind(['+', '-']) {
                Some(at) => {
                    let (time, zone) = time.split_at(at);
                    (time, zone_offset(zone).ok_or_else(bad)?)
                }
                None => {
                    return Err(format!(
                        "{text:?} gives a time without its zone: write it in UTC with a final Z \
                         (YYYY-MM-DDTHH:MM:SSZ) or with its offset (+02:00), or give the day \
                         alone (YYYY-MM-DD, 00:00 UTC)"
                    ))
                }
            },
        };
        seconds -= offset;
        let parts: Vec<&str> = time.split(':').collect();
        let [h, mi, s] = parts.as_slice() else {
            return Err(bad());
        };
        if h.len() != 2 || mi.len() != 2 || s.len() != 2 {
            return Err(bad());
        }
        let (h, mi, s) = (number(h)?, number(mi)?, number(s)?);
        // No leap second: 23:59:60 read as the next day's 00:00.
        if h > 23 || mi > 59 || s > 59 {
            return Err(bad());
        }
        seconds += h * 3600 + mi * 60 + s;
    }
    Ok(seconds)
}

/// The seconds east of UTC of a zone written `+HH:MM`, `+HHMM` or `+HH`
/// (or with `-`); offsets run from -12:00 to +14:00.
fn zone_offset(zone: &str) -> Option<i64> {
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    // ASCII first: the splits below are by byte.
    if !digits.is_ascii() {
        return None;
    }
    let (h, m) = match digits.len() {
        5 if digits.as_bytes()[2] == b':' => (&digits[..2], &digits[3..]),
        4 => digits.split_at(2),
        2 => (digits, "00"),
        _ => return None,
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || !all_digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if m > 59 || h * 60 + m > 14 * 60 || (sign < 0 && h * 60 + m > 12 * 60) {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`, the inverse of `dates::iso_day`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A step of `--every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Year,
    Quarter,
    Month,
}

/// Dates from `from` by `every` while not after `until`; then `until`
/// itself when the steps missed it, so the last date is the newest state.
pub fn dates_every(from: i64, every: Every, until: i64) -> Vec<i64> {
    let months = match every {
        Every::Year => 12,
        Every::Quarter => 3,
        Every::Month => 1,
    };
    let day = from.div_euclid(86_400);
    let rest = from.rem_euclid(86_400);
    let (y, m, d) = civil(day);
    let mut dates = Vec::new();
    for step in 0.. {
        let total = y * 12 + (m - 1) + step * months;
        let (yy, mm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
        let dd = d.min(days_in_month(yy, mm));
        let at = days_from_civil(yy, mm, dd) * 86_400 + rest;
        if at > until {
            break;
        }
        dates.push(at);
    }
    if dates.last() != Some(&until) {
        dates.push(until);
    }
    dates
}

fn civil(days: i64) -> (i64, i64, i64) {
    let text = crate::dates::iso_day(days * 86_400);
    let n = |r: std::ops::Range<usize>| text[r].parse::<i64>().unwrap_or(1);
    let len = text.len();
    (n(0..len - 6), n(len - 5..len - 3), n(len - 2..len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_as_utc_and_round_trip() {
        assert_eq!(parse_date("1970-01-01"), Ok(0));
        assert_eq!(
            crate::dates::iso_instant(parse_date("2026-07-10T20:21:01Z").unwrap()),
            "2026-07-10T20:21:01Z"
        );
        assert_eq!(
            crate::dates::iso_day(parse_date("2000-02-29").unwrap()),
            "2000-02-29"
        );
        for bad in [
            "2021-13-01",
            "2021-02-29",
            "21-01-01",
            "yesterday",
            "",
            "2021-01-01T25:00:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        // Regression (2026-12-05): a time without its zone was taken as
        // UTC, an hour or two off a French reader's meaning.
        for local in ["2024-01-01T00:00:00", "2024-01-01 12:00:00"] {
            let message = parse_date(local).unwrap_err();
            assert!(message.contains("without its zone"), "{message}");
        }
        assert_eq!(
            parse_date("2024-01-01 12:00:00Z"),
            parse_date("2024-01-01T12:00:00+00:00")
        );
        // Regression (2026-12-05): an offset was refused as "a time
        // without its zone", and "+1" read as a month.
        assert_eq!(
            parse_date("2024-03-05T14:00:00+02:00"),
            parse_date("2024-03-05T12:00:00Z")
        );
        assert_eq!(
            parse_date("2024-03-05T00:30:00-01:30"),
            parse_date("2024-03-05T02:00:00Z")
        );
        for bad in [
            "2024-+1-01",
            "2024-01-+1",
            "+024-01-01",
            "2024-01-01T12:00:00+2:000",
            // Regression (2026-12-05): a multibyte character where the
            // offset begins panicked.
            "2024-03-05T0é00000",
            "2024-03-05T00:00:00+é:00",
            "2024-03-05T00:00:00+14:59",
            "2024-03-05T00:00:00-13:00",
            "2024-03-05T00:00:00+2",
            "2024-03-05T00:00:00+020",
            "2024-03-05T00:00:00+02:0a",
            "2024-03-05T00:00:00zz",
            "2024-03-05T00:00:00+0é0",
            "2024-03-05T00:00:00-é0",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        // Regression (2026-12-07): a lowercase z and an offset without its
        // colon were refused as "a time without its zone".
        let noon = parse_date("2024-03-05T12:00:00Z");
        for same in [
            "2024-03-05t12:00:00z",
            "2024-03-05T14:00:00+0200",
            "2024-03-05T14:00:00+02",
            "2024-03-05T10:30:00-0130",
        ] {
            assert_eq!(parse_date(same), noon, "{same}");
        }
    }

    #[test]
    fn steps_end_with_the_last_state() {
        let from = parse_date("2019-01-31").unwrap();
        let until = parse_date("2019-04-15").unwrap();
        let days: Vec<String> = dates_every(from, Every::Month, until)
            .into_iter()
            .map(crate::dates::iso_day)
            .collect();
        assert_eq!(
            days,
            ["2019-01-31", "2019-02-28", "2019-03-31", "2019-04-15"]
        );
    }

    #[test]
    fn the_state_is_the_newest_visible_version_at_the_date() {
        use crate::pbf::OsmMeta;
        let v = |id, version, timestamp, deleted| OsmNode {
            id,
            lon: 0.0,
            lat: 0.0,
            tags: Vec::new(),
            meta: Some(OsmMeta {
                version,
                timestamp,
                deleted,
                ..OsmMeta::default()
            }),
        };
        let history = History {
            nodes: vec![
                v(1, 1, 10, false),
                v(1, 2, 20, true),
                v(1, 3, 30, false),
                v(2, 1, 15, false),
            ],
            ..History::default()
        };
        let at = |t| -> Vec<(i64, i32)> {
            (history.state_at(t).nodes.iter())
                .map(|n| (n.id, n.meta.as_ref().unwrap().version))
                .collect()
        };
        assert_eq!(at(5), []);
        assert_eq!(at(10), [(1, 1)]);
        assert_eq!(at(20), [(2, 1)]);
        assert_eq!(at(30), [(1, 3), (2, 1)]);
        // Regression (2026-12-07): a version without a timestamp (0) stood
        // from 1970 on only, where the warning says at every date.
        let undated = History {
            nodes: vec![v(3, 1, 0, false), v(3, 2, 20, false)],
            ..History::default()
        };
        let version = |t| {
            (undated.state_at(t).nodes.iter())
                .map(|n| n.meta.as_ref().unwrap().version)
                .collect::<Vec<i32>>()
        };
        assert_eq!(version(-86_400 * 365), [1]);
        assert_eq!(version(10), [1]);
        assert_eq!(version(20), [2]);
    }
}
