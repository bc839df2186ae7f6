//! The invocation engine: version resolution, environments, timeouts, panics, logs, metrics
//! and the asynchronous retry loop.
//!
//! # The warm path
//!
//! A synchronous invocation of a warm environment whose handler answers on its first poll
//! runs entirely within the first poll of its future ([`execute_start`]) and allocates
//! nothing of its own: the name is parsed in place
//! ([`parse_target_ref`](crate::names::parse_target_ref)), the [`Context`] is the request id
//! (the 16 bytes of a UUID, formatted only when shown), the deadline, the invoked ARN (shared
//! with the alias or version) and the environment's [`EnvConfig`] (one per environment, made
//! when it starts), the handler's call future reuses its environment's allocation, a `Value`
//! response is moved rather than serialized, the [`Report`] holds numbers only, and the clock
//! is read twice (start and end: REPORT's `Duration`).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use aws_lite_core::fault::FaultPoint;
use aws_lite_core::{Clock, Error, Instant};
use futures_util::FutureExt as _;
use serde_json::Value;

use crate::env::Env;
use crate::error;
use crate::event_invoke::{Condition, Ended, LastAttempt, finish};
use crate::handler::{
    Context, Diagnostic, EnvConfig, ErasedHandler, Event, RequestId, init_context,
};
use crate::metrics::bump;
use crate::names::{Target, TargetRef, is_version_number};
use crate::operation::invoke::json_fits;
use crate::service::{LambdaInner, OwnedPermit, Permit};
use crate::state::{FunctionShared, FunctionState, VersionShared};

/// What an invocation resolved to.
#[derive(Clone)]
pub(crate) struct Resolved {
    pub(crate) func: Arc<FunctionShared>,
    pub(crate) version: Arc<VersionShared>,
    /// The ARN as invoked: qualified when the caller gave a qualifier.
    pub(crate) invoked_arn: Arc<str>,
}

/// The version a qualifier names without routing: a version number, or an alias's primary
/// version. `Function not found` / `Cannot find alias arn` otherwise.
pub(crate) fn resolve_static(
    f: &FunctionShared,
    state: &FunctionState,
    qualifier: &str,
) -> Result<Arc<VersionShared>, Error> {
    if qualifier == "$LATEST" {
        return Ok(state.latest.clone());
    }
    if is_version_number(qualifier) {
        return qualifier
            .parse::<u32>()
            .ok()
            .and_then(|n| state.versions.get(&n).cloned())
            .ok_or_else(|| error::function_not_found(&f.qualified_arn(qualifier)));
    }
    let alias = state
        .aliases
        .get(qualifier)
        .ok_or_else(|| error::alias_not_found(&f.qualified_arn(qualifier)))?;
    version_of(f, state, &alias.function_version)
}

/// The published version `version` (or `$LATEST`), if it exists.
fn find_version(state: &FunctionState, version: &str) -> Option<Arc<VersionShared>> {
    if version == "$LATEST" {
        return Some(state.latest.clone());
    }
    version
        .parse::<u32>()
        .ok()
        .and_then(|n| state.versions.get(&n).cloned())
}

pub(crate) fn version_of(
    f: &FunctionShared,
    state: &FunctionState,
    version: &str,
) -> Result<Arc<VersionShared>, Error> {
    find_version(state, version).ok_or_else(|| error::function_not_found(&f.qualified_arn(version)))
}

/// Invoke's `ResourceNotFoundException`: `Function not found: {arn}:{qualifier}`, with
/// `$LATEST` for an unqualified call, whether the function, the version or the alias is
/// missing (Lambda's text for Invoke; GetFunction and the other operations name the
/// unqualified ARN of a missing function).
fn invoke_not_found(svc: &LambdaInner, target: TargetRef<'_>) -> Error {
    let arn = svc.function_arn(target.name);
    let qualifier = target.qualifier.unwrap_or("$LATEST");
    error::function_not_found(&format!("{arn}:{qualifier}"))
}

