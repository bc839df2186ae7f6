//! Message system attribute names: what `ReceiveMessage`'s `MessageSystemAttributeNames` (and
//! the older `AttributeNames`) may ask for, and what comes back in a message's `Attributes`.
//!
//! The set is the SQS model's `MessageSystemAttributeName` enum. Of these, only
//! `AWSTraceHeader` may be *sent* (in `MessageSystemAttributes`), with type `String`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A message system attribute name, spelled on the wire as [`as_str`](Self::as_str) returns.
///
/// ```
/// use aws_lite_queue::MessageSystemAttributeName;
///
/// let name: MessageSystemAttributeName = "AWSTraceHeader".parse().unwrap();
/// assert_eq!(name, MessageSystemAttributeName::AwsTraceHeader);
/// assert_eq!(name.as_str(), "AWSTraceHeader");
/// assert!("awstraceheader".parse::<MessageSystemAttributeName>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MessageSystemAttributeName {
    /// `All`: every system attribute the message has.
    All,
    /// `SenderId`: the sender's account id (or IAM user/role id).
    SenderId,
    /// `SentTimestamp`: when the message was sent, epoch milliseconds.
    SentTimestamp,
    /// `ApproximateReceiveCount`: how many times the message was received and not deleted.
    ApproximateReceiveCount,
    /// `ApproximateFirstReceiveTimestamp`: when the message was first received, epoch
    /// milliseconds.
    ApproximateFirstReceiveTimestamp,
    /// `SequenceNumber` (FIFO): the 128-bit sequence number, as decimal text.
    SequenceNumber,
    /// `MessageDeduplicationId` (FIFO).
    MessageDeduplicationId,
    /// `MessageGroupId` (FIFO, and fair standard queues).
    MessageGroupId,
    /// `AWSTraceHeader`: the X-Ray trace header; the only system attribute a sender may set.
    #[serde(rename = "AWSTraceHeader")]
    AwsTraceHeader,
    /// `DeadLetterQueueSourceArn`: the ARN of the queue a dead-lettered message came from.
    DeadLetterQueueSourceArn,
}

impl MessageSystemAttributeName {
    /// Every name, `All` first, then in the model's order.
    pub const VALUES: [MessageSystemAttributeName; 10] = [
        MessageSystemAttributeName::All,
        MessageSystemAttributeName::SenderId,
        MessageSystemAttributeName::SentTimestamp,
        MessageSystemAttributeName::ApproximateReceiveCount,
        MessageSystemAttributeName::ApproximateFirstReceiveTimestamp,
        MessageSystemAttributeName::SequenceNumber,
        MessageSystemAttributeName::MessageDeduplicationId,
        MessageSystemAttributeName::MessageGroupId,
        MessageSystemAttributeName::AwsTraceHeader,
        MessageSystemAttributeName::DeadLetterQueueSourceArn,
    ];

    /// The name as SQS spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageSystemAttributeName::All => "All",
            MessageSystemAttributeName::SenderId => "SenderId",
            MessageSystemAttributeName::SentTimestamp => "SentTimestamp",
            MessageSystemAttributeName::ApproximateReceiveCount => "ApproximateReceiveCount",
            MessageSystemAttributeName::ApproximateFirstReceiveTimestamp => {
                "ApproximateFirstReceiveTimestamp"
            }
            MessageSystemAttributeName::SequenceNumber => "SequenceNumber",
            MessageSystemAttributeName::MessageDeduplicationId => "MessageDeduplicationId",
            MessageSystemAttributeName::MessageGroupId => "MessageGroupId",
            MessageSystemAttributeName::AwsTraceHeader => "AWSTraceHeader",
            MessageSystemAttributeName::DeadLetterQueueSourceArn => "DeadLetterQueueSourceArn",
        }
    }

    /// Whether this name selects `attribute`: `All` selects every name, any other only itself.
    pub fn selects(self, attribute: MessageSystemAttributeName) -> bool {
        self == MessageSystemAttributeName::All || self == attribute
    }
}

impl fmt::Display for MessageSystemAttributeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for MessageSystemAttributeName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl FromStr for MessageSystemAttributeName {
    type Err = ParseMessageSystemAttributeNameError;

    /// Parses the exact (case-sensitive) AWS spelling.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MessageSystemAttributeName::VALUES
            .into_iter()
            .find(|name| name.as_str() == s)
            .ok_or_else(|| ParseMessageSystemAttributeNameError { name: s.to_owned() })
    }
}

/// The text given to [`MessageSystemAttributeName::from_str`] is not a system attribute name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseMessageSystemAttributeNameError {
    name: String,
}

impl ParseMessageSystemAttributeNameError {
    /// The text that did not parse.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for ParseMessageSystemAttributeNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown message system attribute name '{}'", self.name)
    }
}

impl std::error::Error for ParseMessageSystemAttributeNameError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_name() {
        for name in MessageSystemAttributeName::VALUES {
            assert_eq!(
                name.as_str().parse::<MessageSystemAttributeName>(),
                Ok(name)
            );
            assert_eq!(name.to_string(), name.as_str());
            let json = serde_json::to_string(&name).unwrap();
            assert_eq!(json, format!("\"{}\"", name.as_str()));
            assert_eq!(
                serde_json::from_str::<MessageSystemAttributeName>(&json).unwrap(),
                name
            );
        }
    }

    #[test]
    fn spellings_are_the_models() {
        let spelled: Vec<&str> = MessageSystemAttributeName::VALUES
            .iter()
            .map(|n| n.as_str())
            .collect();
        assert_eq!(
            spelled,
            [
                "All",
                "SenderId",
                "SentTimestamp",
                "ApproximateReceiveCount",
                "ApproximateFirstReceiveTimestamp",
                "SequenceNumber",
                "MessageDeduplicationId",
                "MessageGroupId",
                "AWSTraceHeader",
                "DeadLetterQueueSourceArn",
            ]
        );
    }

    #[test]
    fn rejects_unknown_and_wrong_case() {
        for text in ["", "all", "AwsTraceHeader", "SqsManagedSseEnabled", "Foo"] {
            let err = text.parse::<MessageSystemAttributeName>().unwrap_err();
            assert_eq!(err.name(), text);
            assert_eq!(
                err.to_string(),
                format!("unknown message system attribute name '{text}'")
            );
        }
        assert!(serde_json::from_str::<MessageSystemAttributeName>("\"Foo\"").is_err());
    }

    #[test]
    fn all_selects_everything() {
        use MessageSystemAttributeName::*;
        assert!(All.selects(SenderId));
        assert!(All.selects(AwsTraceHeader));
        assert!(SenderId.selects(SenderId));
        assert!(!SenderId.selects(SentTimestamp));
    }
}
