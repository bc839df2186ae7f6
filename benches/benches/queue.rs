//! Benches of `aws-lite-queue` beside the channels a user would otherwise reach for.
//!
//! - `queue/cycle`: messages per second through send → receive → delete of 100-byte bodies on a
//!   standard queue, with batches of 1 and 10 (SendMessage / ReceiveMessage with
//!   `MaxNumberOfMessages` 1 / DeleteMessage, and SendMessageBatch / `MaxNumberOfMessages` 10 /
//!   DeleteMessageBatch), for 1 producer and 1 consumer (`1p1c`) and for 4 producers and 4
//!   consumers (`4p4c`). Beside it, the same 100-byte `String`s moved through a bounded (1,024)
//!   tokio mpsc, flume and crossbeam-channel, in the same pattern.
//! - `queue/fifo`: 4 consumers drain a FIFO queue holding 10,000 messages in 1,000 message groups,
//!   receiving up to 10 at a time and deleting each batch with DeleteMessageBatch; beside it, the
//!   same drain of a standard queue, so the price of FIFO ordering shows.
//! - `queue/long_poll_wake`: the latency from a send to a receiver already parked in a 20-second
//!   long poll, on real time, beside a tokio mpsc receiver parked in `recv().await`.
//!
//! The memory held per queued message is the `queue_memory` bench (a counting allocator).
//!
//! # Runtimes
//!
//! Every async entry runs its producer and consumer tasks on one multi-thread tokio runtime with
//! 2 workers (the bench machine has 2 cores), for 1p1c as for 4p4c. A current-thread runtime was
//! rejected for 1p1c: aws-lite's operations complete without awaiting (the queue is in memory), so
//! there the producer would send all its messages before the consumer ran at all: a fill-then-drain
//! rather than a pipeline, unlike the bounded channels, which hand over every 1,024 messages.
//! crossbeam-channel blocks threads, so its entries (and `flume (threads)`, the same channel used
//! through its blocking API) run on OS threads, one per producer and consumer; on 2 cores, 4p4c
//! means 8 threads taking turns.
//!
//! tokio's mpsc has a single receiver: for 4 consumers they share it behind a
//! `tokio::sync::Mutex`, taken for each message, the usual way to share it (for 1 consumer the
//! lock is taken once per run, so 1p1c is plain mpsc).
//!
//! # Measuring
//!
//! Criterion's `iter_custom` times each iteration end to end: the tasks are spawned, move
//! 10,000 messages (each consumer takes exactly its share, so the queue is empty when an iteration
//! ends; this is checked), and the time runs until the last consumer is done. The aws-lite queue
//! is created once per entry and reused by every iteration. aws-lite consumers long-poll
//! (`WaitTimeSeconds` 20), as an SQS consumer should, so an empty queue parks them instead of
//! spinning.
//!
//! `queue/fifo` fills the queue before each iteration (untimed, SendMessageBatch, an explicit
//! deduplication id per message) and times the drain alone. Its service runs on a `ManualClock`
//! moved past the 5-minute deduplication window between iterations, so the window's table holds
//! one iteration's ids rather than growing with the run.
//!
//! `queue/long_poll_wake` times one round trip per round and sums them: a receiver is spawned
//! and left to park, then a send is made and the time runs until the woken receiver has the
//! message (the send's own cost included, for both implementations). `same thread`: a
//! current-thread runtime; the sender yields once so the receiver runs to its park first.
//! `cross thread`: the receiver parks on a worker of the 2-worker runtime and the bench thread
//! sends 100 µs after the receiver started (ample to park), so the time includes waking an idle
//! worker thread, which the operating system's scheduler dominates on a busy machine.
//!
//! Run with `cargo bench -p aws-lite-benches --bench queue`.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use aws_lite_core::SharedClock;
use aws_lite_core::time::ManualClock;
use aws_lite_queue::operation::delete_message_batch::DeleteMessageBatchRequestEntry;
use aws_lite_queue::operation::receive_message::Message;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{Queue, Sqs};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use tokio::sync::mpsc;

