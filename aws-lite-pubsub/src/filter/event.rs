//! Events: SNS message attributes, JSON documents, and their flattening into (path, value)
//! leaves restricted to the paths some pattern uses.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::Value;

use super::json::{decode_string, scan_number};
use super::value::{LeafValue, Num, NumberSemantics};

/// One SNS message attribute value, as a filter policy sees it.
///
/// SNS compares `String`, `String.Array` and `Number` attributes; `Binary` attributes are
/// ignored, as if they had not been sent.
///
/// ```
/// use aws_lite_pubsub::filter::AttributeValue;
///
/// assert_eq!(AttributeValue::new("String", "red"), AttributeValue::String("red"));
/// assert_eq!(AttributeValue::new("Number.float", "1.5"), AttributeValue::Number("1.5"));
/// assert_eq!(
///     AttributeValue::new("String.Array", r#"["a", "b"]"#),
///     AttributeValue::StringArray(r#"["a", "b"]"#)
/// );
/// assert_eq!(AttributeValue::new("Binary", "AAEC"), AttributeValue::Binary);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttributeValue<'a> {
    /// A `String` attribute (or a custom `String.x` type).
    String(&'a str),
    /// A `String.Array` attribute: a JSON array in text. Each element is matched on its own;
    /// a value that is not a JSON array matches nothing.
    StringArray(&'a str),
    /// A `Number` attribute (or a custom `Number.x` type), in text.
    Number(&'a str),
    /// A `Binary` attribute: never matched.
    Binary,
}

impl<'a> AttributeValue<'a> {
    /// The value of an attribute of SNS data type `data_type` (`String`, `String.Array`,
    /// `Number`, `Binary`, or a custom type such as `Number.float`) and string value `value`.
    pub fn new(data_type: &str, value: &'a str) -> AttributeValue<'a> {
        let is = |base: &str| {
            data_type.starts_with(base)
                && matches!(data_type.as_bytes().get(base.len()), None | Some(b'.'))
        };
        if data_type == "String.Array" {
            AttributeValue::StringArray(value)
        } else if is("Number") {
            AttributeValue::Number(value)
        } else if is("Binary") {
            AttributeValue::Binary
        } else {
            AttributeValue::String(value)
        }
    }
}

/// The Fx hash (as rustc uses): fast for short keys.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A hash map with the Fx hash.
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The paths patterns use, as a trie over dot-separated segments. A pattern path `a.b` and an
/// event key `a.b` (or key `a` holding an object with key `b`) reach the same node.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathTrie {
    nodes: Vec<TrieNode>,
}

#[derive(Debug, Clone, Default)]
struct TrieNode {
    children: Children,
    path: Option<u32>,
    /// Some child has children: a dotted key (`a.b`) may lead somewhere from here.
    deep: bool,
    /// Bit `min(n, 63)` is set when some child's key is `n` bytes long: most keys that lead
    /// nowhere are told by their length alone.
    lens: u64,
}

/// A node's children: a short list scanned linearly (faster than hashing for the few keys a
/// node usually has), or a hash map once there are many.
#[derive(Debug, Clone)]
enum Children {
    Few(Vec<FewChild>),
    Many(FxMap<Box<str>, u32>),
}

/// A child in a short list: its key's [`head`] decides equality for keys of up to eight
/// bytes without touching the key.
#[derive(Debug, Clone)]
struct FewChild {
    word: u64,
    len: usize,
    node: u32,
    key: Box<str>,
}

/// The bit of [`TrieNode::lens`] for keys of `len` bytes.
#[inline(always)]
fn len_bit(len: usize) -> u64 {
    1 << len.min(63)
}

/// A key's length and first eight bytes (zero-padded): equal for equal keys, and enough to
/// decide equality for keys of up to eight bytes.
#[inline]
fn head(key: &str) -> (usize, u64) {
    (key.len(), head_bytes(key.as_bytes()))
}

/// The first eight bytes of `b`, zero-padded, as a little-endian word.
#[inline]
fn head_bytes(b: &[u8]) -> u64 {
    match b.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => {
            let mut w = 0u64;
            for (i, &c) in b.iter().enumerate() {
                w |= u64::from(c) << (8 * i);
            }
            w
        }
    }
}

impl Default for Children {
    fn default() -> Self {
        Children::Few(Vec::new())
    }
}

const FEW: usize = 8;

impl Children {
    #[inline]
    fn get(&self, key: &str) -> Option<u32> {
        self.get_head(key, head(key))
    }

    /// [`Children::get`] with the key's [`head`] already known.
    #[inline(always)]
    fn get_head(&self, key: &str, (len, word): (usize, u64)) -> Option<u32> {
        match self {
            Children::Few(list) => {
                for c in list {
                    if c.word == word && c.len == len && (len <= 8 || *c.key == *key) {
                        return Some(c.node);
                    }
                }
                None
            }
            Children::Many(map) => map.get(key).copied(),
        }
    }

    fn insert(&mut self, key: &str, node: u32) {
        match self {
            Children::Few(list) if list.len() < FEW => {
                let (len, word) = head(key);
                list.push(FewChild {
                    word,
                    len,
                    node,
                    key: key.into(),
                });
            }
            Children::Few(list) => {
                let mut map: FxMap<Box<str>, u32> =
                    list.drain(..).map(|c| (c.key, c.node)).collect();
                map.insert(key.into(), node);
                *self = Children::Many(map);
            }
            Children::Many(map) => {
                map.insert(key.into(), node);
            }
        }
    }
}

impl PathTrie {
    pub(crate) fn new() -> PathTrie {
        PathTrie {
            nodes: vec![TrieNode::default()],
        }
    }

    /// The node for `path`, created if needed.
    pub(crate) fn node_for(&mut self, path: &str) -> usize {
        let mut node = 0usize;
        let mut parent: Option<usize> = None;
        for seg in path.split('.') {
            let next = match self.nodes[node].children.get(seg) {
                Some(n) => n as usize,
                None => {
                    let n = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node]
                        .children
                        .insert(seg, u32::try_from(n).unwrap_or(u32::MAX));
                    self.nodes[node].lens |= len_bit(seg.len());
                    if let Some(p) = parent {
                        self.nodes[p].deep = true;
                    }
                    n
                }
            };
            parent = Some(node);
            node = next;
        }
        node
    }

    /// The path id at `path`, assigning `next_id` when the path is new.
    pub(crate) fn intern(&mut self, path: &str, next_id: u32) -> u32 {
        let node = self.node_for(path);
        *self.nodes[node].path.get_or_insert(next_id)
    }

    #[inline]
    fn walk_key(&self, node: u32, key: &str) -> Option<u32> {
        let mut n = node;
        if !key.contains('.') {
            return self.nodes[n as usize].children.get(key);
        }
        for seg in key.split('.') {
            n = self.nodes[n as usize].children.get(seg)?;
        }
        Some(n)
    }

    #[inline]
    fn path_of(&self, node: u32) -> Option<u32> {
        self.nodes[node as usize].path
    }
}

