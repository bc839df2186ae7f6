//! The interpreter's pure core: one *thread* of states (the execution, a Parallel branch or a
//! Map iteration) as a step function.
//!
//! [`Thread::step`] takes the thread's state, one [`Event`] (start, a task's result, a timer, the
//! outcome of branches) and `now`, appends history events, and returns the next [`Action`]:
//! invoke a task, sleep until an instant, run branches, or finish. It never awaits, sleeps or
//! reads a clock; the async driver (`driver.rs`) performs the actions on the Clock and feeds
//! the outcomes back.
//!
//! # Errors
//!
//! A failure carries its error name and cause. `Retry` takes the first retrier whose
//! `ErrorEquals` matches (each retrier counts its own attempts, and an exhausted one ends
//! retrying); then `Catch` takes the first matching catcher, puts `{Error, Cause}` into the raw
//! state input at its `ResultPath` (default `$`), assigns its variables and moves to its
//! `Next`. `States.Runtime` is never retried or caught (not even by a retrier or catcher that
//! names it: it always fails the execution). `States.ALL` matches every other error (except a
//! `States.DataLimitExceeded` of a state's own output); `States.TaskFailed` matches every task
//! error except timeouts. A missed heartbeat (`HeartbeatSeconds`) is reported as
//! `States.Timeout`, like a `TimeoutSeconds` timeout (in the `*TimedOut` event and the execution
//! failure); `States.HeartbeatTimeout` is a name only `Retry` and `Catch` use, and matches
//! heartbeat timeouts only, while `States.Timeout` matches both kinds. Runtime
//! causes read `An error occurred while executing the state 'X' (entered at the event id #N). …`.
//!
//! # Variables
//!
//! `Assign` values are evaluated against the values from before the state and become visible
//! from the next state on. Parallel branches and Map iterations start with a copy of the outer
//! variables: they read outer values, and what they assign stays inside.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_lite_core::{Instant, Rand};
use serde_json::{Map, Value, json};

use crate::asl::{Catcher, PathField, Retrier, State};
use crate::callback::TokenRegistry;
use crate::choice;
use crate::dataflow::{self, Env, EvalError};
use crate::history::{HistoryEventType as T, HistorySink};
use crate::timestamp;

mod distributed_map;

/// The largest payload Step Functions passes between states: 256 KiB.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// A task's failure, as a handler reports it: an error name and a cause.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskError {
    /// The error name a `Retry` or `Catch` matches (`CustomException`, `Lambda.Unknown` …).
    pub error: String,
    /// Human-readable detail.
    pub cause: String,
}

impl TaskError {
    /// A task error named `error` with `cause`.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> TaskError {
        TaskError {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for TaskError {}

/// A failure inside an execution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub(crate) error: String,
    pub(crate) cause: String,
    /// Raised by a task (for `States.TaskFailed`).
    pub(crate) from_task: bool,
    /// Whether `States.ALL` matches it.
    pub(crate) all_matches: bool,
    /// A missed heartbeat (reported as `States.Timeout`; `States.HeartbeatTimeout` matches it).
    pub(crate) heartbeat: bool,
}

impl Failure {
    pub(crate) fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        let error = error.into();
        let all_matches = error != "States.Runtime";
        Failure {
            error,
            cause: cause.into(),
            from_task: false,
            all_matches,
            heartbeat: false,
        }
    }

    /// A task's timeout: `States.Timeout`, from a missed heartbeat when `heartbeat`.
    pub(crate) fn timeout(heartbeat: bool) -> Failure {
        let mut f = Failure::new("States.Timeout", "");
        f.from_task = true;
        f.heartbeat = heartbeat;
        f
    }

    pub(crate) fn matches(&self, names: &[String]) -> bool {
        // AWS: "A States.Runtime error isn't retriable, and will always cause the execution to
        // fail": no retrier or catcher takes it, not even one naming `States.Runtime`.
        if self.error == "States.Runtime" && !self.from_task {
            return false;
        }
        names.iter().any(|n| match n.as_str() {
            "States.ALL" => self.all_matches,
            "States.TaskFailed" => {
                self.from_task
                    && !matches!(
                        self.error.as_str(),
                        "States.Timeout" | "States.HeartbeatTimeout"
                    )
            }
            "States.Timeout" => {
                matches!(
                    self.error.as_str(),
                    "States.Timeout" | "States.HeartbeatTimeout"
                )
            }
            "States.HeartbeatTimeout" => self.heartbeat || self.error == "States.HeartbeatTimeout",
            other => other == self.error,
        })
    }
}

/// The time of a step: the clock's instant and its wall time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now {
    pub(crate) instant: Instant,
    pub(crate) wall: SystemTime,
}

/// What happened to a thread.
#[derive(Debug)]
pub(crate) enum Event {
    /// Start at `StartAt` with this input.
    Start(Value),
    /// The task returned.
    TaskDone(Result<Value, TaskError>),
    /// The task ran past its timeout (`heartbeat`: the heartbeat interval).
    TaskTimedOut { heartbeat: bool },
    /// The sleep asked for has ended.
    Timer,
    /// The branches or iterations asked for have ended.
    ForkDone(Result<Vec<Value>, Failure>),
    /// The Map Run asked for has ended; `last` is its `MapRunSucceeded`/`MapRunFailed` event.
    MapRunDone {
        result: Result<Value, Failure>,
        last: u64,
    },
}

/// How a Task resource is invoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ResourceKind {
    /// `arn:aws:lambda:…:function:f`: the handler gets the payload, its result is the result.
    LambdaArn,
    /// `arn:aws:states:::lambda:invoke`: the handler of `FunctionName` gets `Payload`, the
    /// result is wrapped as the Lambda Invoke API returns it.
    LambdaInvoke { function: String },
    /// `arn:aws:states:…:activity:name`: queued for the activity's workers.
    Activity,
    /// Any other resource: the handler registered for it.
    Other,
}

/// A task to run.
#[derive(Debug, Clone)]
pub(crate) struct Invocation {
    pub(crate) resource: String,
    pub(crate) kind: ResourceKind,
    /// The task's parameters (its effective input when it has no `Parameters`).
    pub(crate) input: Value,
    pub(crate) timeout: Option<Duration>,
    pub(crate) heartbeat: Option<Duration>,
    /// When the task started: `TimeoutSeconds` counts from here.
    pub(crate) started: Instant,
    /// The task token of a `.waitForTaskToken` or `.sync` task: once the request is sent, the
    /// task waits for a report on it.
    pub(crate) token: Option<String>,
    /// The handler of a callback task has returned (`TaskSubmitted` is recorded).
    pub(crate) submitted: bool,
}

