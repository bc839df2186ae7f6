//! Shared validators for resource names: queue, topic, function, state machine, thing names.
//!
//! Each service has its own exact message for a bad name; these validators give a precise,
//! generic one under the caller's error code, and a service that must answer word for word
//! maps the error to its own message.

use std::borrow::Cow;

use super::arn::elide;
use super::{AccountId, Arn, Region};
use crate::Error;

/// The characters a name may contain.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum CharClass {
    /// `[A-Za-z0-9_-]`: SQS queues, SNS topics, Lambda functions and aliases.
    Word,
    /// `[A-Za-z0-9_:-]`: IoT thing and shadow names.
    WordColon,
    /// Step Functions names (state machines, executions, activities, aliases, Map Run
    /// labels): anything but whitespace, brackets `< > { } [ ]`, wildcards `? *`, the special
    /// characters ``" # % \ ^ | ~ ` $ & , ; : /`` and control characters (U+0000–001F,
    /// U+007F–009F).
    StepFunctions,
    /// Any other set of characters.
    Custom {
        /// Whether a character is allowed.
        allows: fn(char) -> bool,
        /// The allowed characters, for messages: "lowercase letters and digits".
        description: &'static str,
    },
}

impl CharClass {
    /// Whether `c` is allowed.
    pub fn allows(&self, c: char) -> bool {
        match self {
            CharClass::Word => c.is_ascii_alphanumeric() || c == '-' || c == '_',
            CharClass::WordColon => c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':'),
            CharClass::StepFunctions => {
                !(c.is_whitespace()
                    || matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                    || matches!(
                        c,
                        '<' | '>'
                            | '{'
                            | '}'
                            | '['
                            | ']'
                            | '?'
                            | '*'
                            | '"'
                            | '#'
                            | '%'
                            | '\\'
                            | '^'
                            | '|'
                            | '~'
                            | '`'
                            | '$'
                            | '&'
                            | ','
                            | ';'
                            | ':'
                            | '/'
                    ))
            }
            CharClass::Custom { allows, .. } => allows(c),
        }
    }

    /// The allowed characters in words, for messages.
    pub fn description(&self) -> &'static str {
        match self {
            CharClass::Word => "alphanumeric characters, hyphens and underscores",
            CharClass::WordColon => "alphanumeric characters, hyphens, underscores and colons",
            CharClass::StepFunctions => {
                "characters other than whitespace, brackets, wildcards, special characters \
                 (\" # % \\ ^ | ~ ` $ & , ; : /) and control characters"
            }
            CharClass::Custom { description, .. } => description,
        }
    }
}

/// What a name must look like: its length in characters, its characters, and whether it may
/// end in `.fifo`.
///
/// The rules of the services aws-lite reproduces are associated constants; a service with
/// another rule writes its own.
///
/// ```
/// use aws_lite_core::id::{CharClass, NameRule, validate_name};
///
/// validate_name("orders.fifo", &NameRule::SQS_QUEUE, "InvalidParameterValue")?;
///
/// let err = validate_name("my queue", &NameRule::SQS_QUEUE, "InvalidParameterValue").unwrap_err();
/// assert_eq!(err.code(), "InvalidParameterValue");
/// assert_eq!(
///     err.message(),
///     "Invalid queue name 'my queue': character ' ' at position 2 is not allowed; \
///      use alphanumeric characters, hyphens and underscores",
/// );
///
/// const ALIAS: NameRule = NameRule {
///     what: "alias name",
///     min: 1,
///     max: 128,
///     allowed: CharClass::Word,
///     fifo_suffix: false,
/// };
/// assert!(ALIAS.allows("live"));
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NameRule {
    /// What the name names, for messages: "queue name", "function name", …
    pub what: &'static str,
    /// The fewest characters.
    pub min: usize,
    /// The most characters, counting a `.fifo` suffix.
    pub max: usize,
    /// The allowed characters (the `.fifo` suffix aside).
    pub allowed: CharClass,
    /// Whether the name may end in `.fifo` (SQS queues, SNS topics). Whether it must is the
    /// service's business: it depends on the resource's attributes.
    pub fifo_suffix: bool,
}

