//! The JSON layer of the pattern compiler.
//!
//! AWS compiles patterns with a streaming (Jackson) parser and reports errors at the parser's
//! position, as a `"\n at [Source: (String)\"…\"; line: L, column: C]"` trailer. To give the same
//! positions this module has three parts:
//!
//! - [`parse_document`]: a strict parser into an order-preserving tree ([`JVal`]), with
//!   Jackson's wording for syntax errors. Duplicate keys keep their first position and their last
//!   value, as Jackson's tree model does.
//! - [`write_compact`]: the compact text SNS compiles (SNS parses the policy, re-serializes it
//!   without whitespace, then compiles that text: its error positions count in the compact form).
//! - [`Cursor`]: a token stream over valid text that moves its position the way Jackson's
//!   streaming parser does (a field name token also reads the start of its value; a string
//!   value's text is read lazily).

use std::fmt::Write as _;

/// An order-preserving JSON tree. Numbers keep their text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JVal {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<JVal>),
    Obj(Vec<(String, JVal)>),
}

/// A syntax error: Jackson's message and the byte position it was raised at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) message: String,
    pub(crate) pos: usize,
}

/// Parses one JSON value from `src`. Text after the first value is ignored, as Jackson's
/// `readTree` does by default.
pub(crate) fn parse_document(src: &str) -> Result<JVal, SyntaxError> {
    let mut p = TreeParser {
        src,
        b: src.as_bytes(),
        pos: 0,
    };
    p.skip_ws();
    if p.pos >= p.b.len() {
        return Err(SyntaxError {
            message: "No content to map due to end-of-input".to_owned(),
            pos: p.pos,
        });
    }
    p.value(0)
}

const MAX_DEPTH: usize = 1000;

struct TreeParser<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl TreeParser<'_> {
    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if c == b' ' || c == b'\n' || c == b'\r' || c == b'\t' {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn unexpected(&self, expecting: &str) -> SyntaxError {
        match self.peek_char() {
            None => SyntaxError {
                message: format!("Unexpected end-of-input: {expecting}"),
                pos: self.pos,
            },
            Some(c) => SyntaxError {
                message: format!("Unexpected character ({}): {expecting}", describe_char(c)),
                pos: self.pos + c.len_utf8(),
            },
        }
    }

    fn eof_in(&self, what: &str, start: usize) -> SyntaxError {
        let (line, col) = location(self.src, start);
        SyntaxError {
            message: format!(
                "Unexpected end-of-input: expected close marker for {what} (start marker at \
                 [Source: {}; line: {line}, column: {col}])",
                source_description(self.src)
            ),
            pos: self.pos,
        }
    }

    fn value(&mut self, depth: usize) -> Result<JVal, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: "Document nesting depth exceeds the maximum allowed".to_owned(),
                pos: self.pos,
            });
        }
        self.skip_ws();
        let Some(&c) = self.b.get(self.pos) else {
            return Err(self.unexpected("expected a value"));
        };
        match c {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => {
                self.pos += 1;
                Ok(JVal::Str(self.string_body()?))
            }
            b'-' | b'0'..=b'9' => self.number(),
            b't' | b'f' | b'n' => self.literal(),
            _ => Err(self.unexpected(
                "expected a valid value (JSON String, Number, Array, Object or token 'null', \
                 'true' or 'false')",
            )),
        }
    }

    fn object(&mut self, depth: usize) -> Result<JVal, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<(String, JVal)> = Vec::new();
        self.skip_ws();
        if self.b.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JVal::Obj(entries));
        }
        loop {
            self.skip_ws();
            match self.b.get(self.pos) {
                Some(b'"') => self.pos += 1,
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting double-quote to start field name"));
                }
            }
            let key = self.string_body()?;
            self.skip_ws();
            match self.b.get(self.pos) {
                Some(b':') => self.pos += 1,
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(
                        self.unexpected("was expecting a colon to separate field name and value")
                    );
                }
            }
            self.skip_ws();
            if self.pos >= self.b.len() {
                return Err(self.eof_in("Object", start));
            }
            let v = self.value(depth + 1)?;
            if let Some(slot) = entries.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = v;
            } else {
                entries.push((key, v));
            }
            self.skip_ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JVal::Obj(entries));
                }
                None => return Err(self.eof_in("Object", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting comma to separate Object entries"));
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JVal, SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.b.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JVal::Arr(items));
        }
        loop {
            self.skip_ws();
            if self.pos >= self.b.len() {
                return Err(self.eof_in("Array", start));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JVal::Arr(items));
                }
                None => return Err(self.eof_in("Array", start)),
                Some(_) => {
                    return Err(self.unexpected("was expecting comma to separate Array entries"));
                }
            }
        }
    }

    /// Reads a string body; `self.pos` is just past the opening quote.
    fn string_body(&mut self) -> Result<String, SyntaxError> {
        match decode_string(self.b, self.pos) {
            Ok((s, end)) => {
                self.pos = end;
                Ok(s)
            }
            Err(StringError::Eof) => {
                self.pos = self.b.len();
                Err(SyntaxError {
                    message: "Unexpected end-of-input: was expecting closing quote for a string \
                              value"
                        .to_owned(),
                    pos: self.pos,
                })
            }
            Err(StringError::Control(at, c)) => Err(SyntaxError {
                message: format!(
                    "Illegal unquoted character ({}): has to be escaped using backslash to be \
                     included in string value",
                    describe_char(char::from(c))
                ),
                pos: at + 1,
            }),
            Err(StringError::Escape(at, c)) => Err(SyntaxError {
                message: format!(
                    "Unrecognized character escape {}",
                    describe_char(
                        self.src
                            .get(at..)
                            .and_then(|s| s.chars().next())
                            .unwrap_or(char::from(c))
                    )
                ),
                pos: at + 1,
            }),
        }
    }

    fn number(&mut self) -> Result<JVal, SyntaxError> {
        let start = self.pos;
        let end = scan_number(self.b, start);
        let text = self.src.get(start..end).unwrap_or("");
        if !valid_number(text) {
            self.pos = end.max(start + 1);
            return Err(SyntaxError {
                message: format!("Invalid numeric value: {text}"),
                pos: self.pos,
            });
        }
        self.pos = end;
        Ok(JVal::Num(text.to_owned()))
    }

    fn literal(&mut self) -> Result<JVal, SyntaxError> {
        let start = self.pos;
        let mut end = start;
        while let Some(&c) = self.b.get(end) {
            if c.is_ascii_alphanumeric() || c == b'_' {
                end += 1;
            } else {
                break;
            }
        }
        let word = self.src.get(start..end).unwrap_or("");
        let v = match word {
            "true" => JVal::Bool(true),
            "false" => JVal::Bool(false),
            "null" => JVal::Null,
            _ => {
                self.pos = end;
                return Err(SyntaxError {
                    message: format!(
                        "Unrecognized token '{word}': was expecting (JSON String, Number, Array, \
                         Object or token 'null', 'true' or 'false')"
                    ),
                    pos: end,
                });
            }
        };
        self.pos = end;
        Ok(v)
    }
}

