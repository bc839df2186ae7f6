//! Fault injection: the service's `FaultPlan` forces cold starts (optionally slow), injects
//! function errors, timeouts and throttles, per function, reproducibly from its seed.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::fault::{FaultPlan, FaultPoint, FaultRule};
use aws_lite_core::{Clock, Error, Instant, Rand};
use aws_lite_fn::error::{THROTTLE_RETRY_AFTER, codes, reasons, throttle_reason};
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Event, Lambda, service_fn};
use serde_json::{Value, json};

fn lambda(plan: &FaultPlan) -> Lambda {
    Lambda::builder()
        .rand(Rand::seeded(42))
        .fault_plan(plan.clone())
        .build()
}

fn plan() -> FaultPlan {
    FaultPlan::new(Rand::seeded(7))
}

/// Code counting its INITs and handler calls; the handler echoes its payload.
fn counting(inits: Arc<AtomicUsize>, calls: Arc<AtomicUsize>) -> Code {
    Code::from_factory(move || {
        let inits = inits.clone();
        let calls = calls.clone();
        async move {
            inits.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::convert::Infallible>(service_fn(move |e: Event<Value>| {
                calls.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, std::convert::Infallible>(e.payload) }
            }))
        }
    })
}

struct Counted {
    inits: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

impl Counted {
    fn inits(&self) -> usize {
        self.inits.load(Ordering::SeqCst)
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

async fn create(lambda: &Lambda, name: &str, timeout: i32) -> Counted {
    let c = Counted {
        inits: Arc::default(),
        calls: Arc::default(),
    };
    lambda
        .create_function()
        .function_name(name)
        .code(counting(c.inits.clone(), c.calls.clone()))
        .timeout(timeout)
        .send()
        .await
        .unwrap();
    c
}

#[tokio::test(start_paused = true)]
async fn a_forced_cold_start_starts_a_new_environment_beside_the_warm_one() {
    let plan = plan();
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 3).await;
    let first = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(first.report().unwrap().init_duration.is_some());
    let warm = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(warm.report().unwrap().init_duration.is_none());
    assert_eq!(f.inits(), 1);

    plan.add(
        FaultPoint::FN_INVOKE_COLD_START,
        FaultRule::next_calls(1).target("f"),
    );
    let forced = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(
        forced.report().unwrap().init_duration,
        Some(Duration::ZERO),
        "a cold start, with an instant INIT"
    );
    assert_eq!(forced.payload(), &json!({}));
    assert_eq!(f.inits(), 2);
    let envs = lambda.environments("f", None).unwrap();
    assert_eq!((envs.idle, envs.busy, envs.started), (2, 0, 2));
    assert_eq!(lambda.metrics("f").unwrap().cold_starts, 2);
    // The rule is spent: warm again.
    let again = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(again.report().unwrap().init_duration.is_none());
    assert_eq!(plan.fired(FaultPoint::FN_INVOKE_COLD_START), 1);
}

#[tokio::test(start_paused = true)]
async fn a_cold_start_rule_with_a_delay_makes_init_that_slow() {
    let plan = plan()
        .with(
            FaultPoint::FN_INVOKE_COLD_START,
            FaultRule::on_calls([1]).delay(Duration::from_secs(3)),
        )
        .with(
            FaultPoint::FN_INVOKE_COLD_START,
            FaultRule::on_calls([2]).delay(Duration::from_secs(12)),
        );
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 30).await;
    let start = lambda.clock().now();
    let out = lambda.invoke().function_name("f").send().await.unwrap();
    let report = out.report().unwrap();
    assert_eq!(report.init_duration, Some(Duration::from_secs(3)));
    assert_eq!(report.duration, Duration::ZERO);
    assert_eq!(report.billed_duration_ms, 3_000);
    assert_eq!(lambda.clock().now() - start, Duration::from_secs(3));

    // Slower than the 10-second INIT limit: INIT is suppressed and retried within the
    // invocation (without the injected delay), as Lambda does, and the call still succeeds.
    let out = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(out.function_error(), None);
    assert_eq!(
        out.report().unwrap().init_duration,
        Some(Duration::from_secs(10))
    );
    // The suppressed INIT timed out in its injected delay, before the factory ran; the
    // retry ran it.
    assert_eq!(f.inits(), 2);
    assert_eq!(lambda.metrics("f").unwrap().cold_starts, 2);
}

#[tokio::test(start_paused = true)]
async fn injected_errors_fail_the_call_without_running_the_handler_and_keep_the_environment() {
    let plan = plan()
        .with(
            FaultPoint::FN_INVOKE_ERROR,
            FaultRule::on_calls([2]).error(Error::new("OrderError", "no stock")),
        )
        .with(FaultPoint::FN_INVOKE_ERROR, FaultRule::on_calls([3]));
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 3).await;
    let ok = lambda
        .invoke()
        .function_name("f")
        .payload(json!(1))
        .send()
        .await
        .unwrap();
    assert_eq!((ok.function_error(), ok.payload()), (None, &json!(1)));

