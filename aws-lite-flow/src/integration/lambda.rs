//! Lambda through aws-lite-fn: `arn:aws:states:::lambda:invoke` (and `.waitForTaskToken`) and
//! function ARNs as `Resource`.
//!
//! # Parameters (`lambda:invoke`)
//!
//! - `FunctionName`: a name, an ARN or a partial ARN (`123456789012:function:name`), each
//!   optionally with `:qualifier`; `Qualifier` names a version or alias.
//! - `Payload`: any JSON value is the event; a string is the request body as JSON text (so
//!   `"\"HelloWorld\""` sends the string `HelloWorld`); absent or null sends Lambda's default
//!   `{}`. Text that is not JSON is Lambda's `InvalidRequestContentException`.
//! - `InvocationType`: `RequestResponse` (default), `Event` (202, nothing to wait for) or
//!   `DryRun` (204).
//! - `ClientContext` and `LogType` are accepted; aws-lite-fn has no client context and no log
//!   tail, so the function sees no client context and the result has no `LogResult`.
//!
//! # Result
//!
//! `lambda:invoke` returns the Invoke response: `ExecutedVersion`, `Payload` (the function's
//! JSON response), `SdkHttpMetadata` (Lambda's headers: `X-Amz-Executed-Version`,
//! `x-amzn-Remapped-Content-Length`, `Connection`, `x-amzn-RequestId` — the invocation's request
//! id —, `Content-Length` of the JSON body, `Date`, `X-Amzn-Trace-Id`, `Content-Type`),
//! `SdkResponseMetadata` and `StatusCode`. A function ARN as `Resource` returns the function's
//! payload alone, and its input is the state's effective input (or `Parameters`).
//!
//! # Errors
//!
//! A function error (`FunctionError: Unhandled`) fails the task with the payload's `errorType`
//! (or `Lambda.Unknown` with `The cause could not be determined because Lambda did not return an
//! error type. Returned payload: …` when it has none) and the error payload, as JSON text, as
//! cause. A Lambda API error is `Lambda.<Exception>` (`ResourceNotFoundException`,
//! `TooManyRequestsException`, `InvalidParameterValueException`, `RequestTooLargeException`, …;
//! `AWSLambdaException` for a code the SDK for Java does not model) with the SDK's message.

use aws_lite_core::Error;
use aws_lite_fn::Lambda;
use aws_lite_fn::operation::invoke::{InvocationType, InvokeOutput};
use serde_json::{Map, Value, json};

use super::{Ctx, sdk_metadata, str_param};
use crate::dataflow::compact;
use crate::engine::TaskError;

/// The Lambda exceptions the SDK for Java models; others are `AWSLambdaException`.
const MODELED: &[&str] = &[
    "CodeSigningConfigNotFoundException",
    "CodeStorageExceededException",
    "CodeVerificationFailedException",
    "EC2AccessDeniedException",
    "EC2ThrottledException",
    "EC2UnexpectedException",
    "EFSIOException",
    "EFSMountConnectivityException",
    "EFSMountFailureException",
    "EFSMountTimeoutException",
    "ENILimitReachedException",
    "InvalidCodeSignatureException",
    "InvalidParameterValueException",
    "InvalidRequestContentException",
    "InvalidRuntimeException",
    "InvalidSecurityGroupIDException",
    "InvalidSubnetIDException",
    "InvalidZipFileException",
    "KMSAccessDeniedException",
    "KMSDisabledException",
    "KMSInvalidStateException",
    "KMSNotFoundException",
    "PolicyLengthExceededException",
    "PreconditionFailedException",
    "ProvisionedConcurrencyConfigNotFoundException",
    "RecursiveInvocationException",
    "ResourceConflictException",
    "ResourceInUseException",
    "ResourceNotFoundException",
    "ResourceNotReadyException",
    "ServiceException",
    "SnapStartException",
    "SnapStartNotReadyException",
    "SnapStartTimeoutException",
    "SubnetIPAddressLimitReachedException",
    "TooManyRequestsException",
    "UnsupportedMediaTypeException",
];

/// `Lambda.<Exception>` for a Lambda API error.
pub(crate) fn api_error(err: &Error, request_id: &str) -> TaskError {
    let exception = match err.code() {
        // The SDK's class for the 413 is named after the shape, not the code.
        "RequestEntityTooLargeException" => "RequestTooLargeException",
        code if MODELED.contains(&code) => code,
        _ => "AWSLambdaException",
    };
    super::service_error(
        "Lambda",
        exception,
        "AWSLambda",
        err.status(),
        err,
        request_id,
    )
}

/// The task failure of a function error: its `errorType` and its payload.
pub(crate) fn function_error(payload: &Value) -> TaskError {
    let text = compact(payload);
    match payload.get("errorType").and_then(Value::as_str) {
        Some(t) => TaskError::new(t, text),
        None => TaskError::new(
            "Lambda.Unknown",
            format!(
                "The cause could not be determined because Lambda did not return an error type. Returned payload: {text}"
            ),
        ),
    }
}

