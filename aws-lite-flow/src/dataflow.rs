//! JSONPath-mode data flow: `InputPath` → `Parameters` → work → `ResultSelector` →
//! `ResultPath` → `OutputPath`, payload templates and their `.$` keys.
//!
//! # Templates
//!
//! In `Parameters`, `ResultSelector`, `ItemSelector` and `Assign`, a key ending in `.$` takes
//! its value from a path (`$.a`, `$$.Execution.Id`, `$var`) or an intrinsic function, and loses
//! the `.$` suffix; other values are copied, objects and arrays recursively. A path that
//! selects nothing is a `States.Runtime` error:
//! `The JSONPath '$.x' specified for the field 'value.$' could not be found in the input '…'`;
//! an `OutputPath` whose property is missing reads
//! `Invalid path '$.a.b' : Missing property in path $['a']` (AWS's wording, recorded).
//!
//! # Paths
//!
//! `InputPath`/`OutputPath` select part of a value (`null` gives `{}`); `ResultPath` puts the
//! result into the state's raw input (`$` replaces it, `null` discards the result, any other
//! definite path sets it, creating objects on the way; a failure is
//! `States.ResultPathMatchFailure`).

use std::collections::BTreeMap;

use aws_lite_core::Rand;
use serde_json::{Map, Value};

use crate::asl::PathField;
use crate::intrinsic;
use crate::path::{self, Root};

/// An evaluation error: the `States.*` error name and the text after the cause prefix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EvalError {
    pub(crate) error: &'static str,
    pub(crate) message: String,
}

impl EvalError {
    pub(crate) fn runtime(message: impl Into<String>) -> EvalError {
        EvalError {
            error: "States.Runtime",
            message: message.into(),
        }
    }

    pub(crate) fn intrinsic(message: impl Into<String>) -> EvalError {
        EvalError {
            error: "States.IntrinsicFailure",
            message: message.into(),
        }
    }
}

/// What a path can see: the input, the context object, the variables and the randomness.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'a> {
    pub(crate) input: &'a Value,
    pub(crate) context: &'a Value,
    pub(crate) vars: &'a BTreeMap<String, Value>,
    pub(crate) rand: &'a Rand,
}

