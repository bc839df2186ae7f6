//! Checks of a Map state's processing mode and of its Distributed-mode fields, on the raw
//! JSON (so a wrong type is reported where it is, not as a serde error).
//!
//! - `ProcessorConfig.Mode` is `INLINE` or `DISTRIBUTED`; `ExecutionType` (`STANDARD` or
//!   `EXPRESS`) is required in Distributed mode;
//! - `ItemReader`, `ItemBatcher` and `ResultWriter` are Distributed-mode fields;
//! - a field and its `…Path` form are exclusive (`MaxConcurrency`, `ToleratedFailureCount`,
//!   `ToleratedFailurePercentage`, `MaxItems`, `MaxItemsPerBatch`, `MaxInputBytesPerBatch`);
//! - `ItemReader` reads with `arn:aws:states:::s3:getObject` (`ReaderConfig.InputType`
//!   required: `CSV`, `JSON`, `JSONL`) or `arn:aws:states:::s3:listObjectsV2`; `MaxItems` is
//!   at most 100,000,000; `GIVEN` CSV headers need `CSVHeaders`;
//! - `ItemBatcher` sets at least one limit; `MaxInputBytesPerBatch` is at most 256 KiB;
//! - `ResultWriter` is not empty; `Resource` (`arn:aws:states:::s3:putObject`) and
//!   `Parameters` (with `Bucket`) come together.
//!
//! The codes are AWS's (`SCHEMA_VALIDATION_FAILED`); where AWS's exact wording is not on
//! record the messages follow the wording of the other checks.

use serde_json::{Map, Value};

use super::{Diagnostic, SCHEMA, check_fields};

/// The most items an `ItemReader` reads.
pub(crate) const MAX_ITEMS_LIMIT: u64 = 100_000_000;

/// The largest `MaxInputBytesPerBatch`: 256 KiB.
pub(crate) const MAX_BATCH_BYTES: u64 = 262_144;

/// The `ItemReader` resources aws-lite serves.
pub(crate) const GET_OBJECT: &str = "arn:aws:states:::s3:getObject";
/// Lists a bucket's objects.
pub(crate) const LIST_OBJECTS_V2: &str = "arn:aws:states:::s3:listObjectsV2";
/// The `ResultWriter` resource.
pub(crate) const PUT_OBJECT: &str = "arn:aws:states:::s3:putObject";

/// The processing mode of a Map state's raw JSON: `(distributed, express children)`.
pub(super) fn mode(obj: &Map<String, Value>) -> (bool, bool) {
    let config = ["ItemProcessor", "Iterator"]
        .iter()
        .find_map(|k| obj.get(*k))
        .and_then(|p| p.get("ProcessorConfig"));
    let distributed =
        config.and_then(|c| c.get("Mode")).and_then(Value::as_str) == Some("DISTRIBUTED");
    let express = config
        .and_then(|c| c.get("ExecutionType"))
        .and_then(Value::as_str)
        == Some("EXPRESS");
    (distributed, express && distributed)
}

/// Checks a Map state's Distributed-mode fields and its `ProcessorConfig`.
pub(super) fn check(obj: &Map<String, Value>, at: &str, out: &mut Vec<Diagnostic>) {
    for key in ["ItemProcessor", "Iterator"] {
        if let Some(config) = obj.get(key).and_then(|p| p.get("ProcessorConfig")) {
            processor_config(config, &format!("{at}/{key}/ProcessorConfig"), out);
        }
    }
    let (distributed, _) = mode(obj);
    for (field, path) in [
        ("MaxConcurrency", "MaxConcurrencyPath"),
        ("ToleratedFailureCount", "ToleratedFailureCountPath"),
        (
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
        ),
    ] {
        exclusive(obj, field, path, at, out);
    }
    for field in ["MaxConcurrency", "ToleratedFailureCount"] {
        if let Some(v) = obj.get(field).filter(|v| !is_jsonata(v)) {
            if v.as_u64().is_none() {
                out.push(Diagnostic::new(
                    SCHEMA,
                    format!("{field} must be a non-negative integer"),
                    format!("{at}/{field}"),
                ));
            }
        }
    }
    if let Some(v) = obj
        .get("ToleratedFailurePercentage")
        .filter(|v| !is_jsonata(v))
    {
        if !v.is_number() {
            out.push(Diagnostic::new(
                SCHEMA,
                "ToleratedFailurePercentage must be a number",
                format!("{at}/ToleratedFailurePercentage"),
            ));
        }
    }
    for field in ["ItemReader", "ItemBatcher", "ResultWriter"] {
        if obj.contains_key(field) && !distributed {
            out.push(Diagnostic::new(
                SCHEMA,
                format!("The field '{field}' is only supported for Map states in DISTRIBUTED mode"),
                format!("{at}/{field}"),
            ));
        }
    }
    if let Some(r) = obj.get("ItemReader") {
        item_reader(r, &format!("{at}/ItemReader"), out);
    }
    if let Some(b) = obj.get("ItemBatcher") {
        item_batcher(b, &format!("{at}/ItemBatcher"), out);
    }
    if let Some(w) = obj.get("ResultWriter") {
        result_writer(w, &format!("{at}/ResultWriter"), out);
    }
}

