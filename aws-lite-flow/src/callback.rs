//! Task tokens: the registry that `.waitForTaskToken` tasks (and activity tasks) wait on, and
//! that SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat report to.
//!
//! A token is created when its Task state starts (before the Parameters are evaluated, so
//! `$$.Task.Token` can be passed to the handler) and registered at once, so a handler may
//! complete its own token before it returns. Reports are queued until the task waits for them.
//! Once the task has ended (completed, timed out, retried, or its execution stopped) the token
//! stays known, and reports to it fail with `TaskTimedOut`.

use std::collections::HashMap;
use std::sync::Arc;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Error, Rand};
use serde_json::Value;
use tokio::sync::mpsc;

/// What a worker reports for a token.
#[derive(Debug)]
pub(crate) enum TokenReport {
    /// SendTaskSuccess: the task's result.
    Success(Value),
    /// SendTaskFailure: error and cause.
    Failure {
        error: Option<String>,
        cause: Option<String>,
    },
    /// SendTaskHeartbeat.
    Heartbeat,
}

/// The receiving end a waiting task holds.
pub(crate) type TokenReceiver = mpsc::UnboundedReceiver<TokenReport>;

/// The prefix of every token this engine issues; anything else is `InvalidToken`.
const TOKEN_PREFIX: &str = "AQB8AAAAKgAAAAMAAAAAAAAAA";

/// Every token issued by one [`Sfn`](crate::Sfn).
#[derive(Clone, Default)]
pub(crate) struct TokenRegistry {
    tokens: Arc<Mutex<HashMap<String, mpsc::UnboundedSender<TokenReport>>>>,
}

impl TokenRegistry {
    /// A new token, not registered yet.
    pub(crate) fn mint(rand: &Rand) -> String {
        let mut s = String::with_capacity(TOKEN_PREFIX.len() + 64);
        s.push_str(TOKEN_PREFIX);
        for _ in 0..4 {
            s.push_str(&format!("{:016x}", rand.next_u64()));
        }
        s
    }

    /// Registers `token` and gives the receiver its reports go to.
    pub(crate) fn register(&self, token: &str) -> TokenReceiver {
        let (tx, rx) = mpsc::unbounded_channel();
        self.tokens.lock().insert(token.to_string(), tx);
        rx
    }

    /// Delivers `report` to the task waiting on `token`.
    ///
    /// # Errors
    ///
    /// `InvalidToken` for a token this engine did not issue the shape of, `TaskDoesNotExist`
    /// for one it never issued, `TaskTimedOut` for one whose task has ended.
    pub(crate) fn report(&self, token: &str, report: TokenReport) -> Result<(), Error> {
        if token.is_empty() || token.len() > 2048 {
            return Err(Error::validation(
                "InvalidToken",
                "Invalid Token: 'Invalid token'",
            ));
        }
        if !token.starts_with(TOKEN_PREFIX) {
            return Err(Error::validation(
                "InvalidToken",
                "Invalid Token: 'Invalid token'",
            ));
        }
        let tokens = self.tokens.lock();
        let Some(tx) = tokens.get(token) else {
            return Err(Error::validation(
                "TaskDoesNotExist",
                "Task Does Not Exist: 'Provided task does not exist'",
            ));
        };
        tx.send(report).map_err(|_| {
            Error::validation(
                "TaskTimedOut",
                "Task Timed Out: 'Provided task does not exist anymore'",
            )
        })
    }
}
