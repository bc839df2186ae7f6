//! Invoke: runs a function synchronously (`RequestResponse`), queues it (`Event`) or checks
//! that it could run (`DryRun`).
//!
//! # Semantics
//!
//! - An unqualified call runs `$LATEST`; a version number runs that version; an alias runs its
//!   version, or its extra routed version with the alias's weight. The version that ran is
//!   [`executed_version`](InvokeOutput::executed_version).
//! - Payloads are JSON. `RequestResponse` and `DryRun` accept up to 6 MB, `Event` up to 1 MB;
//!   above that, `RequestEntityTooLargeException` (413).
//! - `RequestResponse` answers 200. A handler error, a panic or a timeout is still a 200, with
//!   [`function_error`](InvokeOutput::function_error) `Unhandled` and the
//!   `{"errorMessage","errorType"}` payload: a timeout is `Sandbox.Timedout`,
//!   `RequestId: {id} Error: Task timed out after {timeout}.00 seconds`; a panic is
//!   `Lambda panicked: {message}` as the Rust runtime reports it. A response longer than
//!   6,291,556 bytes as JSON ([`Limits::response_bytes`](crate::Limits::response_bytes)) is
//!   `Function.ResponseSizeTooLarge`, `Response payload size exceeded maximum allowed payload
//!   size (6291556 bytes).`; the environment stays warm.
//! - A call that would exceed the function's reserved concurrency or the account's unreserved
//!   pool is refused with `TooManyRequestsException` (429, `Rate Exceeded.`).
//! - `Event` answers 202 at once; the event runs in the background: throttles are retried with
//!   backoff, function errors twice (after 1 minute, then 2), and the event is given up when
//!   its retries are spent or it is older than 6 hours. PutFunctionEventInvokeConfig changes
//!   the retries and the age, and adds destinations; see
//!   [`event_invoke`](crate::event_invoke).
//! - `DryRun` answers 204 and runs nothing.
//! - A missing function, version or alias is `ResourceNotFoundException` naming the ARN as
//!   invoked: `Function not found: {arn}:{qualifier}`, or `Function not found: {arn}:$LATEST`
//!   for an unqualified call (GetFunction names the unqualified ARN of a missing function, and
//!   GetAlias answers `Cannot find alias arn: …`).
//!
//! ```
//! use aws_lite_fn::operation::invoke::InvocationType;
//! use aws_lite_fn::{service_fn, Code, Diagnostic, Event, Lambda};
//! use serde_json::{json, Value};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     match e.payload.as_str() {
//!         Some("fail") => Err(Diagnostic::new("MyError", "it failed")),
//!         _ => Ok(e.payload),
//!     }
//! }));
//! lambda.create_function().function_name("f").code(code).send().await?;
//! let out = lambda.invoke().function_name("f").payload(json!("fail")).send().await?;
//! assert_eq!(out.status_code(), 200);
//! assert_eq!(out.function_error(), Some("Unhandled"));
//! assert_eq!(out.payload(), &json!({"errorMessage": "it failed", "errorType": "MyError"}));
//!
//! let dry = lambda.invoke().function_name("f").invocation_type(InvocationType::DryRun).send().await?;
//! assert_eq!(dry.status_code(), 204);
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use aws_lite_core::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::handler::RequestId;
use crate::invoke::{
    ExecStep, Execution, Report, SlowExecution, execute_start, resolve, spawn_async,
};
use crate::names::{NameUse, parse_target_ref};
use crate::{Lambda, error};

/// `InvocationType`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum InvocationType {
    /// Run and wait for the result (200).
    #[default]
    RequestResponse,
    /// Queue and return at once (202).
    Event,
    /// Validate only (204).
    DryRun,
}

/// The input of Invoke.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct InvokeInput {
    /// `FunctionName`: a name or ARN, optionally qualified.
    #[serde(default)]
    pub function_name: Option<String>,
    /// `Qualifier`: a version or alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// `InvocationType` (header `X-Amz-Invocation-Type`), default `RequestResponse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_type: Option<InvocationType>,
    /// `Payload`: the event, as JSON (default `{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Value>,
}

