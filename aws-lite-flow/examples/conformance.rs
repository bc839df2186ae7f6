//! Runs Step Functions conformance cases (`shared/conformance/sfn/cases.jsonl` format) against
//! aws-lite-flow and prints pass counts per category.
//!
//! ```text
//! cargo run -p aws-lite-flow --example conformance -- FILE [--verbose] [--list-failures]
//! ```
//!
//! Kinds run: `history` (status, output or error/cause, and the sequence of event types),
//! `choice_case` and `sync_response` (status and output, through StartSyncExecution for
//! `execution_mode: sync`), `invalid_definition` (the error code) and `test_state`
//! (TestState: status, output, error/cause, next state and inspection data, or the API error's
//! code and message) and `validate_definition` (ValidateStateMachineDefinition's result,
//! diagnostics and truncated). Other kinds,
//! cases that need AWS service integrations or mocks, and unknown Lambda test functions count
//! as failures. Exits non-zero when a case fails that `conformance-expected-failures.txt` does
//! not list, or when a listed case passes (so the list only shrinks).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::process::ExitCode;
use std::time::Duration;

use aws_lite_core::Rand;
use aws_lite_flow::operation::test_state::{
    InspectionLevel, MockErrorOutput, TestStateConfiguration, TestStateMock,
};
use aws_lite_flow::{ExecutionStatus, Sfn, StateMachineType, TaskError};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose");
    let list = args.iter().any(|a| a == "--list-failures");
    let Some(file) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: conformance FILE [--verbose] [--list-failures]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(2);
        }
    };
    let expected_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/conformance-expected-failures.txt"
    );
    let expected: BTreeMap<String, String> = std::fs::read_to_string(expected_path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("//"))
        .map(|l| match l.split_once("  # ") {
            Some((id, why)) => (id.trim_end().to_string(), why.to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect();

    let mut per_category: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("line {}: {e}", n + 1);
                return ExitCode::from(2);
            }
        };
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let category = case["category"].as_str().unwrap_or("?").to_string();
        let outcome = run_case(&case).await;
        let entry = per_category.entry(category).or_default();
        match &outcome {
            Ok(()) => {
                passed += 1;
                entry.0 += 1;
                if expected.contains_key(&id) {
                    fixed.push(id.clone());
                }
            }
            Err(why) => {
                failed += 1;
                entry.1 += 1;
                let why = why.replace('\n', " ");
                if list {
                    let short: String = why.chars().take(160).collect();
                    println!("{id}  # {short}");
                }
                if verbose {
                    eprintln!("FAIL {id}: {why}");
                }
                if !expected.contains_key(&id) {
                    unexpected.push((id.clone(), why));
                }
            }
        }
    }
    if list {
        return ExitCode::SUCCESS;
    }
    for (cat, (p, f)) in &per_category {
        println!("{cat}: {p} passed, {f} failed");
    }
    println!("{passed} passed, {failed} failed");
    for (id, why) in &unexpected {
        let short: String = why.chars().take(300).collect();
        eprintln!("unexpected failure: {id}: {short}");
    }
    for id in &fixed {
        eprintln!("listed as an expected failure but passed (remove it from the list): {id}");
    }
    if unexpected.is_empty() && fixed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn run_case(case: &Value) -> Result<(), String> {
    let kind = case["kind"].as_str().unwrap_or_default();
    match kind {
        "history"
        | "choice_case"
        | "invalid_definition"
        | "test_state"
        | "sync_response"
        | "validate_definition" => {}
        other => return Err(format!("unsupported kind '{other}'")),
    }
    match case["needs"].as_str() {
        Some("none") | Some("lambda") | None => {}
        Some(other) => return Err(format!("needs '{other}' (AWS service integrations)")),
    }
    if kind == "test_state" {
        return run_test_state(case).await;
    }
    if kind == "validate_definition" {
        return run_validate(case).await;
    }
    if !case["mock_config"].is_null() || !case["mock_test_case"].is_null() {
        return Err("unsupported field: mock_config (Step Functions Local mocks)".into());
    }
    let sync = case["execution_mode"].as_str() == Some("sync");
    let definition = case["definition"].as_str().unwrap_or_default();
    let machine_type = match case["state_machine_type"].as_str() {
        Some("EXPRESS") => StateMachineType::Express,
        _ => StateMachineType::Standard,
    };
    let sfn = Sfn::builder().rand(Rand::seeded(7)).build();
    let created = sfn
        .create_state_machine()
        .name("conformance")
        .definition(definition)
        .role_arn("arn:aws:iam::000000000000:role/snf_role_arn")
        .r#type(machine_type)
        .send()
        .await;
    let expected = &case["expected"];
    if kind == "invalid_definition" {
        return match created {
            Ok(_) => Err("the definition was accepted".into()),
            Err(e) if Some(e.code()) == expected["error"].as_str() => Ok(()),
            Err(e) => Err(format!("wrong error {}: {}", e.code(), e.message())),
        };
    }
    let created =
        created.map_err(|e| format!("CreateStateMachine: {}: {}", e.code(), e.message()))?;
    if let Some(fns) = case["lambda_functions"].as_object() {
        for (arn, f) in fns {
            let file = f["handler_file"].as_str().unwrap_or_default();
            register_lambda(&sfn, arn, file.rsplit('/').next().unwrap_or(file))?;
        }
    }
    let input = case
        .get("input_as_sent")
        .filter(|v| !v.is_null())
        .unwrap_or(&case["input"]);
    let execution_arn = if sync {
        sfn.start_sync_execution()
            .state_machine_arn(&created.state_machine_arn)
            .input(input.to_string())
            .send()
            .await
            .map_err(|e| format!("StartSyncExecution: {}: {}", e.code(), e.message()))?
            .execution_arn
    } else {
        sfn.start_execution()
            .state_machine_arn(&created.state_machine_arn)
            .input(input.to_string())
            .send()
            .await
            .map_err(|e| format!("StartExecution: {}: {}", e.code(), e.message()))?
            .execution_arn
    };
    let done = sfn
        .describe_execution()
        .execution_arn(&execution_arn)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let done = if done.status == ExecutionStatus::Running {
        sfn.wait_for_execution(&execution_arn)
            .await
            .map_err(|e| e.to_string())?
    } else {
        done
    };
    let ctx = Tokens {
        known: format!("{definition}{input}"),
    };
    let status = done.status.as_str();
    if expected["status"].as_str() != Some(status) {
        return Err(format!(
            "status {status}, expected {} (error {:?}, cause {:?})",
            expected["status"], done.error, done.cause
        ));
    }
    if done.status == ExecutionStatus::Succeeded {
        let out: Value = done
            .output
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or(Value::Null);
        if let Some(exp) = expected.get("output") {
            if !ctx.matches(exp, &out) {
                return Err(format!("output {out}, expected {exp}"));
            }
        }
    } else {
        for (field, got) in [("error", &done.error), ("cause", &done.cause)] {
            if let Some(exp) = expected.get(field) {
                let got = got.clone().map(Value::String).unwrap_or(Value::Null);
                let ok = ctx.matches(exp, &got) || (exp.is_null() && got == json!(""));
                if !ok {
                    return Err(format!("{field} {got}, expected {exp}"));
                }
            }
        }
    }
    if kind == "history" {
        if let Some(recorded) = case["history"].as_array() {
            let events = sfn
                .get_execution_history()
                .execution_arn(&execution_arn)
                .send()
                .await
                .map_err(|e| e.to_string())?
                .events;
            let ours: Vec<String> = events.iter().map(|e| e.event_type.to_string()).collect();
            compare_history(recorded, &ours)?;
        }
    }
    Ok(())
}

