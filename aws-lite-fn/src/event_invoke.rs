//! Asynchronous invocation configuration: retries, maximum event age, destinations and the
//! dead-letter queue.
//!
//! # Configuration
//!
//! PutFunctionEventInvokeConfig (and Get/Update/Delete/ListFunctionEventInvokeConfigs) sets,
//! per function qualifier (`$LATEST`, a version or an alias):
//!
//! - `MaximumRetryAttempts` (0–2, default 2): how often a function error is retried, after the
//!   [`Limits::async_retry_delays`](crate::Limits::async_retry_delays) (1 min, then 2 min);
//! - `MaximumEventAgeInSeconds` (60–21,600, default 21,600): how long an event is kept, across
//!   retries and throttle backoff, before it is given up with `EventAgeExceeded`;
//! - `DestinationConfig.OnSuccess` / `OnFailure`: where the invocation record goes.
//!
//! The configuration applied to an `Event` invocation is the one of the qualifier it was
//! invoked with (`$LATEST` when unqualified). Put replaces the whole configuration; Update
//! changes only the fields it is given.
//!
//! # Destinations
//!
//! - **queue** (`arn:…:sqs:…`, feature `queue`): an aws-lite queue of the
//!   [`LambdaBuilder::sqs`](crate::LambdaBuilder::sqs) service; the record is the message body;
//! - **function** (`arn:…:lambda:…:function:…`): another function of this service, invoked
//!   asynchronously with the record as its event (a function may not be its own destination);
//! - **topic** (`arn:…:sns:…`, feature `pubsub`): a standard topic of the
//!   `LambdaBuilder::sns` service; the record is the message of a Publish (see the `pubsub`
//!   module). FIFO topics are refused at delivery, as on AWS;
//! - **event bus** (`arn:…:events:…`) is accepted, as Lambda accepts it, but not delivered:
//!   aws-lite has no EventBridge.
//!
//! A record that cannot be delivered (a missing queue, topic or function, a FIFO topic, an
//! event bus, a topic without the `pubsub` feature) is logged and counted in
//! [`FunctionMetrics::destination_delivery_failures`](crate::FunctionMetrics).
//!
//! The record has AWS's format:
//!
//! ```json
//! {
//!   "version": "1.0",
//!   "timestamp": "2019-11-24T23:08:25.651Z",
//!   "requestContext": {
//!     "requestId": "c2a6f2ae-7dbb-4d22-8782-d0485c9877e2",
//!     "functionArn": "arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST",
//!     "condition": "Success",
//!     "approximateInvokeCount": 1
//!   },
//!   "requestPayload": {"the": "event"},
//!   "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
//!   "responsePayload": "the handler's response"
//! }
//! ```
//!
//! `condition` is `Success`, `RetriesExhausted` or `EventAgeExceeded`; `functionArn` is
//! qualified with the qualifier invoked; `approximateInvokeCount` counts the attempts that ran;
//! a failed attempt adds `"functionError": "Unhandled"` to `responseContext` and its
//! `responsePayload` is the `{"errorMessage","errorType"}` body. An event that never ran (it
//! was throttled until it aged out) has no `responseContext` or `responsePayload`. The request
//! id is the same across retries.
//!
//! # Dead-letter queue
//!
//! `DeadLetterConfig.TargetArn` (CreateFunction, UpdateFunctionConfiguration; an empty ARN
//! removes it) is version configuration, frozen by PublishVersion. An event given up
//! (`RetriesExhausted` or `EventAgeExceeded`) is sent to it as the original event, with the
//! message attributes `RequestID` (String), `ErrorCode` (Number: the invocation's status code,
//! 200 for a function error, 429 when it was only ever throttled) and `ErrorMessage` (String,
//! the first 1 KB of the error message). An on-failure destination and a dead-letter queue
//! both receive the event when both are configured. An SNS topic as the dead-letter target
//! (feature `pubsub`) receives the event as the message of a Publish, with the same message
//! attributes; without the feature it is accepted but not delivered (counted in
//! `dead_letter_errors`).

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::error;
use crate::handler::Diagnostic;
use crate::metrics::bump;
use crate::service::LambdaInner;
use crate::state::FunctionShared;

/// `DeadLetterConfig`: the SQS queue (or SNS topic) that receives failed asynchronous events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DeadLetterConfig {
    /// `TargetArn`: the queue's ARN; empty removes the dead-letter queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_arn: Option<String>,
}

