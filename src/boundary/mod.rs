//! Commune boundaries assembled from the extract itself.
pub mod select;
