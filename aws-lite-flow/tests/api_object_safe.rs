//! `SfnApi` is object safe, and the operations answer through `Arc<dyn SfnApi>` as they do
//! through the fluent builders: outputs and AWS errors alike.

mod support;

use std::sync::Arc;

use aws_lite_flow::api::SfnApi;
use aws_lite_flow::operation::create_activity::CreateActivityInput;
use aws_lite_flow::operation::create_state_machine::CreateStateMachineInput;
use aws_lite_flow::operation::create_state_machine_alias::CreateStateMachineAliasInput;
use aws_lite_flow::operation::delete_state_machine_alias::DeleteStateMachineAliasInput;
use aws_lite_flow::operation::delete_state_machine_version::DeleteStateMachineVersionInput;
use aws_lite_flow::operation::describe_activity::DescribeActivityInput;
use aws_lite_flow::operation::describe_execution::DescribeExecutionInput;
use aws_lite_flow::operation::describe_map_run::DescribeMapRunInput;
use aws_lite_flow::operation::describe_state_machine::DescribeStateMachineInput;
use aws_lite_flow::operation::describe_state_machine_alias::DescribeStateMachineAliasInput;
use aws_lite_flow::operation::describe_state_machine_for_execution::DescribeStateMachineForExecutionInput;
use aws_lite_flow::operation::get_execution_history::GetExecutionHistoryInput;
use aws_lite_flow::operation::list_activities::ListActivitiesInput;
use aws_lite_flow::operation::list_executions::ListExecutionsInput;
use aws_lite_flow::operation::list_map_runs::ListMapRunsInput;
use aws_lite_flow::operation::list_state_machine_aliases::ListStateMachineAliasesInput;
use aws_lite_flow::operation::list_state_machine_versions::ListStateMachineVersionsInput;
use aws_lite_flow::operation::list_state_machines::ListStateMachinesInput;
use aws_lite_flow::operation::publish_state_machine_version::PublishStateMachineVersionInput;
use aws_lite_flow::operation::send_task_success::SendTaskSuccessInput;
use aws_lite_flow::operation::start_execution::StartExecutionInput;
use aws_lite_flow::operation::start_sync_execution::StartSyncExecutionInput;
use aws_lite_flow::operation::stop_execution::StopExecutionInput;
use aws_lite_flow::operation::test_state::TestStateInput;
use aws_lite_flow::operation::update_state_machine::UpdateStateMachineInput;
use aws_lite_flow::operation::update_state_machine_alias::UpdateStateMachineAliasInput;
use aws_lite_flow::operation::validate_state_machine_definition::ValidateStateMachineDefinitionInput;
use aws_lite_flow::{ExecutionStatus, RoutingConfigurationListItem, Sfn, StateMachineType};
use serde_json::{Value, json};

/// Compiles only if `SfnApi` is object safe (and the trait object `Send + Sync`).
fn assert_object_safe(_: &dyn SfnApi) {}
fn assert_send_sync<T: Send + Sync + ?Sized>() {}

fn pass(result: &str) -> String {
    json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": true}}})
        .to_string()
}

#[test]
fn sfn_api_is_object_safe() {
    let sfn = Sfn::new();
    assert_object_safe(&sfn);
    assert_send_sync::<dyn SfnApi>();
    let _: Arc<dyn SfnApi> = Arc::new(sfn);
    let _: Box<dyn SfnApi> = Box::new(Sfn::new());
}

#[test]
fn futures_are_send() {
    fn send<F: std::future::Future + Send>(_: F) {}
    let api: Arc<dyn SfnApi> = Arc::new(Sfn::new());
    send(api.start_execution(StartExecutionInput::default()));
    send(api.start_sync_execution(StartSyncExecutionInput::default()));
    send(api.test_state(TestStateInput::default()));
}

