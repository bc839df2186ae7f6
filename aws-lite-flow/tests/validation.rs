//! Create-time validation: AWS's error code and diagnostic messages; JSONata is rejected.

use aws_lite_flow::asl::{Definition, validate};

fn message(def: &str) -> String {
    let err = Definition::parse(def).unwrap_err();
    assert_eq!(err.code(), "InvalidDefinition");
    err.message().to_string()
}

#[test]
fn missing_next_target() {
    assert_eq!(
        message(r#"{"StartAt": "Y", "States": {"Y": {"Type": "Pass", "Next": "X"}}}"#),
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/Y/Next'"
    );
}

#[test]
fn schema_errors() {
    assert!(message(r#"{"States": {}}"#).contains("These fields are required: [StartAt]"));
    assert!(
        message(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "Bogus": 1}}}"#)
            .contains("The field 'Bogus' is not supported at /States/A")
    );
    assert!(
        message(r#"{"StartAt": "A", "States": {"A": {"Type": "Nope"}}}"#)
            .contains("The field 'Type' should have one of these values")
    );
    assert!(
        message(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass"}}}"#)
            .contains("'Next' or 'End'")
    );
    assert!(message(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {"Type": "Succeed"}}}"#)
        .contains("UNREACHABLE_STATE"));
    assert!(message(r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Timestamp": "2016-13-05T00:00:00Z", "End": true}}}"#)
        .contains("/States/A/Timestamp"));
    assert!(
        message(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "x",
        "Catch": [{"ErrorEquals": ["States.ALL", "X"], "Next": "A"}], "End": true}}}"#
        )
        .contains("States.ALL")
    );
    assert!(message("not json").contains("INVALID_JSON_DESCRIPTION"));
}

#[test]
fn jsonata_is_not_supported_yet() {
    let m = message(
        r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    );
    assert!(m.contains("JSONata"), "{m}");
    assert!(m.contains("not supported yet"), "{m}");
}

#[test]
fn express_rejects_callbacks_and_activities() {
    let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Task",
        "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": true}}}"#;
    assert!(validate(def, false).is_ok());
    let err = validate(def, true).unwrap_err();
    assert!(
        err.message()
            .contains("Express state machine does not support '.waitForTaskToken'")
    );
}
