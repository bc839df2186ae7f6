//! Subscribe: subscribes an endpoint to a topic.
//!
//! # Semantics
//!
//! - Protocols: `sqs` (endpoint: a queue ARN), `lambda` (a function ARN), `application`
//!   (here: an in-process stream endpoint, an aws-lite extension; see
//!   [`NotificationStream`](crate::NotificationStream)) and, with the `http` feature, `http`
//!   and `https` (an `http://` or `https://` URL; see
//!   [`delivery`](crate::delivery#http-and-https-endpoints)). FIFO topics take `sqs` and
//!   `application`; a FIFO queue cannot subscribe to a standard topic. Other SNS protocols are
//!   `InvalidParameter`; an endpoint URL whose scheme is not the protocol is
//!   `Invalid parameter: Endpoint must match the specified protocol`.
//! - Attributes (`FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`, `RedrivePolicy`,
//!   `DeliveryPolicy`, `SubscriptionRoleArn`, `ReplayPolicy`) are validated first; a filter
//!   policy is rejected with AWS's message prefixed `Invalid parameter: Attributes Reason:
//!   FilterPolicy: `, a `DeliveryPolicy` out of SNS's bounds with `Invalid parameter:
//!   Attributes Reason: DeliveryPolicy: <reason>` (see
//!   [`delivery`](crate::delivery#http-and-https-endpoints)), and nothing is created.
//! - Subscribing an endpoint again returns the existing subscription, unless the attributes
//!   given differ from its own (`Subscription already exists with different attributes`).
//! - Confirmation: a subscription is confirmed at once when the caller owns the endpoint (the
//!   queue's or function's account is the caller's; stream endpoints always; HTTP/S endpoints
//!   never). Otherwise it is `PendingConfirmation`: a `SubscriptionConfirmation` message with a
//!   `Token` goes to the queue (or is POSTed to the HTTP/S endpoint), [`ConfirmSubscription`](crate::operation::confirm_subscription) confirms it, and
//!   the answer is `pending confirmation` unless `ReturnSubscriptionArn` is true.
//! - A caller from another account needs the topic policy's `SNS:Subscribe`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use aws_lite_core::Error;
use aws_lite_core::id::AccountId;
use aws_lite_core::sync::Mutex;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::filter::PolicyOperation;
use crate::operation::resolve_topic;
use crate::service::Sns;
use crate::subscription::{Protocol, SubState, SubscriptionShared, apply_attributes};
use crate::topic::{Topic, TopicShared};

/// The input of Subscribe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SubscribeInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// `sqs`, `lambda`, `application`, or with the `http` feature `http` and `https`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// The endpoint: a queue ARN, a function ARN, a stream endpoint ARN or a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Subscription attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<HashMap<String, String>>,
    /// Return the ARN even while the subscription awaits confirmation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_subscription_arn: Option<bool>,
}

/// The output of Subscribe.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscribeOutput {
    subscription_arn: String,
}

impl SubscribeOutput {
    /// The subscription's ARN, or `pending confirmation`.
    pub fn subscription_arn(&self) -> &str {
        &self.subscription_arn
    }
}

/// Builds and sends a Subscribe request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SubscribeFluentBuilder {
    sns: Sns,
    topic: Option<Arc<TopicShared>>,
    input: SubscribeInput,
}

impl SubscribeFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The protocol: `sqs`, `lambda`, `application`, `http` or `https`.
        protocol / set_protocol: String,
        /// The endpoint.
        endpoint / set_endpoint: String,
        /// Return the ARN even while the subscription awaits confirmation.
        return_subscription_arn / set_return_subscription_arn: bool,
    }

    /// Sets one attribute (`FilterPolicy`, `RawMessageDelivery`, …).
    pub fn attributes(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.input
            .attributes
            .get_or_insert_with(HashMap::new)
            .insert(name.into(), value.into());
        self
    }

    /// Sets or clears all attributes.
    pub fn set_attributes(mut self, attributes: Option<HashMap<String, String>>) -> Self {
        self.input.attributes = attributes;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &SubscribeInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SubscribeOutput, Error> {
        let topic = resolve_topic(&self.sns, &self.topic, self.input.topic_arn.as_deref())?;
        subscribe(&self.sns, &topic, self.input).await
    }
}