/// One leaf of a flattened event.
#[derive(Debug, Clone)]
pub(crate) struct Leaf<'a> {
    pub(crate) path: u32,
    pub(crate) value: LeafValue<'a>,
    /// The (array, index) pairs on the way to this leaf: a range of [`EventBuf::mem`].
    pub(crate) mem: (u32, u32),
    /// An element of a `String.Array` attribute.
    pub(crate) attr_array: bool,
}

/// A flattened event.
#[derive(Debug, Default)]
pub(crate) struct EventBuf<'a> {
    pub(crate) leaves: Vec<Leaf<'a>>,
    pub(crate) mem: Vec<(u64, u32)>,
    /// Attribute events: the paths of the attributes present (a path may have no leaf, when
    /// its value did not parse). JSON events leave it empty: a path is present when it has a
    /// leaf.
    pub(crate) present: Vec<u32>,
    /// Whether some leaf sits inside an array.
    pub(crate) has_arrays: bool,
    /// For attribute events: how many attributes (not counting `Binary` ones) the message has.
    pub(crate) attribute_count: Option<usize>,
    stack: Vec<(u64, u32)>,
    next_array: u64,
}

/// The buffers of an [`EventBuf`], kept between events (in a thread's scratch space) so that
/// flattening an event allocates nothing once they have grown.
#[derive(Debug, Default)]
pub(crate) struct Spare {
    leaves: Vec<Leaf<'static>>,
    mem: Vec<(u64, u32)>,
    present: Vec<u32>,
    stack: Vec<(u64, u32)>,
}