/// A JSONata expression (`"{% … %}"`), checked when JSONata runs.
fn is_jsonata(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.trim_start().starts_with("{%") && s.trim_end().ends_with("%}"))
}

fn one_of(v: Option<&Value>, field: &str, allowed: &[&str], at: &str, out: &mut Vec<Diagnostic>) {
    let Some(v) = v else { return };
    if !v.as_str().is_some_and(|s| allowed.contains(&s)) {
        out.push(Diagnostic::new(
            SCHEMA,
            format!(
                "The field '{field}' should have one of these values: [{}]",
                allowed.join(", ")
            ),
            format!("{at}/{field}"),
        ));
    }
}

fn exclusive(
    obj: &Map<String, Value>,
    field: &str,
    path: &str,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    if obj.contains_key(field) && obj.contains_key(path) {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("Only one of '{field}' or '{path}' may be set"),
            at,
        ));
    }
}

fn object<'a>(
    v: &'a Value,
    what: &str,
    at: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<&'a Map<String, Value>> {
    let obj = v.as_object();
    if obj.is_none() {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("{what} must be an object"),
            at,
        ));
    }
    obj
}

fn processor_config(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = object(v, "ProcessorConfig", at, out) else {
        return;
    };
    check_fields(obj, &["Mode", "ExecutionType"], &[], at, out);
    one_of(obj.get("Mode"), "Mode", &["INLINE", "DISTRIBUTED"], at, out);
    one_of(
        obj.get("ExecutionType"),
        "ExecutionType",
        &["STANDARD", "EXPRESS"],
        at,
        out,
    );
    if obj.get("Mode").and_then(Value::as_str) == Some("DISTRIBUTED")
        && !obj.contains_key("ExecutionType")
    {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'ExecutionType' is required but was missing",
            at,
        ));
    }
}

/// A literal count: a non-negative integer no greater than `max`.
fn count(
    obj: &Map<String, Value>,
    field: &str,
    min: u64,
    max: u64,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(v) = obj.get(field).filter(|v| !is_jsonata(v)) else {
        return;
    };
    if !v.as_u64().is_some_and(|n| (min..=max).contains(&n)) {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("{field} must be an integer between {min} and {max}"),
            format!("{at}/{field}"),
        ));
    }
}

fn item_reader(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = object(v, "ItemReader", at, out) else {
        return;
    };
    check_fields(
        obj,
        &["Resource", "Parameters", "Arguments", "ReaderConfig"],
        &["Resource"],
        at,
        out,
    );
    let resource = obj.get("Resource").and_then(Value::as_str);
    if let Some(r) = obj.get("Resource") {
        if !matches!(r.as_str(), Some(GET_OBJECT | LIST_OBJECTS_V2)) {
            out.push(Diagnostic::new(
                SCHEMA,
                format!(
                    "The ItemReader resource {r} is not supported: use {GET_OBJECT} or {LIST_OBJECTS_V2}"
                ),
                format!("{at}/Resource"),
            ));
        }
    }
    if let Some(p) = obj.get("Parameters") {
        object(p, "Parameters", &format!("{at}/Parameters"), out);
    }
    let config = obj.get("ReaderConfig");
    let config_at = format!("{at}/ReaderConfig");
    if resource == Some(GET_OBJECT) && config.and_then(|c| c.get("InputType")).is_none() {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'InputType' is required but was missing",
            config_at.clone(),
        ));
    }
    let Some(config) = config else { return };
    let Some(cfg) = object(config, "ReaderConfig", &config_at, out) else {
        return;
    };
    check_fields(
        cfg,
        &[
            "InputType",
            "CSVHeaderLocation",
            "CSVHeaders",
            "CSVDelimiter",
            "MaxItems",
            "MaxItemsPath",
        ],
        &[],
        &config_at,
        out,
    );
    one_of(
        cfg.get("InputType"),
        "InputType",
        &["CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"],
        &config_at,
        out,
    );
    if let Some(t @ ("MANIFEST" | "PARQUET")) = cfg.get("InputType").and_then(Value::as_str) {
        out.push(Diagnostic::new(
            SCHEMA,
            format!("InputType {t} is not supported yet by aws-lite-flow; use CSV, JSON or JSONL"),
            format!("{config_at}/InputType"),
        ));
    }
    one_of(
        cfg.get("CSVHeaderLocation"),
        "CSVHeaderLocation",
        &["FIRST_ROW", "GIVEN"],
        &config_at,
        out,
    );
    one_of(
        cfg.get("CSVDelimiter"),
        "CSVDelimiter",
        &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"],
        &config_at,
        out,
    );
    if let Some(h) = cfg.get("CSVHeaders") {
        let ok = h
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
        if !ok {
            out.push(Diagnostic::new(
                SCHEMA,
                "CSVHeaders must be a non-empty array of strings",
                format!("{config_at}/CSVHeaders"),
            ));
        }
    }
    if cfg.get("CSVHeaderLocation").and_then(Value::as_str) == Some("GIVEN")
        && !cfg.contains_key("CSVHeaders")
    {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'CSVHeaders' is required but was missing",
            config_at.clone(),
        ));
    }
    exclusive(cfg, "MaxItems", "MaxItemsPath", &config_at, out);
    count(cfg, "MaxItems", 0, MAX_ITEMS_LIMIT, &config_at, out);
}

