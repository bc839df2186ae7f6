//! FIFO deduplication: the 5-minute window.
//!
//! A FIFO send carries a deduplication id (explicit, or the SHA-256 of the body with
//! `ContentBasedDeduplication`). A second send with the same id within the window after the first
//! *successful* send is accepted and answered with the first message's id and sequence number,
//! but nothing is enqueued. The window counts from the first send, is not extended by duplicates,
//! and survives the message's deletion and PurgeQueue. With `DeduplicationScope=messageGroup` the
//! id is scoped to its message group.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::Instant;
use aws_lite_core::id::Uuid;

/// A deduplication key: the group (when the scope is `messageGroup`) and the id.
pub(crate) type DedupKey = (Option<Arc<str>>, Arc<str>);

/// What the first send with a key produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FirstSend {
    pub(crate) message_id: Uuid,
    pub(crate) sequence_number: Option<u128>,
}

/// The deduplication window of one FIFO queue.
#[derive(Debug)]
pub(crate) struct Dedup {
    window: Duration,
    seen: HashMap<DedupKey, (Instant, FirstSend)>,
    order: VecDeque<(Instant, DedupKey)>,
}

impl Dedup {
    pub(crate) fn new(window: Duration) -> Dedup {
        Dedup {
            window,
            seen: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    fn prune(&mut self, now: Instant) {
        while let Some((expires, _)) = self.order.front() {
            if *expires > now {
                break;
            }
            if let Some((expires, key)) = self.order.pop_front() {
                if self.seen.get(&key).is_some_and(|(e, _)| *e == expires) {
                    self.seen.remove(&key);
                }
            }
        }
    }

    /// The first send with `key`, if it is still inside the window.
    pub(crate) fn check(&mut self, now: Instant, key: &DedupKey) -> Option<FirstSend> {
        self.prune(now);
        self.seen.get(key).map(|(_, first)| *first)
    }

    /// Records a successful send with `key`.
    pub(crate) fn record(&mut self, now: Instant, key: DedupKey, first: FirstSend) {
        let expires = now + self.window;
        self.seen.insert(key.clone(), (expires, first));
        self.order.push_back((expires, key));
    }

    /// Ids currently remembered.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_counts_from_first_send() {
        let mut d = Dedup::new(Duration::from_secs(300));
        let key: DedupKey = (None, Arc::from("a"));
        let first = FirstSend {
            message_id: Uuid::from_bytes([1; 16]),
            sequence_number: Some(5),
        };
        assert_eq!(d.check(Instant::ZERO, &key), None);
        d.record(Instant::ZERO, key.clone(), first);
        assert_eq!(d.check(Instant::from_secs(299), &key), Some(first));
        assert_eq!(d.check(Instant::from_secs(300), &key), None);
        assert_eq!(d.len(), 0);
    }
}
