//! Property test: a compiled `FilterSet` returns exactly the policies whose own interpreter
//! (`Policy::matches`) says match, for random policies and events drawn from a small alphabet
//! (so that matches are frequent), in every dialect and on parsed and textual events. Textual
//! events go through the set's own JSON scanner (not `serde_json`) in several spellings of the
//! same document: compact, pretty, with whitespace between every token, with `\u` escapes in
//! keys and strings, and with numbers in exponent form.

use aws_lite_pubsub::filter::{
    AttributeValue, Dialect, Event, FilterPolicyScope, FilterSet, Policy,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::{Value, json};

fn string_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!("x")),
        Just(json!("xy")),
        Just(json!("y")),
        Just(json!("X")),
        Just(json!("Xy")),
        Just(json!("")),
        Just(json!("10.0.0.1")),
        Just(json!("10.0.1.5")),
        Just(json!("x.y")),
    ]
    .boxed()
}

fn number_value() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!(-2)),
        Just(json!(0)),
        Just(json!(1)),
        Just(json!(1.5)),
        Just(json!(35)),
        Just(json!(35.0)),
        Just(json!(100)),
    ]
    .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => string_value(),
        3 => number_value(),
        1 => Just(json!(true)),
        1 => Just(json!(false)),
        1 => Just(json!(null)),
    ]
    .boxed()
}

fn key() -> BoxedStrategy<String> {
    prop_oneof![Just("a"), Just("b"), Just("c"), Just("a.b")]
        .prop_map(str::to_owned)
        .boxed()
}

fn leafish() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => scalar(),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(Value::Array),
    ]
    .boxed()
}

fn object_of(values: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop::collection::vec((key(), values), 2..6)
        .prop_map(|pairs| Value::Object(pairs.into_iter().collect()))
        .boxed()
}

/// Events nest objects and arrays of objects, to exercise paths and array consistency.
fn event() -> BoxedStrategy<Value> {
    let inner = object_of(leafish());
    let middle = object_of(
        prop_oneof![
            3 => leafish(),
            2 => inner.clone(),
            1 => prop::collection::vec(inner, 1..3).prop_map(Value::Array),
        ]
        .boxed(),
    );
    object_of(
        prop_oneof![
            2 => leafish(),
            2 => middle.clone(),
            1 => prop::collection::vec(middle, 1..3).prop_map(Value::Array),
        ]
        .boxed(),
    )
    .boxed()
}

fn condition(eventbridge: bool) -> BoxedStrategy<Value> {
    let common = prop_oneof![
        4 => scalar(),
        1 => prop_oneof![Just("x"), Just("X"), Just("1"), Just("10.0")]
            .prop_map(|p| json!({"prefix": p})),
        1 => prop_oneof![Just("y"), Just("1"), Just(".5")].prop_map(|p| json!({"suffix": p})),
        1 => prop_oneof![Just("xy"), Just("XY"), Just("x")]
            .prop_map(|p| json!({"equals-ignore-case": p})),
        2 => prop_oneof![
            string_value().prop_map(|v| json!({"anything-but": v})),
            number_value().prop_map(|v| json!({"anything-but": v})),
            Just(json!({"anything-but": ["x", "y"]})),
            Just(json!({"anything-but": [1, 35]})),
            Just(json!({"anything-but": {"prefix": "x"}})),
        ],
        2 => prop_oneof![
            number_value().prop_map(|n| json!({"numeric": [">", n]})),
            number_value().prop_map(|n| json!({"numeric": ["<=", n]})),
            number_value().prop_map(|n| json!({"numeric": ["=", n]})),
            Just(json!({"numeric": [">=", 0, "<", 35]})),
            Just(json!({"numeric": [">", -2, "<=", 1.5]})),
        ],
        1 => any::<bool>().prop_map(|b| json!({"exists": b})),
        1 => prop_oneof![Just("10.0.0.0/24"), Just("10.0.0.0/16"), Just("10.0.0.1/31")]
            .prop_map(|c| json!({"cidr": c})),
    ];
    let extra = prop_oneof![
        Just(json!({"wildcard": "x*"})),
        Just(json!({"wildcard": "*y"})),
        Just(json!({"wildcard": "*"})),
        Just(json!({"anything-but": {"suffix": "y"}})),
        Just(json!({"anything-but": {"equals-ignore-case": "XY"}})),
        Just(json!({"anything-but": {"wildcard": "x*"}})),
        Just(json!({"prefix": {"equals-ignore-case": "X"}})),
        Just(json!({"suffix": {"equals-ignore-case": "Y"}})),
    ];
    let weight = if eventbridge { 2 } else { 0 };
    prop_oneof![12 => common, weight => extra].boxed()
}