    let failed = lambda
        .invoke()
        .function_name("f")
        .payload(json!(2))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status_code(), 200);
    assert_eq!(failed.function_error(), Some("Unhandled"));
    assert_eq!(
        failed.payload(),
        &json!({"errorMessage": "no stock", "errorType": "OrderError"})
    );
    assert_eq!(failed.executed_version(), "$LATEST");

    let default = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(
        default.payload(),
        &json!({"errorMessage": "fault injected by the fault plan", "errorType": "InjectedFault"})
    );

    let warm = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(warm.function_error(), None);
    assert!(warm.report().unwrap().init_duration.is_none(), "kept warm");
    assert_eq!((f.inits(), f.calls()), (1, 2));
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.invocations, m.errors, m.timeouts), (4, 2, 0));
    assert_eq!(plan.fired(FaultPoint::FN_INVOKE_ERROR), 2);
    assert_eq!(plan.calls(FaultPoint::FN_INVOKE_ERROR), 4);
}

#[tokio::test(start_paused = true)]
async fn an_injected_error_with_a_delay_takes_that_long_and_past_the_timeout_times_out() {
    let plan = plan()
        .with(
            FaultPoint::FN_INVOKE_ERROR,
            FaultRule::on_calls([1]).delay(Duration::from_secs(2)),
        )
        .with(
            FaultPoint::FN_INVOKE_ERROR,
            FaultRule::on_calls([2]).delay(Duration::from_secs(5)),
        );
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 3).await;
    let slow = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(slow.payload()["errorType"], "InjectedFault");
    assert_eq!(slow.report().unwrap().duration, Duration::from_secs(2));

    let late = lambda.invoke().function_name("f").send().await.unwrap();
    let id = late.report().unwrap().request_id;
    assert_eq!(
        late.payload(),
        &json!({
            "errorMessage": format!("RequestId: {id} Error: Task timed out after 3.00 seconds"),
            "errorType": "Sandbox.Timedout"
        })
    );
    assert_eq!(late.report().unwrap().duration, Duration::from_secs(3));
    // The timed-out environment was discarded: the next call is cold.
    let next = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(next.report().unwrap().init_duration.is_some());
    assert_eq!((f.inits(), f.calls()), (2, 1));
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.errors, m.timeouts), (2, 1));
}

#[tokio::test(start_paused = true)]
async fn injected_timeouts_last_the_functions_timeout_and_discard_the_environment() {
    let plan = plan();
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 5).await;
    lambda.invoke().function_name("f").send().await.unwrap();
    plan.add(FaultPoint::FN_INVOKE_TIMEOUT, FaultRule::next_calls(1));
    let start = lambda.clock().now();
    let out = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(lambda.clock().now() - start, Duration::from_secs(5));
    let report = out.report().unwrap();
    assert_eq!(report.duration, Duration::from_secs(5));
    assert_eq!(out.function_error(), Some("Unhandled"));
    assert_eq!(
        out.payload(),
        &json!({
            "errorMessage": format!(
                "RequestId: {} Error: Task timed out after 5.00 seconds",
                report.request_id
            ),
            "errorType": "Sandbox.Timedout"
        })
    );
    assert_eq!(f.calls(), 1, "the handler did not run");
    let envs = lambda.environments("f", None).unwrap();
    assert_eq!((envs.idle, envs.busy), (0, 0));
    let next = lambda.invoke().function_name("f").send().await.unwrap();
    assert!(next.report().unwrap().init_duration.is_some());
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.invocations, m.errors, m.timeouts), (3, 1, 1));
}

#[tokio::test(start_paused = true)]
async fn injected_throttles_are_lambdas_429_with_its_reason() {
    let plan = plan()
        .with(FaultPoint::THROTTLE, FaultRule::on_calls([1]).target("f"))
        .with(
            FaultPoint::THROTTLE,
            FaultRule::on_calls([2])
                .target("f")
                .error(Error::internal("injected service failure")),
        );
    let lambda = lambda(&plan);
    let f = create(&lambda, "f", 3).await;
    let g = create(&lambda, "g", 3).await;
    let err = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_eq!(err.code(), codes::TOO_MANY_REQUESTS);
    assert_eq!((err.status(), err.message()), (429, "Rate Exceeded."));
    assert_eq!(
        throttle_reason(&err),
        Some(reasons::CONCURRENT_INVOCATION_LIMIT_EXCEEDED)
    );
    assert_eq!(err.field("Type"), Some("User"));
    assert_eq!(err.retry_after(), Some(THROTTLE_RETRY_AFTER));
    let other = lambda.invoke().function_name("f").send().await.unwrap_err();
    assert_eq!((other.code(), other.status()), ("InternalFailure", 500));
    assert_eq!(throttle_reason(&other), None);
    lambda.invoke().function_name("f").send().await.unwrap();
    lambda.invoke().function_name("g").send().await.unwrap();
    assert_eq!((f.calls(), g.calls()), (1, 1));
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.invocations, m.throttles, m.throttles_account), (1, 1, 1));
    assert_eq!(plan.fired(FaultPoint::THROTTLE), 2);
}