/// Resolves the target of an invocation, drawing an alias's weighted route.
pub(crate) fn resolve(svc: &LambdaInner, target: TargetRef<'_>) -> Result<Resolved, Error> {
    let Some(func) = svc.read_functions().get(target.name).cloned() else {
        return Err(invoke_not_found(svc, target));
    };
    let state = func.state.lock();
    let (version, invoked_arn) = match target.qualifier {
        None => (state.latest.clone(), func.arn.clone()),
        Some("$LATEST") => (state.latest.clone(), state.latest.qualified_arn.clone()),
        Some(q) if is_version_number(q) => {
            let version = find_version(&state, q).ok_or_else(|| invoke_not_found(svc, target))?;
            // The ARN as the caller wrote it (`f:007` runs version 7).
            let arn = if *version.version == *q {
                version.qualified_arn.clone()
            } else {
                Arc::from(func.qualified_arn(q))
            };
            (version, arn)
        }
        Some(q) => {
            let alias = state
                .aliases
                .get(q)
                .ok_or_else(|| invoke_not_found(svc, target))?;
            let chosen = match &alias.routing {
                Some((extra, weight)) if svc.routing_rand.next_f64() < *weight => extra,
                _ => &alias.function_version,
            };
            (version_of(&func, &state, chosen)?, alias.arn.clone())
        }
    };
    drop(state);
    Ok(Resolved {
        func,
        version,
        invoked_arn,
    })
}

/// One REPORT line's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// `RequestId`.
    pub request_id: RequestId,
    /// `Duration`: the handler's run, on the service's clock.
    pub duration: Duration,
    /// `Billed Duration`, in milliseconds: duration plus INIT, rounded up to the millisecond.
    pub billed_duration_ms: u64,
    /// `Memory Size`, in MB.
    pub memory_size: u32,
    /// `Init Duration`: present on cold starts only.
    pub init_duration: Option<Duration>,
}

/// The outcome of running one invocation.
pub(crate) struct Execution {
    pub(crate) executed_version: Arc<str>,
    pub(crate) outcome: Result<Value, Diagnostic>,
    pub(crate) report: Report,
}

/// The `errorType` of an injected function error whose rule carries no error (an aws-lite
/// extension).
pub(crate) const INJECTED_ERROR_TYPE: &str = "InjectedFault";
/// The `errorMessage` of an injected function error whose rule carries no error.
pub(crate) const INJECTED_ERROR_MESSAGE: &str = "fault injected by the fault plan";

