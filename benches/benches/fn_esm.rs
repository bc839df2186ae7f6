//! `fn/esm`: messages per second from an aws-lite queue through an event source mapping to the
//! handler.
//!
//! Each iteration sends 1,000 messages of 100 bytes with SendMessageBatch (10 per call) to a
//! standard queue and waits until the handler has seen every one of them. The handler counts
//! the records of each SQS event and succeeds, so the mapping deletes every batch.
//!
//! - `mapping/1` and `mapping/10`: an event source mapping with `BatchSize` 1 and 10 (no
//!   batching window): the mapping's poller long-polls the queue, builds Lambda's SQS event,
//!   invokes the function synchronously (concurrency slot, warm environment, logs, metrics,
//!   scaling ramp) and deletes the batch.
//! - `receive loop/10`: the rival a user would write without a mapping: one task long-polling
//!   the same kind of queue for 10 messages at a time, calling the same handler directly (a
//!   `tower::Service` call with an event holding each message's id and body) and deleting the
//!   batch with DeleteMessageBatch.
//!
//! Everything runs on a multi-thread tokio runtime with 2 workers (the machine has 2 cores),
//! on real time: the queues and the Lambda use the default `TokioClock`, unpaused. Functions
//! are warm and pollers running before the first iteration; `iter_custom` times each
//! iteration from the first send to the last message handled.
//!
//! Run with `cargo bench -p aws-lite-benches --bench fn_esm`.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_lite_benches::Done;
use aws_lite_fn::{Code, Context, Event, Lambda, service_fn};
use aws_lite_queue::operation::delete_message_batch::DeleteMessageBatchRequestEntry;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{Queue, Sqs};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tower::Service;

/// Messages per iteration.
const MESSAGES: usize = 1_000;
/// Bytes in every message body.
const BODY_LEN: usize = 100;

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

/// The handler: counts the records of the SQS event.
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
        let n = e.payload["Records"].as_array().map_or(0, Vec::len);
        done.add(n);
        std::future::ready(Ok::<_, Infallible>(Value::Null))
    })
}

/// Sends `MESSAGES` messages, 10 per SendMessageBatch.
async fn fill(queue: &Queue, body: &str) {
    for _ in 0..MESSAGES / 10 {
        let mut send = queue.send_message_batch();
        for i in 0..10 {
            send = send.entries(SendMessageBatchRequestEntry::new(format!("m{i}"), body));
        }
        let out = send.send().await.expect("SendMessageBatch");
        assert!(out.failed().is_empty());
    }
}

async fn queue(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .expect("CreateQueue")
        .queue()
}

/// Times `iters` iterations of: send `MESSAGES` to `queue`, wait until `done` has them all.
fn run(rt: &tokio::runtime::Runtime, queue: &Queue, done: &Done, iters: u64) -> Duration {
    let body = "m".repeat(BODY_LEN);
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        total += rt.block_on(async {
            let start = now();
            let all = done.arm(MESSAGES);
            fill(queue, &body).await;
            done.wait(all).await;
            start.elapsed()
        });
    }
    total
}

fn esm(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a multi-thread runtime");
    let sqs = Sqs::new();
    let lambda = Lambda::builder().sqs(sqs.clone()).build();

    let mut group = c.benchmark_group("fn/esm");
    group.throughput(Throughput::Elements(MESSAGES as u64));
    for batch in [1usize, 10] {
        let done = Arc::new(Done::default());
        let name = format!("worker-{batch}");
        let q = rt.block_on(async {
            let q = queue(&sqs, &format!("jobs-{batch}")).await;
            lambda
                .create_function()
                .function_name(&name)
                .code(Code::from_service(handler(done.clone())))
                .send()
                .await
                .expect("CreateFunction");
            lambda
                .create_event_source_mapping()
                .event_source_arn(q.arn())
                .function_name(&name)
                .batch_size(batch as i64)
                .send()
                .await
                .expect("CreateEventSourceMapping");
            // Warm the function and start the poller.
            let warm = done.arm(1);
            q.send_message()
                .message_body("warm")
                .send()
                .await
                .expect("SendMessage");
            done.wait(warm).await;
            q
        });
        group.bench_function(BenchmarkId::new("mapping", batch), |b| {
            b.iter_custom(|iters| run(&rt, &q, &done, iters));
        });
        let m = lambda.metrics(&name).expect("metrics");
        assert_eq!((m.errors, m.throttles), (0, 0));
    }

    // The rival: a hand-written receive loop calling the handler directly.
    let done = Arc::new(Done::default());
    let q = rt.block_on(queue(&sqs, "jobs-loop"));
    let consumer = {
        let q = q.clone();
        let mut svc = handler(done.clone());
        rt.spawn(async move {
            let context = Context::default();
            loop {
                let got = q
                    .receive_message()
                    .max_number_of_messages(10)
                    .wait_time_seconds(20)
                    .send()
                    .await
                    .expect("ReceiveMessage");
                if got.messages().is_empty() {
                    continue;
                }
                let records: Vec<Value> = got
                    .messages()
                    .iter()
                    .map(|m| json!({"messageId": m.message_id(), "body": m.body()}))
                    .collect();
                let event = Event::new(json!({ "Records": records }), context.clone());
                std::future::poll_fn(|cx| svc.poll_ready(cx))
                    .await
                    .expect("ready");
                let _ = svc.call(event).await;
                let mut delete = q.delete_message_batch();
                for (i, m) in got.messages().iter().enumerate() {
                    delete = delete.entries(DeleteMessageBatchRequestEntry::new(
                        format!("d{i}"),
                        m.receipt_handle(),
                    ));
                }
                delete.send().await.expect("DeleteMessageBatch");
            }
        })
    };
    group.bench_function(BenchmarkId::new("receive loop", 10), |b| {
        b.iter_custom(|iters| run(&rt, &q, &done, iters));
    });
    consumer.abort();
    group.finish();
}

criterion_group!(benches, esm);
criterion_main!(benches);
