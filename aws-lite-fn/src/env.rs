//! Execution environments: one handler instance each, kept warm between invocations.
//!
//! This is a pure core: every method takes `now` and decides from stored instants, so idle
//! environments are reclaimed lazily (an environment idle for longer than the idle timeout is
//! gone the next time the pool is looked at) and no timer is needed.

use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::Instant;

use crate::handler::{EnvConfig, ErasedHandler};

/// A warm environment: the handler its INIT built, and what it tells every invocation.
pub(crate) struct Env {
    pub(crate) handler: Box<dyn ErasedHandler>,
    pub(crate) last_used: Instant,
    pub(crate) provisioned: bool,
    /// Shared by the [`Context`](crate::Context) of every invocation it serves.
    pub(crate) config: Arc<EnvConfig>,
}

/// One version's environments.
#[derive(Default)]
pub(crate) struct Pool {
    pub(crate) idle: Vec<Env>,
    /// Environments serving an invocation (or starting for one).
    pub(crate) busy: usize,
    /// How many provisioned environments the version should keep.
    pub(crate) provisioned_target: u32,
    /// Provisioned environments that exist (idle or busy).
    pub(crate) provisioned_live: u32,
    /// Environments started over the pool's life.
    pub(crate) started: u64,
}

impl Pool {
    /// Drops on-demand environments idle since `now - idle_timeout` or earlier.
    pub(crate) fn reap(&mut self, now: Instant, idle_timeout: Duration) {
        self.idle
            .retain(|e| e.provisioned || e.last_used + idle_timeout > now);
    }

    /// A warm environment for one invocation (provisioned first, then the most recently used),
    /// or `None` for a cold start. Either way the caller holds a busy slot until it calls
    /// [`release`](Pool::release) or [`discard`](Pool::discard).
    pub(crate) fn acquire(
        &mut self,
        now: Instant,
        idle_timeout: Duration,
        force_cold: bool,
    ) -> Option<Env> {
        self.reap(now, idle_timeout);
        self.busy += 1;
        if force_cold {
            return None;
        }
        let pick = self
            .idle
            .iter()
            .rposition(|e| e.provisioned)
            .or_else(|| self.idle.len().checked_sub(1))?;
        Some(self.idle.remove(pick))
    }

    /// Returns an environment after an invocation.
    pub(crate) fn release(&mut self, mut env: Env, now: Instant) {
        self.busy = self.busy.saturating_sub(1);
        if env.provisioned && self.provisioned_live > self.provisioned_target {
            self.provisioned_live -= 1;
            return;
        }
        env.last_used = now;
        self.idle.push(env);
    }

    /// Gives up a busy slot whose environment is gone (timed out, panicked, failed INIT).
    /// `true` when it was a provisioned environment the version still needs: the caller starts
    /// a replacement ([`spawn_provisioning`](crate::invoke::spawn_provisioning)), as Lambda
    /// keeps a version's provisioned concurrency allocated.
    #[must_use = "a lost provisioned environment is replaced by the caller"]
    pub(crate) fn discard(&mut self, provisioned: bool) -> bool {
        self.busy = self.busy.saturating_sub(1);
        if provisioned {
            self.provisioned_live = self.provisioned_live.saturating_sub(1);
        }
        provisioned && self.provisioned_live < self.provisioned_target
    }

    /// Sets the provisioned target, dropping idle provisioned environments above it.
    pub(crate) fn set_provisioned_target(&mut self, target: u32) {
        self.provisioned_target = target;
        while self.provisioned_live > target {
            match self.idle.iter().position(|e| e.provisioned) {
                Some(i) => {
                    self.idle.remove(i);
                    self.provisioned_live -= 1;
                }
                None => break,
            }
        }
    }

    /// Idle provisioned environments.
    pub(crate) fn provisioned_idle(&self) -> usize {
        self.idle.iter().filter(|e| e.provisioned).count()
    }
}

/// Environments of one version at one instant, as [`Lambda::environments`](crate::Lambda::environments)
/// reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvironmentCounts {
    /// Warm environments waiting for an invocation (on-demand and provisioned).
    pub idle: usize,
    /// Environments serving an invocation.
    pub busy: usize,
    /// Provisioned environments that exist (idle or busy).
    pub provisioned: u32,
    /// Environments started (cold starts and provisioned INITs) over the version's life.
    pub started: u64,
}