#[tokio::test(start_paused = true)]
async fn rules_target_one_function_and_its_qualified_calls() {
    let plan = plan().with(FaultPoint::FN_INVOKE_ERROR, FaultRule::always().target("f"));
    let lambda = lambda(&plan);
    create(&lambda, "f", 3).await;
    create(&lambda, "f-2", 3).await;
    lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    for name in [
        "f",
        "f:1",
        "f:$LATEST",
        "arn:aws:lambda:us-east-1:000000000000:function:f",
    ] {
        let out = lambda.invoke().function_name(name).send().await.unwrap();
        assert_eq!(out.function_error(), Some("Unhandled"), "{name}");
    }
    let other = lambda.invoke().function_name("f-2").send().await.unwrap();
    assert_eq!(other.function_error(), None);
    assert_eq!(plan.fired(FaultPoint::FN_INVOKE_ERROR), 4);
    assert_eq!(plan.calls(FaultPoint::FN_INVOKE_ERROR), 5);
}

type Times = Arc<Mutex<Vec<Instant>>>;

fn timed(lambda: &Lambda, times: Times) -> Code {
    let clock = lambda.clock().clone();
    Code::from_service(service_fn(move |_e: Event<Value>| {
        let clock = clock.clone();
        let times = times.clone();
        async move {
            times.lock().unwrap().push(clock.now());
            Ok::<_, std::convert::Infallible>(Value::Null)
        }
    }))
}

#[tokio::test(start_paused = true)]
async fn async_events_ride_out_injected_errors_and_throttles_on_the_clock() {
    let plan = plan()
        .with(
            FaultPoint::FN_INVOKE_ERROR,
            FaultRule::next_calls(2).target("errs"),
        )
        .with(
            FaultPoint::THROTTLE,
            FaultRule::next_calls(3).target("busy"),
        );
    let lambda = lambda(&plan);
    let errs: Times = Arc::default();
    let busy: Times = Arc::default();
    for (name, times) in [("errs", &errs), ("busy", &busy)] {
        lambda
            .create_function()
            .function_name(name)
            .code(timed(&lambda, times.clone()))
            .send()
            .await
            .unwrap();
    }
    let start = lambda.clock().now();
    for name in ["errs", "busy"] {
        let out = lambda
            .invoke()
            .function_name(name)
            .invocation_type(InvocationType::Event)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status_code(), 202);
    }
    lambda.clock().sleep(Duration::from_secs(600)).await;
    // Two injected function errors: retried after 1 minute, then 2 more.
    let errs = errs.lock().unwrap().clone();
    assert_eq!(errs, [start + Duration::from_secs(180)]);
    // Three injected throttles: requeued after 1 s, 2 s and 4 s.
    let busy = busy.lock().unwrap().clone();
    assert_eq!(busy, [start + Duration::from_secs(7)]);
    let m = lambda.metrics("errs").unwrap();
    assert_eq!((m.invocations, m.errors, m.async_events_dropped), (3, 2, 0));
    let m = lambda.metrics("busy").unwrap();
    assert_eq!((m.invocations, m.throttles), (1, 3));
}

/// The calls of 40 synchronous invocations that an injected error hit.
async fn failing_calls(seed: u64) -> Vec<usize> {
    let plan = FaultPlan::new(Rand::seeded(seed))
        .with(FaultPoint::FN_INVOKE_ERROR, FaultRule::probability(0.3));
    let lambda = lambda(&plan);
    create(&lambda, "f", 3).await;
    let mut failed = Vec::new();
    for i in 0..40 {
        let out = lambda.invoke().function_name("f").send().await.unwrap();
        if out.function_error().is_some() {
            failed.push(i);
        }
    }
    failed
}

#[tokio::test(start_paused = true)]
async fn the_same_seed_injects_the_same_faults() {
    let a = failing_calls(11).await;
    assert_eq!(a, failing_calls(11).await);
    assert!(!a.is_empty() && a.len() < 40, "{a:?}");
    assert_ne!(a, failing_calls(12).await);
}
