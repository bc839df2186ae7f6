//! HTTPS endpoints (feature `http`) over real TLS: a local axum server behind `tokio-rustls` with
//! a self-signed certificate made here by `rcgen`. The confirmation handshake and notifications
//! arrive when the SNS trusts the certificate; an untrusted one fails the handshake, a server
//! error retried on the Clock and then counted failed.
//!
//! The SNS runs on a `ManualClock` advanced by hand while the test runtime runs in real time, as
//! in `sns_http.rs`.
#![cfg(feature = "http")]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_lite_core::time::ManualClock;
use aws_lite_core::{Clock, Rand, SharedClock};
use aws_lite_pubsub::rustls::crypto::ring;
use aws_lite_pubsub::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use aws_lite_pubsub::rustls::{self, RootCertStore, ServerConfig};
use aws_lite_pubsub::{Sns, SnsBuilder, Topic};
use axum::http::{HeaderMap, StatusCode};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;

const USER_AGENT: &str = "Amazon Simple Notification Service Agent";

/// A self-signed certificate for `127.0.0.1` and its server configuration.
struct Cert {
    der: CertificateDer<'static>,
    server: Arc<ServerConfig>,
}

/// Valid from 1975 to 4096 (rcgen's default).
fn cert() -> Cert {
    cert_valid(None)
}

