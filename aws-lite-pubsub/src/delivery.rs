//! Delivery: endpoints, retries on the Clock, dead-letter queues and delivery status.
//!
//! # Endpoints
//!
//! | protocol | endpoint | receives |
//! |---|---|---|
//! | `sqs` | a queue ARN of the [`Sqs`](aws_lite_queue::Sqs) given to [`SnsBuilder::sqs`](crate::SnsBuilder::sqs) | the JSON envelope, or with `RawMessageDelivery` the message with its attributes as SQS message attributes |
//! | `lambda` | a function ARN, invoked through the [`FunctionEndpoint`] given to [`SnsBuilder::functions`](crate::SnsBuilder::functions) | the Lambda SNS event (`{"Records":[{"EventSource":"aws:sns",…}]}`) |
//! | `application` | the ARN of an in-process [`NotificationStream`] from [`Sns::create_stream_endpoint`] (**an aws-lite extension**: SNS's `application` protocol is for mobile push endpoints) | a [`Notification`] |
//! | `http`, `https` (feature `http`) | an `http://` or `https://` URL | a `POST` of the JSON envelope, or of the message with raw delivery; see [below](#http-and-https-endpoints) |
//!
//! FIFO topics deliver to `sqs` (FIFO or standard queues) and `application` endpoints; a FIFO
//! queue receives the message group id and the deduplication id.
//!
//! # Retries
//!
//! A delivery attempt ends delivered, with a *client error* (the queue or function does not
//! exist, a raw SQS delivery with more than 10 attributes, a dropped stream, an HTTP 4xx) or
//! with a *server error* (throttling, 5xx, an unreachable HTTP endpoint, an injected
//! [`SNS_DELIVERY_ERROR`]). Server errors are retried on the service's Clock, in background
//! tasks (`tokio::spawn`), with SNS's policy for the protocol
//! ([`PhasedBackoff`](aws_lite_core::PhasedBackoff), without jitter so schedules are exact):
//!
//! | protocol | immediate | pre-backoff | backoff | post-backoff |
//! |---|---|---|---|---|
//! | `sqs`, `lambda` (AWS-managed) | 3 | 2 × 1 s | 10, exponential 1 → 20 s | 100,000 × 20 s |
//! | `application` (customer-managed) | 0 | 2 × 10 s | 10, exponential 10 → 600 s | 38 × 600 s |
//! | `http`, `https` (defaults; the `DeliveryPolicy` sets each) | 0 | 0 | 3, linear 20 → 20 s | 0 |
//!
//! `lambda` and HTTP/S deliveries are asynchronous: even the first attempt runs in the
//! background. `sqs` and `application` deliveries are attempted once inside Publish, so a
//! healthy queue holds the message when Publish returns. As on AWS, only HTTP/S endpoints use
//! a `DeliveryPolicy`; other subscriptions store it.
//!
//! On a FIFO topic, a message being retried holds back the later messages of its group for
//! that subscription, so groups stay in order.
//!
//! # HTTP and HTTPS endpoints
//!
//! With the `http` feature, `http` and `https` subscriptions are delivered by a real HTTP/1.1
//! client (`hyper`). Every message is a `POST` to the endpoint URL with SNS's headers:
//! `x-amz-sns-message-type` (`SubscriptionConfirmation`, `Notification` or
//! `UnsubscribeConfirmation`), `x-amz-sns-message-id`, `x-amz-sns-topic-arn`,
//! `x-amz-sns-subscription-arn` (notifications and unsubscribe confirmations),
//! `x-amz-sns-rawdelivery: true` (raw deliveries), `Content-Type: text/plain; charset=UTF-8`
//! (or the policy's `headerContentType`) and `User-Agent: Amazon Simple Notification Service
//! Agent`.
//!
//! - **Confirmation.** Subscribe leaves the subscription `PendingConfirmation` and POSTs a
//!   `SubscriptionConfirmation` document (`Type`, `MessageId`, `Token`, `TopicArn`, `Message`,
//!   `SubscribeURL`, `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`) in the
//!   background, once. The endpoint confirms by calling
//!   [`ConfirmSubscription`](crate::operation::confirm_subscription) with the `Token` (the
//!   `SubscribeURL` names the real SNS and is not served). Unsubscribe POSTs an
//!   `UnsubscribeConfirmation`.
//! - **Outcomes.** A 2xx answer is a delivery. A 5xx or 429 answer, a failed connection or no
//!   answer within 15 seconds (on the Clock) is a server error, retried. Any other status
//!   (4xx, 3xx: redirects are not followed) is a client error: no retry, straight to the
//!   dead-letter queue if there is one. (SNS's guide says only that statuses outside 200–4xx
//!   are retried; aws-lite retries 429 as a throttle.)
//! - **Retries** follow the subscription's `healthyRetryPolicy` (`minDelayTarget`,
//!   `maxDelayTarget`, `numRetries`, `numNoDelayRetries`, `numMinDelayRetries`,
//!   `numMaxDelayRetries`, `backoffFunction`), else the topic's
//!   `{"http":{"defaultHealthyRetryPolicy":…}}` (which wins when the topic sets
//!   `disableSubscriptionOverrides`), else SNS's default, each missing field taking SNS's
//!   default. Subscribe, SetSubscriptionAttributes, CreateTopic and SetTopicAttributes check
//!   a policy against SNS's bounds (`minDelayTarget` 1 to `maxDelayTarget`, `maxDelayTarget`
//!   up to 3,600, `numRetries` 0 to 100 and at least the three phase counts together, the
//!   counts 0 or more, one of the four backoff functions, `maxReceivesPerSecond` 1 or more,
//!   and at most 3,600 seconds of retry delays in all) and reject it with `InvalidParameter`.
//! - **Throttling.** A `throttlePolicy.maxReceivesPerSecond` (or the topic's
//!   `http.defaultThrottlePolicy`) paces the subscription's delivery attempts, first attempts
//!   and retries alike: they start `1/maxReceivesPerSecond` seconds apart on the Clock, in the
//!   order they become due. Nothing is dropped; a burst of publishes is delivered over time.
//!   (SNS describes the limit as an average and allows spikes above it; aws-lite paces
//!   strictly, so a test sees a deterministic schedule.)
//! - **Time.** The client keeps no idle connections and sets no timers of its own; the
//!   15-second answer timeout and the retry delays run on the service's Clock. Under paused
//!   Tokio time, auto-advance may move the clock while a request waits on a real socket (and
//!   fire that timeout); give the service a `ManualClock`, or run unpaused, when delivering to
//!   real endpoints.
//! - **HTTPS.** `https` endpoints are reached over TLS 1.2 or 1.3 by `rustls` (the `ring`
//!   provider; the crate re-exports it as `aws_lite_pubsub::rustls`), HTTP/1.1 without ALPN.
//!   The client trusts Mozilla's root certificates as compiled into `webpki-roots` (the
//!   platform's store is not read, so a bare CI machine behaves like a developer's), unless the
//!   builder says otherwise: `SnsBuilder::https_root_certificates` trusts only the given DER
//!   certificates (a test endpoint's self-signed certificate, a private CA), and
//!   `SnsBuilder::https_client_config` takes a whole `rustls::ClientConfig` (its ALPN list is
//!   replaced). Certificate validity is checked at the service Clock's wall time (a caller's
//!   `ClientConfig` keeps its own time provider). A refused handshake — an untrusted, expired
//!   or misnamed certificate — is a failed connection: a server error, retried under the
//!   policy, then counted failed (or sent to the dead-letter queue); for the confirmation,
//!   which is sent once, the subscription stays `PendingConfirmation`. A root certificate that
//!   is not a usable trust anchor makes every HTTPS attempt fail, as a server error, before
//!   connecting.
//!
//! # Dead-letter queues
//!
//! With a `RedrivePolicy` (`{"deadLetterTargetArn": "<queue arn>"}`), a message that fails with
//! a client error goes to the queue at once; one that fails with server errors goes there once
//! the retries are exhausted. The queue receives what the endpoint would have (the envelope, or
//! the raw message and its attributes when raw delivery is on), with the FIFO ids. Without a
//! dead-letter queue the message is dropped.
//!
//! # Delivery status
//!
//! Each topic counts `NumberOfMessagesPublished`, `NumberOfNotificationsDelivered`,
//! `NumberOfNotificationsFailed`, `NumberOfNotificationsFilteredOut` and the redrive counters
//! ([`Topic::metrics`](crate::Topic::metrics)), and each attempt emits a `tracing` event
//! (target `aws_lite_pubsub::delivery`) with the topic, subscription, message id, attempt
//! number and outcome.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use async_trait::async_trait;
use aws_lite_core::fault::FaultPoint;
use aws_lite_core::{Clock, Error};
use tokio::sync::mpsc;

