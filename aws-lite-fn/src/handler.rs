//! Handlers: what a function runs, shaped like the Lambda Rust runtime's.
//!
//! # Handlers are tower services
//!
//! A handler is a [`tower::Service<Event<T>>`](tower::Service), as in the `lambda_runtime`
//! crate: [`service_fn`] turns an `async fn(Event<T>) -> Result<R, E>` into one. The payload
//! crosses the service boundary as a [`serde_json::Value`]; the host deserializes it into the
//! handler's `T` and serializes its `R` back, so a handler is written against its own types
//! (a handler taking or returning `Value` gets it moved, without a copy).
//!
//! The [`Context`] of an invocation holds its request id (16 bytes, formatted only when
//! shown), its deadline and invoked ARN, and shares its environment's [`EnvConfig`]:
//! building one allocates nothing.
//!
//! # INIT is a factory
//!
//! Lambda runs a function's initialization code (the INIT phase: reading configuration,
//! opening clients) once per execution environment, then reuses the handler for every
//! invocation that environment serves. Here INIT is a [`Code`] made from a factory,
//! `Fn() -> Future<Output = Result<Handler, E>>`: every cold start runs the factory once and the
//! environment keeps the handler it returned. [`Code::from_service`] clones one service into
//! every environment instead. INIT has AWS's 10-second limit (see [`crate::Limits`]).
//!
//! [`Code::from_init_factory`] hands the factory an [`InitContext`]: the function's layers
//! merged as Lambda extracts them into `/opt` ([`InitContext::layers`], see [`crate::layer`]),
//! its environment variables, memory size and version — what INIT code reads from the
//! execution environment. Handlers see the same files as [`Context::layers`].
//!
//! # Errors
//!
//! A handler's error becomes a [`Diagnostic`], the `{"errorType","errorMessage"}` body Lambda
//! returns with `FunctionError: Unhandled`. As in the runtime, any `Display` error converts: the
//! message is its `Display`, the type is its Rust type name (`std::any::type_name`). Return a
//! [`Diagnostic`] to choose both.
//!
//! ```
//! use aws_lite_fn::handler::{service_fn, Diagnostic, Event};
//! use serde::Deserialize;
//! use tower::Service;
//!
//! #[derive(Deserialize)]
//! struct Order { qty: u32 }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let mut handler = service_fn(|event: Event<Order>| async move {
//!     if event.payload.qty == 0 {
//!         return Err(Diagnostic::new("EmptyOrder", "no items"));
//!     }
//!     Ok(event.payload.qty * 2)
//! });
//! let out = handler.call(Event::new(Order { qty: 3 }, Default::default())).await;
//! assert_eq!(out.unwrap(), 6);
//! # }
//! ```

use std::any::Any;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use aws_lite_core::Instant;
use aws_lite_core::id::Uuid;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tower::Service;

use crate::layer::LayerFiles;
use crate::state::VersionShared;

/// The request id of an invocation: a version-4 UUID kept as its 16 bytes, formatted (in the
/// lowercase hyphenated form Lambda uses) only when it is displayed.
///
/// ```
/// use aws_lite_fn::handler::RequestId;
///
/// let id: RequestId = "6bd4f3fe-6a4d-4d23-9c4f-7a2bf5d1c0aa".parse().unwrap();
/// assert_eq!(id.to_string(), "6bd4f3fe-6a4d-4d23-9c4f-7a2bf5d1c0aa");
/// assert_eq!(id, "6bd4f3fe-6a4d-4d23-9c4f-7a2bf5d1c0aa");
/// assert_eq!(RequestId::default().to_string(), "00000000-0000-0000-0000-000000000000");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId([u8; 16]);

impl RequestId {
    /// The request id with this UUID.
    pub const fn from_uuid(uuid: Uuid) -> RequestId {
        RequestId(*uuid.as_bytes())
    }

    /// The UUID.
    pub const fn uuid(&self) -> Uuid {
        Uuid::from_bytes(self.0)
    }

    /// The 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl From<Uuid> for RequestId {
    fn from(uuid: Uuid) -> RequestId {
        RequestId::from_uuid(uuid)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.uuid(), f)
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({self})")
    }
}

/// The error of parsing a [`RequestId`] from text that is not a hyphenated UUID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRequestIdError(());

impl fmt::Display for ParseRequestIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid request id: expected 8-4-4-4-12 hexadecimal digits")
    }
}

