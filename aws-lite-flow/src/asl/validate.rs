//! Definition validation, as CreateStateMachine and ValidateStateMachineDefinition do it.
//!
//! # Diagnostics
//!
//! Each problem is a [`Diagnostic`] with ValidateStateMachineDefinition's codes
//! (`INVALID_JSON_DESCRIPTION`, `SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET`,
//! `UNREACHABLE_STATE`) and a JSON-pointer-like location (`/States/Y/Next`). CreateStateMachine
//! joins them into one `InvalidDefinition` error:
//! `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/Y/Next'`.
//!
//! # Checks
//!
//! - the text is a JSON object with `StartAt` and `States`; every state has a known `Type`;
//!   fields a state type does not have are rejected;
//! - `QueryLanguage: JSONata` anywhere is rejected at create time: the interpreter runs
//!   JSONPath only ([`diagnose`], ValidateStateMachineDefinition's check, accepts it but
//!   rejects a state set back to JSONPath in a JSONata machine);
//! - `StartAt`, `Next`, `Default` and catcher targets name states of the same scope (a
//!   Parallel branch or Map processor is its own scope), and every state is reachable;
//! - `Next` xor `End` on Pass, Task, Wait, Parallel and Map; Choice rules carry one comparison
//!   (or `And`/`Or`/`Not`) and top-level rules a `Next`;
//! - Wait has exactly one timing field and a valid RFC 3339 literal `Timestamp`;
//! - Fail has at most one of `Error`/`ErrorPath` and of `Cause`/`CausePath`;
//! - `States.ALL` appears alone and in the last retrier or catcher;
//! - `HeartbeatSeconds` is below `TimeoutSeconds`; `Credentials` has a `RoleArn`;
//! - Map `Label`s are at most 40 characters without reserved characters; tolerated failure
//!   percentages are within 0–100;
//! - Express machines use no `.sync`, `.waitForTaskToken` or activity resources (nor do
//!   the `EXPRESS` child executions of a Distributed Map);
//! - a Map's `ProcessorConfig` and Distributed-mode fields (`ItemReader`, `ItemBatcher`,
//!   `ResultWriter`) are well formed (see `distributed.rs`).

use std::collections::{BTreeMap, BTreeSet};

use aws_lite_core::Error;
use serde::Serialize;
use serde_json::Value;

use super::{Branch, Definition, PathField, State};

mod distributed;

pub(crate) use distributed::{LIST_OBJECTS_V2, MAX_BATCH_BYTES, MAX_ITEMS_LIMIT};

/// One finding of validation, shaped like ValidateStateMachineDefinition's diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Diagnostic {
    /// `ERROR` (every check here is an error).
    pub severity: String,
    /// The code (`SCHEMA_VALIDATION_FAILED`, `MISSING_TRANSITION_TARGET` …).
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// Where (`/States/Y/Next`); absent when the problem has no place (an empty definition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl Diagnostic {
    fn new(code: &str, message: impl Into<String>, location: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: "ERROR".into(),
            code: code.into(),
            message: message.into(),
            location: Some(location.into()),
        }
    }

    fn unlocated(code: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: "ERROR".into(),
            code: code.into(),
            message: message.into(),
            location: None,
        }
    }
}

/// What a validation run allows and where the definition will run.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    /// An EXPRESS machine: no `.sync`, `.waitForTaskToken` or activities.
    express: bool,
    /// JSONata is valid ASL (ValidateStateMachineDefinition); CreateStateMachine rejects it
    /// because the interpreter runs JSONPath only.
    jsonata_ok: bool,
    /// The whole machine is `QueryLanguage: JSONata`: no state may downgrade to JSONPath.
    machine_jsonata: bool,
}

const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";

/// Validates definition text for a STANDARD (`express = false`) or EXPRESS machine and parses it.
///
/// # Errors
///
/// `InvalidDefinition` whose message lists every diagnostic.
pub fn validate(text: &str, express: bool) -> Result<Definition, Error> {
    let value = parse_text(text).map_err(|d| invalid(&[d]))?;
    let diags = validate_value(&value, express);
    if !diags.is_empty() {
        return Err(invalid(&diags));
    }
    match serde_json::from_value::<Definition>(value) {
        Ok(def) => Ok(def),
        Err(e) => Err(invalid(&[Diagnostic::new(SCHEMA, e.to_string(), "/")])),
    }
}

