//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use aws_lite_core::Rand;
use aws_lite_flow::Sfn;
use aws_lite_flow::operation::describe_execution::DescribeExecutionOutput;
use serde_json::Value;

static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A service with a seeded RNG.
pub fn sfn() -> Sfn {
    Sfn::builder().rand(Rand::seeded(1)).build()
}

/// Creates a machine from `definition`, runs it on `input` to the end and returns the result
/// and the event types of its history.
pub async fn run(
    sfn: &Sfn,
    definition: &str,
    input: Value,
) -> (DescribeExecutionOutput, Vec<String>) {
    let sm = sfn
        .create_state_machine()
        .name(format!(
            "m{}",
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ))
        .definition(definition)
        .send()
        .await
        .expect("valid definition");
    let run = sfn
        .start_execution()
        .state_machine_arn(&sm.state_machine_arn)
        .input(input.to_string())
        .send()
        .await
        .expect("started");
    let done = sfn
        .wait_for_execution(&run.execution_arn)
        .await
        .expect("exists");
    let history = sfn
        .get_execution_history()
        .execution_arn(&run.execution_arn)
        .send()
        .await
        .expect("history");
    let types = history
        .events
        .iter()
        .map(|e| e.event_type.to_string())
        .collect();
    (done, types)
}

/// The output of a succeeded execution.
pub fn output(d: &DescribeExecutionOutput) -> Value {
    serde_json::from_str(d.output.as_deref().unwrap_or("null")).expect("json output")
}