/// Jackson's description of a character in error messages: `'x' (code 120)`.
fn describe_char(c: char) -> String {
    let code = u32::from(c);
    if code < 32 {
        format!("CTRL-CHAR, code {code}")
    } else {
        format!("'{c}' (code {code})")
    }
}

pub(crate) enum StringError {
    Eof,
    Control(usize, u8),
    Escape(usize, u8),
}

/// Decodes a JSON string body starting at `start` (just past the opening quote). Returns the
/// text and the position just past the closing quote.
pub(crate) fn decode_string(b: &[u8], start: usize) -> Result<(String, usize), StringError> {
    let mut out: Vec<u8> = Vec::new();
    let mut i = start;
    let mut run = start;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(StringError::Eof);
        };
        match c {
            b'"' => {
                out.extend_from_slice(&b[run..i]);
                let s = String::from_utf8(out)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                return Ok((s, i + 1));
            }
            b'\\' => {
                out.extend_from_slice(&b[run..i]);
                let Some(&e) = b.get(i + 1) else {
                    return Err(StringError::Eof);
                };
                let mut next = i + 2;
                match e {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let (ch, after) = decode_unicode_escape(b, i)?;
                        next = after;
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                    _ => return Err(StringError::Escape(i + 1, e)),
                }
                i = next;
                run = i;
            }
            0..=31 => return Err(StringError::Control(i, c)),
            _ => i += 1,
        }
    }
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    let mut v = 0u32;
    for &c in s {
        v = v * 16 + char::from(c).to_digit(16)?;
    }
    Some(v)
}

/// Decodes `\uXXXX` (and a following low surrogate) at `i` (the backslash).
fn decode_unicode_escape(b: &[u8], i: usize) -> Result<(char, usize), StringError> {
    let hi = hex4(b, i + 2).ok_or(StringError::Escape(i + 1, b'u'))?;
    let mut next = i + 6;
    let code = if (0xD800..0xDC00).contains(&hi) {
        if b.get(next) == Some(&b'\\') && b.get(next + 1) == Some(&b'u') {
            match hex4(b, next + 2) {
                Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                    next += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                }
                _ => 0xFFFD,
            }
        } else {
            0xFFFD
        }
    } else {
        hi
    };
    Ok((char::from_u32(code).unwrap_or('\u{FFFD}'), next))
}

/// Scans the characters a number may contain, from `start`.
pub(crate) fn scan_number(b: &[u8], start: usize) -> usize {
    let mut end = start;
    while let Some(&c) = b.get(end) {
        if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
            end += 1;
        } else {
            break;
        }
    }
    end
}

