//! Distributed Map: item readers, batching, result writers, failure thresholds, concurrency,
//! Express children, Map Runs and validation, under paused time.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_flow::{ExecutionStatus, Sfn, TaskError};
use serde_json::{Value, json};
use support::{output, run, sfn};

/// A machine whose only state is a Distributed Map: `fields` are the Map's fields besides its
/// processor, `states` the processor's states (starting at `Child`).
fn machine(fields: Value, states: Value, execution_type: &str) -> String {
    let mut map = json!({
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": execution_type},
            "StartAt": "Child",
            "States": states,
        },
        "End": true,
    });
    if let (Some(m), Some(f)) = (map.as_object_mut(), fields.as_object()) {
        m.extend(f.clone());
    }
    json!({"StartAt": "Map", "States": {"Map": map}}).to_string()
}

fn pass_child() -> Value {
    json!({"Child": {"Type": "Pass", "End": true}})
}

/// A child that fails (`Boom`) for items below `$.failBelow` of its input.
fn failing_child() -> Value {
    json!({
        "Child": {"Type": "Choice", "Choices": [
            {"Variable": "$.fail", "BooleanEquals": true, "Next": "Fail"}
        ], "Default": "Ok"},
        "Fail": {"Type": "Fail", "Error": "Boom", "Cause": "item failed"},
        "Ok": {"Type": "Pass", "End": true}
    })
}

/// `n` items, the first `failing` of which fail in [`failing_child`].
fn items(n: usize, failing: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"i": i, "fail": i < failing}))
            .collect(),
    )
}

async fn history(sfn: &Sfn, arn: &str) -> Vec<aws_lite_flow::HistoryEvent> {
    sfn.get_execution_history()
        .execution_arn(arn)
        .send()
        .await
        .expect("history")
        .events
}

/// Runs `def` on `input` and returns the description, the history's event types and the
/// execution's ARN.
async fn start(sfn: &Sfn, def: &str, input: Value) -> (String, String) {
    let sm = sfn
        .create_state_machine()
        .name(format!("dm{}", NEXT.fetch_add(1, Ordering::Relaxed)))
        .definition(def)
        .send()
        .await
        .expect("valid definition");
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(input.to_string())
        .send()
        .await
        .expect("started");
    (sm.state_machine_arn, run.execution_arn)
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn map_run_arn(events: &[aws_lite_flow::HistoryEvent]) -> String {
    events
        .iter()
        .find(|e| e.event_type.as_str() == "MapRunStarted")
        .and_then(|e| e.details())
        .and_then(|d| d["mapRunArn"].as_str())
        .expect("a MapRunStarted event")
        .to_string()
}

/// DescribeMapRun of `run_arn`, which exists.
async fn describe_run(
    sfn: &aws_lite_flow::Sfn,
    run_arn: &str,
) -> aws_lite_flow::operation::describe_map_run::DescribeMapRunOutput {
    sfn.describe_map_run()
        .map_run_arn(run_arn)
        .send()
        .await
        .expect("map run")
}

#[tokio::test(start_paused = true)]
async fn items_run_as_child_executions_with_map_run_events() {
    let sfn = sfn();
    // Each child reports its own execution: `$$` is the child's context object.
    let child = json!({"Child": {"Type": "Pass",
        "Parameters": {"item.$": "$", "id.$": "$$.Execution.Id", "sm.$": "$$.StateMachine.Id"},
        "End": true}});
    let def = machine(json!({"ItemsPath": "$.items"}), child, "STANDARD");
    let (sm_arn, arn) = start(&sfn, &def, json!({"items": [1, 2, 3]})).await;
    let done = sfn.wait_for_execution(&arn).await.expect("exists");
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    let items: Vec<Value> = out
        .as_array()
        .expect("array")
        .iter()
        .map(|o| o["item"].clone())
        .collect();
    assert_eq!(items, [json!(1), json!(2), json!(3)]);

    let events = history(&sfn, &arn).await;
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    // MapRunStarted follows MapStateStarted; the state's end follows the Map Run's.
    assert_eq!(events[3].previous_event_id, events[2].id);
    assert_eq!(events[4].previous_event_id, events[3].id);
    assert_eq!(events[5].previous_event_id, events[4].id);
    assert_eq!(events[6].previous_event_id, events[4].id);
    assert_eq!(events[2].details().expect("details")["length"], json!(3));

    let run_arn = map_run_arn(&events);
    let sm_name = sm_arn.rsplit(':').next().expect("machine name");
    let prefix = format!("arn:aws:states:us-east-1:000000000000:mapRun:{sm_name}/Map:");
    assert!(run_arn.starts_with(&prefix), "{run_arn}");
    let described = describe_run(&sfn, &run_arn).await;
    assert_eq!(described.status.as_str(), "SUCCEEDED");
    assert_eq!(described.execution_arn, arn);
    assert_eq!(described.item_counts.total, 3);
    assert_eq!(described.item_counts.succeeded, 3);
    assert_eq!(described.execution_counts.succeeded, 3);
    assert_eq!(described.execution_counts.running, 0);
    assert!(described.stop_date.is_some());
    let listed = sfn
        .list_map_runs()
        .execution_arn(&arn)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.map_runs.len(), 1);
    assert_eq!(listed.map_runs[0].map_run_arn, run_arn);
    assert_eq!(
        listed.map_runs[0].state_machine_arn,
        format!("{sm_arn}/Map")
    );

    // Each item ran as a child execution with a history of its own.
    for o in out.as_array().expect("array") {
        let child = o["id"].as_str().expect("child arn");
        let child_prefix =
            format!("arn:aws:states:us-east-1:000000000000:execution:{sm_name}/Map:");
        assert!(child.starts_with(&child_prefix), "{child}");
        assert_eq!(o["sm"], json!(format!("{sm_arn}/Map")));
        let d = sfn
            .describe_execution()
            .execution_arn(child)
            .send()
            .await
            .expect("child");
        assert_eq!(d.status, ExecutionStatus::Succeeded);
        assert_eq!(d.input, o["item"].to_string());
        let types: Vec<String> = history(&sfn, child)
            .await
            .iter()
            .map(|e| e.event_type.to_string())
            .collect();
        assert_eq!(
            types,
            [
                "ExecutionStarted",
                "PassStateEntered",
                "PassStateExited",
                "ExecutionSucceeded"
            ]
        );
    }
}