use crate::delivery_policy::{HttpDeliveryPolicy, http_delivery_policy};
use crate::message::{MessageAttributes, ObjectWriter, Published};
use crate::service::{Sns, SnsInner};
use crate::subscription::{Protocol, SubscriptionShared, reserve_delivery_slot};
use crate::topic::TopicCounters;

/// Fault point: a delivery attempt fails (target: the subscription ARN). The rule's error
/// decides the kind: a 5xx or retryable error is a server error (retried), any other a client
/// error; without an error, a server error.
pub const SNS_DELIVERY_ERROR: FaultPoint = FaultPoint::new("sns.delivery.error");

/// Why a delivery attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryError {
    /// The endpoint rejected the message for good (it does not exist, refuses access, the
    /// message is malformed for it): not retried; the message goes to the dead-letter queue.
    Client(String),
    /// The endpoint failed (throttling, an internal error): retried by the protocol's policy.
    Server(String),
}

impl DeliveryError {
    /// The reason given.
    pub fn reason(&self) -> &str {
        match self {
            DeliveryError::Client(r) | DeliveryError::Server(r) => r,
        }
    }

    /// Classifies an aws-lite error: 5xx and retryable errors are server errors.
    pub fn from_error(e: &Error) -> DeliveryError {
        if e.status() >= 500 || e.is_retryable() {
            DeliveryError::Server(e.to_string())
        } else {
            DeliveryError::Client(e.to_string())
        }
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryError::Client(r) => write!(f, "client error: {r}"),
            DeliveryError::Server(r) => write!(f, "server error: {r}"),
        }
    }
}

