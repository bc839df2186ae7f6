//! Shared helpers for the SNS integration tests.
#![allow(dead_code, unreachable_pub)]

use std::sync::{Arc, Mutex};

use aws_lite_core::{Clock, Instant, Rand};
use aws_lite_pubsub::{DeliveryError, FunctionEndpoint, Sns};
use aws_lite_queue::{Queue, Sqs};

/// An SQS and an SNS delivering to it, seeded, on one clock.
pub fn services() -> (Sqs, Sns) {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let sns = Sns::builder()
        .sqs(sqs.clone())
        .rand(Rand::seeded(2))
        .build();
    (sqs, sns)
}

/// Creates a queue (FIFO when the name ends in `.fifo`).
pub async fn queue(sqs: &Sqs, name: &str) -> Queue {
    let mut b = sqs.create_queue().queue_name(name);
    if name.ends_with(".fifo") {
        b = b.attributes("FifoQueue", "true");
    }
    b.send().await.unwrap().queue()
}

/// Subscribes `queue` to `topic` over SQS, with `RawMessageDelivery` when `raw`.
pub async fn subscribe_queue(topic: &aws_lite_pubsub::Topic, queue: &Queue, raw: bool) {
    let mut b = topic.subscribe().protocol("sqs").endpoint(queue.arn());
    if raw {
        b = b.attributes("RawMessageDelivery", "true");
    }
    b.send().await.unwrap();
}

/// Every message waiting in `queue` (bodies), received with all attributes.
pub async fn drain(queue: &Queue) -> Vec<aws_lite_queue::operation::receive_message::Message> {
    let mut out = Vec::new();
    loop {
        let got = queue
            .receive_message()
            .max_number_of_messages(10)
            .message_attribute_names("All")
            .attribute_names("All")
            .send()
            .await
            .unwrap();
        if got.messages().is_empty() {
            return out;
        }
        for m in got.messages() {
            queue
                .delete_message()
                .receipt_handle(m.receipt_handle())
                .send()
                .await
                .unwrap();
        }
        out.extend(got.into_messages());
    }
}

/// A function endpoint that records each invocation (time, ARN, event) and answers from a
/// script: `results[i]` for call `i`, then the last entry forever.
#[derive(Debug)]
pub struct ScriptedFunction {
    pub clock: aws_lite_core::SharedClock,
    pub calls: Mutex<Vec<(Instant, String, String)>>,
    pub results: Mutex<Vec<Result<(), DeliveryError>>>,
}

impl ScriptedFunction {
    pub fn new(
        clock: aws_lite_core::SharedClock,
        results: Vec<Result<(), DeliveryError>>,
    ) -> Arc<Self> {
        Arc::new(ScriptedFunction {
            clock,
            calls: Mutex::new(Vec::new()),
            results: Mutex::new(results),
        })
    }

    pub fn call_times(&self) -> Vec<Instant> {
        self.calls.lock().unwrap().iter().map(|c| c.0).collect()
    }

    pub fn count(&self) -> usize {
        self.calls.lock().unwrap().len()
    }
}

#[async_trait::async_trait]
impl FunctionEndpoint for ScriptedFunction {
    async fn invoke(&self, function_arn: &str, event: String) -> Result<(), DeliveryError> {
        let mut calls = self.calls.lock().unwrap();
        let i = calls.len();
        calls.push((self.clock.now(), function_arn.to_string(), event));
        let results = self.results.lock().unwrap();
        results.get(i).or(results.last()).cloned().unwrap_or(Ok(()))
    }
}
