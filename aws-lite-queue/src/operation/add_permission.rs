//! AddPermission: grants other accounts actions on a queue, in the queue's `Policy`.
//!
//! # The policy SQS writes
//!
//! AddPermission appends one statement, named by the label, to the queue's `Policy` attribute
//! (an IAM policy document, reported by GetQueueAttributes as compact JSON). A queue without a
//! policy gets a new document first:
//!
//! ```text
//! {"Version":"2008-10-17","Id":"arn:aws:sqs:us-east-1:111122223333:q/SQSDefaultPolicy",
//!  "Statement":[{"Sid":"label","Effect":"Allow",
//!                "Principal":{"AWS":"arn:aws:iam::444455556666:root"},
//!                "Action":"SQS:SendMessage",
//!                "Resource":"arn:aws:sqs:us-east-1:111122223333:q"}]}
//! ```
//!
//! This is the shape AWS writes, as a `GetQueueAttributes` of a queue exposed with
//! AddPermission on a real account shows (salesforce/endgame's SQS walkthrough): version
//! `2008-10-17`, the `Id` `{queue ARN}/SQSDefaultPolicy`, keys in the order above, and one
//! principal or action written as a string. Several accounts or actions are written as arrays
//! (`"AWS":["arn:aws:iam::1…:root","arn:aws:iam::2…:root"]`), in the order given, as LocalStack
//! and moto do. Each account becomes `arn:{partition}:iam::{account}:root`, each action
//! `SQS:{action}`.
//!
//! A policy set with SetQueueAttributes is kept and the statement appended to its
//! `Statement` list (a single statement object becomes a list). The document is written back
//! with `Version`, `Id`, `Statement` first and each statement's `Sid`, `Effect`, `Principal`,
//! `Action`, `Resource`, `Condition` first; other keys follow in alphabetical order. The change
//! sets `LastModifiedTimestamp`.
//!
//! # Errors
//!
//! Checked in this order; a rejected call changes nothing.
//!
//! | case | error |
//! |---|---|
//! | no `Label` | `MissingParameter` "The request must contain the parameter Label." |
//! | `Label` not 1–80 characters of `[A-Za-z0-9_-]` | `InvalidParameterValue` "Value {label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length." (inferred) |
//! | no `Actions` | `MissingParameter` "The request must contain the parameter Actions." |
//! | no `AWSAccountIds` | `InvalidParameterValue` "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify." |
//! | an account id that is not 12 digits | `InvalidParameterValue` "Value [{id}] for parameter PrincipalId is invalid. Reason: Unable to verify." (inferred) |
//! | more than 7 actions | `OverLimit` (HTTP 403) "{n} Actions were found, maximum allowed is 7." |
//! | an action only the owner may perform (`AddPermission`, `SetQueueAttributes`, `DeleteQueue`, `TagQueue`, …) | `InvalidParameterValue` "Value SQS:{action} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action." |
//! | any other name (batch operations included: `SendMessage` already grants `SendMessageBatch`) | `InvalidParameterValue` "Value SQS:{action} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. " (LocalStack's text, trailing space included) |
//! | the label names a statement already in the policy | `InvalidParameterValue` "Value {label} for parameter Label is invalid. Reason: Already exists." |
//!
//! The grantable actions are `*`, `ChangeMessageVisibility`, `DeleteMessage`,
//! `GetQueueAttributes`, `GetQueueUrl`, `ListDeadLetterSourceQueues`, `PurgeQueue`,
//! `ReceiveMessage` and `SendMessage`. Messages without a mark are those moto's tests record
//! for AWS; *inferred* ones could not be confirmed.
//!
//! aws-lite keeps the policy but does not evaluate it: every caller of an in-process [`Sqs`]
//! acts as the queue's owner.

use std::sync::Arc;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// Actions AddPermission grants.
const GRANTABLE: [&str; 9] = [
    "*",
    "ChangeMessageVisibility",
    "DeleteMessage",
    "GetQueueAttributes",
    "GetQueueUrl",
    "ListDeadLetterSourceQueues",
    "PurgeQueue",
    "ReceiveMessage",
    "SendMessage",
];

/// SQS actions only the queue owner may perform.
const OWNER_ONLY: [&str; 12] = [
    "AddPermission",
    "CancelMessageMoveTask",
    "CreateQueue",
    "DeleteQueue",
    "ListMessageMoveTasks",
    "ListQueueTags",
    "ListQueues",
    "RemovePermission",
    "SetQueueAttributes",
    "StartMessageMoveTask",
    "TagQueue",
    "UntagQueue",
];

/// Most actions in one statement.
const MAX_ACTIONS: usize = 7;

