//! JSONPath as Step Functions evaluates it in JSONPath mode.
//!
//! # Syntax
//!
//! A path starts at a root: `$` (the state's input), `$$` (the context object) or `$name` (the
//! variable `name`). Then any of: `.field`, `['field']`, `[n]` (negative counts from the end),
//! `[*]` and `.*`, slices `[start:end:step]`, unions `[0,2]` and `['a','b']`, recursive descent
//! `..field`, and filters `[?(@.price < 10 && @.tag == 'x')]` (`==`, `!=`, `<`, `<=`, `>`,
//! `>=`, or a bare `@.field` for presence).
//!
//! # Results
//!
//! A *definite* path (fields and indexes only) selects one value or nothing. Any other path
//! selects a list, returned as a JSON array (empty when nothing matches), as Step Functions
//! does. Reference paths (`ResultPath`) must be definite; setting one creates missing objects
//! on the way.

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Field(String),
    Index(i64),
    Wildcard,
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Union(Vec<Seg>),
    Filter(Box<Filter>),
    Descend(Box<Seg>),
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Exists(JsonPath),
    Cmp(JsonPath, CmpOp, Value),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A parsed path below its root.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct JsonPath {
    segs: Vec<Seg>,
}

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Root {
    /// `$`: the input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable.
    Var(String),
}

/// Splits `s` into its root and the path below it.
pub(crate) fn parse_ref(s: &str) -> Result<(Root, JsonPath), String> {
    let s = s.trim();
    let (root, rest) = if let Some(rest) = s.strip_prefix("$$") {
        (Root::Context, rest)
    } else if let Some(rest) = s.strip_prefix('$') {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            (Root::Input, rest)
        } else {
            (Root::Var(rest[..end].to_string()), &rest[end..])
        }
    } else {
        return Err(format!("Invalid path '{s}': paths must start with '$'"));
    };
    Ok((root, JsonPath::parse_segments(rest)?))
}

impl JsonPath {
    fn parse_segments(s: &str) -> Result<JsonPath, String> {
        let mut p = Parser {
            s: s.as_bytes(),
            src: s,
            i: 0,
        };
        let segs = p.segments()?;
        if p.i != p.s.len() {
            return Err(format!("Invalid path: unexpected '{}'", &s[p.i..]));
        }
        Ok(JsonPath { segs })
    }

    /// Fields and indexes only.
    pub(crate) fn is_definite(&self) -> bool {
        self.segs
            .iter()
            .all(|s| matches!(s, Seg::Field(_) | Seg::Index(_)))
    }

    /// Whether the path is the root itself.
    pub(crate) fn is_root(&self) -> bool {
        self.segs.is_empty()
    }