/// Whether `t` is a JSON number.
pub(crate) fn valid_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(c) if c.is_ascii_digit() => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether a JSON number's text is an integer (no fraction, no exponent).
fn is_integer_text(t: &str) -> bool {
    !t.contains(['.', 'e', 'E'])
}

/// Java's `Double.toString` for finite values (the form Jackson writes doubles in).
pub(crate) fn java_double(d: f64) -> String {
    if d == 0.0 {
        return if d.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    let a = d.abs();
    if (1e-3..1e7).contains(&a) {
        let mut s = format!("{d}");
        if !s.contains('.') {
            s.push_str(".0");
        }
        s
    } else {
        let e = format!("{d:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
        let mut m = mantissa.to_owned();
        if !m.contains('.') {
            m.push_str(".0");
        }
        format!("{m}E{exp}")
    }
}

/// Writes `v` without whitespace, numbers as Jackson's tree model writes them.
pub(crate) fn write_compact(v: &JVal, out: &mut String) {
    match v {
        JVal::Null => out.push_str("null"),
        JVal::Bool(true) => out.push_str("true"),
        JVal::Bool(false) => out.push_str("false"),
        JVal::Num(t) => {
            if is_integer_text(t) {
                if t == "-0" {
                    out.push('0');
                } else {
                    out.push_str(t);
                }
            } else {
                let d: f64 = t.parse().unwrap_or(0.0);
                if d.is_finite() {
                    out.push_str(&java_double(d));
                } else {
                    out.push_str(t);
                }
            }
        }
        JVal::Str(s) => write_string(s, out),
        JVal::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        JVal::Obj(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
    }
}

pub(crate) fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if u32::from(c) < 32 => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Jackson's `(String)"…"` source description, cut at 500 characters.
pub(crate) fn source_description(src: &str) -> String {
    const MAX: usize = 500;
    let total = src.chars().count();
    if total <= MAX {
        format!("(String)\"{src}\"")
    } else {
        let cut: String = src.chars().take(MAX).collect();
        format!("(String)\"{cut}\"[truncated {} chars]", total - MAX)
    }
}

/// Line (1-based) and column (1-based, in UTF-16 units as Java counts) of byte position `pos`.
pub(crate) fn location(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = src.get(..pos).unwrap_or(src);
    let line = before.bytes().filter(|&c| c == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before
        .get(line_start..)
        .map_or(0, |s| s.chars().map(char::len_utf16).sum::<usize>())
        + 1;
    (line, col)
}

/// The `"\n at [Source: …; line: L, column: C]"` trailer for position `pos` in `src`.
pub(crate) fn trailer(src: &str, pos: usize) -> String {
    let (line, col) = location(src, pos);
    format!(
        "\n at [Source: {}; line: {line}, column: {col}]",
        source_description(src)
    )
}

/// A token of [`Cursor`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    StartObj,
    EndObj,
    StartArr,
    EndArr,
    Field(String),
    Str(String),
    Num(String),
    True,
    False,
    Null,
    Eof,
}

impl Tok {
    /// What Jackson's `getText` returns for this token.
    pub(crate) fn text(&self) -> String {
        match self {
            Tok::StartObj => "{".to_owned(),
            Tok::EndObj => "}".to_owned(),
            Tok::StartArr => "[".to_owned(),
            Tok::EndArr => "]".to_owned(),
            Tok::Field(s) | Tok::Str(s) | Tok::Num(s) => s.clone(),
            Tok::True => "true".to_owned(),
            Tok::False => "false".to_owned(),
            Tok::Null => "null".to_owned(),
            Tok::Eof => String::new(),
        }
    }
}

struct Entry {
    tok: Tok,
    /// Position after `next()` returns this token.
    lazy: usize,
    /// Position after the token's text has been read (differs for strings).
    full: usize,
}

/// A Jackson-like token stream over text already known to be valid JSON.
pub(crate) struct Cursor {
    entries: Vec<Entry>,
    next: usize,
    pos: usize,
}

impl Cursor {
    /// Tokenizes `src`, which must be valid JSON (see [`parse_document`]).
    pub(crate) fn new(src: &str) -> Cursor {
        let b = src.as_bytes();
        let mut entries = Vec::new();
        let mut i = 0;
        // Tracks whether we are directly inside an object, to tell field names from values.
        let mut stack: Vec<bool> = Vec::new();
        let mut expect_name = false;
        let mut depth_done = false;
        while i < b.len() && !depth_done {
            let c = b[i];
            match c {
                b' ' | b'\n' | b'\r' | b'\t' | b',' | b':' => {
                    if c == b',' && stack.last() == Some(&true) {
                        expect_name = true;
                    }
                    i += 1;
                }
                b'{' => {
                    i += 1;
                    entries.push(Entry {
                        tok: Tok::StartObj,
                        lazy: i,
                        full: i,
                    });
                    stack.push(true);
                    expect_name = true;
                }
                b'[' => {
                    i += 1;
                    entries.push(Entry {
                        tok: Tok::StartArr,
                        lazy: i,
                        full: i,
                    });
                    stack.push(false);
                    expect_name = false;
                }
                b'}' | b']' => {
                    i += 1;
                    entries.push(Entry {
                        tok: if c == b'}' { Tok::EndObj } else { Tok::EndArr },
                        lazy: i,
                        full: i,
                    });
                    stack.pop();
                    expect_name = false;
                    if stack.is_empty() {
                        depth_done = true;
                    }
                }
                b'"' => {
                    let (s, end) = match decode_string(b, i + 1) {
                        Ok(v) => v,
                        Err(_) => break,
                    };
                    if expect_name && stack.last() == Some(&true) {
                        entries.push(Entry {
                            tok: Tok::Field(s),
                            lazy: end,
                            full: end,
                        });
                        expect_name = false;
                    } else {
                        entries.push(Entry {
                            tok: Tok::Str(s),
                            lazy: i + 1,
                            full: end,
                        });
                        if stack.is_empty() {
                            depth_done = true;
                        }
                    }
                    i = end;
                }
                b'-' | b'0'..=b'9' => {
                    let end = scan_number(b, i);
                    entries.push(Entry {
                        tok: Tok::Num(src.get(i..end).unwrap_or("0").to_owned()),
                        lazy: end,
                        full: end,
                    });
                    i = end;
                    if stack.is_empty() {
                        depth_done = true;
                    }
                }
                _ => {
                    let rest = src.get(i..).unwrap_or("");
                    let (tok, len) = if rest.starts_with("true") {
                        (Tok::True, 4)
                    } else if rest.starts_with("false") {
                        (Tok::False, 5)
                    } else if rest.starts_with("null") {
                        (Tok::Null, 4)
                    } else {
                        break;
                    };
                    i += len;
                    entries.push(Entry {
                        tok,
                        lazy: i,
                        full: i,
                    });
                    if stack.is_empty() {
                        depth_done = true;
                    }
                }
            }
        }
        // A field name token also reads the start of its value: its position is the value's
        // lazy position.
        for k in 0..entries.len() {
            if matches!(entries[k].tok, Tok::Field(_)) {
                if let Some(v) = entries.get(k + 1).map(|e| e.lazy) {
                    entries[k].lazy = v;
                    entries[k].full = v;
                }
            }
        }
        Cursor {
            entries,
            next: 0,
            pos: 0,
        }
    }

    /// The next token; moves the position as Jackson's `nextToken` does.
    pub(crate) fn next(&mut self) -> Tok {
        match self.entries.get(self.next) {
            Some(e) => {
                self.next += 1;
                self.pos = self.pos.max(e.lazy);
                e.tok.clone()
            }
            None => Tok::Eof,
        }
    }

    /// Reads the current token's text fully (moves past a lazily read string).
    pub(crate) fn finish_text(&mut self) {
        if let Some(e) = self.next.checked_sub(1).and_then(|i| self.entries.get(i)) {
            self.pos = self.pos.max(e.full);
        }
    }

    /// The current position, in bytes.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jackson_positions() {
        let src = r#"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"#;
        let mut c = Cursor::new(src);
        assert_eq!(c.next(), Tok::StartObj);
        assert_eq!(c.next(), Tok::Field("key".into()));
        assert_eq!(location(src, c.pos()).1, 9);
        assert_eq!(c.next(), Tok::StartArr);
        assert_eq!(c.next(), Tok::StartObj);
        assert_eq!(c.next(), Tok::Field("numeric".into()));
        assert_eq!(location(src, c.pos()).1, 21);
    }

    #[test]
    fn doubles_as_java_writes_them() {
        assert_eq!(java_double(35.0), "35.0");
        assert_eq!(java_double(301.8), "301.8");
        assert_eq!(java_double(1e10), "1.0E10");
        assert_eq!(java_double(1.5e-5), "1.5E-5");
        let mut s = String::new();
        write_compact(
            &parse_document(r#"{ "a" : [1, 3.5e1, "x\n"] }"#).unwrap(),
            &mut s,
        );
        assert_eq!(s, r#"{"a":[1,35.0,"x\n"]}"#);
    }

    #[test]
    fn syntax_errors_read_like_jackson() {
        let e = parse_document("{invalidjson}").unwrap_err();
        assert_eq!(
            e.message,
            "Unexpected character ('i' (code 105)): was expecting double-quote to start field name"
        );
        assert_eq!(location("{invalidjson}", e.pos), (1, 3));
    }
}