fn item_batcher(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = object(v, "ItemBatcher", at, out) else {
        return;
    };
    let limits = [
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
    ];
    let mut allowed = limits.to_vec();
    allowed.push("BatchInput");
    check_fields(obj, &allowed, &[], at, out);
    if !limits.iter().any(|k| obj.contains_key(*k)) {
        out.push(Diagnostic::new(
            SCHEMA,
            "ItemBatcher must set at least one of [MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, MaxInputBytesPerBatchPath]",
            at,
        ));
    }
    exclusive(obj, "MaxItemsPerBatch", "MaxItemsPerBatchPath", at, out);
    exclusive(
        obj,
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
        at,
        out,
    );
    count(obj, "MaxItemsPerBatch", 1, u64::from(u32::MAX), at, out);
    count(obj, "MaxInputBytesPerBatch", 1, MAX_BATCH_BYTES, at, out);
    if let Some(b) = obj.get("BatchInput") {
        object(b, "BatchInput", &format!("{at}/BatchInput"), out);
    }
}

fn result_writer(v: &Value, at: &str, out: &mut Vec<Diagnostic>) {
    let Some(obj) = object(v, "ResultWriter", at, out) else {
        return;
    };
    check_fields(
        obj,
        &["Resource", "Parameters", "Arguments", "WriterConfig"],
        &[],
        at,
        out,
    );
    if obj.is_empty() {
        out.push(Diagnostic::new(
            SCHEMA,
            "The ResultWriter field cannot be empty",
            at,
        ));
    }
    if let Some(r) = obj.get("Resource") {
        if r.as_str() != Some(PUT_OBJECT) {
            out.push(Diagnostic::new(
                SCHEMA,
                format!("The ResultWriter resource {r} is not supported: use {PUT_OBJECT}"),
                format!("{at}/Resource"),
            ));
        }
    }
    let has_params = obj.contains_key("Parameters") || obj.contains_key("Arguments");
    if obj.contains_key("Resource") && !has_params {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'Parameters' is required but was missing",
            at,
        ));
    }
    if has_params && !obj.contains_key("Resource") {
        out.push(Diagnostic::new(
            SCHEMA,
            "The field 'Resource' is required but was missing",
            at,
        ));
    }
    if let Some(p) = obj.get("Parameters") {
        let pat = format!("{at}/Parameters");
        if let Some(params) = object(p, "Parameters", &pat, out) {
            if !params.contains_key("Bucket") && !params.contains_key("Bucket.$") {
                out.push(Diagnostic::new(
                    SCHEMA,
                    "The field 'Bucket' is required but was missing",
                    pat,
                ));
            }
        }
    }
    if let Some(c) = obj.get("WriterConfig") {
        let cat = format!("{at}/WriterConfig");
        if let Some(cfg) = object(c, "WriterConfig", &cat, out) {
            check_fields(cfg, &["Transformation", "OutputType"], &[], &cat, out);
            one_of(
                cfg.get("Transformation"),
                "Transformation",
                &["NONE", "COMPACT", "FLATTEN"],
                &cat,
                out,
            );
            one_of(
                cfg.get("OutputType"),
                "OutputType",
                &["JSON", "JSONL"],
                &cat,
                out,
            );
        }
    }
}
