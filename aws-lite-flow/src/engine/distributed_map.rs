//! The pure side of a Map state in `DISTRIBUTED` mode: its fields are evaluated on the state's
//! input into a [`MapRunSpec`], the driver runs the Map Run (`crate::map_run`), and its
//! outcome completes the state.
//!
//! # Order
//!
//! `InputPath`; the items (`ItemsPath`, or the `ItemReader` request: `Parameters`,
//! `ReaderConfig`, `MaxItems`/`MaxItemsPath`); `MaxConcurrency(Path)`; `MapStateStarted`
//! (`length` 0 when an `ItemReader` reads the items later); the tolerated failure thresholds
//! (their errors come after `MapStateStarted`, as AWS records them); `ItemBatcher`
//! (`…Path` forms and `BatchInput`); `ResultWriter` (`Parameters`). `ItemSelector` is kept,
//! with the state's input, context and variables, for the Map Run to apply to every item.
//!
//! Path-valued limits accept a number or a string holding one (`"1"`, as a variable assigned
//! from a string gives); anything else is `States.Runtime`
//! (`The ToleratedFailurePercentagePath field refers to value "{}" which is not a valid
//! float: …`). A negative `MaxItemsPath` fails the Map Run with `States.ItemReaderFailed`
//! (`field MaxItems must be positive`).
//!
//! # Completion
//!
//! `MapStateSucceeded` (or `MapStateFailed`) follows the Map Run's last event; the Map Run's
//! output then goes through `ResultSelector`, `ResultPath` and `OutputPath` like any state
//! result, and a failure (`States.ExceedToleratedFailureThreshold`,
//! `States.ItemReaderFailed`, `States.ResultWriterFailed`) through `Retry` and `Catch`.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Action, Failure, Flow, Now, Pending, R, Thread, quoted};
use crate::asl::{
    ItemBatcher, ItemReader, MAX_BATCH_BYTES, MAX_ITEMS_LIMIT, MapState, ResultWriter, State,
};
use crate::dataflow::{self, Env, EvalError};
use crate::history::{HistoryEventType as T, HistorySink};
use crate::map_run::{
    Batcher, InputType, ItemSource, MapRunSpec, Parent, Reader, Selector, Transformation, Writer,
};

/// A number, or a string that holds one.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// An integer, or a string that holds one.
fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// `MaxConcurrency` or the value at `MaxConcurrencyPath` (0 when neither is set).
pub(super) fn max_concurrency(s: &MapState, eenv: &Env<'_>) -> R<u64> {
    match (&s.max_concurrency, &s.max_concurrency_path) {
        (Some(m), _) => Ok(*m),
        (None, Some(p)) => {
            let v = eenv.resolve_path(p, "MaxConcurrencyPath")?;
            integer(&v)
                .and_then(|n| u64::try_from(n).ok())
                .ok_or_else(|| {
                    EvalError::runtime(format!(
                        "The MaxConcurrencyPath field refers to value {} which is not a valid integer: {p}",
                        quoted(&v)
                    ))
                })
        }
        _ => Ok(0),
    }
}

/// `(ToleratedFailureCount, ToleratedFailurePercentage)`, literal or from their paths.
pub(super) fn tolerated(s: &MapState, eenv: &Env<'_>) -> R<(Option<u64>, Option<f64>)> {
    let pct = match (
        &s.tolerated_failure_percentage,
        &s.tolerated_failure_percentage_path,
    ) {
        (Some(p), _) => Some(*p),
        (None, Some(p)) => {
            let v = eenv.resolve_path(p, "ToleratedFailurePercentagePath")?;
            Some(number(&v).ok_or_else(|| {
                EvalError::runtime(format!(
                    "The ToleratedFailurePercentagePath field refers to value {} which is not a valid float: {p}",
                    quoted(&v)
                ))
            })?)
        }
        _ => None,
    };
    if let Some(p) = pct {
        if !(0.0..=100.0).contains(&p) {
            return Err(EvalError::runtime(
                "ToleratedFailurePercentage must be between 0 and 100.",
            ));
        }
    }
    let count = match (&s.tolerated_failure_count, &s.tolerated_failure_count_path) {
        (Some(c), _) => Some(*c),
        (None, Some(p)) => {
            let v = eenv.resolve_path(p, "ToleratedFailureCountPath")?;
            let n = integer(&v).ok_or_else(|| {
                EvalError::runtime(format!(
                    "The ToleratedFailureCountPath field refers to value {} which is not a valid integer: {p}",
                    quoted(&v)
                ))
            })?;
            Some(
                u64::try_from(n)
                    .map_err(|_| EvalError::runtime("ToleratedFailureCount cannot be negative."))?,
            )
        }
        _ => None,
    };
    Ok((count, pct))
}

