//! `fn/invoke`: a warm synchronous (`RequestResponse`) Invoke through an alias, beside a direct
//! call of the same `tower::Service`.
//!
//! The handler is one `service_fn` echoing its `serde_json::Value` payload, run with two
//! payloads: `{"qty": 2}` (the smallest, where the host's own cost shows most) and an API
//! Gateway HTTP API (v2) proxy event of about 1 KB (what a typical function receives).
//!
//! - `direct`: the handler called as a `tower::Service` (`poll_ready`, then `call`) with an
//!   `Event` of a clone of the payload and of a prepared `Context` — what a unit test of the
//!   handler does, and the floor for any host.
//! - `floor`: `direct` plus what any host behind Lambda's Invoke API pays before doing any
//!   work of its own: the request it is handed (the function name as a `String`, the
//!   payload clone, built and dropped) and two readings of the service's clock (the run's
//!   start and end, which REPORT's `Duration` needs).
//! - `alias`: `lambda.invoke().function_name("echo:live").payload(payload.clone())` on a
//!   function whose alias `live` points to published version 1, kept warm: building the
//!   request, parsing the name, the payload-size check, alias resolution, a concurrency slot,
//!   a warm environment, the request id and `Context`, the START / END / REPORT lines (no
//!   `tracing` subscriber is installed, so they cost a disabled callsite each), the two
//!   readings of the clock, the handler run under the function's timeout with panics caught,
//!   the metrics, and the output with its REPORT figures.
//!
//! All run on a current-thread tokio runtime (nothing waits), timed by `iter_custom` over
//! batches of calls. The issue's target: `alias`'s median within 2× of `direct`'s; `floor`
//! shows how much of that the API itself takes.
//!
//! Before measuring, a counting global allocator checks that a warm `alias` call allocates
//! nothing beyond what building its request allocates (the name and the payload clone): the
//! host's own path is allocation-free. The allocator counts only while that check runs.
//!
//! Run with `cargo bench -p aws-lite-benches --bench fn_invoke`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::convert::Infallible;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use aws_lite_core::time::Clock;
use aws_lite_fn::operation::invoke::{InvokeFluentBuilder, InvokeOutput};
use aws_lite_fn::{Code, Context, Event, Lambda, service_fn};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::Service;

/// Whether [`Counting`] counts.
static COUNTING: AtomicBool = AtomicBool::new(false);
/// Allocations made while counting.
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting allocations while [`COUNTING`] is set.
struct Counting;

fn counted() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System` with the arguments it was given, so `System`'s
// guarantees are this allocator's; the counting touches only atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted();
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, hence by `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        counted();
        // SAFETY: `ptr` was allocated by `System` with `layout`; the caller upholds the rest.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The allocations `f` makes.
fn allocations(f: impl FnOnce()) -> usize {
    ALLOCATIONS.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    f();
    COUNTING.store(false, Ordering::Relaxed);
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

/// The measured Invoke: `echo:live` with a clone of `payload`, built the way an SDK user
/// builds it.
async fn invoke_alias(lambda: &Lambda, payload: &Value) -> InvokeOutput {
    request(lambda, payload).send().await.expect("Invoke")
}

/// The Invoke request, built and not sent.
fn request(lambda: &Lambda, payload: &Value) -> InvokeFluentBuilder {
    lambda
        .invoke()
        .function_name("echo:live")
        .payload(payload.clone())
}

/// The direct call: the handler's readiness, then its call with a clone of `payload`.
async fn call_direct<S>(direct: &mut S, payload: &Value, context: &Context) -> Value
where
    S: Service<Event<Value>, Response = Value, Error = Infallible>,
{
    std::future::poll_fn(|cx| direct.poll_ready(cx))
        .await
        .expect("ready");
    direct
        .call(Event::new(payload.clone(), context.clone()))
        .await
        .expect("call")
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
        let out = invoke_alias(&lambda, &payload).await;
        assert_eq!(out.payload(), &payload);
        assert_eq!(out.executed_version(), "1");
    });

    // The host's warm path allocates nothing: a warm call costs the allocations of building
    // its request and no more.
    const CALLS: usize = 1_000;
    let requests = allocations(|| {
        for _ in 0..CALLS {
            drop(black_box(request(&lambda, &payload)));
        }
    });
    let invokes = allocations(|| {
        rt.block_on(async {
            for _ in 0..CALLS {
                black_box(invoke_alias(&lambda, &payload).await);
            }
        })
    });
    println!(
        "fn/invoke/alias: {} allocations per warm call, all of them building the request",
        invokes / CALLS
    );
    assert_eq!(
        invokes, requests,
        "a warm Invoke allocates beyond its request ({invokes} vs {requests} for {CALLS} calls)"
    );

    let mut group = c.benchmark_group("fn/invoke");
    group.throughput(Throughput::Elements(1));
    let context = Context::default();
    let mut direct = handler;
    let clock = lambda.clock();
    for (label, payload) in [("", &payload), ("/apigw-event", &apigw_event())] {
        group.bench_function(format!("direct{label}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = now();
                    for _ in 0..iters {
                        black_box(call_direct(&mut direct, payload, &context).await);
                    }
                    start.elapsed()
                })
            });
        });
        if label.is_empty() {
            group.bench_function("floor", |b| {
                b.iter_custom(|iters| {
                    rt.block_on(async {
                        let start = now();
                        for _ in 0..iters {
                            drop(black_box(request(&lambda, payload)));
                            let run = black_box(clock.now());
                            black_box(call_direct(&mut direct, payload, &context).await);
                            black_box(clock.now() - run);
                        }
                        start.elapsed()
                    })
                });
            });
        }
        group.bench_function(format!("alias{label}"), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = now();
                    for _ in 0..iters {
                        black_box(invoke_alias(&lambda, payload).await);
                    }
                    start.elapsed()
                })
            });
        });
    }
    group.finish();

    let m = lambda.metrics("echo").expect("metrics");
    assert_eq!((m.cold_starts, m.errors, m.throttles), (1, 0, 0));
}

/// An API Gateway HTTP API (payload format 2.0) proxy event for `GET /orders/42`, about 1 KB
/// as JSON: what a typical function behind a gateway receives.
fn apigw_event() -> Value {
    json!({
        "version": "2.0",
        "routeKey": "GET /orders/{id}",
        "rawPath": "/orders/42",
        "rawQueryString": "expand=items&currency=EUR",
        "cookies": ["session=6bd4f3fe6a4d4d23", "theme=dark"],
        "headers": {
            "accept": "application/json",
            "accept-encoding": "gzip, deflate, br",
            "authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl",
            "content-length": "0",
            "host": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "user-agent": "aws-lite-bench/1.0",
            "x-amzn-trace-id": "Root=1-67891233-abcdef012345678912345678",
            "x-forwarded-for": "203.0.113.7",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https"
        },
        "queryStringParameters": {"expand": "items", "currency": "EUR"},
        "pathParameters": {"id": "42"},
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "abcdef1234",
            "domainName": "abcdef1234.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": "abcdef1234",
            "http": {
                "method": "GET",
                "path": "/orders/42",
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "aws-lite-bench/1.0"
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "GET /orders/{id}",
            "stage": "$default",
            "time": "29/Nov/2026:19:52:59 +0000",
            "timeEpoch": 1_795_982_379_000_u64
        },
        "isBase64Encoded": false
    })
}

criterion_group!(benches, invoke);
criterion_main!(benches);
