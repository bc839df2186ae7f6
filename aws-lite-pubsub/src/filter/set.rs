//! Many policies compiled into one index, so one event is matched against all of them at once.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::OnceLock;

use aws_lite_core::Error;
use serde_json::Value;

use super::error::INVALID_PARAMETER;
use super::event::{AttributeValue, EventBuf, FxMap, Leaf, PathTrie, Spare};
use super::policy::{FieldView, LeafRef, Policy, branch_ok, field_ok_values};
use super::table::{self, AffixIndex, StrTable};
use super::value::{IpRange, LeafValue, Matcher, NumHash, NumRange, fold, network, parse_ip};
use super::{Dialect, Event, FilterPolicyScope};

/// Many policies of one [`Dialect`], compiled into one index.
///
/// Each `$or` branch of each policy is indexed under one field, its *anchor*: the field likely
/// to reach the fewest branches, judged by how many of the set's branches name the same value
/// at the same path (a value many branches share, like a region, loses to a rarer one such as
/// a customer id) and by operator (a short prefix, a numeric range or `exists` matches many
/// values). Anchors are chosen again, with every branch known, each time the number of
/// branches doubles (from 32), so early choices made with little known do not last.
///
/// Matching an event flattens it once into (path, value) leaves, keeping only the paths some
/// policy uses (JSON text is scanned in place: keys are looked up in a trie of the policies'
/// paths as they are read, strings without escapes are borrowed, numbers are decoded only at
/// used paths, and everything else is skipped); looks each value up in the per-path indexes
/// (hash tables for exact strings, numbers and case-folded strings, one table per path for
/// prefixes and one for suffixes probed with hashes of all the value's prefixes or suffixes
/// from one pass, a segment tree for numeric ranges, a hash map per mask length for CIDR
/// blocks); and checks the other fields (and EventBridge array consistency) only for the
/// branches whose anchor matched. The cost grows with the event's size and the number of
/// anchors it hits, not with the number of policies; a thread's scratch buffers are reused
/// from one event to the next.
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
    /// How many live branches name each (path, value) (or each path, for conditions without
    /// a value to file under): how many branches an event with that value would reach, were
    /// they all anchored there.
    mentions: FxMap<(u32, Mention), u32>,
    /// The branch count at which anchors are chosen again.
    reanchor_at: usize,
}