impl DeadLetterConfig {
    /// A dead-letter configuration sending to `target_arn`.
    pub fn new(target_arn: impl Into<String>) -> DeadLetterConfig {
        DeadLetterConfig {
            target_arn: Some(target_arn.into()),
        }
    }
}

/// `OnSuccess`: the destination of records of successful invocations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnSuccess {
    /// `Destination`: a queue, topic, function or event-bus ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
}

/// `OnFailure`: the destination of records of invocations that were given up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnFailure {
    /// `Destination`: a queue, topic, function or event-bus ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
}

/// `DestinationConfig`: where invocation records go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct DestinationConfig {
    /// `OnSuccess`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_success: Option<OnSuccess>,
    /// `OnFailure`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_failure: Option<OnFailure>,
}

impl DestinationConfig {
    /// An empty configuration.
    pub fn new() -> DestinationConfig {
        DestinationConfig::default()
    }

    /// Sets `OnSuccess.Destination`.
    pub fn on_success(mut self, arn: impl Into<String>) -> DestinationConfig {
        self.on_success = Some(OnSuccess {
            destination: Some(arn.into()),
        });
        self
    }

    /// Sets `OnFailure.Destination`.
    pub fn on_failure(mut self, arn: impl Into<String>) -> DestinationConfig {
        self.on_failure = Some(OnFailure {
            destination: Some(arn.into()),
        });
        self
    }

    fn success_arn(&self) -> Option<&str> {
        self.on_success
            .as_ref()
            .and_then(|d| d.destination.as_deref())
            .filter(|d| !d.is_empty())
    }

    fn failure_arn(&self) -> Option<&str> {
        self.on_failure
            .as_ref()
            .and_then(|d| d.destination.as_deref())
            .filter(|d| !d.is_empty())
    }
}

/// A function's asynchronous invocation configuration, as Put/Get/Update/
/// ListFunctionEventInvokeConfigs return it (`FunctionEventInvokeConfig`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FunctionEventInvokeConfig {
    last_modified: f64,
    function_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maximum_retry_attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    maximum_event_age_in_seconds: Option<u32>,
    destination_config: DestinationConfig,
}

impl FunctionEventInvokeConfig {
    /// `LastModified`, in epoch seconds.
    pub fn last_modified(&self) -> f64 {
        self.last_modified
    }
    /// `FunctionArn`: qualified with the configuration's qualifier.
    pub fn function_arn(&self) -> &str {
        &self.function_arn
    }
    /// `MaximumRetryAttempts`, when set (Lambda's default is 2).
    pub fn maximum_retry_attempts(&self) -> Option<u32> {
        self.maximum_retry_attempts
    }
    /// `MaximumEventAgeInSeconds`, when set (Lambda's default is 21,600).
    pub fn maximum_event_age_in_seconds(&self) -> Option<u32> {
        self.maximum_event_age_in_seconds
    }
    /// `DestinationConfig`: `OnSuccess` and `OnFailure` are always present, possibly empty.
    pub fn destination_config(&self) -> &DestinationConfig {
        &self.destination_config
    }
}

/// One qualifier's stored configuration.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventInvokeState {
    pub(crate) retries: Option<u32>,
    pub(crate) max_age: Option<u32>,
    pub(crate) on_success: Option<String>,
    pub(crate) on_failure: Option<String>,
    pub(crate) last_modified_ms: u64,
}

impl EventInvokeState {
    pub(crate) fn output(&self, f: &FunctionShared, qualifier: &str) -> FunctionEventInvokeConfig {
        FunctionEventInvokeConfig {
            last_modified: self.last_modified_ms as f64 / 1000.0,
            function_arn: f.qualified_arn(qualifier),
            maximum_retry_attempts: self.retries,
            maximum_event_age_in_seconds: self.max_age,
            destination_config: DestinationConfig {
                on_success: Some(OnSuccess {
                    destination: self.on_success.clone(),
                }),
                on_failure: Some(OnFailure {
                    destination: self.on_failure.clone(),
                }),
            },
        }
    }
}

/// `MaximumRetryAttempts`: 0–2.
pub(crate) fn check_retries(n: i32) -> Result<u32, Error> {
    if n < 0 {
        return Err(error::validation(
            n,
            "maximumRetryAttempts",
            "Member must have value greater than or equal to 0",
        ));
    }
    if n > 2 {
        return Err(error::validation(
            n,
            "maximumRetryAttempts",
            "Member must have value less than or equal to 2",
        ));
    }
    Ok(n.unsigned_abs())
}

