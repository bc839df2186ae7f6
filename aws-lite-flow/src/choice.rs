//! Choice rules: comparison operators, type tests and `And`/`Or`/`Not`.
//!
//! # Semantics
//!
//! - A comparison of a value of the wrong type is `false`, never an error: `StringEquals` on a
//!   number, `NumericLessThan` on a string, `TimestampEquals` on a string that is not an
//!   RFC 3339 timestamp.
//! - Numbers compare by value (`1` equals `1.0`); strings compare by Unicode code points;
//!   timestamps by instant.
//! - `StringMatches` takes a pattern where `*` matches any run of characters and `\*` is a
//!   literal star (`\\` a literal backslash).
//! - Each operator has a `…Path` variant whose operand is a path into the input (or `$$`, or a
//!   variable); a path that selects nothing is a `States.Runtime` error.
//! - `IsPresent` is the only test a missing `Variable` satisfies (with `false`); for any other
//!   operator a missing `Variable` is a `States.Runtime` error ("Invalid path … : The choice
//!   state's condition path references an invalid value.").
//! - `IsNull`, `IsNumeric`, `IsString`, `IsBoolean`, `IsTimestamp` compare the test with the
//!   operand `true`/`false`.

use serde_json::Value;

use crate::asl::ChoiceRule;
use crate::dataflow::{Env, EvalError};
use crate::timestamp;

/// The kind of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    String,
    Numeric,
    Timestamp,
    Boolean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    Eq,
    Lt,
    Gt,
    Le,
    Ge,
}

/// A comparison operator named by a rule's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operator {
    Compare { kind: Kind, rel: Rel, path: bool },
    Matches,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl Operator {
    /// The operator named `key` (`StringEquals`, `NumericLessThanPath`, `IsNull` …).
    pub(crate) fn parse(key: &str) -> Option<Operator> {
        Some(match key {
            "StringMatches" => Operator::Matches,
            "IsNull" => Operator::IsNull,
            "IsPresent" => Operator::IsPresent,
            "IsNumeric" => Operator::IsNumeric,
            "IsString" => Operator::IsString,
            "IsBoolean" => Operator::IsBoolean,
            "IsTimestamp" => Operator::IsTimestamp,
            _ => {
                let (base, path) = match key.strip_suffix("Path") {
                    Some(b) => (b, true),
                    None => (key, false),
                };
                let (kind, rest) = [
                    ("String", Kind::String),
                    ("Numeric", Kind::Numeric),
                    ("Timestamp", Kind::Timestamp),
                    ("Boolean", Kind::Boolean),
                ]
                .into_iter()
                .find_map(|(p, k)| base.strip_prefix(p).map(|r| (k, r)))?;
                let rel = match rest {
                    "Equals" => Rel::Eq,
                    "LessThan" if kind != Kind::Boolean => Rel::Lt,
                    "GreaterThan" if kind != Kind::Boolean => Rel::Gt,
                    "LessThanEquals" if kind != Kind::Boolean => Rel::Le,
                    "GreaterThanEquals" if kind != Kind::Boolean => Rel::Ge,
                    _ => return None,
                };
                Operator::Compare { kind, rel, path }
            }
        })
    }
}

/// Evaluates `rule` against `env`.
pub(crate) fn evaluate(rule: &ChoiceRule, env: &Env<'_>) -> Result<bool, EvalError> {
    if let Some(all) = &rule.and {
        for r in all {
            if !evaluate(r, env)? {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    if let Some(any) = &rule.or {
        for r in any {
            if evaluate(r, env)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if let Some(not) = &rule.not {
        return Ok(!evaluate(not, env)?);
    }
    let Some((key, operand)) = rule.comparison.iter().next() else {
        return Err(EvalError::runtime("A choice rule has no comparison"));
    };
    let Some(op) = Operator::parse(key) else {
        return Err(EvalError::runtime(format!(
            "Unknown choice operator '{key}'"
        )));
    };
    let var = rule.variable.as_deref().unwrap_or("$");
    let value = env.try_path(var, "Variable")?;
    if op == Operator::IsPresent {
        return Ok(value.is_some() == (operand == &Value::Bool(true)));
    }
    let Some(value) = value else {
        return Err(EvalError::runtime(format!(
            "Invalid path '{var}': The choice state's condition path references an invalid value."
        )));
    };
    let test = |b: bool| Ok(b == (operand == &Value::Bool(true)));
    match op {
        Operator::IsNull => test(value.is_null()),
        Operator::IsNumeric => test(value.is_number()),
        Operator::IsString => test(value.is_string()),
        Operator::IsBoolean => test(value.is_boolean()),
        Operator::IsTimestamp => test(value.as_str().and_then(timestamp::parse).is_some()),
        Operator::IsPresent => test(true),
        Operator::Matches => Ok(match (value.as_str(), operand.as_str()) {
            (Some(s), Some(p)) => wildcard_match(p, s),
            _ => false,
        }),
        Operator::Compare { kind, rel, path } => {
            let rhs = if path {
                let Some(p) = operand.as_str() else {
                    return Ok(false);
                };
                env.resolve_path(p, key)?
            } else {
                operand.clone()
            };
            Ok(compare(kind, rel, &value, &rhs))
        }
    }
}

fn compare(kind: Kind, rel: Rel, a: &Value, b: &Value) -> bool {
    let ord = match kind {
        Kind::String => match (a.as_str(), b.as_str()) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => return false,
        },
        Kind::Numeric => match (a, b) {
            (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => match x
                    .as_f64()
                    .zip(y.as_f64())
                    .and_then(|(x, y)| x.partial_cmp(&y))
                {
                    Some(o) => o,
                    None => return false,
                },
            },
            _ => return false,
        },
        Kind::Timestamp => {
            match (
                a.as_str().and_then(timestamp::parse),
                b.as_str().and_then(timestamp::parse),
            ) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => return false,
            }
        }
        Kind::Boolean => match (a.as_bool(), b.as_bool()) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => return false,
        },
    };
    match rel {
        Rel::Eq => ord.is_eq(),
        Rel::Lt => ord.is_lt(),
        Rel::Gt => ord.is_gt(),
        Rel::Le => ord.is_le(),
        Rel::Ge => ord.is_ge(),
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Star,
    Lit(char),
}

/// `StringMatches`: `*` matches any run of characters, `\*` a star, `\\` a backslash.
pub(crate) fn wildcard_match(pattern: &str, s: &str) -> bool {
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => toks.push(Tok::Lit(n)),
                None => toks.push(Tok::Lit('\\')),
            },
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Lit(c)),
        }
    }
    let text: Vec<char> = s.chars().collect();
    // Greedy matching with backtracking to the last star.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Star)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.log", "app.log"));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b", "ac"));
        assert!(wildcard_match("a\\*", "a*"));
        assert!(!wildcard_match("a\\*", "ab"));
        assert!(wildcard_match("*", ""));
    }

    #[test]
    fn operators() {
        assert!(Operator::parse("NumericGreaterThanEqualsPath").is_some());
        assert!(Operator::parse("BooleanLessThan").is_none());
        assert!(Operator::parse("Nope").is_none());
    }
}
