//! The invocation paths: the context a handler sees on every kind of qualifier, request ids,
//! and handlers that are not ready at once or answer only after their first poll (the paths
//! that leave the allocation-free warm path).

mod support;

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use aws_lite_core::{Clock as _, SharedClock};
use aws_lite_fn::{Code, Context, Event, RequestId, service_fn};
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use support::*;

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

/// A handler that keeps the context of each call.
fn keeping(seen: Arc<Mutex<Vec<Context>>>) -> Code {
    Code::from_service(service_fn(move |e: Event<Value>| {
        let seen = seen.clone();
        async move {
            seen.lock().unwrap().push(e.context);
            Ok::<_, Infallible>(e.payload)
        }
    }))
}

#[tokio::test(start_paused = true)]
async fn the_context_names_what_was_invoked_and_what_ran() {
    let lambda = lambda();
    let seen = Arc::new(Mutex::new(Vec::new()));
    lambda
        .create_function()
        .function_name("f")
        .code(keeping(seen.clone()))
        .memory_size(256)
        .environment_variable("STAGE", "test")
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
    let cases = [
        ("f", format!("{ARN}:f"), "$LATEST"),
        ("f:$LATEST", format!("{ARN}:f:$LATEST"), "$LATEST"),
        ("f:1", format!("{ARN}:f:1"), "1"),
        ("f:live", format!("{ARN}:f:live"), "1"),
        (&format!("{ARN}:f:live"), format!("{ARN}:f:live"), "1"),
    ];
    for (name, invoked, version) in &cases {
        // Twice: the cold start, then the warm path.
        for _ in 0..2 {
            let out = lambda
                .invoke()
                .function_name(*name)
                .payload(json!(1))
                .send()
                .await
                .unwrap();
            let ctx = seen.lock().unwrap().pop().unwrap();
            assert_eq!(&*ctx.invoked_function_arn, invoked.as_str(), "{name}");
            assert_eq!(ctx.function_version(), *version, "{name}");
            assert_eq!(out.executed_version(), *version, "{name}");
            assert_eq!(ctx.function_name(), "f");
            assert_eq!(ctx.log_group_name(), "/aws/lambda/f");
            assert!(
                ctx.log_stream_name().contains(&format!("/[{version}]")),
                "{}",
                ctx.log_stream_name()
            );
            assert_eq!(ctx.memory_limit_in_mb(), 256);
            assert_eq!(
                ctx.env_vars().get("STAGE").map(String::as_str),
                Some("test")
            );
            assert_eq!(ctx.deadline - lambda.clock().now(), Duration::from_secs(3));
            // The id the handler saw is the output's, formatted the same everywhere.
            let report = out.report().unwrap();
            assert_eq!(out.request_id(), Some(ctx.request_id));
            assert_eq!(ctx.request_id, report.request_id);
            let text = report.request_id.to_string();
            assert_eq!(report.request_id, text);
            assert_eq!(text.parse::<RequestId>(), Ok(ctx.request_id));
        }
    }
    // Every call had its own request id; an environment keeps its log stream.
    let m = lambda.metrics("f").unwrap();
    assert_eq!(m.invocations, 10);
    assert_eq!(
        m.cold_starts, 2,
        "one environment for $LATEST, one for version 1"
    );
}

#[tokio::test(start_paused = true)]
async fn request_ids_are_new_for_every_call() {
    let lambda = lambda();
    lambda
        .create_function()
        .function_name("f")
        .code(echo())
        .send()
        .await
        .unwrap();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let out = lambda.invoke().function_name("f").send().await.unwrap();
        ids.push(out.request_id().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| id.to_string().len() == 36));
}

/// A service that is not ready on its first `poll_ready`, and whose calls sleep `delay` on the
/// clock before answering.
#[derive(Clone)]
struct Reluctant {
    clock: SharedClock,
    delay: Duration,
    polled: bool,
}

impl tower::Service<Event<Value>> for Reluctant {
    type Response = Value;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Value, Infallible>>;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        if self.polled {
            Poll::Ready(Ok(()))
        } else {
            self.polled = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn call(&mut self, e: Event<Value>) -> Self::Future {
        self.polled = false;
        let (clock, delay) = (self.clock.clone(), self.delay);
        Box::pin(async move {
            clock.sleep(delay).await;
            Ok(json!({ "echo": e.payload }))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn handlers_not_ready_at_once_or_slow_to_answer_still_run_warm() {
    let lambda = lambda();
    let clock = lambda.clock().clone();
    for (name, delay) in [
        ("ready-later", Duration::ZERO),
        ("slow", Duration::from_secs(2)),
    ] {
        let code = Code::from_service(Reluctant {
            clock: clock.clone(),
            delay,
            polled: false,
        });
        lambda
            .create_function()
            .function_name(name)
            .code(code)
            .send()
            .await
            .unwrap();
        for i in 0..3 {
            let t0 = clock.now();
            let out = lambda
                .invoke()
                .function_name(name)
                .payload(json!(i))
                .send()
                .await
                .unwrap();
            assert_eq!(out.payload(), &json!({ "echo": i }), "{name}");
            assert_eq!(out.function_error(), None);
            assert_eq!(clock.now() - t0, delay, "{name}");
            assert_eq!(out.report().unwrap().duration, delay, "{name}");
        }
        let m = lambda.metrics(name).unwrap();
        assert_eq!(
            (m.invocations, m.cold_starts, m.errors),
            (3, 1, 0),
            "{name}"
        );
        assert_eq!(m.concurrent_executions, 0, "every slot given back");
        let envs = lambda.environments(name, None).unwrap();
        assert_eq!((envs.idle, envs.busy), (1, 0), "{name}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_dropped_invocation_gives_its_slot_back() {
    let lambda = lambda();
    let clock = lambda.clock().clone();
    let code = Code::from_service(Reluctant {
        clock: clock.clone(),
        delay: Duration::from_secs(60),
        polled: true,
    });
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
        .payload(json!(0))
        .send()
        .await
        .unwrap();
    // The caller gives up on a call still running after its first poll.
    let call = lambda.invoke().function_name("f").payload(json!(1)).send();
    let gave_up = clock.timeout(Duration::from_secs(1), call).await;
    assert!(gave_up.is_err());
    let m = lambda.metrics("f").unwrap();
    assert_eq!(m.concurrent_executions, 0, "the slot was given back");
    assert_eq!(lambda.concurrent_executions(), 0);
    let envs = lambda.environments("f", None).unwrap();
    assert_eq!(envs.busy, 0, "the environment left the pool's busy count");
}
