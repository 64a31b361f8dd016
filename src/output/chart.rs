//! Line charts as SVG text: counts through time, one line per series, for
//! the reports of `history` and `compare` (inline in the HTML page, or
//! standalone with `--format svg`).
//!
//! Why written by hand, as the map is: the chart must open from disk and
//! print with nothing loaded from anywhere. Why these choices: a reader on
//! deadline must read it at a glance, so dates are placed on the x axis by
//! time (a gap of three years is wider than one of three months), both
//! axes have labelled ticks, every line is named in a legend with its last
//! value, every point carries a native tooltip (`<title>`: series, date,
//! count), and the colours are the Okabe–Ito palette, which readers with
//! any common colour blindness tell apart; past seven lines, lines are
//! dashed too. Its axis name, tooltips and numbers follow the report's
//! language.
//!
//! In: series of dated counts. Out: one `<svg>` element.

use std::fmt::Write as _;

use crate::output::html::escape;
use crate::output::lang::Lang;

/// One dated value of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Unix seconds, to place the point by time; `None` when unknown (the
    /// chart then places every point by its rank, and says so).
    pub at: Option<i64>,
    /// The date as the tables show it.
    pub date: String,
    /// `None`: not counted at that date; the line breaks there.
    pub value: Option<u64>,
    /// The zone lay partly beyond the data then: the value is a floor,
    /// said "at least" as the map and the sentences say it. The chart
    /// showed Cap-d'Ail's 0 → 1 as a plain gain beside "counts are
    /// floors" (found 2026-12-05).
    pub floor: bool,
}

/// One line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<Point>,
}

/// A chart: an id for the page, a title, a y-axis name, and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// What the chart says when it has no line.
    pub empty: String,
    /// The language of its axis name, tooltips and numbers.
    pub lang: Lang,
}

/// Okabe–Ito, without its yellow (unreadable on white).
const COLOURS: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 340.0;
const LEFT: f64 = 56.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 46.0;
const LEGEND: f64 = 236.0;
/// Longest label the legend shows whole; longer ones are cut (the tooltip
/// keeps them whole).
const LABEL_CHARS: usize = 30;

