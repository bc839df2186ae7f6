//! Consumers: a [`Stream`] of messages and a [`Worker`] that runs a handler per message.
//!
//! Both are thin loops over the SQS operations — ReceiveMessage with long polling,
//! DeleteMessage, ChangeMessageVisibility — so they reproduce exactly what a hand-written SQS
//! consumer sees: at-least-once delivery, visibility timeouts, FIFO group order and dead-letter
//! redrive. Every wait is on the service's clock, so with paused time a consumer that idles for
//! an hour costs no real time.
//!
//! # The stream
//!
//! [`Queue::messages`] long-polls (20 seconds by default) and yields the messages one at a
//! time. It does **not** delete them: delete each once it is handled, or it comes back when its
//! visibility timeout ends (and reaches the dead-letter queue after `maxReceiveCount`
//! receives). Messages are received in batches (10 by default); the visibility timeout of a
//! buffered message runs while it waits in the buffer, so for slow processing choose a smaller
//! batch or a longer timeout. On a FIFO queue the stream yields each group's messages in order;
//! a group's next batch comes only once the previous one has been deleted (or its visibility
//! timeout has ended), as SQS guarantees.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use aws_lite_queue::Sqs;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs = Sqs::new();
//! let queue = sqs.create_queue().queue_name("jobs").send().await?.queue();
//! queue.send_message().message_body("one").send().await?;
//! queue.send_message().message_body("two").send().await?;
//!
//! let mut messages = queue.messages().max_number_of_messages(1);
//! let mut bodies = Vec::new();
//! while let Some(message) = messages.next().await {
//!     let message = message?;
//!     bodies.push(message.body().to_string());
//!     queue.delete_message().receipt_handle(message.receipt_handle()).send().await?;
//!     if bodies.len() == 2 {
//!         break;
//!     }
//! }
//! assert_eq!(bodies.len(), 2);
//! # Ok(()) }
//! ```
//!
//! # The worker
//!
//! [`Queue::worker`] receives messages and runs an async handler on each, at most
//! [`concurrency`](Worker::concurrency) at a time (each on its own tokio task):
//!
//! - a handler returning `Ok` deletes the message;
//! - a handler returning `Err` (or panicking) leaves it: the message comes back when its
//!   visibility timeout ends, and the queue's redrive policy moves it to the dead-letter queue
//!   after `maxReceiveCount` receives. With [`release_on_failure`](Worker::release_on_failure)
//!   the worker instead makes it visible at once (ChangeMessageVisibility to 0);
//! - while a handler runs, the worker extends the message's visibility (ChangeMessageVisibility)
//!   every [`extend_every`](Worker::extend_every) — by default every half visibility timeout —
//!   so a slow handler is not raced by a second delivery. SQS caps a message's visibility at 12
//!   hours from its receive; past that, extending fails and the message may be delivered again;
//! - [`run_until`](Worker::run_until) stops receiving when its shutdown future completes, waits
//!   for the handlers in flight (draining), and returns [`WorkerStats`].
//!
//! The worker needs a tokio runtime (it spawns the handlers).
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::Clock as _;
//! use aws_lite_queue::Sqs;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs = Sqs::new();
//! let queue = sqs.create_queue().queue_name("emails").send().await?.queue();
//! for i in 0..5 {
//!     queue.send_message().message_body(format!("email {i}")).send().await?;
//! }
//!
//! let stats = queue
//!     .worker(|message| async move {
//!         if message.body().is_empty() {
//!             return Err("empty email");
//!         }
//!         Ok(()) // deletes the message
//!     })
//!     .concurrency(4)
//!     .run_until(sqs.clock().sleep(Duration::from_secs(60)))
//!     .await?;
//! assert_eq!(stats.processed, 5);
//! assert_eq!(queue.metrics().approximate_number_of_messages_visible, 0);
//! # Ok(()) }
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};
use std::time::Duration;

use aws_lite_core::{Clock, Error};
use futures_core::Stream;
use tokio::task::{JoinError, JoinSet};

