//! Function names, qualifiers and ARNs as Lambda parses and validates them.

use aws_lite_core::Error;
use aws_lite_core::id::parse_function_name;

use crate::error;

/// The `FunctionName` pattern of the Lambda API reference.
pub(crate) const FUNCTION_NAME_PATTERN: &str = r"(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?";

/// The `Qualifier` pattern of the Lambda API reference.
pub(crate) const QUALIFIER_PATTERN: &str = r"(|[a-zA-Z0-9$_-]+)";

/// The alias `Name` pattern of the Lambda API reference.
pub(crate) const ALIAS_PATTERN: &str = r"(?!^[0-9]+$)([a-zA-Z0-9-_]+)";

/// Which operation parses the name: CreateFunction allows no qualifier and shorter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameUse {
    /// CreateFunction: 64 characters as a bare name, 140 as an ARN; no qualifier.
    Create,
    /// Operations on a function, without a qualifier (140).
    Unqualified,
    /// Operations that accept a qualifier in the name (170).
    Qualified,
}

/// A parsed `FunctionName`: the name and the qualifier it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) name: String,
    pub(crate) qualifier: Option<String>,
}

impl Target {
    /// The target, borrowed.
    pub(crate) fn as_ref(&self) -> TargetRef<'_> {
        TargetRef {
            name: &self.name,
            qualifier: self.qualifier.as_deref(),
        }
    }
}

/// A parsed `FunctionName` borrowing from the caller's strings: what Invoke resolves without
/// allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TargetRef<'a> {
    pub(crate) name: &'a str,
    pub(crate) qualifier: Option<&'a str>,
}

impl TargetRef<'_> {
    /// The target, owned.
    pub(crate) fn to_owned(self) -> Target {
        Target {
            name: self.name.to_owned(),
            qualifier: self.qualifier.map(str::to_owned),
        }
    }
}

fn pattern_error(value: &str) -> Error {
    error::validation(
        value,
        "functionName",
        &format!("Member must satisfy regular expression pattern: {FUNCTION_NAME_PATTERN}"),
    )
}

/// Parses a `FunctionName` parameter and an optional separate `Qualifier`.
pub(crate) fn parse_target(
    value: &str,
    qualifier: Option<&str>,
    usage: NameUse,
) -> Result<Target, Error> {
    parse_target_ref(value, qualifier, usage).map(TargetRef::to_owned)
}

/// Whether `b` is one of `[a-zA-Z0-9-_]`, the characters of names and qualifiers.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The longest function name ([`NameRule::LAMBDA_FUNCTION`](aws_lite_core::id::NameRule)).
const NAME_MAX: usize = 64;
/// The longest qualifier.
const QUALIFIER_MAX: usize = 128;

/// The common forms, `name` and `name:qualifier` (ASCII, no partial or full ARN), checked in
/// one pass over the bytes; `None` for anything else, which then takes the general parser.
/// Accepts only what [`parse_target_slow`] accepts, with the same result.
fn parse_plain(value: &str) -> Option<TargetRef<'_>> {
    let bytes = value.as_bytes();
    let colon = bytes.iter().position(|&b| b == b':');
    let (name, qualifier) = match colon {
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    };
    let name_ok = !name.is_empty()
        && name.len() <= NAME_MAX
        // `arn:…` is an ARN; twelve digits before a colon are an account id
        // (`123456789012:function:f`).
        && !(colon.is_some()
            && (name == "arn" || (name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit()))))
        && name.bytes().all(is_word_byte);
    if !name_ok {
        return None;
    }
    if let Some(q) = qualifier {
        let q_ok = q == "$LATEST"
            || (!q.is_empty() && q.len() <= QUALIFIER_MAX && q.bytes().all(is_word_byte));
        if !q_ok {
            return None;
        }
    }
    Some(TargetRef { name, qualifier })
}

/// Parses a `FunctionName` parameter and an optional separate `Qualifier`, borrowing from them.
pub(crate) fn parse_target_ref<'a>(
    value: &'a str,
    qualifier: Option<&'a str>,
    usage: NameUse,
) -> Result<TargetRef<'a>, Error> {
    // A bare name (at most 64 characters) is within every usage's length limit; a
    // `name:qualifier` is allowed only where qualifiers are, within 170 characters.
    let plain = parse_plain(value).filter(|p| match usage {
        NameUse::Qualified => value.len() <= 170,
        _ => p.qualifier.is_none(),
    });
    let parsed = match plain {
        Some(p) => p,
        None => parse_target_slow(value, usage)?,
    };
    if let Some(q) = qualifier {
        check_qualifier(q)?;
    }
    let q = match (parsed.qualifier, qualifier) {
        (Some(a), Some(b)) if a != b => {
            return Err(error::invalid_parameter(
                "The derived qualifier from the function name does not match the specified qualifier.",
            ));
        }
        (Some(a), _) => Some(a),
        (None, Some(b)) if !b.is_empty() => Some(b),
        _ => None,
    };
    Ok(TargetRef {
        name: parsed.name,
        qualifier: q,
    })
}

