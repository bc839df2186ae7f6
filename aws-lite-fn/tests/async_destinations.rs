//! Asynchronous invocation configuration: PutFunctionEventInvokeConfig and its siblings,
//! retries and maximum event age on the clock, destination records and the dead-letter queue.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock, Instant, SharedClock};
use aws_lite_fn::error::codes;
use aws_lite_fn::event_invoke::DestinationConfig;
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
use serde_json::{Value, json};

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

/// One invocation as the handler saw it: when, its request id and its event.
type Seen = Arc<Mutex<Vec<(Instant, String, Value)>>>;

/// A handler recording each call, failing when `fail` says so.
fn recording(clock: SharedClock, seen: Seen, fail: bool) -> Code {
    Code::from_service(service_fn(move |e: Event<Value>| {
        let clock = clock.clone();
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push((
                clock.now(),
                e.context.request_id.to_string(),
                e.payload.clone(),
            ));
            if fail {
                Err(Diagnostic::new("OrderError", "no stock"))
            } else {
                Ok(json!({"done": e.payload}))
            }
        }
    }))
}

async fn create(lambda: &Lambda, name: &str, code: Code) {
    lambda
        .create_function()
        .function_name(name)
        .code(code)
        .send()
        .await
        .unwrap();
}

async fn invoke_event(lambda: &Lambda, name: &str, payload: Value) {
    let out = lambda
        .invoke()
        .function_name(name)
        .invocation_type(InvocationType::Event)
        .payload(payload)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status_code(), 202);
}

/// Checks the timestamp's shape (`2019-11-24T23:08:25.651Z`) and takes it out of the record.
fn take_timestamp(record: &mut Value) -> String {
    let ts = record.as_object_mut().unwrap().remove("timestamp").unwrap();
    let ts = ts.as_str().unwrap().to_owned();
    assert_eq!(ts.len(), 24, "{ts}");
    assert!(
        ts.ends_with('Z') && &ts[10..11] == "T" && &ts[19..20] == ".",
        "{ts}"
    );
    ts
}

#[tokio::test(start_paused = true)]
async fn a_function_destination_receives_the_success_record_exactly() {
    let lambda = support::lambda();
    let clock = lambda.clock().clone();
    let seen: Seen = Arc::default();
    let records: Seen = Arc::default();
    create(&lambda, "f", recording(clock.clone(), seen.clone(), false)).await;
    create(&lambda, "audit", recording(clock, records.clone(), false)).await;
    lambda
        .put_function_event_invoke_config()
        .function_name("f")
        .destination_config(DestinationConfig::new().on_success(format!("{ARN}:audit")))
        .send()
        .await
        .unwrap();
    invoke_event(&lambda, "f", json!({"order": 7})).await;
    lambda.clock().sleep(Duration::from_secs(1)).await;
    let request_id = seen.lock().unwrap()[0].1.clone();
    let mut record = records.lock().unwrap()[0].2.clone();
    take_timestamp(&mut record);
    assert_eq!(
        record,
        json!({
            "version": "1.0",
            "requestContext": {
                "requestId": request_id,
                "functionArn": format!("{ARN}:f:$LATEST"),
                "condition": "Success",
                "approximateInvokeCount": 1
            },
            "requestPayload": {"order": 7},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": {"done": {"order": 7}}
        })
    );
}

