//! Event source mappings: the scale-up ramp of a standard queue's poller on the clock — 5
//! concurrent batches when messages arrive, up to 300 more per minute while a backlog remains,
//! never above `MaximumConcurrency` or the function's reserved or account concurrency, and back
//! to 5 once the queue has drained.
#![cfg(feature = "queue")]

mod support;

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock, Instant, Rand, SharedClock};
use aws_lite_fn::esm::{INITIAL_CONCURRENCY, SCALE_UP_PER_MINUTE};
use aws_lite_fn::{Code, Event, Lambda, Limits, service_fn};
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{Queue, Sqs};
use serde_json::Value;
use support::esm::queue;

/// The function's concurrency as the handler sees it: one sample per invocation start.
#[derive(Debug, Default)]
struct Tracker {
    running: usize,
    /// (when, how many ran at once once this one started)
    starts: Vec<(Instant, usize)>,
}

type Shared = Arc<Mutex<Tracker>>;

/// A handler busy for `busy` on the clock that records its concurrency.
fn tracked(clock: SharedClock, tracker: Shared, busy: Duration) -> Code {
    Code::from_service(service_fn(move |_: Event<Value>| {
        let clock = clock.clone();
        let tracker = tracker.clone();
        async move {
            {
                let mut t = tracker.lock().unwrap();
                t.running += 1;
                let running = t.running;
                t.starts.push((clock.now(), running));
            }
            clock.sleep(busy).await;
            tracker.lock().unwrap().running -= 1;
            Ok::<_, Infallible>(Value::Null)
        }
    }))
}

fn services(limits: Limits) -> (Sqs, Lambda) {
    let sqs = Sqs::builder().rand(Rand::seeded(7)).build();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .sqs(sqs.clone())
        .limits(limits)
        .build();
    (sqs, lambda)
}

async fn backlog(q: &Queue, n: usize) {
    for chunk in (0..n).collect::<Vec<_>>().chunks(10) {
        let entries: Vec<SendMessageBatchRequestEntry> = chunk
            .iter()
            .map(|i| SendMessageBatchRequestEntry::new(format!("e{i}"), format!("m{i}")))
            .collect();
        let mut send = q.send_message_batch();
        for e in entries {
            send = send.entries(e);
        }
        let out = send.send().await.unwrap();
        assert!(out.failed().is_empty());
    }
}

/// A function `f` (busy `busy` per batch) behind a mapping of batch size 1 on a queue whose
/// messages stay invisible for 15 minutes.
async fn setup(
    limits: Limits,
    busy: Duration,
    max_concurrency: Option<i64>,
) -> (Lambda, Queue, Shared) {
    let (sqs, lambda) = services(limits);
    let q = queue(&sqs, "jobs", &[("VisibilityTimeout", "900".into())]).await;
    let tracker = Shared::default();
    lambda
        .create_function()
        .function_name("f")
        .code(tracked(lambda.clock().clone(), tracker.clone(), busy))
        .timeout(900)
        .send()
        .await
        .unwrap();
    let mut create = lambda
        .create_event_source_mapping()
        .event_source_arn(q.arn())
        .function_name("f")
        .batch_size(1);
    if let Some(n) = max_concurrency {
        create = create.maximum_concurrency(n);
    }
    create.send().await.unwrap();
    (lambda, q, tracker)
}

/// The most batches the documented ramp allows `elapsed` after the backlog started.
fn ramp_bound(elapsed: Duration) -> usize {
    INITIAL_CONCURRENCY as usize
        + (elapsed.as_millis() * u128::from(SCALE_UP_PER_MINUTE) / 60_000) as usize
}

