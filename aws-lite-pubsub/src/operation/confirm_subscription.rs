//! ConfirmSubscription: confirms a pending subscription with the token SNS sent.
//!
//! # Semantics
//!
//! - The token is the one in the `SubscriptionConfirmation` message; it is valid for 3 days
//!   and for the topic it was issued for. Anything else is `Invalid parameter: Token`.
//! - Confirming a confirmed subscription returns its ARN again (idempotent).
//! - `AuthenticateOnUnsubscribe=true` is recorded as `ConfirmationWasAuthenticated`.

use std::time::Duration;

use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::{Sns, check_topic_arn};

/// How long a confirmation token is valid.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3 * 24 * 3600);

/// The input of ConfirmSubscription.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ConfirmSubscriptionInput {
    /// The topic's ARN.
    #[serde(default)]
    pub topic_arn: Option<String>,
    /// The token from the confirmation message.
    #[serde(default)]
    pub token: Option<String>,
    /// `true`: only authenticated callers may unsubscribe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticate_on_unsubscribe: Option<String>,
}

/// The output of ConfirmSubscription.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSubscriptionOutput {
    subscription_arn: String,
}

impl ConfirmSubscriptionOutput {
    /// The confirmed subscription's ARN.
    pub fn subscription_arn(&self) -> &str {
        &self.subscription_arn
    }
}

/// Builds and sends a ConfirmSubscription request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ConfirmSubscriptionFluentBuilder {
    sns: Sns,
    input: ConfirmSubscriptionInput,
}

impl ConfirmSubscriptionFluentBuilder {
    setters! {
        /// The topic's ARN.
        topic_arn / set_topic_arn: String,
        /// The token.
        token / set_token: String,
        /// `true`: only authenticated callers may unsubscribe.
        authenticate_on_unsubscribe / set_authenticate_on_unsubscribe: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ConfirmSubscriptionOutput, Error> {
        confirm_subscription(&self.sns, self.input)
    }
}

impl Sns {
    /// ConfirmSubscription.
    pub fn confirm_subscription(&self) -> ConfirmSubscriptionFluentBuilder {
        ConfirmSubscriptionFluentBuilder {
            sns: self.clone(),
            input: ConfirmSubscriptionInput::default(),
        }
    }
}

pub(crate) fn confirm_subscription(
    sns: &Sns,
    input: ConfirmSubscriptionInput,
) -> Result<ConfirmSubscriptionOutput, Error> {
    let svc = &sns.inner;
    let topic_arn = input.topic_arn.unwrap_or_default();
    let _span = tracing::debug_span!("sns.ConfirmSubscription", topic = %topic_arn).entered();
    check_topic_arn(&topic_arn, "TopicArn")?;
    let token = input.token.unwrap_or_default();
    let now = svc.clock.now();
    let found = svc.tokens.lock().get(&token).cloned();
    let Some((arn, issued)) = found.filter(|(_, at)| *at + TOKEN_LIFETIME > now) else {
        return Err(error::invalid_parameter("Invalid parameter: Token"));
    };
    let sub = svc
        .lookup_subscription(&arn)
        .map_err(|_| error::invalid_parameter("Invalid parameter: Token"))?;
    let _ = issued;
    if *sub.topic_arn != topic_arn {
        return Err(error::invalid_parameter("Invalid parameter: Topic"));
    }
    let mut st = sub.state.lock();
    if st.pending {
        st.pending = false;
        st.authenticated = input
            .authenticate_on_unsubscribe
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    }
    Ok(ConfirmSubscriptionOutput {
        subscription_arn: arn,
    })
}
