//! State machine versions and aliases: publishing, revisions, routing, deletion, quotas and
//! AWS's errors.

mod support;

use std::collections::BTreeMap;

use aws_lite_core::Error;
use aws_lite_flow::operation::create_state_machine_alias::RoutingConfigurationListItem;
use aws_lite_flow::{
    ExecutionStatus, MAX_ALIASES_PER_STATE_MACHINE, MAX_VERSIONS_PER_STATE_MACHINE, Sfn,
    StateMachineType,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::*;

/// A one-state machine whose output is `result`, so an execution tells which revision ran.
fn pass(result: &str) -> String {
    json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": true}}})
        .to_string()
}

/// Waits a day, then outputs `result`.
fn slow(result: &str) -> String {
    json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 86400, "Next": "P"},
        "P": {"Type": "Pass", "Result": result, "End": true}
    }})
    .to_string()
}

async fn machine(
    sfn: &Sfn,
    name: &str,
    definition: &str,
    publish: bool,
) -> (String, Option<String>) {
    let out = sfn
        .create_state_machine()
        .name(name)
        .definition(definition)
        .publish(publish)
        .send()
        .await
        .expect("created");
    (out.state_machine_arn, out.state_machine_version_arn)
}

async fn update_publish(sfn: &Sfn, arn: &str, definition: &str) -> String {
    sfn.update_state_machine()
        .state_machine_arn(arn)
        .definition(definition)
        .publish(true)
        .send()
        .await
        .expect("updated")
        .state_machine_version_arn
        .expect("published")
}

/// Runs the execution started on `arn` (a machine, version or alias) and returns its output.
async fn run_on(sfn: &Sfn, arn: &str) -> (String, Value) {
    let run = sfn
        .start_execution()
        .state_machine_arn(arn)
        .send()
        .await
        .expect("started");
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    (run.execution_arn, output(&done))
}

async fn versions(sfn: &Sfn, arn: &str) -> Vec<String> {
    sfn.list_state_machine_versions()
        .state_machine_arn(arn)
        .send()
        .await
        .unwrap()
        .state_machine_versions
        .into_iter()
        .map(|v| v.state_machine_version_arn)
        .collect()
}

fn assert_error(e: Error, code: &str, message: &str) {
    assert_eq!((e.code(), e.message()), (code, message));
}

#[tokio::test(start_paused = true)]
async fn create_with_publish_then_describe_the_version() {
    let sfn = sfn();
    let out = sfn
        .create_state_machine()
        .name("orders")
        .definition(pass("v1"))
        .publish(true)
        .version_description("first cut")
        .send()
        .await
        .unwrap();
    let arn = out.state_machine_arn;
    let v1 = out.state_machine_version_arn.unwrap();
    assert_eq!(v1, format!("{arn}:1"));

    let d = sfn
        .describe_state_machine()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(d.state_machine_arn, v1);
    assert_eq!(d.name, "orders");
    assert_eq!(d.status, "ACTIVE");
    assert_eq!(d.definition, pass("v1"));
    assert_eq!(d.description.as_deref(), Some("first cut"));
    assert_eq!(d.revision_id, None, "the first revision has no id");

    let m = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!((m.description, m.revision_id), (None, None));
    assert_eq!(versions(&sfn, &arn).await, [v1]);
}

