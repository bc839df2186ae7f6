//! Intrinsic functions where AWS's behaviour is not the obvious one (each checked against a
//! recorded execution): `States.Format` renders objects in Java's `Map` notation,
//! `States.StringToJson` of a blank string is `null`, `States.MathRandom` rounds its bounds.

mod support;

use aws_lite_flow::ExecutionStatus;
use serde_json::{Value, json};
use support::{output, run, sfn};

/// Runs a one-Pass machine whose `Parameters` are `{"r.$": expr}` and returns `r`.
async fn eval(expr: &str, input: Value) -> Value {
    let sfn = sfn();
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"r.$": expr}, "End": true}}})
    .to_string();
    let (done, _) = run(&sfn, &def, input).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{expr}: {done:?}");
    output(&done)["r"].clone()
}

#[tokio::test(start_paused = true)]
async fn format_renders_objects_and_arrays_in_java_notation() {
    let r = eval(
        "States.Format('m={} a={} n={} s={}', $$.StateMachine, $.a, $.n, $.s)",
        json!({"a": [1, "x", {"k": null}], "n": 1.5, "s": "raw"}),
    )
    .await;
    let r = r.as_str().unwrap();
    assert!(
        r.starts_with("m={Id=arn:aws:states:us-east-1:"),
        "object as {{k=v, …}}: {r}"
    );
    assert!(r.contains(":stateMachine:m"), "{r}");
    assert!(r.contains(", Name=m"), "{r}");
    assert!(r.ends_with("} a=[1, x, {k=null}] n=1.5 s=raw"), "{r}");
}

#[tokio::test(start_paused = true)]
async fn string_to_json_of_a_blank_string_is_null() {
    for s in [" ", "", "\t\n "] {
        assert_eq!(
            eval("States.StringToJson($.s)", json!({"s": s})).await,
            Value::Null
        );
    }
    assert_eq!(
        eval("States.StringToJson($.s)", json!({"s": " [1] "})).await,
        json!([1])
    );
    // Text that is not JSON still fails.
    let sfn = sfn();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"r.$": "States.StringToJson($.s)"}, "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"s": "{nope"})).await;
    assert_eq!(done.error.as_deref(), Some("States.IntrinsicFailure"));
}

#[tokio::test(start_paused = true)]
async fn math_random_rounds_non_integer_bounds() {
    for _ in 0..20 {
        let r = eval(
            "States.MathRandom($.a, $.b)",
            json!({"a": 12.5, "b": 44.51}),
        )
        .await;
        // Bounds rounded half up: [13, 45).
        let n = r.as_i64().expect("an integer");
        assert!((13..45).contains(&n), "{n}");
    }
    // [1.5, 2.4] rounds to [2, 2): empty, an error.
    let sfn = sfn();
    let def = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass",
        "Parameters": {"r.$": "States.MathRandom($.a, $.b)"}, "End": true}}}"#;
    let (done, _) = run(&sfn, def, json!({"a": 1.5, "b": 2.4})).await;
    assert_eq!(done.error.as_deref(), Some("States.IntrinsicFailure"));
}