/// A positive integer limit, literal or from its path.
fn limit(
    lit: Option<&Value>,
    path: Option<&String>,
    field: &str,
    eenv: &Env<'_>,
) -> R<Option<u64>> {
    if let Some(v) = lit {
        return Ok(v.as_u64());
    }
    let Some(p) = path else { return Ok(None) };
    let v = eenv.resolve_path(p, &format!("{field}Path"))?;
    integer(&v)
        .and_then(|n| u64::try_from(n).ok())
        .filter(|n| *n > 0)
        .map(Some)
        .ok_or_else(|| {
            EvalError::runtime(format!(
                "The {field}Path field refers to value {} which is not a valid integer: {p}",
                quoted(&v)
            ))
        })
}

fn reader_failed(cause: impl Into<String>) -> Failure {
    let mut f = Failure::new("States.ItemReaderFailed", cause);
    f.all_matches = true;
    f
}

/// Evaluates an `ItemReader` on the state's effective input.
fn reader(r: &ItemReader, eenv: &Env<'_>) -> R<Reader> {
    let parameters = match &r.parameters {
        Some(p) => eenv.template(p)?,
        None => json!({}),
    };
    let cfg = r.reader_config.clone().unwrap_or_default();
    let input_type = match cfg.input_type.as_deref() {
        Some("JSON") => Some(InputType::Json),
        Some("JSONL") => Some(InputType::Jsonl),
        Some("CSV") => Some(InputType::Csv {
            headers: match cfg.csv_header_location.as_deref() {
                Some("GIVEN") => Some(cfg.csv_headers.clone().unwrap_or_default()),
                _ => None,
            },
            delimiter: match cfg.csv_delimiter.as_deref() {
                Some("PIPE") => '|',
                Some("SEMICOLON") => ';',
                Some("SPACE") => ' ',
                Some("TAB") => '\t',
                _ => ',',
            },
        }),
        _ => None,
    };
    let max_items = match (&cfg.max_items, &cfg.max_items_path) {
        (Some(v), _) => Ok(v.as_u64().unwrap_or(0).min(MAX_ITEMS_LIMIT)),
        (None, Some(p)) => {
            let v = eenv.resolve_path(p, "MaxItemsPath")?;
            match v.as_i64() {
                Some(n) if n < 0 => Err(reader_failed("field MaxItems must be positive")),
                Some(n) => Ok(n.unsigned_abs().min(MAX_ITEMS_LIMIT)),
                None => match v.as_u64() {
                    Some(n) => Ok(n.min(MAX_ITEMS_LIMIT)),
                    None => Err(reader_failed(format!(
                        "The MaxItemsPath field refers to value '{}' which is not a valid integer: {p}",
                        dataflow::compact(&v)
                    ))),
                },
            }
        }
        _ => Ok(0),
    };
    Ok(Reader {
        resource: r.resource.clone(),
        parameters,
        input_type,
        max_items,
    })
}

/// Evaluates an `ItemBatcher` on the state's effective input.
fn batcher(b: &ItemBatcher, eenv: &Env<'_>) -> R<Batcher> {
    let max_items = limit(
        b.max_items_per_batch.as_ref(),
        b.max_items_per_batch_path.as_ref(),
        "MaxItemsPerBatch",
        eenv,
    )?;
    let max_bytes = limit(
        b.max_input_bytes_per_batch.as_ref(),
        b.max_input_bytes_per_batch_path.as_ref(),
        "MaxInputBytesPerBatch",
        eenv,
    )?
    .map(|n| n.min(MAX_BATCH_BYTES));
    let batch_input = b
        .batch_input
        .as_ref()
        .map(|t| eenv.template(t))
        .transpose()?;
    Ok(Batcher {
        max_items,
        max_bytes,
        batch_input,
    })
}

/// Evaluates a `ResultWriter` on the state's effective input.
fn writer(w: &ResultWriter, eenv: &Env<'_>) -> R<Writer> {
    let export = match (&w.resource, &w.parameters) {
        (Some(_), Some(p)) => {
            let v = eenv.template(p)?;
            let bucket = v.get("Bucket").and_then(Value::as_str).ok_or_else(|| {
                EvalError::runtime(format!(
                    "The ResultWriter's Bucket must be a string: {}",
                    dataflow::compact(&v)
                ))
            })?;
            let prefix = v.get("Prefix").and_then(Value::as_str).unwrap_or_default();
            Some((bucket.to_string(), prefix.to_string()))
        }
        _ => None,
    };
    let cfg = w.writer_config.clone().unwrap_or_default();
    let transformation = match cfg.transformation.as_deref() {
        Some("NONE") => Transformation::None,
        Some("FLATTEN") => Transformation::Flatten,
        Some("COMPACT") => Transformation::Compact,
        // NONE when exporting, COMPACT otherwise.
        _ if export.is_some() => Transformation::None,
        _ => Transformation::Compact,
    };
    Ok(Writer {
        export,
        transformation,
        jsonl: cfg.output_type.as_deref() == Some("JSONL"),
    })
}

