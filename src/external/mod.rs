//! Side inputs that replace or check what OSM provides: commune polygons
//! from any GeoJSON (IGN Admin Express, say), populations from any CSV
//! (INSEE), and the camera counts towns declare, from any CSV.
//!
//! Why: OSM boundaries are only as complete as the extract, and OSM
//! population tags age. Newsrooms hold official files; camcount joins them
//! on the commune code. Problems name the file and the feature index or
//! line number.

pub mod coverage;
pub mod declared;
pub mod geojson;
pub mod population;

/// A whole number as a table gives it: digits, or digits grouped by
/// threes ("11 936", "11.936", "11,936": one separator throughout, any
/// space counting as one). Grouping by threes is what makes "11.936" a
/// population rather than a decimal; "1 2 3" (read as 123 before,
/// found 2026-12-05) or "1234,5" are no whole numbers.
pub fn whole_number(raw: &str) -> Result<u64, &'static str> {
    let raw = raw.trim();
    // "+40" as Rust reads it; "860.0" as pandas writes a column of whole
    // numbers with a gap.
    let raw = raw.strip_prefix('+').unwrap_or(raw);
    let raw = match raw.strip_suffix(".0") {
        Some(whole) if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) => whole,
        _ => raw,
    };
    if let Some(rest) = raw.strip_prefix('-') {
        if rest.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            return Err("is negative");
        }
    }
    let spaced = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let separators: std::collections::BTreeSet<char> =
        spaced.chars().filter(|c| !c.is_ascii_digit()).collect();
    let separator = match separators.iter().collect::<Vec<_>>()[..] {
        [] => None,
        [&c] if matches!(c, ' ' | '.' | ',') => Some(c),
        _ => return Err("is not a whole number"),
    };
    let groups: Vec<&str> = match separator {
        Some(c) => spaced.split(c).collect(),
        None => vec![spaced.as_str()],
    };
    let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let by_threes = groups.len() == 1
        || ((1..=3).contains(&groups[0].len())
            && !groups[0].starts_with('0')
            && groups[1..].iter().all(|g| g.len() == 3));
    if !by_threes || !groups.iter().all(digits) {
        return Err("is not a whole number");
    }
    groups
        .concat()
        .parse::<u64>()
        .map_err(|_| "is more than any count")
}

/// The figures of a side file written with '.' or ',' between
/// thousands, which one warning reports: how many, and the first (line,
/// as written, as read). The warning quoted "11.936" whatever the file
/// held (found 2026-12-06); a declared "12.000", a column of three
/// decimals, read as 12,000 cameras without one (found 2026-12-06).
#[derive(Default)]
pub(crate) struct Grouped {
    count: u64,
    first: Option<(u64, String, u64)>,
}

impl Grouped {
    /// Takes in a figure read as `value` from `raw`.
    pub(crate) fn note(&mut self, line: u64, raw: &str, value: u64) {
        // "860.0", as pandas writes whole numbers, is no grouping.
        let written = raw.trim().strip_suffix(".0").unwrap_or(raw.trim());
        if written.contains(['.', ',']) {
            self.count += 1;
            (self.first).get_or_insert_with(|| (line, raw.trim().to_string(), value));
        }
    }

    /// "2 populations are written with '.' or ',' between thousands, read
    /// as such (line 3: "11.936" as 11936): check that {check}".
    pub(crate) fn warning(&self, [one, many]: [&str; 2], check: &str) -> Option<String> {
        let (line, raw, value) = self.first.as_ref()?;
        let n = self.count;
        Some(format!(
            "{n} {} written with '.' or ',' between thousands, read as such (line {line}: \
             {raw:?} as {value}): check that {check}",
            if n == 1 { one } else { many }
        ))
    }
}

#[cfg(test)]
mod whole_number_tests {
    use super::whole_number;

    #[test]
    fn digits_grouped_by_threes_are_whole_numbers() {
        for (raw, value) in [
            ("11936", 11_936),
            (" 11936 ", 11_936),
            ("11 936", 11_936),
            ("11\u{a0}936", 11_936),
            ("11\u{202f}936", 11_936),
            ("1  234 567", 1_234_567),
            ("11.936", 11_936),
            ("2,165,423", 2_165_423),
            ("0", 0),
            ("+40", 40),
            ("860.0", 860),
        ] {
            assert_eq!(whole_number(raw), Ok(value), "{raw:?}");
        }
        for raw in [
            "1 2 3",
            "12 34",
            "1234,5",
            "1.5",
            "1.234,5",
            "0.500",
            "x",
            "",
            "1,234.567",
        ] {
            assert_eq!(whole_number(raw), Err("is not a whole number"), "{raw:?}");
        }
        assert_eq!(whole_number("-11936"), Err("is negative"));
        assert_eq!(
            whole_number("99999999999999999999999"),
            Err("is more than any count")
        );
    }
}

