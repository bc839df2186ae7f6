//! SNS through aws-lite-pubsub: `arn:aws:states:::sns:publish` (and `.waitForTaskToken`).
//!
//! # Parameters
//!
//! `TopicArn` or `TargetArn`, `Message` (a string as is; any other JSON value is published as
//! its JSON text, as Step Functions serializes it), `Subject`, `MessageStructure`,
//! `MessageAttributes` (`{name: {DataType, StringValue | BinaryValue}}`), `MessageGroupId` and
//! `MessageDeduplicationId`. aws-lite-pubsub has no SMS: `PhoneNumber` is not a target.
//!
//! # Result
//!
//! Publish's response — `MessageId`, `SequenceNumber` (FIFO topics) — with `SdkHttpMetadata`
//! (`Content-Type: text/xml`, `Content-Length` of SNS's XML response) and
//! `SdkResponseMetadata`.
//!
//! # Errors
//!
//! `SNS.<Code>Exception`, as the SDK for Java names SNS's query-protocol codes
//! (`SNS.NotFoundException`, `SNS.InvalidParameterException`,
//! `SNS.InvalidParameterValueException`, `SNS.AuthorizationErrorException`, …), with the SDK's
//! message as cause.

use aws_lite_core::Error;
use aws_lite_pubsub::{MessageAttributes, Sns};
use serde_json::{Map, Value, json};

use super::{Ctx, json_headers, sdk_metadata, service_error, str_param};
use crate::engine::TaskError;

/// `SNS.<Code>Exception` for an SNS error.
fn api_error(err: &Error, request_id: &str) -> TaskError {
    let shape = err.shape();
    let exception = if shape.ends_with("Exception") {
        shape.to_string()
    } else {
        format!("{shape}Exception")
    };
    service_error(
        "SNS",
        &exception,
        "AmazonSNS",
        err.status(),
        err,
        request_id,
    )
}

/// The length of SNS's XML Publish response.
fn xml_length(message_id: &str, sequence_number: Option<&str>, request_id: &str) -> usize {
    let mut xml = String::from(
        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n  <PublishResult>\n",
    );
    xml.push_str(&format!("    <MessageId>{message_id}</MessageId>\n"));
    if let Some(seq) = sequence_number {
        xml.push_str(&format!("    <SequenceNumber>{seq}</SequenceNumber>\n"));
    }
    xml.push_str("  </PublishResult>\n  <ResponseMetadata>\n");
    xml.push_str(&format!("    <RequestId>{request_id}</RequestId>\n"));
    xml.push_str("  </ResponseMetadata>\n</PublishResponse>\n");
    xml.len()
}

/// Publish with the task's parameters.
pub(crate) async fn publish(sns: &Sns, params: Value, ctx: &Ctx) -> Result<Value, TaskError> {
    let request_id = ctx.request_id();
    let attributes: Option<MessageAttributes> = match params.get("MessageAttributes") {
        None | Some(Value::Null) => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
            let err = Error::validation(
                aws_lite_pubsub::codes::INVALID_PARAMETER,
                format!("Invalid parameter: MessageAttributes Reason: {e}"),
            );
            api_error(&err, &request_id)
        })?),
    };
    let out = sns
        .publish()
        .set_topic_arn(str_param(&params, "TopicArn"))
        .set_target_arn(str_param(&params, "TargetArn"))
        .set_message(str_param(&params, "Message"))
        .set_subject(str_param(&params, "Subject"))
        .set_message_structure(str_param(&params, "MessageStructure"))
        .set_message_attributes(attributes)
        .set_message_group_id(str_param(&params, "MessageGroupId"))
        .set_message_deduplication_id(str_param(&params, "MessageDeduplicationId"))
        .send()
        .await
        .map_err(|e| api_error(&e, &request_id))?;
    let mut result = Map::new();
    result.insert("MessageId".into(), json!(out.message_id()));
    if let Some(seq) = out.sequence_number() {
        result.insert("SequenceNumber".into(), json!(seq));
    }
    let length = xml_length(out.message_id(), out.sequence_number(), &request_id);
    let headers = json_headers("text/xml", length, &request_id, ctx.date());
    sdk_metadata(&mut result, &headers, &request_id);
    Ok(Value::Object(result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_lengths() {
        let id = "00000000-0000-0000-0000-000000000000";
        // The lengths SNS sends for a standard and a FIFO topic.
        assert_eq!(xml_length(id, None, id), 294);
        assert_eq!(xml_length(id, Some("10000000000000000001"), id), 352);
    }
}
