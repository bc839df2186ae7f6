//! The pattern compiler: validates a policy or event pattern with AWS's messages, in the order
//! and at the positions AWS's streaming compiler reports them, and produces its branches.

use super::json::{Cursor, Tok, parse_document, trailer, write_compact};
use super::policy::{Branch, Field};
use super::regexp::Regexp;
use super::value::{
    AnythingBut, IpRange, Literal, Matcher, Num, NumRange, NumberSemantics, SNS_NUMBER_LIMIT,
    Wildcard, fold,
};
use super::{Dialect, FilterPolicyScope};

/// A validation failure: the message and, for errors raised while parsing, the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternError {
    pub(crate) message: String,
    /// The byte position in `source` where the parser stood, when the error carries a location.
    pub(crate) pos: Option<usize>,
    /// The text positions refer to.
    pub(crate) source: String,
    /// A JSON syntax error (SNS words these "failed to parse JSON. …").
    pub(crate) syntax: bool,
}

impl PatternError {
    /// The message with the location trailer, when there is one.
    pub(crate) fn full_message(&self) -> String {
        match self.pos {
            Some(pos) => format!("{}{}", self.message, trailer(&self.source, pos)),
            None => self.message.clone(),
        }
    }
}

/// What compiling produced.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) branches: Vec<Branch>,
}

/// The SNS limits.
const MAX_KEYS: usize = 5;
const MAX_COMBINATIONS: u64 = 150;
/// A guard against `$or` expansion blowing up before the complexity check can run.
const MAX_BRANCHES: usize = 4096;

const TOO_MANY_ELEMENTS: &str = "Too many elements in numeric expression";
const ONE_KEY: &str = "Only one key allowed in match expression";
const RANGE_MESSAGE: &str = "Value must be between -1.0E9 and 1.0E9, inclusive";
pub(crate) const NESTED_MESSAGE: &str =
    "Filter policy scope MessageAttributes does not support nested filter policy";
pub(crate) const TOO_COMPLEX: &str = "Filter policy is too complex";
pub(crate) const TOO_MANY_KEYS: &str = "Filter policy can not have more than 5 keys";

/// Field names that may not be used inside `$or` (event-ruler's reserved words).
const RESERVED_IN_OR: &[&str] = &[
    "exactly",
    "equals-ignore-case",
    "prefix",
    "suffix",
    "anything-but",
    "exists",
    "wildcard",
    "numeric",
    "cidr",
    "=",
    "<",
    "<=",
    ">",
    ">=",
    "regex",
    "not-wildcard",
    "not-equals-ignore-case",
    "date-after",
    "date-on-or-after",
    "date-before",
    "date-on-or-before",
    "in-date-range",
    "ip-address-in-range",
    "ip-address-not-in-range",
];

/// Compiles `text` in `dialect`.
pub(crate) fn compile(text: &str, dialect: Dialect) -> Result<Compiled, PatternError> {
    let tree = parse_document(text).map_err(|e| PatternError {
        message: e.message,
        pos: Some(e.pos),
        source: text.to_owned(),
        syntax: true,
    })?;
    // SNS re-serializes the policy before compiling it; EventBridge compiles the text as sent.
    let source = if dialect.is_sns() {
        let mut s = String::with_capacity(text.len());
        write_compact(&tree, &mut s);
        s
    } else {
        text.to_owned()
    };
    let mut c = Compiler {
        cur: Cursor::new(&source),
        source: &source,
        dialect,
        sem: dialect.number_semantics(),
        nested: false,
        top_keys: 0,
    };
    let mut rules: Vec<Branch> = Vec::new();
    if c.cur.next() != Tok::StartObj {
        return Err(c.err("Filter is not an object"));
    }
    c.parse_object(&mut rules, &mut Vec::new(), 1, false, true)?;
    if rules.is_empty() {
        // `{}`: SNS accepts it and it matches everything.
        rules.push(Branch::default());
    }
    if let Dialect::Sns(scope) = dialect {
        let post = |message: &str| PatternError {
            message: message.to_owned(),
            pos: None,
            source: source.clone(),
            syntax: false,
        };
        if c.top_keys > MAX_KEYS {
            return Err(post(TOO_MANY_KEYS));
        }
        if scope == FilterPolicyScope::MessageAttributes && c.nested {
            return Err(post(NESTED_MESSAGE));
        }
        let combinations: u64 = rules
            .iter()
            .map(|b| {
                b.fields.iter().fold(1u64, |acc, f| {
                    acc.saturating_mul(f.matchers.len() as u64 * u64::from(f.depth))
                })
            })
            .fold(0u64, u64::saturating_add);
        if combinations > MAX_COMBINATIONS {
            return Err(post(TOO_COMPLEX));
        }
    }
    Ok(Compiled { branches: rules })
}

