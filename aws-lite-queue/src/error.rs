//! SQS's errors: the codes SDKs match on, the JSON shapes and AWS's messages.
//!
//! Every failure is an [`aws_lite_core::Error`]. Its [`code`](aws_lite_core::Error::code) is the
//! legacy query code the SQS JSON protocol sends in the `x-amzn-query-error` header (the one the
//! AWS SDKs map to typed errors) and its [`shape`](aws_lite_core::Error::shape) the JSON `__type`.
//! Match on the constants in [`codes`].

use aws_lite_core::{Error, ErrorKind};

/// The error codes SQS returns, as [`Error::code`] reports them.
pub mod codes {
    /// The queue does not exist (shape `QueueDoesNotExist`).
    pub const NON_EXISTENT_QUEUE: &str = "AWS.SimpleQueueService.NonExistentQueue";
    /// A queue with this name exists with other attributes (shape `QueueNameExists`).
    pub const QUEUE_ALREADY_EXISTS: &str = "QueueAlreadyExists";
    /// The name was deleted less than 60 seconds ago (shape `QueueDeletedRecently`).
    pub const QUEUE_DELETED_RECENTLY: &str = "AWS.SimpleQueueService.QueueDeletedRecently";
    /// A purge ran less than 60 seconds ago (shape `PurgeQueueInProgress`).
    pub const PURGE_QUEUE_IN_PROGRESS: &str = "AWS.SimpleQueueService.PurgeQueueInProgress";
    /// The receipt handle is malformed or belongs to another queue.
    pub const RECEIPT_HANDLE_IS_INVALID: &str = "ReceiptHandleIsInvalid";
    /// The message is not in flight (shape `MessageNotInflight`).
    pub const MESSAGE_NOT_INFLIGHT: &str = "AWS.SimpleQueueService.MessageNotInflight";
    /// A parameter value is out of range or not allowed (shape `InvalidParameterValueException`).
    pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";
    /// A required parameter is missing (shape `MissingRequiredParameterException`).
    pub const MISSING_PARAMETER: &str = "MissingParameter";
    /// An attribute name is not known.
    pub const INVALID_ATTRIBUTE_NAME: &str = "InvalidAttributeName";
    /// An attribute value is not valid.
    pub const INVALID_ATTRIBUTE_VALUE: &str = "InvalidAttributeValue";
    /// The body holds characters SQS does not allow.
    pub const INVALID_MESSAGE_CONTENTS: &str = "InvalidMessageContents";
    /// A limit was reached (in-flight messages, tags, permissions).
    pub const OVER_LIMIT: &str = "OverLimit";
    /// More than 10 entries in a batch.
    pub const TOO_MANY_ENTRIES_IN_BATCH_REQUEST: &str =
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest";
    /// A batch with no entries.
    pub const EMPTY_BATCH_REQUEST: &str = "AWS.SimpleQueueService.EmptyBatchRequest";
    /// Two entries of a batch share an id.
    pub const BATCH_ENTRY_IDS_NOT_DISTINCT: &str =
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct";
    /// A batch entry id is not `[A-Za-z0-9_-]{1,80}`.
    pub const INVALID_BATCH_ENTRY_ID: &str = "AWS.SimpleQueueService.InvalidBatchEntryId";
    /// The batch's bodies together exceed the size limit.
    pub const BATCH_REQUEST_TOO_LONG: &str = "AWS.SimpleQueueService.BatchRequestTooLong";
    /// A message move task or other resource was not found.
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException";
    /// The queue URL or ARN is not well formed.
    pub const INVALID_ADDRESS: &str = "InvalidAddress";
    /// The operation is not supported here.
    pub const UNSUPPORTED_OPERATION: &str = "AWS.SimpleQueueService.UnsupportedOperation";
    /// The request was throttled.
    pub const REQUEST_THROTTLED: &str = "RequestThrottled";
    /// The id of a batch entry or other identifier is malformed.
    pub const INVALID_ID_FORMAT: &str = "InvalidIdFormat";
}

use codes::*;

pub(crate) fn queue_does_not_exist() -> Error {
    Error::not_found(NON_EXISTENT_QUEUE, "The specified queue does not exist.")
        .with_shape("QueueDoesNotExist")
        .with_status(400)
}

/// `attribute` is the (first) attribute whose requested value differs.
pub(crate) fn queue_name_exists(attribute: &str) -> Error {
    Error::conflict(
        QUEUE_ALREADY_EXISTS,
        format!("A queue already exists with the same name and a different value for attribute {attribute}"),
    )
    .with_shape("QueueNameExists")
    .with_status(400)
}

