//! The 18 intrinsic functions of JSONPath mode (`States.Format`, `States.Array` …).
//!
//! # Syntax
//!
//! `States.Name(arg, …)` where each argument is a string literal in single quotes (`\'`,
//! `\\`, and in `States.Format` templates `\{` and `\}` escape), a number, `true`, `false`,
//! `null`, a path (`$.a`, `$$.Execution.Id`, `$var`) or another intrinsic call.
//!
//! # Functions
//!
//! | function | result |
//! |---|---|
//! | `Format(template, args…)` | the template with each `{}` replaced by the next argument: strings raw, numbers, booleans and `null` as JSON, objects and arrays in Java's `Map`/`List` notation (`{Id=arn:…, Name=m}`, `[1, a]`), as AWS renders them |
//! | `StringToJson(s)` / `JsonToString(v)` | parse (a blank string gives `null`) / compact serialization |
//! | `Array(args…)` | the arguments as an array |
//! | `ArrayPartition(a, n)` | chunks of `n` |
//! | `ArrayContains(a, v)` | whether `v` is in `a` |
//! | `ArrayRange(start, end, step)` | `start..=end` by `step`, at most 1,000 items |
//! | `ArrayGetItem(a, i)` / `ArrayLength(a)` / `ArrayUnique(a)` | item, length, first occurrences |
//! | `Base64Encode(s)` / `Base64Decode(s)` | at most 10,000 characters in |
//! | `Hash(s, alg)` | lowercase hex of `MD5`, `SHA-1`, `SHA-256`, `SHA-384` or `SHA-512` |
//! | `JsonMerge(a, b, false)` | shallow merge, `b` wins (deep merge is not supported by AWS either) |
//! | `MathRandom(start, end[, seed])` | an integer in `[start, end)` (bounds rounded half up), from the seeded [`Rand`] or the given seed |
//! | `MathAdd(a, b)` | the sum of the arguments rounded half up (`1.5 + 1.51` is `4`) |
//! | `StringSplit(s, chars)` | `s` split on any of `chars`, empty parts dropped |
//! | `UUID()` | a version-4 UUID from the seeded [`Rand`] |
//!
//! A bad argument is a `States.IntrinsicFailure`.

use aws_lite_core::Rand;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::dataflow::{Env, EvalError};

#[derive(Debug, Clone)]
enum Arg {
    Lit(Value),
    Path(String),
    Call(Call),
}

#[derive(Debug, Clone)]
struct Call {
    name: String,
    args: Vec<Arg>,
}

/// Whether `s` looks like an intrinsic call.
pub(crate) fn is_intrinsic(s: &str) -> bool {
    s.trim_start().starts_with("States.")
}

/// Evaluates the intrinsic call `s`.
pub(crate) fn eval(s: &str, env: &Env<'_>, field: &str) -> Result<Value, EvalError> {
    let mut p = P {
        b: s.as_bytes(),
        s,
        i: 0,
    };
    let call = p
        .call()
        .map_err(|m| EvalError::intrinsic(format!("{m} in '{s}'")))?;
    p.ws();
    if p.i != p.b.len() {
        return Err(EvalError::intrinsic(format!(
            "Unexpected text after the intrinsic function in '{s}'"
        )));
    }
    run(&call, env, field)
}

struct P<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn call(&mut self) -> Result<Call, String> {
        self.ws();
        let start = self.i;
        while self
            .b
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.')
        {
            self.i += 1;
        }
        let name = self.s[start..self.i].to_string();
        self.ws();
        if self.b.get(self.i) != Some(&b'(') {
            return Err("Expected '('".into());
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.b.get(self.i) == Some(&b')') {
            self.i += 1;
            return Ok(Call { name, args });
        }
        loop {
            args.push(self.arg()?);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Ok(Call { name, args });
                }
                _ => return Err("Expected ',' or ')'".into()),
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, String> {
        self.ws();
        let rest = &self.s[self.i..];
        if rest.starts_with('\'') {
            self.i += 1;
            let mut out = String::new();
            loop {
                let Some(c) = self.s[self.i..].chars().next() else {
                    return Err("Unterminated string literal".into());
                };
                self.i += c.len_utf8();
                match c {
                    '\'' => return Ok(Arg::Lit(Value::String(out))),
                    '\\' => {
                        let Some(n) = self.s[self.i..].chars().next() else {
                            return Err("Unterminated string literal".into());
                        };
                        self.i += n.len_utf8();
                        match n {
                            '\'' | '\\' => out.push(n),
                            other => {
                                out.push('\\');
                                out.push(other);
                            }
                        }
                    }
                    c => out.push(c),
                }
            }
        }
        if rest.starts_with("States.") {
            return self.call().map(Arg::Call);
        }
        // A path or a literal: up to the next top-level ',' or ')'.
        let start = self.i;
        let mut depth = 0i32;
        let mut quote: Option<u8> = None;
        while let Some(&c) = self.b.get(self.i) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'\'' | b'"') => quote = Some(c),
                (None, b'[' | b'(') => depth += 1,
                (None, b']') => depth -= 1,
                (None, b')') if depth > 0 => depth -= 1,
                (None, b',' | b')') if depth == 0 => break,
                _ => {}
            }
            self.i += 1;
        }
        let text = self.s[start..self.i].trim();
        if text.starts_with('$') {
            return Ok(Arg::Path(text.to_string()));
        }
        match serde_json::from_str::<Value>(text) {
            Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => Ok(Arg::Lit(v)),
            _ => Err(format!("Invalid argument '{text}'")),
        }
    }
}

