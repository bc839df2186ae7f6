//! `fn/invoke`: a warm synchronous (`RequestResponse`) Invoke through an alias, beside a direct
//! call of the same `tower::Service`.
//!
//! The handler is one `service_fn` echoing its `serde_json::Value` payload (`{"qty": 2}`).
//!
//! - `direct`: the handler called as a `tower::Service` (`poll_ready`, then `call`) with an
//!   `Event` of a clone of the payload and of a prepared `Context` — what a unit test of the
//!   handler does, and the floor for any host.
//! - `alias`: `lambda.invoke().function_name("echo:live")` on a function whose alias `live`
//!   points to published version 1, kept warm: parsing the name, the payload-size check, alias
//!   resolution, a concurrency slot, a warm environment, the request id and `Context`, the
//!   START / END / REPORT lines (no `tracing` subscriber is installed, so they cost a disabled
//!   callsite each), the handler run under the function's timeout with panics caught, and the
//!   output with its REPORT figures.
//!
//! Both run on a current-thread tokio runtime (nothing waits), timed by `iter_custom` over
//! batches of calls. The target: `alias`'s median within 2× of `direct`'s.
//!
//! Run with `cargo bench -p aws-lite-benches --bench fn_invoke`.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::Instant;

use aws_lite_fn::{Code, Context, Event, Lambda, service_fn};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::Service;

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

fn invoke(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let handler = service_fn(|e: Event<Value>| async move { Ok::<_, Infallible>(e.payload) });
    let payload = json!({"qty": 2});

    let lambda = Lambda::new();
    rt.block_on(async {
        lambda
            .create_function()
            .function_name("echo")
            .code(Code::from_service(handler))
            .send()
            .await
            .expect("CreateFunction");
        lambda
            .publish_version()
            .function_name("echo")
            .send()
            .await
            .expect("PublishVersion");
        lambda
            .create_alias()
            .function_name("echo")
            .name("live")
            .function_version("1")
            .send()
            .await
            .expect("CreateAlias");
        // The cold start, so every measured call is warm.
        let out = lambda
            .invoke()
            .function_name("echo:live")
            .payload(payload.clone())
            .send()
            .await
            .expect("Invoke");
        assert_eq!(out.payload(), &payload);
        assert_eq!(out.executed_version(), "1");
    });

    let mut group = c.benchmark_group("fn/invoke");
    group.throughput(Throughput::Elements(1));

    let context = Context::default();
    let mut direct = handler;
    group.bench_function("direct", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = now();
                for _ in 0..iters {
                    std::future::poll_fn(|cx| direct.poll_ready(cx))
                        .await
                        .expect("ready");
                    let out = direct
                        .call(Event::new(payload.clone(), context.clone()))
                        .await
                        .expect("call");
                    black_box(out);
                }
                start.elapsed()
            })
        });
    });

    group.bench_function("alias", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = now();
                for _ in 0..iters {
                    let out = lambda
                        .invoke()
                        .function_name("echo:live")
                        .payload(payload.clone())
                        .send()
                        .await
                        .expect("Invoke");
                    black_box(out);
                }
                start.elapsed()
            })
        });
    });
    group.finish();

    let m = lambda.metrics("echo").expect("metrics");
    assert_eq!((m.cold_starts, m.errors, m.throttles), (1, 0, 0));
}

criterion_group!(benches, invoke);
criterion_main!(benches);
