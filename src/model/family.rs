//! Case families: what kind of audience mistake a case probes. The standard families are
//! named here once and shared by the suites' checks, the generators, the near misses and
//! `explain`; a test holds them to the families the standard suites use, so renaming one in
//! suites/ fails there instead of silently breaking a lookup. Suites may add families.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Family(Cow<'static, str>);

macro_rules! families {
    ($($name:ident = $text:literal),+ $(,)?) => {
        impl Family {
            $(pub const $name: Family = Family(Cow::Borrowed($text));)+
            /// The families audcheck itself names (the standard suites' families).
            pub const STANDARD: &'static [Family] = &[$(Family::$name),+];
        }
    };
}

families! {
    VALID = "valid",
    WRONG = "wrong",
    ARRAY = "array",
    TRAILING_SLASH = "trailing-slash",
    CROSS_ENVIRONMENT = "cross-environment",
    MISSING = "missing",
    NO_CONFIG = "no-config",
    MULTI_CONFIG = "multi-config",
    CASE = "case",
    SCHEME = "scheme",
    PORT = "port",
    ENCODING = "encoding",
    UNICODE = "unicode",
    WHITESPACE = "whitespace",
    TYPE = "type",
    EMPTY = "empty",
    SUBSTRING = "substring",
    DUPLICATE = "duplicate",
    SIZE = "size",
    TYP = "typ",
    IDP_SHAPE = "idp-shape",
    AZP = "azp",
    IDENTIFIER = "identifier",
    CONTROL = "control",
    REGEX = "regex",
    NUL = "nul",
    SEPARATOR = "separator",
    COERCION = "coercion",
    QUERY = "query",
    USERINFO = "userinfo",
    BLANK_CONFIG = "blank-config",
    JSON_TEXT = "json-text",
    MEMBER_POSITION = "member-position",
    SUBSET = "subset",
    IDN = "idn",
    CONFIG_SHAPE = "config-shape",
    WILDCARD = "wildcard",
}

/// A family name that cannot be one: names are lowercase letters, digits and '-'.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a family name; use lowercase letters, digits and '-' (say \"trailing-slash\")")]
pub struct BadFamily(pub String);

impl Family {
    /// A family by name: a standard one, or one a suite adds.
    pub fn new(name: &str) -> Result<Family, BadFamily> {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(BadFamily(name.to_string()));
        }
        Ok(Family::STANDARD.iter().find(|f| f.as_str() == name).cloned().unwrap_or_else(|| Family(Cow::Owned(name.to_string()))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_standard(&self) -> bool {
        Family::STANDARD.contains(self)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Family {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Family {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Family {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Family {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Family, D::Error> {
        let name = String::deserialize(d)?;
        Family::new(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Family;

    #[test]
    fn names_are_checked_and_standard_ones_shared() {
        assert_eq!(Family::new("trailing-slash").unwrap(), Family::TRAILING_SLASH);
        assert!(Family::new("my-own").is_ok_and(|f| !f.is_standard()));
        for bad in ["", "Case", "a b", "x/y", "ü"] {
            assert!(Family::new(bad).is_err(), "{bad}");
        }
        let json = serde_json::to_string(&Family::CROSS_ENVIRONMENT).unwrap();
        assert_eq!(json, "\"cross-environment\"");
        assert_eq!(serde_json::from_str::<Family>(&json).unwrap(), Family::CROSS_ENVIRONMENT);
    }
}
