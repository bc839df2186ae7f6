//! The HTTP client behind `http` and `https` subscriptions (feature `http`).
//!
//! Every message SNS sends to an HTTP/S endpoint — `SubscriptionConfirmation`, `Notification`,
//! `UnsubscribeConfirmation` — is one `POST` to the endpoint URL by a `hyper` HTTP/1.1 client,
//! with SNS's headers (see [`delivery`](crate::delivery#http-and-https-endpoints)).
//!
//! Time: the client sets no timers of its own (no connect timeout, no idle pool: each request
//! opens its own connection, so no connection outlives a virtual-time jump). The one timeout,
//! SNS's 15 seconds for an endpoint to answer, runs on the service's Clock.

use std::sync::OnceLock;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

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
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => {
            return Err(DeliveryError::Server(
                "HTTPS delivery is not built in aws-lite (no TLS client); the endpoint is \
                 unreachable"
                    .into(),
            ));
        }
        _ => {
            return Err(DeliveryError::Client(format!(
                "invalid endpoint URL {}",
                m.url
            )));
        }
    }
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
    let response = match svc
        .clock
        .timeout(REQUEST_TIMEOUT, client().request(req))
        .await
    {
        Err(_) => {
            return Err(DeliveryError::Server(format!(
                "the endpoint did not answer within {} s",
                REQUEST_TIMEOUT.as_secs()
            )));
        }
        Ok(Err(e)) => return Err(DeliveryError::Server(format!("connection failed: {e}"))),
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