#[tokio::test(start_paused = true)]
async fn version_description_needs_publish() {
    let sfn = sfn();
    let e = sfn
        .create_state_machine()
        .name("m")
        .definition(pass("x"))
        .version_description("no")
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        "Version description can only be set when publish is true",
    );
    assert!(
        sfn.list_state_machines()
            .send()
            .await
            .unwrap()
            .state_machines
            .is_empty()
    );

    let (arn, _) = machine(&sfn, "m", &pass("x"), false).await;
    let e = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("y"))
        .version_description("no")
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        "Version description can only be set when publish is true",
    );
    let d = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(d.definition, pass("x"), "a refused update changes nothing");

    let long = "d".repeat(257);
    let e = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .description(&long)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        &format!(
            "1 validation error detected: Value '{long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"
        ),
    );
    assert!(versions(&sfn, &arn).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn update_makes_revisions_and_publish_versions() {
    let sfn = sfn();
    let (arn, none) = machine(&sfn, "m", &pass("r0"), false).await;
    assert_eq!(none, None);

    // Nothing changes: no revision; publishing publishes the first revision as version 1.
    let same = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("r0"))
        .publish(true)
        .send()
        .await
        .unwrap();
    assert_eq!(same.revision_id, None);
    assert_eq!(
        same.state_machine_version_arn.as_deref(),
        Some(&*format!("{arn}:1"))
    );
    let again = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("r0"))
        .publish(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.state_machine_version_arn,
        same.state_machine_version_arn
    );

    let r1 = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("r1"))
        .publish(true)
        .version_description("r1")
        .send()
        .await
        .unwrap();
    let r1_id = r1.revision_id.clone().expect("a new revision");
    assert_eq!(
        r1.state_machine_version_arn.as_deref(),
        Some(&*format!("{arn}:2"))
    );
    // The role alone also makes a revision.
    let r2 = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .role_arn("arn:aws:iam::000000000000:role/other")
        .send()
        .await
        .unwrap();
    assert_ne!(r2.revision_id.as_deref(), Some(&*r1_id));
    assert_eq!(r2.state_machine_version_arn, None);
    assert_eq!(
        versions(&sfn, &arn).await,
        [format!("{arn}:2"), format!("{arn}:1")],
        "newest first"
    );
    let v2 = sfn
        .describe_state_machine()
        .state_machine_arn(format!("{arn}:2"))
        .send()
        .await
        .unwrap();
    assert_eq!(v2.revision_id.as_deref(), Some(&*r1_id));
    assert_eq!(v2.definition, pass("r1"));
    let m = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(m.revision_id, r2.revision_id);

    // A version's ARN is not the machine's.
    for publish in [false, true] {
        let e = sfn
            .update_state_machine()
            .state_machine_arn(format!("{arn}:2"))
            .definition(pass("r3"))
            .publish(publish)
            .send()
            .await
            .unwrap_err();
        assert_error(
            e,
            "StateMachineDoesNotExist",
            &format!("State Machine Does Not Exist: '{arn}:2'"),
        );
    }
}

#[tokio::test(start_paused = true)]
async fn publish_is_idempotent_and_checks_the_revision() {
    let sfn = sfn();
    let (arn, _) = machine(&sfn, "m", &pass("r0"), false).await;
    let p1 = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .revision_id("INITIAL")
        .send()
        .await
        .unwrap();
    assert_eq!(p1.state_machine_version_arn, format!("{arn}:1"));
    let p1_again = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .description("ignored: already published")
        .send()
        .await
        .unwrap();
    assert_eq!(p1_again, p1);
    assert_eq!(versions(&sfn, &arn).await.len(), 1);

    let r1 = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("r1"))
        .send()
        .await
        .unwrap()
        .revision_id
        .unwrap();
    let r2 = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("r2"))
        .send()
        .await
        .unwrap()
        .revision_id
        .unwrap();
    let e = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .revision_id(&r1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), 409);
    assert_error(
        e,
        "ConflictException",
        &format!(
            "Failed to publish the State Machine version for revision {r1}. The current State Machine revision is {r2}."
        ),
    );
    let p2 = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .revision_id(&r2)
        .description("second")
        .send()
        .await
        .unwrap();
    assert_eq!(p2.state_machine_version_arn, format!("{arn}:2"));

    let e = sfn
        .publish_state_machine_version()
        .state_machine_arn(format!("{arn}-nope"))
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "StateMachineDoesNotExist",
        &format!("State Machine Does Not Exist: '{arn}-nope'"),
    );
    let e = sfn
        .publish_state_machine_version()
        .state_machine_arn("invalid_arn")
        .send()
        .await
        .unwrap_err();
    assert_error(e, "InvalidArn", "Invalid Arn: 'invalid_arn'");
}

#[tokio::test(start_paused = true)]
async fn version_numbers_are_never_reused() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("r0"), true).await;
    let v2 = update_publish(&sfn, &arn, &pass("r1")).await;
    assert_eq!(v2, format!("{arn}:2"));
    sfn.delete_state_machine_version()
        .state_machine_version_arn(&v2)
        .send()
        .await
        .unwrap();
    // The current revision's version is gone: publishing again makes version 3.
    let v3 = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap()
        .state_machine_version_arn;
    assert_eq!(v3, format!("{arn}:3"));
    assert_eq!(versions(&sfn, &arn).await, [v3, v1.unwrap()]);
    let e = sfn
        .describe_state_machine()
        .state_machine_arn(&v2)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "StateMachineDoesNotExist",
        &format!("State Machine Does Not Exist: '{v2}'"),
    );
}

#[tokio::test(start_paused = true)]
async fn delete_version_is_idempotent_and_checks_the_arn() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("r0"), true).await;
    let v1 = v1.unwrap();
    for _ in 0..2 {
        sfn.delete_state_machine_version()
            .state_machine_version_arn(&v1)
            .send()
            .await
            .unwrap();
    }
    assert!(versions(&sfn, &arn).await.is_empty());
    let e = sfn
        .delete_state_machine_version()
        .state_machine_version_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_error(e, "InvalidArn", &format!("Invalid Arn: '{arn}'"));
    let e = sfn
        .start_execution()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "StateMachineDoesNotExist",
        &format!("State Machine Does Not Exist: '{v1}'"),
    );
}

