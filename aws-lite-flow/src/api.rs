//! [`SfnApi`]: the Step Functions contract as one object-safe trait, one async method per
//! operation.
//!
//! An application that holds an `Arc<dyn SfnApi>` runs unchanged against the in-memory engine
//! ([`Sfn`] implements the trait) and, later, against an adapter over the real service. Each
//! method takes the operation's input struct and returns its output struct; the structs carry
//! the field names of the Step Functions JSON protocol, so a wire layer is deserialize → call →
//! serialize.
//!
//! The fluent builders (`sfn.start_execution()…send()`) reach the same code without boxing and
//! are the faster path in process; the trait is for code that must not name the backend.
//!
//! # Implementing it
//!
//! The methods have the signatures `#[async_trait::async_trait]` gives an `async fn`
//! (`fn op<'life0, 'async_trait>(&'life0 self, input) -> Pin<Box<dyn Future<Output = …> +
//! Send + 'async_trait>>`), so another backend can implement the trait with `async fn`s under
//! `#[async_trait]`, or return `Box::pin(async move { … })` by hand; this crate itself does not
//! depend on async-trait.
//!
//! ```
//! use std::sync::Arc;
//! use aws_lite_flow::api::SfnApi;
//! use aws_lite_flow::operation::create_state_machine::CreateStateMachineInput;
//! use aws_lite_flow::operation::start_sync_execution::StartSyncExecutionInput;
//! use aws_lite_flow::{ExecutionStatus, Sfn, StateMachineType};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sfn: Arc<dyn SfnApi> = Arc::new(Sfn::new());
//! let mut create = CreateStateMachineInput::default();
//! create.name = "hello".into();
//! create.machine_type = Some(StateMachineType::Express);
//! create.definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "hi", "End": true}}}"#.into();
//! let arn = sfn.create_state_machine(create).await?.state_machine_arn;
//! let mut start = StartSyncExecutionInput::default();
//! start.state_machine_arn = arn;
//! let done = sfn.start_sync_execution(start).await?;
//! assert_eq!(done.status, ExecutionStatus::Succeeded);
//! assert_eq!(done.output.as_deref(), Some(r#""hi""#));
//! # Ok(()) }
//! ```

use std::future::Future;
use std::pin::Pin;

use aws_lite_core::Error;

