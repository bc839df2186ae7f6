//! Layers: named, versioned sets of files that a function's INIT reads — the in-process `/opt`.
//!
//! # Layers and versions
//!
//! A layer is a name; PublishLayerVersion adds a version to it with its content, a
//! `Description` (at most 256 characters), `CompatibleRuntimes` (at most 15, from Lambda's
//! runtime identifiers), `CompatibleArchitectures` (at most 2 of `x86_64`, `arm64`) and
//! `LicenseInfo` (at most 512 characters). Versions of a name are numbered 1, 2, … and a number
//! is never reused: after DeleteLayerVersion removes version 3, the next publish is still 4.
//! A layer version is immutable. GetLayerVersion, GetLayerVersionByArn, ListLayers (the latest
//! version of each layer that matches the runtime and architecture filters) and
//! ListLayerVersions (newest first) read them; DeleteLayerVersion is idempotent.
//!
//! In process, a layer's content is a [`LayerFiles`] — paths and bytes — instead of a ZIP
//! archive. `CodeSize` is the total size of its files and `CodeSha256` the base64 SHA-256 of
//! its paths and contents (an aws-lite extension: AWS hashes the archive); the output has no
//! S3 `Location`, and [`LayerVersion::files`] gives the files back (an aws-lite extension).
//!
//! # A function's layers
//!
//! `Layers` on CreateFunction and UpdateFunctionConfiguration lists at most 5 layer version
//! ARNs, in order; `[]` removes them. Each must name an existing version in the service's
//! account and region, and two versions of one layer may not be listed together. Lambda's
//! errors: `Cannot reference more than 5 layers.`, `Layer version {arn} does not exist.`,
//! `Layers are not in the same region as the function. Layers are expected to be in region
//! {region}.`, `Two different versions of the same layer are not allowed to be referenced in
//! the same function. {a} and {b} are versions of the same layer.`, and
//! `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes.
//! The actual size is {n} bytes.` for more than 250 MB of layers
//! ([`Limits::unzipped_code_bytes`](crate::Limits::unzipped_code_bytes); aws-lite's function
//! code itself weighs nothing). A malformed ARN is a `ValidationException` on `layers`.
//!
//! The configuration reports them as `Layers: [{Arn, CodeSize}]`
//! ([`FunctionConfiguration::layers`](crate::FunctionConfiguration::layers)). PublishVersion
//! freezes them with the rest of the configuration, so a published version keeps its layers
//! when `$LATEST` changes. Deleting a layer version does not break the functions that use it:
//! as in Lambda, which keeps a copy until no function refers to it, they keep its files.
//!
//! # Reading the files (`/opt`)
//!
//! Lambda extracts a function's layers into `/opt` in the order listed, so a later layer's file
//! replaces an earlier one's at the same path. Here that merged set is a [`LayerFiles`] handed
//! to the INIT factory of [`Code::from_init_factory`](crate::Code::from_init_factory) as
//! [`InitContext::layers`](crate::InitContext::layers), and to every invocation as
//! [`Context::layers`](crate::Context::layers).
//!
//! ```
//! use aws_lite_fn::layer::LayerFiles;
//! use aws_lite_fn::{service_fn, Code, Event, InitContext, Lambda};
//! use serde_json::{json, Value};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let base = lambda.publish_layer_version().layer_name("base")
//!     .content(LayerFiles::new().with_file("config/greeting", "hello")
//!                               .with_file("config/name", "world"))
//!     .send().await?;
//! let overrides = lambda.publish_layer_version().layer_name("overrides")
//!     .content(LayerFiles::new().with_file("config/name", "layers"))
//!     .send().await?;
//! assert_eq!(base.version(), 1);
//!
//! // INIT reads the merged files once per execution environment.
//! let code = Code::from_init_factory(|init: InitContext| async move {
//!     let opt = init.layers;
//!     let text = format!("{} {}", opt.get_str("config/greeting").unwrap_or("?"),
//!                                 opt.get_str("config/name").unwrap_or("?"));
//!     Ok::<_, std::convert::Infallible>(service_fn(move |_: Event<Value>| {
//!         let text = text.clone();
//!         async move { Ok::<_, std::convert::Infallible>(json!(text)) }
//!     }))
//! });
//! let f = lambda.create_function().function_name("greeter").code(code)
//!     .layers(vec![base.layer_version_arn().to_owned(), overrides.layer_version_arn().to_owned()])
//!     .send().await?;
//! assert_eq!(f.layers().len(), 2);
//! let out = lambda.invoke().function_name("greeter").send().await?;
//! assert_eq!(out.payload(), &json!("hello layers"));
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use aws_lite_core::Error;
use aws_lite_core::sync::Mutex;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::LambdaInner;

