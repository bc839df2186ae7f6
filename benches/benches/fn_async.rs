//! `fn/async`: events per second through Lambda's asynchronous (`Event`) invocation queue, to
//! completion.
//!
//! Each iteration makes 1,000 `Invoke` calls with `InvocationType::Event` (each answers 202
//! at once and queues the event on its own background task, as aws-lite's async path does)
//! and waits until the handler has run for every one of them. The handler counts its calls
//! and wakes the bench when the count is reached; the function is warm before the first
//! iteration, and the events succeed, so no retry delay is involved.
//!
//! Beside it, `tokio::spawn (direct)`: the same handler, a clone per event, called on a
//! spawned task per event — the fire-and-forget a user would otherwise write — so the price
//! of the async queue (resolution, concurrency slot, environment, request id, context, logs,
//! retry bookkeeping) shows.
//!
//! Both run on a multi-thread tokio runtime with 2 workers (the machine has 2 cores), real
//! time, timed end to end by `iter_custom`.
//!
//! Run with `cargo bench -p aws-lite-benches --bench fn_async`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_lite_benches::Done;
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{Code, Context, Event, Lambda, service_fn};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::Service;

/// Events per iteration.
const EVENTS: usize = 1_000;

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

/// The echo handler, counting its calls in `done`.
fn handler(
    done: Arc<Done>,
) -> impl Service<
    Event<Value>,
    Response = Value,
    Error = Infallible,
    Future = std::future::Ready<Result<Value, Infallible>>,
> + Clone
+ Send
+ Sync
+ 'static {
    service_fn(move |e: Event<Value>| {
        done.add(1);
        std::future::ready(Ok::<_, Infallible>(e.payload))
    })
}

fn asynchronous(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a multi-thread runtime");
    let payload = json!({"order": 7});
    let done = Arc::new(Done::default());

    let lambda = Lambda::new();
    rt.block_on(async {
        lambda
            .create_function()
            .function_name("worker")
            .code(Code::from_service(handler(done.clone())))
            .send()
            .await
            .expect("CreateFunction");
        let warm = done.arm(1);
        lambda
            .invoke()
            .function_name("worker")
            .payload(payload.clone())
            .send()
            .await
            .expect("Invoke");
        done.wait(warm).await;
    });

    let mut group = c.benchmark_group("fn/async");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.bench_function("event", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += rt.block_on(async {
                    let start = now();
                    let all = done.arm(EVENTS);
                    for _ in 0..EVENTS {
                        let out = lambda
                            .invoke()
                            .function_name("worker")
                            .invocation_type(InvocationType::Event)
                            .payload(payload.clone())
                            .send()
                            .await
                            .expect("Invoke");
                        assert_eq!(out.status_code(), 202);
                    }
                    done.wait(all).await;
                    start.elapsed()
                });
            }
            total
        });
    });

    let direct = handler(done.clone());
    let context = Context::default();
    group.bench_function("tokio::spawn (direct)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                total += rt.block_on(async {
                    let start = now();
                    let all = done.arm(EVENTS);
                    for _ in 0..EVENTS {
                        let mut svc = direct.clone();
                        let event = Event::new(payload.clone(), context.clone());
                        tokio::spawn(async move {
                            std::future::poll_fn(|cx| svc.poll_ready(cx))
                                .await
                                .expect("ready");
                            let _ = svc.call(event).await;
                        });
                    }
                    done.wait(all).await;
                    start.elapsed()
                });
            }
            total
        });
    });
    group.finish();

    let m = lambda.metrics("worker").expect("metrics");
    assert_eq!((m.errors, m.throttles, m.async_events_dropped), (0, 0, 0));
    assert_eq!(m.invocations, m.async_events_received + 1);
}

criterion_group!(benches, asynchronous);
criterion_main!(benches);
