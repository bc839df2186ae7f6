//! The async driver: performs a thread's actions on the Clock and feeds the outcomes back.
//!
//! # Time
//!
//! Waits and retry delays sleep on the [`Clock`](aws_lite_core::Clock), so under paused tokio
//! time a one-year Wait completes at once. Task timeouts race the handler against
//! `TimeoutSeconds` (or `HeartbeatSeconds`, whichever is sooner: handlers send no heartbeats).
//!
//! # Concurrency
//!
//! Parallel branches run concurrently; the first failing branch aborts the others. Map
//! iterations run at most `MaxConcurrency` at a time (0: all); a failed iteration fails the Map
//! unless `ToleratedFailureCount`/`ToleratedFailurePercentage` tolerate it (a tolerated
//! iteration's result is its `{Error, Cause}`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, SharedClock};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Value, json};

use crate::engine::{
    Action, Event, Failure, Fork, Invocation, Now, ResourceKind, TaskError, Thread,
};
use crate::history::{HistoryEventType as T, HistorySink};

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
    pub(crate) history: Arc<Mutex<HistorySink>>,
    pub(crate) region: String,
    pub(crate) account: String,
}

impl Runtime {
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
        let key = match &inv.kind {
            ResourceKind::LambdaInvoke { function } => function.clone(),
            _ => inv.resource.clone(),
        };
        let Some(handler) = self.handler(&key) else {
            let err = match &inv.kind {
                ResourceKind::Other => TaskError::new(
                    "States.TaskFailed",
                    format!(
                        "No handler is registered for the resource '{}'",
                        inv.resource
                    ),
                ),
                _ => {
                    let arn = if key.starts_with("arn:") {
                        key.clone()
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
            };
            return Event::TaskDone(Err(err));
        };
        let fut = handler(inv.input);
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
}

/// Runs `thread` from its start with `input` to its end.
pub(crate) fn run_thread(rt: Arc<Runtime>, mut thread: Thread, input: Value) -> ThreadFuture {
    Box::pin(async move {
        let mut action = rt.step(&mut thread, Event::Start(input));
        loop {
            let event = match action {
                Action::Done(r) => return (thread, r),
                Action::Sleep(t) => {
                    rt.clock.sleep_until(t).await;
                    Event::Timer
                }
                Action::Invoke(inv) => rt.invoke(inv).await,
                Action::Fork(fork) => Event::ForkDone(run_fork(Arc::clone(&rt), fork).await),
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
    let mut in_flight: Vec<usize> = Vec::new();
    let mut failures = 0u64;
    let map_name = fork.map_name.clone();
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
        let fut = run_thread(Arc::clone(&rt), t, input);
        running.push(async move { (i, fut.await) });
    };
    for _ in 0..limit {
        if let Some((i, (t, input))) = queue.next() {
            in_flight.push(i);
            start(i, t, input, &mut running);
        }
    }
    while let Some((i, (thread, r))) = running.next().await {
        in_flight.retain(|x| *x != i);
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
                iteration_event(T::MapIterationFailed, "mapIterationFailedEventDetails");
                failures += 1;
                let within = tolerance
                    && (fork.tolerated_count.is_some_and(|c| failures <= c)
                        || fork
                            .tolerated_percentage
                            .is_some_and(|p| (failures as f64) * 100.0 / (n as f64) <= p));
                if !within {
                    if let Some(name) = &map_name {
                        let now = rt.now();
                        let mut h = rt.history.lock();
                        for j in &in_flight {
                            h.push(
                                now.wall,
                                T::MapIterationAborted,
                                fork.started_id,
                                Some((
                                    "mapIterationAbortedEventDetails",
                                    json!({"index": j, "name": name}),
                                )),
                            );
                        }
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
            in_flight.push(j);
            start(j, t, input, &mut running);
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or(Value::Null))
        .collect())
}
