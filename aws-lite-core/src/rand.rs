//! A seeded, cloneable, lock-free randomness source handed in beside the clock.
//!
//! Everything random in aws-lite draws from a [`Rand`]: message ids, receipt handles, request
//! ids, alias traffic weights, retry jitter, fault injection, tie-breaks. Give every service the
//! same seed and a test replays exactly: the same ids, the same weighted routing, the same jitter.
//!
//! # Streams
//!
//! A `Rand` is a counter-based generator (SplitMix64 over an atomic counter): each draw takes the
//! next counter value and mixes it, so drawing is one atomic add and never locks. Clones share one
//! stream (like an SDK client handle), so one seeded world produces one sequence in program
//! order. [`fork`](Rand::fork) derives an independent stream from the seed and a label, for a
//! component whose draws must not shift when another component draws more or less.
//!
//! ```
//! use aws_lite_core::Rand;
//!
//! let a = Rand::seeded(7);
//! let b = Rand::seeded(7);
//! assert_eq!(a.next_u64(), b.next_u64());
//! assert_eq!(a.uuid().to_string(), b.uuid().to_string());
//! assert_ne!(Rand::seeded(8).next_u64(), Rand::seeded(7).next_u64());
//! ```

use std::fmt;
use std::hash::{BuildHasher, Hasher};

use crate::id::Uuid;
use crate::sync::{Arc, AtomicU64, Ordering};

const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seeded randomness source; clones share one stream.
#[derive(Clone)]
pub struct Rand {
    inner: Arc<Inner>,
}

struct Inner {
    seed: u64,
    base: u64,
    counter: AtomicU64,
}

impl Rand {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn seeded(seed: u64) -> Rand {
        Rand {
            inner: Arc::new(Inner {
                seed,
                base: mix(seed ^ 0x6a09_e667_f3bc_c909),
                counter: AtomicU64::new(0),
            }),
        }
    }

    /// A generator seeded from the operating system's per-process randomness. Its seed is
    /// available from [`seed`](Rand::seed), so a failing run can be replayed.
    pub fn from_entropy() -> Rand {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x5eed);
        Rand::seeded(h.finish())
    }

    /// The seed this stream was made from.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// An independent stream derived from this one's seed and `label`. The same seed and label
    /// always give the same stream, whatever has been drawn from `self`.
    pub fn fork(&self, label: &str) -> Rand {
        // FNV-1a of the label: stable across platforms and Rust versions.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rand::seeded(mix(self.inner.seed ^ mix(h)))
    }

    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&self) -> u64 {
        let n = self.inner.counter.fetch_add(1, Ordering::Relaxed);
        mix(self.inner.base.wrapping_add(n.wrapping_mul(GAMMA)))
    }

    /// The next 32 random bits.
    #[inline]
    pub fn next_u32(&self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// A uniform float in `[0, 1)` with 53 bits of precision.
    #[inline]
    pub fn next_f64(&self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in `[0, n)`; `0` when `n == 0`. Unbiased (Lemire's method).
    pub fn below(&self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            if (m as u64) >= threshold {
                return (m >> 64) as u64;
            }
        }
    }

    /// A uniform integer in `[lo, hi]` (inclusive); `lo` when `hi <= lo`.
    pub fn range_inclusive(&self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(span) => lo + self.below(span),
            None => self.next_u64(),
        }
    }

    /// A uniform float in `[lo, hi)`; `lo` when `hi <= lo`.
    pub fn f64_range(&self, lo: f64, hi: f64) -> f64 {
        if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
            return lo;
        }
        lo + (hi - lo) * self.next_f64()
    }

    /// `true` with probability `p` (clamped to `[0, 1]`).
    pub fn chance(&self, p: f64) -> bool {
        if p <= 0.0 || p.is_nan() {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        self.next_f64() < p
    }

    /// Fills `buf` with random bytes.
    pub fn fill_bytes(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// A random version-4 UUID.
    pub fn uuid(&self) -> Uuid {
        Uuid::new_v4(self)
    }
}

impl Default for Rand {
    /// [`Rand::from_entropy`].
    fn default() -> Rand {
        Rand::from_entropy()
    }
}

impl fmt::Debug for Rand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rand")
            .field("seed", &self.inner.seed)
            .finish_non_exhaustive()
    }
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_clones_share_it() {
        let a = Rand::seeded(42);
        let b = Rand::seeded(42);
        let xs: Vec<u64> = (0..16).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..16).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let c = Rand::seeded(42);
        let d = c.clone();
        assert_eq!(c.next_u64(), xs[0]);
        assert_eq!(d.next_u64(), xs[1]);
        assert_ne!(Rand::seeded(43).next_u64(), xs[0]);
    }

    #[test]
    fn fork_is_independent_of_parent_draws() {
        let a = Rand::seeded(1);
        let fa = a.fork("jitter").next_u64();
        let b = Rand::seeded(1);
        b.next_u64();
        b.next_u64();
        assert_eq!(b.fork("jitter").next_u64(), fa);
        assert_ne!(b.fork("ids").next_u64(), fa);
    }

    #[test]
    fn bounded_draws_stay_in_bounds() {
        let r = Rand::seeded(9);
        for n in [1u64, 2, 3, 7, 1000, u64::MAX] {
            for _ in 0..200 {
                assert!(r.below(n) < n);
            }
        }
        assert_eq!(r.below(0), 0);
        for _ in 0..200 {
            let x = r.range_inclusive(5, 9);
            assert!((5..=9).contains(&x));
            let f = r.f64_range(1.5, 2.5);
            assert!((1.5..2.5).contains(&f));
        }
        assert!(!r.chance(0.0) && r.chance(1.0));
    }
}

#[cfg(all(test, aws_lite_loom))]
mod loom_tests {
    use super::*;

    /// Concurrent draws from clones never repeat a counter value: together they are exactly the
    /// first draws of the sequential stream, in some order.
    #[test]
    fn loom_concurrent_draws_are_the_sequential_stream() {
        loom::model(|| {
            let r = Rand::seeded(3);
            let r2 = r.clone();
            let t = loom::thread::spawn(move || r2.next_u64());
            let mine = r.next_u64();
            let theirs = t.join().unwrap();
            let mut got = [mine, theirs];
            got.sort_unstable();
            let seq = Rand::seeded(3);
            let mut want = [seq.next_u64(), seq.next_u64()];
            want.sort_unstable();
            assert_eq!(got, want);
        });
    }
}
