//! Values and single-value matchers: numbers, strings, IP ranges, wildcards.

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::regexp::Regexp;

/// How numbers compare: SNS scales to six decimals within ±1e9 (as the SNS matcher does);
/// EventBridge compares doubles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberSemantics {
    Sns,
    EventBridge,
}

/// The SNS numeric bound: pattern numbers used in comparisons must lie within ±1e9.
pub(crate) const SNS_NUMBER_LIMIT: f64 = 1e9;

/// A number with its comparison key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num {
    pub(crate) f: f64,
    /// The order-preserving key numeric comparisons use; `None` when the number is outside the
    /// range comparisons support (SNS: ±1e9).
    pub(crate) key: Option<i64>,
}

impl Num {
    pub(crate) fn new(f: f64, sem: NumberSemantics) -> Num {
        let f = if f == 0.0 { 0.0 } else { f };
        let key = match sem {
            NumberSemantics::Sns => {
                if (-SNS_NUMBER_LIMIT..=SNS_NUMBER_LIMIT).contains(&f) {
                    // Six decimals, as a non-negative integer: SNS compares numbers this way,
                    // so 1.0000001 and 1.0000002 are equal.
                    Some(((SNS_NUMBER_LIMIT + f) * 1e6).floor() as i64)
                } else {
                    None
                }
            }
            NumberSemantics::EventBridge => Some(ordered_bits(f)),
        };
        Num { f, key }
    }

    pub(crate) fn parse(text: &str, sem: NumberSemantics) -> Option<Num> {
        let f: f64 = text.trim().parse().ok()?;
        if !f.is_finite() {
            return None;
        }
        Some(Num::new(f, sem))
    }

    /// Equality by value.
    pub(crate) fn same(&self, other: &Num) -> bool {
        match (self.key, other.key) {
            (Some(a), Some(b)) => a == b,
            _ => self.f == other.f,
        }
    }

    /// A hash key consistent with [`Num::same`].
    pub(crate) fn hash_key(&self) -> NumHash {
        match self.key {
            Some(k) => NumHash::Key(k),
            None => NumHash::Raw(self.f.to_bits()),
        }
    }
}

/// A hashable form of [`Num`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum NumHash {
    Key(i64),
    Raw(u64),
}

/// Maps a double to an integer with the same order.
fn ordered_bits(f: f64) -> i64 {
    let b = f.to_bits() as i64;
    if b < 0 { b ^ i64::MAX } else { b }
}

/// One value of an event, at one path.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LeafValue<'a> {
    Str(Cow<'a, str>),
    Num(Num),
    True,
    False,
    Null,
}

impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        self.same(other)
    }
}

/// A value to match exactly.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Str(Box<str>),
    Num(Num),
    True,
    False,
    Null,
}

impl Literal {
    pub(crate) fn matches(&self, v: &LeafValue<'_>) -> bool {
        match (self, v) {
            (Literal::Str(a), LeafValue::Str(b)) => **a == **b,
            (Literal::Num(a), LeafValue::Num(b)) => a.same(b),
            (Literal::True, LeafValue::True)
            | (Literal::False, LeafValue::False)
            | (Literal::Null, LeafValue::Null) => true,
            _ => false,
        }
    }
}

/// A numeric range over comparison keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct NumRange {
    /// Lower bound and whether it is included.
    pub(crate) lo: Option<(i64, bool)>,
    /// Upper bound and whether it is included.
    pub(crate) hi: Option<(i64, bool)>,
}

impl NumRange {
    pub(crate) fn contains(&self, key: i64) -> bool {
        let lo_ok = match self.lo {
            None => true,
            Some((b, true)) => key >= b,
            Some((b, false)) => key > b,
        };
        let hi_ok = match self.hi {
            None => true,
            Some((b, true)) => key <= b,
            Some((b, false)) => key < b,
        };
        lo_ok && hi_ok
    }
}

/// An inclusive range of IP addresses (IPv4 or IPv6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    pub(crate) v6: bool,
    pub(crate) lo: u128,
    pub(crate) hi: u128,
    /// The mask length.
    pub(crate) bits: u8,
}

/// An IP address parsed from an event value.
pub(crate) fn parse_ip(s: &str) -> Option<(bool, u128)> {
    if let Some(a) = dotted_quad(s.as_bytes()) {
        return Some((false, u128::from(a)));
    }
    if let Ok(a) = s.parse::<Ipv4Addr>() {
        return Some((false, u128::from(u32::from(a))));
    }
    s.parse::<Ipv6Addr>().ok().map(|a| (true, u128::from(a)))
}

