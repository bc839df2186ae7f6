//! The shared state of one subscription and its attributes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aws_lite_core::id::AccountId;
use aws_lite_core::sync::Mutex;
use aws_lite_core::{Error, Instant, PhasedBackoff};
use serde_json::Value;

use crate::error;
use crate::filter::{Dialect, FilterPolicyScope, Policy, PolicyOperation, with_operation_prefix};
use crate::message::Published;
use crate::topic::TopicCounters;

/// The delivery protocols this SNS serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Protocol {
    Sqs,
    Lambda,
    /// An in-process stream endpoint (aws-lite's stand-in for a platform application endpoint).
    Application,
    /// An `http://` URL (feature `http`).
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    Http,
    /// An `https://` URL (feature `http`), delivered over TLS.
    #[cfg_attr(not(feature = "http"), allow(dead_code))]
    Https,
}

impl Protocol {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
            Protocol::Application => "application",
            Protocol::Http => "http",
            Protocol::Https => "https",
        }
    }

    /// Whether this is `http` or `https`.
    pub(crate) fn is_http(self) -> bool {
        matches!(self, Protocol::Http | Protocol::Https)
    }

    /// The fixed retry policy SNS applies to this protocol.
    pub(crate) fn retry_policy(self) -> PhasedBackoff {
        match self {
            Protocol::Sqs | Protocol::Lambda => PhasedBackoff::sns_aws_managed(),
            Protocol::Application => PhasedBackoff::sns_customer_managed(),
            Protocol::Http | Protocol::Https => PhasedBackoff::sns_http_default(),
        }
    }
}

/// A subscription's attributes.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubState {
    pub(crate) pending: bool,
    pub(crate) authenticated: bool,
    pub(crate) raw: bool,
    pub(crate) filter_policy: Option<String>,
    pub(crate) scope: FilterPolicyScope,
    /// `RedrivePolicy` text and its dead-letter queue ARN.
    pub(crate) redrive: Option<(String, String)>,
    pub(crate) delivery_policy: Option<String>,
    pub(crate) other: BTreeMap<String, String>,
}

/// One subscription.
pub(crate) struct SubscriptionShared {
    pub(crate) id: u64,
    pub(crate) arn: String,
    pub(crate) topic_arn: Arc<str>,
    pub(crate) topic_fifo: bool,
    pub(crate) protocol: Protocol,
    pub(crate) endpoint: String,
    pub(crate) owner: AccountId,
    pub(crate) state: Mutex<SubState>,
    pub(crate) counters: Arc<TopicCounters>,
    pub(crate) deleted: AtomicBool,
    /// Whether the topic's filter holds a policy for this subscription (changed under the
    /// topic's write lock).
    pub(crate) has_filter: AtomicBool,
    /// FIFO: messages waiting behind a delivery being retried, per message group.
    pub(crate) backlog: Mutex<HashMap<String, VecDeque<Arc<Published>>>>,
    /// HTTP/S with a `maxReceivesPerSecond`: the earliest moment the next delivery attempt may
    /// start (see [`reserve_delivery_slot`]).
    pub(crate) next_delivery_slot: Mutex<Option<Instant>>,
}

/// Paces deliveries at `interval` apart: returns when an attempt wanting to start at `now`
/// may start, and books the slot after it in `next`. Attempts start in the order they ask.
pub(crate) fn reserve_delivery_slot(
    next: &mut Option<Instant>,
    now: Instant,
    interval: Duration,
) -> Instant {
    let slot = next.map_or(now, |n| n.max(now));
    *next = Some(slot.saturating_add(interval));
    slot
}

impl fmt::Debug for SubscriptionShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubscriptionShared")
            .field("arn", &self.arn)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

impl SubscriptionShared {
    pub(crate) fn is_deleted(&self) -> bool {
        self.deleted.load(Ordering::Acquire)
    }
}

/// The subscription attribute names SNS knows.
const NAMES: &[&str] = &[
    "DeliveryPolicy",
    "FilterPolicy",
    "FilterPolicyScope",
    "RawMessageDelivery",
    "RedrivePolicy",
    "SubscriptionRoleArn",
    "ReplayPolicy",
];

