//! One module per SQS operation: its input, its output, its fluent builder and its semantics.
//!
//! Each builder is reached from [`Sqs`](crate::Sqs) (queue given by URL) and, for per-queue
//! operations, from [`Queue`](crate::Queue) (no lookup).

pub mod create_queue;
pub mod delete_message;
pub mod receive_message;
pub mod send_message;
