//! Identifiers: ARNs, accounts, regions, name validators, UUIDs and opaque tokens.
//!
//! Every generated id (message ids, receipt handles, request ids, execution names) is drawn from
//! the seeded [`Rand`](crate::Rand), so the same seed gives the same ids.

mod uuid;

pub use self::uuid::{Uuid, token};