impl std::error::Error for DeliveryError {}

/// What `lambda` subscriptions invoke: implemented by aws-lite-fn (and by tests).
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use aws_lite_pubsub::{DeliveryError, FunctionEndpoint};
///
/// #[derive(Debug, Default)]
/// struct Recorder(Mutex<Vec<String>>);
///
/// #[async_trait::async_trait]
/// impl FunctionEndpoint for Recorder {
///     async fn invoke(&self, function_arn: &str, event: String) -> Result<(), DeliveryError> {
///         self.0.lock().unwrap().push(format!("{function_arn} {event}"));
///         Ok(())
///     }
/// }
/// let endpoint: Arc<dyn FunctionEndpoint> = Arc::new(Recorder::default());
/// # let _ = endpoint;
/// ```
#[async_trait]
pub trait FunctionEndpoint: Send + Sync + 'static {
    /// Invokes `function_arn` asynchronously with `event` (the Lambda SNS event, JSON).
    ///
    /// # Errors
    ///
    /// [`DeliveryError::Client`] for a function that does not exist or refuses SNS;
    /// [`DeliveryError::Server`] for throttling and service errors (retried).
    async fn invoke(&self, function_arn: &str, event: String) -> Result<(), DeliveryError>;
}

/// A message delivered to an in-process stream endpoint.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Notification {
    /// The message id.
    pub message_id: String,
    /// The topic.
    pub topic_arn: String,
    /// The subscription it was delivered through.
    pub subscription_arn: String,
    /// The subject, if any.
    pub subject: Option<String>,
    /// The message (for `MessageStructure=json`, its `application` entry or `default`).
    pub message: String,
    /// The publish time, ISO-8601.
    pub timestamp: String,
    /// The message attributes (none for `MessageStructure=json`).
    pub message_attributes: MessageAttributes,
    /// FIFO topics: the sequence number.
    pub sequence_number: Option<String>,
    /// FIFO topics: the message group.
    pub message_group_id: Option<String>,
    /// What an endpoint receives: the JSON envelope, or the message with raw delivery.
    pub body: String,
}