/// A policy: 1–3 fields (nested when `nest`), sometimes with an `$or`.
fn policy(eventbridge: bool, nest: bool) -> BoxedStrategy<Value> {
    let field_path = if nest {
        prop_oneof![
            3 => key().prop_map(|k| vec![k]),
            1 => (key(), key()).prop_map(|(a, b)| vec![a, b]),
        ]
        .boxed()
    } else {
        key().prop_map(|k| vec![k]).boxed()
    };
    let field = (
        field_path,
        prop::collection::vec(condition(eventbridge), 1..3),
    );
    let fields = prop::collection::vec(field, 1..3);
    let or_branch = prop::collection::vec(
        (key(), prop::collection::vec(condition(eventbridge), 1..3)),
        1..3,
    );
    (
        fields,
        prop::option::weighted(0.25, (or_branch.clone(), or_branch)),
    )
        .prop_map(|(fields, or)| {
            let mut p = json!({});
            for (path, conds) in fields {
                let mut cur = &mut p;
                for seg in &path[..path.len() - 1] {
                    if cur.get(seg).is_none_or(|v| !v.is_object()) {
                        cur[seg.as_str()] = json!({});
                    }
                    cur = &mut cur[seg.as_str()];
                }
                cur[path[path.len() - 1].as_str()] = Value::Array(conds);
            }
            if let Some((a, b)) = or {
                let obj = |fs: Vec<(String, Vec<Value>)>| {
                    Value::Object(fs.into_iter().map(|(k, c)| (k, Value::Array(c))).collect())
                };
                p["$or"] = json!([obj(a), obj(b)]);
            }
            p
        })
        .boxed()
}

fn attribute() -> BoxedStrategy<(String, String, String)> {
    let value = prop_oneof![
        string_value().prop_map(|v| ("String".to_owned(), v.as_str().unwrap_or("").to_owned())),
        number_value().prop_map(|v| ("Number".to_owned(), v.to_string())),
        prop::collection::vec(scalar(), 0..3)
            .prop_map(|items| ("String.Array".to_owned(), Value::Array(items).to_string())),
        Just(("String.Array".to_owned(), "['x']".to_owned())),
        Just(("Binary".to_owned(), "AAEC".to_owned())),
    ];
    (key(), value).prop_map(|(k, (t, v))| (k, t, v)).boxed()
}

fn compile(policies: &[Value], dialect: Dialect) -> Vec<Policy> {
    policies
        .iter()
        .filter_map(|p| Policy::parse(&p.to_string(), dialect).ok())
        .collect()
}

fn set_of(policies: &[Policy], dialect: Dialect) -> FilterSet<usize> {
    let mut set = FilterSet::new(dialect);
    for (i, p) in policies.iter().enumerate() {
        set.insert(i, p.clone()).expect("same dialect");
    }
    set
}

/// A small deterministic generator, so that each event's spellings are reproducible.
struct Spell(u64);

