//! A handler written for the AWS Lambda Rust runtime, hosted unchanged (feature
//! `lambda-runtime`): the `service_fn(handler)` a deployed `main` hands to
//! `lambda_runtime::run` becomes the function's code. The handler receives a
//! `lambda_runtime::Context` built from the invocation (request id, deadline, invoked ARN,
//! `env_config`), and its errors are reported through the runtime's `Diagnostic`.
//!
//! Run with `cargo run -p aws-lite-fn --features lambda-runtime --example runtime_handler`.

use aws_lite_fn::Code;
use aws_lite_fn::Lambda;
use aws_lite_fn::runtime::lambda_runtime::{Error, LambdaEvent, service_fn};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Deserialize)]
struct Request {
    command: String,
}

#[derive(Serialize)]
struct Response {
    req_id: String,
    function: String,
    msg: String,
}

/// The handler exactly as deployed with `lambda_runtime::run(service_fn(function_handler))`.
async fn function_handler(event: LambdaEvent<Request>) -> Result<Response, Error> {
    let command = event.payload.command;
    if command.is_empty() {
        return Err("no command given".into());
    }
    Ok(Response {
        req_id: event.context.request_id,
        function: event.context.env_config.function_name.clone(),
        msg: format!("Command {command} executed."),
    })
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    let lambda = Lambda::new();
    let code = Code::from_lambda_runtime(service_fn(function_handler));
    lambda
        .create_function()
        .function_name("commands")
        .code(code)
        .send()
        .await?;

    let out = lambda
        .invoke()
        .function_name("commands")
        .payload(json!({ "command": "deploy" }))
        .send()
        .await?;
    println!("response: {}", out.payload());
    assert_eq!(out.payload()["msg"], "Command deploy executed.");
    assert_eq!(
        out.payload()["req_id"],
        json!(out.report().map(|r| r.request_id))
    );

    // An error goes through `lambda_runtime::Diagnostic`, as deployed.
    let failed = lambda
        .invoke()
        .function_name("commands")
        .payload(json!({ "command": "" }))
        .send()
        .await?;
    println!(
        "function error {:?}: {}",
        failed.function_error(),
        failed.payload()
    );
    assert_eq!(failed.payload()["errorMessage"], "no command given");

    // A payload that does not fit the handler's type is a function error too.
    let bad = lambda
        .invoke()
        .function_name("commands")
        .payload(json!({ "cmd": 1 }))
        .send()
        .await?;
    println!("bad payload: {}", bad.payload()["errorMessage"]);
    Ok(())
}
