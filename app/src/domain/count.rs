//! A figure typed into a plan: a count of people.
//!
//! Offline, a draft must keep exactly what the user typed — even `abc` or `-3` — so that
//! nothing is lost and the same rule messages appear in the browser and on the server. A
//! [`Count`] therefore holds either a whole number (possibly negative or too large, which the
//! rules report) or the raw text that is not a whole number.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// No single figure of one grassroots organisation comes near this; a larger one is a typing
/// slip (an extra digit).
pub const MAX_COUNT: i64 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Count {
    /// Left blank: counts as zero.
    #[default]
    Empty,
    /// A whole number, not yet checked against the rules.
    Value(i64),
    /// Text that is not a whole number, kept as typed (trimmed, never empty). Made by
    /// [`Count::parse_input`], which is also how strings are read from JSON.
    Invalid(String),
}

/// What is wrong with a count, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountProblem {
    NotANumber,
    NotInteger,
    Negative,
    TooLarge,
}

impl Count {
    /// Interprets what a user typed in a number field.
    pub fn parse_input(input: &str) -> Count {
        let text = input.trim();
        if text.is_empty() {
            return Count::Empty;
        }
        // Too many digits for i64 stays text, exactly as typed (a saturated number would show
        // the user a figure they never typed); the rules still call it too large.
        text.parse::<i64>()
            .map_or_else(|_| Count::Invalid(text.to_owned()), Count::Value)
    }

    /// The usable value: blank is zero; an invalid or out-of-range figure has none (the rules
    /// report it, and sums that would include it are not checked, to avoid a cascade).
    pub fn value(&self) -> Option<u32> {
        match self {
            Count::Empty => Some(0),
            Count::Value(n) if (0..=MAX_COUNT).contains(n) => u32::try_from(*n).ok(),
            _ => None,
        }
    }

    /// Whether nothing was typed.
    pub fn is_blank(&self) -> bool {
        matches!(self, Count::Empty)
    }

    /// The rule this figure breaks, if any.
    pub fn problem(&self) -> Option<CountProblem> {
        match self {
            Count::Empty => None,
            Count::Value(n) if *n < 0 => Some(CountProblem::Negative),
            Count::Value(n) if *n > MAX_COUNT => Some(CountProblem::TooLarge),
            Count::Value(_) => None,
            Count::Invalid(text) if whole_digits(text) && text.starts_with('-') => {
                Some(CountProblem::Negative)
            }
            Count::Invalid(text) if whole_digits(text) => Some(CountProblem::TooLarge),
            Count::Invalid(text) if looks_decimal(text) => Some(CountProblem::NotInteger),
            Count::Invalid(_) => Some(CountProblem::NotANumber),
        }
    }

    /// The text to show in an input box.
    pub fn input_text(&self) -> String {
        match self {
            Count::Empty => String::new(),
            Count::Value(n) => n.to_string(),
            Count::Invalid(text) => text.clone(),
        }
    }
}

impl From<u32> for Count {
    fn from(n: u32) -> Self {
        Count::Value(i64::from(n))
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Count::Empty => f.write_str("0"),
            Count::Value(n) => write!(f, "{n}"),
            Count::Invalid(text) => f.write_str(text),
        }
    }
}

