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

/// Declares [`SfnApi`] and implements it for [`Sfn`] through the functions of `adapt`, one
/// per operation, of the same name.
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
                    Box::pin(adapt::$op(self, input))
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

/// Each operation from its input struct: the operation's own function where it has one, else
/// its fluent builder with the input's fields.
mod adapt {
    use super::*;
    use crate::operation;

    pub(super) async fn create_activity(
        sfn: &Sfn,
        input: CreateActivityInput,
    ) -> Result<CreateActivityOutput, Error> {
        sfn.create_activity().name(input.name).send().await
    }

    pub(super) async fn create_state_machine(
        sfn: &Sfn,
        input: CreateStateMachineInput,
    ) -> Result<CreateStateMachineOutput, Error> {
        operation::create_state_machine::create_state_machine(sfn, input)
    }

    pub(super) async fn create_state_machine_alias(
        sfn: &Sfn,
        input: CreateStateMachineAliasInput,
    ) -> Result<CreateStateMachineAliasOutput, Error> {
        operation::create_state_machine_alias::create_state_machine_alias(sfn, input)
    }

    pub(super) async fn delete_activity(
        sfn: &Sfn,
        input: DeleteActivityInput,
    ) -> Result<DeleteActivityOutput, Error> {
        sfn.delete_activity()
            .activity_arn(input.activity_arn)
            .send()
            .await
    }

    pub(super) async fn delete_state_machine(
        sfn: &Sfn,
        input: DeleteStateMachineInput,
    ) -> Result<DeleteStateMachineOutput, Error> {
        sfn.delete_state_machine()
            .state_machine_arn(input.state_machine_arn)
            .send()
            .await
    }

    pub(super) async fn delete_state_machine_alias(
        sfn: &Sfn,
        input: DeleteStateMachineAliasInput,
    ) -> Result<DeleteStateMachineAliasOutput, Error> {
        operation::delete_state_machine_alias::delete_state_machine_alias(sfn, input)
    }

    pub(super) async fn delete_state_machine_version(
        sfn: &Sfn,
        input: DeleteStateMachineVersionInput,
    ) -> Result<DeleteStateMachineVersionOutput, Error> {
        operation::delete_state_machine_version::delete_state_machine_version(sfn, input)
    }

    pub(super) async fn describe_activity(
        sfn: &Sfn,
        input: DescribeActivityInput,
    ) -> Result<DescribeActivityOutput, Error> {
        sfn.describe_activity()
            .activity_arn(input.activity_arn)
            .send()
            .await
    }

    pub(super) async fn describe_execution(
        sfn: &Sfn,
        input: DescribeExecutionInput,
    ) -> Result<DescribeExecutionOutput, Error> {
        sfn.describe_execution()
            .execution_arn(input.execution_arn)
            .send()
            .await
    }

    pub(super) async fn describe_map_run(
        sfn: &Sfn,
        input: DescribeMapRunInput,
    ) -> Result<DescribeMapRunOutput, Error> {
        sfn.describe_map_run()
            .map_run_arn(input.map_run_arn)
            .send()
            .await
    }

    pub(super) async fn describe_state_machine(
        sfn: &Sfn,
        input: DescribeStateMachineInput,
    ) -> Result<DescribeStateMachineOutput, Error> {
        sfn.describe_state_machine()
            .state_machine_arn(input.state_machine_arn)
            .send()
            .await
    }

    pub(super) async fn describe_state_machine_alias(
        sfn: &Sfn,
        input: DescribeStateMachineAliasInput,
    ) -> Result<DescribeStateMachineAliasOutput, Error> {
        operation::describe_state_machine_alias::describe_state_machine_alias(sfn, input)
    }

    pub(super) async fn describe_state_machine_for_execution(
        sfn: &Sfn,
        input: DescribeStateMachineForExecutionInput,
    ) -> Result<DescribeStateMachineForExecutionOutput, Error> {
        operation::describe_state_machine_for_execution::describe_state_machine_for_execution(
            sfn, input,
        )
    }

    pub(super) async fn get_activity_task(
        sfn: &Sfn,
        input: GetActivityTaskInput,
    ) -> Result<GetActivityTaskOutput, Error> {
        let mut b = sfn.get_activity_task().activity_arn(input.activity_arn);
        if let Some(w) = input.worker_name {
            b = b.worker_name(w);
        }
        b.send().await
    }

    pub(super) async fn get_execution_history(
        sfn: &Sfn,
        input: GetExecutionHistoryInput,
    ) -> Result<GetExecutionHistoryOutput, Error> {
        let mut b = sfn
            .get_execution_history()
            .execution_arn(input.execution_arn);
        if let Some(n) = input.max_results {
            b = b.max_results(n);
        }
        if let Some(r) = input.reverse_order {
            b = b.reverse_order(r);
        }
        if let Some(t) = input.next_token {
            b = b.next_token(t);
        }
        b.send().await
    }

    pub(super) async fn list_activities(
        sfn: &Sfn,
        input: ListActivitiesInput,
    ) -> Result<ListActivitiesOutput, Error> {
        let mut b = sfn.list_activities();
        if let Some(n) = input.max_results {
            b = b.max_results(n);
        }
        if let Some(t) = input.next_token {
            b = b.next_token(t);
        }
        b.send().await
    }

