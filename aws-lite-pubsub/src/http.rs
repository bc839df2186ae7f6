//! The HTTP client behind `http` and `https` subscriptions (feature `http`).
//!
//! Every message SNS sends to an HTTP/S endpoint — `SubscriptionConfirmation`, `Notification`,
//! `UnsubscribeConfirmation` — is one `POST` to the endpoint URL by a `hyper` HTTP/1.1 client,
//! with SNS's headers (see [`delivery`](crate::delivery#http-and-https-endpoints)).
//!
//! `https` endpoints are reached over TLS by `rustls` (the `ring` provider) through
//! `hyper-rustls`, trusting what the [`SnsBuilder`](crate::SnsBuilder) was given
//! ([`HttpsTrust`]). The HTTPS client is built on first use, once per service.
//!
//! Time: the client sets no timers of its own (no connect timeout, no idle pool: each request
//! opens its own connection, so no connection outlives a virtual-time jump). The one timeout,
//! SNS's 15 seconds for an endpoint to answer (the TLS handshake included), runs on the
//! service's Clock, and certificates are checked for validity at the Clock's wall time.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use aws_lite_core::{Clock, SharedClock};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::time_provider::TimeProvider;
use rustls::{ClientConfig, RootCertStore};

use crate::delivery::DeliveryError;
use crate::service::SnsInner;

/// How long an endpoint has to answer before the attempt counts as a server error (SNS waits
/// about 15 seconds). Measured on the service's Clock.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);

/// The `User-Agent` SNS sends.
pub(crate) const SNS_USER_AGENT: &str = "Amazon Simple Notification Service Agent";

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// The process-wide client (cheap to share; it holds no idle connections).
fn client() -> &'static HttpClient {
    static CLIENT: OnceLock<HttpClient> = OnceLock::new();
    CLIENT.get_or_init(|| {
        Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(HttpConnector::new())
    })
}

type HttpsClient = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// What the HTTPS client trusts, as the [`SnsBuilder`](crate::SnsBuilder) was told.
#[derive(Debug, Clone, Default)]
pub(crate) enum HttpsTrust {
    /// Mozilla's root certificates, from `webpki-roots`.
    #[default]
    WebpkiRoots,
    /// These root certificates only.
    Roots(Vec<CertificateDer<'static>>),
    /// The caller's own configuration (ALPN cleared: the client speaks HTTP/1.1 only).
    Config(Box<ClientConfig>),
}

/// A service's HTTPS client: its trust, and the client built from it on first use (or why it
/// could not be built: then every HTTPS attempt fails with that reason, as a server error).
pub(crate) struct Https {
    trust: HttpsTrust,
    client: OnceLock<Result<HttpsClient, String>>,
}

impl fmt::Debug for Https {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Https")
            .field("trust", &self.trust)
            .field("built", &self.client.get().map(|c| c.is_ok()))
            .finish()
    }
}

impl Https {
    pub(crate) fn new(trust: HttpsTrust) -> Https {
        Https {
            trust,
            client: OnceLock::new(),
        }
    }

    /// The client, built on first use; certificates are checked at `clock`'s wall time.
    fn client(&self, clock: &SharedClock) -> Result<&HttpsClient, DeliveryError> {
        self.client
            .get_or_init(|| self.build(clock))
            .as_ref()
            .map_err(|e| DeliveryError::Server(e.clone()))
    }

    fn build(&self, clock: &SharedClock) -> Result<HttpsClient, String> {
        let config = match &self.trust {
            HttpsTrust::Config(config) => {
                let mut config = ClientConfig::clone(config);
                config.alpn_protocols.clear();
                config
            }
            HttpsTrust::WebpkiRoots => config_with_roots(
                RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                },
                clock,
            )?,
            HttpsTrust::Roots(certs) => {
                let mut roots = RootCertStore::empty();
                for (i, cert) in certs.iter().enumerate() {
                    roots.add(cert.clone()).map_err(|e| {
                        format!("HTTPS root certificate {i} is not a usable trust anchor: {e}")
                    })?;
                }
                config_with_roots(roots, clock)?
            }
        };
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_only()
            .enable_http1()
            .build();
        Ok(Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector))
    }
}

