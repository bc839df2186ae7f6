//! Distributed Map runs: the async side of a Map state in `DISTRIBUTED` mode.
//!
//! The engine evaluates the state's fields (items or the `ItemReader` request,
//! `ItemSelector`, `ItemBatcher`, limits, thresholds, `ResultWriter`) and the driver performs
//! the Map Run, then reports its outcome back to the parent's thread. This module's public
//! items are what DescribeMapRun reports.
//!
//! # Map Runs
//!
//! Each run of the state creates a Map Run, `arn:aws:states:…:mapRun:<machine>/<label>:<uuid>`
//! (the label is `Label`, or the state's name), recorded in the parent's history as
//! `MapRunStarted` (with `mapRunArn`, after `MapStateStarted`) and `MapRunSucceeded` or
//! `MapRunFailed` (with `error` and `cause`); the parent's history has no `MapIteration*`
//! events. [`DescribeMapRun`](crate::Sfn::describe_map_run) and
//! [`ListMapRuns`](crate::Sfn::list_map_runs) report Map Runs with their item and execution
//! counts.
//!
//! # Items
//!
//! Without an `ItemReader` the items are the array at `ItemsPath`. With one, they are read
//! from the service's object store ([`Sfn::objects`](crate::Sfn::objects), an aws-lite
//! extension standing in for S3) once the Map Run has started: `s3:getObject` reads a JSON
//! array, JSON Lines or CSV (`FIRST_ROW` or `GIVEN` headers, `CSVDelimiter`; each row an
//! object of strings, missing fields `""`, extra fields dropped), `s3:listObjectsV2` yields
//! each object's `{Etag, Key, LastModified, Size, StorageClass}`; `ItemsPath` is then not
//! used. `MaxItems`/`MaxItemsPath` keep the first items (0: all; at most 100,000,000). A read
//! that fails fails the Map Run with `States.ItemReaderFailed`.
//!
//! `ItemSelector` (or the legacy `Parameters`) is evaluated per item in the parent's scope
//! with `$$.Map.Item.{Index, Value}`. `ItemBatcher` then groups items, at most
//! `MaxItemsPerBatch` and `MaxInputBytesPerBatch` bytes each, into child inputs
//! `{"BatchInput": …, "Items": [...]}`.
//!
//! # Child executions
//!
//! Every item (or batch) runs as a child workflow execution of the `ItemProcessor` machine,
//! `STANDARD` (`…:execution:<machine>/<label>:<uuid>`) or `EXPRESS`
//! (`…:express:<machine>/<label>:<uuid>:<uuid>`, five minutes at most), with its own history
//! and context object; children see none of the parent's variables. Children appear in
//! DescribeExecution and GetExecutionHistory; stopping one counts as its failure. At most
//! `MaxConcurrency` children run at once (0: up to 10,000). Stopping the parent (or its
//! timeout) aborts the running children.
//!
//! # Failures
//!
//! A failed, timed-out or aborted child fails its items. The run fails with
//! `States.ExceedToleratedFailureThreshold` (`The specified tolerated failure threshold was
//! exceeded`) when the failed items exceed `ToleratedFailureCount` or their share of all
//! items exceeds `ToleratedFailurePercentage` (with neither set, any failure); the running
//! children are then aborted. Within the thresholds, a failed child's result is its
//! `{"Error", "Cause"}`.
//!
//! # Results
//!
//! Without a `ResultWriter` the output is the array of child outputs in item order.
//! `WriterConfig.Transformation` `FLATTEN` flattens array outputs and `NONE` gives each
//! child's metadata. With `Resource` `arn:aws:states:::s3:putObject`, the results go to the
//! object store under `<Prefix>/<map-run-uuid>/`: `SUCCEEDED_0.json`, `FAILED_0.json`,
//! `PENDING_0.json` (only those with results; JSON or JSON Lines by `OutputType`) and
//! `manifest.json` (`DestinationBucket`, `MapRunArn`, `ResultFiles`), and the output is
//! `{"MapRunArn": …, "ResultWriterDetails": {"Bucket": …, "Key": "<…>/manifest.json"}}`. A
//! bucket that does not exist fails the run with `States.ResultWriterFailed`.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Rand, SharedClock};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::asl::State;
use crate::dataflow::{self, Env};
use crate::driver::{Runtime, run_thread};
use crate::engine::{Event, Failure, Thread};
use crate::history::{HistoryEventType as T, HistorySink, MAX_HISTORY_EVENTS};
use crate::objects::Objects;
use crate::operation::start_execution::execution_limit;
use crate::service::{
    ExecutionRecord, ExecutionState, ExecutionStatus, SfnInner, StateMachineRecord,
};
use crate::timestamp;

/// The most child executions a Map Run runs at once.
pub const MAX_CHILD_CONCURRENCY: u64 = 10_000;

/// The error when a Map Run's failures exceed its thresholds.
pub(crate) const EXCEEDED: &str = "States.ExceedToleratedFailureThreshold";
/// Its cause, in AWS's words.
pub(crate) const EXCEEDED_CAUSE: &str = "The specified tolerated failure threshold was exceeded";