/// Bytes in every message body.
const BODY_LEN: usize = 100;
/// Messages moved per iteration of `queue/cycle`.
const CYCLE_MESSAGES: usize = 10_000;
/// Capacity of the bounded channels.
const CAPACITY: usize = 1024;
/// Messages in the FIFO queue at the start of each `queue/fifo` iteration.
const FIFO_MESSAGES: usize = 10_000;
/// Message groups in `queue/fifo`.
const FIFO_GROUPS: usize = 1_000;
/// Consumers in `queue/fifo`.
const FIFO_CONSUMERS: usize = 4;
/// SQS's largest batch.
const MAX_BATCH: usize = 10;

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

/// A 100-byte body.
fn body() -> String {
    "m".repeat(BODY_LEN)
}

/// The multi-thread runtime every async entry runs on: 2 workers, real time.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a multi-thread runtime")
}

/// The share of `n` messages of worker `i` of `workers`.
fn share(n: usize, workers: usize, i: usize) -> usize {
    n / workers + usize::from(i < n % workers)
}

/// Polls a future that must complete without waiting (an in-memory send), outside any task.
fn ready<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("an in-memory send waited"),
    }
}

// ---------------------------------------------------------------------------------------------
// Adapters.

/// What `queue/cycle` needs of an implementation driven by tokio tasks: a cheap handle whose
/// clones produce and consume concurrently.
trait AsyncRival: Clone + Send + Sync + 'static {
    /// Sends `n` copies of `body`.
    fn produce(&self, body: &str, n: usize) -> impl Future<Output = ()> + Send;
    /// Takes exactly `n` messages out (and, for the queue, deletes them).
    fn consume(&self, n: usize) -> impl Future<Output = ()> + Send;
}

/// What `queue/cycle` needs of an implementation driven by blocking threads.
trait SyncRival: Clone + Send + Sync + 'static {
    /// Sends `n` copies of `body`.
    fn produce(&self, body: &str, n: usize);
    /// Takes exactly `n` messages out.
    fn consume(&self, n: usize);
}

/// An aws-lite standard queue, used with batches of `batch` messages (1 or 10).
#[derive(Clone)]
struct AwsLite {
    queue: Queue,
    batch: usize,
}

impl AwsLite {
    /// A new standard queue named `name` on a new service, made inside `rt` (the service's
    /// `TokioClock` follows that runtime's clock).
    fn new(rt: &Runtime, name: &str, batch: usize) -> AwsLite {
        let queue = rt.block_on(async {
            Sqs::new()
                .create_queue()
                .queue_name(name)
                .send()
                .await
                .expect("CreateQueue")
                .queue()
        });
        AwsLite { queue, batch }
    }

    fn assert_empty(&self) {
        let m = self.queue.metrics();
        assert_eq!(
            (
                m.approximate_number_of_messages_visible,
                m.approximate_number_of_messages_not_visible,
            ),
            (0, 0),
            "the queue is empty after an iteration"
        );
    }
}

/// Deletes received messages: one DeleteMessage each, or DeleteMessageBatch.
async fn delete_all(queue: &Queue, batch: usize, messages: &[Message]) {
    if batch == 1 {
        for m in messages {
            queue
                .delete_message()
                .receipt_handle(m.receipt_handle())
                .send()
                .await
                .expect("DeleteMessage");
        }
    } else {
        let entries = messages
            .iter()
            .enumerate()
            .map(|(i, m)| DeleteMessageBatchRequestEntry::new(BATCH_IDS[i], m.receipt_handle()))
            .collect();
        let out = queue
            .delete_message_batch()
            .set_entries(Some(entries))
            .send()
            .await
            .expect("DeleteMessageBatch");
        assert!(out.failed().is_empty(), "DeleteMessageBatch failed entries");
    }
}

/// Batch entry ids.
const BATCH_IDS: [&str; MAX_BATCH] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

impl AsyncRival for AwsLite {
    async fn produce(&self, body: &str, n: usize) {
        if self.batch == 1 {
            for _ in 0..n {
                self.queue
                    .send_message()
                    .message_body(body)
                    .send()
                    .await
                    .expect("SendMessage");
            }
        } else {
            let mut left = n;
            while left > 0 {
                let k = left.min(self.batch);
                let entries = BATCH_IDS[..k]
                    .iter()
                    .map(|id| SendMessageBatchRequestEntry::new(*id, body))
                    .collect();
                let out = self
                    .queue
                    .send_message_batch()
                    .set_entries(Some(entries))
                    .send()
                    .await
                    .expect("SendMessageBatch");
                assert!(out.failed().is_empty(), "SendMessageBatch failed entries");
                left -= k;
            }
        }
    }

