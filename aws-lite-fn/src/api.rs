//! [`LambdaApi`]: the Lambda contract as one object-safe trait, one async method per operation.
//!
//! An application holding an `Arc<dyn LambdaApi>` runs unchanged against the in-memory engine
//! ([`Lambda`] implements the trait) and, later, against an adapter over the real service. Each
//! method takes the operation's input struct and returns its output struct.
//!
//! ```
//! use std::sync::Arc;
//! use aws_lite_fn::api::LambdaApi;
//! use aws_lite_fn::operation::create_function::CreateFunctionInput;
//! use aws_lite_fn::operation::invoke::InvokeInput;
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::{json, Value};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda: Arc<dyn LambdaApi> = Arc::new(Lambda::new());
//! let mut create = CreateFunctionInput::default();
//! create.function_name = Some("double".into());
//! create.code = Some(Code::from_service(service_fn(|e: Event<u64>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload * 2)
//! })));
//! lambda.create_function(create).await?;
//! let mut invoke = InvokeInput::default();
//! invoke.function_name = Some("double".into());
//! invoke.payload = Some(json!(21));
//! assert_eq!(lambda.invoke(invoke).await?.payload(), &json!(42));
//! # let _: Option<Value> = None;
//! # Ok(()) }
//! ```

use async_trait::async_trait;
use aws_lite_core::Error;

use crate::Lambda;

use crate::operation::create_alias::{self, CreateAliasInput, CreateAliasOutput};
use crate::operation::create_function::{self, CreateFunctionInput, CreateFunctionOutput};
use crate::operation::delete_alias::{self, DeleteAliasInput, DeleteAliasOutput};
use crate::operation::delete_function::{self, DeleteFunctionInput, DeleteFunctionOutput};
use crate::operation::delete_function_concurrency::{
    self, DeleteFunctionConcurrencyInput, DeleteFunctionConcurrencyOutput,
};
use crate::operation::delete_provisioned_concurrency_config::{
    self, DeleteProvisionedConcurrencyConfigInput, DeleteProvisionedConcurrencyConfigOutput,
};
use crate::operation::get_alias::{self, GetAliasInput, GetAliasOutput};
use crate::operation::get_function::{self, GetFunctionInput, GetFunctionOutput};
use crate::operation::get_function_concurrency::{
    self, GetFunctionConcurrencyInput, GetFunctionConcurrencyOutput,
};
use crate::operation::get_provisioned_concurrency_config::{
    self, GetProvisionedConcurrencyConfigInput, GetProvisionedConcurrencyConfigOutput,
};
use crate::operation::invoke::{self, InvokeInput, InvokeOutput};
use crate::operation::list_aliases::{self, ListAliasesInput, ListAliasesOutput};
use crate::operation::list_functions::{self, ListFunctionsInput, ListFunctionsOutput};
use crate::operation::list_versions_by_function::{
    self, ListVersionsByFunctionInput, ListVersionsByFunctionOutput,
};
use crate::operation::publish_version::{self, PublishVersionInput, PublishVersionOutput};
use crate::operation::put_function_concurrency::{
    self, PutFunctionConcurrencyInput, PutFunctionConcurrencyOutput,
};
use crate::operation::put_provisioned_concurrency_config::{
    self, PutProvisionedConcurrencyConfigInput, PutProvisionedConcurrencyConfigOutput,
};
use crate::operation::update_alias::{self, UpdateAliasInput, UpdateAliasOutput};
use crate::operation::update_function_code::{
    self, UpdateFunctionCodeInput, UpdateFunctionCodeOutput,
};
use crate::operation::update_function_configuration::{
    self, UpdateFunctionConfigurationInput, UpdateFunctionConfigurationOutput,
};

