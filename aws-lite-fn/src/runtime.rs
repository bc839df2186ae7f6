//! Hosting handlers written for the `lambda_runtime` crate (feature `lambda-runtime`).
//!
//! A function deployed with the AWS Lambda Rust runtime is a
//! `tower::Service<lambda_runtime::LambdaEvent<A>>` whose response is `Serialize` and whose
//! error converts into `lambda_runtime::Diagnostic`, handed to `lambda_runtime::run`. The same
//! value goes to [`Code::from_lambda_runtime`] (or, with an INIT phase,
//! [`Code::from_lambda_runtime_factory`]) and runs here unchanged: the host deserializes the
//! payload into `A`, builds a [`lambda_runtime::Context`] from aws-lite's [`Context`], calls the
//! service, serializes its response and reports its error as the runtime does.
//!
//! # The context
//!
//! [`lambda_runtime::Context`] is built in one place (also reachable as `From<&Context>`);
//! its `env_config` is converted once per execution environment and shared by the contexts of
//! the invocations that environment serves, as in the runtime:
//!
//! | `lambda_runtime::Context` | from aws-lite's [`Context`] |
//! |---|---|
//! | `request_id` | `request_id` |
//! | `deadline` | `deadline_epoch_millis`: the deadline in Unix epoch milliseconds on the service clock's wall time |
//! | `invoked_function_arn` | `invoked_function_arn` (with the caller's qualifier) |
//! | `env_config` | `env_config`'s `function_name`, `memory_limit_in_mb`, `function_version`, `log_stream_name`, `log_group_name` |
//! | `xray_trace_id`, `client_context`, `identity`, `tenant_id` | `None`: aws-lite has no X-Ray, mobile SDK, Cognito or tenant input |
//!
//! # What differs from the runtime
//!
//! Only buffered, `Serialize` responses are hosted: a handler returning a
//! `lambda_runtime::StreamResponse` does not satisfy [`Code::from_lambda_runtime`]'s bounds.
//! A payload that does not deserialize into `A` is reported with aws-lite's
//! [`DeserializeError`](crate::handler::DeserializeError) text. The runtime's own Runtime API
//! client, `run` loop, tracing setup and SnapStart hooks are not used.
//!
//! ```
//! use aws_lite_fn::{Code, Lambda};
//! use lambda_runtime::{service_fn, Error, LambdaEvent};
//! use serde_json::{json, Value};
//!
//! // The handler as deployed with `lambda_runtime::run(service_fn(handler))`.
//! async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
//!     Ok(json!({ "echo": event.payload, "arn": event.context.invoked_function_arn }))
//! }
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::builder().build();
//! let code = Code::from_lambda_runtime(service_fn(handler));
//! lambda.create_function().function_name("echo").code(code).send().await?;
//! let out = lambda.invoke().function_name("echo").payload(json!(1)).send().await?;
//! assert_eq!(out.payload()["echo"], json!(1));
//! assert!(out.payload()["arn"].as_str().unwrap().ends_with(":function:echo"));
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use futures_util::TryFutureExt as _;
use futures_util::future::MapErr;
use lambda_runtime::LambdaEvent;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::Service;

use crate::handler::{Code, Context, Diagnostic, EnvConfig, Event};

/// The `lambda_runtime` crate this feature is built against, so a handler can name the same
/// version's `LambdaEvent`, `Context`, `Diagnostic` and `service_fn`.
pub use lambda_runtime;

impl From<&Context> for lambda_runtime::Context {
    /// The runtime's context of an aws-lite invocation; see the [module docs](crate::runtime).
    fn from(ctx: &Context) -> lambda_runtime::Context {
        runtime_context(ctx, Arc::new(runtime_config(&ctx.env_config)))
    }
}

/// The runtime's `env_config` of an aws-lite environment.
fn runtime_config(env: &EnvConfig) -> lambda_runtime::Config {
    lambda_runtime::Config {
        function_name: env.function_name.to_string(),
        // Lambda's memory is at most 10,240 MB, so this never saturates.
        memory: i32::try_from(env.memory_limit_in_mb).unwrap_or(i32::MAX),
        version: env.function_version.to_string(),
        log_stream: env.log_stream_name.to_string(),
        log_group: env.log_group_name.to_string(),
    }
}