/// The general parser: every form of the `FunctionName` pattern, with Lambda's errors. Returns
/// the name and the qualifier carried in `value`.
fn parse_target_slow(value: &str, usage: NameUse) -> Result<TargetRef<'_>, Error> {
    if value.is_empty() {
        return Err(error::validation(
            value,
            "functionName",
            "Member must have length greater than or equal to 1",
        ));
    }
    let max = match usage {
        NameUse::Create if !value.contains(':') => 64,
        NameUse::Create | NameUse::Unqualified => 140,
        NameUse::Qualified => 170,
    };
    if value.chars().count() > max {
        return Err(error::validation(
            value,
            "functionName",
            &format!("Member must have length less than or equal to {max}"),
        ));
    }
    let parsed =
        parse_function_name(value, error::codes::VALIDATION).map_err(|_| pattern_error(value))?;
    if usage != NameUse::Qualified && parsed.qualifier.is_some() {
        return Err(pattern_error(value));
    }
    Ok(TargetRef {
        name: parsed.name,
        qualifier: parsed.qualifier,
    })
}

/// Checks a `Qualifier` parameter: 1–128 characters of `[a-zA-Z0-9$_-]`.
pub(crate) fn check_qualifier(q: &str) -> Result<(), Error> {
    if q.chars().count() > 128 {
        return Err(error::validation(
            q,
            "qualifier",
            "Member must have length less than or equal to 128",
        ));
    }
    if !q
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '_' | '-'))
    {
        return Err(error::validation(
            q,
            "qualifier",
            &format!("Member must satisfy regular expression pattern: {QUALIFIER_PATTERN}"),
        ));
    }
    Ok(())
}

/// Checks an alias name: 1–128 characters of `[a-zA-Z0-9-_]`, not all digits.
pub(crate) fn check_alias_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.chars().count() > 128 {
        let constraint = if name.is_empty() {
            "Member must have length greater than or equal to 1"
        } else {
            "Member must have length less than or equal to 128"
        };
        return Err(error::validation(name, "name", constraint));
    }
    let word = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if !word || is_version_number(name) {
        return Err(error::validation(
            name,
            "name",
            &format!("Member must satisfy regular expression pattern: {ALIAS_PATTERN}"),
        ));
    }
    Ok(())
}

/// Whether `q` names a published version (all digits).
pub(crate) fn is_version_number(q: &str) -> bool {
    !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slow(value: &str) -> Option<TargetRef<'_>> {
        parse_target_slow(value, NameUse::Qualified).ok()
    }

    #[test]
    fn the_fast_path_takes_the_common_forms_and_leaves_the_rest() {
        for v in ["f", "my-fn_1", "f:live", "f:7", "f:$LATEST", "function:f"] {
            assert_eq!(parse_plain(v), slow(v), "{v}");
            assert!(parse_plain(v).is_some(), "{v}");
        }
        let long = "a".repeat(65);
        for v in [
            "",
            "arn:x",
            "123456789012:function:f",
            "f:",
            ":f",
            "f:a:b",
            "f:$latest",
            "my fn",
            "é",
            long.as_str(),
        ] {
            assert_eq!(parse_plain(v), None, "{v}");
        }
    }

    proptest! {
        /// Whatever the fast path accepts, the general parser accepts with the same result.
        #[test]
        fn the_fast_path_agrees_with_the_general_parser(
            v in "(arn|function|123456789012|[a-z0-9$:_é -]{0,3})?:?[a-zA-Z0-9$:_é -]{0,70}"
        ) {
            if let Some(fast) = parse_plain(&v) {
                prop_assert_eq!(Some(fast), slow(&v));
            }
        }

        /// The public entry point answers as the general parser does, for every usage.
        #[test]
        fn parse_target_matches_the_general_parser(
            v in "(arn:aws:lambda:us-east-1:123456789012:function:|123456789012:)?[a-z0-9$:_-]{0,12}",
            usage in prop_oneof![
                Just(NameUse::Create),
                Just(NameUse::Unqualified),
                Just(NameUse::Qualified)
            ],
        ) {
            let fast = parse_target_ref(&v, None, usage).map_err(|e| e.message().to_owned());
            let slow = parse_target_slow(&v, usage).map_err(|e| e.message().to_owned());
            prop_assert_eq!(fast, slow);
        }
    }
}
