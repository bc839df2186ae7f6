//! Lambda and SNS together (feature `pubsub`): topics as destinations and dead-letter targets of
//! asynchronous invocation, and functions as endpoints of `lambda` subscriptions.
//!
//! # Wiring
//!
//! Topic destinations are published through the [`Sns`] given to
//! [`LambdaBuilder::sns`], the way queue destinations go through the
//! [`LambdaBuilder::sqs`](crate::LambdaBuilder::sqs) service. An SNS invokes functions through
//! the [`FunctionEndpoint`] given to [`SnsBuilder::functions`](aws_lite_pubsub::SnsBuilder::functions);
//! [`Lambda`] implements it. When one SNS does both — a topic that triggers a function whose
//! records go back to a topic — build them together with [`LambdaBuilder::build_with_sns`]: the
//! endpoint handed to the SNS refers to the Lambda weakly, so the two do not keep each other
//! alive, and [`Lambda::sns`] returns the SNS.
//!
//! # Topic destinations
//!
//! An `OnSuccess` or `OnFailure` destination naming a topic (`arn:…:sns:…`) receives the
//! invocation record (see [`event_invoke`](crate::event_invoke#destinations)) as the `Message`
//! of a Publish, with no subject and no message attributes. As on AWS, only standard topics
//! are destinations: a record for a FIFO topic (`….fifo`), a topic that does not exist, or a
//! Lambda without an SNS is not delivered and counts in
//! [`FunctionMetrics::destination_delivery_failures`](crate::FunctionMetrics); so does a record
//! SNS refuses (one over the topic's `MaximumMessageSize`).
//!
//! A topic as `DeadLetterConfig.TargetArn` receives a failed event as the `Message`, with the
//! message attributes `RequestID` (String), `ErrorCode` (Number) and `ErrorMessage` (String),
//! as a queue does; an event it cannot take counts in `dead_letter_errors`.
//!
//! # Functions as subscription endpoints
//!
//! SNS delivers to a `lambda` subscription by invoking the function asynchronously (Invoke with
//! `InvocationType` `Event`) with the Lambda SNS event that aws-lite-pubsub builds:
//!
//! ```json
//! {"Records":[{"EventSource":"aws:sns","EventVersion":"1.0","EventSubscriptionArn":"…",
//!   "Sns":{"Type":"Notification","MessageId":"…","TopicArn":"…","Subject":null,
//!          "Message":"…","Timestamp":"…","SignatureVersion":"1","Signature":"…",
//!          "SigningCertUrl":"…","UnsubscribeUrl":"…",
//!          "MessageAttributes":{"name":{"Type":"String","Value":"…"}}}}]}
//! ```
//!
//! The endpoint ARN may be qualified (`…:function:f:live`), which invokes that alias or
//! version. The event then runs like any asynchronous invocation: retries, maximum event age,
//! destinations and the dead-letter queue of the function apply. SNS's own retries see only
//! whether the event was accepted: an endpoint naming a function, version or alias that does
//! not exist (or one in another account or region) is a client error, which SNS does not
//! retry (the message goes to the subscription's dead-letter queue, if any); a throttle or a
//! service error would be a server error, retried by SNS's policy.
//!
//! ```
//! use std::sync::Arc;
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use aws_lite_pubsub::Sns;
//! use serde_json::Value;
//! use tokio::sync::mpsc;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let sns = Sns::builder().functions(Arc::new(lambda.clone())).build();
//! let (tx, mut rx) = mpsc::unbounded_channel();
//! let code = Code::from_service(service_fn(move |e: Event<Value>| {
//!     let tx = tx.clone();
//!     async move {
//!         let _ = tx.send(e.payload["Records"][0]["Sns"]["Message"].clone());
//!         Ok::<_, std::convert::Infallible>(Value::Null)
//!     }
//! }));
//! let f = lambda.create_function().function_name("on-order").code(code).send().await?;
//! let topic = sns.create_topic().name("orders").send().await?.topic();
//! topic.subscribe().protocol("lambda").endpoint(f.function_arn()).send().await?;
//! topic.publish().message("order 7 placed").send().await?;
//! assert_eq!(rx.recv().await.unwrap(), "order 7 placed");
//! # Ok(()) }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, Weak};

use async_trait::async_trait;
use aws_lite_pubsub::{DeliveryError, FunctionEndpoint, Sns};
use serde_json::Value;

use crate::names::{NameUse, parse_target};
use crate::operation::invoke::InvocationType;
use crate::service::{Lambda, LambdaBuilder, LambdaInner};

/// Builds the SNS of [`LambdaBuilder::build_with_sns`].
pub(crate) type MakeSns = Box<dyn FnOnce(Arc<dyn FunctionEndpoint>) -> Sns + Send>;

/// How the builder gets its SNS.
#[derive(Default)]
pub(crate) enum SnsSlot {
    /// No SNS: topic destinations are not delivered.
    #[default]
    None,
    /// An SNS built beforehand ([`LambdaBuilder::sns`]).
    Given(Sns),
    /// An SNS built with the new Lambda as its function endpoint
    /// ([`LambdaBuilder::build_with_sns`]); the mutex keeps the builder `Sync`.
    Make(Mutex<MakeSns>),
}

