//! Lambda's event payload types from the `aws_lambda_events` crate (feature `events`).
//!
//! The host itself speaks JSON, so it depends on these types only behind this feature. What
//! the feature guarantees: the SQS event an [event source mapping](crate::esm) sends
//! deserializes into [`SqsEvent`] (every record with its `messageId`, `receiptHandle`, `body`,
//! `attributes`, `messageAttributes`, `md5OfBody`, `eventSource`, `eventSourceARN` and
//! `awsRegion`), and an [`SqsBatchResponse`] returned by a handler is the partial-failure
//! response `ReportBatchItemFailures` reads (an empty one is full success).
//!
//! Only the crate's `sqs` feature is enabled: `sns` adds `chrono` and `apigw` adds `http`,
//! `http-serde` and `query_map`, and aws-lite-fn produces neither payload yet. Enable them on
//! your own `aws_lambda_events` dependency (same major version) if your handlers need them;
//! Cargo unifies the features.
//!
//! ```
//! use aws_lite_fn::events::{SqsBatchResponse, SqsEvent};
//! use aws_lite_fn::{service_fn, Event};
//!
//! // Fails every record whose body is not a number.
//! let handler = service_fn(|event: Event<SqsEvent>| async move {
//!     let mut response = SqsBatchResponse::default();
//!     for record in event.payload.records {
//!         if record.body.as_deref().and_then(|b| b.parse::<u64>().ok()).is_none() {
//!             response.add_failure(record.message_id.unwrap_or_default());
//!         }
//!     }
//!     Ok::<_, std::convert::Infallible>(response)
//! });
//! # let _ = handler;
//! ```

/// The `aws_lambda_events` crate this feature is built against.
pub use aws_lambda_events;
/// The SQS event and partial-failure types, re-exported from
/// `aws_lambda_events::event::sqs`.
pub use aws_lambda_events::event::sqs::{
    BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage, SqsMessageAttribute,
};

#[cfg(all(test, feature = "queue", not(aws_lite_loom)))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn batch_response_is_the_partial_failure_shape() {
        let mut response = SqsBatchResponse::default();
        let ok = serde_json::to_value(&response).unwrap();
        assert_eq!(ok, json!({ "batchItemFailures": [] }));
        let ids = ["a", "b"].into_iter().collect();
        let none = crate::esm::batch_item_failures(&ok, &ids);
        assert_eq!(none, Some(Default::default()));
        response.add_failure("b");
        let value = serde_json::to_value(&response).unwrap();
        assert_eq!(
            value,
            json!({ "batchItemFailures": [{ "itemIdentifier": "b" }] })
        );
        let one = crate::esm::batch_item_failures(&value, &ids);
        assert_eq!(one, Some(["b".to_owned()].into_iter().collect()));
    }
}
