//! The map's furniture: the hatch pattern and class styles, the legend
//! that states each class's bounds (and the no-data and not-counted
//! swatches when the map has them), and the scale bar.
//!
//! Why apart: the communes and dots are the map's data and its cost; this
//! is fixed text around them, in the map's language.
//!
//! In: the class bounds, the map options and the layout. Out: SVG text.

use std::fmt::Write as _;

use super::classes::{COLOURS, NO_DATA};
use super::{escape, MapOptions, Swatches, MARGIN, SUBPIXELS, WIDTH};
use crate::output::lang::Lang;

pub(super) fn style_and_patterns() -> String {
    let mut s = String::from("<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e0e0e0\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888\" stroke-width=\"2\"/></pattern>\
        <pattern id=\"floor\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#fd8d3c\" stroke-width=\"1.5\"/></pattern></defs>\n<style>");
    for (k, colour) in COLOURS.iter().enumerate() {
        let _ = write!(s, ".c{k}{{fill:{colour}}}");
    }
    let _ = write!(
        s,
        ".nd{{fill:{NO_DATA}}}.nc{{fill:url(#hatch)}}.fz{{fill:url(#floor)}}\
         .communes .pt{{stroke:#000;stroke-width:{w};stroke-dasharray:{a} {b}}}\
         .legend .pt{{fill:#fff;stroke:#000;stroke-width:1;stroke-dasharray:4 3}}",
        // Commune paths are drawn in 1/SUBPIXELS of a pixel.
        w = 1.2 * SUBPIXELS,
        a = 4.0 * SUBPIXELS,
        b = 3.0 * SUBPIXELS,
    );
    s.push_str("path:hover{stroke:#000;stroke-width:1}</style>\n");
    s
}

pub(super) fn legend(
    bounds: &[(f64, usize)],
    options: &MapOptions,
    top: f64,
    scale: f64,
    swatches: Swatches,
) -> String {
    let l = options.lang;
    let mut entries: Vec<(String, String)> = vec![("c0".into(), "0".into())];
    let mut low = (0.0, 0);
    for (k, &(bound, d)) in bounds.iter().enumerate() {
        let text = match k {
            0 => format!("> 0 – {}", l.dec(bound, d)),
            _ => format!("> {} – {}", l.dec(low.0, low.1), l.dec(bound, d)),
        };
        entries.push((format!("c{}", k + 1), text));
        low = (bound, d);
    }
    if swatches.no_data {
        entries.push((
            "nd".into(),
            // A rate over a population of 0 has no value either
            // (Clipperton's), and read as unknown (found 2026-12-05).
            match options.metric {
                super::Metric::CamerasPerKm2 => l.pick(
                    "no value (area unknown)",
                    "sans valeur (superficie inconnue)",
                ),
                _ => l.pick(
                    "no value (population unknown or 0)",
                    "sans valeur (population inconnue ou nulle)",
                ),
            }
            .to_string(),
        ));
    }
    if swatches.not_counted {
        entries.push((
            "nc".into(),
            l.pick("could not be counted", "n'a pas pu être comptée")
                .to_string(),
        ));
    }
    if swatches.floor_none {
        entries.push((
            "fz".into(),
            l.pick(
                "partly beyond the extract, none in the part it holds",
                "en partie hors de l'extrait, aucune dans la part qu'il couvre",
            )
            .to_string(),
        ));
    }
    if swatches.floor_outline {
        entries.push((
            "pt".into(),
            l.pick(
                "dashed: partly beyond the extract, at least this",
                "en tirets : en partie hors de l'extrait, au moins ceci",
            )
            .to_string(),
        ));
    }
    let mut s = format!(
        "<g class=\"legend\" transform=\"translate({MARGIN},{:.0})\">\n<text x=\"0\" y=\"14\" font-weight=\"bold\">{}</text>\n",
        top + 8.0,
        escape(options.metric.title(l))
    );
    let place = |i: usize| ((i / 4) as f64 * 230.0, 24.0 + (i % 4) as f64 * 22.0);
    for (i, (class, text)) in entries.iter().enumerate() {
        let (x, y) = place(i);
        let _ = writeln!(
            s,
            "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"18\" height=\"14\" stroke=\"#666\" stroke-width=\"0.5\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            x + 24.0,
            y + 11.0,
            escape(text)
        );
    }
    // The dots had no word: a reader could take them for towns (found
    // 2026-12-06).
    if swatches.cameras {
        let (x, y) = place(entries.len());
        let _ = writeln!(
            s,
            "<circle class=\"camera-key\" cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#08306b\"/>\
             <text x=\"{}\" y=\"{}\">{}</text>",
            x + 9.0,
            y + 7.0,
            x + 24.0,
            y + 11.0,
            // Short: with every swatch, it opens a fourth column near
            // the map's right edge.
            escape(l.pick("a camera (OSM)", "une caméra (OSM)"))
        );
    }
    s.push_str(&scale_bar(scale, l));
    s.push_str("</g>\n");
    s
}

/// A scale bar of a round length near a fifth of the map's width.
fn scale_bar(px_per_km: f64, l: Lang) -> String {
    let target = (WIDTH / 5.0) / px_per_km;
    let magnitude = 10f64.powf(target.log10().floor());
    let km = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .rfind(|&v| v <= target)
        .unwrap_or(magnitude);
    let length = km * px_per_km;
    let text = if km >= 1.0 {
        format!("{} km", l.dec(km, 0))
    } else {
        format!("{} m", l.dec(km * 1000.0, 0))
    };
    let (x, y) = (WIDTH - 2.0 * MARGIN - length - 40.0, 120.0);
    format!(
        "<g class=\"scale\"><path d=\"M{x:.1} {y}v6h{length:.1}v-6\" fill=\"none\" stroke=\"#000\"/>\
         <text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{text}</text>\
         <text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">N ↑</text></g>\n",
        x + length / 2.0,
        y - 4.0,
        x + length + 30.0,
        y + 6.0
    )
}