    async fn consume(&self, n: usize) {
        let mut left = n;
        while left > 0 {
            let got = self
                .queue
                .receive_message()
                .max_number_of_messages(left.min(self.batch) as i32)
                .wait_time_seconds(20)
                .send()
                .await
                .expect("ReceiveMessage")
                .into_messages();
            for m in &got {
                black_box(m.body());
            }
            delete_all(&self.queue, self.batch, &got).await;
            left -= got.len();
        }
    }
}

/// A bounded tokio mpsc; consumers share the receiver behind a mutex.
#[derive(Clone)]
struct TokioMpsc {
    tx: mpsc::Sender<String>,
    rx: Arc<tokio::sync::Mutex<mpsc::Receiver<String>>>,
    consumers: usize,
}

impl TokioMpsc {
    fn new(consumers: usize) -> TokioMpsc {
        let (tx, rx) = mpsc::channel(CAPACITY);
        TokioMpsc {
            tx,
            rx: Arc::new(tokio::sync::Mutex::new(rx)),
            consumers,
        }
    }
}

impl AsyncRival for TokioMpsc {
    async fn produce(&self, body: &str, n: usize) {
        for _ in 0..n {
            self.tx.send(body.to_owned()).await.expect("send");
        }
    }

    async fn consume(&self, n: usize) {
        if self.consumers == 1 {
            let mut rx = self.rx.lock().await;
            for _ in 0..n {
                black_box(rx.recv().await.expect("recv"));
            }
        } else {
            for _ in 0..n {
                let got = self.rx.lock().await.recv().await;
                black_box(got.expect("recv"));
            }
        }
    }
}

/// A bounded flume channel (used through its async API here, its blocking one in
/// [`SyncRival`]).
#[derive(Clone)]
struct Flume {
    tx: flume::Sender<String>,
    rx: flume::Receiver<String>,
}

impl Flume {
    fn new() -> Flume {
        let (tx, rx) = flume::bounded(CAPACITY);
        Flume { tx, rx }
    }
}

impl AsyncRival for Flume {
    async fn produce(&self, body: &str, n: usize) {
        for _ in 0..n {
            self.tx.send_async(body.to_owned()).await.expect("send");
        }
    }

    async fn consume(&self, n: usize) {
        for _ in 0..n {
            black_box(self.rx.recv_async().await.expect("recv"));
        }
    }
}

impl SyncRival for Flume {
    fn produce(&self, body: &str, n: usize) {
        for _ in 0..n {
            self.tx.send(body.to_owned()).expect("send");
        }
    }

    fn consume(&self, n: usize) {
        for _ in 0..n {
            black_box(self.rx.recv().expect("recv"));
        }
    }
}

/// A bounded crossbeam channel.
#[derive(Clone)]
struct Crossbeam {
    tx: crossbeam_channel::Sender<String>,
    rx: crossbeam_channel::Receiver<String>,
}

impl Crossbeam {
    fn new() -> Crossbeam {
        let (tx, rx) = crossbeam_channel::bounded(CAPACITY);
        Crossbeam { tx, rx }
    }
}

impl SyncRival for Crossbeam {
    fn produce(&self, body: &str, n: usize) {
        for _ in 0..n {
            self.tx.send(body.to_owned()).expect("send");
        }
    }