/// A commune code as the side files and the zones are joined on it. A
/// code of four digits is an INSEE code whose leading zero a spreadsheet
/// dropped (06088 saved as the number 6088): both read as 06088, on the
/// file's side and on the zones' alike, so that a file saved from Excel
/// still matches (found 2026-12-05: Nice's declared figure went unmatched
/// and its population fell back to the OSM tag without a word in the
/// outputs).
/// Corsica's codes read in capitals: "2a004" matched nothing and rolled
/// up under "(no INSEE code)" (found 2026-12-06).
pub fn code_key(code: &str) -> std::borrow::Cow<'_, str> {
    let code = code.trim();
    let corsican = code.len() == 5
        && (code.starts_with("2a") || code.starts_with("2b"))
        && code[2..].bytes().all(|b| b.is_ascii_digit());
    if lost_its_zero(code) {
        std::borrow::Cow::Owned(format!("0{code}"))
    } else if corsican {
        std::borrow::Cow::Owned(code.to_ascii_uppercase())
    } else {
        std::borrow::Cow::Borrowed(code)
    }
}

/// A code of four digits: an INSEE code that lost its leading zero.
pub fn lost_its_zero(code: &str) -> bool {
    let code = code.trim();
    code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit())
}

/// What a side CSV checks once its `rows` are read: that it held one (a
/// header alone read as "0 communes matched", exit 0, found 2026-12-05);
/// and the file-wide warning of the codes that lost their leading zero,
/// put first, as a file's warnings stop after ten.
pub(crate) fn rows_read(
    path: &std::path::Path,
    rows: u64,
    restored: &[(u64, String)],
    warnings: &mut Vec<String>,
) -> crate::error::Result<()> {
    if rows == 0 {
        return Err(crate::error::Error::input(
            path,
            "holds a header line and no row: was it saved before it was filled?",
        ));
    }
    if let Some(warning) = restored_zeros_warning(restored) {
        warnings.insert(0, warning);
    }
    Ok(())
}

/// The warning for codes [`code_key`] gave back their zero: how many, the
/// first one and its line.
fn restored_zeros_warning(restored: &[(u64, String)]) -> Option<String> {
    let (line, first) = restored.first()?;
    Some(format!(
        "{} {} of four digits read as INSEE codes that lost their leading zero (line {line}: {first} as 0{first}); a spreadsheet drops it from codes it takes for numbers: format the column as text",
        restored.len(),
        if restored.len() == 1 { "code" } else { "codes" },
    ))
}

/// What a side file is when it is not the text it should be, said with
/// the remedy: gzip, an OSM PBF, UTF-16 (Excel's "Unicode text"). `None`
/// for anything else. The readers said "not UTF-8 text (byte 1)" or
/// "invalid JSON" of all of them (found 2026-12-05).
pub(crate) fn other_kind(bytes: &[u8], wanted: &str) -> Option<String> {
    let head = &bytes[..bytes.len().min(32)];
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some("is gzip-compressed: gunzip it first".into());
    }
    if head.len() > 4 && head[4..].windows(9).any(|w| w == b"OSMHeader") {
        return Some(format!(
            "is an OSM PBF file, not {wanted}: give the extract as the input (the first argument)"
        ));
    }
    // A zip archive: what xlsx and ods workbooks are. It read as "not
    // UTF-8 text … iconv", a remedy that makes garbage of a zip (found
    // 2026-12-06).
    if head.starts_with(b"PK\x03\x04") {
        return Some(match wanted {
            "GeoJSON" => "is a zip archive, not GeoJSON: unzip it (a shapefile inside converts \
                          with: ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson in.shp)"
                .to_string(),
            _ => format!(
                "is a zip archive, as a spreadsheet workbook (.xlsx, .ods) is, not {wanted}: \
                 open it and save the sheet as {wanted} (UTF-8)"
            ),
        });
    }
    // The older binary workbook (.xls).
    if head.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return Some(format!(
            "is an Office binary file, as an .xls workbook is, not {wanted}: open it and save \
             the sheet as {wanted} (UTF-8)"
        ));
    }
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Some(format!(
            "is UTF-16 text (Excel's \"Unicode text\"), not UTF-8: save it as {wanted} UTF-8, or \
             convert it: iconv -f UTF-16 -t UTF-8 IN > OUT"
        ));
    }
    None
}

/// A CSV side file's text, without its byte-order mark; the error says
/// what the bytes are instead, with a remedy.
pub(crate) fn csv_text(bytes: &[u8]) -> std::result::Result<&str, String> {
    if let Some(kind) = other_kind(bytes, "a CSV") {
        return Err(kind);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        format!(
            "not UTF-8 text (line {line}, byte {at}): Latin-1 or Windows-1252, as older Excel \
             saves? save it as CSV UTF-8, or convert it: iconv -f WINDOWS-1252 -t UTF-8 IN > OUT"
        )
    })
}

