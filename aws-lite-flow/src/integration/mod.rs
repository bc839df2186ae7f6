//! Built-in service integrations: Task states whose `Resource` names a Lambda function, Lambda's
//! Invoke (feature `fn`), SQS SendMessage (feature `queue`), SNS Publish (feature `pubsub`) and
//! Step Functions' own StartExecution, run against aws-lite services instead of a registered
//! handler.
//!
//! # Wiring
//!
//! The services are given to the [`SfnBuilder`]: [`lambda`](SfnBuilder::lambda),
//! [`sqs`](SfnBuilder::sqs), [`sns`](SfnBuilder::sns). StartExecution needs nothing: it starts
//! executions on the same [`Sfn`](crate::Sfn). A handler registered with
//! [`Sfn::register_task_handler`](crate::Sfn::register_task_handler) for a resource takes
//! precedence over the built-in integration, so a test can stand in for one step of a workflow
//! whose other steps reach the real (in-process) services.
//!
//! | Resource | Integration | Patterns |
//! |---|---|---|
//! | `arn:aws:lambda:…:function:name[:qualifier]` | Lambda Invoke; the result is the function's payload | request-response |
//! | `arn:aws:states:::lambda:invoke` | Lambda Invoke; the result is the Invoke response | request-response, `.waitForTaskToken` |
//! | `arn:aws:states:::sqs:sendMessage` | SQS SendMessage | request-response, `.waitForTaskToken` |
//! | `arn:aws:states:::sns:publish` | SNS Publish | request-response, `.waitForTaskToken` |
//! | `arn:aws:states:::states:startExecution` | StartExecution on the same `Sfn` | request-response, `.sync`, `.sync:2`, `.waitForTaskToken` |
//!
//! # Results
//!
//! An optimized integration's result is the API's response with the SDK's HTTP metadata, as
//! Step Functions returns it: the response members in PascalCase, `SdkHttpMetadata`
//! (`AllHttpHeaders`, `HttpHeaders`, `HttpStatusCode`) and `SdkResponseMetadata`
//! (`RequestId`). `Content-Length` is the length of the response body the service sends (JSON
//! for Lambda, SQS and Step Functions; SNS's XML); dates are HTTP dates on the Clock's wall time.
//!
//! # Errors
//!
//! A service error fails the task with `<Service>.<Exception>` — the name of the exception class
//! the AWS SDK for Java raises for the error code (`SQS.AmazonSQSException` when the SDK models
//! none, `SNS.NotFoundException`, `Lambda.ResourceNotFoundException`,
//! `StepFunctions.StateMachineDoesNotExistException`) — and the SDK's message as cause:
//! `{message} (Service: {service}; Status Code: {status}; Error Code: {code}; Request ID: {id};
//! Proxy: null)`. A function error is named by the function's `errorType` (`Lambda.Unknown` when
//! it gives none) with the function's error payload as cause. Retry and Catch match these names
//! like any other error.

use std::time::SystemTime;

use aws_lite_core::{Clock, Error, Rand, SharedClock};
use serde_json::{Map, Value, json};

use crate::driver::{Runtime, TaskFuture};
#[cfg(feature = "fn")]
use crate::engine::ResourceKind;
use crate::engine::{Invocation, TaskError};
use crate::service::SfnBuilder;

#[cfg(feature = "fn")]
pub(crate) mod lambda;
#[cfg(feature = "pubsub")]
pub(crate) mod sns;
#[cfg(feature = "queue")]
pub(crate) mod sqs;
pub(crate) mod states;

/// The aws-lite services the built-in integrations call.
#[derive(Clone, Default)]
pub(crate) struct Integrations {
    #[cfg(feature = "fn")]
    pub(crate) lambda: Option<aws_lite_fn::Lambda>,
    #[cfg(feature = "queue")]
    pub(crate) sqs: Option<aws_lite_queue::Sqs>,
    #[cfg(feature = "pubsub")]
    pub(crate) sns: Option<aws_lite_pubsub::Sns>,
}

impl std::fmt::Debug for Integrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Integrations");
        #[cfg(feature = "fn")]
        d.field("lambda", &self.lambda.is_some());
        #[cfg(feature = "queue")]
        d.field("sqs", &self.sqs.is_some());
        #[cfg(feature = "pubsub")]
        d.field("sns", &self.sns.is_some());
        d.finish()
    }
}

