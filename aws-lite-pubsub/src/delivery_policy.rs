//! `DeliveryPolicy` documents: validation with SNS's bounds, and the effective HTTP/S policy of
//! a subscription (retries, throttling, content type).
//!
//! # Validation
//!
//! SNS's guide (sns-message-delivery-retries, "Creating an HTTP/S delivery policy") gives the
//! bounds of each `healthyRetryPolicy` field: `minDelayTarget` 1 to `maxDelayTarget`,
//! `maxDelayTarget` `minDelayTarget` to 3,600, `numRetries` 0 to 100, `numNoDelayRetries`,
//! `numMinDelayRetries` and `numMaxDelayRetries` 0 or greater, `backoffFunction` one of
//! `arithmetic`, `exponential`, `geometric`, `linear`; the backoff phase gets
//! `numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries` retries (so the three
//! counts may not exceed `numRetries`); `throttlePolicy.maxReceivesPerSecond` is 1 or greater;
//! and "the total policy retry time for an HTTP/S endpoint cannot be greater than 3,600
//! seconds". SNS also requires `minDelayTarget`, `maxDelayTarget` and `numRetries` whenever a
//! `healthyRetryPolicy` is given (observed against AWS by the CDK and TriggerMesh projects).
//!
//! The same rules apply to a subscription's `healthyRetryPolicy` / `throttlePolicy` and to a
//! topic's `http.defaultHealthyRetryPolicy` / `http.defaultThrottlePolicy`. Each failure is
//! `InvalidParameter` with a reason naming the field by its path. Two reasons are AWS's, as
//! recorded from real responses: `healthyRetryPolicy.minDelayTarget must be greater than or
//! equal to 1` (Subscribe) and `http.defaultHealthyRetryPolicy: Total policy retry time cannot
//! be greater than 3600 seconds` (SetTopicAttributes). The others follow their pattern; their
//! exact wording could not be confirmed against AWS.
//!
//! The total retry time is the sum of the delays of the whole schedule. The delays of the
//! backoff phase follow aws-lite's formulas for the four backoff functions (SNS publishes only
//! their names), so a policy near the limit may be judged differently than AWS would.

use std::time::Duration;

use aws_lite_core::{BackoffFunction, PhasedBackoff};
use serde_json::{Map, Value};

/// The hard limit on a policy's total retry time.
const MAX_TOTAL_RETRY_TIME: Duration = Duration::from_secs(3_600);
/// The largest `maxDelayTarget`.
const MAX_DELAY_TARGET: i64 = 3_600;
/// The largest `numRetries`.
const MAX_NUM_RETRIES: i64 = 100;

/// The content type SNS sends to HTTP/S endpoints unless a `requestPolicy` says otherwise.
pub(crate) const DEFAULT_HTTP_CONTENT_TYPE: &str = "text/plain; charset=UTF-8";

/// What an HTTP/S delivery follows: the retry policy, the throttle and the `Content-Type`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HttpDeliveryPolicy {
    pub(crate) retry: PhasedBackoff,
    /// `maxReceivesPerSecond`: deliveries to the subscription are paced to this rate.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) max_receives_per_second: Option<u32>,
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    pub(crate) content_type: String,
}

/// Checks a subscription's `DeliveryPolicy`; the error is the reason that follows
/// `DeliveryPolicy: ` in SNS's message.
pub(crate) fn validate_subscription_policy(text: &str) -> Result<(), String> {
    let v = parse(text)?;
    let Some(obj) = v.as_object() else {
        return Err("failed to parse JSON.".into());
    };
    if let Some(p) = present(obj, "healthyRetryPolicy") {
        retry_policy(p, "healthyRetryPolicy")?;
    }
    if let Some(p) = present(obj, "throttlePolicy") {
        throttle_policy(p, "throttlePolicy")?;
    }
    Ok(())
}

/// Checks a topic's `DeliveryPolicy` (its `http` section); the error is the reason that follows
/// `DeliveryPolicy: ` in SNS's message.
pub(crate) fn validate_topic_policy(text: &str) -> Result<(), String> {
    let v = parse(text)?;
    let Some(obj) = v.as_object() else {
        return Err("failed to parse JSON.".into());
    };
    let Some(http) = present(obj, "http") else {
        return Ok(());
    };
    let Some(http) = http.as_object() else {
        return Err("http must be a JSON object".into());
    };
    if let Some(p) = present(http, "defaultHealthyRetryPolicy") {
        retry_policy(p, "http.defaultHealthyRetryPolicy")?;
    }
    if let Some(p) = present(http, "defaultThrottlePolicy") {
        throttle_policy(p, "http.defaultThrottlePolicy")?;
    }
    if let Some(d) = present(http, "disableSubscriptionOverrides") {
        if !d.is_boolean() {
            return Err("http.disableSubscriptionOverrides must be true or false".into());
        }
    }
    Ok(())
}

fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|_| "failed to parse JSON.".to_string())
}

/// `obj[key]` unless missing or `null`.
fn present<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// An integer field: `Ok(None)` when absent, an error when not an integer.
fn integer(obj: &Map<String, Value>, path: &str, key: &str) -> Result<Option<i64>, String> {
    let Some(v) = present(obj, key) else {
        return Ok(None);
    };
    let n = v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    });
    match n {
        Some(n) => Ok(Some(n)),
        None => Err(format!("{path}.{key} must be an integer")),
    }
}

/// Validates one retry policy at `path` and returns it.
fn retry_policy(v: &Value, path: &str) -> Result<PhasedBackoff, String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("{path} must be a JSON object"));
    };
    let required = |key: &str| -> Result<i64, String> {
        integer(obj, path, key)?.ok_or_else(|| format!("{path}.{key} must be specified"))
    };
    let min = required("minDelayTarget")?;
    let max = required("maxDelayTarget")?;
    let retries = required("numRetries")?;
    let optional = |key: &str| -> Result<i64, String> {
        let n = integer(obj, path, key)?.unwrap_or(0);
        if n < 0 {
            return Err(format!("{path}.{key} must be greater than or equal to 0"));
        }
        Ok(n)
    };
    let no_delay = optional("numNoDelayRetries")?;
    let min_delay_retries = optional("numMinDelayRetries")?;
    let max_delay_retries = optional("numMaxDelayRetries")?;
    if min < 1 {
        return Err(format!(
            "{path}.minDelayTarget must be greater than or equal to 1"
        ));
    }
    if max > MAX_DELAY_TARGET {
        return Err(format!(
            "{path}.maxDelayTarget must be less than or equal to {MAX_DELAY_TARGET}"
        ));
    }
    if min > max {
        return Err(format!(
            "{path}.maxDelayTarget must be greater than or equal to minDelayTarget"
        ));
    }
    if retries < 0 {
        return Err(format!(
            "{path}.numRetries must be greater than or equal to 0"
        ));
    }
    if retries > MAX_NUM_RETRIES {
        return Err(format!(
            "{path}.numRetries must be less than or equal to {MAX_NUM_RETRIES}"
        ));
    }
    if no_delay + min_delay_retries + max_delay_retries > retries {
        return Err(format!(
            "{path}.numRetries must be greater than or equal to total of numMinDelayRetries, \
             numNoDelayRetries and numMaxDelayRetries"
        ));
    }
    let function = match present(obj, "backoffFunction") {
        None => BackoffFunction::Linear,
        Some(f) => serde_json::from_value::<BackoffFunction>(f.clone()).map_err(|_| {
            format!(
                "{path}.backoffFunction must be one of arithmetic, exponential, geometric, linear"
            )
        })?,
    };
    // Every value is now within 0..=3600 or 0..=100: the conversions cannot fail.
    let secs = |n: i64| Duration::from_secs(u64::try_from(n).unwrap_or(0));
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    let policy = PhasedBackoff::sns_http_default()
        .min_delay(secs(min))
        .max_delay(secs(max))
        .retries(count(retries))
        .no_delay_retries(count(no_delay))
        .min_delay_retries(count(min_delay_retries))
        .max_delay_retries(count(max_delay_retries))
        .function(function);
    if total_retry_time(&policy) > MAX_TOTAL_RETRY_TIME {
        return Err(format!(
            "{path}: Total policy retry time cannot be greater than {} seconds",
            MAX_TOTAL_RETRY_TIME.as_secs()
        ));
    }
    Ok(policy)
}

/// The sum of every delay of `policy`'s schedule (before jitter).
pub(crate) fn total_retry_time(policy: &PhasedBackoff) -> Duration {
    (1..=policy.retries)
        .filter_map(|k| policy.base_delay(k))
        .sum()
}

/// Validates one throttle policy at `path` and returns its rate.
fn throttle_policy(v: &Value, path: &str) -> Result<Option<u32>, String> {
    let Some(obj) = v.as_object() else {
        return Err(format!("{path} must be a JSON object"));
    };
    match integer(obj, path, "maxReceivesPerSecond")? {
        None => Ok(None),
        Some(n) if n < 1 => Err(format!(
            "{path}.maxReceivesPerSecond must be greater than or equal to 1"
        )),
        Some(n) => Ok(Some(u32::try_from(n).unwrap_or(u32::MAX))),
    }
}