/// Where a Map Run's items come from.
#[derive(Debug)]
pub(crate) enum ItemSource {
    /// The array at `ItemsPath`.
    Inline(Vec<Value>),
    /// An `ItemReader` request.
    Reader(Reader),
}

/// How an object is read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum InputType {
    Json,
    Jsonl,
    Csv {
        /// `None`: the first row holds the headers.
        headers: Option<Vec<String>>,
        delimiter: char,
    },
}

/// An evaluated `ItemReader`.
#[derive(Debug)]
pub(crate) struct Reader {
    /// `…:s3:getObject` or `…:s3:listObjectsV2`.
    pub(crate) resource: String,
    /// The evaluated `Parameters` (`Bucket`, `Key`, `Prefix`).
    pub(crate) parameters: Value,
    /// For `getObject`.
    pub(crate) input_type: Option<InputType>,
    /// The item limit (0: none), or the failure its path gave, raised once the run started.
    pub(crate) max_items: Result<u64, Failure>,
}

/// `ItemSelector` (or the legacy `Parameters`) and what it is evaluated against.
#[derive(Debug)]
pub(crate) struct Selector {
    pub(crate) template: Value,
    pub(crate) input: Value,
    pub(crate) context: Value,
    pub(crate) vars: BTreeMap<String, Value>,
}

/// An evaluated `ItemBatcher`.
#[derive(Debug, Clone)]
pub(crate) struct Batcher {
    pub(crate) max_items: Option<u64>,
    pub(crate) max_bytes: Option<u64>,
    pub(crate) batch_input: Option<Value>,
}

/// `WriterConfig.Transformation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transformation {
    None,
    Compact,
    Flatten,
}

/// An evaluated `ResultWriter`.
#[derive(Debug, Clone)]
pub(crate) struct Writer {
    /// `(Bucket, Prefix)` of an export.
    pub(crate) export: Option<(String, String)>,
    pub(crate) transformation: Transformation,
    /// JSON Lines instead of a JSON array in exported files.
    pub(crate) jsonl: bool,
}

/// The parent execution, from its context object.
#[derive(Debug, Clone)]
pub(crate) struct Parent {
    pub(crate) execution_arn: String,
    pub(crate) state_machine_arn: String,
    /// The top-level machine's name (a nested child's `<machine>/<label>` gives `<machine>`).
    pub(crate) state_machine_name: String,
    pub(crate) role_arn: String,
}

/// Everything a Map Run needs, evaluated by the engine.
#[derive(Debug)]
pub(crate) struct MapRunSpec {
    pub(crate) state_name: String,
    /// The id of the state's `…StateEntered` event (for runtime causes).
    pub(crate) entered_id: u64,
    /// `Label`, or the state's name.
    pub(crate) label: String,
    /// The `MapStateStarted` event `MapRunStarted` links to.
    pub(crate) started_id: u64,
    pub(crate) items: ItemSource,
    pub(crate) selector: Option<Selector>,
    pub(crate) batcher: Option<Batcher>,
    /// 0: no limit (up to [`MAX_CHILD_CONCURRENCY`]).
    pub(crate) max_concurrency: u64,
    pub(crate) tolerated_count: Option<u64>,
    pub(crate) tolerated_percentage: Option<f64>,
    pub(crate) writer: Option<Writer>,
    pub(crate) start_at: String,
    pub(crate) states: Arc<BTreeMap<String, State>>,
    /// `EXPRESS` child executions.
    pub(crate) express: bool,
    pub(crate) parent: Parent,
    pub(crate) rand: Rand,
}

/// The status of a Map Run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum MapRunStatus {
    /// Its child executions are running.
    Running,
    /// Every child execution ended within the failure thresholds.
    Succeeded,
    /// The item reader, the thresholds or the result writer failed it.
    Failed,
    /// The parent execution stopped while it ran.
    Aborted,
}

impl MapRunStatus {
    /// The AWS name (`RUNNING` …).
    pub fn as_str(self) -> &'static str {
        match self {
            MapRunStatus::Running => "RUNNING",
            MapRunStatus::Succeeded => "SUCCEEDED",
            MapRunStatus::Failed => "FAILED",
            MapRunStatus::Aborted => "ABORTED",
        }
    }
}

/// Counts of a Map Run's items or child executions by status, as DescribeMapRun gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MapRunCounts {
    /// Not started yet.
    pub pending: u64,
    /// Running.
    pub running: u64,
    /// Succeeded.
    pub succeeded: u64,
    /// Failed.
    pub failed: u64,
    /// Timed out.
    pub timed_out: u64,
    /// Aborted.
    pub aborted: u64,
    /// All of them.
    pub total: u64,
    /// Whose results were exported by a `ResultWriter`.
    pub results_written: u64,
    /// Failed, timed out or aborted and not redrivable (aws-lite has no redrive: all of them).
    pub failures_not_redrivable: u64,
    /// Waiting to be redriven (always 0).
    pub pending_redrive: u64,
}

