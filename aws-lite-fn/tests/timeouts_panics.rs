//! Timeouts, panics and handler errors: what Invoke returns, and which environments survive.

mod support;

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lite_core::SharedClock;
use aws_lite_fn::{Code, Diagnostic, Event, service_fn};
use serde_json::{Value, json};
use support::*;

/// Sleeps `payload.sleep_s` seconds, panics on `"panic"`, fails on `"fail"`.
fn misbehaving(inits: Arc<AtomicUsize>, clock: SharedClock) -> Code {
    Code::from_factory(move || {
        inits.fetch_add(1, Ordering::SeqCst);
        let clock = clock.clone();
        async move {
            Ok::<_, Infallible>(service_fn(move |e: Event<Value>| {
                let clock = clock.clone();
                async move {
                    if let Some(s) = e.payload.get("sleep_s").and_then(Value::as_u64) {
                        clock.sleep(Duration::from_secs(s)).await;
                    }
                    match e.payload.as_str() {
                        Some("panic") => panic!("boom"),
                        Some("fail") => Err(Diagnostic::new("MyError", "bad input")),
                        _ => Ok(json!("ok")),
                    }
                }
            }))
        }
    })
}

#[tokio::test(start_paused = true)]
async fn a_handler_past_its_timeout_is_sandbox_timedout() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = misbehaving(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(3)
        .send()
        .await
        .unwrap();
    let start = lambda.clock().clone();
    let t0 = aws_lite_core::Clock::now(&start);
    let out = lambda
        .invoke()
        .function_name("f")
        .payload(json!({"sleep_s": 10}))
        .send()
        .await
        .unwrap();
    let waited = aws_lite_core::Clock::now(&start) - t0;
    assert_eq!(
        waited,
        Duration::from_secs(3),
        "cut off at the timeout, on the clock"
    );
    assert_eq!(out.status_code(), 200);
    assert_eq!(out.function_error(), Some("Unhandled"));
    let id = &out.report().unwrap().request_id;
    assert_eq!(
        out.payload(),
        &json!({
            "errorType": "Sandbox.Timedout",
            "errorMessage": format!("RequestId: {id} Error: Task timed out after 3.00 seconds"),
        })
    );
    assert_eq!(out.report().unwrap().duration, Duration::from_secs(3));
    // The timed-out environment is discarded: the next call is a cold start.
    let next = lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(next.payload(), &json!("ok"));
    assert_eq!(inits.load(Ordering::SeqCst), 2);
    let m = lambda.metrics("f").unwrap();
    assert_eq!((m.timeouts, m.errors, m.invocations), (1, 1, 2));
    // Within the timeout is fine.
    let ok = lambda
        .invoke()
        .function_name("f")
        .payload(json!({"sleep_s": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.function_error(), None);
}

#[tokio::test(start_paused = true)]
async fn panics_are_caught_and_reported_like_the_runtime() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = misbehaving(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let out = lambda
        .invoke()
        .function_name("f")
        .payload(json!("panic"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.function_error(), Some("Unhandled"));
    let d: Diagnostic = out.payload_as().unwrap();
    assert_eq!(d.error_message, "Lambda panicked: boom");
    assert_eq!(
        d.error_type,
        std::any::type_name::<Box<dyn std::any::Any + Send>>()
    );
    lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(
        inits.load(Ordering::SeqCst),
        2,
        "the panicked environment was discarded"
    );
}

#[tokio::test(start_paused = true)]
async fn handled_errors_keep_the_environment() {
    let lambda = lambda();
    let inits = Arc::new(AtomicUsize::new(0));
    let code = misbehaving(inits.clone(), lambda.clock().clone());
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
    let out = lambda
        .invoke()
        .function_name("f")
        .payload(json!("fail"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.payload(),
        &json!({"errorMessage": "bad input", "errorType": "MyError"})
    );
    lambda.invoke().function_name("f").send().await.unwrap();
    assert_eq!(inits.load(Ordering::SeqCst), 1);
    assert_eq!(lambda.metrics("f").unwrap().errors, 1);
}

#[tokio::test(start_paused = true)]
async fn typed_payloads_and_init_errors() {
    let lambda = lambda();
    let typed = Code::from_service(service_fn(|e: Event<u32>| async move {
        Ok::<_, Infallible>(e.payload + 1)
    }));
    lambda
        .create_function()
        .function_name("typed")
        .code(typed)
        .send()
        .await
        .unwrap();
    let out = lambda
        .invoke()
        .function_name("typed")
        .payload(json!(41))
        .send()
        .await
        .unwrap();
    assert_eq!(out.payload_as::<u32>().unwrap(), 42);
    let bad = lambda
        .invoke()
        .function_name("typed")
        .payload(json!("x"))
        .send()
        .await
        .unwrap();
    let d: Diagnostic = bad.payload_as().unwrap();
    assert_eq!(d.error_type, "aws_lite_fn::handler::DeserializeError");
    assert!(
        d.error_message
            .starts_with("failed to deserialize the incoming data")
    );

    let failing = Code::from_factory(|| async {
        Err::<
            aws_lite_fn::ServiceFn<
                fn(Event<Value>) -> std::future::Ready<Result<Value, Infallible>>,
            >,
            _,
        >(Diagnostic::new("ConfigError", "missing TABLE"))
    });
    lambda
        .create_function()
        .function_name("broken")
        .code(failing)
        .send()
        .await
        .unwrap();
    let out = lambda
        .invoke()
        .function_name("broken")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.payload(),
        &json!({"errorMessage": "missing TABLE", "errorType": "ConfigError"})
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_init_is_retried_under_the_function_timeout() {
    let lambda = lambda();
    let clock = lambda.clock().clone();
    let attempts = Arc::new(AtomicUsize::new(0));
    let a = attempts.clone();
    let code = Code::from_factory(move || {
        let clock = clock.clone();
        let n = a.fetch_add(1, Ordering::SeqCst);
        async move {
            // The first INIT takes 12 s (over the 10 s limit), the retry 1 s.
            clock
                .sleep(Duration::from_secs(if n == 0 { 12 } else { 1 }))
                .await;
            Ok::<_, Infallible>(service_fn(|e: Event<Value>| async move {
                Ok::<_, Infallible>(e.payload)
            }))
        }
    });
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .timeout(5)
        .send()
        .await
        .unwrap();
    let out = lambda
        .invoke()
        .function_name("f")
        .payload(json!(1))
        .send()
        .await
        .unwrap();
    assert_eq!(out.payload(), &json!(1));
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(
        out.report().unwrap().init_duration,
        Some(Duration::from_secs(11))
    );
}