/// `123…` or `-123…`: a whole number (here: one too long for `i64`).
fn whole_digits(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `2.5`, `1,5`, `-0.5`: a number, but not a whole one.
fn looks_decimal(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let mut parts = body.splitn(2, ['.', ',']);
    let (Some(int), Some(frac)) = (parts.next(), parts.next()) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(int) && digits(frac)
}

impl Serialize for Count {
    /// Blank → `null`, a whole number → a JSON number, anything else → the text as typed.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Empty => serializer.serialize_none(),
            Count::Value(n) => serializer.serialize_i64(*n),
            Count::Invalid(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    /// Accepts anything a count can be: `null`, a number (a non-whole one is kept as text so
    /// the rules can report it) or a string (interpreted like typed input).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CountVisitor;

        impl Visitor<'_> for CountVisitor {
            type Value = Count;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a count: null, a number or a string")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Count, E> {
                Ok(Count::Empty)
            }

            fn visit_none<E: de::Error>(self) -> Result<Count, E> {
                Ok(Count::Empty)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                Ok(Count::Value(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(i64::try_from(v).map_or_else(|_| Count::Invalid(v.to_string()), Count::Value))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                // Integral floats (`3.0`, `-2.39e17`) are whole numbers. Every integral f64 in
                // i64's range converts exactly. (A bound of 2^53 once kept larger ones as text,
                // which read back as a number: not stable through a second round trip.)
                const I64_END: f64 = 9_223_372_036_854_775_808.0;
                if v.is_finite() && v.fract() == 0.0 && (-I64_END..I64_END).contains(&v) {
                    #[allow(clippy::cast_possible_truncation)]
                    return Ok(Count::Value(v as i64));
                }
                Ok(Count::Invalid(v.to_string()))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                Ok(Count::parse_input(v))
            }
        }

        deserializer.deserialize_any(CountVisitor)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn typed_input_is_kept_and_classified() {
        let cases = [
            ("", Count::Empty, None),
            ("  12 ", Count::Value(12), None),
            ("0", Count::Value(0), None),
            ("-3", Count::Value(-3), Some(CountProblem::Negative)),
            ("100000", Count::Value(100_000), None),
            (
                "100001",
                Count::Value(100_001),
                Some(CountProblem::TooLarge),
            ),
            (
                "2.5",
                Count::Invalid("2.5".into()),
                Some(CountProblem::NotInteger),
            ),
            (
                "1,5",
                Count::Invalid("1,5".into()),
                Some(CountProblem::NotInteger),
            ),
            (
                "abc",
                Count::Invalid("abc".into()),
                Some(CountProblem::NotANumber),
            ),
            (
                "12a",
                Count::Invalid("12a".into()),
                Some(CountProblem::NotANumber),
            ),
            (
                "-",
                Count::Invalid("-".into()),
                Some(CountProblem::NotANumber),
            ),
            (
                "99999999999999999999999",
                Count::Invalid("99999999999999999999999".into()),
                Some(CountProblem::TooLarge),
            ),
            (
                "-99999999999999999999999",
                Count::Invalid("-99999999999999999999999".into()),
                Some(CountProblem::Negative),
            ),
        ];
        for (input, count, problem) in cases {
            let parsed = Count::parse_input(input);
            assert_eq!(parsed, count, "input {input:?}");
            assert_eq!(parsed.problem(), problem, "input {input:?}");
        }
    }

    #[test]
    fn json_round_trips_every_kind_of_count() {
        for count in [
            Count::Empty,
            Count::Value(7),
            Count::Value(-1),
            Count::Invalid("abc".into()),
        ] {
            let json = serde_json::to_string(&count).expect("serialise");
            assert_eq!(
                serde_json::from_str::<Count>(&json).expect("deserialise"),
                count
            );
        }
        assert_eq!(
            serde_json::from_str::<Count>("3.0").expect("float"),
            Count::Value(3)
        );
        assert_eq!(
            serde_json::from_str::<Count>("2.5")
                .expect("float")
                .problem(),
            Some(CountProblem::NotInteger)
        );
        assert!(
            serde_json::from_str::<Count>("[1]").is_err(),
            "arrays are not counts"
        );
        // Found by tests/hostile_input.rs: numbers past i64, as JSON numbers or text, once
        // read, stay the same through any number of saves (they used to saturate on the
        // second read, turning a "not a number" into a different figure and message).
        for json in [
            "-2.1223654766336085e220",
            "18446744073709551615",
            "\"99999999999999999999\"",
            // Integral, past 2^53 but inside i64 (found by the same test).
            "-2.3905961197968618e17",
            "9.2e18",
        ] {
            let once: Count = serde_json::from_str(json).expect("read");
            let twice: Count = serde_json::to_string(&once)
                .and_then(|j| serde_json::from_str(&j))
                .expect("read again");
            assert_eq!(once, twice, "{json}");
            assert!(once.problem().is_some(), "{json} is refused by the rules");
        }
    }

    #[test]
    fn only_valid_figures_have_a_value() {
        assert_eq!(Count::Empty.value(), Some(0));
        assert_eq!(Count::Value(5).value(), Some(5));
        assert_eq!(Count::Value(-5).value(), None);
        assert_eq!(Count::Value(MAX_COUNT + 1).value(), None);
        assert_eq!(Count::Invalid("x".into()).value(), None);
    }
}