/// The most layers a function may use.
pub const MAX_FUNCTION_LAYERS: usize = 5;

/// The `LayerName` pattern of the Lambda API reference.
pub(crate) const LAYER_NAME_PATTERN: &str =
    r"(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+";

/// The pattern GetLayerVersionByArn checks its `Arn` against.
pub(crate) const LAYER_VERSION_ARN_PATTERN: &str = r"arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

/// The constraint a function's `Layers` entries must satisfy.
const FUNCTION_LAYERS_CONSTRAINT: &str = r"Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]";

/// Lambda's runtime identifiers, deprecated ones included, in the order of the Lambda API
/// reference (`CompatibleRuntimes`).
pub const RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "java8",
    "java8.al2",
    "java11",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet6",
    "dotnet8",
    "nodejs4.3-edge",
    "go1.x",
    "ruby2.5",
    "ruby2.7",
    "provided",
    "provided.al2",
    "nodejs18.x",
    "python3.10",
    "java17",
    "ruby3.2",
    "ruby3.3",
    "ruby3.4",
    "python3.11",
    "nodejs20.x",
    "provided.al2023",
    "python3.12",
    "java21",
    "python3.13",
    "nodejs22.x",
];

/// The instruction set architectures (`CompatibleArchitectures`).
pub const ARCHITECTURES: &[&str] = &["x86_64", "arm64"];

/// Files by path: a layer's content, or a function's merged `/opt`. Cheap to clone.
///
/// Paths are relative to `/opt` (`"bin/tool"`, `"python/lib.py"`); leading `/` characters are
/// dropped, so `"/bin/tool"` is the same path.
///
/// ```
/// use aws_lite_fn::layer::LayerFiles;
///
/// let files = LayerFiles::new().with_file("etc/app.json", r#"{"debug":true}"#)
///     .with_file("/bin/tool", vec![0x7f, b'E', b'L', b'F']);
/// assert_eq!(files.get_str("etc/app.json"), Some(r#"{"debug":true}"#));
/// assert_eq!(files.get("bin/tool").map(<[u8]>::len), Some(4));
/// assert_eq!(files.total_bytes(), 18);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct LayerFiles {
    files: Arc<BTreeMap<String, Arc<[u8]>>>,
}

impl fmt::Debug for LayerFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.files.iter().map(|(p, b)| (p, b.len())))
            .finish()
    }
}

fn normalize(path: &str) -> String {
    path.trim_start_matches('/').to_owned()
}

impl LayerFiles {
    /// No files.
    pub fn new() -> LayerFiles {
        LayerFiles::default()
    }

    /// These files, with `file` added (replacing any file at the same path).
    pub fn with_file(mut self, path: impl AsRef<str>, contents: impl Into<Vec<u8>>) -> LayerFiles {
        self.insert(path, contents);
        self
    }

    /// Adds a file, replacing any file at the same path.
    pub fn insert(&mut self, path: impl AsRef<str>, contents: impl Into<Vec<u8>>) {
        let contents: Arc<[u8]> = Arc::from(contents.into());
        Arc::make_mut(&mut self.files).insert(normalize(path.as_ref()), contents);
    }

