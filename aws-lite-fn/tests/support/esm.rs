//! Helpers for the event source mapping tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_lite_core::{Clock, Instant, Rand, SharedClock};
use aws_lite_fn::{Code, Diagnostic, Event, Lambda, service_fn};
use aws_lite_queue::{Queue, Sqs};
use serde_json::Value;

/// One invocation as the handler saw it.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) at: Instant,
    pub(crate) ended: Instant,
    pub(crate) bodies: Vec<String>,
    pub(crate) event: Value,
}

pub(crate) type Calls = Arc<Mutex<Vec<Call>>>;

pub(crate) fn setup() -> (Sqs, Lambda) {
    let sqs = Sqs::builder().rand(Rand::seeded(7)).build();
    let lambda = Lambda::builder()
        .rand(Rand::seeded(42))
        .sqs(sqs.clone())
        .build();
    (sqs, lambda)
}

pub(crate) async fn queue(sqs: &Sqs, name: &str, attrs: &[(&str, String)]) -> Queue {
    let mut b = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        b = b.attributes(*k, v.clone());
    }
    b.send().await.unwrap().queue()
}

/// A handler that records each batch, sleeps `busy` on the clock, and answers with `respond`.
pub(crate) fn recorder<F>(clock: SharedClock, calls: Calls, busy: Duration, respond: F) -> Code
where
    F: Fn(&Value) -> Result<Value, Diagnostic> + Send + Sync + 'static,
{
    let respond = Arc::new(respond);
    Code::from_service(service_fn(move |e: Event<Value>| {
        let clock = clock.clone();
        let calls = calls.clone();
        let respond = respond.clone();
        async move {
            let at = clock.now();
            clock.sleep(busy).await;
            let bodies = bodies(&e.payload);
            calls.lock().unwrap().push(Call {
                at,
                ended: clock.now(),
                bodies,
                event: e.payload.clone(),
            });
            respond(&e.payload)
        }
    }))
}

/// Creates function `f`: a [`recorder`] into `calls` that is busy for `busy` and answers
/// `null` (success).
pub(crate) async fn create_recording_function(lambda: &Lambda, calls: &Calls, busy: Duration) {
    let code = recorder(lambda.clock().clone(), calls.clone(), busy, |_| {
        Ok(Value::Null)
    });
    lambda
        .create_function()
        .function_name("f")
        .code(code)
        .send()
        .await
        .unwrap();
}

pub(crate) fn bodies(event: &Value) -> Vec<String> {
    event["Records"]
        .as_array()
        .map(|r| {
            r.iter()
                .map(|r| r["body"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) async fn send_all(queue: &Queue, bodies: impl IntoIterator<Item = String>) {
    for b in bodies {
        queue.send_message().message_body(b).send().await.unwrap();
    }
}