/// Applies attributes to a copy of a subscription's state, as Subscribe (`op` =
/// `Subscribe`) or SetSubscriptionAttributes does, and compiles the filter policy. Nothing is
/// changed on error.
pub(crate) fn apply_attributes(
    state: &SubState,
    attrs: &[(String, String)],
    op: PolicyOperation,
    protocol: Protocol,
    topic_fifo: bool,
) -> Result<(SubState, Option<Policy>), Error> {
    let prefix = match op {
        PolicyOperation::Subscribe => "Invalid parameter: Attributes Reason: ",
        _ => "Invalid parameter: ",
    };
    let mut st = state.clone();
    // FilterPolicyScope before FilterPolicy, so one Subscribe may set both.
    let mut ordered: Vec<&(String, String)> = attrs.iter().collect();
    ordered.sort_by_key(|(n, _)| n != "FilterPolicyScope");
    for (name, value) in ordered {
        if !NAMES.contains(&name.as_str()) {
            return Err(error::invalid_parameter(format!("{prefix}AttributeName")));
        }
        match name.as_str() {
            "RawMessageDelivery" => {
                let b = match value.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(error::invalid_parameter(format!(
                            "{prefix}RawMessageDelivery: Invalid value [{value}]. Must be true or false."
                        )));
                    }
                };
                if b && protocol == Protocol::Lambda {
                    return Err(error::invalid_parameter(format!(
                        "{prefix}Delivery protocol [lambda] does not support raw message delivery."
                    )));
                }
                st.raw = b;
            }
            "FilterPolicyScope" => {
                st.scope = FilterPolicyScope::parse(value).map_err(|_| {
                    error::invalid_parameter(format!(
                        "{prefix}FilterPolicyScope: Invalid value [{value}]. Please use either \
                         MessageBody or MessageAttributes"
                    ))
                })?;
            }
            "FilterPolicy" => {
                st.filter_policy = if value.trim().is_empty() {
                    None
                } else {
                    Some(value.clone())
                };
            }
            "RedrivePolicy" => {
                if value.trim().is_empty() {
                    st.redrive = None;
                    continue;
                }
                let v: Value = serde_json::from_str(value).map_err(|_| {
                    error::invalid_parameter(format!(
                        "{prefix}RedrivePolicy: failed to parse JSON."
                    ))
                })?;
                let arn = v
                    .get("deadLetterTargetArn")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let parts: Vec<&str> = arn.split(':').collect();
                if parts.len() != 6 || parts[0] != "arn" {
                    return Err(error::invalid_parameter(format!(
                        "{prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn"
                    )));
                }
                if topic_fifo && protocol == Protocol::Sqs && !arn.ends_with(".fifo") {
                    return Err(error::invalid_parameter(format!(
                        "{prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO \
                         Subscription to a FIFO Topic."
                    )));
                }
                st.redrive = Some((value.clone(), arn.to_string()));
            }
            "DeliveryPolicy" => {
                if value.trim().is_empty() {
                    st.delivery_policy = None;
                    continue;
                }
                crate::delivery_policy::validate_subscription_policy(value).map_err(|reason| {
                    error::invalid_parameter(format!("{prefix}DeliveryPolicy: {reason}"))
                })?;
                st.delivery_policy = Some(value.clone());
            }
            _ => {
                st.other.insert(name.clone(), value.clone());
            }
        }
    }
    let policy = match &st.filter_policy {
        Some(text) => Some(
            Policy::parse(text, Dialect::Sns(st.scope))
                .map_err(|e| with_operation_prefix(e, op))?,
        ),
        None => None,
    };
    Ok((st, policy))
}

/// The attributes GetSubscriptionAttributes reports.
pub(crate) fn attributes_of(sub: &SubscriptionShared) -> BTreeMap<String, String> {
    let st = sub.state.lock();
    let mut m = BTreeMap::new();
    m.insert("SubscriptionArn".into(), sub.arn.clone());
    m.insert("TopicArn".into(), sub.topic_arn.to_string());
    m.insert("Owner".into(), sub.owner.as_str().to_string());
    m.insert("Protocol".into(), sub.protocol.as_str().into());
    m.insert("Endpoint".into(), sub.endpoint.clone());
    m.insert("PendingConfirmation".into(), st.pending.to_string());
    m.insert(
        "ConfirmationWasAuthenticated".into(),
        st.authenticated.to_string(),
    );
    m.insert("RawMessageDelivery".into(), st.raw.to_string());
    if let Some(p) = &st.filter_policy {
        m.insert("FilterPolicy".into(), p.clone());
        m.insert("FilterPolicyScope".into(), st.scope.as_str().into());
    }
    if let Some((text, _)) = &st.redrive {
        m.insert("RedrivePolicy".into(), text.clone());
    }
    if let Some(p) = &st.delivery_policy {
        m.insert("DeliveryPolicy".into(), p.clone());
    }
    m.insert(
        "SubscriptionPrincipal".into(),
        format!("arn:aws:iam::{}:root", sub.owner.as_str()),
    );
    for (k, v) in &st.other {
        m.insert(k.clone(), v.clone());
    }
    m
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_lite_core::Instant;

    use super::reserve_delivery_slot;

    #[test]
    fn delivery_slots_are_spaced_by_the_interval() {
        let ms = Duration::from_millis;
        let t0 = Instant::from_secs(10);
        let mut next = None;
        // Three attempts at once: now, then 250 ms apart.
        assert_eq!(reserve_delivery_slot(&mut next, t0, ms(250)), t0);
        assert_eq!(reserve_delivery_slot(&mut next, t0, ms(250)), t0 + ms(250));
        assert_eq!(reserve_delivery_slot(&mut next, t0, ms(250)), t0 + ms(500));
        // One asking after the booked slots have passed starts at once.
        let later = t0 + ms(2_000);
        assert_eq!(reserve_delivery_slot(&mut next, later, ms(250)), later);
        assert_eq!(next, Some(later + ms(250)));
        // One asking in the middle of a gap waits for the booked slot.
        assert_eq!(
            reserve_delivery_slot(&mut next, later + ms(100), ms(250)),
            later + ms(250)
        );
    }
}