#[tokio::test(start_paused = true)]
async fn concurrency_starts_at_five_and_rises_by_300_a_minute_with_a_backlog() {
    assert_eq!((INITIAL_CONCURRENCY, SCALE_UP_PER_MINUTE), (5, 300));
    // Nothing finishes within the first two minutes, so concurrency only grows.
    let (lambda, q, tracker) = setup(Limits::default(), Duration::from_secs(150), None).await;
    backlog(&q, 1_000).await;
    let clock = lambda.clock().clone();
    clock.sleep(Duration::from_secs(120)).await;

    let t = tracker.lock().unwrap();
    let t0 = t.starts[0].0;
    let at = |secs: f64| {
        let when = t0 + Duration::from_secs_f64(secs);
        t.starts
            .iter()
            .filter(|(at, _)| *at <= when)
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
    };
    assert_eq!(at(0.0), 5, "five batches at once when messages arrive");
    assert_eq!(at(0.199), 5);
    assert_eq!(at(1.0), 10);
    assert_eq!(at(30.0), 155);
    assert_eq!(at(60.0), 305, "300 more after a minute");
    assert_eq!(at(119.9), 604);
    // Never above the documented rate, at any start.
    for (when, running) in t.starts.iter() {
        let bound = ramp_bound(*when - t0);
        assert!(
            *running <= bound,
            "{running} batches at {:?}, over the ramp's {bound}",
            *when - t0
        );
    }
    assert_eq!(lambda.metrics("f").unwrap().throttles, 0);
}

#[tokio::test(start_paused = true)]
async fn maximum_concurrency_caps_the_ramp() {
    let (lambda, q, tracker) = setup(Limits::default(), Duration::from_secs(5), Some(50)).await;
    backlog(&q, 2_000).await;
    lambda.clock().sleep(Duration::from_secs(180)).await;
    let t = tracker.lock().unwrap();
    let max = t.starts.iter().map(|(_, n)| *n).max().unwrap();
    assert_eq!(max, 50, "reaches MaximumConcurrency and never exceeds it");
    let t0 = t.starts[0].0;
    let first_full = t.starts.iter().find(|(_, n)| *n == 50).unwrap().0;
    assert_eq!(
        first_full - t0,
        Duration::from_secs(9),
        "the ramp reaches 50 after 45 steps of 200 ms"
    );
    assert!(t.starts.len() > 1_000, "the backlog keeps 50 batches busy");
}

#[tokio::test(start_paused = true)]
async fn reserved_and_account_concurrency_cap_the_ramp_without_throttles() {
    // Reserved concurrency.
    let (lambda, q, tracker) = setup(Limits::default(), Duration::from_secs(5), None).await;
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(20)
        .send()
        .await
        .unwrap();
    backlog(&q, 500).await;
    lambda.clock().sleep(Duration::from_secs(120)).await;
    let max = tracker.lock().unwrap().starts.iter().map(|(_, n)| *n).max();
    assert_eq!(max, Some(20));
    assert_eq!(lambda.metrics("f").unwrap().throttles, 0);

    // The account's concurrency (no reservation).
    let (lambda, q, tracker) = setup(
        Limits::default()
            .with_concurrent_executions(30)
            .with_minimum_unreserved(10),
        Duration::from_secs(5),
        Some(1_000),
    )
    .await;
    backlog(&q, 500).await;
    lambda.clock().sleep(Duration::from_secs(120)).await;
    let max = tracker.lock().unwrap().starts.iter().map(|(_, n)| *n).max();
    assert_eq!(max, Some(30));
    assert_eq!(lambda.metrics("f").unwrap().throttles, 0);
}

#[tokio::test(start_paused = true)]
async fn the_ramp_starts_again_at_five_after_the_queue_drains() {
    let (lambda, q, tracker) = setup(Limits::default(), Duration::from_secs(2), None).await;
    let clock = lambda.clock().clone();
    backlog(&q, 300).await;
    clock.sleep(Duration::from_secs(120)).await;
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
    let first_wave = tracker.lock().unwrap().starts.len();
    assert_eq!(first_wave, 300);
    assert!(
        tracker.lock().unwrap().starts.iter().any(|(_, n)| *n > 5),
        "the first wave ramped up"
    );

    backlog(&q, 300).await;
    let second_start = clock.now();
    clock.sleep(Duration::from_secs(120)).await;
    let t = tracker.lock().unwrap();
    let second: Vec<(Instant, usize)> = t.starts[first_wave..].to_vec();
    assert_eq!(second.len(), 300);
    let t0 = second[0].0;
    assert!(
        t0 - second_start < Duration::from_secs(21),
        "picked up by the next long poll"
    );
    for (when, running) in &second {
        let bound = ramp_bound(*when - t0);
        assert!(
            *running <= bound,
            "second wave: {running} at {:?} over {bound}",
            *when - t0
        );
    }
    assert_eq!(second[0].1, 1);
    assert_eq!(
        second
            .iter()
            .filter(|(when, _)| *when == t0)
            .map(|(_, n)| *n)
            .max(),
        Some(5),
        "five at once again"
    );
}
