//! Blob framing, decompression and block decoding on arbitrary bytes: every
//! input must give blobs or a clean error, never a panic, a hang or an
//! allocation beyond the format's limits.
#![no_main]

use camcount::candidates::BoundarySelector;
use camcount::pbf::blob::BlobReader;
use camcount::pbf::block::{
    DenseColumns, ElementType, ElementVisitor, Node, PrimitiveBlock, Relation, Way,
};
use camcount::pbf::header::HeaderBlock;
use camcount::pbf::wire::WireError;
use camcount::pbf::with_block;
use camcount::per_type::PerType;
use camcount::scan::nodes::NodeTable;
use camcount::scan::visit::{visit_block, StageWants};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let selector = BoundarySelector {
        admin_levels: vec!["8".into()],
        all_areas: true,
    };
    let wants = StageWants {
        camera_nodes: true,
        camera_ways: true,
        camera_relations: true,
        boundaries: Some(&selector),
        counts: PerType::all(true),
        record_layout: true,
        ..StageWants::default()
    };
    // The node stage of a sorted file takes its own bulk-decoding path.
    let table = NodeTable::new((-8..64).collect());
    let node_wants = StageWants {
        camera_nodes: true,
        node_table: Some(&table),
        counts: PerType::only(ElementType::Node),
        ..StageWants::default()
    };
    // So does the way stage: a walk made for blocks of ways alone.
    let member_ways: Vec<i64> = (-8..64).collect();
    let way_wants = StageWants {
        camera_ways: true,
        member_ways: Some(&member_ways),
        counts: PerType::only(ElementType::Way),
        ..StageWants::default()
    };
    let mut columns = DenseColumns::default();
    let mut scratch = Vec::new();
    for (position, blob) in BlobReader::new(data).enumerate().take(64) {
        let Ok(blob) = blob else { break };
        if blob.index == 0 {
            let mut bytes = Vec::new();
            if blob.decompress(&mut bytes).is_ok() {
                let _ = HeaderBlock::parse(&bytes);
            }
            continue;
        }
        let _ = with_block(&blob, &mut scratch, |block| {
            if let Ok(Some(nodes)) = block.dense_ids(&mut columns) {
                let _ = columns.id_summary();
                // The block's own strings 1 and 2 as a tag, to scan the
                // tags of fuzzed blocks whatever strings they hold.
                let strings = block.string(1).and_then(|k| Ok((k, block.string(2)?)));
                if let Some(tag) = strings.ok().and_then(|(k, v)| block.find_tag(k, v)) {
                    let _ = block.dense_tagged(&nodes, &tag);
                }
                let half = columns.ids().len() / 2;
                if block.dense_coords(&nodes, &mut columns, half).is_ok() {
                    for entry in 0..half {
                        let _ = block.dense_position(&columns, entry);
                    }
                }
            }
            let _ = visit_block(block, position, &node_wants, &mut columns);
            let _ = visit_block(block, position, &way_wants, &mut columns);
            let _ = block.visit(&mut MetadataReader { block });
            visit_block(block, position, &wants, &mut columns)
        });
    }
});

/// Reads every element's metadata, as `read_elements` (make-corpus) does.
struct MetadataReader<'b, 'a> {
    block: &'b PrimitiveBlock<'a>,
}

impl<'a> ElementVisitor<'a> for MetadataReader<'_, 'a> {
    fn wants_metadata(&self) -> bool {
        true
    }

    fn node(&mut self, node: &Node<'a>) -> Result<(), WireError> {
        node.meta
            .map(|raw| self.block.owned_meta(raw))
            .transpose()?;
        Ok(())
    }

    fn way(&mut self, way: &Way<'a>) -> Result<(), WireError> {
        way.meta()?
            .map(|raw| self.block.owned_meta(raw))
            .transpose()?;
        Ok(())
    }

    fn relation(&mut self, relation: &Relation<'a>) -> Result<(), WireError> {
        relation
            .meta()?
            .map(|raw| self.block.owned_meta(raw))
            .transpose()?;
        Ok(())
    }
}
