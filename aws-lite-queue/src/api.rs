//! [`SqsApi`]: the SQS contract as one object-safe trait, one async method per operation.
//!
//! An application that holds an `Arc<dyn SqsApi>` runs unchanged against the in-memory engine
//! ([`Sqs`] implements the trait) and, later, against an adapter over the real service. Each
//! method takes the operation's input struct and returns its output struct; the structs carry the
//! field names of the SQS JSON protocol, so a wire layer is deserialize → call → serialize.
//!
//! The fluent builders (`sqs.send_message()…send()`) reach the same code without boxing and are
//! the faster path in process; the trait is for code that must not name the backend.
//!
//! ```
//! use std::sync::Arc;
//! use aws_lite_queue::api::SqsApi;
//! use aws_lite_queue::operation::create_queue::CreateQueueInput;
//! use aws_lite_queue::operation::send_message::SendMessageInput;
//! use aws_lite_queue::Sqs;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs: Arc<dyn SqsApi> = Arc::new(Sqs::new());
//! let mut create = CreateQueueInput::default();
//! create.queue_name = "jobs".into();
//! let url = sqs.create_queue(create).await?.queue_url().to_string();
//! let mut send = SendMessageInput::default();
//! send.queue_url = url;
//! send.message_body = Some("run".into());
//! let out = sqs.send_message(send).await?;
//! assert_eq!(out.md5_of_message_body(), "a53108f7543b75adbb34afc035d4cdf6");
//! # Ok(()) }
//! ```

use async_trait::async_trait;
use aws_lite_core::Error;

use crate::Sqs;
use crate::operation::add_permission::{self, AddPermissionInput, AddPermissionOutput};
use crate::operation::cancel_message_move_task::{
    self, CancelMessageMoveTaskInput, CancelMessageMoveTaskOutput,
};
use crate::operation::change_message_visibility::{
    self, ChangeMessageVisibilityInput, ChangeMessageVisibilityOutput,
};
use crate::operation::change_message_visibility_batch::{
    self, ChangeMessageVisibilityBatchInput, ChangeMessageVisibilityBatchOutput,
};
use crate::operation::create_queue::{self, CreateQueueInput, CreateQueueOutput};
use crate::operation::delete_message::{self, DeleteMessageInput, DeleteMessageOutput};
use crate::operation::delete_message_batch::{
    self, DeleteMessageBatchInput, DeleteMessageBatchOutput,
};
use crate::operation::delete_queue::{self, DeleteQueueInput, DeleteQueueOutput};
use crate::operation::get_queue_attributes::{
    self, GetQueueAttributesInput, GetQueueAttributesOutput,
};
use crate::operation::get_queue_url::{self, GetQueueUrlInput, GetQueueUrlOutput};
use crate::operation::list_dead_letter_source_queues::{
    self, ListDeadLetterSourceQueuesInput, ListDeadLetterSourceQueuesOutput,
};
use crate::operation::list_message_move_tasks::{
    self, ListMessageMoveTasksInput, ListMessageMoveTasksOutput,
};
use crate::operation::list_queue_tags::{self, ListQueueTagsInput, ListQueueTagsOutput};
use crate::operation::list_queues::{self, ListQueuesInput, ListQueuesOutput};
use crate::operation::purge_queue::{self, PurgeQueueInput, PurgeQueueOutput};
use crate::operation::receive_message::{self, ReceiveMessageInput, ReceiveMessageOutput};
use crate::operation::remove_permission::{self, RemovePermissionInput, RemovePermissionOutput};
use crate::operation::send_message::{self, SendMessageInput, SendMessageOutput};
use crate::operation::send_message_batch::{self, SendMessageBatchInput, SendMessageBatchOutput};
use crate::operation::set_queue_attributes::{
    self, SetQueueAttributesInput, SetQueueAttributesOutput,
};
use crate::operation::start_message_move_task::{
    self, StartMessageMoveTaskInput, StartMessageMoveTaskOutput,
};
use crate::operation::tag_queue::{self, TagQueueInput, TagQueueOutput};
use crate::operation::untag_queue::{self, UntagQueueInput, UntagQueueOutput};

