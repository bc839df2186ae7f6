//! The string indexes of a [`FilterSet`](super::FilterSet): hash tables of byte strings probed
//! with hashes the caller computes, so that one hash of an event value serves several tables,
//! and the hashes of all its prefixes (or suffixes) come from one pass over it.

/// The Fx multiplier (as rustc's hasher uses).
const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[inline]
fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(SEED)
}

/// Up to eight bytes as a little-endian word, zero-padded.
#[inline]
fn word(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => {
            let mut w = [0u8; 8];
            if let Some(dst) = w.get_mut(..b.len()) {
                dst.copy_from_slice(b);
            }
            u64::from_le_bytes(w)
        }
    }
}

#[inline]
fn finish(h: u64, len: usize) -> u64 {
    mix(h, len as u64)
}

/// The hash of a key read forwards, eight bytes at a time: [`prefix_hashes`] gives the same
/// hash for each prefix of a longer text.
#[inline]
pub(crate) fn hash(b: &[u8]) -> u64 {
    let mut h = 0;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, word(c));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = mix(h, word(rest));
    }
    finish(h, b.len())
}

/// The hash of a key read backwards, eight bytes at a time from its end: [`suffix_hashes`]
/// gives the same hash for each suffix of a longer text.
#[inline]
pub(crate) fn hash_rev(b: &[u8]) -> u64 {
    let mut h = 0;
    let mut end = b.len();
    while let Some(w) = end.checked_sub(8).and_then(|start| b.get(start..end)) {
        h = mix(h, word(w));
        end -= 8;
    }
    if let Some(head) = b.get(..end).filter(|h| !h.is_empty()) {
        h = mix(h, word(head));
    }
    finish(h, b.len())
}

/// Calls `f(len, hash(&v[..len]))` for each of `lens` (ascending) up to `v.len()`.
#[inline]
fn prefix_hashes(v: &[u8], lens: &[usize], mut f: impl FnMut(usize, u64)) {
    let mut h = 0;
    let mut words = 0;
    for &len in lens {
        if len > v.len() {
            break;
        }
        while (words + 1) * 8 <= len {
            h = mix(h, word(&v[words * 8..words * 8 + 8]));
            words += 1;
        }
        let partial = &v[words * 8..len];
        let hh = if partial.is_empty() {
            h
        } else {
            mix(h, word(partial))
        };
        f(len, finish(hh, len));
    }
}

/// Calls `f(len, hash_rev(&v[v.len() - len..]))` for each of `lens` (ascending) up to
/// `v.len()`.
#[inline]
fn suffix_hashes(v: &[u8], lens: &[usize], mut f: impl FnMut(usize, u64)) {
    let n = v.len();
    let mut h = 0;
    let mut words = 0;
    for &len in lens {
        if len > n {
            break;
        }
        while (words + 1) * 8 <= len {
            h = mix(h, word(&v[n - (words + 1) * 8..n - words * 8]));
            words += 1;
        }
        let partial = &v[n - len..n - words * 8];
        let hh = if partial.is_empty() {
            h
        } else {
            mix(h, word(partial))
        };
        f(len, finish(hh, len));
    }
}

/// A hash table from byte strings to branch ids, with open addressing and the full hash kept
/// beside each entry, probed with a hash the caller computed.
#[derive(Debug, Default)]
pub(crate) struct StrTable {
    /// (hash, entry index + 1); 0 marks an empty slot. Empty, or a power of two long.
    slots: Vec<(u64, u32)>,
    /// 64 minus log2 of the number of slots: a hash's home slot is its top bits.
    shift: u32,
    entries: Vec<(Box<[u8]>, Vec<u32>)>,
}

