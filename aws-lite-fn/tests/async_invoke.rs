//! Asynchronous invocation: 202, background runs, retries after 1 and 2 minutes on the clock.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock, Instant};
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Diagnostic, Event, service_fn};
use serde_json::{Value, json};
use support::*;

#[tokio::test(start_paused = true)]
async fn failed_events_are_retried_after_one_then_two_minutes() {
    let lambda = lambda();
    let clock = lambda.clock().clone();
    let calls: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let c = calls.clone();
    let code = Code::from_service(service_fn(move |_e: Event<Value>| {
        let c = c.clone();
        let clock = clock.clone();
        async move {
            c.lock().unwrap().push(clock.now());
            Err::<Value, _>(Diagnostic::new("Nope", "always fails"))
        }
    }));
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let t0 = lambda.clock().now();
    let out = lambda
        .invoke()
        .function_name("f")
        .invocation_type(InvocationType::Event)
        .payload(json!({"k": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status_code(), 202);
    lambda.clock().sleep(Duration::from_secs(1)).await;
    assert_eq!(calls.lock().unwrap().len(), 1);
    lambda.clock().sleep(Duration::from_secs(58)).await;
    assert_eq!(calls.lock().unwrap().len(), 1, "no retry before a minute");
    lambda.clock().sleep(Duration::from_secs(2)).await;
    assert_eq!(calls.lock().unwrap().len(), 2);
    lambda.clock().sleep(Duration::from_secs(600)).await;
    let calls = calls.lock().unwrap().clone();
    let offsets: Vec<Duration> = calls.iter().map(|t| *t - t0).collect();
    assert_eq!(
        offsets,
        vec![
            Duration::ZERO,
            Duration::from_secs(60),
            Duration::from_secs(180)
        ]
    );
    let m = lambda.metrics("f").unwrap();
    assert_eq!(
        (m.async_events_received, m.async_events_dropped, m.errors),
        (1, 1, 3)
    );
}

#[tokio::test(start_paused = true)]
async fn a_retry_that_succeeds_stops_the_retries() {
    let lambda = lambda();
    let n = Arc::new(Mutex::new(0));
    let c = n.clone();
    let code = Code::from_service(service_fn(move |_e: Event<Value>| {
        let c = c.clone();
        async move {
            let mut n = c.lock().unwrap();
            *n += 1;
            if *n == 1 {
                Err(Diagnostic::new("Flaky", "first time"))
            } else {
                Ok(json!("done"))
            }
        }
    }));
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    lambda
        .invoke()
        .function_name("f")
        .invocation_type(InvocationType::Event)
        .send()
        .await
        .unwrap();
    lambda.clock().sleep(Duration::from_secs(3600)).await;
    assert_eq!(*n.lock().unwrap(), 2);
    assert_eq!(lambda.metrics("f").unwrap().async_events_dropped, 0);
}

#[tokio::test(start_paused = true)]
async fn throttled_events_wait_instead_of_failing() {
    let lambda = lambda();
    lambda
        .create_function()
        .function_name("f")
        .code(echo())
        .send()
        .await
        .unwrap();
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(0)
        .send()
        .await
        .unwrap();
    lambda
        .invoke()
        .function_name("f")
        .invocation_type(InvocationType::Event)
        .send()
        .await
        .unwrap();
    lambda.clock().sleep(Duration::from_secs(30)).await;
    let m = lambda.metrics("f").unwrap();
    assert!(m.throttles >= 4, "requeued with backoff: {m:?}");
    assert_eq!(m.invocations, 0);
    lambda
        .delete_function_concurrency()
        .function_name("f")
        .send()
        .await
        .unwrap();
    lambda.clock().sleep(Duration::from_secs(300)).await;
    assert_eq!(lambda.metrics("f").unwrap().invocations, 1);
}
