//! Aliases: CRUD, weighted routing with a fixed seed, and the traffic-share property.

mod support;

use aws_lite_fn::AliasRoutingConfiguration;
use proptest::prelude::*;
use support::*;

#[tokio::test(start_paused = true)]
async fn alias_crud_and_arns() {
    let lambda = lambda();
    with_versions(&lambda, "f", 2).await;
    let a = lambda
        .create_alias()
        .function_name("f")
        .name("live")
        .function_version("1")
        .description("prod")
        .send()
        .await
        .unwrap();
    assert_eq!(
        a.alias_arn(),
        "arn:aws:lambda:us-east-1:000000000000:function:f:live"
    );
    assert_eq!(a.function_version(), "1");
    let got = lambda
        .get_alias()
        .function_name("f")
        .name("live")
        .send()
        .await
        .unwrap();
    assert_eq!(got, a);
    let up = lambda
        .update_alias()
        .function_name("f")
        .name("live")
        .function_version("2")
        .send()
        .await
        .unwrap();
    assert_eq!((up.function_version(), up.description()), ("2", "prod"));
    assert_ne!(up.revision_id(), a.revision_id());
    let out = lambda
        .invoke()
        .function_name("f")
        .qualifier("live")
        .send()
        .await
        .unwrap();
    assert_eq!(out.executed_version(), "2");
    let list = lambda
        .list_aliases()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!(list.aliases().len(), 1);
    let none = lambda
        .list_aliases()
        .function_name("f")
        .function_version("1")
        .send()
        .await
        .unwrap();
    assert!(none.aliases().is_empty());
    lambda
        .delete_alias()
        .function_name("f")
        .name("live")
        .send()
        .await
        .unwrap();
    let err = lambda
        .get_alias()
        .function_name("f")
        .name("live")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(
        err.message(),
        "Cannot find alias arn: arn:aws:lambda:us-east-1:000000000000:function:f:live"
    );
}

#[tokio::test(start_paused = true)]
async fn weighted_routing_is_reproducible_with_a_seed() {
    async fn run() -> Vec<String> {
        let lambda = lambda();
        with_versions(&lambda, "f", 2).await;
        lambda
            .create_alias()
            .function_name("f")
            .name("canary")
            .function_version("1")
            .routing_config(AliasRoutingConfiguration::new("2", 0.3))
            .send()
            .await
            .unwrap();
        let mut seen = Vec::new();
        for _ in 0..200 {
            let out = lambda
                .invoke()
                .function_name("f:canary")
                .send()
                .await
                .unwrap();
            seen.push(out.executed_version().to_owned());
        }
        seen
    }
    let a = run().await;
    let b = run().await;
    assert_eq!(a, b, "the same seed routes the same way");
    let twos = a.iter().filter(|v| *v == "2").count();
    assert!(
        (40..=80).contains(&twos),
        "about 30% to version 2, got {twos}/200"
    );
    assert!(a.iter().all(|v| v == "1" || v == "2"));
}

#[tokio::test(start_paused = true)]
async fn an_emptied_routing_config_sends_everything_to_the_primary() {
    let lambda = lambda();
    with_versions(&lambda, "f", 2).await;
    lambda
        .create_alias()
        .function_name("f")
        .name("a")
        .function_version("1")
        .routing_config(AliasRoutingConfiguration::new("2", 1.0))
        .send()
        .await
        .unwrap();
    let out = lambda.invoke().function_name("f:a").send().await.unwrap();
    assert_eq!(out.executed_version(), "2");
    lambda
        .update_alias()
        .function_name("f")
        .name("a")
        .routing_config(AliasRoutingConfiguration::default())
        .send()
        .await
        .unwrap();
    for _ in 0..20 {
        let out = lambda.invoke().function_name("f:a").send().await.unwrap();
        assert_eq!(out.executed_version(), "1");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// An alias's observed share of traffic to its extra version matches the weight.
    #[test]
    fn traffic_share_matches_weight(weight in 0.0f64..=1.0, seed in any::<u64>()) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        let share = rt.block_on(async move {
            let lambda = aws_lite_fn::Lambda::builder().rand(aws_lite_core::Rand::seeded(seed)).build();
            with_versions(&lambda, "f", 2).await;
            lambda.create_alias().function_name("f").name("w").function_version("1")
                .routing_config(AliasRoutingConfiguration::new("2", weight)).send().await.unwrap();
            let n = 2000;
            let mut twos = 0;
            for _ in 0..n {
                if lambda.invoke().function_name("f:w").send().await.unwrap().executed_version() == "2" {
                    twos += 1;
                }
            }
            f64::from(twos) / f64::from(n)
        });
        // Five standard deviations of a binomial share at n = 2000 is at most 0.056.
        prop_assert!((share - weight).abs() <= 0.056, "weight {weight}, share {share}");
    }
}