/// Every diagnostic ValidateStateMachineDefinition reports for `text` (empty when valid).
///
/// Unlike [`validate`], JSONata definitions are valid here: they are valid ASL, even though
/// CreateStateMachine rejects them until the interpreter runs JSONata.
pub fn diagnose(text: &str, express: bool) -> Vec<Diagnostic> {
    match parse_text(text) {
        Ok(value) => validate_with(
            &value,
            Ctx {
                express,
                jsonata_ok: true,
                machine_jsonata: false,
            },
        ),
        Err(d) => vec![d],
    }
}

/// Parses definition text, reporting a blank text or a JSON syntax error as AWS does (its
/// parser is Jackson: `Unrecognized token 'x': …` with a `[Source: …; line: L, column: C]`
/// location).
fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::unlocated(
            SCHEMA,
            "Definition must be a valid JSON object",
        ));
    }
    let err = match serde_json::from_str::<Value>(text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let source: String = {
        let n = text.chars().count();
        if n > 500 {
            let head: String = text.chars().take(500).collect();
            format!("(String)\"{head}\"[truncated {} chars]", n - 500)
        } else {
            format!("(String)\"{text}\"")
        }
    };
    let line = err.line().max(1);
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    let chars: Vec<char> = line_text.chars().collect();
    // serde_json's column is the (1-based) character it stopped at; Jackson reports an
    // unrecognized token from its start and the column just past it.
    let stop = err.column().saturating_sub(1).min(chars.len());
    let ident = |c: &char| c.is_alphanumeric() || *c == '_' || *c == '$';
    let mut start = stop;
    while start > 0 && chars.get(start - 1).is_some_and(ident) {
        start -= 1;
    }
    if chars.get(start).is_some_and(ident) {
        let len = chars[start..].iter().take_while(|c| ident(c)).count();
        let token: String = chars[start..start + len].iter().collect();
        let location = format!(
            "[Source: {source}; line: {line}, column: {}]",
            start + len + 1
        );
        return Err(Diagnostic::new(
            "INVALID_JSON_DESCRIPTION",
            format!(
                "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at {location}"
            ),
            location,
        ));
    }
    let location = format!("[Source: {source}; line: {line}, column: {}]", err.column());
    let what = err.to_string();
    let what = what
        .split(" at line ")
        .next()
        .unwrap_or_default()
        .to_string();
    Err(Diagnostic::new(
        "INVALID_JSON_DESCRIPTION",
        format!("{what}\n at {location}"),
        location,
    ))
}

pub(crate) fn invalid(diags: &[Diagnostic]) -> Error {
    let body: Vec<String> = diags
        .iter()
        .map(|d| match &d.location {
            Some(at) => format!("{}: {} at {at}", d.code, d.message),
            None => format!("{}: {}", d.code, d.message),
        })
        .collect();
    Error::validation(
        "InvalidDefinition",
        format!("Invalid State Machine Definition: '{}'", body.join(", ")),
    )
}

/// Validates a parsed JSON definition as CreateStateMachine does and returns every diagnostic
/// (empty when valid).
pub fn validate_value(value: &Value, express: bool) -> Vec<Diagnostic> {
    validate_with(
        value,
        Ctx {
            express,
            jsonata_ok: false,
            machine_jsonata: false,
        },
    )
}

fn validate_with(value: &Value, mut ctx: Ctx) -> Vec<Diagnostic> {
    let express = ctx.express;
    let mut out = Vec::new();
    let Some(obj) = value.as_object() else {
        out.push(Diagnostic::new(
            SCHEMA,
            "Definition must be a valid JSON object",
            "/",
        ));
        return out;
    };
    if obj.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata") {
        if !ctx.jsonata_ok {
            out.push(jsonata("/QueryLanguage"));
            return out;
        }
        ctx.machine_jsonata = true;
    }
    check_fields(
        obj,
        &[
            "Comment",
            "StartAt",
            "States",
            "Version",
            "TimeoutSeconds",
            "QueryLanguage",
        ],
        &["States", "StartAt"],
        "",
        &mut out,
    );
    if let Some(states) = obj.get("States").and_then(Value::as_object) {
        for (name, state) in states {
            raw_state(state, &format!("/States/{name}"), ctx, &mut out);
        }
    } else if obj.contains_key("States") {
        out.push(Diagnostic::new(
            SCHEMA,
            "States must be an object",
            "/States",
        ));
    }
    if !out.is_empty() {
        return out;
    }
    match serde_json::from_value::<Definition>(value.clone()) {
        Ok(def) => {
            scope(&def.start_at, &def.states, "", express, &mut out);
        }
        Err(e) => out.push(Diagnostic::new(SCHEMA, e.to_string(), "/")),
    }
    out
}

