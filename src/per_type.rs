//! One value per OSM element type, indexed by [`ElementType`]: counts,
//! stage times, what a stage reads.
//!
//! Why not `[T; 3]`: an array indexed 0..3 leaves every reader to recall
//! which type is which (the scan's stages run relations, ways, nodes; the
//! file holds nodes, ways, relations). A field per type cannot be misread.
//!
//! In: a value per type. Out: the same, by name or by `ElementType`.

use std::ops::{Index, IndexMut};

use crate::pbf::block::ElementType;

/// A value for each element type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PerType<T> {
    pub nodes: T,
    pub ways: T,
    pub relations: T,
}

impl<T: Copy> PerType<T> {
    /// The same value for every type.
    pub fn all(value: T) -> Self {
        PerType {
            nodes: value,
            ways: value,
            relations: value,
        }
    }
}

impl PerType<bool> {
    /// True for `kind` alone.
    pub fn only(kind: ElementType) -> Self {
        let mut wanted = PerType::all(false);
        wanted[kind] = true;
        wanted
    }
}

impl<T> PerType<T> {
    /// `(type, value)` in file order: nodes, ways, relations.
    pub fn iter(&self) -> impl Iterator<Item = (ElementType, &T)> {
        [
            (ElementType::Node, &self.nodes),
            (ElementType::Way, &self.ways),
            (ElementType::Relation, &self.relations),
        ]
        .into_iter()
    }
}

impl<T> Index<ElementType> for PerType<T> {
    type Output = T;

    fn index(&self, kind: ElementType) -> &T {
        match kind {
            ElementType::Node => &self.nodes,
            ElementType::Way => &self.ways,
            ElementType::Relation => &self.relations,
        }
    }
}

impl<T> IndexMut<ElementType> for PerType<T> {
    fn index_mut(&mut self, kind: ElementType) -> &mut T {
        match kind {
            ElementType::Node => &mut self.nodes,
            ElementType::Way => &mut self.ways,
            ElementType::Relation => &mut self.relations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexed_by_type() {
        let mut counts = PerType::all(0u64);
        counts[ElementType::Way] += 2;
        assert_eq!((counts.nodes, counts.ways, counts.relations), (0, 2, 0));
        let only = PerType::only(ElementType::Relation);
        assert!(only.relations && !only.nodes && !only.ways);
        let order: Vec<ElementType> = counts.iter().map(|(k, _)| k).collect();
        assert_eq!(
            order,
            [ElementType::Node, ElementType::Way, ElementType::Relation]
        );
    }
}
