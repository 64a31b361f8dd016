//! The options of the human outputs: the language of the report and what
//! its map shows. The count, `history` and `compare` share them, so they
//! are declared once.
//!
//! Why a type parameter: the count's map colours communes by cameras per
//! 1,000 inhabitants, while a history or a comparison rarely has
//! populations, so its map shows the counts themselves by default. Clap
//! takes a default and a help text from a constant, not from the command
//! that flattens the group, so each command names its own through a
//! [`ReportKind`], as [`super::Joined`] does for its files.
//!
//! In: the command line. Out: [`ReportArgs`], checked against the format
//! in `cmd`.

use std::marker::PhantomData;

use clap::{Args, ValueEnum};

/// The help and defaults of one command's report options.
pub struct ReportNames {
    pub lang_help: &'static str,
    /// The name of the default `--map-metric` (a [`MapMetric`] value).
    pub map_metric: &'static str,
    pub map_metric_help: &'static str,
    pub map_no_points_help: &'static str,
}

/// A command with a report: gives [`ReportArgs`] its help and defaults.
pub trait ReportKind {
    const NAMES: ReportNames;
}

/// `--lang`, `--map-metric` and `--map-no-points`.
#[derive(Debug, Args)]
#[group(skip)]
pub struct ReportArgs<K: ReportKind + Send + Sync + 'static> {
    #[arg(long, value_enum, help = K::NAMES.lang_help)]
    pub lang: Option<Lang>,

    #[arg(long, value_enum, default_value = K::NAMES.map_metric, help = K::NAMES.map_metric_help)]
    pub map_metric: MapMetric,

    #[arg(long, help = K::NAMES.map_no_points_help)]
    pub map_no_points: bool,

    #[arg(skip)]
    kind: PhantomData<K>,
}

impl<K: ReportKind + Send + Sync + 'static> ReportArgs<K> {
    /// True when a map option differs from the command's default: it must
    /// then go with a format that draws the map.
    pub fn map_given(&self) -> bool {
        let metric = self.map_metric.to_possible_value();
        self.map_no_points || metric.is_none_or(|m| m.get_name() != K::NAMES.map_metric)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapMetric {
    /// Cameras per 1,000 inhabitants
    #[value(name = "cameras_per_1000")]
    CamerasPer1000,
    /// Cameras per km²
    #[value(name = "cameras_per_km2")]
    CamerasPerKm2,
    /// Cameras
    #[value(name = "cameras")]
    Cameras,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// French, with French number formatting (1 347, 0,74)
    Fr,
}

/// The count's report (md, html, svg): its map shows a rate.
#[derive(Debug)]
pub struct CountReport;

impl ReportKind for CountReport {
    const NAMES: ReportNames = ReportNames {
        lang_help: "Language of the report (md, html, svg)",
        map_metric: "cameras_per_1000",
        map_metric_help: "What the map (html, svg) colours communes by",
        map_no_points_help: "Leave the camera points off the map (html, svg)",
    };
}

/// `history`'s report (md, html, svg; the map is in the page only).
#[derive(Debug)]
pub struct HistoryReport;

impl ReportKind for HistoryReport {
    const NAMES: ReportNames = ReportNames {
        lang_help: "Language of the report (md, html, svg)",
        map_metric: "cameras",
        map_metric_help: "What the map of the last date (html) colours communes by; the counts \
                          themselves by default, as a history rarely has populations (a rate \
                          leaves communes without one grey: no value)",
        map_no_points_help: "Leave the camera points off the map (html)",
    };
}

/// `compare`'s report (md, html; the map is NEW's).
#[derive(Debug)]
pub struct CompareReport;

impl ReportKind for CompareReport {
    const NAMES: ReportNames = ReportNames {
        lang_help: "Language of the report (md, html)",
        map_metric: "cameras",
        map_metric_help: "What the map of the newer snapshot (html) colours communes by; the \
                          counts themselves by default, as a comparison rarely has populations \
                          (a rate leaves communes without one grey: no value)",
        map_no_points_help: "Leave the camera points off the map (html)",
    };
}