#[tokio::test(start_paused = true)]
async fn executions_on_a_version_run_its_revision() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "orders", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    sfn.update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("latest"))
        .send()
        .await
        .unwrap();

    let (latest_run, out) = run_on(&sfn, &arn).await;
    assert_eq!(out, json!("latest"));
    let d = sfn
        .describe_execution()
        .execution_arn(&latest_run)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (d.state_machine_version_arn, d.state_machine_alias_arn),
        (None, None)
    );

    let (run, out) = run_on(&sfn, &v1).await;
    assert_eq!(out, json!("v1"));
    assert!(
        run.starts_with("arn:aws:states:us-east-1:000000000000:execution:orders:"),
        "{run}"
    );
    let d = sfn
        .describe_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap();
    assert_eq!(d.state_machine_arn, arn);
    assert_eq!(d.state_machine_version_arn.as_deref(), Some(&*v1));
    assert_eq!(d.state_machine_alias_arn, None);
    let wire = serde_json::to_value(&d).unwrap();
    assert_eq!(wire["stateMachineVersionArn"], json!(v1));
    assert!(wire.get("stateMachineAliasArn").is_none());

    let h = sfn
        .get_execution_history()
        .execution_arn(&run)
        .send()
        .await
        .unwrap();
    let started = h.events[0].details().unwrap();
    assert_eq!(started["stateMachineVersionArn"], json!(v1));

    let sm = sfn
        .describe_state_machine_for_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap();
    assert_eq!(sm.state_machine_arn, arn);
    assert_eq!(sm.definition, pass("v1"));
    assert_eq!(sm.revision_id, None);
    let sm = sfn
        .describe_state_machine_for_execution()
        .execution_arn(&latest_run)
        .send()
        .await
        .unwrap();
    assert_eq!(sm.definition, pass("latest"));
    assert!(sm.revision_id.is_some());
    let e = sfn
        .describe_state_machine_for_execution()
        .execution_arn(format!("{latest_run}-nope"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ExecutionDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn list_executions_by_version_and_alias() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    let alias = sfn
        .create_state_machine_alias()
        .name("live")
        .routing_configuration(&v2, 100)
        .send()
        .await
        .unwrap()
        .state_machine_alias_arn;
    let (on_machine, _) = run_on(&sfn, &arn).await;
    let (on_v1, _) = run_on(&sfn, &v1).await;
    let (on_alias, _) = run_on(&sfn, &alias).await;
    let list = |arn: String| {
        let sfn = sfn.clone();
        async move {
            let mut runs: Vec<String> = sfn
                .list_executions()
                .state_machine_arn(arn)
                .send()
                .await
                .unwrap()
                .executions
                .into_iter()
                .map(|e| e.execution_arn)
                .collect();
            runs.sort();
            runs
        }
    };
    let mut all = vec![on_machine.clone(), on_v1.clone(), on_alias.clone()];
    all.sort();
    assert_eq!(list(arn.clone()).await, all);
    assert_eq!(list(v1.clone()).await, [on_v1]);
    assert_eq!(
        list(v2.clone()).await,
        std::slice::from_ref(&on_alias),
        "routed through the alias"
    );
    assert_eq!(list(alias.clone()).await, std::slice::from_ref(&on_alias));
    let items = sfn
        .list_executions()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap()
        .executions;
    let through_alias = items.iter().find(|e| e.execution_arn == on_alias).unwrap();
    assert_eq!(through_alias.state_machine_arn, arn);
    assert_eq!(
        through_alias.state_machine_version_arn.as_deref(),
        Some(&*v2)
    );
    assert_eq!(
        through_alias.state_machine_alias_arn.as_deref(),
        Some(&*alias)
    );
    let plain = items
        .iter()
        .find(|e| e.execution_arn == on_machine)
        .unwrap();
    let wire = serde_json::to_value(plain).unwrap();
    assert!(wire.get("stateMachineVersionArn").is_none());
    let e = sfn
        .list_executions()
        .state_machine_arn(format!("{arn}:9"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn deleting_a_version_leaves_its_running_executions() {
    let sfn = sfn();
    let (_, v1) = machine(&sfn, "m", &slow("done"), true).await;
    let v1 = v1.unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap();
    tokio::task::yield_now().await;
    sfn.delete_state_machine_version()
        .state_machine_version_arn(&v1)
        .send()
        .await
        .unwrap();
    let done = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
    assert_eq!(done.status, ExecutionStatus::Succeeded);
    assert_eq!(output(&done), json!("done"));
}

#[tokio::test(start_paused = true)]
async fn alias_lifecycle() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "orders", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    assert!(
        sfn.list_state_machine_aliases()
            .state_machine_arn(&arn)
            .send()
            .await
            .unwrap()
            .state_machine_aliases
            .is_empty()
    );

    let created = sfn
        .create_state_machine_alias()
        .name("live")
        .description("production")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap();
    let alias = created.state_machine_alias_arn.clone();
    assert_eq!(alias, format!("{arn}:live"));

    let (run, out) = run_on(&sfn, &alias).await;
    assert_eq!(out, json!("v1"));
    let d = sfn
        .describe_execution()
        .execution_arn(&run)
        .send()
        .await
        .unwrap();
    assert_eq!(d.state_machine_arn, arn);
    assert_eq!(d.state_machine_alias_arn.as_deref(), Some(&*alias));
    assert_eq!(d.state_machine_version_arn.as_deref(), Some(&*v1));
    let h = sfn
        .get_execution_history()
        .execution_arn(&run)
        .send()
        .await
        .unwrap();
    let started = h.events[0].details().unwrap();
    assert_eq!(started["stateMachineAliasArn"], json!(alias));
    assert_eq!(started["stateMachineVersionArn"], json!(v1));

    // Only the description: the routing stays.
    sfn.update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .description("new description")
        .send()
        .await
        .unwrap();
    tokio::time::advance(std::time::Duration::from_secs(60)).await;
    let up = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(&v2, 100)
        .send()
        .await
        .unwrap();
    let desc = sfn
        .describe_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap();
    assert_eq!(desc.name, "live");
    assert_eq!(desc.description.as_deref(), Some("new description"));
    assert_eq!(
        desc.routing_configuration,
        [RoutingConfigurationListItem::new(&v2, 100)]
    );
    assert_eq!(desc.creation_date, created.creation_date);
    assert_eq!(desc.update_date, up.update_date);
    assert!(desc.update_date > desc.creation_date);
    // An update that changes nothing keeps the date.
    let same = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(&v2, 100)
        .send()
        .await
        .unwrap();
    assert_eq!(same.update_date, up.update_date);
    assert_eq!(run_on(&sfn, &alias).await.1, json!("v2"));

    let listed = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.state_machine_aliases.len(), 1);
    assert_eq!(
        listed.state_machine_aliases[0].state_machine_alias_arn,
        alias
    );

    for _ in 0..2 {
        sfn.delete_state_machine_alias()
            .state_machine_alias_arn(&alias)
            .send()
            .await
            .unwrap();
    }
    let e = sfn
        .start_execution()
        .state_machine_arn(&alias)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "StateMachineDoesNotExist",
        &format!("State Machine Does Not Exist: '{alias}'"),
    );
    let e = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .description("gone")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), 400);
    assert_error(
        e,
        "ResourceNotFound",
        "Request references a resource that does not exist.",
    );
    let e = sfn
        .describe_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ResourceNotFound");
    let e = sfn
        .describe_state_machine_alias()
        .state_machine_alias_arn(&v1)
        .send()
        .await
        .unwrap_err();
    assert_error(e, "InvalidArn", &format!("Invalid Arn: '{v1}'"));
    // The versions stay.
    assert_eq!(versions(&sfn, &arn).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn alias_creation_is_idempotent() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    let create = |name: &str, description: &str, routes: Vec<RoutingConfigurationListItem>| {
        sfn.create_state_machine_alias()
            .name(name)
            .description(description)
            .set_routing_configuration(routes)
            .send()
    };
    let a = create("a", "d", vec![RoutingConfigurationListItem::new(&v1, 100)])
        .await
        .unwrap();
    let again = create("a", "d", vec![RoutingConfigurationListItem::new(&v1, 100)])
        .await
        .unwrap();
    assert_eq!(again, a);
    let conflict = "Failed to create alias because an alias with the same name and a different routing configuration already exists.";
    let e = create(
        "a",
        "other",
        vec![RoutingConfigurationListItem::new(&v1, 100)],
    )
    .await
    .unwrap_err();
    assert_eq!(e.status(), 409);
    assert_error(e, "ConflictException", conflict);
    let e = create(
        "a",
        "d",
        vec![
            RoutingConfigurationListItem::new(&v1, 50),
            RoutingConfigurationListItem::new(&v2, 50),
        ],
    )
    .await
    .unwrap_err();
    assert_error(e, "ConflictException", conflict);
    let b = create(
        "a-second",
        "d",
        vec![RoutingConfigurationListItem::new(&v1, 100)],
    )
    .await
    .unwrap();
    let listed: Vec<String> = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap()
        .state_machine_aliases
        .into_iter()
        .map(|a| a.state_machine_alias_arn)
        .collect();
    assert_eq!(
        listed,
        [a.state_machine_alias_arn, b.state_machine_alias_arn]
    );
}