#[tokio::test(start_paused = true)]
async fn configurations_are_validated_as_lambda_does_and_rejections_change_nothing() {
    let lambda = support::lambda();
    create(&lambda, "f", support::echo()).await;
    let put = || lambda.put_function_event_invoke_config().function_name("f");
    let cases = [
        (
            put().maximum_retry_attempts(3),
            codes::VALIDATION,
            "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
        ),
        (
            put().maximum_retry_attempts(-1),
            codes::VALIDATION,
            "1 validation error detected: Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0",
        ),
        (
            put().maximum_event_age_in_seconds(59),
            codes::VALIDATION,
            "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
        ),
        (
            put().maximum_event_age_in_seconds(21_601),
            codes::VALIDATION,
            "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value less than or equal to 21600",
        ),
        (
            put(),
            codes::INVALID_PARAMETER_VALUE,
            "You must specify at least one of error handling or destination setting.",
        ),
        (
            put().destination_config(DestinationConfig::new().on_failure(format!("{ARN}:f"))),
            codes::INVALID_PARAMETER_VALUE,
            "You can't specify the function as a destination for itself.",
        ),
        (
            put().destination_config(DestinationConfig::new().on_success(format!("{ARN}:nope"))),
            codes::INVALID_PARAMETER_VALUE,
            "The destination ARN arn:aws:lambda:us-east-1:000000000000:function:nope is invalid.",
        ),
        (
            put().destination_config(DestinationConfig::new().on_failure("arn:aws:s3:::bucket")),
            codes::INVALID_PARAMETER_VALUE,
            "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=arn:aws:s3:::bucket)) is invalid.",
        ),
        (
            put().maximum_retry_attempts(1).qualifier("live"),
            codes::RESOURCE_NOT_FOUND,
            "The function doesn't exist.",
        ),
    ];
    for (request, code, message) in cases {
        let err = request.send().await.unwrap_err();
        assert_eq!((err.code(), err.message()), (code, message));
    }
    let err = put()
        .destination_config(DestinationConfig::new().on_success("not-an-arn"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::VALIDATION);
    assert!(err.message().starts_with(
        "1 validation error detected: Value 'not-an-arn' at 'destinationConfig.onSuccess.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: ^$|arn:"
    ));
    let missing = format!("The function {ARN}:f:$LATEST doesn't have an EventInvokeConfig");
    let err = lambda
        .get_function_event_invoke_config()
        .function_name("f")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (codes::RESOURCE_NOT_FOUND, missing.as_str())
    );
    let err = lambda
        .update_function_event_invoke_config()
        .function_name("f")
        .maximum_retry_attempts(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), missing);
    let err = lambda
        .delete_function_event_invoke_config()
        .function_name("f")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), missing);
    let err = lambda
        .list_function_event_invoke_configs()
        .function_name("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), "The function doesn't exist.");
}

#[tokio::test(start_paused = true)]
async fn put_replaces_update_merges_list_and_delete() {
    let lambda = support::lambda();
    create(&lambda, "f", support::echo()).await;
    create(&lambda, "audit", support::echo()).await;
    lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    let put = lambda
        .put_function_event_invoke_config()
        .function_name("f")
        .maximum_retry_attempts(1)
        .maximum_event_age_in_seconds(120)
        .send()
        .await
        .unwrap();
    assert_eq!(put.function_arn(), format!("{ARN}:f:$LATEST"));
    assert_eq!(
        put.destination_config()
            .on_success
            .as_ref()
            .unwrap()
            .destination,
        None
    );
    let updated = lambda
        .update_function_event_invoke_config()
        .function_name("f")
        .destination_config(DestinationConfig::new().on_failure(format!("{ARN}:audit")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (
            updated.maximum_retry_attempts(),
            updated.maximum_event_age_in_seconds()
        ),
        (Some(1), Some(120))
    );
    assert_eq!(
        updated
            .destination_config()
            .on_failure
            .as_ref()
            .unwrap()
            .destination
            .as_deref(),
        Some(format!("{ARN}:audit").as_str())
    );
    let replaced = lambda
        .put_function_event_invoke_config()
        .function_name("f")
        .maximum_retry_attempts(0)
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.maximum_event_age_in_seconds(), None);
    lambda
        .put_function_event_invoke_config()
        .function_name(format!("{ARN}:f:1"))
        .maximum_retry_attempts(2)
        .send()
        .await
        .unwrap();
    let list = lambda
        .list_function_event_invoke_configs()
        .function_name("f")
        .max_items(1)
        .send()
        .await
        .unwrap();
    assert_eq!(
        list.function_event_invoke_configs()[0].function_arn(),
        format!("{ARN}:f:$LATEST")
    );
    let rest = lambda
        .list_function_event_invoke_configs()
        .function_name("f")
        .marker(list.next_marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        rest.function_event_invoke_configs()[0].function_arn(),
        format!("{ARN}:f:1")
    );
    assert_eq!(rest.next_marker(), None);
    lambda
        .delete_function_event_invoke_config()
        .function_name("f")
        .qualifier("1")
        .send()
        .await
        .unwrap();
    let got = lambda
        .get_function_event_invoke_config()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!(got, replaced);
}