/// The runtime's context of `ctx`, with its environment's `env_config` already converted.
fn runtime_context(
    ctx: &Context,
    env_config: Arc<lambda_runtime::Config>,
) -> lambda_runtime::Context {
    let mut out = lambda_runtime::Context::default();
    out.request_id = ctx.request_id.to_string();
    out.deadline = ctx.deadline_epoch_millis;
    out.invoked_function_arn = ctx.invoked_function_arn.to_string();
    out.env_config = env_config;
    out
}

impl From<Context> for lambda_runtime::Context {
    /// The runtime's context of an aws-lite invocation; see the [module docs](crate::runtime).
    fn from(ctx: Context) -> lambda_runtime::Context {
        lambda_runtime::Context::from(&ctx)
    }
}

/// A handler error reported as the runtime reports it: through its `lambda_runtime::Diagnostic`.
fn diagnostic<E: Into<lambda_runtime::Diagnostic>>(e: E) -> Diagnostic {
    let d: lambda_runtime::Diagnostic = e.into();
    Diagnostic::new(d.error_type, d.error_message)
}

/// A `lambda_runtime` handler (`Service<LambdaEvent<A>>`) as an aws-lite handler
/// (`Service<Event<A>>`): the event's [`Context`] becomes a [`lambda_runtime::Context`] and the
/// error goes through `lambda_runtime::Diagnostic`. [`Code::from_lambda_runtime`] wraps a
/// service in one.
///
/// An execution environment's [`EnvConfig`] is the same for every invocation it serves, so the
/// handler converts it once and shares the runtime's `env_config` between its calls, as the
/// runtime itself does.
#[derive(Clone)]
pub struct LambdaRuntimeHandler<S> {
    inner: S,
    /// The last environment's configuration, and the runtime's conversion of it.
    env_config: Option<(Arc<EnvConfig>, Arc<lambda_runtime::Config>)>,
}

impl<S> LambdaRuntimeHandler<S> {
    /// Wraps a `lambda_runtime` handler.
    pub fn new(inner: S) -> LambdaRuntimeHandler<S> {
        LambdaRuntimeHandler {
            inner,
            env_config: None,
        }
    }

    /// The runtime's `env_config` for `env`: the one converted before when `env` is the same
    /// environment's.
    fn runtime_config(&mut self, env: &Arc<EnvConfig>) -> Arc<lambda_runtime::Config> {
        match &self.env_config {
            Some((ours, theirs)) if Arc::ptr_eq(ours, env) => theirs.clone(),
            _ => {
                let theirs = Arc::new(runtime_config(env));
                self.env_config = Some((env.clone(), theirs.clone()));
                theirs
            }
        }
    }

    /// The wrapped handler.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S> fmt::Debug for LambdaRuntimeHandler<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LambdaRuntimeHandler")
            .field("inner", &std::any::type_name::<S>())
            .finish()
    }
}

impl<S, A> Service<Event<A>> for LambdaRuntimeHandler<S>
where
    S: Service<LambdaEvent<A>>,
    S::Error: Into<lambda_runtime::Diagnostic>,
{
    type Response = S::Response;
    type Error = Diagnostic;
    type Future = MapErr<S::Future, fn(S::Error) -> Diagnostic>;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), Diagnostic>> {
        self.inner.poll_ready(cx).map_err(diagnostic)
    }

    fn call(&mut self, event: Event<A>) -> Self::Future {
        let (payload, context) = event.into_parts();
        let env_config = self.runtime_config(&context.env_config);
        let context = runtime_context(&context, env_config);
        self.inner
            .call(LambdaEvent::new(payload, context))
            .map_err(diagnostic as fn(S::Error) -> Diagnostic)
    }
}

impl Code {
    /// Code that runs a `lambda_runtime` handler unchanged: the service given to
    /// `lambda_runtime::run`, cloned into every execution environment. See [`crate::runtime`].
    pub fn from_lambda_runtime<S, A>(svc: S) -> Code
    where
        S: Service<LambdaEvent<A>> + Clone + Send + Sync + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + 'static,
        S::Error: Into<lambda_runtime::Diagnostic>,
        A: DeserializeOwned + Send + 'static,
    {
        Code::from_service(LambdaRuntimeHandler::new(svc))
    }