/// Runs a `validate_definition` case through ValidateStateMachineDefinition: result,
/// diagnostics (severity, code, message, location) and truncated.
async fn run_validate(case: &Value) -> Result<(), String> {
    let definition = case["definition"].as_str().unwrap_or_default();
    let machine_type = match case["state_machine_type"].as_str() {
        Some("EXPRESS") => StateMachineType::Express,
        _ => StateMachineType::Standard,
    };
    let out = Sfn::new()
        .validate_state_machine_definition()
        .definition(definition)
        .r#type(machine_type)
        .send()
        .await
        .map_err(|e| {
            format!(
                "ValidateStateMachineDefinition: {}: {}",
                e.code(),
                e.message()
            )
        })?;
    let got = serde_json::to_value(&out).map_err(|e| e.to_string())?;
    let ctx = Tokens {
        known: definition.to_string(),
    };
    if !ctx.matches(&case["expected"], &got) {
        return Err(format!("response {got}, expected {}", case["expected"]));
    }
    Ok(())
}

/// JSON text: a string as is, any other value serialized.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Runs a `test_state` case through `Sfn::test_state`.
async fn run_test_state(case: &Value) -> Result<(), String> {
    let args = &case["test_state_args"];
    let expected = &case["expected"];
    let definition = case["definition"].as_str().unwrap_or_default();
    let sfn = Sfn::builder().rand(Rand::seeded(7)).build();
    let mut req = sfn
        .test_state()
        .definition(definition)
        .role_arn("arn:aws:iam::000000000000:role/snf_role_arn")
        .input(case["input"].to_string());
    if let Some(level) = args["inspectionLevel"].as_str() {
        let level = match level {
            "DEBUG" => InspectionLevel::Debug,
            "TRACE" => InspectionLevel::Trace,
            _ => InspectionLevel::Info,
        };
        req = req.inspection_level(level);
    }
    if let Some(name) = args["stateName"].as_str() {
        req = req.state_name(name);
    }
    if let Some(ctx) = text_of(&args["context"]) {
        req = req.context(ctx);
    }
    if let Some(vars) = text_of(&args["variables"]) {
        req = req.variables(vars);
    }
    if args["revealSecrets"].as_bool() == Some(true) {
        req = req.reveal_secrets(true);
    }
    if let Some(m) = args.get("mock").filter(|m| m.is_object()) {
        let mut mock = match text_of(&m["result"]) {
            Some(r) => TestStateMock::result(r),
            None => TestStateMock::default(),
        };
        if let Some(e) = m.get("errorOutput").filter(|e| e.is_object()) {
            mock.error_output = Some(MockErrorOutput::new(
                e["error"].as_str().unwrap_or_default(),
                e["cause"].as_str().unwrap_or_default(),
            ));
        }
        mock.field_validation_mode = m["fieldValidationMode"].as_str().map(str::to_string);
        req = req.mock(mock);
    }
    if let Some(c) = args.get("stateConfiguration").filter(|c| c.is_object()) {
        let config: TestStateConfiguration =
            serde_json::from_value(c.clone()).map_err(|e| format!("stateConfiguration: {e}"))?;
        req = req.state_configuration(config);
    }
    let ctx = Tokens {
        known: format!("{definition}{}{args}", case["input"]),
    };
    let got = req.send().await;
    if expected["status"] == "API_ERROR" {
        return match got {
            Ok(out) => Err(format!("succeeded with status {}", out.status.as_str())),
            Err(e) => {
                let msg = Value::String(e.message().to_string());
                if Some(e.code()) != expected["error"].as_str() {
                    Err(format!("wrong error {}: {}", e.code(), e.message()))
                } else if !expected["message"].is_null() && !ctx.matches(&expected["message"], &msg)
                {
                    Err(format!("message {msg}, expected {}", expected["message"]))
                } else {
                    Ok(())
                }
            }
        };
    }
    let out = got.map_err(|e| format!("TestState: {}: {}", e.code(), e.message()))?;
    if expected["status"].as_str() != Some(out.status.as_str()) {
        return Err(format!(
            "status {}, expected {} (error {:?}, cause {:?})",
            out.status.as_str(),
            expected["status"],
            out.error,
            out.cause
        ));
    }
    let parse = |s: &Option<String>| {
        s.as_deref()
            .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_string())))
            .unwrap_or(Value::Null)
    };
    let fields = [
        ("output", parse(&out.output)),
        (
            "error",
            out.error.clone().map(Value::String).unwrap_or(Value::Null),
        ),
        (
            "cause",
            out.cause.clone().map(Value::String).unwrap_or(Value::Null),
        ),
        (
            "nextState",
            out.next_state
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        ),
    ];
    for (field, got) in fields {
        let exp = expected.get(field).unwrap_or(&Value::Null);
        if !ctx.matches(exp, &got) {
            return Err(format!("{field} {got}, expected {exp}"));
        }
    }
    // Inspection values are JSON text; the recordings show some parsed, some as text.
    let norm = |v: &Value| -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => {
                                serde_json::from_str(s).unwrap_or_else(|_| v.clone())
                            }
                            other => other.clone(),
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    };
    let ours = match &out.inspection_data {
        Some(d) => norm(&serde_json::to_value(d).map_err(|e| e.to_string())?),
        None => Value::Null,
    };
    let exp = norm(expected.get("inspectionData").unwrap_or(&Value::Null));
    if !ctx.matches(&exp, &ours) {
        return Err(format!("inspectionData {ours}, expected {exp}"));
    }
    Ok(())
}