impl NameRule {
    /// SQS queue names: 1–80 characters of `[A-Za-z0-9_-]`, optionally ending in `.fifo`,
    /// which counts toward the 80.
    pub const SQS_QUEUE: NameRule = NameRule {
        what: "queue name",
        min: 1,
        max: 80,
        allowed: CharClass::Word,
        fifo_suffix: true,
    };

    /// SNS topic names: 1–256 characters of `[A-Za-z0-9_-]`, optionally ending in `.fifo`.
    pub const SNS_TOPIC: NameRule = NameRule {
        what: "topic name",
        min: 1,
        max: 256,
        allowed: CharClass::Word,
        fifo_suffix: true,
    };

    /// Lambda function names (the bare name; see [`parse_function_name`] for the ARN forms):
    /// 1–64 characters of `[A-Za-z0-9_-]`.
    pub const LAMBDA_FUNCTION: NameRule = NameRule {
        what: "function name",
        min: 1,
        max: 64,
        allowed: CharClass::Word,
        fifo_suffix: false,
    };

    /// Step Functions names (state machines, executions, activities, aliases, Map Run
    /// labels): 1–80 characters of [`CharClass::StepFunctions`].
    pub const STEP_FUNCTIONS: NameRule = NameRule {
        what: "name",
        min: 1,
        max: 80,
        allowed: CharClass::StepFunctions,
        fifo_suffix: false,
    };

    /// IoT thing names: 1–128 characters of `[A-Za-z0-9:_-]`.
    pub const IOT_THING: NameRule = NameRule {
        what: "thing name",
        min: 1,
        max: 128,
        allowed: CharClass::WordColon,
        fifo_suffix: false,
    };

    /// IoT shadow names: 1–64 characters of `[A-Za-z0-9:_-]`.
    pub const IOT_SHADOW: NameRule = NameRule {
        what: "shadow name",
        min: 1,
        max: 64,
        allowed: CharClass::WordColon,
        fifo_suffix: false,
    };

    /// This rule with `what` in its messages instead: `NameRule::STEP_FUNCTIONS.named("execution name")`.
    pub const fn named(self, what: &'static str) -> NameRule {
        NameRule { what, ..self }
    }

    /// Whether `value` satisfies the rule.
    pub fn allows(&self, value: &str) -> bool {
        self.violation(value).is_none()
    }

    /// The message describing why `value` breaks the rule, or `None` if it does not.
    fn violation(&self, value: &str) -> Option<String> {
        let len = value.chars().count();
        if len < self.min || len > self.max {
            return Some(if len == 0 {
                format!("Invalid {}: must not be empty", self.what)
            } else {
                format!(
                    "Invalid {}: must be {} to {} characters long, got {len}",
                    self.what, self.min, self.max
                )
            });
        }
        let stem = match value.strip_suffix(".fifo") {
            Some(stem) if self.fifo_suffix && !stem.is_empty() => stem,
            _ => value,
        };
        let (position, c) = stem
            .chars()
            .enumerate()
            .find(|&(_, c)| !self.allowed.allows(c))?;
        Some(format!(
            "Invalid {} '{}': character {c:?} at position {position} is not allowed; use {}",
            self.what,
            elide(value),
            self.allowed.description()
        ))
    }
}

/// Checks `value` against `rule`.
///
/// # Errors
///
/// A validation error with the caller's `code` and a message naming the rule's `what` and the
/// problem: the length (`Invalid queue name: must be 1 to 80 characters long, got 81`), or the
/// first character not allowed and where it is.
pub fn validate_name(
    value: &str,
    rule: &NameRule,
    code: impl Into<Cow<'static, str>>,
) -> Result<(), Error> {
    match rule.violation(value) {
        None => Ok(()),
        Some(message) => Err(Error::validation(code, message)),
    }
}