impl Sns {
    /// Subscribe.
    pub fn subscribe(&self) -> SubscribeFluentBuilder {
        SubscribeFluentBuilder {
            sns: self.clone(),
            topic: None,
            input: SubscribeInput::default(),
        }
    }
}

impl Topic {
    /// Subscribe to this topic.
    pub fn subscribe(&self) -> SubscribeFluentBuilder {
        SubscribeFluentBuilder {
            sns: self.sns.clone(),
            topic: Some(self.shared.clone()),
            input: SubscribeInput {
                topic_arn: Some(self.shared.arn.clone()),
                ..SubscribeInput::default()
            },
        }
    }
}

const SNS_PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "email",
    "email-json",
    "sms",
    "sqs",
    "application",
    "lambda",
    "firehose",
];

/// The account of an ARN endpoint (its fifth part).
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4)
}

fn arn_of(endpoint: &str, service: &str) -> bool {
    let parts: Vec<&str> = endpoint.split(':').collect();
    parts.len() >= 6
        && parts[0] == "arn"
        && parts[2] == service
        && AccountId::is_valid(parts[4])
        && !parts[5].is_empty()
}

pub(crate) async fn subscribe(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: SubscribeInput,
) -> Result<SubscribeOutput, Error> {
    use tracing::Instrument as _;
    let span = tracing::debug_span!("sns.Subscribe", topic = %topic.arn);
    subscribe_inner(sns, topic, input).instrument(span).await
}