    /// The contents of the file at `path`.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path.trim_start_matches('/')).map(|b| &b[..])
    }

    /// The contents of the file at `path` as text, when it is UTF-8.
    pub fn get_str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// Whether a file exists at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path.trim_start_matches('/'))
    }

    /// The paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The files, by path in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), &b[..]))
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The size of every file together, in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|b| b.len() as u64).sum()
    }

    /// The files of `layers` extracted in order, as into `/opt`: a later layer's file replaces
    /// an earlier one's at the same path.
    pub fn merged<'a>(layers: impl IntoIterator<Item = &'a LayerFiles>) -> LayerFiles {
        let mut out: BTreeMap<String, Arc<[u8]>> = BTreeMap::new();
        for layer in layers {
            for (path, bytes) in layer.files.iter() {
                out.insert(path.clone(), bytes.clone());
            }
        }
        LayerFiles {
            files: Arc::new(out),
        }
    }

    /// `CodeSha256`: the base64 SHA-256 of every path and file, in path order.
    pub(crate) fn sha256(&self) -> String {
        use base64::Engine as _;
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        for (path, bytes) in self.files.iter() {
            h.update((path.len() as u64).to_be_bytes());
            h.update(path.as_bytes());
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        }
        base64::engine::general_purpose::STANDARD.encode(h.finalize())
    }
}

impl<P: AsRef<str>, B: Into<Vec<u8>>> FromIterator<(P, B)> for LayerFiles {
    fn from_iter<I: IntoIterator<Item = (P, B)>>(iter: I) -> LayerFiles {
        let mut files = LayerFiles::new();
        for (p, b) in iter {
            files.insert(p, b);
        }
        files
    }
}

/// One stored layer version.
#[derive(Debug)]
pub(crate) struct LayerVersionShared {
    pub(crate) layer_arn: String,
    pub(crate) version: u64,
    pub(crate) version_arn: String,
    pub(crate) description: String,
    pub(crate) created_date: String,
    pub(crate) compatible_runtimes: Vec<String>,
    pub(crate) compatible_architectures: Vec<String>,
    pub(crate) license_info: Option<String>,
    pub(crate) files: LayerFiles,
    pub(crate) code_sha256: String,
    pub(crate) code_size: u64,
}

impl LayerVersionShared {
    /// Whether the version declares `runtime` and `architecture` (each `None` matches all).
    pub(crate) fn matches(&self, runtime: Option<&str>, architecture: Option<&str>) -> bool {
        runtime.is_none_or(|r| self.compatible_runtimes.iter().any(|c| c == r))
            && architecture.is_none_or(|a| self.compatible_architectures.iter().any(|c| c == a))
    }

    pub(crate) fn describe(&self) -> LayerVersion {
        LayerVersion {
            content: LayerVersionContentOutput {
                code_sha256: self.code_sha256.clone(),
                code_size: self.code_size,
            },
            layer_arn: self.layer_arn.clone(),
            layer_version_arn: self.version_arn.clone(),
            description: self.description.clone(),
            created_date: self.created_date.clone(),
            version: self.version,
            compatible_runtimes: self.compatible_runtimes.clone(),
            compatible_architectures: self.compatible_architectures.clone(),
            license_info: self.license_info.clone(),
            files: self.files.clone(),
        }
    }

    pub(crate) fn list_item(&self) -> LayerVersionsListItem {
        LayerVersionsListItem {
            layer_version_arn: self.version_arn.clone(),
            version: self.version,
            description: self.description.clone(),
            created_date: self.created_date.clone(),
            compatible_runtimes: self.compatible_runtimes.clone(),
            compatible_architectures: self.compatible_architectures.clone(),
            license_info: self.license_info.clone(),
        }
    }
}

/// `Content` of a layer version: its size and hash (`LayerVersionContentOutput`, without the
/// S3 `Location` an in-process layer does not have).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LayerVersionContentOutput {
    code_sha256: String,
    code_size: u64,
}