/// The effective HTTP/S delivery policy of a subscription: the topic's `http` defaults, then
/// the subscription's own `DeliveryPolicy` unless the topic sets
/// `disableSubscriptionOverrides`; SNS's defaults where neither says anything. Text that does
/// not validate is ignored (both attributes are validated when set).
pub(crate) fn http_delivery_policy(
    topic_policy: Option<&str>,
    subscription_policy: Option<&str>,
) -> HttpDeliveryPolicy {
    let parse = |t: Option<&str>| t.and_then(|t| serde_json::from_str::<Value>(t).ok());
    let mut out = HttpDeliveryPolicy {
        retry: PhasedBackoff::sns_http_default(),
        max_receives_per_second: None,
        content_type: DEFAULT_HTTP_CONTENT_TYPE.to_string(),
    };
    let mut overrides = true;
    let topic = parse(topic_policy);
    if let Some(h) = topic.as_ref().and_then(|t| t.get("http")) {
        apply(
            &mut out,
            h,
            "defaultHealthyRetryPolicy",
            "defaultThrottlePolicy",
            "/defaultRequestPolicy/headerContentType",
        );
        overrides = !h
            .get("disableSubscriptionOverrides")
            .and_then(Value::as_bool)
            .unwrap_or(false);
    }
    if let Some(s) = parse(subscription_policy).filter(|_| overrides) {
        apply(
            &mut out,
            &s,
            "healthyRetryPolicy",
            "throttlePolicy",
            "/requestPolicy/headerContentType",
        );
    }
    out
}

