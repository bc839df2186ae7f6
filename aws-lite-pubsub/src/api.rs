//! [`SnsApi`]: the SNS contract as one object-safe trait, one async method per operation.
//!
//! An application that holds an `Arc<dyn SnsApi>` runs unchanged against the in-memory engine
//! ([`Sns`] implements the trait) and, later, against an adapter over the real service. Each
//! method takes the operation's input struct and returns its output struct; the structs carry
//! the parameter names of the SNS API, so a wire layer is decode → call → encode.
//!
//! ```
//! use std::sync::Arc;
//! use aws_lite_pubsub::api::SnsApi;
//! use aws_lite_pubsub::operation::create_topic::CreateTopicInput;
//! use aws_lite_pubsub::operation::publish::PublishInput;
//! use aws_lite_pubsub::Sns;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sns: Arc<dyn SnsApi> = Arc::new(Sns::new());
//! let mut create = CreateTopicInput::default();
//! create.name = Some("alerts".into());
//! let arn = sns.create_topic(create).await?.topic_arn().to_string();
//! let mut publish = PublishInput::default();
//! publish.topic_arn = Some(arn);
//! publish.message = Some("disk full".into());
//! assert!(!sns.publish(publish).await?.message_id().is_empty());
//! # Ok(()) }
//! ```

use async_trait::async_trait;
use aws_lite_core::Error;

use crate::Sns;
use crate::operation::add_permission::{self, AddPermissionInput, AddPermissionOutput};
use crate::operation::confirm_subscription::{
    self, ConfirmSubscriptionInput, ConfirmSubscriptionOutput,
};
use crate::operation::create_topic::{self, CreateTopicInput, CreateTopicOutput};
use crate::operation::delete_topic::{self, DeleteTopicInput, DeleteTopicOutput};
use crate::operation::get_subscription_attributes::{
    self, GetSubscriptionAttributesInput, GetSubscriptionAttributesOutput,
};
use crate::operation::get_topic_attributes::{
    self, GetTopicAttributesInput, GetTopicAttributesOutput,
};
use crate::operation::list_subscriptions::{self, ListSubscriptionsInput, ListSubscriptionsOutput};
use crate::operation::list_subscriptions_by_topic::{self, ListSubscriptionsByTopicInput};
use crate::operation::list_tags_for_resource::{
    self, ListTagsForResourceInput, ListTagsForResourceOutput,
};
use crate::operation::list_topics::{self, ListTopicsInput, ListTopicsOutput};
use crate::operation::publish::{self, PublishInput, PublishOutput};
use crate::operation::publish_batch::{self, PublishBatchInput, PublishBatchOutput};
use crate::operation::remove_permission::{self, RemovePermissionInput, RemovePermissionOutput};
use crate::operation::set_subscription_attributes::{
    self, SetSubscriptionAttributesInput, SetSubscriptionAttributesOutput,
};
use crate::operation::set_topic_attributes::{
    self, SetTopicAttributesInput, SetTopicAttributesOutput,
};
use crate::operation::subscribe::{self, SubscribeInput, SubscribeOutput};
use crate::operation::tag_resource::{self, TagResourceInput, TagResourceOutput};
use crate::operation::unsubscribe::{self, UnsubscribeInput, UnsubscribeOutput};
use crate::operation::untag_resource::{self, UntagResourceInput, UntagResourceOutput};

/// The SNS topic and subscription operations, object-safe (`Arc<dyn SnsApi>`).
#[async_trait]
pub trait SnsApi: Send + Sync {
    /// AddPermission.
    async fn add_permission(&self, input: AddPermissionInput)
    -> Result<AddPermissionOutput, Error>;
    /// ConfirmSubscription.
    async fn confirm_subscription(
        &self,
        input: ConfirmSubscriptionInput,
    ) -> Result<ConfirmSubscriptionOutput, Error>;
    /// CreateTopic.
    async fn create_topic(&self, input: CreateTopicInput) -> Result<CreateTopicOutput, Error>;
    /// DeleteTopic.
    async fn delete_topic(&self, input: DeleteTopicInput) -> Result<DeleteTopicOutput, Error>;
    /// GetSubscriptionAttributes.
    async fn get_subscription_attributes(
        &self,
        input: GetSubscriptionAttributesInput,
    ) -> Result<GetSubscriptionAttributesOutput, Error>;
    /// GetTopicAttributes.
    async fn get_topic_attributes(
        &self,
        input: GetTopicAttributesInput,
    ) -> Result<GetTopicAttributesOutput, Error>;
    /// ListSubscriptions.
    async fn list_subscriptions(
        &self,
        input: ListSubscriptionsInput,
    ) -> Result<ListSubscriptionsOutput, Error>;
    /// ListSubscriptionsByTopic.
    async fn list_subscriptions_by_topic(
        &self,
        input: ListSubscriptionsByTopicInput,
    ) -> Result<ListSubscriptionsOutput, Error>;
    /// ListTagsForResource.
    async fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, Error>;
    /// ListTopics.
    async fn list_topics(&self, input: ListTopicsInput) -> Result<ListTopicsOutput, Error>;
    /// Publish.
    async fn publish(&self, input: PublishInput) -> Result<PublishOutput, Error>;
    /// PublishBatch.
    async fn publish_batch(&self, input: PublishBatchInput) -> Result<PublishBatchOutput, Error>;
    /// RemovePermission.
    async fn remove_permission(
        &self,
        input: RemovePermissionInput,
    ) -> Result<RemovePermissionOutput, Error>;
    /// SetSubscriptionAttributes.
    async fn set_subscription_attributes(
        &self,
        input: SetSubscriptionAttributesInput,
    ) -> Result<SetSubscriptionAttributesOutput, Error>;
    /// SetTopicAttributes.
    async fn set_topic_attributes(
        &self,
        input: SetTopicAttributesInput,
    ) -> Result<SetTopicAttributesOutput, Error>;
    /// Subscribe.
    async fn subscribe(&self, input: SubscribeInput) -> Result<SubscribeOutput, Error>;
    /// TagResource.
    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error>;
    /// Unsubscribe.
    async fn unsubscribe(&self, input: UnsubscribeInput) -> Result<UnsubscribeOutput, Error>;
    /// UntagResource.
    async fn untag_resource(&self, input: UntagResourceInput)
    -> Result<UntagResourceOutput, Error>;
}