#[cfg(feature = "queue")]
mod queues {
    use super::*;
    use aws_lite_fn::event_invoke::DeadLetterConfig;
    use aws_lite_queue::{Queue, Sqs};

    fn setup() -> (Sqs, Lambda) {
        let sqs = Sqs::builder().rand(aws_lite_core::Rand::seeded(7)).build();
        let lambda = Lambda::builder()
            .rand(aws_lite_core::Rand::seeded(42))
            .sqs(sqs.clone())
            .build();
        (sqs, lambda)
    }

    async fn queue(sqs: &Sqs, name: &str) -> Queue {
        sqs.create_queue()
            .queue_name(name)
            .send()
            .await
            .unwrap()
            .queue()
    }

    async fn records(q: &Queue) -> Vec<Value> {
        let out = q
            .receive_message()
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap();
        out.messages()
            .iter()
            .map(|m| serde_json::from_str(m.body()).unwrap())
            .collect()
    }

    async fn failing_with_destination(
        retries: Option<i32>,
        max_age: Option<i32>,
    ) -> (Lambda, Queue, Seen) {
        let (sqs, lambda) = setup();
        let failures = queue(&sqs, "failures").await;
        let seen: Seen = Arc::default();
        create(
            &lambda,
            "f",
            recording(lambda.clock().clone(), seen.clone(), true),
        )
        .await;
        lambda
            .put_function_event_invoke_config()
            .function_name("f")
            .set_maximum_retry_attempts(retries)
            .set_maximum_event_age_in_seconds(max_age)
            .destination_config(DestinationConfig::new().on_failure(failures.arn()))
            .send()
            .await
            .unwrap();
        (lambda, failures, seen)
    }

    fn offsets(seen: &Seen, t0: Instant) -> Vec<u64> {
        seen.lock()
            .unwrap()
            .iter()
            .map(|(at, _, _)| (*at - t0).as_secs())
            .collect()
    }

