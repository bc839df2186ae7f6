#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]

/// Generates the fluent builder of one operation, its `Lambda` method and its `send`.
macro_rules! fluent_builder {
    ($(#[$doc:meta])* $method:ident, $builder:ident, $input:ident, $output:ident, $run:path) => {
        fluent_builder!(@builder $(#[$doc])* $method, $builder, $input);

        impl $builder {
            /// Sends the request.
            pub async fn send(self) -> Result<$output, aws_lite_core::Error> {
                $run(&self.lambda, self.input).await
            }
        }
    };
    // An operation whose `$run` takes the `Lambda` and the input by value and returns its
    // future: `send` hands that future back as it is, with no `async` wrapper around it.
    ($(#[$doc:meta])* $method:ident, $builder:ident, $input:ident, $output:ident, future $run:path) => {
        fluent_builder!(@builder $(#[$doc])* $method, $builder, $input);

        impl $builder {
            /// Sends the request.
            pub fn send(
                self,
            ) -> impl std::future::Future<Output = Result<$output, aws_lite_core::Error>> + Send + 'static
            {
                $run(self.lambda, self.input)
            }
        }
    };
    (@builder $(#[$doc:meta])* $method:ident, $builder:ident, $input:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct $builder {
            lambda: crate::Lambda,
            input: $input,
        }

        impl $builder {
            /// The request as built so far.
            pub fn as_input(&self) -> &$input {
                &self.input
            }
        }

        impl crate::Lambda {
            $(#[$doc])*
            pub fn $method(&self) -> $builder {
                $builder {
                    lambda: self.clone(),
                    input: $input::default(),
                }
            }
        }
    };
}

/// Generates `x(impl Into<T>)` / `set_x(Option<T>)` setters on a fluent builder.
macro_rules! setters {
    ($builder:ident { $( $(#[$doc:meta])* $field:ident, $set:ident : $ty:ty; )* }) => {
        impl $builder {
            $(
                $(#[$doc])*
                pub fn $field(mut self, value: impl Into<$ty>) -> Self {
                    self.input.$field = Some(value.into());
                    self
                }

                #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
                pub fn $set(mut self, value: Option<$ty>) -> Self {
                    self.input.$field = value;
                    self
                }
            )*
        }
    };
}

pub mod api;
pub mod config;
mod env;
pub mod error;
#[cfg(feature = "queue")]
pub mod esm;
pub mod event_invoke;
#[cfg(feature = "events")]
pub mod events;
pub mod handler;
mod invoke;
pub mod layer;
pub mod metrics;
mod names;
pub mod operation;
#[cfg(feature = "pubsub")]
pub mod pubsub;
#[cfg(feature = "lambda-runtime")]
pub mod runtime;
mod service;
mod state;

pub use config::{Environment, Limits};
pub use env::EnvironmentCounts;
pub use handler::{
    Code, Context, Diagnostic, EnvConfig, Event, InitContext, RequestId, ServiceFn, service_fn,
};
pub use invoke::Report;
pub use layer::{Layer, LayerFiles};
pub use metrics::FunctionMetrics;
pub use service::{Lambda, LambdaBuilder};
pub use state::{AliasConfiguration, AliasRoutingConfiguration, FunctionConfiguration};
