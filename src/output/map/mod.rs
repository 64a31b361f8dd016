//! The choropleth: communes as SVG paths coloured by a metric, camera
//! points on top, a legend that states the class bounds, a scale bar and a
//! north-up layout. The SVG stands alone (`--format svg`) and inside the
//! HTML report.
//!
//! Why SVG written by hand: the map must open from disk with no server,
//! no network, no fonts or tiles, and print sharp; a path per commune
//! carries a native tooltip (`<title>`) and a class the tests can read.
//! Geometry is simplified for display only (snapped to a half-pixel grid,
//! see `path_data`), so a national map stays light; counts are always
//! made on the full geometry. Communes far from
//! the rest (overseas départements beside the mainland) are left off the
//! map with a note, so that the mainland keeps its scale.
//!
//! In: commune rows, their zones, the cameras, the metric. Out: SVG text.

pub mod classes;
mod legend;
mod path;
pub mod projection;

use std::fmt::Write as _;

use geo::{BoundingRect, Centroid, MultiPolygon, Rect};
use rayon::prelude::*;

use crate::aggregate::CommuneRow;
use crate::camera::Camera;
use crate::output::cell::Cell;
use crate::output::html::escape;
use crate::output::lang::Lang;
use crate::zone::Zone;
use classes::{classify, path_classes, quantile_bounds, written_bounds, Class};
use legend::{legend, style_and_patterns};
use path::{path_data, round, SUBPIXELS};
use projection::Projection;

/// What the map colours communes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Metric {
    #[default]
    CamerasPer1000,
    CamerasPerKm2,
    Cameras,
}

impl Metric {
    fn value(self, row: &CommuneRow) -> Option<f64> {
        match self {
            Metric::CamerasPer1000 => row.cameras_per_1000(),
            Metric::CamerasPerKm2 => row.cameras_per_km2(),
            Metric::Cameras => row.cameras().map(|c| c as f64),
        }
    }

    /// The value as the tooltips and the table write it, rounded to
    /// their decimals: the map classes it so. Classed on hidden digits,
    /// Castex and Champosoult, both "0.1400 per km²", were painted in two
    /// classes either side of the legend's 0.14 (found 2026-12-05).
    /// The text is the table's own cell, read back: a float rounded by
    /// scaling can land on the other side of a half.
    fn shown(self, row: &CommuneRow) -> Option<f64> {
        self.value(row).map(|v| {
            let cell = Cell::Decimal(v, self.table_decimals());
            cell.to_text().parse().unwrap_or(v)
        })
    }

    fn decimals(self) -> usize {
        match self {
            Metric::Cameras => 0,
            _ => 2,
        }
    }

    /// The decimals the commune table writes the value with.
    fn table_decimals(self) -> usize {
        match self {
            Metric::Cameras => 0,
            _ => 4,
        }
    }

    fn title(self, l: Lang) -> &'static str {
        match (self, l) {
            (Metric::CamerasPer1000, Lang::En) => "Cameras per 1,000 inhabitants",
            (Metric::CamerasPer1000, Lang::Fr) => "Caméras pour 1 000 habitants",
            (Metric::CamerasPerKm2, Lang::En) => "Cameras per km²",
            (Metric::CamerasPerKm2, Lang::Fr) => "Caméras par km²",
            (Metric::Cameras, Lang::En) => "Cameras",
            (Metric::Cameras, Lang::Fr) => "Caméras",
        }
    }
}

/// How the map is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapOptions {
    pub metric: Metric,
    /// Camera points as dots on top.
    pub points: bool,
    pub lang: Lang,
}

/// Width of the map in SVG user units (pixels at 100 %).
const WIDTH: f64 = 800.0;
const MAX_HEIGHT: f64 = 900.0;
const MARGIN: f64 = 10.0;
/// Room below the map for the legend and the scale bar.
const LEGEND_HEIGHT: f64 = 170.0;
/// Communes whose centre is farther than this from the median centre are
/// left off the map (overseas parts beside a mainland).
const FAR_KM: f64 = 1500.0;