fn timed_out(request_id: RequestId, timeout_secs: u32) -> Diagnostic {
    Diagnostic::new(
        "Sandbox.Timedout",
        format!("RequestId: {request_id} Error: Task timed out after {timeout_secs}.00 seconds"),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn log_stream(svc: &LambdaInner, version: &str, now: Instant) -> Arc<str> {
    let date = crate::state::lambda_date(svc.clock.epoch_millis(now));
    let day = date.get(..10).unwrap_or("1970-01-01").replace('-', "/");
    Arc::from(format!(
        "{day}/[{version}]{:016x}{:016x}",
        svc.rand.next_u64(),
        svc.rand.next_u64()
    ))
}

/// What a new environment of `version`, started at `now`, tells every invocation it serves.
fn env_config(
    svc: &LambdaInner,
    func: &FunctionShared,
    version: &VersionShared,
    now: Instant,
) -> Arc<EnvConfig> {
    let config = &version.config;
    Arc::new(EnvConfig {
        function_name: func.name.clone(),
        function_version: version.version.clone(),
        memory_limit_in_mb: config.memory_size,
        log_group_name: func.log_group.clone(),
        log_stream_name: log_stream(svc, &version.version, now),
        env_vars: config.environment.clone(),
        layers: config.layers.merged().clone(),
    })
}

/// How a handler run ended.
struct Ran {
    outcome: Result<Value, Diagnostic>,
    /// The environment survives (it is discarded after a timeout or a panic).
    keep: bool,
    timed_out: bool,
}

/// What polling a handler gives: its outcome, or the panic it raised.
type Polled = std::thread::Result<Result<Value, Diagnostic>>;

/// Polls the started invocation of `handler` once, catching a panic.
fn poll_guarded(handler: &mut dyn ErasedHandler, cx: &mut TaskContext<'_>) -> Poll<Polled> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| handler.poll_run(cx))) {
        Ok(Poll::Pending) => Poll::Pending,
        Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
        Err(panic) => Poll::Ready(Err(panic)),
    }
}

/// `Function.ResponseSizeTooLarge`: what Lambda reports for a response over `limit` bytes.
fn response_too_large(limit: usize) -> Diagnostic {
    Diagnostic::new(
        "Function.ResponseSizeTooLarge",
        format!("Response payload size exceeded maximum allowed payload size ({limit} bytes)."),
    )
}

/// The end of a handler's run: its outcome (a response over `response_limit` bytes of JSON
/// becoming `Function.ResponseSizeTooLarge`), a panic, or (`None`) the deadline.
fn ran(r: &Resolved, request_id: RequestId, done: Option<Polled>, response_limit: usize) -> Ran {
    match done {
        Some(Ok(outcome)) => Ran {
            outcome: match outcome {
                Ok(v) if !json_fits(&v, response_limit) => Err(response_too_large(response_limit)),
                other => other,
            },
            keep: true,
            timed_out: false,
        },
        Some(Err(panic)) => {
            let diag = Diagnostic::from_panic(&*panic);
            tracing::error!(target: "aws_lite_fn::log", function = %r.func.name, "{}", diag.error_message);
            Ran {
                outcome: Err(diag),
                keep: false,
                timed_out: false,
            }
        }
        None => Ran {
            outcome: Err(timed_out(request_id, r.version.config.timeout)),
            keep: false,
            timed_out: true,
        },
    }
}

/// Runs the started handler until `deadline`: polled once first, as the timeout would poll
/// it, and the timeout timer (a boxed clock sleep) armed only if it does not answer then.
async fn run_handler(svc: &LambdaInner, r: &Resolved, started: &mut Started) -> Ran {
    let handler = &mut *started.handler;
    let first = std::future::poll_fn(|cx| Poll::Ready(poll_guarded(handler, cx))).await;
    let done = match first {
        Poll::Ready(out) => Some(out),
        Poll::Pending => svc
            .clock
            .timeout_at(
                started.deadline,
                std::future::poll_fn(|cx| poll_guarded(handler, cx)),
            )
            .await
            .ok(),
    };
    ran(r, started.request_id, done, svc.limits.response_bytes)
}

/// The injected `FN_INVOKE_TIMEOUT` and `FN_INVOKE_ERROR` faults: the handler does not run.
async fn run_fault(
    svc: &LambdaInner,
    r: &Resolved,
    fault: FaultRun,
    request_id: RequestId,
    deadline: Instant,
) -> Ran {
    let clock = &svc.clock;
    let error = match fault {
        FaultRun::Timeout => None,
        FaultRun::Error(fault) => {
            let ran = match fault.delay {
                Some(d) if !d.is_zero() => clock.timeout_at(deadline, clock.sleep(d)).await.is_ok(),
                _ => true,
            };
            ran.then(|| match fault.error {
                Some(e) => Diagnostic::new(e.code(), e.message()),
                None => Diagnostic::new(INJECTED_ERROR_TYPE, INJECTED_ERROR_MESSAGE),
            })
        }
    };
    match error {
        Some(diag) => Ran {
            outcome: Err(diag),
            keep: true,
            timed_out: false,
        },
        None => {
            // The invocation lasts until its deadline (at once if a delay reached it).
            clock.sleep_until(deadline).await;
            Ran {
                outcome: Err(timed_out(request_id, r.version.config.timeout)),
                keep: false,
                timed_out: true,
            }
        }
    }
}

/// An injected fault that replaces the handler's run.
enum FaultRun {
    Timeout,
    Error(aws_lite_core::fault::InjectedFault),
}

/// A new environment, after its INIT.
struct ColdStart {
    env: Env,
    /// When the handler starts: after INIT.
    start: Instant,
    init_duration: Duration,
    /// The deadline of a suppressed INIT retried within the invocation.
    suppressed_deadline: Option<Instant>,
}

/// A cold start: INIT (under the INIT limit; a suppressed INIT is retried within the
/// invocation under the function's timeout). `Err` is the failed INIT's diagnostic.
async fn cold_start(
    svc: &LambdaInner,
    r: &Resolved,
    request_id: RequestId,
    init_start: Instant,
    slow_init: Duration,
) -> Result<ColdStart, Diagnostic> {
    let clock = &svc.clock;
    let config = &r.version.config;
    bump(&r.func.counters.cold_starts);
    r.version.pool.lock().started += 1;
    let first_init = async {
        if !slow_init.is_zero() {
            clock.sleep(slow_init).await;
        }
        AssertUnwindSafe(config.code.init(init_context(&r.version)))
            .catch_unwind()
            .await
    };
    let mut suppressed_deadline = None;
    let built = match clock.timeout(svc.limits.init_timeout, first_init).await {
        Ok(done) => done,
        Err(_) => {
            // A suppressed INIT: Lambda retries it within the invocation, under the
            // function's timeout.
            tracing::warn!(function = %r.func.name, "INIT timed out; retrying within the invocation");
            let deadline = clock.now() + Duration::from_secs(u64::from(config.timeout));
            suppressed_deadline = Some(deadline);
            match clock
                .timeout_at(
                    deadline,
                    AssertUnwindSafe(config.code.init(init_context(&r.version))).catch_unwind(),
                )
                .await
            {
                Ok(done) => done,
                Err(_) => Ok(Err(timed_out(request_id, config.timeout))),
            }
        }
    };
    let handler = match built {
        Ok(Ok(h)) => h,
        Ok(Err(diag)) => return Err(diag),
        Err(panic) => return Err(Diagnostic::from_panic(&*panic)),
    };
    let start = clock.now();
    Ok(ColdStart {
        env: Env {
            handler,
            last_used: start,
            provisioned: false,
            config: env_config(svc, &r.func, &r.version, start),
        },
        start,
        init_duration: start - init_start,
        suppressed_deadline,
    })
}

/// An invocation's concurrency slot, request id and (warm) environment, before its handler
/// runs.
struct Acquired<'a> {
    permit: Permit<'a>,
    request_id: RequestId,
    /// The clock's reading: the pool's `now` and, when warm, the start of the run.
    now: Instant,
    /// A warm environment, or `None` for a cold start.
    env: Option<Env>,
    /// The delay an injected cold start adds to INIT.
    slow_init: Duration,
}