impl LayerVersionContentOutput {
    /// `CodeSha256`: the base64 SHA-256 of the files (see the [module docs](self)).
    pub fn code_sha256(&self) -> &str {
        &self.code_sha256
    }
    /// `CodeSize`: the size of every file together, in bytes.
    pub fn code_size(&self) -> u64 {
        self.code_size
    }
}

/// A layer version, as PublishLayerVersion, GetLayerVersion and GetLayerVersionByArn return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LayerVersion {
    content: LayerVersionContentOutput,
    layer_arn: String,
    layer_version_arn: String,
    description: String,
    created_date: String,
    version: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compatible_runtimes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compatible_architectures: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license_info: Option<String>,
    #[serde(skip)]
    files: LayerFiles,
}

impl LayerVersion {
    /// `Content`: `CodeSha256` and `CodeSize`.
    pub fn content(&self) -> &LayerVersionContentOutput {
        &self.content
    }
    /// `LayerArn`: `arn:aws:lambda:{region}:{account}:layer:{name}`.
    pub fn layer_arn(&self) -> &str {
        &self.layer_arn
    }
    /// `LayerVersionArn`: the layer ARN and `:{version}`.
    pub fn layer_version_arn(&self) -> &str {
        &self.layer_version_arn
    }
    /// `Description`.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// `CreatedDate`, as Lambda formats it (`2024-01-01T00:00:00.000+0000`).
    pub fn created_date(&self) -> &str {
        &self.created_date
    }
    /// `Version`: 1, 2, …
    pub fn version(&self) -> u64 {
        self.version
    }
    /// `CompatibleRuntimes`.
    pub fn compatible_runtimes(&self) -> &[String] {
        &self.compatible_runtimes
    }
    /// `CompatibleArchitectures`.
    pub fn compatible_architectures(&self) -> &[String] {
        &self.compatible_architectures
    }
    /// `LicenseInfo`.
    pub fn license_info(&self) -> Option<&str> {
        self.license_info.as_deref()
    }
    /// The layer's files (an aws-lite extension, in place of the archive's S3 `Location`).
    pub fn files(&self) -> &LayerFiles {
        &self.files
    }
}

/// `LayerVersionsListItem`: a version in ListLayerVersions and ListLayers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LayerVersionsListItem {
    layer_version_arn: String,
    version: u64,
    description: String,
    created_date: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    compatible_runtimes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    compatible_architectures: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    license_info: Option<String>,
}

impl LayerVersionsListItem {
    /// `LayerVersionArn`.
    pub fn layer_version_arn(&self) -> &str {
        &self.layer_version_arn
    }
    /// `Version`.
    pub fn version(&self) -> u64 {
        self.version
    }
    /// `Description`.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// `CreatedDate`.
    pub fn created_date(&self) -> &str {
        &self.created_date
    }
    /// `CompatibleRuntimes`.
    pub fn compatible_runtimes(&self) -> &[String] {
        &self.compatible_runtimes
    }
    /// `CompatibleArchitectures`.
    pub fn compatible_architectures(&self) -> &[String] {
        &self.compatible_architectures
    }
    /// `LicenseInfo`.
    pub fn license_info(&self) -> Option<&str> {
        self.license_info.as_deref()
    }
}

/// `LayersListItem`: a layer in ListLayers, with its latest matching version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LayersListItem {
    layer_name: String,
    layer_arn: String,
    latest_matching_version: LayerVersionsListItem,
}

impl LayersListItem {
    /// `LayerName`.
    pub fn layer_name(&self) -> &str {
        &self.layer_name
    }
    /// `LayerArn`.
    pub fn layer_arn(&self) -> &str {
        &self.layer_arn
    }
    /// `LatestMatchingVersion`: the newest version that matches the request's filters.
    pub fn latest_matching_version(&self) -> &LayerVersionsListItem {
        &self.latest_matching_version
    }
}