    fn consume(&self, n: usize) {
        for _ in 0..n {
            black_box(self.rx.recv().expect("recv"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Drivers.

/// Moves `n` messages from `producers` tasks to `consumers` tasks on `rt`: the time from the first
/// spawn until the last consumer has its share.
fn run_async<R: AsyncRival>(
    rt: &Runtime,
    rival: &R,
    producers: usize,
    consumers: usize,
    n: usize,
) -> Duration {
    rt.block_on(async {
        let start = now();
        let mut tasks = Vec::with_capacity(producers + consumers);
        for i in 0..consumers {
            let r = rival.clone();
            let k = share(n, consumers, i);
            tasks.push(tokio::spawn(async move { r.consume(k).await }));
        }
        for i in 0..producers {
            let r = rival.clone();
            let k = share(n, producers, i);
            tasks.push(tokio::spawn(async move { r.produce(&body(), k).await }));
        }
        for t in tasks {
            t.await.expect("a bench task");
        }
        now() - start
    })
}

/// Moves `n` messages from `producers` threads to `consumers` threads: the time from the moment
/// all threads are released until the last consumer has its share (thread start-up excluded).
fn run_threads<R: SyncRival>(rival: &R, producers: usize, consumers: usize, n: usize) -> Duration {
    let barrier = Barrier::new(producers + consumers + 1);
    std::thread::scope(|s| {
        let mut ends = Vec::with_capacity(consumers);
        for i in 0..consumers {
            let (r, barrier) = (rival.clone(), &barrier);
            ends.push(s.spawn(move || {
                barrier.wait();
                r.consume(share(n, consumers, i));
                now()
            }));
        }
        for i in 0..producers {
            let (r, barrier) = (rival.clone(), &barrier);
            s.spawn(move || {
                let body = body();
                barrier.wait();
                r.produce(&body, share(n, producers, i));
            });
        }
        barrier.wait();
        let start = now();
        let end = ends
            .into_iter()
            .map(|h| h.join().expect("a consumer thread"))
            .max()
            .expect("at least one consumer");
        end - start
    })
}

// ---------------------------------------------------------------------------------------------
// Groups.

fn cycle(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/cycle");
    group.throughput(Throughput::Elements(CYCLE_MESSAGES as u64));
    group.sample_size(20);
    let rt = runtime();

    for (p, k) in [(1, 1), (4, 4)] {
        let pattern = format!("{p}p{k}c");
        for batch in [1, MAX_BATCH] {
            let name = format!("aws-lite batch {batch}");
            let q = AwsLite::new(&rt, &format!("cycle-{batch}-{pattern}"), batch);
            group.bench_function(BenchmarkId::new(name, &pattern), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        total += run_async(&rt, &q, p, k, CYCLE_MESSAGES);
                        q.assert_empty();
                    }
                    total
                })
            });
        }

        let mpsc = TokioMpsc::new(k);
        group.bench_function(BenchmarkId::new("tokio mpsc", &pattern), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run_async(&rt, &mpsc, p, k, CYCLE_MESSAGES))
                    .sum()
            })
        });

        let flume = Flume::new();
        group.bench_function(BenchmarkId::new("flume", &pattern), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run_async(&rt, &flume, p, k, CYCLE_MESSAGES))
                    .sum()
            })
        });

        group.bench_function(BenchmarkId::new("flume (threads)", &pattern), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run_threads(&flume, p, k, CYCLE_MESSAGES))
                    .sum()
            })
        });

        let crossbeam = Crossbeam::new();
        group.bench_function(BenchmarkId::new("crossbeam (threads)", &pattern), |b| {
            b.iter_custom(|iters| {
                (0..iters)
                    .map(|_| run_threads(&crossbeam, p, k, CYCLE_MESSAGES))
                    .sum()
            })
        });
    }
    group.finish();
}

/// Fills `queue` with `n` messages: message `i` in group `i % groups` on a FIFO queue (with an id
/// unique across the whole run as its deduplication id), plain on a standard queue.
async fn fill(queue: &Queue, n: usize, groups: usize, next_id: &mut u64) {
    let body = body();
    let mut i = 0;
    while i < n {
        let k = (n - i).min(MAX_BATCH);
        let entries = (0..k)
            .map(|j| {
                let entry = SendMessageBatchRequestEntry::new(BATCH_IDS[j], body.as_str());
                if queue.is_fifo() {
                    *next_id += 1;
                    entry
                        .message_group_id(format!("g{}", (i + j) % groups))
                        .message_deduplication_id(next_id.to_string())
                } else {
                    entry
                }
            })
            .collect();
        let out = queue
            .send_message_batch()
            .set_entries(Some(entries))
            .send()
            .await
            .expect("SendMessageBatch");
        assert!(out.failed().is_empty(), "SendMessageBatch failed entries");
        i += k;
    }
}

