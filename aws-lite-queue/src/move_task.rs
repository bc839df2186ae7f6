//! Message move tasks (StartMessageMoveTask / CancelMessageMoveTask / ListMessageMoveTasks).

/// The message move tasks of one service.
#[derive(Debug, Default)]
pub(crate) struct MoveTasks {}
