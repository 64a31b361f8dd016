//! A population table from CSV, joined to communes on their code.
//!
//! Accepts `,`, `;` or tab delimiters (sniffed from the header) and a UTF-8
//! byte-order mark, as spreadsheets write them. When a code appears more than
//! once and the file has a `type` column (INSEE/etalab lists do), the
//! `commune-actuelle` row wins over `commune-deleguee` and the like; other
//! duplicates keep the first row and are warned about with line numbers,
//! unless they give another figure: then the file is refused.
//! An `anciens_codes` column (etalab's lists) maps the codes of communes
//! merged away to the code of the commune they merged into.
//! Empty lines and ragged rows (more or fewer fields than the header, as
//! when a name holds an unquoted delimiter) are skipped and reported by
//! their line in the file, since a shifted row would give a commune
//! another's figure.
//!
//! The join to zones, and its rule for communes merged since the
//! boundaries were drawn, is in its `join` module.
//!
//! In: a CSV path, the key column and the value column. Out: code →
//! population.

mod join;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::{code_key, Grouped};
use crate::error::{Error, Result};

pub use join::{MergedPart, PopulationJoin};

/// Populations by commune code.
#[derive(Debug, Clone, Default)]
pub struct PopulationTable {
    /// The file name, reported as `population_source`.
    pub source: String,
    values: HashMap<String, Entry>,
    /// Old code → the current code of the commune it merged into.
    aliases: HashMap<String, String>,
    /// Commune → the codes of its communes déléguées, from a parent
    /// column (etalab's `chef_lieu_ou_commune_parente`).
    delegated: HashMap<String, BTreeSet<String>>,
    /// Whether the file says which communes merged: an `anciens_codes`
    /// or a parent column. Without one, a zone named otherwise than its
    /// code's commune cannot be told from a commune merged since.
    lists_mergers: bool,
    /// Line-numbered problems that did not stop the read.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone)]
struct Entry {
    value: Option<u64>,
    current: bool,
    /// From a `nom` or `name` column, for messages.
    name: Option<String>,
}

impl PopulationTable {
    /// The population for `code`, when the file gives one.
    pub fn get(&self, code: &str) -> Option<u64> {
        self.values.get(&*code_key(code)).and_then(|e| e.value)
    }

    /// True when the file lists `code` at all (even without a value).
    pub fn has(&self, code: &str) -> bool {
        self.values.contains_key(&*code_key(code))
    }

    /// True when the file lists `code` as a current commune's.
    pub fn is_current(&self, code: &str) -> bool {
        self.values.get(&*code_key(code)).is_some_and(|e| e.current)
    }

    /// The communes a merged commune is made of, each by its code: its
    /// communes déléguées when the file lists them (they are what it was
    /// made of at its last merger), else every code of `anciens_codes`
    /// (which lists older mergers too, as Valserhône's 01126 and 01018)
    /// and its own, which it took from the commune it merged around
    /// (without it, Pugieu's figure passed for all Chazey-Bons', found
    /// 2026-12-06).
    pub fn parts_of(&self, commune: &str) -> BTreeSet<String> {
        let commune = code_key(commune);
        if let Some(parts) = self.delegated.get(&*commune) {
            return parts.clone();
        }
        let mut parts: BTreeSet<String> = (self.aliases.iter())
            .filter(|(_, current)| **current == *commune)
            .map(|(old, _)| old.clone())
            .collect();
        parts.insert(commune.into_owned());
        parts
    }

    /// The file's name for `code`, when a zone named `zone_name` under it
    /// may not be its commune: the file lists no former communes, and
    /// names the code otherwise (case, accents, hyphens, apostrophes and
    /// a leading article aside). Such a zone may be a commune merged
    /// since under the code the merged one kept; it is given neither the
    /// population nor the declared figure of the code.
    pub fn names_otherwise(&self, code: &str, zone_name: Option<&str>) -> Option<&str> {
        if self.lists_mergers {
            return None;
        }
        let entry = self.values.get(&*code_key(code))?;
        let file_name = entry.name.as_deref()?;
        (entry.value.is_some() && !join::same_name(zone_name?, file_name)).then_some(file_name)
    }