/// `consumers` tasks take `n` messages out of `queue`, up to 10 a receive (no waiting: the queue
/// is full), deleting each batch with DeleteMessageBatch.
fn drain(rt: &Runtime, queue: &Queue, consumers: usize, n: usize) -> Duration {
    rt.block_on(async {
        let left = Arc::new(AtomicUsize::new(n));
        let start = now();
        let tasks: Vec<_> = (0..consumers)
            .map(|_| {
                let (queue, left) = (queue.clone(), left.clone());
                tokio::spawn(async move {
                    while left.load(Ordering::Acquire) > 0 {
                        let got = queue
                            .receive_message()
                            .max_number_of_messages(MAX_BATCH as i32)
                            .send()
                            .await
                            .expect("ReceiveMessage")
                            .into_messages();
                        if got.is_empty() {
                            // Every remaining group is in flight with another consumer.
                            tokio::task::yield_now().await;
                            continue;
                        }
                        delete_all(&queue, MAX_BATCH, &got).await;
                        left.fetch_sub(got.len(), Ordering::AcqRel);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("a consumer task");
        }
        now() - start
    })
}

fn fifo(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/fifo");
    group.throughput(Throughput::Elements(FIFO_MESSAGES as u64));
    group.sample_size(20);
    let rt = runtime();

    for (name, fifo) in [
        ("aws-lite fifo, 1000 groups", true),
        ("aws-lite standard", false),
    ] {
        // A manual clock: no visibility timeout can expire mid-iteration, and moving it past the
        // 5-minute deduplication window between iterations keeps the window's table at one
        // iteration's ids instead of growing with the run.
        let clock = ManualClock::new();
        let sqs = Sqs::builder()
            .clock(SharedClock::new(clock.clone()))
            .build();
        let queue = rt.block_on(async {
            let create = sqs.create_queue();
            let create = if fifo {
                create
                    .queue_name("drain.fifo")
                    .attributes("FifoQueue", "true")
            } else {
                create.queue_name("drain")
            };
            create.send().await.expect("CreateQueue").queue()
        });
        let mut next_id = 0u64;
        group.bench_function(
            BenchmarkId::new(name, format!("{FIFO_CONSUMERS} consumers, batch 10")),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        rt.block_on(fill(&queue, FIFO_MESSAGES, FIFO_GROUPS, &mut next_id));
                        total += drain(&rt, &queue, FIFO_CONSUMERS, FIFO_MESSAGES);
                        let m = queue.metrics();
                        assert_eq!(
                            m.approximate_number_of_messages_visible
                                + m.approximate_number_of_messages_not_visible,
                            0,
                            "the queue is empty after an iteration"
                        );
                        clock.advance(Duration::from_secs(301));
                    }
                    total
                })
            },
        );
    }
    group.finish();
}

/// One implementation in `queue/long_poll_wake`: a receiver that parks until a message comes.
trait Waiter: Sized + Send + 'static {
    /// What sends to this receiver.
    type Sender: WakeSender;
    /// A sender to this receiver.
    fn sender(&self) -> Self::Sender;
    /// Waits for one message (a parked long poll / `recv().await`), returning the real time at
    /// which it got it, and itself for the next round.
    fn wait(self) -> impl Future<Output = (Instant, Self)> + Send;
    /// Untimed clean-up after a round.
    fn after(&self) -> impl Future<Output = ()> + Send;
}

/// The sending side of a [`Waiter`].
trait WakeSender: Send + 'static {
    /// Sends one message; completes without waiting.
    fn send(&self, body: &str) -> impl Future<Output = ()> + Send;
}

/// A long-polling aws-lite receiver.
struct LongPoll {
    queue: Queue,
    /// Receipt of the message last received, deleted in [`Waiter::after`].
    handle: Option<String>,
}

impl Waiter for LongPoll {
    type Sender = Queue;

    fn sender(&self) -> Queue {
        self.queue.clone()
    }

    async fn wait(mut self) -> (Instant, LongPoll) {
        let got = self
            .queue
            .receive_message()
            .wait_time_seconds(20)
            .send()
            .await
            .expect("ReceiveMessage");
        let at = now();
        let m = got
            .messages()
            .first()
            .expect("a long poll returns the message");
        self.handle = Some(m.receipt_handle().to_owned());
        (at, self)
    }

    async fn after(&self) {
        if let Some(h) = &self.handle {
            self.queue
                .delete_message()
                .receipt_handle(h)
                .send()
                .await
                .expect("DeleteMessage");
        }
    }
}

impl WakeSender for Queue {
    async fn send(&self, body: &str) {
        self.send_message()
            .message_body(body)
            .send()
            .await
            .expect("SendMessage");
    }
}

