//! A compiled policy and the plain interpreter that matches it against one event.

use std::borrow::Cow;

use aws_lite_core::Error;
use serde_json::Value;

use super::Dialect;
use super::compile::compile;
use super::error::to_error;
use super::event::AttributeValue;
use super::value::{LeafValue, Matcher, Num, NumberSemantics};

/// One field of a branch: the values at `path` must satisfy one of `matchers`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Field {
    /// The dot-joined path.
    pub(crate) path: Box<str>,
    /// How many objects deep the field sits in the pattern (1 at the top); SNS's complexity
    /// count multiplies by it.
    pub(crate) depth: u32,
    pub(crate) matchers: Vec<Matcher>,
}

/// A conjunction of fields; a policy matches when one of its branches does.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Branch {
    pub(crate) fields: Vec<Field>,
}

/// A validated, compiled filter policy or event pattern.
///
/// Compile once with [`Policy::parse`], then match events with [`Policy::matches_attributes`],
/// [`Policy::matches_json`] or [`Policy::matches_str`]. To match many policies at once, put
/// them in a [`FilterSet`](super::FilterSet).
///
/// ```
/// use aws_lite_pubsub::filter::{AttributeValue, Dialect, FilterPolicyScope, Policy};
///
/// let policy = Policy::parse(
///     r#"{"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}]}"#,
///     Dialect::Sns(FilterPolicyScope::MessageAttributes),
/// )?;
/// let attrs = [
///     ("store", AttributeValue::String("example_corp")),
///     ("price_usd", AttributeValue::Number("210.75")),
/// ];
/// assert!(policy.matches_attributes(attrs));
/// assert!(!policy.matches_attributes([("store", AttributeValue::String("example_corp"))]));
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    dialect: Dialect,
    text: Box<str>,
    pub(crate) branches: Vec<Branch>,
}

impl Policy {
    /// Parses and validates `text` in `dialect`.
    ///
    /// # Errors
    ///
    /// An invalid policy is an [`Error`] with AWS's code and message: for SNS, code
    /// `InvalidParameter` and the message without the operation's prefix (add it with
    /// [`with_operation_prefix`](super::with_operation_prefix)); for EventBridge, code
    /// `InvalidEventPatternException` and "Event pattern is not valid. Reason: …".
    pub fn parse(text: &str, dialect: Dialect) -> Result<Policy, Error> {
        let compiled = compile(text, dialect).map_err(|e| to_error(&e, dialect))?;
        Ok(Policy {
            dialect,
            text: text.into(),
            branches: compiled.branches,
        })
    }

    /// Parses a policy given as a JSON value (serialized, then parsed as [`Policy::parse`]).
    ///
    /// # Errors
    ///
    /// As [`Policy::parse`].
    pub fn from_value(value: &Value, dialect: Dialect) -> Result<Policy, Error> {
        Policy::parse(&value.to_string(), dialect)
    }

    /// The dialect the policy was compiled in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The policy text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The number of `$or` branches after expansion (1 without `$or`).
    pub fn branch_count(&self) -> usize {
        self.branches.len()
    }

    /// Matches SNS message attributes (`FilterPolicyScope` `MessageAttributes`).
    pub fn matches_attributes<'a, I>(&self, attributes: I) -> bool
    where
        I: IntoIterator<Item = (&'a str, AttributeValue<'a>)>,
    {
        let attrs: Vec<(&str, AttributeValue<'_>)> = attributes
            .into_iter()
            .filter(|(_, v)| *v != AttributeValue::Binary)
            .collect();
        let sem = self.dialect.number_semantics();
        let exists_false_allowed = !attrs.is_empty();
        self.branches.iter().any(|b| {
            let gathered: Vec<Gathered<'_>> = b
                .fields
                .iter()
                .map(|f| gather_attribute(&attrs, &f.path, sem))
                .collect();
            let views: Vec<(&[Matcher], FieldView<'_, '_>)> = b
                .fields
                .iter()
                .zip(&gathered)
                .map(|(f, g)| (f.matchers.as_slice(), g.view()))
                .collect();
            branch_ok(&views, false, exists_false_allowed)
        })
    }

    /// Matches a parsed JSON document: an SNS message body (`FilterPolicyScope`
    /// `MessageBody`) or an EventBridge event. A document that is not an object matches
    /// nothing.
    pub fn matches_json(&self, document: &Value) -> bool {
        if !document.is_object() {
            return false;
        }
        let sem = self.dialect.number_semantics();
        let consistent = self.dialect.array_consistent();
        self.branches.iter().any(|b| {
            let gathered: Vec<Gathered<'_>> = b
                .fields
                .iter()
                .map(|f| gather_json(document, &f.path, sem))
                .collect();
            let views: Vec<(&[Matcher], FieldView<'_, '_>)> = b
                .fields
                .iter()
                .zip(&gathered)
                .map(|(f, g)| (f.matchers.as_slice(), g.view()))
                .collect();
            branch_ok(&views, consistent, true)
        })
    }

    /// Matches JSON text (an SNS message body or an EventBridge event). Text that is not a JSON
    /// object matches nothing, as SNS treats a body that is not JSON.
    pub fn matches_str(&self, text: &str) -> bool {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => self.matches_json(&v),
            Err(_) => false,
        }
    }
}