/// Checks the `THROTTLE` fault, takes a concurrency slot (or throttles) and a warm environment
/// (`None`: a cold start, also when `FN_INVOKE_COLD_START` fires).
fn acquire<'a>(
    svc: &'a LambdaInner,
    r: &'a Resolved,
    request_id: Option<RequestId>,
) -> Result<Acquired<'a>, Error> {
    let fault_target = &*r.func.arn;
    if let Some(fault) = svc.faults.check(FaultPoint::THROTTLE, fault_target) {
        let err = match fault.error {
            Some(e) => e,
            None => {
                bump(&r.func.counters.throttles_account);
                error::throttled(error::reasons::CONCURRENT_INVOCATION_LIMIT_EXCEEDED)
            }
        };
        tracing::warn!(function = %r.func.name, error = %err, "injected fault: the invocation is refused");
        return Err(err);
    }
    let permit = svc.try_acquire(&r.func).map_err(|reason| {
        tracing::warn!(
            function = %r.func.name,
            reason = reason.as_str(),
            "Lambda throttled the invocation: TooManyRequestsException"
        );
        error::throttled(reason.as_str())
    })?;
    bump(&r.func.counters.invocations);
    let request_id = request_id.unwrap_or_else(|| RequestId::from_uuid(svc.rand.uuid()));
    let cold_fault = svc
        .faults
        .check(FaultPoint::FN_INVOKE_COLD_START, fault_target);
    let force_cold = cold_fault.is_some();
    let now = svc.clock.now();
    let env = r
        .version
        .pool
        .lock()
        .acquire(now, svc.limits.idle_timeout, force_cold);
    Ok(Acquired {
        permit,
        request_id,
        now,
        env,
        slow_init: cold_fault.map_or(Duration::ZERO, |f| f.delay_or_zero()),
    })
}

/// An environment serving one invocation.
struct Started {
    handler: Box<dyn ErasedHandler>,
    provisioned: bool,
    env_config: Arc<EnvConfig>,
    request_id: RequestId,
    /// When the handler's run starts.
    start: Instant,
    init_duration: Option<Duration>,
    deadline: Instant,
}

/// What comes after [`begin`].
enum Next {
    /// The handler was started: poll it.
    Run,
    /// An injected fault replaces the run.
    Fault(FaultRun),
    /// The run is over already (the payload did not deserialize).
    Ran(Ran),
}