    /// Code whose INIT is `factory` and whose handler is a `lambda_runtime` service: what a
    /// deployed `main` does before `lambda_runtime::run`, once per execution environment. An
    /// INIT error is reported like [`Code::from_factory`]'s.
    pub fn from_lambda_runtime_factory<F, Fut, S, A, E>(factory: F) -> Code
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S, E>> + Send + 'static,
        E: Into<Diagnostic>,
        S: Service<LambdaEvent<A>> + Send + 'static,
        S::Future: Send + 'static,
        S::Response: Serialize + 'static,
        S::Error: Into<lambda_runtime::Diagnostic>,
        A: DeserializeOwned + Send + 'static,
    {
        Code::from_factory(move || factory().map_ok(LambdaRuntimeHandler::new))
    }
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    #[test]
    fn context_maps_every_field() {
        let ctx = Context {
            request_id: "6bd4f3fe-6a4d-4d23-9c4f-7a2bf5d1c0aa".parse().unwrap(),
            deadline_epoch_millis: 1_700_000_003_000,
            invoked_function_arn: "arn:aws:lambda:us-east-1:000000000000:function:f:live".into(),
            env_config: Arc::new(crate::handler::EnvConfig {
                function_name: "f".into(),
                function_version: "3".into(),
                memory_limit_in_mb: 512,
                log_group_name: "/aws/lambda/f".into(),
                log_stream_name: "2024/01/01/[3]abc".into(),
                ..Default::default()
            }),
            ..Context::default()
        };
        let out = lambda_runtime::Context::from(&ctx);
        assert_eq!(out.request_id, "6bd4f3fe-6a4d-4d23-9c4f-7a2bf5d1c0aa");
        assert_eq!(out.deadline, 1_700_000_003_000);
        assert_eq!(out.invoked_function_arn, &*ctx.invoked_function_arn);
        assert_eq!(out.xray_trace_id, None);
        assert_eq!(out.env_config.function_name, "f");
        assert_eq!(out.env_config.memory, 512);
        assert_eq!(out.env_config.version, "3");
        assert_eq!(out.env_config.log_group, "/aws/lambda/f");
        assert_eq!(out.env_config.log_stream, "2024/01/01/[3]abc");
    }

    #[tokio::test]
    async fn an_environment_converts_its_config_once() {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        let mut svc =
            LambdaRuntimeHandler::new(lambda_runtime::service_fn(move |e: LambdaEvent<u32>| {
                record.lock().unwrap().push(e.context.env_config.clone());
                async { Ok::<u32, lambda_runtime::Error>(0) }
            }));
        let env = |name: &str| {
            Arc::new(EnvConfig {
                function_name: name.into(),
                ..Default::default()
            })
        };
        let (first, second) = (env("f"), env("g"));
        for env in [&first, &first, &second, &first] {
            let ctx = Context {
                env_config: env.clone(),
                ..Context::default()
            };
            svc.call(Event::new(1, ctx)).await.unwrap();
        }
        let seen = seen.lock().unwrap();
        let names: Vec<&str> = seen.iter().map(|c| c.function_name.as_str()).collect();
        assert_eq!(names, ["f", "f", "g", "f"]);
        assert!(
            Arc::ptr_eq(&seen[0], &seen[1]),
            "the same environment shares it"
        );
        assert!(!Arc::ptr_eq(&seen[1], &seen[2]));
    }

    #[tokio::test]
    async fn errors_go_through_the_runtime_diagnostic() {
        let mut svc =
            LambdaRuntimeHandler::new(lambda_runtime::service_fn(|_: LambdaEvent<u32>| async {
                Err::<u32, _>("boom")
            }));
        let err = svc.call(Event::new(1, Context::default())).await;
        // The runtime names the type of a reference to the value: `&&str`, as deployed.
        assert_eq!(err, Err(Diagnostic::new("&&str", "boom")));
    }
}