impl Thread {
    /// The parent execution, from the context object.
    fn parent(&self) -> Parent {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let exec = &self.base_ctx["Execution"];
        let machine = &self.base_ctx["StateMachine"];
        let name = text(&machine["Name"]);
        Parent {
            execution_arn: text(&exec["Id"]),
            state_machine_arn: text(&machine["Id"]),
            state_machine_name: name.split('/').next().unwrap_or_default().to_string(),
            role_arn: text(&exec["RoleArn"]),
        }
    }

    /// Evaluates a Distributed Map state and asks the driver for its Map Run.
    pub(super) fn distributed_map(
        &mut self,
        s: &MapState,
        raw: &Value,
        ctx: &Value,
        now: Now,
        h: &mut HistorySink,
    ) -> R<Flow> {
        let vars = self.vars.clone();
        let rand = self.rand.clone();
        let env = Env {
            input: raw,
            context: ctx,
            vars: &vars,
            rand: &rand,
        };
        let effective = env.select(s.input_path.as_ref(), "InputPath")?;
        let eenv = env.with_input(&effective);
        let items = match &s.item_reader {
            // The reader's items replace the input's: ItemsPath is not used.
            Some(r) => ItemSource::Reader(reader(r, &eenv)?),
            None => {
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
                ItemSource::Inline(items)
            }
        };
        let max = max_concurrency(s, &eenv)?;
        let Some(proc_) = s.processor() else {
            return Err(EvalError::runtime("The Map state has no ItemProcessor"));
        };
        let express = proc_
            .processor_config
            .as_ref()
            .and_then(|c| c.execution_type.as_deref())
            == Some("EXPRESS");
        let length = match &items {
            ItemSource::Inline(items) => items.len(),
            ItemSource::Reader(_) => 0,
        };
        let started = h.push(
            now.wall,
            T::MapStateStarted,
            self.prev,
            Some(("mapStateStartedEventDetails", json!({"length": length}))),
        );
        self.prev = started;
        let (count, pct) = tolerated(s, &eenv)?;
        let batcher = s
            .item_batcher
            .as_ref()
            .map(|b| batcher(b, &eenv))
            .transpose()?;
        let writer = s
            .result_writer
            .as_ref()
            .map(|w| writer(w, &eenv))
            .transpose()?;
        let selector = s
            .item_selector
            .as_ref()
            .or(s.parameters.as_ref())
            .map(|t| Selector {
                template: t.clone(),
                input: effective.clone(),
                context: ctx.clone(),
                vars: vars.clone(),
            });
        let spec = MapRunSpec {
            state_name: self.current.clone(),
            entered_id: self.entered_id,
            label: s.label.clone().unwrap_or_else(|| self.current.clone()),
            started_id: started,
            items,
            selector,
            batcher,
            max_concurrency: max,
            tolerated_count: count,
            tolerated_percentage: pct,
            writer,
            start_at: proc_.start_at.clone(),
            states: Arc::new(proc_.states.clone()),
            express,
            parent: self.parent(),
            rand,
        };
        self.effective = effective;
        self.pending = Pending::MapRun;
        Ok(Flow::Await(Action::MapRun(Box::new(spec))))
    }

    /// Completes a Distributed Map state with its Map Run's outcome.
    pub(super) fn map_run_done(
        &mut self,
        result: Result<serde_json::Value, Failure>,
        last: u64,
        now: Now,
        h: &mut HistorySink,
    ) -> Flow {
        self.prev = last;
        let states = Arc::clone(&self.states);
        let Some(State::Map(s)) = states.get(&self.current) else {
            return Flow::Fail(Failure::new("States.Runtime", "internal: not a map"));
        };
        match result {
            Err(f) => {
                self.push(h, now, T::MapStateFailed, None);
                Flow::Error(f)
            }
            Ok(output) => {
                // `MapStateExited` follows the Map Run's end, as `MapStateSucceeded` does.
                h.push(now.wall, T::MapStateSucceeded, last, None);
                self.finish(
                    output,
                    s.assign.as_ref(),
                    s.result_selector.as_ref(),
                    s.result_path.as_ref(),
                    s.output_path.as_ref(),
                    s.next.clone(),
                )
                .unwrap_or_else(|e| Flow::Error(self.runtime(e)))
            }
        }
    }
}