#[tokio::test(start_paused = true)]
async fn item_selector_sees_the_parent_scope_and_children_see_no_variables() {
    let sfn = sfn();
    let def = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"bucket": "b-1"}, "Next": "Map"},
        "Map": {"Type": "Map", "ItemsPath": "$.items", "Label": "Sel",
            "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "b.$": "$bucket",
                "lit": "$bucket"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Child", "States": {"Child": {"Type": "Pass", "End": true}}},
            "Next": "Vars"},
        "Vars": {"Type": "Map", "ItemsPath": "$[0:1]",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Child", "States": {"Child": {"Type": "Pass",
                    "Parameters": {"b.$": "$bucket"}, "End": true}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
            "End": true},
        "Caught": {"Type": "Pass", "End": true}
    }})
    .to_string();
    let (done, _) = run(&sfn, &def, json!({"items": ["x", "y"]})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    // The child of `Vars` cannot read `$bucket`: its failure exceeds the (zero) threshold.
    assert_eq!(
        output(&done),
        json!({"Error": "States.ExceedToleratedFailureThreshold",
               "Cause": "The specified tolerated failure threshold was exceeded"})
    );
    let def2 = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"bucket": "b-1"}, "Next": "Map"},
        "Map": {"Type": "Map", "ItemsPath": "$.items",
            "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "b.$": "$bucket",
                "lit": "$bucket"},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Child", "States": {"Child": {"Type": "Pass", "End": true}}},
            "End": true}
    }})
    .to_string();
    let (done, _) = run(&sfn, &def2, json!({"items": ["x", "y"]})).await;
    assert_eq!(
        output(&done),
        json!([
            {"v": "x", "i": 0, "b": "b-1", "lit": "$bucket"},
            {"v": "y", "i": 1, "b": "b-1", "lit": "$bucket"}
        ])
    );
}

fn reader(input_type: Option<&str>, extra: Value) -> Value {
    let mut config = json!({});
    if let Some(t) = input_type {
        config["InputType"] = json!(t);
    }
    if let (Some(c), Some(e)) = (config.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    json!({"ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": config,
        "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}
    }})
}

async fn read(
    sfn: &Sfn,
    fields: Value,
    key: &str,
) -> aws_lite_flow::operation::describe_execution::DescribeExecutionOutput {
    let def = machine(fields, pass_child(), "STANDARD");
    run(sfn, &def, json!({"bucket": "data", "key": key}))
        .await
        .0
}

#[tokio::test(start_paused = true)]
async fn json_reader_reads_an_array_and_max_items_keeps_the_first() {
    let sfn = sfn();
    sfn.objects()
        .put("data", "items.json", r#"[{"a": 1}, {"a": 2}, {"a": 3}]"#);
    let done = read(&sfn, reader(Some("JSON"), json!({})), "items.json").await;
    assert_eq!(output(&done), json!([{"a": 1}, {"a": 2}, {"a": 3}]));
    let done = read(
        &sfn,
        reader(Some("JSON"), json!({"MaxItems": 2})),
        "items.json",
    )
    .await;
    assert_eq!(output(&done), json!([{"a": 1}, {"a": 2}]));
    // 0 is no limit.
    let done = read(
        &sfn,
        reader(Some("JSON"), json!({"MaxItems": 0})),
        "items.json",
    )
    .await;
    assert_eq!(output(&done).as_array().map(Vec::len), Some(3));
    // ItemsPath is not used with a reader; the state starts with length 0.
    let mut fields = reader(Some("JSON"), json!({}));
    fields["ItemsPath"] = json!("$.other");
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, types) = run(
        &sfn,
        &def,
        json!({"bucket": "data", "key": "items.json", "other": [9]}),
    )
    .await;
    assert_eq!(output(&done), json!([{"a": 1}, {"a": 2}, {"a": 3}]));
    assert!(types.contains(&"MapRunSucceeded".to_string()));
}

