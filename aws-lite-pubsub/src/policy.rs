//! Topic access policies: the default policy, AddPermission/RemovePermission statements and
//! the check made for callers from other accounts.
//!
//! The evaluation is a subset of IAM's, enough for what SNS topic policies say in practice: a
//! statement applies to a caller when its `Principal` is `"*"` or names the caller's account
//! (`"123456789012"` or `"arn:aws:iam::123456789012:root"`, alone or in a list under `"AWS"`),
//! its `Action` names the action (`SNS:Publish`, `sns:publish`, `SNS:*` or `*`), and its
//! `Condition`, if any, is a `StringEquals` on `AWS:SourceOwner` / `aws:SourceAccount` equal to
//! the caller's account. An explicit `Deny` wins over any `Allow`. Statements with other
//! conditions never apply.

use serde_json::{Value, json};

/// The actions AddPermission accepts.
pub(crate) const ACTIONS: &[&str] = &[
    "Publish",
    "Subscribe",
    "Receive",
    "GetTopicAttributes",
    "SetTopicAttributes",
    "AddPermission",
    "RemovePermission",
    "DeleteTopic",
    "ListSubscriptionsByTopic",
];

/// The policy SNS gives a new topic: the owner may do everything.
pub(crate) fn default_policy(topic_arn: &str, owner: &str) -> Value {
    json!({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": [
                "SNS:GetTopicAttributes",
                "SNS:SetTopicAttributes",
                "SNS:AddPermission",
                "SNS:RemovePermission",
                "SNS:DeleteTopic",
                "SNS:Subscribe",
                "SNS:ListSubscriptionsByTopic",
                "SNS:Publish"
            ],
            "Resource": topic_arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": owner}}
        }]
    })
}

fn as_list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    }
}

fn principal_matches(p: Option<&Value>, caller: &str) -> bool {
    let Some(p) = p else { return false };
    let names: Vec<&Value> = match p {
        Value::Object(m) => m.get("AWS").map(as_list).unwrap_or_default(),
        other => as_list(other),
    };
    let root = format!("arn:aws:iam::{caller}:root");
    names.iter().any(|n| {
        n.as_str()
            .is_some_and(|s| s == "*" || s == caller || s == root)
    })
}

fn action_matches(a: Option<&Value>, action: &str) -> bool {
    let Some(a) = a else { return false };
    as_list(a).iter().any(|v| {
        v.as_str().is_some_and(|s| {
            s == "*"
                || s.eq_ignore_ascii_case("sns:*")
                || s.eq_ignore_ascii_case(&format!("SNS:{action}"))
        })
    })
}

fn condition_matches(c: Option<&Value>, caller: &str) -> bool {
    let Some(c) = c else { return true };
    let Some(obj) = c.as_object() else {
        return false;
    };
    obj.iter().all(|(op, body)| {
        op == "StringEquals"
            && body.as_object().is_some_and(|kv| {
                kv.iter().all(|(k, v)| {
                    (k.eq_ignore_ascii_case("AWS:SourceOwner")
                        || k.eq_ignore_ascii_case("aws:SourceAccount"))
                        && as_list(v).iter().any(|x| x.as_str() == Some(caller))
                })
            })
    })
}

/// Whether `policy` lets account `caller` perform `action` (`Publish`, `Subscribe`, …).
pub(crate) fn allows(policy: &Value, caller: &str, action: &str) -> bool {
    let statements = policy.get("Statement").map(as_list).unwrap_or_default();
    let mut allowed = false;
    for s in statements {
        let applies = principal_matches(s.get("Principal"), caller)
            && action_matches(s.get("Action"), action)
            && condition_matches(s.get("Condition"), caller);
        if !applies {
            continue;
        }
        match s.get("Effect").and_then(Value::as_str) {
            Some("Deny") => return false,
            Some("Allow") => allowed = true,
            _ => {}
        }
    }
    allowed
}

/// Whether a statement labelled `label` exists.
pub(crate) fn has_statement(policy: &Value, label: &str) -> bool {
    policy
        .get("Statement")
        .map(as_list)
        .unwrap_or_default()
        .iter()
        .any(|s| s.get("Sid").and_then(Value::as_str) == Some(label))
}

/// Adds the statement AddPermission makes.
pub(crate) fn add_statement(
    policy: &mut Value,
    topic_arn: &str,
    label: &str,
    accounts: &[String],
    actions: &[String],
) {
    let principals: Vec<Value> = accounts
        .iter()
        .map(|a| Value::String(format!("arn:aws:iam::{a}:root")))
        .collect();
    let actions: Vec<Value> = actions
        .iter()
        .map(|a| Value::String(format!("SNS:{a}")))
        .collect();
    let statement = json!({
        "Sid": label,
        "Effect": "Allow",
        "Principal": {"AWS": principals},
        "Action": actions,
        "Resource": topic_arn,
    });
    if !policy.is_object() {
        *policy = json!({"Version": "2008-10-17", "Statement": []});
    }
    if let Some(obj) = policy.as_object_mut() {
        let list = obj
            .entry("Statement")
            .or_insert_with(|| Value::Array(Vec::new()));
        if !list.is_array() {
            let one = list.take();
            *list = Value::Array(vec![one]);
        }
        if let Value::Array(a) = list {
            a.push(statement);
        }
    }
}

/// Removes the statement labelled `label`; whether one was there.
pub(crate) fn remove_statement(policy: &mut Value, label: &str) -> bool {
    let Some(Value::Array(a)) = policy.get_mut("Statement") else {
        return false;
    };
    let before = a.len();
    a.retain(|s| s.get("Sid").and_then(Value::as_str) != Some(label));
    a.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_allows_only_the_owner() {
        let p = default_policy("arn:aws:sns:us-east-1:111111111111:t", "111111111111");
        assert!(allows(&p, "111111111111", "Publish"));
        assert!(!allows(&p, "222222222222", "Publish"));
    }

    #[test]
    fn added_statement_allows_named_account_and_action() {
        let mut p = default_policy("arn:t", "111111111111");
        add_statement(
            &mut p,
            "arn:t",
            "x",
            &["222222222222".into()],
            &["Publish".into()],
        );
        assert!(allows(&p, "222222222222", "Publish"));
        assert!(!allows(&p, "222222222222", "Subscribe"));
        assert!(remove_statement(&mut p, "x"));
        assert!(!allows(&p, "222222222222", "Publish"));
    }
}