/// The receiving end of an in-process stream endpoint (an aws-lite extension): subscribe its
/// [`endpoint_arn`](Self::endpoint_arn) with protocol `application`, then read
/// [`Notification`]s with [`recv`](Self::recv) or as a `Stream`.
///
/// Dropping it disables the endpoint: later deliveries fail with a client error.
///
/// ```
/// use aws_lite_pubsub::Sns;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), aws_lite_core::Error> {
/// let sns = Sns::new();
/// let topic = sns.create_topic().name("events").send().await?.topic();
/// let mut stream = sns.create_stream_endpoint();
/// topic.subscribe().protocol("application").endpoint(stream.endpoint_arn()).send().await?;
/// topic.publish().message("hi").subject("greeting").send().await?;
/// let n = stream.recv().await.unwrap();
/// assert_eq!((n.message.as_str(), n.subject.as_deref()), ("hi", Some("greeting")));
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct NotificationStream {
    endpoint_arn: String,
    rx: mpsc::UnboundedReceiver<Notification>,
}

impl NotificationStream {
    /// The endpoint's ARN, to subscribe with protocol `application`.
    pub fn endpoint_arn(&self) -> &str {
        &self.endpoint_arn
    }

    /// The next notification (waits for one); `None` once the service is gone.
    pub async fn recv(&mut self) -> Option<Notification> {
        self.rx.recv().await
    }

    /// The next notification if one is waiting.
    pub fn try_recv(&mut self) -> Option<Notification> {
        self.rx.try_recv().ok()
    }
}

impl futures_core::Stream for NotificationStream {
    type Item = Notification;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Notification>> {
        self.rx.poll_recv(cx)
    }
}

impl Sns {
    /// Creates an in-process stream endpoint (an aws-lite extension); see
    /// [`NotificationStream`].
    pub fn create_stream_endpoint(&self) -> NotificationStream {
        let svc = &self.inner;
        let endpoint_arn = format!(
            "arn:{}:sns:{}:{}:endpoint/AWSLITE/stream/{}",
            svc.region.partition(),
            svc.region.as_str(),
            svc.account.as_str(),
            svc.rand.uuid()
        );
        let (tx, rx) = mpsc::unbounded_channel();
        svc.streams.lock().insert(endpoint_arn.clone(), tx);
        NotificationStream { endpoint_arn, rx }
    }
}

fn no_attributes() -> &'static MessageAttributes {
    static EMPTY: MessageAttributes = MessageAttributes::new();
    &EMPTY
}

/// Sends a body with attributes and the FIFO ids to the queue with ARN `arn`.
async fn send_to_queue(
    svc: &SnsInner,
    arn: &str,
    body: String,
    attributes: &MessageAttributes,
    msg: &Published,
) -> Result<(), Error> {
    let Some(sqs) = &svc.sqs else {
        return Err(Error::not_found(
            "AWS.SimpleQueueService.NonExistentQueue",
            "no SQS is attached to this SNS",
        ));
    };
    let queue = sqs.queue_by_arn(arn)?;
    let mut b = queue
        .send_message()
        .message_body(body)
        .set_message_attributes((!attributes.is_empty()).then(|| attributes.clone()));
    if queue.is_fifo() {
        b = b
            .set_message_group_id(msg.group_id.clone())
            .set_message_deduplication_id(msg.dedup_id.clone());
    } else if !msg.fifo {
        b = b.set_message_group_id(msg.group_id.clone());
    }
    b.send().await.map(|_| ())
}

