//! SQS through aws-lite-queue: `arn:aws:states:::sqs:sendMessage` (and `.waitForTaskToken`).
//!
//! # Parameters
//!
//! `QueueUrl`, `MessageBody` (a string as is; any other JSON value is sent as its JSON text, as
//! Step Functions serializes it; absent or null is SQS's `MissingParameter`),
//! `MessageAttributes` (`{name: {DataType, StringValue | BinaryValue}}`), `MessageGroupId`,
//! `MessageDeduplicationId`, `DelaySeconds` and `MessageSystemAttributes`.
//!
//! # Result
//!
//! SendMessage's response — `MD5OfMessageBody`, `MD5OfMessageAttributes` (with attributes),
//! `MessageId`, `SequenceNumber` (FIFO) — with `SdkHttpMetadata` (`Content-Type:
//! application/x-amz-json-1.0`, `Content-Length` of the JSON response) and
//! `SdkResponseMetadata`.
//!
//! # Errors
//!
//! `SQS.<Exception>` for the exceptions the SDK for Java models (`QueueDoesNotExistException`,
//! `InvalidMessageContentsException`, …) and `SQS.AmazonSQSException` for the other codes
//! (`MissingParameter`, `InvalidParameterValue`, …). aws-lite has no network: a `QueueUrl` with
//! no queue path whose host is not an SQS endpoint (`sqs.<region>.amazonaws.com`) is what the
//! SDK cannot reach, `SQS.SdkClientException` (`Unable to execute HTTP request: {host}: Name or
//! service not known`).

use aws_lite_core::Error;
use aws_lite_queue::{MessageAttributes, Sqs};
use serde_json::{Map, Value, json};

use super::{Ctx, json_headers, sdk_metadata, service_error, str_param};
use crate::engine::TaskError;

/// The SQS exception class the SDK for Java raises for an error code.
fn exception(code: &str) -> &'static str {
    match code {
        "AWS.SimpleQueueService.NonExistentQueue" => "QueueDoesNotExistException",
        "AWS.SimpleQueueService.QueueDeletedRecently" => "QueueDeletedRecentlyException",
        "QueueAlreadyExists" => "QueueNameExistsException",
        "AWS.SimpleQueueService.PurgeQueueInProgress" => "PurgeQueueInProgressException",
        "ReceiptHandleIsInvalid" => "ReceiptHandleIsInvalidException",
        "AWS.SimpleQueueService.MessageNotInflight" => "MessageNotInflightException",
        "InvalidMessageContents" => "InvalidMessageContentsException",
        "OverLimit" => "OverLimitException",
        "InvalidAttributeName" => "InvalidAttributeNameException",
        "AWS.SimpleQueueService.UnsupportedOperation" => "UnsupportedOperationException",
        "InvalidIdFormat" => "InvalidIdFormatException",
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest" => {
            "TooManyEntriesInBatchRequestException"
        }
        "AWS.SimpleQueueService.EmptyBatchRequest" => "EmptyBatchRequestException",
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct" => "BatchEntryIdsNotDistinctException",
        "AWS.SimpleQueueService.InvalidBatchEntryId" => "InvalidBatchEntryIdException",
        "AWS.SimpleQueueService.BatchRequestTooLong" => "BatchRequestTooLongException",
        _ => "AmazonSQSException",
    }
}

/// `SQS.<Exception>` for an SQS error (SQS answers 400 for every client error).
fn api_error(err: &Error, request_id: &str) -> TaskError {
    let status = if err.status() >= 500 {
        err.status()
    } else {
        400
    };
    service_error(
        "SQS",
        exception(err.code()),
        "AmazonSQS",
        status,
        err,
        request_id,
    )
}

/// The host of `url` when it names no queue (`scheme://host[/]`) and is not an SQS endpoint.
fn unreachable_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.split(':').next().unwrap_or(authority);
    let names_queue = path.trim_matches('/').contains('/');
    (!names_queue && !host.is_empty() && !host.starts_with("sqs.")).then_some(host)
}

/// SendMessage with the task's parameters.
pub(crate) async fn send_message(sqs: &Sqs, params: Value, ctx: &Ctx) -> Result<Value, TaskError> {
    let request_id = ctx.request_id();
    let url = str_param(&params, "QueueUrl").unwrap_or_default();
    let attributes = |key: &str| -> Result<Option<MessageAttributes>, TaskError> {
        match params.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| {
                let err = Error::validation(
                    "InvalidParameterValue",
                    format!("The message attributes of parameter {key} are not valid: {e}"),
                );
                api_error(&err, &request_id)
            }),
        }
    };
    let message_attributes = attributes("MessageAttributes")?;
    let system_attributes = attributes("MessageSystemAttributes")?;
    let delay = match params.get("DelaySeconds") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                let err = Error::validation(
                    "InvalidParameterValue",
                    format!(
                        "Value {} for parameter DelaySeconds is invalid. Reason: must be an integer.",
                        crate::dataflow::compact(v)
                    ),
                );
                return Err(api_error(&err, &request_id));
            }
        },
    };
    let sent = sqs
        .send_message()
        .queue_url(url.clone())
        .set_message_body(str_param(&params, "MessageBody"))
        .set_delay_seconds(delay)
        .set_message_attributes(message_attributes)
        .set_message_system_attributes(system_attributes)
        .set_message_group_id(str_param(&params, "MessageGroupId"))
        .set_message_deduplication_id(str_param(&params, "MessageDeduplicationId"))
        .send()
        .await;
    let out = match sent {
        Ok(out) => out,
        Err(e) => {
            if e.code() == aws_lite_queue::codes::INVALID_ADDRESS {
                if let Some(host) = unreachable_host(&url) {
                    // What the SDK for Java reports when it cannot reach a host.
                    return Err(TaskError::new(
                        "SQS.SdkClientException",
                        format!(
                            "Unable to execute HTTP request: {host}: Name or service not known"
                        ),
                    ));
                }
            }
            return Err(api_error(&e, &request_id));
        }
    };
    let body = serde_json::to_value(&out).unwrap_or(Value::Null);
    let length = crate::dataflow::compact(&body).len();
    let mut result = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let headers = json_headers(
        "application/x-amz-json-1.0",
        length,
        &request_id,
        ctx.date(),
    );
    sdk_metadata(&mut result, &headers, &request_id);
    Ok(json!(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_without_queues() {
        assert_eq!(
            unreachable_host("http://no-such-queue-5538aebc"),
            Some("no-such-queue-5538aebc")
        );
        assert_eq!(
            unreachable_host("https://example.com:8443/"),
            Some("example.com")
        );
        assert_eq!(
            unreachable_host("https://sqs.us-east-1.amazonaws.com/000000000000/q"),
            None
        );
        assert_eq!(
            unreachable_host("https://sqs.us-east-1.amazonaws.com"),
            None
        );
        assert_eq!(unreachable_host("not a url"), None);
    }

    #[test]
    fn exception_names() {
        assert_eq!(
            exception("AWS.SimpleQueueService.NonExistentQueue"),
            "QueueDoesNotExistException"
        );
        assert_eq!(exception("MissingParameter"), "AmazonSQSException");
    }
}