/// A callback task waiting for its token's report.
#[derive(Debug, Clone)]
pub(crate) struct TokenWait {
    pub(crate) token: String,
    /// `TimeoutSeconds`' deadline.
    pub(crate) deadline: Option<Instant>,
    pub(crate) heartbeat: Option<Duration>,
}

/// Branches or iterations to run.
#[derive(Debug)]
pub(crate) struct Fork {
    /// The Map state's name, or `None` for Parallel.
    pub(crate) map_name: Option<String>,
    pub(crate) threads: Vec<(Thread, Value)>,
    /// 0: no limit.
    pub(crate) max_concurrency: usize,
    pub(crate) tolerated_count: Option<u64>,
    pub(crate) tolerated_percentage: Option<f64>,
    /// The `…StateStarted` event the branches link to.
    pub(crate) started_id: u64,
}

/// What the driver must do next.
#[derive(Debug)]
pub(crate) enum Action {
    Invoke(Invocation),
    /// Wait for a report on a task token (after `TaskSubmitted`).
    AwaitToken(TokenWait),
    Sleep(Instant),
    Fork(Fork),
    /// Run a Distributed Map's Map Run (`crate::map_run`).
    MapRun(Box<crate::map_run::MapRunSpec>),
    Done(Result<Value, Failure>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Nothing,
    Task,
    Wait,
    RetryDelay,
    Fork,
    MapRun,
}

enum Flow {
    Enter,
    Body,
    Exit {
        output: Value,
        next: Option<String>,
        assigned: Option<Map<String, Value>>,
    },
    Error(Failure),
    Fail(Failure),
    Await(Action),
}

/// One sequence of states: the execution, a Parallel branch or a Map iteration.
#[derive(Debug, Clone)]
pub(crate) struct Thread {
    start_at: String,
    states: Arc<BTreeMap<String, State>>,
    /// `{Execution, StateMachine}` of the context object.
    base_ctx: Arc<Value>,
    map_item: Option<(usize, Value)>,
    pub(crate) vars: BTreeMap<String, Value>,
    rand: Rand,
    region: String,
    current: String,
    input: Value,
    effective: Value,
    task: Option<Invocation>,
    /// The token of the current callback task attempt (`$$.Task.Token`).
    task_token: Option<String>,
    entered_id: u64,
    /// When the current state was entered (`$$.State.EnteredTime`, formatted on demand).
    entered_at: SystemTime,
    /// The current input as JSON text, when the previous state's exit already wrote it (so
    /// that `…StateEntered` does not serialize it again).
    input_text: Option<String>,
    /// Whether the current state may read the context object `$$` (see [`may_use_context`]);
    /// when not, the context object is not built.
    ctx_needed: bool,
    /// The `…StateExited` type of the current state, found when it was entered.
    exited: Option<T>,
    /// The output's JSON text, when the state passed its input on and its text was known.
    output_text: Option<String>,
    /// The id the thread's next event links to.
    pub(crate) prev: u64,
    retry_counts: Vec<u32>,
    retry_total: u32,
    pending: Pending,
}

type R<T> = Result<T, EvalError>;

impl Thread {
    /// Whether the thread is inside a Task state it has not exited, given the action its last
    /// step returned (a task in flight, a retry delay, or a failure the Task did not catch):
    /// aborting the thread then records `TaskStateAborted`.
    pub(crate) fn in_open_task(&self, action: &Action) -> bool {
        matches!(self.states.get(&self.current), Some(State::Task(_)))
            && !matches!(action, Action::Done(Ok(_)))
    }

    /// A thread over `states` starting at `start_at`.
    pub(crate) fn new(
        start_at: String,
        states: Arc<BTreeMap<String, State>>,
        base_ctx: Arc<Value>,
        vars: BTreeMap<String, Value>,
        rand: Rand,
        region: String,
    ) -> Thread {
        Thread {
            current: start_at.clone(),
            start_at,
            states,
            base_ctx,
            map_item: None,
            vars,
            rand,
            region,
            input: Value::Null,
            effective: Value::Null,
            task: None,
            task_token: None,
            entered_id: 0,
            entered_at: SystemTime::UNIX_EPOCH,
            input_text: None,
            ctx_needed: true,
            exited: None,
            output_text: None,
            prev: 0,
            retry_counts: Vec::new(),
            retry_total: 0,
            pending: Pending::Nothing,
        }
    }

    /// Advances the thread by one event.
    pub(crate) fn step(&mut self, event: Event, now: Now, h: &mut HistorySink) -> Action {
        let pending = std::mem::replace(&mut self.pending, Pending::Nothing);
        let flow = match (event, pending) {
            (Event::Start(input), _) => {
                self.current = self.start_at.clone();
                self.input = input;
                self.input_text = None;
                self.output_text = None;
                Flow::Enter
            }
            (Event::TaskDone(r), Pending::Task) => self.task_done(r, now, h),
            (Event::TaskTimedOut { heartbeat }, Pending::Task) => {
                self.task_timed_out(heartbeat, now, h)
            }
            (Event::Timer, Pending::Wait) => self.wait_done(),
            (Event::Timer, Pending::RetryDelay) => Flow::Body,
            (Event::ForkDone(r), Pending::Fork) => self.fork_done(r, now, h),
            (Event::MapRunDone { result, last }, Pending::MapRun) => {
                self.map_run_done(result, last, now, h)
            }
            (event, pending) => {
                return Action::Done(Err(Failure::new(
                    "States.Runtime",
                    format!("internal: unexpected {event:?} while waiting for {pending:?}"),
                )));
            }
        };
        self.run(flow, now, h)
    }

