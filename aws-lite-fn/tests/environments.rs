//! Execution environments: cold and warm starts, idle reclaim, provisioned concurrency.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lite_fn::Limits;
use serde_json::json;
use support::*;

#[tokio::test(start_paused = true)]
async fn init_runs_once_per_environment() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = counted(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let first = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(
        first.report().unwrap().init_duration.is_some(),
        "cold start reports INIT"
    );
    for _ in 0..5 {
        let out = lambda.invoke().function_name("f").send().await.unwrap();
        assert!(out.report().unwrap().init_duration.is_none(), "warm start");
    }
    assert_eq!(inits.load(Ordering::SeqCst), 1);
    // Two at once need two environments.
    let l2 = lambda.clone();
    let a = tokio::spawn(async move {
        l2.invoke()
            .function_name("f")
            .payload(json!({"sleep_ms": 100}))
            .send()
            .await
    });
    tokio::task::yield_now().await;
    let b = lambda
        .invoke()
        .function_name("f")
        .payload(json!({"sleep_ms": 100}))
        .send()
        .await;
    assert!(a.await.unwrap().is_ok() && b.is_ok());
    assert_eq!(inits.load(Ordering::SeqCst), 2);
    let m = lambda.metrics("f").unwrap();
    assert_eq!(
        (m.invocations, m.cold_starts, m.max_concurrent_executions),
        (8, 2, 2)
    );
    assert_eq!(lambda.environments("f", None).unwrap().idle, 2);
}

#[tokio::test(start_paused = true)]
async fn idle_environments_are_reclaimed_on_the_clock() {
    let lambda = lambda_with(Limits::default().with_idle_timeout(Duration::from_secs(300)));
    let inits = Arc::new(AtomicUsize::new(0));
    let code = counted(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    lambda.invoke().function_name("f").send().await.unwrap();
    tokio::time::advance(Duration::from_secs(299)).await;
    assert_eq!(lambda.environments("f", None).unwrap().idle, 1);
    lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(inits.load(Ordering::SeqCst), 1, "still warm at 299 s");
    tokio::time::advance(Duration::from_secs(300)).await;
    assert_eq!(lambda.environments("f", None).unwrap().idle, 0, "reclaimed");
    let out = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(out.report().unwrap().init_duration.is_some());
    assert_eq!(inits.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn code_updates_and_versions_have_their_own_environments() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = counted(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code.clone())
        .publish(true)
        .send()
        .await
        .unwrap();
    lambda.invoke().function_name("f").send().await.unwrap();
    let v1 = lambda.invoke().function_name("f:1").send().await.unwrap();
    assert_eq!(v1.payload(), &json!("1"));
    assert_eq!(
        inits.load(Ordering::SeqCst),
        2,
        "$LATEST and version 1 each cold start"
    );
    lambda
        .update_function_code()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let out = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(
        out.report().unwrap().init_duration.is_some(),
        "new code, new environment"
    );
    lambda.invoke().function_name("f:1").send().await.unwrap();
    assert_eq!(inits.load(Ordering::SeqCst), 3, "version 1 stayed warm");
}

#[tokio::test(start_paused = true)]
async fn provisioned_concurrency_keeps_environments_initialized() {
    let lambda = lambda_with(Limits::default().with_idle_timeout(Duration::from_secs(60)));
    let inits = Arc::new(AtomicUsize::new(0));
    let code = counted(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .publish(true)
        .send()
        .await
        .unwrap();
    lambda
        .create_alias()
        .function_name("f")
        .name("live")
        .function_version("1")
        .send()
        .await
        .unwrap();
    let put = lambda
        .put_provisioned_concurrency_config()
        .function_name("f")
        .qualifier("live")
        .provisioned_concurrent_executions(3)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), "IN_PROGRESS");
    assert_eq!(put.requested_provisioned_concurrent_executions(), 3);
    tokio::task::yield_now().await;
    let pc = lambda
        .get_provisioned_concurrency_config()
        .function_name("f")
        .qualifier("live")
        .send()
        .await
        .unwrap();
    assert_eq!(pc.status(), "READY");
    assert_eq!(pc.allocated_provisioned_concurrent_executions(), 3);
    assert_eq!(inits.load(Ordering::SeqCst), 3);
    // Idle for an hour: provisioned environments are not reclaimed.
    tokio::time::advance(Duration::from_secs(3600)).await;
    for _ in 0..3 {
        let out = lambda
            .invoke()
            .function_name("f:live")
            .send()
            .await
            .unwrap();
        assert!(out.report().unwrap().init_duration.is_none());
    }
    assert_eq!(inits.load(Ordering::SeqCst), 3);
    assert_eq!(lambda.metrics("f").unwrap().cold_starts, 0);
    // Four at once: the fourth spills to an on-demand cold start.
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let l = lambda.clone();
        tasks.push(tokio::spawn(async move {
            l.invoke()
                .function_name("f:live")
                .payload(json!({"sleep_ms": 50}))
                .send()
                .await
                .unwrap()
        }));
    }
    let mut cold = 0;
    for t in tasks {
        if t.await.unwrap().report().unwrap().init_duration.is_some() {
            cold += 1;
        }
    }
    assert_eq!(cold, 1);
    lambda
        .delete_provisioned_concurrency_config()
        .function_name("f")
        .qualifier("live")
        .send()
        .await
        .unwrap();
    let err = lambda
        .get_provisioned_concurrency_config()
        .function_name("f")
        .qualifier("live")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ProvisionedConcurrencyConfigNotFoundException");
    assert_eq!(
        err.message(),
        "No Provisioned Concurrency Config found for this function"
    );
}

#[tokio::test(start_paused = true)]
async fn a_provisioned_environment_that_times_out_is_replaced() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = counted(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(1)
        .publish(true)
        .send()
        .await
        .unwrap();
    lambda
        .put_provisioned_concurrency_config()
        .function_name("f")
        .qualifier("1")
        .provisioned_concurrent_executions(2)
        .send()
        .await
        .unwrap();
    tokio::task::yield_now().await;
    let counts = |l: &aws_lite_fn::Lambda| {
        let e = l.environments("f", Some("1")).unwrap();
        (e.idle, e.provisioned, e.started)
    };
    assert_eq!(counts(&lambda), (2, 2, 2));
    // A provisioned environment times out and is discarded...
    let out = lambda
        .invoke()
        .function_name("f:1")
        .payload(json!({"sleep_ms": 5000}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.payload()["errorType"], "Sandbox.Timedout");
    assert!(out.report().unwrap().init_duration.is_none(), "it was warm");
    // ...and Lambda starts another, so the version keeps its two.
    tokio::task::yield_now().await;
    assert_eq!(counts(&lambda), (2, 2, 3));
    assert_eq!(inits.load(Ordering::SeqCst), 3);
    for _ in 0..2 {
        let out = lambda.invoke().function_name("f:1").send().await.unwrap();
        assert!(out.report().unwrap().init_duration.is_none());
    }
    assert_eq!(lambda.metrics("f").unwrap().cold_starts, 0);
}
