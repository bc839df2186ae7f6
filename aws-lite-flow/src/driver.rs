//! The async driver: performs a thread's actions on the Clock and feeds the outcomes back.
//!
//! # Time
//!
//! Waits and retry delays sleep on the [`Clock`](aws_lite_core::Clock), so under paused tokio
//! time a one-year Wait completes at once. Task timeouts race the handler against
//! `TimeoutSeconds` (or `HeartbeatSeconds`, whichever is sooner: handlers send no heartbeats).
//!
//! # Callbacks and activities
//!
//! A `.waitForTaskToken` task registers its token when it starts, calls its handler (the
//! request), then waits for the token's report: `TimeoutSeconds` still counts from the task's
//! start, `HeartbeatSeconds` restarts at the submission and at each heartbeat. An activity task
//! is queued on its activity until a worker's GetActivityTask takes it (only `TimeoutSeconds`
//! applies meanwhile), then waits for its token the same way. A `.sync` task has a token too:
//! its integration reports the job's end to it (and so may a worker).
//!
//! # Dispatch
//!
//! A task runs the handler registered for its resource if there is one, else the built-in
//! integration of its resource ([`crate::integration`]), else it fails (`States.TaskFailed`, or
//! `Lambda.ResourceNotFoundException` for a function no service knows).
//!
//! # Concurrency
//!
//! Parallel branches run concurrently; the first failing branch aborts the others. Map
//! iterations run at most `MaxConcurrency` at a time (0: all); a failed iteration fails the Map
//! unless `ToleratedFailureCount`/`ToleratedFailurePercentage` tolerate it (a tolerated
//! iteration's result is its `{Error, Cause}`). Branches or iterations that end at the same
//! instant as the failing one (tasks timing out together) record their own events before the
//! others are aborted (`MapIterationAborted`); a failed or aborted branch or iteration that was
//! inside a Task state then records `TaskStateAborted`, as AWS does.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock, Weak};

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, SharedClock};
use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use serde_json::{Value, json};

use crate::activity::{ActivityRegistry, QueuedTask};
use crate::callback::{TokenReceiver, TokenRegistry, TokenReport};
use crate::engine::{
    Action, Event, Failure, Fork, Invocation, Now, ResourceKind, TaskError, Thread, TokenWait,
};
use crate::history::{HistoryEventType as T, HistorySink};
use crate::service::SfnInner;

/// A boxed task future.
pub type TaskFuture = Pin<Box<dyn Future<Output = Result<Value, TaskError>> + Send>>;

/// A registered task handler.
pub(crate) type Handler = Arc<dyn Fn(Value) -> TaskFuture + Send + Sync>;

/// A running thread: it gives the thread back with its outcome.
type ThreadFuture = Pin<Box<dyn Future<Output = (Thread, Result<Value, Failure>)> + Send>>;

/// What one execution's threads share.
pub(crate) struct Runtime {
    pub(crate) clock: SharedClock,
    pub(crate) handlers: Arc<RwLock<HashMap<String, Handler>>>,
    pub(crate) tokens: TokenRegistry,
    pub(crate) activities: ActivityRegistry,
    pub(crate) history: Arc<Mutex<HistorySink>>,
    pub(crate) region: String,
    pub(crate) account: String,
    /// The service, for the built-in integrations (see [`crate::integration`]).
    pub(crate) service: Weak<SfnInner>,
}

impl Runtime {
    /// The same runtime recording into another history: a Distributed Map's child execution.
    pub(crate) fn with_history(&self, history: Arc<Mutex<HistorySink>>) -> Runtime {
        Runtime {
            clock: self.clock.clone(),
            handlers: Arc::clone(&self.handlers),
            tokens: self.tokens.clone(),
            activities: self.activities.clone(),
            history,
            region: self.region.clone(),
            account: self.account.clone(),
            service: Weak::clone(&self.service),
        }
    }

    pub(crate) fn now(&self) -> Now {
        let instant = self.clock.now();
        Now {
            instant,
            wall: self.clock.wall(instant),
        }
    }

    fn step(&self, thread: &mut Thread, event: Event) -> Action {
        let now = self.now();
        let mut h = self.history.lock();
        thread.step(event, now, &mut h)
    }