/// The longest Lambda qualifier (version or alias name).
const QUALIFIER_MAX: usize = 128;

/// A Lambda `FunctionName` parameter taken apart. Lambda accepts a function in any of these
/// forms, each optionally qualified by a version, an alias or `$LATEST`:
///
/// | form | example |
/// |---|---|
/// | name | `my-function`, `my-function:live` |
/// | partial ARN | `123456789012:function:my-function` |
/// | full ARN | `arn:aws:lambda:us-west-2:123456789012:function:my-function:3` |
///
/// ```
/// use aws_lite_core::id::{AccountId, Region, parse_function_name};
///
/// let f = parse_function_name("my-fn:live", "ValidationException")?;
/// assert_eq!((f.name, f.qualifier, f.account), ("my-fn", Some("live"), None));
///
/// let f = parse_function_name("123456789012:function:my-fn", "ValidationException")?;
/// assert_eq!((f.name, f.account), ("my-fn", Some("123456789012")));
///
/// let f = parse_function_name(
///     "arn:aws:lambda:eu-west-1:123456789012:function:my-fn:$LATEST",
///     "ValidationException",
/// )?;
/// assert_eq!((f.region, f.qualifier), (Some("eu-west-1"), Some("$LATEST")));
/// let arn = f.to_arn(&Region::DEFAULT, &AccountId::DEFAULT)?;
/// assert_eq!(arn, "arn:aws:lambda:eu-west-1:123456789012:function:my-fn:$LATEST");
///
/// assert!(parse_function_name("my fn", "ValidationException").is_err());
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FunctionName<'a> {
    /// The region, when given as a full ARN.
    pub region: Option<&'a str>,
    /// The account, when given as a full or partial ARN.
    pub account: Option<&'a str>,
    /// The function's name.
    pub name: &'a str,
    /// The version, alias or `$LATEST`, when given.
    pub qualifier: Option<&'a str>,
}

impl FunctionName<'_> {
    /// The function's ARN, taking the region and account from the parameter where it gave
    /// them and from `region` and `account` (the caller's) where it did not.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if the parts do not make an ARN (they always do for a value
    /// [`parse_function_name`] accepted).
    pub fn to_arn(&self, region: &Region, account: &AccountId) -> Result<Arn, Error> {
        let region = match self.region {
            Some(r) => Region::parse(r)?,
            None => *region,
        };
        let account = match self.account {
            Some(a) => AccountId::parse(a)?,
            None => *account,
        };
        Arn::lambda_function(&region, &account, self.name, self.qualifier)
    }
}

