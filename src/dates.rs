//! Dates: how old the data is, written as ISO 8601 without a time zone
//! library.
//!
//! Why it matters: a figure a journalist prints needs its date. The date of
//! an extract is the replication timestamp its header carries (what
//! Geofabrik and osmium write), else the newest object timestamp in it, else
//! `unknown`, never the time of the run. A header older than an object the
//! file holds is stale (a file edited or merged after it was cut): the
//! object's date is then taken, and said.
//!
//! In: Unix seconds. Out: `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ` strings.

/// Where a data date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateSource {
    /// The header's `osmosis_replication_timestamp`.
    Header,
    /// No header date: the newest object timestamp in the file.
    NewestObject,
    /// The header's date (`header`, Unix seconds) is older than an object
    /// the file holds: the newest such object's timestamp, the newest of
    /// what `by` says was read.
    PastHeader { header: i64, by: Newest },
    /// A history file's state at the date asked for (`--at`).
    AskedDate,
    /// A date asked for past a history file's data: its newest state,
    /// dated the day its data reach (the day after its newest object), as
    /// `history` labels it.
    DataEnd,
    /// Neither: the file carries no dates.
    #[default]
    Unknown,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Header => "header replication timestamp",
            DateSource::NewestObject => "newest object timestamp",
            DateSource::PastHeader {
                by: Newest::Camera, ..
            } => "newest camera timestamp (the header's replication timestamp is older)",
            DateSource::PastHeader {
                by: Newest::Object, ..
            } => "newest object timestamp (the header's replication timestamp is older)",
            DateSource::AskedDate => "--at date (the history file's state then)",
            DateSource::DataEnd => {
                "the day the history file's data reach (the --at date is past them: its newest state)"
            }
            DateSource::Unknown => "unknown",
        }
    }
}

/// What a file's newest date was read from: a count reads the cameras'
/// timestamps only (the boundaries' would cost a decode of every version
/// column), a history every object's. A note said "the newest edit read"
/// of a camera's date while the file held boundaries edited 2.5 months
/// later (found 2026-12-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newest {
    Camera,
    Object,
}

impl Newest {
    /// What a file with a stale header holds, for the warning and the
    /// note: "a camera edited on 2023-11-14", "objects edited up to …".
    pub fn holding(self, day: &str) -> String {
        match self {
            Newest::Camera => format!("a camera edited on {day}"),
            Newest::Object => format!("objects edited up to {day}"),
        }
    }
}

/// How old the data of one input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataDate {
    /// Unix seconds, UTC.
    pub timestamp: Option<i64>,
    pub source: DateSource,
}

impl DataDate {
    pub fn from_header(timestamp: i64) -> Self {
        DataDate {
            timestamp: Some(timestamp),
            source: DateSource::Header,
        }
    }

    pub fn from_newest_object(timestamp: Option<i64>) -> Self {
        match timestamp {
            Some(t) => DataDate {
                timestamp: Some(t),
                source: DateSource::NewestObject,
            },
            None => DataDate::default(),
        }
    }

    /// The date of a file whose header says `header` (already checked by
    /// [`plausible`]) and whose newest object read is `newest`: the
    /// header's, unless an object is newer (found 2026-12-05: the 2021
    /// Monaco extract under a 2019-01-01 header dated every figure 2019,
    /// its cameras edited up to 2019-05-18).
    /// An object timestamp past tomorrow is damage (a flipped byte dated
    /// a 2021 file 2037, found 2026-12-05) and is not taken.
    pub fn of_file(header: Option<i64>, newest: Option<i64>, by: Newest) -> Self {
        let newest = newest.filter(|&t| t <= tomorrow());
        match (header, newest) {
            // By day, as dates are printed: a camera edited seconds after
            // the header's time changes no date (and its note read "dated
            // 2026-04-27, but edited up to 2026-04-27").
            (Some(h), Some(n)) if n.div_euclid(86_400) > h.div_euclid(86_400) => DataDate {
                timestamp: Some(n),
                source: DateSource::PastHeader { header: h, by },
            },
            (Some(h), _) => DataDate::from_header(h),
            (None, n) => DataDate::from_newest_object(n),
        }
    }