/// Logs START, checks the `FN_INVOKE_TIMEOUT` and `FN_INVOKE_ERROR` faults and, without
/// them, starts the handler with the invocation's [`Context`].
#[allow(clippy::too_many_arguments)] // one call per path; a struct would only rename them
fn begin(
    svc: &LambdaInner,
    r: &Resolved,
    env: Env,
    start: Instant,
    init_duration: Option<Duration>,
    suppressed_deadline: Option<Instant>,
    request_id: RequestId,
    payload: Value,
) -> (Started, Next) {
    let config = &r.version.config;
    let version = &r.version.version;
    let deadline =
        suppressed_deadline.unwrap_or(start + Duration::from_secs(u64::from(config.timeout)));
    let Env {
        mut handler,
        provisioned,
        config: env_config,
        ..
    } = env;
    tracing::info!(target: "aws_lite_fn::log", function = %r.func.name, "START RequestId: {request_id} Version: {version}");
    let fault_target = &*r.func.arn;
    let fault = if svc
        .faults
        .check(FaultPoint::FN_INVOKE_TIMEOUT, fault_target)
        .is_some()
    {
        Some(FaultRun::Timeout)
    } else {
        svc.faults
            .check(FaultPoint::FN_INVOKE_ERROR, fault_target)
            .map(FaultRun::Error)
    };
    let next = match fault {
        Some(fault) => Next::Fault(fault),
        None => {
            let context = Context {
                request_id,
                deadline,
                deadline_epoch_millis: svc.clock.epoch_millis(deadline),
                invoked_function_arn: r.invoked_arn.clone(),
                env_config: env_config.clone(),
            };
            match handler.start(Event::new(payload, context)) {
                Ok(()) => Next::Run,
                Err(diag) => Next::Ran(Ran {
                    outcome: Err(diag),
                    keep: true,
                    timed_out: false,
                }),
            }
        }
    };
    let started = Started {
        handler,
        provisioned,
        env_config,
        request_id,
        start,
        init_duration,
        deadline,
    };
    (started, next)
}

/// Ends an invocation: the environment back to the pool (or discarded), the concurrency
/// slot released, the metrics and the END and REPORT lines.
fn conclude<P>(
    svc: &Arc<LambdaInner>,
    r: &Resolved,
    permit: P,
    started: Started,
    ran: Ran,
) -> Execution {
    let end = svc.clock.now();
    {
        let mut pool = r.version.pool.lock();
        if ran.keep {
            pool.release(
                Env {
                    handler: started.handler,
                    last_used: end,
                    provisioned: started.provisioned,
                    config: started.env_config,
                },
                end,
            );
        } else if pool.discard(started.provisioned) {
            drop(pool);
            spawn_provisioning(svc.clone(), r.func.clone(), r.version.clone());
        }
    }
    drop(permit);
    let counters = &r.func.counters;
    let request_id = started.request_id;
    let duration = end - started.start;
    if ran.timed_out {
        bump(&counters.timeouts);
        let secs = duration.as_secs_f64();
        tracing::error!(target: "aws_lite_fn::log", function = %r.func.name, "{request_id} Task timed out after {secs:.2} seconds");
    }
    if ran.outcome.is_err() {
        bump(&counters.errors);
    }
    counters.record_duration(duration);
    let report = report_line(r, request_id, duration, started.init_duration);
    Execution {
        executed_version: r.version.version.clone(),
        outcome: ran.outcome,
        report,
    }
}

/// An invocation that could not finish within its first poll, continuing on its own.
pub(crate) type SlowExecution = Pin<Box<dyn Future<Output = Result<Execution, Error>> + Send>>;

/// An invocation after its first poll.
pub(crate) enum ExecStep {
    /// Finished (or refused).
    Ready(Result<Execution, Error>),
    /// Continuing: a cold start, an injected fault, or a handler that did not answer on its
    /// first poll.
    Slow(SlowExecution),
}