/// The input of AddPermission, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AddPermissionInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The statement's id (`Sid`), unique in the queue's policy.
    #[serde(default)]
    pub label: String,
    /// The accounts granted the actions (12-digit ids).
    #[serde(default, rename = "AWSAccountIds")]
    pub aws_account_ids: Vec<String>,
    /// The actions granted (`SendMessage`, `*`, …), without the `SQS:` prefix.
    #[serde(default)]
    pub actions: Vec<String>,
}

/// The output of AddPermission (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AddPermissionOutput {}

/// Builds and sends an AddPermission request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct AddPermissionFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: AddPermissionInput,
}

impl AddPermissionFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> AddPermissionFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        AddPermissionFluentBuilder {
            sqs,
            queue,
            input: AddPermissionInput {
                queue_url,
                ..AddPermissionInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The statement's id.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.input.label = label.into();
        self
    }

    /// Adds an account to grant the actions to.
    pub fn aws_account_ids(mut self, account: impl Into<String>) -> Self {
        self.input.aws_account_ids.push(account.into());
        self
    }

    /// Sets (or, with `None`, clears) the accounts.
    pub fn set_aws_account_ids(mut self, accounts: Option<Vec<String>>) -> Self {
        self.input.aws_account_ids = accounts.unwrap_or_default();
        self
    }

    /// Adds an action to grant (`SendMessage`, `*`, …).
    pub fn actions(mut self, action: impl Into<String>) -> Self {
        self.input.actions.push(action.into());
        self
    }

