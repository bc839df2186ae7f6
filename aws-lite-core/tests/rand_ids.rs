//! Seeded randomness: the same seed gives the same ids, tokens and draws; different seeds differ.

use std::collections::HashSet;

use aws_lite_core::Rand;
use aws_lite_core::id::{Uuid, token};

fn ids(seed: u64) -> Vec<String> {
    let rand = Rand::seeded(seed);
    let mut out: Vec<String> = (0..50).map(|_| rand.uuid().to_string()).collect();
    out.push(token(&rand, 32));
    out.push(rand.range_inclusive(1, 1_000_000).to_string());
    out
}

#[test]
fn the_same_seed_gives_the_same_ids() {
    assert_eq!(ids(42), ids(42));
    assert_eq!(
        Rand::seeded(42).fork("jitter").next_u64(),
        Rand::seeded(42).fork("jitter").next_u64()
    );
}

#[test]
fn different_seeds_give_different_ids() {
    let a = ids(1);
    let b = ids(2);
    assert!(
        a.iter().zip(&b).all(|(x, y)| x != y),
        "no position repeats across seeds"
    );
}

#[test]
fn ids_are_version_4_uuids_and_do_not_repeat() {
    let rand = Rand::seeded(7);
    let mut seen = HashSet::new();
    for _ in 0..10_000 {
        let id = rand.uuid();
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(&text[14..15], "4", "version nibble");
        assert!(
            matches!(&text[19..20], "8" | "9" | "a" | "b"),
            "RFC 4122 variant"
        );
        assert_eq!(text.parse::<Uuid>().unwrap(), id);
        assert!(seen.insert(id), "a repeated id");
    }
}

#[test]
fn entropy_seeded_generators_report_their_seed_for_replay() {
    let a = Rand::from_entropy();
    let replay = Rand::seeded(a.seed());
    assert_eq!(a.next_u64(), replay.next_u64());
}