/// The Lambda operations aws-lite implements, object-safe (`Arc<dyn LambdaApi>`).
#[async_trait]
pub trait LambdaApi: Send + Sync {
    /// CreateEventSourceMapping (feature `queue`).
    #[cfg(feature = "queue")]
    async fn create_event_source_mapping(
        &self,
        input: crate::operation::create_event_source_mapping::CreateEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error>;
    /// DeleteEventSourceMapping (feature `queue`).
    #[cfg(feature = "queue")]
    async fn delete_event_source_mapping(
        &self,
        input: crate::operation::delete_event_source_mapping::DeleteEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error>;
    /// GetEventSourceMapping (feature `queue`).
    #[cfg(feature = "queue")]
    async fn get_event_source_mapping(
        &self,
        input: crate::operation::get_event_source_mapping::GetEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error>;
    /// ListEventSourceMappings (feature `queue`).
    #[cfg(feature = "queue")]
    async fn list_event_source_mappings(
        &self,
        input: crate::operation::list_event_source_mappings::ListEventSourceMappingsInput,
    ) -> Result<crate::operation::list_event_source_mappings::ListEventSourceMappingsOutput, Error>;
    /// UpdateEventSourceMapping (feature `queue`).
    #[cfg(feature = "queue")]
    async fn update_event_source_mapping(
        &self,
        input: crate::operation::update_event_source_mapping::UpdateEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error>;
    /// CreateAlias.
    async fn create_alias(&self, input: CreateAliasInput) -> Result<CreateAliasOutput, Error>;
    /// CreateFunction.
    async fn create_function(
        &self,
        input: CreateFunctionInput,
    ) -> Result<CreateFunctionOutput, Error>;
    /// DeleteAlias.
    async fn delete_alias(&self, input: DeleteAliasInput) -> Result<DeleteAliasOutput, Error>;
    /// DeleteFunction.
    async fn delete_function(
        &self,
        input: DeleteFunctionInput,
    ) -> Result<DeleteFunctionOutput, Error>;
    /// DeleteFunctionConcurrency.
    async fn delete_function_concurrency(
        &self,
        input: DeleteFunctionConcurrencyInput,
    ) -> Result<DeleteFunctionConcurrencyOutput, Error>;
    /// DeleteProvisionedConcurrencyConfig.
    async fn delete_provisioned_concurrency_config(
        &self,
        input: DeleteProvisionedConcurrencyConfigInput,
    ) -> Result<DeleteProvisionedConcurrencyConfigOutput, Error>;
    /// GetAlias.
    async fn get_alias(&self, input: GetAliasInput) -> Result<GetAliasOutput, Error>;
    /// GetFunction.
    async fn get_function(&self, input: GetFunctionInput) -> Result<GetFunctionOutput, Error>;
    /// GetFunctionConcurrency.
    async fn get_function_concurrency(
        &self,
        input: GetFunctionConcurrencyInput,
    ) -> Result<GetFunctionConcurrencyOutput, Error>;
    /// GetProvisionedConcurrencyConfig.
    async fn get_provisioned_concurrency_config(
        &self,
        input: GetProvisionedConcurrencyConfigInput,
    ) -> Result<GetProvisionedConcurrencyConfigOutput, Error>;
    /// Invoke.
    async fn invoke(&self, input: InvokeInput) -> Result<InvokeOutput, Error>;
    /// ListAliases.
    async fn list_aliases(&self, input: ListAliasesInput) -> Result<ListAliasesOutput, Error>;
    /// ListFunctions.
    async fn list_functions(&self, input: ListFunctionsInput)
    -> Result<ListFunctionsOutput, Error>;
    /// ListVersionsByFunction.
    async fn list_versions_by_function(
        &self,
        input: ListVersionsByFunctionInput,
    ) -> Result<ListVersionsByFunctionOutput, Error>;
    /// PublishVersion.
    async fn publish_version(
        &self,
        input: PublishVersionInput,
    ) -> Result<PublishVersionOutput, Error>;
    /// PutFunctionEventInvokeConfig.
    async fn put_function_event_invoke_config(
        &self,
        input: crate::operation::put_function_event_invoke_config::PutFunctionEventInvokeConfigInput,
    ) -> Result<
        crate::operation::put_function_event_invoke_config::PutFunctionEventInvokeConfigOutput,
        Error,
    >;
    /// GetFunctionEventInvokeConfig.
    async fn get_function_event_invoke_config(
        &self,
        input: crate::operation::get_function_event_invoke_config::GetFunctionEventInvokeConfigInput,
    ) -> Result<
        crate::operation::get_function_event_invoke_config::GetFunctionEventInvokeConfigOutput,
        Error,
    >;
    /// UpdateFunctionEventInvokeConfig.
    async fn update_function_event_invoke_config(
        &self,
        input: crate::operation::update_function_event_invoke_config::UpdateFunctionEventInvokeConfigInput,
    ) -> Result<crate::operation::update_function_event_invoke_config::UpdateFunctionEventInvokeConfigOutput, Error>;
    /// DeleteFunctionEventInvokeConfig.
    async fn delete_function_event_invoke_config(
        &self,
        input: crate::operation::delete_function_event_invoke_config::DeleteFunctionEventInvokeConfigInput,
    ) -> Result<crate::operation::delete_function_event_invoke_config::DeleteFunctionEventInvokeConfigOutput, Error>;
    /// ListFunctionEventInvokeConfigs.
    async fn list_function_event_invoke_configs(
        &self,
        input: crate::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsInput,
    ) -> Result<
        crate::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsOutput,
        Error,
    >;
    /// PutFunctionConcurrency.
    async fn put_function_concurrency(
        &self,
        input: PutFunctionConcurrencyInput,
    ) -> Result<PutFunctionConcurrencyOutput, Error>;
    /// PutProvisionedConcurrencyConfig.
    async fn put_provisioned_concurrency_config(
        &self,
        input: PutProvisionedConcurrencyConfigInput,
    ) -> Result<PutProvisionedConcurrencyConfigOutput, Error>;
    /// UpdateAlias.
    async fn update_alias(&self, input: UpdateAliasInput) -> Result<UpdateAliasOutput, Error>;
    /// UpdateFunctionCode.
    async fn update_function_code(
        &self,
        input: UpdateFunctionCodeInput,
    ) -> Result<UpdateFunctionCodeOutput, Error>;
    /// UpdateFunctionConfiguration.
    async fn update_function_configuration(
        &self,
        input: UpdateFunctionConfigurationInput,
    ) -> Result<UpdateFunctionConfigurationOutput, Error>;
    /// PublishLayerVersion.
    async fn publish_layer_version(
        &self,
        input: crate::operation::publish_layer_version::PublishLayerVersionInput,
    ) -> Result<crate::operation::publish_layer_version::PublishLayerVersionOutput, Error>;
    /// GetLayerVersion.
    async fn get_layer_version(
        &self,
        input: crate::operation::get_layer_version::GetLayerVersionInput,
    ) -> Result<crate::operation::get_layer_version::GetLayerVersionOutput, Error>;
    /// GetLayerVersionByArn.
    async fn get_layer_version_by_arn(
        &self,
        input: crate::operation::get_layer_version_by_arn::GetLayerVersionByArnInput,
    ) -> Result<crate::operation::get_layer_version_by_arn::GetLayerVersionByArnOutput, Error>;
    /// ListLayers.
    async fn list_layers(
        &self,
        input: crate::operation::list_layers::ListLayersInput,
    ) -> Result<crate::operation::list_layers::ListLayersOutput, Error>;
    /// ListLayerVersions.
    async fn list_layer_versions(
        &self,
        input: crate::operation::list_layer_versions::ListLayerVersionsInput,
    ) -> Result<crate::operation::list_layer_versions::ListLayerVersionsOutput, Error>;
    /// DeleteLayerVersion.
    async fn delete_layer_version(
        &self,
        input: crate::operation::delete_layer_version::DeleteLayerVersionInput,
    ) -> Result<crate::operation::delete_layer_version::DeleteLayerVersionOutput, Error>;
}

#[async_trait]
impl LambdaApi for Lambda {
    #[cfg(feature = "queue")]
    async fn create_event_source_mapping(
        &self,
        input: crate::operation::create_event_source_mapping::CreateEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error> {
        crate::operation::create_event_source_mapping::create_event_source_mapping(self, input)
            .await
    }
    #[cfg(feature = "queue")]
    async fn delete_event_source_mapping(
        &self,
        input: crate::operation::delete_event_source_mapping::DeleteEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error> {
        crate::operation::delete_event_source_mapping::delete_event_source_mapping(self, input)
            .await
    }
    #[cfg(feature = "queue")]
    async fn get_event_source_mapping(
        &self,
        input: crate::operation::get_event_source_mapping::GetEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error> {
        crate::operation::get_event_source_mapping::get_event_source_mapping(self, input).await
    }
    #[cfg(feature = "queue")]
    async fn list_event_source_mappings(
        &self,
        input: crate::operation::list_event_source_mappings::ListEventSourceMappingsInput,
    ) -> Result<crate::operation::list_event_source_mappings::ListEventSourceMappingsOutput, Error>
    {
        crate::operation::list_event_source_mappings::list_event_source_mappings(self, input).await
    }
    #[cfg(feature = "queue")]
    async fn update_event_source_mapping(
        &self,
        input: crate::operation::update_event_source_mapping::UpdateEventSourceMappingInput,
    ) -> Result<crate::esm::EventSourceMappingConfiguration, Error> {
        crate::operation::update_event_source_mapping::update_event_source_mapping(self, input)
            .await
    }
    async fn create_alias(&self, input: CreateAliasInput) -> Result<CreateAliasOutput, Error> {
        create_alias::create_alias(self, input).await
    }
    async fn create_function(
        &self,
        input: CreateFunctionInput,
    ) -> Result<CreateFunctionOutput, Error> {
        create_function::create_function(self, input).await
    }
    async fn delete_alias(&self, input: DeleteAliasInput) -> Result<DeleteAliasOutput, Error> {
        delete_alias::delete_alias(self, input).await
    }
    async fn delete_function(
        &self,
        input: DeleteFunctionInput,
    ) -> Result<DeleteFunctionOutput, Error> {
        delete_function::delete_function(self, input).await
    }
    async fn delete_function_concurrency(
        &self,
        input: DeleteFunctionConcurrencyInput,
    ) -> Result<DeleteFunctionConcurrencyOutput, Error> {
        delete_function_concurrency::delete_function_concurrency(self, input).await
    }
    async fn delete_provisioned_concurrency_config(
        &self,
        input: DeleteProvisionedConcurrencyConfigInput,
    ) -> Result<DeleteProvisionedConcurrencyConfigOutput, Error> {
        delete_provisioned_concurrency_config::delete_provisioned_concurrency_config(self, input)
            .await
    }
    async fn get_alias(&self, input: GetAliasInput) -> Result<GetAliasOutput, Error> {
        get_alias::get_alias(self, input).await
    }
    async fn get_function(&self, input: GetFunctionInput) -> Result<GetFunctionOutput, Error> {
        get_function::get_function(self, input).await
    }
    async fn get_function_concurrency(
        &self,
        input: GetFunctionConcurrencyInput,
    ) -> Result<GetFunctionConcurrencyOutput, Error> {
        get_function_concurrency::get_function_concurrency(self, input).await
    }
    async fn get_provisioned_concurrency_config(
        &self,
        input: GetProvisionedConcurrencyConfigInput,
    ) -> Result<GetProvisionedConcurrencyConfigOutput, Error> {
        get_provisioned_concurrency_config::get_provisioned_concurrency_config(self, input).await
    }
    async fn invoke(&self, input: InvokeInput) -> Result<InvokeOutput, Error> {
        invoke::invoke(self.clone(), input).await
    }
    async fn list_aliases(&self, input: ListAliasesInput) -> Result<ListAliasesOutput, Error> {
        list_aliases::list_aliases(self, input).await
    }
    async fn list_functions(
        &self,
        input: ListFunctionsInput,
    ) -> Result<ListFunctionsOutput, Error> {
        list_functions::list_functions(self, input).await
    }
    async fn list_versions_by_function(
        &self,
        input: ListVersionsByFunctionInput,
    ) -> Result<ListVersionsByFunctionOutput, Error> {
        list_versions_by_function::list_versions_by_function(self, input).await
    }
    async fn publish_version(
        &self,
        input: PublishVersionInput,
    ) -> Result<PublishVersionOutput, Error> {
        publish_version::publish_version(self, input).await
    }
    async fn put_function_event_invoke_config(
        &self,
        input: crate::operation::put_function_event_invoke_config::PutFunctionEventInvokeConfigInput,
    ) -> Result<
        crate::operation::put_function_event_invoke_config::PutFunctionEventInvokeConfigOutput,
        Error,
    > {
        crate::operation::put_function_event_invoke_config::put_function_event_invoke_config(
            self, input,
        )
        .await
    }
    async fn get_function_event_invoke_config(
        &self,
        input: crate::operation::get_function_event_invoke_config::GetFunctionEventInvokeConfigInput,
    ) -> Result<
        crate::operation::get_function_event_invoke_config::GetFunctionEventInvokeConfigOutput,
        Error,
    > {
        crate::operation::get_function_event_invoke_config::get_function_event_invoke_config(
            self, input,
        )
        .await
    }
    async fn update_function_event_invoke_config(
        &self,
        input: crate::operation::update_function_event_invoke_config::UpdateFunctionEventInvokeConfigInput,
    ) -> Result<crate::operation::update_function_event_invoke_config::UpdateFunctionEventInvokeConfigOutput, Error>{
        crate::operation::update_function_event_invoke_config::update_function_event_invoke_config(
            self, input,
        )
        .await
    }
    async fn delete_function_event_invoke_config(
        &self,
        input: crate::operation::delete_function_event_invoke_config::DeleteFunctionEventInvokeConfigInput,
    ) -> Result<crate::operation::delete_function_event_invoke_config::DeleteFunctionEventInvokeConfigOutput, Error>{
        crate::operation::delete_function_event_invoke_config::delete_function_event_invoke_config(
            self, input,
        )
        .await
    }
    async fn list_function_event_invoke_configs(
        &self,
        input: crate::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsInput,
    ) -> Result<
        crate::operation::list_function_event_invoke_configs::ListFunctionEventInvokeConfigsOutput,
        Error,
    > {
        crate::operation::list_function_event_invoke_configs::list_function_event_invoke_configs(
            self, input,
        )
        .await
    }
    async fn put_function_concurrency(
        &self,
        input: PutFunctionConcurrencyInput,
    ) -> Result<PutFunctionConcurrencyOutput, Error> {
        put_function_concurrency::put_function_concurrency(self, input).await
    }
    async fn put_provisioned_concurrency_config(
        &self,
        input: PutProvisionedConcurrencyConfigInput,
    ) -> Result<PutProvisionedConcurrencyConfigOutput, Error> {
        put_provisioned_concurrency_config::put_provisioned_concurrency_config(self, input).await
    }
    async fn update_alias(&self, input: UpdateAliasInput) -> Result<UpdateAliasOutput, Error> {
        update_alias::update_alias(self, input).await
    }
    async fn update_function_code(
        &self,
        input: UpdateFunctionCodeInput,
    ) -> Result<UpdateFunctionCodeOutput, Error> {
        update_function_code::update_function_code(self, input).await
    }
    async fn update_function_configuration(
        &self,
        input: UpdateFunctionConfigurationInput,
    ) -> Result<UpdateFunctionConfigurationOutput, Error> {
        update_function_configuration::update_function_configuration(self, input).await
    }
    async fn publish_layer_version(
        &self,
        input: crate::operation::publish_layer_version::PublishLayerVersionInput,
    ) -> Result<crate::operation::publish_layer_version::PublishLayerVersionOutput, Error> {
        crate::operation::publish_layer_version::publish_layer_version(self, input).await
    }
    async fn get_layer_version(
        &self,
        input: crate::operation::get_layer_version::GetLayerVersionInput,
    ) -> Result<crate::operation::get_layer_version::GetLayerVersionOutput, Error> {
        crate::operation::get_layer_version::get_layer_version(self, input).await
    }
    async fn get_layer_version_by_arn(
        &self,
        input: crate::operation::get_layer_version_by_arn::GetLayerVersionByArnInput,
    ) -> Result<crate::operation::get_layer_version_by_arn::GetLayerVersionByArnOutput, Error> {
        crate::operation::get_layer_version_by_arn::get_layer_version_by_arn(self, input).await
    }
    async fn list_layers(
        &self,
        input: crate::operation::list_layers::ListLayersInput,
    ) -> Result<crate::operation::list_layers::ListLayersOutput, Error> {
        crate::operation::list_layers::list_layers(self, input).await
    }
    async fn list_layer_versions(
        &self,
        input: crate::operation::list_layer_versions::ListLayerVersionsInput,
    ) -> Result<crate::operation::list_layer_versions::ListLayerVersionsOutput, Error> {
        crate::operation::list_layer_versions::list_layer_versions(self, input).await
    }
    async fn delete_layer_version(
        &self,
        input: crate::operation::delete_layer_version::DeleteLayerVersionInput,
    ) -> Result<crate::operation::delete_layer_version::DeleteLayerVersionOutput, Error> {
        crate::operation::delete_layer_version::delete_layer_version(self, input).await
    }
}