impl std::error::Error for ParseRequestIdError {}

impl FromStr for RequestId {
    type Err = ParseRequestIdError;
    /// Parses the 36-character hyphenated form.
    fn from_str(s: &str) -> Result<RequestId, ParseRequestIdError> {
        s.parse::<Uuid>()
            .map(RequestId::from_uuid)
            .map_err(|_| ParseRequestIdError(()))
    }
}

impl PartialEq<str> for RequestId {
    fn eq(&self, other: &str) -> bool {
        other.parse::<Uuid>().is_ok_and(|u| u == self.uuid())
    }
}

impl PartialEq<&str> for RequestId {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for RequestId {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl Serialize for RequestId {
    /// Serializes as the hyphenated text.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What Lambda tells a handler about the invocation, shaped like `lambda_runtime::Context`.
///
/// The per-invocation fields (request id, deadline, invoked ARN) are the context's own; what
/// is the same for every invocation an execution environment serves (the function's name,
/// version, memory, log names, environment variables and layers) is its
/// [`env_config`](Context::env_config), one [`EnvConfig`] built when the environment starts
/// and shared by every context it hands out — as `lambda_runtime::Context::env_config` is.
/// Building a context therefore allocates nothing and copies two pointers.
///
/// ```
/// use std::sync::Arc;
/// use aws_lite_fn::handler::{Context, EnvConfig};
///
/// // A context for a unit test of a handler.
/// let mut env = EnvConfig::default();
/// env.function_name = "orders".into();
/// env.memory_limit_in_mb = 512;
/// let mut ctx = Context::default();
/// ctx.env_config = Arc::new(env);
/// ctx.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:orders:live".into();
/// assert_eq!(ctx.function_name(), "orders");
/// assert_eq!(ctx.memory_limit_in_mb(), 512);
/// assert_eq!(ctx.qualifier(), Some("live"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The request id (also on the START, END and REPORT log lines).
    pub request_id: RequestId,
    /// When the invocation times out, on the service's clock.
    pub deadline: Instant,
    /// The same deadline in Unix epoch milliseconds, on the clock's wall time (what
    /// `lambda_runtime::Context::deadline` holds).
    pub deadline_epoch_millis: u64,
    /// The ARN the caller invoked, with its qualifier when the caller gave one
    /// (`…:function:f:live`).
    pub invoked_function_arn: Arc<str>,
    /// What the execution environment serving the invocation tells every handler run.
    pub env_config: Arc<EnvConfig>,
}

/// What an execution environment tells every invocation it serves: the function's name,
/// version and memory, the environment's log group and stream, the environment variables and
/// the layers' files (`lambda_runtime::Config`, plus what a Lambda handler reads from its
/// process environment and `/opt`). One per environment, shared by its [`Context`]s.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvConfig {
    /// The function's name.
    pub function_name: Arc<str>,
    /// The version that runs: `$LATEST` or a published number.
    pub function_version: Arc<str>,
    /// The configured memory, in MB.
    pub memory_limit_in_mb: u32,
    /// The log group: `/aws/lambda/{name}`.
    pub log_group_name: Arc<str>,
    /// The environment's log stream: `YYYY/MM/DD/[version]id`.
    pub log_stream_name: Arc<str>,
    /// The function's environment variables.
    pub env_vars: Arc<BTreeMap<String, String>>,
    /// The files of the version's layers, merged as in `/opt` (see [`crate::layer`]).
    pub layers: LayerFiles,
}

impl Context {
    /// The qualifier of the invoked ARN (`live`, `7`, `$LATEST`), if the caller gave one.
    pub fn qualifier(&self) -> Option<&str> {
        let resource = self.invoked_function_arn.splitn(7, ':').nth(6)?;
        resource.split_once(':').map(|(_, q)| q)
    }

    /// The time left before [`deadline`](Context::deadline), at `now` on the service's clock.
    pub fn remaining(&self, now: Instant) -> Duration {
        self.deadline - now
    }

    /// The function's name ([`EnvConfig::function_name`]).
    pub fn function_name(&self) -> &str {
        &self.env_config.function_name
    }

    /// The version that runs ([`EnvConfig::function_version`]).
    pub fn function_version(&self) -> &str {
        &self.env_config.function_version
    }

    /// The configured memory, in MB ([`EnvConfig::memory_limit_in_mb`]).
    pub fn memory_limit_in_mb(&self) -> u32 {
        self.env_config.memory_limit_in_mb
    }

