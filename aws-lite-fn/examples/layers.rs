//! Layers: publish two versions of a shared configuration layer and a tools layer, give a
//! function both, and read the merged `/opt` from INIT and from the handler; then show that a
//! published version keeps its layers and that deleting a layer version does not break it.
//!
//! Run with `cargo run -p aws-lite-fn --example layers`.

use std::convert::Infallible;

use aws_lite_fn::layer::LayerFiles;
use aws_lite_fn::{Code, Event, InitContext, Lambda, service_fn};
use serde_json::{Value, json};

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() -> Result<(), aws_lite_core::Error> {
    let lambda = Lambda::new();

    // A layer is a name with numbered, immutable versions.
    let config_v1 = lambda
        .publish_layer_version()
        .layer_name("app-config")
        .description("settings for every stage")
        .content(
            LayerFiles::new()
                .with_file("config/stage", "dev")
                .with_file("config/greeting", "hello"),
        )
        .compatible_runtimes(vec!["provided.al2023".to_owned()])
        .compatible_architectures(vec!["arm64".to_owned(), "x86_64".to_owned()])
        .license_info("MIT")
        .send()
        .await?;
    let config_v2 = lambda
        .publish_layer_version()
        .layer_name("app-config")
        .content(LayerFiles::new().with_file("config/stage", "prod"))
        .send()
        .await?;
    let tools = lambda
        .publish_layer_version()
        .layer_name("tools")
        // A later layer's file replaces an earlier one's at the same path, as in /opt.
        .file("config/greeting", "bonjour")
        .file("bin/tool", vec![0x7f, b'E', b'L', b'F'])
        .send()
        .await?;
    println!(
        "published {} ({} bytes), {} and {}",
        config_v1.layer_version_arn(),
        config_v1.content().code_size(),
        config_v2.layer_version_arn(),
        tools.layer_version_arn()
    );

    // INIT reads the merged files once per execution environment; the handler can too.
    let code = Code::from_init_factory(|init: InitContext| async move {
        let stage = init
            .layers
            .get_str("config/stage")
            .unwrap_or("?")
            .to_owned();
        let greeting = init
            .layers
            .get_str("config/greeting")
            .unwrap_or("?")
            .to_owned();
        Ok::<_, Infallible>(service_fn(move |e: Event<Value>| {
            let (stage, greeting) = (stage.clone(), greeting.clone());
            async move {
                let files: Vec<String> = e.context.layers().paths().map(String::from).collect();
                Ok::<_, Infallible>(json!({
                    "message": format!("{greeting} from {stage}"),
                    "opt": files,
                }))
            }
        }))
    });
    let f = lambda
        .create_function()
        .function_name("greeter")
        .code(code)
        .layer(config_v1.layer_version_arn())
        .layer(tools.layer_version_arn())
        .publish(true)
        .send()
        .await?;
    for layer in f.layers() {
        println!("layer {} ({} bytes)", layer.arn(), layer.code_size());
    }
    let out = lambda.invoke().function_name("greeter").send().await?;
    println!("$LATEST: {}", out.payload());

    // $LATEST moves to config v2; version 1 keeps v1.
    lambda
        .update_function_configuration()
        .function_name("greeter")
        .layers(vec![
            config_v2.layer_version_arn().to_owned(),
            tools.layer_version_arn().to_owned(),
        ])
        .send()
        .await?;
    let latest = lambda.invoke().function_name("greeter").send().await?;
    let v1 = lambda.invoke().function_name("greeter:1").send().await?;
    println!("$LATEST: {}", latest.payload()["message"]);
    println!("version 1: {}", v1.payload()["message"]);

    // Deleting a layer version hides it from the layer APIs, not from its functions.
    lambda
        .delete_layer_version()
        .layer_name("app-config")
        .version_number(1)
        .send()
        .await?;
    let versions = lambda
        .list_layer_versions()
        .layer_name("app-config")
        .send()
        .await?;
    println!(
        "app-config versions left: {:?}",
        versions
            .layer_versions()
            .iter()
            .map(|v| v.version())
            .collect::<Vec<_>>()
    );
    let still = lambda.invoke().function_name("greeter:1").send().await?;
    println!("version 1 after the delete: {}", still.payload()["message"]);

    let err = lambda
        .update_function_configuration()
        .function_name("greeter")
        .layers(vec![config_v1.layer_version_arn().to_owned()])
        .send()
        .await
        .unwrap_err();
    println!("{}: {}", err.code(), err.message());
    Ok(())
}