/// A tokio mpsc receiver parked in `recv().await`.
struct MpscWait {
    tx: mpsc::Sender<String>,
    rx: mpsc::Receiver<String>,
}

impl Waiter for MpscWait {
    type Sender = mpsc::Sender<String>;

    fn sender(&self) -> mpsc::Sender<String> {
        self.tx.clone()
    }

    async fn wait(mut self) -> (Instant, MpscWait) {
        let got = self.rx.recv().await.expect("recv");
        let at = now();
        black_box(got);
        (at, self)
    }

    async fn after(&self) {}
}

impl WakeSender for mpsc::Sender<String> {
    async fn send(&self, body: &str) {
        mpsc::Sender::send(self, body.to_owned())
            .await
            .expect("send");
    }
}

/// Same-thread wake: on a current-thread runtime the receiver task runs until it parks, then the
/// sender sends; the time runs from the send until the woken receiver has the message.
fn wake_same_thread<W: Waiter>(rt: &Runtime, waiter: W, iters: u64) -> (Duration, W) {
    rt.block_on(async move {
        let body = body();
        let mut waiter = waiter;
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let sender = waiter.sender();
            let polled = Arc::new(AtomicBool::new(false));
            let flag = polled.clone();
            let task = tokio::spawn(async move {
                flag.store(true, Ordering::Release);
                waiter.wait().await
            });
            // Hand the thread to the receiver: it runs to its park before this task resumes.
            tokio::task::yield_now().await;
            assert!(polled.load(Ordering::Acquire), "the receiver ran first");
            let t0 = now();
            sender.send(&body).await;
            let (t1, w) = task.await.expect("the receiver task");
            total += t1 - t0;
            w.after().await;
            waiter = w;
        }
        (total, waiter)
    })
}

/// Cross-thread wake: the receiver parks on a worker of the multi-thread runtime; the bench
/// thread sends once the receiver has had time to park; the time runs from the send until the
/// woken receiver, on its worker, has the message.
fn wake_cross_thread<W: Waiter>(rt: &Runtime, waiter: W, iters: u64) -> (Duration, W) {
    let body = body();
    let mut waiter = waiter;
    let mut total = Duration::ZERO;
    let _enter = rt.enter();
    for _ in 0..iters {
        let sender = waiter.sender();
        let polled = Arc::new(AtomicBool::new(false));
        let flag = polled.clone();
        let task = rt.spawn(async move {
            flag.store(true, Ordering::Release);
            waiter.wait().await
        });
        while !polled.load(Ordering::Acquire) {
            std::hint::spin_loop();
        }
        // From the flag to the park is a few microseconds of work; leave it ample time.
        let parked_by = now() + Duration::from_micros(100);
        while now() < parked_by {
            std::hint::spin_loop();
        }
        let t0 = now();
        ready(sender.send(&body));
        let (t1, w) = rt.block_on(task).expect("the receiver task");
        total += t1 - t0;
        rt.block_on(w.after());
        waiter = w;
    }
    (total, waiter)
}

fn long_poll_wake(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/long_poll_wake");
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let multi = runtime();

    for (label, rt) in [("same thread", &current), ("cross thread", &multi)] {
        let queue = AwsLite::new(rt, &format!("wake-{}", label.replace(' ', "-")), 1).queue;
        let mut lp = Some(LongPoll {
            queue,
            handle: None,
        });
        group.bench_function(BenchmarkId::new("aws-lite long poll", label), |b| {
            b.iter_custom(|iters| {
                let w = lp.take().expect("the waiter");
                let (d, w) = if label == "same thread" {
                    wake_same_thread(rt, w, iters)
                } else {
                    wake_cross_thread(rt, w, iters)
                };
                lp = Some(w);
                d
            })
        });

        let (tx, rx) = mpsc::channel(CAPACITY);
        let mut mw = Some(MpscWait { tx, rx });
        group.bench_function(BenchmarkId::new("tokio mpsc recv", label), |b| {
            b.iter_custom(|iters| {
                let w = mw.take().expect("the waiter");
                let (d, w) = if label == "same thread" {
                    wake_same_thread(rt, w, iters)
                } else {
                    wake_cross_thread(rt, w, iters)
                };
                mw = Some(w);
                d
            })
        });
    }
    group.finish();
}

criterion_group!(benches, cycle, fifo, long_poll_wake);
criterion_main!(benches);