    /// The log group ([`EnvConfig::log_group_name`]).
    pub fn log_group_name(&self) -> &str {
        &self.env_config.log_group_name
    }

    /// The environment's log stream ([`EnvConfig::log_stream_name`]).
    pub fn log_stream_name(&self) -> &str {
        &self.env_config.log_stream_name
    }

    /// The function's environment variables ([`EnvConfig::env_vars`]).
    pub fn env_vars(&self) -> &BTreeMap<String, String> {
        &self.env_config.env_vars
    }

    /// The files of the version's layers ([`EnvConfig::layers`]).
    pub fn layers(&self) -> &LayerFiles {
        &self.env_config.layers
    }
}

/// A payload with its [`Context`]: what a handler receives (`lambda_runtime::LambdaEvent`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The deserialized payload.
    pub payload: T,
    /// The invocation's context.
    pub context: Context,
}

impl<T> Event<T> {
    /// An event of `payload` with `context`.
    pub fn new(payload: T, context: Context) -> Event<T> {
        Event { payload, context }
    }

    /// The payload and the context.
    pub fn into_parts(self) -> (T, Context) {
        (self.payload, self.context)
    }
}

/// A function error as Lambda reports it: the body of an invocation with
/// `FunctionError: Unhandled`.
///
/// Every `Display` type converts into one (the type name becomes `errorType`), so handlers may
/// return their own errors; build one with [`Diagnostic::new`] to set `errorType` yourself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `errorType`.
    #[serde(rename = "errorType")]
    pub error_type: String,
    /// `errorMessage`.
    #[serde(rename = "errorMessage")]
    pub error_message: String,
}

impl Diagnostic {
    /// A diagnostic with this `errorType` and `errorMessage`.
    pub fn new(error_type: impl Into<String>, error_message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            error_type: error_type.into(),
            error_message: error_message.into(),
        }
    }

    /// The `{"errorMessage","errorType"}` JSON body.
    pub fn to_value(&self) -> Value {
        serde_json::json!({
            "errorMessage": self.error_message,
            "errorType": self.error_type,
        })
    }

    /// What the Rust runtime reports for a panic: `"Lambda panicked: {message}"` (or
    /// `"Lambda panicked"` when the payload is not a string), typed as the panic payload's box.
    pub(crate) fn from_panic(payload: &(dyn Any + Send)) -> Diagnostic {
        let error_message = if let Some(msg) = payload.downcast_ref::<&str>() {
            format!("Lambda panicked: {msg}")
        } else if let Some(msg) = payload.downcast_ref::<String>() {
            format!("Lambda panicked: {msg}")
        } else {
            "Lambda panicked".to_owned()
        };
        Diagnostic {
            error_type: std::any::type_name::<Box<dyn Any + Send>>().to_owned(),
            error_message,
        }
    }
}

impl<E: fmt::Display> From<E> for Diagnostic {
    fn from(e: E) -> Diagnostic {
        Diagnostic {
            error_type: std::any::type_name::<E>().to_owned(),
            error_message: e.to_string(),
        }
    }
}

/// The error a handler reports when the payload does not deserialize into its type.
#[derive(Debug)]
pub struct DeserializeError(serde_json::Error);

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to deserialize the incoming data into the function's payload type: {}",
            self.0
        )
    }
}

impl std::error::Error for DeserializeError {}

/// Turns an async function into a handler; see [`ServiceFn`].
pub fn service_fn<F>(f: F) -> ServiceFn<F> {
    ServiceFn { f }
}

/// A [`tower::Service<Event<T>>`](tower::Service) made from a function by [`service_fn`].
#[derive(Clone, Copy)]
pub struct ServiceFn<F> {
    f: F,
}

impl<F> fmt::Debug for ServiceFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceFn")
            .field("f", &std::any::type_name::<F>())
            .finish()
    }
}

impl<F, T, Fut, R, E> Service<Event<T>> for ServiceFn<F>
where
    F: FnMut(Event<T>) -> Fut,
    Fut: Future<Output = Result<R, E>>,
{
    type Response = R;
    type Error = E;
    type Future = Fut;

    fn poll_ready(&mut self, _cx: &mut TaskContext<'_>) -> Poll<Result<(), E>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: Event<T>) -> Fut {
        (self.f)(event)
    }
}

