//! Runs filter-policy / event-pattern conformance cases (the `filter/cases.jsonl` format of
//! `../shared/conformance/README.md`) against `aws_lite_pubsub::filter`.
//!
//! ```sh
//! cargo run -p aws-lite-pubsub --example conformance -- ../shared/conformance/filter/cases.jsonl
//! ```
//!
//! Each case is compiled as a [`Policy`] and, when it must match or not, matched three ways: by
//! the policy's interpreter, by a [`FilterSet`] holding it (on the parsed event) and by the set
//! on the event's text; all three must give the expected answer. A case that must be rejected
//! passes when compiling fails. Cases with a field, dialect or scope the runner does not know
//! are failures, never skipped.
//!
//! Prints one line per category (dialect/scope), one per operator, then `N passed, M failed`.
//! Exits non-zero when a case fails that `conformance-expected-failures.txt` does not list
//! (one `id  # reason` per line), or when a listed case now passes (so the list only shrinks).

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use aws_lite_pubsub::filter::{
    AttributeValue, Dialect, Event, FilterPolicyScope, FilterSet, Policy,
};
use serde_json::Value;

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "source",
    "dialect",
    "scope",
    "pattern",
    "pattern_raw",
    "event",
    "event_raw",
    "expected_match",
    "expected_error",
    "aws_validated",
    "operators",
    "sns_compatible",
    "sns_incompatible_because",
    "note",
];

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: conformance FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let expected_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/conformance-expected-failures.txt"
    );
    let expected: BTreeMap<String, String> = std::fs::read_to_string(expected_path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (id, reason) = line.split_once('#').unwrap_or((line, ""));
            Some((id.trim().to_owned(), reason.trim().to_owned()))
        })
        .collect();

    let mut by_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_operator: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let (mut passed, mut failed) = (0usize, 0usize);

    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                failed += 1;
                failures.push((format!("line {}", n + 1), format!("not JSON: {e}")));
                continue;
            }
        };
        let id = case["id"].as_str().unwrap_or("?").to_owned();
        let dialect = case["dialect"].as_str().unwrap_or("?");
        let scope = case["scope"].as_str().unwrap_or("?");
        let category = format!("{dialect}/{scope}");
        let result = run_case(&case);
        let ok = result.is_ok();
        seen.insert(id.clone());
        let tally = by_category.entry(category).or_default();
        let operators: Vec<String> = case["operators"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let operators = if operators.is_empty() {
            vec!["(none)".to_owned()]
        } else {
            operators
        };
        for op in operators {
            let t = by_operator.entry(op).or_default();
            if ok {
                t.passed += 1;
            } else {
                t.failed += 1;
            }
        }
        if ok {
            tally.passed += 1;
            passed += 1;
        } else {
            tally.failed += 1;
            failed += 1;
        }
        if let Err(why) = result {
            failures.push((id, why));
        }
    }

    println!("by category:");
    for (cat, t) in &by_category {
        println!("  {cat:<28} {:>4} passed, {:>3} failed", t.passed, t.failed);
    }
    println!("by operator:");
    for (op, t) in &by_operator {
        println!("  {op:<34} {:>4} passed, {:>3} failed", t.passed, t.failed);
    }

    let mut bad = false;
    for (id, why) in &failures {
        match expected.get(id) {
            Some(reason) => println!("expected failure {id}: {why} (listed: {reason})"),
            None => {
                bad = true;
                println!("FAILED {id}: {why}");
            }
        }
    }
    let failed_ids: BTreeSet<&str> = failures.iter().map(|(id, _)| id.as_str()).collect();
    for id in expected.keys() {
        if seen.contains(id) && !failed_ids.contains(id.as_str()) {
            bad = true;
            println!("NOW PASSES {id}: remove it from conformance-expected-failures.txt");
        }
    }
    println!("{passed} passed, {failed} failed");
    if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs one case; `Err` says why it failed.