/// A layer of a function's configuration (`Layer`: `{Arn, CodeSize}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Layer {
    arn: String,
    code_size: u64,
}

impl Layer {
    /// `Arn`: the layer version's ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }
    /// `CodeSize`, in bytes.
    pub fn code_size(&self) -> u64 {
        self.code_size
    }
}

/// A function version's layers: the versions it holds (so deleting one does not break it) and
/// their files merged as into `/opt`.
#[derive(Debug, Clone, Default)]
pub(crate) struct FunctionLayers {
    versions: Arc<[Arc<LayerVersionShared>]>,
    merged: LayerFiles,
}

impl FunctionLayers {
    /// The merged `/opt`.
    pub(crate) fn merged(&self) -> &LayerFiles {
        &self.merged
    }

    /// `Layers` as the configuration reports them.
    pub(crate) fn describe(&self) -> Vec<Layer> {
        self.versions
            .iter()
            .map(|v| Layer {
                arn: v.version_arn.clone(),
                code_size: v.code_size,
            })
            .collect()
    }
}

/// One layer name: its versions and the next number.
#[derive(Debug)]
struct LayerState {
    next_version: u64,
    versions: BTreeMap<u64, Arc<LayerVersionShared>>,
}

/// The service's layers, by name.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    layers: Mutex<BTreeMap<String, LayerState>>,
}

/// What PublishLayerVersion stores (validated).
pub(crate) struct NewLayerVersion {
    pub(crate) description: String,
    pub(crate) compatible_runtimes: Vec<String>,
    pub(crate) compatible_architectures: Vec<String>,
    pub(crate) license_info: Option<String>,
    pub(crate) files: LayerFiles,
}

impl Registry {
    /// Adds the next version of `name`.
    pub(crate) fn publish(
        &self,
        svc: &LambdaInner,
        name: &str,
        new: NewLayerVersion,
    ) -> Arc<LayerVersionShared> {
        let layer_arn = layer_arn(svc, name);
        let code_sha256 = new.files.sha256();
        let code_size = new.files.total_bytes();
        let mut layers = self.layers.lock();
        let state = layers.entry(name.to_owned()).or_insert_with(|| LayerState {
            next_version: 1,
            versions: BTreeMap::new(),
        });
        let version = state.next_version;
        state.next_version += 1;
        let shared = Arc::new(LayerVersionShared {
            version_arn: format!("{layer_arn}:{version}"),
            layer_arn,
            version,
            description: new.description,
            created_date: svc.now_string(),
            compatible_runtimes: new.compatible_runtimes,
            compatible_architectures: new.compatible_architectures,
            license_info: new.license_info,
            files: new.files,
            code_sha256,
            code_size,
        });
        state.versions.insert(version, shared.clone());
        shared
    }

    /// Version `version` of `name`, if it exists (was published and not deleted).
    pub(crate) fn get(&self, name: &str, version: u64) -> Option<Arc<LayerVersionShared>> {
        self.layers
            .lock()
            .get(name)
            .and_then(|l| l.versions.get(&version).cloned())
    }

    /// Deletes a version; `true` if it existed.
    pub(crate) fn delete(&self, name: &str, version: u64) -> bool {
        self.layers
            .lock()
            .get_mut(name)
            .is_some_and(|l| l.versions.remove(&version).is_some())
    }

