//! `pubsub/fanout`: one Publish delivered to 1, 10 and 100 SQS queue subscribers.
//!
//! Entries `sqs/N` publish a 100-byte message to a standard topic with N subscribed standard
//! queues (non-raw, so each delivery builds its JSON envelope). aws-lite delivers to healthy
//! queues inside Publish, so the time of a Publish is the time of its N deliveries; the
//! throughput is reported in messages delivered (N per Publish).
//!
//! `iter_custom` times only the publishes; between batches the queues are purged (untimed) on a
//! `ManualClock` moved past PurgeQueue's 60-second interval, so queue depth does not grow
//! across the run. A current-thread runtime drives the futures (nothing in them waits).

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_lite_core::SharedClock;
use aws_lite_core::time::ManualClock;
use aws_lite_pubsub::Sns;
use aws_lite_queue::{Queue, Sqs};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

struct Setup {
    clock: ManualClock,
    sns_topic: aws_lite_pubsub::Topic,
    queues: Vec<Queue>,
}

fn setup(rt: &tokio::runtime::Runtime, subscribers: usize) -> Setup {
    rt.block_on(async {
        let clock = ManualClock::new();
        let sqs = Sqs::builder()
            .clock(SharedClock::new(clock.clone()))
            .build();
        let sns = Sns::builder().sqs(sqs.clone()).build();
        let topic = sns
            .create_topic()
            .name("fanout")
            .send()
            .await
            .unwrap()
            .topic();
        let mut queues = Vec::new();
        for i in 0..subscribers {
            let q = sqs
                .create_queue()
                .queue_name(format!("q{i}"))
                .send()
                .await
                .unwrap()
                .queue();
            topic
                .subscribe()
                .protocol("sqs")
                .endpoint(q.arn())
                .send()
                .await
                .unwrap();
            queues.push(q);
        }
        Setup {
            clock,
            sns_topic: topic,
            queues,
        }
    })
}

#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn fanout(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let body = "x".repeat(100);
    let mut group = c.benchmark_group("pubsub/fanout");
    for n in [1usize, 10, 100] {
        let s = setup(&rt, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("sqs/{n}"), |b| {
            b.iter_custom(|iters| {
                let elapsed = rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        black_box(
                            s.sns_topic
                                .publish()
                                .message(body.as_str())
                                .send()
                                .await
                                .unwrap(),
                        );
                    }
                    start.elapsed()
                });
                rt.block_on(async {
                    s.clock.advance(Duration::from_secs(61));
                    for q in &s.queues {
                        q.purge_queue().send().await.unwrap();
                    }
                });
                elapsed
            });
        });
        let delivered = s.sns_topic.metrics().number_of_notifications_delivered;
        assert!(delivered > 0);
    }
    group.finish();
}

criterion_group!(benches, fanout);
criterion_main!(benches);