impl StrTable {
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The branches under `key`, whose hash is `hash`.
    #[inline]
    pub(crate) fn get(&self, hash: u64, key: &[u8]) -> Option<&[u32]> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize & mask;
        loop {
            let (h, e) = *self.slots.get(i)?;
            if e == 0 {
                return None;
            }
            if h == hash {
                if let Some((k, v)) = self.entries.get(e as usize - 1) {
                    if **k == *key {
                        return Some(v);
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Files `branch` under `key`, whose hash is `hash`.
    pub(crate) fn insert(&mut self, hash: u64, key: &[u8], branch: u32) {
        if let Some(e) = self.find(hash, key) {
            if let Some((_, v)) = self.entries.get_mut(e) {
                v.push(branch);
            }
            return;
        }
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.entries.push((key.into(), vec![branch]));
        let e = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.place(hash, e);
    }

    fn find(&self, hash: u64, key: &[u8]) -> Option<usize> {
        if self.entries.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize & mask;
        loop {
            let (h, e) = *self.slots.get(i)?;
            if e == 0 {
                return None;
            }
            let at = e as usize - 1;
            if h == hash && self.entries.get(at).is_some_and(|(k, _)| **k == *key) {
                return Some(at);
            }
            i = (i + 1) & mask;
        }
    }

    fn place(&mut self, hash: u64, e: u32) {
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize & mask;
        while let Some(slot) = self.slots.get_mut(i) {
            if slot.1 == 0 {
                *slot = (hash, e);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.shift = 64 - size.trailing_zeros();
        for (h, e) in old {
            if e != 0 {
                self.place(h, e);
            }
        }
    }
}

/// Prefixes or suffixes of several lengths, in one table.
#[derive(Debug, Default)]
pub(crate) struct AffixIndex {
    /// The lengths present, ascending.
    lens: Vec<usize>,
    table: StrTable,
}

impl AffixIndex {
    fn note_len(&mut self, len: usize) {
        if let Err(at) = self.lens.binary_search(&len) {
            self.lens.insert(at, len);
        }
    }

    /// Files `branch` under prefix `p`.
    pub(crate) fn insert_prefix(&mut self, p: &[u8], branch: u32) {
        self.note_len(p.len());
        self.table.insert(hash(p), p, branch);
    }

    /// Files `branch` under suffix `s`.
    pub(crate) fn insert_suffix(&mut self, s: &[u8], branch: u32) {
        self.note_len(s.len());
        self.table.insert(hash_rev(s), s, branch);
    }

    /// Calls `f` with the branches of each prefix of `v` filed here.
    #[inline]
    pub(crate) fn prefixes(&self, v: &[u8], mut f: impl FnMut(&[u32])) {
        if self.table.is_empty() {
            return;
        }
        prefix_hashes(v, &self.lens, |len, h| {
            if let Some(fs) = self.table.get(h, &v[..len]) {
                f(fs);
            }
        });
    }

    /// Calls `f` with the branches of each suffix of `v` filed here.
    #[inline]
    pub(crate) fn suffixes(&self, v: &[u8], mut f: impl FnMut(&[u32])) {
        if self.table.is_empty() {
            return;
        }
        let n = v.len();
        suffix_hashes(v, &self.lens, |len, h| {
            if let Some(fs) = self.table.get(h, &v[n - len..]) {
                f(fs);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_hashes_equal_direct_ones() {
        let v = b"type-12-detail-of-the-event";
        let lens: Vec<usize> = (0..=v.len() + 2).collect();
        let mut seen = 0;
        prefix_hashes(v, &lens, |len, h| {
            assert_eq!(h, hash(&v[..len]), "prefix of {len}");
            seen += 1;
        });
        suffix_hashes(v, &lens, |len, h| {
            assert_eq!(h, hash_rev(&v[v.len() - len..]), "suffix of {len}");
            seen += 1;
        });
        assert_eq!(seen, 2 * (v.len() + 1));
    }

    #[test]
    fn table_finds_what_it_holds() {
        let mut t = StrTable::default();
        let keys: Vec<String> = (0..500).map(|i| format!("key-{i}")).collect();
        for (i, k) in keys.iter().enumerate() {
            t.insert(hash(k.as_bytes()), k.as_bytes(), i as u32);
        }
        t.insert(hash(b"key-7"), b"key-7", 1000);
        for (i, k) in keys.iter().enumerate() {
            let got = t.get(hash(k.as_bytes()), k.as_bytes()).unwrap();
            if i == 7 {
                assert_eq!(got, &[7, 1000]);
            } else {
                assert_eq!(got, &[i as u32]);
            }
        }
        assert!(t.get(hash(b"key-500"), b"key-500").is_none());
        assert!(t.get(hash(b""), b"").is_none());
        // A hash collision with a different key is told apart by the bytes.
        assert!(t.get(hash(b"key-1"), b"key-2").is_none());
    }

    #[test]
    fn affixes() {
        let mut a = AffixIndex::default();
        a.insert_prefix(b"type-1-", 1);
        a.insert_prefix(b"type-12-", 2);
        a.insert_prefix(b"t", 3);
        a.insert_prefix(b"", 4);
        let mut hits = Vec::new();
        a.prefixes(b"type-12-34", |fs| hits.extend_from_slice(fs));
        assert_eq!(hits, [4, 3, 2]);
        let mut s = AffixIndex::default();
        s.insert_suffix(b"-00042", 1);
        s.insert_suffix(b"cust-00042", 2);
        s.insert_suffix(b"a-very-long-suffix-00042", 3);
        let mut hits = Vec::new();
        s.suffixes(b"cust-00042", |fs| hits.extend_from_slice(fs));
        assert_eq!(hits, [1, 2]);
    }
}
