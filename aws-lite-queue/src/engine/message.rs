//! The immutable content of a stored message.

use std::sync::{Arc, OnceLock};

use aws_lite_core::id::Uuid;

use crate::md5::Md5Hex;
use crate::types::{MessageAttributeValue, MessageAttributes};

/// A message id, formatted to text only when someone asks (most in-process callers never do).
#[derive(Debug, Clone)]
pub(crate) struct LazyId {
    id: Uuid,
    text: OnceLock<String>,
}

impl LazyId {
    pub(crate) fn new(id: Uuid) -> LazyId {
        LazyId {
            id,
            text: OnceLock::new(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        self.text.get_or_init(|| self.id.to_string())
    }
}

/// What a message carries from the moment it is sent: shared (behind an `Arc`) by the queue and
/// every receive that returns it, so a receive copies a pointer, not the body.
#[derive(Debug)]
pub(crate) struct MessageData {
    pub(crate) id: Uuid,
    pub(crate) body: String,
    pub(crate) attributes: MessageAttributes,
    /// `AWSTraceHeader`, the only message system attribute a sender may set.
    pub(crate) trace_header: Option<Box<MessageAttributeValue>>,
    /// Epoch milliseconds of the send (`SentTimestamp`).
    pub(crate) sent_ms: u64,
    pub(crate) sender_id: Arc<str>,
    pub(crate) group_id: Option<Arc<str>>,
    pub(crate) dedup_id: Option<Arc<str>>,
    /// Set on messages a redrive moved into a dead-letter queue.
    pub(crate) dead_letter_source_arn: Option<Arc<str>>,
    md5_body: OnceLock<Md5Hex>,
    md5_attributes: OnceLock<Option<Md5Hex>>,
    md5_system: OnceLock<Option<Md5Hex>>,
}

impl MessageData {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        id: Uuid,
        body: String,
        attributes: MessageAttributes,
        trace_header: Option<Box<MessageAttributeValue>>,
        sent_ms: u64,
        sender_id: Arc<str>,
        group_id: Option<Arc<str>>,
        dedup_id: Option<Arc<str>>,
    ) -> MessageData {
        MessageData {
            id,
            body,
            attributes,
            trace_header,
            sent_ms,
            sender_id,
            group_id,
            dedup_id,
            dead_letter_source_arn: None,
            md5_body: OnceLock::new(),
            md5_attributes: OnceLock::new(),
            md5_system: OnceLock::new(),
        }
    }

    /// A copy for another queue (redrive or move task), keeping id, body, attributes and digests.
    pub(crate) fn copy_for_move(
        &self,
        sent_ms: u64,
        dead_letter_source_arn: Option<Arc<str>>,
    ) -> MessageData {
        let copy = MessageData {
            id: self.id,
            body: self.body.clone(),
            attributes: self.attributes.clone(),
            trace_header: self.trace_header.clone(),
            sent_ms,
            sender_id: self.sender_id.clone(),
            group_id: self.group_id.clone(),
            dedup_id: self.dedup_id.clone(),
            dead_letter_source_arn,
            md5_body: OnceLock::new(),
            md5_attributes: OnceLock::new(),
            md5_system: OnceLock::new(),
        };
        if let Some(m) = self.md5_body.get() {
            let _ = copy.md5_body.set(*m);
        }
        copy
    }

    /// `MD5OfMessageBody`, computed once on first use.
    pub(crate) fn md5_of_body(&self) -> &str {
        self.md5_body
            .get_or_init(|| crate::md5::md5_hex_of_body(&self.body))
            .as_str()
    }

    /// `MD5OfMessageAttributes` over all the message's attributes, computed once on first use.
    pub(crate) fn md5_of_attributes(&self) -> Option<&str> {
        self.md5_attributes
            .get_or_init(|| crate::md5::md5_hex_of_attributes(&self.attributes))
            .as_ref()
            .map(Md5Hex::as_str)
    }

    /// `MD5OfMessageSystemAttributes` (of `AWSTraceHeader`), computed once on first use.
    pub(crate) fn md5_of_system_attributes(&self) -> Option<&str> {
        self.md5_system
            .get_or_init(|| {
                self.trace_header.as_ref().and_then(|v| {
                    let mut m = MessageAttributes::new();
                    m.insert("AWSTraceHeader".to_string(), (**v).clone());
                    crate::md5::md5_hex_of_attributes(&m)
                })
            })
            .as_ref()
            .map(Md5Hex::as_str)
    }
}
