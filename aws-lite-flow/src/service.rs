//! The [`Sfn`] service handle: account, region, clock, randomness, task handlers, state
//! machines and executions.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use aws_lite_core::id::{AccountId, Region};
use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Error, Rand, SharedClock};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use tokio::sync::watch;

use crate::activity::ActivityRegistry;
use crate::asl::Definition;
use crate::callback::TokenRegistry;
use crate::driver::{Handler, TaskFuture};
use crate::engine::TaskError;
use crate::history::HistorySink;

/// An in-process Step Functions: one account in one region.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`. Operations are fluent builders named like
/// the Step Functions operations; Task resources are served by handlers registered with
/// [`register_task_handler`](Sfn::register_task_handler).
///
/// ```
/// use aws_lite_flow::Sfn;
/// use serde_json::json;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), aws_lite_core::Error> {
/// let sfn = Sfn::new();
/// let sm = sfn.create_state_machine().name("hello")
///     .definition(r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}"#)
///     .send().await?;
/// let run = sfn.start_execution().state_machine_arn(&sm.state_machine_arn).send().await?;
/// let done = sfn.wait_for_execution(&run.execution_arn).await?;
/// assert_eq!(done.output.as_deref(), Some("1"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Sfn {
    pub(crate) inner: Arc<SfnInner>,
}

pub(crate) struct SfnInner {
    pub(crate) account: AccountId,
    pub(crate) region: Region,
    pub(crate) clock: SharedClock,
    pub(crate) rand: Rand,
    pub(crate) handlers: Arc<RwLock<HashMap<String, Handler>>>,
    pub(crate) tokens: TokenRegistry,
    pub(crate) activities: ActivityRegistry,
    pub(crate) machines: Mutex<BTreeMap<String, Arc<StateMachineRecord>>>,
    pub(crate) executions: Mutex<BTreeMap<String, Arc<ExecutionRecord>>>,
}

impl fmt::Debug for Sfn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sfn")
            .field("account", &self.inner.account)
            .field("region", &self.inner.region)
            .finish_non_exhaustive()
    }
}

impl Default for Sfn {
    fn default() -> Sfn {
        Sfn::new()
    }
}

/// Configures an [`Sfn`].
#[derive(Debug, Default)]
pub struct SfnBuilder {
    account: Option<AccountId>,
    region: Option<Region>,
    clock: Option<SharedClock>,
    rand: Option<Rand>,
}

impl SfnBuilder {
    /// The account (default `000000000000`).
    pub fn account(mut self, account: AccountId) -> SfnBuilder {
        self.account = Some(account);
        self
    }

    /// The region (default `us-east-1`).
    pub fn region(mut self, region: Region) -> SfnBuilder {
        self.region = Some(region);
        self
    }

    /// The clock (default: a new `TokioClock`).
    pub fn clock(mut self, clock: SharedClock) -> SfnBuilder {
        self.clock = Some(clock);
        self
    }

    /// The randomness source (default: from entropy): execution names, `States.UUID`,
    /// `States.MathRandom`, retry jitter.
    pub fn rand(mut self, rand: Rand) -> SfnBuilder {
        self.rand = Some(rand);
        self
    }

    /// Builds the service.
    pub fn build(self) -> Sfn {
        Sfn {
            inner: Arc::new(SfnInner {
                account: self.account.unwrap_or_default(),
                region: self.region.unwrap_or_default(),
                clock: self.clock.unwrap_or_default(),
                rand: self.rand.unwrap_or_default(),
                handlers: Arc::new(RwLock::new(HashMap::new())),
                tokens: TokenRegistry::default(),
                activities: ActivityRegistry::default(),
                machines: Mutex::new(BTreeMap::new()),
                executions: Mutex::new(BTreeMap::new()),
            }),
        }
    }
}

impl Sfn {
    /// A service with every default.
    pub fn new() -> Sfn {
        SfnBuilder::default().build()
    }

    /// Configures a service.
    pub fn builder() -> SfnBuilder {
        SfnBuilder::default()
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.inner.account
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// Serves the Task resource `resource` (any ARN: a Lambda function, a service integration,
    /// an activity, or one of your own) with `handler`, as Step Functions Local's mock
    /// configuration does. A Lambda handler registered by function ARN also serves
    /// `arn:aws:states:::lambda:invoke` calls naming the function (by name or ARN).
    ///
    /// The handler gets the task's input (for `lambda:invoke`, the `Payload`) and returns
    /// the result or a [`TaskError`] that `Retry` and `Catch` match by name.
    ///
    /// For a `….waitForTaskToken` resource the handler sends the request (its result is
    /// recorded in `TaskSubmitted`); the task's result is what
    /// [`send_task_success`](Sfn::send_task_success) reports for the token it got in its
    /// input (`$$.Task.Token`). A handler registered for `arn:aws:states:::svc:api` also serves
    /// `arn:aws:states:::svc:api.waitForTaskToken`.
    pub fn register_task_handler<F, Fut>(&self, resource: impl Into<String>, handler: F)
    where
        F: Fn(Value) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, TaskError>> + Send + 'static,
    {
        let h: Handler = Arc::new(move |v| -> TaskFuture { Box::pin(handler(v)) });
        if let Ok(mut map) = self.inner.handlers.write() {
            map.insert(resource.into(), h);
        }
    }

    /// Waits until the execution `execution_arn` has stopped (succeeded, failed, timed out or
    /// aborted) and describes it. An aws-lite helper; AWS has no such call.
    ///
    /// # Errors
    ///
    /// `ExecutionDoesNotExist`.
    pub async fn wait_for_execution(
        &self,
        execution_arn: &str,
    ) -> Result<crate::operation::describe_execution::DescribeExecutionOutput, Error> {
        let rec = self.inner.execution(execution_arn)?;
        let mut rx = rec.status_rx.clone();
        while *rx.borrow() == ExecutionStatus::Running {
            if rx.changed().await.is_err() {
                break;
            }
        }
        Ok(rec.describe())
    }

    pub(crate) fn wall_now(&self) -> SystemTime {
        self.inner.clock.wall(self.inner.clock.now())
    }
}

impl SfnInner {
    pub(crate) fn machine(&self, arn: &str) -> Result<Arc<StateMachineRecord>, Error> {
        self.machines.lock().get(arn).cloned().ok_or_else(|| {
            Error::not_found(
                "StateMachineDoesNotExist",
                format!("State Machine Does Not Exist: '{arn}'"),
            )
        })
    }

