//! Throttling: the account limit, reserved concurrency, and the concurrency operations.

mod support;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use aws_lite_fn::Limits;
use serde_json::json;
use support::*;

fn small() -> Limits {
    Limits::default()
        .with_concurrent_executions(3)
        .with_minimum_unreserved(1)
}

async fn slow_fn(lambda: &aws_lite_fn::Lambda, name: &str) {
    let code = counted(Arc::new(AtomicUsize::new(0)), lambda.clock().clone());
    lambda
        .create_function()
        .function_name(name)
        .code(code)
        .send()
        .await
        .unwrap();
}

fn call(
    lambda: &aws_lite_fn::Lambda,
    name: &str,
) -> tokio::task::JoinHandle<
    Result<aws_lite_fn::operation::invoke::InvokeOutput, aws_lite_core::Error>,
> {
    let l = lambda.clone();
    let name = name.to_owned();
    tokio::spawn(async move {
        l.invoke()
            .function_name(name)
            .payload(json!({"sleep_ms": 1000}))
            .send()
            .await
    })
}

#[tokio::test(start_paused = true)]
async fn the_account_limit_throttles_synchronous_calls() {
    let lambda = lambda_with(small());
    slow_fn(&lambda, "f").await;
    let running: Vec<_> = (0..3).map(|_| call(&lambda, "f")).collect();
    tokio::task::yield_now().await;
    assert_eq!(lambda.concurrent_executions(), 3);
    let err = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_eq!(err.code(), "TooManyRequestsException");
    assert_eq!(err.status(), 429);
    assert_eq!(err.message(), "Rate Exceeded.");
    for r in running {
        assert_eq!(r.await.unwrap().unwrap().status_code(), 200);
    }
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.throttles, m.throttles_account, m.invocations), (1, 1, 3));
    assert_eq!(lambda.concurrent_executions(), 0);
    lambda.invoke().function_name("f").send().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn reserved_concurrency_caps_and_guarantees() {
    let lambda = lambda_with(small());
    slow_fn(&lambda, "reserved").await;
    slow_fn(&lambda, "other").await;
    let put = lambda
        .put_function_concurrency()
        .function_name("reserved")
        .reserved_concurrent_executions(1)
        .send()
        .await
        .unwrap();
    assert_eq!(put.reserved_concurrent_executions(), 1);
    let got = lambda
        .get_function_concurrency()
        .function_name("reserved")
        .send()
        .await
        .unwrap();
    assert_eq!(got.reserved_concurrent_executions(), Some(1));
    let a = call(&lambda, "reserved");
    tokio::task::yield_now().await;
    let err = lambda
        .invoke()
        .function_name("reserved")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TooManyRequestsException");
    // The other function has the remaining 2.
    let b: Vec<_> = (0..2).map(|_| call(&lambda, "other")).collect();
    tokio::task::yield_now().await;
    let err = lambda
        .invoke()
        .function_name("other")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "TooManyRequestsException");
    a.await.unwrap().unwrap();
    for t in b {
        t.await.unwrap().unwrap();
    }
    assert_eq!(lambda.metrics("reserved").unwrap().throttles_reserved, 1);
    assert_eq!(lambda.metrics("other").unwrap().throttles_account, 1);
    // Zero throttles everything; deleting the reservation lifts it.
    lambda
        .put_function_concurrency()
        .function_name("reserved")
        .reserved_concurrent_executions(0)
        .send()
        .await
        .unwrap();
    assert!(
        lambda
            .invoke()
            .function_name("reserved")
            .send()
            .await
            .is_err()
    );
    lambda
        .delete_function_concurrency()
        .function_name("reserved")
        .send()
        .await
        .unwrap();
    assert_eq!(
        lambda
            .get_function_concurrency()
            .function_name("reserved")
            .send()
            .await
            .unwrap()
            .reserved_concurrent_executions(),
        None
    );
    lambda
        .invoke()
        .function_name("reserved")
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn reservations_leave_the_unreserved_minimum() {
    let lambda = lambda_with(
        Limits::default()
            .with_concurrent_executions(10)
            .with_minimum_unreserved(5),
    );
    slow_fn(&lambda, "f").await;
    slow_fn(&lambda, "g").await;
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(5)
        .send()
        .await
        .unwrap();
    let err = lambda
        .put_function_concurrency()
        .function_name("g")
        .reserved_concurrent_executions(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValueException");
    assert_eq!(
        err.message(),
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [5]."
    );
    assert_eq!(
        lambda
            .get_function_concurrency()
            .function_name("g")
            .send()
            .await
            .unwrap()
            .reserved_concurrent_executions(),
        None,
        "nothing changed"
    );
    // Lowering f's own reservation is fine.
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(4)
        .send()
        .await
        .unwrap();
    lambda
        .put_function_concurrency()
        .function_name("g")
        .reserved_concurrent_executions(1)
        .send()
        .await
        .unwrap();
}