fn register_lambda(sfn: &Sfn, arn: &str, file: &str) -> Result<(), String> {
    let trace = |line: u32, stmt: &str| {
        format!("  File \"/var/task/handler.py\", line {line}, in handler\n    {stmt}\n")
    };
    match file {
        "id_function.py" => sfn.register_task_handler(arn, |v| async move { Ok(v) }),
        "echo_function.py" => {
            sfn.register_task_handler(arn, |_| async { Ok(json!({"Return": "HelloWorld"})) })
        }
        "return_decorated_input.py" => sfn.register_task_handler(arn, |v| async move {
            Ok(Value::String(format!("input-event-{}", python_repr(&v))))
        }),
        "raise_exception.py" => {
            let cause = json!({
                "errorMessage": "Some exception was raised.",
                "errorType": "Exception",
                "requestId": "00000000-0000-0000-0000-000000000000",
                "stackTrace": [trace(2, "raise Exception(\"Some exception was raised.\")")],
            })
            .to_string();
            sfn.register_task_handler(arn, move |_| {
                let cause = cause.clone();
                async move { Err(TaskError::new("Exception", cause)) }
            })
        }
        "raise_custom_exception.py" => {
            let cause = json!({
                "errorMessage": "",
                "errorType": "CustomException",
                "requestId": "00000000-0000-0000-0000-000000000000",
                "stackTrace": [trace(9, "raise CustomException()")],
            })
            .to_string();
            sfn.register_task_handler(arn, move |_| {
                let cause = cause.clone();
                async move { Err(TaskError::new("CustomException", cause)) }
            })
        }
        "wait_60_seconds.py" => {
            let clock = sfn.clock().clone();
            sfn.register_task_handler(arn, move |v| {
                let sleep = clock.sleep(Duration::from_secs(60));
                async move {
                    sleep.await;
                    Ok(v)
                }
            })
        }
        "large_output_string.py" => {
            sfn.register_task_handler(arn, |_| async { Ok(Value::String("a".repeat(257 * 1024))) })
        }
        other => return Err(format!("unknown Lambda test function '{other}'")),
    }
    Ok(())
}