/// The chart as an `<svg>` element, placed at `(x, y)` when it stands
/// inside another SVG.
pub fn render(chart: &Chart, at: Option<(f64, f64)>) -> String {
    let l = chart.lang;
    let mut svg = String::new();
    let place = at.map_or_else(String::new, |(x, y)| format!(" x=\"{x}\" y=\"{y}\""));
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{}\"{place} width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{}\">",
        escape(&chart.id),
        escape(&chart.title)
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(&chart.title));
    let _ = writeln!(
        svg,
        "<rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#fff\"/>\n<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"bold\">{}</text>",
        escape(&chart.title)
    );
    let points: Vec<&Point> = chart.series.iter().flat_map(|s| &s.points).collect();
    if chart.series.is_empty() || points.is_empty() {
        let _ = writeln!(
            svg,
            "<text class=\"empty\" x=\"{LEFT}\" y=\"{}\">{}</text>\n</svg>",
            HEIGHT / 2.0,
            escape(&chart.empty)
        );
        return svg;
    }
    let by_time = points.iter().all(|p| p.at.is_some());
    let dates = date_axis(&chart.series[0].points, by_time);
    let top = y_ticks(points.iter().filter_map(|p| p.value).max().unwrap_or(0));
    let (x0, x1) = (LEFT, WIDTH - LEGEND);
    let (y0, y1) = (HEIGHT - BOTTOM, TOP);
    let max = *top.last().unwrap_or(&1) as f64;
    let x_of = |x: f64| x0 + (x - dates.min) / (dates.max - dates.min) * (x1 - x0);
    let y_of = |v: u64| y0 - v as f64 / max * (y0 - y1);
    // Axes, grid and ticks.
    let _ = writeln!(svg, "<g class=\"axes\" stroke=\"#999\">");
    for &v in &top {
        let y = round(y_of(v));
        let _ = writeln!(
            svg,
            "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e4e4e4\"/><text class=\"ytick\" x=\"{}\" y=\"{}\" text-anchor=\"end\" stroke=\"none\">{}</text>",
            x0 - 6.0,
            y + 4.0,
            l.int(v)
        );
    }
    let _ = writeln!(
        svg,
        "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{y0}\" y2=\"{y0}\"/><line x1=\"{x0}\" x2=\"{x0}\" y1=\"{y0}\" y2=\"{y1}\"/>"
    );
    for (x, label) in &dates.ticks {
        let x = round(x_of(*x));
        let _ = writeln!(
            svg,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{y0}\" y2=\"{}\"/><text class=\"xtick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\" stroke=\"none\">{}</text>",
            y0 + 5.0,
            y0 + 18.0,
            escape(label)
        );
    }
    let _ = writeln!(svg, "</g>");
    let x_label = match by_time {
        true => "Date",
        false => l.pick(
            "Date (in order; the dates are not all known, so not to scale)",
            "Date (dans l'ordre ; les dates ne sont pas toutes connues : pas à l'échelle)",
        ),
    };
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{x_label}</text>\n<text x=\"{}\" y=\"{}\" fill=\"#555\">{}</text>",
        (x0 + x1) / 2.0,
        HEIGHT - 8.0,
        8.0,
        TOP - 10.0,
        escape(&chart.y_label)
    );
    for (i, series) in chart.series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let dash = match i >= COLOURS.len() {
            true => " stroke-dasharray=\"6 3\"",
            false => "",
        };
        let _ = writeln!(
            svg,
            "<g class=\"series\" data-label=\"{}\">",
            escape(&series.label)
        );
        let mut d = String::new();
        let mut pen_down = false;
        for (rank, p) in series.points.iter().enumerate() {
            match p.value {
                Some(v) => {
                    let x = round(x_of(dates.x(p, rank)));
                    let _ = write!(
                        d,
                        "{}{x} {}",
                        if pen_down { "L" } else { "M" },
                        round(y_of(v))
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        let _ = writeln!(
            svg,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>"
        );
        for (rank, p) in series.points.iter().enumerate() {
            let Some(v) = p.value else { continue };
            let at_least = l.at_least(p.floor);
            let _ = writeln!(
                svg,
                "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{colour}\" data-value=\"{v}\"><title>{} — {}{} {at_least}{}</title></circle>",
                round(x_of(dates.x(p, rank))),
                round(y_of(v)),
                escape(&series.label),
                escape(&p.date),
                l.colon(),
                l.count(v, ["camera", "cameras"], ["caméra", "caméras"])
            );
        }
        // The legend entry: a swatch, the name and the last value.
        let y = TOP + 6.0 + i as f64 * 22.0;
        let last = series
            .points
            .iter()
            .rev()
            .find_map(|p| Some((p.value?, p.floor)))
            .map_or_else(
                || "?".to_string(),
                |(v, floor)| format!("{}{}", if floor { "≥ " } else { "" }, l.int(v)),
            );
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"3\"{dash}/><text class=\"legend\" x=\"{}\" y=\"{}\">{}{} {last}<title>{}</title></text>\n</g>",
            x1 + 16.0,
            x1 + 40.0,
            x1 + 46.0,
            y + 4.0,
            escape(&shorten(&series.label)),
            l.colon(),
            escape(&series.label)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

/// Coordinates to a tenth of a pixel: shorter text, and no float noise in
/// the bytes.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn shorten(label: &str) -> String {
    match label.chars().count() > LABEL_CHARS {
        true => format!(
            "{}…",
            label.chars().take(LABEL_CHARS - 1).collect::<String>()
        ),
        false => label.to_string(),
    }
}

/// The x axis: its span and labelled ticks.
struct DateAxis {
    by_time: bool,
    min: f64,
    max: f64,
    ticks: Vec<(f64, String)>,
}

impl DateAxis {
    fn x(&self, point: &Point, rank: usize) -> f64 {
        match (self.by_time, point.at) {
            (true, Some(t)) => t as f64,
            _ => rank as f64,
        }
    }
}

const DAY: i64 = 86_400;

/// Ticks by time (years, else months, else the dates themselves), or by
/// rank when a date is unknown.
fn date_axis(points: &[Point], by_time: bool) -> DateAxis {
    if !by_time {
        let n = points.len().max(1) as f64;
        let ticks = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.date.clone()))
            .collect();
        return DateAxis {
            by_time,
            min: -0.5,
            max: n - 0.5,
            ticks,
        };
    }
    let times: Vec<i64> = points.iter().filter_map(|p| p.at).collect();
    let (first, last) = (
        times.iter().copied().min().unwrap_or(0),
        times.iter().copied().max().unwrap_or(0),
    );
    // A margin of a twentieth of the span (a day at least) on each side,
    // so that no point sits on an axis.
    let pad = ((last - first) / 20).max(DAY);
    let (min, max) = (first - pad, last + pad);
    let year = |t: i64| crate::dates::iso_day(t)[..4].parse::<i64>().unwrap_or(1970);
    let month_start = |y: i64, m: i64| crate::history::days_from_civil(y, m, 1) * DAY;
    let mut years: Vec<(i64, String)> = (year(min)..=year(max) + 1)
        .map(|y| (month_start(y, 1), y.to_string()))
        .filter(|(t, _)| (min..=max).contains(t))
        .collect();
    let mut ticks = if years.len() >= 2 {
        let step = years.len().div_ceil(8);
        years = years.into_iter().step_by(step).collect();
        years
    } else {
        let months: Vec<(i64, String)> = (year(min)..=year(max))
            .flat_map(|y| (1..=12).map(move |m| (y, m)))
            .map(|(y, m)| (month_start(y, m), format!("{y}-{m:02}")))
            .filter(|(t, _)| (min..=max).contains(t))
            .collect();
        match months.len() >= 2 {
            true => {
                let step = [1, 2, 3, 6, 12]
                    .into_iter()
                    .find(|s| months.len().div_ceil(*s) <= 8)
                    .unwrap_or(12);
                months.into_iter().step_by(step).collect()
            }
            false => points
                .iter()
                .filter_map(|p| Some((p.at?, p.date.clone())))
                .collect(),
        }
    };
    ticks.dedup_by_key(|(t, _)| *t);
    DateAxis {
        by_time,
        min: min as f64,
        max: max as f64,
        ticks: ticks.into_iter().map(|(t, l)| (t as f64, l)).collect(),
    }
}

/// Round ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power
/// of ten, five or so of them.
fn y_ticks(max: u64) -> Vec<u64> {
    let max = max.max(1);
    let raw = max as f64 / 5.0;
    let power = 10f64.powf(raw.log10().floor()).max(1.0) as u64;
    let step = [1, 2, 5, 10]
        .into_iter()
        .map(|k| k * power)
        .find(|s| (*s as f64) >= raw)
        .unwrap_or(10 * power)
        .max(1);
    let top = max.div_ceil(step) * step;
    (0..=top / step).map(|i| i * step).collect()
}

/// The charts, one above the other, in one standalone SVG, with the
/// `credit` (data date, sources, licence) under them, on as many lines
/// as it needs to stay inside the picture.
pub fn write_svg<W: std::io::Write>(
    charts: &[Chart],
    credit: &str,
    mut out: W,
) -> std::io::Result<()> {
    let mut lines: Vec<String> = Vec::new();
    for part in credit.split(" · ") {
        match lines.last_mut() {
            Some(line) if line.chars().count() + part.chars().count() < CREDIT_CHARS => {
                line.push_str(" · ");
                line.push_str(part);
            }
            _ => lines.push(part.to_string()),
        }
    }
    let top = HEIGHT * charts.len() as f64;
    let height = top + 16.0 * lines.len() as f64 + 10.0;
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" font-family=\"sans-serif\">",
        w = WIDTH
    )?;
    for (i, chart) in charts.iter().enumerate() {
        out.write_all(render(chart, Some((0.0, HEIGHT * i as f64))).as_bytes())?;
    }
    for (i, line) in lines.iter().enumerate() {
        writeln!(
            out,
            "<text class=\"credit\" x=\"8\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>",
            top + 16.0 * (i + 1) as f64,
            escape(line)
        )?;
    }
    writeln!(out, "</svg>")?;
    out.flush()
}