fn run_case(case: &Value) -> Result<(), String> {
    let Some(obj) = case.as_object() else {
        return Err("case is not an object".to_owned());
    };
    for key in obj.keys() {
        if !KNOWN_FIELDS.contains(&key.as_str()) {
            return Err(format!("unsupported field {key:?}"));
        }
    }
    let dialect = match (case["dialect"].as_str(), case["scope"].as_str()) {
        (Some("sns"), Some("MessageAttributes")) => {
            Dialect::Sns(FilterPolicyScope::MessageAttributes)
        }
        (Some("sns"), Some("MessageBody")) => Dialect::Sns(FilterPolicyScope::MessageBody),
        (Some("eventbridge"), Some("event")) => Dialect::EventBridge,
        (Some("quamina"), Some("event")) => Dialect::Quamina,
        (d, s) => return Err(format!("unsupported dialect/scope {d:?}/{s:?}")),
    };
    let pattern_text = match (&case.get("pattern_raw"), &case.get("pattern")) {
        (Some(Value::String(raw)), _) => raw.clone(),
        (_, Some(p)) => p.to_string(),
        _ => return Err("no pattern".to_owned()),
    };
    let expected_error = case["expected_error"].as_bool().unwrap_or(false);
    let policy = match Policy::parse(&pattern_text, dialect) {
        Ok(p) => p,
        Err(e) if expected_error => {
            let _ = e;
            return Ok(());
        }
        Err(e) => return Err(format!("rejected a valid pattern: {}", e.message())),
    };
    if expected_error {
        return Err("accepted a pattern AWS rejects".to_owned());
    }
    let Some(expected) = case["expected_match"].as_bool() else {
        return Err("no expected_match".to_owned());
    };
    let mut set = FilterSet::new(dialect);
    set.insert(0u8, policy.clone())
        .map_err(|e| format!("set rejected the policy: {}", e.message()))?;

    let answers: Vec<(&str, bool)> =
        if dialect == Dialect::Sns(FilterPolicyScope::MessageAttributes) {
            let event = case.get("event").ok_or("no event")?;
            let owned = attribute_pairs(event)?;
            let attrs: Vec<(&str, AttributeValue<'_>)> = owned
                .iter()
                .map(|(n, t, v)| (n.as_str(), AttributeValue::new(t, v)))
                .collect();
            vec![
                ("policy", policy.matches(Event::Attributes(&attrs))),
                ("set", !set.matches(Event::Attributes(&attrs)).is_empty()),
            ]
        } else {
            let text = match (case.get("event_raw"), case.get("event")) {
                (Some(Value::String(raw)), _) => raw.clone(),
                (_, Some(e)) => e.to_string(),
                _ => return Err("no event".to_owned()),
            };
            let value: Value = serde_json::from_str(&text).map_err(|e| format!("event: {e}"))?;
            vec![
                ("policy", policy.matches(Event::Json(&value))),
                ("set", !set.matches(Event::Json(&value)).is_empty()),
                ("set(text)", !set.matches(Event::Text(&text)).is_empty()),
            ]
        };
    let wrong: Vec<String> = answers
        .iter()
        .filter(|(_, got)| *got != expected)
        .map(|(how, got)| format!("{how} said {got}"))
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!("expected match={expected}, {}", wrong.join(", ")))
    }
}

/// `{name: {Type, Value}}` (or `{DataType, StringValue}`) as (name, type, value) strings.
fn attribute_pairs(event: &Value) -> Result<Vec<(String, String, String)>, String> {
    let map = event.as_object().ok_or("attributes are not an object")?;
    let mut out = Vec::new();
    for (name, attr) in map {
        let data_type = attr
            .get("Type")
            .or_else(|| attr.get("DataType"))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("attribute {name} has no Type"))?;
        let value = match attr.get("Value").or_else(|| attr.get("StringValue")) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        out.push((name.clone(), data_type.to_owned(), value));
    }
    Ok(out)
}
