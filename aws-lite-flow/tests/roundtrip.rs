//! A generated definition serializes and parses back unchanged.

use std::collections::BTreeMap;

use aws_lite_flow::asl::{
    Catcher, ChoiceRule, ChoiceState, Definition, FailState, PassState, PathField, Retrier, State,
    TaskState, WaitState,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn path() -> impl Strategy<Value = Option<PathField>> {
    prop_oneof![
        Just(None),
        Just(Some(PathField::Null)),
        "[a-z]{1,5}".prop_map(|s| Some(PathField::Path(format!("$.{s}")))),
    ]
}

fn template() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        ("[a-z]{1,5}", any::<i32>()).prop_map(|(k, n)| Some(json!({k: n, "p.$": "$.x"}))),
    ]
}

fn state(next: String) -> impl Strategy<Value = State> {
    let n1 = next.clone();
    let n2 = next.clone();
    let n3 = next.clone();
    prop_oneof![
        (path(), path(), template(), template()).prop_map(move |(i, o, p, r)| {
            let mut s = PassState::default();
            s.input_path = i;
            s.output_path = o;
            s.parameters = p;
            s.result = r;
            s.next = Some(n1.clone());
            State::Pass(s)
        }),
        (path(), 0u32..5, proptest::option::of(1u64..100)).prop_map(
            move |(rp, attempts, timeout)| {
                let mut s = TaskState::default();
                s.resource = "arn:aws:states:::x:y".into();
                s.result_path = rp;
                s.timeout_seconds = timeout;
                let mut r = Retrier::default();
                r.error_equals = vec!["E".into()];
                r.max_attempts = Some(attempts);
                r.backoff_rate = Some(1.5);
                s.retry = Some(vec![r]);
                let mut c = Catcher::default();
                c.error_equals = vec!["States.ALL".into()];
                c.next = n2.clone();
                s.catch = Some(vec![c]);
                s.next = Some(n2.clone());
                State::Task(s)
            }
        ),
        (0u64..1000).prop_map(move |secs| {
            let mut s = WaitState::default();
            s.seconds = Some(json!(secs));
            s.next = Some(n3.clone());
            State::Wait(s)
        }),
        any::<i64>().prop_map(move |n| {
            let mut rule = ChoiceRule::default();
            rule.variable = Some("$.v".into());
            rule.comparison = BTreeMap::from([("NumericEquals".to_string(), json!(n))]);
            rule.next = Some(next.clone());
            let mut s = ChoiceState::default();
            s.choices = vec![rule];
            State::Choice(s)
        }),
    ]
}

fn definition() -> impl Strategy<Value = Definition> {
    proptest::collection::vec(state("End".into()), 1..6).prop_map(|states| {
        let mut map: BTreeMap<String, State> = states
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("S{i}"), s))
            .collect();
        let mut fail = FailState::default();
        fail.error = Some("E".into());
        map.insert("End".into(), State::Fail(fail));
        let text = json!({"StartAt": "S0", "States": map}).to_string();
        serde_json::from_str(&text).unwrap()
    })
}

proptest! {
    #[test]
    fn serialize_then_parse_is_identity(def in definition()) {
        let text = def.to_json();
        let back: Definition = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &def);
        // Parsing through validation gives the same model too (every state reaches End
        // only if it is reachable; unreachable ones are rejected, which is fine here).
        if let Ok(validated) = Definition::parse(&text) {
            prop_assert_eq!(validated, def);
        }
    }
}