impl MapRunCounts {
    fn start(&mut self, n: u64) {
        self.pending = self.pending.saturating_sub(n);
        self.running += n;
    }

    fn end(&mut self, n: u64, status: ExecutionStatus) {
        self.running = self.running.saturating_sub(n);
        match status {
            ExecutionStatus::Succeeded => self.succeeded += n,
            ExecutionStatus::TimedOut => self.timed_out += n,
            ExecutionStatus::Aborted => self.aborted += n,
            _ => self.failed += n,
        }
        if status != ExecutionStatus::Succeeded {
            self.failures_not_redrivable += n;
        }
    }
}

/// The changing part of a Map Run.
#[derive(Debug, Clone)]
pub(crate) struct MapRunState {
    pub(crate) status: MapRunStatus,
    pub(crate) stop_date: Option<SystemTime>,
    pub(crate) items: MapRunCounts,
    pub(crate) executions: MapRunCounts,
}

/// A Map Run, as DescribeMapRun and ListMapRuns see it.
#[derive(Debug)]
pub(crate) struct MapRunRecord {
    pub(crate) arn: String,
    pub(crate) execution_arn: String,
    /// The child machine: `<machine ARN>/<label>`.
    pub(crate) state_machine_arn: String,
    pub(crate) start_date: SystemTime,
    pub(crate) max_concurrency: u64,
    pub(crate) tolerated_failure_count: u64,
    pub(crate) tolerated_failure_percentage: f64,
    pub(crate) state: Mutex<MapRunState>,
}

/// A service's Map Runs, by ARN.
#[derive(Debug, Clone, Default)]
pub(crate) struct MapRuns {
    runs: Arc<Mutex<BTreeMap<String, Arc<MapRunRecord>>>>,
}

impl MapRuns {
    fn insert(&self, rec: Arc<MapRunRecord>) {
        self.runs.lock().insert(rec.arn.clone(), rec);
    }

    /// The Map Run `arn`.
    pub(crate) fn get(&self, arn: &str) -> Option<Arc<MapRunRecord>> {
        self.runs.lock().get(arn).cloned()
    }

    /// The Map Runs the execution `execution_arn` started, oldest first.
    pub(crate) fn of_execution(&self, execution_arn: &str) -> Vec<Arc<MapRunRecord>> {
        let mut runs: Vec<_> = self
            .runs
            .lock()
            .values()
            .filter(|r| r.execution_arn == execution_arn)
            .cloned()
            .collect();
        runs.sort_by(|a, b| a.start_date.cmp(&b.start_date).then(a.arn.cmp(&b.arn)));
        runs
    }
}

/// What one child execution left behind.
#[derive(Debug, Clone)]
struct ChildResult {
    arn: String,
    name: String,
    input: String,
    status: ExecutionStatus,
    output: Option<String>,
    error: Option<String>,
    cause: Option<String>,
    start: SystemTime,
    stop: Option<SystemTime>,
    items: u64,
}

impl ChildResult {
    /// The entry for a Map output or a result file in `COMPACT` form: the output, or
    /// `{Error, Cause}`.
    fn compact(&self) -> Value {
        match &self.output {
            Some(o) => serde_json::from_str(o).unwrap_or_else(|_| Value::String(o.clone())),
            None => json!({
                "Error": self.error.clone().unwrap_or_default(),
                "Cause": self.cause.clone().unwrap_or_default(),
            }),
        }
    }

    /// The entry in `NONE` form: the child execution's metadata.
    fn metadata(&self, state_machine_arn: &str) -> Value {
        let mut m = Map::new();
        m.insert("ExecutionArn".into(), json!(self.arn));
        m.insert("Input".into(), json!(self.input));
        m.insert("InputDetails".into(), json!({"Included": true}));
        m.insert("Name".into(), json!(self.name));
        match &self.output {
            Some(o) => {
                m.insert("Output".into(), json!(o));
                m.insert("OutputDetails".into(), json!({"Included": true}));
            }
            None => {
                m.insert(
                    "Error".into(),
                    json!(self.error.clone().unwrap_or_default()),
                );
                m.insert(
                    "Cause".into(),
                    json!(self.cause.clone().unwrap_or_default()),
                );
            }
        }
        m.insert("RedriveCount".into(), json!(0));
        m.insert("StartDate".into(), json!(timestamp::format(self.start)));
        m.insert("StateMachineArn".into(), json!(state_machine_arn));
        m.insert("Status".into(), json!(self.status.as_str()));
        if let Some(stop) = self.stop {
            m.insert("StopDate".into(), json!(timestamp::format(stop)));
        }
        Value::Object(m)
    }
}

/// One child to run: its input and the number of items in it.
struct Job {
    input: Value,
    items: u64,
}