/// What a positive condition would be filed under, for [`FilterSet::mentions`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Mention {
    Str(StrKind, Box<str>),
    Num(NumHash),
    /// `true`, `false` or `null`.
    Word(u8),
    /// An aligned CIDR block: (IPv6, mask bits, network).
    Block(bool, u8, u128),
    /// A condition with nothing to file under.
    Kind(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum StrKind {
    Exact,
    Folded,
    Prefix,
    Suffix,
    PrefixFolded,
    SuffixFolded,
}

impl Mention {
    /// What `m` would be filed under, and the bias of its kind: how many values it is
    /// likely to match beyond what the counts show (a short prefix or a range matches many).
    fn of(m: &Matcher) -> Option<(Mention, usize)> {
        use super::value::Literal;
        let s = |k: StrKind, v: &str| Mention::Str(k, v.into());
        Some(match m {
            Matcher::Exact(Literal::Str(v)) => (s(StrKind::Exact, v), 0),
            Matcher::Exact(Literal::Num(n)) => (Mention::Num(n.hash_key()), 0),
            Matcher::Exact(Literal::True) => (Mention::Word(0), 64),
            Matcher::Exact(Literal::False) => (Mention::Word(1), 64),
            Matcher::Exact(Literal::Null) => (Mention::Word(2), 64),
            Matcher::EqualsIgnoreCase(v) => (s(StrKind::Folded, v), 0),
            Matcher::Prefix(p) => (s(StrKind::Prefix, p), short(p)),
            Matcher::Suffix(p) => (s(StrKind::Suffix, p), short(p)),
            Matcher::PrefixIgnoreCase(p) => (s(StrKind::PrefixFolded, p), short(p)),
            Matcher::SuffixIgnoreCase(p) => (s(StrKind::SuffixFolded, p), short(p)),
            Matcher::Cidr(r) if r.aligned() => (Mention::Block(r.v6, r.bits, r.lo), 8),
            Matcher::Cidr(_) => (Mention::Kind(0), 8),
            Matcher::Wildcard(_) | Matcher::Regexp(_) => (Mention::Kind(1), 32),
            Matcher::Numeric(_) => (Mention::Kind(2), 64),
            Matcher::Exists(true) => (Mention::Kind(3), 128),
            Matcher::Exists(false) | Matcher::AnythingBut(_) => return None,
        })
    }
}

/// The first branch count at which anchors are chosen again (then at each doubling).
const FIRST_REANCHOR: usize = 32;

#[derive(Debug)]
struct Slot<K> {
    id: K,
    policy: Policy,
    alive: bool,
    /// The policy's branches (consecutive ids).
    branches: std::ops::Range<u32>,
}

#[derive(Debug)]
struct BranchInfo {
    slot: u32,
    /// Whether the branch's policy is still in the set (kept here, beside what matching
    /// reads, so that a candidate costs one memory access).
    alive: bool,
    /// The branch is its anchor alone: the anchor's hit decides it.
    alone: bool,
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
    /// Which of the indexes below hold something ([`PathIndex::STRINGS`] and the like), so
    /// that a value skips the empty ones at once.
    kinds: u8,
    exact_str: StrTable,
    exact_num: FxMap<NumHash, Vec<u32>>,
    exact_true: Vec<u32>,
    exact_false: Vec<u32>,
    exact_null: Vec<u32>,
    prefix: AffixIndex,
    suffix: AffixIndex,
    prefix_folded: AffixIndex,
    suffix_folded: AffixIndex,
    equals_folded: StrTable,
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
    /// Exact, affix or case-folded strings.
    const STRINGS: u8 = 1;
    /// Case-folded strings.
    const FOLDED: u8 = 2;
    /// CIDR blocks and ranges.
    const CIDR: u8 = 4;
    /// Wildcards and regexps.
    const PATTERNS: u8 = 8;
    /// Exact numbers and numeric ranges.
    const NUMBERS: u8 = 16;
    /// `exists` and lone anything-but branches: the path's presence decides.
    const PRESENCE: u8 = 32;

    #[inline]
    fn has(&self, kinds: u8) -> bool {
        self.kinds & kinds != 0
    }
}

/// Per-thread scratch space: epoch stamps instead of clearing.
#[derive(Debug, Default)]
struct Scratch {
    epoch: u32,
    branch_stamp: Vec<u32>,
    slot_stamp: Vec<u32>,
    out: Vec<u32>,
    /// Per path: (epoch, first leaf, last leaf) of the current event's leaves at that path.
    at_path: Vec<(u32, u32, u32)>,
    /// Per leaf of the current event: the next leaf at the same path ([`NO_LEAF`] at the end).
    next_leaf: Vec<u32>,
    /// The paths of the current event's leaves, each once.
    leaf_paths: Vec<u32>,
    /// The buffers events are flattened into.
    spare: Spare,
}

/// The end of a chain of [`Scratch::next_leaf`].
const NO_LEAF: u32 = u32::MAX;

/// The leaves of one path, in event order.
#[derive(Clone)]
struct LeavesAt<'x, 'a> {
    leaves: &'x [Leaf<'a>],
    next: &'x [u32],
    cur: u32,
}

impl<'x, 'a> Iterator for LeavesAt<'x, 'a> {
    type Item = &'x Leaf<'a>;

    #[inline]
    fn next(&mut self) -> Option<&'x Leaf<'a>> {
        let i = self.cur as usize;
        let leaf = self.leaves.get(i)?;
        self.cur = self.next.get(i).copied().unwrap_or(NO_LEAF);
        Some(leaf)
    }
}

