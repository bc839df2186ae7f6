//! The [`Sfn`] service handle: account, region, clock, randomness, task handlers, state
//! machines, their versions and aliases, and executions.
//!
//! # Versions and aliases
//!
//! A machine's *revision* changes when UpdateStateMachine changes its definition or role. A
//! *version* (`…:stateMachine:name:N`) is an immutable snapshot of one revision, numbered from 1
//! per machine and never renumbered; an *alias* (`…:stateMachine:name:alias`) routes each
//! execution to one of one or two versions by weight, drawn from a stream forked from the
//! service's seeded randomness (so a seeded service replays its routing). Versions and aliases
//! go with their machine when DeleteStateMachine deletes it. The operations are in
//! [`operation`](crate::operation): `publish_state_machine_version`, `…_alias` and
//! `…_version`.

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
use crate::asl::{Definition, State};
use crate::callback::TokenRegistry;
use crate::driver::{Handler, TaskFuture};
use crate::engine::TaskError;
use crate::history::HistorySink;
use crate::operation::create_state_machine_alias::RoutingConfigurationListItem;

/// An in-process Step Functions: one account in one region.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`. Operations are fluent builders named like
/// the Step Functions operations; Task resources are served by handlers registered with
/// [`register_task_handler`](Sfn::register_task_handler), or by the built-in integrations
/// ([`crate::integration`]: Lambda, SQS and SNS services given to the [`SfnBuilder`], and
/// StartExecution on this `Sfn`).
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
    /// Alias routing draws, forked so that id draws do not shift them.
    pub(crate) routing_rand: Rand,
    /// Versions and aliases, by the unqualified ARN of their state machine. Lock order:
    /// `machines` before `versioning`, never the other way round.
    pub(crate) versioning: Mutex<HashMap<String, Versioning>>,
    /// The services of the built-in integrations (see [`crate::integration`]).
    pub(crate) integrations: crate::integration::Integrations,
    /// The in-memory object store Distributed Maps read and write (see [`crate::objects`]).
    pub(crate) objects: crate::objects::Objects,
    /// Distributed Map runs (see [`crate::map_run`]).
    pub(crate) map_runs: crate::map_run::MapRuns,
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
    /// The services of the built-in integrations (see [`crate::integration`]).
    pub(crate) integrations: crate::integration::Integrations,
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
    /// `States.MathRandom`, retry jitter, and which version an alias routes an execution to.
    pub fn rand(mut self, rand: Rand) -> SfnBuilder {
        self.rand = Some(rand);
        self
    }

    /// Builds the service.
    pub fn build(self) -> Sfn {
        let rand = self.rand.unwrap_or_default();
        let clock: SharedClock = self.clock.unwrap_or_default();
        Sfn {
            inner: Arc::new(SfnInner {
                account: self.account.unwrap_or_default(),
                region: self.region.unwrap_or_default(),
                objects: crate::objects::Objects::new(clock.clone()),
                map_runs: crate::map_run::MapRuns::default(),
                clock,
                routing_rand: rand.fork("aws-lite-flow/routing"),
                rand,
                handlers: Arc::new(RwLock::new(HashMap::new())),
                tokens: TokenRegistry::default(),
                activities: ActivityRegistry::default(),
                machines: Mutex::new(BTreeMap::new()),
                executions: Mutex::new(BTreeMap::new()),
                versioning: Mutex::new(HashMap::new()),
                integrations: self.integrations,
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
    /// the result or a [`TaskError`] that `Retry` and `Catch` match by name. A handler takes
    /// precedence over the built-in integration of its resource (the Lambda, SQS, SNS and
    /// StartExecution integrations wired with [`SfnBuilder`]), so a test can stand in for one
    /// step and let the others reach the in-process services. A handler registered for a
    /// `….sync` resource returns the job's final result (recorded as the task's submission and
    /// its success).
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
            // DeleteStateMachine also deletes the machine's versions and aliases.
            self.versioning.lock().remove(arn);
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
    /// The definition's states, shared by every execution of this revision (so that starting
    /// one does not copy them).
    pub(crate) states: Arc<BTreeMap<String, State>>,
    pub(crate) role_arn: String,
    pub(crate) machine_type: StateMachineType,
    pub(crate) creation_date: SystemTime,
    /// The id of this revision; `None` for the revision CreateStateMachine made (AWS's
    /// `INITIAL`). UpdateStateMachine makes a new revision when it changes something.
    pub(crate) revision_id: Option<String>,
    /// When this revision was made: the creation date for the first one.
    pub(crate) update_date: SystemTime,
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
    /// The unqualified ARN of the machine, even when started through a version or an alias.
    pub(crate) state_machine_arn: String,
    /// The revision the execution runs (DescribeStateMachineForExecution).
    pub(crate) machine: Arc<StateMachineRecord>,
    /// The version it runs, when started on a version ARN or through an alias.
    pub(crate) state_machine_version_arn: Option<String>,
    /// The alias it was started through.
    pub(crate) state_machine_alias_arn: Option<String>,
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
            state_machine_version_arn: self.state_machine_version_arn.clone(),
            state_machine_alias_arn: self.state_machine_alias_arn.clone(),
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

// ---------------------------------------------------------------------------------------------
// Versions and aliases.

/// The most versions a state machine holds at once: publishing another fails with
/// `ServiceQuotaExceededException` (PublishStateMachineVersion, and `publish` on
/// CreateStateMachine / UpdateStateMachine).
pub const MAX_VERSIONS_PER_STATE_MACHINE: usize = 1_000;

/// The most aliases a state machine holds at once: CreateStateMachineAlias fails with
/// `ServiceQuotaExceededException` beyond.
pub const MAX_ALIASES_PER_STATE_MACHINE: usize = 100;

/// A published version: an immutable snapshot of one revision of a machine.
pub(crate) struct VersionRecord {
    /// `…:stateMachine:name:N`.
    pub(crate) arn: String,
    /// The revision published (definition, role, type, revision id).
    pub(crate) machine: Arc<StateMachineRecord>,
    pub(crate) description: Option<String>,
    pub(crate) creation_date: SystemTime,
}

/// A state machine alias: one or two versions with weights summing to 100.
#[derive(Debug, Clone)]
pub(crate) struct AliasRecord {
    /// `…:stateMachine:name:alias`.
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) routing: Vec<RoutingConfigurationListItem>,
    pub(crate) creation_date: SystemTime,
    pub(crate) update_date: SystemTime,
    /// Creation order: ListStateMachineAliases lists in it.
    pub(crate) seq: u64,
}

/// The versions and aliases of one state machine.
#[derive(Default)]
pub(crate) struct Versioning {
    /// The last version number given: numbers are never reused, even after a deletion.
    pub(crate) last_number: u64,
    pub(crate) versions: BTreeMap<u64, Arc<VersionRecord>>,
    /// By alias name.
    pub(crate) aliases: BTreeMap<String, AliasRecord>,
    pub(crate) alias_seq: u64,
}

/// What a state machine ARN names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qualified<'a> {
    /// `…:stateMachine:name`.
    Machine,
    /// `…:stateMachine:name:7`: a version (`base` is the machine's ARN).
    Version { base: &'a str, number: u64 },
    /// `…:stateMachine:name:alias`: an alias (alias names are never all digits).
    Alias { base: &'a str, name: &'a str },
}

/// Reads a state machine ARN: unqualified, a version's or an alias's. `None` when it is not a
/// state machine ARN at all.
pub(crate) fn qualify(arn: &str) -> Option<Qualified<'_>> {
    const SM: &str = ":stateMachine:";
    let at = arn.find(SM)?;
    let rest = &arn[at + SM.len()..];
    if !arn.starts_with("arn:") || rest.is_empty() {
        return None;
    }
    match rest.split_once(':') {
        None => Some(Qualified::Machine),
        Some((name, q)) if !name.is_empty() && !q.is_empty() && !q.contains(':') => {
            let base = &arn[..at + SM.len() + name.len()];
            if q.bytes().all(|b| b.is_ascii_digit()) {
                Some(Qualified::Version {
                    base,
                    number: q.parse().ok()?,
                })
            } else {
                Some(Qualified::Alias { base, name: q })
            }
        }
        Some(_) => None,
    }
}

/// `StateMachineDoesNotExist` for `arn`, in AWS's words.
pub(crate) fn machine_does_not_exist(arn: &str) -> Error {
    Error::not_found(
        "StateMachineDoesNotExist",
        format!("State Machine Does Not Exist: '{arn}'"),
    )
}

/// `InvalidArn` for `arn`.
pub(crate) fn invalid_arn(arn: &str) -> Error {
    Error::validation("InvalidArn", format!("Invalid Arn: '{arn}'"))
}

/// `ResourceNotFound` (an alias that does not exist), in AWS's words; HTTP 400 as Step
/// Functions answers it.
pub(crate) fn resource_not_found() -> Error {
    Error::not_found(
        "ResourceNotFound",
        "Request references a resource that does not exist.",
    )
    .with_status(400)
}

/// `ServiceQuotaExceededException` (HTTP 402, as Step Functions answers it).
pub(crate) fn quota_exceeded(message: String) -> Error {
    Error::limit_exceeded("ServiceQuotaExceededException", message).with_status(402)
}

/// What StartExecution runs for a `stateMachineArn`.
pub(crate) struct Target {
    /// The revision to run.
    pub(crate) machine: Arc<StateMachineRecord>,
    /// The version run, when started on a version or through an alias.
    pub(crate) version_arn: Option<String>,
    /// The alias started through.
    pub(crate) alias_arn: Option<String>,
}

impl SfnInner {
    /// The machine `base` for an operation on `arn` (one of its versions or aliases): a machine
    /// that does not exist is reported under `arn`; one being deleted is
    /// `StateMachineDeleting`.
    pub(crate) fn live_base(
        &self,
        base: &str,
        arn: &str,
    ) -> Result<Arc<StateMachineRecord>, Error> {
        let m = self
            .machines
            .lock()
            .get(base)
            .cloned()
            .ok_or_else(|| machine_does_not_exist(arn))?;
        if m.is_deleting() {
            return Err(Error::conflict(
                "StateMachineDeleting",
                format!("State Machine is being deleted: '{base}'"),
            ));
        }
        Ok(m)
    }

    /// Publishes `machine`, the current revision of its state machine, as a new version, or
    /// returns the version that already published this revision. The caller holds the
    /// `machines` lock, so that the revision cannot change meanwhile.
    pub(crate) fn publish_locked(
        &self,
        machine: &Arc<StateMachineRecord>,
        description: Option<String>,
        now: SystemTime,
    ) -> Result<Arc<VersionRecord>, Error> {
        let mut all = self.versioning.lock();
        let v = all.entry(machine.arn.clone()).or_default();
        if let Some(existing) = v
            .versions
            .values()
            .find(|x| x.machine.revision_id == machine.revision_id)
        {
            return Ok(Arc::clone(existing));
        }
        if v.versions.len() >= MAX_VERSIONS_PER_STATE_MACHINE {
            return Err(quota_exceeded(format!(
                "The state machine '{}' already has the maximum number of versions ({MAX_VERSIONS_PER_STATE_MACHINE}); delete unused versions with DeleteStateMachineVersion.",
                machine.arn
            )));
        }
        let number = v.last_number + 1;
        let record = Arc::new(VersionRecord {
            arn: format!("{}:{number}", machine.arn),
            machine: Arc::clone(machine),
            description,
            creation_date: now,
        });
        v.last_number = number;
        v.versions.insert(number, Arc::clone(&record));
        Ok(record)
    }

    /// The version `arn` (`base:number`), or `StateMachineDoesNotExist`.
    pub(crate) fn version(
        &self,
        base: &str,
        number: u64,
        arn: &str,
    ) -> Result<Arc<VersionRecord>, Error> {
        self.versioning
            .lock()
            .get(base)
            .and_then(|v| v.versions.get(&number))
            .filter(|v| v.arn == arn)
            .cloned()
            .ok_or_else(|| machine_does_not_exist(arn))
    }

    /// The machine of `arn` (a machine, or one of its versions or aliases, which must exist),
    /// as it is now; `StateMachineDoesNotExist` (for `arn`) otherwise.
    pub(crate) fn machine_of(&self, arn: &str) -> Result<Arc<StateMachineRecord>, Error> {
        let exists = |base: &str| self.machine(base).map_err(|_| machine_does_not_exist(arn));
        match qualify(arn) {
            Some(Qualified::Version { base, number }) => {
                let m = exists(base)?;
                self.version(base, number, arn)?;
                Ok(m)
            }
            Some(Qualified::Alias { base, name }) => {
                let m = exists(base)?;
                let found = self
                    .versioning
                    .lock()
                    .get(base)
                    .and_then(|v| v.aliases.get(name))
                    .is_some_and(|a| a.arn == arn);
                if found {
                    Ok(m)
                } else {
                    Err(machine_does_not_exist(arn))
                }
            }
            _ => self.machine(arn),
        }
    }

    /// What StartExecution / StartSyncExecution run for `arn`: the machine's current revision,
    /// a version, or the version an alias routes this execution to (drawn by weight from the
    /// service's seeded randomness).
    pub(crate) fn target(&self, arn: &str) -> Result<Target, Error> {
        match qualify(arn) {
            Some(Qualified::Version { base, number }) => {
                self.live_base(base, arn)?;
                let v = self.version(base, number, arn)?;
                Ok(Target {
                    machine: Arc::clone(&v.machine),
                    version_arn: Some(v.arn.clone()),
                    alias_arn: None,
                })
            }
            Some(Qualified::Alias { base, name }) => {
                self.live_base(base, arn)?;
                let all = self.versioning.lock();
                let v = all.get(base).ok_or_else(|| machine_does_not_exist(arn))?;
                let alias = v
                    .aliases
                    .get(name)
                    .filter(|a| a.arn == arn)
                    .ok_or_else(|| machine_does_not_exist(arn))?;
                let chosen = route(&self.routing_rand, &alias.routing)
                    .ok_or_else(|| machine_does_not_exist(arn))?;
                let version = match qualify(&chosen.state_machine_version_arn) {
                    Some(Qualified::Version { number, .. }) => v.versions.get(&number),
                    _ => None,
                }
                .ok_or_else(|| machine_does_not_exist(&chosen.state_machine_version_arn))?;
                Ok(Target {
                    machine: Arc::clone(&version.machine),
                    version_arn: Some(version.arn.clone()),
                    alias_arn: Some(alias.arn.clone()),
                })
            }
            _ => Ok(Target {
                machine: self.live_machine(arn)?,
                version_arn: None,
                alias_arn: None,
            }),
        }
    }
}

/// Draws the route of one execution through an alias: a uniform draw in `[0, 100)` falls into
/// one version's share of the weights (which sum to 100).
pub(crate) fn route<'a>(
    rand: &Rand,
    routing: &'a [RoutingConfigurationListItem],
) -> Option<&'a RoutingConfigurationListItem> {
    let draw = rand.below(100);
    let mut upto = 0u64;
    for r in routing {
        upto += u64::from(r.weight);
        if draw < upto {
            return Some(r);
        }
    }
    routing.last()
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
