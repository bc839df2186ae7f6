//! Many policies compiled into one index, so one event is matched against all of them at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::OnceLock;

use aws_lite_core::Error;
use serde_json::Value;

use super::error::INVALID_PARAMETER;
use super::event::{AttributeValue, EventBuf, FxMap, PathTrie};
use super::policy::{FieldView, LeafRef, Policy, branch_ok, field_ok_values};
use super::value::{IpRange, LeafValue, Matcher, NumHash, NumRange, fold, network, parse_ip};
use super::{Dialect, Event, FilterPolicyScope};

/// Many policies of one [`Dialect`], compiled into one index.
///
/// Each `$or` branch of each policy is indexed under one field, its *anchor*: the field likely
/// to reach the fewest branches, judged by the index buckets it would join (a value many
/// branches already share, like a region, loses to a rarer one such as a customer id) and by
/// operator (a short prefix, a numeric range or `exists` matches many values). Matching an event flattens it once into
/// (path, value) leaves, keeping only the paths some policy uses; looks each value up in the
/// per-path indexes (hash maps for exact strings, numbers and case-folded strings,
/// length-bucketed hash maps for prefixes and suffixes, a segment tree for numeric ranges); and
/// checks the other fields (and EventBridge array consistency) only for the branches whose
/// anchor matched. The cost grows with the event's size and the number of anchors it hits, not
/// with the number of policies.
///
/// Ids are yours (`K`): a subscription ARN, an index, a rule name. Inserting an id again
/// replaces its policy.
///
/// ```
/// use aws_lite_pubsub::filter::{AttributeValue, Dialect, FilterPolicyScope, FilterSet, Policy};
///
/// let dialect = Dialect::Sns(FilterPolicyScope::MessageAttributes);
/// let mut set = FilterSet::new(dialect);
/// set.insert("sports", Policy::parse(r#"{"interest": ["rugby", "soccer"]}"#, dialect)?)?;
/// set.insert("cheap", Policy::parse(r#"{"price": [{"numeric": ["<", 10]}]}"#, dialect)?)?;
/// set.insert("not-test", Policy::parse(r#"{"env": [{"anything-but": "test"}]}"#, dialect)?)?;
///
/// let attrs = [
///     ("interest", AttributeValue::String("rugby")),
///     ("price", AttributeValue::Number("5")),
///     ("env", AttributeValue::String("prod")),
/// ];
/// assert_eq!(set.matches_attributes(attrs), vec!["sports", "cheap", "not-test"]);
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Debug)]
pub struct FilterSet<K> {
    dialect: Dialect,
    trie: PathTrie,
    paths: Vec<PathIndex>,
    branches: Vec<BranchInfo>,
    /// Branches with no indexable field: checked for every event.
    always: Vec<u32>,
    slots: Vec<Slot<K>>,
    by_id: HashMap<K, u32>,
    live: usize,
}

#[derive(Debug)]
struct Slot<K> {
    id: K,
    policy: Policy,
    alive: bool,
}

#[derive(Debug)]
struct BranchInfo {
    slot: u32,
    /// The indexed field, when the branch has one.
    anchor: Option<usize>,
    fields: Vec<SetField>,
}

#[derive(Debug)]
struct SetField {
    path: u32,
    matchers: Vec<Matcher>,
}

/// Key → the branches indexed under it.
type Buckets<K> = FxMap<K, Vec<u32>>;

#[derive(Debug, Default)]
struct LenIndex {
    /// (length, key bytes → branch ids), by ascending length.
    by_len: Vec<(usize, Buckets<Box<[u8]>>)>,
}

impl LenIndex {
    fn insert(&mut self, key: &[u8], branch: u32) {
        let len = key.len();
        let at = match self.by_len.binary_search_by_key(&len, |(l, _)| *l) {
            Ok(i) => i,
            Err(i) => {
                self.by_len.insert(i, (len, FxMap::default()));
                i
            }
        };
        self.by_len[at]
            .1
            .entry(key.into())
            .or_default()
            .push(branch);
    }

