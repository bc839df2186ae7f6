//! Consumers: the message stream (long polling, FIFO order) and the worker (delete on success,
//! redrive on failure, visibility extension, bounded concurrency, draining shutdown).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lite_core::Clock as _;
use aws_lite_queue::{Queue, Sqs};
use futures_util::StreamExt as _;

async fn queue(sqs: &Sqs, name: &str, attributes: &[(&str, &str)]) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    if name.ends_with(".fifo") {
        create = create.attributes("FifoQueue", "true");
    }
    for (k, v) in attributes {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

async fn send_n(q: &Queue, n: usize) {
    for i in 0..n {
        q.send_message()
            .message_body(format!("m-{i}"))
            .send()
            .await
            .unwrap();
    }
}

fn in_queue(q: &Queue) -> u64 {
    let m = q.metrics();
    m.approximate_number_of_messages_visible + m.approximate_number_of_messages_not_visible
}

/// A counter shared with handlers.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Counter {
    fn incr(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
    fn decr(&self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
    fn max(&self, v: usize) {
        self.0.fetch_max(v, Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn stream_yields_each_fifo_group_in_order() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "orders.fifo",
        &[("ContentBasedDeduplication", "true")],
    )
    .await;
    for i in 0..25 {
        for group in ["a", "b"] {
            q.send_message()
                .message_body(format!("{group}-{i}"))
                .message_group_id(group)
                .send()
                .await
                .unwrap();
        }
    }
    let mut stream = q.messages();
    let mut seen = std::collections::HashMap::<String, Vec<usize>>::new();
    for _ in 0..50 {
        let m = stream.next().await.unwrap().unwrap();
        let (group, i) = m.body().split_once('-').unwrap();
        seen.entry(group.to_string())
            .or_default()
            .push(i.parse().unwrap());
        q.delete_message()
            .receipt_handle(m.receipt_handle())
            .send()
            .await
            .unwrap();
    }
    let expected: Vec<usize> = (0..25).collect();
    assert_eq!(seen["a"], expected);
    assert_eq!(seen["b"], expected);
    assert_eq!(in_queue(&q), 0);
}

#[tokio::test(start_paused = true)]
async fn stream_long_polls_on_virtual_time() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    let t0 = sqs.clock().now();
    let sender = {
        let q = q.clone();
        let clock = sqs.clock().clone();
        tokio::spawn(async move {
            clock.sleep(Duration::from_secs(45)).await;
            q.send_message().message_body("late").send().await.unwrap();
        })
    };
    let mut stream = q.messages().max_number_of_messages(1);
    let m = stream.recv().await.unwrap().unwrap();
    assert_eq!(m.body(), "late");
    assert_eq!(sqs.clock().now() - t0, Duration::from_secs(45));
    sender.await.unwrap();
    // The polls started at 0 and 20 s came back empty; the one started at 40 s got the message.
    assert_eq!(q.metrics().number_of_empty_receives, 2);
}

#[tokio::test(start_paused = true)]
async fn stream_ends_after_an_error() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    let mut stream = q.messages().max_number_of_messages(11);
    let err = stream.next().await.unwrap().unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert!(stream.next().await.is_none());
}

#[tokio::test(start_paused = true)]
async fn worker_deletes_messages_on_success() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    send_n(&q, 20).await;
    let calls = Counter::default();
    let stats = q
        .worker({
            let calls = calls.clone();
            move |_m| {
                let calls = calls.clone();
                async move {
                    calls.incr();
                    Ok::<(), String>(())
                }
            }
        })
        .concurrency(4)
        .run_until(sqs.clock().sleep(Duration::from_secs(60)))
        .await
        .unwrap();
    assert_eq!(stats.processed, 20);
    assert_eq!(stats.failed, 0);
    assert_eq!(calls.get(), 20);
    assert_eq!(in_queue(&q), 0);
    assert_eq!(q.metrics().number_of_messages_deleted, 20);
}

#[tokio::test(start_paused = true)]
async fn failed_messages_reach_the_dead_letter_queue() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq", &[]).await;
    let policy = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
        dlq.arn()
    );
    let q = queue(&sqs, "q", &[("VisibilityTimeout", "5")]).await;
    q.set_queue_attributes()
        .attributes("RedrivePolicy", policy)
        .send()
        .await
        .unwrap();
    q.send_message()
        .message_body("poison")
        .send()
        .await
        .unwrap();
    let calls = Counter::default();
    let stats = q
        .worker({
            let calls = calls.clone();
            move |_m| {
                let calls = calls.clone();
                async move {
                    calls.incr();
                    Err::<(), _>("cannot handle")
                }
            }
        })
        .concurrency(2)
        .run_until(sqs.clock().sleep(Duration::from_secs(60)))
        .await
        .unwrap();
    assert_eq!(calls.get(), 3, "one run per receive, up to maxReceiveCount");
    assert_eq!(stats.failed, 3);
    assert_eq!(stats.processed, 0);
    assert_eq!(in_queue(&q), 0);
    assert_eq!(dlq.metrics().approximate_number_of_messages_visible, 1);
}