/// Runs a Map Run to its end and reports it to the parent thread.
pub(crate) async fn run(rt: Arc<Runtime>, spec: MapRunSpec) -> Event {
    let Some(inner) = rt.service.upgrade() else {
        return Event::MapRunDone {
            result: Err(Failure::new(
                "States.Runtime",
                "The service that ran the execution no longer exists",
            )),
            last: spec.started_id,
        };
    };
    let run_id = spec.rand.uuid().to_string();
    let map_run_arn = format!(
        "arn:aws:states:{}:{}:mapRun:{}/{}:{run_id}",
        rt.region, rt.account, spec.parent.state_machine_name, spec.label
    );
    let now = rt.now();
    let record = Arc::new(MapRunRecord {
        arn: map_run_arn.clone(),
        execution_arn: spec.parent.execution_arn.clone(),
        state_machine_arn: format!("{}/{}", root_machine_arn(&spec.parent), spec.label),
        start_date: now.wall,
        max_concurrency: spec.max_concurrency,
        tolerated_failure_count: spec.tolerated_count.unwrap_or(0),
        tolerated_failure_percentage: spec.tolerated_percentage.unwrap_or(0.0),
        state: Mutex::new(MapRunState {
            status: MapRunStatus::Running,
            stop_date: None,
            items: MapRunCounts::default(),
            executions: MapRunCounts::default(),
        }),
    });
    inner.map_runs.insert(Arc::clone(&record));
    let started = rt.history.lock().push(
        now.wall,
        T::MapRunStarted,
        spec.started_id,
        Some((
            "mapRunStartedEventDetails",
            json!({"mapRunArn": map_run_arn}),
        )),
    );
    // Marks the run aborted if the parent stops while it runs (this future is dropped).
    let mut guard = RunGuard {
        record: Arc::clone(&record),
        clock: rt.clock.clone(),
        done: false,
    };
    let result = execute(&rt, &inner, &spec, &record, &run_id).await;
    guard.done = true;
    let now = rt.now();
    let (status, last) = {
        let mut h = rt.history.lock();
        match &result {
            Ok(_) => (
                MapRunStatus::Succeeded,
                h.push(now.wall, T::MapRunSucceeded, started, None),
            ),
            Err(f) => (
                MapRunStatus::Failed,
                h.push(
                    now.wall,
                    T::MapRunFailed,
                    started,
                    Some((
                        "mapRunFailedEventDetails",
                        json!({"error": f.error, "cause": f.cause}),
                    )),
                ),
            ),
        }
    };
    {
        let mut st = record.state.lock();
        st.status = status;
        st.stop_date = Some(now.wall);
    }
    Event::MapRunDone { result, last }
}

/// Marks a Map Run aborted when its parent goes away mid-run.
struct RunGuard {
    record: Arc<MapRunRecord>,
    clock: SharedClock,
    done: bool,
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut st = self.record.state.lock();
        if st.status == MapRunStatus::Running {
            st.status = MapRunStatus::Aborted;
            st.stop_date = Some(self.clock.wall(self.clock.now()));
        }
    }
}

/// The parent's top-level machine ARN (a nested child's `…:stateMachine:m/label` gives
/// `…:stateMachine:m`).
fn root_machine_arn(parent: &Parent) -> String {
    match parent.state_machine_arn.split_once(":stateMachine:") {
        Some((head, tail)) => {
            let name = tail.split('/').next().unwrap_or(tail);
            format!("{head}:stateMachine:{name}")
        }
        None => parent.state_machine_arn.clone(),
    }
}

/// A `States.Runtime` failure of the Map state, in the engine's wording.
fn runtime(spec: &MapRunSpec, message: &str) -> Failure {
    let mut f = Failure::new(
        "States.Runtime",
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {message}",
            spec.state_name, spec.entered_id
        ),
    );
    f.all_matches = false;
    f
}

async fn execute(
    rt: &Arc<Runtime>,
    inner: &Arc<SfnInner>,
    spec: &MapRunSpec,
    record: &Arc<MapRunRecord>,
    run_id: &str,
) -> Result<Value, Failure> {
    let items = match &spec.items {
        ItemSource::Inline(items) => items.clone(),
        ItemSource::Reader(reader) => read_items(&inner.objects, reader)?,
    };
    let mut selected = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let value = match &spec.selector {
            None => item,
            Some(sel) => {
                let mut ctx = sel.context.clone();
                if let Value::Object(m) = &mut ctx {
                    m.insert("Map".into(), json!({"Item": {"Index": i, "Value": item}}));
                }
                let env = Env {
                    input: &sel.input,
                    context: &ctx,
                    vars: &sel.vars,
                    rand: &spec.rand,
                };
                env.template(&sel.template).map_err(|e| {
                    let mut f = runtime(spec, &e.message);
                    f.error = e.error.to_string();
                    f.all_matches = e.error != "States.Runtime";
                    f
                })?
            }
        };
        selected.push(value);
    }
    let total_items = selected.len() as u64;
    let jobs = match &spec.batcher {
        Some(b) => batches(selected, b),
        None => selected
            .into_iter()
            .map(|input| Job { input, items: 1 })
            .collect(),
    };
    {
        let mut st = record.state.lock();
        st.items.total = total_items;
        st.items.pending = total_items;
        st.executions.total = jobs.len() as u64;
        st.executions.pending = jobs.len() as u64;
    }
    // Children run the parent's machine revision (DescribeStateMachineForExecution).
    let machine = inner
        .execution(&spec.parent.execution_arn)
        .map(|e| Arc::clone(&e.machine))
        .map_err(|_| runtime(spec, "The parent execution no longer exists"))?;
    let ctx = RunCtx {
        rt,
        inner,
        spec,
        record,
        machine,
    };
    let results = run_children(&ctx, jobs).await;
    let failed_items: u64 = results
        .iter()
        .filter(|o| o.failed())
        .map(Outcome::items)
        .sum();
    let over = exceeded(
        failed_items,
        total_items,
        spec.tolerated_count,
        spec.tolerated_percentage,
    ) || results.iter().any(|o| matches!(o, Outcome::Pending { .. }));
    let output = match &spec.writer {
        Some(w) => write_results(inner, record, w, &results, run_id),
        None => Ok(Value::Array(
            results
                .iter()
                .map(|o| match o {
                    Outcome::Done(r) => r.compact(),
                    Outcome::Pending { .. } => Value::Null,
                })
                .collect(),
        )),
    };
    if over {
        let mut f = Failure::new(EXCEEDED, EXCEEDED_CAUSE);
        f.all_matches = true;
        return Err(f);
    }
    output
}