    fn is_empty(&self) -> bool {
        self.by_len.is_empty()
    }

    #[inline]
    fn prefixes(&self, v: &[u8], mut f: impl FnMut(&[u32])) {
        for (len, map) in &self.by_len {
            let Some(head) = v.get(..*len) else {
                break;
            };
            if let Some(fs) = map.get(head) {
                f(fs);
            }
        }
    }

    #[inline]
    fn suffixes(&self, v: &[u8], mut f: impl FnMut(&[u32])) {
        for (len, map) in &self.by_len {
            let Some(start) = v.len().checked_sub(*len) else {
                break;
            };
            if let Some(fs) = map.get(&v[start..]) {
                f(fs);
            }
        }
    }
}

/// Numeric ranges of one path, with a segment tree built on first use after a change.
#[derive(Debug, Default)]
struct RangeIndex {
    ranges: Vec<(NumRange, Vec<u32>)>,
    positions: FxMap<NumRange, usize>,
    tree: OnceLock<RangeTree>,
}

#[derive(Debug)]
struct RangeTree {
    points: Vec<i64>,
    size: usize,
    nodes: Vec<Vec<u32>>,
}

impl RangeTree {
    fn build(ranges: &[(NumRange, Vec<u32>)]) -> RangeTree {
        let mut points: Vec<i64> = ranges
            .iter()
            .flat_map(|(r, _)| r.lo.iter().chain(r.hi.iter()).map(|b| b.0))
            .collect();
        points.sort_unstable();
        points.dedup();
        // Slots: 2i+1 is exactly points[i]; 2i is the open interval below it.
        let slots = 2 * points.len() + 1;
        let size = slots.next_power_of_two();
        let mut nodes = vec![Vec::new(); 2 * size];
        let index = |x: i64| points.binary_search(&x).unwrap_or_else(|i| i);
        for (ri, (r, _)) in ranges.iter().enumerate() {
            let start = match r.lo {
                None => 0,
                Some((x, true)) => 2 * index(x) + 1,
                Some((x, false)) => 2 * index(x) + 2,
            };
            let end = match r.hi {
                None => slots - 1,
                Some((y, true)) => 2 * index(y) + 1,
                Some((y, false)) => 2 * index(y),
            };
            if start > end {
                continue;
            }
            let (mut l, mut h) = (start + size, end + size + 1);
            let ri = u32::try_from(ri).unwrap_or(u32::MAX);
            while l < h {
                if l & 1 == 1 {
                    nodes[l].push(ri);
                    l += 1;
                }
                if h & 1 == 1 {
                    h -= 1;
                    nodes[h].push(ri);
                }
                l >>= 1;
                h >>= 1;
            }
        }
        RangeTree {
            points,
            size,
            nodes,
        }
    }

    #[inline]
    fn stab(&self, key: i64, mut f: impl FnMut(u32)) {
        let slot = match self.points.binary_search(&key) {
            Ok(i) => 2 * i + 1,
            Err(i) => 2 * i,
        };
        let mut i = slot + self.size;
        while i >= 1 {
            for &r in &self.nodes[i] {
                f(r);
            }
            i >>= 1;
        }
    }
}

impl RangeIndex {
    fn insert(&mut self, r: NumRange, branch: u32) {
        let at = match self.positions.get(&r) {
            Some(&at) => at,
            None => {
                self.ranges.push((r, Vec::new()));
                self.positions.insert(r, self.ranges.len() - 1);
                self.ranges.len() - 1
            }
        };
        self.ranges[at].1.push(branch);
        self.tree = OnceLock::new();
    }
}

