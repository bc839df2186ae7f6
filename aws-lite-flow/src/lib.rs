#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub(crate) mod activity;
pub mod asl;
pub(crate) mod callback;
pub(crate) mod choice;
pub(crate) mod dataflow;
pub(crate) mod driver;
pub(crate) mod engine;
pub mod history;
pub(crate) mod intrinsic;
pub mod operation;
pub(crate) mod path;
pub(crate) mod service;
pub(crate) mod timestamp;

pub use asl::Definition;
pub use driver::TaskFuture;
pub use engine::{MAX_PAYLOAD_BYTES, TaskError};
pub use history::{HistoryEvent, HistoryEventType, MAX_HISTORY_EVENTS};
pub use service::{ExecutionStatus, Sfn, SfnBuilder, StateMachineType};
