//! Execution history: events with AWS's types, ids and `previousEventId` links.
//!
//! # Shape
//!
//! Ids count from 1 in the order events happen. `previousEventId` links each event to the one
//! that caused it in its own thread: the first state's entered event and `ExecutionStarted`
//! link to 0; inside a Parallel branch or a Map iteration, events link back through the
//! branch to `ParallelStateStarted` or `MapIterationStarted`. Details sit under AWS's key for
//! the event type (`stateEnteredEventDetails`, `taskScheduledEventDetails` …), with inputs and
//! outputs as JSON text and `inputDetails`/`outputDetails` `{"truncated": false}`.
//!
//! Events of concurrent branches and iterations interleave as they happen, as on AWS.
//!
//! A Distributed Map records `MapStateStarted`, `MapRunStarted` (`mapRunArn`) and
//! `MapRunSucceeded` or `MapRunFailed` (`error`, `cause`) in the parent's history; each of its
//! child executions has a history of its own.
//!
//! # Limit
//!
//! A Standard execution's history holds at most [`MAX_HISTORY_EVENTS`] events. Reaching the
//! limit fails the execution with `States.Runtime` at its next state transition (no Catch
//! catches it); its `ExecutionFailed` event is event 25,000. Express executions have no limit.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

macro_rules! event_types {
    ($($name:ident),* $(,)?) => {
        /// The type of a history event, named as Step Functions names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs)]
        pub enum HistoryEventType { $($name),* }

        impl HistoryEventType {
            /// The name AWS uses (`TaskStateEntered` …).
            pub fn as_str(self) -> &'static str {
                match self { $(HistoryEventType::$name => stringify!($name)),* }
            }
        }
    };
}

event_types!(
    ActivityFailed,
    ActivityScheduled,
    ActivityScheduleFailed,
    ActivityStarted,
    ActivitySucceeded,
    ActivityTimedOut,
    ChoiceStateEntered,
    ChoiceStateExited,
    EvaluationFailed,
    ExecutionAborted,
    ExecutionFailed,
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionTimedOut,
    FailStateEntered,
    LambdaFunctionFailed,
    LambdaFunctionScheduled,
    LambdaFunctionScheduleFailed,
    LambdaFunctionStarted,
    LambdaFunctionStartFailed,
    LambdaFunctionSucceeded,
    LambdaFunctionTimedOut,
    MapIterationAborted,
    MapIterationFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapRunAborted,
    MapRunFailed,
    MapRunRedriven,
    MapRunStarted,
    MapRunSucceeded,
    MapStateAborted,
    MapStateEntered,
    MapStateExited,
    MapStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    ParallelStateAborted,
    ParallelStateEntered,
    ParallelStateExited,
    ParallelStateFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    PassStateEntered,
    PassStateExited,
    SucceedStateEntered,
    SucceedStateExited,
    TaskFailed,
    TaskScheduled,
    TaskStartFailed,
    TaskStarted,
    TaskStateAborted,
    TaskStateEntered,
    TaskStateExited,
    TaskSubmitFailed,
    TaskSubmitted,
    TaskSucceeded,
    TaskTimedOut,
    WaitStateAborted,
    WaitStateEntered,
    WaitStateExited,
);

impl std::fmt::Display for HistoryEventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for HistoryEventType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One event of an execution's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct HistoryEvent {
    /// When it happened (epoch seconds on the wire).
    #[serde(serialize_with = "epoch_seconds")]
    pub timestamp: SystemTime,
    /// The event type.
    #[serde(rename = "type")]
    pub event_type: HistoryEventType,
    /// The id, from 1.
    pub id: u64,
    /// The id of the event this one follows in its thread (0 for none).
    pub previous_event_id: u64,
    /// The `…EventDetails` member, by its AWS key.
    #[serde(flatten)]
    pub details: Map<String, Value>,
}

impl HistoryEvent {
    /// The details object, whatever its key.
    pub fn details(&self) -> Option<&Value> {
        self.details.values().next()
    }
}

fn epoch_seconds<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    s.serialize_f64(d.as_secs_f64())
}

/// The most events a Standard execution's history holds; the execution fails with
/// `States.Runtime` when it reaches the limit (the `ExecutionFailed` event is the last one).
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// The cause of the failure when an execution reaches [`MAX_HISTORY_EVENTS`], in AWS's words.
pub(crate) fn history_limit_cause() -> String {
    format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS}).")
}

/// The details of a recorded event, kept in the cheapest form that gives the
/// [`HistoryEvent`] back on demand.
#[derive(Debug, Clone)]
enum Recorded {
    /// No details.
    None,
    /// `{key: value}`.
    Json(Box<str>, Value),
    /// A state's `stateEnteredEventDetails` (`entered`) or `stateExitedEventDetails`:
    /// `{"name", "input"|"output": text, "inputDetails"|"outputDetails": {"truncated": false}}`.
    /// Recorded on every transition, so it is two strings rather than four JSON maps.
    StateIo {
        entered: bool,
        name: Box<str>,
        text: String,
    },
}