impl fmt::Debug for SnsSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnsSlot::None => f.write_str("None"),
            SnsSlot::Given(sns) => f.debug_tuple("Given").field(sns).finish(),
            SnsSlot::Make(_) => f.write_str("Make(..)"),
        }
    }
}

impl SnsSlot {
    /// The SNS of the Lambda being built, whose `Arc` is `weak`.
    pub(crate) fn resolve(self, weak: &Weak<LambdaInner>) -> Option<Sns> {
        match self {
            SnsSlot::None => None,
            SnsSlot::Given(sns) => Some(sns),
            SnsSlot::Make(make) => {
                let make = make.into_inner().unwrap_or_else(|p| p.into_inner());
                Some(make(Arc::new(WeakLambda(weak.clone()))))
            }
        }
    }
}

impl LambdaBuilder {
    /// The SNS whose topics receive topic destinations and SNS dead-letter targets (feature
    /// `pubsub`). Give it the same clock as this Lambda. To let the same SNS invoke this
    /// Lambda's functions, use [`build_with_sns`](LambdaBuilder::build_with_sns) instead.
    pub fn sns(mut self, sns: Sns) -> LambdaBuilder {
        self.sns = SnsSlot::Given(sns);
        self
    }

    /// Builds the service together with its SNS (feature `pubsub`): `make_sns` receives the
    /// endpoint through which the SNS invokes this Lambda's functions (give it to
    /// [`SnsBuilder::functions`](aws_lite_pubsub::SnsBuilder::functions)) and returns the SNS
    /// that receives this Lambda's topic destinations, as [`sns`](LambdaBuilder::sns) would.
    /// The endpoint holds the Lambda weakly: once every `Lambda` handle is dropped, deliveries
    /// to it fail as client errors.
    ///
    /// ```
    /// use aws_lite_fn::Lambda;
    /// use aws_lite_pubsub::Sns;
    ///
    /// let lambda = Lambda::builder().build_with_sns(|functions| Sns::builder().functions(functions).build());
    /// let sns = lambda.sns().unwrap().clone();
    /// # drop(sns);
    /// ```
    pub fn build_with_sns(
        mut self,
        make_sns: impl FnOnce(Arc<dyn FunctionEndpoint>) -> Sns + Send + 'static,
    ) -> Lambda {
        self.sns = SnsSlot::Make(Mutex::new(Box::new(make_sns)));
        self.build()
    }
}

impl Lambda {
    /// The SNS that receives topic destinations (feature `pubsub`), if one was given.
    pub fn sns(&self) -> Option<&Sns> {
        self.inner.sns.as_ref()
    }
}

/// `lambda` subscriptions invoke the function asynchronously with the SNS event; see the
/// [module docs](crate::pubsub#functions-as-subscription-endpoints).
#[async_trait]
impl FunctionEndpoint for Lambda {
    async fn invoke(&self, function_arn: &str, event: String) -> Result<(), DeliveryError> {
        invoke_from_sns(self.clone(), function_arn, event).await
    }
}

/// The endpoint [`LambdaBuilder::build_with_sns`] hands to the SNS: the Lambda, held weakly.
struct WeakLambda(Weak<LambdaInner>);

#[async_trait]
impl FunctionEndpoint for WeakLambda {
    async fn invoke(&self, function_arn: &str, event: String) -> Result<(), DeliveryError> {
        match self.0.upgrade() {
            Some(inner) => invoke_from_sns(Lambda { inner }, function_arn, event).await,
            None => Err(DeliveryError::Client(
                "the Lambda service is gone".to_owned(),
            )),
        }
    }
}

/// Invoke (`Event`) of `function_arn` with the SNS event `event`.
async fn invoke_from_sns(
    lambda: Lambda,
    function_arn: &str,
    event: String,
) -> Result<(), DeliveryError> {
    let target = parse_target(function_arn, None, NameUse::Qualified)
        .map_err(|e| DeliveryError::from_error(&e))?;
    let ours = lambda.inner.function_arn(&target.name);
    let foreign = function_arn.starts_with("arn:")
        && function_arn != ours
        && !function_arn
            .strip_prefix(ours.as_str())
            .is_some_and(|rest| rest.starts_with(':'));
    if foreign {
        return Err(DeliveryError::from_error(
            &crate::error::function_not_found(function_arn),
        ));
    }
    let payload: Value = serde_json::from_str(&event)
        .map_err(|e| DeliveryError::Client(format!("the SNS event is not JSON: {e}")))?;
    let out = lambda
        .invoke()
        .function_name(function_arn)
        .invocation_type(InvocationType::Event)
        .payload(payload)
        .send()
        .await;
    match out {
        Ok(_) => {
            tracing::debug!(function = %target.name, "SNS event queued for asynchronous invocation");
            Ok(())
        }
        Err(e) => {
            tracing::warn!(function = %target.name, error = %e, "SNS event refused");
            Err(DeliveryError::from_error(&e))
        }
    }
}