impl SfnBuilder {
    /// The Lambda service that runs `arn:aws:states:::lambda:invoke` tasks (and their
    /// `.waitForTaskToken` form) and tasks whose `Resource` is a function ARN. Give it the same
    /// clock as the `Sfn`.
    #[cfg(feature = "fn")]
    #[cfg_attr(docsrs, doc(cfg(feature = "fn")))]
    pub fn lambda(mut self, lambda: aws_lite_fn::Lambda) -> SfnBuilder {
        self.integrations.lambda = Some(lambda);
        self
    }

    /// The SQS service that runs `arn:aws:states:::sqs:sendMessage` tasks (and their
    /// `.waitForTaskToken` form). Give it the same clock as the `Sfn`.
    #[cfg(feature = "queue")]
    #[cfg_attr(docsrs, doc(cfg(feature = "queue")))]
    pub fn sqs(mut self, sqs: aws_lite_queue::Sqs) -> SfnBuilder {
        self.integrations.sqs = Some(sqs);
        self
    }

    /// The SNS service that runs `arn:aws:states:::sns:publish` tasks (and their
    /// `.waitForTaskToken` form). Give it the same clock as the `Sfn`.
    #[cfg(feature = "pubsub")]
    #[cfg_attr(docsrs, doc(cfg(feature = "pubsub")))]
    pub fn sns(mut self, sns: aws_lite_pubsub::Sns) -> SfnBuilder {
        self.integrations.sns = Some(sns);
        self
    }
}

/// What an integration call needs besides its parameters: the clock (HTTP dates) and the
/// randomness of request ids.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) clock: SharedClock,
    pub(crate) rand: Rand,
}

impl Ctx {
    /// A new request id (a UUID).
    pub(crate) fn request_id(&self) -> String {
        self.rand.uuid().to_string()
    }

    /// The wall time now.
    pub(crate) fn wall(&self) -> SystemTime {
        self.clock.wall(self.clock.now())
    }

    /// The HTTP `Date` of a response sent now.
    pub(crate) fn date(&self) -> String {
        http_date(self.wall())
    }
}

/// The integration pattern of an optimized integration's resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// Call the API and move on.
    RequestResponse,
    /// `.sync`: wait for the job to finish.
    Sync,
    /// `.sync:2`: wait for the job, with JSON (not JSON text) in the result.
    Sync2,
    /// `.waitForTaskToken`: call the API, then wait for the task token's report.
    WaitForTaskToken,
}

/// Splits `arn:<partition>:states:::<service>:<api>[.<pattern>]` into service, API and pattern.
pub(crate) fn optimized(resource: &str) -> Option<(&str, &str, Pattern)> {
    let rest = resource.strip_prefix("arn:")?;
    let (_partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("states:::")?;
    let (service, api) = rest.split_once(':')?;
    let (api, pattern) = if let Some(a) = api.strip_suffix(".sync:2") {
        (a, Pattern::Sync2)
    } else if let Some(a) = api.strip_suffix(".sync") {
        (a, Pattern::Sync)
    } else if let Some(a) = api.strip_suffix(".waitForTaskToken") {
        (a, Pattern::WaitForTaskToken)
    } else {
        (api, Pattern::RequestResponse)
    };
    Some((service, api, pattern))
}

/// The future of the built-in integration serving `inv`, or `None` when no integration serves
/// its resource (or the service it needs is not wired).
pub(crate) fn dispatch(rt: &Runtime, inv: &Invocation) -> Option<TaskFuture> {
    let inner = rt.service.upgrade()?;
    let ctx = Ctx {
        clock: rt.clock.clone(),
        rand: inner.rand.clone(),
    };
    let params = inv.input.clone();
    #[cfg_attr(
        not(any(feature = "fn", feature = "queue", feature = "pubsub")),
        allow(unused_variables)
    )]
    let services = &inner.integrations;
    #[cfg(feature = "fn")]
    if inv.kind == ResourceKind::LambdaArn {
        let lambda = services.lambda.clone()?;
        let arn = inv.resource.clone();
        return Some(Box::pin(async move {
            lambda::invoke_function(&lambda, &arn, params, &ctx).await
        }));
    }
    let (service, api, pattern) = optimized(&inv.resource)?;
    match (service, api, pattern) {
        #[cfg(feature = "fn")]
        ("lambda", "invoke", Pattern::RequestResponse | Pattern::WaitForTaskToken) => {
            let lambda = services.lambda.clone()?;
            Some(Box::pin(async move {
                lambda::invoke(&lambda, params, &ctx).await
            }))
        }
        #[cfg(feature = "queue")]
        ("sqs", "sendMessage", Pattern::RequestResponse | Pattern::WaitForTaskToken) => {
            let sqs = services.sqs.clone()?;
            Some(Box::pin(async move {
                sqs::send_message(&sqs, params, &ctx).await
            }))
        }
        #[cfg(feature = "pubsub")]
        ("sns", "publish", Pattern::RequestResponse | Pattern::WaitForTaskToken) => {
            let sns = services.sns.clone()?;
            Some(Box::pin(
                async move { sns::publish(&sns, params, &ctx).await },
            ))
        }
        ("states", "startExecution", _) => {
            let sfn = crate::Sfn { inner };
            let token = inv.token.clone();
            Some(Box::pin(async move {
                states::start_execution(&sfn, pattern, params, token, &ctx).await
            }))
        }
        _ => None,
    }
}