#[tokio::test(start_paused = true)]
async fn alias_routing_is_validated_in_aws_words() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    let v3 = update_publish(&sfn, &arn, &pass("v3")).await;
    let (other, other_v1) = machine(&sfn, "other", &pass("o"), true).await;
    let other_v1 = other_v1.unwrap();
    let r = |arn: &str, weight: u32| RoutingConfigurationListItem::new(arn, weight);
    let cases: Vec<(Vec<RoutingConfigurationListItem>, String)> = vec![
        (
            vec![],
            "1 validation error detected: Value '[]' at 'routingConfiguration' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
        ),
        (
            vec![r(&v1, 50), r(&v2, 30), r(&v3, 20)],
            format!("1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn={v1}, weight=50), RoutingConfigurationListItem(stateMachineVersionArn={v2}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn={v3}, weight=20)]' at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2"),
        ),
        (
            vec![r(&v1, 50), r(&v1, 50)],
            format!("Routing configuration must contain distinct state machine version ARNs. Received: [{v1}, {v1}]"),
        ),
        (
            vec![r(&arn, 70), r(&v2, 30)],
            format!("Routing configuration must contain state machine version ARNs. Received: [{arn}, {v2}]"),
        ),
        (
            vec![r(&v1, 101)],
            "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100".into(),
        ),
        (
            vec![r(&v1, 70), r(&v2, 29)],
            "Sum of routing configuration weights must equal 100. Received: [70, 29]".into(),
        ),
        (
            vec![r(&v1, 70), r(&v2, 31)],
            "Sum of routing configuration weights must equal 100. Received: [70, 31]".into(),
        ),
        (
            vec![r(&format!("{arn}:9"), 100)],
            format!("Routing configuration must contain state machine version ARNs. Received: [{arn}:9]"),
        ),
        (
            vec![r(&v1, 50), r(&other_v1, 50)],
            format!("Routing configuration must contain state machine version ARNs of a single state machine. Received: [{v1}, {other_v1}]"),
        ),
    ];
    for (routes, message) in cases {
        let e = sfn
            .create_state_machine_alias()
            .name("a")
            .set_routing_configuration(routes.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.status(), 400, "{routes:?}");
        assert_error(e, "ValidationException", &message);
    }
    let pattern = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$";
    let long = "A".repeat(81);
    let names = [
        (
            "123".to_string(),
            format!(
                "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            ),
        ),
        (
            long.clone(),
            format!(
                "1 validation error detected: Value '{long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"
            ),
        ),
        (
            "INVALID ALIAS".to_string(),
            format!(
                "1 validation error detected: Value 'INVALID ALIAS' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            ),
        ),
        (
            "!INVALID".to_string(),
            format!(
                "1 validation error detected: Value '!INVALID' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            ),
        ),
        (
            "ALIAS@".to_string(),
            format!(
                "1 validation error detected: Value 'ALIAS@' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            ),
        ),
        (
            String::new(),
            format!(
                "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
            ),
        ),
    ];
    for (name, message) in names {
        let e = sfn
            .create_state_machine_alias()
            .name(&name)
            .routing_configuration(&v1, 100)
            .send()
            .await
            .unwrap_err();
        assert_error(e, "ValidationException", &message);
    }
    for ok in ["a1", "_", "v.1-beta", "9a"] {
        sfn.create_state_machine_alias()
            .name(ok)
            .routing_configuration(&v1, 100)
            .send()
            .await
            .unwrap();
    }
    // Nothing was made by the refused requests.
    let listed = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.state_machine_aliases.len(), 4);
    assert!(
        sfn.list_state_machine_aliases()
            .state_machine_arn(&other)
            .send()
            .await
            .unwrap()
            .state_machine_aliases
            .is_empty()
    );

    // UpdateStateMachineAlias checks the same way, and stays on the alias's machine.
    let alias = format!("{arn}:a1");
    let e = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(&other_v1, 100)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        &format!(
            "Routing configuration must contain state machine version ARNs of a single state machine. Received: [{other_v1}]"
        ),
    );
    let e = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .routing_configuration(&v1, 60)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        "Sum of routing configuration weights must equal 100. Received: [60]",
    );
    let e = sfn
        .update_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ValidationException");
    let d = sfn
        .describe_state_machine_alias()
        .state_machine_alias_arn(&alias)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.routing_configuration,
        [r(&v1, 100)],
        "refused updates change nothing"
    );
}