    /// The matches of the path in `v`.
    fn select<'a>(&self, v: &'a Value) -> Vec<&'a Value> {
        let mut cur = vec![v];
        for seg in &self.segs {
            let mut next = Vec::new();
            for c in cur {
                apply(seg, c, &mut next);
            }
            cur = next;
        }
        cur
    }

    /// The value at the path: the single match of a definite path (`None` when missing), or
    /// the array of matches of any other path.
    pub(crate) fn get(&self, v: &Value) -> Option<Value> {
        let found = self.select(v);
        if self.is_definite() {
            found.first().map(|v| (*v).clone())
        } else {
            Some(Value::Array(found.into_iter().cloned().collect()))
        }
    }

    /// For a path of fields only that selects nothing in `v` because an object lacks a key:
    /// the path up to that key in bracket notation (`$['a']['b']`), as AWS's
    /// `Missing property in path …` names it.
    pub(crate) fn missing_property(&self, v: &Value) -> Option<String> {
        let mut shown = String::from("$");
        let mut cur = v;
        for seg in &self.segs {
            let Seg::Field(name) = seg else {
                return None;
            };
            shown.push_str(&format!("['{name}']"));
            cur = match cur {
                Value::Object(m) => match m.get(name) {
                    Some(next) => next,
                    None => return Some(shown),
                },
                _ => return None,
            };
        }
        None
    }

    /// Sets the value at a definite path in `target`, creating missing objects.
    pub(crate) fn set(&self, target: &mut Value, value: Value) -> Result<(), String> {
        let mut cur = target;
        for (i, seg) in self.segs.iter().enumerate() {
            let last = i + 1 == self.segs.len();
            match seg {
                Seg::Field(f) => {
                    let Value::Object(map) = cur else {
                        return Err(format!("Unable to set field '{f}' of a non-object"));
                    };
                    if last {
                        map.insert(f.clone(), value);
                        return Ok(());
                    }
                    let entry = map
                        .entry(f.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !entry.is_object() && !entry.is_array() {
                        *entry = Value::Object(Map::new());
                    }
                    cur = entry;
                }
                Seg::Index(n) => {
                    let Value::Array(arr) = cur else {
                        return Err(format!("Unable to set index {n} of a non-array"));
                    };
                    let len = arr.len() as i64;
                    let idx = if *n < 0 { len + n } else { *n };
                    let Some(slot) = usize::try_from(idx).ok().and_then(|i| arr.get_mut(i)) else {
                        return Err(format!("Index {n} is out of range"));
                    };
                    if last {
                        *slot = value;
                        return Ok(());
                    }
                    cur = slot;
                }
                _ => return Err("ResultPath must be a definite path".into()),
            }
        }
        *cur = value;
        Ok(())
    }
}

fn apply<'a>(seg: &Seg, v: &'a Value, out: &mut Vec<&'a Value>) {
    match seg {
        Seg::Field(f) => {
            if let Some(x) = v.as_object().and_then(|m| m.get(f)) {
                out.push(x);
            }
        }
        Seg::Index(n) => {
            if let Some(arr) = v.as_array() {
                let len = arr.len() as i64;
                let idx = if *n < 0 { len + n } else { *n };
                if let Some(x) = usize::try_from(idx).ok().and_then(|i| arr.get(i)) {
                    out.push(x);
                }
            }
        }
        Seg::Wildcard => match v {
            Value::Array(a) => out.extend(a.iter()),
            Value::Object(m) => out.extend(m.values()),
            _ => {}
        },
        Seg::Slice(start, end, step) => {
            if let Some(arr) = v.as_array() {
                let len = arr.len() as i64;
                let step = step.unwrap_or(1);
                if step <= 0 {
                    return;
                }
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                let (s, e) = (norm(start.unwrap_or(0)), norm(end.unwrap_or(len)));
                let mut i = s;
                while i < e {
                    if let Some(x) = usize::try_from(i).ok().and_then(|i| arr.get(i)) {
                        out.push(x);
                    }
                    i += step;
                }
            }
        }
        Seg::Union(segs) => {
            for s in segs {
                apply(s, v, out);
            }
        }
        Seg::Filter(f) => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                Value::Object(m) => m.values().collect(),
                _ => Vec::new(),
            };
            out.extend(items.into_iter().filter(|x| filter(f, x)));
        }
        Seg::Descend(inner) => descend(inner, v, out),
    }
}

fn descend<'a>(seg: &Seg, v: &'a Value, out: &mut Vec<&'a Value>) {
    apply(seg, v, out);
    match v {
        Value::Array(a) => a.iter().for_each(|x| descend(seg, x, out)),
        Value::Object(m) => m.values().for_each(|x| descend(seg, x, out)),
        _ => {}
    }
}