use crate::operation::receive_message::{Message, ReceiveMessageOutput};
use crate::queue::Queue;

/// A pending ReceiveMessage.
type Receive = Pin<Box<dyn Future<Output = Result<ReceiveMessageOutput, Error>> + Send>>;

/// Default long-poll wait of consumers, in seconds (the SQS maximum).
const DEFAULT_WAIT_SECONDS: i32 = 20;
/// Most messages one ReceiveMessage returns.
const MAX_BATCH: usize = 10;

fn receive(queue: &Queue, max: i32, wait: i32, visibility: Option<i32>) -> Receive {
    let mut request = queue
        .receive_message()
        .max_number_of_messages(max)
        .wait_time_seconds(wait);
    if let Some(v) = visibility {
        request = request.visibility_timeout(v);
    }
    Box::pin(request.send())
}

/// The messages of a queue as a [`Stream`]: long-polls and yields them one at a time. Made by
/// [`Queue::messages`]; see the [module docs](self).
///
/// The stream never ends while the queue exists and receives succeed. After an error (the queue
/// was deleted, a parameter is out of range) it yields that error once and then ends.
#[must_use = "streams do nothing unless polled"]
pub struct MessageStream {
    queue: Queue,
    wait_time_seconds: i32,
    max_number_of_messages: i32,
    visibility_timeout: Option<i32>,
    buffer: VecDeque<Message>,
    pending: Option<Receive>,
    done: bool,
}

impl fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageStream")
            .field("queue", &self.queue)
            .field("wait_time_seconds", &self.wait_time_seconds)
            .field("max_number_of_messages", &self.max_number_of_messages)
            .field("visibility_timeout", &self.visibility_timeout)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish()
    }
}

impl MessageStream {
    /// Long-poll wait of each receive, in seconds (default 20). A stream always long-polls:
    /// values below 1 count as 1, so an empty queue is never polled in a busy loop.
    pub fn wait_time_seconds(mut self, seconds: i32) -> Self {
        self.wait_time_seconds = seconds.max(1);
        self
    }

    /// Messages per receive (1–10, default 10).
    pub fn max_number_of_messages(mut self, n: i32) -> Self {
        self.max_number_of_messages = n;
        self
    }

    /// Visibility timeout of the received messages, in seconds (default: the queue's).
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.visibility_timeout = Some(seconds);
        self
    }

    /// The queue this stream reads.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// The next message: what [`StreamExt::next`](https://docs.rs/futures/latest/futures/stream/trait.StreamExt.html#method.next)
    /// returns, without the extension trait.
    pub async fn recv(&mut self) -> Option<Result<Message, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for MessageStream {
    type Item = Result<Message, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(message) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(message)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let pending = match &mut this.pending {
                Some(p) => p,
                None => this.pending.insert(receive(
                    &this.queue,
                    this.max_number_of_messages,
                    this.wait_time_seconds,
                    this.visibility_timeout,
                )),
            };
            let result = match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(r) => r,
            };
            this.pending = None;
            match result {
                // An empty long poll starts the next one.
                Ok(out) => this.buffer.extend(out.into_messages()),
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.buffer.len(), None)
    }
}

impl Queue {
    /// The queue's messages as a [`Stream`] that long-polls and yields them one at a time; see
    /// [`consumer`](crate::consumer). Messages are not deleted: delete each once handled.
    pub fn messages(&self) -> MessageStream {
        MessageStream {
            queue: self.clone(),
            wait_time_seconds: DEFAULT_WAIT_SECONDS,
            max_number_of_messages: MAX_BATCH as i32,
            visibility_timeout: None,
            buffer: VecDeque::new(),
            pending: None,
            done: false,
        }
    }

    /// A worker that runs `handler` on each message of the queue: deletes the message when the
    /// handler returns `Ok`, leaves it to the visibility timeout and the redrive policy when it
    /// returns `Err`, and extends its visibility while the handler runs. See
    /// [`consumer`](crate::consumer); start it with [`Worker::run_until`].
    pub fn worker<F, Fut, E>(&self, handler: F) -> Worker<F>
    where
        F: Fn(Message) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        Worker {
            queue: self.clone(),
            handler,
            concurrency: 1,
            visibility_timeout: None,
            extend_every: None,
            wait_time_seconds: DEFAULT_WAIT_SECONDS,
            release_on_failure: false,
        }
    }
}