impl<'a> Env<'a> {
    /// The same environment over another input.
    pub(crate) fn with_input(self, input: &'a Value) -> Env<'a> {
        Env { input, ..self }
    }

    /// Resolves a path or an intrinsic call given for `field`.
    pub(crate) fn resolve(&self, expr: &str, field: &str) -> Result<Value, EvalError> {
        if intrinsic::is_intrinsic(expr) {
            intrinsic::eval(expr, self, field)
        } else {
            self.resolve_path(expr, field)
        }
    }

    /// Resolves a path given for `field`; nothing selected is a `States.Runtime` error.
    pub(crate) fn resolve_path(&self, expr: &str, field: &str) -> Result<Value, EvalError> {
        self.try_path(expr, field)?.ok_or_else(|| {
            let (root, _) = path::parse_ref(expr).unwrap_or((Root::Input, Default::default()));
            let whose = match root {
                Root::Context => self.context,
                _ => self.input,
            };
            EvalError::runtime(format!(
                "The JSONPath '{expr}' specified for the field '{field}' could not be found in the input '{}'",
                compact(whose)
            ))
        })
    }

    /// Resolves a path; `Ok(None)` when it selects nothing.
    pub(crate) fn try_path(&self, expr: &str, field: &str) -> Result<Option<Value>, EvalError> {
        let (root, p) = path::parse_ref(expr)
            .map_err(|m| EvalError::runtime(format!("{m} (the field '{field}')")))?;
        Ok(match root {
            Root::Input => p.get(self.input),
            Root::Context => p.get(self.context),
            Root::Var(name) => match self.vars.get(&name) {
                Some(v) => p.get(v),
                None => {
                    return Err(EvalError::runtime(format!(
                        "The variable '${name}' referenced by the field '{field}' is not defined"
                    )));
                }
            },
        })
    }

    /// Evaluates a payload template (`.$` keys) against this environment.
    pub(crate) fn template(&self, t: &Value) -> Result<Value, EvalError> {
        match t {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    if let Some(stripped) = k.strip_suffix(".$") {
                        let Some(expr) = v.as_str() else {
                            return Err(EvalError::runtime(format!(
                                "The value of the field '{k}' must be a path or an intrinsic function"
                            )));
                        };
                        out.insert(stripped.to_string(), self.resolve(expr, k)?);
                    } else {
                        out.insert(k.clone(), self.template(v)?);
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => items
                .iter()
                .map(|x| self.template(x))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            other => Ok(other.clone()),
        }
    }

    /// `InputPath` or `OutputPath` applied to the environment's input.
    pub(crate) fn select(&self, p: Option<&PathField>, field: &str) -> Result<Value, EvalError> {
        match p {
            None => Ok(self.input.clone()),
            Some(PathField::Null) => Ok(Value::Object(Map::new())),
            Some(PathField::Path(expr)) => {
                if field == "OutputPath" {
                    // AWS words a missing OutputPath property as Jayway JsonPath does (recorded).
                    if let Ok((Root::Input, p)) = path::parse_ref(expr) {
                        if p.get(self.input).is_none() {
                            if let Some(at) = p.missing_property(self.input) {
                                return Err(EvalError::runtime(format!(
                                    "Invalid path '{expr}' : Missing property in path {at}"
                                )));
                            }
                        }
                    }
                }
                self.resolve_path(expr, field)
            }
        }
    }
}

/// `ResultPath` applied: `result` placed into `raw_input`.
pub(crate) fn result_path(
    p: Option<&PathField>,
    raw_input: &Value,
    result: Value,
) -> Result<Value, EvalError> {
    match p {
        None => Ok(result),
        Some(PathField::Null) => Ok(raw_input.clone()),
        Some(PathField::Path(expr)) => {
            let fail = |m: String| EvalError {
                error: "States.ResultPathMatchFailure",
                message: format!(
                    "Unable to apply ResultPath \"{expr}\" to input \"{}\": {m}",
                    compact(raw_input)
                ),
            };
            let (root, p) = path::parse_ref(expr).map_err(fail)?;
            if root != Root::Input {
                return Err(fail("ResultPath must start with '$'".into()));
            }
            if p.is_root() {
                return Ok(result);
            }
            if !p.is_definite() {
                return Err(fail("ResultPath must be a definite path".into()));
            }
            let mut out = raw_input.clone();
            p.set(&mut out, result).map_err(fail)?;
            Ok(out)
        }
    }
}

/// Compact JSON text (written straight to a buffer: `Display` goes through a formatter, which
/// costs about twice as much on every state transition).
pub(crate) fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_and_intrinsics() {
        let input = json!({"name": "Ada", "n": [3, 1, 3], "csv": "a,b,,c"});
        let ctx = json!({"Execution": {"Name": "run"}});
        let vars = BTreeMap::from([("v".to_string(), json!({"x": 7}))]);
        let rand = Rand::seeded(1);
        let env = Env {
            input: &input,
            context: &ctx,
            vars: &vars,
            rand: &rand,
        };
        let t = json!({
            "greeting.$": "States.Format('Hello, {}! \\{\\}', $.name)",
            "exec.$": "$$.Execution.Name",
            "x.$": "$v.x",
            "uniq.$": "States.ArrayUnique($.n)",
            "len.$": "States.ArrayLength(States.ArrayUnique($.n))",
            "parts.$": "States.StringSplit($.csv, ',')",
            "range.$": "States.ArrayRange(1, 9, 4)",
            "sum.$": "States.MathAdd(2, -3)",
            "b64.$": "States.Base64Encode('hi')",
            "hash.$": "States.Hash('abc', 'SHA-1')",
            "merged.$": "States.JsonMerge(States.StringToJson('{\"a\":1}'), $v, false)",
            "lit": {"nested.$": "$.name"}
        });
        let out = env.template(&t).unwrap();
        assert_eq!(
            out,
            json!({
                "greeting": "Hello, Ada! {}",
                "exec": "run",
                "x": 7,
                "uniq": [3, 1],
                "len": 2,
                "parts": ["a", "b", "c"],
                "range": [1, 5, 9],
                "sum": -1,
                "b64": "aGk=",
                "hash": "a9993e364706816aba3e25717850c26c9cd0d89d",
                "merged": {"a": 1, "x": 7},
                "lit": {"nested": "Ada"}
            })
        );
        let err = env.template(&json!({"v.$": "$.missing"})).unwrap_err();
        assert_eq!(err.error, "States.Runtime");
    }
}
