//! UUID v4 and opaque tokens drawn from the seeded RNG.

use std::fmt;
use std::str::FromStr;

use crate::Rand;

/// A version-4 (random) UUID, displayed in the lowercase hyphenated form AWS uses for message ids,
/// request ids and execution names.
///
/// ```
/// use aws_lite_core::{Rand, id::Uuid};
///
/// let id = Uuid::new_v4(&Rand::seeded(1));
/// let text = id.to_string();
/// assert_eq!(text.len(), 36);
/// assert_eq!(&text[14..15], "4");
/// assert_eq!(text.parse::<Uuid>().unwrap(), id);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uuid([u8; 16]);

impl Uuid {
    /// A random UUID from `rand`, with the version (4) and variant (RFC 4122) bits set.
    pub fn new_v4(rand: &Rand) -> Uuid {
        let mut b = [0u8; 16];
        rand.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        Uuid(b)
    }

    /// The UUID with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Uuid {
        Uuid(bytes)
    }

    /// The 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 36];
        let mut j = 0;
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out[j] = b'-';
                j += 1;
            }
            out[j] = HEX[usize::from(byte >> 4)];
            out[j + 1] = HEX[usize::from(byte & 0x0f)];
            j += 2;
        }
        // The buffer holds only ASCII hex digits and hyphens.
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

/// The error of parsing a [`Uuid`] from text that is not the 36-character hyphenated form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid UUID: expected 8-4-4-4-12 hexadecimal digits")]
pub struct ParseUuidError(());

impl FromStr for Uuid {
    type Err = ParseUuidError;
    fn from_str(s: &str) -> Result<Uuid, ParseUuidError> {
        let s = s.as_bytes();
        if s.len() != 36 {
            return Err(ParseUuidError(()));
        }
        let mut out = [0u8; 16];
        let mut k = 0;
        let mut i = 0;
        while i < 36 {
            if matches!(i, 8 | 13 | 18 | 23) {
                if s[i] != b'-' {
                    return Err(ParseUuidError(()));
                }
                i += 1;
                continue;
            }
            let hi = hex_val(s[i]).ok_or(ParseUuidError(()))?;
            let lo = hex_val(*s.get(i + 1).ok_or(ParseUuidError(()))?).ok_or(ParseUuidError(()))?;
            out[k] = (hi << 4) | lo;
            k += 1;
            i += 2;
        }
        Ok(Uuid(out))
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// An opaque token of `len` characters from `[A-Za-z0-9]`, drawn from `rand`: receipt handles,
/// pagination tokens, task tokens.
///
/// ```
/// use aws_lite_core::{Rand, id::token};
///
/// let t = token(&Rand::seeded(5), 24);
/// assert_eq!(t.len(), 24);
/// assert!(t.bytes().all(|b| b.is_ascii_alphanumeric()));
/// assert_eq!(t, token(&Rand::seeded(5), 24));
/// ```
pub fn token(rand: &Rand, len: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        s.push(char::from(ALPHABET[rand.below(62) as usize]));
    }
    s
}
