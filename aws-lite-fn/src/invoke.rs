//! The invocation engine: version resolution, environments, timeouts, panics, logs, metrics
//! and the asynchronous retry loop.

use std::future::Future as _;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use aws_lite_core::fault::FaultPoint;
use aws_lite_core::{Clock, Error, Instant};
use futures_util::FutureExt as _;
use serde_json::Value;

use crate::env::Env;
use crate::error;
use crate::event_invoke::{Condition, Ended, LastAttempt, finish};
use crate::handler::{Context, Diagnostic, ErasedHandler, Event, init_context};
use crate::metrics::bump;
use crate::names::{Target, is_version_number};
use crate::service::LambdaInner;
use crate::state::{FunctionShared, FunctionState, VersionShared};

/// What an invocation resolved to.
pub(crate) struct Resolved {
    pub(crate) func: Arc<FunctionShared>,
    pub(crate) version: Arc<VersionShared>,
    /// The ARN as invoked: qualified when the caller gave a qualifier.
    pub(crate) invoked_arn: String,
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

pub(crate) fn version_of(
    f: &FunctionShared,
    state: &FunctionState,
    version: &str,
) -> Result<Arc<VersionShared>, Error> {
    if version == "$LATEST" {
        return Ok(state.latest.clone());
    }
    version
        .parse::<u32>()
        .ok()
        .and_then(|n| state.versions.get(&n).cloned())
        .ok_or_else(|| error::function_not_found(&f.qualified_arn(version)))
}

/// Resolves the target of an invocation, drawing an alias's weighted route.
pub(crate) fn resolve(svc: &LambdaInner, target: &Target) -> Result<Resolved, Error> {
    let func = svc.lookup(&target.name)?;
    let state = func.state.lock();
    let (version, invoked_arn) = match target.qualifier.as_deref() {
        None => (state.latest.clone(), func.arn.clone()),
        Some(q) => {
            let arn = join3(&func.arn, ":", q);
            let not_found = || error::function_not_found(&arn);
            let version = if q == "$LATEST" {
                state.latest.clone()
            } else if is_version_number(q) {
                q.parse::<u32>()
                    .ok()
                    .and_then(|n| state.versions.get(&n).cloned())
                    .ok_or_else(not_found)?
            } else {
                let alias = state.aliases.get(q).ok_or_else(not_found)?;
                let chosen = match &alias.routing {
                    Some((extra, weight)) if svc.routing_rand.next_f64() < *weight => extra,
                    _ => &alias.function_version,
                };
                version_of(&func, &state, chosen)?
            };
            (version, arn)
        }
    };
    drop(state);
    Ok(Resolved {
        func,
        version,
        invoked_arn,
    })
}

/// `a + b + c` in one allocation (cheaper than `format!` on the invoke path).
fn join3(a: &str, b: &str, c: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + c.len());
    s.push_str(a);
    s.push_str(b);
    s.push_str(c);
    s
}

/// One REPORT line's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// `RequestId`.
    pub request_id: String,
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
    pub(crate) executed_version: String,
    pub(crate) outcome: Result<Value, Diagnostic>,
    pub(crate) report: Report,
}

/// The `errorType` of an injected function error whose rule carries no error (an aws-lite
/// extension).
pub(crate) const INJECTED_ERROR_TYPE: &str = "InjectedFault";
/// The `errorMessage` of an injected function error whose rule carries no error.
pub(crate) const INJECTED_ERROR_MESSAGE: &str = "fault injected by the fault plan";

