//! A canary release with state machine versions and an alias, on virtual time.
//!
//! Version 1 is in production behind the alias `live`; version 2 is published and the alias
//! sends it 10% of the executions, then all of them, and version 1 is retired.
//!
//! Run with `cargo run -p aws-lite-flow --example versions_aliases`.

use aws_lite_core::Rand;
use aws_lite_flow::{ExecutionStatus, Sfn};
use serde_json::json;

fn greeting(text: &str) -> String {
    json!({
        "StartAt": "Greet",
        "States": {"Greet": {"Type": "Pass", "Result": {"greeting": text}, "End": true}}
    })
    .to_string()
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    // A seeded service: the alias's routing draws replay exactly.
    let sfn = Sfn::builder().rand(Rand::seeded(42)).build();

    let created = sfn
        .create_state_machine()
        .name("greeter")
        .definition(greeting("hello"))
        .publish(true)
        .version_description("first release")
        .send()
        .await?;
    let machine = created.state_machine_arn;
    let v1 = created.state_machine_version_arn.unwrap_or_default();
    println!("published {v1}");

    let live = sfn
        .create_state_machine_alias()
        .name("live")
        .description("production traffic")
        .routing_configuration(&v1, 100)
        .send()
        .await?
        .state_machine_alias_arn;

    // The next release: a new revision, published as version 2.
    let v2 = sfn
        .update_state_machine()
        .state_machine_arn(&machine)
        .definition(greeting("hello, world"))
        .publish(true)
        .version_description("friendlier")
        .send()
        .await?
        .state_machine_version_arn
        .unwrap_or_default();
    println!("published {v2}");

    // Canary: 10% of the executions through `live` run version 2.
    sfn.update_state_machine_alias()
        .state_machine_alias_arn(&live)
        .routing_configuration(&v1, 90)
        .routing_configuration(&v2, 10)
        .send()
        .await?;
    let mut on_v2 = 0;
    for _ in 0..200 {
        let run = sfn
            .start_execution()
            .state_machine_arn(&live)
            .send()
            .await?;
        let done = sfn.wait_for_execution(&run.execution_arn).await?;
        assert_eq!(done.status, ExecutionStatus::Succeeded);
        if done.state_machine_version_arn.as_deref() == Some(&*v2) {
            on_v2 += 1;
        }
    }
    println!("canary: {on_v2} of 200 executions ran version 2");

    // Promote version 2, then retire version 1 (it could not go while `live` routed to it).
    sfn.update_state_machine_alias()
        .state_machine_alias_arn(&live)
        .routing_configuration(&v2, 100)
        .send()
        .await?;
    sfn.delete_state_machine_version()
        .state_machine_version_arn(&v1)
        .send()
        .await?;

    let run = sfn
        .start_execution()
        .state_machine_arn(&live)
        .send()
        .await?;
    let done = sfn.wait_for_execution(&run.execution_arn).await?;
    println!(
        "{} ran {} and said {}",
        done.execution_arn,
        done.state_machine_version_arn.unwrap_or_default(),
        done.output.unwrap_or_default()
    );
    let versions = sfn
        .list_state_machine_versions()
        .state_machine_arn(&machine)
        .send()
        .await?;
    for v in versions.state_machine_versions {
        println!("version left: {}", v.state_machine_version_arn);
    }
    Ok(())
}