/// The 23 SQS operations, object-safe (`Arc<dyn SqsApi>`).
#[async_trait]
pub trait SqsApi: Send + Sync {
    /// AddPermission.
    async fn add_permission(&self, input: AddPermissionInput)
    -> Result<AddPermissionOutput, Error>;
    /// CancelMessageMoveTask.
    async fn cancel_message_move_task(
        &self,
        input: CancelMessageMoveTaskInput,
    ) -> Result<CancelMessageMoveTaskOutput, Error>;
    /// ChangeMessageVisibility.
    async fn change_message_visibility(
        &self,
        input: ChangeMessageVisibilityInput,
    ) -> Result<ChangeMessageVisibilityOutput, Error>;
    /// ChangeMessageVisibilityBatch.
    async fn change_message_visibility_batch(
        &self,
        input: ChangeMessageVisibilityBatchInput,
    ) -> Result<ChangeMessageVisibilityBatchOutput, Error>;
    /// CreateQueue.
    async fn create_queue(&self, input: CreateQueueInput) -> Result<CreateQueueOutput, Error>;
    /// DeleteMessage.
    async fn delete_message(&self, input: DeleteMessageInput)
    -> Result<DeleteMessageOutput, Error>;
    /// DeleteMessageBatch.
    async fn delete_message_batch(
        &self,
        input: DeleteMessageBatchInput,
    ) -> Result<DeleteMessageBatchOutput, Error>;
    /// DeleteQueue.
    async fn delete_queue(&self, input: DeleteQueueInput) -> Result<DeleteQueueOutput, Error>;
    /// GetQueueAttributes.
    async fn get_queue_attributes(
        &self,
        input: GetQueueAttributesInput,
    ) -> Result<GetQueueAttributesOutput, Error>;
    /// GetQueueUrl.
    async fn get_queue_url(&self, input: GetQueueUrlInput) -> Result<GetQueueUrlOutput, Error>;
    /// ListDeadLetterSourceQueues.
    async fn list_dead_letter_source_queues(
        &self,
        input: ListDeadLetterSourceQueuesInput,
    ) -> Result<ListDeadLetterSourceQueuesOutput, Error>;
    /// ListMessageMoveTasks.
    async fn list_message_move_tasks(
        &self,
        input: ListMessageMoveTasksInput,
    ) -> Result<ListMessageMoveTasksOutput, Error>;
    /// ListQueueTags.
    async fn list_queue_tags(
        &self,
        input: ListQueueTagsInput,
    ) -> Result<ListQueueTagsOutput, Error>;
    /// ListQueues.
    async fn list_queues(&self, input: ListQueuesInput) -> Result<ListQueuesOutput, Error>;
    /// PurgeQueue.
    async fn purge_queue(&self, input: PurgeQueueInput) -> Result<PurgeQueueOutput, Error>;
    /// ReceiveMessage (long polls on the service clock).
    async fn receive_message(
        &self,
        input: ReceiveMessageInput,
    ) -> Result<ReceiveMessageOutput, Error>;
    /// RemovePermission.
    async fn remove_permission(
        &self,
        input: RemovePermissionInput,
    ) -> Result<RemovePermissionOutput, Error>;
    /// SendMessage.
    async fn send_message(&self, input: SendMessageInput) -> Result<SendMessageOutput, Error>;
    /// SendMessageBatch.
    async fn send_message_batch(
        &self,
        input: SendMessageBatchInput,
    ) -> Result<SendMessageBatchOutput, Error>;
    /// SetQueueAttributes.
    async fn set_queue_attributes(
        &self,
        input: SetQueueAttributesInput,
    ) -> Result<SetQueueAttributesOutput, Error>;
    /// StartMessageMoveTask.
    async fn start_message_move_task(
        &self,
        input: StartMessageMoveTaskInput,
    ) -> Result<StartMessageMoveTaskOutput, Error>;
    /// TagQueue.
    async fn tag_queue(&self, input: TagQueueInput) -> Result<TagQueueOutput, Error>;
    /// UntagQueue.
    async fn untag_queue(&self, input: UntagQueueInput) -> Result<UntagQueueOutput, Error>;
}