impl Scratch {
    fn begin(&mut self, paths: usize, branches: usize, slots: usize) {
        if self.branch_stamp.len() < branches {
            self.branch_stamp.resize(branches, 0);
        }
        if self.slot_stamp.len() < slots {
            self.slot_stamp.resize(slots, 0);
        }
        if self.at_path.len() < paths {
            self.at_path.resize(paths, (0, NO_LEAF, NO_LEAF));
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.branch_stamp.iter_mut().for_each(|x| *x = 0);
            self.slot_stamp.iter_mut().for_each(|x| *x = 0);
            self.at_path.iter_mut().for_each(|x| x.0 = 0);
            self.epoch = 1;
        }
        self.out.clear();
    }

    /// Chains the event's leaves by path.
    fn group(&mut self, leaves: &[Leaf<'_>]) {
        self.next_leaf.clear();
        self.next_leaf.resize(leaves.len(), NO_LEAF);
        self.leaf_paths.clear();
        for (i, leaf) in leaves.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(NO_LEAF);
            let Some(e) = self.at_path.get_mut(leaf.path as usize) else {
                continue;
            };
            if e.0 == self.epoch {
                if let Some(n) = self.next_leaf.get_mut(e.2 as usize) {
                    *n = i;
                }
                e.2 = i;
            } else {
                *e = (self.epoch, i, i);
                self.leaf_paths.push(leaf.path);
            }
        }
    }

    /// The current event's leaves at `path`.
    #[inline]
    fn leaves_at<'x, 'a>(&'x self, buf: &'x EventBuf<'a>, path: u32) -> LeavesAt<'x, 'a> {
        let cur = match self.at_path.get(path as usize) {
            Some(&(epoch, first, _)) if epoch == self.epoch => first,
            _ => NO_LEAF,
        };
        LeavesAt {
            leaves: &buf.leaves,
            next: &self.next_leaf,
            cur,
        }
    }

    /// Whether `path` is present in the current event.
    #[inline]
    fn is_present(&self, buf: &EventBuf<'_>, path: u32) -> bool {
        if buf.attribute_count.is_some() {
            buf.present.contains(&path)
        } else {
            self.at_path
                .get(path as usize)
                .is_some_and(|e| e.0 == self.epoch)
        }
    }
}