/// `MaximumEventAgeInSeconds`: 60–21,600.
pub(crate) fn check_age(n: i32) -> Result<u32, Error> {
    if n < 60 {
        return Err(error::validation(
            n,
            "maximumEventAgeInSeconds",
            "Member must have value greater than or equal to 60",
        ));
    }
    if n > 21_600 {
        return Err(error::validation(
            n,
            "maximumEventAgeInSeconds",
            "Member must have value less than or equal to 21600",
        ));
    }
    Ok(n.unsigned_abs())
}

const DESTINATION_PATTERN: &str = r"^$|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:([a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)";

/// Whether `arn` matches the destination pattern above (`^$` handled by the caller).
fn destination_pattern_ok(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, _rest] = parts.as_slice() else {
        return false;
    };
    let alnum_dash = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    *prefix == "arn"
        && partition.starts_with("aws")
        && alnum_dash(partition)
        && !service.is_empty()
        && alnum_dash(service)
        && (region.is_empty()
            || (region.len() >= 4
                && region
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && region.ends_with(|c: char| c.is_ascii_digit())))
        && (account.is_empty()
            || (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())))
}

/// The service part of an ARN (`sqs`, `sns`, `lambda`, `events`).
fn service_of(arn: &str) -> &str {
    arn.split(':').nth(2).unwrap_or_default()
}

/// Validates a `DestinationConfig` for `function_name`; returns the (success, failure) ARNs.
pub(crate) fn check_destinations(
    svc: &LambdaInner,
    function_name: &str,
    d: &DestinationConfig,
) -> Result<(Option<String>, Option<String>), Error> {
    let success = d.success_arn();
    let failure = d.failure_arn();
    let mut unsupported = false;
    for (arn, field) in [
        (success, "destinationConfig.onSuccess.destination"),
        (failure, "destinationConfig.onFailure.destination"),
    ] {
        let Some(arn) = arn else { continue };
        if !destination_pattern_ok(arn) {
            return Err(error::validation(
                arn,
                field,
                &format!("Member must satisfy regular expression pattern: {DESTINATION_PATTERN}"),
            ));
        }
        match service_of(arn) {
            "lambda" => {
                let target =
                    crate::names::parse_target(arn, None, crate::names::NameUse::Qualified)
                        .map_err(|_| invalid_destination(arn))?;
                if svc.lookup(&target.name).is_err() {
                    return Err(invalid_destination(arn));
                }
                if target.name == function_name {
                    return Err(error::invalid_parameter(
                        "You can't specify the function as a destination for itself.",
                    ));
                }
            }
            "sqs" | "sns" | "events" => {}
            _ => unsupported = true,
        }
    }
    if unsupported {
        let part = |name: &str, arn: Option<&str>| match arn {
            Some(a) => format!("{name}(destination={a})"),
            None => "null".to_owned(),
        };
        return Err(error::invalid_parameter(format!(
            "The provided destination config DestinationConfig(onSuccess={}, onFailure={}) is invalid.",
            part("OnSuccess", success),
            part("OnFailure", failure)
        )));
    }
    Ok((success.map(str::to_owned), failure.map(str::to_owned)))
}

fn invalid_destination(arn: &str) -> Error {
    error::invalid_parameter(format!("The destination ARN {arn} is invalid."))
}

/// Validates a `DeadLetterConfig`: `Some(arn)` to set, `None` to clear (or when absent).
pub(crate) fn check_dead_letter(d: Option<DeadLetterConfig>) -> Result<Option<String>, Error> {
    let Some(arn) = d.and_then(|d| d.target_arn).filter(|a| !a.is_empty()) else {
        return Ok(None);
    };
    let parts: Vec<&str> = arn.splitn(4, ':').collect();
    let pattern_ok = matches!(parts.as_slice(), [prefix, partition, service, _]
        if *prefix == "arn"
            && (partition.is_empty() || (partition.starts_with("aws")
                && partition.chars().all(|c| c.is_ascii_alphabetic() || c == '-')))
            && !service.is_empty()
            && service.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'));
    if !pattern_ok {
        return Err(error::validation(
            &arn,
            "deadLetterConfig.targetArn",
            "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()",
        ));
    }
    if !matches!(service_of(&arn), "sqs" | "sns") {
        return Err(error::invalid_parameter(format!(
            "The target ARN {arn} is not an SQS queue or SNS topic."
        )));
    }
    Ok(Some(arn))
}

/// Why an asynchronous event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Condition {
    Success,
    RetriesExhausted,
    EventAgeExceeded,
}

