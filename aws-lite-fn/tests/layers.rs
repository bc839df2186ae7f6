//! Layers: PublishLayerVersion / Get / GetByArn / List / ListVersions / Delete, a function's
//! `Layers`, the merged `/opt` its INIT and handler read, and what PublishVersion and
//! DeleteLayerVersion do to functions that use them.

mod support;

use std::convert::Infallible;
use std::sync::Arc;

use aws_lite_core::Rand;
use aws_lite_core::id::{AccountId, Region};
use aws_lite_fn::api::LambdaApi;
use aws_lite_fn::layer::LayerFiles;
use aws_lite_fn::operation::get_layer_version::GetLayerVersionInput;
use aws_lite_fn::operation::publish_layer_version::PublishLayerVersionInput;
use aws_lite_fn::{Code, Event, InitContext, Lambda, Limits, service_fn};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::{echo, lambda, lambda_with};

const ACCOUNT: &str = "000000000000";

fn arn(name: &str, version: u64) -> String {
    format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:{name}:{version}")
}

async fn publish(lambda: &Lambda, name: &str, files: &[(&str, &str)]) -> String {
    let content: LayerFiles = files.iter().map(|(p, b)| (*p, b.as_bytes())).collect();
    lambda
        .publish_layer_version()
        .layer_name(name)
        .content(content)
        .send()
        .await
        .unwrap()
        .layer_version_arn()
        .to_owned()
}

/// Code whose INIT captures the merged `/opt` and whose handler returns, for the path in the
/// payload, what INIT saw and what the invocation's `Context` sees.
fn opt_reader() -> Code {
    Code::from_init_factory(|init: InitContext| async move {
        let at_init = init.layers;
        Ok::<_, Infallible>(service_fn(move |e: Event<Value>| {
            let at_init = at_init.clone();
            async move {
                let path = e.payload.as_str().unwrap_or_default().to_owned();
                Ok::<_, Infallible>(json!({
                    "init": at_init.get_str(&path),
                    "context": e.context.layers().get_str(&path),
                    "paths": at_init.paths().collect::<Vec<_>>(),
                }))
            }
        }))
    })
}

async fn read(lambda: &Lambda, function: &str, path: &str) -> Value {
    let out = lambda
        .invoke()
        .function_name(function)
        .payload(json!(path))
        .send()
        .await
        .unwrap();
    assert_eq!(out.function_error(), None, "{:?}", out.payload());
    out.payload().clone()
}

#[tokio::test(start_paused = true)]
async fn publish_numbers_versions_from_one_and_never_reuses_them() {
    let lambda = lambda();
    let v1 = lambda
        .publish_layer_version()
        .layer_name("tools")
        .content(LayerFiles::new().with_file("bin/a", "12345"))
        .description("first")
        .compatible_runtimes(vec!["provided.al2023".to_owned(), "python3.12".to_owned()])
        .compatible_architectures(vec!["arm64".to_owned()])
        .license_info("MIT")
        .send()
        .await
        .unwrap();
    assert_eq!(v1.version(), 1);
    assert_eq!(
        v1.layer_arn(),
        format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:tools")
    );
    assert_eq!(v1.layer_version_arn(), arn("tools", 1));
    assert_eq!(v1.description(), "first");
    assert_eq!(v1.compatible_runtimes(), ["provided.al2023", "python3.12"]);
    assert_eq!(v1.compatible_architectures(), ["arm64"]);
    assert_eq!(v1.license_info(), Some("MIT"));
    assert_eq!(v1.content().code_size(), 5);
    assert_eq!(v1.content().code_sha256().len(), 44, "base64 of a SHA-256");
    let date = v1.created_date();
    assert!(
        date.len() == 28 && date.ends_with("+0000") && date.as_bytes()[10] == b'T',
        "Lambda's date format: {date}"
    );

    let v2 = lambda
        .publish_layer_version()
        .layer_name("tools")
        .content(LayerFiles::new().with_file("bin/a", "12345"))
        .send()
        .await
        .unwrap();
    assert_eq!(v2.version(), 2);
    assert_eq!(
        v2.content().code_sha256(),
        v1.content().code_sha256(),
        "same files, same hash"
    );
    // Another name counts on its own.
    assert_eq!(publish(&lambda, "other", &[]).await, arn("other", 1));

    // Deleting the newest versions does not free their numbers.
    for n in [2, 1] {
        lambda
            .delete_layer_version()
            .layer_name("tools")
            .version_number(n)
            .send()
            .await
            .unwrap();
    }
    assert!(
        lambda
            .list_layers()
            .send()
            .await
            .unwrap()
            .layers()
            .iter()
            .all(|l| l.layer_name() != "tools"),
        "a layer with no version left is not listed"
    );
    assert_eq!(publish(&lambda, "tools", &[]).await, arn("tools", 3));
}