use crate::Sfn;
use crate::operation::create_activity::{CreateActivityInput, CreateActivityOutput};
use crate::operation::create_state_machine::{CreateStateMachineInput, CreateStateMachineOutput};
use crate::operation::create_state_machine_alias::{
    CreateStateMachineAliasInput, CreateStateMachineAliasOutput,
};
use crate::operation::delete_activity::{DeleteActivityInput, DeleteActivityOutput};
use crate::operation::delete_state_machine::{DeleteStateMachineInput, DeleteStateMachineOutput};
use crate::operation::delete_state_machine_alias::{
    DeleteStateMachineAliasInput, DeleteStateMachineAliasOutput,
};
use crate::operation::delete_state_machine_version::{
    DeleteStateMachineVersionInput, DeleteStateMachineVersionOutput,
};
use crate::operation::describe_activity::{DescribeActivityInput, DescribeActivityOutput};
use crate::operation::describe_execution::{DescribeExecutionInput, DescribeExecutionOutput};
use crate::operation::describe_map_run::{DescribeMapRunInput, DescribeMapRunOutput};
use crate::operation::describe_state_machine::{
    DescribeStateMachineInput, DescribeStateMachineOutput,
};
use crate::operation::describe_state_machine_alias::{
    DescribeStateMachineAliasInput, DescribeStateMachineAliasOutput,
};
use crate::operation::describe_state_machine_for_execution::{
    DescribeStateMachineForExecutionInput, DescribeStateMachineForExecutionOutput,
};
use crate::operation::get_activity_task::{GetActivityTaskInput, GetActivityTaskOutput};
use crate::operation::get_execution_history::{
    GetExecutionHistoryInput, GetExecutionHistoryOutput,
};
use crate::operation::list_activities::{ListActivitiesInput, ListActivitiesOutput};
use crate::operation::list_executions::{ListExecutionsInput, ListExecutionsOutput};
use crate::operation::list_map_runs::{ListMapRunsInput, ListMapRunsOutput};
use crate::operation::list_state_machine_aliases::{
    ListStateMachineAliasesInput, ListStateMachineAliasesOutput,
};
use crate::operation::list_state_machine_versions::{
    ListStateMachineVersionsInput, ListStateMachineVersionsOutput,
};
use crate::operation::list_state_machines::{ListStateMachinesInput, ListStateMachinesOutput};
use crate::operation::publish_state_machine_version::{
    PublishStateMachineVersionInput, PublishStateMachineVersionOutput,
};
use crate::operation::send_task_failure::{SendTaskFailureInput, SendTaskFailureOutput};
use crate::operation::send_task_heartbeat::{SendTaskHeartbeatInput, SendTaskHeartbeatOutput};
use crate::operation::send_task_success::{SendTaskSuccessInput, SendTaskSuccessOutput};
use crate::operation::start_execution::{StartExecutionInput, StartExecutionOutput};
use crate::operation::start_sync_execution::{StartSyncExecutionInput, StartSyncExecutionOutput};
use crate::operation::stop_execution::{StopExecutionInput, StopExecutionOutput};
use crate::operation::test_state::{TestStateInput, TestStateOutput};
use crate::operation::update_state_machine::{UpdateStateMachineInput, UpdateStateMachineOutput};
use crate::operation::update_state_machine_alias::{
    UpdateStateMachineAliasInput, UpdateStateMachineAliasOutput,
};
use crate::operation::validate_state_machine_definition::{
    ValidateStateMachineDefinitionInput, ValidateStateMachineDefinitionOutput,
};