/// What a [`Worker`] did, returned when it stops.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Messages whose handler returned `Ok` and that were deleted.
    pub processed: u64,
    /// Handler runs that returned `Err` or panicked (each receive of a failing message counts),
    /// and successful runs whose delete failed (e.g. an expired FIFO receipt handle).
    pub failed: u64,
}

/// Runs a handler on each message of a queue with bounded concurrency. Made by
/// [`Queue::worker`]; see the [module docs](self).
#[must_use = "a worker does nothing until `.run_until(…)` is awaited"]
pub struct Worker<F> {
    queue: Queue,
    handler: F,
    concurrency: usize,
    visibility_timeout: Option<i32>,
    extend_every: Option<Duration>,
    wait_time_seconds: i32,
    release_on_failure: bool,
}

impl<F> fmt::Debug for Worker<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("queue", &self.queue)
            .field("concurrency", &self.concurrency)
            .field("visibility_timeout", &self.visibility_timeout)
            .field("extend_every", &self.extend_every)
            .field("wait_time_seconds", &self.wait_time_seconds)
            .field("release_on_failure", &self.release_on_failure)
            .finish_non_exhaustive()
    }
}

/// How one handler run ended.
enum Outcome {
    Processed,
    Failed,
}

impl<F> Worker<F> {
    /// Handlers running at once at most (default 1; 0 counts as 1). The worker never holds more
    /// messages in flight than this.
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Visibility timeout of the received messages, in seconds (default: the queue's
    /// `VisibilityTimeout`); extensions renew it to this value.
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.visibility_timeout = Some(seconds);
        self
    }

    /// How often to extend the visibility of a message whose handler is still running (default:
    /// half the visibility timeout). Choose less than the visibility timeout; `Duration::ZERO`
    /// turns extension off.
    pub fn extend_every(mut self, every: Duration) -> Self {
        self.extend_every = Some(every);
        self
    }

    /// Long-poll wait of each receive, in seconds (default 20; values below 1 count as 1).
    pub fn wait_time_seconds(mut self, seconds: i32) -> Self {
        self.wait_time_seconds = seconds.max(1);
        self
    }

    /// Whether a failed message is made visible again at once (ChangeMessageVisibility to 0)
    /// rather than when its visibility timeout ends (default `false`, as Lambda's SQS event
    /// source does).
    pub fn release_on_failure(mut self, release: bool) -> Self {
        self.release_on_failure = release;
        self
    }