thread_local! {
    /// The thread's scratch space, taken out while an event is matched (a matching started
    /// from a callback meanwhile gets a new one).
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

fn take_scratch() -> Box<Scratch> {
    SCRATCH
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn put_scratch(sc: Box<Scratch>) {
    // Past the thread's teardown the scratch space is simply dropped.
    let _ = SCRATCH.try_with(|c| c.set(Some(sc)));
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
            mentions: FxMap::default(),
            reanchor_at: FIRST_REANCHOR,
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
        let first = u32::try_from(self.branches.len()).unwrap_or(u32::MAX);
        for branch in &policy.branches {
            self.add_branch(slot, &branch.fields);
        }
        let end = u32::try_from(self.branches.len()).unwrap_or(u32::MAX);
        if self.branches.len() >= self.reanchor_at {
            self.reanchor();
            self.reanchor_at = self.branches.len().saturating_mul(2);
        }
        self.by_id.insert(id.clone(), slot);
        self.slots.push(Slot {
            id,
            policy,
            alive: true,
            branches: first..end,
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
        for b in s.branches.clone() {
            if let Some(info) = self.branches.get_mut(b as usize) {
                info.alive = false;
                for f in &info.fields {
                    count_mentions(&mut self.mentions, f, false);
                }
            }
        }
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
        for f in &set_fields {
            count_mentions(&mut self.mentions, f, true);
        }
        self.branches.push(BranchInfo {
            slot,
            alive: true,
            alone: false,
            anchor: None,
            fields: set_fields,
        });
        self.file(b);
    }

    /// Chooses branch `b`'s anchor, the positive field likely to reach the fewest branches
    /// (by [`FilterSet::mentions`]), and files the branch under it.
    fn file(&mut self, b: u32) {
        let Some(info) = self.branches.get(b as usize) else {
            return;
        };
        let anchor = info
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.matchers.iter().all(Matcher::is_positive))
            .min_by_key(|(_, f)| self.field_cost(f))
            .map(|(i, _)| i);
        let fields = &info.fields;
        match anchor {
            Some(a) => {
                let idx = &mut self.paths[fields[a].path as usize];
                for m in &fields[a].matchers {
                    index_matcher(idx, m, b);
                }
            }
            None => {
                let only_anything_but = fields.len() == 1
                    && fields[0]
                        .matchers
                        .iter()
                        .all(|m| matches!(m, Matcher::AnythingBut(_)));
                if only_anything_but {
                    let idx = &mut self.paths[fields[0].path as usize];
                    idx.negative_only.push(b);
                    idx.kinds |= PathIndex::PRESENCE;
                } else {
                    self.always.push(b);
                }
            }
        }
        let info = &mut self.branches[b as usize];
        info.alone = info.fields.len() == 1 && anchor.is_some();
        info.anchor = anchor;
    }

    /// How many branches an event is likely to reach through a field, were the branch
    /// anchored there (lower is better): how many live branches name each of its values at
    /// that path (so a value many branches share, like a region, loses to a rarer one, like a
    /// customer id), plus a bias by operator for what counts do not show.
    fn field_cost(&self, f: &SetField) -> usize {
        f.matchers
            .iter()
            .filter_map(Mention::of)
            .map(|(key, bias)| {
                let n = self.mentions.get(&(f.path, key)).copied().unwrap_or(0);
                n as usize * 8 + bias
            })
            .sum()
    }

    /// Chooses every live branch's anchor again with the counts of all branches known (a
    /// branch inserted early chose with few known), and drops removed branches from the
    /// indexes. Run at each doubling of the branch count, so its cost per insertion is
    /// constant.
    fn reanchor(&mut self) {
        for idx in &mut self.paths {
            *idx = PathIndex::default();
        }
        self.always.clear();
        for b in 0..self.branches.len() {
            if self.branches[b].alive {
                self.file(u32::try_from(b).unwrap_or(u32::MAX));
            }
        }
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
    /// text is scanned once, without building a tree, skipping the parts no policy uses; text
    /// that is not a JSON object matches nothing.
    ///
    /// The object's structure and the values at the paths policies use are parsed (an error
    /// there matches nothing); values no policy uses are only checked for terminated strings
    /// and balanced brackets, and what follows the object is not read. A key that appears twice in an object gives both its
    /// values, as an array would (`serde_json`, and so [`Policy::matches_str`], keeps the last).
    pub fn matches_str(&self, text: &str) -> Vec<K> {
        let mut out = Vec::new();
        self.for_each_match_str(text, |k| out.push(k.clone()));
        out
    }

    fn for_each_match_attributes<'a, I>(&self, attributes: I, f: impl FnMut(&K))
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let sem = self.dialect.number_semantics();
        self.with_event(
            |buf| {
                buf.flatten_attributes(&self.trie, sem, attributes);
                true
            },
            f,
        );
    }

    fn for_each_match_json(&self, document: &Value, f: impl FnMut(&K)) {
        let sem = self.dialect.number_semantics();
        self.with_event(|buf| buf.flatten_value(&self.trie, sem, document), f);
    }

    fn for_each_match_str(&self, text: &str, f: impl FnMut(&K)) {
        let sem = self.dialect.number_semantics();
        self.with_event(|buf| buf.flatten_text(&self.trie, sem, text), f);
    }

    /// Flattens an event with `flatten` (which says whether the event can match at all) on the
    /// thread's scratch buffers, matches it, then calls `f` with each matching id.
    #[inline]
    fn with_event<'a>(
        &self,
        flatten: impl FnOnce(&mut EventBuf<'a>) -> bool,
        mut f: impl FnMut(&K),
    ) {
        let mut sc = take_scratch();
        sc.out.clear();
        let mut buf = EventBuf::from_spare(&mut sc.spare);
        if flatten(&mut buf) {
            self.run(&buf, &mut sc);
        }
        buf.into_spare(&mut sc.spare);
        for &slot in &sc.out {
            if let Some(s) = self.slots.get(slot as usize) {
                f(&s.id);
            }
        }
        put_scratch(sc);
    }

    /// Leaves the slots of the policies `buf` matches in `sc.out`, ascending.
    fn run(&self, buf: &EventBuf<'_>, sc: &mut Scratch) {
        if self.live == 0 {
            return;
        }
        sc.begin(self.paths.len(), self.branches.len(), self.slots.len());
        sc.group(&buf.leaves);
        for leaf in &buf.leaves {
            if let Some(idx) = self.paths.get(leaf.path as usize) {
                self.leaf_hits(idx, &leaf.value, sc, buf);
            }
        }
        // Per present path: exists hits, and branches that are a lone anything-but. The
        // paths of an attribute event are its attributes' (with or without a value); those of
        // a JSON event, its leaves'.
        let leaf_paths = std::mem::take(&mut sc.leaf_paths);
        let present = if buf.attribute_count.is_some() {
            &buf.present
        } else {
            &leaf_paths
        };
        for &p in present {
            let Some(idx) = self
                .paths
                .get(p as usize)
                .filter(|i| i.has(PathIndex::PRESENCE))
            else {
                continue;
            };
            if !idx.exists.is_empty() {
                self.hit_all(&idx.exists, sc, buf);
            }
            for &b in &idx.negative_only {
                self.complete(b, sc, buf);
            }
        }
        sc.leaf_paths = leaf_paths;
        for &b in &self.always {
            self.complete(b, sc, buf);
        }
        sc.out.sort_unstable();
    }

    #[inline]
    fn leaf_hits(&self, idx: &PathIndex, v: &LeafValue<'_>, sc: &mut Scratch, buf: &EventBuf<'_>) {
        match v {
            LeafValue::Str(s) => {
                if !idx.has(PathIndex::STRINGS | PathIndex::CIDR | PathIndex::PATTERNS) {
                    return;
                }
                let bytes = s.as_bytes();
                // The value's hash, shared by the exact and (for a value already in lower
                // case) the case-folded table.
                let mut whole = None;
                if !idx.exact_str.is_empty() {
                    let h = table::hash(bytes);
                    whole = Some(h);
                    if let Some(fs) = idx.exact_str.get(h, bytes) {
                        self.hit_all(fs, sc, buf);
                    }
                }
                idx.prefix.prefixes(bytes, |fs| self.hit_all(fs, sc, buf));
                idx.suffix.suffixes(bytes, |fs| self.hit_all(fs, sc, buf));
                if idx.has(PathIndex::FOLDED) {
                    let folded = fold(s);
                    let fb = folded.as_bytes();
                    if !idx.equals_folded.is_empty() {
                        let h = match (&folded, whole) {
                            (Cow::Borrowed(_), Some(h)) => h,
                            _ => table::hash(fb),
                        };
                        if let Some(fs) = idx.equals_folded.get(h, fb) {
                            self.hit_all(fs, sc, buf);
                        }
                    }
                    idx.prefix_folded
                        .prefixes(fb, |fs| self.hit_all(fs, sc, buf));
                    idx.suffix_folded
                        .suffixes(fb, |fs| self.hit_all(fs, sc, buf));
                }
                if idx.has(PathIndex::CIDR) {
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
                if idx.has(PathIndex::PATTERNS) {
                    for (m, fs) in &idx.patterns {
                        if m.matches_value(v) {
                            self.hit_all(fs, sc, buf);
                        }
                    }
                }
            }
            LeafValue::Num(n) => {
                if !idx.has(PathIndex::NUMBERS) {
                    return;
                }
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
        if !info.alive {
            return;
        }
        let slot = info.slot as usize;
        if sc.slot_stamp[slot] == sc.epoch {
            return;
        }
        if !info.alone && !self.verify(info, buf, sc) {
            return;
        }
        sc.slot_stamp[slot] = sc.epoch;
        sc.out.push(info.slot);
    }

    /// Checks a branch whose anchor (if any) matched.
    fn verify(&self, info: &BranchInfo, buf: &EventBuf<'_>, sc: &Scratch) -> bool {
        let exists_false_allowed = buf.attribute_count.is_none_or(|c| c > 0);
        let attributes = buf.attribute_count.is_some();
        let consistent = self.dialect.array_consistent() && buf.has_arrays && info.fields.len() > 1;
        if !consistent {
            // Field by field, without collecting.
            return info.fields.iter().enumerate().all(|(i, f)| {
                if Some(i) == info.anchor {
                    return true;
                }
                let values = sc.leaves_at(buf, f.path);
                let attr_array = attributes && values.clone().any(|l| l.attr_array);
                field_ok_values(
                    &f.matchers,
                    values.map(|l| &l.value),
                    sc.is_present(buf, f.path),
                    attr_array,
                    exists_false_allowed,
                )
            });
        }
        let views: Vec<(&[Matcher], FieldView<'_, '_>)> = info
            .fields
            .iter()
            .map(|f| {
                let leaves: Vec<LeafRef<'_, '_>> = sc
                    .leaves_at(buf, f.path)
                    .map(|l| LeafRef {
                        value: &l.value,
                        mem: buf.mem_of(l),
                    })
                    .collect();
                let attr_array = attributes && sc.leaves_at(buf, f.path).any(|l| l.attr_array);
                (
                    f.matchers.as_slice(),
                    FieldView {
                        leaves,
                        present: sc.is_present(buf, f.path),
                        attr_array,
                    },
                )
            })
            .collect();
        branch_ok(&views, consistent, exists_false_allowed)
    }
}

/// Adds (or, with `add` false, removes) the mentions of a field's positive conditions.
fn count_mentions(mentions: &mut FxMap<(u32, Mention), u32>, f: &SetField, add: bool) {
    if !f.matchers.iter().all(Matcher::is_positive) {
        return;
    }
    for (key, _) in f.matchers.iter().filter_map(Mention::of) {
        let k = (f.path, key);
        if add {
            *mentions.entry(k).or_default() += 1;
        } else if let Some(n) = mentions.get_mut(&k) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                mentions.remove(&k);
            }
        }
    }
}

fn short(p: &str) -> usize {
    if p.len() >= 4 { 4 } else { 64 }
}

/// Files branch `branch` under matcher `m` of its anchor field.
fn index_matcher(idx: &mut PathIndex, m: &Matcher, branch: u32) {
    use super::value::Literal;
    idx.kinds |= match m {
        Matcher::Exact(Literal::Str(_)) | Matcher::Prefix(_) | Matcher::Suffix(_) => {
            PathIndex::STRINGS
        }
        Matcher::PrefixIgnoreCase(_)
        | Matcher::SuffixIgnoreCase(_)
        | Matcher::EqualsIgnoreCase(_) => PathIndex::STRINGS | PathIndex::FOLDED,
        Matcher::Cidr(_) => PathIndex::CIDR,
        Matcher::Wildcard(_) | Matcher::Regexp(_) => PathIndex::PATTERNS,
        Matcher::Exact(Literal::Num(_)) | Matcher::Numeric(_) => PathIndex::NUMBERS,
        Matcher::Exists(true) => PathIndex::PRESENCE,
        _ => 0,
    };
    match m {
        Matcher::Exact(Literal::Str(s)) => {
            idx.exact_str
                .insert(table::hash(s.as_bytes()), s.as_bytes(), branch)
        }
        Matcher::Exact(Literal::Num(n)) => {
            idx.exact_num.entry(n.hash_key()).or_default().push(branch)
        }
        Matcher::Exact(Literal::True) => idx.exact_true.push(branch),
        Matcher::Exact(Literal::False) => idx.exact_false.push(branch),
        Matcher::Exact(Literal::Null) => idx.exact_null.push(branch),
        Matcher::Prefix(p) => idx.prefix.insert_prefix(p.as_bytes(), branch),
        Matcher::Suffix(p) => idx.suffix.insert_suffix(p.as_bytes(), branch),
        Matcher::PrefixIgnoreCase(p) => idx.prefix_folded.insert_prefix(p.as_bytes(), branch),
        Matcher::SuffixIgnoreCase(p) => idx.suffix_folded.insert_suffix(p.as_bytes(), branch),
        Matcher::EqualsIgnoreCase(p) => {
            idx.equals_folded
                .insert(table::hash(p.as_bytes()), p.as_bytes(), branch)
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
