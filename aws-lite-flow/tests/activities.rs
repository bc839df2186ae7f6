//! Activities: Create/Delete/Describe/ListActivities, GetActivityTask's long poll on the Clock,
//! activity Task states completed by SendTask*, their timeouts and their history.

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, Sfn};
use serde_json::{Value, json};

async fn activity(sfn: &Sfn, name: &str) -> String {
    sfn.create_activity()
        .name(name)
        .send()
        .await
        .unwrap()
        .activity_arn
}

async fn start(sfn: &Sfn, activity_arn: &str, extra: &str) -> String {
    let def = format!(
        r#"{{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{activity_arn}"{extra}, "End": true}}}}}}"#
    );
    let sm = sfn
        .create_state_machine()
        .name("act")
        .definition(def)
        .send()
        .await
        .unwrap();
    sfn.start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(r#"{"Value1": "HelloWorld"}"#)
        .send()
        .await
        .unwrap()
        .execution_arn
}

async fn history(sfn: &Sfn, arn: &str) -> Vec<Value> {
    let h = sfn
        .get_execution_history()
        .execution_arn(arn)
        .send()
        .await
        .unwrap();
    serde_json::to_value(&h).unwrap()["events"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().filter_map(|e| e["type"].as_str()).collect()
}

#[tokio::test(start_paused = true)]
async fn create_describe_list_delete() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "alpha").await;
    assert_eq!(a, "arn:aws:states:us-east-1:000000000000:activity:alpha");
    // Idempotent.
    assert_eq!(activity(&sfn, "alpha").await, a);
    let b = activity(&sfn, "beta").await;
    let d = sfn
        .describe_activity()
        .activity_arn(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(d.name, "alpha");
    let page = sfn.list_activities().max_results(1).send().await.unwrap();
    assert_eq!(page.activities.len(), 1);
    assert_eq!(page.activities[0].activity_arn, a);
    let next = page.next_token.unwrap();
    let page = sfn.list_activities().next_token(next).send().await.unwrap();
    assert_eq!(page.activities[0].activity_arn, b);
    assert!(page.next_token.is_none());
    sfn.delete_activity().activity_arn(&a).send().await.unwrap();
    let err = sfn
        .describe_activity()
        .activity_arn(&a)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ActivityDoesNotExist");
    let err = sfn
        .create_activity()
        .name("bad name")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidName");
}

#[tokio::test(start_paused = true)]
async fn a_worker_completes_an_activity_task() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "work").await;
    let arn = start(&sfn, &a, "").await;
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .worker_name("BASE_ID_ACTIVITY_CONSUMER")
        .send()
        .await
        .unwrap();
    let input = task.input.unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&input).unwrap(),
        json!({"Value1": "HelloWorld"})
    );
    sfn.send_task_success()
        .task_token(task.task_token.unwrap())
        .output(input)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#"{"Value1":"HelloWorld"}"#));
    let events = history(&sfn, &arn).await;
    assert_eq!(
        types(&events),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(events[2]["activityScheduledEventDetails"]["resource"], a);
    assert_eq!(
        events[3]["activityStartedEventDetails"]["workerName"],
        "BASE_ID_ACTIVITY_CONSUMER"
    );
}

#[tokio::test(start_paused = true)]
async fn a_worker_fails_an_activity_task() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "work").await;
    let arn = start(&sfn, &a, "").await;
    // No worker name: ActivityStarted has empty details.
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .send()
        .await
        .unwrap();
    sfn.send_task_failure()
        .task_token(task.task_token.unwrap())
        .error("Programmatic Error")
        .cause("it broke")
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Programmatic Error"));
    let events = history(&sfn, &arn).await;
    assert_eq!(
        types(&events)[2..],
        [
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityFailed",
            "ExecutionFailed"
        ]
    );
    assert_eq!(events[3]["activityStartedEventDetails"], json!({}));
}

#[tokio::test(start_paused = true)]
async fn get_activity_task_long_polls_sixty_seconds() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "idle").await;
    let t0 = sfn.clock().now();
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .send()
        .await
        .unwrap();
    assert_eq!(sfn.clock().now() - t0, Duration::from_secs(60));
    assert!(task.task_token.is_none() && task.input.is_none());

    // A poll waiting when the task is scheduled gets it at once.
    let poll = {
        let sfn = sfn.clone();
        let a = a.clone();
        tokio::spawn(async move {
            sfn.get_activity_task()
                .activity_arn(&a)
                .worker_name("w")
                .send()
                .await
        })
    };
    let clock = sfn.clock();
    clock
        .sleep_until(clock.now() + Duration::from_secs(10))
        .await;
    let t1 = clock.now();
    let _arn = start(&sfn, &a, "").await;
    let task = poll.await.unwrap().unwrap();
    assert!(task.task_token.is_some());
    assert_eq!(clock.now(), t1);

    let err = sfn
        .get_activity_task()
        .activity_arn("arn:aws:states:us-east-1:000000000000:activity:none")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ActivityDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn a_started_task_times_out() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "slow").await;
    let arn = start(&sfn, &a, r#", "TimeoutSeconds": 5"#).await;
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .worker_name("w")
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    let events = history(&sfn, &arn).await;
    assert_eq!(
        types(&events)[2..],
        [
            "ActivityScheduled",
            "ActivityStarted",
            "ActivityTimedOut",
            "ExecutionFailed"
        ]
    );
    assert_eq!(
        events[2]["activityScheduledEventDetails"]["timeoutInSeconds"],
        5
    );
    assert_eq!(
        events[4]["activityTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
    let err = sfn
        .send_task_success()
        .task_token(task.task_token.unwrap())
        .output("{}")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TaskTimedOut");
}

#[tokio::test(start_paused = true)]
async fn an_untaken_task_times_out_and_is_not_handed_out() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "nobody").await;
    let arn = start(&sfn, &a, r#", "TimeoutSeconds": 5"#).await;
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&history(&sfn, &arn).await)[2..],
        ["ActivityScheduled", "ActivityTimedOut", "ExecutionFailed"]
    );
    let t0 = sfn.clock().now();
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .send()
        .await
        .unwrap();
    assert!(task.task_token.is_none());
    assert_eq!(sfn.clock().now() - t0, Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn heartbeats_count_from_the_start() {
    let sfn = Sfn::new();
    let a = activity(&sfn, "beat").await;
    let arn = start(&sfn, &a, r#", "HeartbeatSeconds": 10"#).await;
    let clock = sfn.clock().clone();
    // Taken 30 s after scheduling: the heartbeat interval starts when the worker takes it.
    clock
        .sleep_until(clock.now() + Duration::from_secs(30))
        .await;
    let task = sfn
        .get_activity_task()
        .activity_arn(&a)
        .send()
        .await
        .unwrap();
    let token = task.task_token.unwrap();
    clock
        .sleep_until(clock.now() + Duration::from_secs(8))
        .await;
    sfn.send_task_heartbeat()
        .task_token(&token)
        .send()
        .await
        .unwrap();
    let t0 = clock.now();
    let done = sfn.wait_for_execution(&arn).await.unwrap();
    assert_eq!(clock.now() - t0, Duration::from_secs(10));
    // AWS reports a missed heartbeat as States.Timeout.
    assert_eq!(done.error.as_deref(), Some("States.Timeout"));
}