/// An emptied vector of leaves, as a vector of leaves of another lifetime. Collecting a
/// vector's iterator into a vector of a type of the same layout reuses the allocation (std's
/// in-place collection), so the buffer carries over; were it not to, this would only cost an
/// allocation.
#[allow(
    clippy::unnecessary_filter_map,
    reason = "the element type changes (its lifetime), which `filter` cannot do"
)]
fn relabel<'x, 'y>(mut v: Vec<Leaf<'x>>) -> Vec<Leaf<'y>> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl<'a> EventBuf<'a> {
    /// An empty event on `spare`'s buffers.
    pub(crate) fn from_spare(spare: &mut Spare) -> EventBuf<'a> {
        let mut mem = std::mem::take(&mut spare.mem);
        mem.clear();
        let mut present = std::mem::take(&mut spare.present);
        present.clear();
        let mut stack = std::mem::take(&mut spare.stack);
        stack.clear();
        EventBuf {
            leaves: relabel(std::mem::take(&mut spare.leaves)),
            mem,
            present,
            has_arrays: false,
            attribute_count: None,
            stack,
            next_array: 0,
        }
    }

    /// Gives the buffers back to `spare`.
    pub(crate) fn into_spare(self, spare: &mut Spare) {
        // A buffer grown by an unusually large event is let go rather than kept.
        const KEEP: usize = 4096;
        if self.leaves.capacity() <= KEEP {
            spare.leaves = relabel(self.leaves);
        }
        if self.mem.capacity() <= KEEP {
            spare.mem = self.mem;
        }
        if self.present.capacity() <= KEEP {
            spare.present = self.present;
        }
        if self.stack.capacity() <= KEEP {
            spare.stack = self.stack;
        }
    }

    #[inline(always)]
    fn push(&mut self, path: u32, value: LeafValue<'a>, attr_array: bool) {
        let start = self.mem.len() as u32;
        if !self.stack.is_empty() {
            self.mem.extend_from_slice(&self.stack);
            self.has_arrays = true;
        }
        if self.leaves.capacity() == 0 {
            self.leaves.reserve(16);
        }
        self.leaves.push(Leaf {
            path,
            value,
            mem: (start, self.mem.len() as u32),
            attr_array,
        });
    }

    /// The membership of a leaf.
    pub(crate) fn mem_of(&self, leaf: &Leaf<'_>) -> &[(u64, u32)] {
        self.mem
            .get(leaf.mem.0 as usize..leaf.mem.1 as usize)
            .unwrap_or(&[])
    }

    /// Flattens SNS message attributes.
    pub(crate) fn flatten_attributes<I>(&mut self, trie: &PathTrie, sem: NumberSemantics, attrs: I)
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let mut count = 0;
        for (name, value) in attrs {
            if value == AttributeValue::Binary {
                continue;
            }
            count += 1;
            let Some(path) = trie.walk_key(0, name).and_then(|n| trie.path_of(n)) else {
                continue;
            };
            if !self.present.contains(&path) {
                self.present.push(path);
            }
            match value {
                AttributeValue::String(s) => {
                    self.push(path, LeafValue::Str(Cow::Borrowed(s)), false)
                }
                AttributeValue::Number(t) => {
                    if let Some(n) = Num::parse(t, sem) {
                        self.push(path, LeafValue::Num(n), false);
                    }
                }
                AttributeValue::StringArray(t) => self.push_array_elements(path, sem, t),
                AttributeValue::Binary => {}
            }
        }
        self.attribute_count = Some(count);
    }

    /// The scalar elements of a `String.Array` attribute (a JSON array in text); nothing when
    /// the text is not a JSON array.
    fn push_array_elements(&mut self, path: u32, sem: NumberSemantics, text: &'a str) {
        let mut s = Scanner {
            src: text,
            b: text.as_bytes(),
            pos: 0,
        };
        let mut elements: Vec<LeafValue<'a>> = Vec::new();
        let ok = s.array_elements(sem, &mut elements).is_ok() && {
            s.ws();
            s.pos == s.b.len()
        };
        if ok {
            for v in elements {
                self.push(path, v, true);
            }
        }
    }

    /// Flattens a parsed JSON document. Returns `false` when it is not an object.
    pub(crate) fn flatten_value(
        &mut self,
        trie: &PathTrie,
        sem: NumberSemantics,
        v: &'a Value,
    ) -> bool {
        let Value::Object(map) = v else {
            return false;
        };
        for (k, child) in map {
            if let Some(n) = trie.walk_key(0, k) {
                self.walk_value(trie, sem, child, n);
            }
        }
        true
    }

    fn walk_value(&mut self, trie: &PathTrie, sem: NumberSemantics, v: &'a Value, node: u32) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if let Some(n) = trie.walk_key(node, k) {
                        self.walk_value(trie, sem, child, n);
                    }
                }
            }
            Value::Array(items) => {
                let id = self.next_array;
                self.next_array += 1;
                for (i, item) in items.iter().enumerate() {
                    self.stack.push((id, i as u32));
                    self.walk_value(trie, sem, item, node);
                    self.stack.pop();
                }
            }
            scalar => {
                if let Some(p) = trie.path_of(node) {
                    let value = match scalar {
                        Value::String(s) => LeafValue::Str(Cow::Borrowed(s.as_str())),
                        Value::Number(n) => match n.as_f64() {
                            Some(f) => LeafValue::Num(Num::new(f, sem)),
                            None => return,
                        },
                        Value::Bool(true) => LeafValue::True,
                        Value::Bool(false) => LeafValue::False,
                        _ => LeafValue::Null,
                    };
                    self.push(p, value, false);
                }
            }
        }
    }

    /// Flattens JSON text without building a tree: parts no pattern uses are skipped.
    /// Returns `false` when the text is not a JSON object.
    pub(crate) fn flatten_text(
        &mut self,
        trie: &PathTrie,
        sem: NumberSemantics,
        text: &'a str,
    ) -> bool {
        let b = text.as_bytes();
        let pos = skip_ws(b, 0);
        if b.get(pos) != Some(&b'{') {
            return false;
        }
        let mut s = TextScan {
            src: text,
            b,
            pos,
            trie,
            sem,
            out: self,
        };
        // What follows the object is not looked at.
        s.object(0, 0).is_ok()
    }
}

const MAX_NESTING: usize = 512;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const QUOTES: u64 = ONES * b'"' as u64;
const BACKSLASHES: u64 = ONES * b'\\' as u64;
/// `{` and `}` (and `[` and `]`) differ only in bits 1 and 2: with those bits cleared, both
/// become `{` & !6 (`y`, DEL, `Y` and `_` do too, which exact checks tell apart).
const CURLY: u64 = ONES * (b'{' & !6) as u64;
const SQUARE: u64 = ONES * (b'[' & !6) as u64;