fn jsonata(location: &str) -> Diagnostic {
    Diagnostic::new(
        SCHEMA,
        "JSONata (QueryLanguage: JSONata) is not supported yet by aws-lite-flow; use JSONPath",
        location,
    )
}

fn check_fields(
    obj: &serde_json::Map<String, Value>,
    allowed: &[&str],
    required: &[&str],
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let loc = if at.is_empty() { "/" } else { at };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|req| !obj.contains_key(*req))
        .collect();
    if !missing.is_empty() {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("These fields are required: [{}]", missing.join(", ")),
            loc,
        ));
    }
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            out.push(Diagnostic::new(
                SCHEMA,
                format!("The field '{key}' is not supported"),
                loc,
            ));
        }
    }
}

const IO: &[&str] = &["InputPath", "OutputPath", "Assign"];
const NEXT: &[&str] = &["Next", "End"];
const RESULT: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "Retry",
    "Catch",
];

fn raw_state(state: &Value, at: &str, ctx: Ctx, out: &mut Vec<Diagnostic>) {
    let express = ctx.express;
    let Some(obj) = state.as_object() else {
        out.push(Diagnostic::new(SCHEMA, "A state must be an object", at));
        return;
    };
    match obj.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") if !ctx.jsonata_ok => {
            out.push(jsonata(&format!("{at}/QueryLanguage")));
            return;
        }
        Some("JSONPath") if ctx.machine_jsonata => {
            out.push(Diagnostic::new(
                SCHEMA,
                "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                at,
            ));
        }
        _ => {}
    }
    let Some(ty) = obj.get("Type").and_then(Value::as_str) else {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'Type' is required but was missing",
            at,
        ));
        return;
    };
    let mut allowed: Vec<&str> = vec!["Type", "Comment", "QueryLanguage"];
    if ctx.jsonata_ok {
        // JSONata's own fields (ValidateStateMachineDefinition accepts JSONata definitions).
        allowed.extend(["Arguments", "Output", "Items", "Assign"]);
    }
    let required: &[&str] = match ty {
        "Pass" => {
            allowed.extend(IO);
            allowed.extend(NEXT);
            allowed.extend(["Parameters", "Result", "ResultPath"]);
            &[]
        }
        "Task" => {
            allowed.extend(IO);
            allowed.extend(NEXT);
            allowed.extend(RESULT);
            allowed.extend([
                "Resource",
                "TimeoutSeconds",
                "TimeoutSecondsPath",
                "HeartbeatSeconds",
                "HeartbeatSecondsPath",
                "Credentials",
            ]);
            &["Resource"]
        }
        "Choice" => {
            allowed.extend(IO);
            allowed.extend(["Choices", "Default"]);
            &["Choices"]
        }
        "Wait" => {
            allowed.extend(IO);
            allowed.extend(NEXT);
            allowed.extend(["Seconds", "Timestamp", "SecondsPath", "TimestampPath"]);
            &[]
        }
        "Succeed" => {
            allowed.extend(["InputPath", "OutputPath"]);
            &[]
        }
        "Fail" => {
            allowed.extend(["Error", "ErrorPath", "Cause", "CausePath"]);
            &[]
        }
        "Parallel" => {
            allowed.extend(IO);
            allowed.extend(NEXT);
            allowed.extend(RESULT);
            allowed.push("Branches");
            &["Branches"]
        }
        "Map" => {
            allowed.extend(IO);
            allowed.extend(NEXT);
            allowed.extend(RESULT);
            allowed.extend([
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "ItemSelector",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "ItemReader",
                "ItemBatcher",
                "ResultWriter",
                "Label",
            ]);
            &[]
        }
        _ => {
            out.push(Diagnostic::new(
                SCHEMA,
                "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]",
                format!("{at}/Type"),
            ));
            return;
        }
    };
    check_fields(obj, &allowed, required, at, out);
    if ty == "Map" {
        distributed::check(obj, at, out);
    }
    if let Some(res) = obj.get("Resource").and_then(Value::as_str) {
        if express {
            let loc = format!("{at}/Resource");
            if res.ends_with(".waitForTaskToken") {
                out.push(Diagnostic::new(
                    SCHEMA,
                    "Express state machine does not support '.waitForTaskToken' service integration ",
                    loc,
                ));
            } else if res.contains(".sync") {
                out.push(Diagnostic::new(
                    SCHEMA,
                    "Express state machine does not support '.sync' service integration",
                    loc,
                ));
            } else if res.contains(":activity:") {
                out.push(Diagnostic::new(
                    SCHEMA,
                    "Express state machine does not support Activity ARN",
                    loc,
                ));
            }
        }
    }
    if let Some(cred) = obj.get("Credentials") {
        let ok = cred
            .as_object()
            .is_some_and(|c| c.contains_key("RoleArn") || c.contains_key("RoleArn.$"));
        if !ok {
            out.push(Diagnostic::new(
                SCHEMA,
                "The field 'RoleArn' is required but was missing",
                format!("{at}/Credentials"),
            ));
        }
    }
    for key in ["Branches"] {
        if let Some(branches) = obj.get(key).and_then(Value::as_array) {
            if branches.is_empty() {
                out.push(Diagnostic::new(
                    SCHEMA,
                    "Value cannot be empty",
                    format!("{at}/{key}"),
                ));
            }
            for (i, b) in branches.iter().enumerate() {
                raw_branch(b, &format!("{at}/{key}[{i}]"), ctx, out);
            }
        }
    }
    // Distributed-mode children are executions of their own type: EXPRESS children follow
    // Express rules, STANDARD children Standard ones.
    let (distributed, express_children) = distributed::mode(obj);
    let child_ctx = if distributed {
        Ctx {
            express: express_children,
            ..ctx
        }
    } else {
        ctx
    };
    for key in ["ItemProcessor", "Iterator"] {
        if let Some(b) = obj.get(key) {
            raw_branch(b, &format!("{at}/{key}"), child_ctx, out);
        }
    }
}