#[tokio::test(start_paused = true)]
async fn a_version_an_alias_routes_to_cannot_be_deleted() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    for name in ["live", "beta"] {
        sfn.create_state_machine_alias()
            .name(name)
            .routing_configuration(&v1, 90)
            .routing_configuration(&v2, 10)
            .send()
            .await
            .unwrap();
    }
    let e = sfn
        .delete_state_machine_version()
        .state_machine_version_arn(&v1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), 409);
    assert_error(
        e,
        "ConflictException",
        "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live, beta]",
    );
    for name in ["live", "beta"] {
        sfn.update_state_machine_alias()
            .state_machine_alias_arn(format!("{arn}:{name}"))
            .routing_configuration(&v2, 100)
            .send()
            .await
            .unwrap();
    }
    sfn.delete_state_machine_version()
        .state_machine_version_arn(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(versions(&sfn, &arn).await, [v2]);
}

#[tokio::test(start_paused = true)]
async fn deleting_the_machine_deletes_its_versions_and_aliases() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    sfn.create_state_machine_alias()
        .name("live")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap();
    sfn.delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let e = sfn
        .describe_state_machine()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
    let e = sfn
        .describe_state_machine_alias()
        .state_machine_alias_arn(format!("{arn}:live"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ResourceNotFound");
    let e = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
    assert!(versions(&sfn, &arn).await.is_empty());

    // A machine of the same name starts again at version 1, with no aliases.
    let (again, v) = machine(&sfn, "m", &pass("new"), true).await;
    assert_eq!(again, arn);
    assert_eq!(v, Some(v1));
    assert_eq!(run_on(&sfn, &format!("{arn}:1")).await.1, json!("new"));
}

#[tokio::test(start_paused = true)]
async fn a_machine_being_deleted_refuses_versions_and_aliases() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &slow("x"), true).await;
    let v1 = v1.unwrap();
    let run = sfn
        .start_execution()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    tokio::task::yield_now().await;
    sfn.delete_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    let deleting = format!("State Machine is being deleted: '{arn}'");
    let e = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_error(e, "StateMachineDeleting", &deleting);
    let e = sfn
        .create_state_machine_alias()
        .name("late")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap_err();
    assert_error(e, "StateMachineDeleting", &deleting);
    let e = sfn
        .start_execution()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap_err();
    assert_error(e, "StateMachineDeleting", &deleting);
    let d = sfn
        .describe_state_machine()
        .state_machine_arn(&v1)
        .send()
        .await
        .unwrap();
    assert_eq!(d.status, "DELETING");
    sfn.stop_execution()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .unwrap();
    let _ = sfn.wait_for_execution(&run.execution_arn).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn version_quota() {
    let sfn = sfn();
    let (arn, _) = machine(&sfn, "m", &pass("r0"), true).await;
    for i in 1..MAX_VERSIONS_PER_STATE_MACHINE {
        update_publish(&sfn, &arn, &pass(&format!("r{i}"))).await;
    }
    assert_eq!(
        sfn.list_state_machine_versions()
            .state_machine_arn(&arn)
            .max_results(1000)
            .send()
            .await
            .unwrap()
            .state_machine_versions
            .len(),
        MAX_VERSIONS_PER_STATE_MACHINE
    );
    let e = sfn
        .update_state_machine()
        .state_machine_arn(&arn)
        .definition(pass("one too many"))
        .publish(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status()),
        ("ServiceQuotaExceededException", 402)
    );
    let d = sfn
        .describe_state_machine()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        d.definition,
        pass("r999"),
        "the refused update changed nothing"
    );
    // Publishing what is already published is still fine; deleting makes room.
    let last = sfn
        .publish_state_machine_version()
        .state_machine_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(last.state_machine_version_arn, format!("{arn}:1000"));
    sfn.delete_state_machine_version()
        .state_machine_version_arn(format!("{arn}:1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        update_publish(&sfn, &arn, &pass("room")).await,
        format!("{arn}:1001")
    );
}

