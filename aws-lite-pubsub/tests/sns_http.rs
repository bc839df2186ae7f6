//! HTTP endpoints (feature `http`) against a local axum server: the confirmation handshake, the
//! exact envelope and headers, raw delivery, retries under the DeliveryPolicy on the Clock,
//! dead-letter queues and the unsubscribe confirmation.
//!
//! The SNS runs on a `ManualClock` advanced by hand while the test runtime runs in real time:
//! sockets make progress on their own, and no virtual-time jump can race them.
#![cfg(feature = "http")]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::time::ManualClock;
use aws_lite_core::{Clock, Instant, Rand, SharedClock};
use aws_lite_pubsub::{MessageAttributeValue, Sns, Topic};
use aws_lite_queue::{Queue, Sqs};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine as _;
use sha2::Digest as _;
use tokio::sync::mpsc;

const USER_AGENT: &str = "Amazon Simple Notification Service Agent";
const TEXT_PLAIN: &str = "text/plain; charset=UTF-8";
const CERT_URL: &str = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-aws-lite.pem";
/// The ManualClock's wall origin.
const T0: &str = "2026-01-01T00:00:00.000Z";

/// One POST the endpoint received.
#[derive(Debug)]
struct Received {
    method: String,
    headers: HeaderMap,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Debug)]
struct EndpointState {
    tx: mpsc::UnboundedSender<Received>,
    /// The statuses to answer, in order; the last one forever after.
    statuses: Mutex<VecDeque<u16>>,
}

/// A local HTTP endpoint answering from a script of statuses.
struct Endpoint {
    url: String,
    rx: mpsc::UnboundedReceiver<Received>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn handler(
    State(state): State<Arc<EndpointState>>,
    method: axum::http::Method,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let status = {
        let mut s = state.statuses.lock().unwrap();
        if s.len() > 1 {
            s.pop_front().unwrap()
        } else {
            s.front().copied().unwrap_or(200)
        }
    };
    let _ = state.tx.send(Received {
        method: method.to_string(),
        headers,
        body,
    });
    StatusCode::from_u16(status).unwrap()
}

async fn endpoint(statuses: &[u16]) -> Endpoint {
    let (tx, rx) = mpsc::unbounded_channel();
    let state = Arc::new(EndpointState {
        tx,
        statuses: Mutex::new(statuses.iter().copied().collect()),
    });
    let app = axum::Router::new().fallback(handler).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    Endpoint {
        url: format!("http://{addr}/sns"),
        rx,
        server,
    }
}

impl Endpoint {
    /// The next request (failing after 10 s of real time rather than hanging).
    async fn next(&mut self) -> Received {
        #[allow(clippy::disallowed_methods)] // A real-time guard on real socket I/O.
        let got = tokio::time::timeout(Duration::from_secs(10), self.rx.recv()).await;
        got.expect("no request reached the endpoint within 10 s")
            .expect("endpoint closed")
    }