pub(crate) fn queue_deleted_recently() -> Error {
    Error::conflict(
        QUEUE_DELETED_RECENTLY,
        "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
    )
    .with_shape("QueueDeletedRecently")
    .with_status(400)
}

pub(crate) fn purge_queue_in_progress(queue_url: &str) -> Error {
    Error::conflict(
        PURGE_QUEUE_IN_PROGRESS,
        format!("Only one PurgeQueue operation on {queue_url} is allowed every 60 seconds."),
    )
    .with_shape("PurgeQueueInProgress")
    .with_status(403)
}

pub(crate) fn receipt_handle_is_invalid(handle: &str) -> Error {
    Error::validation(
        RECEIPT_HANDLE_IS_INVALID,
        format!("The input receipt handle \"{handle}\" is not a valid receipt handle."),
    )
}

/// `InvalidParameterValue` with a free-form message.
pub(crate) fn invalid_parameter_value(message: impl Into<String>) -> Error {
    Error::validation(INVALID_PARAMETER_VALUE, message).with_shape("InvalidParameterValueException")
}

/// `Value {value} for parameter {name} is invalid. Reason: {reason}`
pub(crate) fn invalid_parameter(name: &str, value: impl std::fmt::Display, reason: &str) -> Error {
    invalid_parameter_value(format!(
        "Value {value} for parameter {name} is invalid. Reason: {reason}"
    ))
}

pub(crate) fn missing_parameter(message: impl Into<String>) -> Error {
    Error::validation(MISSING_PARAMETER, message).with_shape("MissingRequiredParameterException")
}

pub(crate) fn invalid_attribute_name(message: impl Into<String>) -> Error {
    Error::validation(INVALID_ATTRIBUTE_NAME, message)
}

pub(crate) fn invalid_attribute_value(message: impl Into<String>) -> Error {
    Error::validation(INVALID_ATTRIBUTE_VALUE, message)
}

pub(crate) fn invalid_message_contents() -> Error {
    Error::validation(
        INVALID_MESSAGE_CONTENTS,
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    )
}

pub(crate) fn over_limit(message: impl Into<String>) -> Error {
    Error::limit_exceeded(OVER_LIMIT, message).with_status(403)
}

pub(crate) fn unsupported_operation(message: impl Into<String>) -> Error {
    Error::validation(UNSUPPORTED_OPERATION, message)
        .with_shape("UnsupportedOperation")
        .with_kind(ErrorKind::Other)
}

pub(crate) fn invalid_address(message: impl Into<String>) -> Error {
    Error::validation(INVALID_ADDRESS, message)
}

pub(crate) fn too_many_entries(sent: usize, max: usize) -> Error {
    Error::validation(
        TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
        format!("Maximum number of entries per request are {max}. You have sent {sent}."),
    )
    .with_shape("TooManyEntriesInBatchRequest")
}

pub(crate) fn empty_batch(entry_shape: &str) -> Error {
    Error::validation(
        EMPTY_BATCH_REQUEST,
        format!("There should be at least one {entry_shape} in the request."),
    )
    .with_shape("EmptyBatchRequest")
}

pub(crate) fn batch_ids_not_distinct(id: &str) -> Error {
    Error::validation(BATCH_ENTRY_IDS_NOT_DISTINCT, format!("Id {id} repeated."))
        .with_shape("BatchEntryIdsNotDistinct")
}

pub(crate) fn invalid_batch_entry_id() -> Error {
    Error::validation(
        INVALID_BATCH_ENTRY_ID,
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
    )
    .with_shape("InvalidBatchEntryId")
}

pub(crate) fn batch_request_too_long(sent: usize, max: usize) -> Error {
    Error::validation(
        BATCH_REQUEST_TOO_LONG,
        format!("Batch requests cannot be longer than {max} bytes. You have sent {sent} bytes."),
    )
    .with_shape("BatchRequestTooLong")
}

// ----- message move tasks -----

/// `ResourceNotFoundException` as the move task operations answer it (HTTP 404, recorded
/// against AWS): an unknown `SourceArn`/`DestinationArn` or task.
pub(crate) fn move_task_not_found(message: impl Into<String>) -> Error {
    Error::not_found(RESOURCE_NOT_FOUND, message)
        .with_shape("ResourceNotFoundException")
        .with_status(404)
}

/// CancelMessageMoveTask on a task that is not `RUNNING`. The API model lists only
/// `ResourceNotFoundException` for this operation; the wording is aws-lite's.
pub(crate) fn move_task_not_running(status: &str) -> Error {
    move_task_not_found(format!(
        "Only a task with status RUNNING can be cancelled; this task is {status}."
    ))
}