/// Valid from January 1st of the first year to January 1st of the second, if given.
fn cert_valid(years: Option<(i32, i32)>) -> Cert {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    if let Some((from, to)) = years {
        params.not_before = rcgen::date_time_ymd(from, 1, 1);
        params.not_after = rcgen::date_time_ymd(to, 1, 1);
    }
    let der = params.self_signed(&key).unwrap().der().clone();
    let server = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![der.clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .unwrap();
    Cert {
        der,
        server: Arc::new(server),
    }
}

/// One POST the endpoint received.
#[derive(Debug)]
struct Received {
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

/// Accepts TCP connections and completes the TLS handshake with the current certificate,
/// counting the handshakes that fail (the client refusing the certificate).
struct TlsListener {
    tcp: TcpListener,
    acceptor: Arc<Mutex<TlsAcceptor>>,
    failed: Arc<AtomicUsize>,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            let acceptor = self.acceptor.lock().unwrap().clone();
            match acceptor.accept(tcp).await {
                Ok(tls) => return (tls, addr),
                Err(_) => {
                    self.failed.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// A local HTTPS endpoint answering 200 to every POST.
struct Endpoint {
    url: String,
    rx: mpsc::UnboundedReceiver<Received>,
    acceptor: Arc<Mutex<TlsAcceptor>>,
    failed: Arc<AtomicUsize>,
}

async fn endpoint(cert: &Cert) -> Endpoint {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: String| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(Received { headers, body });
            StatusCode::OK
        }
    });
    let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let acceptor = Arc::new(Mutex::new(TlsAcceptor::from(cert.server.clone())));
    let failed = Arc::new(AtomicUsize::new(0));
    let listener = TlsListener {
        tcp,
        acceptor: acceptor.clone(),
        failed: failed.clone(),
    };
    tokio::spawn(async move { axum::serve(listener, app).await });
    Endpoint {
        url: format!("https://{addr}/sns"),
        rx,
        acceptor,
        failed,
    }
}

impl Endpoint {
    /// From now on, present `cert` instead.
    fn present(&self, cert: &Cert) {
        *self.acceptor.lock().unwrap() = TlsAcceptor::from(cert.server.clone());
    }

    fn failed_handshakes(&self) -> usize {
        self.failed.load(Ordering::SeqCst)
    }

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
    sns: Sns,
    topic: Topic,
}

async fn world(clock: ManualClock, configure: impl FnOnce(SnsBuilder) -> SnsBuilder) -> World {
    let sns = configure(
        Sns::builder()
            .clock(SharedClock::new(clock.clone()))
            .rand(Rand::seeded(2)),
    )
    .build();
    let topic = sns
        .create_topic()
        .name("orders")
        .send()
        .await
        .unwrap()
        .topic();
    World { clock, sns, topic }
}

async fn trusting(cert: &Cert) -> World {
    let der = cert.der.clone();
    world(ManualClock::new(), |b| b.https_root_certificates([der])).await
}

/// Subscribes the endpoint (`https`), receives the confirmation over TLS and confirms with its
/// token; returns the subscription ARN.
async fn subscribe_confirmed(w: &World, ep: &mut Endpoint, attrs: &[(&str, &str)]) -> String {
    let mut b = w
        .topic
        .subscribe()
        .protocol("https")
        .endpoint(&ep.url)
        .return_subscription_arn(true);
    for (k, v) in attrs {
        b = b.attributes(*k, *v);
    }
    let arn = b.send().await.unwrap().subscription_arn().to_string();
    let c = ep.next().await;
    assert_eq!(
        c.header("x-amz-sns-message-type"),
        Some("SubscriptionConfirmation")
    );
    assert_eq!(c.header("x-amz-sns-topic-arn"), Some(w.topic.arn()));
    assert_eq!(c.header("user-agent"), Some(USER_AGENT));
    let token = c.json()["Token"].as_str().unwrap().to_string();
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

async fn pending_confirmation(w: &World, arn: &str) -> Option<String> {
    let attrs = w
        .sns
        .get_subscription_attributes()
        .subscription_arn(arn)
        .send()
        .await
        .unwrap();
    attrs.attribute("PendingConfirmation").map(str::to_string)
}

#[tokio::test]
async fn the_confirmation_and_a_notification_arrive_over_https() {
    let cert = cert();
    let w = trusting(&cert).await;
    let mut ep = endpoint(&cert).await;
    let arn = subscribe_confirmed(&w, &mut ep, &[]).await;
    assert_eq!(
        pending_confirmation(&w, &arn).await.as_deref(),
        Some("false")
    );

    let published = w
        .topic
        .publish()
        .message("hello")
        .subject("greeting")
        .send()
        .await
        .unwrap();
    let n = ep.next().await;
    assert_eq!(n.header("x-amz-sns-message-type"), Some("Notification"));
    assert_eq!(
        n.header("x-amz-sns-message-id"),
        Some(published.message_id())
    );
    assert_eq!(n.header("x-amz-sns-subscription-arn"), Some(arn.as_str()));
    let doc = n.json();
    assert_eq!(doc["Type"], "Notification");
    assert_eq!(doc["Message"], "hello");
    assert_eq!(doc["Subject"], "greeting");
    assert_eq!(doc["MessageId"], published.message_id());
    eventually("the delivery to be counted", || {
        w.topic.metrics().number_of_notifications_delivered == 1
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
    assert_eq!(ep.failed_handshakes(), 0);
    assert_eq!(w.clock.sleepers(), 0);
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_server_error_retried_then_counted_failed() {
    let trusted = cert();
    let w = trusting(&trusted).await;
    let mut ep = endpoint(&trusted).await;
    subscribe_confirmed(
        &w,
        &mut ep,
        &[(
            "DeliveryPolicy",
            r#"{"healthyRetryPolicy":{"minDelayTarget":3,"maxDelayTarget":3,"numRetries":1}}"#,
        )],
    )
    .await;
    // The endpoint now presents a certificate the SNS does not trust.
    ep.present(&cert());
    let t0 = w.clock.now();
    w.topic.publish().message("m").send().await.unwrap();
    // The first attempt's handshake is refused: a server error, so the one retry is scheduled
    // 3 s later on the clock.
    eventually("the retry to be scheduled", || {
        w.clock.next_deadline() == Some(t0 + Duration::from_secs(3))
    })
    .await;
    eventually("the refused handshake", || ep.failed_handshakes() == 1).await;
    assert_eq!(w.topic.metrics().number_of_notifications_failed, 0);
    w.clock.advance(Duration::from_secs(3));
    eventually("the failure to be counted", || {
        w.topic.metrics().number_of_notifications_failed == 1
    })
    .await;
    eventually("the second refused handshake", || {
        ep.failed_handshakes() == 2
    })
    .await;
    assert_eq!(w.topic.metrics().number_of_notifications_delivered, 0);
    assert_eq!(w.clock.sleepers(), 0);
    // No request got through the refused handshakes.
    ep.assert_quiet().await;
}

#[tokio::test]
async fn the_default_webpki_roots_refuse_a_self_signed_endpoint() {
    let cert = cert();
    let w = world(ManualClock::new(), |b| b).await;
    let mut ep = endpoint(&cert).await;
    let arn = w
        .topic
        .subscribe()
        .protocol("https")
        .endpoint(&ep.url)
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .to_string();
    // The confirmation's handshake is refused; nothing reaches the endpoint.
    eventually("the refused handshake", || ep.failed_handshakes() == 1).await;
    ep.assert_quiet().await;
    assert_eq!(
        pending_confirmation(&w, &arn).await.as_deref(),
        Some("true")
    );
}

#[tokio::test]
async fn a_client_config_from_the_caller_is_used_with_its_alpn_cleared() {
    let cert = cert();
    let mut roots = RootCertStore::empty();
    roots.add(cert.der.clone()).unwrap();
    let mut config =
        rustls::ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let w = world(ManualClock::new(), |b| b.https_client_config(config)).await;
    let mut ep = endpoint(&cert).await;
    let arn = subscribe_confirmed(&w, &mut ep, &[]).await;
    w.topic
        .publish()
        .message("via config")
        .send()
        .await
        .unwrap();
    let n = ep.next().await;
    assert_eq!(n.header("x-amz-sns-subscription-arn"), Some(arn.as_str()));
    assert_eq!(n.json()["Message"], "via config");
}

#[tokio::test]
async fn certificate_validity_is_checked_at_the_clocks_wall_time() {
    // Valid only in 2040: the SNS's clock says 2040-06-01, whatever the machine's date.
    let future = cert_valid(Some((2040, 2041)));
    let year_2040 = SystemTime::UNIX_EPOCH + Duration::from_secs(2_222_121_600); // 2040-06-01
    let der = future.der.clone();
    let w = world(ManualClock::with_wall_origin(year_2040), |b| {
        b.https_root_certificates([der])
    })
    .await;
    let mut ep = endpoint(&future).await;
    subscribe_confirmed(&w, &mut ep, &[]).await;

    // The same certificate on a clock in 2026 is not yet valid: the handshake is refused.
    let der = future.der.clone();
    let w = world(ManualClock::new(), |b| b.https_root_certificates([der])).await;
    w.topic
        .subscribe()
        .protocol("https")
        .endpoint(&ep.url)
        .send()
        .await
        .unwrap();
    eventually("the refused handshake", || ep.failed_handshakes() == 1).await;
    ep.assert_quiet().await;
}

#[tokio::test]
async fn an_unusable_root_certificate_fails_https_attempts_without_connecting() {
    let cert = cert();
    let garbage = CertificateDer::from(b"not a certificate".to_vec());
    let w = world(ManualClock::new(), |b| b.https_root_certificates([garbage])).await;
    let mut ep = endpoint(&cert).await;
    let arn = w
        .topic
        .subscribe()
        .protocol("https")
        .endpoint(&ep.url)
        .return_subscription_arn(true)
        .send()
        .await
        .unwrap()
        .subscription_arn()
        .to_string();
    ep.assert_quiet().await;
    assert_eq!(ep.failed_handshakes(), 0);
    assert_eq!(
        pending_confirmation(&w, &arn).await.as_deref(),
        Some("true")
    );
}