    /// Asserts that no request arrives within 300 ms of real time.
    async fn assert_quiet(&mut self) {
        #[allow(clippy::disallowed_methods)] // A real-time wait for requests that must not come.
        let got = tokio::time::timeout(Duration::from_millis(300), self.rx.recv()).await;
        assert!(got.is_err(), "unexpected request: {got:?}");
    }
}

/// Waits (in real time, at most 10 s) until `cond` holds.
async fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    for _ in 0..1000 {
        if cond() {
            return;
        }
        #[allow(clippy::disallowed_methods)] // Polls state changed by real socket I/O.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for {what}");
}

struct World {
    clock: ManualClock,
    sqs: Sqs,
    sns: Sns,
    topic: Topic,
}

async fn world() -> World {
    let clock = ManualClock::new();
    let shared = SharedClock::new(clock.clone());
    let sqs = Sqs::builder()
        .clock(shared.clone())
        .rand(Rand::seeded(1))
        .build();
    let sns = Sns::builder()
        .sqs(sqs.clone())
        .clock(shared)
        .rand(Rand::seeded(2))
        .build();
    let topic = sns
        .create_topic()
        .name("orders")
        .send()
        .await
        .unwrap()
        .topic();
    World {
        clock,
        sqs,
        sns,
        topic,
    }
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Subscribes `url`, receives the confirmation and confirms with its token; returns the
/// subscription ARN.
async fn subscribe_confirmed(w: &World, ep: &mut Endpoint, attrs: &[(&str, &str)]) -> String {
    let mut b = w
        .topic
        .subscribe()
        .protocol("http")
        .endpoint(&ep.url)
        .return_subscription_arn(true);
    for (k, v) in attrs {
        b = b.attributes(*k, *v);
    }
    let arn = b.send().await.unwrap().subscription_arn().to_string();
    let confirmation = ep.next().await;
    assert_eq!(
        confirmation.header("x-amz-sns-message-type"),
        Some("SubscriptionConfirmation")
    );
    let token = confirmation.json()["Token"].as_str().unwrap().to_string();
    let confirmed = w
        .sns
        .confirm_subscription()
        .topic_arn(w.topic.arn())
        .token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.subscription_arn(), arn);
    arn
}

async fn drain(queue: &Queue) -> Vec<String> {
    let got = queue
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    got.messages()
        .iter()
        .map(|m| m.body().to_string())
        .collect()
}

#[tokio::test]
async fn confirmation_handshake_then_the_exact_envelope_and_headers() {
    let w = world().await;
    let mut ep = endpoint(&[200]).await;
    let out = w
        .topic
        .subscribe()
        .protocol("http")
        .endpoint(&ep.url)
        .send()
        .await
        .unwrap();
    assert_eq!(out.subscription_arn(), "pending confirmation");
    let subs = w.topic.list_subscriptions_by_topic().send().await.unwrap();
    assert_eq!(subs.subscriptions().len(), 1);
    assert_eq!(
        subs.subscriptions()[0].subscription_arn,
        "PendingConfirmation"
    );
    assert_eq!(subs.subscriptions()[0].protocol, "http");

    // The confirmation POST: SNS's headers (no subscription ARN) and document.
    let c = ep.next().await;
    assert_eq!(c.method, "POST");
    assert_eq!(
        c.header("x-amz-sns-message-type"),
        Some("SubscriptionConfirmation")
    );
    assert_eq!(c.header("x-amz-sns-topic-arn"), Some(w.topic.arn()));
    assert_eq!(c.header("x-amz-sns-subscription-arn"), None);
    assert_eq!(c.header("content-type"), Some(TEXT_PLAIN));
    assert_eq!(c.header("user-agent"), Some(USER_AGENT));
    let doc = c.json();
    let token = doc["Token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);
    let message_id = doc["MessageId"].as_str().unwrap();
    assert_eq!(c.header("x-amz-sns-message-id"), Some(message_id));
    let expected = format!(
        "{{\"Type\":\"SubscriptionConfirmation\",\"MessageId\":{},\"Token\":{},\"TopicArn\":{},\
         \"Message\":{},\"SubscribeURL\":{},\"Timestamp\":{},\"SignatureVersion\":\"1\",\
         \"Signature\":\"\",\"SigningCertURL\":{}}}",
        json_str(message_id),
        json_str(&token),
        json_str(w.topic.arn()),
        json_str(&format!(
            "You have chosen to subscribe to the topic {}.\nTo confirm the subscription, visit \
             the SubscribeURL included in this message.",
            w.topic.arn()
        )),
        json_str(&format!(
            "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn={}&Token={token}",
            w.topic.arn()
        )),
        json_str(T0),
        json_str(CERT_URL),
    );
    assert_eq!(c.body, expected);

    // Nothing is delivered before confirmation.
    w.topic.publish().message("too early").send().await.unwrap();
    ep.assert_quiet().await;

    let arn = w
        .sns
        .confirm_subscription()
        .topic_arn(w.topic.arn())
        .token(&token)
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .to_string();
    let attrs = w
        .sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(attrs.attribute("PendingConfirmation"), Some("false"));
    assert_eq!(attrs.attribute("Protocol"), Some("http"));
    assert_eq!(attrs.attribute("Endpoint"), Some(ep.url.as_str()));

    let published = w
        .topic
        .publish()
        .message("hello")
        .subject("greeting")
        .message_attributes("color", MessageAttributeValue::string("red"))
        .send()
        .await
        .unwrap();
    let n = ep.next().await;
    let id = published.message_id();
    assert_eq!(n.method, "POST");
    assert_eq!(n.header("x-amz-sns-message-type"), Some("Notification"));
    assert_eq!(n.header("x-amz-sns-message-id"), Some(id));
    assert_eq!(n.header("x-amz-sns-topic-arn"), Some(w.topic.arn()));
    assert_eq!(n.header("x-amz-sns-subscription-arn"), Some(arn.as_str()));
    assert_eq!(n.header("x-amz-sns-rawdelivery"), None);
    assert_eq!(n.header("content-type"), Some(TEXT_PLAIN));
    assert_eq!(n.header("user-agent"), Some(USER_AGENT));
    let canonical = format!(
        "Message\nhello\nMessageId\n{id}\nSubject\ngreeting\nTimestamp\n{T0}\nTopicArn\n{}\n\
         Type\nNotification\n",
        w.topic.arn()
    );
    let signature = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(canonical.as_bytes()));
    let expected = format!(
        "{{\"Type\":\"Notification\",\"MessageId\":{},\"TopicArn\":{},\"Subject\":\"greeting\",\
         \"Message\":\"hello\",\"Timestamp\":{},\"SignatureVersion\":\"1\",\"Signature\":{},\
         \"SigningCertURL\":{},\"UnsubscribeURL\":{},\
         \"MessageAttributes\":{{\"color\":{{\"Type\":\"String\",\"Value\":\"red\"}}}}}}",
        json_str(id),
        json_str(w.topic.arn()),
        json_str(T0),
        json_str(&signature),
        json_str(CERT_URL),
        json_str(&format!(
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={arn}"
        )),
    );
    assert_eq!(n.body, expected);
    eventually("the delivery to be counted", || {
        w.topic.metrics().number_of_notifications_delivered == 1
    })
    .await;
    // The early publish was never sent.
    ep.assert_quiet().await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
}

#[tokio::test]
async fn raw_delivery_posts_the_message_unchanged() {
    let w = world().await;
    let mut ep = endpoint(&[200]).await;
    let arn = subscribe_confirmed(&w, &mut ep, &[("RawMessageDelivery", "true")]).await;
    let published = w
        .topic
        .publish()
        .message(r#"{"order": 7}"#)
        .message_attributes("color", MessageAttributeValue::string("red"))
        .send()
        .await
        .unwrap();
    let n = ep.next().await;
    assert_eq!(n.body, r#"{"order": 7}"#);
    assert_eq!(n.header("x-amz-sns-rawdelivery"), Some("true"));
    assert_eq!(n.header("x-amz-sns-message-type"), Some("Notification"));
    assert_eq!(
        n.header("x-amz-sns-message-id"),
        Some(published.message_id())
    );
    assert_eq!(n.header("x-amz-sns-subscription-arn"), Some(arn.as_str()));
    assert_eq!(n.header("content-type"), Some(TEXT_PLAIN));
    // HTTP raw delivery carries no attributes, not even as headers.
    assert!(
        n.headers.keys().all(|k| !k.as_str().contains("color")),
        "{:?}",
        n.headers
    );
}

#[tokio::test]
async fn a_server_error_is_retried_after_the_default_policy_delay_on_the_clock() {
    let w = world().await;
    let mut ep = endpoint(&[200, 500, 200]).await;
    subscribe_confirmed(&w, &mut ep, &[]).await;
    let t0 = w.clock.now();
    let published = w.topic.publish().message("m").send().await.unwrap();
    let first = ep.next().await;
    assert_eq!(
        first.header("x-amz-sns-message-id"),
        Some(published.message_id())
    );
    // The retry sleeps on the clock, 20 s (SNS's HTTP default), not in real time.
    let retry_at = t0 + Duration::from_secs(20);
    eventually("the retry to be scheduled", || {
        w.clock.next_deadline() == Some(retry_at)
    })
    .await;
    ep.assert_quiet().await;
    w.clock.advance(Duration::from_secs(19));
    ep.assert_quiet().await;
    assert_eq!(w.topic.metrics().number_of_notifications_delivered, 0);
    w.clock.advance(Duration::from_secs(1));
    let second = ep.next().await;
    // The retry carries the same message and id.
    assert_eq!(
        second.header("x-amz-sns-message-id"),
        Some(published.message_id())
    );
    assert_eq!(second.body, first.body);
    eventually("the delivery to be counted", || {
        w.topic.metrics().number_of_notifications_delivered == 1
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
    assert_eq!(w.clock.sleepers(), 0);
    assert_eq!(w.clock.now(), Instant::ZERO + Duration::from_secs(20));
}

#[tokio::test]
async fn the_subscription_delivery_policy_sets_the_retries_then_the_dead_letter_queue() {
    let w = world().await;
    let dlq = w
        .sqs
        .create_queue()
        .queue_name("dlq")
        .send()
        .await
        .unwrap()
        .queue();
    let mut ep = endpoint(&[200, 503]).await;
    let policy = r#"{"healthyRetryPolicy":{"minDelayTarget":7,"maxDelayTarget":7,"numRetries":2},
                     "requestPolicy":{"headerContentType":"application/json"}}"#;
    let redrive = format!(r#"{{"deadLetterTargetArn":"{}"}}"#, dlq.arn());
    subscribe_confirmed(
        &w,
        &mut ep,
        &[("DeliveryPolicy", policy), ("RedrivePolicy", &redrive)],
    )
    .await;
    let t0 = w.clock.now();
    w.topic.publish().message("m").send().await.unwrap();
    let first = ep.next().await;
    assert_eq!(first.header("content-type"), Some("application/json"));
    for retry in 1..=2u64 {
        let at = t0 + Duration::from_secs(7 * retry);
        eventually("the retry to be scheduled", || {
            w.clock.next_deadline() == Some(at)
        })
        .await;
        w.clock.advance(Duration::from_secs(7));
        let again = ep.next().await;
        assert_eq!(again.body, first.body);
    }
    // Two retries, then the policy is exhausted: the message goes to the DLQ.
    eventually("the redrive", || {
        w.topic.metrics().number_of_notifications_redriven_to_dlq == 1
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 1);
    assert_eq!(w.topic.metrics().number_of_notifications_delivered, 0);
    assert_eq!(w.clock.sleepers(), 0);
    ep.assert_quiet().await;
    assert_eq!(drain(&dlq).await, vec![first.body]);
}

#[tokio::test]
async fn a_client_error_goes_to_the_dead_letter_queue_at_once() {
    let w = world().await;
    let dlq = w
        .sqs
        .create_queue()
        .queue_name("dlq")
        .send()
        .await
        .unwrap()
        .queue();
    let mut ep = endpoint(&[200, 404]).await;
    let redrive = format!(r#"{{"deadLetterTargetArn":"{}"}}"#, dlq.arn());
    subscribe_confirmed(&w, &mut ep, &[("RedrivePolicy", &redrive)]).await;
    w.topic.publish().message("m").send().await.unwrap();
    let first = ep.next().await;
    eventually("the redrive", || {
        w.topic.metrics().number_of_notifications_redriven_to_dlq == 1
    })
    .await;
    // No retry was scheduled, and the clock never moved.
    assert_eq!(w.clock.sleepers(), 0);
    assert_eq!(w.clock.now(), Instant::ZERO);
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 1);
    ep.assert_quiet().await;
    let got = drain(&dlq).await;
    assert_eq!(got, vec![first.body.clone()]);
    let envelope: serde_json::Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(envelope["Type"], "Notification");
    assert_eq!(envelope["Message"], "m");
}

#[tokio::test]
async fn a_refused_connection_is_a_server_error_retried_then_counted_failed() {
    let w = world().await;
    let mut ep = endpoint(&[200]).await;
    subscribe_confirmed(
        &w,
        &mut ep,
        &[(
            "DeliveryPolicy",
            r#"{"healthyRetryPolicy":{"minDelayTarget":3,"maxDelayTarget":3,"numRetries":1}}"#,
        )],
    )
    .await;
    // The endpoint goes away: its port now refuses connections.
    ep.server.abort();
    let _ = (&mut ep.server).await;
    let t0 = w.clock.now();
    w.topic.publish().message("m").send().await.unwrap();
    // The refused first attempt schedules the one retry, 3 s later on the clock.
    eventually("the retry to be scheduled", || {
        w.clock.next_deadline() == Some(t0 + Duration::from_secs(3))
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
    w.clock.advance(Duration::from_secs(3));
    eventually("the failure to be counted", || {
        w.topic.metrics().number_of_notifications_failed == 1
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_delivered, 0);
    assert_eq!(w.topic.metrics().number_of_notifications_redriven_to_dlq, 0);
    assert_eq!(w.clock.sleepers(), 0);
}

#[tokio::test]
async fn unsubscribe_posts_an_unsubscribe_confirmation() {
    let w = world().await;
    let mut ep = endpoint(&[200]).await;
    let arn = subscribe_confirmed(&w, &mut ep, &[]).await;
    w.sns
        .unsubscribe()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    let u = ep.next().await;
    assert_eq!(
        u.header("x-amz-sns-message-type"),
        Some("UnsubscribeConfirmation")
    );
    assert_eq!(u.header("x-amz-sns-subscription-arn"), Some(arn.as_str()));
    assert_eq!(u.header("x-amz-sns-topic-arn"), Some(w.topic.arn()));
    assert_eq!(u.header("user-agent"), Some(USER_AGENT));
    let doc = u.json();
    assert_eq!(doc["Type"], "UnsubscribeConfirmation");
    assert_eq!(u.header("x-amz-sns-message-id"), doc["MessageId"].as_str());
    assert_eq!(doc["TopicArn"], w.topic.arn());
    assert_eq!(
        doc["Message"],
        format!(
            "You have chosen to deactivate subscription {arn}.\nTo cancel this operation and \
             restore the subscription, visit the SubscribeURL included in this message."
        )
    );
    assert!(doc["Token"].as_str().is_some_and(|t| t.len() == 64));
    // Publishing afterwards reaches nobody.
    w.topic.publish().message("m").send().await.unwrap();
    ep.assert_quiet().await;
}

#[tokio::test]
async fn https_endpoints_are_accepted_pending_confirmation() {
    let w = world().await;
    let out = w
        .topic
        .subscribe()
        .protocol("https")
        .endpoint("https://127.0.0.1:1/sns")
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap();
    let attrs = w
        .sns
        .get_subscription_attributes()
        .subscription_arn(out.subscription_arn())
        .send()
        .await
        .unwrap();
    assert_eq!(attrs.attribute("Protocol"), Some("https"));
    assert_eq!(attrs.attribute("PendingConfirmation"), Some("true"));
}

#[tokio::test]
async fn endpoints_must_match_the_protocol_and_fifo_topics_refuse_http() {
    let w = world().await;
    for (protocol, url) in [
        ("http", "https://example.com/"),
        ("https", "http://example.com/"),
        ("http", "example.com"),
    ] {
        let e = w
            .topic
            .subscribe()
            .protocol(protocol)
            .endpoint(url)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), "InvalidParameter", "{protocol} {url}");
        assert_eq!(
            e.message(),
            "Invalid parameter: Endpoint must match the specified protocol"
        );
    }
    let fifo = w
        .sns
        .create_topic()
        .name("t.fifo")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap()
        .topic();
    let e = fifo
        .subscribe()
        .protocol("http")
        .endpoint("http://example.com/")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Invalid protocol type: http"
    );
}