    fn handler(&self, key: &str) -> Option<Handler> {
        let map = self.handlers.read().ok()?;
        if let Some(h) = map.get(key) {
            return Some(Arc::clone(h));
        }
        // A handler of `arn:aws:states:::svc:api` also serves `….waitForTaskToken`.
        if let Some(h) = key
            .strip_suffix(".waitForTaskToken")
            .and_then(|base| map.get(base))
        {
            return Some(Arc::clone(h));
        }
        // A function name (or an ARN with a qualifier) matches a handler registered by ARN.
        let name = key
            .split(":function:")
            .nth(1)
            .map(|n| n.split(':').next().unwrap_or(n))
            .unwrap_or(key);
        map.iter()
            .find(|(k, _)| {
                k.split(":function:")
                    .nth(1)
                    .is_some_and(|n| n.split(':').next() == Some(name))
            })
            .map(|(_, h)| Arc::clone(h))
    }

    pub(crate) async fn invoke(&self, inv: Invocation) -> Event {
        if inv.kind == ResourceKind::Activity {
            return self.schedule_activity(inv).await;
        }
        let key = match &inv.kind {
            ResourceKind::LambdaInvoke { function } => function.clone(),
            _ => inv.resource.clone(),
        };
        // A registered handler first, then the built-in integration of the resource.
        let fut = match self.handler(&key) {
            Some(handler) => self.call_handler(&handler, &inv),
            None => match crate::integration::dispatch(self, &inv) {
                Some(fut) => fut,
                None => return Event::TaskDone(Err(self.unserved(&inv, &key))),
            },
        };
        let limit = match (inv.timeout, inv.heartbeat) {
            (Some(t), Some(h)) => Some((t.min(h), h < t)),
            (Some(t), None) => Some((t, false)),
            (None, Some(h)) => Some((h, true)),
            (None, None) => None,
        };
        match limit {
            None => Event::TaskDone(fut.await),
            Some((d, heartbeat)) => {
                let deadline = self.clock.now() + d;
                match self.clock.timeout_at(deadline, fut).await {
                    Ok(r) => Event::TaskDone(r),
                    Err(_) => Event::TaskTimedOut { heartbeat },
                }
            }
        }
    }

    /// Calls a registered handler with the task's input (for `lambda:invoke`, its `Payload`).
    /// A `lambda:invoke` handler's result is wrapped as the Invoke API returns it; a `….sync`
    /// handler's result is also the job's final result, reported to the task's token.
    fn call_handler(&self, handler: &Handler, inv: &Invocation) -> TaskFuture {
        let fut = handler(crate::engine::handler_input(&inv.kind, &inv.input));
        let wrap = matches!(inv.kind, ResourceKind::LambdaInvoke { .. });
        let sync_token = inv
            .token
            .clone()
            .filter(|_| crate::engine::is_sync(&inv.resource));
        let tokens = self.tokens.clone();
        let clock = self.clock.clone();
        let rand = self
            .service
            .upgrade()
            .map(|s| s.rand.clone())
            .unwrap_or_default();
        Box::pin(async move {
            let v = fut.await?;
            let v = if wrap {
                crate::engine::lambda_invoke_output(v, &rand, clock.wall(clock.now()))
            } else {
                v
            };
            if let Some(token) = sync_token {
                let _ = tokens.report(&token, TokenReport::Success(v.clone()));
            }
            Ok(v)
        })
    }

    /// The failure of a task that no handler and no built-in integration serves.
    fn unserved(&self, inv: &Invocation, key: &str) -> TaskError {
        match &inv.kind {
            ResourceKind::Other => TaskError::new(
                "States.TaskFailed",
                format!(
                    "No handler is registered for the resource '{}'",
                    inv.resource
                ),
            ),
            _ => {
                let arn = if key.starts_with("arn:") {
                    key.to_string()
                } else {
                    format!(
                        "arn:aws:lambda:{}:{}:function:{key}",
                        self.region, self.account
                    )
                };
                TaskError::new(
                    "Lambda.ResourceNotFoundException",
                    format!(
                        "Function not found: {arn}:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: 00000000-0000-0000-0000-000000000000; Proxy: null)"
                    ),
                )
            }
        }
    }