#[async_trait]
impl SqsApi for Sqs {
    async fn add_permission(
        &self,
        input: AddPermissionInput,
    ) -> Result<AddPermissionOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        add_permission::add_permission(&self.inner, &q, input)
    }

    async fn cancel_message_move_task(
        &self,
        input: CancelMessageMoveTaskInput,
    ) -> Result<CancelMessageMoveTaskOutput, Error> {
        cancel_message_move_task::cancel_message_move_task(&self.inner, input)
    }

    async fn change_message_visibility(
        &self,
        input: ChangeMessageVisibilityInput,
    ) -> Result<ChangeMessageVisibilityOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        change_message_visibility::change_message_visibility(&self.inner, &q, input)
    }

    async fn change_message_visibility_batch(
        &self,
        input: ChangeMessageVisibilityBatchInput,
    ) -> Result<ChangeMessageVisibilityBatchOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        change_message_visibility_batch::change_message_visibility_batch(&self.inner, &q, input)
    }

    async fn create_queue(&self, input: CreateQueueInput) -> Result<CreateQueueOutput, Error> {
        create_queue::create_queue(self, input)
    }

    async fn delete_message(
        &self,
        input: DeleteMessageInput,
    ) -> Result<DeleteMessageOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        delete_message::delete_message(&self.inner, &q, input)
    }

    async fn delete_message_batch(
        &self,
        input: DeleteMessageBatchInput,
    ) -> Result<DeleteMessageBatchOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        delete_message_batch::delete_message_batch(&self.inner, &q, input)
    }

    async fn delete_queue(&self, input: DeleteQueueInput) -> Result<DeleteQueueOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        delete_queue::delete_queue(&self.inner, &q)
    }

    async fn get_queue_attributes(
        &self,
        input: GetQueueAttributesInput,
    ) -> Result<GetQueueAttributesOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        get_queue_attributes::get_queue_attributes(&self.inner, &q, input)
    }

    async fn get_queue_url(&self, input: GetQueueUrlInput) -> Result<GetQueueUrlOutput, Error> {
        get_queue_url::get_queue_url(self, input)
    }

    async fn list_dead_letter_source_queues(
        &self,
        input: ListDeadLetterSourceQueuesInput,
    ) -> Result<ListDeadLetterSourceQueuesOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        list_dead_letter_source_queues::list_dead_letter_source_queues(self, &q, input)
    }

    async fn list_message_move_tasks(
        &self,
        input: ListMessageMoveTasksInput,
    ) -> Result<ListMessageMoveTasksOutput, Error> {
        list_message_move_tasks::list_message_move_tasks(&self.inner, input)
    }

    async fn list_queue_tags(
        &self,
        input: ListQueueTagsInput,
    ) -> Result<ListQueueTagsOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        list_queue_tags::list_queue_tags(&self.inner, &q)
    }

    async fn list_queues(&self, input: ListQueuesInput) -> Result<ListQueuesOutput, Error> {
        list_queues::list_queues(self, input)
    }

    async fn purge_queue(&self, input: PurgeQueueInput) -> Result<PurgeQueueOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        purge_queue::purge_queue(&self.inner, &q)
    }

    async fn receive_message(
        &self,
        input: ReceiveMessageInput,
    ) -> Result<ReceiveMessageOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        receive_message::receive_message(&self.inner, &q, input).await
    }

    async fn remove_permission(
        &self,
        input: RemovePermissionInput,
    ) -> Result<RemovePermissionOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        remove_permission::remove_permission(&self.inner, &q, input)
    }

    async fn send_message(&self, input: SendMessageInput) -> Result<SendMessageOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        send_message::send_message(&self.inner, &q, input)
    }

    async fn send_message_batch(
        &self,
        input: SendMessageBatchInput,
    ) -> Result<SendMessageBatchOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        send_message_batch::send_message_batch(&self.inner, &q, input)
    }

    async fn set_queue_attributes(
        &self,
        input: SetQueueAttributesInput,
    ) -> Result<SetQueueAttributesOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        set_queue_attributes::set_queue_attributes(&self.inner, &q, input)
    }

    async fn start_message_move_task(
        &self,
        input: StartMessageMoveTaskInput,
    ) -> Result<StartMessageMoveTaskOutput, Error> {
        start_message_move_task::start_message_move_task(&self.inner, input)
    }

    async fn tag_queue(&self, input: TagQueueInput) -> Result<TagQueueOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        tag_queue::tag_queue(&self.inner, &q, input)
    }

    async fn untag_queue(&self, input: UntagQueueInput) -> Result<UntagQueueOutput, Error> {
        let q = self.inner.resolve_url(&input.queue_url)?;
        untag_queue::untag_queue(&self.inner, &q, input)
    }
}