/// The high bit of each byte of `x` that is zero, exact up to the lowest such byte (bytes
/// above it may be flagged falsely). No zero byte goes unflagged.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// The high bit of each byte of `x` below 0x20, under the same rules as [`zero_bytes`]: such
/// bytes borrow into their high bit when 0x20 is subtracted, and `!x` masks out bytes that
/// had it set.
#[inline(always)]
fn control_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES * 0x20) & !x & HIGHS
}

/// Eight bytes at `i`, when there are eight.
#[inline(always)]
fn word_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..)
        .and_then(<[u8]>::first_chunk::<8>)
        .map(|w| u64::from_le_bytes(*w))
}

/// The byte offset of the lowest flagged byte of a mask of high bits.
#[inline(always)]
fn lowest(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The first position at or after `from` holding `"`, `\\` or a control character (eight bytes
/// at a time).
#[inline(always)]
fn special(b: &[u8], from: usize) -> Option<usize> {
    // Most strings end within their first eight bytes.
    if let Some(x) = word_at(b, from) {
        let hits = special_bytes(x);
        if hits != 0 {
            return Some(from + lowest(hits));
        }
        return special_after(b, from + 8);
    }
    special_after(b, from)
}

/// The flags of `"`, `\\` and control characters in a word; the lowest is exact.
#[inline(always)]
fn special_bytes(x: u64) -> u64 {
    zero_bytes(x ^ QUOTES) | zero_bytes(x ^ BACKSLASHES) | control_bytes(x)
}

/// [`special`] past its first word.
#[inline]
fn special_after(b: &[u8], from: usize) -> Option<usize> {
    let mut chunks = b.get(from..)?.chunks_exact(8);
    let mut i = from;
    for c in &mut chunks {
        let x = c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
        let hits = special_bytes(x);
        if hits != 0 {
            // The lowest flag of each test is exact, so the lowest of all is.
            return Some(i + lowest(hits));
        }
        i += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|k| i + k)
}

/// The first position at or after `pos` that is not JSON whitespace.
#[inline(always)]
fn skip_ws(b: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        if c > b' ' || !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        pos += 1;
    }
    pos
}

/// Powers of ten that are exact doubles.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The value of a plain decimal (`-?digits(.digits)?`, at most 15 digits): the digits form
/// an exact double and so does the power of ten, so one division rounds correctly, giving what
/// `str::parse` gives. `None` for other forms (exponents, long mantissas).
#[inline]
fn plain_decimal(t: &[u8]) -> Option<f64> {
    let (neg, digits) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut m: u64 = 0;
    let mut dot = usize::MAX;
    for (i, &c) in digits.iter().enumerate() {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            m = m * 10 + u64::from(d);
        } else if c == b'.' && dot == usize::MAX && i > 0 {
            dot = i;
        } else {
            return None;
        }
    }
    let frac = if dot == usize::MAX {
        0
    } else {
        digits.len() - dot - 1
    };
    let count = digits.len() - usize::from(dot != usize::MAX);
    if count > 15 || (dot != usize::MAX && frac == 0) {
        return None;
    }
    // `m` < 1e15 < 2^53: exact.
    let v = m as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Parses a number's text as `str::parse` does, through [`plain_decimal`] when it can.
#[inline]
fn parse_f64(text: &str) -> Option<f64> {
    match plain_decimal(text.as_bytes()) {
        Some(f) => Some(f),
        None => text.parse().ok(),
    }
}

struct Scanner<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        self.pos = skip_ws(self.b, self.pos);
    }

    /// Reads a string starting at the opening quote; borrows when there are no escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<Cow<'a, str>, ()> {
        let start = self.pos + 1;
        let i = special(self.b, start).ok_or(())?;
        match self.b[i] {
            b'"' => {
                self.pos = i + 1;
                return self.src.get(start..i).map(Cow::Borrowed).ok_or(());
            }
            b'\\' => {}
            _ => return Err(()),
        }
        self.escaped_string(start)
    }

    /// [`Scanner::string`] for a string with escapes, from just past its opening quote.
    #[cold]
    fn escaped_string(&mut self, start: usize) -> Result<Cow<'a, str>, ()> {
        match decode_string(self.b, start) {
            Ok((s, end)) => {
                self.pos = end;
                Ok(Cow::Owned(s))
            }
            Err(_) => Err(()),
        }
    }

    /// Skips a string starting at the opening quote (escapes are stepped over, not checked).
    #[inline(always)]
    fn skip_string(&mut self) -> Result<(), ()> {
        let mut i = self.pos + 1;
        loop {
            i = special(self.b, i).ok_or(())?;
            match self.b[i] {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(());
                }
                b'\\' => i += 2,
                _ => return Err(()),
            }
        }
    }

    /// Skips an object or array starting at its bracket, to the bracket that closes it:
    /// brackets are balanced by count (of either kind) and strings stepped over (escapes
    /// included, control characters rejected); nothing else is checked.
    fn skip_container(&mut self) -> Result<(), ()> {
        let b = self.b;
        let mut level = 0usize;
        let mut i = self.pos;
        loop {
            let (mut hits, width) = match word_at(b, i) {
                Some(x) => {
                    let y = x & !(ONES * 6);
                    let hits =
                        zero_bytes(x ^ QUOTES) | zero_bytes(y ^ CURLY) | zero_bytes(y ^ SQUARE);
                    (hits, 8)
                }
                // The last few bytes, one at a time (every byte is checked).
                None if i < b.len() => (0x80, 1),
                None => return Err(()),
            };
            // Where to go on from: past this word, or past a string that starts in it.
            let mut next = i + width;
            while hits != 0 {
                let at = i + lowest(hits);
                hits &= hits - 1;
                match b[at] {
                    b'"' => {
                        next = skip_string_at(b, at)?;
                        break;
                    }
                    b'{' | b'[' => level += 1,
                    b'}' | b']' => {
                        level -= 1;
                        if level == 0 {
                            self.pos = at + 1;
                            return Ok(());
                        }
                    }
                    _ => {}
                }
            }
            i = next;
        }
    }

    /// Skips any value (see [`Scanner::skip_container`] for objects and arrays; other values
    /// run to the next delimiter and are not checked).
    #[inline]
    fn skip_value(&mut self, depth: usize) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        self.ws();
        match self.peek() {
            Some(b'"') => self.skip_string(),
            Some(b'{') | Some(b'[') => self.skip_container(),
            Some(_) => {
                let start = self.pos;
                while let Some(&c) = self.b.get(self.pos) {
                    if c == b',' || c == b'}' || c == b']' || c.is_ascii_whitespace() {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start { Err(()) } else { Ok(()) }
            }
            None => Err(()),
        }
    }

    /// Reads `[v, …]`, keeping scalar elements.
    fn array_elements(
        &mut self,
        sem: NumberSemantics,
        out: &mut Vec<LeafValue<'a>>,
    ) -> Result<(), ()> {
        self.ws();
        if self.b.get(self.pos) != Some(&b'[') {
            return Err(());
        }
        self.pos += 1;
        self.ws();
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            match self.b.get(self.pos) {
                Some(b'"') => out.push(LeafValue::Str(self.string()?)),
                Some(b'{') | Some(b'[') => self.skip_value(1)?,
                Some(b't') => self.word("true", LeafValue::True, out)?,
                Some(b'f') => self.word("false", LeafValue::False, out)?,
                Some(b'n') => self.word("null", LeafValue::Null, out)?,
                Some(_) => {
                    let start = self.pos;
                    let end = scan_number(self.b, start);
                    let text = self.src.get(start..end).ok_or(())?;
                    if !super::json::valid_number(text) {
                        return Err(());
                    }
                    self.pos = end;
                    let f: f64 = text.parse().map_err(|_| ())?;
                    if f.is_finite() {
                        out.push(LeafValue::Num(Num::new(f, sem)));
                    }
                }
                None => return Err(()),
            }
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    fn word(
        &mut self,
        word: &str,
        v: LeafValue<'a>,
        out: &mut Vec<LeafValue<'a>>,
    ) -> Result<(), ()> {
        if !self
            .b
            .get(self.pos..)
            .is_some_and(|r| r.starts_with(word.as_bytes()))
        {
            return Err(());
        }
        self.pos += word.len();
        out.push(v);
        Ok(())
    }
}

/// The first position at or after `from` holding `"`, `\\` or a control character, and
/// whether a `.` comes before it (for object keys).
#[inline(always)]
fn key_end(b: &[u8], from: usize) -> Option<(usize, bool)> {
    // Most keys end within their first eight bytes.
    if let Some(x) = word_at(b, from) {
        let hits = special_bytes(x);
        if hits != 0 {
            let at = lowest(hits);
            let dots = zero_bytes(x ^ DOTS);
            // The lowest dot flag is exact: a dot lies below `at` exactly when it does.
            return Some((from + at, dots != 0 && lowest(dots) < at));
        }
    }
    key_end_slow(b, from)
}

const DOTS: u64 = ONES * b'.' as u64;

/// [`key_end`] for keys of eight bytes or more, or near the end of the text.
#[inline]
fn key_end_slow(b: &[u8], from: usize) -> Option<(usize, bool)> {
    let mut chunks = b.get(from..)?.chunks_exact(8);
    let mut i = from;
    let mut dotted = false;
    for c in &mut chunks {
        let x = c.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w));
        let hits = special_bytes(x);
        let dots = zero_bytes(x ^ DOTS);
        if hits != 0 {
            let at = lowest(hits);
            // The lowest dot flag is exact: a dot lies below `at` exactly when it does.
            return Some((i + at, dotted || (dots != 0 && lowest(dots) < at)));
        }
        dotted |= dots != 0;
        i += 8;
    }
    for &c in chunks.remainder() {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return Some((i, dotted));
        }
        dotted |= c == b'.';
        i += 1;
    }
    None
}