    /// Queues an activity task and waits for a worker to take it (within `TimeoutSeconds`);
    /// the worker's name (or null) is the "result" that starts the task.
    async fn schedule_activity(&self, inv: Invocation) -> Event {
        let activity = match self.activities.get(&inv.resource) {
            Ok(a) => a,
            Err(e) => return Event::TaskDone(Err(TaskError::new(e.code(), e.message()))),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        activity.schedule(QueuedTask {
            token: inv.token.clone().unwrap_or_default(),
            input: crate::dataflow::compact(&inv.input),
            started: tx,
        });
        let taken = async {
            match rx.await {
                Ok(worker) => Event::TaskDone(Ok(worker.map_or(Value::Null, Value::String))),
                // The activity was deleted with the task still queued: it waits on.
                Err(_) => std::future::pending().await,
            }
        };
        match inv.timeout {
            None => taken.await,
            Some(t) => match self.clock.timeout_at(inv.started + t, taken).await {
                Ok(e) => e,
                Err(_) => Event::TaskTimedOut { heartbeat: false },
            },
        }
    }

    /// Waits for a report on a callback task's token: its result, its failure, or the end of
    /// `TimeoutSeconds` (from the task's start) or of `HeartbeatSeconds` (from the submission
    /// or the last heartbeat).
    pub(crate) async fn await_token(&self, wait: TokenWait, rx: Option<TokenReceiver>) -> Event {
        let mut rx = match rx {
            Some(rx) => rx,
            None => self.tokens.register(&wait.token),
        };
        let mut beat = wait.heartbeat.map(|h| self.clock.now() + h);
        loop {
            let next = match (wait.deadline, beat) {
                (Some(d), Some(b)) if b < d => Some((b, true)),
                (Some(d), _) => Some((d, false)),
                (None, Some(b)) => Some((b, true)),
                (None, None) => None,
            };
            let report = match next {
                None => rx.recv().await,
                Some((at, heartbeat)) => match self.clock.timeout_at(at, rx.recv()).await {
                    Ok(r) => r,
                    Err(_) => return Event::TaskTimedOut { heartbeat },
                },
            };
            match report {
                Some(TokenReport::Success(v)) => return Event::TaskDone(Ok(v)),
                Some(TokenReport::Failure { error, cause }) => {
                    return Event::TaskDone(Err(TaskError {
                        error: error.unwrap_or_default(),
                        cause: cause.unwrap_or_default(),
                    }));
                }
                Some(TokenReport::Heartbeat) => {
                    beat = wait.heartbeat.map(|h| self.clock.now() + h);
                }
                // The registry holds the sender for as long as the service lives.
                None => std::future::pending::<()>().await,
            }
        }
    }
}

/// Where a Parallel branch or Map iteration stands, for the events of its end: whether it is
/// inside a Task state it has not exited, and its last event's id.
type Probe = Arc<Mutex<(bool, u64)>>;

/// Runs `thread` from its start with `input` to its end.
pub(crate) fn run_thread(rt: Arc<Runtime>, thread: Thread, input: Value) -> ThreadFuture {
    run_probed(rt, thread, input, None)
}

/// [`run_thread`], keeping `probe` up to date after every step.
fn run_probed(
    rt: Arc<Runtime>,
    mut thread: Thread,
    input: Value,
    probe: Option<Probe>,
) -> ThreadFuture {
    Box::pin(async move {
        let mut action = rt.step(&mut thread, Event::Start(input));
        // The current callback task's token reports (registered when the task starts).
        let mut reports: Option<TokenReceiver> = None;
        loop {
            if let Some(p) = &probe {
                *p.lock() = (thread.in_open_task(&action), thread.prev);
            }
            // Reports outlive only the step from the handler's return to the wait.
            let submitted = reports.take();
            let event = match action {
                Action::Done(r) => return (thread, r),
                Action::Sleep(t) => {
                    rt.clock.sleep_until(t).await;
                    Event::Timer
                }
                Action::Invoke(inv) => {
                    reports = inv.token.as_deref().map(|t| rt.tokens.register(t));
                    rt.invoke(inv).await
                }
                Action::AwaitToken(wait) => rt.await_token(wait, submitted).await,
                Action::Fork(fork) => Event::ForkDone(run_fork(Arc::clone(&rt), fork).await),
                // A Distributed Map: see `crate::map_run`.
                Action::MapRun(spec) => crate::map_run::run(Arc::clone(&rt), *spec).await,
            };
            action = rt.step(&mut thread, event);
        }
    })
}

async fn run_fork(rt: Arc<Runtime>, fork: Fork) -> Result<Vec<Value>, Failure> {
    let n = fork.threads.len();
    let limit = if fork.max_concurrency == 0 {
        n.max(1)
    } else {
        fork.max_concurrency
    };
    let tolerance = fork.tolerated_count.is_some() || fork.tolerated_percentage.is_some();
    let mut results: Vec<Option<Value>> = vec![None; n];
    let mut queue = fork.threads.into_iter().enumerate();
    let mut running = FuturesUnordered::new();
    // Ordered, and O(log n) to update: with MaxConcurrency 0 all the items are in flight.
    let mut in_flight: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    let mut failures = 0u64;
    let map_name = fork.map_name.clone();
    // Per branch or iteration: whether it is inside an open Task state (see `Probe`).
    let probes: Vec<Probe> = (0..n).map(|_| Arc::new(Mutex::new((false, 0)))).collect();
    // `TaskStateAborted` for a branch or iteration that ends, failed or aborted, inside a Task
    // state (as AWS records it after the iteration's own event).
    let task_aborted = |j: usize| {
        let (open, prev) = *probes[j].lock();
        if open {
            let now = rt.now();
            rt.history
                .lock()
                .push(now.wall, T::TaskStateAborted, prev, None);
        }
    };
    let start = |i: usize, mut t: Thread, input: Value, running: &mut FuturesUnordered<_>| {
        if let Some(name) = &map_name {
            let now = rt.now();
            let id = rt.history.lock().push(
                now.wall,
                T::MapIterationStarted,
                fork.started_id,
                Some((
                    "mapIterationStartedEventDetails",
                    json!({"index": i, "name": name}),
                )),
            );
            t.prev = id;
        }
        let fut = run_probed(Arc::clone(&rt), t, input, Some(Arc::clone(&probes[i])));
        running.push(async move { (i, fut.await) });
    };
    for _ in 0..limit {
        if let Some((i, (t, input))) = queue.next() {
            in_flight.insert(i);
            start(i, t, input, &mut running);
        }
    }
    while let Some((i, (thread, r))) = running.next().await {
        in_flight.remove(&i);
        let iteration_event = |t: T, key: &str| {
            if let Some(name) = &map_name {
                let now = rt.now();
                rt.history.lock().push(
                    now.wall,
                    t,
                    thread.prev,
                    Some((key, json!({"index": i, "name": name}))),
                );
            }
        };
        match r {
            Ok(v) => {
                iteration_event(
                    T::MapIterationSucceeded,
                    "mapIterationSucceededEventDetails",
                );
                results[i] = Some(v);
            }
            Err(f) => {
                failures += 1;
                let within = tolerance
                    && (fork.tolerated_count.is_some_and(|c| failures <= c)
                        || fork
                            .tolerated_percentage
                            .is_some_and(|p| (failures as f64) * 100.0 / (n as f64) <= p));
                if !within {
                    // Branches or iterations that end at this same instant (tasks timing out
                    // together) still record their own events before they are aborted, as
                    // AWS records four `TaskTimedOut` before the first `MapIterationFailed`.
                    while let Some(Some(_)) = running.next().now_or_never() {}
                }
                iteration_event(T::MapIterationFailed, "mapIterationFailedEventDetails");
                task_aborted(i);
                if !within {
                    for &j in &in_flight {
                        if let Some(name) = &map_name {
                            let now = rt.now();
                            rt.history.lock().push(
                                now.wall,
                                T::MapIterationAborted,
                                fork.started_id,
                                Some((
                                    "mapIterationAbortedEventDetails",
                                    json!({"index": j, "name": name}),
                                )),
                            );
                        }
                        task_aborted(j);
                    }
                    if tolerance {
                        return Err(Failure::new(
                            "States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded",
                        ));
                    }
                    return Err(f);
                }
                results[i] = Some(json!({"Error": f.error, "Cause": f.cause}));
            }
        }
        if let Some((j, (t, input))) = queue.next() {
            in_flight.insert(j);
            start(j, t, input, &mut running);
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or(Value::Null))
        .collect())
}