/// Whether `failed` of `total` items exceed the thresholds (neither set: any failure does).
pub(crate) fn exceeded(
    failed: u64,
    total: u64,
    count: Option<u64>,
    percentage: Option<f64>,
) -> bool {
    match (count, percentage) {
        (None, None) => failed > 0,
        _ => {
            count.is_some_and(|c| failed > c)
                || percentage
                    .is_some_and(|p| total > 0 && (failed as f64) * 100.0 / (total as f64) > p)
        }
    }
}

/// Groups items into batch inputs of at most `max_items` items and `max_bytes` bytes each (an
/// item bigger than the byte limit goes alone).
fn batches(items: Vec<Value>, b: &Batcher) -> Vec<Job> {
    let wrap = |items: Vec<Value>| -> Value {
        let mut m = Map::new();
        if let Some(bi) = &b.batch_input {
            m.insert("BatchInput".into(), bi.clone());
        }
        m.insert("Items".into(), Value::Array(items));
        Value::Object(m)
    };
    let base = dataflow::compact(&wrap(Vec::new())).len() as u64;
    let mut jobs = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut size = base;
    for item in items {
        let len = dataflow::compact(&item).len() as u64;
        let added = len + u64::from(!current.is_empty());
        let full_count = b.max_items.is_some_and(|m| current.len() as u64 >= m);
        let full_bytes = b.max_bytes.is_some_and(|m| size + added > m);
        if !current.is_empty() && (full_count || full_bytes) {
            let n = current.len() as u64;
            jobs.push(Job {
                input: wrap(std::mem::take(&mut current)),
                items: n,
            });
            size = base;
        }
        size += len + u64::from(!current.is_empty());
        current.push(item);
    }
    if !current.is_empty() {
        let n = current.len() as u64;
        jobs.push(Job {
            input: wrap(current),
            items: n,
        });
    }
    jobs
}

/// The children still running, aborted (and recorded `ABORTED`) if the run is dropped or
/// gives up.
struct Running {
    clock: SharedClock,
    children: HashMap<usize, (Arc<ExecutionRecord>, tokio::task::AbortHandle, u64)>,
    record: Arc<MapRunRecord>,
}