impl Spell {
    fn new(text: &str) -> Spell {
        Spell(
            text.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            }) | 1,
        )
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn space(&mut self, out: &mut String) {
        for _ in 0..self.next() % 3 {
            out.push([' ', '\n', '\t', '\r'][(self.next() % 4) as usize]);
        }
    }

    /// A JSON string, some characters written as `\u` escapes (`\"` and `\\` as escapes too).
    fn string(&mut self, s: &str, escapes: bool, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 || (escapes && self.next() % 3 == 0) => {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }

    /// `v` as JSON text: with whitespace between tokens, escapes, or numbers in exponent form.
    fn write(&mut self, v: &Value, spaces: bool, escapes: bool, exponents: bool, out: &mut String) {
        let gap = |me: &mut Spell, out: &mut String| {
            if spaces {
                me.space(out);
            }
        };
        match v {
            Value::Object(map) => {
                out.push('{');
                for (i, (k, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    gap(self, out);
                    self.string(k, escapes, out);
                    gap(self, out);
                    out.push(':');
                    gap(self, out);
                    self.write(item, spaces, escapes, exponents, out);
                    gap(self, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    gap(self, out);
                    self.write(item, spaces, escapes, exponents, out);
                    gap(self, out);
                }
                out.push(']');
            }
            Value::String(s) => self.string(s, escapes, out),
            Value::Number(n) if exponents => match n.as_f64() {
                Some(f) => out.push_str(&format!("{f:e}")),
                None => out.push_str(&n.to_string()),
            },
            other => out.push_str(&other.to_string()),
        }
    }
}

/// The spellings of `e` the set must read alike.
fn spellings(e: &Value) -> Vec<(&'static str, String)> {
    let compact = e.to_string();
    let mut spell = Spell::new(&compact);
    let mut forms = vec![
        (
            "pretty",
            serde_json::to_string_pretty(e).unwrap_or_default(),
        ),
        ("compact", compact),
    ];
    for (name, spaces, escapes, exponents) in [
        ("spaced", true, false, false),
        ("escaped", false, true, false),
        ("exponents", false, false, true),
        ("all", true, true, true),
    ] {
        let mut text = String::new();
        spell.write(e, spaces, escapes, exponents, &mut text);
        forms.push((name, text));
    }
    forms
}

fn check_documents(policies: &[Policy], set: &FilterSet<usize>, events: &[Value]) {
    check_documents_in(policies, set, events, |ids| ids);
}

/// [`check_documents`] comparing `order(ids)` of the set's answers (a set answers in insertion
/// order: `order` sorts when ids were not inserted in ascending order).
fn check_documents_in(
    policies: &[Policy],
    set: &FilterSet<usize>,
    events: &[Value],
    order: fn(Vec<usize>) -> Vec<usize>,
) {
    for e in events {
        let expected: Vec<usize> = policies
            .iter()
            .enumerate()
            .filter(|(i, p)| set.contains(i) && p.matches(Event::Json(e)))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            order(set.matches(Event::Json(e))),
            expected,
            "parsed event {e}"
        );
        for (form, text) in spellings(e) {
            // The spelling means the same document to the interpreter (through `serde_json`).
            let by_interpreter: Vec<usize> = policies
                .iter()
                .enumerate()
                .filter(|(i, p)| set.contains(i) && p.matches(Event::Text(&text)))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                by_interpreter, expected,
                "interpreter on {form} text {text}"
            );
            assert_eq!(
                order(set.matches(Event::Text(&text))),
                expected,
                "{form} text {text}"
            );
        }
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 256,
        // Integration tests have no `lib.rs` beside them, so name the file outright (relative
        // to the package root, where cargo runs tests).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/filter_proptest.txt",
        ))),
        ..Config::default()
    })]

    #[test]
    fn set_equals_interpreter_eventbridge(
        policies in prop::collection::vec(policy(true, true), 1..12),
        events in prop::collection::vec(event(), 1..6),
        removed in prop::collection::vec(0usize..12, 0..4),
    ) {
        let compiled = compile(&policies, Dialect::EventBridge);
        let mut set = set_of(&compiled, Dialect::EventBridge);
        check_documents(&compiled, &set, &events);
        for r in removed {
            set.remove(&r);
        }
        check_documents(&compiled, &set, &events);
    }

    #[test]
    fn set_equals_interpreter_sns_body(
        policies in prop::collection::vec(policy(false, true), 1..12),
        events in prop::collection::vec(event(), 1..6),
    ) {
        let dialect = Dialect::Sns(FilterPolicyScope::MessageBody);
        let compiled = compile(&policies, dialect);
        let set = set_of(&compiled, dialect);
        check_documents(&compiled, &set, &events);
    }

    #[test]
    fn set_equals_interpreter_sns_attributes(
        policies in prop::collection::vec(policy(false, false), 1..12),
        events in prop::collection::vec(prop::collection::vec(attribute(), 0..5), 1..6),
    ) {
        let dialect = Dialect::Sns(FilterPolicyScope::MessageAttributes);
        let compiled = compile(&policies, dialect);
        let set = set_of(&compiled, dialect);
        for attrs in &events {
            // Attribute names are unique in a message (a map in SNS).
            let mut seen = std::collections::HashSet::new();
            let pairs: Vec<(&str, AttributeValue<'_>)> = attrs
                .iter()
                .filter(|(n, _, _)| seen.insert(n.clone()))
                .map(|(n, t, v)| (n.as_str(), AttributeValue::new(t, v)))
                .collect();
            let expected: Vec<usize> = compiled
                .iter()
                .enumerate()
                .filter(|(_, p)| p.matches(Event::Attributes(&pairs)))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(set.matches(Event::Attributes(&pairs)), expected, "{:?}", attrs);
        }
    }
}