/// What was left off the map, for the note under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapNotes {
    /// Communes without a geometry (not built from the extract).
    pub unbuilt: Vec<String>,
    /// Communes far from the rest, left off so the mainland keeps its scale.
    pub far: Vec<String>,
    /// Whether the zones drawn are communes; else the finest level counted
    /// (régions read "5 communes lie far from the rest", found
    /// 2026-12-05).
    pub communes: bool,
}

/// The communes left off the map, by département when there are many
/// ("971: 32, 972: 34"), else by name.
pub fn far_summary(far: &[String]) -> String {
    if far.len() <= 12 {
        return far.join(", ");
    }
    let mut by_departement: std::collections::BTreeMap<String, usize> = Default::default();
    for label in far {
        let code = label
            .rsplit_once(" (")
            .and_then(|(_, code)| crate::departements::departement_of(code.trim_end_matches(')')))
            .unwrap_or("?");
        *by_departement.entry(code.to_string()).or_default() += 1;
    }
    by_departement
        .iter()
        .map(|(code, n)| format!("{code}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl MapNotes {
    /// What `n` zones left off are called: communes, or zones ("1
    /// communes lie far from the rest", found 2026-12-05).
    pub fn noun(&self, n: usize) -> &'static str {
        match (self.communes, n == 1) {
            (true, true) => "commune",
            (true, false) => "communes",
            (false, true) => "zone",
            (false, false) => "zones",
        }
    }

    /// What the map leaves off, one sentence each, for a map written on
    /// its own (`-f svg`): a France map left off the 129 communes of the
    /// overseas départements, and the unbuilt ones, in silence (found
    /// 2026-12-05). The HTML page writes these under its map.
    pub fn sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        if !self.unbuilt.is_empty() {
            let n = self.unbuilt.len();
            sentences.push(format!(
                "{n} {} could not be built from the extract and {} not on the map: {}",
                self.noun(n),
                if n == 1 { "is" } else { "are" },
                self.unbuilt.join(", ")
            ));
        }
        if !self.far.is_empty() {
            let n = self.far.len();
            sentences.push(format!(
                "{n} {} far from the rest and {} left off the map (the table and \
                 the other formats have {}): {}",
                match n {
                    1 => format!("{} lies", self.noun(n)),
                    _ => format!("{} lie", self.noun(n)),
                },
                if n == 1 { "is" } else { "are" },
                if n == 1 { "it" } else { "them" },
                far_summary(&self.far)
            ));
        }
        sentences
    }
}

/// The drawn map: SVG text, what was left off, and the classes drawn.
#[derive(Debug, Clone)]
pub struct Map {
    pub svg: String,
    pub notes: MapNotes,
}

/// Draws the commune rows (those of the commune level) of `rows`, with
/// `credit` (data date, sources, licence) written under the legend.
/// A commune on the map: its row, geometry, centre and bounding box.
type Drawn<'a> = (
    &'a CommuneRow,
    &'a MultiPolygon<f64>,
    (f64, f64),
    Option<Rect<f64>>,
);