impl Running {
    fn abort_all(&mut self) {
        let now = self.clock.wall(self.clock.now());
        for (_, (rec, handle, items)) in self.children.drain() {
            handle.abort();
            if abort_record(&rec, now) {
                let mut st = self.record.state.lock();
                st.executions.end(1, ExecutionStatus::Aborted);
                st.items.end(items, ExecutionStatus::Aborted);
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.abort_all();
    }
}

/// Records a child execution as aborted unless it already ended.
fn abort_record(rec: &ExecutionRecord, now: SystemTime) -> bool {
    if !rec.finish(ExecutionStatus::Aborted, now, None, None, None) {
        return false;
    }
    let mut h = rec.history.lock();
    let prev = h.events.last().map_or(0, |e| e.id);
    h.push(
        now,
        T::ExecutionAborted,
        prev,
        Some(("executionAbortedEventDetails", json!({}))),
    );
    true
}

/// What became of one job.
#[derive(Debug, Clone)]
enum Outcome {
    /// It never started: the run gave up first.
    Pending { input: String, items: u64 },
    /// Its child execution ended.
    Done(ChildResult),
}

impl Outcome {
    fn items(&self) -> u64 {
        match self {
            Outcome::Pending { items, .. } => *items,
            Outcome::Done(r) => r.items,
        }
    }

    fn failed(&self) -> bool {
        matches!(self, Outcome::Done(r) if r.status != ExecutionStatus::Succeeded)
    }
}

/// A running child: its index, record, and `(name, input, start, items)`.
type ChildFuture = Pin<Box<dyn Future<Output = (usize, Arc<ExecutionRecord>, ChildMeta)> + Send>>;

type ChildMeta = (String, String, SystemTime, u64);

/// What the children of one Map Run share.
struct RunCtx<'a> {
    rt: &'a Arc<Runtime>,
    inner: &'a Arc<SfnInner>,
    spec: &'a MapRunSpec,
    record: &'a Arc<MapRunRecord>,
    /// The parent execution's machine revision.
    machine: Arc<StateMachineRecord>,
}

/// Starts job `i` as a child execution and queues its end on `pending`.
fn launch(
    ctx: &RunCtx<'_>,
    i: usize,
    job: Job,
    running: &mut Running,
    pending: &mut FuturesUnordered<ChildFuture>,
) {
    let child = start_child(ctx, job.input);
    {
        let mut st = ctx.record.state.lock();
        st.executions.start(1);
        st.items.start(job.items);
    }
    running.children.insert(
        i,
        (
            Arc::clone(&child.record),
            child.handle.abort_handle(),
            job.items,
        ),
    );
    let meta = (child.name, child.input, child.start, job.items);
    let rec = child.record;
    let handle = child.handle;
    pending.push(Box::pin(async move {
        // A stopped child's task ends with a join error: its record says how it ended.
        let _ = handle.await;
        (i, rec, meta)
    }));
}

/// Runs the jobs as child executions, at most `MaxConcurrency` at once; once the failures
/// exceed the thresholds it aborts the running children and starts no more.
async fn run_children(ctx: &RunCtx<'_>, jobs: Vec<Job>) -> Vec<Outcome> {
    let (rt, spec, record) = (ctx.rt, ctx.spec, ctx.record);
    let n = jobs.len();
    let limit = match spec.max_concurrency {
        0 => MAX_CHILD_CONCURRENCY,
        m => m.min(MAX_CHILD_CONCURRENCY),
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX).max(1);
    let total_items: u64 = jobs.iter().map(|j| j.items).sum();
    let mut results: Vec<Option<Outcome>> = vec![None; n];
    let mut queue = jobs.into_iter().enumerate();
    let mut running = Running {
        clock: rt.clock.clone(),
        children: HashMap::new(),
        record: Arc::clone(record),
    };
    let mut pending: FuturesUnordered<ChildFuture> = FuturesUnordered::new();
    let mut failed_items = 0u64;
    for (i, job) in queue.by_ref().take(limit) {
        launch(ctx, i, job, &mut running, &mut pending);
    }
    while let Some((i, rec, (name, input, started, items))) = pending.next().await {
        running.children.remove(&i);
        let d = rec.describe();
        // A child stopped by StopExecution ends ABORTED.
        let status = if d.status == ExecutionStatus::Running {
            ExecutionStatus::Aborted
        } else {
            d.status
        };
        {
            let mut st = record.state.lock();
            st.executions.end(1, status);
            st.items.end(items, status);
        }
        if status != ExecutionStatus::Succeeded {
            failed_items += items;
        }
        results[i] = Some(Outcome::Done(ChildResult {
            arn: rec.arn.clone(),
            name,
            input,
            status,
            output: d.output,
            error: d.error,
            cause: d.cause,
            start: started,
            stop: d.stop_date,
            items,
        }));
        if exceeded(
            failed_items,
            total_items,
            spec.tolerated_count,
            spec.tolerated_percentage,
        ) {
            // Give up: abort what runs, start nothing more.
            let aborted: Vec<(usize, Arc<ExecutionRecord>, u64)> = running
                .children
                .iter()
                .map(|(j, (r, _, items))| (*j, Arc::clone(r), *items))
                .collect();
            running.abort_all();
            for (j, r, items) in aborted {
                let d = r.describe();
                results[j] = Some(Outcome::Done(ChildResult {
                    arn: r.arn.clone(),
                    name: r.name.clone(),
                    input: r.input.clone(),
                    status: ExecutionStatus::Aborted,
                    output: None,
                    error: d.error,
                    cause: d.cause,
                    start: r.start_date,
                    stop: d.stop_date,
                    items,
                }));
            }
            for (j, job) in queue.by_ref() {
                results[j] = Some(Outcome::Pending {
                    input: dataflow::compact(&job.input),
                    items: job.items,
                });
            }
            break;
        }
        if let Some((j, job)) = queue.next() {
            launch(ctx, j, job, &mut running, &mut pending);
        }
    }
    results.into_iter().flatten().collect()
}

/// A started child execution.
struct Child {
    record: Arc<ExecutionRecord>,
    handle: tokio::task::JoinHandle<()>,
    name: String,
    input: String,
    start: SystemTime,
}

/// Starts one child execution of the `ItemProcessor` machine on `input`.
fn start_child(ctx: &RunCtx<'_>, input: Value) -> Child {
    let (rt, inner, spec) = (ctx.rt, ctx.inner, ctx.spec);
    let name = spec.rand.uuid().to_string();
    let machine = format!("{}/{}", spec.parent.state_machine_name, spec.label);
    let arn = if spec.express {
        format!(
            "arn:aws:states:{}:{}:express:{machine}:{name}:{}",
            rt.region,
            rt.account,
            spec.rand.uuid()
        )
    } else {
        format!(
            "arn:aws:states:{}:{}:execution:{machine}:{name}",
            rt.region, rt.account
        )
    };
    let machine_arn = format!("{}/{}", root_machine_arn(&spec.parent), spec.label);
    let text = dataflow::compact(&input);
    let start = rt.clock.now();
    let start_date = rt.clock.wall(start);
    let history = Arc::new(Mutex::new(if spec.express {
        HistorySink::default()
    } else {
        HistorySink::with_limit(MAX_HISTORY_EVENTS)
    }));
    history.lock().push(
        start_date,
        T::ExecutionStarted,
        0,
        Some((
            "executionStartedEventDetails",
            json!({"input": text, "inputDetails": {"truncated": false}, "roleArn": spec.parent.role_arn}),
        )),
    );
    let (status_tx, status_rx) = watch::channel(ExecutionStatus::Running);
    let record = Arc::new(ExecutionRecord {
        arn: arn.clone(),
        name: name.clone(),
        state_machine_arn: machine_arn.clone(),
        machine: Arc::clone(&ctx.machine),
        state_machine_version_arn: None,
        state_machine_alias_arn: None,
        input: text.clone(),
        start_date,
        state: Mutex::new(ExecutionState {
            status: ExecutionStatus::Running,
            stop_date: None,
            output: None,
            error: None,
            cause: None,
        }),
        history: Arc::clone(&history),
        status_tx,
        status_rx,
        abort: Mutex::new(None),
    });
    inner
        .executions
        .lock()
        .insert(arn.clone(), Arc::clone(&record));
    let mut execution_ctx = json!({
        "Id": arn,
        "Input": input,
        "Name": name,
        "RoleArn": spec.parent.role_arn,
        "StartTime": timestamp::format(start_date),
    });
    // Express executions are never redriven: no `RedriveCount` in their context object.
    if !spec.express {
        execution_ctx["RedriveCount"] = json!(0);
    }
    let base_ctx = Arc::new(json!({
        "Execution": execution_ctx,
        "StateMachine": {"Id": machine_arn, "Name": machine},
    }));
    let thread = Thread::new(
        spec.start_at.clone(),
        Arc::clone(&spec.states),
        base_ctx,
        BTreeMap::new(),
        spec.rand.fork(&arn),
        rt.region.clone(),
    );
    let crt = Arc::new(rt.with_history(Arc::clone(&history)));
    let limit = execution_limit(spec.express, None);
    let rec = Arc::clone(&record);
    let handle = tokio::spawn(async move {
        let run = run_thread(Arc::clone(&crt), thread, input);
        let outcome = crt.clock.timeout_at(start + limit, run).await.ok();
        finish_child(&crt, &rec, outcome.map(|(_, r)| r));
    });
    *record.abort.lock() = Some(handle.abort_handle());
    Child {
        record,
        handle,
        name,
        input: text,
        start: start_date,
    }
}

/// Records a child execution's end (`None`: it timed out) and its last history event.
fn finish_child(rt: &Runtime, rec: &ExecutionRecord, outcome: Option<Result<Value, Failure>>) {
    crate::operation::start_execution::record_end(rt, rec, outcome);
}

fn reader_failed(cause: impl Into<String>) -> Failure {
    let mut f = Failure::new("States.ItemReaderFailed", cause);
    f.all_matches = true;
    f
}

fn param<'a>(params: &'a Value, field: &str) -> Result<&'a str, Failure> {
    params
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| reader_failed(format!("The field '{field}' is required but was missing")))
}