/// A handler with its types erased: JSON in, JSON or a diagnostic out, driven by polling so
/// that a warm invocation allocates nothing (see [`Typed`]).
pub(crate) trait ErasedHandler: Send {
    /// Starts an invocation: the payload as the handler's type, or the [`DeserializeError`]
    /// diagnostic when it does not deserialize (the handler is then not called).
    fn start(&mut self, event: Event<Value>) -> Result<(), Diagnostic>;

    /// Drives the started invocation: the service's readiness, then its call, then the call's
    /// future, to the response as JSON or the error as a [`Diagnostic`].
    fn poll_run(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<Value, Diagnostic>>;
}

/// A typed handler behind [`ErasedHandler`]. The call's future lives in a box the environment
/// keeps: each invocation replaces the finished future in place, so only the first
/// invocation of an environment allocates it.
struct Typed<S: Service<Event<T>>, T> {
    svc: S,
    /// The event waiting for the service to be ready.
    pending: Option<Event<T>>,
    /// The running call, if any, in its kept allocation.
    call: Option<Pin<Box<Option<S::Future>>>>,
}

/// `payload` as the handler's payload type: moved as it is when the handler takes a
/// [`Value`], deserialized otherwise.
fn payload_as<T: DeserializeOwned + 'static>(payload: Value) -> Result<T, serde_json::Error> {
    let mut slot = Some(payload);
    match (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<T>>()
        .and_then(Option::take)
    {
        Some(same) => Ok(same),
        None => serde_json::from_value(slot.unwrap_or_default()),
    }
}

/// A handler's response as JSON: moved as it is when it is a [`Value`], serialized otherwise.
fn response_value<R: Serialize + 'static>(response: R) -> Result<Value, Diagnostic> {
    let mut slot = Some(response);
    match (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<Value>>()
        .and_then(Option::take)
    {
        Some(value) => Ok(value),
        None => match slot {
            Some(r) => serde_json::to_value(r).map_err(Diagnostic::from),
            None => Ok(Value::Null),
        },
    }
}

impl<S, T> ErasedHandler for Typed<S, T>
where
    S: Service<Event<T>> + Send + 'static,
    S::Future: Send + 'static,
    S::Response: Serialize + 'static,
    S::Error: Into<Diagnostic>,
    T: DeserializeOwned + Send + 'static,
{
    fn start(&mut self, event: Event<Value>) -> Result<(), Diagnostic> {
        let (payload, context) = event.into_parts();
        let payload: T = payload_as(payload).map_err(|e| Diagnostic::from(DeserializeError(e)))?;
        self.pending = Some(Event::new(payload, context));
        Ok(())
    }

    fn poll_run(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<Value, Diagnostic>> {
        if let Some(event) = self.pending.take() {
            match self.svc.poll_ready(cx) {
                Poll::Pending => {
                    self.pending = Some(event);
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e.into())),
                Poll::Ready(Ok(())) => {}
            }
            let fut = self.svc.call(event);
            match &mut self.call {
                Some(slot) => slot.set(Some(fut)),
                None => self.call = Some(Box::pin(Some(fut))),
            }
        }
        let Some(slot) = self.call.as_mut() else {
            return Poll::Ready(Err(not_started()));
        };
        let out = match slot.as_mut().as_pin_mut() {
            Some(fut) => std::task::ready!(fut.poll(cx)),
            None => return Poll::Ready(Err(not_started())),
        };
        // Drop the finished future now (keeping its allocation for the next call).
        slot.set(None);
        Poll::Ready(match out {
            Ok(response) => response_value(response),
            Err(e) => Err(e.into()),
        })
    }
}

/// What [`ErasedHandler::poll_run`] answers when no invocation was started (never, in the
/// engine's use).
fn not_started() -> Diagnostic {
    Diagnostic::new("Runtime.Unknown", "no invocation was started")
}

/// The future of one INIT.
pub(crate) type InitFuture =
    Pin<Box<dyn Future<Output = Result<Box<dyn ErasedHandler>, Diagnostic>> + Send>>;

/// A function's code: the INIT factory every cold start runs to build the environment's
/// handler. Cheap to clone.
///
/// ```
/// use aws_lite_fn::handler::{service_fn, Code, Event};
/// use serde_json::Value;
///
/// // INIT opens its "client" once per environment; every warm call reuses it.
/// let code = Code::from_factory(|| async {
///     let greeting = String::from("hello");
///     Ok::<_, std::convert::Infallible>(service_fn(move |e: Event<Value>| {
///         let greeting = greeting.clone();
///         async move { Ok::<_, std::convert::Infallible>(format!("{greeting} {}", e.payload)) }
///     }))
/// });
/// let same = Code::from_service(service_fn(|e: Event<Value>| async move {
///     Ok::<_, std::convert::Infallible>(e.payload)
/// }));
/// # let _ = (code, same);
/// ```
#[derive(Clone)]
pub struct Code {
    init: Arc<dyn Fn(InitContext) -> InitFuture + Send + Sync>,
}

/// What an execution environment offers its INIT phase: the input of
/// [`Code::from_init_factory`]'s factory.
///
/// ```
/// use aws_lite_fn::{service_fn, Code, Event, InitContext};
/// use serde_json::Value;
///
/// let code = Code::from_init_factory(|init: InitContext| async move {
///     // What INIT would read from /opt and the environment.
///     let config = init.layers.get_str("config.json").unwrap_or("{}").to_owned();
///     let stage = init.env_vars.get("STAGE").cloned().unwrap_or_default();
///     Ok::<_, std::convert::Infallible>(service_fn(move |_: Event<Value>| {
///         let reply = format!("{stage}: {config}");
///         async move { Ok::<_, std::convert::Infallible>(reply) }
///     }))
/// });
/// # let _ = code;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct InitContext {
    /// The files of the version's layers, merged in order as Lambda extracts them into `/opt`:
    /// a later layer's file replaces an earlier one's at the same path.
    pub layers: LayerFiles,
    /// The function's environment variables.
    pub env_vars: Arc<BTreeMap<String, String>>,
    /// The version being initialized: `$LATEST` or a published number.
    pub function_version: String,
    /// The configured memory, in MB.
    pub memory_limit_in_mb: u32,
}

