//! What the three batch operations share: the per-entry failure they report.
//!
//! # Semantics
//!
//! SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch first check the batch
//! as a whole; a batch that breaks one of these rules fails entirely, and nothing is done:
//!
//! | rule | error code | message |
//! |---|---|---|
//! | at least one entry | `AWS.SimpleQueueService.EmptyBatchRequest` | `There should be at least one {EntryShape} in the request.` |
//! | at most 10 entries | `AWS.SimpleQueueService.TooManyEntriesInBatchRequest` | `Maximum number of entries per request are 10. You have sent 11.` |
//! | ids are `[A-Za-z0-9_-]{1,80}` | `AWS.SimpleQueueService.InvalidBatchEntryId` | `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.` |
//! | ids are distinct | `AWS.SimpleQueueService.BatchEntryIdsNotDistinct` | `Id {id} repeated.` |
//!
//! After that, every entry is processed on its own, as the single operation would be, under one
//! hold of the queue's lock: the entries that succeed are listed in `Successful`, the others in
//! `Failed` as a [`BatchResultErrorEntry`] carrying the code and message the single operation
//! would have answered. The call itself succeeds (HTTP 200) even when every entry failed.

use aws_lite_core::{Error, Fault};
use serde::Serialize;

/// One entry of a batch request that failed (`BatchResultErrorEntry`), with the error the
/// single operation would have returned for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BatchResultErrorEntry {
    id: String,
    sender_fault: bool,
    code: String,
    message: String,
}

impl BatchResultErrorEntry {
    /// The failure of entry `id` with `error`.
    pub(crate) fn new(id: &str, error: &Error) -> BatchResultErrorEntry {
        BatchResultErrorEntry {
            id: id.to_string(),
            sender_fault: error.fault() == Fault::Sender,
            code: error.code().to_string(),
            message: error.message().to_string(),
        }
    }

    /// The `Id` of the entry, as the request gave it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Whether the caller's entry was at fault (rather than the service).
    pub fn sender_fault(&self) -> bool {
        self.sender_fault
    }

    /// The error code, as the single operation would have returned it (e.g.
    /// `InvalidParameterValue`, `ReceiptHandleIsInvalid`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The error message, as the single operation would have returned it.
    pub fn message(&self) -> &str {
        &self.message
    }
}