/// An IPv4 address in dotted-quad form, by the rules of `Ipv4Addr`'s parser (four decimal
/// octets of one to three digits, no leading zeros, at most 255), without its generality.
#[inline]
fn dotted_quad(b: &[u8]) -> Option<u32> {
    if !(7..=15).contains(&b.len()) {
        return None;
    }
    let mut out = 0u32;
    let mut i = 0;
    for octet in 0..4 {
        if octet > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() || i - start == 3 {
                break;
            }
            v = v * 10 + u32::from(c - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || (digits > 1 && b[start] == b'0') || v > 255 {
            return None;
        }
        out = (out << 8) | v;
    }
    (i == b.len()).then_some(out)
}

impl IpRange {
    /// Parses a CIDR block; errors carry AWS's messages.
    pub(crate) fn parse(cidr: &str) -> Result<IpRange, String> {
        // Java's split drops trailing empty strings.
        let mut parts: Vec<&str> = cidr.split('/').collect();
        while parts.len() > 1 && parts.last() == Some(&"") {
            parts.pop();
        }
        if parts.len() != 2 {
            return Err("Malformed CIDR, one '/' required".to_owned());
        }
        let mask_text = parts[1].strip_prefix('+').unwrap_or(parts[1]);
        let mask: i64 = mask_text
            .parse()
            .map_err(|_| "Malformed CIDR, mask bits must be an integer".to_owned())?;
        if mask < 0 {
            return Err("Malformed CIDR, mask bits must not be negative".to_owned());
        }
        let ip = parts[0];
        let Some((v6, bits)) = parse_ip(ip) else {
            return Err(format!("Nonstandard IP address: {ip}"));
        };
        let width: i64 = if v6 { 128 } else { 32 };
        if !v6 && mask > 31 {
            return Err("IPv4 mask bits must be < 32".to_owned());
        }
        if v6 && mask > 127 {
            return Err("IPv6 mask bits must be < 128".to_owned());
        }
        let host_bits = u32::try_from(width - mask).unwrap_or(0);
        let host_mask: u128 = if host_bits == 0 {
            0
        } else {
            (1u128 << host_bits) - 1
        };
        // The block runs from the address as written to the top of its subnet.
        Ok(IpRange {
            v6,
            lo: bits,
            hi: bits | host_mask,
            bits: u8::try_from(mask).unwrap_or(0),
        })
    }

    pub(crate) fn contains(&self, v6: bool, ip: u128) -> bool {
        self.v6 == v6 && self.lo <= ip && ip <= self.hi
    }

    /// Whether the block starts on its subnet boundary (the address as written has no host
    /// bits set), so that it is the set of addresses sharing its first `bits` bits.
    pub(crate) fn aligned(&self) -> bool {
        network(self.v6, self.lo, self.bits) == self.lo
    }
}

/// The network part of `ip` for a mask of `bits` bits.
pub(crate) fn network(v6: bool, ip: u128, bits: u8) -> u128 {
    let width: u32 = if v6 { 128 } else { 32 };
    let host = width.saturating_sub(u32::from(bits));
    if host >= 128 {
        0
    } else {
        ip & !((1u128 << host) - 1)
    }
}

/// An EventBridge wildcard pattern: `*` matches any run of characters (including none),
/// `\*` a literal star and `\\` a literal backslash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    /// Literal pieces between stars; `pieces.len() == stars + 1`.
    pieces: Vec<Vec<u8>>,
    source: Box<str>,
}

/// EventBridge's limit on stars in one wildcard pattern (an approximation of its complexity
/// rule; `"*:*:*:*:*:event-bus/*"` is rejected).
const MAX_WILDCARDS: usize = 5;

