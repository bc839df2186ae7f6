//! AWS region names such as `us-east-1`, and the partition each belongs to.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// The most bytes a [`Region`] name may have. The longest AWS region names today are 15
/// (`us-isof-south-1`).
const MAX_LEN: usize = 31;

/// An AWS region name: `us-east-1`, `eu-west-2`, `us-gov-west-1`, `cn-north-1`,
/// `ap-southeast-3`, …
///
/// A valid name is two or more hyphen-separated groups of lowercase ASCII letters (the first
/// at least two letters long) followed by a hyphen and a number, at most 31 characters in all.
/// Stored inline, so it is `Copy` and free to clone. The default is [`Region::DEFAULT`],
/// `us-east-1`.
///
/// ```
/// use aws_lite_core::id::Region;
///
/// let region: Region = "eu-west-2".parse()?;
/// assert_eq!(region.as_str(), "eu-west-2");
/// assert_eq!(region.partition(), "aws");
/// assert_eq!(Region::parse("cn-north-1")?.partition(), "aws-cn");
/// assert_eq!(Region::parse("us-gov-west-1")?.partition(), "aws-us-gov");
/// assert_eq!(Region::default(), Region::DEFAULT);
/// assert_eq!(Region::DEFAULT.as_str(), "us-east-1");
///
/// assert!(Region::parse("US-EAST-1").is_err());
/// assert!(Region::parse("useast1").is_err());
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region {
    // Unused bytes are always zero, so the derived comparisons and hash agree with the text's.
    bytes: [u8; MAX_LEN],
    len: u8,
}

impl Region {
    /// `us-east-1`: the region of requests that do not name one.
    pub const DEFAULT: Region = Region::from_ascii(b"us-east-1");

    /// Copies an already-validated ASCII name into inline storage.
    const fn from_ascii(s: &[u8]) -> Region {
        let mut bytes = [0u8; MAX_LEN];
        let mut i = 0;
        while i < s.len() && i < MAX_LEN {
            bytes[i] = s[i];
            i += 1;
        }
        Region {
            bytes,
            // `i <= MAX_LEN = 31`, so it fits in a u8.
            len: i as u8,
        }
    }

    /// Parses a region name.
    ///
    /// # Errors
    ///
    /// A `ValidationException` naming the value when it is not shaped like `us-east-1`.
    pub fn parse(s: &str) -> Result<Region, Error> {
        if Region::is_valid(s) {
            Ok(Region::from_ascii(s.as_bytes()))
        } else {
            Err(Error::validation(
                "ValidationException",
                format!(
                    "Invalid region '{}': expected a region name such as us-east-1",
                    super::arn::elide(s)
                ),
            ))
        }
    }

    /// Whether `s` is shaped like a region name (see the type's docs).
    pub fn is_valid(s: &str) -> bool {
        if s.is_empty() || s.len() > MAX_LEN {
            return false;
        }
        let Some((words, number)) = s.rsplit_once('-') else {
            return false;
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let mut groups = 0;
        for (i, word) in words.split('-').enumerate() {
            let min = if i == 0 { 2 } else { 1 };
            if word.len() < min || !word.bytes().all(|b| b.is_ascii_lowercase()) {
                return false;
            }
            groups += 1;
        }
        groups >= 2
    }

    /// The name, such as `us-east-1`.
    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        // Invariant: only names that passed `is_valid` (ASCII) are stored, and the length
        // never exceeds the buffer, so this cannot fail.
        std::str::from_utf8(bytes).expect("region names are ASCII")
    }

    /// The partition the region belongs to, as it appears in ARNs: `aws-cn` for `cn-*`,
    /// `aws-us-gov` for `us-gov-*`, `aws-iso` for `us-iso-*`, `aws-iso-b` for `us-isob-*`,
    /// `aws-iso-e` for `eu-isoe-*`, `aws-iso-f` for `us-isof-*`, `aws-eusc` for `eusc-*`,
    /// and `aws` for every other region.
    pub fn partition(&self) -> &'static str {
        let s = self.as_str();
        if s.starts_with("cn-") {
            "aws-cn"
        } else if s.starts_with("us-gov-") {
            "aws-us-gov"
        } else if s.starts_with("us-iso-") {
            "aws-iso"
        } else if s.starts_with("us-isob-") {
            "aws-iso-b"
        } else if s.starts_with("eu-isoe-") {
            "aws-iso-e"
        } else if s.starts_with("us-isof-") {
            "aws-iso-f"
        } else if s.starts_with("eusc-") {
            "aws-eusc"
        } else {
            "aws"
        }
    }
}

impl Default for Region {
    fn default() -> Region {
        Region::DEFAULT
    }
}

impl FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Region, Error> {
        Region::parse(s)
    }
}

impl TryFrom<&str> for Region {
    type Error = Error;
    fn try_from(s: &str) -> Result<Region, Error> {
        Region::parse(s)
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Region {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Region {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({})", self.as_str())
    }
}

impl serde::Serialize for Region {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Region {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Region, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Region::parse(&s).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_region_names() {
        for name in [
            "us-east-1",
            "eu-west-2",
            "us-gov-west-1",
            "cn-north-1",
            "cn-northwest-1",
            "ap-southeast-3",
            "il-central-1",
            "us-iso-east-1",
            "us-isob-east-1",
            "us-isof-south-1",
            "eu-isoe-west-1",
            "eusc-de-east-1",
            "me-central-1",
            "ca-west-1",
        ] {
            let r = Region::parse(name).unwrap();
            assert_eq!(r.as_str(), name);
        }
    }

    #[test]
    fn rejects_malformed_names() {
        for bad in [
            "",
            "us",
            "us-east",
            "us-east-",
            "-east-1",
            "u-east-1",
            "us--east-1",
            "us-east-1a",
            "US-EAST-1",
            "us_east_1",
            "us-east-1 ",
            "1-east-1",
            "useast-1",
            "us-east-1-",
        ] {
            assert!(Region::parse(bad).is_err(), "{bad:?}");
        }
        // 31 bytes is the most we store.
        let longest = format!("aa-{}-1", "a".repeat(26));
        assert_eq!(longest.len(), 31);
        assert_eq!(Region::parse(&longest).unwrap().as_str(), longest);
        assert!(Region::parse(&format!("aa-{}-1", "a".repeat(27))).is_err());
    }

    #[test]
    fn partitions() {
        let p = |s: &str| Region::parse(s).unwrap().partition();
        assert_eq!(p("us-east-1"), "aws");
        assert_eq!(p("cn-northwest-1"), "aws-cn");
        assert_eq!(p("us-gov-east-1"), "aws-us-gov");
        assert_eq!(p("us-iso-east-1"), "aws-iso");
        assert_eq!(p("us-isob-east-1"), "aws-iso-b");
        assert_eq!(p("eu-isoe-west-1"), "aws-iso-e");
        assert_eq!(p("us-isof-south-1"), "aws-iso-f");
        assert_eq!(p("eusc-de-east-1"), "aws-eusc");
    }

    #[test]
    fn equality_follows_text() {
        let a = Region::parse("us-east-1").unwrap();
        assert_eq!(a, Region::DEFAULT);
        assert_eq!(a, "us-east-1");
        assert!(Region::parse("ap-east-1").unwrap() < a);
        assert_eq!(format!("{a:?}"), "Region(us-east-1)");
    }
}