fn run(call: &Call, env: &Env<'_>, field: &str) -> Result<Value, EvalError> {
    let mut args = Vec::with_capacity(call.args.len());
    for a in &call.args {
        args.push(match a {
            Arg::Lit(v) => v.clone(),
            Arg::Path(p) => env.resolve_path(p, field)?,
            Arg::Call(c) => run(c, env, field)?,
        });
    }
    let name = call.name.as_str();
    let fail = |m: String| EvalError::intrinsic(format!("{m} (in {name})"));
    let want = |n: usize| -> Result<(), EvalError> {
        if args.len() == n {
            Ok(())
        } else {
            Err(fail(format!(
                "expected {n} arguments but got {}",
                args.len()
            )))
        }
    };
    let str_arg = |i: usize| -> Result<&str, EvalError> {
        args[i]
            .as_str()
            .ok_or_else(|| fail(format!("argument {} must be a string", i + 1)))
    };
    let arr_arg = |i: usize| -> Result<&Vec<Value>, EvalError> {
        args[i]
            .as_array()
            .ok_or_else(|| fail(format!("argument {} must be an array", i + 1)))
    };
    let int_arg = |i: usize| -> Result<i64, EvalError> {
        match &args[i] {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| fail(format!("argument {} must be an integer", i + 1))),
            _ => Err(fail(format!("argument {} must be an integer", i + 1))),
        }
    };
    // A number rounded to an integer (half up, as Java's Math.round): MathAdd's arguments and
    // MathRandom's bounds.
    let rounded_arg = |i: usize| -> Result<i64, EvalError> {
        let v = &args[i];
        match v.as_i64() {
            Some(n) => Ok(n),
            None => v
                .as_f64()
                .filter(|f| f.is_finite())
                .map(|f| (f + 0.5).floor() as i64)
                .ok_or_else(|| fail(format!("argument {} must be a number", i + 1))),
        }
    };
    Ok(match name {
        "States.Format" => {
            if args.is_empty() {
                return Err(fail("expected a template".into()));
            }
            let template = str_arg(0)?;
            let mut out = String::new();
            let mut next = 1;
            let mut chars = template.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            out.push(n);
                        }
                    }
                    '{' if chars.peek() == Some(&'}') => {
                        chars.next();
                        let Some(v) = args.get(next) else {
                            return Err(fail(
                                "the template has more placeholders than arguments".into(),
                            ));
                        };
                        next += 1;
                        format_arg(v, &mut out);
                    }
                    c => out.push(c),
                }
            }
            if next != args.len() {
                return Err(fail(
                    "the template has fewer placeholders than arguments".into(),
                ));
            }
            Value::String(out)
        }
        "States.StringToJson" => {
            want(1)?;
            let text = str_arg(0)?;
            // A blank string parses to null (AWS returns null for " ").
            if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(text).map_err(|e| fail(e.to_string()))?
            }
        }
        "States.JsonToString" => {
            want(1)?;
            Value::String(args[0].to_string())
        }
        "States.Array" => Value::Array(args),
        "States.ArrayPartition" => {
            want(2)?;
            let size = int_arg(1)?;
            if size <= 0 {
                return Err(fail("the chunk size must be positive".into()));
            }
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            Value::Array(
                arr_arg(0)?
                    .chunks(size)
                    .map(|c| Value::Array(c.to_vec()))
                    .collect(),
            )
        }
        "States.ArrayContains" => {
            want(2)?;
            Value::Bool(arr_arg(0)?.iter().any(|x| json_eq(x, &args[1])))
        }
        "States.ArrayRange" => {
            want(3)?;
            let (start, end, step) = (int_arg(0)?, int_arg(1)?, int_arg(2)?);
            if step == 0 {
                return Err(fail("the step must not be 0".into()));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0 && x <= end) || (step < 0 && x >= end) {
                out.push(Value::from(x));
                if out.len() > 1000 {
                    return Err(fail("the range has more than 1000 items".into()));
                }
                x += step;
            }
            Value::Array(out)
        }
        "States.ArrayGetItem" => {
            want(2)?;
            let idx = int_arg(1)?;
            usize::try_from(idx)
                .ok()
                .and_then(|i| arr_arg(0).ok()?.get(i).cloned())
                .ok_or_else(|| fail(format!("index {idx} is out of bounds")))?
        }
        "States.ArrayLength" => {
            want(1)?;
            Value::from(arr_arg(0)?.len())
        }
        "States.ArrayUnique" => {
            want(1)?;
            let mut out: Vec<Value> = Vec::new();
            for x in arr_arg(0)? {
                if !out.iter().any(|y| json_eq(x, y)) {
                    out.push(x.clone());
                }
            }
            Value::Array(out)
        }
        "States.Base64Encode" => {
            want(1)?;
            let s = str_arg(0)?;
            if s.chars().count() > 10_000 {
                return Err(fail("the input exceeds 10000 characters".into()));
            }
            Value::String(base64::engine::general_purpose::STANDARD.encode(s))
        }
        "States.Base64Decode" => {
            want(1)?;
            let s = str_arg(0)?;
            if s.chars().count() > 10_000 {
                return Err(fail("the input exceeds 10000 characters".into()));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| fail(e.to_string()))?;
            Value::String(String::from_utf8(bytes).map_err(|e| fail(e.to_string()))?)
        }
        "States.Hash" => {
            want(2)?;
            let data = match &args[0] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if data.chars().count() > 10_000 {
                return Err(fail("the input exceeds 10000 characters".into()));
            }
            Value::String(hash(data.as_bytes(), str_arg(1)?).ok_or_else(|| {
                fail(format!(
                    "unknown algorithm '{}': use MD5, SHA-1, SHA-256, SHA-384 or SHA-512",
                    args[1]
                ))
            })?)
        }
        "States.JsonMerge" => {
            want(3)?;
            if args[2] != Value::Bool(false) {
                return Err(fail("only shallow merge (false) is supported".into()));
            }
            let (Some(a), Some(b)) = (args[0].as_object(), args[1].as_object()) else {
                return Err(fail("both arguments must be objects".into()));
            };
            let mut out: Map<String, Value> = a.clone();
            for (k, v) in b {
                out.insert(k.clone(), v.clone());
            }
            Value::Object(out)
        }
        "States.MathRandom" => {
            if args.len() != 2 && args.len() != 3 {
                return Err(fail("expected 2 or 3 arguments".into()));
            }
            // Start and end are rounded like MathAdd's arguments (AWS accepts 12.5 and 44.51).
            let (start, end) = (rounded_arg(0)?, rounded_arg(1)?);
            if end <= start {
                return Err(fail("the end must be greater than the start".into()));
            }
            let span = u64::try_from(end - start).unwrap_or(u64::MAX);
            let draw = if args.len() == 3 {
                Rand::seeded(int_arg(2)? as u64).below(span)
            } else {
                env.rand.below(span)
            };
            Value::from(start + draw as i64)
        }
        "States.MathAdd" => {
            want(2)?;
            Value::from(rounded_arg(0)? + rounded_arg(1)?)
        }
        "States.StringSplit" => {
            want(2)?;
            let s = str_arg(0)?;
            let delims: Vec<char> = str_arg(1)?.chars().collect();
            Value::Array(
                s.split(|c| delims.contains(&c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_string()))
                    .collect(),
            )
        }
        "States.UUID" => {
            want(0)?;
            Value::String(env.rand.uuid().to_string())
        }
        other => {
            return Err(EvalError::intrinsic(format!(
                "Unknown intrinsic function '{other}'"
            )));
        }
    })
}

/// JSON equality with numbers compared by value.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(data: &[u8], alg: &str) -> Option<String> {
    use sha2::Digest as _;
    Some(match alg {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        _ => return None,
    })
}

/// SHA-1 (FIPS 180-4), for `States.Hash` only.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in msg.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Appends `v` as `States.Format` renders an argument: strings raw, numbers, booleans and `null`
/// as JSON, objects as `{k=v, k2=v2}` and arrays as `[a, b]` (Java's `Map` and `List` notation,
/// recorded against AWS for `$$.StateMachine`), members rendered the same way.
fn format_arg(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Object(m) => {
            out.push('{');
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                format_arg(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                format_arg(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_known() {
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }
}