/// One recorded event: its id, links, type and time, and its details as [`Recorded`].
#[derive(Debug, Clone)]
pub(crate) struct RecordedEvent {
    /// The id, from 1.
    pub(crate) id: u64,
    /// The id of the event this one follows in its thread (0 for none).
    pub(crate) previous_event_id: u64,
    /// The event type.
    pub(crate) event_type: HistoryEventType,
    /// When it happened.
    pub(crate) timestamp: SystemTime,
    details: Recorded,
}

impl RecordedEvent {
    /// The event as GetExecutionHistory returns it.
    pub(crate) fn to_event(&self) -> HistoryEvent {
        let mut details = Map::new();
        match &self.details {
            Recorded::None => {}
            Recorded::Json(key, v) => {
                details.insert(key.to_string(), v.clone());
            }
            Recorded::StateIo {
                entered,
                name,
                text,
            } => {
                let (outer, key, key_details) = if *entered {
                    ("stateEnteredEventDetails", "input", "inputDetails")
                } else {
                    ("stateExitedEventDetails", "output", "outputDetails")
                };
                let mut truncated = Map::new();
                truncated.insert("truncated".to_string(), Value::Bool(false));
                let mut io = Map::new();
                io.insert("name".to_string(), Value::String(name.to_string()));
                io.insert(key.to_string(), Value::String(text.clone()));
                io.insert(key_details.to_string(), Value::Object(truncated));
                details.insert(outer.to_string(), Value::Object(io));
            }
        }
        HistoryEvent {
            timestamp: self.timestamp,
            event_type: self.event_type,
            id: self.id,
            previous_event_id: self.previous_event_id,
            details,
        }
    }
}

/// The growing history of one execution.
#[derive(Debug, Default, Clone)]
pub(crate) struct HistorySink {
    /// The events in id order (see [`HistorySink::events`] for them as [`HistoryEvent`]s).
    pub(crate) events: Vec<RecordedEvent>,
    /// At most this many events (`None`: no limit); the last slot is kept for the
    /// execution's terminal event.
    pub(crate) limit: Option<usize>,
    /// Set when the execution must stop at its next state transition: `(error, cause)`
    /// (the history limit was reached, or the machine was deleted).
    pub(crate) halt: Option<(String, String)>,
}

impl HistorySink {
    /// A sink holding at most `limit` events.
    pub(crate) fn with_limit(limit: usize) -> HistorySink {
        HistorySink {
            limit: Some(limit),
            ..HistorySink::default()
        }
    }

    /// The events as GetExecutionHistory returns them, in id order.
    pub(crate) fn history(&self) -> Vec<HistoryEvent> {
        self.events.iter().map(RecordedEvent::to_event).collect()
    }

    /// Appends an event and returns its id. Once the limit is reached, only terminal
    /// execution events are kept and the sink halts with the history-limit failure.
    pub(crate) fn push(
        &mut self,
        at: SystemTime,
        event_type: HistoryEventType,
        previous_event_id: u64,
        details: Option<(&str, Value)>,
    ) -> u64 {
        let details = match details {
            Some((key, v)) => Recorded::Json(key.into(), v),
            None => Recorded::None,
        };
        self.record(at, event_type, previous_event_id, details)
    }

    /// Appends a state's entered (`entered`) or exited event, `name` with its input or output
    /// as JSON `text`, and returns its id; as [`push`](HistorySink::push) with
    /// `stateEnteredEventDetails` / `stateExitedEventDetails`, for less.
    pub(crate) fn push_state_io(
        &mut self,
        at: SystemTime,
        event_type: HistoryEventType,
        previous_event_id: u64,
        entered: bool,
        name: &str,
        text: String,
    ) -> u64 {
        let details = Recorded::StateIo {
            entered,
            name: name.into(),
            text,
        };
        self.record(at, event_type, previous_event_id, details)
    }

    fn record(
        &mut self,
        at: SystemTime,
        event_type: HistoryEventType,
        previous_event_id: u64,
        details: Recorded,
    ) -> u64 {
        let terminal = matches!(
            event_type,
            HistoryEventType::ExecutionSucceeded
                | HistoryEventType::ExecutionFailed
                | HistoryEventType::ExecutionTimedOut
                | HistoryEventType::ExecutionAborted
        );
        if let Some(limit) = self.limit {
            if !terminal && self.events.len() + 1 >= limit {
                if self.halt.is_none() {
                    self.halt = Some(("States.Runtime".into(), history_limit_cause()));
                }
                return self.events.len() as u64;
            }
        }
        let id = self.events.len() as u64 + 1;
        self.events.push(RecordedEvent {
            id,
            previous_event_id,
            event_type,
            timestamp: at,
            details,
        });
        id
    }
}