fn timed_out(request_id: &str, timeout_secs: u32) -> Diagnostic {
    Diagnostic::new(
        "Sandbox.Timedout",
        format!("RequestId: {request_id} Error: Task timed out after {timeout_secs}.00 seconds"),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn log_stream(svc: &LambdaInner, version: &str, now: Instant) -> String {
    let date = crate::state::lambda_date(svc.clock.epoch_millis(now));
    let day = date.get(..10).unwrap_or("1970-01-01").replace('-', "/");
    format!(
        "{day}/[{version}]{:016x}{:016x}",
        svc.rand.next_u64(),
        svc.rand.next_u64()
    )
}

/// Runs one invocation of `r`: takes a concurrency slot (or throttles), a warm environment or
/// a cold start, runs the handler under the timeout and catches panics.
pub(crate) async fn execute(
    svc: &Arc<LambdaInner>,
    r: &Resolved,
    payload: Value,
    request_id: Option<&str>,
) -> Result<Execution, Error> {
    let fault_target = r.func.arn.as_str();
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
    let counters = &r.func.counters;
    bump(&counters.invocations);
    let clock = &svc.clock;
    let config = &r.version.config;
    let version = r.version.version.clone();
    let request_id = match request_id {
        Some(id) => id.to_owned(),
        None => svc.rand.uuid().to_string(),
    };
    let timeout = Duration::from_secs(u64::from(config.timeout));
    let cold_fault = svc
        .faults
        .check(FaultPoint::FN_INVOKE_COLD_START, fault_target);
    let force_cold = cold_fault.is_some();
    let slow_init = cold_fault.map_or(Duration::ZERO, |f| f.delay_or_zero());
    // One reading of the clock serves the pool and, when warm, the start of the run.
    let mut start = clock.now();
    let acquired = r
        .version
        .pool
        .lock()
        .acquire(start, svc.limits.idle_timeout, force_cold);

    let mut init_duration = None;
    let mut suppressed_deadline = None;
    let (handler, provisioned, stream) = match acquired {
        Some(env) => (env.handler, env.provisioned, env.log_stream),
        None => {
            bump(&counters.cold_starts);
            r.version.pool.lock().started += 1;
            let init_start = start;
            let first_init = async {
                if !slow_init.is_zero() {
                    clock.sleep(slow_init).await;
                }
                AssertUnwindSafe(config.code.init(init_context(&r.version)))
                    .catch_unwind()
                    .await
            };
            let first = clock.timeout(svc.limits.init_timeout, first_init).await;
            let built = match first {
                Ok(done) => done,
                Err(_) => {
                    // A suppressed INIT: Lambda retries it within the invocation, under the
                    // function's timeout.
                    tracing::warn!(function = %r.func.name, "INIT timed out; retrying within the invocation");
                    let deadline = clock.now() + timeout;
                    suppressed_deadline = Some(deadline);
                    match clock
                        .timeout_at(
                            deadline,
                            AssertUnwindSafe(config.code.init(init_context(&r.version)))
                                .catch_unwind(),
                        )
                        .await
                    {
                        Ok(done) => done,
                        Err(_) => Ok(Err(timed_out(&request_id, config.timeout))),
                    }
                }
            };
            let handler = match built {
                Ok(Ok(h)) => h,
                Ok(Err(diag)) => {
                    return Ok(finish_failed_init(
                        svc, r, permit, request_id, diag, init_start,
                    ));
                }
                Err(panic) => {
                    let diag = Diagnostic::from_panic(&*panic);
                    return Ok(finish_failed_init(
                        svc, r, permit, request_id, diag, init_start,
                    ));
                }
            };
            start = clock.now();
            init_duration = Some(start - init_start);
            (handler, false, log_stream(svc, &version, start))
        }
    };

    let deadline = suppressed_deadline.unwrap_or(start + timeout);
    tracing::info!(target: "aws_lite_fn::log", function = %r.func.name, "START RequestId: {request_id} Version: {version}");
    let context = Context {
        request_id: request_id.clone(),
        deadline,
        deadline_epoch_millis: clock.epoch_millis(deadline),
        invoked_function_arn: r.invoked_arn.clone(),
        function_name: r.func.name.clone(),
        function_version: version.clone(),
        memory_limit_in_mb: config.memory_size,
        log_group_name: join3("/aws/lambda/", &r.func.name, ""),
        log_stream_name: stream.clone(),
        env_vars: config.environment.clone(),
        layers: config.layers.merged().clone(),
    };
    let event = Event::new(payload, context);

    let mut timed_out_flag = false;
    let outcome: Result<Value, Diagnostic>;
    let mut keep: Option<Box<dyn ErasedHandler>> = None;
    if svc
        .faults
        .check(FaultPoint::FN_INVOKE_TIMEOUT, fault_target)
        .is_some()
    {
        clock.sleep_until(deadline).await;
        timed_out_flag = true;
        outcome = Err(timed_out(&request_id, config.timeout));
    } else if let Some(fault) = svc.faults.check(FaultPoint::FN_INVOKE_ERROR, fault_target) {
        let ran = match fault.delay {
            Some(d) if !d.is_zero() => clock.timeout_at(deadline, clock.sleep(d)).await.is_ok(),
            _ => true,
        };
        if ran {
            keep = Some(handler);
            outcome = Err(match fault.error {
                Some(e) => Diagnostic::new(e.code(), e.message()),
                None => Diagnostic::new(INJECTED_ERROR_TYPE, INJECTED_ERROR_MESSAGE),
            });
        } else {
            timed_out_flag = true;
            outcome = Err(timed_out(&request_id, config.timeout));
        }
    } else {
        let mut run = std::pin::pin!(AssertUnwindSafe(handler.call(event)).catch_unwind());
        // Most handlers answer on their first poll: only arm the timeout timer (a boxed
        // clock sleep) for one that does not. Either way the handler is polled first, as the
        // timeout would poll it.
        let first = std::future::poll_fn(|cx| Poll::Ready(run.as_mut().poll(cx))).await;
        let done = match first {
            Poll::Ready(out) => Ok(out),
            Poll::Pending => clock.timeout_at(deadline, run).await,
        };
        match done {
            Ok(Ok((h, out))) => {
                keep = Some(h);
                outcome = out;
            }
            Ok(Err(panic)) => {
                let diag = Diagnostic::from_panic(&*panic);
                tracing::error!(target: "aws_lite_fn::log", function = %r.func.name, "{}", diag.error_message);
                outcome = Err(diag);
            }
            Err(_) => {
                timed_out_flag = true;
                outcome = Err(timed_out(&request_id, config.timeout));
            }
        }
    }
    let end = clock.now();
    {
        let mut pool = r.version.pool.lock();
        match keep {
            Some(handler) => pool.release(
                Env {
                    handler,
                    last_used: end,
                    provisioned,
                    log_stream: stream,
                },
                end,
            ),
            None => pool.discard(provisioned),
        }
    }
    drop(permit);
    let duration = end - start;
    if timed_out_flag {
        bump(&counters.timeouts);
        let secs = duration.as_secs_f64();
        tracing::error!(target: "aws_lite_fn::log", function = %r.func.name, "{request_id} Task timed out after {secs:.2} seconds");
    }
    if outcome.is_err() {
        bump(&counters.errors);
    }
    counters.record_duration(duration);
    let report = report_line(r, request_id, duration, init_duration);
    Ok(Execution {
        executed_version: version,
        outcome,
        report,
    })
}

fn report_line(
    r: &Resolved,
    request_id: String,
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
    svc: &Arc<LambdaInner>,
    r: &Resolved,
    permit: crate::service::Permit,
    request_id: String,
    diag: Diagnostic,
    init_start: Instant,
) -> Execution {
    r.version.pool.lock().discard(false);
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
    let request_id = svc.rand.uuid().to_string();
    let qualifier = target
        .qualifier
        .clone()
        .unwrap_or_else(|| "$LATEST".to_owned());
    tokio::spawn(async move {
        let mut attempts = 0u32;
        let mut backoff = Duration::from_secs(1);
        let mut last: Option<LastAttempt> = None;
        loop {
            let Ok(r) = resolve(&svc, &target) else {
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
                None => match execute(&svc, &r, payload.clone(), Some(&request_id)).await {
                    Err(_) => {
                        svc.clock.sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(300));
                        continue;
                    }
                    Ok(exec) => {
                        attempts += 1;
                        let ok = exec.outcome.is_ok();
                        last = Some(LastAttempt {
                            executed_version: exec.executed_version,
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
                    request_id: &request_id,
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
pub(crate) fn spawn_provisioning(svc: Arc<LambdaInner>, version: Arc<VersionShared>) {
    tokio::spawn(async move {
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
                    let log_stream = log_stream(&svc, &version.version, now);
                    if pool.provisioned_live > pool.provisioned_target {
                        pool.provisioned_live -= 1;
                        return;
                    }
                    pool.idle.push(Env {
                        handler,
                        last_used: now,
                        provisioned: true,
                        log_stream,
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