#[tokio::test(start_paused = true)]
async fn json_reader_failures_fail_the_map_run() {
    let sfn = sfn();
    sfn.objects()
        .put("data", "obj.json", r#"{"Hello": "world"}"#);
    let def = machine(reader(Some("JSON"), json!({})), pass_child(), "STANDARD");
    let (done, types) = run(&sfn, &def, json!({"bucket": "data", "key": "obj.json"})).await;
    assert_eq!(done.status, ExecutionStatus::Failed);
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("Attempting to map over non-iterable node.")
    );
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunFailed",
            "MapStateFailed",
            "ExecutionFailed"
        ]
    );
    let (done, _) = run(&sfn, &def, json!({"bucket": "data", "key": "nope.json"})).await;
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("The specified key does not exist.")
    );
    let (done, _) = run(&sfn, &def, json!({"bucket": "none", "key": "a"})).await;
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    // A negative MaxItemsPath fails the Map Run as AWS records it.
    sfn.objects().put("data", "a.json", "[1]");
    let fields = reader(Some("JSON"), json!({"MaxItemsPath": "$.max"}));
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, types) = run(
        &sfn,
        &def,
        json!({"bucket": "data", "key": "a.json", "max": -1}),
    )
    .await;
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("field MaxItems must be positive")
    );
    assert!(types.contains(&"MapRunFailed".to_string()));
    // States.ItemReaderFailed can be caught.
    let def = json!({"StartAt": "Map", "States": {
        "Map": {"Type": "Map",
            "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "data", "Key": "obj.json"}},
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "C", "States": {"C": {"Type": "Pass", "End": true}}},
            "Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "ResultPath": "$.err", "Next": "Ok"}],
            "End": true},
        "Ok": {"Type": "Succeed"}}})
    .to_string();
    let (done, _) = run(&sfn, &def, json!({})).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        output(&done)["err"]["Error"],
        json!("States.ItemReaderFailed")
    );
}

#[tokio::test(start_paused = true)]
async fn jsonl_reader_reads_one_value_per_line() {
    let sfn = sfn();
    sfn.objects()
        .put("data", "items.jsonl", "{\"a\":1}\n\n{\"a\":2}\n3\n");
    let done = read(&sfn, reader(Some("JSONL"), json!({})), "items.jsonl").await;
    assert_eq!(output(&done), json!([{"a": 1}, {"a": 2}, 3]));
    sfn.objects()
        .put("data", "bad.jsonl", "{\"a\":1}\nnot json\n");
    let done = read(&sfn, reader(Some("JSONL"), json!({})), "bad.jsonl").await;
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
}

#[tokio::test(start_paused = true)]
async fn csv_reader_with_first_row_headers() {
    let sfn = sfn();
    // The recorded AWS case: extra fields are dropped, missing ones are "".
    sfn.objects().put(
        "data",
        "f.csv",
        "H1,\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n",
    );
    let fields = reader(Some("CSV"), json!({"CSVHeaderLocation": "FIRST_ROW"}));
    let done = read(&sfn, fields, "f.csv").await;
    assert_eq!(
        output(&done),
        json!([
            {"H1": "Value4", "": "Value5"},
            {"H1": "", "": ""},
            {"H1": "true", "": "1"},
            {"H1": "Null", "": "None"},
            {"H1": "   ", "": ""}
        ])
    );
    // Quoted fields, CRLF line ends and MaxItems (counted after the header row).
    sfn.objects().put(
        "data",
        "q.csv",
        "name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\"\r\nDoe,\"two\nlines\"\r\nLast,x\r\n",
    );
    let fields = reader(
        Some("CSV"),
        json!({"CSVHeaderLocation": "FIRST_ROW", "MaxItems": 2}),
    );
    let done = read(&sfn, fields, "q.csv").await;
    assert_eq!(
        output(&done),
        json!([
            {"name": "Smith, J", "note": "said \"hi\""},
            {"name": "Doe", "note": "two\nlines"}
        ])
    );
}

