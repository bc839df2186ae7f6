//! Versions and aliases with weighted routing: publish two versions of a function, point the
//! alias `live` at version 1 while 20% of its traffic goes to version 2 (a canary, drawn per
//! invocation from the service's seeded `Rand`, so every run splits the same way), count which
//! version served 1,000 invocations, then promote version 2.
//!
//! Run with `cargo run -p aws-lite-fn --example aliases`.

use std::collections::BTreeMap;
use std::convert::Infallible;

use aws_lite_core::Rand;
use aws_lite_fn::{AliasRoutingConfiguration, Code, Event, Lambda, service_fn};
use serde_json::{Value, json};

/// A handler greeting with `greeting`; its answer names the version that ran.
fn greeter(greeting: &'static str) -> Code {
    Code::from_service(service_fn(move |e: Event<Value>| async move {
        let name = e.payload["name"].as_str().unwrap_or("you").to_owned();
        Ok::<_, Infallible>(json!({
            "message": format!("{greeting}, {name}!"),
            "version": e.context.function_version(),
        }))
    }))
}

/// How many of `n` invocations of `alias` each version served.
async fn traffic(
    lambda: &Lambda,
    alias: &str,
    n: usize,
) -> Result<BTreeMap<String, usize>, aws_lite_core::Error> {
    let mut served = BTreeMap::new();
    for _ in 0..n {
        let out = lambda
            .invoke()
            .function_name(alias)
            .payload(json!({ "name": "Ada" }))
            .send()
            .await?;
        *served.entry(out.executed_version().to_owned()).or_insert(0) += 1;
    }
    Ok(served)
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    let lambda = Lambda::builder().rand(Rand::seeded(7)).build();

    // Version 1, then new code published as version 2. Versions are immutable snapshots;
    // `$LATEST` goes on changing.
    lambda
        .create_function()
        .function_name("greeter")
        .code(greeter("Hello"))
        .send()
        .await?;
    let v1 = lambda
        .publish_version()
        .function_name("greeter")
        .send()
        .await?;
    lambda
        .update_function_code()
        .function_name("greeter")
        .code(greeter("Howdy"))
        .send()
        .await?;
    let v2 = lambda
        .publish_version()
        .function_name("greeter")
        .send()
        .await?;
    let versions = lambda
        .list_versions_by_function()
        .function_name("greeter")
        .send()
        .await?;
    let listed: Vec<&str> = versions.versions().iter().map(|v| v.version()).collect();
    println!("versions: {listed:?}");
    assert_eq!(listed, ["$LATEST", "1", "2"]);

    // The alias `live`: version 1, with a 20% canary on version 2.
    let live = lambda
        .create_alias()
        .function_name("greeter")
        .name("live")
        .function_version(v1.version())
        .routing_config(AliasRoutingConfiguration::new(v2.version(), 0.2))
        .send()
        .await?;
    println!(
        "alias {} -> {} (+ {:?})",
        live.alias_arn(),
        live.function_version(),
        live.routing_config()
    );

    let out = lambda
        .invoke()
        .function_name("greeter:live")
        .payload(json!({ "name": "Ada" }))
        .send()
        .await?;
    println!(
        "one call: {} (version {})",
        out.payload()["message"],
        out.executed_version()
    );

    let served = traffic(&lambda, "greeter:live", 1_000).await?;
    println!("1,000 calls through the canary: {served:?}");
    let share = served.get("2").copied().unwrap_or(0) as f64 / 1_000.0;
    assert!((share - 0.2).abs() < 0.05, "version 2 served {share}");

    // Promote version 2: the alias points to it and routes nothing elsewhere (an empty
    // `AdditionalVersionWeights` removes the routing).
    lambda
        .update_alias()
        .function_name("greeter")
        .name("live")
        .function_version(v2.version())
        .routing_config(AliasRoutingConfiguration::default())
        .send()
        .await?;
    let served = traffic(&lambda, "greeter:live", 100).await?;
    println!("after the promotion: {served:?}");
    assert_eq!(served.get("2"), Some(&100));

    // A version can still be invoked by number, and the unqualified name runs `$LATEST`.
    let old = lambda.invoke().function_name("greeter:1").send().await?;
    let latest = lambda.invoke().function_name("greeter").send().await?;
    println!(
        "greeter:1 says {}; greeter ($LATEST) says {}",
        old.payload()["message"],
        latest.payload()["message"]
    );
    Ok(())
}