/// The values found at one path, for the interpreter.
pub(crate) struct Gathered<'a> {
    leaves: Vec<(LeafValue<'a>, Vec<(u64, u32)>)>,
    present: bool,
    attr_array: bool,
}

impl<'a> Gathered<'a> {
    fn view(&self) -> FieldView<'_, 'a> {
        FieldView {
            leaves: self
                .leaves
                .iter()
                .map(|(v, m)| LeafRef {
                    value: v,
                    mem: m.as_slice(),
                })
                .collect(),
            present: self.present,
            attr_array: self.attr_array,
        }
    }
}

fn gather_attribute<'a>(
    attrs: &[(&'a str, AttributeValue<'a>)],
    path: &str,
    sem: NumberSemantics,
) -> Gathered<'a> {
    let mut g = Gathered {
        leaves: Vec::new(),
        present: false,
        attr_array: false,
    };
    for (name, value) in attrs {
        if !same_path(name, path) {
            continue;
        }
        g.present = true;
        match *value {
            AttributeValue::String(s) => g.leaves.push((LeafValue::Str(Cow::Borrowed(s)), vec![])),
            AttributeValue::Number(t) => {
                if let Some(n) = Num::parse(t, sem) {
                    g.leaves.push((LeafValue::Num(n), vec![]));
                }
            }
            AttributeValue::StringArray(t) => {
                g.attr_array = true;
                if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(t) {
                    for item in items {
                        if let Some(v) = scalar_leaf(&item, sem) {
                            g.leaves.push((v.into_owned(), vec![]));
                        }
                    }
                }
            }
            AttributeValue::Binary => {}
        }
    }
    g
}

/// Whether an attribute name and a policy key denote the same path (both split on dots).
fn same_path(name: &str, path: &str) -> bool {
    name.split('.').eq(path.split('.'))
}

fn scalar_leaf(v: &Value, sem: NumberSemantics) -> Option<LeafValue<'_>> {
    Some(match v {
        Value::String(s) => LeafValue::Str(Cow::Borrowed(s.as_str())),
        Value::Number(n) => LeafValue::Num(Num::new(n.as_f64()?, sem)),
        Value::Bool(true) => LeafValue::True,
        Value::Bool(false) => LeafValue::False,
        Value::Null => LeafValue::Null,
        _ => return None,
    })
}

impl LeafValue<'_> {
    fn into_owned(self) -> LeafValue<'static> {
        match self {
            LeafValue::Str(s) => LeafValue::Str(Cow::Owned(s.into_owned())),
            LeafValue::Num(n) => LeafValue::Num(n),
            LeafValue::True => LeafValue::True,
            LeafValue::False => LeafValue::False,
            LeafValue::Null => LeafValue::Null,
        }
    }
}

/// Collects the values at `path` by walking the document: an object key matches when its
/// dot-separated segments are the next segments of the path.
fn gather_json<'a>(doc: &'a Value, path: &str, sem: NumberSemantics) -> Gathered<'a> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut g = Gathered {
        leaves: Vec::new(),
        present: false,
        attr_array: false,
    };
    let mut stack = Vec::new();
    if let Value::Object(map) = doc {
        walk_object(map, &segments, sem, &mut stack, &mut g);
    }
    g.present = !g.leaves.is_empty();
    g
}

fn walk_object<'a>(
    map: &'a serde_json::Map<String, Value>,
    rest: &[&str],
    sem: NumberSemantics,
    stack: &mut Vec<(u64, u32)>,
    g: &mut Gathered<'a>,
) {
    for (k, child) in map {
        let key_segments = k.split('.').count();
        if key_segments <= rest.len() && k.split('.').eq(rest[..key_segments].iter().copied()) {
            walk(child, &rest[key_segments..], sem, stack, g);
        }
    }
}

fn walk<'a>(
    v: &'a Value,
    rest: &[&str],
    sem: NumberSemantics,
    stack: &mut Vec<(u64, u32)>,
    g: &mut Gathered<'a>,
) {
    match v {
        Value::Object(map) => {
            if !rest.is_empty() {
                walk_object(map, rest, sem, stack, g);
            }
        }
        Value::Array(items) => {
            // An array's identity is its address, stable while the document is borrowed.
            let id = items.as_ptr() as usize as u64;
            for (i, item) in items.iter().enumerate() {
                stack.push((id, i as u32));
                walk(item, rest, sem, stack, g);
                stack.pop();
            }
        }
        scalar => {
            if rest.is_empty() {
                if let Some(leaf) = scalar_leaf(scalar, sem) {
                    g.leaves.push((leaf, stack.clone()));
                }
            }
        }
    }
}