impl Wildcard {
    /// Parses a wildcard pattern; errors carry event-ruler's messages.
    pub(crate) fn parse(text: &str) -> Result<Wildcard, String> {
        let b = text.as_bytes();
        let mut pieces = vec![Vec::new()];
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'*' => {
                    if b.get(i + 1) == Some(&b'*') {
                        return Err(format!("Consecutive wildcard characters at pos {i}"));
                    }
                    pieces.push(Vec::new());
                }
                b'\\' => match b.get(i + 1) {
                    Some(&c @ (b'*' | b'\\')) => {
                        if let Some(last) = pieces.last_mut() {
                            last.push(c);
                        }
                        i += 1;
                    }
                    _ => return Err(format!("Invalid escape character at pos {i}")),
                },
                c => {
                    if let Some(last) = pieces.last_mut() {
                        last.push(c);
                    }
                }
            }
            i += 1;
        }
        if pieces.len() - 1 > MAX_WILDCARDS {
            return Err(
                "Rule is too complex - try using fewer wildcard characters or fewer \
                        repeating character sequences after a wildcard character"
                    .to_owned(),
            );
        }
        Ok(Wildcard {
            pieces,
            source: text.into(),
        })
    }

    pub(crate) fn matches(&self, value: &str) -> bool {
        let v = value.as_bytes();
        let n = self.pieces.len();
        if n == 1 {
            return v == self.pieces[0].as_slice();
        }
        let first = &self.pieces[0];
        let last = &self.pieces[n - 1];
        if v.len() < first.len() + last.len() || !v.starts_with(first) || !v.ends_with(last) {
            return false;
        }
        let mut rest = &v[first.len()..v.len() - last.len()];
        for piece in &self.pieces[1..n - 1] {
            match find(rest, piece) {
                Some(at) => rest = &rest[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Lowercases for `equals-ignore-case`.
pub(crate) fn fold(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|c| c.is_ascii() && !c.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// The forms of `anything-but`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnythingBut {
    /// Not one of these strings (numbers, booleans and null are accepted).
    Strings(Vec<Box<str>>),
    /// Not one of these numbers.
    Numbers(Vec<Num>),
    /// Not starting with any of these.
    Prefix(Vec<Box<str>>),
    /// Not ending with any of these (EventBridge).
    Suffix(Vec<Box<str>>),
    /// Not equal, ignoring case, to any of these (lowercased; EventBridge).
    IgnoreCase(Vec<Box<str>>),
    /// Not matching any of these wildcards (EventBridge).
    Wildcard(Vec<Wildcard>),
}

impl AnythingBut {
    /// Whether the value is one of the excluded ones.
    pub(crate) fn excludes(&self, v: &LeafValue<'_>) -> bool {
        match (self, v) {
            (AnythingBut::Strings(list), LeafValue::Str(s)) => list.iter().any(|x| **x == **s),
            (AnythingBut::Numbers(list), LeafValue::Num(n)) => list.iter().any(|x| x.same(n)),
            (AnythingBut::Prefix(list), LeafValue::Str(s)) => {
                list.iter().any(|p| s.starts_with(&**p))
            }
            (AnythingBut::Suffix(list), LeafValue::Str(s)) => {
                list.iter().any(|p| s.ends_with(&**p))
            }
            (AnythingBut::IgnoreCase(list), LeafValue::Str(s)) => {
                let f = fold(s);
                list.iter().any(|x| **x == *f)
            }
            (AnythingBut::Wildcard(list), LeafValue::Str(s)) => list.iter().any(|w| w.matches(s)),
            _ => false,
        }
    }
}

/// One condition of a field (an element of the field's array in the pattern).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    Exact(Literal),
    Prefix(Box<str>),
    PrefixIgnoreCase(Box<str>),
    Suffix(Box<str>),
    SuffixIgnoreCase(Box<str>),
    EqualsIgnoreCase(Box<str>),
    Wildcard(Wildcard),
    Regexp(Regexp),
    Numeric(NumRange),
    Cidr(IpRange),
    Exists(bool),
    AnythingBut(AnythingBut),
}

impl Matcher {
    /// Whether this matcher is decided by the values present (not by absence or exclusion).
    pub(crate) fn is_positive(&self) -> bool {
        !matches!(self, Matcher::Exists(false) | Matcher::AnythingBut(_))
    }

    /// Whether a single present value satisfies a positive matcher. `Exists(true)` and the
    /// negative matchers are decided by the field, not here.
    pub(crate) fn matches_value(&self, v: &LeafValue<'_>) -> bool {
        match self {
            Matcher::Exact(lit) => lit.matches(v),
            Matcher::Numeric(r) => match v {
                LeafValue::Num(n) => n.key.is_some_and(|k| r.contains(k)),
                _ => false,
            },
            Matcher::Exists(true) => true,
            Matcher::Exists(false) | Matcher::AnythingBut(_) => false,
            _ => {
                let LeafValue::Str(s) = v else {
                    return false;
                };
                match self {
                    Matcher::Prefix(p) => s.starts_with(&**p),
                    Matcher::Suffix(p) => s.ends_with(&**p),
                    Matcher::PrefixIgnoreCase(p) => fold(s).starts_with(&**p),
                    Matcher::SuffixIgnoreCase(p) => fold(s).ends_with(&**p),
                    Matcher::EqualsIgnoreCase(p) => *fold(s) == **p,
                    Matcher::Wildcard(w) => w.matches(s),
                    Matcher::Regexp(r) => r.matches(s),
                    Matcher::Cidr(range) => {
                        parse_ip(s).is_some_and(|(v6, ip)| range.contains(v6, ip))
                    }
                    _ => false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        for sem in [NumberSemantics::Sns, NumberSemantics::EventBridge] {
            let a = Num::parse("35", sem).unwrap();
            let b = Num::parse("35.0", sem).unwrap();
            let c = Num::parse("3.5e1", sem).unwrap();
            assert!(a.same(&b) && b.same(&c));
            assert!(Num::parse("-1", sem).unwrap().key < Num::parse("-0.5", sem).unwrap().key);
        }
        let s = NumberSemantics::Sns;
        assert!(
            Num::parse("1.0000001", s)
                .unwrap()
                .same(&Num::parse("1.0000002", s).unwrap())
        );
        assert!(Num::parse("2e9", s).unwrap().key.is_none());
    }

    #[test]
    fn wildcards() {
        let w = Wildcard::parse("he*l*").unwrap();
        assert!(w.matches("hel") && w.matches("helxlx") && !w.matches("hex"));
        let w = Wildcard::parse("h*llo").unwrap();
        assert!(w.matches("hllo") && !w.matches("hlo"));
        let w = Wildcard::parse(r"he\\*llo").unwrap();
        assert!(w.matches(r"he\xxllo"));
        assert!(Wildcard::parse("a**").is_err());
        assert!(Wildcard::parse("*:*:*:*:*:x/*").is_err());
    }

    #[test]
    fn dotted_quads_parse_as_std_parses_them() {
        let cases = [
            "10.0.0.1",
            "255.255.255.255",
            "256.0.0.1",
            "01.2.3.4",
            "0.0.0.0",
            "1.2.3",
            "1.2.3.4.5",
            "1.2.3.4 ",
            "1..2.3",
            "1.2.3.0004",
            "1.2.3.400",
            "+1.2.3.4",
            "1.2.3.-4",
            "a.b.c.d",
            "::1",
            "1234.1.1.1",
            "1.2.3.4\0",
        ];
        for c in cases {
            let ours = dotted_quad(c.as_bytes());
            let std = c.parse::<Ipv4Addr>().ok().map(u32::from);
            assert!(ours.is_none() || ours == std, "{c}: {ours:?} vs {std:?}");
            assert_eq!(
                parse_ip(c),
                c.parse::<std::net::IpAddr>().ok().map(|a| match a {
                    std::net::IpAddr::V4(a) => (false, u128::from(u32::from(a))),
                    std::net::IpAddr::V6(a) => (true, u128::from(a)),
                }),
                "{c}"
            );
        }
        for a in 0..=300u32 {
            for text in [format!("{a}.1.{a}.0"), format!("0{a}.1.1.1")] {
                let std = text.parse::<Ipv4Addr>().ok().map(u32::from);
                assert_eq!(dotted_quad(text.as_bytes()), std, "{text}");
            }
        }
    }

    #[test]
    fn cidr_blocks() {
        let r = IpRange::parse("10.0.0.0/24").unwrap();
        let (v6, ip) = parse_ip("10.0.0.255").unwrap();
        assert!(r.contains(v6, ip));
        assert!(parse_ip("10.0.0.256").is_none());
        let r = IpRange::parse("2001:db8:1234:1a00::/64").unwrap();
        let (v6, ip) = parse_ip("2001:0db8:1234:1a00:0000:0000:0000:0000").unwrap();
        assert!(r.contains(v6, ip));
        assert_eq!(
            IpRange::parse("bad-filter").unwrap_err(),
            "Malformed CIDR, one '/' required"
        );
        assert_eq!(
            IpRange::parse("xxxx:db8::/64").unwrap_err(),
            "Nonstandard IP address: xxxx:db8::"
        );
    }
}
