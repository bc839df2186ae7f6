//! The transition hot path's shortcuts change nothing observable: a Pass state without optional
//! fields passes its input on, the context object is there for the states that read `$$`,
//! each state's entered and exited events carry its input and output text, and an inline Map
//! with every iteration in flight aborts the right ones.

mod support;

use aws_lite_flow::{ExecutionStatus, TaskError};
use serde_json::{Value, json};
use support::*;

/// The `(type, name, input or output text)` of the state events of an execution.
async fn state_events(sfn: &aws_lite_flow::Sfn, execution_arn: &str) -> Vec<(String, Value)> {
    let h = sfn
        .get_execution_history()
        .execution_arn(execution_arn)
        .send()
        .await
        .unwrap();
    h.events
        .iter()
        .filter_map(|e| {
            let d = e.details()?;
            d.get("name")?;
            let text = d.get("input").or_else(|| d.get("output"))?.as_str()?;
            Some((
                format!(
                    "{} {}",
                    e.event_type,
                    d["name"].as_str().unwrap_or_default()
                ),
                serde_json::from_str(text).unwrap(),
            ))
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn pass_states_fast_and_slow_record_the_same_history() {
    let sfn = sfn();
    let definition = json!({
        "StartAt": "Bare",
        "States": {
            "Bare": {"Type": "Pass", "Next": "Context"},
            "Context": {
                "Type": "Pass",
                "Parameters": {
                    "in.$": "$",
                    "state.$": "$$.State.Name",
                    "entered.$": "$$.State.EnteredTime",
                    "execution.$": "$$.Execution.Name",
                    "first.$": "$$.Execution.Input.order.id"
                },
                "Next": "Bare2"
            },
            "Bare2": {"Type": "Pass", "Next": "Result"},
            "Result": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "Done"},
            "Done": {"Type": "Succeed", "InputPath": "$.in"}
        }
    })
    .to_string();
    let sm = sfn
        .create_state_machine()
        .name("hot")
        .definition(definition)
        .send()
        .await
        .unwrap();
    let input = json!({"order": {"id": "o-1", "items": [1, 2, 3], "total": 42.5}});
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .name("run-1")
        .input(input.to_string())
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&done), input);

    let events = state_events(&sfn, &run.execution_arn).await;
    let context_output = events
        .iter()
        .find(|(t, _)| t == "PassStateExited Context")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert_eq!(context_output["in"], input);
    assert_eq!(context_output["state"], json!("Context"));
    assert_eq!(context_output["execution"], json!("run-1"));
    assert_eq!(context_output["first"], json!("o-1"));
    let entered = context_output["entered"].as_str().unwrap();
    assert!(entered.ends_with('Z') && entered.contains('T'), "{entered}");
    let mut with_r = context_output.clone();
    with_r["r"] = json!({"a": 1});
    let expected = [
        ("PassStateEntered Bare", input.clone()),
        ("PassStateExited Bare", input.clone()),
        ("PassStateEntered Context", input.clone()),
        ("PassStateExited Context", context_output.clone()),
        ("PassStateEntered Bare2", context_output.clone()),
        ("PassStateExited Bare2", context_output.clone()),
        ("PassStateEntered Result", context_output.clone()),
        ("PassStateExited Result", with_r.clone()),
        ("SucceedStateEntered Done", with_r),
        ("SucceedStateExited Done", input.clone()),
    ];
    let got: Vec<(&str, &Value)> = events.iter().map(|(t, v)| (t.as_str(), v)).collect();
    let want: Vec<(&str, &Value)> = expected.iter().map(|(t, v)| (*t, v)).collect();
    assert_eq!(got, want);

    // The wire form of a state event is AWS's.
    let h = sfn
        .get_execution_history()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    let wire = serde_json::to_value(&h.events[1]).unwrap();
    assert_eq!(wire["type"], json!("PassStateEntered"));
    assert_eq!(
        wire["previousEventId"],
        json!(0),
        "the first state links to 0, as on AWS"
    );
    assert_eq!(
        wire["stateEnteredEventDetails"],
        json!({"name": "Bare", "input": input.to_string(), "inputDetails": {"truncated": false}})
    );
    let exited = serde_json::to_value(&h.events[2]).unwrap();
    assert_eq!(
        exited["stateExitedEventDetails"],
        json!({"name": "Bare", "output": input.to_string(), "outputDetails": {"truncated": false}})
    );
}

#[tokio::test(start_paused = true)]
async fn assigned_variables_still_show_in_exited_events() {
    let sfn = sfn();
    let definition = json!({
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Parameters": {"x.$": "$x"}, "End": true}
        }
    });
    let (done, _) = run(&sfn, &definition.to_string(), json!({})).await;
    assert_eq!(output(&done), json!({"x": 1}));
    let h = sfn
        .get_execution_history()
        .execution_arn(&done.execution_arn)
        .send()
        .await
        .unwrap();
    let exited = h
        .events
        .iter()
        .find(|e| e.event_type.as_str() == "PassStateExited")
        .unwrap();
    let d = exited.details().unwrap();
    assert_eq!(d["assignedVariables"], json!({"x": "1"}));
    assert_eq!(d["output"], json!("{}"));
}

#[tokio::test(start_paused = true)]
async fn a_map_with_every_iteration_in_flight_aborts_the_rest_in_order() {
    let sfn = sfn();
    sfn.register_task_handler("arn:aws:states:::aws-lite:item", |item: Value| async move {
        if item == json!(3) {
            return Err(TaskError::new("Item.Failed", "three"));
        }
        // Items above 3 wait, so they are in flight when item 3 fails.
        if item.as_u64().is_some_and(|n| n > 3) {
            std::future::pending::<()>().await;
        }
        Ok(item)
    });
    let definition = json!({
        "StartAt": "M",
        "States": {"M": {
            "Type": "Map",
            "MaxConcurrency": 0,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "T",
                "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::aws-lite:item", "End": true}}
            },
            "End": true
        }}
    });
    let items: Vec<u64> = (0..8).collect();
    let (done, types) = run(&sfn, &definition.to_string(), json!(items)).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("Item.Failed"));
    let h = sfn
        .get_execution_history()
        .execution_arn(&done.execution_arn)
        .send()
        .await
        .unwrap();
    let aborted: Vec<u64> = h
        .events
        .iter()
        .filter(|e| e.event_type.as_str() == "MapIterationAborted")
        .map(|e| e.details().unwrap()["index"].as_u64().unwrap())
        .collect();
    assert_eq!(aborted, [4, 5, 6, 7], "{types:?}");
}