/// Python's `repr` of a JSON value, as `str(event)` prints it.
fn python_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(python_repr).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("'{k}': {}", python_repr(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Placeholder-aware comparison (see the conformance README).
struct Tokens {
    /// The definition and input text: a bare word found there is literal, not a placeholder.
    known: String,
}

impl Tokens {
    fn is_placeholder(&self, s: &str) -> bool {
        let wrapped = (s.starts_with('<') || s.starts_with('‹')) && s.ends_with('>');
        let bare = !s.is_empty()
            && s.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c))
            && !self.known.contains(s);
        wrapped || bare
    }

    fn matches(&self, exp: &Value, got: &Value) -> bool {
        match (exp, got) {
            (Value::String(e), _) if self.is_placeholder(e) => true,
            (Value::String(e), Value::String(g)) => pattern_match(e, g),
            // The recordings show JSON text (causes, outputs) parsed.
            (Value::Object(_) | Value::Array(_), Value::String(g)) => {
                serde_json::from_str::<Value>(g).is_ok_and(|g| self.matches(exp, &g))
            }
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| self.matches(x, y))
            }
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|w| self.matches(v, w)))
            }
            (a, b) => a == b,
        }
    }
}

#[derive(PartialEq)]
enum Tok {
    Any,
    Lit(char),
}

/// Matches `got` against `exp` where `<…>`, `‹…>` and `111111111111` stand for any text.
fn pattern_match(exp: &str, got: &str) -> bool {
    if exp == got {
        return true;
    }
    let mut toks = Vec::new();
    let chars: Vec<char> = exp.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' || c == '‹' {
            if let Some(end) = chars[i + 1..].iter().position(|x| *x == '>') {
                let inner = &chars[i + 1..i + 1 + end];
                if !inner.is_empty() && !inner.iter().any(|c| *c == '<' || c.is_whitespace()) {
                    toks.push(Tok::Any);
                    i += end + 2;
                    continue;
                }
            }
        }
        if chars[i..].starts_with(&['1'; 12]) {
            toks.push(Tok::Any);
            i += 12;
            continue;
        }
        toks.push(Tok::Lit(c));
        i += 1;
    }
    let text: Vec<char> = got.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Any)
}

/// Compares event types: in order by id; events of concurrent branches may interleave; a few
/// Parallel/Map recordings lack events between a matching prefix and suffix.
fn compare_history(recorded: &[Value], ours: &[String]) -> Result<(), String> {
    let mut rec: Vec<(Option<i64>, String)> = recorded
        .iter()
        .map(|e| {
            (
                e["id"].as_i64(),
                e["type"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    if rec.iter().all(|(id, _)| id.is_some()) {
        rec.sort_by_key(|(id, _)| *id);
    }
    let rec: Vec<String> = rec.into_iter().map(|(_, t)| t).collect();
    if rec == ours {
        return Ok(());
    }
    let count = |v: &[String]| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for t in v {
            *m.entry(t.clone()).or_default() += 1;
        }
        m
    };
    let concurrent = rec
        .iter()
        .any(|t| t.starts_with("Parallel") || t.starts_with("MapIteration"));
    if concurrent {
        if count(&rec) == count(ours) {
            return Ok(());
        }
        let prefix = rec.iter().zip(ours).take_while(|(a, b)| a == b).count();
        let suffix = rec
            .iter()
            .rev()
            .zip(ours.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        if prefix + suffix <= rec.len().min(ours.len()) {
            let rm = count(&rec[prefix..rec.len() - suffix]);
            let om = count(&ours[prefix..ours.len() - suffix]);
            let missing_only: BTreeSet<&String> = om.keys().collect();
            if rm.iter().all(|(k, n)| om.get(k).is_some_and(|m| m >= n)) && !missing_only.is_empty()
            {
                return Ok(());
            }
        }
    }
    Err(format!("history {ours:?}, expected {rec:?}"))
}