/// The first poll of one invocation of `r`: takes a concurrency slot (or throttles) and a warm
/// environment, starts the handler and polls it once. A warm handler that answers then is
/// the whole invocation, run here without an allocation; everything else (a cold start, an
/// injected fault, a handler still pending) continues in a boxed future that owns what it
/// needs. `request_id` is the id to keep (an asynchronous event's retries share one); `None`
/// draws a new one.
pub(crate) fn execute_start(
    svc: &Arc<LambdaInner>,
    r: &Resolved,
    payload: Value,
    request_id: Option<RequestId>,
    cx: &mut TaskContext<'_>,
) -> ExecStep {
    let acquired = match acquire(svc, r, request_id) {
        Ok(a) => a,
        Err(e) => return ExecStep::Ready(Err(e)),
    };
    let Acquired {
        permit,
        request_id,
        now,
        env,
        slow_init,
    } = acquired;
    let Some(env) = env else {
        let rest = Continuing::new(svc, r, permit, false);
        return ExecStep::Slow(Box::pin(cold_path(
            rest, request_id, now, slow_init, payload,
        )));
    };
    let (mut started, next) = begin(svc, r, env, now, None, None, request_id, payload);
    let ran = match next {
        Next::Ran(ran) => ran,
        Next::Run => match poll_guarded(&mut *started.handler, cx) {
            Poll::Ready(out) => ran(r, request_id, Some(out), svc.limits.response_bytes),
            Poll::Pending => {
                let rest = Continuing::new(svc, r, permit, started.provisioned);
                return ExecStep::Slow(Box::pin(pending_path(rest, started)));
            }
        },
        Next::Fault(fault) => {
            let rest = Continuing::new(svc, r, permit, started.provisioned);
            return ExecStep::Slow(Box::pin(fault_path(rest, started, fault)));
        }
    };
    ExecStep::Ready(Ok(conclude(svc, r, permit, started, ran)))
}

/// One invocation of `r`, to its end; see [`execute_start`].
pub(crate) async fn execute(
    svc: &Arc<LambdaInner>,
    r: &Resolved,
    payload: Value,
    request_id: Option<RequestId>,
) -> Result<Execution, Error> {
    let mut input = Some(payload);
    let step = std::future::poll_fn(|cx| {
        let payload = input.take().unwrap_or_default();
        Poll::Ready(execute_start(svc, r, payload, request_id, cx))
    })
    .await;
    match step {
        ExecStep::Ready(done) => done,
        ExecStep::Slow(rest) => rest.await,
    }
}

/// The pool's busy slot of an invocation that continues in its own future: given back if that
/// future is dropped before the end (a caller that stopped waiting), the environment being
/// gone with it, as after a timeout.
struct BusySlot {
    svc: Arc<LambdaInner>,
    func: Arc<FunctionShared>,
    version: Arc<VersionShared>,
    provisioned: bool,
    /// The invocation reached [`conclude`] (or [`finish_failed_init`]), which gives it back.
    ended: bool,
}

impl BusySlot {
    fn new(svc: &Arc<LambdaInner>, r: &Resolved, provisioned: bool) -> BusySlot {
        BusySlot {
            svc: svc.clone(),
            func: r.func.clone(),
            version: r.version.clone(),
            provisioned,
            ended: false,
        }
    }

    /// The invocation ends normally from here.
    fn end(mut self) {
        self.ended = true;
    }
}

impl Drop for BusySlot {
    fn drop(&mut self) {
        if !self.ended && self.version.pool.lock().discard(self.provisioned) {
            spawn_provisioning(self.svc.clone(), self.func.clone(), self.version.clone());
        }
    }
}

/// What an invocation that continues in its own future holds: the service, what it resolved
/// to, its concurrency slot and its busy slot in the pool.
struct Continuing {
    svc: Arc<LambdaInner>,
    r: Resolved,
    permit: OwnedPermit,
    slot: BusySlot,
}

impl Continuing {
    fn new(
        svc: &Arc<LambdaInner>,
        r: &Resolved,
        permit: Permit<'_>,
        provisioned: bool,
    ) -> Continuing {
        Continuing {
            svc: svc.clone(),
            r: r.clone(),
            permit: permit.into_owned(svc, &r.func),
            slot: BusySlot::new(svc, r, provisioned),
        }
    }

    /// Ends the invocation; see [`conclude`].
    fn conclude(self, started: Started, ran: Ran) -> Execution {
        let Continuing {
            svc,
            r,
            permit,
            slot,
        } = self;
        slot.end();
        conclude(&svc, &r, permit, started, ran)
    }
}