/// One delivery attempt.
async fn attempt(
    svc: &SnsInner,
    sub: &SubscriptionShared,
    msg: &Published,
) -> Result<(), DeliveryError> {
    if let Some(f) = svc.faults.check(SNS_DELIVERY_ERROR, &sub.arn) {
        let e = f.into_error_or_else(|| Error::internal("injected delivery failure"));
        return Err(DeliveryError::from_error(&e));
    }
    let raw = sub.state.lock().raw;
    match sub.protocol {
        Protocol::Sqs => {
            let (body, attrs) = if raw {
                (
                    msg.message_for("sqs").to_string(),
                    msg.delivered_attributes(),
                )
            } else {
                (msg.envelope("sqs", &sub.arn), no_attributes())
            };
            if attrs.len() > svc.limits.max_raw_sqs_attributes {
                return Err(DeliveryError::Client(format!(
                    "raw delivery of {} message attributes to an SQS queue (at most {})",
                    attrs.len(),
                    svc.limits.max_raw_sqs_attributes
                )));
            }
            send_to_queue(svc, &sub.endpoint, body, attrs, msg)
                .await
                .map_err(|e| DeliveryError::from_error(&e))
        }
        Protocol::Lambda => match &svc.functions {
            Some(f) => f.invoke(&sub.endpoint, msg.lambda_event(&sub.arn)).await,
            None => Err(DeliveryError::Client(
                "no function endpoint is attached to this SNS".into(),
            )),
        },
        Protocol::Application => {
            let tx = svc.streams.lock().get(&sub.endpoint).cloned();
            let Some(tx) = tx else {
                return Err(DeliveryError::Client("Endpoint is disabled".into()));
            };
            let message = msg.message_for("application").to_string();
            let body = if raw {
                message.clone()
            } else {
                msg.envelope("application", &sub.arn)
            };
            let n = Notification {
                message_id: msg.message_id.clone(),
                topic_arn: msg.topic_arn.to_string(),
                subscription_arn: sub.arn.clone(),
                subject: msg.subject.clone(),
                message,
                timestamp: msg.timestamp.clone(),
                message_attributes: msg.delivered_attributes().clone(),
                sequence_number: msg.sequence_number.clone(),
                message_group_id: msg.group_id.clone(),
                body,
            };
            tx.send(n).map_err(|_| {
                svc.streams.lock().remove(&sub.endpoint);
                DeliveryError::Client("Endpoint is disabled".into())
            })
        }
        Protocol::Http | Protocol::Https => http_attempt(svc, sub, msg, raw).await,
    }
}

/// The effective HTTP/S delivery policy of `sub` (its topic's and its own `DeliveryPolicy`).
fn http_policy(svc: &SnsInner, sub: &SubscriptionShared) -> HttpDeliveryPolicy {
    let topic_policy = svc
        .lookup_topic(&sub.topic_arn)
        .ok()
        .and_then(|t| t.read().config.raw.get("DeliveryPolicy").cloned());
    let own = sub.state.lock().delivery_policy.clone();
    http_delivery_policy(topic_policy.as_deref(), own.as_deref())
}

/// One POST of a notification to an HTTP/S endpoint.
#[cfg(feature = "http")]
async fn http_attempt(
    svc: &SnsInner,
    sub: &SubscriptionShared,
    msg: &Published,
    raw: bool,
) -> Result<(), DeliveryError> {
    let protocol = sub.protocol.as_str();
    let body = if raw {
        msg.message_for(protocol).to_string()
    } else {
        msg.envelope(protocol, &sub.arn)
    };
    let policy = http_policy(svc, sub);
    crate::http::post(
        svc,
        crate::http::HttpMessage {
            url: &sub.endpoint,
            message_type: "Notification",
            message_id: &msg.message_id,
            topic_arn: &sub.topic_arn,
            subscription_arn: Some(&sub.arn),
            content_type: &policy.content_type,
            raw,
            body,
        },
    )
    .await
}