/// The indexes of one path.
#[derive(Debug, Default)]
struct PathIndex {
    exact_str: FxMap<Box<str>, Vec<u32>>,
    exact_num: FxMap<NumHash, Vec<u32>>,
    exact_true: Vec<u32>,
    exact_false: Vec<u32>,
    exact_null: Vec<u32>,
    prefix: LenIndex,
    suffix: LenIndex,
    prefix_folded: LenIndex,
    suffix_folded: LenIndex,
    equals_folded: FxMap<Box<str>, Vec<u32>>,
    ranges: RangeIndex,
    /// Aligned CIDR blocks: (IPv6, mask bits) → network → branches.
    cidr_blocks: Vec<((bool, u8), Buckets<u128>)>,
    /// Other CIDR ranges (written with host bits set): tried one by one.
    cidr: Vec<(IpRange, Vec<u32>)>,
    /// Wildcards and regexps: tried one by one.
    patterns: Vec<(Matcher, Vec<u32>)>,
    exists: Vec<u32>,
    /// Branches whose only field is an anything-but on this path.
    negative_only: Vec<u32>,
}

impl PathIndex {
    fn needs_fold(&self) -> bool {
        !self.equals_folded.is_empty()
            || !self.prefix_folded.is_empty()
            || !self.suffix_folded.is_empty()
    }
}

/// Per-thread scratch space: epoch stamps instead of clearing.
#[derive(Debug, Default)]
struct Scratch {
    epoch: u32,
    path_stamp: Vec<u32>,
    branch_stamp: Vec<u32>,
    slot_stamp: Vec<u32>,
    out: Vec<u32>,
}