/// `SdkHttpMetadata` and `SdkResponseMetadata` of a 200 response with `headers`, as Step
/// Functions adds them to an optimized integration's result.
pub(crate) fn sdk_metadata(
    result: &mut Map<String, Value>,
    headers: &[(&str, String)],
    request_id: &str,
) {
    let all: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!([v])))
        .collect();
    let one: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!(v)))
        .collect();
    result.insert(
        "SdkHttpMetadata".into(),
        json!({"AllHttpHeaders": all, "HttpHeaders": one, "HttpStatusCode": 200}),
    );
    result.insert(
        "SdkResponseMetadata".into(),
        json!({"RequestId": request_id}),
    );
}

/// The headers of an AWS JSON-protocol (or XML) response: request id, connection, length, date
/// and content type, spelled as the SDK reports them for SQS, SNS and Step Functions.
pub(crate) fn json_headers(
    content_type: &str,
    length: usize,
    request_id: &str,
    date: String,
) -> Vec<(&'static str, String)> {
    vec![
        ("x-amzn-RequestId", request_id.to_string()),
        ("connection", "keep-alive".to_string()),
        ("Content-Length", length.to_string()),
        ("Date", date),
        ("Content-Type", content_type.to_string()),
    ]
}

/// A task failure for a service error, as Step Functions reports it: `{prefix}.{exception}`
/// with the SDK for Java's message.
pub(crate) fn service_error(
    prefix: &str,
    exception: &str,
    service: &str,
    status: u16,
    err: &Error,
    request_id: &str,
) -> TaskError {
    TaskError::new(
        format!("{prefix}.{exception}"),
        format!(
            "{} (Service: {service}; Status Code: {status}; Error Code: {}; Request ID: {request_id}; Proxy: null)",
            err.message(),
            err.code()
        ),
    )
}

/// JSON text of a parameter whose API type is a string: a string as is, any other JSON value
/// serialized (Step Functions serializes an object given for `MessageBody`, `Message` or
/// `Input`).
pub(crate) fn text_param(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(crate::dataflow::compact(other)),
    }
}

/// A string parameter: `None` when absent or null, the text of any other value.
pub(crate) fn str_param(params: &Value, key: &str) -> Option<String> {
    params.get(key).and_then(text_param)
}

/// An RFC 7231 HTTP date: `Thu, 28 Nov 2024 12:40:57 GMT`.
pub(crate) fn http_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let (y, m, d) = civil_from_days(days);
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1).clamp(0, 11) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Epoch milliseconds of `t`, as the SDK for Java renders a date in a result.
pub(crate) fn epoch_millis(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Gregorian date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn http_dates() {
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        let t = UNIX_EPOCH + Duration::from_secs(1_732_797_657);
        assert_eq!(http_date(t), "Thu, 28 Nov 2024 12:40:57 GMT");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(http_date(leap), "Tue, 29 Feb 2000 00:00:00 GMT");
    }

    #[test]
    fn optimized_resources() {
        assert_eq!(
            optimized("arn:aws:states:::states:startExecution.sync:2"),
            Some(("states", "startExecution", Pattern::Sync2))
        );
        assert_eq!(
            optimized("arn:aws-cn:states:::sqs:sendMessage.waitForTaskToken"),
            Some(("sqs", "sendMessage", Pattern::WaitForTaskToken))
        );
        assert_eq!(
            optimized("arn:aws:states:::lambda:invoke"),
            Some(("lambda", "invoke", Pattern::RequestResponse))
        );
        assert_eq!(optimized("arn:aws:lambda:us-east-1:1:function:f"), None);
    }
}