/// Without the `http` feature no HTTP/S subscription can exist; should one, it is a client
/// error.
#[cfg(not(feature = "http"))]
async fn http_attempt(
    _svc: &SnsInner,
    _sub: &SubscriptionShared,
    _msg: &Published,
    _raw: bool,
) -> Result<(), DeliveryError> {
    Err(DeliveryError::Client(
        "HTTP/S delivery needs the `http` feature".into(),
    ))
}

/// One attempt with its tracing event.
async fn traced_attempt(
    svc: &SnsInner,
    sub: &SubscriptionShared,
    msg: &Published,
    number: u32,
) -> Result<(), DeliveryError> {
    let result = attempt(svc, sub, msg).await;
    let outcome = match &result {
        Ok(()) => "delivered",
        Err(DeliveryError::Client(_)) => "client_error",
        Err(DeliveryError::Server(_)) => "server_error",
    };
    tracing::debug!(
        target: "aws_lite_pubsub::delivery",
        topic = %sub.topic_arn,
        subscription = %sub.arn,
        protocol = sub.protocol.as_str(),
        message_id = %msg.message_id,
        attempt = number,
        outcome,
        error = result.as_ref().err().map(|e| e.reason().to_string()),
        "sns delivery attempt"
    );
    result
}

/// Gives up on a message: counts the failure and sends it to the dead-letter queue, if any.
async fn give_up(svc: &SnsInner, sub: &SubscriptionShared, msg: &Published) {
    TopicCounters::add(&sub.counters.failed, 1);
    let (dlq, raw) = {
        let st = sub.state.lock();
        (st.redrive.as_ref().map(|(_, arn)| arn.clone()), st.raw)
    };
    let Some(dlq) = dlq else { return };
    let protocol = sub.protocol.as_str();
    let (body, attrs) = if raw {
        let attrs = msg.delivered_attributes();
        let attrs = if attrs.len() > svc.limits.max_raw_sqs_attributes {
            no_attributes()
        } else {
            attrs
        };
        (msg.message_for(protocol).to_string(), attrs)
    } else {
        (msg.envelope(protocol, &sub.arn), no_attributes())
    };
    match send_to_queue(svc, &dlq, body, attrs, msg).await {
        Ok(()) => TopicCounters::add(&sub.counters.redriven, 1),
        Err(e) => {
            tracing::debug!(
                target: "aws_lite_pubsub::delivery",
                subscription = %sub.arn,
                dead_letter_queue = %dlq,
                error = %e,
                "sns redrive to the dead-letter queue failed"
            );
            TopicCounters::add(&sub.counters.redrive_failed, 1);
        }
    }
}

/// Delivers one published message to one subscription: the first attempt inline (`sqs`,
/// `application`) or in the background (`lambda`), retries in the background.
pub(crate) async fn deliver(
    svc: &Arc<SnsInner>,
    sub: &Arc<SubscriptionShared>,
    msg: &Arc<Published>,
) {
    let group = if msg.fifo { msg.group_id.clone() } else { None };
    if let Some(g) = &group {
        let mut backlog = sub.backlog.lock();
        if let Some(waiting) = backlog.get_mut(g) {
            waiting.push_back(msg.clone());
            return;
        }
    }
    if sub.protocol == Protocol::Lambda || sub.protocol.is_http() {
        if let Some(g) = &group {
            sub.backlog.lock().insert(g.clone(), Default::default());
        }
        spawn_retries(svc.clone(), sub.clone(), msg.clone(), 0);
        return;
    }
    match traced_attempt(svc, sub, msg, 0).await {
        Ok(()) => TopicCounters::add(&sub.counters.delivered, 1),
        Err(DeliveryError::Client(_)) => give_up(svc, sub, msg).await,
        Err(DeliveryError::Server(_)) => {
            if let Some(g) = &group {
                sub.backlog.lock().insert(g.clone(), Default::default());
            }
            spawn_retries(svc.clone(), sub.clone(), msg.clone(), 1);
        }
    }
}

