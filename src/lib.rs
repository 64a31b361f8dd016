//! camcount: count surveillance cameras in OpenStreetMap extracts.
//!
//! The data flow, one module per stage; stages take and return plain data
//! and never print:
//!
//! ```text
//! .osm.pbf ──pbf──▶ blobs ──scan──▶ cameras (nodes, way centroids, relations)
//!                                      │
//!                                      ▼
//!                                   output ──▶ CSV | GeoJSON   (atomic sink)
//! ```
//!
//! [`scan::scan_cameras`] is the camera stage; [`pbf`] reads and writes the
//! file format; [`output`] renders rows.
#![forbid(unsafe_code)]

pub mod aggregate;
pub mod boundary;
pub mod camera;
pub mod departements;
pub mod error;
pub mod external;
pub mod fixtures;
pub mod index;
pub mod output;
pub mod pbf;
pub mod scan;
pub mod zone;
