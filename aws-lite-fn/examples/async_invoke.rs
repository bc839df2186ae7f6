//! Asynchronous invocation on virtual time (feature `queue`): an `Event` call answers 202 at
//! once and runs in the background. A failing event is retried after 1 minute and again 2
//! minutes later (`MaximumRetryAttempts` 2); then its invocation record goes to the
//! `OnFailure` destination and the event itself to the function's dead-letter queue. A
//! succeeding event's record goes to the `OnSuccess` destination. The minutes of retries pass
//! on the paused clock, in no real time.
//!
//! Run with `cargo run -p aws-lite-fn --features queue --example async_invoke`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock as _, SharedClock};
use aws_lite_fn::event_invoke::{DeadLetterConfig, DestinationConfig};
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
use aws_lite_queue::{Queue, Sqs};
use serde_json::{Value, json};

/// The messages waiting in `queue`, with their attributes.
async fn drain(queue: &Queue) -> Result<Vec<(Value, Vec<(String, String)>)>, aws_lite_core::Error> {
    let got = queue
        .receive_message()
        .max_number_of_messages(10)
        .message_attribute_names("All")
        .send()
        .await?;
    Ok(got
        .messages()
        .iter()
        .map(|m| {
            let body = serde_json::from_str(m.body()).unwrap_or(Value::Null);
            let attrs = m
                .message_attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.clone(), v.string_value.clone().unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            (body, attrs)
        })
        .collect())
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    // One clock for both services.
    let clock = SharedClock::tokio();
    let sqs = Sqs::builder().clock(clock.clone()).build();
    let lambda = Lambda::builder()
        .clock(clock.clone())
        .sqs(sqs.clone())
        .build();
    let queue = |name: &'static str| {
        let sqs = sqs.clone();
        async move {
            Ok::<_, aws_lite_core::Error>(sqs.create_queue().queue_name(name).send().await?.queue())
        }
    };
    let (succeeded, failed, dead) = (
        queue("succeeded").await?,
        queue("failed").await?,
        queue("dead").await?,
    );

    // The function declines amounts over 100, and notes when each attempt ran.
    let attempts: Arc<Mutex<Vec<(Duration, Value)>>> = Arc::default();
    let (seen, handler_clock) = (attempts.clone(), clock.clone());
    let code = Code::from_service(service_fn(move |e: Event<Value>| {
        let (seen, clock) = (seen.clone(), handler_clock.clone());
        async move {
            seen.lock()
                .expect("not poisoned")
                .push((clock.now().since_origin(), e.payload.clone()));
            match e.payload["amount"].as_u64() {
                Some(a) if a <= 100 => Ok(json!({ "charged": a })),
                _ => Err(Diagnostic::new("CardDeclined", "amount over the limit")),
            }
        }
    }));
    lambda
        .create_function()
        .function_name("charge")
        .code(code)
        .dead_letter_config(DeadLetterConfig::new(dead.arn()))
        .send()
        .await?;
    lambda
        .put_function_event_invoke_config()
        .function_name("charge")
        .maximum_retry_attempts(2)
        .maximum_event_age_in_seconds(3600)
        .destination_config(
            DestinationConfig::new()
                .on_success(succeeded.arn())
                .on_failure(failed.arn()),
        )
        .send()
        .await?;

    for amount in [20, 500] {
        let out = lambda
            .invoke()
            .function_name("charge")
            .invocation_type(InvocationType::Event)
            .payload(json!({ "amount": amount }))
            .send()
            .await?;
        println!("Event invocation of {amount}: status {}", out.status_code());
    }

    // Four minutes of virtual time: the first attempts, then the retries at 1 and 3 minutes.
    clock.sleep(Duration::from_secs(4 * 60)).await;
    for (at, event) in attempts.lock().expect("not poisoned").iter() {
        println!("attempt at {:>4} s: {event}", at.as_secs());
    }

    for (record, _) in drain(&succeeded).await? {
        println!(
            "OnSuccess: {} -> {}",
            record["requestContext"]["condition"], record["responsePayload"]
        );
    }
    let failures = drain(&failed).await?;
    for (record, _) in &failures {
        println!(
            "OnFailure: {} after {} attempts -> {}",
            record["requestContext"]["condition"],
            record["requestContext"]["approximateInvokeCount"],
            record["responsePayload"]
        );
    }
    assert_eq!(
        failures[0].0["requestContext"]["approximateInvokeCount"],
        json!(3)
    );
    for (event, attributes) in drain(&dead).await? {
        println!("dead-letter queue: {event} {attributes:?}");
    }

    let m = lambda.metrics("charge")?;
    println!(
        "metrics: {} received, {} invocations, {} errors, {} dropped",
        m.async_events_received, m.invocations, m.errors, m.async_events_dropped
    );
    assert_eq!((m.invocations, m.errors, m.async_events_dropped), (4, 3, 1));
    Ok(())
}