/// The [`InitContext`] of an environment of `version`.
pub(crate) fn init_context(version: &VersionShared) -> InitContext {
    let config = &version.config;
    InitContext {
        layers: config.layers.merged().clone(),
        env_vars: config.environment.clone(),
        function_version: version.version.to_string(),
        memory_limit_in_mb: config.memory_size,
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code").finish_non_exhaustive()
    }
}

impl Code {
    /// Code whose INIT is `factory`: each cold start awaits it once and keeps the handler.
    /// An error (or a panic) fails the INIT; see the crate docs for how it is reported.
    pub fn from_factory<F, Fut, S, T, E>(factory: F) -> Code
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, E>> + Send + 'static,
        E: Into<Diagnostic>,
        S: Service<Event<T>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + 'static,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned + Send + 'static,
    {
        Code::from_init_factory(move |_: InitContext| factory())
    }

    /// Code whose INIT is `factory`, given the environment's [`InitContext`] (the merged layer
    /// files of `/opt`, the environment variables, the memory size and the version). Each cold
    /// start awaits it once and keeps the handler; errors are reported as
    /// [`from_factory`](Code::from_factory)'s.
    pub fn from_init_factory<F, Fut, S, T, E>(factory: F) -> Code
    where
        F: Fn(InitContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, E>> + Send + 'static,
        E: Into<Diagnostic>,
        S: Service<Event<T>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + 'static,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned + Send + 'static,
    {
        Code {
            init: Arc::new(move |ctx: InitContext| {
                let fut = factory(ctx);
                Box::pin(async move {
                    match fut.await {
                        Ok(svc) => Ok(Box::new(Typed::<S, T> {
                            svc,
                            pending: None,
                            call: None,
                        }) as Box<dyn ErasedHandler>),
                        Err(e) => Err(e.into()),
                    }
                })
            }),
        }
    }

    /// Code whose INIT clones `svc`: every environment gets its own clone.
    pub fn from_service<S, T>(svc: S) -> Code
    where
        S: Service<Event<T>> + Clone + Send + Sync + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + 'static,
        S::Error: Into<Diagnostic>,
        T: DeserializeOwned + Send + 'static,
    {
        Code::from_factory(move || std::future::ready(Ok::<S, Infallible>(svc.clone())))
    }

    /// Starts one INIT with the environment's `ctx`.
    pub(crate) fn init(&self, ctx: InitContext) -> InitFuture {
        (self.init)(ctx)
    }
}