/// `src[start..end]`, when those are character boundaries.
#[inline(always)]
fn substr(src: &str, start: usize, end: usize) -> Option<&str> {
    let (_, rest) = src.split_at_checked(start)?;
    let (s, _) = rest.split_at_checked(end.checked_sub(start)?)?;
    Some(s)
}

/// Skips a string starting at its opening quote at `pos` (escapes are stepped over, not
/// checked); the position after it.
#[inline(always)]
fn skip_string_at(b: &[u8], pos: usize) -> Result<usize, ()> {
    let mut i = pos + 1;
    loop {
        i = special(b, i).ok_or(())?;
        match b[i] {
            b'"' => return Ok(i + 1),
            b'\\' => i += 2,
            _ => return Err(()),
        }
    }
}

/// The flattening of JSON text: keys are looked up in the trie of pattern paths as they are
/// read, the values of the paths patterns use become leaves, and everything else is skipped
/// (checked only for balanced brackets and terminated strings).
struct TextScan<'a, 't> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    trie: &'t PathTrie,
    sem: NumberSemantics,
    out: &'t mut EventBuf<'a>,
}

impl<'a> TextScan<'a, '_> {
    fn scanner(&self) -> Scanner<'a> {
        Scanner {
            src: self.src,
            b: self.b,
            pos: self.pos,
        }
    }

    /// The trie node that the key between `start` and `end` (no escapes; `dotted` when it
    /// holds a dot) leads to from `node`.
    #[inline(always)]
    fn child(
        &self,
        n: &TrieNode,
        node: u32,
        start: usize,
        end: usize,
        dotted: bool,
    ) -> Option<u32> {
        let len = end - start;
        if n.lens & len_bit(len) == 0 {
            return self.dotted_child(node, start, end, dotted && n.deep);
        }
        let word = match word_at(self.b, start) {
            Some(w) if len < 8 => w & ((1u64 << (8 * len)) - 1),
            Some(w) => w,
            None => head_bytes(self.b.get(start..end)?),
        };
        match &n.children {
            Children::Few(list) => {
                for c in list {
                    if c.word == word
                        && c.len == len
                        && (len <= 8 || self.b.get(start..end) == Some(c.key.as_bytes()))
                    {
                        return Some(c.node);
                    }
                }
            }
            Children::Many(map) => {
                if let Some(&c) = self.src.get(start..end).and_then(|k| map.get(k)) {
                    return Some(c);
                }
            }
        }
        self.dotted_child(node, start, end, dotted && n.deep)
    }

    /// The node a key holding dots leads to, segment by segment (segments hold no dots, so
    /// only so can it match), when `walk` (the key has a dot and `node` grandchildren).
    #[inline(always)]
    fn dotted_child(&self, node: u32, start: usize, end: usize, walk: bool) -> Option<u32> {
        if !walk {
            return None;
        }
        self.src
            .get(start..end)
            .and_then(|k| self.trie.walk_key(node, k))
    }

    /// Reads a key with escapes (or a control character at `at`) from just past its opening
    /// quote; the node it leads to and the position after it.
    #[cold]
    fn escaped_key(&self, node: u32, start: usize, at: usize) -> Result<(Option<u32>, usize), ()> {
        if self.b.get(at) != Some(&b'\\') {
            return Err(());
        }
        let (key, end) = decode_string(self.b, start).map_err(|_| ())?;
        Ok((self.trie.walk_key(node, &key), end))
    }

    /// Reads the string at `pos` (its opening quote) as a leaf of path `path`; the position
    /// after it.
    #[inline(always)]
    fn string_leaf(&mut self, pos: usize, path: u32) -> Result<usize, ()> {
        let start = pos + 1;
        let end = special(self.b, start).ok_or(())?;
        if self.b[end] != b'"' {
            return self.escaped_leaf(start, end, path);
        }
        let s = substr(self.src, start, end).ok_or(())?;
        self.out.push(path, LeafValue::Str(Cow::Borrowed(s)), false);
        Ok(end + 1)
    }

    /// [`TextScan::string_leaf`] for a string with escapes (or a control character at `at`).
    #[cold]
    fn escaped_leaf(&mut self, start: usize, at: usize, path: u32) -> Result<usize, ()> {
        if self.b.get(at) != Some(&b'\\') {
            return Err(());
        }
        let (s, end) = decode_string(self.b, start).map_err(|_| ())?;
        self.out.push(path, LeafValue::Str(Cow::Owned(s)), false);
        Ok(end)
    }

    /// Skips the value at `self.pos` (not a string, which callers skip themselves).
    fn skip_other(&mut self) -> Result<(), ()> {
        let mut s = self.scanner();
        let r = s.skip_value(0);
        self.pos = s.pos;
        r
    }

    /// Reads an object (at its `{`) whose keys continue from trie node `node`.
    fn object(&mut self, node: u32, depth: usize) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        let b = self.b;
        let trie = self.trie;
        let tn = trie.nodes.get(node as usize).ok_or(())?;
        let mut pos = skip_ws(b, self.pos + 1);
        if b.get(pos) == Some(&b'}') {
            self.pos = pos + 1;
            return Ok(());
        }
        loop {
            // Compact JSON has no whitespace between tokens: each check tries without first.
            if b.get(pos) != Some(&b'"') {
                pos = skip_ws(b, pos);
                if b.get(pos) != Some(&b'"') {
                    return Err(());
                }
            }
            let start = pos + 1;
            let (end, dotted) = key_end(b, start).ok_or(())?;
            let child = if b[end] == b'"' {
                pos = end + 1;
                self.child(tn, node, start, end, dotted)
            } else {
                let (child, after) = self.escaped_key(node, start, end)?;
                pos = after;
                child
            };
            if b.get(pos) != Some(&b':') {
                pos = skip_ws(b, pos);
                if b.get(pos) != Some(&b':') {
                    return Err(());
                }
            }
            pos += 1;
            if b.get(pos).is_some_and(|&c| c <= b' ') {
                pos = skip_ws(b, pos);
            }
            // The value sits one level deeper.
            if depth + 1 > MAX_NESTING {
                return Err(());
            }
            match (child, b.get(pos)) {
                (Some(c), Some(b'"')) => {
                    pos = match self.trie.path_of(c) {
                        Some(p) => self.string_leaf(pos, p)?,
                        None => skip_string_at(b, pos)?,
                    };
                }
                (None, Some(b'"')) => pos = skip_string_at(b, pos)?,
                (Some(c), _) => {
                    self.pos = pos;
                    self.value(c, depth + 1)?;
                    pos = self.pos;
                }
                (None, _) => {
                    self.pos = pos;
                    self.skip_other()?;
                    pos = self.pos;
                }
            }
            let mut next = b.get(pos);
            if next.is_some_and(|&c| c <= b' ') {
                pos = skip_ws(b, pos);
                next = b.get(pos);
            }
            match next {
                Some(b',') => pos += 1,
                Some(b'}') => {
                    self.pos = pos + 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    /// Reads the value at `self.pos` (after whitespace), whose path is trie node `node`.
    fn value(&mut self, node: u32, depth: usize) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        let b = self.b;
        self.pos = skip_ws(b, self.pos);
        let path = self.trie.path_of(node);
        match b.get(self.pos) {
            Some(b'"') => {
                self.pos = match path {
                    Some(p) => self.string_leaf(self.pos, p)?,
                    None => skip_string_at(b, self.pos)?,
                };
                Ok(())
            }
            Some(b'{') => self.object(node, depth),
            Some(b'[') => self.array(node, depth),
            Some(b't') => self.literal("true", path, LeafValue::True),
            Some(b'f') => self.literal("false", path, LeafValue::False),
            Some(b'n') => self.literal("null", path, LeafValue::Null),
            Some(_) => {
                let start = self.pos;
                let end = scan_number(b, start);
                if end == start {
                    return Err(());
                }
                self.pos = end;
                if let Some(p) = path {
                    let text = substr(self.src, start, end).ok_or(())?;
                    let f = parse_f64(text).ok_or(())?;
                    if f.is_finite() {
                        self.out
                            .push(p, LeafValue::Num(Num::new(f, self.sem)), false);
                    }
                }
                Ok(())
            }
            None => Err(()),
        }
    }

    /// Reads an array (at its `[`) whose elements' path is trie node `node`, noting each
    /// element's index for array consistency.
    fn array(&mut self, node: u32, depth: usize) -> Result<(), ()> {
        let b = self.b;
        let id = self.out.next_array;
        self.out.next_array += 1;
        self.pos = skip_ws(b, self.pos + 1);
        if b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(());
        }
        let mut i = 0u32;
        loop {
            self.out.stack.push((id, i));
            let r = self.value(node, depth + 1);
            self.out.stack.pop();
            r?;
            i += 1;
            self.pos = skip_ws(b, self.pos);
            match b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    fn literal(&mut self, word: &str, path: Option<u32>, v: LeafValue<'a>) -> Result<(), ()> {
        if !self
            .b
            .get(self.pos..)
            .is_some_and(|r| r.starts_with(word.as_bytes()))
        {
            return Err(());
        }
        self.pos += word.len();
        if let Some(p) = path {
            self.out.push(p, v, false);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves of `text` for the given pattern paths, as (path, value) pairs, or `None`
    /// when the text does not flatten.
    fn flatten(paths: &[&str], text: &str) -> Option<Vec<(String, String)>> {
        let mut trie = PathTrie::new();
        for (i, p) in paths.iter().enumerate() {
            trie.intern(p, i as u32);
        }
        let mut buf = EventBuf::default();
        if !buf.flatten_text(&trie, NumberSemantics::EventBridge, text) {
            return None;
        }
        Some(
            buf.leaves
                .iter()
                .map(|l| {
                    let v = match &l.value {
                        LeafValue::Str(s) => format!("{s:?}"),
                        LeafValue::Num(n) => format!("{}", n.f),
                        LeafValue::True => "true".into(),
                        LeafValue::False => "false".into(),
                        LeafValue::Null => "null".into(),
                    };
                    (paths[l.path as usize].to_owned(), v)
                })
                .collect(),
        )
    }

    fn pairs(items: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            items
                .iter()
                .map(|(p, v)| ((*p).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn only_used_paths_become_leaves() {
        let text = r#"{"id": "x", "detail": {"state": "on", "n": [1, 2.5, {"deep": true}],
            "skipped": {"a": [1, "]}", {"b": "\"{"}]}}, "tail": null}"#;
        assert_eq!(
            flatten(&["detail.state", "detail.n", "detail.n.deep"], text),
            pairs(&[
                ("detail.state", "\"on\""),
                ("detail.n", "1"),
                ("detail.n", "2.5"),
                ("detail.n.deep", "true"),
            ])
        );
    }

    #[test]
    fn keys_and_values_with_escapes_and_dots() {
        // An escaped key reaches the same path; a dotted key walks segment by segment.
        let text = r#"{"d\u0065tail": {"st\"ate": "a\nb"}, "detail.state": "x", "a.b": {"c": 1}}"#;
        assert_eq!(
            flatten(&["detail.st\"ate", "detail.state", "a.b.c"], text),
            pairs(&[
                ("detail.st\"ate", "\"a\\nb\""),
                ("detail.state", "\"x\""),
                ("a.b.c", "1"),
            ])
        );
        // A dot inside a key of more than eight bytes, and an escaped dot.
        assert_eq!(
            flatten(
                &["abcdefgh.ij"],
                r#"{"abcdefgh.ij": 1, "abcdefgh\u002eij": 2}"#
            ),
            pairs(&[("abcdefgh.ij", "1"), ("abcdefgh.ij", "2")])
        );
    }

    #[test]
    fn duplicate_keys_give_every_value() {
        assert_eq!(
            flatten(&["a"], r#"{"a": 1, "b": 0, "a": "two"}"#),
            pairs(&[("a", "1"), ("a", "\"two\"")])
        );
    }

    #[test]
    fn numbers_decode_as_parse_does() {
        for t in [
            "0",
            "-0",
            "7",
            "-12",
            "3.25",
            "0.1",
            "123.456",
            "00012",
            "1.5e3",
            "2E-2",
            "-0.5e+1",
            "123456789012345",
            "1234567890123456",
            "12345678901234567890",
            "0.000001",
            "9007199254740993",
            "1.",
            ".5",
            "-",
            "1.2.3",
            "1e",
            "--1",
            "+1",
        ] {
            let ours = parse_f64(t);
            let std = t.parse::<f64>().ok();
            assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{t}");
        }
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = format!("{}", x % 10u64.pow((x % 16) as u32 + 1));
            let cut = (x >> 40) as usize % (digits.len() + 1);
            let t = if cut < digits.len() && cut > 0 {
                format!("{}.{}", &digits[..cut], &digits[cut..])
            } else {
                digits
            };
            let t = if x & 1 == 1 { format!("-{t}") } else { t };
            assert_eq!(
                parse_f64(&t).map(f64::to_bits),
                t.parse::<f64>().ok().map(f64::to_bits),
                "{t}"
            );
        }
    }

    #[test]
    fn bad_text_flattens_to_nothing() {
        let paths = ["a", "b.c"];
        for bad in [
            "",
            "[1]",
            "\"a\"",
            r#"{"a": 1"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{"a": tru}"#,
            r#"{"a": "x"#,
            "{\"a\": \"x\u{1}\"}",
            r#"{"a": "\q"}"#,
            r#"{"b": {"c": [1, 2}}"#,
            r#"{"z": [1, "]"#,
            r#"{"z": "\"}"#,
            r#"{"a": -}"#,
            r#"{"a": 1e999x}"#,
        ] {
            assert_eq!(flatten(&paths, bad), None, "{bad}");
        }
        // What follows the object, and the insides of skipped values, are not checked.
        assert_eq!(
            flatten(&paths, r#"{"a": 1} trailing"#),
            pairs(&[("a", "1")])
        );
        assert_eq!(
            flatten(&paths, r#"{"z": [1 2 x}, "y": nul, "a": 2}"#),
            pairs(&[("a", "2")])
        );
        // A number too large for a double is no leaf, but no error either.
        assert_eq!(flatten(&paths, r#"{"a": 1e999}"#), pairs(&[]));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |n: usize, inner: &str| format!("{}{inner}{}", "[".repeat(n), "]".repeat(n));
        // Inside a used path, arrays count towards the limit; skipped values do not.
        assert!(flatten(&["a"], &format!(r#"{{"a": {}}}"#, deep(400, "1"))).is_some());
        assert!(flatten(&["a"], &format!(r#"{{"a": {}}}"#, deep(600, "1"))).is_none());
        assert!(flatten(&["a"], &format!(r#"{{"z": {}}}"#, deep(5000, "1"))).is_some());
    }

    #[test]
    fn whitespace_anywhere() {
        let text = " \n{ \"a\" :\t[ 1 ,\r\n\"x\" ] , \"b\" : { \"c\" : false } }\n";
        assert_eq!(
            flatten(&["a", "b.c"], text),
            pairs(&[("a", "1"), ("a", "\"x\""), ("b.c", "false")])
        );
    }

    #[test]
    fn many_children_and_long_keys() {
        let paths: Vec<String> = (0..20).map(|i| format!("key-number-{i}")).collect();
        let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
        let text = r#"{"key-number-3": 3, "key-number-30": 30, "key-number-19": 19}"#;
        assert_eq!(
            flatten(&refs, text),
            pairs(&[("key-number-3", "3"), ("key-number-19", "19")])
        );
    }
}