fn raw_branch(branch: &Value, at: &str, ctx: Ctx, out: &mut Vec<Diagnostic>) {
    let Some(obj) = branch.as_object() else {
        out.push(Diagnostic::new(SCHEMA, "A branch must be an object", at));
        return;
    };
    check_fields(
        obj,
        &["Comment", "StartAt", "States", "ProcessorConfig"],
        &["StartAt", "States"],
        at,
        out,
    );
    if let Some(states) = obj.get("States").and_then(Value::as_object) {
        for (name, state) in states {
            raw_state(state, &format!("{at}/States/{name}"), ctx, out);
        }
    }
}

/// Checks one scope (the machine, a branch or a Map processor).
fn scope(
    start_at: &str,
    states: &BTreeMap<String, State>,
    at: &str,
    express: bool,
    out: &mut Vec<Diagnostic>,
) {
    let missing = |field: &str, target: &str, loc: String| {
        Diagnostic::new(
            "MISSING_TRANSITION_TARGET",
            format!("Missing '{field}' target: {target}"),
            loc,
        )
    };
    if !states.contains_key(start_at) {
        out.push(missing("StartAt", start_at, format!("{at}/StartAt")));
    }
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, state) in states {
        let loc = format!("{at}/States/{name}");
        let mut targets: Vec<(&str, String)> = Vec::new();
        if let Some(n) = state.next() {
            targets.push((n, format!("{loc}/Next")));
        }
        let (next, end) = match state {
            State::Pass(s) => (s.next.is_some(), s.end == Some(true)),
            State::Task(s) => (s.next.is_some(), s.end == Some(true)),
            State::Wait(s) => (s.next.is_some(), s.end == Some(true)),
            State::Parallel(s) => (s.next.is_some(), s.end == Some(true)),
            State::Map(s) => (s.next.is_some(), s.end == Some(true)),
            _ => (false, true),
        };
        if next && end {
            out.push(Diagnostic::new(
                SCHEMA,
                "Only one of 'Next' or 'End' may be set",
                loc.clone(),
            ));
        } else if !next && !end {
            out.push(Diagnostic::new(
                SCHEMA,
                "The field 'Next' or 'End' is required but was missing",
                loc.clone(),
            ));
        }
        let catchers = match state {
            State::Task(s) => {
                retry_catch(s.retry.as_deref(), s.catch.as_deref(), &loc, out);
                if let (Some(h), Some(t)) = (s.heartbeat_seconds, s.timeout_seconds) {
                    if h >= t {
                        out.push(Diagnostic::new(
                            SCHEMA,
                            "HeartbeatSeconds must be smaller than TimeoutSeconds",
                            format!("{loc}/HeartbeatSeconds"),
                        ));
                    }
                }
                s.catch.as_deref()
            }
            State::Parallel(s) => {
                retry_catch(s.retry.as_deref(), s.catch.as_deref(), &loc, out);
                for (i, b) in s.branches.iter().enumerate() {
                    branch(b, &format!("{loc}/Branches[{i}]"), express, out);
                }
                s.catch.as_deref()
            }
            State::Map(s) => {
                retry_catch(s.retry.as_deref(), s.catch.as_deref(), &loc, out);
                match s.processor() {
                    Some(b) => branch(b, &format!("{loc}/ItemProcessor"), express, out),
                    None => out.push(Diagnostic::new(
                        SCHEMA,
                        "The field 'ItemProcessor' is required but was missing",
                        loc.clone(),
                    )),
                }
                if let Some(label) = &s.label {
                    label_check(label, &format!("{loc}/Label"), out);
                }
                if let Some(p) = s.tolerated_failure_percentage {
                    if !(0.0..=100.0).contains(&p) {
                        out.push(Diagnostic::new(
                            SCHEMA,
                            "ToleratedFailurePercentage must be between 0 and 100",
                            format!("{loc}/ToleratedFailurePercentage"),
                        ));
                    }
                }
                s.catch.as_deref()
            }
            State::Choice(s) => {
                if s.choices.is_empty() {
                    out.push(Diagnostic::new(
                        SCHEMA,
                        "Choices must not be empty",
                        format!("{loc}/Choices"),
                    ));
                }
                for (i, rule) in s.choices.iter().enumerate() {
                    let rloc = format!("{loc}/Choices[{i}]");
                    match &rule.next {
                        Some(n) => targets.push((n.as_str(), format!("{rloc}/Next"))),
                        None => out.push(Diagnostic::new(
                            SCHEMA,
                            "The field 'Next' is required but was missing",
                            rloc.clone(),
                        )),
                    }
                    choice_rule(rule, &rloc, out);
                }
                if let Some(d) = &s.default {
                    targets.push((d.as_str(), format!("{loc}/Default")));
                }
                None
            }
            State::Wait(s) => {
                let n = usize::from(s.seconds.is_some())
                    + usize::from(s.timestamp.is_some())
                    + usize::from(s.seconds_path.is_some())
                    + usize::from(s.timestamp_path.is_some());
                if n != 1 {
                    out.push(Diagnostic::new(
                        SCHEMA,
                        "A Wait state must have exactly one of 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath'",
                        loc.clone(),
                    ));
                }
                if let Some(secs) = &s.seconds {
                    if secs.as_u64().is_none() {
                        out.push(Diagnostic::new(
                            SCHEMA,
                            "Seconds must be a non-negative integer",
                            format!("{loc}/Seconds"),
                        ));
                    }
                }
                if let Some(ts) = &s.timestamp {
                    if crate::timestamp::parse(ts).is_none() {
                        out.push(Diagnostic::new(
                            SCHEMA,
                            "String does not match RFC3339 timestamp",
                            format!("{loc}/Timestamp"),
                        ));
                    }
                }
                None
            }
            State::Fail(s) => {
                if s.error.is_some() && s.error_path.is_some() {
                    out.push(Diagnostic::new(
                        SCHEMA,
                        "Only one of 'Error' or 'ErrorPath' may be set",
                        loc.clone(),
                    ));
                }
                if s.cause.is_some() && s.cause_path.is_some() {
                    out.push(Diagnostic::new(
                        SCHEMA,
                        "Only one of 'Cause' or 'CausePath' may be set",
                        loc.clone(),
                    ));
                }
                None
            }
            _ => None,
        };
        for (i, c) in catchers.unwrap_or_default().iter().enumerate() {
            targets.push((c.next.as_str(), format!("{loc}/Catch[{i}]/Next")));
        }
        for path in result_paths(state) {
            if let PathField::Path(p) = path {
                if p.starts_with("$$") {
                    out.push(Diagnostic::new(
                        SCHEMA,
                        "ResultPath cannot reference the context object",
                        format!("{loc}/ResultPath"),
                    ));
                }
            }
        }
        for (target, tloc) in &targets {
            if !states.contains_key(*target) {
                out.push(missing("Next", target, tloc.clone()));
            }
        }
        edges.insert(name, targets.iter().map(|(t, _)| *t).collect());
    }
    // Reachability from StartAt.
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![start_at];
    while let Some(s) = stack.pop() {
        if !seen.insert(s) {
            continue;
        }
        if let Some(ts) = edges.get(s) {
            stack.extend(ts.iter().copied());
        }
    }
    if states.contains_key(start_at) {
        for name in states.keys() {
            if !seen.contains(name.as_str()) {
                out.push(Diagnostic::new(
                    "UNREACHABLE_STATE",
                    format!("State \"{name}\" is not reachable."),
                    format!("{at}/States/{name}"),
                ));
            }
        }
    }
}

