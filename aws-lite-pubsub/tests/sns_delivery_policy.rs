//! `DeliveryPolicy`: SNS's bounds checked by Subscribe, SetSubscriptionAttributes, CreateTopic
//! and SetTopicAttributes (a rejected policy changes nothing), and, with the `http` feature,
//! `throttlePolicy.maxReceivesPerSecond` pacing HTTP deliveries on the Clock.

mod support;

use aws_lite_pubsub::Sns;
use support::{queue, services};

/// A subscription policy with `healthyRetryPolicy` fields `fields`.
fn retry(fields: &str) -> String {
    format!(r#"{{"healthyRetryPolicy":{{{fields}}}}}"#)
}

/// The invalid subscription policies and the reason SNS gives after `DeliveryPolicy: `.
fn invalid_subscription_policies() -> Vec<(String, &'static str)> {
    vec![
        (
            retry(r#""minDelayTarget":0,"maxDelayTarget":0,"numRetries":0"#),
            "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
        ),
        (
            retry(r#""minDelayTarget":1,"maxDelayTarget":3601,"numRetries":1"#),
            "healthyRetryPolicy.maxDelayTarget must be less than or equal to 3600",
        ),
        (
            retry(r#""minDelayTarget":10,"maxDelayTarget":5,"numRetries":1"#),
            "healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget",
        ),
        (
            retry(r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":101"#),
            "healthyRetryPolicy.numRetries must be less than or equal to 100",
        ),
        (
            retry(r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":2,"numNoDelayRetries":3"#),
            "healthyRetryPolicy.numRetries must be greater than or equal to total of \
             numMinDelayRetries, numNoDelayRetries and numMaxDelayRetries",
        ),
        (
            retry(
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":2,"numMaxDelayRetries":-1"#,
            ),
            "healthyRetryPolicy.numMaxDelayRetries must be greater than or equal to 0",
        ),
        (
            retry(
                r#""minDelayTarget":1,"maxDelayTarget":1,"numRetries":2,"backoffFunction":"random""#,
            ),
            "healthyRetryPolicy.backoffFunction must be one of arithmetic, exponential, \
             geometric, linear",
        ),
        (
            retry(r#""maxDelayTarget":20,"numRetries":3"#),
            "healthyRetryPolicy.minDelayTarget must be specified",
        ),
        (
            retry(r#""minDelayTarget":20,"maxDelayTarget":20"#),
            "healthyRetryPolicy.numRetries must be specified",
        ),
        (
            retry(r#""minDelayTarget":600,"maxDelayTarget":600,"numRetries":7"#),
            "healthyRetryPolicy: Total policy retry time cannot be greater than 3600 seconds",
        ),
        (
            r#"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#.to_string(),
            "throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1",
        ),
        ("{not json".to_string(), "failed to parse JSON."),
    ]
}

#[tokio::test(start_paused = true)]
async fn subscribe_rejects_policies_out_of_bounds_and_creates_nothing() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    for (policy, reason) in invalid_subscription_policies() {
        let e = topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("DeliveryPolicy", policy.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            (
                "InvalidParameter",
                format!("Invalid parameter: Attributes Reason: DeliveryPolicy: {reason}").as_str()
            ),
            "{policy}"
        );
    }
    let subs = sns.list_subscriptions().send().await.unwrap();
    assert!(subs.subscriptions().is_empty());

    // Within the bounds: the edges pass.
    let edges = [
        retry(r#""minDelayTarget":1,"maxDelayTarget":3600,"numRetries":1"#),
        retry(r#""minDelayTarget":1200,"maxDelayTarget":1200,"numRetries":3"#),
        retry(
            r#""minDelayTarget":1,"maxDelayTarget":20,"numRetries":100,"numNoDelayRetries":50,
               "numMinDelayRetries":10,"numMaxDelayRetries":20,"backoffFunction":"geometric""#,
        ),
        r#"{"throttlePolicy":{"maxReceivesPerSecond":1}}"#.to_string(),
    ];
    for (i, policy) in edges.iter().enumerate() {
        let q = queue(&sqs, &format!("edge{i}")).await;
        let arn = topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("DeliveryPolicy", policy.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{policy}: {e}"))
            .subscription_arn()
            .to_string();
        let attrs = sns
            .get_subscription_attributes()
            .subscription_arn(arn)
            .send()
            .await
            .unwrap();
        assert_eq!(attrs.attribute("DeliveryPolicy"), Some(policy.as_str()));
    }
}

#[tokio::test(start_paused = true)]
async fn set_subscription_attributes_rejects_and_keeps_the_previous_policy() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let good = retry(r#""minDelayTarget":5,"maxDelayTarget":50,"numRetries":6"#);
    let arn = topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("DeliveryPolicy", good.clone())
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .to_string();
    for (policy, reason) in invalid_subscription_policies() {
        let e = sns
            .set_subscription_attributes()
            .subscription_arn(&arn)
            .attribute_name("DeliveryPolicy")
            .attribute_value(policy.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            (
                "InvalidParameter",
                format!("Invalid parameter: DeliveryPolicy: {reason}").as_str()
            ),
            "{policy}"
        );
        let attrs = sns
            .get_subscription_attributes()
            .subscription_arn(&arn)
            .send()
            .await
            .unwrap();
        assert_eq!(attrs.attribute("DeliveryPolicy"), Some(good.as_str()));
    }
    // An empty value removes the policy.
    sns.set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("DeliveryPolicy")
        .attribute_value("")
        .send()
        .await
        .unwrap();
    let attrs = sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(attrs.attribute("DeliveryPolicy"), None);
}

#[tokio::test(start_paused = true)]
async fn topic_policies_are_checked_by_create_and_set_topic_attributes() {
    let sns = Sns::new();
    let topic_retry =
        |fields: &str| format!(r#"{{"http":{{"defaultHealthyRetryPolicy":{{{fields}}}}}}}"#);
    let cases = [
        (
            topic_retry(r#""minDelayTarget":3599,"maxDelayTarget":3600,"numRetries":3"#),
            "http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than \
             3600 seconds",
        ),
        (
            topic_retry(r#""minDelayTarget":0,"maxDelayTarget":20,"numRetries":3"#),
            "http.defaultHealthyRetryPolicy.minDelayTarget must be greater than or equal to 1",
        ),
        (
            topic_retry(r#""minDelayTarget":20,"maxDelayTarget":20,"numRetries":101"#),
            "http.defaultHealthyRetryPolicy.numRetries must be less than or equal to 100",
        ),
        (
            r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":0}}}"#.to_string(),
            "http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1",
        ),
        (
            r#"{"http":{"disableSubscriptionOverrides":"yes"}}"#.to_string(),
            "http.disableSubscriptionOverrides must be true or false",
        ),
        ("[1, 2]".to_string(), "failed to parse JSON."),
    ];
    let good = topic_retry(r#""minDelayTarget":20,"maxDelayTarget":40,"numRetries":3"#);
    let topic = sns
        .create_topic()
        .name("t")
        .attributes("DeliveryPolicy", good.clone())
        .send()
        .await
        .unwrap()
        .topic();
    for (policy, reason) in &cases {
        let want = format!("Invalid parameter: DeliveryPolicy: {reason}");
        let e = sns
            .create_topic()
            .name("other")
            .attributes("DeliveryPolicy", policy.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!((e.code(), e.message()), ("InvalidParameter", want.as_str()));
        let e = topic
            .set_topic_attributes()
            .attribute_name("DeliveryPolicy")
            .attribute_value(policy.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!((e.code(), e.message()), ("InvalidParameter", want.as_str()));
    }
    // Nothing was created or changed.
    let topics = sns.list_topics().send().await.unwrap();
    assert_eq!(topics.topics().len(), 1);
    let attrs = topic.get_topic_attributes().send().await.unwrap();
    assert_eq!(attrs.attribute("DeliveryPolicy"), Some(good.as_str()));
}

/// Throttling against a local axum endpoint. As in `sns_http.rs`, the SNS runs on a
/// `ManualClock` advanced by hand while the runtime runs in real time, so sockets make
/// progress on their own and no virtual-time jump races them.
#[cfg(feature = "http")]
mod throttle {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use aws_lite_core::time::ManualClock;
    use aws_lite_core::{Clock, Instant, Rand, SharedClock};
    use aws_lite_pubsub::{Sns, Topic};
    use axum::extract::State;
    use axum::http::{HeaderMap, StatusCode};
    use tokio::sync::mpsc;

    /// One POST the endpoint received: its message type, its body, and the SNS clock's time.
    #[derive(Debug)]
    struct Received {
        kind: String,
        body: String,
        at: Instant,
    }

    struct EndpointState {
        tx: mpsc::UnboundedSender<Received>,
        statuses: Mutex<VecDeque<u16>>,
        clock: ManualClock,
    }

    async fn handler(
        State(state): State<Arc<EndpointState>>,
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
        let kind = headers
            .get("x-amz-sns-message-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let _ = state.tx.send(Received {
            kind,
            body,
            at: state.clock.now(),
        });
        StatusCode::from_u16(status).unwrap()
    }

    struct World {
        clock: ManualClock,
        sns: Sns,
        topic: Topic,
        url: String,
        rx: mpsc::UnboundedReceiver<Received>,
        published: std::cell::Cell<usize>,
    }

    /// An SNS on a ManualClock, a topic with `topic_policy`, and an endpoint answering from
    /// `statuses` (the last one forever).
    async fn world(topic_policy: Option<&str>, statuses: &[u16]) -> World {
        let clock = ManualClock::new();
        let sns = Sns::builder()
            .clock(SharedClock::new(clock.clone()))
            .rand(Rand::seeded(7))
            .build();
        let mut create = sns.create_topic().name("paced");
        if let Some(p) = topic_policy {
            create = create.attributes("DeliveryPolicy", p);
        }
        let topic = create.send().await.unwrap().topic();
        let (tx, rx) = mpsc::unbounded_channel();
        let state = Arc::new(EndpointState {
            tx,
            statuses: Mutex::new(statuses.iter().copied().collect()),
            clock: clock.clone(),
        });
        let app = axum::Router::new().fallback(handler).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        World {
            clock,
            sns,
            topic,
            url: format!("http://{addr}/hook"),
            rx,
            published: std::cell::Cell::new(0),
        }
    }

    impl World {
        /// The next request (failing after 10 s of real time rather than hanging).
        async fn next(&mut self) -> Received {
            #[allow(clippy::disallowed_methods)] // A real-time guard on real socket I/O.
            let got = tokio::time::timeout(Duration::from_secs(10), self.rx.recv()).await;
            got.expect("no request reached the endpoint within 10 s")
                .expect("endpoint closed")
        }

        /// Asserts that no request arrives within 300 ms of real time.
        async fn assert_quiet(&mut self) {
            #[allow(clippy::disallowed_methods)]
            // A real-time wait for requests that must not come.
            let got = tokio::time::timeout(Duration::from_millis(300), self.rx.recv()).await;
            assert!(got.is_err(), "unexpected request: {got:?}");
        }

        /// Subscribes the endpoint with `attrs` and confirms it.
        async fn subscribe(&mut self, attrs: &[(&str, &str)]) {
            let mut b = self.topic.subscribe().protocol("http").endpoint(&self.url);
            for (k, v) in attrs {
                b = b.attributes(*k, *v);
            }
            b.send().await.unwrap();
            let confirmation = self.next().await;
            assert_eq!(confirmation.kind, "SubscriptionConfirmation");
            let doc: serde_json::Value = serde_json::from_str(&confirmation.body).unwrap();
            self.sns
                .confirm_subscription()
                .topic_arn(self.topic.arn())
                .token(doc["Token"].as_str().unwrap())
                .send()
                .await
                .unwrap();
        }

        /// Publishes `n` messages at once, numbered on from the last (`m0`, `m1` …).
        async fn publish(&self, n: usize) {
            for _ in 0..n {
                let i = self.published.get();
                self.published.set(i + 1);
                self.topic
                    .publish()
                    .message(format!("m{i}"))
                    .send()
                    .await
                    .unwrap();
            }
        }

        /// Waits (in real time, at most 10 s) until `cond` holds.
        async fn eventually(&self, what: &str, mut cond: impl FnMut(&World) -> bool) {
            for _ in 0..1000 {
                if cond(self) {
                    return;
                }
                #[allow(clippy::disallowed_methods)] // Polls state changed by real socket I/O.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            panic!("timed out waiting for {what}");
        }

        fn message_of(r: &Received) -> String {
            let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            doc["Message"].as_str().unwrap().to_string()
        }
    }

    #[tokio::test]
    async fn max_receives_per_second_paces_deliveries_without_dropping_any() {
        let mut w = world(None, &[200]).await;
        w.subscribe(&[(
            "DeliveryPolicy",
            r#"{"throttlePolicy":{"maxReceivesPerSecond":4}}"#,
        )])
        .await;
        let t0 = w.clock.now();
        w.publish(6).await;
        // The first goes at once; the other five wait for their slots, 250 ms apart.
        let first = w.next().await;
        assert_eq!((first.kind.as_str(), first.at), ("Notification", t0));
        w.eventually("the paced deliveries to wait", |w| w.clock.sleepers() == 5)
            .await;
        assert_eq!(
            w.clock.next_deadline(),
            Some(t0 + Duration::from_millis(250))
        );
        w.assert_quiet().await;
        let mut got = vec![World::message_of(&first)];
        for k in 1..6u64 {
            w.clock.advance(Duration::from_millis(249));
            w.assert_quiet().await;
            w.clock.advance(Duration::from_millis(1));
            let r = w.next().await;
            assert_eq!(r.at, t0 + Duration::from_millis(250 * k));
            got.push(World::message_of(&r));
        }
        got.sort();
        assert_eq!(got, ["m0", "m1", "m2", "m3", "m4", "m5"]);
        w.eventually("every delivery to be counted", |w| {
            w.topic.metrics().number_of_notifications_delivered == 6
        })
        .await;
        assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
        assert_eq!(w.clock.sleepers(), 0);
        // Once the booked slots have passed, a delivery goes at once again.
        w.clock.advance(Duration::from_secs(5));
        w.publish(1).await;
        let r = w.next().await;
        assert_eq!(
            r.at,
            t0 + Duration::from_millis(1_250) + Duration::from_secs(5)
        );
    }

    #[tokio::test]
    async fn the_topic_default_throttle_applies_and_retries_take_slots_too() {
        // One delivery per second for every subscription of the topic; one retry 1 s after a
        // failure. The endpoint confirms, fails the first notification, then accepts.
        let policy = r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":1},
            "defaultHealthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":1,"numRetries":1}}}"#;
        let mut w = world(Some(policy), &[200, 500, 200]).await;
        w.subscribe(&[]).await;
        let t0 = w.clock.now();
        w.publish(1).await;
        let a = w.next().await;
        assert_eq!((World::message_of(&a).as_str(), a.at), ("m0", t0));
        // m0 failed: its retry is due at t0 + 1 s.
        w.eventually("the retry to be scheduled", |w| {
            w.clock.next_deadline() == Some(t0 + Duration::from_secs(1))
        })
        .await;
        // m1 is published now and books the slot at t0 + 1 s before the retry asks for one.
        w.publish(1).await;
        w.eventually("m1 to wait for its slot", |w| w.clock.sleepers() == 2)
            .await;
        w.clock.advance(Duration::from_secs(1));
        let b = w.next().await;
        assert_eq!(
            (World::message_of(&b).as_str(), b.at),
            ("m1", t0 + Duration::from_secs(1))
        );
        // The retry of m0 got the next slot, at t0 + 2 s.
        w.eventually("the retry to wait for its slot", |w| {
            w.clock.next_deadline() == Some(t0 + Duration::from_secs(2))
        })
        .await;
        w.assert_quiet().await;
        w.clock.advance(Duration::from_secs(1));
        let c = w.next().await;
        assert_eq!(
            (World::message_of(&c).as_str(), c.at),
            ("m0", t0 + Duration::from_secs(2))
        );
        w.eventually("both deliveries to be counted", |w| {
            w.topic.metrics().number_of_notifications_delivered == 2
        })
        .await;
        assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
        assert_eq!(w.clock.sleepers(), 0);
    }

    #[tokio::test]
    async fn a_subscription_throttle_overrides_the_topic_unless_overrides_are_disabled() {
        let topic_policy = r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":1},
            "disableSubscriptionOverrides":true}}"#;
        let mut w = world(Some(topic_policy), &[200]).await;
        // The subscription asks for 10 per second, but the topic disables overrides.
        w.subscribe(&[(
            "DeliveryPolicy",
            r#"{"throttlePolicy":{"maxReceivesPerSecond":10}}"#,
        )])
        .await;
        let t0 = w.clock.now();
        w.publish(2).await;
        assert_eq!(w.next().await.at, t0);
        w.eventually("the second delivery to wait", |w| w.clock.sleepers() == 1)
            .await;
        assert_eq!(w.clock.next_deadline(), Some(t0 + Duration::from_secs(1)));
        w.clock.advance(Duration::from_secs(1));
        assert_eq!(w.next().await.at, t0 + Duration::from_secs(1));

        // With overrides allowed, the subscription's 10 per second wins.
        w.topic
            .set_topic_attributes()
            .attribute_name("DeliveryPolicy")
            .attribute_value(r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":1}}}"#)
            .send()
            .await
            .unwrap();
        w.clock.advance(Duration::from_secs(10));
        let t1 = w.clock.now();
        w.publish(2).await;
        assert_eq!(w.next().await.at, t1);
        w.eventually("the second delivery to wait", |w| w.clock.sleepers() == 1)
            .await;
        assert_eq!(
            w.clock.next_deadline(),
            Some(t1 + Duration::from_millis(100))
        );
        w.clock.advance(Duration::from_millis(100));
        assert_eq!(w.next().await.at, t1 + Duration::from_millis(100));
    }
}
