//! `TooManyRequestsException` carries Lambda's `Type`, `Reason` and a `Retry-After`.

mod support;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

use aws_lite_fn::error::{THROTTLE_RETRY_AFTER, codes, reasons, throttle_reason};
use aws_lite_fn::{Lambda, Limits};
use serde_json::json;
use support::*;

fn small() -> Limits {
    Limits::default()
        .with_concurrent_executions(3)
        .with_minimum_unreserved(1)
}

async fn slow_fn(lambda: &Lambda, name: &str) {
    let code = counted(Arc::new(AtomicUsize::new(0)), lambda.clock().clone());
    lambda
        .create_function()
        .function_name(name)
        .code(code)
        .send()
        .await
        .unwrap();
}

fn busy(lambda: &Lambda, name: &str, n: usize) -> Vec<tokio::task::JoinHandle<()>> {
    (0..n)
        .map(|_| {
            let l = lambda.clone();
            let name = name.to_owned();
            tokio::spawn(async move {
                l.invoke()
                    .function_name(name)
                    .payload(json!({"sleep_ms": 1000}))
                    .send()
                    .await
                    .unwrap();
            })
        })
        .collect()
}

fn assert_throttle(err: &aws_lite_core::Error, reason: &str) {
    assert_eq!(err.code(), codes::TOO_MANY_REQUESTS);
    assert_eq!((err.status(), err.message()), (429, "Rate Exceeded."));
    assert!(err.is_retryable());
    assert_eq!(throttle_reason(err), Some(reason));
    assert_eq!(err.field("Reason"), Some(reason));
    assert_eq!(err.field("Type"), Some("User"));
    let names: Vec<&str> = err.fields().map(|(n, _)| n).collect();
    assert_eq!(names, ["Type", "Reason"]);
    assert_eq!(err.retry_after(), Some(THROTTLE_RETRY_AFTER));
    assert_eq!(err.retry_after_secs(), Some(1));
    assert_eq!(THROTTLE_RETRY_AFTER, Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn the_account_limit_throttles_with_concurrent_invocation_limit_exceeded() {
    let lambda = lambda_with(small());
    slow_fn(&lambda, "f").await;
    let running = busy(&lambda, "f", 3);
    tokio::task::yield_now().await;
    let err = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_throttle(&err, reasons::CONCURRENT_INVOCATION_LIMIT_EXCEEDED);
    for r in running {
        r.await.unwrap();
    }
    assert_eq!(lambda.metrics("f").unwrap().throttles_account, 1);
}

#[tokio::test(start_paused = true)]
async fn reserved_concurrency_throttles_with_the_reserved_reason() {
    let lambda = lambda_with(small());
    slow_fn(&lambda, "f").await;
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(1)
        .send()
        .await
        .unwrap();
    let running = busy(&lambda, "f", 1);
    tokio::task::yield_now().await;
    let err = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_throttle(
        &err,
        reasons::RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED,
    );
    for r in running {
        r.await.unwrap();
    }
    // Reserved concurrency 0 refuses every synchronous call, for the same reason.
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(0)
        .send()
        .await
        .unwrap();
    let err = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_throttle(
        &err,
        reasons::RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED,
    );
    assert_eq!(lambda.metrics("f").unwrap().throttles_reserved, 2);
}

#[tokio::test(start_paused = true)]
async fn other_errors_have_no_reason_or_retry_after() {
    let lambda = lambda();
    let err = lambda
        .invoke()
        .function_name("missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::RESOURCE_NOT_FOUND);
    assert_eq!(throttle_reason(&err), None);
    assert_eq!((err.fields().len(), err.retry_after()), (0, None));
    // A `Reason` field on another code is not a throttle reason.
    let other = aws_lite_core::Error::new("X", "m").with_field("Reason", "y");
    assert_eq!(throttle_reason(&other), None);
}