pub fn render(
    rows: &[CommuneRow],
    zones: &[Zone],
    cameras: &[Camera],
    options: &MapOptions,
    credit: &str,
) -> Map {
    let l = options.lang;
    let communes = crate::aggregate::shown_rows(rows);
    let mut notes = MapNotes {
        communes: communes.iter().any(|r| r.is_commune()),
        ..MapNotes::default()
    };
    // Each drawable commune with its geometry, centre and bounding box,
    // found in parallel (a national map has tens of thousands); a commune
    // without a geometry is noted.
    let prepared: Vec<std::result::Result<Drawn<'_>, &CommuneRow>> = communes
        .par_iter()
        .map(|row| match zones[row.zone].geometry.as_ref() {
            Some(g) => {
                let c = g.centroid().map_or((0.0, 0.0), |p| (p.x(), p.y()));
                Ok((*row, g, c, g.bounding_rect()))
            }
            None => Err(*row),
        })
        .collect();
    let mut drawn: Vec<Drawn<'_>> = Vec::new();
    for commune in prepared {
        match commune {
            Ok(d) => drawn.push(d),
            Err(row) => notes.unbuilt.push(row.label()),
        }
    }
    let median = |mut v: Vec<f64>| -> f64 {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let centre = (
        median(drawn.iter().map(|d| d.2 .0).collect()),
        median(drawn.iter().map(|d| d.2 .1).collect()),
    );
    let rough_km = |(lon, lat): (f64, f64)| {
        let dx = (lon - centre.0) * 111.32 * centre.1.to_radians().cos();
        let dy = (lat - centre.1) * 110.57;
        (dx * dx + dy * dy).sqrt()
    };
    drawn.retain(|(row, _, c, _)| {
        let near = rough_km(*c) <= FAR_KM;
        if !near {
            notes.far.push(row.label());
        }
        near
    });
    let bbox = drawn
        .iter()
        .filter_map(|d| d.3)
        .fold(None, |acc: Option<[f64; 4]>, r| {
            let [a, b, c, d] = acc.unwrap_or([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
            Some([
                a.min(r.min().x),
                b.min(r.min().y),
                c.max(r.max().x),
                d.max(r.max().y),
            ])
        })
        .unwrap_or([-1.0, -1.0, 1.0, 1.0]);
    let projection = Projection::fit(bbox);
    // The projected extent, from the drawn vertices.
    let widest = |a: [f64; 4], b: [f64; 4]| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    };
    let empty = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    let mut extent = drawn
        .par_iter()
        .map(|(_, g, _, _)| {
            let exteriors = g.iter().flat_map(|polygon| polygon.exterior().coords());
            exteriors.fold(empty, |e, c| {
                let (x, y) = projection.project(c.x, c.y);
                widest(e, [x, y, x, y])
            })
        })
        .reduce(|| empty, widest);
    if extent[0] > extent[2] {
        extent = [0.0, 0.0, 1.0, 1.0];
    }
    let (span_x, span_y) = (
        (extent[2] - extent[0]).max(1e-6),
        (extent[3] - extent[1]).max(1e-6),
    );
    let scale = ((WIDTH - 2.0 * MARGIN) / span_x).min((MAX_HEIGHT - 2.0 * MARGIN) / span_y);
    let map_height = span_y * scale + 2.0 * MARGIN;
    let to_px = |lon: f64, lat: f64| {
        let (x, y) = projection.project(lon, lat);
        (
            MARGIN + (x - extent[0]) * scale,
            MARGIN + (extent[3] - y) * scale,
        )
    };

    let values: Vec<f64> = drawn
        .iter()
        .filter_map(|(row, ..)| options.metric.shown(row))
        .collect();
    let written = written_bounds(&quantile_bounds(&values), options.metric.decimals());
    let bounds: Vec<f64> = written.iter().map(|w| w.0).collect();
    let height = map_height + LEGEND_HEIGHT;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {WIDTH} {height:.0}\" \
         width=\"{WIDTH}\" height=\"{height:.0}\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">"
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(options.metric.title(l)));
    svg.push_str(&style_and_patterns());
    // Paths are written in tenths of a pixel as integers, each point
    // relative to the one before: the shortest text for the same drawing.
    let _ = writeln!(
        svg,
        "<g class=\"communes\" transform=\"scale({})\" stroke=\"#666\" stroke-width=\"{}\" \
         stroke-linejoin=\"round\" fill-rule=\"evenodd\">",
        1.0 / SUBPIXELS,
        0.3 * SUBPIXELS
    );
    // Communes are projected, simplified and written in parallel; their
    // order stays the table's.
    let paths: Vec<String> = drawn
        .par_iter()
        .map(|(row, geometry, _, _)| {
            let floor = is_floor(row);
            let class = classify(
                row.cameras().is_some(),
                floor,
                options.metric.shown(row),
                &bounds,
            );
            format!(
                "<path class=\"{}\" data-ref=\"{}\" d=\"{}\"><title>{}</title></path>\n",
                path_classes(class, floor),
                escape(row.reference.as_deref().unwrap_or("")),
                path_data(geometry, to_px),
                escape(&tooltip(row, options))
            )
        })
        .collect();
    paths.iter().for_each(|p| svg.push_str(p));
    svg.push_str("</g>\n");
    let mut dots_drawn = false;
    if options.points {
        // One path of round dots: a zero-length segment per camera.
        let inside = |x: f64, y: f64| (0.0..=WIDTH).contains(&x) && (0.0..=map_height).contains(&y);
        let mut dots = String::new();
        let mut digits = itoa::Buffer::new();
        for camera in cameras {
            let Some((lon, lat)) = camera.position else {
                continue;
            };
            let (x, y) = to_px(lon, lat);
            if rough_km((lon, lat)) <= FAR_KM && inside(x, y) {
                // Inside the map: both are positive, and print as `{:.0}`
                // would print the rounded floats.
                dots.push('M');
                dots.push_str(digits.format(round(x * SUBPIXELS)));
                dots.push(' ');
                dots.push_str(digits.format(round(y * SUBPIXELS)));
                dots.push_str("h0");
            }
        }
        dots_drawn = !dots.is_empty();
        // Dots shrink and fade when there are many, so that the colours
        // under them still show.
        let (size, opacity) = match cameras.len() {
            0..=2000 => (3.0, 1.0),
            _ => (1.2, 0.6),
        };
        let _ = writeln!(
            svg,
            "<path class=\"cameras\" transform=\"scale({})\" fill=\"none\" stroke=\"#08306b\" \
             stroke-opacity=\"{opacity}\" stroke-width=\"{}\" stroke-linecap=\"round\" d=\"{dots}\"/>",
            1.0 / SUBPIXELS,
            size * SUBPIXELS
        );
    }
    let swatches = Swatches {
        cameras: dots_drawn,
        ..drawn_classes(&drawn, options, &bounds)
    };
    svg.push_str(&legend(&written, options, map_height, scale, swatches));
    // The date and the licence travel with the picture, a line each.
    for (i, line) in credit
        .split(" · ")
        .collect::<Vec<_>>()
        .chunks(2)
        .enumerate()
    {
        let _ = writeln!(
            svg,
            "<text class=\"credit\" x=\"{MARGIN}\" y=\"{:.0}\" font-size=\"10\" fill=\"#555\">{}</text>",
            height - 30.0 + 12.0 * i as f64,
            escape(&line.join(" · "))
        );
    }
    svg.push_str("</svg>\n");
    Map { svg, notes }
}

/// The line under a map: data date, sources, licence.
pub fn credit(m: &crate::output::metadata::Metadata, l: Lang) -> String {
    use crate::output::metadata::Source;
    let mut parts = vec![format!(
        "{} {} ({})",
        l.pick("OpenStreetMap data", "Données OpenStreetMap"),
        l.as_of(&m.data_date.day()),
        m.input
    )];
    if let Source::File(file) = &m.boundaries {
        parts.push(format!("{}: {file}", l.pick("boundaries", "limites")));
    }
    match &m.population {
        Source::Osm | Source::Unused => {}
        Source::None => parts.push(
            l.pick("population: none", "population : aucune")
                .to_string(),
        ),
        Source::File(file) => parts.push(format!("population: {file}")),
    }
    parts.push(
        l.pick(
            crate::output::metadata::LICENSE,
            crate::output::metadata::LICENSE_FR,
        )
        .to_string(),
    );
    parts.join(" · ")
}

/// The line under a map that shows another date than the file's: a
/// history map of 2019-01-01 read "OpenStreetMap data as of 2026-07-10"
/// and nothing else, so that the picture alone dated its 2019 figures
/// 2026 (found 2026-12-06). The date shown comes first.
pub fn credit_on(m: &crate::output::metadata::Metadata, l: Lang, day: &str) -> String {
    format!(
        "{} {day} · {}",
        l.pick("Cameras on", "Caméras au"),
        credit(m, l)
    )
}

/// Whether a commune's count is a floor: it lies partly beyond the data.
fn is_floor(row: &CommuneRow) -> bool {
    row.status == crate::boundary::Status::Partial
}

/// Which of the legend's optional swatches the drawn communes need.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Swatches {
    pub no_data: bool,
    pub not_counted: bool,
    pub floor_none: bool,
    pub floor_outline: bool,
    /// Camera dots were drawn: the legend says what a dot is.
    pub cameras: bool,
}

