//! Ring assembly on arbitrary member ways: coordinates on a tiny grid so that
//! shared nodes, touching rings, spikes and crossings are common. Every input
//! must assemble or be refused with a reason, never panic, and the simple
//! path (ways joined end to end) must give what the segments give.
#![no_main]

use camcount::boundary::rings::{assemble, assemble_general, MemberWay};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut ways = Vec::new();
    for (id, chunk) in data.split(|&b| b == 0xff).take(32).enumerate() {
        let points: Vec<(i32, i32)> = chunk
            .chunks_exact(2)
            .map(|p| (i32::from(p[0] % 16), i32::from(p[1] % 16)))
            .collect();
        let role = if chunk.first().is_some_and(|b| b & 1 == 1) {
            "inner"
        } else {
            "outer"
        };
        ways.push(MemberWay {
            id: id as i64,
            role: role.into(),
            points,
        });
    }
    let result = assemble(&ways);
    assert_eq!(result, assemble_general(&ways));
    if let Ok(assembled) = result {
        assert!(assembled
            .geometry
            .0
            .iter()
            .all(|p| p.exterior().0.len() >= 4));
    }
});