    /// The current code of a commune merged away, from `anciens_codes`.
    pub fn current_code(&self, old: &str) -> Option<&str> {
        self.aliases.get(&*code_key(old)).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Reads `path`, keyed by column `key`, with values from column `field`.
pub fn read_population(path: &Path, key: &str, field: &str) -> Result<PopulationTable> {
    // Each commune's code read as its population: Beausoleil 6012
    // inhabitants, exit 0 (found 2026-12-06).
    if key.trim() == field.trim() {
        return Err(Error::Usage(format!(
            "--population-key and --population-field both name the column {key:?}: name the \
             column of inhabitants with --population-field"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let text = super::csv_text(&bytes).map_err(|m| Error::input(path, m))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(super::sniff_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::input(path, format!("cannot read the header line: {e}")))?
        .clone();
    let find =
        |names: &[&str]| super::column_named(&headers, names).map_err(|m| Error::input(path, m));
    let column = |name: &str| {
        find(&[name])?
            .ok_or_else(|| Error::input(path, super::missing_column(name, &headers, text)))
    };
    let (key_at, field_at, type_at) = (column(key)?, column(field)?, find(&["type"])?);
    let former_at = find(&["anciens_codes"])?;
    // The first of these names a column has.
    let first_of = |names: &[&str]| -> Result<Option<usize>> {
        for name in names {
            if let Some(at) = find(&[name])? {
                return Ok(Some(at));
            }
        }
        Ok(None)
    };
    // INSEE's own lists name the column otherwise than etalab's.
    let name_at = first_of(&[
        "nom",
        "name",
        "Nom",
        "NOM",
        "nom_commune",
        "Nom de la commune",
        "LIBGEO",
        "libgeo",
        "LIBELLE",
        "libelle",
        "Libellé",
    ])?
    // The key column is no name: every code would be named otherwise.
    .filter(|&at| at != key_at);
    let parent_at = first_of(&["chef_lieu_ou_commune_parente", "chef_lieu", "chefLieu"])?;
    let mut table = PopulationTable {
        source: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        ..PopulationTable::default()
    };
    let blank = empty_lines(text);
    table.warnings.extend(
        blank
            .iter()
            .map(|line| format!("line {line}: empty line (skipped)")),
    );
    let line_of = super::csv_lines(text);
    let mut restored = Vec::new();
    let (mut grouped, mut rows) = (Grouped::default(), 0);
    for record in reader.records() {
        let record = record.map_err(|e| Error::input(path, e.to_string()))?;
        rows += 1;
        let line = record.position().map_or(0, |p| line_of(p.byte()));
        // A stray quote makes the rest of the file one field: the row was
        // skipped with a warning, or (in the last column) the field count
        // still right, and every population after it lost, exit 0 (found
        // 2026-12-06). A quoted name over two lines is a row all the same;
        // a quote still open at the end of the file is not.
        let multiline = record.iter().any(|f| f.contains('\n'));
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let open_to_end = || {
            text.get(start..)
                .is_some_and(|rest| rest.matches('"').count() % 2 == 1)
        };
        if multiline && (record.len() != headers.len() || open_to_end()) {
            return Err(Error::input(
                path,
                format!(
                    "line {line}: a quote opened on this line is not closed, so the lines after it read as one field: close the quote, or remove it"
                ),
            ));
        }
        if record.len() != headers.len() {
            table.warnings.push(format!(
                "line {line}: {} fields where the header has {} (row skipped)",
                record.len(),
                headers.len()
            ));
            continue;
        }
        let code = record.get(key_at).unwrap_or("").trim();
        if code.is_empty() {
            table
                .warnings
                .push(format!("line {line}: empty {key} (row skipped)"));
            continue;
        }
        let value = parse_value(
            record.get(field_at).unwrap_or(""),
            line,
            code,
            &mut table.warnings,
            &mut grouped,
        );
        let kind = type_at.and_then(|t| record.get(t)).map(str::trim);
        let current = kind.is_none_or(|t| t == "commune-actuelle");
        let parent =
            (parent_at.and_then(|p| record.get(p)).map(str::trim)).filter(|p| !p.is_empty());
        if let (Some("commune-deleguee"), Some(parent)) = (kind, parent) {
            let parts = table.delegated.entry(code_key(parent).into_owned());
            parts.or_default().insert(code_key(code).into_owned());
            // A commune déléguée is a former commune of its parent: a
            // file with a parent column and no `anciens_codes` gave
            // Vicdessos Val-de-Sos's 599 all the same (found 2026-12-06).
            if code_key(code) != code_key(parent) {
                (table.aliases)
                    .entry(code_key(code).into_owned())
                    .or_insert_with(|| code_key(parent).into_owned());
            }
        }
        if current {
            let former = former_at.and_then(|f| record.get(f)).unwrap_or("");
            for old in former.split([';', ',', '|', ' ']).filter(|c| !c.is_empty()) {
                (table.aliases).insert(code_key(old).into_owned(), code_key(code).into_owned());
            }
        }
        let name = (name_at.and_then(|n| record.get(n)))
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let entry = Entry {
            value,
            current,
            name,
        };
        let key = code_key(code);
        if super::lost_its_zero(code) {
            restored.push((line, code.to_string()));
        }
        table
            .insert(&key, entry, line, type_at.is_some())
            .map_err(|m| Error::input(path, m))?;
    }
    // Mergers are known from `anciens_codes`, or from communes déléguées
    // and their parents; a parent column alone, empty, tells none.
    table.lists_mergers = former_at.is_some() || !table.aliases.is_empty();
    super::rows_read(path, rows, &restored, &mut table.warnings)?;
    // First: it speaks of every figure, and a file's warnings stop after
    // ten.
    if let Some(warning) = grouped.warning(
        ["population is", "populations are"],
        "the column holds inhabitants, not thousands of them",
    ) {
        table.warnings.insert(0, warning);
    }
    Ok(table)
}

impl PopulationTable {
    /// Takes a row in. Two rows of one code and rank with different
    /// figures are an error: the first was kept, a figure chosen by row
    /// order, with a warning on stderr alone (found 2026-12-05), where a
    /// declared file refuses them.
    fn insert(&mut self, code: &str, entry: Entry, line: u64, typed: bool) -> Result<(), String> {
        match self.values.get(code) {
            None => {
                self.values.insert(code.to_string(), entry);
            }
            Some(existing) if typed && entry.current && !existing.current => {
                self.values.insert(code.to_string(), entry);
            }
            Some(existing) if typed && existing.current != entry.current => {}
            Some(Entry {
                value: Some(first), ..
            }) if entry.value.is_some_and(|v| v != *first) => {
                return Err(format!(
                    "line {line}: code {code} again, with population {} where an earlier row \
                     gives {first}: keep one row per code (or add a `type` column, as INSEE's \
                     lists have, to tell current communes from former ones)",
                    entry.value.unwrap_or_default(),
                ));
            }
            Some(_) => self.warnings.push(format!(
                "line {line}: duplicate code {code} (first row kept)"
            )),
        }
        Ok(())
    }
}

/// The blank lines outside quoted fields, which the CSV reader skips
/// without a word.
fn empty_lines(text: &str) -> BTreeSet<u64> {
    let mut lines = BTreeSet::new();
    let (mut quoted, mut line, mut blank) = (false, 1, true);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                if blank {
                    lines.insert(line);
                }
                line += 1;
                blank = true;
                continue;
            }
            '\n' => line += 1,
            _ => {}
        }
        if !c.is_whitespace() {
            blank = false;
        }
    }
    lines
}

/// A row's population, or `None` (with a warning but for an empty cell).
fn parse_value(
    raw: &str,
    line: u64,
    code: &str,
    warnings: &mut Vec<String>,
    grouped: &mut Grouped,
) -> Option<u64> {
    if raw.trim().is_empty() {
        return None;
    }
    let value = super::whole_number(raw);
    if let Ok(value) = value {
        grouped.note(line, raw, value);
    }
    match value {
        Ok(value) if value > crate::boundary::population::MAX_POPULATION => {
            warnings.push(format!(
                "line {line}: population {raw:?} for {code} is more than any population (ignored)"
            ));
            None
        }
        Ok(value) => Some(value),
        Err(why) => {
            warnings.push(format!(
                "line {line}: population {raw:?} for {code} {why} (ignored)"
            ));
            None
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Regression (2026-12-06): the warning quoted "11.936" whatever the
    /// file held, and counted pandas' "11936.0" as grouped.
    #[test]
    fn the_grouping_warning_quotes_the_files_first_grouped_figure() {
        let t = table("code,population\n01001,11936.0\n01002,1.193\n01003,\"2,165\"\n");
        assert_eq!(
            (t.get("01001"), t.get("01002"), t.get("01003")),
            (Some(11936), Some(1193), Some(2165))
        );
        assert_eq!(
            t.warnings[0],
            "2 populations are written with '.' or ',' between thousands, read as such (line 3: \"1.193\" as 1193): check that the column holds inhabitants, not thousands of them"
        );
    }

    /// A table read from `text`, as `--population` reads a file.
    pub(crate) fn table(text: &str) -> PopulationTable {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pop.csv");
        std::fs::write(&path, text).unwrap();
        read_population(&path, "code", "population").unwrap()
    }

    /// A file-wide warning comes before the rows' own: a file's warnings
    /// stop after ten, and the leading zeros' one was cut (2026-12-05).
    #[test]
    fn file_wide_warnings_come_first() {
        let mut text = String::from("code,population\n");
        for i in 0..12 {
            text.push_str(&format!("{},n/a\n", 6001 + i));
        }
        let t = table(&text);
        assert!(
            t.warnings[0].starts_with("12 codes of four digits"),
            "{:?}",
            t.warnings
        );
        assert_eq!(t.warnings.len(), 13);
    }

    /// Regression (2026-12-06): a stray quote on line 3 made the rest of
    /// the file one field; the row was skipped with a warning, and every
    /// population after it lost ("0 communes matched"), exit 0.
    #[test]
    fn an_unclosed_quote_is_refused_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pop.csv");
        let text = "code,nom,population\n01001,A,860\n01002,\"B,270\n01004,C,14000\n01005,D,1900\n";
        std::fs::write(&path, text).unwrap();
        let err = read_population(&path, "code", "population")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("pop.csv")
                && err.contains("line 3: a quote opened on this line is not closed"),
            "{err}"
        );
        // In the last column the field count stays right: refused too.
        let text = "code,nom,population\n01001,A,860\n01002,B,\"270\n01004,C,14000\n";
        std::fs::write(&path, text).unwrap();
        let err = read_population(&path, "code", "population")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 3: a quote opened"), "{err}");
        // A row that is only short is still skipped with a warning.
        let t = table("code,nom,population\n01001,A,860\n01002,B\n01004,C,14000\n");
        assert_eq!(t.len(), 2);
        assert!(
            t.warnings[0].contains("line 3: 2 fields"),
            "{:?}",
            t.warnings
        );
    }

    /// Regression (2026-12-05): two rows of one code with different
    /// figures kept the first, by row order, said on stderr alone.
    #[test]
    fn a_code_given_two_figures_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pop.csv");
        std::fs::write(&path, "code,population\n99004,1500\n99004,900\n").unwrap();
        let err = read_population(&path, "code", "population")
            .unwrap_err()
            .to_string();
        assert!(err.contains("pop.csv"), "{err}");
        assert!(
            err.contains(
                "line 3: code 99004 again, with population 900 where an earlier row gives 1500"
            ),
            "{err}"
        );
        let same = table("code,population\n99004,1500\n99004,1500\n");
        assert_eq!(same.get("99004"), Some(1500));
        assert_eq!(
            same.warnings,
            ["line 3: duplicate code 99004 (first row kept)"]
        );
    }

    #[test]
    fn current_commune_row_wins_over_delegated_one() {
        let t = table("code,type,population\n12076,commune-deleguee,300\n12076,commune-actuelle,1500\n12077,commune-actuelle,10\n12077,commune-deleguee,3\n");
        assert_eq!(t.get("12076"), Some(1500));
        assert_eq!(t.get("12077"), Some(10));
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    }

    /// Regression (2026-12-05): 18446744073709551615 was printed as -1 and
    /// wrapped the rollup's sum of populations.
    #[test]
    fn a_value_beyond_any_population_is_ignored_with_a_warning() {
        let t = table("code,population\n06012,18446744073709551615\n06032,4508\n");
        assert_eq!(t.get("06012"), None);
        assert_eq!(t.get("06032"), Some(4508));
        assert!(
            t.warnings.iter().any(|w| w.contains(
                "line 2: population \"18446744073709551615\" for 06012 is more than any population"
            )),
            "{:?}",
            t.warnings
        );
    }

    #[test]
    fn bom_semicolons_and_bad_values() {
        let t = table("\u{feff}code;population\n06012;11 936\n06032;lots\n06032;4482\n");
        assert_eq!(t.get("06012"), Some(11936));
        assert_eq!(t.get("06032"), None);
        assert_eq!(t.warnings.len(), 2, "{:?}", t.warnings);
        assert!(t.warnings[0].starts_with("line 3:"));
        assert!(t.warnings[1].contains("duplicate code 06032"));
    }

    /// Regression (2026-12-04): a blank line shifted every later line
    /// number, and a short row was read as an empty value.
    #[test]
    fn empty_and_ragged_rows_are_reported_by_line() {
        let t = table("code,name,population\n06001,Aiglun,100\n\n06002,Amirat\n06003,Saint-Martin, d'Entraunes,90\n\"06004\",\"Antibes\nsud\",70\n06005,Ascros,30\n");
        assert_eq!(
            t.warnings,
            [
                "line 3: empty line (skipped)",
                "line 4: 2 fields where the header has 3 (row skipped)",
                "line 5: 4 fields where the header has 3 (row skipped)",
            ]
        );
        assert_eq!(t.get("06001"), Some(100));
        assert!(!t.has("06002") && !t.has("06003"));
        assert_eq!(t.get("06004"), Some(70));
        assert_eq!(t.get("06005"), Some(30));
        let late = table("code,population\n06001,1\n\n06002,x\n");
        assert_eq!(
            late.warnings[1],
            "line 4: population \"x\" for 06002 is not a whole number (ignored)"
        );
    }

    /// Regression (2026-12-05): with CRLF endings (Excel's), rows were
    /// named one or two lines too early.
    #[test]
    fn lines_are_named_alike_with_crlf_endings() {
        let lf = "code,population\n06001,1\n06001,1\n06002,x\n\n06003,1,9\n06003,3\n";
        let crlf = lf.replace('\n', "\r\n");
        let expected = [
            "line 5: empty line (skipped)",
            "line 3: duplicate code 06001 (first row kept)",
            "line 4: population \"x\" for 06002 is not a whole number (ignored)",
            "line 6: 3 fields where the header has 2 (row skipped)",
        ];
        assert_eq!(table(lf).warnings, expected);
        assert_eq!(table(&crlf).warnings, expected);
    }

    #[test]
    fn former_codes_lead_to_the_commune_they_merged_into() {
        let t = table("code,type,population,anciens_codes\n12120,commune-actuelle,2141,12271\n01033,commune-actuelle,16712,01126;01018\n");
        assert_eq!(t.current_code("12271"), Some("12120"));
        assert_eq!(t.current_code("01018"), Some("01033"));
        assert_eq!(t.current_code("12120"), None);
    }

    #[test]
    fn missing_column_is_an_error_listing_the_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pop.csv");
        std::fs::write(&path, "insee,pop\n1,2\n").unwrap();
        let err = read_population(&path, "code", "population")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no column \"code\" (columns: insee, pop)"),
            "{err}"
        );
    }
}
