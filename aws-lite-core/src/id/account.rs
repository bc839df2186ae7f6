//! AWS account ids: twelve decimal digits.

use std::fmt;
use std::str::FromStr;

use crate::Error;

/// A 12-digit AWS account id, such as `123456789012`.
///
/// Stored inline (twelve bytes), so it is `Copy` and free to clone. The default is
/// [`AccountId::DEFAULT`], `000000000000`, the account LocalStack and aws-lite assume when a
/// request does not name one.
///
/// ```
/// use aws_lite_core::id::AccountId;
///
/// let account: AccountId = "123456789012".parse()?;
/// assert_eq!(account.as_str(), "123456789012");
/// assert_eq!(account.to_string(), "123456789012");
/// assert_eq!(AccountId::default(), AccountId::DEFAULT);
/// assert_eq!(AccountId::DEFAULT.as_str(), "000000000000");
///
/// let err = AccountId::parse("12345").unwrap_err();
/// assert_eq!(err.message(), "Invalid account id '12345': must be 12 digits");
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId([u8; 12]);

impl AccountId {
    /// `000000000000`: the account of requests that do not name one.
    pub const DEFAULT: AccountId = AccountId(*b"000000000000");

    /// Parses a 12-digit account id.
    ///
    /// # Errors
    ///
    /// A `ValidationException` naming the value when it is not exactly twelve ASCII digits.
    pub fn parse(s: &str) -> Result<AccountId, Error> {
        match <[u8; 12]>::try_from(s.as_bytes()) {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_digit) => Ok(AccountId(bytes)),
            _ => Err(Error::validation(
                "ValidationException",
                format!(
                    "Invalid account id '{}': must be 12 digits",
                    super::arn::elide(s)
                ),
            )),
        }
    }

    /// The account an access key id stands for, the way LocalStack maps credentials: a key
    /// that is itself 12 digits is that account; any other key (`test`, `AKIA…`, empty) is
    /// [`AccountId::DEFAULT`].
    ///
    /// ```
    /// use aws_lite_core::id::AccountId;
    ///
    /// assert_eq!(AccountId::from_access_key("111122223333").as_str(), "111122223333");
    /// assert_eq!(AccountId::from_access_key("test"), AccountId::DEFAULT);
    /// assert_eq!(AccountId::from_access_key("AKIAIOSFODNN7EXAMPLE"), AccountId::DEFAULT);
    /// ```
    pub fn from_access_key(access_key_id: &str) -> AccountId {
        AccountId::parse(access_key_id).unwrap_or(AccountId::DEFAULT)
    }

    /// Whether `s` is a valid account id (twelve ASCII digits).
    pub fn is_valid(s: &str) -> bool {
        s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
    }

    /// The twelve digits.
    pub fn as_str(&self) -> &str {
        // Invariant: only ASCII digits are ever stored (checked in `parse`, and `DEFAULT` is
        // literal digits), and ASCII is valid UTF-8, so this cannot fail.
        std::str::from_utf8(&self.0).expect("account ids hold only ASCII digits")
    }
}

impl Default for AccountId {
    fn default() -> AccountId {
        AccountId::DEFAULT
    }
}

impl FromStr for AccountId {
    type Err = Error;
    fn from_str(s: &str) -> Result<AccountId, Error> {
        AccountId::parse(s)
    }
}

impl TryFrom<&str> for AccountId {
    type Error = Error;
    fn try_from(s: &str) -> Result<AccountId, Error> {
        AccountId::parse(s)
    }
}

impl AsRef<str> for AccountId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for AccountId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for AccountId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({})", self.as_str())
    }
}

impl serde::Serialize for AccountId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for AccountId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<AccountId, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        AccountId::parse(&s).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_everything_but_twelve_digits() {
        for bad in [
            "",
            "12345678901",
            "1234567890123",
            "12345678901a",
            "１２３４５６７８９０１２",
            " 23456789012",
        ] {
            assert!(AccountId::parse(bad).is_err(), "{bad:?}");
            assert!(!AccountId::is_valid(bad), "{bad:?}");
        }
        assert!(AccountId::is_valid("000000000001"));
    }

    #[test]
    fn is_small_and_copy() {
        assert_eq!(std::mem::size_of::<AccountId>(), 12);
        let a = AccountId::DEFAULT;
        let b = a;
        assert_eq!(a, b);
        assert_eq!(format!("{a:?}"), "AccountId(000000000000)");
    }
}