async fn subscribe_inner(
    sns: &Sns,
    topic: &Arc<TopicShared>,
    input: SubscribeInput,
) -> Result<SubscribeOutput, Error> {
    let svc = &sns.inner;
    let protocol_text = input.protocol.unwrap_or_default();
    let endpoint = input.endpoint.unwrap_or_default();
    topic.authorize(sns, "Subscribe")?;
    let protocol = match protocol_text.as_str() {
        "sqs" => Protocol::Sqs,
        "lambda" => Protocol::Lambda,
        "application" => Protocol::Application,
        #[cfg(feature = "http")]
        "http" => Protocol::Http,
        #[cfg(feature = "http")]
        "https" => Protocol::Https,
        p if SNS_PROTOCOLS.contains(&p) => {
            return Err(error::invalid_parameter(format!(
                "Invalid parameter: Protocol {p} is not supported by aws-lite yet"
            )));
        }
        p => {
            return Err(error::invalid_parameter(format!(
                "Invalid parameter: Amazon SNS does not support this protocol string: {p}"
            )));
        }
    };
    if endpoint.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: Endpoint Reason: no value for required parameter",
        ));
    }
    match protocol {
        Protocol::Sqs if !arn_of(&endpoint, "sqs") => {
            return Err(error::invalid_parameter(
                "Invalid parameter: SQS endpoint ARN",
            ));
        }
        Protocol::Lambda if !arn_of(&endpoint, "lambda") => {
            return Err(error::invalid_parameter(
                "Invalid parameter: Lambda endpoint ARN",
            ));
        }
        Protocol::Application if !svc.streams.lock().contains_key(&endpoint) => {
            return Err(error::not_found("Endpoint does not exist"));
        }
        Protocol::Http | Protocol::Https
            if !endpoint
                .get(..protocol.as_str().len() + 3)
                .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{}://", protocol.as_str()))) =>
        {
            return Err(error::invalid_parameter(
                "Invalid parameter: Endpoint must match the specified protocol",
            ));
        }
        _ => {}
    }
    if protocol == Protocol::Sqs && endpoint.ends_with(".fifo") && !topic.fifo {
        return Err(error::invalid_parameter(
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be \
             subscribed to standard SNS topics",
        ));
    }
    if (protocol == Protocol::Lambda || protocol.is_http()) && topic.fifo {
        return Err(error::invalid_parameter(format!(
            "Invalid parameter: Invalid protocol type: {}",
            protocol.as_str()
        )));
    }
    let attrs: Vec<(String, String)> = input
        .attributes
        .unwrap_or_default()
        .into_iter()
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let (state, policy) = apply_attributes(
        &SubState::default(),
        &attrs,
        PolicyOperation::Subscribe,
        protocol,
        topic.fifo,
    )?;
    // An endpoint subscribes once.
    {
        let st = topic.read();
        if let Some(existing) = st
            .subs
            .values()
            .find(|s| s.endpoint == endpoint && s.protocol == protocol)
        {
            let mine = crate::subscription::attributes_of(existing);
            let given: HashSet<&str> = attrs.iter().map(|(k, _)| k.as_str()).collect();
            let new = {
                let tmp = SubscriptionShared {
                    state: Mutex::new(state.clone()),
                    ..shell(existing)
                };
                crate::subscription::attributes_of(&tmp)
            };
            if given.iter().any(|k| mine.get(*k) != new.get(*k)) {
                return Err(error::invalid_parameter(
                    "Invalid parameter: Attributes Reason: Subscription already exists with \
                     different attributes",
                ));
            }
            let pending = existing.state.lock().pending;
            let arn = if pending && !input.return_subscription_arn.unwrap_or(false) {
                "pending confirmation".to_string()
            } else {
                existing.arn.clone()
            };
            return Ok(SubscribeOutput {
                subscription_arn: arn,
            });
        }
    }
    let endpoint_owner = match protocol {
        Protocol::Application => Some(sns.caller.as_str()),
        // An HTTP/S endpoint always confirms with the token SNS POSTs to it.
        Protocol::Http | Protocol::Https => None,
        _ => arn_account(&endpoint),
    };
    let pending = endpoint_owner != Some(sns.caller.as_str());
    let arn = format!("{}:{}", topic.arn, svc.rand.uuid());
    let mut state = state;
    state.pending = pending;
    state.authenticated = !pending;
    let sub = Arc::new(SubscriptionShared {
        id: svc.next_id(),
        arn: arn.clone(),
        topic_arn: Arc::from(topic.arn.as_str()),
        topic_fifo: topic.fifo,
        protocol,
        endpoint,
        owner: sns.caller,
        state: Mutex::new(state),
        counters: topic.counters.clone(),
        deleted: AtomicBool::new(false),
        has_filter: AtomicBool::new(policy.is_some()),
        backlog: Mutex::new(HashMap::new()),
        next_delivery_slot: Mutex::new(None),
    });
    {
        let mut st = topic.write();
        topic.check_live()?;
        if let Some(p) = policy {
            st.filter.insert(sub.id, p)?;
        }
        st.subs.insert(sub.id, sub.clone());
    }
    svc.subscriptions
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .insert(arn.clone(), sub.clone());
    if pending {
        let token = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            svc.rand.next_u64(),
            svc.rand.next_u64(),
            svc.rand.next_u64(),
            svc.rand.next_u64()
        );
        let now = aws_lite_core::Clock::now(&svc.clock);
        svc.tokens.lock().insert(token.clone(), (arn.clone(), now));
        crate::delivery::send_confirmation(svc, &sub, &token).await;
        if !input.return_subscription_arn.unwrap_or(false) {
            return Ok(SubscribeOutput {
                subscription_arn: "pending confirmation".into(),
            });
        }
    }
    Ok(SubscribeOutput {
        subscription_arn: arn,
    })
}

/// A detached copy of a subscription's identity (for comparing attributes).
fn shell(s: &SubscriptionShared) -> SubscriptionShared {
    SubscriptionShared {
        id: s.id,
        arn: s.arn.clone(),
        topic_arn: s.topic_arn.clone(),
        topic_fifo: s.topic_fifo,
        protocol: s.protocol,
        endpoint: s.endpoint.clone(),
        owner: s.owner,
        state: Mutex::new(SubState::default()),
        counters: s.counters.clone(),
        deleted: AtomicBool::new(false),
        has_filter: AtomicBool::new(false),
        backlog: Mutex::new(HashMap::new()),
        next_delivery_slot: Mutex::new(None),
    }
}
