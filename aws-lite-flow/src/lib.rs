#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub(crate) mod activity;
pub mod api;
pub mod asl;
pub(crate) mod callback;
pub(crate) mod choice;
pub(crate) mod dataflow;
pub(crate) mod driver;
pub(crate) mod engine;
pub mod history;
pub mod integration;
pub(crate) mod intrinsic;
pub mod map_run;
pub mod objects;
pub mod operation;
pub(crate) mod path;
pub(crate) mod service;
pub(crate) mod timestamp;

pub use asl::Definition;
pub use driver::TaskFuture;
pub use engine::{MAX_PAYLOAD_BYTES, TaskError};
pub use history::{HistoryEvent, HistoryEventType, MAX_HISTORY_EVENTS};
pub use operation::create_state_machine_alias::RoutingConfigurationListItem;
pub use service::{
    ExecutionStatus, MAX_ALIASES_PER_STATE_MACHINE, MAX_VERSIONS_PER_STATE_MACHINE, Sfn,
    SfnBuilder, StateMachineType,
};