    fn run(&mut self, mut flow: Flow, now: Now, h: &mut HistorySink) -> Action {
        loop {
            if let Some((error, cause)) = &h.halt {
                // The history limit or a deleted machine: stop at this transition.
                let mut f = Failure::new(error.clone(), cause.clone());
                f.all_matches = false;
                return Action::Done(Err(f));
            }
            flow = match flow {
                Flow::Enter => {
                    // One look-up of the state for its entered event and its body.
                    let states = Arc::clone(&self.states);
                    let state = states.get(&self.current);
                    self.enter(state, now, h);
                    match state {
                        Some(state) => self.body_of(state, now, h),
                        None => self.body(now, h),
                    }
                }
                Flow::Body => self.body(now, h),
                Flow::Exit {
                    output,
                    next,
                    assigned,
                } => {
                    // Serialized once: for the size check, `…StateExited` and the next
                    // state's `…StateEntered`.
                    let text = match self.output_text.take() {
                        Some(text) => text,
                        None => dataflow::compact(&output),
                    };
                    if text.len() > MAX_PAYLOAD_BYTES {
                        if let Err(f) = self.size_check(&output, false) {
                            return Action::Done(Err(f));
                        }
                    }
                    match next {
                        Some(n) => {
                            self.exit(text.clone(), assigned, now, h);
                            self.current = n;
                            self.input = output;
                            self.input_text = Some(text);
                            Flow::Enter
                        }
                        None => {
                            self.exit(text, assigned, now, h);
                            return Action::Done(Ok(output));
                        }
                    }
                }
                Flow::Error(f) => self.handle_error(f, now),
                Flow::Fail(f) => return Action::Done(Err(f)),
                Flow::Await(a) => return a,
            };
        }
    }

    fn context(&self) -> Value {
        let mut ctx = (*self.base_ctx).clone();
        if let Value::Object(m) = &mut ctx {
            let mut st = json!({
                "Name": self.current,
                "EnteredTime": timestamp::format(self.entered_at),
            });
            if matches!(self.states.get(&self.current), Some(State::Task(_))) {
                st["RetryCount"] = json!(self.retry_total);
            }
            m.insert("State".into(), st);
            if let Some((i, v)) = &self.map_item {
                m.insert("Map".into(), json!({"Item": {"Index": i, "Value": v}}));
            }
            if let Some(token) = &self.task_token {
                m.insert("Task".into(), json!({"Token": token}));
            }
        }
        ctx
    }

    fn runtime(&self, e: EvalError) -> Failure {
        let mut f = Failure::new(
            e.error,
            format!(
                "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                self.current, self.entered_id, e.message
            ),
        );
        if e.error == "States.Runtime" {
            f.all_matches = false;
        }
        f
    }

    fn push(&mut self, h: &mut HistorySink, now: Now, t: T, details: Option<(&str, Value)>) -> u64 {
        let id = h.push(now.wall, t, self.prev, details);
        self.prev = id;
        id
    }

    fn enter(&mut self, state: Option<&State>, now: Now, h: &mut HistorySink) {
        self.retry_counts.clear();
        self.retry_total = 0;
        self.entered_at = now.wall;
        let ty = match state {
            Some(State::Pass(_)) => T::PassStateEntered,
            Some(State::Task(_)) => T::TaskStateEntered,
            Some(State::Choice(_)) => T::ChoiceStateEntered,
            Some(State::Wait(_)) => T::WaitStateEntered,
            Some(State::Succeed(_)) => T::SucceedStateEntered,
            Some(State::Fail(_)) => T::FailStateEntered,
            Some(State::Parallel(_)) => T::ParallelStateEntered,
            Some(State::Map(_)) | None => T::MapStateEntered,
        };
        self.exited = Some(exited_type(state));
        let input = match self.input_text.take() {
            // A Pass state that passes its input on keeps its text for its exited event.
            Some(text) if state.is_some_and(passes_input_on) => {
                self.input_text = Some(text.clone());
                text
            }
            Some(text) => text,
            None => dataflow::compact(&self.input),
        };
        let id = h.push_state_io(now.wall, ty, self.prev, true, &self.current, input);
        self.prev = id;
        self.entered_id = id;
    }