    pub(super) async fn list_executions(
        sfn: &Sfn,
        input: ListExecutionsInput,
    ) -> Result<ListExecutionsOutput, Error> {
        let mut b = sfn
            .list_executions()
            .state_machine_arn(input.state_machine_arn);
        if let Some(s) = input.status_filter {
            b = b.status_filter(s);
        }
        b.send().await
    }

    pub(super) async fn list_map_runs(
        sfn: &Sfn,
        input: ListMapRunsInput,
    ) -> Result<ListMapRunsOutput, Error> {
        let mut b = sfn.list_map_runs().execution_arn(input.execution_arn);
        if let Some(n) = input.max_results {
            b = b.max_results(n);
        }
        if let Some(t) = input.next_token {
            b = b.next_token(t);
        }
        b.send().await
    }

    pub(super) async fn list_state_machine_aliases(
        sfn: &Sfn,
        input: ListStateMachineAliasesInput,
    ) -> Result<ListStateMachineAliasesOutput, Error> {
        operation::list_state_machine_aliases::list_state_machine_aliases(sfn, input)
    }

    pub(super) async fn list_state_machine_versions(
        sfn: &Sfn,
        input: ListStateMachineVersionsInput,
    ) -> Result<ListStateMachineVersionsOutput, Error> {
        operation::list_state_machine_versions::list_state_machine_versions(sfn, input)
    }

    pub(super) async fn list_state_machines(
        sfn: &Sfn,
        input: ListStateMachinesInput,
    ) -> Result<ListStateMachinesOutput, Error> {
        let mut b = sfn.list_state_machines();
        if let Some(n) = input.max_results {
            b = b.max_results(n);
        }
        if let Some(t) = input.next_token {
            b = b.next_token(t);
        }
        b.send().await
    }

    pub(super) async fn publish_state_machine_version(
        sfn: &Sfn,
        input: PublishStateMachineVersionInput,
    ) -> Result<PublishStateMachineVersionOutput, Error> {
        operation::publish_state_machine_version::publish_state_machine_version(sfn, input)
    }

    pub(super) async fn send_task_failure(
        sfn: &Sfn,
        input: SendTaskFailureInput,
    ) -> Result<SendTaskFailureOutput, Error> {
        let mut b = sfn.send_task_failure().task_token(input.task_token);
        if let Some(e) = input.error {
            b = b.error(e);
        }
        if let Some(c) = input.cause {
            b = b.cause(c);
        }
        b.send().await
    }

    pub(super) async fn send_task_heartbeat(
        sfn: &Sfn,
        input: SendTaskHeartbeatInput,
    ) -> Result<SendTaskHeartbeatOutput, Error> {
        sfn.send_task_heartbeat()
            .task_token(input.task_token)
            .send()
            .await
    }

    pub(super) async fn send_task_success(
        sfn: &Sfn,
        input: SendTaskSuccessInput,
    ) -> Result<SendTaskSuccessOutput, Error> {
        sfn.send_task_success()
            .task_token(input.task_token)
            .output(input.output)
            .send()
            .await
    }

    pub(super) async fn start_execution(
        sfn: &Sfn,
        input: StartExecutionInput,
    ) -> Result<StartExecutionOutput, Error> {
        operation::start_execution::start_execution(sfn, input)
    }

    pub(super) async fn start_sync_execution(
        sfn: &Sfn,
        input: StartSyncExecutionInput,
    ) -> Result<StartSyncExecutionOutput, Error> {
        let mut b = sfn
            .start_sync_execution()
            .state_machine_arn(input.state_machine_arn);
        if let Some(n) = input.name {
            b = b.name(n);
        }
        if let Some(i) = input.input {
            b = b.input(i);
        }
        b.send().await
    }

    pub(super) async fn stop_execution(
        sfn: &Sfn,
        input: StopExecutionInput,
    ) -> Result<StopExecutionOutput, Error> {
        let mut b = sfn.stop_execution().execution_arn(input.execution_arn);
        if let Some(e) = input.error {
            b = b.error(e);
        }
        if let Some(c) = input.cause {
            b = b.cause(c);
        }
        b.send().await
    }

    pub(super) async fn test_state(
        sfn: &Sfn,
        input: TestStateInput,
    ) -> Result<TestStateOutput, Error> {
        operation::test_state::test_state(sfn, input).await
    }

    pub(super) async fn update_state_machine(
        sfn: &Sfn,
        input: UpdateStateMachineInput,
    ) -> Result<UpdateStateMachineOutput, Error> {
        operation::update_state_machine::update_state_machine(sfn, input)
    }

    pub(super) async fn update_state_machine_alias(
        sfn: &Sfn,
        input: UpdateStateMachineAliasInput,
    ) -> Result<UpdateStateMachineAliasOutput, Error> {
        operation::update_state_machine_alias::update_state_machine_alias(sfn, input)
    }

    pub(super) async fn validate_state_machine_definition(
        _sfn: &Sfn,
        input: ValidateStateMachineDefinitionInput,
    ) -> Result<ValidateStateMachineDefinitionOutput, Error> {
        operation::validate_state_machine_definition::validate_state_machine_definition(input)
    }
}
