//! ValidateStateMachineDefinition: OK/FAIL, diagnostics (severity, code, message, location),
//! maxResults and truncation, STANDARD versus EXPRESS, JSONata accepted.

use aws_lite_flow::operation::validate_state_machine_definition::{
    ValidateStateMachineDefinitionOutput, ValidationResultCode, ValidationSeverity,
};
use aws_lite_flow::{Sfn, StateMachineType};
use serde_json::{Value, json};

async fn validate(definition: &str, ty: StateMachineType) -> ValidateStateMachineDefinitionOutput {
    Sfn::new()
        .validate_state_machine_definition()
        .definition(definition)
        .r#type(ty)
        .send()
        .await
        .unwrap()
}

fn json_of(out: &ValidateStateMachineDefinitionOutput) -> Value {
    serde_json::to_value(out).unwrap()
}

#[tokio::test(start_paused = true)]
async fn valid_definition_is_ok() {
    let out = validate(
        r#"{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}}"#,
        StateMachineType::Express,
    )
    .await;
    assert_eq!(out.result, ValidationResultCode::Ok);
    assert_eq!(
        json_of(&out),
        json!({"result": "OK", "diagnostics": [], "truncated": false})
    );
}

#[tokio::test(start_paused = true)]
async fn blank_and_non_json_definitions() {
    let out = validate(" ", StateMachineType::Standard).await;
    assert_eq!(
        json_of(&out)["diagnostics"],
        json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                "message": "Definition must be a valid JSON object"}])
    );
    let out = validate("not a definition", StateMachineType::Standard).await;
    assert_eq!(out.result, ValidationResultCode::Fail);
    let d = &out.diagnostics[0];
    assert_eq!(d.code, "INVALID_JSON_DESCRIPTION");
    assert_eq!(
        d.location.as_deref(),
        Some("[Source: (String)\"not a definition\"; line: 1, column: 4]")
    );
    assert!(
        d.message
            .starts_with("Unrecognized token 'not': was expecting")
    );
}

#[tokio::test(start_paused = true)]
async fn missing_required_fields() {
    let out = validate("{}", StateMachineType::Standard).await;
    assert_eq!(
        json_of(&out)["diagnostics"],
        json!([{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "location": "/",
                "message": "These fields are required: [States, StartAt]"}])
    );
}

#[tokio::test(start_paused = true)]
async fn express_rejects_wait_for_task_token_but_standard_accepts_it() {
    let def = r#"{"StartAt": "W", "States": {"W": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}"#;
    let out = validate(def, StateMachineType::Express).await;
    assert_eq!(out.result, ValidationResultCode::Fail);
    assert_eq!(
        out.diagnostics[0].location.as_deref(),
        Some("/States/W/Resource")
    );
    assert_eq!(
        validate(def, StateMachineType::Standard).await.result,
        ValidationResultCode::Ok
    );
}

#[tokio::test(start_paused = true)]
async fn jsonata_is_valid_but_may_not_downgrade() {
    let ok = r#"{"StartAt": "M", "QueryLanguage": "JSONPath", "States": {"M": {"Type": "Map",
        "QueryLanguage": "JSONata", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"},
        "StartAt": "P", "States": {"P": {"QueryLanguage": "JSONPath", "Type": "Pass", "End": true}}},
        "End": true}}}"#;
    assert_eq!(
        validate(ok, StateMachineType::Standard).await.result,
        ValidationResultCode::Ok
    );
    let bad = r#"{"StartAt": "P", "QueryLanguage": "JSONata", "States": {"P": {"Type": "Pass",
        "End": true, "QueryLanguage": "JSONPath"}}}"#;
    let out = validate(bad, StateMachineType::Standard).await;
    assert_eq!(out.result, ValidationResultCode::Fail);
    assert_eq!(out.diagnostics[0].location.as_deref(), Some("/States/P"));
}

#[tokio::test(start_paused = true)]
async fn max_results_truncates() {
    let def = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "X"}, "B": {"Type": "Pass", "Next": "Y"},
        "C": {"Type": "Pass", "Next": "Z"}}}"#;
    let sfn = Sfn::new();
    let all = sfn
        .validate_state_machine_definition()
        .definition(def)
        .severity(ValidationSeverity::Warning)
        .send()
        .await
        .unwrap();
    assert!(all.diagnostics.len() >= 3);
    assert!(!all.truncated);
    let one = sfn
        .validate_state_machine_definition()
        .definition(def)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(one.diagnostics.len(), 1);
    assert!(one.truncated);
    let err = sfn
        .validate_state_machine_definition()
        .definition(def)
        .max_results(101)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
}
