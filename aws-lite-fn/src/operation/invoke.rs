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
//!   `Lambda panicked: {message}` as the Rust runtime reports it.
//! - A call that would exceed the function's reserved concurrency or the account's unreserved
//!   pool is refused with `TooManyRequestsException` (429, `Rate Exceeded.`).
//! - `Event` answers 202 at once; the event runs in the background: throttles are retried with
//!   backoff, function errors twice (after 1 minute, then 2), and the event is given up when
//!   its retries are spent or it is older than 6 hours. PutFunctionEventInvokeConfig changes
//!   the retries and the age, and adds destinations; see
//!   [`event_invoke`](crate::event_invoke).
//! - `DryRun` answers 204 and runs nothing.
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

use aws_lite_core::Error;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::invoke::{Report, execute, resolve, spawn_async};
use crate::names::{NameUse, parse_target};
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
    function_error: Option<String>,
    payload: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    executed_version: Option<String>,
    #[serde(skip)]
    report: Option<Report>,
}

impl InvokeOutput {
    /// `StatusCode`: 200, 202 or 204.
    pub fn status_code(&self) -> u16 {
        self.status_code
    }
    /// `FunctionError`: `Unhandled` when the function failed.
    pub fn function_error(&self) -> Option<&str> {
        self.function_error.as_deref()
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
}

fluent_builder!(
    /// Invoke.
    invoke,
    InvokeFluentBuilder,
    InvokeInput,
    InvokeOutput,
    invoke
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

pub(crate) async fn invoke(lambda: &Lambda, input: InvokeInput) -> Result<InvokeOutput, Error> {
    let svc = &lambda.inner;
    let raw = input.function_name.unwrap_or_default();
    let target = parse_target(&raw, input.qualifier.as_deref(), NameUse::Qualified)?;
    let kind = input.invocation_type.unwrap_or_default();
    let payload = input
        .payload
        .unwrap_or_else(|| Value::Object(Default::default()));
    let limit = match kind {
        InvocationType::Event => svc.limits.async_payload_bytes,
        _ => svc.limits.sync_payload_bytes,
    };
    let size = json_len(&payload);
    if size > limit {
        return Err(error::too_large(limit));
    }
    let resolved = resolve(svc, &target)?;
    match kind {
        InvocationType::DryRun => Ok(InvokeOutput {
            status_code: 204,
            function_error: None,
            payload: Value::Null,
            executed_version: None,
            report: None,
        }),
        InvocationType::Event => {
            drop(resolved);
            spawn_async(svc.clone(), target, payload);
            Ok(InvokeOutput {
                status_code: 202,
                function_error: None,
                payload: Value::Null,
                executed_version: None,
                report: None,
            })
        }
        InvocationType::RequestResponse => {
            let exec = execute(svc, &resolved, payload, None).await?;
            let (function_error, payload) = match exec.outcome {
                Ok(v) => (None, v),
                Err(d) => (Some("Unhandled".to_owned()), d.to_value()),
            };
            Ok(InvokeOutput {
                status_code: 200,
                function_error,
                payload,
                executed_version: Some(exec.executed_version),
                report: Some(exec.report),
            })
        }
    }
}