/// Drives a machine, its versions, an alias and executions through `Arc<dyn SfnApi>` only.
#[tokio::test(start_paused = true)]
async fn operations_through_the_trait_object() {
    let api: Arc<dyn SfnApi> = Arc::new(support::sfn());

    let mut create = CreateStateMachineInput::default();
    create.name = "orders".into();
    create.definition = pass("v1");
    create.publish = true;
    create.version_description = Some("first".into());
    let created = api.create_state_machine(create).await.unwrap();
    let arn = created.state_machine_arn.clone();
    let v1 = created.state_machine_version_arn.clone().unwrap();

    let mut update = UpdateStateMachineInput::default();
    update.state_machine_arn = arn.clone();
    update.definition = Some(pass("v2"));
    let updated = api.update_state_machine(update).await.unwrap();
    assert!(updated.revision_id.is_some());

    let mut publish = PublishStateMachineVersionInput::default();
    publish.state_machine_arn = arn.clone();
    publish.revision_id = updated.revision_id.clone();
    let v2 = api
        .publish_state_machine_version(publish)
        .await
        .unwrap()
        .state_machine_version_arn;
    assert_eq!(v2, format!("{arn}:2"));

    let mut list = ListStateMachineVersionsInput::default();
    list.state_machine_arn = arn.clone();
    let listed = api.list_state_machine_versions(list).await.unwrap();
    assert_eq!(listed.state_machine_versions.len(), 2);

    let mut describe = DescribeStateMachineInput::default();
    describe.state_machine_arn = v1.clone();
    let d = api.describe_state_machine(describe).await.unwrap();
    assert_eq!(d.description.as_deref(), Some("first"));
    assert_eq!(d.definition, pass("v1"));

    let mut alias = CreateStateMachineAliasInput::default();
    alias.name = "live".into();
    alias.routing_configuration = vec![RoutingConfigurationListItem::new(&v1, 100)];
    let alias_arn = api
        .create_state_machine_alias(alias)
        .await
        .unwrap()
        .state_machine_alias_arn;

    let mut start = StartExecutionInput::default();
    start.state_machine_arn = alias_arn.clone();
    start.name = Some("through-the-alias".into());
    let run = api.start_execution(start).await.unwrap();
    let mut describe = DescribeExecutionInput::default();
    describe.execution_arn = run.execution_arn.clone();
    // Paused time: the spawned execution completes once this task yields.
    let mut d = api.describe_execution(describe.clone()).await.unwrap();
    while d.status == ExecutionStatus::Running {
        tokio::task::yield_now().await;
        d = api.describe_execution(describe.clone()).await.unwrap();
    }
    assert_eq!(d.status, ExecutionStatus::Succeeded);
    assert_eq!(d.output.as_deref(), Some(r#""v1""#));
    assert_eq!(d.state_machine_alias_arn.as_deref(), Some(&*alias_arn));
    assert_eq!(d.state_machine_version_arn.as_deref(), Some(&*v1));

    let mut for_execution = DescribeStateMachineForExecutionInput::default();
    for_execution.execution_arn = run.execution_arn.clone();
    let sm = api
        .describe_state_machine_for_execution(for_execution)
        .await
        .unwrap();
    assert_eq!(sm.definition, pass("v1"));

    let mut history = GetExecutionHistoryInput::default();
    history.execution_arn = run.execution_arn.clone();
    let h = api.get_execution_history(history).await.unwrap();
    assert_eq!(
        h.events.last().map(|e| e.event_type.as_str()),
        Some("ExecutionSucceeded")
    );

    let mut executions = ListExecutionsInput::default();
    executions.state_machine_arn = arn.clone();
    assert_eq!(
        api.list_executions(executions)
            .await
            .unwrap()
            .executions
            .len(),
        1
    );

    let mut update_alias = UpdateStateMachineAliasInput::default();
    update_alias.state_machine_alias_arn = alias_arn.clone();
    update_alias.routing_configuration = Some(vec![RoutingConfigurationListItem::new(&v2, 100)]);
    api.update_state_machine_alias(update_alias).await.unwrap();
    let mut describe_alias = DescribeStateMachineAliasInput::default();
    describe_alias.state_machine_alias_arn = alias_arn.clone();
    let a = api
        .describe_state_machine_alias(describe_alias.clone())
        .await
        .unwrap();
    assert_eq!(
        a.routing_configuration,
        [RoutingConfigurationListItem::new(&v2, 100)]
    );
    let mut list_aliases = ListStateMachineAliasesInput::default();
    list_aliases.state_machine_arn = arn.clone();
    assert_eq!(
        api.list_state_machine_aliases(list_aliases)
            .await
            .unwrap()
            .state_machine_aliases
            .len(),
        1
    );

    // AWS's errors come through the trait unchanged.
    let mut delete_v2 = DeleteStateMachineVersionInput::default();
    delete_v2.state_machine_version_arn = v2.clone();
    let e = api
        .delete_state_machine_version(delete_v2.clone())
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ConflictException");
    let mut delete_alias = DeleteStateMachineAliasInput::default();
    delete_alias.state_machine_alias_arn = alias_arn.clone();
    api.delete_state_machine_alias(delete_alias).await.unwrap();
    api.delete_state_machine_version(delete_v2).await.unwrap();
    let e = api
        .describe_state_machine_alias(describe_alias)
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ResourceNotFound");

    let mut machines = ListStateMachinesInput::default();
    machines.max_results = Some(10);
    assert_eq!(
        api.list_state_machines(machines)
            .await
            .unwrap()
            .state_machines
            .len(),
        1
    );

    let mut validate = ValidateStateMachineDefinitionInput::default();
    validate.definition = "{}".into();
    let v = api
        .validate_state_machine_definition(validate)
        .await
        .unwrap();
    let v = serde_json::to_value(&v).unwrap();
    assert_eq!(v["result"], json!("FAIL"));

    let mut test = TestStateInput::default();
    test.definition = json!({"Type": "Pass", "Result": 7, "End": true}).to_string();
    let t = api.test_state(test).await.unwrap();
    let t = serde_json::to_value(&t).unwrap();
    assert_eq!(t["output"], json!("7"));
}

#[tokio::test(start_paused = true)]
async fn express_and_activities_through_the_trait_object() {
    let api: Arc<dyn SfnApi> = Arc::new(support::sfn());

    let mut create = CreateStateMachineInput::default();
    create.name = "fast".into();
    create.machine_type = Some(StateMachineType::Express);
    create.definition = pass("done");
    let arn = api
        .create_state_machine(create)
        .await
        .unwrap()
        .state_machine_arn;
    let mut sync = StartSyncExecutionInput::default();
    sync.state_machine_arn = arn.clone();
    sync.input = Some("{}".into());
    let done = api.start_sync_execution(sync).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(done.output.as_deref(), Some(r#""done""#));

    let mut activity = CreateActivityInput::default();
    activity.name = "approve".into();
    let activity_arn = api.create_activity(activity).await.unwrap().activity_arn;
    let mut describe = DescribeActivityInput::default();
    describe.activity_arn = activity_arn.clone();
    assert_eq!(
        api.describe_activity(describe).await.unwrap().name,
        "approve"
    );
    assert_eq!(
        api.list_activities(ListActivitiesInput::default())
            .await
            .unwrap()
            .activities
            .len(),
        1
    );

    let mut success = SendTaskSuccessInput::default();
    success.task_token = "not-a-token".into();
    success.output = "{}".into();
    let e = api.send_task_success(success).await.unwrap_err();
    assert_eq!(e.code(), "InvalidToken");

    let mut map_runs = ListMapRunsInput::default();
    map_runs.execution_arn = format!("{arn}-nope");
    let e = api.list_map_runs(map_runs).await.unwrap_err();
    assert_eq!(e.code(), "ExecutionDoesNotExist");
    let mut map_run = DescribeMapRunInput::default();
    map_run.map_run_arn = "arn:aws:states:us-east-1:000000000000:mapRun:m/label:run".into();
    let e = api.describe_map_run(map_run).await.unwrap_err();
    assert_eq!(e.code(), "ResourceNotFound");

    let mut stop = StopExecutionInput::default();
    stop.execution_arn = format!("{arn}-nope");
    let e = api.stop_execution(stop).await.unwrap_err();
    assert_eq!(e.code(), "ExecutionDoesNotExist");

    let _: Option<Value> = None;
}