impl Scratch {
    fn begin(&mut self, paths: usize, branches: usize, slots: usize) {
        if self.path_stamp.len() < paths {
            self.path_stamp.resize(paths, 0);
        }
        if self.branch_stamp.len() < branches {
            self.branch_stamp.resize(branches, 0);
        }
        if self.slot_stamp.len() < slots {
            self.slot_stamp.resize(slots, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.path_stamp.iter_mut().for_each(|x| *x = 0);
            self.branch_stamp.iter_mut().for_each(|x| *x = 0);
            self.slot_stamp.iter_mut().for_each(|x| *x = 0);
            self.epoch = 1;
        }
        self.out.clear();
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// How many removed policies may linger in the index before it is rebuilt.
const REBUILD_SLACK: usize = 32;

impl<K: Clone + Eq + Hash> FilterSet<K> {
    /// An empty set for policies of `dialect`.
    pub fn new(dialect: Dialect) -> FilterSet<K> {
        FilterSet {
            dialect,
            trie: PathTrie::new(),
            paths: Vec::new(),
            branches: Vec::new(),
            always: Vec::new(),
            slots: Vec::new(),
            by_id: HashMap::new(),
            live: 0,
        }
    }

    /// The dialect of the set's policies.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// How many policies the set holds.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether the set holds no policy.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The policy stored under `id`.
    pub fn get(&self, id: &K) -> Option<&Policy> {
        self.by_id
            .get(id)
            .and_then(|&s| self.slots.get(s as usize))
            .map(|s| &s.policy)
    }

    /// Whether a policy is stored under `id`.
    pub fn contains(&self, id: &K) -> bool {
        self.by_id.contains_key(id)
    }

    /// Adds `policy` under `id`, replacing any policy already stored under that id.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` when the policy's dialect is not the set's.
    pub fn insert(&mut self, id: K, policy: Policy) -> Result<(), Error> {
        if policy.dialect() != self.dialect {
            return Err(Error::validation(
                INVALID_PARAMETER,
                format!(
                    "a {:?} policy cannot join a filter set of dialect {:?}",
                    policy.dialect(),
                    self.dialect
                ),
            ));
        }
        self.remove(&id);
        let slot = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        for branch in &policy.branches {
            self.add_branch(slot, &branch.fields);
        }
        self.by_id.insert(id.clone(), slot);
        self.slots.push(Slot {
            id,
            policy,
            alive: true,
        });
        self.live += 1;
        Ok(())
    }

    /// Removes the policy stored under `id`, returning it.
    pub fn remove(&mut self, id: &K) -> Option<Policy> {
        let slot = self.by_id.remove(id)? as usize;
        let s = self.slots.get_mut(slot)?;
        s.alive = false;
        let policy = s.policy.clone();
        self.live -= 1;
        let dead = self.slots.len() - self.live;
        if dead > REBUILD_SLACK && dead > self.live {
            self.rebuild();
        }
        Some(policy)
    }

    fn rebuild(&mut self) {
        let slots = std::mem::take(&mut self.slots);
        *self = FilterSet::new(self.dialect);
        for s in slots.into_iter().filter(|s| s.alive) {
            // Same dialect by construction.
            let _ = self.insert(s.id, s.policy);
        }
    }

    fn path_id(&mut self, path: &str) -> u32 {
        let next = u32::try_from(self.paths.len()).unwrap_or(u32::MAX);
        let id = self.trie.intern(path, next);
        if id == next {
            self.paths.push(PathIndex::default());
        }
        id
    }

    fn add_branch(&mut self, slot: u32, fields: &[super::policy::Field]) {
        let b = u32::try_from(self.branches.len()).unwrap_or(u32::MAX);
        let set_fields: Vec<SetField> = fields
            .iter()
            .map(|f| SetField {
                path: self.path_id(&f.path),
                matchers: f.matchers.clone(),
            })
            .collect();
        let anchor = fields
            .iter()
            .zip(&set_fields)
            .enumerate()
            .filter(|(_, (f, _))| f.is_positive())
            .min_by_key(|(_, (_, sf))| field_cost(&self.paths[sf.path as usize], &sf.matchers))
            .map(|(i, _)| i);
        match anchor {
            Some(a) => {
                let idx = &mut self.paths[set_fields[a].path as usize];
                for m in &set_fields[a].matchers {
                    index_matcher(idx, m, b);
                }
            }
            None => {
                let only_anything_but = set_fields.len() == 1
                    && set_fields[0]
                        .matchers
                        .iter()
                        .all(|m| matches!(m, Matcher::AnythingBut(_)));
                if only_anything_but {
                    self.paths[set_fields[0].path as usize]
                        .negative_only
                        .push(b);
                } else {
                    self.always.push(b);
                }
            }
        }
        self.branches.push(BranchInfo {
            slot,
            anchor,
            fields: set_fields,
        });
    }

    /// The ids of the policies `event` matches, in insertion order.
    pub fn matches(&self, event: Event<'_>) -> Vec<K> {
        let mut out = Vec::new();
        self.for_each_match(event, |k| out.push(k.clone()));
        out
    }

    /// Calls `f` with the id of each policy `event` matches, in insertion order.
    pub fn for_each_match(&self, event: Event<'_>, f: impl FnMut(&K)) {
        match event {
            Event::Attributes(attrs) => {
                self.for_each_match_attributes(attrs.iter().copied(), f);
            }
            Event::Json(v) => self.for_each_match_json(v, f),
            Event::Text(t) => self.for_each_match_str(t, f),
        }
    }

    /// The ids of the policies that SNS message attributes match.
    pub fn matches_attributes<'a, I>(&self, attributes: I) -> Vec<K>
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let mut out = Vec::new();
        self.for_each_match_attributes(attributes, |k| out.push(k.clone()));
        out
    }

    /// The ids of the policies a parsed JSON document (SNS message body or EventBridge event)
    /// matches.
    pub fn matches_json(&self, document: &Value) -> Vec<K> {
        let mut out = Vec::new();
        self.for_each_match_json(document, |k| out.push(k.clone()));
        out
    }

    /// The ids of the policies JSON text (SNS message body or EventBridge event) matches. The
    /// text is scanned once, skipping the parts no policy uses; text that is not a JSON object
    /// matches nothing.
    pub fn matches_str(&self, text: &str) -> Vec<K> {
        let mut out = Vec::new();
        self.for_each_match_str(text, |k| out.push(k.clone()));
        out
    }

    fn for_each_match_attributes<'a, I>(&self, attributes: I, f: impl FnMut(&K))
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let mut buf = EventBuf::default();
        buf.flatten_attributes(&self.trie, self.dialect.number_semantics(), attributes);
        self.run(&buf, f);
    }

    fn for_each_match_json(&self, document: &Value, f: impl FnMut(&K)) {
        let mut buf = EventBuf::default();
        if buf.flatten_value(&self.trie, self.dialect.number_semantics(), document) {
            self.run(&buf, f);
        }
    }

    fn for_each_match_str(&self, text: &str, f: impl FnMut(&K)) {
        let mut buf = EventBuf::default();
        if buf.flatten_text(&self.trie, self.dialect.number_semantics(), text) {
            self.run(&buf, f);
        }
    }

    fn run(&self, buf: &EventBuf<'_>, mut f: impl FnMut(&K)) {
        if self.live == 0 {
            return;
        }
        let mut sc = SCRATCH.with(|c| c.take());
        sc.begin(self.paths.len(), self.branches.len(), self.slots.len());
        for leaf in &buf.leaves {
            if let Some(idx) = self.paths.get(leaf.path as usize) {
                self.leaf_hits(idx, &leaf.value, &mut sc, buf);
            }
        }
        // Per present path: exists hits, and branches that are a lone anything-but.
        let presence = buf.present.iter().copied().chain(
            buf.leaves
                .iter()
                .filter(|_| buf.attribute_count.is_none())
                .map(|l| l.path),
        );
        for p in presence {
            let Some(stamp) = sc.path_stamp.get_mut(p as usize) else {
                continue;
            };
            if *stamp == sc.epoch {
                continue;
            }
            *stamp = sc.epoch;
            let Some(idx) = self.paths.get(p as usize) else {
                continue;
            };
            if !idx.exists.is_empty() {
                self.hit_all(&idx.exists, &mut sc, buf);
            }
            for &b in &idx.negative_only {
                self.complete(b, &mut sc, buf);
            }
        }
        for &b in &self.always {
            self.complete(b, &mut sc, buf);
        }
        sc.out.sort_unstable();
        for &slot in &sc.out {
            if let Some(s) = self.slots.get(slot as usize) {
                f(&s.id);
            }
        }
        SCRATCH.with(|c| *c.borrow_mut() = sc);
    }

    #[inline]
    fn leaf_hits(&self, idx: &PathIndex, v: &LeafValue<'_>, sc: &mut Scratch, buf: &EventBuf<'_>) {
        match v {
            LeafValue::Str(s) => {
                if let Some(fs) = idx.exact_str.get(&**s) {
                    self.hit_all(fs, sc, buf);
                }
                let bytes = s.as_bytes();
                idx.prefix.prefixes(bytes, |fs| self.hit_all(fs, sc, buf));
                idx.suffix.suffixes(bytes, |fs| self.hit_all(fs, sc, buf));
                if idx.needs_fold() {
                    let folded = fold(s);
                    if let Some(fs) = idx.equals_folded.get(&*folded) {
                        self.hit_all(fs, sc, buf);
                    }
                    let fb = folded.as_bytes();
                    idx.prefix_folded
                        .prefixes(fb, |fs| self.hit_all(fs, sc, buf));
                    idx.suffix_folded
                        .suffixes(fb, |fs| self.hit_all(fs, sc, buf));
                }
                if !idx.cidr.is_empty() || !idx.cidr_blocks.is_empty() {
                    if let Some((v6, ip)) = parse_ip(s) {
                        for ((block_v6, bits), map) in &idx.cidr_blocks {
                            if *block_v6 == v6 {
                                if let Some(fs) = map.get(&network(v6, ip, *bits)) {
                                    self.hit_all(fs, sc, buf);
                                }
                            }
                        }
                        for (r, fs) in &idx.cidr {
                            if r.contains(v6, ip) {
                                self.hit_all(fs, sc, buf);
                            }
                        }
                    }
                }
                for (m, fs) in &idx.patterns {
                    if m.matches_value(v) {
                        self.hit_all(fs, sc, buf);
                    }
                }
            }
            LeafValue::Num(n) => {
                if let Some(fs) = idx.exact_num.get(&n.hash_key()) {
                    self.hit_all(fs, sc, buf);
                }
                if let Some(k) = n.key {
                    if !idx.ranges.ranges.is_empty() {
                        let tree = idx
                            .ranges
                            .tree
                            .get_or_init(|| RangeTree::build(&idx.ranges.ranges));
                        tree.stab(k, |ri| {
                            if let Some((_, fs)) = idx.ranges.ranges.get(ri as usize) {
                                self.hit_all(fs, sc, buf);
                            }
                        });
                    }
                }
            }
            LeafValue::True => self.hit_all(&idx.exact_true, sc, buf),
            LeafValue::False => self.hit_all(&idx.exact_false, sc, buf),
            LeafValue::Null => self.hit_all(&idx.exact_null, sc, buf),
        }
    }

    #[inline]
    fn hit_all(&self, branches: &[u32], sc: &mut Scratch, buf: &EventBuf<'_>) {
        for &b in branches {
            let bi = b as usize;
            if sc.branch_stamp[bi] == sc.epoch {
                continue;
            }
            sc.branch_stamp[bi] = sc.epoch;
            self.complete(b, sc, buf);
        }
    }

    fn complete(&self, b: u32, sc: &mut Scratch, buf: &EventBuf<'_>) {
        let info = &self.branches[b as usize];
        let slot = info.slot as usize;
        if sc.slot_stamp[slot] == sc.epoch || !self.slots[slot].alive {
            return;
        }
        let alone = info.fields.len() == 1 && info.anchor.is_some();
        if !alone && !self.verify(info, buf) {
            return;
        }
        sc.slot_stamp[slot] = sc.epoch;
        sc.out.push(info.slot);
    }

    /// Checks a branch whose anchor (if any) matched.
    fn verify(&self, info: &BranchInfo, buf: &EventBuf<'_>) -> bool {
        let exists_false_allowed = buf.attribute_count.is_none_or(|c| c > 0);
        let consistent = self.dialect.array_consistent() && buf.has_arrays && info.fields.len() > 1;
        if !consistent {
            // Field by field, without collecting.
            return info.fields.iter().enumerate().all(|(i, f)| {
                if Some(i) == info.anchor {
                    return true;
                }
                let values = buf.leaves.iter().filter(|l| l.path == f.path);
                let attr_array = values.clone().any(|l| l.attr_array);
                field_ok_values(
                    &f.matchers,
                    values.map(|l| &l.value),
                    buf.is_present(f.path),
                    attr_array,
                    exists_false_allowed,
                )
            });
        }
        let views: Vec<(&[Matcher], FieldView<'_, '_>)> = info
            .fields
            .iter()
            .map(|f| {
                let leaves: Vec<LeafRef<'_, '_>> = buf
                    .leaves
                    .iter()
                    .filter(|l| l.path == f.path)
                    .map(|l| LeafRef {
                        value: &l.value,
                        mem: buf.mem_of(l),
                    })
                    .collect();
                let attr_array = buf.leaves.iter().any(|l| l.path == f.path && l.attr_array);
                (
                    f.matchers.as_slice(),
                    FieldView {
                        leaves,
                        present: buf.is_present(f.path),
                        attr_array,
                    },
                )
            })
            .collect();
        branch_ok(&views, consistent, exists_false_allowed)
    }
}

/// How many branches an event is likely to reach through a field, were the branch indexed
/// under it (lower is better): the sizes of the index buckets its matchers would join (so a
/// value many branches already anchor on, like a region, is avoided in favour of a rarer one),
/// plus a bias by operator for what buckets do not show (a short prefix or a range matches
/// many values).
fn field_cost(idx: &PathIndex, matchers: &[Matcher]) -> usize {
    use super::value::Literal;
    let bucket = |v: Option<&Vec<u32>>| v.map_or(0, Vec::len);
    let len_bucket = |l: &LenIndex, key: &str| {
        l.by_len
            .iter()
            .find(|(n, _)| *n == key.len())
            .map_or(0, |(_, m)| bucket(m.get(key.as_bytes())))
    };
    matchers
        .iter()
        .map(|m| {
            let (size, bias) = match m {
                Matcher::Exact(Literal::Str(s)) => (bucket(idx.exact_str.get(s)), 0),
                Matcher::Exact(Literal::Num(n)) => (bucket(idx.exact_num.get(&n.hash_key())), 0),
                Matcher::Exact(Literal::True) => (idx.exact_true.len(), 64),
                Matcher::Exact(Literal::False) => (idx.exact_false.len(), 64),
                Matcher::Exact(Literal::Null) => (idx.exact_null.len(), 64),
                Matcher::EqualsIgnoreCase(s) => (bucket(idx.equals_folded.get(s)), 0),
                Matcher::Prefix(p) => (len_bucket(&idx.prefix, p), short(p)),
                Matcher::Suffix(p) => (len_bucket(&idx.suffix, p), short(p)),
                Matcher::PrefixIgnoreCase(p) => (len_bucket(&idx.prefix_folded, p), short(p)),
                Matcher::SuffixIgnoreCase(p) => (len_bucket(&idx.suffix_folded, p), short(p)),
                Matcher::Cidr(r) if r.aligned() => (
                    idx.cidr_blocks
                        .iter()
                        .find(|(k, _)| *k == (r.v6, r.bits))
                        .map_or(0, |(_, m)| bucket(m.get(&r.lo))),
                    8,
                ),
                Matcher::Cidr(_) => (idx.cidr.iter().map(|(_, v)| v.len()).sum(), 8),
                Matcher::Wildcard(_) | Matcher::Regexp(_) => {
                    (idx.patterns.iter().map(|(_, v)| v.len()).sum(), 32)
                }
                Matcher::Numeric(_) => (idx.ranges.ranges.iter().map(|(_, v)| v.len()).sum(), 64),
                _ => (idx.exists.len(), 128),
            };
            size * 8 + bias
        })
        .sum()
}

fn short(p: &str) -> usize {
    if p.len() >= 4 { 4 } else { 64 }
}

/// Files branch `branch` under matcher `m` of its anchor field.
fn index_matcher(idx: &mut PathIndex, m: &Matcher, branch: u32) {
    use super::value::Literal;
    match m {
        Matcher::Exact(Literal::Str(s)) => idx.exact_str.entry(s.clone()).or_default().push(branch),
        Matcher::Exact(Literal::Num(n)) => {
            idx.exact_num.entry(n.hash_key()).or_default().push(branch)
        }
        Matcher::Exact(Literal::True) => idx.exact_true.push(branch),
        Matcher::Exact(Literal::False) => idx.exact_false.push(branch),
        Matcher::Exact(Literal::Null) => idx.exact_null.push(branch),
        Matcher::Prefix(p) => idx.prefix.insert(p.as_bytes(), branch),
        Matcher::Suffix(p) => idx.suffix.insert(p.as_bytes(), branch),
        Matcher::PrefixIgnoreCase(p) => idx.prefix_folded.insert(p.as_bytes(), branch),
        Matcher::SuffixIgnoreCase(p) => idx.suffix_folded.insert(p.as_bytes(), branch),
        Matcher::EqualsIgnoreCase(p) => {
            idx.equals_folded.entry(p.clone()).or_default().push(branch)
        }
        Matcher::Numeric(r) => idx.ranges.insert(*r, branch),
        Matcher::Cidr(r) if r.aligned() => {
            let key = (r.v6, r.bits);
            let at = match idx.cidr_blocks.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    idx.cidr_blocks.push((key, FxMap::default()));
                    idx.cidr_blocks.len() - 1
                }
            };
            idx.cidr_blocks[at].1.entry(r.lo).or_default().push(branch);
        }
        Matcher::Cidr(r) => match idx.cidr.iter_mut().find(|(x, _)| x == r) {
            Some((_, fs)) => fs.push(branch),
            None => idx.cidr.push((*r, vec![branch])),
        },
        Matcher::Wildcard(_) | Matcher::Regexp(_) => {
            match idx.patterns.iter_mut().find(|(x, _)| x == m) {
                Some((_, fs)) => fs.push(branch),
                None => idx.patterns.push((m.clone(), vec![branch])),
            }
        }
        Matcher::Exists(true) => idx.exists.push(branch),
        // Not indexed: fields holding these are checked on completion.
        Matcher::Exists(false) | Matcher::AnythingBut(_) => {}
    }
}