    /// Records `…StateExited` with `output`, the state's output as JSON text.
    fn exit(
        &mut self,
        output: String,
        assigned: Option<Map<String, Value>>,
        now: Now,
        h: &mut HistorySink,
    ) {
        let ty = match self.exited.take() {
            Some(ty) => ty,
            None => exited_type(self.states.get(&self.current)),
        };
        let Some(vars) = assigned else {
            let id = h.push_state_io(now.wall, ty, self.prev, false, &self.current, output);
            self.prev = id;
            return;
        };
        let mut details = state_io(&self.current, "output", "outputDetails", output);
        let shown: Map<String, Value> = vars
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(dataflow::compact(v))))
            .collect();
        if let Value::Object(d) = &mut details {
            d.insert("assignedVariables".into(), Value::Object(shown));
            d.insert(
                "assignedVariablesDetails".into(),
                json!({"truncated": false}),
            );
        }
        for (k, v) in vars {
            self.vars.insert(k, v);
        }
        self.push(h, now, ty, Some(("stateExitedEventDetails", details)));
    }

    fn size_check(&self, v: &Value, from_task: bool) -> Result<(), Failure> {
        let len = dataflow::compact(v).len();
        if len > MAX_PAYLOAD_BYTES {
            let mut f = Failure::new(
                "States.DataLimitExceeded",
                format!(
                    "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                    self.current
                ),
            );
            f.all_matches = from_task;
            f.from_task = from_task;
            return Err(f);
        }
        Ok(())
    }

    /// Evaluates the pieces common to every state that completes with a result: `Assign`
    /// (on the raw result), `ResultSelector`, `ResultPath`, `OutputPath`.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        result: Value,
        assign: Option<&Value>,
        selector: Option<&Value>,
        result_path: Option<&PathField>,
        output_path: Option<&PathField>,
        next: Option<String>,
    ) -> R<Flow> {
        let ctx = if self.ctx_needed {
            self.context()
        } else {
            Value::Null
        };
        let env = Env {
            input: &result,
            context: &ctx,
            vars: &self.vars,
            rand: &self.rand,
        };
        let assigned = assign.map(|a| assign_vars(&env, a)).transpose()?;
        let selected = match selector {
            Some(s) => env.template(s)?,
            None => result.clone(),
        };
        let placed = dataflow::result_path(result_path, &self.input, selected)?;
        let output = env.with_input(&placed).select(output_path, "OutputPath")?;
        Ok(Flow::Exit {
            output,
            next,
            assigned,
        })
    }

    fn body(&mut self, now: Now, h: &mut HistorySink) -> Flow {
        let states = Arc::clone(&self.states);
        let Some(state) = states.get(&self.current) else {
            return Flow::Fail(Failure::new(
                "States.Runtime",
                format!("The state '{}' does not exist", self.current),
            ));
        };
        self.body_of(state, now, h)
    }

    /// The body of the current state, `state`.
    fn body_of(&mut self, state: &State, now: Now, h: &mut HistorySink) -> Flow {
        self.ctx_needed = may_use_context(state);
        // Each attempt of a callback task gets a new token, before its Parameters are evaluated.
        self.task_token = match state {
            State::Task(s)
                if is_callback(&s.resource)
                    || is_sync(&s.resource)
                    || crate::activity::is_activity(&s.resource) =>
            {
                Some(TokenRegistry::mint(&self.rand))
            }
            _ => None,
        };
        match self.body_inner(state, now, h) {
            Ok(flow) => flow,
            Err(e) => Flow::Error(self.runtime(e)),
        }
    }

    fn body_inner(&mut self, state: &State, now: Now, h: &mut HistorySink) -> R<Flow> {
        // A Pass state with none of its optional fields passes its input on untouched: no
        // context object, no copies, and its input's text is its output's.
        if let State::Pass(s) = state {
            if passes_input_on(state) {
                self.output_text = self.input_text.take();
                return Ok(Flow::Exit {
                    output: std::mem::take(&mut self.input),
                    next: s.next.clone(),
                    assigned: None,
                });
            }
        }
        let ctx = if self.ctx_needed {
            self.context()
        } else {
            Value::Null
        };
        let raw = self.input.clone();
        let env = Env {
            input: &raw,
            context: &ctx,
            vars: &self.vars,
            rand: &self.rand,
        };
        match state {
            State::Pass(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let result = if let Some(r) = &s.result {
                    r.clone()
                } else if let Some(p) = &s.parameters {
                    env.with_input(&effective).template(p)?
                } else {
                    effective
                };
                self.finish(
                    result,
                    s.assign.as_ref(),
                    None,
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
            }
            State::Succeed(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let output = env
                    .with_input(&effective)
                    .select(s.output_path.as_ref(), "OutputPath")?;
                Ok(Flow::Exit {
                    output,
                    next: None,
                    assigned: None,
                })
            }
            State::Fail(s) => {
                let pick = |lit: &Option<String>,
                            path: &Option<String>,
                            field: &str|
                 -> R<Option<String>> {
                    if let Some(l) = lit {
                        return Ok(Some(l.clone()));
                    }
                    let Some(p) = path else { return Ok(None) };
                    let v = env.resolve(p, field)?;
                    Ok(Some(match v {
                        Value::String(s) => s,
                        other => dataflow::compact(&other),
                    }))
                };
                let error = pick(&s.error, &s.error_path, "ErrorPath")?;
                let cause = pick(&s.cause, &s.cause_path, "CausePath")?;
                let mut f = Failure::new(error.unwrap_or_default(), cause.unwrap_or_default());
                f.all_matches = true;
                Ok(Flow::Fail(f))
            }
            State::Choice(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let mut chosen: Option<(String, Option<&Value>)> = None;
                for rule in &s.choices {
                    if choice::evaluate(rule, &eenv)? {
                        chosen =
                            Some((rule.next.clone().unwrap_or_default(), rule.assign.as_ref()));
                        break;
                    }
                }
                let (next, rule_assign) = match chosen {
                    Some(c) => c,
                    None => match &s.default {
                        Some(d) => (d.clone(), None),
                        None => {
                            let mut f = Failure::new(
                                "States.NoChoiceMatched",
                                format!(
                                    "An error occurred while executing the state '{}' (entered at the event id #{}). No Choice Rule matched and no Default specified.",
                                    self.current, self.entered_id
                                ),
                            );
                            f.all_matches = true;
                            return Ok(Flow::Fail(f));
                        }
                    },
                };
                let mut assigned: Option<Map<String, Value>> = None;
                for a in [s.assign.as_ref(), rule_assign].into_iter().flatten() {
                    let vars = assign_vars(&eenv, a)?;
                    assigned.get_or_insert_with(Map::new).extend(vars);
                }
                let output = eenv.select(s.output_path.as_ref(), "OutputPath")?;
                Ok(Flow::Exit {
                    output,
                    next: Some(next),
                    assigned,
                })
            }
            State::Wait(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let deadline = if let Some(secs) = &s.seconds {
                    now.instant + Duration::from_secs(secs.as_u64().unwrap_or(0))
                } else if let Some(ts) = &s.timestamp {
                    until(now, timestamp::parse(ts).unwrap_or(0))
                } else if let Some(p) = &s.seconds_path {
                    let v = eenv.try_path(p, "SecondsPath")?.ok_or_else(|| {
                        EvalError::runtime(format!(
                            "The SecondsPath parameter does not reference an input value: {p}"
                        ))
                    })?;
                    let secs = match &v {
                        Value::Number(n) if n.as_i64().is_some() => n.as_i64().unwrap_or(0),
                        other => {
                            return Err(EvalError::runtime(format!(
                                "The SecondsPath parameter cannot be parsed as a long value: {p} == {}",
                                dataflow::compact(other)
                            )));
                        }
                    };
                    if secs < 0 {
                        return Err(EvalError::runtime(format!(
                            "The SecondsPath parameter references a negative value: {p} == {secs}"
                        )));
                    }
                    now.instant + Duration::from_secs(secs.unsigned_abs())
                } else if let Some(p) = &s.timestamp_path {
                    let v = eenv.try_path(p, "TimestampPath")?.ok_or_else(|| {
                        EvalError::runtime(format!(
                            "The TimestampPath parameter does not reference an input value: {p}"
                        ))
                    })?;
                    let t = v.as_str().and_then(timestamp::parse).ok_or_else(|| {
                        let shown = match &v {
                            Value::String(s) => s.clone(),
                            other => dataflow::compact(other),
                        };
                        EvalError::runtime(format!(
                            "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {shown}"
                        ))
                    })?;
                    until(now, t)
                } else {
                    now.instant
                };
                self.effective = effective;
                self.pending = Pending::Wait;
                Ok(Flow::Await(Action::Sleep(deadline)))
            }
            State::Task(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let payload = match &s.parameters {
                    Some(p) => eenv.template(p)?,
                    None => effective.clone(),
                };
                let secs = |lit: Option<u64>,
                            path: &Option<String>,
                            field: &str|
                 -> R<Option<u64>> {
                    if let Some(l) = lit {
                        return Ok(Some(l));
                    }
                    let Some(p) = path else { return Ok(None) };
                    let v = eenv.resolve_path(p, field)?;
                    v.as_u64().filter(|n| *n > 0).map(Some).ok_or_else(|| {
                        EvalError::runtime(format!(
                            "The {field} field refers to value \"{}\" which is not a valid positive integer: {p}",
                            dataflow::compact(&v)
                        ))
                    })
                };
                let timeout = secs(
                    s.timeout_seconds,
                    &s.timeout_seconds_path,
                    "TimeoutSecondsPath",
                )?;
                let heartbeat = secs(
                    s.heartbeat_seconds,
                    &s.heartbeat_seconds_path,
                    "HeartbeatSecondsPath",
                )?;
                let kind = classify(&s.resource, &payload);
                if let Err(mut f) = self.size_check(&payload, true) {
                    f.cause = format!(
                        "The state/task '{}' has an input with a size exceeding the maximum number of bytes service limit.",
                        s.resource
                    );
                    return Ok(Flow::Error(f));
                }
                // `Credentials` (its `RoleArn` may be a path, a variable or an intrinsic): recorded
                // as the scheduled task's `taskCredentials`.
                let credentials = match &s.credentials {
                    Some(c) => Some(eenv.template(c)?),
                    None => None,
                };
                self.schedule_events(
                    &s.resource,
                    &kind,
                    &payload,
                    (timeout, heartbeat),
                    credentials.as_ref(),
                    now,
                    h,
                );
                let inv = Invocation {
                    resource: s.resource.clone(),
                    kind,
                    input: payload,
                    timeout: timeout.map(Duration::from_secs),
                    heartbeat: heartbeat.map(Duration::from_secs),
                    started: now.instant,
                    token: self.task_token.clone(),
                    submitted: false,
                };
                self.task = Some(inv.clone());
                self.effective = effective;
                self.pending = Pending::Task;
                Ok(Flow::Await(Action::Invoke(inv)))
            }
            State::Parallel(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let branch_input = match &s.parameters {
                    Some(p) => env.with_input(&effective).template(p)?,
                    None => effective.clone(),
                };
                let started = self.push(h, now, T::ParallelStateStarted, None);
                let threads = s
                    .branches
                    .iter()
                    .map(|b| {
                        let mut t = self.child(&b.start_at, Arc::new(b.states.clone()));
                        t.prev = started;
                        (t, branch_input.clone())
                    })
                    .collect();
                self.effective = effective;
                self.pending = Pending::Fork;
                Ok(Flow::Await(Action::Fork(Fork {
                    map_name: None,
                    threads,
                    max_concurrency: 0,
                    tolerated_count: None,
                    tolerated_percentage: None,
                    started_id: started,
                })))
            }
            State::Map(s) if s.is_distributed() => self.distributed_map(s, &raw, &ctx, now, h),
            State::Map(s) => {
                let effective = env.select(s.input_path.as_ref(), "InputPath")?;
                let eenv = env.with_input(&effective);
                let items = match &s.items_path {
                    Some(p) => eenv.resolve_path(p, "ItemsPath")?,
                    None => effective.clone(),
                };
                let Value::Array(items) = items else {
                    return Err(EvalError::runtime(format!(
                        "Map state input must be an array but was: {}",
                        dataflow::compact(&items)
                    )));
                };
                let max = distributed_map::max_concurrency(s, &eenv)?;
                let Some(proc_) = s.processor() else {
                    return Err(EvalError::runtime("The Map state has no ItemProcessor"));
                };
                let selector = s.item_selector.as_ref().or(s.parameters.as_ref());
                let states = Arc::new(proc_.states.clone());
                let mut threads = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let mut t = self.child(&proc_.start_at, Arc::clone(&states));
                    t.map_item = Some((i, item.clone()));
                    let input = match selector {
                        Some(sel) => {
                            let mut c = ctx.clone();
                            if let Value::Object(m) = &mut c {
                                m.insert(
                                    "Map".into(),
                                    json!({"Item": {"Index": i, "Value": item}}),
                                );
                            }
                            Env {
                                input: &effective,
                                context: &c,
                                vars: &self.vars,
                                rand: &self.rand,
                            }
                            .template(sel)?
                        }
                        None => item,
                    };
                    threads.push((t, input));
                }
                let started = h.push(
                    now.wall,
                    T::MapStateStarted,
                    self.prev,
                    Some((
                        "mapStateStartedEventDetails",
                        json!({"length": threads.len()}),
                    )),
                );
                let (count, pct) = distributed_map::tolerated(s, &eenv)?;
                self.prev = started;
                self.effective = effective;
                self.pending = Pending::Fork;
                Ok(Flow::Await(Action::Fork(Fork {
                    map_name: Some(self.current.clone()),
                    threads,
                    max_concurrency: usize::try_from(max).unwrap_or(usize::MAX),
                    tolerated_count: count,
                    tolerated_percentage: pct,
                    started_id: started,
                })))
            }
        }
    }

    fn child(&self, start_at: &str, states: Arc<BTreeMap<String, State>>) -> Thread {
        Thread::new(
            start_at.to_string(),
            states,
            Arc::clone(&self.base_ctx),
            self.vars.clone(),
            self.rand.clone(),
            self.region.clone(),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn schedule_events(
        &mut self,
        resource: &str,
        kind: &ResourceKind,
        payload: &Value,
        (timeout, heartbeat): (Option<u64>, Option<u64>),
        credentials: Option<&Value>,
        now: Now,
        h: &mut HistorySink,
    ) {
        if *kind == ResourceKind::LambdaArn {
            let mut d = json!({
                "resource": resource,
                "input": dataflow::compact(payload),
                "inputDetails": {"truncated": false},
            });
            if let (Some(t), Value::Object(m)) = (timeout, &mut d) {
                m.insert("timeoutInSeconds".into(), json!(t));
            }
            self.push(
                h,
                now,
                T::LambdaFunctionScheduled,
                Some(("lambdaFunctionScheduledEventDetails", d)),
            );
            self.push(h, now, T::LambdaFunctionStarted, None);
            return;
        }
        if *kind == ResourceKind::Activity {
            let mut d = json!({
                "resource": resource,
                "input": dataflow::compact(payload),
                "inputDetails": {"truncated": false},
            });
            if let Value::Object(m) = &mut d {
                if let Some(t) = timeout {
                    m.insert("timeoutInSeconds".into(), json!(t));
                }
                if let Some(t) = heartbeat {
                    m.insert("heartbeatInSeconds".into(), json!(t));
                }
            }
            self.push(
                h,
                now,
                T::ActivityScheduled,
                Some(("activityScheduledEventDetails", d)),
            );
            return;
        }
        let (rtype, rname) = split_resource(resource);
        let mut d = json!({
            "resourceType": rtype,
            "resource": rname,
            "region": self.region,
            "parameters": dataflow::compact(payload),
        });
        if let Value::Object(m) = &mut d {
            if let Some(t) = timeout {
                m.insert("timeoutInSeconds".into(), json!(t));
            }
            if let Some(t) = heartbeat {
                m.insert("heartbeatInSeconds".into(), json!(t));
            }
            if let Some(role) = credentials.and_then(|c| c.get("RoleArn")) {
                m.insert("taskCredentials".into(), json!({"roleArn": role}));
            }
        }
        self.push(
            h,
            now,
            T::TaskScheduled,
            Some(("taskScheduledEventDetails", d)),
        );
        self.push(
            h,
            now,
            T::TaskStarted,
            Some((
                "taskStartedEventDetails",
                json!({"resourceType": rtype, "resource": rname}),
            )),
        );
    }

    fn task_failed_event(&mut self, f: &Failure, now: Now, h: &mut HistorySink) {
        let Some(inv) = self.task.clone() else { return };
        if inv.kind == ResourceKind::Activity {
            self.push(
                h,
                now,
                T::ActivityFailed,
                Some((
                    "activityFailedEventDetails",
                    json!({"error": f.error, "cause": f.cause}),
                )),
            );
        } else if inv.kind == ResourceKind::LambdaArn {
            self.push(
                h,
                now,
                T::LambdaFunctionFailed,
                Some((
                    "lambdaFunctionFailedEventDetails",
                    json!({"error": f.error, "cause": f.cause}),
                )),
            );
        } else {
            let (rtype, rname) = split_resource(&inv.resource);
            self.push(
                h,
                now,
                T::TaskFailed,
                Some((
                    "taskFailedEventDetails",
                    json!({"error": f.error, "cause": f.cause, "resourceType": rtype, "resource": rname}),
                )),
            );
        }
    }

    fn task_done(&mut self, r: Result<Value, TaskError>, now: Now, h: &mut HistorySink) -> Flow {
        let Some(inv) = self.task.clone() else {
            return Flow::Fail(Failure::new("States.Runtime", "internal: no task"));
        };
        let result = match r {
            Ok(v) => v,
            Err(e) => {
                let mut f = Failure::new(e.error, e.cause);
                f.from_task = true;
                f.all_matches = true;
                self.task_failed_event(&f, now, h);
                return Flow::Error(f);
            }
        };
        if let (Some(token), false) = (&inv.token, inv.submitted) {
            // The callback's request was sent, or a worker took the activity task: record it
            // and wait for the token.
            let (rtype, rname) = split_resource(&inv.resource);
            if inv.kind == ResourceKind::Activity {
                let d = match &result {
                    Value::String(w) => json!({"workerName": w}),
                    _ => json!({}),
                };
                self.push(
                    h,
                    now,
                    T::ActivityStarted,
                    Some(("activityStartedEventDetails", d)),
                );
            } else {
                self.push(
                h,
                now,
                T::TaskSubmitted,
                Some((
                    "taskSubmittedEventDetails",
                    json!({"resourceType": rtype, "resource": rname, "output": dataflow::compact(&result), "outputDetails": {"truncated": false}}),
                )),
            );
            }
            let wait = TokenWait {
                token: token.clone(),
                deadline: inv.timeout.map(|t| inv.started + t),
                heartbeat: inv.heartbeat,
            };
            if let Some(t) = &mut self.task {
                t.submitted = true;
            }
            self.pending = Pending::Task;
            return Flow::Await(Action::AwaitToken(wait));
        }
        if let Err(mut f) = self.size_check(&result, true) {
            f.cause = format!(
                "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                inv.resource
            );
            self.task_failed_event(&f, now, h);
            return Flow::Error(f);
        }
        let out = dataflow::compact(&result);
        if inv.kind == ResourceKind::Activity {
            self.push(
                h,
                now,
                T::ActivitySucceeded,
                Some((
                    "activitySucceededEventDetails",
                    json!({"output": out, "outputDetails": {"truncated": false}}),
                )),
            );
        } else if inv.kind == ResourceKind::LambdaArn {
            self.push(
                h,
                now,
                T::LambdaFunctionSucceeded,
                Some((
                    "lambdaFunctionSucceededEventDetails",
                    json!({"output": out, "outputDetails": {"truncated": false}}),
                )),
            );
        } else {
            let (rtype, rname) = split_resource(&inv.resource);
            self.push(
                h,
                now,
                T::TaskSucceeded,
                Some((
                    "taskSucceededEventDetails",
                    json!({"resourceType": rtype, "resource": rname, "output": out, "outputDetails": {"truncated": false}}),
                )),
            );
        }
        let states = Arc::clone(&self.states);
        let Some(State::Task(s)) = states.get(&self.current) else {
            return Flow::Fail(Failure::new("States.Runtime", "internal: not a task"));
        };
        match self.finish(
            result,
            s.assign.as_ref(),
            s.result_selector.as_ref(),
            s.result_path.as_ref(),
            s.output_path.as_ref(),
            s.next.clone(),
        ) {
            Ok(f) => f,
            Err(e) => Flow::Error(self.runtime(e)),
        }
    }

    fn task_timed_out(&mut self, heartbeat: bool, now: Now, h: &mut HistorySink) -> Flow {
        // AWS reports both kinds as `States.Timeout`; the flag keeps `States.HeartbeatTimeout`
        // matchable in Retry and Catch.
        let f = Failure::timeout(heartbeat);
        let error = f.error.as_str();
        if let Some(inv) = self.task.clone() {
            if inv.kind == ResourceKind::Activity {
                self.push(
                    h,
                    now,
                    T::ActivityTimedOut,
                    Some(("activityTimedOutEventDetails", json!({"error": error}))),
                );
            } else if inv.kind == ResourceKind::LambdaArn {
                self.push(
                    h,
                    now,
                    T::LambdaFunctionTimedOut,
                    Some((
                        "lambdaFunctionTimedOutEventDetails",
                        json!({"error": error, "cause": ""}),
                    )),
                );
            } else {
                let (rtype, rname) = split_resource(&inv.resource);
                self.push(
                    h,
                    now,
                    T::TaskTimedOut,
                    Some((
                        "taskTimedOutEventDetails",
                        json!({"error": error, "resourceType": rtype, "resource": rname}),
                    )),
                );
            }
        }
        Flow::Error(f)
    }

    fn wait_done(&mut self) -> Flow {
        let states = Arc::clone(&self.states);
        let Some(State::Wait(s)) = states.get(&self.current) else {
            return Flow::Fail(Failure::new("States.Runtime", "internal: not a wait"));
        };
        let ctx = self.context();
        let effective = self.effective.clone();
        let env = Env {
            input: &effective,
            context: &ctx,
            vars: &self.vars,
            rand: &self.rand,
        };
        let r = (|| -> R<Flow> {
            let assigned = s
                .assign
                .as_ref()
                .map(|a| assign_vars(&env, a))
                .transpose()?;
            let output = env.select(s.output_path.as_ref(), "OutputPath")?;
            Ok(Flow::Exit {
                output,
                next: s.next.clone(),
                assigned,
            })
        })();
        r.unwrap_or_else(|e| Flow::Error(self.runtime(e)))
    }

    fn fork_done(&mut self, r: Result<Vec<Value>, Failure>, now: Now, h: &mut HistorySink) -> Flow {
        let states = Arc::clone(&self.states);
        let state = states.get(&self.current);
        let is_map = matches!(state, Some(State::Map(_)));
        let results = match r {
            Ok(v) => v,
            Err(f) => {
                let t = if is_map {
                    T::MapStateFailed
                } else {
                    T::ParallelStateFailed
                };
                self.push(h, now, t, None);
                return Flow::Error(f);
            }
        };
        let t = if is_map {
            T::MapStateSucceeded
        } else {
            T::ParallelStateSucceeded
        };
        self.push(h, now, t, None);
        let result = Value::Array(results);
        let r = match state {
            Some(State::Map(s)) => self.finish(
                result,
                s.assign.as_ref(),
                s.result_selector.as_ref(),
                s.result_path.as_ref(),
                s.output_path.as_ref(),
                s.next.clone(),
            ),
            Some(State::Parallel(s)) => self.finish(
                result,
                s.assign.as_ref(),
                s.result_selector.as_ref(),
                s.result_path.as_ref(),
                s.output_path.as_ref(),
                s.next.clone(),
            ),
            _ => return Flow::Fail(Failure::new("States.Runtime", "internal: not a fork")),
        };
        r.unwrap_or_else(|e| Flow::Error(self.runtime(e)))
    }

    fn handle_error(&mut self, f: Failure, now: Now) -> Flow {
        let states = Arc::clone(&self.states);
        let (retry, catch): (&[Retrier], &[Catcher]) = match states.get(&self.current) {
            Some(State::Task(s)) => (
                s.retry.as_deref().unwrap_or_default(),
                s.catch.as_deref().unwrap_or_default(),
            ),
            Some(State::Parallel(s)) => (
                s.retry.as_deref().unwrap_or_default(),
                s.catch.as_deref().unwrap_or_default(),
            ),
            Some(State::Map(s)) => (
                s.retry.as_deref().unwrap_or_default(),
                s.catch.as_deref().unwrap_or_default(),
            ),
            _ => (&[], &[]),
        };
        if self.retry_counts.len() < retry.len() {
            self.retry_counts.resize(retry.len(), 0);
        }
        if let Some((i, r)) = retry
            .iter()
            .enumerate()
            .find(|(_, r)| f.matches(&r.error_equals))
        {
            let attempt = self.retry_counts[i] + 1;
            if let Some(delay) = r.backoff().delay(attempt, &self.rand) {
                self.retry_counts[i] = attempt;
                self.retry_total += 1;
                if delay.is_zero() {
                    return Flow::Body;
                }
                self.pending = Pending::RetryDelay;
                return Flow::Await(Action::Sleep(now.instant + delay));
            }
        }
        if let Some(c) = catch.iter().find(|c| f.matches(&c.error_equals)) {
            let err_out = json!({"Error": f.error, "Cause": f.cause});
            let ctx = self.context();
            let env = Env {
                input: &err_out,
                context: &ctx,
                vars: &self.vars,
                rand: &self.rand,
            };
            let r = (|| -> R<Flow> {
                let assigned = c
                    .assign
                    .as_ref()
                    .map(|a| assign_vars(&env, a))
                    .transpose()?;
                let output =
                    dataflow::result_path(c.result_path.as_ref(), &self.input, err_out.clone())?;
                Ok(Flow::Exit {
                    output,
                    next: Some(c.next.clone()),
                    assigned,
                })
            })();
            return r.unwrap_or_else(|e| Flow::Fail(self.runtime(e)));
        }
        Flow::Fail(f)
    }
}

/// Whether `state` is a Pass state with none of its optional fields: its output is its input.
fn passes_input_on(state: &State) -> bool {
    match state {
        State::Pass(s) => {
            s.input_path.is_none()
                && s.parameters.is_none()
                && s.result.is_none()
                && s.result_path.is_none()
                && s.output_path.is_none()
                && s.assign.is_none()
                && s.output.is_none()
        }
        _ => false,
    }
}

/// The `…StateExited` type of `state`.
fn exited_type(state: Option<&State>) -> T {
    match state {
        Some(State::Pass(_)) => T::PassStateExited,
        Some(State::Task(_)) => T::TaskStateExited,
        Some(State::Choice(_)) => T::ChoiceStateExited,
        Some(State::Wait(_)) => T::WaitStateExited,
        Some(State::Succeed(_)) => T::SucceedStateExited,
        Some(State::Parallel(_)) => T::ParallelStateExited,
        _ => T::MapStateExited,
    }
}

/// The details of a state's exited event with assigned variables, `{"name", key: text,
/// details_key: {"truncated": false}}` (the others are recorded with
/// `HistorySink::push_state_io`).
fn state_io(name: &str, key: &str, details_key: &str, text: String) -> Value {
    let mut truncated = Map::new();
    truncated.insert("truncated".to_string(), Value::Bool(false));
    let mut m = Map::new();
    m.insert("name".to_string(), Value::String(name.to_string()));
    m.insert(key.to_string(), Value::String(text));
    m.insert(details_key.to_string(), Value::Object(truncated));
    Value::Object(m)
}

/// Whether evaluating `state` may read the context object `$$`: only Pass and Succeed states
/// are looked into (a `$$` anywhere in their paths, templates or `Assign` counts); any other
/// state may.
fn may_use_context(state: &State) -> bool {
    fn path(p: &Option<PathField>) -> bool {
        matches!(p, Some(PathField::Path(s)) if s.contains("$$"))
    }
    fn value(v: &Option<Value>) -> bool {
        v.as_ref().is_some_and(mentions_context)
    }
    match state {
        State::Pass(s) => {
            path(&s.input_path)
                || path(&s.output_path)
                || value(&s.parameters)
                || value(&s.assign)
                || value(&s.output)
        }
        State::Succeed(s) => path(&s.input_path) || path(&s.output_path) || value(&s.output),
        _ => true,
    }
}

/// Whether `v` has `$$` in any string or key.
fn mentions_context(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("$$"),
        Value::Array(items) => items.iter().any(mentions_context),
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| k.contains("$$") || mentions_context(v)),
        _ => false,
    }
}