#[async_trait]
impl SnsApi for Sns {
    async fn add_permission(
        &self,
        input: AddPermissionInput,
    ) -> Result<AddPermissionOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        add_permission::add_permission(self, &topic, input)
    }

    async fn confirm_subscription(
        &self,
        input: ConfirmSubscriptionInput,
    ) -> Result<ConfirmSubscriptionOutput, Error> {
        confirm_subscription::confirm_subscription(self, input)
    }

    async fn create_topic(&self, input: CreateTopicInput) -> Result<CreateTopicOutput, Error> {
        create_topic::create_topic(self, input)
    }

    async fn delete_topic(&self, input: DeleteTopicInput) -> Result<DeleteTopicOutput, Error> {
        delete_topic::delete_topic(self, None, input)
    }

    async fn get_subscription_attributes(
        &self,
        input: GetSubscriptionAttributesInput,
    ) -> Result<GetSubscriptionAttributesOutput, Error> {
        get_subscription_attributes::get_subscription_attributes(self, input)
    }

    async fn get_topic_attributes(
        &self,
        input: GetTopicAttributesInput,
    ) -> Result<GetTopicAttributesOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        get_topic_attributes::get_topic_attributes(self, &topic)
    }

    async fn list_subscriptions(
        &self,
        input: ListSubscriptionsInput,
    ) -> Result<ListSubscriptionsOutput, Error> {
        list_subscriptions::list_subscriptions(self, input)
    }

    async fn list_subscriptions_by_topic(
        &self,
        input: ListSubscriptionsByTopicInput,
    ) -> Result<ListSubscriptionsOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        list_subscriptions_by_topic::list_subscriptions_by_topic(self, &topic, input)
    }

    async fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, Error> {
        list_tags_for_resource::list_tags_for_resource(self, input)
    }

    async fn list_topics(&self, input: ListTopicsInput) -> Result<ListTopicsOutput, Error> {
        list_topics::list_topics(self, input)
    }

    async fn publish(&self, input: PublishInput) -> Result<PublishOutput, Error> {
        let Some(arn) = input.topic_arn.clone().or_else(|| input.target_arn.clone()) else {
            return Err(publish::missing_target());
        };
        let topic = self.inner.lookup_topic(&arn)?;
        publish::publish(self, &topic, input).await
    }

    async fn publish_batch(&self, input: PublishBatchInput) -> Result<PublishBatchOutput, Error> {
        publish_batch::publish_batch(self, None, input).await
    }

    async fn remove_permission(
        &self,
        input: RemovePermissionInput,
    ) -> Result<RemovePermissionOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        remove_permission::remove_permission(self, &topic, input)
    }

    async fn set_subscription_attributes(
        &self,
        input: SetSubscriptionAttributesInput,
    ) -> Result<SetSubscriptionAttributesOutput, Error> {
        set_subscription_attributes::set_subscription_attributes(self, input)
    }

    async fn set_topic_attributes(
        &self,
        input: SetTopicAttributesInput,
    ) -> Result<SetTopicAttributesOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        set_topic_attributes::set_topic_attributes(self, &topic, input)
    }

    async fn subscribe(&self, input: SubscribeInput) -> Result<SubscribeOutput, Error> {
        let topic = self
            .inner
            .lookup_topic(input.topic_arn.as_deref().unwrap_or_default())?;
        subscribe::subscribe(self, &topic, input).await
    }

    async fn tag_resource(&self, input: TagResourceInput) -> Result<TagResourceOutput, Error> {
        tag_resource::tag_resource(self, input)
    }

    async fn unsubscribe(&self, input: UnsubscribeInput) -> Result<UnsubscribeOutput, Error> {
        unsubscribe::unsubscribe(self, input)
    }

    async fn untag_resource(
        &self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, Error> {
        untag_resource::untag_resource(self, input)
    }
}