    /// Every existing version of `name`, newest first.
    pub(crate) fn versions(&self, name: &str) -> Vec<Arc<LayerVersionShared>> {
        self.layers
            .lock()
            .get(name)
            .map(|l| l.versions.values().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Each layer with its newest version matching the filters, by name.
    pub(crate) fn latest_matching(
        &self,
        runtime: Option<&str>,
        architecture: Option<&str>,
    ) -> Vec<LayersListItem> {
        self.layers
            .lock()
            .iter()
            .filter_map(|(name, l)| {
                let v = l
                    .versions
                    .values()
                    .rev()
                    .find(|v| v.matches(runtime, architecture))?;
                Some(LayersListItem {
                    layer_name: name.clone(),
                    layer_arn: v.layer_arn.clone(),
                    latest_matching_version: v.list_item(),
                })
            })
            .collect()
    }
}

/// `arn:{partition}:lambda:{region}:{account}:layer:{name}`.
pub(crate) fn layer_arn(svc: &LambdaInner, name: &str) -> String {
    format!(
        "arn:{}:lambda:{}:{}:layer:{name}",
        svc.region.partition(),
        svc.region.as_str(),
        svc.account.as_str()
    )
}

/// A layer ARN taken apart: `arn:{partition}:lambda:{region}:{account}:layer:{name}[:{version}]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LayerArn<'a> {
    pub(crate) region: &'a str,
    pub(crate) account: &'a str,
    pub(crate) name: &'a str,
    pub(crate) version: Option<u64>,
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}`.
fn is_region(s: &str) -> bool {
    let s = s.strip_prefix("eusc-").unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() < 3 {
        return false;
    }
    let lower = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    let middle = &parts[1..parts.len().saturating_sub(1)];
    let middle_ok = match middle {
        [word] => lower(word),
        [tag, word] => {
            (*tag == "gov"
                || (tag.starts_with("iso")
                    && tag.len() <= 4
                    && tag.bytes().all(|b| b.is_ascii_lowercase())))
                && lower(word)
        }
        _ => false,
    };
    first.len() == 2
        && lower(first)
        && middle_ok
        && last.len() == 1
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a layer (or layer version) ARN; `None` when it does not have that shape.
pub(crate) fn parse_layer_arn(arn: &str) -> Option<LayerArn<'_>> {
    let parts: Vec<&str> = arn.split(':').collect();
    let (version, base) = match parts.len() {
        8 => {
            let v = parts[7];
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (Some(v.parse::<u64>().ok()?), &parts[..7])
        }
        7 => (None, &parts[..]),
        _ => return None,
    };
    let partition = base[1];
    let partition_ok = partition.is_empty()
        || (partition.starts_with("aws")
            && partition
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-'));
    let ok = base[0] == "arn"
        && partition_ok
        && base[2] == "lambda"
        && is_region(base[3])
        && base[4].len() == 12
        && base[4].bytes().all(|b| b.is_ascii_digit())
        && base[5] == "layer"
        && is_word(base[6]);
    ok.then_some(LayerArn {
        region: base[3],
        account: base[4],
        name: base[6],
        version,
    })
}

/// The layer a `LayerName` parameter names in this service: `Ok(None)` when it is an ARN of
/// another account or region (so no layer here), a `ValidationException` when malformed.
pub(crate) fn check_layer_name<'a>(
    svc: &LambdaInner,
    value: &'a str,
) -> Result<Option<&'a str>, Error> {
    if value.is_empty() {
        return Err(error::validation(
            value,
            "layerName",
            "Member must have length greater than or equal to 1",
        ));
    }
    if value.chars().count() > 140 {
        return Err(error::validation(
            value,
            "layerName",
            "Member must have length less than or equal to 140",
        ));
    }
    let pattern = || {
        error::validation(
            value,
            "layerName",
            &format!("Member must satisfy regular expression pattern: {LAYER_NAME_PATTERN}"),
        )
    };
    if !value.starts_with("arn:") {
        return if is_word(value) {
            Ok(Some(value))
        } else {
            Err(pattern())
        };
    }
    let arn = parse_layer_arn(value)
        .filter(|a| a.version.is_none())
        .ok_or_else(pattern)?;
    Ok(
        (arn.region == svc.region.as_str() && arn.account == svc.account.as_str())
            .then_some(arn.name),
    )
}

/// `ResourceNotFoundException` (404): `The resource you requested does not exist.`, what the
/// layer operations answer for a missing layer or version.
pub(crate) fn not_found() -> Error {
    Error::not_found(
        error::codes::RESOURCE_NOT_FOUND,
        "The resource you requested does not exist.",
    )
}

/// `VersionNumber`: at least 1.
pub(crate) fn check_version_number(n: Option<i64>) -> Result<u64, Error> {
    let n = n.ok_or_else(|| crate::operation::missing("versionNumber"))?;
    if n < 1 {
        return Err(error::invalid_parameter(
            "Layer Version Cannot be less than 1",
        ));
    }
    Ok(n.unsigned_abs())
}

/// The enum list of a runtime error: `[nodejs, nodejs4.3, …]`.
pub(crate) fn runtimes_list() -> String {
    format!("[{}]", RUNTIMES.join(", "))
}

/// Joins constraint failures the way Lambda's validation does:
/// `N validation error(s) detected: a; b`.
pub(crate) fn validation_errors(errors: Vec<String>) -> Result<(), Error> {
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let plural = if n > 1 { "s" } else { "" };
    Err(Error::validation(
        error::codes::VALIDATION,
        format!(
            "{n} validation error{plural} detected: {}",
            errors.join("; ")
        ),
    ))
}

/// `CompatibleRuntime` / `CompatibleArchitecture` of the list operations.
pub(crate) fn check_list_filters(
    runtime: Option<&str>,
    architecture: Option<&str>,
) -> Result<(), Error> {
    let mut errors = Vec::new();
    if let Some(a) = architecture {
        if !ARCHITECTURES.contains(&a) {
            errors.push(format!(
                "Value '{a}' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]"
            ));
        }
    }
    if let Some(r) = runtime {
        if !RUNTIMES.contains(&r) {
            errors.push(format!(
                "Value '{r}' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: {}",
                runtimes_list()
            ));
        }
    }
    validation_errors(errors)
}

/// `MaxItems` of the layer list operations: 1–50 (default 50).
pub(crate) fn page_size(max_items: Option<i32>) -> Result<usize, Error> {
    match max_items {
        None => Ok(50),
        Some(n) if n < 1 => Err(error::validation(
            n,
            "maxItems",
            "Member must have value greater than or equal to 1",
        )),
        Some(n) if n > 50 => Err(error::validation(
            n,
            "maxItems",
            "Member must have value less than or equal to 50",
        )),
        Some(n) => Ok(n.unsigned_abs() as usize),
    }
}

/// Resolves a function's `Layers` parameter against the service's layers.
pub(crate) fn resolve_function_layers(
    svc: &LambdaInner,
    arns: &[String],
) -> Result<FunctionLayers, Error> {
    let parsed: Option<Vec<LayerArn<'_>>> = arns
        .iter()
        .map(|a| {
            if a.is_empty() || a.chars().count() > 2048 {
                return None;
            }
            parse_layer_arn(a).filter(|p| p.version.is_some())
        })
        .collect();
    let Some(parsed) = parsed else {
        return Err(Error::validation(
            error::codes::VALIDATION,
            format!(
                "1 validation error detected: Value '[{}]' at 'layers' failed to satisfy constraint: {FUNCTION_LAYERS_CONSTRAINT}",
                arns.join(", ")
            ),
        ));
    };
    if arns.len() > MAX_FUNCTION_LAYERS {
        return Err(error::invalid_parameter(
            "Cannot reference more than 5 layers.",
        ));
    }
    let mut versions: Vec<Arc<LayerVersionShared>> = Vec::with_capacity(parsed.len());
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for (arn, p) in arns.iter().zip(&parsed) {
        if p.region != svc.region.as_str() {
            return Err(error::invalid_parameter(format!(
                "Layers are not in the same region as the function. Layers are expected to be in region {}.",
                svc.region.as_str()
            )));
        }
        if p.account != svc.account.as_str() {
            return Err(Error::access_denied(
                "AccessDeniedException",
                format!(
                    "User: arn:{}:iam::{}:root is not authorized to perform: lambda:GetLayerVersion on resource: {arn} because no resource-based policy allows the lambda:GetLayerVersion action",
                    svc.region.partition(),
                    svc.account.as_str()
                ),
            ));
        }
        let version = p
            .version
            .and_then(|v| svc.layers.get(p.name, v))
            .ok_or_else(|| {
                error::invalid_parameter(format!("Layer version {arn} does not exist."))
            })?;
        let layer_arn = version.layer_arn.clone();
        if let Some(first) = seen.get(&layer_arn) {
            return Err(error::invalid_parameter(format!(
                "Two different versions of the same layer are not allowed to be referenced in the same function. {first} and {arn} are versions of the same layer."
            )));
        }
        seen.insert(layer_arn, arn.as_str());
        versions.push(version);
    }
    let size: u64 = versions.iter().map(|v| v.code_size).sum();
    if size > svc.limits.unzipped_code_bytes {
        return Err(error::invalid_parameter(format!(
            "Function code combined with layers exceeds the maximum allowed size of {} bytes. The actual size is {size} bytes.",
            svc.limits.unzipped_code_bytes
        )));
    }
    let merged = LayerFiles::merged(versions.iter().map(|v| &v.files));
    Ok(FunctionLayers {
        versions: versions.into(),
        merged,
    })
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    #[test]
    fn layer_arns() {
        let a = parse_layer_arn("arn:aws:lambda:us-east-1:123456789012:layer:my-layer:3").unwrap();
        assert_eq!(
            (a.region, a.account, a.name, a.version),
            ("us-east-1", "123456789012", "my-layer", Some(3))
        );
        let a = parse_layer_arn("arn:aws:lambda:us-gov-west-1:123456789012:layer:x").unwrap();
        assert_eq!(a.version, None);
        assert!(parse_layer_arn("arn:aws-cn:lambda:cn-north-1:123456789012:layer:x:1").is_some());
        assert!(parse_layer_arn("arn:aws:lambda:us-isob-east-1:123456789012:layer:x:1").is_some());
        for bad in [
            "",
            "my-layer",
            "arn:aws:lambda:us-east-1:123456789012:layer:my-layer:",
            "arn:aws:lambda:us-east-1:123456789012:layer:my-layer:v1",
            "arn:aws:lambda:us-east-1:12345678901:layer:my-layer:1",
            "arn:aws:lambda:useast1:123456789012:layer:my-layer:1",
            "arn:aws:lambda:us-east-12:123456789012:layer:my-layer:1",
            "arn:aws:sqs:us-east-1:123456789012:layer:my-layer:1",
            "arn:aws:lambda:us-east-1:123456789012:function:my-layer:1",
            "arn:aws:lambda:us-east-1:123456789012:layer:my.layer:1",
            "arn:aws:lambda:us-east-1:123456789012:layer:a:1:2",
        ] {
            assert_eq!(parse_layer_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn merged_files_later_layers_win() {
        let a = LayerFiles::new().with_file("x", "a").with_file("y", "a");
        let b = LayerFiles::new().with_file("/y", "b").with_file("z", "b");
        let m = LayerFiles::merged([&a, &b]);
        assert_eq!(m.get_str("x"), Some("a"));
        assert_eq!(m.get_str("y"), Some("b"));
        assert_eq!(m.get_str("/z"), Some("b"));
        assert_eq!(m.paths().collect::<Vec<_>>(), ["x", "y", "z"]);
        // The merge copies nothing but the map: the inputs are unchanged.
        assert_eq!(a.get_str("y"), Some("a"));
    }

    #[test]
    fn sha256_depends_on_paths_and_contents() {
        let a = LayerFiles::new().with_file("ab", "c");
        let b = LayerFiles::new().with_file("a", "bc");
        assert_ne!(a.sha256(), b.sha256());
        assert_eq!(a.sha256(), LayerFiles::new().with_file("ab", "c").sha256());
    }
}
