//! Parsing the `population` tag as mappers really write it.
//!
//! Why care: a rate per 1,000 inhabitants is only as good as its
//! denominator. OSM holds "2400", "2 400", "2,400", "2.400", "2400;2500"
//! and "ca. 2400". We take the first of a list, drop thousands separators,
//! accept an approximate value with a warning, and refuse anything else
//! rather than guess.
//!
//! In: the tag value. Out: a number, or nothing, and maybe a warning.

/// A parsed population tag.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Population {
    pub value: Option<u64>,
    /// Set when the value was usable but not clean, or not usable at all.
    pub warning: Option<String>,
}

/// Parses a `population` value.
///
/// # Examples
/// ```
/// use camcount::boundary::population::parse_population;
/// assert_eq!(parse_population("2 400").value, Some(2400));
/// assert_eq!(parse_population("2400;2500").value, Some(2400));
/// assert!(parse_population("ca. 2400").warning.is_some());
/// assert_eq!(parse_population("many").value, None);
/// ```
pub fn parse_population(raw: &str) -> Population {
    let first = raw.split(';').next().unwrap_or("").trim();
    let (digits, approximate) = strip_approximation(first);
    match parse_grouped(digits) {
        Some(value) if approximate => Population {
            value: Some(value),
            warning: Some(format!("approximate population {raw:?} taken as {value}")),
        },
        Some(value) => Population {
            value: Some(value),
            warning: None,
        },
        None => Population {
            value: None,
            warning: Some(format!("unparseable population {raw:?}")),
        },
    }
}

fn strip_approximation(value: &str) -> (&str, bool) {
    let lower = value.to_ascii_lowercase();
    for prefix in [
        "ca.", "ca ", "approx.", "approx ", "env.", "env ", "~", "≈", "about ",
    ] {
        if lower.starts_with(prefix) {
            return (value[prefix.len()..].trim(), true);
        }
    }
    (value, false)
}

/// More people than live on Earth: no population, a typo or a sentinel.
/// Sums of such values wrapped and printed as negative or tiny figures
/// (found 2026-12-05); they are refused where they are read.
pub const MAX_POPULATION: u64 = 10_000_000_000;

/// "2400", or digits grouped by threes with one kind of separator: `,`,
/// `.` or spaces ("2,400", "1.250.000", "2 400").
fn parse_grouped(text: &str) -> Option<u64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words[..] {
        [] => None,
        [word] => parse_digits(word),
        _ => grouped_value(&words),
    }
    .filter(|&v| v <= MAX_POPULATION)
}

fn parse_digits(text: &str) -> Option<u64> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let separator = text.bytes().find(|b| !b.is_ascii_digit())?;
    if separator != b',' && separator != b'.' {
        return None;
    }
    grouped_value(&text.split(separator as char).collect::<Vec<_>>())
}

/// The value of digit groups, read as thousands: a head of one to three
/// digits not starting with 0, then groups of exactly three. Spaces once
/// vanished from any value: "2400 2500" (two figures) read 24,002,500 and
/// "1 2 3" read 123; "0,025" read 25 (found 2026-12-05).
fn grouped_value(groups: &[&str]) -> Option<u64> {
    let (head, rest) = groups.split_first()?;
    let head_ok = (1..=3).contains(&head.len()) && !head.starts_with('0');
    let rest_ok = rest.iter().all(|g| g.len() == 3);
    let digits_ok = groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
    (head_ok && rest_ok && digits_ok)
        .then(|| groups.concat().parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_beyond_any_population_are_unparseable() {
        assert_eq!(parse_population("10000000000").value, Some(MAX_POPULATION));
        assert_eq!(parse_population("10000000001").value, None);
        assert_eq!(parse_population("18446744073709551615").value, None);
    }

    #[test]
    fn clean_and_grouped_values() {
        for (raw, value) in [
            ("2400", 2400),
            ("2 400", 2400),
            ("2\u{a0}400", 2400),
            ("2\u{202f}400", 2400),
            ("1 250 000", 1_250_000),
            ("2,400", 2400),
            ("2.400", 2400),
            ("1,250,000", 1_250_000),
            ("0", 0),
            (" 95 ", 95),
            ("2400;2500", 2400),
        ] {
            assert_eq!(
                parse_population(raw),
                Population {
                    value: Some(value),
                    warning: None
                },
                "{raw}"
            );
        }
    }

    #[test]
    fn approximate_values_warn() {
        let p = parse_population("ca. 2400");
        assert_eq!(p.value, Some(2400));
        assert!(p.warning.unwrap().contains("approximate"));
    }

    #[test]
    fn unparseable_values_are_empty_with_a_warning() {
        for raw in [
            "",
            "many",
            "2,5",
            "24,00",
            "-5",
            "12k",
            "2400 (2019)",
            // Regression (2026-12-05): spaces were dropped from any value.
            "2400 2500",
            "1 2 3",
            "12 34",
            "12 345 6",
            "2 400,5",
            "0,025",
            "0 025",
        ] {
            let p = parse_population(raw);
            assert_eq!(p.value, None, "{raw}");
            assert!(p.warning.is_some(), "{raw}");
        }
    }
}