/// About what a line of the credit holds across the picture, at 11 px.
const CREDIT_CHARS: usize = 120;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> i64 {
        crate::history::parse_date(text).unwrap()
    }

    fn point(date: &str, value: u64) -> Point {
        Point {
            at: Some(day(date)),
            date: date.into(),
            value: Some(value),
            floor: false,
        }
    }

    #[test]
    fn y_ticks_are_round_and_reach_the_maximum() {
        assert_eq!(y_ticks(0), [0, 1]);
        assert_eq!(y_ticks(32), [0, 10, 20, 30, 40]);
        assert_eq!(y_ticks(3), [0, 1, 2, 3]);
        assert_eq!(y_ticks(11), [0, 5, 10, 15]);
    }

    #[test]
    fn dates_are_placed_by_time_not_by_rank() {
        let points = [
            point("2019-01-01", 0),
            point("2021-04-22", 11),
            point("2026-07-11", 32),
        ];
        let axis = date_axis(&points, true);
        let labels: Vec<&str> = axis.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026"]
        );
        let x = |p: &Point| (axis.x(p, 0) - axis.min) / (axis.max - axis.min);
        // 2021-04-22 is about a third of the way, not half.
        let middle = x(&points[1]);
        assert!(middle > 0.3 && middle < 0.4, "{middle}");
        // Two snapshots a day apart: the dates themselves are the ticks.
        let close = date_axis(&[point("2026-07-10", 1), point("2026-07-11", 2)], true);
        let labels: Vec<&str> = close.ticks.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2026-07-10", "2026-07-11"]);
    }

    #[test]
    fn every_point_has_a_tooltip_and_unknown_values_break_the_line() {
        let chart = Chart {
            id: "c".into(),
            title: "T".into(),
            y_label: "Cameras".into(),
            series: vec![Series {
                label: "A & B".into(),
                points: vec![
                    point("2020-01-01", 1),
                    Point {
                        at: Some(day("2021-01-01")),
                        date: "2021-01-01".into(),
                        value: None,
                        floor: false,
                    },
                    point("2022-01-01", 3),
                ],
            }],
            empty: String::new(),
            lang: Lang::En,
        };
        let svg = render(&chart, None);
        assert_eq!(svg.matches("class=\"point\"").count(), 2);
        assert!(svg.contains("<title>A &amp; B — 2022-01-01: 3 cameras</title>"));
        let d = svg.split("<path d=\"").nth(1).unwrap();
        assert_eq!(d[..d.find('"').unwrap()].matches('M').count(), 2);
    }

    /// Regression (2026-12-05): a floor (a zone partly beyond the data)
    /// read as a plain count on the chart, beside sentences saying
    /// "counts are floors".
    #[test]
    fn a_floor_reads_at_least_in_its_tooltip_and_the_legend() {
        let floor = |p: Point| Point { floor: true, ..p };
        let chart = Chart {
            id: "c".into(),
            title: "T".into(),
            y_label: "Cameras".into(),
            series: vec![Series {
                label: "Cap-d'Ail".into(),
                points: vec![point("2021-04-21", 0), floor(point("2026-07-10", 1))],
            }],
            empty: String::new(),
            lang: Lang::En,
        };
        let svg = render(&chart, None);
        assert!(svg.contains("2021-04-21: 0 cameras</title>"), "{svg}");
        assert!(
            svg.contains("2026-07-10: at least 1 camera</title>"),
            "{svg}"
        );
        assert!(svg.contains("Cap-d'Ail: ≥ 1<title>"), "{svg}");
        let fr = render(
            &Chart {
                lang: Lang::Fr,
                ..chart
            },
            None,
        );
        assert!(fr.contains("au moins 1 caméra</title>"), "{fr}");
    }
}
