//! Concurrency: reserved concurrency caps a function (and refuses the call beyond it with
//! `TooManyRequestsException`, reason `ReservedFunctionConcurrentInvocationLimitExceeded`),
//! and provisioned concurrency keeps initialized environments ready for an alias, so its
//! calls start warm even after an hour of idleness, while calls beyond them spill to on-demand
//! cold starts.
//!
//! Run with `cargo run -p aws-lite-fn --example concurrency`.

use std::convert::Infallible;
use std::time::Duration;

use aws_lite_core::Clock as _;
use aws_lite_fn::error::{codes, throttle_reason};
use aws_lite_fn::{Code, Event, Lambda, service_fn};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    let lambda = Lambda::new();
    let clock = lambda.clock().clone();

    // INIT takes 300 ms of the clock; each call works for `payload.ms` ms.
    let handler_clock = clock.clone();
    let code = Code::from_factory(move || {
        let clock = handler_clock.clone();
        async move {
            clock.sleep(Duration::from_millis(300)).await;
            Ok::<_, Infallible>(service_fn(move |e: Event<Value>| {
                let clock = clock.clone();
                async move {
                    let ms = e.payload["ms"].as_u64().unwrap_or(0);
                    clock.sleep(Duration::from_millis(ms)).await;
                    Ok::<_, Infallible>(json!({ "worked_ms": ms }))
                }
            }))
        }
    });
    lambda
        .create_function()
        .function_name("report")
        .code(code)
        .publish(true)
        .send()
        .await?;
    lambda
        .create_alias()
        .function_name("report")
        .name("live")
        .function_version("1")
        .send()
        .await?;

    // Reserved concurrency: at most 3 at once.
    lambda
        .put_function_concurrency()
        .function_name("report")
        .reserved_concurrent_executions(3)
        .send()
        .await?;

    // Provisioned concurrency: 2 environments of `live` initialized ahead of any call.
    lambda
        .put_provisioned_concurrency_config()
        .function_name("report")
        .qualifier("live")
        .provisioned_concurrent_executions(2)
        .send()
        .await?;
    // The provisioned INITs run in the background, 300 ms each on the clock.
    clock.sleep(Duration::from_secs(1)).await;
    let pc = lambda
        .get_provisioned_concurrency_config()
        .function_name("report")
        .qualifier("live")
        .send()
        .await?;
    println!(
        "provisioned: {} ({} allocated)",
        pc.status(),
        pc.allocated_provisioned_concurrent_executions()
    );

    // An hour later the provisioned environments are still warm.
    clock.sleep(Duration::from_secs(3600)).await;
    let out = lambda
        .invoke()
        .function_name("report:live")
        .payload(json!({ "ms": 10 }))
        .send()
        .await?;
    println!(
        "after an hour idle: init duration {:?}",
        out.report().and_then(|r| r.init_duration)
    );
    assert!(out.report().is_some_and(|r| r.init_duration.is_none()));

    // Four long calls at once: three run (two provisioned, one on-demand cold start), the
    // fourth is throttled.
    let mut calls = Vec::new();
    for _ in 0..4 {
        let lambda = lambda.clone();
        calls.push(tokio::spawn(async move {
            lambda
                .invoke()
                .function_name("report:live")
                .payload(json!({ "ms": 1_000 }))
                .send()
                .await
        }));
    }
    let (mut ran, mut cold, mut throttled) = (0, 0, 0);
    for call in calls {
        match call.await.expect("the task ran") {
            Ok(out) => {
                ran += 1;
                if out.report().is_some_and(|r| r.init_duration.is_some()) {
                    cold += 1;
                }
            }
            Err(e) if e.code() == codes::TOO_MANY_REQUESTS => {
                throttled += 1;
                println!(
                    "throttled: {} ({:?}, retry after {:?} s)",
                    e.message(),
                    throttle_reason(&e),
                    e.retry_after_secs()
                );
            }
            Err(e) => return Err(e),
        }
    }
    println!("ran {ran} (cold {cold}), throttled {throttled}");
    assert_eq!((ran, cold, throttled), (3, 1, 1));

    let m = lambda.metrics("report")?;
    println!(
        "metrics: {} invocations, {} throttles, at most {} at once, {} cold starts",
        m.invocations, m.throttles, m.max_concurrent_executions, m.cold_starts
    );
    let envs = lambda.environments("report", Some("live"))?;
    println!(
        "environments of live: {} idle, {} provisioned, {} started",
        envs.idle, envs.provisioned, envs.started
    );
    println!("virtual time elapsed: {:?}", clock.now().since_origin());
    Ok(())
}