/// The output of Invoke.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct InvokeOutput {
    status_code: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    function_error: Option<&'static str>,
    payload: Value,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_shared_str"
    )]
    executed_version: Option<Arc<str>>,
    #[serde(skip)]
    report: Option<Report>,
}

/// `ExecutedVersion` as text.
fn serialize_shared_str<S: serde::Serializer>(
    value: &Option<Arc<str>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serializer.serialize_str(v),
        None => serializer.serialize_none(),
    }
}

impl InvokeOutput {
    /// `StatusCode`: 200, 202 or 204.
    pub fn status_code(&self) -> u16 {
        self.status_code
    }
    /// `FunctionError`: `Unhandled` when the function failed.
    pub fn function_error(&self) -> Option<&str> {
        self.function_error
    }
    /// `Payload`: the handler's response, or the error body.
    pub fn payload(&self) -> &Value {
        &self.payload
    }
    /// The payload deserialized into `T`.
    pub fn payload_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.payload)
    }
    /// `ExecutedVersion` (synchronous calls): the version that ran.
    pub fn executed_version(&self) -> &str {
        self.executed_version.as_deref().unwrap_or("")
    }
    /// The REPORT line's figures (synchronous calls).
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }
    /// The invocation's request id (synchronous calls).
    pub fn request_id(&self) -> Option<RequestId> {
        self.report.as_ref().map(|r| r.request_id)
    }
}

fluent_builder!(
    /// Invoke.
    invoke,
    InvokeFluentBuilder,
    InvokeInput,
    InvokeOutput,
    future invoke
);

setters!(InvokeFluentBuilder {
    /// `FunctionName`.
    function_name, set_function_name: String;
    /// `Qualifier`.
    qualifier, set_qualifier: String;
    /// `InvocationType`.
    invocation_type, set_invocation_type: InvocationType;
    /// `Payload`.
    payload, set_payload: Value;
});

impl InvokeFluentBuilder {
    /// `Payload` from any serializable value.
    pub fn payload_json<T: Serialize>(mut self, value: &T) -> Result<Self, serde_json::Error> {
        self.input.payload = Some(serde_json::to_value(value)?);
        Ok(self)
    }
}

/// The length of `value` as compact JSON, counted without building the text.
pub(crate) fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

/// The longest JSON text of an integer number: `-9223372036854775808`, `18446744073709551615`.
const INTEGER_MAX: usize = 20;

/// An upper bound of the length of `value` as compact JSON, or `None` once it passes `limit`:
/// a walk that escapes and formats nothing (a string counts 6 bytes a byte, the most an
/// escape takes; an integer 20; other numbers are counted exactly, as serde_json's
/// `arbitrary_precision` may keep any text for them).
fn json_len_bound(value: &Value, limit: usize) -> Option<usize> {
    let n = match value {
        Value::Null | Value::Bool(_) => 5,
        Value::Number(n) if n.is_i64() || n.is_u64() => INTEGER_MAX,
        Value::Number(_) => json_len(value),
        Value::String(s) => 2 + 6 * s.len(),
        Value::Array(items) => {
            let mut n = 2 + items.len();
            for item in items {
                n += json_len_bound(item, limit.checked_sub(n)?)?;
            }
            n
        }
        Value::Object(map) => {
            let mut n = 2 + map.len();
            for (k, v) in map {
                n += 3 + 6 * k.len();
                n += json_len_bound(v, limit.checked_sub(n)?)?;
            }
            n
        }
    };
    (n <= limit).then_some(n)
}

/// Whether `value` as compact JSON is at most `limit` bytes: the bound when it settles it,
/// the exact length otherwise.
pub(crate) fn json_fits(value: &Value, limit: usize) -> bool {
    json_len_bound(value, limit).is_some() || json_len(value) <= limit
}

/// Invoke: a future that runs a warm synchronous invocation within its first poll (see
/// [`execute_start`]) and continues in the invocation's own future otherwise.
pub(crate) fn invoke(lambda: Lambda, input: InvokeInput) -> Invoke {
    Invoke {
        lambda,
        state: InvokeState::Start(input),
    }
}

