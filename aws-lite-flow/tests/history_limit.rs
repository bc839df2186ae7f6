//! The 25,000-event history limit: a Standard execution fails with `States.Runtime` when its
//! history reaches it, and no Catch catches that.

use aws_lite_flow::{ExecutionStatus, HistoryEventType, MAX_HISTORY_EVENTS, Sfn};

async fn run(
    def: &str,
) -> (
    aws_lite_flow::operation::describe_execution::DescribeExecutionOutput,
    Vec<aws_lite_flow::HistoryEvent>,
) {
    let sfn = Sfn::new();
    let sm = sfn
        .create_state_machine()
        .name("loop")
        .definition(def)
        .send()
        .await
        .unwrap();
    let exec = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&exec.execution_arn).await.unwrap();
    let mut events = Vec::new();
    let mut token = None;
    loop {
        let mut req = sfn
            .get_execution_history()
            .execution_arn(&exec.execution_arn)
            .max_results(1000);
        if let Some(t) = token {
            req = req.next_token(t);
        }
        let page = req.send().await.unwrap();
        events.extend(page.events);
        match page.next_token {
            Some(t) => token = Some(t),
            None => break,
        }
    }
    (done, events)
}

#[tokio::test(start_paused = true)]
async fn an_endless_pass_loop_fails_at_the_limit() {
    let (done, events) = run(r#"{"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "A"}}}"#)
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        done.cause.as_deref(),
        Some("The execution reached the maximum number of history events (25000).")
    );
    assert_eq!(events.len(), MAX_HISTORY_EVENTS);
    let last = events.last().unwrap();
    assert_eq!(last.event_type, HistoryEventType::ExecutionFailed);
    assert_eq!(last.id, MAX_HISTORY_EVENTS as u64);
}

#[tokio::test(start_paused = true)]
async fn a_wait_loop_fails_at_the_limit() {
    let (done, events) = run(r#"{"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 1, "Next": "W"}}}"#)
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(events.len(), MAX_HISTORY_EVENTS);
}

#[tokio::test(start_paused = true)]
async fn a_polling_loop_with_catch_all_still_fails() {
    let (done, events) = run(r#"{"StartAt": "Poll", "States": {
        "Poll": {"Type": "Parallel", "Branches": [{"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 1, "End": true}}}],
          "ResultPath": null,
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Poll"}], "Next": "Poll"}}}"#)
    .await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert_eq!(events.len(), MAX_HISTORY_EVENTS);
}