/// Reads the items of an `ItemReader` from the object store.
fn read_items(objects: &Objects, reader: &Reader) -> Result<Vec<Value>, Failure> {
    let max = reader.max_items.clone()?;
    let limit = if max == 0 {
        usize::MAX
    } else {
        usize::try_from(max).unwrap_or(usize::MAX)
    };
    let bucket = param(&reader.parameters, "Bucket")?;
    if reader.resource == crate::asl::LIST_OBJECTS_V2 {
        let prefix = reader
            .parameters
            .get("Prefix")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let listed = objects
            .list_objects(bucket, prefix)
            .map_err(|e| reader_failed(e.message()))?;
        return Ok(listed.iter().take(limit).map(|o| o.to_item()).collect());
    }
    let key = param(&reader.parameters, "Key")?;
    let body = objects
        .get(bucket, key)
        .map_err(|e| reader_failed(e.message()))?;
    let text =
        String::from_utf8(body).map_err(|_| reader_failed("The object is not valid UTF-8 text"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match &reader.input_type {
        Some(InputType::Json) | None => {
            let v: Value = serde_json::from_str(text)
                .map_err(|e| reader_failed(format!("The object is not valid JSON: {e}")))?;
            match v {
                Value::Array(items) => Ok(items.into_iter().take(limit).collect()),
                _ => Err(reader_failed("Attempting to map over non-iterable node.")),
            }
        }
        Some(InputType::Jsonl) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(limit)
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| reader_failed(format!("Line {} is not valid JSON: {e}", i + 1)))
            })
            .collect(),
        Some(InputType::Csv { headers, delimiter }) => {
            let mut rows = parse_csv(text, *delimiter).into_iter();
            let headers = match headers {
                Some(h) => h.clone(),
                None => rows.next().unwrap_or_default(),
            };
            let mut seen = std::collections::BTreeSet::new();
            if !headers.iter().all(|h| seen.insert(h.as_str())) {
                return Err(reader_failed("CSV headers cannot contain duplicates."));
            }
            Ok(rows
                .take(limit)
                .map(|row| {
                    let m: Map<String, Value> = headers
                        .iter()
                        .enumerate()
                        .map(|(i, h)| {
                            (
                                h.clone(),
                                Value::String(row.get(i).cloned().unwrap_or_default()),
                            )
                        })
                        .collect();
                    Value::Object(m)
                })
                .collect())
        }
    }
}

