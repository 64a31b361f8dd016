//! camcount: count surveillance cameras in OpenStreetMap extracts.
//!
//! The data flow, one function per stage; stages take and return plain data
//! and never print (the `camcount` binary words what they return):
//!
//! ```text
//! .osm.pbf ─ scan ──────────▶ cameras + boundary relations, member ways, node positions
//!            assemble_boundaries (candidates::MemberGeometry) ─▶ boundaries (ok / incomplete / invalid, area)
//!              or assemble_placing: each placed against the cameras as built, its geometry dropped
//!            Zone::from / external::geojson ─▶ zones (per admin level, or a GeoJSON)
//!            join_cameras (index: zone by zone, R-tree of cameras + interval trees) ─▶ counts per zone
//!            pipeline::count (commune_rows, attach_declared, rollup_by_*) ─▶ sorted rows, rollup rows
//!            output::{csv, json, geojson, xlsx, markdown} (any output::rows kind) ─▶ bytes, via an atomic sink
//! ```
//!
//! [`pbf`] reads and writes the file format; [`fixtures`] builds named test
//! files with our own writer.
// Denied, not forbidden, for one exception allowed where it stands:
// `pbf::delta::ssse3` calls its SSSE3 decoder once the CPU is checked.
#![deny(unsafe_code)]

pub mod aggregate;
pub mod boundary;
pub mod camera;
pub mod candidates;
pub mod cells;
pub mod corpus;
pub mod dates;
pub mod departements;
pub mod error;
pub mod external;
pub mod fixtures;
pub mod history;
pub mod index;
pub mod output;
pub mod pbf;
pub mod per_type;
pub mod pipeline;
pub mod scan;
pub mod temp_files;
pub mod zone;

pub use aggregate::{commune_rows, join_cameras, rollup_by_departement, rollup_by_zones};
pub use boundary::assemble_boundaries;
pub use scan::{scan, scan_cameras};
