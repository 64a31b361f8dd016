//! Outputs: row kinds, formats, and the sink they write to.
//!
//! Why apart from the stages: formats only render rows that are already
//! computed and sorted, so that every format tells the same story and the
//! bytes do not depend on thread count. The [`sink`] makes each output
//! appear whole or not at all.
//!
//! The shape: [`cell::Row`] is implemented once per row kind in [`rows`]
//! (camera, commune, rollup, boundary): its column names and typed
//! [`cell::Cell`]s. Each format is one file that writes any row kind:
//! [`csv`], [`json`], [`geojson`], [`xlsx`]; [`markdown`] is the count's
//! report, in sentences, and [`html`] the same with the [`map`] and a
//! sortable table. [`metadata`] dates and sources every output; [`lang`]
//! words the human outputs in English or French. Counts through time
//! (`history`, `compare`) have their row kinds in [`history_rows`], their
//! wide table and sentences in [`through`], and are written by the same
//! format files ([`json`], [`markdown::through`], [`html`] pages, [`chart`]
//! SVG); a [`cell::Table`] carries columns known only at run time (one per
//! date) to the same formats. Every decimal, in a cell or a sentence, is
//! rounded by [`cell::Cell::to_text`].
//!
//! - To add a column: add it to its row kind in [`rows`], name and cell
//!   together. Every format carries it.
//! - To add a format: add a file here with a function generic over
//!   [`cell::Row`] (see [`csv::write`]), and a variant in the command line's
//!   format lists.
//!
//! In: sorted rows and the run's [`metadata::Metadata`]. Out: bytes.

pub mod cell;
pub mod chart;
pub mod csv;
pub mod geojson;
pub mod history_rows;
pub mod html;
pub mod json;
pub mod lang;
pub mod map;
pub mod markdown;
pub mod metadata;
pub mod rows;
pub mod sink;
pub mod through;
pub mod xlsx;