#[tokio::test(start_paused = true)]
async fn csv_reader_with_given_headers_and_delimiters() {
    let sfn = sfn();
    sfn.objects().put(
        "data",
        "f.csv",
        "Value1,Value2,Value3\nValue4,Value5,Value6\n",
    );
    let fields = reader(
        Some("CSV"),
        json!({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1"]}),
    );
    let done = read(&sfn, fields, "f.csv").await;
    assert_eq!(output(&done), json!([{"H1": "Value1"}, {"H1": "Value4"}]));
    for (delimiter, sep) in [
        ("PIPE", "|"),
        ("SEMICOLON", ";"),
        ("TAB", "\t"),
        ("SPACE", " "),
    ] {
        let key = format!("{delimiter}.csv");
        sfn.objects()
            .put("data", key.clone(), format!("a{sep}b\n1{sep}2\n"));
        let fields = reader(
            Some("CSV"),
            json!({"CSVHeaderLocation": "FIRST_ROW", "CSVDelimiter": delimiter}),
        );
        let done = read(&sfn, fields, &key).await;
        assert_eq!(output(&done), json!([{"a": "1", "b": "2"}]), "{delimiter}");
    }
    // Duplicate headers fail the read.
    let fields = reader(
        Some("CSV"),
        json!({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["H1", "H1"]}),
    );
    let done = read(&sfn, fields, "f.csv").await;
    assert_eq!(done.error.as_deref(), Some("States.ItemReaderFailed"));
    assert_eq!(
        done.cause.as_deref(),
        Some("CSV headers cannot contain duplicates.")
    );
}

#[tokio::test(start_paused = true)]
async fn list_objects_v2_reader_yields_object_metadata() {
    let sfn = sfn();
    for i in 0..3 {
        sfn.objects()
            .put("b", format!("in/file_{i}.txt"), format!("{i}HelloWorld!"));
    }
    sfn.objects().put("b", "other/x.txt", "x");
    let fields = json!({"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket.$": "$.bucket", "Prefix": "in/"}}});
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, _) = run(&sfn, &def, json!({"bucket": "b"})).await;
    let out = output(&done);
    let out = out.as_array().expect("array");
    assert_eq!(out.len(), 3);
    let info = sfn.objects().head("b", "in/file_0.txt").expect("object");
    assert_eq!(out[0]["Key"], json!("in/file_0.txt"));
    assert_eq!(out[0]["Size"], json!(12));
    assert_eq!(out[0]["StorageClass"], json!("STANDARD"));
    assert_eq!(out[0]["Etag"], json!(info.etag));
    // The ETag is the quoted MD5 of the body.
    assert_eq!(
        sfn.objects().put("b", "hello", "hello").etag,
        "\"5d41402abc4b2a76b9719d911017c592\""
    );
    assert!(out[0]["LastModified"].is_u64());
}

#[tokio::test(start_paused = true)]
async fn item_batcher_groups_items_with_batch_input() {
    let sfn = sfn();
    let fields = json!({"ItemsPath": "$.items",
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"job.$": "$.job"}}});
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, _) = run(&sfn, &def, json!({"job": "j1", "items": [1, 2, 3, 4, 5]})).await;
    assert_eq!(
        output(&done),
        json!([
            {"BatchInput": {"job": "j1"}, "Items": [1, 2]},
            {"BatchInput": {"job": "j1"}, "Items": [3, 4]},
            {"BatchInput": {"job": "j1"}, "Items": [5]}
        ])
    );
    // Bytes: `{"Items":[]}` is 12 bytes, each 3-byte item adds 4 with its comma.
    let fields = json!({"ItemsPath": "$.items",
        "ItemBatcher": {"MaxInputBytesPerBatchPath": "$.bytes"}});
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, _) = run(
        &sfn,
        &def,
        json!({"bytes": 23, "items": ["a", "b", "c", "d"]}),
    )
    .await;
    assert_eq!(
        output(&done),
        json!([{"Items": ["a", "b", "c"]}, {"Items": ["d"]}])
    );
    // A bad path value is a runtime error of the state.
    let (done, _) = run(&sfn, &def, json!({"bytes": "x", "items": ["a"]})).await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(
        done.cause.as_deref().is_some_and(
            |c| c.contains("The MaxInputBytesPerBatchPath field refers to value \"x\"")
        ),
        "{:?}",
        done.cause
    );
}