    /// Sets (or, with `None`, clears) the actions.
    pub fn set_actions(mut self, actions: Option<Vec<String>>) -> Self {
        self.input.actions = actions.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &AddPermissionInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<AddPermissionOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        add_permission(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// AddPermission on the queue at `.queue_url(…)`.
    pub fn add_permission(&self) -> AddPermissionFluentBuilder {
        AddPermissionFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// AddPermission on this queue.
    pub fn add_permission(&self) -> AddPermissionFluentBuilder {
        AddPermissionFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

// ---------------------------------------------------------------------------------------------
// The policy document (shared with RemovePermission)
// ---------------------------------------------------------------------------------------------

/// The queue's policy as a JSON object (`Policy` is always stored as one), or `None`.
pub(crate) fn parse_policy(text: Option<&str>) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(text?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// The statements of a policy: its `Statement` list, a lone statement object, or none.
pub(crate) fn statements(policy: &Map<String, Value>) -> Vec<Value> {
    match policy.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

/// The `Sid` of a statement.
pub(crate) fn sid(statement: &Value) -> Option<&str> {
    statement.get("Sid").and_then(Value::as_str)
}

const DOCUMENT_ORDER: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ORDER: [&str; 6] = [
    "Sid",
    "Effect",
    "Principal",
    "Action",
    "Resource",
    "Condition",
];

/// Writes `object` as compact JSON with the keys of `order` first, then the rest sorted.
fn write_object(out: &mut String, object: &Map<String, Value>, order: &[&str], top: bool) {
    out.push('{');
    let mut keys: Vec<&String> = object.keys().collect();
    keys.sort_by_key(|k| {
        (
            order
                .iter()
                .position(|o| *o == k.as_str())
                .unwrap_or(order.len()),
            k.as_str(),
        )
    });
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String(key.clone()).to_string());
        out.push(':');
        match (&object[key], top && key == "Statement") {
            (Value::Array(items), true) => {
                out.push('[');
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    match item {
                        Value::Object(statement) => {
                            write_object(out, statement, &STATEMENT_ORDER, false)
                        }
                        other => out.push_str(&other.to_string()),
                    }
                }
                out.push(']');
            }
            (other, _) => out.push_str(&other.to_string()),
        }
    }
    out.push('}');
}

/// The policy as SQS reports it: compact JSON, keys in IAM's usual order.
pub(crate) fn render_policy(policy: &Map<String, Value>) -> String {
    let mut out = String::new();
    write_object(&mut out, policy, &DOCUMENT_ORDER, true);
    out
}

/// One value, or an array of several.
fn one_or_many(items: Vec<String>) -> Value {
    if items.len() == 1 {
        Value::String(items.into_iter().next().unwrap_or_default())
    } else {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

fn label_is_valid(label: &str) -> bool {
    label.len() <= 80
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_action(action: &str) -> Result<(), Error> {
    if GRANTABLE.contains(&action) {
        return Ok(());
    }
    let reason = if OWNER_ONLY.contains(&action) {
        "Only the queue owner is allowed to invoke this action."
    } else {
        "Please refer to the appropriate WSDL for a list of valid actions. "
    };
    Err(error::invalid_parameter(
        "ActionName",
        format_args!("SQS:{action}"),
        reason,
    ))
}

fn unable_to_verify(shown: &str) -> Error {
    error::invalid_parameter(
        "PrincipalId",
        format_args!("[{shown}]"),
        "Unable to verify.",
    )
}

pub(crate) fn add_permission(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: AddPermissionInput,
) -> Result<AddPermissionOutput, Error> {
    let _span = tracing::debug_span!("sqs.AddPermission", queue = %queue.name).entered();
    queue.check_live()?;
    let label = input.label;
    if label.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter Label.",
        ));
    }
    if !label_is_valid(&label) {
        return Err(error::invalid_parameter(
            "Label",
            &label,
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.",
        ));
    }
    if input.actions.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter Actions.",
        ));
    }
    if input.aws_account_ids.is_empty() {
        return Err(unable_to_verify(""));
    }
    if let Some(bad) = input
        .aws_account_ids
        .iter()
        .find(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(unable_to_verify(bad));
    }
    if input.actions.len() > MAX_ACTIONS {
        return Err(error::over_limit(format!(
            "{} Actions were found, maximum allowed is {MAX_ACTIONS}.",
            input.actions.len()
        )));
    }
    for action in &input.actions {
        check_action(action)?;
    }
    let partition = svc.region.partition();
    let principals: Vec<String> = input
        .aws_account_ids
        .iter()
        .map(|a| format!("arn:{partition}:iam::{a}:root"))
        .collect();
    let actions: Vec<String> = input.actions.iter().map(|a| format!("SQS:{a}")).collect();
    let mut statement = Map::new();
    statement.insert("Sid".into(), Value::String(label.clone()));
    statement.insert("Effect".into(), Value::String("Allow".into()));
    let mut principal = Map::new();
    principal.insert("AWS".into(), one_or_many(principals));
    statement.insert("Principal".into(), Value::Object(principal));
    statement.insert("Action".into(), one_or_many(actions));
    statement.insert("Resource".into(), Value::String(queue.arn.clone()));

    let now = svc.clock.now();
    let mut state = queue.state.lock();
    let mut policy = parse_policy(state.config.policy.as_deref()).unwrap_or_else(|| {
        let mut fresh = Map::new();
        fresh.insert("Version".into(), Value::String("2008-10-17".into()));
        fresh.insert(
            "Id".into(),
            Value::String(format!("{}/SQSDefaultPolicy", queue.arn)),
        );
        fresh
    });
    let mut list = statements(&policy);
    if list.iter().any(|s| sid(s) == Some(label.as_str())) {
        return Err(error::invalid_parameter("Label", &label, "Already exists."));
    }
    list.push(Value::Object(statement));
    policy.insert("Statement".into(), Value::Array(list));
    state.config.policy = Some(render_policy(&policy));
    state.last_modified_secs = svc.epoch_ms(now) / 1000;
    Ok(AddPermissionOutput {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_orders_keys_like_sqs() {
        let text = r#"{"Statement":{"Resource":"r","Zeta":1,"Action":"SQS:*","Sid":"s","Effect":"Allow","Principal":{"AWS":"p"}},"Id":"i","Version":"2012-10-17","Extra":true}"#;
        let mut policy = parse_policy(Some(text)).unwrap();
        let list = statements(&policy);
        assert_eq!(list.len(), 1);
        assert_eq!(sid(&list[0]), Some("s"));
        policy.insert("Statement".into(), Value::Array(list));
        assert_eq!(
            render_policy(&policy),
            r#"{"Version":"2012-10-17","Id":"i","Statement":[{"Sid":"s","Effect":"Allow","Principal":{"AWS":"p"},"Action":"SQS:*","Resource":"r","Zeta":1}],"Extra":true}"#
        );
        assert!(parse_policy(Some("[]")).is_none());
        assert!(parse_policy(None).is_none());
    }

    #[test]
    fn actions_and_labels() {
        for ok in GRANTABLE {
            assert!(check_action(ok).is_ok());
        }
        let owner = check_action("TagQueue").unwrap_err();
        assert_eq!(
            owner.message(),
            "Value SQS:TagQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action."
        );
        let unknown = check_action("SendMessageBatch").unwrap_err();
        assert_eq!(
            unknown.message(),
            "Value SQS:SendMessageBatch for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. "
        );
        assert!(label_is_valid("a-b_C9"));
        assert!(label_is_valid(&"x".repeat(80)));
        assert!(!label_is_valid(&"x".repeat(81)));
        assert!(!label_is_valid("a b"));
        assert!(!label_is_valid("a.b"));
    }
}