async fn slow_handler_runs(extend: Option<Duration>) -> (usize, aws_lite_queue::WorkerStats) {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[("VisibilityTimeout", "10")]).await;
    q.send_message().message_body("slow").send().await.unwrap();
    let calls = Counter::default();
    let clock = sqs.clock().clone();
    let mut worker = q
        .worker({
            let calls = calls.clone();
            move |_m| {
                let (calls, clock) = (calls.clone(), clock.clone());
                async move {
                    calls.incr();
                    clock.sleep(Duration::from_secs(45)).await;
                    Ok::<(), String>(())
                }
            }
        })
        .concurrency(3);
    if let Some(every) = extend {
        worker = worker.extend_every(every);
    }
    let stats = worker
        .run_until(sqs.clock().sleep(Duration::from_secs(30)))
        .await
        .unwrap();
    (calls.get(), stats)
}

#[tokio::test(start_paused = true)]
async fn visibility_is_extended_while_a_slow_handler_runs() {
    // Default extension (every 5 s for a 10 s timeout): one delivery only.
    let (calls, stats) = slow_handler_runs(None).await;
    assert_eq!(calls, 1);
    assert_eq!(stats.processed, 1);
    assert_eq!(stats.failed, 0);
    // Without extension the message comes back every 10 s to the idle slots.
    let (calls, _) = slow_handler_runs(Some(Duration::ZERO)).await;
    assert_eq!(calls, 3);
}

#[tokio::test(start_paused = true)]
async fn concurrency_bound_is_respected() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    send_n(&q, 30).await;
    let running = Counter::default();
    let peak = Counter::default();
    let clock = sqs.clock().clone();
    let t0 = clock.now();
    let stats = q
        .worker({
            let (running, peak, clock) = (running.clone(), peak.clone(), clock.clone());
            move |_m| {
                let (running, peak, clock) = (running.clone(), peak.clone(), clock.clone());
                async move {
                    peak.max(running.incr());
                    clock.sleep(Duration::from_secs(1)).await;
                    running.decr();
                    Ok::<(), String>(())
                }
            }
        })
        .concurrency(5)
        .run_until({
            let q = q.clone();
            let clock = clock.clone();
            async move {
                while in_queue(&q) > 0 {
                    clock.sleep(Duration::from_millis(100)).await;
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(stats.processed, 30);
    assert_eq!(peak.get(), 5);
    // 30 one-second jobs, 5 at a time.
    let took = clock.now() - t0;
    assert!(
        took >= Duration::from_secs(6) && took <= Duration::from_millis(6_100),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn shutdown_drains_in_flight_handlers() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    send_n(&q, 10).await;
    let started = Counter::default();
    let finished = Counter::default();
    let clock = sqs.clock().clone();
    let t0 = clock.now();
    let stats = q
        .worker({
            let (started, finished, clock) = (started.clone(), finished.clone(), clock.clone());
            move |_m| {
                let (started, finished, clock) = (started.clone(), finished.clone(), clock.clone());
                async move {
                    started.incr();
                    clock.sleep(Duration::from_secs(10)).await;
                    finished.incr();
                    Ok::<(), String>(())
                }
            }
        })
        .concurrency(4)
        .run_until(clock.sleep(Duration::from_secs(1)))
        .await
        .unwrap();
    assert_eq!(started.get(), 4);
    assert_eq!(
        finished.get(),
        4,
        "shutdown waited for the handlers in flight"
    );
    assert_eq!(stats.processed, 4);
    assert_eq!(clock.now() - t0, Duration::from_secs(10));
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 6);
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn release_on_failure_retries_at_once() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[("VisibilityTimeout", "30")]).await;
    q.send_message().message_body("flaky").send().await.unwrap();
    let calls = Counter::default();
    let clock = sqs.clock().clone();
    let t0 = clock.now();
    let stats = q
        .worker({
            let calls = calls.clone();
            move |_m| {
                let calls = calls.clone();
                async move {
                    if calls.incr() == 1 {
                        Err("transient")
                    } else {
                        Ok(())
                    }
                }
            }
        })
        .release_on_failure(true)
        .run_until({
            let q = q.clone();
            let clock = clock.clone();
            async move {
                while in_queue(&q) > 0 {
                    clock.sleep(Duration::from_millis(100)).await;
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(calls.get(), 2);
    assert_eq!((stats.processed, stats.failed), (1, 1));
    assert!(clock.now() - t0 < Duration::from_secs(1), "no 30 s wait");
}

#[tokio::test(start_paused = true)]
async fn worker_stops_with_the_receive_error() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "q", &[]).await;
    let err = q
        .worker(|_m| async { Ok::<(), String>(()) })
        .visibility_timeout(-1)
        .run()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
}