/// The event of `Payload`: a JSON value, or JSON text in a string.
fn payload(params: &Value, request_id: &str) -> Result<Option<Value>, TaskError> {
    match params.get("Payload") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let err = Error::validation(
                    "InvalidRequestContentException",
                    format!("Could not parse request body into json: {e}"),
                );
                Err(api_error(&err, request_id))
            }
        },
        Some(v) => Ok(Some(v.clone())),
    }
}

fn invocation_type(params: &Value, request_id: &str) -> Result<InvocationType, TaskError> {
    match str_param(params, "InvocationType").as_deref() {
        None | Some("RequestResponse") => Ok(InvocationType::RequestResponse),
        Some("Event") => Ok(InvocationType::Event),
        Some("DryRun") => Ok(InvocationType::DryRun),
        Some(other) => {
            let err = Error::validation(
                "ValidationException",
                format!(
                    "1 validation error detected: Value '{other}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]"
                ),
            );
            Err(api_error(&err, request_id))
        }
    }
}

/// `arn:aws:states:::lambda:invoke`: Invoke with the task's parameters; the Invoke response.
pub(crate) async fn invoke(lambda: &Lambda, params: Value, ctx: &Ctx) -> Result<Value, TaskError> {
    let fallback_id = ctx.request_id();
    let kind = invocation_type(&params, &fallback_id)?;
    let event = payload(&params, &fallback_id)?;
    let out = lambda
        .invoke()
        .set_function_name(Some(str_param(&params, "FunctionName").unwrap_or_default()))
        .set_qualifier(str_param(&params, "Qualifier"))
        .set_invocation_type(Some(kind))
        .set_payload(event)
        .send()
        .await
        .map_err(|e| api_error(&e, &fallback_id))?;
    let request_id = out.request_id().map_or(fallback_id, |id| id.to_string());
    if out.function_error().is_some() {
        return Err(function_error(out.payload()));
    }
    Ok(response(&out, &request_id, ctx))
}

/// The Invoke response as `lambda:invoke` returns it.
fn response(out: &InvokeOutput, request_id: &str, ctx: &Ctx) -> Value {
    let status = out.status_code();
    let version = out.executed_version().to_string();
    // A synchronous call's body is the function's JSON response; the others have none.
    let (body, payload) = if status == 200 {
        let text = compact(out.payload());
        (text, out.payload().clone())
    } else {
        (String::new(), Value::String(String::new()))
    };
    let trace = format!("Root=1-{}", ctx.request_id().replace('-', ""));
    let mut headers: Vec<(&str, String)> = Vec::new();
    if !version.is_empty() {
        headers.push(("X-Amz-Executed-Version", version.clone()));
    }
    headers.extend([
        ("x-amzn-Remapped-Content-Length", "0".to_string()),
        ("Connection", "keep-alive".to_string()),
        ("x-amzn-RequestId", request_id.to_string()),
        ("Content-Length", body.len().to_string()),
        ("Date", ctx.date()),
        ("X-Amzn-Trace-Id", trace),
        ("Content-Type", "application/json".to_string()),
    ]);
    let mut result = Map::new();
    if !version.is_empty() {
        result.insert("ExecutedVersion".into(), json!(version));
    }
    result.insert("Payload".into(), payload);
    sdk_metadata(&mut result, &headers, request_id);
    result.insert("StatusCode".into(), json!(status));
    Value::Object(result)
}

/// A function ARN as `Resource`: Invoke with the task's input as the event; the function's
/// payload.
pub(crate) async fn invoke_function(
    lambda: &Lambda,
    arn: &str,
    input: Value,
    ctx: &Ctx,
) -> Result<Value, TaskError> {
    let out = lambda
        .invoke()
        .function_name(arn)
        .payload(input)
        .send()
        .await
        .map_err(|e| api_error(&e, &ctx.request_id()))?;
    if out.function_error().is_some() {
        return Err(function_error(out.payload()));
    }
    Ok(out.payload().clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_errors_without_a_type_are_lambda_unknown() {
        let e = function_error(&json!({"errorMessage": "out of memory"}));
        assert_eq!(e.error, "Lambda.Unknown");
        assert_eq!(
            e.cause,
            r#"The cause could not be determined because Lambda did not return an error type. Returned payload: {"errorMessage":"out of memory"}"#
        );
        let e = function_error(&json!({"errorType": "Boom", "errorMessage": "x"}));
        assert_eq!(e.error, "Boom");
        assert_eq!(e.cause, r#"{"errorMessage":"x","errorType":"Boom"}"#);
    }

    #[test]
    fn api_error_names() {
        let too_large = Error::new("RequestEntityTooLargeException", "too big").with_status(413);
        assert_eq!(
            api_error(&too_large, "r").error,
            "Lambda.RequestTooLargeException"
        );
        let internal = Error::internal("boom");
        let e = api_error(&internal, "r");
        assert_eq!(e.error, "Lambda.AWSLambdaException");
        assert_eq!(
            e.cause,
            "boom (Service: AWSLambda; Status Code: 500; Error Code: InternalFailure; Request ID: r; Proxy: null)"
        );
    }
}