fn spawn_retries(
    svc: Arc<SnsInner>,
    sub: Arc<SubscriptionShared>,
    msg: Arc<Published>,
    first: u32,
) {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => {
            handle.spawn(retry_loop(svc, sub, msg, first));
        }
        Err(_) => {
            // No runtime to retry on: the message cannot be retried.
            TopicCounters::add(&sub.counters.failed, 1);
        }
    }
}

/// Waits for the subscription's next delivery slot under a `maxReceivesPerSecond` of `rate`:
/// attempts start `1/rate` seconds apart on the Clock, in the order they ask (none is dropped).
async fn pace(svc: &SnsInner, sub: &SubscriptionShared, rate: u32) {
    let interval = Duration::from_secs(1) / rate.max(1);
    let now = svc.clock.now();
    let slot = reserve_delivery_slot(&mut sub.next_delivery_slot.lock(), now, interval);
    if slot > now {
        svc.clock.sleep_until(slot).await;
    }
}

/// Retries `msg` from retry `next` (0: an immediate first attempt), then, on FIFO topics, the
/// messages of its group that queued up behind it.
async fn retry_loop(
    svc: Arc<SnsInner>,
    sub: Arc<SubscriptionShared>,
    mut msg: Arc<Published>,
    mut next: u32,
) {
    let (policy, rate) = if sub.protocol.is_http() {
        let p = http_policy(&svc, &sub);
        (p.retry, p.max_receives_per_second)
    } else {
        (sub.protocol.retry_policy(), None)
    };
    loop {
        loop {
            if next > 0 {
                let Some(delay) = policy.delay(next, &svc.rand) else {
                    give_up(&svc, &sub, &msg).await;
                    break;
                };
                svc.clock.sleep(delay).await;
            }
            if let Some(rate) = rate {
                pace(&svc, &sub, rate).await;
            }
            if sub.is_deleted() {
                return;
            }
            match traced_attempt(&svc, &sub, &msg, next).await {
                Ok(()) => {
                    TopicCounters::add(&sub.counters.delivered, 1);
                    break;
                }
                Err(DeliveryError::Client(_)) => {
                    give_up(&svc, &sub, &msg).await;
                    break;
                }
                Err(DeliveryError::Server(_)) => next = next.saturating_add(1),
            }
        }
        let Some(group) = msg.fifo.then(|| msg.group_id.clone()).flatten() else {
            return;
        };
        let following = {
            let mut backlog = sub.backlog.lock();
            match backlog.get_mut(&group).and_then(|q| q.pop_front()) {
                Some(m) => Some(m),
                None => {
                    backlog.remove(&group);
                    None
                }
            }
        };
        match following {
            Some(m) => {
                msg = m;
                next = 0;
            }
            None => return,
        }
    }
}

/// The `SubscriptionConfirmation` or `UnsubscribeConfirmation` JSON document for `sub`, and its
/// message id.
fn confirmation_body(
    svc: &SnsInner,
    sub: &SubscriptionShared,
    token: &str,
    unsubscribe: bool,
) -> (String, String) {
    let now = svc.clock.now();
    let timestamp = crate::message::iso8601(svc.clock.epoch_millis(now));
    let region = svc.region.as_str();
    let message_id = svc.rand.uuid().to_string();
    let mut w = ObjectWriter::new();
    w.string(
        "Type",
        if unsubscribe {
            "UnsubscribeConfirmation"
        } else {
            "SubscriptionConfirmation"
        },
    );
    w.string("MessageId", &message_id);
    w.string("Token", token);
    w.string("TopicArn", &sub.topic_arn);
    let message = if unsubscribe {
        format!(
            "You have chosen to deactivate subscription {}.\nTo cancel this operation and \
             restore the subscription, visit the SubscribeURL included in this message.",
            sub.arn
        )
    } else {
        format!(
            "You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit \
             the SubscribeURL included in this message.",
            sub.topic_arn
        )
    };
    w.string("Message", &message);
    w.string(
        "SubscribeURL",
        &format!(
            "https://sns.{region}.amazonaws.com/?Action=ConfirmSubscription&TopicArn={}&Token={token}",
            sub.topic_arn
        ),
    );
    w.string("Timestamp", &timestamp);
    w.string("SignatureVersion", "1");
    w.string("Signature", "");
    w.string(
        "SigningCertURL",
        &format!("https://sns.{region}.amazonaws.com/SimpleNotificationService-aws-lite.pem"),
    );
    (w.finish(), message_id)
}