/// The filters of one SNS topic: policies of both scopes, matched against a message's
/// attributes or body as each policy's scope says.
///
/// ```
/// use aws_lite_pubsub::filter::{AttributeValue, Dialect, FilterPolicyScope, Policy, TopicFilter};
///
/// let mut topic = TopicFilter::new();
/// topic.insert(1, Policy::parse(
///     r#"{"kind": ["order"]}"#,
///     Dialect::Sns(FilterPolicyScope::MessageAttributes),
/// )?)?;
/// topic.insert(2, Policy::parse(
///     r#"{"order": {"total": [{"numeric": [">", 100]}]}}"#,
///     Dialect::Sns(FilterPolicyScope::MessageBody),
/// )?)?;
/// let attrs = [("kind", AttributeValue::String("order"))];
/// assert_eq!(topic.matches(attrs, r#"{"order": {"total": 250}}"#), vec![1, 2]);
/// assert_eq!(topic.matches([], "not json"), Vec::<i32>::new());
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Debug)]
pub struct TopicFilter<K> {
    attributes: FilterSet<K>,
    body: FilterSet<K>,
}

impl<K: Clone + Eq + Hash + Ord> Default for TopicFilter<K> {
    fn default() -> Self {
        TopicFilter::new()
    }
}

impl<K: Clone + Eq + Hash + Ord> TopicFilter<K> {
    /// No policies.
    pub fn new() -> TopicFilter<K> {
        TopicFilter {
            attributes: FilterSet::new(Dialect::Sns(FilterPolicyScope::MessageAttributes)),
            body: FilterSet::new(Dialect::Sns(FilterPolicyScope::MessageBody)),
        }
    }