impl Condition {
    fn as_str(self) -> &'static str {
        match self {
            Condition::Success => "Success",
            Condition::RetriesExhausted => "RetriesExhausted",
            Condition::EventAgeExceeded => "EventAgeExceeded",
        }
    }
}

/// The last attempt of an asynchronous event that ran.
pub(crate) struct LastAttempt {
    pub(crate) executed_version: String,
    pub(crate) outcome: Result<Value, Diagnostic>,
}

/// Everything the end of an asynchronous event needs.
pub(crate) struct Ended<'a> {
    pub(crate) func: &'a Arc<FunctionShared>,
    /// The qualifier invoked, `$LATEST` when unqualified.
    pub(crate) qualifier: &'a str,
    pub(crate) request_id: &'a str,
    pub(crate) condition: Condition,
    pub(crate) attempts: u32,
    pub(crate) payload: &'a Value,
    pub(crate) last: Option<&'a LastAttempt>,
    pub(crate) destination: Option<String>,
    pub(crate) dead_letter: Option<String>,
}

/// AWS's invocation record.
pub(crate) fn record(svc: &LambdaInner, e: &Ended<'_>) -> Value {
    use aws_lite_core::Clock as _;
    let timestamp =
        crate::state::lambda_date(svc.clock.epoch_millis(svc.clock.now())).replace("+0000", "Z");
    let mut r = json!({
        "version": "1.0",
        "timestamp": timestamp,
        "requestContext": {
            "requestId": e.request_id,
            "functionArn": e.func.qualified_arn(e.qualifier),
            "condition": e.condition.as_str(),
            "approximateInvokeCount": e.attempts,
        },
        "requestPayload": e.payload,
    });
    if let (Some(last), Some(obj)) = (e.last, r.as_object_mut()) {
        let (context, payload) = match &last.outcome {
            Ok(v) => (
                json!({"statusCode": 200, "executedVersion": last.executed_version}),
                v.clone(),
            ),
            Err(d) => (
                json!({
                    "statusCode": 200,
                    "executedVersion": last.executed_version,
                    "functionError": "Unhandled",
                }),
                d.to_value(),
            ),
        };
        obj.insert("responseContext".to_owned(), context);
        obj.insert("responsePayload".to_owned(), payload);
    }
    r
}

/// Sends the record of `e` to its destination and, for a failure, the event to the
/// dead-letter queue.
pub(crate) async fn finish(svc: &Arc<LambdaInner>, e: Ended<'_>) {
    if let Some(destination) = &e.destination {
        let rec = record(svc, &e);
        deliver(svc, e.func, destination, rec).await;
    }
    if e.condition != Condition::Success {
        if let Some(target) = &e.dead_letter {
            dead_letter(svc, &e, target).await;
        }
    }
}

async fn deliver(svc: &Arc<LambdaInner>, func: &FunctionShared, destination: &str, rec: Value) {
    match service_of(destination) {
        "lambda" => {
            match crate::names::parse_target(destination, None, crate::names::NameUse::Qualified) {
                Ok(target) if svc.lookup(&target.name).is_ok() => {
                    crate::invoke::spawn_async(svc.clone(), target, rec);
                }
                _ => {
                    bump(&func.counters.destination_failures);
                    tracing::warn!(function = %func.name, destination, "destination function not found: record not delivered");
                }
            }
        }
        "sqs" => {
            if let Err(e) = send_to_queue(svc, destination, rec.to_string(), None).await {
                bump(&func.counters.destination_failures);
                tracing::warn!(function = %func.name, destination, error = %e, "destination queue: record not delivered");
            }
        }
        "sns" => {
            if let Err(e) = send_to_topic(svc, destination, rec.to_string(), None).await {
                bump(&func.counters.destination_failures);
                tracing::warn!(function = %func.name, destination, error = %e, "destination topic: record not delivered");
            }
        }
        _ => {
            bump(&func.counters.destination_failures);
            tracing::warn!(function = %func.name, destination, "event-bus destinations are not built (aws-lite has no EventBridge): record not delivered");
        }
    }
}