#[tokio::test(start_paused = true)]
async fn get_and_get_by_arn_read_a_version_and_report_missing_ones() {
    let lambda = lambda();
    publish(&lambda, "tools", &[("bin/tool", "#!/bin/sh")]).await;
    let got = lambda
        .get_layer_version()
        .layer_name("tools")
        .version_number(1)
        .send()
        .await
        .unwrap();
    assert_eq!(got.files().get_str("bin/tool"), Some("#!/bin/sh"));
    // The layer ARN works as a layer name.
    let by_layer_arn = lambda
        .get_layer_version()
        .layer_name(got.layer_arn())
        .version_number(1)
        .send()
        .await
        .unwrap();
    assert_eq!(by_layer_arn, got);
    let by_arn = lambda
        .get_layer_version_by_arn()
        .arn(arn("tools", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(by_arn, got);

    for (name, version) in [("tools", 2i64), ("nope", 1)] {
        let err = lambda
            .get_layer_version()
            .layer_name(name)
            .version_number(version)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "ResourceNotFoundException");
        assert_eq!(err.message(), "The resource you requested does not exist.");
        assert_eq!(err.status(), 404);
        let err = lambda
            .get_layer_version_by_arn()
            .arn(arn(name, version as u64))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "ResourceNotFoundException");
    }
    let other_account = "arn:aws:lambda:us-east-1:111111111111:layer:tools:1";
    let err = lambda
        .get_layer_version_by_arn()
        .arn(other_account)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");

    let err = lambda
        .get_layer_version()
        .layer_name("tools")
        .version_number(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValueException");
    assert_eq!(err.message(), "Layer Version Cannot be less than 1");

    let err = lambda
        .get_layer_version_by_arn()
        .arn(format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:tools"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert_eq!(
        err.message(),
        format!(
            "1 validation error detected: Value 'arn:aws:lambda:us-east-1:{ACCOUNT}:layer:tools' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{{2}}((-gov)|(-iso(b?)))?-[a-z]+-\\d{{1}}:\\d{{12}}:layer:[a-zA-Z0-9-_]+:[0-9]+"
        )
    );
    let err = lambda
        .get_layer_version()
        .layer_name("bad name")
        .version_number(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert!(
        err.message()
            .starts_with("1 validation error detected: Value 'bad name' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: "),
        "{}",
        err.message()
    );
}

#[tokio::test(start_paused = true)]
async fn list_layers_shows_the_latest_matching_version_of_each_layer() {
    let lambda = lambda();
    for (name, runtimes, archs) in [
        ("a", vec!["python3.12"], vec!["x86_64"]),
        ("a", vec!["python3.12", "nodejs22.x"], vec!["arm64"]),
        ("a", vec!["java21"], vec!["x86_64", "arm64"]),
        ("b", vec!["nodejs22.x"], vec!["x86_64"]),
        ("c", vec![], vec![]),
    ] {
        lambda
            .publish_layer_version()
            .layer_name(name)
            .content(LayerFiles::new())
            .compatible_runtimes(runtimes.into_iter().map(String::from).collect::<Vec<_>>())
            .compatible_architectures(archs.into_iter().map(String::from).collect::<Vec<_>>())
            .send()
            .await
            .unwrap();
    }
    let latest = |out: &aws_lite_fn::operation::list_layers::ListLayersOutput| {
        out.layers()
            .iter()
            .map(|l| {
                (
                    l.layer_name().to_owned(),
                    l.latest_matching_version().version(),
                )
            })
            .collect::<Vec<_>>()
    };
    let all = lambda.list_layers().send().await.unwrap();
    assert_eq!(
        latest(&all),
        [("a".into(), 3), ("b".into(), 1), ("c".into(), 1)]
    );
    assert_eq!(
        all.layers()[0].layer_arn(),
        format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:a")
    );
    let node = lambda
        .list_layers()
        .compatible_runtime("nodejs22.x")
        .send()
        .await
        .unwrap();
    assert_eq!(latest(&node), [("a".into(), 2), ("b".into(), 1)]);
    let x86_python = lambda
        .list_layers()
        .compatible_runtime("python3.12")
        .compatible_architecture("x86_64")
        .send()
        .await
        .unwrap();
    assert_eq!(latest(&x86_python), [("a".into(), 1)]);

    let page = lambda.list_layers().max_items(2).send().await.unwrap();
    assert_eq!(page.layers().len(), 2);
    let rest = lambda
        .list_layers()
        .marker(page.next_marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(latest(&rest), [("c".into(), 1)]);
    assert_eq!(rest.next_marker(), None);

    let err = lambda
        .list_layers()
        .compatible_runtime("cobol")
        .compatible_architecture("sparc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ValidationException");
    assert!(
        err.message().starts_with(
            "2 validation errors detected: Value 'sparc' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]; Value 'cobol' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: [nodejs, "
        ),
        "{}",
        err.message()
    );
    for n in [0, 51] {
        let err = lambda.list_layers().max_items(n).send().await.unwrap_err();
        assert_eq!(err.code(), "ValidationException", "{n}");
    }
}

#[tokio::test(start_paused = true)]
async fn list_layer_versions_is_newest_first_filtered_and_paged() {
    let lambda = lambda();
    for archs in [
        vec!["x86_64"],
        vec!["arm64"],
        vec!["x86_64"],
        vec!["x86_64", "arm64"],
    ] {
        lambda
            .publish_layer_version()
            .layer_name("tools")
            .content(LayerFiles::new())
            .compatible_architectures(archs.into_iter().map(String::from).collect::<Vec<_>>())
            .send()
            .await
            .unwrap();
    }
    lambda
        .delete_layer_version()
        .layer_name("tools")
        .version_number(3)
        .send()
        .await
        .unwrap();
    let versions = |items: &[aws_lite_fn::layer::LayerVersionsListItem]| {
        items.iter().map(|v| v.version()).collect::<Vec<_>>()
    };
    let all = lambda
        .list_layer_versions()
        .layer_name("tools")
        .send()
        .await
        .unwrap();
    assert_eq!(versions(all.layer_versions()), [4, 2, 1]);
    assert_eq!(all.layer_versions()[0].layer_version_arn(), arn("tools", 4));
    let x86 = lambda
        .list_layer_versions()
        .layer_name("tools")
        .compatible_architecture("x86_64")
        .send()
        .await
        .unwrap();
    assert_eq!(versions(x86.layer_versions()), [4, 1]);

    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = lambda
            .list_layer_versions()
            .layer_name("tools")
            .max_items(1)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        seen.extend(versions(page.layer_versions()));
        match page.next_marker() {
            Some(m) => marker = Some(m.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, [4, 2, 1]);

    let none = lambda
        .list_layer_versions()
        .layer_name("missing")
        .send()
        .await
        .unwrap();
    assert!(none.layer_versions().is_empty());
}

#[tokio::test(start_paused = true)]
async fn bad_publish_input_is_rejected_and_consumes_no_version() {
    let lambda = lambda();
    let ok = || {
        lambda
            .publish_layer_version()
            .layer_name("tools")
            .content(LayerFiles::new())
    };
    let cases = [
        (
            ok().compatible_runtimes(vec!["cobol".to_owned()]),
            "ValidationException",
            "1 validation error detected: Value '[cobol]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs, nodejs4.3,",
        ),
        (
            ok().compatible_architectures(vec!["sparc".to_owned()]),
            "ValidationException",
            "1 validation error detected: Value '[sparc]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]",
        ),
        (
            ok().compatible_architectures(vec![
                "x86_64".to_owned(),
                "arm64".to_owned(),
                "x86_64".to_owned(),
            ]),
            "ValidationException",
            "1 validation error detected: Value '[x86_64, arm64, x86_64]' at 'compatibleArchitectures' failed to satisfy constraint: Member must have length less than or equal to 2",
        ),
        (
            ok().description("d".repeat(257)),
            "ValidationException",
            "1 validation error detected: Value 'ddd",
        ),
        (
            ok().license_info("l".repeat(513)),
            "ValidationException",
            "1 validation error detected: Value 'lll",
        ),
        (
            ok().layer_name("has space"),
            "ValidationException",
            "1 validation error detected: Value 'has space' at 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+",
        ),
        (
            ok().layer_name("x".repeat(141)),
            "ValidationException",
            "1 validation error detected: Value 'xxx",
        ),
        (
            ok().set_content(None),
            "ValidationException",
            "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
        ),
        (
            ok().layer_name("arn:aws:lambda:eu-west-1:000000000000:layer:tools"),
            "ResourceNotFoundException",
            "The resource you requested does not exist.",
        ),
    ];
    for (builder, code, message) in cases {
        let input = format!("{:?}", builder.as_input());
        let err = builder.send().await.unwrap_err();
        assert_eq!(err.code(), code, "{input}");
        assert!(
            err.message().starts_with(message),
            "{input}: {}",
            err.message()
        );
    }
    let err = ok()
        .compatible_runtimes(vec!["cobol".to_owned()])
        .compatible_architectures(vec!["sparc".to_owned()])
        .send()
        .await
        .unwrap_err();
    assert!(err.message().starts_with("2 validation errors detected: "));
    assert!(
        lambda
            .list_layers()
            .send()
            .await
            .unwrap()
            .layers()
            .is_empty()
    );
    assert_eq!(ok().send().await.unwrap().version(), 1, "nothing consumed");
    // The own account and region's layer ARN is a layer name.
    let v2 = ok()
        .layer_name(format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:tools"))
        .send()
        .await
        .unwrap();
    assert_eq!(v2.version(), 2);
    let err = lambda
        .delete_layer_version()
        .layer_name("tools")
        .version_number(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), "Layer Version Cannot be less than 1");
}

#[tokio::test(start_paused = true)]
async fn init_and_handler_read_the_layers_merged_in_order() {
    let lambda = lambda();
    let base = publish(
        &lambda,
        "base",
        &[
            ("etc/name", "base"),
            ("etc/only-base", "1"),
            ("/bin/tool", "v1"),
        ],
    )
    .await;
    let top = publish(&lambda, "top", &[("etc/name", "top"), ("bin/tool", "v2")]).await;
    let f = lambda
        .create_function()
        .function_name("f")
        .code(opt_reader())
        .layer(base.clone())
        .layer(top.clone())
        .send()
        .await
        .unwrap();
    let layers: Vec<(String, u64)> = f
        .layers()
        .iter()
        .map(|l| (l.arn().to_owned(), l.code_size()))
        .collect();
    assert_eq!(layers, [(base.clone(), 7), (top.clone(), 5)]);
    assert_eq!(
        read(&lambda, "f", "etc/name").await,
        json!({
            "init": "top",
            "context": "top",
            "paths": ["bin/tool", "etc/name", "etc/only-base"],
        })
    );
    assert_eq!(read(&lambda, "f", "bin/tool").await["init"], "v2");
    assert_eq!(read(&lambda, "f", "etc/only-base").await["context"], "1");

    // The other order: the later layer wins.
    lambda
        .update_function_configuration()
        .function_name("f")
        .layers(vec![top.clone(), base.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(read(&lambda, "f", "etc/name").await["init"], "base");
    let got = lambda
        .get_function()
        .function_name("f")
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = got
        .configuration()
        .layers()
        .iter()
        .map(|l| l.arn())
        .collect();
    assert_eq!(arns, [top.as_str(), base.as_str()]);
    let serialized = serde_json::to_value(got.configuration()).unwrap();
    assert_eq!(
        serialized["Layers"],
        json!([{ "Arn": top, "CodeSize": 5 }, { "Arn": base, "CodeSize": 7 }])
    );

    // `[]` removes them: no Layers in the configuration, an empty /opt.
    let none = lambda
        .update_function_configuration()
        .function_name("f")
        .layers(Vec::<String>::new())
        .send()
        .await
        .unwrap();
    assert!(none.layers().is_empty());
    assert!(serde_json::to_value(&none).unwrap().get("Layers").is_none());
    assert_eq!(
        read(&lambda, "f", "etc/name").await,
        json!({ "init": null, "context": null, "paths": [] })
    );
}

#[tokio::test(start_paused = true)]
async fn a_published_version_keeps_its_layers_and_deleted_layers_keep_working() {
    let lambda = lambda();
    let v1 = publish(&lambda, "cfg", &[("mode", "one")]).await;
    let v2 = publish(&lambda, "cfg", &[("mode", "two")]).await;
    lambda
        .create_function()
        .function_name("f")
        .code(opt_reader())
        .layers(vec![v1.clone()])
        .publish(true)
        .send()
        .await
        .unwrap();
    lambda
        .update_function_configuration()
        .function_name("f")
        .layers(vec![v2.clone()])
        .send()
        .await
        .unwrap();
    assert_eq!(read(&lambda, "f", "mode").await["init"], "two");
    assert_eq!(read(&lambda, "f:1", "mode").await["init"], "one");
    let published = lambda
        .get_function()
        .function_name("f")
        .qualifier("1")
        .send()
        .await
        .unwrap();
    assert_eq!(published.configuration().layers()[0].arn(), v1);

    // Delete both layer versions: the functions that use them keep their files, even in
    // environments started afterwards.
    for n in [1, 2] {
        lambda
            .delete_layer_version()
            .layer_name("cfg")
            .version_number(n)
            .send()
            .await
            .unwrap();
    }
    lambda
        .update_function_configuration()
        .function_name("f")
        .description("new $LATEST environments")
        .send()
        .await
        .unwrap();
    lambda
        .publish_version()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!(read(&lambda, "f", "mode").await["init"], "two");
    assert_eq!(read(&lambda, "f:2", "mode").await["init"], "two");
    assert_eq!(read(&lambda, "f:1", "mode").await["init"], "one");
    let latest = lambda
        .get_function()
        .function_name("f")
        .send()
        .await
        .unwrap();
    assert_eq!(latest.configuration().layers()[0].arn(), v2);

    // But a deleted version can no longer be added to a function.
    let err = lambda
        .create_function()
        .function_name("g")
        .code(echo())
        .layers(vec![v1.clone()])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.message(), format!("Layer version {v1} does not exist."));
}

#[tokio::test(start_paused = true)]
async fn bad_function_layers_are_rejected_with_lambdas_errors_and_change_nothing() {
    let lambda = lambda_with(Limits::default().with_unzipped_code_bytes(20));
    let mut arns = Vec::new();
    for name in ["a", "b", "c", "d", "e", "f"] {
        arns.push(publish(&lambda, name, &[("x", "1")]).await);
    }
    let a2 = publish(&lambda, "a", &[("x", "2")]).await;
    let big = publish(&lambda, "big", &[("blob", &"z".repeat(15))]).await;
    let medium = publish(&lambda, "medium", &[("blob", "123456")]).await;
    let foreign_account = "arn:aws:lambda:us-east-1:123456789012:layer:a:1".to_owned();
    let foreign_region = format!("arn:aws:lambda:eu-west-1:{ACCOUNT}:layer:a:1");
    let cases: Vec<(Vec<String>, &str, String)> = vec![
        (
            arns.clone(),
            "InvalidParameterValueException",
            "Cannot reference more than 5 layers.".into(),
        ),
        (
            vec![arn("a", 9)],
            "InvalidParameterValueException",
            format!("Layer version {} does not exist.", arn("a", 9)),
        ),
        (
            vec![arns[0].clone(), a2.clone()],
            "InvalidParameterValueException",
            format!(
                "Two different versions of the same layer are not allowed to be referenced in the same function. {} and {a2} are versions of the same layer.",
                arns[0]
            ),
        ),
        (
            vec![foreign_region],
            "InvalidParameterValueException",
            "Layers are not in the same region as the function. Layers are expected to be in region us-east-1.".into(),
        ),
        (
            vec![foreign_account.clone()],
            "AccessDeniedException",
            format!(
                "User: arn:aws:iam::{ACCOUNT}:root is not authorized to perform: lambda:GetLayerVersion on resource: {foreign_account} because no resource-based policy allows the lambda:GetLayerVersion action"
            ),
        ),
        (
            vec![big.clone(), medium.clone()],
            "InvalidParameterValueException",
            "Function code combined with layers exceeds the maximum allowed size of 20 bytes. The actual size is 21 bytes.".into(),
        ),
        (
            vec![arns[0].clone(), format!("arn:aws:lambda:us-east-1:{ACCOUNT}:layer:a")],
            "ValidationException",
            format!(
                "1 validation error detected: Value '[{}, arn:aws:lambda:us-east-1:{ACCOUNT}:layer:a]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{{2}}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{{1}}:\\d{{12}}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]",
                arns[0]
            ),
        ),
    ];
    lambda
        .create_function()
        .function_name("f")
        .code(echo())
        .layers(vec![arns[1].clone()])
        .send()
        .await
        .unwrap();
    for (layers, code, message) in cases {
        let err = lambda
            .create_function()
            .function_name("g")
            .code(echo())
            .layers(layers.clone())
            .send()
            .await
            .unwrap_err();
        assert_eq!((err.code(), err.message()), (code, message.as_str()));
        let err = lambda
            .update_function_configuration()
            .function_name("f")
            .layers(layers)
            .send()
            .await
            .unwrap_err();
        assert_eq!((err.code(), err.message()), (code, message.as_str()));
    }
    assert_eq!(
        lambda
            .get_function()
            .function_name("g")
            .send()
            .await
            .unwrap_err()
            .code(),
        "ResourceNotFoundException",
        "a rejected CreateFunction registers nothing"
    );
    let f = lambda
        .get_function()
        .function_name("f")
        .send()
        .await
        .unwrap();
    let kept: Vec<&str> = f.configuration().layers().iter().map(|l| l.arn()).collect();
    assert_eq!(
        kept,
        [arns[1].as_str()],
        "a rejected update changes nothing"
    );
    // Five layers within the size limit are fine.
    lambda
        .update_function_configuration()
        .function_name("f")
        .layers(arns[..5].to_vec())
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn layer_operations_are_on_the_object_safe_trait() {
    let lambda: Arc<dyn LambdaApi> = Arc::new(
        Lambda::builder()
            .rand(Rand::seeded(3))
            .account(AccountId::parse("123456789012").unwrap())
            .region(Region::parse("eu-west-1").unwrap())
            .build(),
    );
    let mut publish = PublishLayerVersionInput::default();
    publish.layer_name = Some("tools".into());
    publish.content = Some(LayerFiles::new().with_file("a", "b"));
    let v = lambda.publish_layer_version(publish).await.unwrap();
    assert_eq!(
        v.layer_version_arn(),
        "arn:aws:lambda:eu-west-1:123456789012:layer:tools:1"
    );
    let mut get = GetLayerVersionInput::default();
    get.layer_name = Some("tools".into());
    get.version_number = Some(1);
    assert_eq!(lambda.get_layer_version(get).await.unwrap(), v);
    let listed = lambda.list_layers(Default::default()).await.unwrap();
    assert_eq!(listed.layers().len(), 1);
}

#[test]
fn layer_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<LayerFiles>();
    send_sync::<InitContext>();
    send_sync::<aws_lite_fn::layer::LayerVersion>();
    send_sync::<aws_lite_fn::Layer>();
}

#[derive(Debug, Clone)]
enum Op {
    Publish(usize),
    Delete(usize, u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..3usize).prop_map(Op::Publish),
        (0..3usize, 0..6u64).prop_map(|(l, v)| Op::Delete(l, v)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Against a model (a counter and a set of live versions per name): publish returns the
    /// next never-used number, delete removes one version, and ListLayerVersions / ListLayers /
    /// GetLayerVersion always agree with the model.
    #[test]
    fn versions_follow_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        rt.block_on(async move {
            let lambda = lambda();
            let names = ["a", "b", "c"];
            let mut next = [1u64; 3];
            let mut live: [Vec<u64>; 3] = Default::default();
            for op in ops {
                match op {
                    Op::Publish(l) => {
                        let v = lambda.publish_layer_version().layer_name(names[l])
                            .content(LayerFiles::new()).send().await.unwrap();
                        assert_eq!(v.version(), next[l]);
                        live[l].push(next[l]);
                        next[l] += 1;
                    }
                    Op::Delete(l, v) => {
                        let r = lambda.delete_layer_version().layer_name(names[l])
                            .version_number(v as i64).send().await;
                        if v == 0 {
                            assert!(r.is_err());
                        } else {
                            r.unwrap();
                            live[l].retain(|x| *x != v);
                        }
                    }
                }
                for (l, name) in names.iter().enumerate() {
                    let listed: Vec<u64> = lambda.list_layer_versions().layer_name(*name).send().await
                        .unwrap().layer_versions().iter().map(|v| v.version()).collect();
                    let mut expected = live[l].clone();
                    expected.reverse();
                    assert_eq!(listed, expected);
                    for v in 1..next[l] + 1 {
                        let got = lambda.get_layer_version().layer_name(*name).version_number(v as i64).send().await;
                        assert_eq!(got.is_ok(), live[l].contains(&v));
                    }
                }
                let layers: Vec<(String, u64)> = lambda.list_layers().send().await.unwrap().layers().iter()
                    .map(|l| (l.layer_name().to_owned(), l.latest_matching_version().version())).collect();
                let expected: Vec<(String, u64)> = names.iter().zip(&live)
                    .filter_map(|(n, vs)| vs.iter().max().map(|v| ((*n).to_owned(), *v))).collect();
                assert_eq!(layers, expected);
            }
        });
    }
}
