//! Handlers written for the `lambda_runtime` crate, with `aws_lambda_events` payloads, run unchanged.
#![cfg(all(feature = "lambda-runtime", feature = "events", feature = "queue"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use aws_lite_core::{Clock, Rand};
use aws_lite_fn::{Code, Lambda};
use aws_lite_queue::Sqs;
use aws_lite_queue::types::MessageAttributeValue;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

/// A handler exactly as deployed with `lambda_runtime::run(service_fn(handler))`: it fails the
/// records whose body is `poison` and reports them in an `SqsBatchResponse`.
async fn handler(event: LambdaEvent<SqsEvent>) -> Result<SqsBatchResponse, Error> {
    let mut response = SqsBatchResponse::default();
    for record in event.payload.records {
        if record.body.as_deref() == Some("poison") {
            response.add_failure(record.message_id.unwrap_or_default());
        }
    }
    Ok(response)
}

#[tokio::test(start_paused = true)]
async fn a_lambda_runtime_sqs_handler_runs_behind_an_event_source_mapping() {
    let sqs = Sqs::builder().rand(Rand::seeded(7)).build();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .sqs(sqs.clone())
        .build();
    let clock = lambda.clock().clone();
    let q = sqs
        .create_queue()
        .queue_name("orders")
        .attributes("VisibilityTimeout", "30")
        .send()
        .await
        .unwrap()
        .queue();
    q.send_message()
        .message_body("a")
        .message_attributes("source", MessageAttributeValue::string("web"))
        .message_attributes("blob", MessageAttributeValue::binary(vec![1u8, 2, 3]))
        .send()
        .await
        .unwrap();
    for body in ["poison", "b"] {
        q.send_message().message_body(body).send().await.unwrap();
    }

    // Every event the handler receives, as it received it; the handler itself is untouched.
    let seen: Arc<Mutex<Vec<LambdaEvent<SqsEvent>>>> = Arc::default();
    let record = seen.clone();
    let code = Code::from_lambda_runtime(service_fn(move |event: LambdaEvent<SqsEvent>| {
        record.lock().unwrap().push(event.clone());
        handler(event)
    }));
    lambda
        .create_function()
        .function_name("orders")
        .code(code)
        .send()
        .await
        .unwrap();
    lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("orders")
        .report_batch_item_failures()
        .send()
        .await
        .unwrap();
    clock.sleep(Duration::from_secs(5)).await;

    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "one batch");
        let LambdaEvent { payload, context } = &seen[0];
        assert_eq!(payload.records.len(), 3);
        let bodies: Vec<_> = payload.records.iter().map(|r| r.body.clone()).collect();
        assert!(bodies.contains(&Some("poison".into())));
        let a = payload
            .records
            .iter()
            .find(|r| r.body.as_deref() == Some("a"))
            .unwrap();
        assert!(a.message_id.as_deref().is_some_and(|id| !id.is_empty()));
        assert!(a.receipt_handle.is_some());
        assert!(a.md5_of_body.is_some());
        assert_eq!(a.event_source.as_deref(), Some("aws:sqs"));
        assert_eq!(a.event_source_arn.as_deref(), Some(q.arn()));
        assert_eq!(a.aws_region.as_deref(), Some("us-east-1"));
        assert_eq!(
            a.attributes
                .get("ApproximateReceiveCount")
                .map(String::as_str),
            Some("1")
        );
        let source = &a.message_attributes["source"];
        assert_eq!(source.string_value.as_deref(), Some("web"));
        assert_eq!(source.data_type.as_deref(), Some("String"));
        let blob = &a.message_attributes["blob"];
        assert_eq!(
            blob.binary_value.as_ref().map(|b| b.0.clone()),
            Some(vec![1, 2, 3])
        );
        assert_eq!(blob.data_type.as_deref(), Some("Binary"));
        assert!(context.invoked_function_arn.ends_with(":function:orders"));
        assert_eq!(context.env_config.function_name, "orders");
    }

    // The reported failure stays in flight; the two others were deleted.
    let m = q.metrics();
    assert_eq!(m.approximate_number_of_messages_not_visible, 1);
    assert_eq!(m.approximate_number_of_messages_visible, 0);

    // After the visibility timeout only the failed message comes back, on its second receive.
    clock.sleep(Duration::from_secs(30)).await;
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let again = &seen[1].payload.records;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].body.as_deref(), Some("poison"));
    assert_eq!(
        again[0]
            .attributes
            .get("ApproximateReceiveCount")
            .map(String::as_str),
        Some("2")
    );
}

#[tokio::test(start_paused = true)]
async fn a_direct_invoke_gives_the_handler_a_lambda_runtime_context() {
    let lambda = Lambda::builder().rand(Rand::seeded(42)).build();
    let clock = lambda.clock().clone();
    // Returns the context it was given (`lambda_runtime::Context` is `Serialize`).
    let code = Code::from_lambda_runtime(service_fn(|event: LambdaEvent<Value>| async move {
        if event.payload["fail"] == json!(true) {
            return Err(Error::from("refused"));
        }
        Ok::<_, Error>(event.context)
    }));
    lambda
        .create_function()
        .function_name("ctx")
        .code(code)
        .timeout(10)
        .memory_size(256)
        .send()
        .await
        .unwrap();
    lambda
        .publish_version()
        .function_name("ctx")
        .send()
        .await
        .unwrap();
    lambda
        .create_alias()
        .function_name("ctx")
        .name("live")
        .function_version("1")
        .send()
        .await
        .unwrap();

    let started = clock.epoch_millis(clock.now());
    let out = lambda
        .invoke()
        .function_name("ctx:live")
        .payload(json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.function_error(), None, "{}", out.payload());
    let ctx: lambda_runtime::Context = out.payload_as().unwrap();
    assert!(!ctx.request_id.is_empty());
    assert_eq!(
        ctx.deadline,
        started + 10_000,
        "start + timeout, wall clock"
    );
    assert_eq!(
        ctx.invoked_function_arn,
        "arn:aws:lambda:us-east-1:000000000000:function:ctx:live"
    );
    assert_eq!(ctx.xray_trace_id, None);
    assert_eq!(ctx.client_context, None);
    assert_eq!(ctx.identity, None);
    assert_eq!(ctx.env_config.function_name, "ctx");
    assert_eq!(ctx.env_config.memory, 256);
    assert_eq!(ctx.env_config.version, "1");
    assert_eq!(ctx.env_config.log_group, "/aws/lambda/ctx");
    assert!(
        ctx.env_config.log_stream.contains("/[1]"),
        "{}",
        ctx.env_config.log_stream
    );

    // A `lambda_runtime::Error` is reported through the runtime's `Diagnostic`.
    let failed = lambda
        .invoke()
        .function_name("ctx")
        .payload(json!({ "fail": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.function_error(), Some("Unhandled"));
    assert_eq!(failed.payload()["errorMessage"], "refused");
    let error_type = failed.payload()["errorType"].as_str().unwrap();
    // As the deployed runtime reports it: the type name of a reference to the boxed error.
    assert!(
        error_type.starts_with("&alloc::boxed::Box<dyn core::error::Error"),
        "{error_type}"
    );
}
