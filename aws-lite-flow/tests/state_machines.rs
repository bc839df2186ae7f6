//! UpdateStateMachine, DeleteStateMachine (DELETING until executions end) and
//! ListStateMachines (paging).

mod support;

use std::time::Duration;

use aws_lite_flow::{ExecutionStatus, Sfn};
use serde_json::json;

const PASS: &str =
    r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}"#;
const PASS2: &str =
    r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}"#;
const WAIT_THEN_PASS: &str = r#"{"StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": 60, "Next": "P"},
    "P": {"Type": "Pass", "End": true}}}"#;

async fn create(sfn: &Sfn, name: &str, def: &str) -> String {
    sfn.create_state_machine()
        .name(name)
        .definition(def)
        .send()
        .await
        .unwrap()
        .state_machine_arn
}

async fn run(sfn: &Sfn, arn: &str) -> String {
    sfn.start_execution()
        .state_machine_arn(arn)
        .send()
        .await
        .unwrap()
        .execution_arn
}

#[tokio::test(start_paused = true)]
async fn update_replaces_definition_for_new_executions_only() {
    let sfn = support::sfn();
    let arn = create(&sfn, "m", WAIT_THEN_PASS).await;
    let first = run(&sfn, &arn).await;
    sfn.update_state_machine()
        .state_machine_arn(&arn)
        .definition(PASS2)
        .role_arn("arn:aws:iam::000000000000:role/r2")
        .send()
        .await
        .unwrap();
    let described = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.definition, PASS2);
    assert_eq!(described.role_arn, "arn:aws:iam::000000000000:role/r2");
    // The running execution keeps its definition (it waits, then passes its input on).
    let done = sfn.wait_for_execution(&first).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("{}"));
    let second = run(&sfn, &arn).await;
    let done = sfn.wait_for_execution(&second).await.unwrap();
    assert_eq!(done.output.as_deref(), Some("2"));
}

#[tokio::test(start_paused = true)]
async fn update_errors() {
    let sfn = support::sfn();
    let arn = create(&sfn, "m", PASS).await;
    let e = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "MissingRequiredParameter");
    let e = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(r#"{"StartAt": "X", "States": {}}"#)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidDefinition");
    let e = sfn
        .update_state_machine()
        .state_machine_arn(format!("{arn}-nope"))
        .definition(PASS)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn delete_without_executions_removes_the_machine() {
    let sfn = support::sfn();
    let arn = create(&sfn, "m", PASS).await;
    sfn.delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let e = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
    // Deleting again succeeds; a non-machine ARN does not.
    sfn.delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let e = sfn
        .delete_state_machine()
        .state_machine_arn("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ValidationException");
    // The name is free again.
    create(&sfn, "m", PASS2).await;
}

#[tokio::test(start_paused = true)]
async fn delete_with_a_running_execution_is_deleting_until_it_ends() {
    let sfn = support::sfn();
    let arn = create(&sfn, "m", WAIT_THEN_PASS).await;
    let exec = run(&sfn, &arn).await;
    sfn.clock().sleep(Duration::from_secs(1)).await;
    sfn.delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let d = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.status, "DELETING");
    let e = sfn
        .start_execution()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDeleting");
    let e = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(PASS)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDeleting");
    // At its next transition (after the Wait) the execution fails.
    let done = sfn.wait_for_execution(&exec).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some("State machine m has been deleted.")
    );
    let e = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
    // The execution can still be described.
    sfn.describe_execution()
        .execution_arn(&exec)
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn list_state_machines_pages_in_name_order() {
    let sfn = support::sfn();
    for name in ["c", "a", "b"] {
        create(&sfn, name, PASS).await;
    }
    let all = sfn.list_state_machines().send().await.unwrap();
    let names: Vec<&str> = all.state_machines.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    assert!(all.next_token.is_none());
    let first = sfn
        .list_state_machines()
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.state_machines.len(), 2);
    let token = first.next_token.clone().unwrap();
    let rest = sfn
        .list_state_machines()
        .max_results(2)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.state_machines[0].name, "c");
    assert!(rest.next_token.is_none());
    let v = serde_json::to_value(&rest).unwrap();
    assert_eq!(v["stateMachines"][0]["type"], json!("STANDARD"));
    let e = sfn
        .list_state_machines()
        .next_token("garbage")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidToken");
}
