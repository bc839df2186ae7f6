//! An in-memory object store: the S3 buckets a Distributed Map reads its items from and writes
//! its results to.
//!
//! **An aws-lite extension.** S3 is not an aws-lite service, so each [`Sfn`] carries a small
//! bucket → key → bytes store of its own, reached with [`Sfn::objects`]. A Distributed Map's
//! `ItemReader` reads it through `arn:aws:states:::s3:getObject` and
//! `arn:aws:states:::s3:listObjectsV2`, and its `ResultWriter` writes to it through
//! `arn:aws:states:::s3:putObject`, as they would read and write S3.
//!
//! # Objects
//!
//! Putting an object creates its bucket if needed and replaces any object under the key. Each
//! object keeps what a listing reports: its size, an ETag (the quoted MD5 of the body, as S3
//! gives for a single-part upload), its last-modified time (from the service's clock) and the
//! `STANDARD` storage class. Reads of a missing bucket or key fail with S3's `NoSuchBucket`
//! and `NoSuchKey`.
//!
//! ```
//! use aws_lite_flow::Sfn;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sfn = Sfn::new();
//! let objects = sfn.objects();
//! objects.put("data", "items.json", r#"[{"id": 1}, {"id": 2}]"#);
//! assert_eq!(objects.get("data", "items.json")?, br#"[{"id": 1}, {"id": 2}]"#);
//! let listed = objects.list_objects("data", "")?;
//! assert_eq!(listed[0].key, "items.json");
//! assert_eq!(listed[0].size, 22);
//! assert_eq!(objects.get("data", "nope").unwrap_err().code(), "NoSuchKey");
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Error, SharedClock};
use md5::{Digest, Md5};
use serde_json::{Value, json};

use crate::Sfn;

/// One stored object's metadata, as `ListObjectsV2` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectInfo {
    /// The key.
    pub key: String,
    /// The body's length in bytes.
    pub size: u64,
    /// The quoted hex MD5 of the body (`"\"5d41…\""`).
    pub etag: String,
    /// When it was last put (the service's clock).
    pub last_modified: SystemTime,
    /// Always `STANDARD`.
    pub storage_class: String,
}

impl ObjectInfo {
    /// The item a Distributed Map's `arn:aws:states:::s3:listObjectsV2` reader yields for the
    /// object: `{Etag, Key, LastModified, Size, StorageClass}` (`LastModified` in epoch
    /// seconds).
    pub fn to_item(&self) -> Value {
        let secs = self
            .last_modified
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        json!({
            "Etag": self.etag,
            "Key": self.key,
            "LastModified": secs,
            "Size": self.size,
            "StorageClass": self.storage_class,
        })
    }
}

#[derive(Debug, Clone)]
struct Stored {
    body: Arc<Vec<u8>>,
    info: ObjectInfo,
}

type Buckets = BTreeMap<String, BTreeMap<String, Stored>>;

/// A handle on a service's object store (an aws-lite extension): cheap to clone, shared by
/// every clone of the [`Sfn`].
#[derive(Clone)]
pub struct Objects {
    buckets: Arc<Mutex<Buckets>>,
    clock: SharedClock,
}

impl fmt::Debug for Objects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let buckets = self.buckets.lock();
        f.debug_struct("Objects")
            .field("buckets", &buckets.keys().collect::<Vec<_>>())
            .finish()
    }
}

fn no_such_bucket() -> Error {
    Error::not_found("NoSuchBucket", "The specified bucket does not exist")
}

fn no_such_key() -> Error {
    Error::not_found("NoSuchKey", "The specified key does not exist.")
}

impl Objects {
    /// An empty store whose objects take their last-modified times from `clock`.
    pub(crate) fn new(clock: SharedClock) -> Objects {
        Objects {
            buckets: Arc::new(Mutex::new(BTreeMap::new())),
            clock,
        }
    }

    /// Creates `bucket` (nothing happens if it exists).
    pub fn create_bucket(&self, bucket: impl Into<String>) {
        self.buckets.lock().entry(bucket.into()).or_default();
    }

    /// Whether `bucket` exists.
    pub fn bucket_exists(&self, bucket: &str) -> bool {
        self.buckets.lock().contains_key(bucket)
    }

    /// Stores `body` under `key` in `bucket` (created if needed), replacing any object there,
    /// and returns its metadata.
    pub fn put(
        &self,
        bucket: impl Into<String>,
        key: impl Into<String>,
        body: impl Into<Vec<u8>>,
    ) -> ObjectInfo {
        let key = key.into();
        let body = body.into();
        let info = ObjectInfo {
            etag: format!("\"{}\"", hex(&Md5::digest(&body))),
            size: body.len() as u64,
            last_modified: self.clock.wall(self.clock.now()),
            storage_class: "STANDARD".to_string(),
            key: key.clone(),
        };
        let stored = Stored {
            body: Arc::new(body),
            info: info.clone(),
        };
        self.buckets
            .lock()
            .entry(bucket.into())
            .or_default()
            .insert(key, stored);
        info
    }

    /// Stores `body` under `key` in `bucket` only if the bucket exists (as S3's PutObject).
    ///
    /// # Errors
    ///
    /// `NoSuchBucket`.
    pub(crate) fn put_existing(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
    ) -> Result<ObjectInfo, Error> {
        if !self.bucket_exists(bucket) {
            return Err(no_such_bucket());
        }
        Ok(self.put(bucket, key, body))
    }

    /// The body stored under `key` in `bucket`.
    ///
    /// # Errors
    ///
    /// `NoSuchBucket`, `NoSuchKey`.
    pub fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, Error> {
        let buckets = self.buckets.lock();
        let b = buckets.get(bucket).ok_or_else(no_such_bucket)?;
        let o = b.get(key).ok_or_else(no_such_key)?;
        Ok(o.body.as_ref().clone())
    }

    /// The metadata of the object under `key` in `bucket`.
    ///
    /// # Errors
    ///
    /// `NoSuchBucket`, `NoSuchKey`.
    pub fn head(&self, bucket: &str, key: &str) -> Result<ObjectInfo, Error> {
        let buckets = self.buckets.lock();
        let b = buckets.get(bucket).ok_or_else(no_such_bucket)?;
        let o = b.get(key).ok_or_else(no_such_key)?;
        Ok(o.info.clone())
    }

    /// The objects of `bucket` whose keys start with `prefix`, in key order (as
    /// `ListObjectsV2` returns them).
    ///
    /// # Errors
    ///
    /// `NoSuchBucket`.
    pub fn list_objects(&self, bucket: &str, prefix: &str) -> Result<Vec<ObjectInfo>, Error> {
        let buckets = self.buckets.lock();
        let b = buckets.get(bucket).ok_or_else(no_such_bucket)?;
        Ok(b.range(prefix.to_string()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .map(|(_, o)| o.info.clone())
            .collect())
    }

    /// Deletes the object under `key` in `bucket`; returns whether there was one.
    pub fn delete(&self, bucket: &str, key: &str) -> bool {
        self.buckets
            .lock()
            .get_mut(bucket)
            .is_some_and(|b| b.remove(key).is_some())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Sfn {
    /// The service's in-memory object store (an aws-lite extension standing in for S3): put
    /// the objects a Distributed Map's `ItemReader` reads here, and find what its
    /// `ResultWriter` wrote.
    pub fn objects(&self) -> Objects {
        self.inner.objects.clone()
    }
}