    #[tokio::test(start_paused = true)]
    async fn a_queue_destination_receives_the_failure_record_exactly() {
        let (lambda, failures, seen) = failing_with_destination(Some(0), None).await;
        invoke_event(&lambda, "f", json!({"order": 8})).await;
        lambda.clock().sleep(Duration::from_secs(1)).await;
        let mut got = records(&failures).await;
        assert_eq!(got.len(), 1);
        take_timestamp(&mut got[0]);
        let request_id = seen.lock().unwrap()[0].1.clone();
        assert_eq!(
            got[0],
            json!({
                "version": "1.0",
                "requestContext": {
                    "requestId": request_id,
                    "functionArn": format!("{ARN}:f:$LATEST"),
                    "condition": "RetriesExhausted",
                    "approximateInvokeCount": 1
                },
                "requestPayload": {"order": 8},
                "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled"
                },
                "responsePayload": {"errorMessage": "no stock", "errorType": "OrderError"}
            })
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retries_zero_one_and_two_run_on_the_clock() {
        for (retries, expected) in [(0, vec![0]), (1, vec![0, 60]), (2, vec![0, 60, 180])] {
            let (lambda, failures, seen) = failing_with_destination(Some(retries), None).await;
            let t0 = lambda.clock().now();
            invoke_event(&lambda, "f", json!({"retries": retries})).await;
            let last = *expected.last().unwrap();
            if last > 0 {
                lambda.clock().sleep(Duration::from_secs(last - 1)).await;
                assert!(
                    records(&failures).await.is_empty(),
                    "no record before the last attempt"
                );
            }
            lambda.clock().sleep(Duration::from_secs(2)).await;
            assert_eq!(offsets(&seen, t0), expected, "retries {retries}");
            let got = records(&failures).await;
            assert_eq!(got.len(), 1);
            assert_eq!(
                got[0]["requestContext"]["approximateInvokeCount"],
                json!(retries + 1)
            );
            assert_eq!(
                got[0]["requestContext"]["condition"],
                json!("RetriesExhausted")
            );
            let ids: Vec<String> = seen.lock().unwrap().iter().map(|s| s.1.clone()).collect();
            assert!(
                ids.iter().all(|id| *id == ids[0]),
                "one request id across retries"
            );
            lambda.clock().sleep(Duration::from_secs(600)).await;
            assert_eq!(
                offsets(&seen, t0).len(),
                expected.len(),
                "no further attempt"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_event_older_than_its_maximum_age_is_given_up() {
        let (lambda, failures, seen) = failing_with_destination(None, Some(100)).await;
        let t0 = lambda.clock().now();
        invoke_event(&lambda, "f", json!({"late": true})).await;
        lambda.clock().sleep(Duration::from_secs(179)).await;
        assert!(records(&failures).await.is_empty());
        lambda.clock().sleep(Duration::from_secs(2)).await;
        assert_eq!(
            offsets(&seen, t0),
            vec![0, 60],
            "the second retry would be too old"
        );
        let got = records(&failures).await;
        assert_eq!(
            got[0]["requestContext"]["condition"],
            json!("EventAgeExceeded")
        );
        assert_eq!(got[0]["requestContext"]["approximateInvokeCount"], json!(2));
        assert_eq!(got[0]["requestPayload"], json!({"late": true}));
        assert_eq!(lambda.metrics("f").unwrap().async_events_dropped, 1);
    }

    #[tokio::test(start_paused = true)]
    async fn the_dead_letter_queue_gets_the_event_with_its_attributes() {
        let (sqs, lambda) = setup();
        let dlq = queue(&sqs, "dead").await;
        let seen: Seen = Arc::default();
        let out = lambda
            .create_function()
            .function_name("f")
            .code(recording(lambda.clock().clone(), seen.clone(), true))
            .dead_letter_config(DeadLetterConfig::new(dlq.arn()))
            .send()
            .await
            .unwrap();
        assert_eq!(
            out.dead_letter_config().unwrap().target_arn.as_deref(),
            Some(dlq.arn())
        );
        lambda
            .put_function_event_invoke_config()
            .function_name("f")
            .maximum_retry_attempts(1)
            .send()
            .await
            .unwrap();
        invoke_event(&lambda, "f", json!({"order": 9})).await;
        lambda.clock().sleep(Duration::from_secs(61)).await;
        let got = dlq
            .receive_message()
            .message_attribute_names("All")
            .send()
            .await
            .unwrap();
        let m = &got.messages()[0];
        assert_eq!(
            serde_json::from_str::<Value>(m.body()).unwrap(),
            json!({"order": 9})
        );
        let attrs = m.message_attributes().unwrap();
        let attr = |k: &str| {
            let a = &attrs[k];
            (a.data_type.clone(), a.string_value.clone().unwrap())
        };
        let request_id = seen.lock().unwrap()[0].1.clone();
        assert_eq!(attr("RequestID"), ("String".to_owned(), request_id));
        assert_eq!(attr("ErrorCode"), ("Number".to_owned(), "200".to_owned()));
        assert_eq!(
            attr("ErrorMessage"),
            ("String".to_owned(), "no stock".to_owned())
        );

        let err = lambda
            .update_function_configuration()
            .function_name("f")
            .dead_letter_config(DeadLetterConfig::new("queue"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.message(),
            "1 validation error detected: Value 'queue' at 'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()"
        );
        let cleared = lambda
            .update_function_configuration()
            .function_name("f")
            .dead_letter_config(DeadLetterConfig::new(""))
            .send()
            .await
            .unwrap();
        assert!(cleared.dead_letter_config().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_topic_destination_is_accepted_but_counted_as_undelivered() {
        let (_sqs, lambda) = setup();
        create(&lambda, "f", support::echo()).await;
        lambda
            .put_function_event_invoke_config()
            .function_name("f")
            .destination_config(
                DestinationConfig::new().on_success("arn:aws:sns:us-east-1:000000000000:t"),
            )
            .send()
            .await
            .unwrap();
        invoke_event(&lambda, "f", json!({})).await;
        lambda.clock().sleep(Duration::from_secs(1)).await;
        assert_eq!(
            lambda.metrics("f").unwrap().destination_delivery_failures,
            1
        );
    }
}