async fn dead_letter(svc: &Arc<LambdaInner>, e: &Ended<'_>, target: &str) {
    let (code, message) = match e.last.map(|l| &l.outcome) {
        Some(Err(d)) => ("200".to_owned(), d.error_message.clone()),
        Some(Ok(_)) => ("200".to_owned(), String::new()),
        None => ("429".to_owned(), "Rate Exceeded.".to_owned()),
    };
    let mut message = message;
    if message.len() > 1024 {
        let mut cut = 1024;
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        message.truncate(cut);
    }
    let attrs = DeadLetterAttributes {
        request_id: e.request_id.to_owned(),
        error_code: code,
        error_message: message,
    };
    let result = if service_of(target) == "sqs" {
        send_to_queue(svc, target, e.payload.to_string(), Some(attrs)).await
    } else {
        send_to_topic(svc, target, e.payload.to_string(), Some(attrs)).await
    };
    if let Err(err) = result {
        bump(&e.func.counters.dead_letter_errors);
        tracing::warn!(function = %e.func.name, target, error = %err, "dead-letter queue: event not delivered");
    }
}

/// The message attributes of a dead-letter message.
#[cfg_attr(not(any(feature = "queue", feature = "pubsub")), allow(dead_code))]
struct DeadLetterAttributes {
    request_id: String,
    error_code: String,
    error_message: String,
}

#[cfg(feature = "queue")]
async fn send_to_queue(
    svc: &LambdaInner,
    arn: &str,
    body: String,
    attrs: Option<DeadLetterAttributes>,
) -> Result<(), Error> {
    use aws_lite_queue::MessageAttributeValue;
    let sqs = svc.sqs.as_ref().ok_or_else(|| {
        Error::new(
            "NoQueueService",
            "queue destinations need LambdaBuilder::sqs",
        )
    })?;
    let queue = sqs.queue_by_arn(arn)?;
    let mut send = queue.send_message().message_body(body);
    if let Some(a) = attrs {
        send = send
            .message_attributes("RequestID", MessageAttributeValue::string(a.request_id))
            .message_attributes("ErrorCode", MessageAttributeValue::number(a.error_code));
        if !a.error_message.is_empty() {
            send = send.message_attributes(
                "ErrorMessage",
                MessageAttributeValue::string(a.error_message),
            );
        }
    }
    send.send().await.map(|_| ())
}

#[cfg(not(feature = "queue"))]
async fn send_to_queue(
    _svc: &LambdaInner,
    _arn: &str,
    _body: String,
    _attrs: Option<DeadLetterAttributes>,
) -> Result<(), Error> {
    Err(Error::new(
        "NoQueueService",
        "queue destinations need the feature `queue`",
    ))
}

/// Publishes `body` to the standard topic `arn` of the `LambdaBuilder::sns` service, with the
/// dead-letter attributes when given.
#[cfg(feature = "pubsub")]
async fn send_to_topic(
    svc: &LambdaInner,
    arn: &str,
    body: String,
    attrs: Option<DeadLetterAttributes>,
) -> Result<(), Error> {
    use aws_lite_pubsub::MessageAttributeValue;
    let sns = svc.sns.as_ref().ok_or_else(|| {
        Error::new(
            "NoTopicService",
            "topic destinations need LambdaBuilder::sns",
        )
    })?;
    if arn.ends_with(".fifo") {
        return Err(Error::new(
            "UnsupportedDestination",
            "Lambda sends to standard SNS topics only, not to FIFO topics",
        ));
    }
    let mut publish = sns.publish().topic_arn(arn).message(body);
    if let Some(a) = attrs {
        publish = publish
            .message_attributes("RequestID", MessageAttributeValue::string(a.request_id))
            .message_attributes("ErrorCode", MessageAttributeValue::number(a.error_code));
        if !a.error_message.is_empty() {
            publish = publish.message_attributes(
                "ErrorMessage",
                MessageAttributeValue::string(a.error_message),
            );
        }
    }
    publish.send().await.map(|_| ())
}

#[cfg(not(feature = "pubsub"))]
async fn send_to_topic(
    _svc: &LambdaInner,
    _arn: &str,
    _body: String,
    _attrs: Option<DeadLetterAttributes>,
) -> Result<(), Error> {
    Err(Error::new(
        "NoTopicService",
        "topic destinations need the feature `pubsub`",
    ))
}
