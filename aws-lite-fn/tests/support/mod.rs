//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_lite_core::{Rand, SharedClock};
use aws_lite_fn::{Code, Event, Lambda, Limits, service_fn};
use serde_json::Value;

pub(crate) fn lambda() -> Lambda {
    Lambda::builder().rand(Rand::seeded(42)).build()
}

pub(crate) fn lambda_with(limits: Limits) -> Lambda {
    Lambda::builder()
        .rand(Rand::seeded(42))
        .limits(limits)
        .build()
}

pub(crate) fn echo() -> Code {
    Code::from_service(service_fn(|e: Event<Value>| async move {
        Ok::<_, Infallible>(e.payload)
    }))
}

/// Code whose INIT bumps `inits`, and whose handler sleeps for `payload["sleep_ms"]` on `clock`
/// and returns the context's version.
pub(crate) fn counted(inits: Arc<AtomicUsize>, clock: SharedClock) -> Code {
    Code::from_factory(move || {
        let inits = inits.clone();
        let clock = clock.clone();
        async move {
            inits.fetch_add(1, Ordering::SeqCst);
            Ok::<_, Infallible>(service_fn(move |e: Event<Value>| {
                let clock = clock.clone();
                async move {
                    if let Some(ms) = e.payload.get("sleep_ms").and_then(Value::as_u64) {
                        clock.sleep(Duration::from_millis(ms)).await;
                    }
                    Ok::<_, Infallible>(Value::String(e.context.function_version().to_owned()))
                }
            }))
        }
    })
}

/// Creates `name` and publishes `versions` versions of it (each after a description change).
pub(crate) async fn with_versions(lambda: &Lambda, name: &str, versions: u32) {
    lambda
        .create_function()
        .function_name(name)
        .code(echo())
        .send()
        .await
        .unwrap();
    for i in 0..versions {
        lambda
            .update_function_configuration()
            .function_name(name)
            .description(format!("v{}", i + 1))
            .send()
            .await
            .unwrap();
        lambda
            .publish_version()
            .function_name(name)
            .send()
            .await
            .unwrap();
    }
}

#[cfg(feature = "queue")]
pub(crate) mod esm;