/// Layers one level's retry policy, throttle and content type over `out`.
fn apply(out: &mut HttpDeliveryPolicy, v: &Value, retry: &str, throttle: &str, content: &str) {
    if let Some(p) = v.get(retry).filter(|p| !p.is_null()) {
        if let Ok(p) = retry_policy(p, retry) {
            out.retry = p;
        }
    }
    if let Some(t) = v.get(throttle).filter(|t| !t.is_null()) {
        if let Ok(Some(rate)) = throttle_policy(t, throttle) {
            out.max_receives_per_second = Some(rate);
        }
    }
    if let Some(ct) = v.pointer(content).and_then(Value::as_str) {
        out.content_type = ct.to_string();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_lite_core::{BackoffFunction, PhasedBackoff};

    use super::*;

    #[test]
    fn layers_topic_and_subscription() {
        let none = http_delivery_policy(None, None);
        assert_eq!(none.retry, PhasedBackoff::sns_http_default());
        assert_eq!(none.content_type, DEFAULT_HTTP_CONTENT_TYPE);
        assert_eq!(none.max_receives_per_second, None);

        let sub = r#"{"healthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":50,"numRetries":6,
                      "numNoDelayRetries":1,"backoffFunction":"exponential"},
                      "throttlePolicy":{"maxReceivesPerSecond":4},
                      "requestPolicy":{"headerContentType":"application/json"}}"#;
        assert_eq!(validate_subscription_policy(sub), Ok(()));
        let p = http_delivery_policy(None, Some(sub));
        let want = PhasedBackoff::sns_http_default()
            .min_delay(Duration::from_secs(5))
            .max_delay(Duration::from_secs(50))
            .retries(6)
            .no_delay_retries(1)
            .function(BackoffFunction::Exponential);
        assert_eq!(p.retry, want);
        assert_eq!(p.content_type, "application/json");
        assert_eq!(p.max_receives_per_second, Some(4));

        let topic = r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,
                        "maxDelayTarget":20,"numRetries":9},
                        "defaultThrottlePolicy":{"maxReceivesPerSecond":2},
                        "disableSubscriptionOverrides":false}}"#;
        assert_eq!(validate_topic_policy(topic), Ok(()));
        let layered = http_delivery_policy(Some(topic), Some(sub));
        assert_eq!(layered.retry, want);
        assert_eq!(layered.max_receives_per_second, Some(4));
        let topic_only = http_delivery_policy(Some(topic), None);
        assert_eq!(
            topic_only.retry,
            PhasedBackoff::sns_http_default().retries(9)
        );
        assert_eq!(topic_only.max_receives_per_second, Some(2));
        let locked = topic.replace("false", "true");
        let p = http_delivery_policy(Some(&locked), Some(sub));
        assert_eq!(p.retry, PhasedBackoff::sns_http_default().retries(9));
        assert_eq!(p.max_receives_per_second, Some(2));
        assert_eq!(p.content_type, DEFAULT_HTTP_CONTENT_TYPE);
    }

    #[test]
    fn retry_policy_bounds() {
        let sub = |fields: &str| {
            validate_subscription_policy(&format!(r#"{{"healthyRetryPolicy":{{{fields}}}}}"#))
        };
        let ok = r#""minDelayTarget":1,"maxDelayTarget":3600,"numRetries":1"#;
        assert_eq!(sub(ok), Ok(()));
        let cases = [
            (
                r#""maxDelayTarget":20,"numRetries":3"#,
                "healthyRetryPolicy.minDelayTarget must be specified",
            ),
            (
                r#""minDelayTarget":20,"numRetries":3"#,
                "healthyRetryPolicy.maxDelayTarget must be specified",
            ),
            (
                r#""minDelayTarget":20,"maxDelayTarget":20"#,
                "healthyRetryPolicy.numRetries must be specified",
            ),
            (
                r#""minDelayTarget":0,"maxDelayTarget":0,"numRetries":0"#,
                "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":3601,"numRetries":0"#,
                "healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600",
            ),
            (
                r#""minDelayTarget":30,"maxDelayTarget":20,"numRetries":1"#,
                "healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":101"#,
                "healthyRetryPolicy.numRetries must be less than or equal to 100",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":-1"#,
                "healthyRetryPolicy.numRetries must be greater than or equal to 0",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":3,"numMinDelayRetries":-2"#,
                "healthyRetryPolicy.numMinDelayRetries must be greater than or equal to 0",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":3,
                   "numNoDelayRetries":2,"numMaxDelayRetries":2"#,
                "healthyRetryPolicy.numRetries must be greater than or equal to total of \
                 numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries",
            ),
            (
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":3,"backoffFunction":"cubic""#,
                "healthyRetryPolicy.backoffFunction must be one of arithmetic, exponential, \
                 geometric, linear",
            ),
            (
                r#""minDelayTarget":"1","maxDelayTarget":1,"numRetries":3"#,
                "healthyRetryPolicy.minDelayTarget must be an integer",
            ),
            (
                r#""minDelayTarget":1.5,"maxDelayTarget":2,"numRetries":3"#,
                "healthyRetryPolicy.minDelayTarget must be an integer",
            ),
            (
                r#""minDelayTarget":3599,"maxDelayTarget":3600,"numRetries":3"#,
                "healthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds",
            ),
        ];
        for (fields, want) in cases {
            assert_eq!(sub(fields), Err(want.to_string()), "{fields}");
        }
        // Exactly 3,600 seconds passes; one more second does not.
        assert_eq!(
            sub(r#""minDelayTarget":1200,"maxDelayTarget":1200,"numRetries":3"#),
            Ok(())
        );
        assert!(sub(r#""minDelayTarget":1200,"maxDelayTarget":1201,"numRetries":3"#).is_err());
        // Immediate retries cost no time.
        assert_eq!(
            sub(
                r#""minDelayTarget":3600,"maxDelayTarget":3600,"numRetries":100,
                   "numNoDelayRetries":99"#
            ),
            Ok(())
        );
    }

    #[test]
    fn throttle_and_topic_documents() {
        assert_eq!(
            validate_subscription_policy(r#"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#),
            Err("throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1".into())
        );
        assert_eq!(
            validate_subscription_policy(r#"{"throttlePolicy":{"maxReceivesPerSecond":1}}"#),
            Ok(())
        );
        assert_eq!(
            validate_subscription_policy("nope"),
            Err("failed to parse JSON.".into())
        );
        assert_eq!(
            validate_subscription_policy("[]"),
            Err("failed to parse JSON.".into())
        );
        assert_eq!(
            validate_topic_policy(
                r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":3599,
                    "maxDelayTarget":3600,"numRetries":3}}}"#
            ),
            Err(
                "http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater \
                 than 3600 seconds"
                    .into()
            )
        );
        assert_eq!(
            validate_topic_policy(r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":-1}}}"#),
            Err("http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1".into())
        );
        assert_eq!(
            validate_topic_policy(r#"{"http":{"disableSubscriptionOverrides":"yes"}}"#),
            Err("http.disableSubscriptionOverrides must be true or false".into())
        );
        assert_eq!(validate_topic_policy(r#"{"http":{}}"#), Ok(()));
        assert_eq!(validate_topic_policy("{}"), Ok(()));
    }
}