fn filter(f: &Filter, v: &Value) -> bool {
    match f {
        Filter::Or(fs) => fs.iter().any(|f| filter(f, v)),
        Filter::And(fs) => fs.iter().all(|f| filter(f, v)),
        Filter::Exists(p) => !p.select(v).is_empty(),
        Filter::Cmp(p, op, lit) => {
            let Some(x) = p.select(v).first().copied() else {
                return false;
            };
            let ord = match (x, lit) {
                (Value::Number(a), Value::Number(b)) => a
                    .as_f64()
                    .zip(b.as_f64())
                    .and_then(|(a, b)| a.partial_cmp(&b)),
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                (a, b) => {
                    return match op {
                        CmpOp::Eq => a == b,
                        CmpOp::Ne => a != b,
                        _ => false,
                    };
                }
            };
            let Some(ord) = ord else { return false };
            match op {
                CmpOp::Eq => ord.is_eq(),
                CmpOp::Ne => !ord.is_eq(),
                CmpOp::Lt => ord.is_lt(),
                CmpOp::Le => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                CmpOp::Ge => ord.is_ge(),
            }
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn err(&self) -> String {
        format!("Invalid path: cannot parse '{}'", self.src)
    }

    fn segments(&mut self) -> Result<Vec<Seg>, String> {
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.i += 1;
                    if self.peek() == Some(b'.') {
                        self.i += 1;
                        let inner = if self.peek() == Some(b'[') {
                            self.bracket()?
                        } else {
                            self.dot_name()?
                        };
                        segs.push(Seg::Descend(Box::new(inner)));
                    } else {
                        segs.push(self.dot_name()?);
                    }
                }
                Some(b'[') => segs.push(self.bracket()?),
                _ => return Ok(segs),
            }
        }
    }

    fn dot_name(&mut self) -> Result<Seg, String> {
        if self.peek() == Some(b'*') {
            self.i += 1;
            return Ok(Seg::Wildcard);
        }
        let start = self.i;
        while let Some(c) = self.peek() {
            if c == b'.' || c == b'[' || c.is_ascii_whitespace() {
                break;
            }
            self.i += 1;
        }
        if start == self.i {
            return Err(self.err());
        }
        Ok(Seg::Field(self.src[start..self.i].to_string()))
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn bracket(&mut self) -> Result<Seg, String> {
        self.i += 1; // '['
        self.skip_ws();
        let seg = match self.peek() {
            Some(b'*') => {
                self.i += 1;
                Seg::Wildcard
            }
            Some(b'?') => {
                self.i += 1;
                self.skip_ws();
                if self.peek() != Some(b'(') {
                    return Err(self.err());
                }
                // Find the matching ')'.
                let start = self.i + 1;
                let mut depth = 0;
                let mut quote: Option<u8> = None;
                let mut end = None;
                while let Some(c) = self.peek() {
                    match (quote, c) {
                        (Some(q), c) if c == q => quote = None,
                        (Some(_), _) => {}
                        (None, b'\'' | b'"') => quote = Some(c),
                        (None, b'(') => depth += 1,
                        (None, b')') => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(self.i);
                                self.i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
                let end = end.ok_or_else(|| self.err())?;
                Seg::Filter(Box::new(parse_filter(&self.src[start..end])?))
            }
            _ => {
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    items.push(self.bracket_item()?);
                    self.skip_ws();
                    if self.peek() == Some(b',') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                if items.len() == 1 {
                    items.remove(0)
                } else {
                    Seg::Union(items)
                }
            }
        };
        self.skip_ws();
        if self.peek() != Some(b']') {
            return Err(self.err());
        }
        self.i += 1;
        Ok(seg)
    }

    fn bracket_item(&mut self) -> Result<Seg, String> {
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.i += 1;
                let start = self.i;
                while self.peek().is_some_and(|c| c != q) {
                    self.i += 1;
                }
                if self.peek().is_none() {
                    return Err(self.err());
                }
                let name = self.src[start..self.i].to_string();
                self.i += 1;
                Ok(Seg::Field(name))
            }
            _ => {
                let start = self.i;
                while self
                    .peek()
                    .is_some_and(|c| c == b'-' || c == b':' || c.is_ascii_digit() || c == b' ')
                {
                    self.i += 1;
                }
                let text = self.src[start..self.i].trim();
                let num = |t: &str| -> Result<Option<i64>, String> {
                    let t = t.trim();
                    if t.is_empty() {
                        Ok(None)
                    } else {
                        t.parse().map(Some).map_err(|_| self.err())
                    }
                };
                if text.contains(':') {
                    let parts: Vec<&str> = text.split(':').collect();
                    if parts.len() > 3 {
                        return Err(self.err());
                    }
                    Ok(Seg::Slice(
                        num(parts[0])?,
                        num(parts.get(1).copied().unwrap_or(""))?,
                        num(parts.get(2).copied().unwrap_or(""))?,
                    ))
                } else {
                    num(text)?.map(Seg::Index).ok_or_else(|| self.err())
                }
            }
        }
    }
}