/// Declares [`SfnApi`] and implements it for [`Sfn`]: each method sends the operation's fluent
/// builder with the input as it was given (the same code the builder's own callers reach).
macro_rules! sfn_api {
    ($( $(#[doc = $doc:literal])* fn $op:ident($input:ty) -> $output:ty; )*) => {
        /// The Step Functions operations aws-lite implements, object-safe
        /// (`Arc<dyn SfnApi>`): one method per operation, taking its input struct and
        /// returning its output struct.
        pub trait SfnApi: Send + Sync {
            $(
                $(#[doc = $doc])*
                #[allow(clippy::type_complexity)]
                fn $op<'life0, 'async_trait>(
                    &'life0 self,
                    input: $input,
                ) -> Pin<Box<dyn Future<Output = Result<$output, Error>> + Send + 'async_trait>>
                where
                    'life0: 'async_trait,
                    Self: 'async_trait;
            )*
        }

        impl SfnApi for Sfn {
            $(
                #[allow(clippy::type_complexity)]
                fn $op<'life0, 'async_trait>(
                    &'life0 self,
                    input: $input,
                ) -> Pin<Box<dyn Future<Output = Result<$output, Error>> + Send + 'async_trait>>
                where
                    'life0: 'async_trait,
                    Self: 'async_trait,
                {
                    let mut request = self.$op();
                    request.input = input;
                    Box::pin(request.send())
                }
            )*
        }
    };
}

sfn_api! {
    /// CreateActivity.
    fn create_activity(CreateActivityInput) -> CreateActivityOutput;
    /// CreateStateMachine (with `publish`: its first version).
    fn create_state_machine(CreateStateMachineInput) -> CreateStateMachineOutput;
    /// CreateStateMachineAlias.
    fn create_state_machine_alias(CreateStateMachineAliasInput) -> CreateStateMachineAliasOutput;
    /// DeleteActivity.
    fn delete_activity(DeleteActivityInput) -> DeleteActivityOutput;
    /// DeleteStateMachine (with its versions and aliases).
    fn delete_state_machine(DeleteStateMachineInput) -> DeleteStateMachineOutput;
    /// DeleteStateMachineAlias.
    fn delete_state_machine_alias(DeleteStateMachineAliasInput) -> DeleteStateMachineAliasOutput;
    /// DeleteStateMachineVersion.
    fn delete_state_machine_version(
        DeleteStateMachineVersionInput
    ) -> DeleteStateMachineVersionOutput;
    /// DescribeActivity.
    fn describe_activity(DescribeActivityInput) -> DescribeActivityOutput;
    /// DescribeExecution.
    fn describe_execution(DescribeExecutionInput) -> DescribeExecutionOutput;
    /// DescribeMapRun (a Distributed Map's run).
    fn describe_map_run(DescribeMapRunInput) -> DescribeMapRunOutput;
    /// DescribeStateMachine (also of a version).
    fn describe_state_machine(DescribeStateMachineInput) -> DescribeStateMachineOutput;
    /// DescribeStateMachineAlias.
    fn describe_state_machine_alias(
        DescribeStateMachineAliasInput
    ) -> DescribeStateMachineAliasOutput;
    /// DescribeStateMachineForExecution.
    fn describe_state_machine_for_execution(
        DescribeStateMachineForExecutionInput
    ) -> DescribeStateMachineForExecutionOutput;
    /// GetActivityTask (long polls on the service clock).
    fn get_activity_task(GetActivityTaskInput) -> GetActivityTaskOutput;
    /// GetExecutionHistory.
    fn get_execution_history(GetExecutionHistoryInput) -> GetExecutionHistoryOutput;
    /// ListActivities.
    fn list_activities(ListActivitiesInput) -> ListActivitiesOutput;
    /// ListExecutions.
    fn list_executions(ListExecutionsInput) -> ListExecutionsOutput;
    /// ListMapRuns.
    fn list_map_runs(ListMapRunsInput) -> ListMapRunsOutput;
    /// ListStateMachineAliases.
    fn list_state_machine_aliases(ListStateMachineAliasesInput) -> ListStateMachineAliasesOutput;
    /// ListStateMachineVersions.
    fn list_state_machine_versions(
        ListStateMachineVersionsInput
    ) -> ListStateMachineVersionsOutput;
    /// ListStateMachines.
    fn list_state_machines(ListStateMachinesInput) -> ListStateMachinesOutput;
    /// PublishStateMachineVersion.
    fn publish_state_machine_version(
        PublishStateMachineVersionInput
    ) -> PublishStateMachineVersionOutput;
    /// SendTaskFailure.
    fn send_task_failure(SendTaskFailureInput) -> SendTaskFailureOutput;
    /// SendTaskHeartbeat.
    fn send_task_heartbeat(SendTaskHeartbeatInput) -> SendTaskHeartbeatOutput;
    /// SendTaskSuccess.
    fn send_task_success(SendTaskSuccessInput) -> SendTaskSuccessOutput;
    /// StartExecution (on a machine, a version or an alias).
    fn start_execution(StartExecutionInput) -> StartExecutionOutput;
    /// StartSyncExecution (Express; waits for the end on the service clock).
    fn start_sync_execution(StartSyncExecutionInput) -> StartSyncExecutionOutput;
    /// StopExecution.
    fn stop_execution(StopExecutionInput) -> StopExecutionOutput;
    /// TestState.
    fn test_state(TestStateInput) -> TestStateOutput;
    /// UpdateStateMachine (with `publish`: a version).
    fn update_state_machine(UpdateStateMachineInput) -> UpdateStateMachineOutput;
    /// UpdateStateMachineAlias.
    fn update_state_machine_alias(UpdateStateMachineAliasInput) -> UpdateStateMachineAliasOutput;
    /// ValidateStateMachineDefinition.
    fn validate_state_machine_definition(
        ValidateStateMachineDefinitionInput
    ) -> ValidateStateMachineDefinitionOutput;
}