proptest! {
    #![proptest_config(Config {
        cases: 48,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/filter_proptest.txt",
        ))),
        ..Config::default()
    })]

    /// Sets large enough that anchors are chosen again as they grow (at 32 branches, then at
    /// each doubling), with policies removed and inserted again in between.
    #[test]
    fn set_equals_interpreter_when_many(
        policies in prop::collection::vec(policy(true, true), 40..140),
        events in prop::collection::vec(event(), 1..4),
        removed in prop::collection::vec(0usize..140, 0..40),
    ) {
        let compiled = compile(&policies, Dialect::EventBridge);
        let mut set = set_of(&compiled, Dialect::EventBridge);
        check_documents(&compiled, &set, &events);
        for r in &removed {
            set.remove(r);
        }
        check_documents(&compiled, &set, &events);
        // Back in, under the same ids, so that the branch count passes the next doubling.
        for r in removed {
            if let Some(p) = compiled.get(r) {
                set.insert(r, p.clone()).expect("same dialect");
            }
        }
        check_documents_in(&compiled, &set, &events, |mut ids| {
            ids.sort_unstable();
            ids
        });
    }
}

/// Text made of JSON's pieces, to reach deep into the parsers with malformed input.
fn jsonish() -> BoxedStrategy<String> {
    prop::collection::vec(
        prop_oneof![
            Just("{"),
            Just("}"),
            Just("["),
            Just("]"),
            Just(","),
            Just(":"),
            Just("\""),
            Just("\\"),
            Just("\\u00e9"),
            Just("\\ud83d"),
            Just(" "),
            Just("\n"),
            Just("a"),
            Just("\"a\""),
            Just("\"$or\""),
            Just("\"numeric\""),
            Just("\"anything-but\""),
            Just("\"prefix\""),
            Just("\"cidr\""),
            Just("\"wildcard\""),
            Just("\"exists\""),
            Just("\"*\""),
            Just("\">\""),
            Just("\"<=\""),
            Just("1"),
            Just("-0.5e3"),
            Just("2e9"),
            Just("true"),
            Just("null"),
            Just("tru"),
            Just("é"),
            Just("\"10.0.0.0/8\""),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
    .boxed()
}

proptest! {
    #![proptest_config(Config {
        cases: 1024,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/filter_proptest.txt",
        ))),
        ..Config::default()
    })]

    /// Bad input is an error, never a panic: policies and events in every dialect.
    #[test]
    fn malformed_input_never_panics(policy in jsonish(), event in jsonish()) {
        for dialect in [
            Dialect::Sns(FilterPolicyScope::MessageAttributes),
            Dialect::Sns(FilterPolicyScope::MessageBody),
            Dialect::EventBridge,
            Dialect::Quamina,
        ] {
            if let Ok(p) = Policy::parse(&policy, dialect) {
                let mut set = FilterSet::new(dialect);
                set.insert(0u8, p.clone()).expect("same dialect");
                let by_set = set.matches(Event::Text(&event));
                if serde_json::from_str::<Value>(&event).is_ok() {
                    prop_assert_eq!(by_set.is_empty(), !p.matches(Event::Text(&event)));
                }
                let attrs = [("a", AttributeValue::StringArray(event.as_str()))];
                let _ = set.matches(Event::Attributes(&attrs));
                let _ = p.matches(Event::Attributes(&attrs));
            }
        }
    }
}

#[test]
fn generated_policies_are_mostly_valid_and_match_often() {
    // Guards the generators: a property test whose policies never compile, or never match,
    // proves nothing.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut valid, mut matched, mut total) = (0, 0, 0);
    for _ in 0..300 {
        let p = policy(true, true)
            .new_tree(&mut runner)
            .map(|t| t.current());
        let e = event().new_tree(&mut runner).map(|t| t.current());
        if let (Ok(p), Ok(e)) = (p, e) {
            total += 1;
            if let Ok(p) = Policy::parse(&p.to_string(), Dialect::EventBridge) {
                valid += 1;
                matched += usize::from(p.matches(Event::Json(&e)));
            }
        }
    }
    assert!(valid * 2 > total, "{valid} of {total} policies valid");
    assert!(matched * 25 > valid, "{matched} of {valid} matched");
    println!("{valid} of {total} generated policies valid, {matched} matched their event");
}