fn split_top<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut depth = 0i32;
    let mut last = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        let c = bytes[i] as char;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            _ => {
                if depth == 0 && s[i..].starts_with(sep) {
                    out.push(&s[last..i]);
                    i += sep.len();
                    last = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push(&s[last..]);
    out
}

fn parse_filter(s: &str) -> Result<Filter, String> {
    let s = s.trim();
    let ors = split_top(s, "||");
    if ors.len() > 1 {
        return ors
            .into_iter()
            .map(parse_filter)
            .collect::<Result<_, _>>()
            .map(Filter::Or);
    }
    let ands = split_top(s, "&&");
    if ands.len() > 1 {
        return ands
            .into_iter()
            .map(parse_filter)
            .collect::<Result<_, _>>()
            .map(Filter::And);
    }
    if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        return parse_filter(inner);
    }
    let bad = || format!("Invalid filter expression '{s}'");
    for (tok, op) in [
        ("==", CmpOp::Eq),
        ("!=", CmpOp::Ne),
        ("<=", CmpOp::Le),
        (">=", CmpOp::Ge),
        ("<", CmpOp::Lt),
        (">", CmpOp::Gt),
    ] {
        let parts = split_top(s, tok);
        if parts.len() == 2 {
            let lhs = parts[0].trim().strip_prefix('@').ok_or_else(bad)?;
            let path = JsonPath::parse_segments(lhs)?;
            let rhs = parts[1].trim();
            let lit = if let Some(x) = rhs.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                Value::String(x.to_string())
            } else {
                serde_json::from_str(rhs).map_err(|_| bad())?
            };
            return Ok(Filter::Cmp(path, op, lit));
        }
    }
    let lhs = s.strip_prefix('@').ok_or_else(bad)?;
    Ok(Filter::Exists(JsonPath::parse_segments(lhs)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(path: &str, v: &Value) -> Option<Value> {
        let (root, p) = parse_ref(path).unwrap();
        assert_eq!(root, Root::Input);
        p.get(v)
    }

    #[test]
    fn selects() {
        let v =
            json!({"a": {"b": [1, 2, 3, 4]}, "items": [{"p": 5, "n": "x"}, {"p": 15, "n": "y"}]});
        assert_eq!(get("$.a.b[1]", &v), Some(json!(2)));
        assert_eq!(get("$['a']['b'][-1]", &v), Some(json!(4)));
        assert_eq!(get("$.a.b[1:3]", &v), Some(json!([2, 3])));
        assert_eq!(get("$.a.b[*]", &v), Some(json!([1, 2, 3, 4])));
        assert_eq!(get("$.items[?(@.p > 10)].n", &v), Some(json!(["y"])));
        assert_eq!(get("$..n", &v), Some(json!(["x", "y"])));
        assert_eq!(get("$.nope", &v), None);
        assert_eq!(parse_ref("$var.x").unwrap().0, Root::Var("var".to_string()));
        assert_eq!(parse_ref("$$.Execution.Id").unwrap().0, Root::Context);
    }

    #[test]
    fn sets() {
        let mut v = json!({"a": 1});
        let (_, p) = parse_ref("$.b.c").unwrap();
        p.set(&mut v, json!(2)).unwrap();
        assert_eq!(v, json!({"a": 1, "b": {"c": 2}}));
    }
}
