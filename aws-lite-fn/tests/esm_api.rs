//! Event source mappings: Create/Get/Update/Delete/List, validation, Enabled and deletion.
#![cfg(feature = "queue")]

mod support;

use std::time::Duration;

use aws_lite_fn::error::codes;
use serde_json::Value;
use support::esm::*;

#[tokio::test(start_paused = true)]
async fn bad_input_is_rejected_with_lambdas_errors_and_registers_nothing() {
    let (sqs, lambda) = setup();
    let q = queue(&sqs, "jobs", &[]).await;
    let fifo = queue(&sqs, "jobs.fifo", &[("FifoQueue", "true".into())]).await;
    lambda
        .create_function()
        .function_name("f")
        .code(support::echo())
        .send()
        .await
        .unwrap();
    let create = || {
        lambda
            .create_event_source_mapping()
            .event_source_arn(q.arn())
            .function_name("f")
    };
    let cases: Vec<(_, &str, &str)> = vec![
        (
            create().batch_size(0),
            codes::VALIDATION,
            "Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            create().batch_size(10_001),
            codes::VALIDATION,
            "Member must have value less than or equal to 10000",
        ),
        (
            create().batch_size(11),
            codes::INVALID_PARAMETER_VALUE,
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
        ),
        (
            create().maximum_batching_window_in_seconds(301),
            codes::VALIDATION,
            "'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
        ),
        (
            create().maximum_concurrency(1),
            codes::VALIDATION,
            "Value '1' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2",
        ),
        (
            create().maximum_concurrency(1001),
            codes::VALIDATION,
            "Member must have value less than or equal to 1000",
        ),
        (
            create().function_response_types(vec!["Nope".to_owned()]),
            codes::VALIDATION,
            "Member must satisfy enum value set: [ReportBatchItemFailures]",
        ),
        (
            create().function_name("missing"),
            codes::INVALID_PARAMETER_VALUE,
            "Function does not exist",
        ),
        (
            create().function_name("f:nope"),
            codes::INVALID_PARAMETER_VALUE,
            "Function does not exist",
        ),
        (
            create().event_source_arn("arn:aws:sqs:us-east-1:000000000000:nope"),
            codes::INVALID_PARAMETER_VALUE,
            "NonExistentQueue",
        ),
        (
            create()
                .event_source_arn(fifo.arn())
                .batch_size(11)
                .maximum_batching_window_in_seconds(1),
            codes::INVALID_PARAMETER_VALUE,
            "FIFO",
        ),
        (
            create()
                .event_source_arn(fifo.arn())
                .maximum_batching_window_in_seconds(1),
            codes::INVALID_PARAMETER_VALUE,
            "FIFO",
        ),
    ];
    for (request, code, message) in cases {
        let e = request.send().await.unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert!(
            e.message().contains(message),
            "{} does not contain {message}",
            e.message()
        );
    }
    let none = lambda.list_event_source_mappings().send().await.unwrap();
    assert!(none.event_source_mappings().is_empty());

    let first = create().send().await.unwrap();
    let dup = create().send().await.unwrap_err();
    assert_eq!(dup.code(), codes::RESOURCE_CONFLICT);
    assert!(dup.message().contains(first.uuid()), "{}", dup.message());
    let missing = lambda
        .get_event_source_mapping()
        .uuid("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), codes::RESOURCE_NOT_FOUND);
    assert_eq!(
        missing.message(),
        "The resource you requested does not exist."
    );
}

#[tokio::test(start_paused = true)]
async fn get_update_list_disable_and_delete() {
    let (sqs, lambda) = setup();
    let clock = lambda.clock().clone();
    let q = queue(&sqs, "jobs", &[]).await;
    let calls = Calls::default();
    let code = recorder(clock.clone(), calls.clone(), Duration::ZERO, |_| {
        Ok(Value::Null)
    });
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    let created = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f:1")
        .enabled(false)
        .send()
        .await
        .unwrap();
    assert_eq!(created.state(), "Creating");
    assert_eq!(created.batch_size(), 10);
    assert!(
        created.function_arn().ends_with(":function:f:1"),
        "{}",
        created.function_arn()
    );
    let uuid = created.uuid().to_owned();
    let got = lambda
        .get_event_source_mapping()
        .uuid(&uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(got.state(), "Disabled");

    // Disabled: nothing is received.
    send_all(&q, ["one".to_owned()]).await;
    clock.sleep(Duration::from_secs(60)).await;
    assert!(calls.lock().unwrap().is_empty());
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 1);

    let updated = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .enabled(true)
        .batch_size(5)
        .maximum_concurrency(4)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.state(), "Enabling");
    assert_eq!(updated.batch_size(), 5);
    assert_eq!(
        updated.scaling_config().and_then(|s| s.maximum_concurrency),
        Some(4)
    );
    clock.sleep(Duration::from_secs(1)).await;
    assert_eq!(calls.lock().unwrap().len(), 1);
    let bad = lambda
        .update_event_source_mapping()
        .uuid(&uuid)
        .batch_size(50)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        bad.code(),
        codes::INVALID_PARAMETER_VALUE,
        "batch 50 needs a window"
    );

    let listed = lambda
        .list_event_source_mappings()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.event_source_mappings().len(), 1);
    let other = lambda
        .list_event_source_mappings()
        .event_source_arn("arn:aws:sqs:us-east-1:000000000000:x")
        .send()
        .await
        .unwrap();
    assert!(other.event_source_mappings().is_empty());

    let deleted = lambda
        .delete_event_source_mapping()
        .uuid(&uuid)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.state(), "Deleting");
    clock.sleep(Duration::from_secs(30)).await;
    send_all(&q, ["two".to_owned()]).await;
    clock.sleep(Duration::from_secs(60)).await;
    assert_eq!(
        calls.lock().unwrap().len(),
        1,
        "a deleted mapping stops polling"
    );
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 1);
    let gone = lambda
        .get_event_source_mapping()
        .uuid(&uuid)
        .send()
        .await
        .unwrap_err();
    assert_eq!(gone.code(), codes::RESOURCE_NOT_FOUND);
}