/// Sends the `SubscriptionConfirmation` message of a subscription awaiting confirmation: to
/// its queue (cross-account `sqs` subscriptions), or POSTed in the background to its HTTP/S
/// endpoint (once, not retried).
pub(crate) async fn send_confirmation(
    svc: &Arc<SnsInner>,
    sub: &Arc<SubscriptionShared>,
    token: &str,
) {
    if sub.protocol.is_http() {
        spawn_http_confirmation(svc, sub, token, false);
        return;
    }
    if sub.protocol != Protocol::Sqs {
        return;
    }
    let (body, _) = confirmation_body(svc, sub, token, false);
    let Some(sqs) = &svc.sqs else { return };
    if let Ok(q) = sqs.queue_by_arn(&sub.endpoint) {
        let mut b = q.send_message().message_body(body);
        if q.is_fifo() {
            b = b
                .message_group_id("SubscriptionConfirmation")
                .message_deduplication_id(token.chars().take(128).collect::<String>());
        }
        if let Err(e) = b.send().await {
            tracing::debug!(subscription = %sub.arn, error = %e, "confirmation not delivered");
        }
    }
}

/// POSTs an `UnsubscribeConfirmation` to an HTTP/S subscription's endpoint, in the background
/// (once, not retried; nothing for other protocols).
pub(crate) fn send_unsubscribe_confirmation(svc: &Arc<SnsInner>, sub: &Arc<SubscriptionShared>) {
    if !sub.protocol.is_http() {
        return;
    }
    let token = format!(
        "{:016x}{:016x}{:016x}{:016x}",
        svc.rand.next_u64(),
        svc.rand.next_u64(),
        svc.rand.next_u64(),
        svc.rand.next_u64()
    );
    spawn_http_confirmation(svc, sub, &token, true);
}

#[cfg(feature = "http")]
fn spawn_http_confirmation(
    svc: &Arc<SnsInner>,
    sub: &Arc<SubscriptionShared>,
    token: &str,
    unsubscribe: bool,
) {
    let (body, message_id) = confirmation_body(svc, sub, token, unsubscribe);
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        tracing::debug!(subscription = %sub.arn, "no runtime: confirmation not sent");
        return;
    };
    let (svc, sub) = (svc.clone(), sub.clone());
    handle.spawn(async move {
        let message_type = if unsubscribe {
            "UnsubscribeConfirmation"
        } else {
            "SubscriptionConfirmation"
        };
        let result = crate::http::post(
            &svc,
            crate::http::HttpMessage {
                url: &sub.endpoint,
                message_type,
                message_id: &message_id,
                topic_arn: &sub.topic_arn,
                subscription_arn: unsubscribe.then_some(sub.arn.as_str()),
                content_type: crate::delivery_policy::DEFAULT_HTTP_CONTENT_TYPE,
                raw: false,
                body,
            },
        )
        .await;
        tracing::debug!(
            target: "aws_lite_pubsub::delivery",
            subscription = %sub.arn,
            message_type,
            error = result.as_ref().err().map(|e| e.reason().to_string()),
            "sns confirmation sent"
        );
    });
}

#[cfg(not(feature = "http"))]
fn spawn_http_confirmation(
    _svc: &Arc<SnsInner>,
    _sub: &Arc<SubscriptionShared>,
    _token: &str,
    _unsubscribe: bool,
) {
}