fn result_paths(state: &State) -> Vec<&PathField> {
    let p = match state {
        State::Pass(s) => s.result_path.as_ref(),
        State::Task(s) => s.result_path.as_ref(),
        State::Parallel(s) => s.result_path.as_ref(),
        State::Map(s) => s.result_path.as_ref(),
        _ => None,
    };
    p.into_iter().collect()
}

fn branch(b: &Branch, at: &str, express: bool, out: &mut Vec<Diagnostic>) {
    scope(&b.start_at, &b.states, at, express, out);
}

fn label_check(label: &str, at: &str, out: &mut Vec<Diagnostic>) {
    if label.chars().count() > 40 {
        out.push(Diagnostic::new(
            SCHEMA,
            "Label cannot exceed 40 characters",
            at,
        ));
    }
    if let Some(c) = label.chars().find(|c| {
        c.is_whitespace()
            || c.is_control()
            || ('\u{7f}'..='\u{9f}').contains(c)
            || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c)
    }) {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("Label contains invalid character: {c:?}"),
            at,
        ));
    }
}

fn retry_catch(
    retry: Option<&[super::Retrier]>,
    catch: Option<&[super::Catcher]>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let lists: Vec<(String, &Vec<String>, bool)> = retry
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                format!("{at}/Retry[{i}]"),
                &r.error_equals,
                i + 1 == retry.map_or(0, <[_]>::len),
            )
        })
        .chain(catch.unwrap_or_default().iter().enumerate().map(|(i, c)| {
            (
                format!("{at}/Catch[{i}]"),
                &c.error_equals,
                i + 1 == catch.map_or(0, <[_]>::len),
            )
        }))
        .collect();
    for (loc, errors, last) in lists {
        if errors.is_empty() {
            out.push(Diagnostic::new(
                SCHEMA,
                "ErrorEquals must not be empty",
                format!("{loc}/ErrorEquals"),
            ));
        }
        if errors.iter().any(|e| e == "States.ALL") && (errors.len() > 1 || !last) {
            out.push(Diagnostic::new(
                SCHEMA,
                "States.ALL must appear alone in the last ErrorEquals",
                format!("{loc}/ErrorEquals"),
            ));
        }
    }
}