/// The rest of an invocation that needs a cold start.
async fn cold_path(
    rest: Continuing,
    request_id: RequestId,
    init_start: Instant,
    slow_init: Duration,
    payload: Value,
) -> Result<Execution, Error> {
    let (svc, r) = (&rest.svc, &rest.r);
    let cold = match cold_start(svc, r, request_id, init_start, slow_init).await {
        Ok(c) => c,
        Err(diag) => {
            let Continuing {
                svc,
                r,
                permit,
                slot,
            } = rest;
            slot.end();
            return Ok(finish_failed_init(
                &svc, &r, permit, request_id, diag, init_start,
            ));
        }
    };
    let (mut started, next) = begin(
        svc,
        r,
        cold.env,
        cold.start,
        Some(cold.init_duration),
        cold.suppressed_deadline,
        request_id,
        payload,
    );
    let ran = match next {
        Next::Ran(ran) => ran,
        Next::Run => run_handler(svc, r, &mut started).await,
        Next::Fault(fault) => run_fault(svc, r, fault, started.request_id, started.deadline).await,
    };
    Ok(rest.conclude(started, ran))
}

/// The rest of an invocation whose handler did not answer on its first poll: polled again
/// under the timeout.
async fn pending_path(rest: Continuing, mut started: Started) -> Result<Execution, Error> {
    let handler = &mut *started.handler;
    let done = rest
        .svc
        .clock
        .timeout_at(
            started.deadline,
            std::future::poll_fn(|cx| poll_guarded(handler, cx)),
        )
        .await
        .ok();
    let ran = ran(
        &rest.r,
        started.request_id,
        done,
        rest.svc.limits.response_bytes,
    );
    Ok(rest.conclude(started, ran))
}

/// The rest of an invocation replaced by an injected fault.
async fn fault_path(
    rest: Continuing,
    started: Started,
    fault: FaultRun,
) -> Result<Execution, Error> {
    let ran = run_fault(
        &rest.svc,
        &rest.r,
        fault,
        started.request_id,
        started.deadline,
    )
    .await;
    Ok(rest.conclude(started, ran))
}

fn report_line(
    r: &Resolved,
    request_id: RequestId,
    duration: Duration,
    init_duration: Option<Duration>,
) -> Report {
    let billed = duration + init_duration.unwrap_or_default();
    let billed_duration_ms = billed.as_nanos().div_ceil(1_000_000) as u64;
    let memory_size = r.version.config.memory_size;
    tracing::info!(target: "aws_lite_fn::log", function = %r.func.name, "END RequestId: {request_id}");
    match init_duration {
        Some(init) => tracing::info!(
            target: "aws_lite_fn::log",
            function = %r.func.name,
            "REPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {billed_duration_ms} ms\tMemory Size: {memory_size} MB\tInit Duration: {:.2} ms",
            ms(duration),
            ms(init)
        ),
        None => tracing::info!(
            target: "aws_lite_fn::log",
            function = %r.func.name,
            "REPORT RequestId: {request_id}\tDuration: {:.2} ms\tBilled Duration: {billed_duration_ms} ms\tMemory Size: {memory_size} MB",
            ms(duration)
        ),
    }
    Report {
        request_id,
        duration,
        billed_duration_ms,
        memory_size,
        init_duration,
    }
}

fn finish_failed_init(
    svc: &LambdaInner,
    r: &Resolved,
    permit: OwnedPermit,
    request_id: RequestId,
    diag: Diagnostic,
    init_start: Instant,
) -> Execution {
    // An on-demand environment's INIT: nothing to replace.
    let _ = r.version.pool.lock().discard(false);
    drop(permit);
    let init = svc.clock.now() - init_start;
    tracing::error!(target: "aws_lite_fn::log", function = %r.func.name, "INIT failed: {}: {}", diag.error_type, diag.error_message);
    let counters = &r.func.counters;
    bump(&counters.errors);
    if diag.error_type == "Sandbox.Timedout" {
        bump(&counters.timeouts);
    }
    let report = report_line(r, request_id, Duration::ZERO, Some(init));
    Execution {
        executed_version: r.version.version.clone(),
        outcome: Err(diag),
        report,
    }
}