#[tokio::test(start_paused = true)]
async fn alias_quota() {
    let sfn = sfn();
    let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
    let v1 = v1.unwrap();
    for i in 0..MAX_ALIASES_PER_STATE_MACHINE {
        sfn.create_state_machine_alias()
            .name(format!("a{i}"))
            .routing_configuration(&v1, 100)
            .send()
            .await
            .unwrap();
    }
    let e = sfn
        .create_state_machine_alias()
        .name("extra")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status()),
        ("ServiceQuotaExceededException", 402)
    );
    // An idempotent repeat of an existing alias is still answered.
    sfn.create_state_machine_alias()
        .name("a0")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap();
    let page = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert_eq!(page.state_machine_aliases.len(), 60);
    let token = page.next_token.unwrap();
    assert_eq!(token, format!("{arn}:a60"));
    let rest = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(rest.state_machine_aliases.len(), 40);
    assert_eq!(rest.next_token, None);
    let e = sfn
        .list_state_machine_aliases()
        .state_machine_arn(&arn)
        .next_token("InvalidToken")
        .send()
        .await
        .unwrap_err();
    assert_error(e, "InvalidToken", "Invalid Token: 'InvalidToken'");
}

#[tokio::test(start_paused = true)]
async fn list_versions_pages() {
    let sfn = sfn();
    let (arn, _) = machine(&sfn, "m", &pass("r0"), true).await;
    for i in 1..13 {
        update_publish(&sfn, &arn, &pass(&format!("r{i}"))).await;
    }
    let first = sfn
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .max_results(10)
        .send()
        .await
        .unwrap();
    let numbers: Vec<String> = first
        .state_machine_versions
        .iter()
        .map(|v| {
            v.state_machine_version_arn
                .rsplit(':')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        numbers,
        ["13", "12", "11", "10", "9", "8", "7", "6", "5", "4"]
    );
    let second = sfn
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .max_results(3)
        .next_token(first.next_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.state_machine_versions.len(), 3);
    assert_eq!(
        second.state_machine_versions[0].state_machine_version_arn,
        format!("{arn}:3")
    );
    assert_eq!(second.next_token, None);
    let all = sfn
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .max_results(0)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (all.state_machine_versions.len(), all.next_token),
        (13, None)
    );
    let e = sfn
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .max_results(1001)
        .send()
        .await
        .unwrap_err();
    assert_error(
        e,
        "ValidationException",
        "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
    let e = sfn
        .list_state_machine_versions()
        .state_machine_arn(&arn)
        .next_token("x")
        .send()
        .await
        .unwrap_err();
    assert_error(e, "InvalidToken", "Invalid Token: 'x'");
    let e = sfn
        .list_state_machine_versions()
        .state_machine_arn(format!("{arn}:1"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidArn");
}

#[tokio::test(start_paused = true)]
async fn sync_executions_on_express_versions_and_aliases() {
    let sfn = sfn();
    let out = sfn
        .create_state_machine()
        .name("fast")
        .r#type(StateMachineType::Express)
        .definition(pass("v1"))
        .publish(true)
        .send()
        .await
        .unwrap();
    let arn = out.state_machine_arn;
    let v1 = out.state_machine_version_arn.unwrap();
    let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
    let alias = sfn
        .create_state_machine_alias()
        .name("live")
        .routing_configuration(&v1, 100)
        .send()
        .await
        .unwrap()
        .state_machine_alias_arn;
    let cases = [(&v1, "v1"), (&v2, "v2"), (&alias, "v1"), (&arn, "v2")];
    for (target, expected) in cases {
        let done = sfn
            .start_sync_execution()
            .state_machine_arn(target)
            .send()
            .await
            .unwrap();
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        assert_eq!(done.output.as_deref(), Some(&*json!(expected).to_string()));
        assert_eq!(done.state_machine_arn, arn);
    }
    // Standard machines' versions are refused as the machine is.
    let (std_arn, std_v1) = machine(&sfn, "slow", &pass("s"), true).await;
    let e = sfn
        .start_sync_execution()
        .state_machine_arn(std_v1.unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineTypeNotSupported");
    let e = sfn
        .start_sync_execution()
        .state_machine_arn(format!("{std_arn}:7"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "StateMachineDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn routing_is_replayable_from_the_seed() {
    async fn draws(seed: u64) -> Vec<Value> {
        let sfn = Sfn::builder()
            .rand(aws_lite_core::Rand::seeded(seed))
            .build();
        let (arn, v1) = machine(&sfn, "m", &pass("v1"), true).await;
        let v2 = update_publish(&sfn, &arn, &pass("v2")).await;
        let alias = sfn
            .create_state_machine_alias()
            .name("canary")
            .routing_configuration(v1.unwrap(), 50)
            .routing_configuration(v2, 50)
            .send()
            .await
            .unwrap()
            .state_machine_alias_arn;
        let mut out = Vec::new();
        for _ in 0..32 {
            out.push(run_on(&sfn, &alias).await.1);
        }
        out
    }
    let a = draws(7).await;
    assert_eq!(a, draws(7).await);
    assert!(
        a.contains(&json!("v1")) && a.contains(&json!("v2")),
        "{a:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// An alias's observed share of executions to each version matches its weights.
    #[test]
    fn routing_share_matches_weights(weight in 0u32..=100, seed in any::<u64>()) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let share = rt.block_on(async move {
            let sfn = Sfn::builder().rand(aws_lite_core::Rand::seeded(seed)).build();
            let out = sfn
                .create_state_machine()
                .name("w")
                .r#type(StateMachineType::Express)
                .definition(pass("v1"))
                .publish(true)
                .send()
                .await
                .unwrap();
            let v1 = out.state_machine_version_arn.unwrap();
            let v2 = update_publish(&sfn, &out.state_machine_arn, &pass("v2")).await;
            let alias = sfn
                .create_state_machine_alias()
                .name("split")
                .routing_configuration(&v1, 100 - weight)
                .routing_configuration(&v2, weight)
                .send()
                .await
                .unwrap()
                .state_machine_alias_arn;
            let n = 2000u32;
            let mut twos = 0u32;
            for _ in 0..n {
                let done = sfn
                    .start_sync_execution()
                    .state_machine_arn(&alias)
                    .send()
                    .await
                    .unwrap();
                if done.output.as_deref() == Some(r#""v2""#) {
                    twos += 1;
                }
            }
            f64::from(twos) / f64::from(n)
        });
        let expected = f64::from(weight) / 100.0;
        // Five standard deviations of a binomial share at n = 2000 is at most 0.056; a weight
        // of 0 or 100 is exact.
        prop_assert!((share - expected).abs() <= 0.056, "weight {weight}, share {share}");
        if weight == 0 || weight == 100 {
            prop_assert_eq!(share, expected);
        }
    }
}

/// The model of publishing `revision`: its live version if it has one, else the next number.
fn publish_model(revision: u32, last: &mut u64, live: &mut BTreeMap<u64, u32>) -> u64 {
    if let Some((n, _)) = live.iter().find(|(_, r)| **r == revision) {
        return *n;
    }
    *last += 1;
    live.insert(*last, revision);
    *last
}

/// The operations on versions, as a model sees them.
#[derive(Debug, Clone)]
enum Op {
    /// UpdateStateMachine: a new definition (a new revision) or the same one (none).
    Update { change: bool, publish: bool },
    /// PublishStateMachineVersion.
    Publish,
    /// DeleteStateMachineVersion of the `i`-th listed version (modulo), or of a version that
    /// never existed.
    Delete(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<bool>(), any::<bool>()).prop_map(|(change, publish)| Op::Update { change, publish }),
        Just(Op::Publish),
        (0usize..8).prop_map(Op::Delete),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Against a model: versions are numbered from 1 and never reuse a number; publishing a
    /// revision that is already published returns its version; every listed version describes
    /// the revision it published; the list is newest first.
    #[test]
    fn versions_follow_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async move {
            let sfn = sfn();
            let (arn, _) = machine(&sfn, "model", &pass("r0"), false).await;
            // The model: the current revision, the last number given, and the live versions
            // (number → revision).
            let mut revision = 0u32;
            let mut last = 0u64;
            let mut live: BTreeMap<u64, u32> = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Update { change, publish } => {
                        if change {
                            revision += 1;
                        }
                        let out = sfn
                            .update_state_machine()
                            .state_machine_arn(&arn)
                            .definition(pass(&format!("r{revision}")))
                            .publish(publish)
                            .send()
                            .await
                            .unwrap();
                        let expected = publish.then(|| format!("{arn}:{}", publish_model(revision, &mut last, &mut live)));
                        assert_eq!(out.state_machine_version_arn, expected);
                    }
                    Op::Publish => {
                        let out = sfn
                            .publish_state_machine_version()
                            .state_machine_arn(&arn)
                            .send()
                            .await
                            .unwrap();
                        let n = publish_model(revision, &mut last, &mut live);
                        assert_eq!(out.state_machine_version_arn, format!("{arn}:{n}"));
                    }
                    Op::Delete(i) => {
                        let number = if live.is_empty() {
                            last + 1
                        } else {
                            *live.keys().nth(i % live.len()).unwrap()
                        };
                        sfn.delete_state_machine_version()
                            .state_machine_version_arn(format!("{arn}:{number}"))
                            .send()
                            .await
                            .unwrap();
                        live.remove(&number);
                    }
                }
                let listed = versions(&sfn, &arn).await;
                let expected: Vec<String> =
                    live.keys().rev().map(|n| format!("{arn}:{n}")).collect();
                assert_eq!(listed, expected);
            }
            for (n, r) in &live {
                let d = sfn
                    .describe_state_machine()
                    .state_machine_arn(format!("{arn}:{n}"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(d.definition, pass(&format!("r{r}")));
            }
        });
    }
}
