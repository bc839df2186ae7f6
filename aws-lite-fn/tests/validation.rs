//! Bad input: Lambda's codes and messages, and nothing registered or changed.

mod support;

use std::collections::BTreeMap;

use aws_lite_core::Error;
use aws_lite_fn::operation::invoke::InvocationType;
use aws_lite_fn::{AliasRoutingConfiguration, Environment};
use serde_json::json;
use support::*;

const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function";

fn is(err: Error, code: &str, message: &str) {
    assert_eq!((err.code(), err.message()), (code, message));
}

#[tokio::test(start_paused = true)]
async fn create_function_rejects_bad_configuration_and_registers_nothing() {
    let lambda = lambda();
    let base = || lambda.create_function().function_name("f").code(echo());
    let pattern = "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    is(
        lambda
            .create_function()
            .function_name("my fn")
            .code(echo())
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        &format!(
            "1 validation error detected: Value 'my fn' at 'functionName' failed to satisfy constraint: {pattern}"
        ),
    );
    let long = "a".repeat(65);
    is(
        lambda
            .create_function()
            .function_name(long.clone())
            .code(echo())
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        &format!(
            "1 validation error detected: Value '{long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"
        ),
    );
    is(
        base().timeout(0).send().await.unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    is(
        base().timeout(901).send().await.unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900",
    );
    is(
        base().memory_size(127).send().await.unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '127' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128",
    );
    is(
        base().memory_size(10_241).send().await.unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '10241' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240",
    );
    let d = "d".repeat(257);
    is(
        base().description(d.clone()).send().await.unwrap_err(),
        "ValidationException",
        &format!(
            "1 validation error detected: Value '{d}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256"
        ),
    );
    let big = "x".repeat(4090);
    let err = base()
        .environment_variable("KEY", big.clone())
        .send()
        .await
        .unwrap_err();
    is(
        err,
        "InvalidParameterValueException",
        &format!(
            "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {{\"KEY\":\"{big}\"}}"
        ),
    );
    let err = base()
        .environment_variable("1BAD", "v")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    is(
        lambda
            .create_function()
            .function_name("f")
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value null at 'code' failed to satisfy constraint: Member must not be null",
    );
    is(
        lambda
            .create_function()
            .function_name("f:1")
            .code(echo())
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        &format!(
            "1 validation error detected: Value 'f:1' at 'functionName' failed to satisfy constraint: {pattern}"
        ),
    );
    assert!(
        lambda
            .list_functions()
            .send()
            .await
            .unwrap()
            .functions()
            .is_empty(),
        "nothing registered"
    );

    let mut env = BTreeMap::new();
    env.insert("TABLE".to_owned(), "t".to_owned());
    let ok = base()
        .environment(Environment::new(env.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.environment_variables(), Some(&env));
    is(
        base().send().await.unwrap_err(),
        "ResourceConflictException",
        "Function already exist: f",
    );
}

#[tokio::test(start_paused = true)]
async fn missing_functions_versions_and_aliases() {
    let lambda = lambda();
    is(
        lambda
            .get_function()
            .function_name("nope")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:nope"),
    );
    // Invoke names the qualified ARN, `$LATEST` when the call is unqualified (Lambda's text,
    // as recorded in ../shared/conformance/sfn/cases.jsonl); GetFunction the unqualified one.
    is(
        lambda
            .invoke()
            .function_name("nope")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:nope:$LATEST"),
    );
    for kind in [InvocationType::Event, InvocationType::DryRun] {
        is(
            lambda
                .invoke()
                .function_name(format!("{ARN}:nope"))
                .invocation_type(kind)
                .send()
                .await
                .unwrap_err(),
            "ResourceNotFoundException",
            &format!("Function not found: {ARN}:nope:$LATEST"),
        );
    }
    is(
        lambda
            .invoke()
            .function_name("nope")
            .qualifier("live")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:nope:live"),
    );
    lambda
        .create_function()
        .function_name("f")
        .code(echo())
        .send()
        .await
        .unwrap();
    is(
        lambda
            .invoke()
            .function_name("f")
            .qualifier("7")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:7"),
    );
    // A missing alias is `Function not found` too for Invoke (GetAlias says `Cannot find
    // alias arn`).
    is(
        lambda
            .invoke()
            .function_name("f:live")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:live"),
    );
    let latest = lambda
        .invoke()
        .function_name("f")
        .qualifier("$LATEST")
        .send()
        .await
        .unwrap();
    assert_eq!(latest.executed_version(), "$LATEST");
    is(
        lambda
            .get_function()
            .function_name("f")
            .qualifier("3")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:3"),
    );
    is(
        lambda
            .invoke()
            .function_name("f:1")
            .qualifier("2")
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
    );
    let err = lambda
        .invoke()
        .function_name("f")
        .qualifier("a/b")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    is(
        lambda
            .delete_function()
            .function_name("f")
            .qualifier("$LATEST")
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "$LATEST version cannot be deleted without deleting the function.",
    );
    // Full ARNs work, and deleting removes.
    lambda
        .get_function()
        .function_name(format!("{ARN}:f"))
        .send()
        .await
        .unwrap();
    lambda
        .delete_function()
        .function_name("f")
        .send()
        .await
        .unwrap();
    is(
        lambda
            .delete_function()
            .function_name("f")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f"),
    );
}

#[tokio::test(start_paused = true)]
async fn alias_validation() {
    let lambda = lambda();
    with_versions(&lambda, "f", 3).await;
    let create = || {
        lambda
            .create_alias()
            .function_name("f")
            .name("a")
            .function_version("1")
    };
    is(
        lambda
            .create_alias()
            .function_name("f")
            .name("123")
            .function_version("1")
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    );
    is(
        lambda
            .create_alias()
            .function_name("f")
            .name("a")
            .function_version("9")
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:9"),
    );
    let mut two = AliasRoutingConfiguration::new("2", 0.1);
    two.additional_version_weights.insert("3".into(), 0.1);
    is(
        create().routing_config(two).send().await.unwrap_err(),
        "InvalidParameterValueException",
        "Number of items in AdditionalVersionWeights cannot be greater than 1",
    );
    is(
        create()
            .routing_config(AliasRoutingConfiguration::new("2", 1.5))
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]",
    );
    is(
        create()
            .routing_config(AliasRoutingConfiguration::new("1", 0.5))
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "Invalid function version 1. Function version 1 is already included in routing configuration.",
    );
    is(
        lambda
            .create_alias()
            .function_name("f")
            .name("a")
            .function_version("$LATEST")
            .routing_config(AliasRoutingConfiguration::new("2", 0.5))
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "$LATEST is not supported for an alias pointing to more than 1 version",
    );
    let err = create()
        .routing_config(AliasRoutingConfiguration::new("live", 0.5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    is(
        create()
            .routing_config(AliasRoutingConfiguration::new("8", 0.5))
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:8"),
    );
    assert!(
        lambda
            .list_aliases()
            .function_name("f")
            .send()
            .await
            .unwrap()
            .aliases()
            .is_empty()
    );
    create().send().await.unwrap();
    is(
        create().send().await.unwrap_err(),
        "ResourceConflictException",
        &format!("Alias already exists: {ARN}:f:a"),
    );
    is(
        lambda
            .delete_function()
            .function_name("f")
            .qualifier("1")
            .send()
            .await
            .unwrap_err(),
        "ResourceConflictException",
        "Unable to delete version because the following aliases reference it: [a]",
    );
    let err = lambda
        .update_alias()
        .function_name("f")
        .name("a")
        .revision_id("stale")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "PreconditionFailedException");
    assert_eq!(
        lambda
            .get_alias()
            .function_name("f")
            .name("a")
            .send()
            .await
            .unwrap()
            .function_version(),
        "1"
    );
}

#[tokio::test(start_paused = true)]
async fn concurrency_validation() {
    let lambda = lambda();
    with_versions(&lambda, "f", 1).await;
    is(
        lambda
            .put_function_concurrency()
            .function_name("f")
            .reserved_concurrent_executions(-1)
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
    is(
        lambda
            .put_function_concurrency()
            .function_name("f")
            .reserved_concurrent_executions(901)
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    let pc = || {
        lambda
            .put_provisioned_concurrency_config()
            .function_name("f")
    };
    is(
        pc().qualifier("$LATEST")
            .provisioned_concurrent_executions(1)
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    );
    is(
        pc().qualifier("1")
            .provisioned_concurrent_executions(0)
            .send()
            .await
            .unwrap_err(),
        "ValidationException",
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    is(
        pc().qualifier("5")
            .provisioned_concurrent_executions(1)
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Function not found: {ARN}:f:5"),
    );
    is(
        pc().qualifier("nope")
            .provisioned_concurrent_executions(1)
            .send()
            .await
            .unwrap_err(),
        "ResourceNotFoundException",
        &format!("Cannot find alias arn: {ARN}:f:nope"),
    );
    lambda
        .create_alias()
        .function_name("f")
        .name("latest")
        .function_version("$LATEST")
        .send()
        .await
        .unwrap();
    is(
        pc().qualifier("latest")
            .provisioned_concurrent_executions(1)
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
    );
    is(
        lambda
            .get_provisioned_concurrency_config()
            .function_name("f")
            .qualifier("$LATEST")
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "The function resource provided must be an alias or a published version.",
    );
    lambda
        .put_function_concurrency()
        .function_name("f")
        .reserved_concurrent_executions(2)
        .send()
        .await
        .unwrap();
    is(
        pc().qualifier("1")
            .provisioned_concurrent_executions(3)
            .send()
            .await
            .unwrap_err(),
        "InvalidParameterValueException",
        "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function",
    );
    lambda
        .create_alias()
        .function_name("f")
        .name("live")
        .function_version("1")
        .send()
        .await
        .unwrap();
    pc().qualifier("1")
        .provisioned_concurrent_executions(1)
        .send()
        .await
        .unwrap();
    is(
        pc().qualifier("live")
            .provisioned_concurrent_executions(1)
            .send()
            .await
            .unwrap_err(),
        "ResourceConflictException",
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    );
}

#[tokio::test(start_paused = true)]
async fn payload_limits_depend_on_the_invocation_type() {
    let lambda = lambda();
    lambda
        .create_function()
        .function_name("f")
        .code(echo())
        .send()
        .await
        .unwrap();
    // A JSON string of n bytes serializes to n + 2.
    let just_over_async = json!("a".repeat(1024 * 1024 - 1));
    is(
        lambda
            .invoke()
            .function_name("f")
            .invocation_type(InvocationType::Event)
            .payload(just_over_async.clone())
            .send()
            .await
            .unwrap_err(),
        "RequestEntityTooLargeException",
        "Request must be smaller than 1048576 bytes for the InvokeFunction operation",
    );
    let out = lambda
        .invoke()
        .function_name("f")
        .payload(just_over_async)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status_code(), 200, "fine synchronously");
    let err = lambda
        .invoke()
        .function_name("f")
        .payload(json!("a".repeat(6 * 1024 * 1024 - 1)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), 413);
    is(
        err,
        "RequestEntityTooLargeException",
        "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
    );
    assert_eq!(
        lambda.metrics("f").unwrap().invocations,
        1,
        "rejected calls ran nothing"
    );
}

#[tokio::test(start_paused = true)]
async fn a_response_over_6_mb_is_function_response_size_too_large() {
    let lambda = lambda();
    // Answers a string of the payload's length: its JSON is that length plus two quotes.
    let code = aws_lite_fn::Code::from_service(aws_lite_fn::service_fn(
        |e: aws_lite_fn::Event<usize>| async move {
            Ok::<_, std::convert::Infallible>("a".repeat(e.payload))
        },
    ));
    lambda
        .create_function()
        .function_name("big")
        .code(code)
        .send()
        .await
        .unwrap();
    let invoke = |n: usize| {
        lambda
            .invoke()
            .function_name("big")
            .payload(json!(n))
            .send()
    };
    // 6,291,556 bytes of JSON is the most Lambda returns.
    let out = invoke(6_291_556 - 2).await.unwrap();
    assert_eq!(out.function_error(), None);
    assert_eq!(out.payload().as_str().map(str::len), Some(6_291_554));
    let out = invoke(6_291_556 - 1).await.unwrap();
    assert_eq!(out.status_code(), 200);
    assert_eq!(out.function_error(), Some("Unhandled"));
    assert_eq!(
        out.payload(),
        &json!({
            "errorType": "Function.ResponseSizeTooLarge",
            "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes)."
        })
    );
    // A function error, and the environment stays warm.
    let m = lambda.metrics("big").unwrap();
    assert_eq!((m.invocations, m.errors, m.cold_starts), (2, 1, 1));
}