/// The future of one Invoke.
pub(crate) struct Invoke {
    lambda: Lambda,
    state: InvokeState,
}

enum InvokeState {
    /// Not polled yet.
    Start(InvokeInput),
    /// A synchronous invocation continuing after its first poll.
    Running(SlowExecution),
    /// Finished.
    Done,
}

/// Invoke up to its invocation: the answer already, or the invocation's first poll.
enum Begun {
    Answer(InvokeOutput),
    Execution(ExecStep),
}

impl Future for Invoke {
    type Output = Result<InvokeOutput, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let step = match std::mem::replace(&mut this.state, InvokeState::Done) {
            InvokeState::Start(input) => match begin(&this.lambda, input, cx) {
                Ok(Begun::Answer(out)) => return Poll::Ready(Ok(out)),
                Ok(Begun::Execution(step)) => step,
                Err(e) => return Poll::Ready(Err(e)),
            },
            InvokeState::Running(rest) => ExecStep::Slow(rest),
            // Polled after it finished: nothing more will come.
            InvokeState::Done => return Poll::Pending,
        };
        match step {
            ExecStep::Ready(done) => Poll::Ready(done.map(sync_output)),
            ExecStep::Slow(mut rest) => match rest.as_mut().poll(cx) {
                Poll::Ready(done) => Poll::Ready(done.map(sync_output)),
                Poll::Pending => {
                    this.state = InvokeState::Running(rest);
                    Poll::Pending
                }
            },
        }
    }
}

/// Validates the input, resolves the target and answers `DryRun` and `Event` calls; a
/// `RequestResponse` call gets its invocation's first poll.
fn begin(lambda: &Lambda, input: InvokeInput, cx: &mut TaskContext<'_>) -> Result<Begun, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.as_deref().unwrap_or_default();
    let target = parse_target_ref(raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    let kind = input.invocation_type.unwrap_or_default();
    let limit = match kind {
        InvocationType::Event => svc.limits.async_payload_bytes,
        _ => svc.limits.sync_payload_bytes,
    };
    let payload = input
        .payload
        .unwrap_or_else(|| Value::Object(Default::default()));
    if !json_fits(&payload, limit) {
        return Err(error::too_large(limit));
    }
    let resolved = resolve(svc, target)?;
    match kind {
        InvocationType::DryRun => Ok(Begun::Answer(InvokeOutput {
            status_code: 204,
            function_error: None,
            payload: Value::Null,
            executed_version: None,
            report: None,
        })),
        InvocationType::Event => {
            drop(resolved);
            let target = target.to_owned();
            spawn_async(svc.clone(), target, payload);
            Ok(Begun::Answer(InvokeOutput {
                status_code: 202,
                function_error: None,
                payload: Value::Null,
                executed_version: None,
                report: None,
            }))
        }
        InvocationType::RequestResponse => Ok(Begun::Execution(execute_start(
            svc, &resolved, payload, None, cx,
        ))),
    }
}

/// The output of a `RequestResponse` call.
fn sync_output(exec: Execution) -> InvokeOutput {
    let (function_error, payload) = match exec.outcome {
        Ok(v) => (None, v),
        Err(d) => (Some("Unhandled"), d.to_value()),
    };
    InvokeOutput {
        status_code: 200,
        function_error,
        payload,
        executed_version: Some(exec.executed_version),
        report: Some(exec.report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_size_bound_never_undercounts() {
        let values = [
            json!(null),
            json!(true),
            json!(-1.5e-300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!("\u{1}\"\\é"),
            json!({"qty": 2, "items": [1, "two", {"three": [null]}]}),
            json!([]),
            json!({}),
        ];
        for v in values {
            let exact = json_len(&v);
            let bound = json_len_bound(&v, usize::MAX).unwrap();
            assert!(bound >= exact, "{v}: {bound} < {exact}");
            assert!(json_fits(&v, exact));
            assert!(!json_fits(&v, exact - 1));
        }
    }
}