    /// A machine that can still be used: not being deleted (`StateMachineDeleting`).
    pub(crate) fn live_machine(&self, arn: &str) -> Result<Arc<StateMachineRecord>, Error> {
        let m = self.machine(arn)?;
        if m.is_deleting() {
            return Err(Error::conflict(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{arn}'"),
            ));
        }
        Ok(m)
    }

    /// Removes the machine `arn` if it is being deleted and none of its executions runs.
    pub(crate) fn reap(&self, arn: &str) {
        let mut machines = self.machines.lock();
        if !machines.get(arn).is_some_and(|m| m.is_deleting()) {
            return;
        }
        let running = self.executions.lock().values().any(|e| {
            e.state_machine_arn == arn && e.state.lock().status == ExecutionStatus::Running
        });
        if !running {
            machines.remove(arn);
        }
    }

    pub(crate) fn execution(&self, arn: &str) -> Result<Arc<ExecutionRecord>, Error> {
        self.executions.lock().get(arn).cloned().ok_or_else(|| {
            Error::not_found(
                "ExecutionDoesNotExist",
                format!("Execution Does Not Exist: '{arn}'"),
            )
        })
    }
}

/// STANDARD or EXPRESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum StateMachineType {
    /// Exactly-once, up to a year, history kept.
    #[default]
    Standard,
    /// At-least-once, up to five minutes.
    Express,
}

/// The status of an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ExecutionStatus {
    /// Still running.
    Running,
    /// Ended with an output.
    Succeeded,
    /// Ended with an error.
    Failed,
    /// Ran past the machine's `TimeoutSeconds`.
    TimedOut,
    /// Stopped by StopExecution.
    Aborted,
}

impl ExecutionStatus {
    /// The AWS name (`RUNNING` …).
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
        }
    }
}

pub(crate) struct StateMachineRecord {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) definition_text: String,
    pub(crate) definition: Arc<Definition>,
    pub(crate) role_arn: String,
    pub(crate) machine_type: StateMachineType,
    pub(crate) creation_date: SystemTime,
    /// DeleteStateMachine was called: it goes once its executions have ended.
    pub(crate) deleting: AtomicBool,
}

impl StateMachineRecord {
    pub(crate) fn is_deleting(&self) -> bool {
        self.deleting.load(Ordering::SeqCst)
    }
}

pub(crate) struct ExecutionState {
    pub(crate) status: ExecutionStatus,
    pub(crate) stop_date: Option<SystemTime>,
    pub(crate) output: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) cause: Option<String>,
}

pub(crate) struct ExecutionRecord {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) state_machine_arn: String,
    pub(crate) input: String,
    pub(crate) start_date: SystemTime,
    pub(crate) state: Mutex<ExecutionState>,
    pub(crate) history: Arc<Mutex<HistorySink>>,
    pub(crate) status_tx: watch::Sender<ExecutionStatus>,
    pub(crate) status_rx: watch::Receiver<ExecutionStatus>,
    pub(crate) abort: Mutex<Option<tokio::task::AbortHandle>>,
}

impl ExecutionRecord {
    pub(crate) fn describe(&self) -> crate::operation::describe_execution::DescribeExecutionOutput {
        let st = self.state.lock();
        crate::operation::describe_execution::DescribeExecutionOutput {
            execution_arn: self.arn.clone(),
            state_machine_arn: self.state_machine_arn.clone(),
            name: self.name.clone(),
            status: st.status,
            start_date: self.start_date,
            stop_date: st.stop_date,
            input: self.input.clone(),
            output: st.output.clone(),
            error: st.error.clone(),
            cause: st.cause.clone(),
        }
    }

    /// Records the end of the execution unless it already ended.
    pub(crate) fn finish(
        &self,
        status: ExecutionStatus,
        at: SystemTime,
        output: Option<String>,
        error: Option<String>,
        cause: Option<String>,
    ) -> bool {
        let mut st = self.state.lock();
        if st.status != ExecutionStatus::Running {
            return false;
        }
        st.status = status;
        st.stop_date = Some(at);
        st.output = output;
        st.error = error;
        st.cause = cause;
        drop(st);
        self.status_tx.send_replace(status);
        true
    }
}

/// Serializes a time as epoch seconds, as the Step Functions JSON protocol does.
pub(crate) fn epoch<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    s.serialize_f64(d.as_secs_f64())
}

/// [`epoch`] for an optional time.
pub(crate) fn epoch_opt<S: Serializer>(t: &Option<SystemTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => epoch(t, s),
        None => s.serialize_none(),
    }
}