struct Compiler<'s> {
    cur: Cursor,
    source: &'s str,
    dialect: Dialect,
    sem: NumberSemantics,
    nested: bool,
    top_keys: usize,
}

type R<T> = Result<T, PatternError>;

impl Compiler<'_> {
    fn err(&self, message: impl Into<String>) -> PatternError {
        PatternError {
            message: message.into(),
            pos: Some(self.cur.pos()),
            source: self.source.to_owned(),
            syntax: false,
        }
    }

    /// An error raised outside the parser (no location), as CIDR and wildcard errors are.
    fn plain(&self, message: impl Into<String>) -> PatternError {
        PatternError {
            message: message.into(),
            pos: None,
            source: self.source.to_owned(),
            syntax: false,
        }
    }

    fn eb(&self) -> bool {
        !self.dialect.is_sns()
    }

    fn expect_end(&mut self, message: &str) -> R<()> {
        if self.cur.next() != Tok::EndObj {
            return Err(self.err(message));
        }
        Ok(())
    }

    fn string_value(&mut self, message: &str) -> R<String> {
        match self.cur.next() {
            Tok::Str(s) => {
                self.cur.finish_text();
                Ok(s)
            }
            _ => Err(self.err(message)),
        }
    }

    fn num(&self, text: &str) -> Num {
        let f: f64 = text.parse().unwrap_or(f64::NAN);
        if f.is_finite() {
            Num::new(f, self.sem)
        } else {
            Num { f, key: None }
        }
    }

    /// A number used in a comparison: SNS rejects values outside ±1e9.
    fn compared(&self, f: f64) -> R<Num> {
        if self.sem == NumberSemantics::Sns && !(-SNS_NUMBER_LIMIT..=SNS_NUMBER_LIMIT).contains(&f)
        {
            return Err(self.err(RANGE_MESSAGE));
        }
        if !f.is_finite() {
            return Err(self.err(RANGE_MESSAGE));
        }
        Ok(Num::new(f, self.sem))
    }

    fn parse_object(
        &mut self,
        rules: &mut Vec<Branch>,
        path: &mut Vec<String>,
        depth: u32,
        in_or: bool,
        top: bool,
    ) -> R<()> {
        let mut any = false;
        loop {
            match self.cur.next() {
                Tok::EndObj => break,
                Tok::Field(name) => {
                    any = true;
                    if top {
                        self.top_keys += 1;
                    }
                    if name == "$or" {
                        self.parse_or(rules, path, depth)?;
                        continue;
                    }
                    if in_or && RESERVED_IN_OR.contains(&name.as_str()) {
                        return Err(self.err(format!(
                            "{name} is Ruler reserved fieldName which cannot be used inside $or."
                        )));
                    }
                    match self.cur.next() {
                        Tok::StartObj => {
                            self.nested = true;
                            path.push(name);
                            self.parse_object(rules, path, depth + 1, in_or, false)?;
                            path.pop();
                        }
                        Tok::StartArr => {
                            let matchers = self.write_rules()?;
                            let full = if path.is_empty() {
                                name
                            } else {
                                format!("{}.{name}", path.join("."))
                            };
                            if rules.is_empty() {
                                rules.push(Branch::default());
                            }
                            for r in rules.iter_mut() {
                                r.fields.retain(|f| *f.path != *full);
                                r.fields.push(Field {
                                    path: full.as_str().into(),
                                    depth,
                                    matchers: matchers.clone(),
                                });
                            }
                        }
                        _ => {
                            return Err(
                                self.err(format!("\"{name}\" must be an object or an array"))
                            );
                        }
                    }
                }
                _ => return Err(self.err("Field name expected")),
            }
        }
        if !(any || top && self.dialect.is_sns()) {
            return Err(self.err("Empty objects are not allowed"));
        }
        Ok(())
    }

    fn parse_or(&mut self, rules: &mut Vec<Branch>, path: &mut Vec<String>, depth: u32) -> R<()> {
        let current = std::mem::take(rules);
        if self.cur.next() != Tok::StartArr {
            return Err(self.err("It must be an Array followed with $or."));
        }
        let mut count = 0;
        loop {
            match self.cur.next() {
                Tok::EndArr => break,
                Tok::StartObj => {
                    count += 1;
                    let mut forked = current.clone();
                    if forked.is_empty() {
                        forked.push(Branch::default());
                    }
                    self.parse_object(&mut forked, path, depth, true, false)?;
                    rules.extend(forked);
                    if rules.len() > MAX_BRANCHES {
                        return Err(self.plain(if self.dialect.is_sns() {
                            TOO_COMPLEX
                        } else {
                            "Rule is too complex"
                        }));
                    }
                }
                _ => {
                    return Err(
                        self.err("Only JSON object is allowed in array of $or relationship.")
                    );
                }
            }
        }
        if count < 2 {
            return Err(self.err("There must have at least 2 Objects in $or relationship."));
        }
        Ok(())
    }

    fn write_rules(&mut self) -> R<Vec<Matcher>> {
        let mut out = Vec::new();
        loop {
            match self.cur.next() {
                Tok::EndArr => break,
                Tok::StartObj => out.push(self.match_expression()?),
                Tok::Str(s) => {
                    self.cur.finish_text();
                    out.push(Matcher::Exact(Literal::Str(s.into())));
                }
                Tok::Num(t) => out.push(Matcher::Exact(Literal::Num(self.num(&t)))),
                Tok::True => out.push(Matcher::Exact(Literal::True)),
                Tok::False => out.push(Matcher::Exact(Literal::False)),
                Tok::Null => out.push(Matcher::Exact(Literal::Null)),
                _ => {
                    return Err(
                        self.err("Match value must be String, number, true, false, or null")
                    );
                }
            }
        }
        if out.is_empty() {
            return Err(self.err("Empty arrays are not allowed"));
        }
        Ok(out)
    }

    fn match_expression(&mut self) -> R<Matcher> {
        let name = match self.cur.next() {
            Tok::Field(n) => n,
            _ => return Err(self.err("Match expression name not found")),
        };
        match name.as_str() {
            "prefix" | "suffix" => {
                let is_prefix = name == "prefix";
                match self.cur.next() {
                    Tok::Str(s) => {
                        self.cur.finish_text();
                        self.expect_end(ONE_KEY)?;
                        Ok(if is_prefix {
                            Matcher::Prefix(s.into())
                        } else {
                            Matcher::Suffix(s.into())
                        })
                    }
                    Tok::StartObj if self.eb() => {
                        let inner = match self.cur.next() {
                            Tok::Field(n) => n,
                            _ => return Err(self.err("Match expression name not found")),
                        };
                        if inner != "equals-ignore-case" {
                            return Err(self.err(format!("Unsupported {name} pattern: {inner}")));
                        }
                        let s =
                            self.string_value("equals-ignore-case match pattern must be a string")?;
                        self.expect_end(ONE_KEY)?;
                        self.expect_end(ONE_KEY)?;
                        let f: Box<str> = fold(&s).into();
                        Ok(if is_prefix {
                            Matcher::PrefixIgnoreCase(f)
                        } else {
                            Matcher::SuffixIgnoreCase(f)
                        })
                    }
                    _ => Err(self.err(format!("{name} match pattern must be a string"))),
                }
            }
            "equals-ignore-case" => {
                let s = self.string_value("equals-ignore-case match pattern must be a string")?;
                self.expect_end(ONE_KEY)?;
                Ok(Matcher::EqualsIgnoreCase(fold(&s).into()))
            }
            "wildcard" if self.eb() => {
                let s = self.string_value("wildcard match pattern must be a string")?;
                let w = Wildcard::parse(&s).map_err(|m| self.plain(m))?;
                self.expect_end(ONE_KEY)?;
                Ok(Matcher::Wildcard(w))
            }
            "regexp" if self.dialect == Dialect::Quamina => {
                let s = self.string_value("regexp match pattern must be a string")?;
                let r = Regexp::parse(&s).map_err(|m| self.plain(m))?;
                self.expect_end(ONE_KEY)?;
                Ok(Matcher::Regexp(r))
            }
            "numeric" => {
                let m = self.numeric()?;
                if self.cur.next() != Tok::EndObj {
                    return Err(self.err(TOO_MANY_ELEMENTS));
                }
                Ok(m)
            }
            "anything-but" => self.anything_but(),
            "exists" => {
                let v = match self.cur.next() {
                    Tok::True => true,
                    Tok::False => false,
                    _ => {
                        return Err(self.err("exists match pattern must be either true or false."));
                    }
                };
                self.expect_end(ONE_KEY)?;
                Ok(Matcher::Exists(v))
            }
            "cidr" => {
                let s = self.string_value("prefix match pattern must be a string")?;
                let r = IpRange::parse(&s).map_err(|m| self.plain(m))?;
                self.expect_end(ONE_KEY)?;
                Ok(Matcher::Cidr(r))
            }
            _ => Err(self.err(format!("Unrecognized match type {name}"))),
        }
    }

    fn numeric(&mut self) -> R<Matcher> {
        if self.cur.next() != Tok::StartArr {
            return Err(self.err("Value of numeric must be an array."));
        }
        let op = match self.cur.next() {
            Tok::Str(s) => {
                self.cur.finish_text();
                s
            }
            other => {
                return Err(self.err(format!("Invalid member in numeric match: {}", other.text())));
            }
        };
        let t = self.cur.next();
        let value = |t: &Tok| match t {
            Tok::Num(x) => x.parse::<f64>().ok(),
            _ => None,
        };
        let range = match op.as_str() {
            "=" => {
                let v = value(&t).ok_or_else(|| self.err("Value of equals must be numeric"))?;
                if self.cur.next() != Tok::EndArr {
                    return Err(self.err(TOO_MANY_ELEMENTS));
                }
                let k = self.compared(v)?.key;
                NumRange {
                    lo: k.map(|k| (k, true)),
                    hi: k.map(|k| (k, true)),
                }
            }
            ">=" | ">" => {
                let v =
                    value(&t).ok_or_else(|| self.err(format!("Value of {op} must be numeric")))?;
                let t2 = self.cur.next();
                if t2 == Tok::EndArr {
                    let k = self.compared(v)?.key;
                    NumRange {
                        lo: k.map(|k| (k, op == ">=")),
                        hi: None,
                    }
                } else {
                    self.complete_range(t2, v, op == ">=")?
                }
            }
            "<=" | "<" => {
                let v =
                    value(&t).ok_or_else(|| self.err(format!("Value of {op} must be numeric")))?;
                if self.cur.next() != Tok::EndArr {
                    return Err(self.err(TOO_MANY_ELEMENTS));
                }
                let k = self.compared(v)?.key;
                NumRange {
                    lo: None,
                    hi: k.map(|k| (k, op == "<=")),
                }
            }
            _ => return Err(self.err(format!("Unrecognized numeric range operator: {op}"))),
        };
        Ok(Matcher::Numeric(range))
    }

    fn complete_range(&mut self, t: Tok, bottom: f64, bottom_inclusive: bool) -> R<NumRange> {
        let op = match t {
            Tok::Str(s) => {
                self.cur.finish_text();
                s
            }
            other => {
                return Err(self.err(format!("Bad value in numeric range: {}", other.text())));
            }
        };
        if op != "<" && op != "<=" {
            return Err(self.err(format!("Bad numeric range operator: {op}")));
        }
        let top = match self.cur.next() {
            Tok::Num(x) => x.parse::<f64>().unwrap_or(f64::NAN),
            _ => return Err(self.err(format!("Value of {op} must be numeric"))),
        };
        if self.cur.next() != Tok::EndArr {
            return Err(self.err("Too many terms in numeric range expression"));
        }
        let lo = self.compared(bottom)?;
        let hi = self.compared(top)?;
        if bottom >= top {
            return Err(self.err("Bottom must be less than top"));
        }
        Ok(NumRange {
            lo: lo.key.map(|k| (k, bottom_inclusive)),
            hi: hi.key.map(|k| (k, op == "<=")),
        })
    }

    fn anything_but(&mut self) -> R<Matcher> {
        let t = self.cur.next();
        if t == Tok::StartObj {
            let op = match self.cur.next() {
                Tok::Field(n) => n,
                _ => return Err(self.err("Anything-But expression name not found")),
            };
            if self.dialect.is_sns() {
                if op != "prefix" {
                    return Err(self.err(format!("Unsupported anything-but pattern: {op}")));
                }
                let s = self.string_value("prefix match pattern must be a string")?;
                if s.is_empty() {
                    return Err(self.err("Null prefix/suffix not allowed"));
                }
                self.expect_end(ONE_KEY)?;
                self.expect_end(ONE_KEY)?;
                return Ok(Matcher::AnythingBut(AnythingBut::Prefix(vec![s.into()])));
            }
            return match op.as_str() {
                "prefix" | "suffix" | "wildcard" => {
                    let type_message = if op == "wildcard" {
                        "wildcard match pattern must be a string"
                    } else {
                        "prefix/suffix match pattern must be a string"
                    };
                    let list = self.string_list(type_message, type_message)?;
                    if op != "wildcard" && list.iter().any(String::is_empty) {
                        return Err(self.err("Null prefix/suffix not allowed"));
                    }
                    self.expect_end(ONE_KEY)?;
                    self.expect_end(ONE_KEY)?;
                    let ab = match op.as_str() {
                        "prefix" => AnythingBut::Prefix(list.into_iter().map(Into::into).collect()),
                        "suffix" => AnythingBut::Suffix(list.into_iter().map(Into::into).collect()),
                        _ => AnythingBut::Wildcard(
                            list.iter()
                                .map(|s| Wildcard::parse(s))
                                .collect::<Result<_, _>>()
                                .map_err(|m| self.plain(m))?,
                        ),
                    };
                    Ok(Matcher::AnythingBut(ab))
                }
                "equals-ignore-case" => {
                    let message = "Inside anything-but/equals-ignore-case list, \
                                   number|start|null|boolean is not supported.";
                    let list = self.string_list(message, message)?;
                    self.expect_end(TOO_MANY_ELEMENTS)?;
                    self.expect_end(TOO_MANY_ELEMENTS)?;
                    Ok(Matcher::AnythingBut(AnythingBut::IgnoreCase(
                        list.iter().map(|s| fold(s).into()).collect(),
                    )))
                }
                _ => Err(self.err(format!("Unsupported anything-but pattern: {op}"))),
            };
        }
        let ab = match t {
            Tok::StartArr => {
                let mut strings: Vec<Box<str>> = Vec::new();
                let mut numbers: Vec<Num> = Vec::new();
                loop {
                    match self.cur.next() {
                        Tok::EndArr => break,
                        Tok::Str(s) => {
                            self.cur.finish_text();
                            strings.push(s.into());
                        }
                        Tok::Num(x) => {
                            let f = x.parse::<f64>().unwrap_or(f64::NAN);
                            numbers.push(self.compared(f)?);
                        }
                        _ => {
                            return Err(self.err(
                                "Inside anything but list, start|null|boolean is not supported.",
                            ));
                        }
                    }
                }
                if strings.is_empty() == numbers.is_empty() {
                    return Err(self.err(
                        "Inside anything but list, either all values are number or string, mixed \
                         type is not supported",
                    ));
                }
                if numbers.is_empty() {
                    AnythingBut::Strings(strings)
                } else {
                    AnythingBut::Numbers(numbers)
                }
            }
            Tok::Str(s) => {
                self.cur.finish_text();
                AnythingBut::Strings(vec![s.into()])
            }
            Tok::Num(x) => {
                let f = x.parse::<f64>().unwrap_or(f64::NAN);
                AnythingBut::Numbers(vec![self.compared(f)?])
            }
            _ => {
                return Err(self
                    .err("Value of anything-but must be an array or single string/number value."));
            }
        };
        if self.cur.next() != Tok::EndObj {
            return Err(self.err(TOO_MANY_ELEMENTS));
        }
        Ok(Matcher::AnythingBut(ab))
    }

    /// A string, or an array of strings.
    fn string_list(&mut self, not_string: &str, bad_member: &str) -> R<Vec<String>> {
        match self.cur.next() {
            Tok::Str(s) => {
                self.cur.finish_text();
                Ok(vec![s])
            }
            Tok::StartArr => {
                let mut out = Vec::new();
                loop {
                    match self.cur.next() {
                        Tok::EndArr => break,
                        Tok::Str(s) => {
                            self.cur.finish_text();
                            out.push(s);
                        }
                        _ => return Err(self.err(bad_member)),
                    }
                }
                if out.is_empty() {
                    return Err(self.err(bad_member));
                }
                Ok(out)
            }
            _ => Err(self.err(not_string)),
        }
    }
}