fn drawn_classes(drawn: &[Drawn<'_>], options: &MapOptions, bounds: &[f64]) -> Swatches {
    let mut swatches = Swatches::default();
    for (row, ..) in drawn {
        let floor = is_floor(row);
        let class = classify(
            row.cameras().is_some(),
            floor,
            options.metric.shown(row),
            bounds,
        );
        swatches.no_data |= class == Class::NoData;
        swatches.not_counted |= class == Class::NotCounted;
        swatches.floor_none |= class == Class::FloorNone;
        swatches.floor_outline |= path_classes(class, floor).ends_with(" pt");
    }
    swatches
}

/// "Beausoleil (06012): 1 camera, 0.08 per 1,000 inhabitants, ok".
fn tooltip(row: &CommuneRow, options: &MapOptions) -> String {
    let l = options.lang;
    let Some(cameras) = row.cameras() else {
        let status = row.status;
        return match l {
            Lang::En => format!("{}: could not be counted ({status})", row.label()),
            Lang::Fr => format!("{} : non comptée ({status})", row.label()),
        };
    };
    // A floor's rate is a floor too, marked as the report marks it.
    let value = (options.metric.value(row)).map_or_else(
        || "—".to_string(),
        |v| {
            // The table's decimals: rounded to the legend's two, Lucéram's
            // 0.0769 per km², in the class "> 0 – 0.077", read 0.08, a
            // figure of the class above (found 2026-12-05).
            let value = l.dec(v, options.metric.table_decimals());
            if is_floor(row) {
                format!("≥ {value}")
            } else {
                value
            }
        },
    );
    let rate = match (options.metric, l) {
        (Metric::Cameras, _) => String::new(),
        (Metric::CamerasPer1000, Lang::En) => format!(", {value} per 1,000 inhabitants"),
        (Metric::CamerasPer1000, Lang::Fr) => format!(", {value} pour 1 000 habitants"),
        (Metric::CamerasPerKm2, Lang::En) => format!(", {value} per km²"),
        (Metric::CamerasPerKm2, Lang::Fr) => format!(", {value} par km²"),
    };
    // A partial commune's count is a floor: the tooltip says so, as the
    // report's "at least" does. Of none, "at least 0 cameras, ≥ 0.0000
    // per 1,000" said nothing (found 2026-12-06): it says where none is.
    if is_floor(row) && cameras == 0 {
        return format!(
            "{}{} {}, {}",
            row.label(),
            l.colon(),
            l.pick(
                "no camera in the part of it the extract holds, the rest unknown",
                "aucune caméra dans la partie que l'extrait couvre, le reste inconnu"
            ),
            row.status
        );
    }
    let at_least = l.at_least(is_floor(row));
    let cameras = l.count(cameras, ["camera", "cameras"], ["caméra", "caméras"]);
    format!(
        "{}{} {at_least}{cameras}{rate}, {}",
        row.label(),
        l.colon(),
        row.status
    )
}