fn choice_rule(rule: &super::ChoiceRule, at: &str, out: &mut Vec<Diagnostic>) {
    let n_logic = usize::from(rule.and.is_some())
        + usize::from(rule.or.is_some())
        + usize::from(rule.not.is_some());
    let n_cmp = rule.comparison.len();
    if n_logic + n_cmp != 1 {
        out.push(Diagnostic::new(
            SCHEMA,
            "A choice rule must have exactly one comparison operator or one of And, Or, Not",
            at,
        ));
        return;
    }
    for key in rule.comparison.keys() {
        if crate::choice::Operator::parse(key).is_none() {
            out.push(Diagnostic::new(
                SCHEMA,
                format!("The field '{key}' is not supported"),
                at,
            ));
        } else if rule.variable.is_none() {
            out.push(Diagnostic::new(
                SCHEMA,
                "The field 'Variable' is required but was missing",
                at,
            ));
        }
    }
    let nested = |r: &super::ChoiceRule, loc: String, out: &mut Vec<Diagnostic>| {
        if r.next.is_some() {
            out.push(Diagnostic::new(
                SCHEMA,
                "Nested choice rules cannot have 'Next'",
                loc.clone(),
            ));
        }
        choice_rule(r, &loc, out);
    };
    for (field, list) in [("And", &rule.and), ("Or", &rule.or)] {
        if let Some(list) = list {
            for (i, r) in list.iter().enumerate() {
                nested(r, format!("{at}/{field}[{i}]"), out);
            }
        }
    }
    if let Some(r) = &rule.not {
        nested(r, format!("{at}/Not"), out);
    }
}