/// Runs an `Event` invocation in the background: throttles are requeued with backoff (1 s
/// doubling to 5 min), function errors retried after the limits' delays (1 min, then 2 min) as
/// often as the qualifier's `MaximumRetryAttempts` allows, and the event given up once its
/// retries are spent or it is older than its maximum age; then its record goes to the
/// configured destination and, for a failure, the event to the dead-letter queue.
pub(crate) fn spawn_async(svc: Arc<LambdaInner>, target: Target, payload: Value) {
    let received = svc.clock.now();
    if let Ok(f) = svc.lookup(&target.name) {
        bump(&f.counters.async_received);
    }
    let request_id = RequestId::from_uuid(svc.rand.uuid());
    let request_id_text = request_id.to_string();
    let qualifier = target
        .qualifier
        .clone()
        .unwrap_or_else(|| "$LATEST".to_owned());
    tokio::spawn(async move {
        let mut attempts = 0u32;
        let mut backoff = Duration::from_secs(1);
        let mut last: Option<LastAttempt> = None;
        loop {
            let Ok(r) = resolve(&svc, target.as_ref()) else {
                tracing::warn!(function = %target.name, "async event dropped: the function is gone");
                return;
            };
            let config = r
                .func
                .state
                .lock()
                .event_invoke
                .get(&qualifier)
                .cloned()
                .unwrap_or_default();
            let max_age = config.max_age.map_or(svc.limits.maximum_event_age, |s| {
                Duration::from_secs(u64::from(s))
            });
            let age = svc.clock.now() - received;
            let condition = if age >= max_age {
                Some(Condition::EventAgeExceeded)
            } else {
                None
            };
            let condition = match condition {
                Some(c) => c,
                None => match execute(&svc, &r, payload.clone(), Some(request_id)).await {
                    Err(_) => {
                        svc.clock.sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(300));
                        continue;
                    }
                    Ok(exec) => {
                        attempts += 1;
                        let ok = exec.outcome.is_ok();
                        last = Some(LastAttempt {
                            executed_version: exec.executed_version.to_string(),
                            outcome: exec.outcome,
                        });
                        if ok {
                            Condition::Success
                        } else {
                            let retries_done = attempts as usize - 1;
                            let allowed = config.retries.map_or(usize::MAX, |n| n as usize);
                            let retry = if retries_done < allowed {
                                svc.limits.async_retry_delays.get(retries_done)
                            } else {
                                None
                            };
                            match retry {
                                Some(delay) => {
                                    svc.clock.sleep(*delay).await;
                                    continue;
                                }
                                None => Condition::RetriesExhausted,
                            }
                        }
                    }
                },
            };
            if condition != Condition::Success {
                bump(&r.func.counters.async_dropped);
                tracing::warn!(function = %target.name, condition = ?condition, "async event given up after {attempts} attempts");
            }
            let destination = match condition {
                Condition::Success => config.on_success.clone(),
                _ => config.on_failure.clone(),
            };
            let dead_letter = r.version.config.dead_letter_target.clone();
            finish(
                &svc,
                Ended {
                    func: &r.func,
                    qualifier: &qualifier,
                    request_id: &request_id_text,
                    condition,
                    attempts,
                    payload: &payload,
                    last: last.as_ref(),
                    destination,
                    dead_letter,
                },
            )
            .await;
            return;
        }
    });
}

/// Starts provisioned environments for `version` until it has its target.
pub(crate) fn spawn_provisioning(
    svc: Arc<LambdaInner>,
    func: Arc<FunctionShared>,
    version: Arc<VersionShared>,
) {
    // Outside a runtime (an invocation future dropped after its runtime ended) nothing more
    // runs: there is nothing to provision for.
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        loop {
            {
                let mut pool = version.pool.lock();
                if pool.provisioned_live >= pool.provisioned_target {
                    return;
                }
                pool.provisioned_live += 1;
                pool.started += 1;
            }
            let built = AssertUnwindSafe(version.config.code.init(init_context(&version)))
                .catch_unwind()
                .await;
            let mut pool = version.pool.lock();
            match built {
                Ok(Ok(handler)) => {
                    let now = svc.clock.now();
                    let config = env_config(&svc, &func, &version, now);
                    if pool.provisioned_live > pool.provisioned_target {
                        pool.provisioned_live -= 1;
                        return;
                    }
                    pool.idle.push(Env {
                        handler,
                        last_used: now,
                        provisioned: true,
                        config,
                    });
                }
                _ => {
                    pool.provisioned_live = pool.provisioned_live.saturating_sub(1);
                    tracing::error!(version = %version.version, "provisioned INIT failed");
                    return;
                }
            }
        }
    });
}