/// rustls on the `ring` provider, TLS 1.2 and 1.3, trusting `roots`, checking certificate
/// validity at `clock`'s wall time.
fn config_with_roots(roots: RootCertStore, clock: &SharedClock) -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let time = Arc::new(ClockTime(clock.clone()));
    Ok(ClientConfig::builder_with_details(provider, time)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS configuration failed: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// The service Clock's wall time, for certificate validity.
#[derive(Debug)]
struct ClockTime(SharedClock);

impl TimeProvider for ClockTime {
    fn current_time(&self) -> Option<UnixTime> {
        let wall = self.0.wall(self.0.now());
        wall.duration_since(UNIX_EPOCH)
            .ok()
            .map(UnixTime::since_unix_epoch)
    }
}

/// `e` and its sources, `: `-separated (hyper's errors say little at the top).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// One message for an HTTP/S endpoint.
#[derive(Debug)]
pub(crate) struct HttpMessage<'a> {
    pub(crate) url: &'a str,
    /// `x-amz-sns-message-type`.
    pub(crate) message_type: &'a str,
    pub(crate) message_id: &'a str,
    pub(crate) topic_arn: &'a str,
    /// `x-amz-sns-subscription-arn` (notifications and unsubscribe confirmations).
    pub(crate) subscription_arn: Option<&'a str>,
    pub(crate) content_type: &'a str,
    /// Adds `x-amz-sns-rawdelivery: true`.
    pub(crate) raw: bool,
    pub(crate) body: String,
}

/// POSTs one message: 2xx is delivered; 429, 5xx, connection failures and timeouts are server
/// errors (retried); any other status (1xx, 3xx, 4xx) is a client error.
pub(crate) async fn post(svc: &SnsInner, m: HttpMessage<'_>) -> Result<(), DeliveryError> {
    let uri: Uri = m
        .url
        .parse()
        .map_err(|e| DeliveryError::Client(format!("invalid endpoint URL {}: {e}", m.url)))?;
    let https = match uri.scheme_str() {
        Some("http") => false,
        Some("https") => true,
        _ => {
            return Err(DeliveryError::Client(format!(
                "invalid endpoint URL {}",
                m.url
            )));
        }
    };
    let header = |v: &str| {
        HeaderValue::from_str(v)
            .map_err(|_| DeliveryError::Client(format!("invalid header value {v:?}")))
    };
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header("x-amz-sns-message-type", header(m.message_type)?)
        .header("x-amz-sns-message-id", header(m.message_id)?)
        .header("x-amz-sns-topic-arn", header(m.topic_arn)?);
    if let Some(arn) = m.subscription_arn {
        req = req.header("x-amz-sns-subscription-arn", header(arn)?);
    }
    if m.raw {
        req = req.header("x-amz-sns-rawdelivery", HeaderValue::from_static("true"));
    }
    let req = req
        .header(CONTENT_TYPE, header(m.content_type)?)
        .header(USER_AGENT, HeaderValue::from_static(SNS_USER_AGENT))
        .body(Full::new(Bytes::from(m.body)))
        .map_err(|e| DeliveryError::Client(format!("invalid request: {e}")))?;
    let request = if https {
        svc.https.client(&svc.clock)?.request(req)
    } else {
        client().request(req)
    };
    let response = match svc.clock.timeout(REQUEST_TIMEOUT, request).await {
        Err(_) => {
            return Err(DeliveryError::Server(format!(
                "the endpoint did not answer within {} s",
                REQUEST_TIMEOUT.as_secs()
            )));
        }
        Ok(Err(e)) => {
            return Err(DeliveryError::Server(format!(
                "connection failed: {}",
                error_chain(&e)
            )));
        }
        Ok(Ok(r)) => r,
    };
    classify(response.status())
}

/// What a response status means for the delivery.
pub(crate) fn classify(status: StatusCode) -> Result<(), DeliveryError> {
    if status.is_success() {
        Ok(())
    } else if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        Err(DeliveryError::Server(format!("HTTP status {status}")))
    } else {
        Err(DeliveryError::Client(format!("HTTP status {status}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_as_sns_does() {
        assert_eq!(classify(StatusCode::OK), Ok(()));
        assert_eq!(classify(StatusCode::NO_CONTENT), Ok(()));
        for s in [500, 502, 503, 429] {
            let s = StatusCode::from_u16(s).unwrap();
            assert!(matches!(classify(s), Err(DeliveryError::Server(_))), "{s}");
        }
        for s in [400, 403, 404, 410, 301] {
            let s = StatusCode::from_u16(s).unwrap();
            assert!(matches!(classify(s), Err(DeliveryError::Client(_))), "{s}");
        }
    }
}