/// One value at a field's path, with the (array, index) pairs on the way to it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeafRef<'x, 'a> {
    pub(crate) value: &'x LeafValue<'a>,
    pub(crate) mem: &'x [(u64, u32)],
}

/// Everything known about one field's path in one event.
#[derive(Debug, Clone)]
pub(crate) struct FieldView<'x, 'a> {
    pub(crate) leaves: Vec<LeafRef<'x, 'a>>,
    /// Whether the path is present (an attribute with that name, or a value at that path).
    pub(crate) present: bool,
    /// The values are the elements of a `String.Array` attribute.
    pub(crate) attr_array: bool,
}

/// Whether a leaf satisfies one matcher on its own (negative matchers included).
fn leaf_ok(m: &Matcher, leaf: &LeafValue<'_>) -> bool {
    match m {
        Matcher::AnythingBut(ab) => !ab.excludes(leaf),
        Matcher::Exists(false) => false,
        m => m.matches_value(leaf),
    }
}

/// Whether a field is satisfied, ignoring array consistency.
pub(crate) fn field_ok(
    matchers: &[Matcher],
    view: &FieldView<'_, '_>,
    exists_false_allowed: bool,
) -> bool {
    field_ok_values(
        matchers,
        view.leaves.iter().map(|l| l.value),
        view.present,
        view.attr_array,
        exists_false_allowed,
    )
}

/// [`field_ok`] over any iterator of the values at the field's path.
pub(crate) fn field_ok_values<'x, 'a: 'x, I>(
    matchers: &[Matcher],
    leaves: I,
    present: bool,
    attr_array: bool,
    exists_false_allowed: bool,
) -> bool
where
    I: Iterator<Item = &'x LeafValue<'a>> + Clone,
{
    matchers.iter().any(|m| match m {
        Matcher::Exists(true) => present,
        Matcher::Exists(false) => !present && exists_false_allowed,
        Matcher::AnythingBut(ab) => {
            if attr_array {
                // A String.Array attribute matches anything-but when none of its elements is
                // listed.
                let mut it = leaves.clone().peekable();
                it.peek().is_some() && it.all(|v| !ab.excludes(v))
            } else {
                leaves.clone().any(|v| !ab.excludes(v))
            }
        }
        m => leaves.clone().any(|v| m.matches_value(v)),
    })
}

/// The most candidate combinations the array-consistency search tries before it settles for
/// the per-field answer.
const CONSISTENCY_BUDGET: usize = 100_000;

/// Whether every field of a branch is satisfied. With `consistent`, values matched inside
/// objects in an array must come from the same element (EventBridge).
pub(crate) fn branch_ok(
    fields: &[(&[Matcher], FieldView<'_, '_>)],
    consistent: bool,
    exists_false_allowed: bool,
) -> bool {
    if !fields
        .iter()
        .all(|(m, v)| field_ok(m, v, exists_false_allowed))
    {
        return false;
    }
    if !consistent {
        return true;
    }
    // Each field either holds through absence (exists: false) or must pick one of its
    // matching leaves; the picks must agree on every array they share.
    let mut constrained: Vec<Vec<&[(u64, u32)]>> = Vec::new();
    for (matchers, view) in fields {
        let free = !view.present && matchers.contains(&Matcher::Exists(false));
        if free {
            continue;
        }
        let candidates: Vec<&[(u64, u32)]> = view
            .leaves
            .iter()
            .filter(|l| matchers.iter().any(|m| leaf_ok(m, l.value)))
            .map(|l| l.mem)
            .collect();
        if candidates.iter().any(|m| m.is_empty()) {
            // A matching value with no array on the way: compatible with any pick.
            continue;
        }
        constrained.push(candidates);
    }
    if constrained.len() < 2 {
        return true;
    }
    constrained.sort_by_key(Vec::len);
    let mut chosen: Vec<&[(u64, u32)]> = Vec::with_capacity(constrained.len());
    let mut budget = CONSISTENCY_BUDGET;
    search(&constrained, &mut chosen, &mut budget).unwrap_or(true)
}

fn compatible(a: &[(u64, u32)], b: &[(u64, u32)]) -> bool {
    a.iter()
        .all(|(arr, i)| b.iter().all(|(arr2, j)| arr != arr2 || i == j))
}

/// Backtracking search for one compatible pick per field; `None` when the budget ran out.
fn search<'m>(
    fields: &[Vec<&'m [(u64, u32)]>],
    chosen: &mut Vec<&'m [(u64, u32)]>,
    budget: &mut usize,
) -> Option<bool> {
    let Some((first, rest)) = fields.split_first() else {
        return Some(true);
    };
    for &cand in first {
        if *budget == 0 {
            return None;
        }
        *budget -= 1;
        if chosen.iter().all(|c| compatible(c, cand)) {
            chosen.push(cand);
            let r = search(rest, chosen, budget);
            chosen.pop();
            match r {
                Some(true) => return Some(true),
                None => return None,
                Some(false) => {}
            }
        }
    }
    Some(false)
}