#[tokio::test(start_paused = true)]
async fn result_writer_exports_results_and_a_manifest() {
    let sfn = sfn();
    sfn.objects().create_bucket("results");
    let fields = json!({"ItemsPath": "$", "Label": "TestMap", "ToleratedFailureCount": 1,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "results", "Prefix": "jobs"}}});
    let def = machine(fields, failing_child(), "STANDARD");
    let (_, arn) = start(&sfn, &def, items(3, 1)).await;
    let done = sfn.wait_for_execution(&arn).await.expect("exists");
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    let run_arn = out["MapRunArn"].as_str().expect("arn").to_string();
    assert!(run_arn.contains("/TestMap:"), "{run_arn}");
    let run_id = run_arn.rsplit(':').next().expect("uuid");
    let key = format!("jobs/{run_id}/manifest.json");
    assert_eq!(
        out["ResultWriterDetails"],
        json!({"Bucket": "results", "Key": key})
    );
    let manifest: Value =
        serde_json::from_slice(&sfn.objects().get("results", &key).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["DestinationBucket"], json!("results"));
    assert_eq!(manifest["MapRunArn"], json!(run_arn));
    assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
    let succeeded = &manifest["ResultFiles"]["SUCCEEDED"][0];
    assert_eq!(
        succeeded["Key"],
        json!(format!("jobs/{run_id}/SUCCEEDED_0.json"))
    );
    let body = sfn
        .objects()
        .get("results", succeeded["Key"].as_str().expect("key"))
        .expect("file");
    assert_eq!(succeeded["Size"], json!(body.len()));
    let entries: Value = serde_json::from_slice(&body).expect("json");
    let entries = entries.as_array().expect("array");
    assert_eq!(entries.len(), 2);
    let e = &entries[0];
    assert_eq!(e["Status"], json!("SUCCEEDED"));
    assert_eq!(e["Input"], e["Output"]);
    assert_eq!(e["InputDetails"], json!({"Included": true}));
    assert!(
        e["ExecutionArn"]
            .as_str()
            .is_some_and(|a| a.contains(":execution:"))
    );
    assert!(
        e["StateMachineArn"]
            .as_str()
            .is_some_and(|a| a.ends_with("/TestMap"))
    );
    let failed_key = manifest["ResultFiles"]["FAILED"][0]["Key"]
        .as_str()
        .expect("failed file");
    let failed: Value =
        serde_json::from_slice(&sfn.objects().get("results", failed_key).expect("file"))
            .expect("json");
    assert_eq!(failed[0]["Status"], json!("FAILED"));
    assert_eq!(failed[0]["Error"], json!("Boom"));
    assert_eq!(failed[0]["Cause"], json!("item failed"));
    let described = describe_run(&sfn, &run_arn).await;
    assert_eq!(described.item_counts.results_written, 3);
    assert_eq!(described.item_counts.failed, 1);
    assert_eq!(described.tolerated_failure_count, 1);

    // JSON Lines output; a missing bucket fails the run with States.ResultWriterFailed.
    let fields = json!({"ItemsPath": "$", "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket.$": "$$.Execution.Input[0].bucket", "Prefix": ""},
        "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}}});
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, _) = run(&sfn, &def, json!([{"bucket": "results"}, {"n": 2}])).await;
    let key = output(&done)["ResultWriterDetails"]["Key"]
        .as_str()
        .expect("key")
        .replace("manifest.json", "SUCCEEDED_0.json");
    assert!(!key.starts_with('/'));
    let body = String::from_utf8(sfn.objects().get("results", &key).expect("file")).expect("utf8");
    assert_eq!(body, "{\"bucket\":\"results\"}\n{\"n\":2}");
    let (done, types) = run(&sfn, &def, json!([{"bucket": "missing"}])).await;
    assert_eq!(done.error.as_deref(), Some("States.ResultWriterFailed"));
    assert!(types.contains(&"MapRunFailed".to_string()));
}

#[tokio::test(start_paused = true)]
async fn writer_config_alone_reformats_the_output() {
    let sfn = sfn();
    let child = json!({"Child": {"Type": "Pass", "Parameters": {"a.$": "$", "b": 0}, "OutputPath": "$.*", "End": true}});
    let fields =
        json!({"ItemsPath": "$", "ResultWriter": {"WriterConfig": {"Transformation": "FLATTEN"}}});
    let def = machine(fields, child.clone(), "STANDARD");
    let (done, _) = run(&sfn, &def, json!([1, 2])).await;
    assert_eq!(output(&done), json!([1, 0, 2, 0]));
    let fields =
        json!({"ItemsPath": "$", "ResultWriter": {"WriterConfig": {"Transformation": "NONE"}}});
    let def = machine(fields, pass_child(), "STANDARD");
    let (done, _) = run(&sfn, &def, json!(["x"])).await;
    let out = output(&done);
    assert_eq!(out[0]["Status"], json!("SUCCEEDED"));
    assert_eq!(out[0]["Output"], json!("\"x\""));
}

async fn thresholds(
    sfn: &Sfn,
    fields: Value,
    failing: usize,
) -> (ExecutionStatus, Value, Option<String>) {
    let mut fields = fields;
    fields["ItemsPath"] = json!("$");
    let def = machine(fields, failing_child(), "STANDARD");
    let (done, _) = run(sfn, &def, items(10, failing)).await;
    let out = if done.status == ExecutionStatus::Succeeded {
        output(&done)
    } else {
        Value::Null
    };
    (done.status, out, done.error)
}

