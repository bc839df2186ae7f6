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
}

/// A node's children: a short list scanned linearly (faster than hashing for the few keys a
/// node usually has), or a hash map once there are many.
#[derive(Debug, Clone)]
enum Children {
    /// ((length, first eight bytes), key, node).
    Few(Vec<((usize, u64), Box<str>, u32)>),
    Many(FxMap<Box<str>, u32>),
}

/// A key's length and first eight bytes (zero-padded): equal for equal keys, and enough to
/// decide equality for keys of up to eight bytes.
#[inline]
fn head(key: &str) -> (usize, u64) {
    let b = key.as_bytes();
    let word = match b.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => {
            let mut w = 0u64;
            for (i, &c) in b.iter().enumerate() {
                w |= u64::from(c) << (8 * i);
            }
            w
        }
    };
    (b.len(), word)
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
        match self {
            Children::Few(list) => {
                let h = head(key);
                list.iter()
                    .find(|(kh, k, _)| *kh == h && (key.len() <= 8 || **k == *key))
                    .map(|(_, _, n)| *n)
            }
            Children::Many(map) => map.get(key).copied(),
        }
    }

    fn insert(&mut self, key: &str, node: u32) {
        match self {
            Children::Few(list) if list.len() < FEW => list.push((head(key), key.into(), node)),
            Children::Few(list) => {
                let mut map: FxMap<Box<str>, u32> =
                    list.drain(..).map(|(_, k, n)| (k, n)).collect();
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
        for seg in path.split('.') {
            let next = match self.nodes[node].children.get(seg) {
                Some(n) => n as usize,
                None => {
                    let n = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    self.nodes[node]
                        .children
                        .insert(seg, u32::try_from(n).unwrap_or(u32::MAX));
                    n
                }
            };
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

impl<'a> EventBuf<'a> {
    #[inline]
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

    /// Whether `path` is present in the event.
    pub(crate) fn is_present(&self, path: u32) -> bool {
        if self.attribute_count.is_some() {
            self.present.contains(&path)
        } else {
            self.leaves.iter().any(|l| l.path == path)
        }
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
        let mut s = Scanner {
            src: text,
            b: text.as_bytes(),
            pos: 0,
        };
        s.ws();
        if s.b.get(s.pos) != Some(&b'{') {
            return false;
        }
        if s.object(self, trie, sem, Some(0), 0).is_err() {
            return false;
        }
        s.ws();
        true
    }
}

const MAX_NESTING: usize = 512;

/// The first position at or after `from` holding a quote or a bracket.
#[inline]
fn structural(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        // `{` and `}` (and `[` and `]`) differ only in bits 1 and 2: clear them to test both
        // at once (a prefilter; the exact check follows).
        let y = x & !(ONES * 6);
        let hits = has_zero(x ^ (ONES * u64::from(b'"')))
            | has_zero(y ^ (ONES * u64::from(b'{' & !6)))
            | has_zero(y ^ (ONES * u64::from(b'[' & !6)));
        if hits != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if matches!(c, b'"' | b'{' | b'}' | b'[' | b']') {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The first position at or after `from` holding `"`, `\\` or a control character (eight bytes
/// at a time).
#[inline]
fn special(b: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        // Bytes below 0x20: (x - 0x20..) borrows into the high bit for them (and for bytes
        // >= 0xA0, which the exact check below filters out).
        let hits = has_zero(x ^ (ONES * u64::from(b'"')))
            | has_zero(x ^ (ONES * u64::from(b'\\')))
            | (x.wrapping_sub(ONES * 0x20) & !x & HIGHS);
        if hits != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return Some(i);
        }
        i += 1;
    }
    None
}

struct Scanner<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// Reads a string starting at the opening quote; borrows when there are no escapes.
    #[inline]
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
        match decode_string(self.b, start) {
            Ok((s, end)) => {
                self.pos = end;
                Ok(Cow::Owned(s))
            }
            Err(_) => Err(()),
        }
    }

    /// Skips a string starting at the opening quote.
    #[inline]
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

    /// Skips any value.
    fn skip_value(&mut self, depth: usize) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        self.ws();
        match self.b.get(self.pos) {
            Some(b'"') => self.skip_string(),
            Some(b'{') | Some(b'[') => {
                // Scan to the matching bracket, stepping over strings.
                let mut level = 0usize;
                loop {
                    self.pos = structural(self.b, self.pos).ok_or(())?;
                    match self.b[self.pos] {
                        b'"' => self.skip_string()?,
                        b'{' | b'[' => {
                            level += 1;
                            self.pos += 1;
                        }
                        _ => {
                            level -= 1;
                            self.pos += 1;
                            if level == 0 {
                                return Ok(());
                            }
                        }
                    }
                }
            }
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

    fn object(
        &mut self,
        out: &mut EventBuf<'a>,
        trie: &PathTrie,
        sem: NumberSemantics,
        node: Option<u32>,
        depth: usize,
    ) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        self.pos += 1; // '{'
        self.ws();
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.b.get(self.pos) != Some(&b'"') {
                return Err(());
            }
            let child = match node {
                Some(n) => {
                    let key = self.string()?;
                    trie.walk_key(n, &key)
                }
                None => {
                    self.skip_string()?;
                    None
                }
            };
            self.ws();
            if self.b.get(self.pos) != Some(&b':') {
                return Err(());
            }
            self.pos += 1;
            match child {
                Some(c) => self.value(out, trie, sem, c, depth + 1)?,
                None => self.skip_value(depth + 1)?,
            }
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }

    fn value(
        &mut self,
        out: &mut EventBuf<'a>,
        trie: &PathTrie,
        sem: NumberSemantics,
        node: u32,
        depth: usize,
    ) -> Result<(), ()> {
        if depth > MAX_NESTING {
            return Err(());
        }
        self.ws();
        let path = trie.path_of(node);
        match self.b.get(self.pos) {
            Some(b'{') => self.object(out, trie, sem, Some(node), depth),
            Some(b'[') => {
                self.pos += 1;
                let id = out.next_array;
                out.next_array += 1;
                self.ws();
                if self.b.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(());
                }
                let mut i = 0u32;
                loop {
                    out.stack.push((id, i));
                    let r = self.value(out, trie, sem, node, depth + 1);
                    out.stack.pop();
                    r?;
                    i += 1;
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
            Some(b'"') => match path {
                Some(p) => {
                    let s = self.string()?;
                    out.push(p, LeafValue::Str(s), false);
                    Ok(())
                }
                None => self.skip_string(),
            },
            Some(b't') => self.literal("true", path.map(|p| (p, LeafValue::True)), out),
            Some(b'f') => self.literal("false", path.map(|p| (p, LeafValue::False)), out),
            Some(b'n') => self.literal("null", path.map(|p| (p, LeafValue::Null)), out),
            Some(_) => {
                let start = self.pos;
                let end = scan_number(self.b, start);
                if end == start {
                    return Err(());
                }
                self.pos = end;
                if let Some(p) = path {
                    let text = self.src.get(start..end).ok_or(())?;
                    let f: f64 = text.parse().map_err(|_| ())?;
                    if f.is_finite() {
                        out.push(p, LeafValue::Num(Num::new(f, sem)), false);
                    }
                }
                Ok(())
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

    fn literal(
        &mut self,
        word: &str,
        leaf: Option<(u32, LeafValue<'a>)>,
        out: &mut EventBuf<'a>,
    ) -> Result<(), ()> {
        if !self
            .b
            .get(self.pos..)
            .is_some_and(|r| r.starts_with(word.as_bytes()))
        {
            return Err(());
        }
        self.pos += word.len();
        if let Some((p, v)) = leaf {
            out.push(p, v, false);
        }
        Ok(())
    }
}