fn assign_vars(env: &Env<'_>, assign: &Value) -> R<Map<String, Value>> {
    match env.template(assign)? {
        Value::Object(m) => Ok(m),
        _ => Err(EvalError::runtime("Assign must be an object")),
    }
}

fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => format!("\"{}\"", dataflow::compact(other)),
    }
}

fn until(now: Now, target_nanos: i128) -> Instant {
    let delta = target_nanos - timestamp::epoch_nanos(now.wall);
    if delta <= 0 {
        now.instant
    } else {
        let nanos = u64::try_from(delta).unwrap_or(u64::MAX);
        now.instant.saturating_add(Duration::from_nanos(nanos))
    }
}

/// What the handler of a task gets: the payload, or for `lambda:invoke` its `Payload` (the
/// Invoke API takes JSON text; a string payload is that text).
pub(crate) fn handler_input(kind: &ResourceKind, payload: &Value) -> Value {
    match kind {
        ResourceKind::LambdaInvoke { .. } => match payload.get("Payload") {
            Some(Value::String(text)) => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            }
            Some(v) => v.clone(),
            None => Value::Null,
        },
        _ => payload.clone(),
    }
}

/// Whether `resource` uses the callback pattern (`….waitForTaskToken`).
pub(crate) fn is_callback(resource: &str) -> bool {
    resource.ends_with(".waitForTaskToken")
}