#[tokio::test(start_paused = true)]
async fn tolerated_failure_count_below_at_and_above() {
    let sfn = sfn();
    let fields = json!({"ToleratedFailureCount": 3});
    let (status, out, _) = thresholds(&sfn, fields.clone(), 2).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    // A tolerated failure's result is its error and cause.
    assert_eq!(out[0], json!({"Error": "Boom", "Cause": "item failed"}));
    assert_eq!(out[9], json!({"i": 9, "fail": false}));
    let (status, _, _) = thresholds(&sfn, fields.clone(), 3).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
    let (status, _, error) = thresholds(&sfn, fields, 4).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(
        error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    // With no threshold any failure fails the run.
    let (status, _, error) = thresholds(&sfn, json!({}), 1).await;
    assert_eq!(status, ExecutionStatus::Failed);
    assert_eq!(
        error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    let (status, _, _) = thresholds(&sfn, json!({}), 0).await;
    assert_eq!(status, ExecutionStatus::Succeeded);
}

#[tokio::test(start_paused = true)]
async fn tolerated_failure_percentage_below_at_and_above() {
    let sfn = sfn();
    let fields = json!({"ToleratedFailurePercentagePath": "$$.Execution.Input[0].pct"});
    let mut fields = fields;
    fields["ItemsPath"] = json!("$");
    let def = machine(fields, failing_child(), "STANDARD");
    let with_pct = |failing: usize, pct: Value| {
        let mut v = items(10, failing);
        v[0]["pct"] = pct;
        v
    };
    for (failing, pct, ok) in [
        (2, json!(30), true),
        (3, json!(30), true),
        (4, json!(30), false),
        (3, json!("30"), true),
        (1, json!(0), false),
    ] {
        let (done, _) = run(&sfn, &def, with_pct(failing, pct.clone())).await;
        assert_eq!(
            done.status == ExecutionStatus::Succeeded,
            ok,
            "{failing} failing, {pct}% tolerated: {:?}",
            done.error
        );
    }
    // Both thresholds: exceeding either fails the run.
    let fields = json!({"ToleratedFailurePercentage": 50, "ToleratedFailureCount": 1});
    let (status, _, _) = thresholds(&sfn, fields, 2).await;
    assert_eq!(status, ExecutionStatus::Failed);
    // Out-of-range paths are runtime errors after MapStateStarted.
    let (done, types) = run(&sfn, &def, with_pct(0, json!(101))).await;
    assert_eq!(done.error.as_deref(), Some("States.Runtime"));
    assert!(
        done.cause
            .as_deref()
            .is_some_and(|c| c.ends_with("ToleratedFailurePercentage must be between 0 and 100."))
    );
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "ExecutionFailed"
        ]
    );
    // The threshold error can be caught.
    let def = json!({"StartAt": "Map", "States": {
        "Map": {"Type": "Map", "ItemsPath": "$", "ToleratedFailureCount": 0,
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Child", "States": failing_child()},
            "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "Handle"}],
            "End": true},
        "Handle": {"Type": "Pass", "End": true}}})
    .to_string();
    let (done, _) = run(&sfn, &def, items(3, 1)).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(
        output(&done)["Cause"],
        json!("The specified tolerated failure threshold was exceeded")
    );
}