/// Parses a Lambda `FunctionName` parameter in any of the forms [`FunctionName`] lists,
/// checking the name against [`NameRule::LAMBDA_FUNCTION`] and the qualifier (`$LATEST`, or
/// 1–128 characters of `[A-Za-z0-9_-]`).
///
/// # Errors
///
/// A validation error with the caller's `code` naming the problem: a malformed or non-Lambda
/// ARN, a bad name or a bad qualifier.
pub fn parse_function_name(
    value: &str,
    code: impl Into<Cow<'static, str>>,
) -> Result<FunctionName<'_>, Error> {
    let code = code.into();
    let (region, account, rest) = if value.starts_with("arn:") {
        let arn = Arn::parse_with_code(value, code.clone())?;
        let fail = |what: String| {
            Err(Error::validation(
                code.clone(),
                format!("Invalid function ARN '{}': {what}", elide(value)),
            ))
        };
        if arn.service() != "lambda" {
            return fail(format!("service '{}' is not lambda", elide(arn.service())));
        }
        if arn.region().is_empty() {
            return fail("region is empty".to_owned());
        }
        if arn.to_account_id().is_none() {
            return fail("account must be 12 digits".to_owned());
        }
        // Borrow the parts from `value`, not from the parsed `arn`, which is dropped here:
        // `arn:partition:lambda:region:account:resource`, validated above.
        let mut fields = value.splitn(6, ':').skip(3);
        let region = fields.next().unwrap_or_default();
        let account = fields.next().unwrap_or_default();
        let resource = fields.next().unwrap_or_default();
        match resource.strip_prefix("function:") {
            Some(rest) => (Some(region), Some(account), rest),
            None => return fail("resource must be 'function:<name>'".to_owned()),
        }
    } else {
        match value.split_once(':') {
            Some((account, tail)) if AccountId::is_valid(account) => {
                match tail.strip_prefix("function:") {
                    Some(rest) => (None, Some(account), rest),
                    None => {
                        return Err(Error::validation(
                            code,
                            format!(
                                "Invalid function name '{}': a partial ARN must be \
                                 '<account>:function:<name>'",
                                elide(value)
                            ),
                        ));
                    }
                }
            }
            _ => (None, None, value),
        }
    };
    let (name, qualifier) = match rest.split_once(':') {
        Some((name, qualifier)) => (name, Some(qualifier)),
        None => (rest, None),
    };
    validate_name(name, &NameRule::LAMBDA_FUNCTION, code.clone())?;
    if let Some(q) = qualifier {
        if q != "$LATEST" {
            let rule = NameRule {
                what: "qualifier",
                min: 1,
                max: QUALIFIER_MAX,
                allowed: CharClass::Word,
                fifo_suffix: false,
            };
            validate_name(q, &rule, code)?;
        }
    }
    Ok(FunctionName {
        region,
        account,
        name,
        qualifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "InvalidParameterValue";

    fn message(value: &str, rule: &NameRule) -> String {
        validate_name(value, rule, CODE)
            .map(|()| String::from("ok"))
            .unwrap_or_else(|e| e.message().to_owned())
    }

    #[test]
    fn sqs_queue_names() {
        let rule = &NameRule::SQS_QUEUE;
        assert!(rule.allows("a"));
        assert!(rule.allows("My_Queue-1"));
        assert!(rule.allows(&"q".repeat(80)));
        assert!(rule.allows(&format!("{}.fifo", "q".repeat(75))));
        assert!(!rule.allows(&format!("{}.fifo", "q".repeat(76))));
        assert!(!rule.allows(&"q".repeat(81)));
        assert!(!rule.allows(".fifo"));
        assert!(!rule.allows("a.b"));
        assert!(!rule.allows("a.fifo.fifo"));
        assert_eq!(message("", rule), "Invalid queue name: must not be empty");
        assert_eq!(
            message(&"q".repeat(81), rule),
            "Invalid queue name: must be 1 to 80 characters long, got 81"
        );
        assert_eq!(
            message("a.b", rule),
            "Invalid queue name 'a.b': character '.' at position 1 is not allowed; \
             use alphanumeric characters, hyphens and underscores"
        );
        let e = validate_name("a b", rule, CODE).unwrap_err();
        assert_eq!(e.code(), CODE);
    }

    #[test]
    fn other_rules() {
        assert!(NameRule::SNS_TOPIC.allows(&"t".repeat(256)));
        assert!(NameRule::SNS_TOPIC.allows("orders.fifo"));
        assert!(!NameRule::SNS_TOPIC.allows(&"t".repeat(257)));
        assert!(NameRule::LAMBDA_FUNCTION.allows(&"f".repeat(64)));
        assert!(!NameRule::LAMBDA_FUNCTION.allows(&"f".repeat(65)));
        assert!(!NameRule::LAMBDA_FUNCTION.allows("f.fifo"));
        assert!(NameRule::IOT_THING.allows("thing:1"));
        assert!(!NameRule::IOT_SHADOW.allows("a/b"));
        let rule = NameRule::STEP_FUNCTIONS.named("execution name");
        assert!(rule.allows("run-1.2_ü"));
        assert!(rule.allows(&"é".repeat(80)), "length counts characters");
        assert!(!rule.allows(&"e".repeat(81)));
        for bad in [
            " ", "\t", "\u{a0}", "<", ">", "{", "}", "[", "]", "?", "*", "\"", "#", "%", "\\", "^",
            "|", "~", "`", "$", "&", ",", ";", ":", "/", "\u{0}", "\u{1f}", "\u{7f}", "\u{9f}",
        ] {
            assert!(!rule.allows(&format!("a{bad}b")), "{bad:?}");
        }
        assert_eq!(
            message("a\u{1}", &rule),
            "Invalid execution name 'a\u{1}': character '\\u{1}' at position 1 is not \
             allowed; use characters other than whitespace, brackets, wildcards, special \
             characters (\" # % \\ ^ | ~ ` $ & , ; : /) and control characters"
        );
        let lower = NameRule {
            what: "label",
            min: 2,
            max: 3,
            allowed: CharClass::Custom {
                allows: |c| c.is_ascii_lowercase(),
                description: "lowercase letters",
            },
            fifo_suffix: false,
        };
        assert!(lower.allows("ab"));
        assert_eq!(
            message("a", &lower),
            "Invalid label: must be 2 to 3 characters long, got 1"
        );
        assert!(!lower.allows("aB"));
    }

    #[test]
    fn function_names() {
        let ok = |v| parse_function_name(v, "ValidationException").unwrap();
        let f = ok("f");
        assert_eq!(
            (f.region, f.account, f.name, f.qualifier),
            (None, None, "f", None)
        );
        assert_eq!(ok("f:7").qualifier, Some("7"));
        assert_eq!(ok("f:$LATEST").qualifier, Some("$LATEST"));
        let f = ok("123456789012:function:f:live");
        assert_eq!(
            (f.account, f.name, f.qualifier),
            (Some("123456789012"), "f", Some("live"))
        );
        let f = ok("arn:aws:lambda:us-east-1:123456789012:function:f");
        assert_eq!(
            (f.region, f.account, f.name, f.qualifier),
            (Some("us-east-1"), Some("123456789012"), "f", None)
        );
        assert_eq!(
            f.to_arn(&Region::DEFAULT, &AccountId::DEFAULT).unwrap(),
            "arn:aws:lambda:us-east-1:123456789012:function:f"
        );
        let f = ok("f:live");
        let region = Region::parse("eu-west-1").unwrap();
        assert_eq!(
            f.to_arn(&region, &AccountId::DEFAULT).unwrap(),
            "arn:aws:lambda:eu-west-1:000000000000:function:f:live"
        );

        fn err(v: &str) -> String {
            parse_function_name(v, "InvalidParameterValueException")
                .unwrap_err()
                .message()
                .to_owned()
        }
        assert_eq!(err(""), "Invalid function name: must not be empty");
        assert!(err(&"f".repeat(65)).contains("must be 1 to 64 characters long"));
        assert!(err("f:a:b").starts_with("Invalid qualifier 'a:b'"));
        assert!(err("f:").starts_with("Invalid qualifier: must not be empty"));
        assert!(err("f:$latest").starts_with("Invalid qualifier '$latest'"));
        assert!(err("123456789012:queue:f").contains("partial ARN"));
        assert!(err("arn:aws:sqs:us-east-1:123456789012:f").contains("is not lambda"));
        assert!(err("arn:aws:lambda:us-east-1:123456789012:layer:f:1").contains("function:"));
        assert!(err("arn:aws:lambda::123456789012:function:f").contains("region is empty"));
        assert!(err("arn:aws:lambda:us-east-1:aws:function:f").contains("12 digits"));
        assert!(err("arn:aws:lambda:us-east-1:12345:function:f").contains("12 digits"));
        let e =
            parse_function_name("arn:aws:lambda", "InvalidParameterValueException").unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValueException");
    }
}