    /// Adds (or replaces) the policy of subscription `id`.
    ///
    /// # Errors
    ///
    /// `InvalidParameter` when the policy is not an SNS policy.
    pub fn insert(&mut self, id: K, policy: Policy) -> Result<(), Error> {
        self.attributes.remove(&id);
        self.body.remove(&id);
        match policy.dialect() {
            Dialect::Sns(FilterPolicyScope::MessageAttributes) => {
                self.attributes.insert(id, policy)
            }
            Dialect::Sns(FilterPolicyScope::MessageBody) => self.body.insert(id, policy),
            other => Err(Error::validation(
                INVALID_PARAMETER,
                format!("a {other:?} policy is not an SNS filter policy"),
            )),
        }
    }

    /// Removes the policy of subscription `id`.
    pub fn remove(&mut self, id: &K) -> Option<Policy> {
        self.attributes.remove(id).or_else(|| self.body.remove(id))
    }

    /// How many policies the topic holds.
    pub fn len(&self) -> usize {
        self.attributes.len() + self.body.len()
    }

    /// Whether the topic holds no policy.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The subscriptions whose policy a message matches, sorted. The body is scanned only when
    /// some policy has scope `MessageBody`.
    pub fn matches<'a, I>(&self, attributes: I, body: &str) -> Vec<K>
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let mut out = self.attributes.matches_attributes(attributes);
        if !self.body.is_empty() {
            out.extend(self.body.matches_str(body));
        }
        out.sort();
        out
    }
}