#[tokio::test(start_paused = true)]
async fn max_concurrency_is_respected() {
    let sfn = sfn();
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let clock = sfn.clock().clone();
    let (r, p) = (running.clone(), peak.clone());
    sfn.register_task_handler("arn:aws:states:::slow:work", move |v| {
        let (r, p, clock) = (r.clone(), p.clone(), clock.clone());
        async move {
            let now = r.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
            clock.sleep(Duration::from_secs(10)).await;
            r.fetch_sub(1, Ordering::SeqCst);
            Ok(v)
        }
    });
    let child =
        json!({"Child": {"Type": "Task", "Resource": "arn:aws:states:::slow:work", "End": true}});
    let def = machine(
        json!({"ItemsPath": "$", "MaxConcurrency": 3}),
        child.clone(),
        "STANDARD",
    );
    let started = sfn.clock().now();
    let (done, _) = run(&sfn, &def, json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(peak.load(Ordering::SeqCst), 3);
    // Four waves of ten seconds, on virtual time.
    assert_eq!(sfn.clock().now() - started, Duration::from_secs(40));
    // MaxConcurrency 0: all at once.
    peak.store(0, Ordering::SeqCst);
    let def = machine(json!({"ItemsPath": "$"}), child, "STANDARD");
    let (done, _) = run(&sfn, &def, json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(peak.load(Ordering::SeqCst), 10);
}

#[tokio::test(start_paused = true)]
async fn express_children_time_out_after_five_minutes() {
    let sfn = sfn();
    let child = json!({"Child": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "Next": "Wait"},
        "Wait": {"Type": "Wait", "SecondsPath": "$$.Execution.Input.wait", "End": true}});
    let fields = json!({"ItemsPath": "$", "ToleratedFailureCount": 1,
        "ResultWriter": {"WriterConfig": {"Transformation": "NONE"}}});
    let def = machine(fields, child, "EXPRESS");
    let (done, _) = run(&sfn, &def, json!([{"wait": 10}, {"wait": 400}])).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    assert_eq!(out[0]["Status"], json!("SUCCEEDED"));
    assert_eq!(out[1]["Status"], json!("TIMED_OUT"));
    assert_eq!(out[1]["Error"], json!("States.Timeout"));
    let child = out[0]["ExecutionArn"].as_str().expect("arn");
    assert!(child.contains(":express:"), "{child}");
    let d = sfn
        .describe_execution()
        .execution_arn(out[1]["ExecutionArn"].as_str().expect("arn"))
        .send()
        .await
        .expect("child");
    assert_eq!(d.status, ExecutionStatus::TimedOut);
}

#[tokio::test(start_paused = true)]
async fn stopping_the_parent_aborts_the_children_and_the_map_run() {
    let sfn = sfn();
    let child = json!({"Child": {"Type": "Wait", "Seconds": 1000, "End": true}});
    let def = machine(
        json!({"ItemsPath": "$", "MaxConcurrency": 2}),
        child,
        "STANDARD",
    );
    let (_, arn) = start(&sfn, &def, json!([1, 2, 3])).await;
    sfn.clock().sleep(Duration::from_secs(5)).await;
    let run_arn = map_run_arn(&history(&sfn, &arn).await);
    let described = describe_run(&sfn, &run_arn).await;
    assert_eq!(described.status.as_str(), "RUNNING");
    assert_eq!(described.execution_counts.running, 2);
    assert_eq!(described.execution_counts.pending, 1);
    sfn.stop_execution()
        .execution_arn(&arn)
        .send()
        .await
        .expect("stopped");
    tokio::task::yield_now().await;
    let described = describe_run(&sfn, &run_arn).await;
    assert_eq!(described.status.as_str(), "ABORTED");
    assert_eq!(described.execution_counts.aborted, 2);
    assert_eq!(described.execution_counts.running, 0);
}

#[tokio::test(start_paused = true)]
async fn stopping_a_child_fails_its_item() {
    let sfn = sfn();
    // The child's task hands its own execution ARN out, then waits.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let clock = sfn.clock().clone();
    sfn.register_task_handler("arn:aws:states:::park:me", move |v: Value| {
        let tx = tx.clone();
        let clock = clock.clone();
        async move {
            let _ = tx.send(v["id"].as_str().unwrap_or_default().to_string());
            clock.sleep(Duration::from_secs(3600)).await;
            Ok(v)
        }
    });
    let child = json!({"Child": {"Type": "Task", "Resource": "arn:aws:states:::park:me",
        "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}});
    let fields = json!({"ItemsPath": "$", "ToleratedFailureCount": 1,
        "ResultWriter": {"WriterConfig": {"Transformation": "NONE"}}});
    let def = machine(fields, child, "STANDARD");
    let (_, arn) = start(&sfn, &def, json!([1])).await;
    let child_arn = rx.recv().await.expect("child started");
    let events = history(&sfn, &arn).await;
    assert!(
        events
            .iter()
            .all(|e| !e.event_type.as_str().starts_with("MapIteration"))
    );
    sfn.stop_execution()
        .execution_arn(&child_arn)
        .cause("stopped by the test")
        .send()
        .await
        .expect("stopped");
    let done = sfn.wait_for_execution(&arn).await.expect("parent");
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    let out = output(&done);
    assert_eq!(out[0]["ExecutionArn"], json!(child_arn));
    assert_eq!(out[0]["Status"], json!("ABORTED"));
    let child_types: Vec<String> = history(&sfn, &child_arn)
        .await
        .iter()
        .map(|e| e.event_type.to_string())
        .collect();
    assert_eq!(
        child_types.last().map(String::as_str),
        Some("ExecutionAborted")
    );
    let run_arn = map_run_arn(&history(&sfn, &arn).await);
    let described = describe_run(&sfn, &run_arn).await;
    assert_eq!(described.execution_counts.aborted, 1);
    assert_eq!(described.status.as_str(), "SUCCEEDED");
}

#[tokio::test(start_paused = true)]
async fn map_run_api_errors() {
    let sfn = sfn();
    let e = sfn
        .describe_map_run()
        .map_run_arn("arn:aws:states:us-east-1:000000000000:execution:a:b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidArn");
    let e = sfn
        .describe_map_run()
        .map_run_arn("arn:aws:states:us-east-1:000000000000:mapRun:m/Map:123")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ResourceNotFound");
    let e = sfn
        .list_map_runs()
        .execution_arn("arn:aws:states:us-east-1:000000000000:execution:a:b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ExecutionDoesNotExist");
}

async fn rejected(sfn: &Sfn, def: &str) -> String {
    let e = sfn
        .create_state_machine()
        .name(format!("bad{}", NEXT.fetch_add(1, Ordering::Relaxed)))
        .definition(def)
        .send()
        .await
        .expect_err("invalid definition");
    assert_eq!(e.code(), "InvalidDefinition");
    e.message().to_string()
}

#[tokio::test(start_paused = true)]
async fn distributed_fields_are_validated() {
    let sfn = sfn();
    let cases: Vec<(String, &str)> = vec![
        (
            machine(json!({}), pass_child(), "PARALLEL"),
            "The field 'ExecutionType' should have one of these values: [STANDARD, EXPRESS] at /States/Map/ItemProcessor/ProcessorConfig/ExecutionType",
        ),
        (
            json!({"StartAt": "Map", "States": {"Map": {"Type": "Map", "End": true,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "C",
                    "States": {"C": {"Type": "Pass", "End": true}}}}}})
            .to_string(),
            "The field 'ExecutionType' is required but was missing at /States/Map/ItemProcessor/ProcessorConfig",
        ),
        (
            json!({"StartAt": "Map", "States": {"Map": {"Type": "Map", "End": true,
                "ItemBatcher": {"MaxItemsPerBatch": 2},
                "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Pass", "End": true}}}}}})
            .to_string(),
            "The field 'ItemBatcher' is only supported for Map states in DISTRIBUTED mode at /States/Map/ItemBatcher",
        ),
        (
            machine(reader(None, json!({})), pass_child(), "STANDARD"),
            "The field 'InputType' is required but was missing at /States/Map/ItemReader/ReaderConfig",
        ),
        (
            machine(reader(Some("MANIFEST"), json!({})), pass_child(), "STANDARD"),
            "InputType MANIFEST is not supported yet by aws-lite-flow",
        ),
        (
            machine(reader(Some("CSV"), json!({"CSVDelimiter": "COLON"})), pass_child(), "STANDARD"),
            "The field 'CSVDelimiter' should have one of these values: [COMMA, PIPE, SEMICOLON, SPACE, TAB]",
        ),
        (
            machine(reader(Some("CSV"), json!({"CSVHeaderLocation": "GIVEN"})), pass_child(), "STANDARD"),
            "The field 'CSVHeaders' is required but was missing",
        ),
        (
            machine(reader(Some("JSON"), json!({"MaxItems": 100_000_001})), pass_child(), "STANDARD"),
            "MaxItems must be an integer between 0 and 100000000 at /States/Map/ItemReader/ReaderConfig/MaxItems",
        ),
        (
            machine(reader(Some("JSON"), json!({"MaxItems": 1, "MaxItemsPath": "$.m"})), pass_child(), "STANDARD"),
            "Only one of 'MaxItems' or 'MaxItemsPath' may be set",
        ),
        (
            machine(json!({"ItemReader": {"Resource": "arn:aws:states:::s3:putObject"}}), pass_child(), "STANDARD"),
            "The ItemReader resource \"arn:aws:states:::s3:putObject\" is not supported",
        ),
        (
            machine(json!({"ItemBatcher": {"BatchInput": {}}}), pass_child(), "STANDARD"),
            "ItemBatcher must set at least one of",
        ),
        (
            machine(json!({"ItemBatcher": {"MaxInputBytesPerBatch": 262_145}}), pass_child(), "STANDARD"),
            "MaxInputBytesPerBatch must be an integer between 1 and 262144",
        ),
        (
            machine(json!({"ResultWriter": {}}), pass_child(), "STANDARD"),
            "The ResultWriter field cannot be empty",
        ),
        (
            machine(json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject"}}), pass_child(), "STANDARD"),
            "The field 'Parameters' is required but was missing at /States/Map/ResultWriter",
        ),
        (
            machine(json!({"ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                "Parameters": {"Prefix": "p"}}}), pass_child(), "STANDARD"),
            "The field 'Bucket' is required but was missing at /States/Map/ResultWriter/Parameters",
        ),
        (
            machine(json!({"ResultWriter": {"WriterConfig": {"OutputType": "CSV"}}}), pass_child(), "STANDARD"),
            "The field 'OutputType' should have one of these values: [JSON, JSONL]",
        ),
        (
            machine(json!({"ToleratedFailureCount": 1, "ToleratedFailureCountPath": "$.c"}), pass_child(), "STANDARD"),
            "Only one of 'ToleratedFailureCount' or 'ToleratedFailureCountPath' may be set at /States/Map",
        ),
        (
            machine(json!({}), json!({"Child": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}), "EXPRESS"),
            "Express state machine does not support '.waitForTaskToken' service integration",
        ),
    ];
    for (def, expected) in cases {
        let message = rejected(&sfn, &def).await;
        assert!(
            message.contains(expected),
            "{message}\nexpected: {expected}"
        );
    }
    // The same child task is fine in STANDARD children.
    let def = machine(
        json!({}),
        json!({"Child": {"Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}),
        "STANDARD",
    );
    sfn.create_state_machine()
        .name("standard-children")
        .definition(def)
        .send()
        .await
        .expect("valid");
}

#[tokio::test(start_paused = true)]
async fn handlers_serve_child_tasks_and_retry_reruns_the_map() {
    let sfn = sfn();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    sfn.register_task_handler("arn:aws:states:::flaky:op", move |v: Value| {
        let n = c.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                Err(TaskError::new("Flaky", "first call fails"))
            } else {
                Ok(json!({"done": v}))
            }
        }
    });
    let child =
        json!({"Child": {"Type": "Task", "Resource": "arn:aws:states:::flaky:op", "End": true}});
    let mut fields = json!({"ItemsPath": "$"});
    fields["Retry"] =
        json!([{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "IntervalSeconds": 5}]);
    let def = machine(fields, child, "STANDARD");
    let (done, types) = run(&sfn, &def, json!([7])).await;
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&done), json!([{"done": 7}]));
    let runs = types.iter().filter(|t| *t == "MapRunStarted").count();
    assert_eq!(runs, 2);
    assert_eq!(types.iter().filter(|t| *t == "MapRunFailed").count(), 1);
}

fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Whatever rows are written as CSV (quoted where needed), the reader gives them back, one
    /// object per row keyed by the header row.
    #[test]
    fn csv_reader_reads_back_what_was_written(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z ,\"\n\r]{0,6}", 3),
            0..6,
        )
    ) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("runtime");
        let got = rt.block_on(async {
            let sfn = sfn();
            let mut body = String::from("a,b,c\n");
            for row in &rows {
                let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                body.push_str(&line.join(","));
                body.push_str("\r\n");
            }
            sfn.objects().put("data", "p.csv", body);
            let fields = reader(Some("CSV"), json!({"CSVHeaderLocation": "FIRST_ROW"}));
            output(&read(&sfn, fields, "p.csv").await)
        });
        let expected: Vec<Value> = rows
            .iter()
            .map(|r| json!({"a": r[0], "b": r[1], "c": r[2]}))
            .collect();
        proptest::prop_assert_eq!(got, Value::Array(expected));
    }
}
