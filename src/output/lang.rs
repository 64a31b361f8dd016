//! The language of the human outputs (the Markdown report, the HTML page
//! and its map): English, or French with French number formatting.
//!
//! Why: a newsroom pastes sentences as they are; "1 347" and "0,74" are
//! how French readers write numbers, "1,347" and "0.74" how English ones
//! do. The report's list of every row keeps counts as plain digits, as
//! the CSV does (an OSM id is never grouped).
//!
//! In: numbers. Out: text in the chosen language's conventions.

use super::cell::Cell;

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    /// An integer with its thousands grouped as the language's readers
    /// write them: `1,347` in English, `1 347` (no-break space) in French.
    /// A sentence is copied into print as it is, and "2103778" is read as
    /// two hundred thousand as easily as two million.
    pub fn int(self, n: u64) -> String {
        group_thousands(&n.to_string(), self.thousands())
    }

    /// A decimal with fixed decimals: `0.74` or `0,74`, rounded as every
    /// cell is ([`Cell::to_text`]), then written in the language's way,
    /// thousands grouped (`1,000.00`, `1 000,00`).
    pub fn dec(self, x: f64, decimals: usize) -> String {
        let text = Cell::Decimal(x, decimals).to_text().into_owned();
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let int = match int.strip_prefix('-') {
            Some(abs) => format!("-{}", group_thousands(abs, self.thousands())),
            None => group_thousands(int, self.thousands()),
        };
        match (frac, self) {
            ("", _) => int,
            (frac, Lang::En) => format!("{int}.{frac}"),
            (frac, Lang::Fr) => format!("{int},{frac}"),
        }
    }

    /// What separates groups of three digits.
    fn thousands(self) -> char {
        match self {
            Lang::En => ',',
            Lang::Fr => '\u{a0}',
        }
    }

    /// "as of 2026-07-10", "au 2026-07-10"; a date [`DataDate::day`] could
    /// not give reads as words ("données OSM au unknown" was printed,
    /// 2026-12-05).
    ///
    /// [`DataDate::day`]: crate::dates::DataDate::day
    pub fn as_of(self, day: &str) -> String {
        match (self, day) {
            (Lang::En, "unknown") => "of unknown date".to_string(),
            (Lang::Fr, "unknown") => "à une date inconnue".to_string(),
            (Lang::En, day) => format!("as of {day}"),
            (Lang::Fr, day) => format!("au {day}"),
        }
    }

    /// A date as a label: itself, or "unknown date" / "date inconnue".
    pub fn day(self, day: &str) -> String {
        match (self, day) {
            (Lang::En, "unknown") => "unknown date".to_string(),
            (Lang::Fr, "unknown") => "date inconnue".to_string(),
            (_, day) => day.to_string(),
        }
    }

    /// The English or the French text.
    pub fn pick(self, en: &'static str, fr: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// A count and its noun, singular and plural in each language: "1
    /// camera", "3 cameras"; French takes the singular for 0 and 1 ("0
    /// caméra", "1 caméra", "1\u{a0}347 caméras").
    pub fn count(self, n: u64, en: [&str; 2], fr: [&str; 2]) -> String {
        let ([one, many], singular) = match self {
            Lang::En => (en, n == 1),
            Lang::Fr => (fr, n < 2),
        };
        format!("{} {}", self.int(n), if singular { one } else { many })
    }

    /// A change, always signed: `+3`, `-1`, `+0`.
    pub fn signed(self, n: i64) -> String {
        let sign = if n < 0 { '-' } else { '+' };
        format!("{sign}{}", self.int(n.unsigned_abs()))
    }

    /// A colon: spaced in French ("Totaux : 3"), as the French report
    /// writes it.
    pub fn colon(self) -> &'static str {
        self.pick(":", " :")
    }

    /// "at least " before a floor (a count of a zone partly beyond the
    /// data), else nothing: the map, the charts and the sentences say it
    /// alike.
    pub fn at_least(self, floor: bool) -> &'static str {
        match floor {
            true => self.pick("at least ", "au moins "),
            false => "",
        }
    }
}

/// "n'a pas pu être construite" for one, "n'ont pas pu être construites"
/// for several (of feminine nouns: communes, zones).
pub fn french_could_not(n: usize, participle: &str) -> String {
    match n {
        0 | 1 => format!("n'a pas pu être {participle}"),
        _ => format!("n'ont pas pu être {participle}s"),
    }
}

fn group_thousands(digits: &str, separator: char) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_unknown_date_reads_as_words() {
        assert_eq!(Lang::Fr.as_of("2026-07-10"), "au 2026-07-10");
        assert_eq!(Lang::En.as_of("2026-07-10"), "as of 2026-07-10");
        assert_eq!(Lang::Fr.as_of("unknown"), "à une date inconnue");
        assert_eq!(Lang::En.as_of("unknown"), "of unknown date");
        assert_eq!(Lang::Fr.day("unknown"), "date inconnue");
        assert_eq!(Lang::Fr.day("2026-07-10"), "2026-07-10");
    }

    use super::*;

    #[test]
    fn numbers_in_each_language() {
        assert_eq!(Lang::Fr.int(1347), "1\u{a0}347");
        assert_eq!(Lang::Fr.int(999), "999");
        assert_eq!(Lang::Fr.int(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::Fr.dec(0.7426, 2), "0,74");
        assert_eq!(Lang::Fr.dec(2480.0, 0), "2\u{a0}480");
        assert_eq!(Lang::Fr.dec(13.38, 1), "13,4");
        assert_eq!(Lang::En.int(1347), "1,347");
        assert_eq!(Lang::En.int(999), "999");
        assert_eq!(Lang::En.int(2_103_778), "2,103,778");
        assert_eq!(Lang::En.dec(13.38, 1), "13.4");
        assert_eq!(Lang::En.dec(1000.0, 2), "1,000.00");
        assert_eq!(Lang::En.dec(-1234.5, 1), "-1,234.5");
        assert_eq!(Lang::En.signed(-1347), "-1,347");
        assert_eq!(Lang::Fr.signed(-1347), "-1\u{a0}347");
        assert_eq!(Lang::En.signed(0), format!("{:+}", 0));
    }

    #[test]
    fn french_singular_covers_zero_and_one() {
        let cameras = |l: Lang, n| l.count(n, ["camera", "cameras"], ["caméra", "caméras"]);
        assert_eq!(cameras(Lang::En, 0), "0 cameras");
        assert_eq!(cameras(Lang::En, 1), "1 camera");
        assert_eq!(cameras(Lang::Fr, 0), "0 caméra");
        assert_eq!(cameras(Lang::Fr, 1), "1 caméra");
        assert_eq!(cameras(Lang::Fr, 1347), "1\u{a0}347 caméras");
    }
}