    /// `YYYY-MM-DD` (UTC), or `unknown`. A date asked for with a time of
    /// day (`cameras --at 2023-08-27T16:07:12Z`) keeps its time: the list
    /// at 16:07 differs from the one at midnight, and was labelled alike
    /// (found 2026-12-05).
    pub fn day(&self) -> String {
        match self.timestamp {
            Some(t) if self.source == DateSource::AskedDate && t.rem_euclid(86_400) != 0 => {
                iso_instant(t)
            }
            Some(t) => iso_day(t),
            None => "unknown".to_string(),
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, or `unknown`.
    pub fn instant(&self) -> String {
        self.timestamp
            .map_or_else(|| "unknown".to_string(), iso_instant)
    }
}

/// A header's replication timestamp when it can be a date of data: from
/// 1970 to tomorrow. A damaged or hand-made header printed year 5138 as
/// the data date (found 2026-12-05); the objects' own dates are then taken.
pub fn plausible(header: Option<i64>) -> Option<i64> {
    header.filter(|t| (0..=tomorrow()).contains(t))
}

/// The latest date data can bear: this time tomorrow (a clock a day
/// behind the data's own is no reason to refuse it), Unix seconds.
pub fn tomorrow() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(i64::MAX, |now| now.as_secs() as i64 + 86_400)
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn iso_day(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time (UTC).
pub fn iso_instant(seconds: i64) -> String {
    let day = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(day);
    // Every camera row has one: digits by hand rather than `format!`,
    // which took more than the rest of the row.
    if (0..=9999).contains(&y) {
        let mut text = String::with_capacity(20);
        let pairs = [
            (y / 100, None),
            (y % 100, Some('-')),
            (i64::from(m), Some('-')),
            (i64::from(d), Some('T')),
            (rest / 3600, Some(':')),
            (rest % 3600 / 60, Some(':')),
            (rest % 60, Some('Z')),
        ];
        for (value, after) in pairs {
            text.push(char::from(b'0' + (value / 10) as u8));
            text.push(char::from(b'0' + (value % 10) as u8));
            text.extend(after);
        }
        return text;
    }
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso_day(0), "1970-01-01");
        // Monaco 2026's header: 2026-07-10T20:21:01Z (osmium fileinfo).
        assert_eq!(iso_instant(1_783_714_861), "2026-07-10T20:21:01Z");
        assert_eq!(iso_day(951_782_400), "2000-02-29");
        assert_eq!(iso_instant(-1), "1969-12-31T23:59:59Z");
        // The hand-written digits against `format!`, every 7919 s from
        // 1900 to 2100, and out of four-digit years.
        let formatted = |t: i64| {
            let (y, m, d) = civil_from_days(t.div_euclid(86_400));
            let rest = t.rem_euclid(86_400);
            let (h, min, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
            format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
        };
        for t in (-2_208_988_800..4_102_444_800).step_by(7919) {
            assert_eq!(iso_instant(t), formatted(t));
        }
        assert_eq!(iso_instant(253_402_300_800), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn a_header_older_than_an_object_gives_way() {
        let d = DataDate::of_file(Some(1_618_000_000), Some(1_783_000_000), Newest::Camera);
        assert_eq!(d.timestamp, Some(1_783_000_000));
        assert_eq!(
            d.source,
            DateSource::PastHeader {
                header: 1_618_000_000,
                by: Newest::Camera,
            }
        );
        assert!(d.source.as_str().starts_with("newest camera timestamp"));
        // The header's date holds when no object is newer, and without a
        // header the newest object's is taken.
        let d = DataDate::of_file(Some(1_618_000_000), Some(1_618_000_000), Newest::Object);
        assert_eq!(d, DataDate::from_header(1_618_000_000));
        // Later the same day: the same date printed, no word.
        let d = DataDate::of_file(Some(1_618_000_000), Some(1_618_000_100), Newest::Object);
        assert_eq!(d, DataDate::from_header(1_618_000_000));
        assert_eq!(
            DataDate::of_file(Some(5), None, Newest::Object),
            DataDate::from_header(5)
        );
        assert_eq!(
            DataDate::of_file(None, Some(7), Newest::Object),
            DataDate::from_newest_object(Some(7))
        );
        // A timestamp past tomorrow is damage, not a date.
        let future = tomorrow() + 86_400;
        assert_eq!(
            DataDate::of_file(Some(5), Some(future), Newest::Object),
            DataDate::from_header(5)
        );
        assert_eq!(
            DataDate::of_file(None, Some(future), Newest::Object),
            DataDate::default()
        );
    }

    #[test]
    fn unknown_is_said_never_now() {
        assert_eq!(DataDate::default().day(), "unknown");
        assert_eq!(DataDate::from_newest_object(None).day(), "unknown");
        assert_eq!(DataDate::from_header(0).day(), "1970-01-01");
    }
}