/// Whether `resource` uses the run-a-job pattern (`….sync`, `….sync:2`): its task has a token
/// too, and waits for the job's end (or a report) after its submission.
pub(crate) fn is_sync(resource: &str) -> bool {
    resource.ends_with(".sync") || resource.ends_with(".sync:2")
}

/// How `resource` is invoked, given the task's payload.
pub(crate) fn classify(resource: &str, payload: &Value) -> ResourceKind {
    if resource.starts_with("arn:aws:lambda:")
        || resource.contains(":lambda:") && resource.contains(":function:")
    {
        return ResourceKind::LambdaArn;
    }
    if crate::activity::is_activity(resource) {
        return ResourceKind::Activity;
    }
    if let Some(rest) = resource.strip_prefix("arn:aws:states:::lambda:invoke") {
        if rest.is_empty() || rest == ".waitForTaskToken" {
            let function = payload
                .get("FunctionName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            return ResourceKind::LambdaInvoke { function };
        }
    }
    ResourceKind::Other
}

/// `(resourceType, resource)` of history details: `arn:aws:states:::lambda:invoke` →
/// `("lambda", "invoke")`; other ARNs keep their service and the whole ARN.
fn split_resource(resource: &str) -> (String, String) {
    if let Some(rest) = resource.split_once(":::").map(|(_, r)| r) {
        if let Some((svc, api)) = rest.split_once(':') {
            return (svc.to_string(), api.to_string());
        }
    }
    let svc = resource.split(':').nth(2).unwrap_or_default();
    (svc.to_string(), resource.to_string())
}

/// The Lambda Invoke API's response, as `arn:aws:states:::lambda:invoke` returns it.
pub(crate) fn lambda_invoke_output(payload: Value, rand: &Rand, now: SystemTime) -> Value {
    let request_id = rand.uuid().to_string();
    let date = timestamp::format(now);
    let trace = format!("Root=1-{}", rand.uuid().to_string().replace('-', ""));
    let len = python_json_len(&payload).to_string();
    json!({
        "ExecutedVersion": "$LATEST",
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {
                "X-Amz-Executed-Version": ["$LATEST"],
                "x-amzn-Remapped-Content-Length": ["0"],
                "Connection": ["keep-alive"],
                "x-amzn-RequestId": [request_id],
                "Content-Length": [len],
                "Date": [date],
                "X-Amzn-Trace-Id": [trace],
                "Content-Type": ["application/json"]
            },
            "HttpHeaders": {
                "Connection": "keep-alive",
                "Content-Length": len,
                "Content-Type": "application/json",
                "X-Amz-Executed-Version": "$LATEST",
                "x-amzn-Remapped-Content-Length": "0",
                "x-amzn-RequestId": request_id,
                "Date": date,
                "X-Amzn-Trace-Id": trace
            },
            "HttpStatusCode": 200
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": 200
    })
}

/// The length of `v` as Python's `json.dumps` writes it (`", "` and `": "` separators, ASCII
/// escapes): the body a Python Lambda function returns.
fn python_json_len(v: &Value) -> usize {
    match v {
        Value::Array(a) => {
            2 + a.iter().map(python_json_len).sum::<usize>() + 2 * a.len().saturating_sub(1)
        }
        Value::Object(m) => {
            2 + m
                .iter()
                .map(|(k, v)| python_str_len(k) + 2 + python_json_len(v))
                .sum::<usize>()
                + 2 * m.len().saturating_sub(1)
        }
        Value::String(s) => python_str_len(s),
        other => other.to_string().len(),
    }
}

fn python_str_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c if (c as u32) < 0x80 => 1,
            c if (c as u32) > 0xFFFF => 12,
            _ => 6,
        })
        .sum::<usize>()
}
