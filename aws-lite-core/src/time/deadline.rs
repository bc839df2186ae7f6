//! [`DeadlineHeap`]: deadlines ordered for pure cores that take `now` as an argument.

use std::collections::BTreeMap;
use std::fmt;

use super::Instant;

/// Identifies an entry of a [`DeadlineHeap`] so it can be removed or rescheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeadlineKey {
    at: Instant,
    seq: u64,
}

impl DeadlineKey {
    /// The deadline this key was scheduled at.
    pub fn deadline(&self) -> Instant {
        self.at
    }
}

/// Values ordered by deadline; it never reads a clock. Callers pass `now`.
///
/// Entries with equal deadlines come out in insertion order, which keeps pure cores
/// deterministic.
///
/// ```
/// use aws_lite_core::time::{DeadlineHeap, Instant};
///
/// let mut heap = DeadlineHeap::new();
/// heap.push(Instant::from_secs(5), "retry");
/// let key = heap.push(Instant::from_secs(2), "visible");
/// assert_eq!(heap.next_deadline(), Some(Instant::from_secs(2)));
/// assert_eq!(heap.pop_expired(Instant::from_secs(1)), None);
/// assert_eq!(heap.pop_expired(Instant::from_secs(2)), Some((Instant::from_secs(2), "visible")));
/// assert_eq!(heap.remove(key), None); // already popped
/// assert_eq!(heap.len(), 1);
/// ```
pub struct DeadlineHeap<T> {
    entries: BTreeMap<DeadlineKey, T>,
    seq: u64,
}

impl<T> DeadlineHeap<T> {
    /// An empty heap.
    pub fn new() -> DeadlineHeap<T> {
        DeadlineHeap {
            entries: BTreeMap::new(),
            seq: 0,
        }
    }

    /// Schedules `value` at `at`.
    pub fn push(&mut self, at: Instant, value: T) -> DeadlineKey {
        let key = DeadlineKey { at, seq: self.seq };
        self.seq += 1;
        self.entries.insert(key, value);
        key
    }

    /// Removes a scheduled entry, returning its value if it was still there.
    pub fn remove(&mut self, key: DeadlineKey) -> Option<T> {
        self.entries.remove(&key)
    }

    /// The earliest deadline, if any.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.entries.keys().next().map(|k| k.at)
    }

    /// The earliest entry, without removing it.
    pub fn peek(&self) -> Option<(Instant, &T)> {
        self.entries.iter().next().map(|(k, v)| (k.at, v))
    }

    /// Removes and returns the earliest entry whose deadline is at or before `now`.
    pub fn pop_expired(&mut self, now: Instant) -> Option<(Instant, T)> {
        let first = *self.entries.keys().next()?;
        if first.at > now {
            return None;
        }
        self.entries.remove(&first).map(|v| (first.at, v))
    }

    /// Removes and returns every entry due at or before `now`, earliest first.
    pub fn drain_expired(&mut self, now: Instant) -> Vec<(Instant, T)> {
        let mut out = Vec::new();
        while let Some(e) = self.pop_expired(now) {
            out.push(e);
        }
        out
    }

    /// Number of scheduled entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl<T> Default for DeadlineHeap<T> {
    fn default() -> DeadlineHeap<T> {
        DeadlineHeap::new()
    }
}

impl<T> fmt::Debug for DeadlineHeap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeadlineHeap")
            .field("len", &self.entries.len())
            .field("next", &self.next_deadline())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_deadlines_pop_in_insertion_order() {
        let mut h = DeadlineHeap::new();
        let t = Instant::from_secs(1);
        h.push(t, 1);
        h.push(t, 2);
        h.push(Instant::from_secs(0), 0);
        let got: Vec<_> = h.drain_expired(t).into_iter().map(|(_, v)| v).collect();
        assert_eq!(got, vec![0, 1, 2]);
        assert!(h.is_empty());
    }
}