/// The delimiter used most in a CSV's header line: `;`, tab, else `,` (a
/// tie goes to `,`, and between `;` and tab to tab). The population and
/// declared readers both sniff so.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.matches(c).count();
    [(b';', count(';')), (b'\t', count('\t'))]
        .into_iter()
        .filter(|&(_, n)| n > count(','))
        .max_by_key(|&(_, n)| n)
        .map_or(b',', |(d, _)| d)
}

/// The line, from 1, of the first field of a CSV record starting at a
/// byte offset of `text`, for the side readers' messages. Not the CSV
/// reader's own count: it starts a record on the line terminators before
/// it, so with CRLF endings (Excel's) and blank lines it named lines one
/// or two too early; nor a count of records, which blank lines and quoted
/// newlines shift (found 2026-12-05).
pub(crate) fn csv_lines(text: &str) -> impl Fn(u64) -> u64 + '_ {
    let ends: Vec<usize> = (text.bytes().enumerate())
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    move |offset| {
        let start = offset as usize;
        let skipped = text.as_bytes()[start.min(text.len())..]
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let at = start + skipped;
        ends.partition_point(|&end| end < at) as u64 + 1
    }
}

/// A path's file name: how outputs and side tables name their sources
/// (not the folder: outputs are shared).
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Whether an invalid polygon's area is the area it encloses: true when its
/// rings only touch (IGN's Condé-en-Normandie, 14174, one ring through a
/// point twice), false when they cross or overlap (a bowtie, a hole beyond
/// its shell), where the signed sum of its rings is no area at all. Told by
/// rebuilding it with an even-odd overlay and comparing the areas.
pub fn has_one_area(geometry: &geo::MultiPolygon<f64>) -> bool {
    use geo::Area;
    let rebuilt = normalised(geometry).unsigned_area();
    let summed = geometry.unsigned_area();
    (rebuilt - summed).abs() <= 1e-9 * rebuilt.max(summed).max(f64::MIN_POSITIVE)
}

/// A polygon's region by the even-odd rule, as valid polygons: what a
/// plain pass counts a point inside of.
pub fn normalised(geometry: &geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64> {
    use geo::BooleanOps;
    geometry.union(&geo::MultiPolygon::<f64>::new(Vec::new()))
}

/// The place of the column named one of `names`, if any; two such
/// columns are an error, since which one to read cannot be told (the
/// first of two `cameras` columns was read without a word, found
/// 2026-12-06).
pub(crate) fn column_named(
    headers: &csv::StringRecord,
    names: &[&str],
) -> Result<Option<usize>, String> {
    let at: Vec<usize> = (headers.iter().enumerate())
        .filter(|(_, h)| names.contains(&h.trim()))
        .map(|(i, _)| i)
        .collect();
    match at[..] {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        [first, second, ..] => Err(format!(
            "two columns are named {:?} (columns {} and {}): which one to read cannot be told; \
             rename or remove one",
            headers.get(first).unwrap_or_default().trim(),
            first + 1,
            second + 1
        )),
    }
}

/// The message for a side CSV without the column `name`: its columns, cut
/// short (a GeoJSON given as a CSV has one "column", the whole file: 55 MB
/// on one line of stderr), or what the file looks like instead.
pub fn missing_column(name: &str, columns: &csv::StringRecord, text: &str) -> String {
    let start = text.trim_start();
    if start.is_empty() {
        return "the file is empty: a CSV with a header line is needed".into();
    }
    if start.starts_with('{') || start.starts_with('[') {
        return format!("no column {name:?}: the file looks like JSON, not CSV");
    }
    let mut shown = String::new();
    for (i, column) in columns.iter().enumerate() {
        if shown.len() > 200 {
            shown.push_str(&format!(", … ({} columns)", columns.len()));
            break;
        }
        if i > 0 {
            shown.push_str(", ");
        }
        match column.char_indices().nth(40) {
            Some((cut, _)) => shown.push_str(&format!("{}…", &column[..cut])),
            None => shown.push_str(column),
        }
    }
    format!("no column {name:?} (columns: {shown})")
}

#[cfg(test)]
mod missing_column_tests {
    use super::missing_column;

    #[test]
    fn the_message_stays_short_and_says_what_the_file_is() {
        let wide = csv::StringRecord::from(vec!["x".repeat(5000); 300]);
        let message = missing_column("code", &wide, "xxx");
        assert!(message.len() < 400, "{}", message.len());
        assert!(message.ends_with("(300 columns))"), "{message}");
        let json = csv::StringRecord::from(vec![r#"{"type": "FeatureCollection""#]);
        assert!(missing_column("code", &json, "{\"type\"").contains("looks like JSON"));
        assert!(missing_column("code", &csv::StringRecord::new(), "").contains("empty"));
        let plain = csv::StringRecord::from(vec!["insee", "pop"]);
        assert_eq!(
            missing_column("code", &plain, "insee,pop"),
            "no column \"code\" (columns: insee, pop)"
        );
    }
}