    /// Runs until `shutdown` completes, then stops receiving, waits for the handlers in flight
    /// and returns what it did.
    ///
    /// # Errors
    ///
    /// The first ReceiveMessage error (the queue was deleted, a parameter is out of range),
    /// after the handlers in flight have finished.
    pub async fn run_until<S, Fut, E>(self, shutdown: S) -> Result<WorkerStats, Error>
    where
        F: Fn(Message) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
        S: Future<Output = ()>,
    {
        let visibility = match self.visibility_timeout {
            Some(v) => v,
            None => {
                let seconds = self.queue.shared.state.lock().config.visibility_timeout;
                i32::try_from(seconds).unwrap_or(i32::MAX)
            }
        };
        let every = self
            .extend_every
            .unwrap_or_else(|| Duration::from_secs(u64::try_from(visibility).unwrap_or(0)) / 2);
        let mut stats = WorkerStats::default();
        let mut handlers: JoinSet<Outcome> = JoinSet::new();
        let mut shutdown = pin!(shutdown);
        let mut receiving: Option<(Receive, usize)> = None;
        let mut error = None;
        loop {
            let capacity = self
                .concurrency
                .saturating_sub(handlers.len())
                .min(MAX_BATCH);
            // (Re)start the receive for the current capacity; an unfinished long poll is
            // cancel-safe (messages are taken only when it returns).
            if capacity == 0 {
                receiving = None;
            } else if receiving.as_ref().is_none_or(|(_, n)| *n != capacity) {
                let r = receive(
                    &self.queue,
                    capacity as i32,
                    self.wait_time_seconds,
                    self.visibility_timeout,
                );
                receiving = Some((r, capacity));
            }
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                Some(joined) = handlers.join_next() => stats.record(joined),
                result = next_receive(&mut receiving) => {
                    receiving = None;
                    match result {
                        Ok(out) => {
                            for message in out.into_messages() {
                                let handle = message.receipt_handle().to_string();
                                let work = (self.handler)(message);
                                handlers.spawn(process(
                                    self.queue.clone(),
                                    handle,
                                    work,
                                    visibility,
                                    every,
                                    self.release_on_failure,
                                ));
                            }
                        }
                        Err(e) => {
                            error = Some(e);
                            break;
                        }
                    }
                }
            }
        }
        drop(receiving);
        while let Some(joined) = handlers.join_next().await {
            stats.record(joined);
        }
        match error {
            Some(e) => Err(e),
            None => Ok(stats),
        }
    }

    /// Runs until a receive fails (in practice: until the queue is deleted); see
    /// [`run_until`](Worker::run_until).
    ///
    /// # Errors
    ///
    /// The ReceiveMessage error that stopped the worker.
    pub async fn run<Fut, E>(self) -> Result<WorkerStats, Error>
    where
        F: Fn(Message) -> Fut,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        self.run_until(std::future::pending()).await
    }
}

impl WorkerStats {
    fn record(&mut self, joined: Result<Outcome, JoinError>) {
        match joined {
            Ok(Outcome::Processed) => self.processed += 1,
            Ok(Outcome::Failed) => self.failed += 1,
            Err(e) => {
                tracing::warn!(error = %e, "sqs worker: handler panicked");
                self.failed += 1;
            }
        }
    }
}

/// The pending receive, or never (so `select!` waits on the other branches).
async fn next_receive(
    receiving: &mut Option<(Receive, usize)>,
) -> Result<ReceiveMessageOutput, Error> {
    match receiving {
        Some((r, _)) => r.await,
        None => std::future::pending().await,
    }
}

/// Runs one handler future, extending the message's visibility until it finishes, then
/// deletes (on `Ok`) or leaves / releases (on `Err`) the message.
async fn process<Fut, E>(
    queue: Queue,
    handle: String,
    work: Fut,
    visibility: i32,
    every: Duration,
    release_on_failure: bool,
) -> Outcome
where
    Fut: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    let clock = queue.sqs().clock().clone();
    let mut work = pin!(work);
    let result = if every.is_zero() || visibility <= 0 {
        work.await
    } else {
        let mut next = clock.now() + every;
        let mut extending = true;
        loop {
            tokio::select! {
                result = &mut work => break result,
                () = clock.sleep_until(next), if extending => {
                    next += every;
                    let extended = queue
                        .change_message_visibility()
                        .receipt_handle(&handle)
                        .visibility_timeout(visibility)
                        .send()
                        .await;
                    if let Err(e) = extended {
                        tracing::debug!(error = %e, "sqs worker: cannot extend visibility any more");
                        extending = false;
                    }
                }
            }
        }
    };
    match result {
        Ok(()) => match queue.delete_message().receipt_handle(&handle).send().await {
            Ok(_) => Outcome::Processed,
            Err(e) => {
                tracing::warn!(error = %e, "sqs worker: handled message could not be deleted");
                Outcome::Failed
            }
        },
        Err(e) => {
            tracing::debug!(error = %e, "sqs worker: handler failed");
            if release_on_failure {
                let released = queue
                    .change_message_visibility()
                    .receipt_handle(&handle)
                    .visibility_timeout(0)
                    .send()
                    .await;
                if let Err(e) = released {
                    tracing::debug!(error = %e, "sqs worker: cannot release failed message");
                }
            }
            Outcome::Failed
        }
    }
}
