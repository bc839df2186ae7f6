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
    if let Some(q) = qualifier {
        check_qualifier(q)?;
    }
    let q = match (parsed.qualifier, qualifier) {
        (Some(a), Some(b)) if a != b => {
            return Err(error::invalid_parameter(
                "The derived qualifier from the function name does not match the specified qualifier.",
            ));
        }
        (Some(a), _) => Some(a.to_owned()),
        (None, Some(b)) if !b.is_empty() => Some(b.to_owned()),
        _ => None,
    };
    Ok(Target {
        name: parsed.name.to_owned(),
        qualifier: q,
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