/// Parses CSV text (RFC 4180: `"` quotes fields, `""` is a quote inside one, quoted fields
/// may span lines) into rows of fields; empty lines are skipped.
pub(crate) fn parse_csv(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut started = false;
    let mut chars = text.chars().peekable();
    let end_row = |row: &mut Vec<String>, field: &mut String, rows: &mut Vec<Vec<String>>| {
        row.push(std::mem::take(field));
        let r = std::mem::take(row);
        if !(r.len() == 1 && r[0].is_empty()) {
            rows.push(r);
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !started => {
                quoted = true;
                started = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_row(&mut row, &mut field, &mut rows);
                started = false;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                started = false;
            }
            c => {
                field.push(c);
                started = true;
            }
        }
    }
    if started || !field.is_empty() || !row.is_empty() {
        end_row(&mut row, &mut field, &mut rows);
    }
    rows
}

/// Formats the results and, for an export, writes the result files and the manifest.
fn write_results(
    inner: &SfnInner,
    record: &MapRunRecord,
    w: &Writer,
    results: &[Outcome],
    run_id: &str,
) -> Result<Value, Failure> {
    // One outcome's entries: its output (or `{Error, Cause}`), flattened for `FLATTEN`, or
    // its metadata for `NONE`.
    let entries = |o: &Outcome| -> Vec<Value> {
        match o {
            Outcome::Done(r) => match (w.transformation, r.compact()) {
                (Transformation::None, _) => vec![r.metadata(&record.state_machine_arn)],
                (Transformation::Flatten, Value::Array(a))
                    if r.status == ExecutionStatus::Succeeded =>
                {
                    a
                }
                (_, v) => vec![v],
            },
            Outcome::Pending { input, .. } => vec![json!({
                "Input": input,
                "InputDetails": {"Included": true},
                "Status": "PENDING",
            })],
        }
    };
    let Some((bucket, prefix)) = &w.export else {
        return Ok(Value::Array(results.iter().flat_map(entries).collect()));
    };
    let prefix = if prefix.is_empty() || prefix.ends_with('/') {
        prefix.clone()
    } else {
        format!("{prefix}/")
    };
    let dir = format!("{prefix}{run_id}/");
    let failed = |cause: &str| {
        let mut f = Failure::new("States.ResultWriterFailed", cause.to_string());
        f.all_matches = true;
        f
    };
    if !inner.objects.bucket_exists(bucket) {
        return Err(failed("The specified bucket does not exist"));
    }
    let mut files: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let (mut items_written, mut executions_written) = (0u64, 0u64);
    for o in results {
        let group = match o {
            Outcome::Done(r) if r.status == ExecutionStatus::Succeeded => "SUCCEEDED",
            Outcome::Done(_) => "FAILED",
            Outcome::Pending { .. } => "PENDING",
        };
        if let Outcome::Done(r) = o {
            items_written += r.items;
            executions_written += 1;
        }
        files.entry(group).or_default().extend(entries(o));
    }
    let mut manifest_files = json!({"FAILED": [], "PENDING": [], "SUCCEEDED": []});
    for (group, entries) in files {
        if entries.is_empty() {
            continue;
        }
        let body = if w.jsonl {
            entries
                .iter()
                .map(dataflow::compact)
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            dataflow::compact(&Value::Array(entries))
        };
        let key = format!("{dir}{group}_0.json");
        let size = body.len();
        inner
            .objects
            .put_existing(bucket, &key, body.into_bytes())
            .map_err(|e| failed(e.message()))?;
        if let Some(list) = manifest_files.get_mut(group).and_then(Value::as_array_mut) {
            list.push(json!({"Key": key, "Size": size}));
        }
    }
    let manifest = json!({
        "DestinationBucket": bucket,
        "MapRunArn": record.arn,
        "ResultFiles": manifest_files,
    });
    let key = format!("{dir}manifest.json");
    inner
        .objects
        .put_existing(bucket, &key, dataflow::compact(&manifest).into_bytes())
        .map_err(|e| failed(e.message()))?;
    {
        let mut st = record.state.lock();
        st.items.results_written = items_written;
        st.executions.results_written = executions_written;
    }
    Ok(json!({
        "MapRunArn": record.arn,
        "ResultWriterDetails": {"Bucket": bucket, "Key": key},
    }))
}
