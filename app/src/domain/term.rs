//! A Party Congress term (nhiệm kỳ), e.g. 2020–2025, and the years it covers.
//!
//! Targets are registered per year and for the whole term, so every other part of the model
//! asks the term which years exist.

use std::fmt;
use std::ops::RangeInclusive;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The earliest year a term may start: the Party was founded in 1930.
pub const FIRST_YEAR: u16 = 1930;
/// A generous upper bound that still rejects typing slips such as `20255`.
pub const LAST_YEAR: u16 = 2100;
/// A Congress term lasts five years (2020–2025); a shorter one is allowed for transitional
/// terms, a longer one is always a mistake.
pub const MAX_TERM_YEARS: u16 = 5;

/// A validated term: `start_year < end_year`, both within [`FIRST_YEAR`]..=[`LAST_YEAR`], at
/// most [`MAX_TERM_YEARS`] apart. The fields are private so that no invalid term exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "TermFields", into = "TermFields")]
pub struct Term {
    start_year: u16,
    end_year: u16,
}

/// The serialised shape of a [`Term`]; deserialising goes through [`Term::new`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TermFields {
    #[cfg_attr(feature = "openapi", schema(minimum = 1930, maximum = 2100))]
    start_year: u16,
    #[cfg_attr(feature = "openapi", schema(minimum = 1930, maximum = 2100))]
    end_year: u16,
}

/// Why a term is not valid. Each variant has a stable [`code`](TermError::code) that the
/// server, the browser and the shared test vectors agree on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("nhiệm kỳ phải có dạng «2020–2025»")]
    Format,
    #[error("năm của nhiệm kỳ phải nằm trong khoảng {FIRST_YEAR}–{LAST_YEAR}")]
    YearOutOfRange,
    #[error("năm kết thúc nhiệm kỳ phải sau năm bắt đầu")]
    EndNotAfterStart,
    #[error("một nhiệm kỳ dài tối đa {MAX_TERM_YEARS} năm")]
    TooLong,
}

impl TermError {
    /// The stable machine-readable code of this error.
    pub fn code(self) -> &'static str {
        match self {
            TermError::Format => "term.format",
            TermError::YearOutOfRange => "term.year_out_of_range",
            TermError::EndNotAfterStart => "term.end_not_after_start",
            TermError::TooLong => "term.too_long",
        }
    }
}

impl Term {
    /// Builds a term from its first and last year.
    ///
    /// # Errors
    /// [`TermError`] when a year is outside [`FIRST_YEAR`]..=[`LAST_YEAR`], the end does not come
    /// after the start, or the term is longer than [`MAX_TERM_YEARS`].
    pub fn new(start_year: u16, end_year: u16) -> Result<Self, TermError> {
        let in_range = |y: u16| (FIRST_YEAR..=LAST_YEAR).contains(&y);
        if !in_range(start_year) || !in_range(end_year) {
            return Err(TermError::YearOutOfRange);
        }
        if end_year <= start_year {
            return Err(TermError::EndNotAfterStart);
        }
        if end_year - start_year > MAX_TERM_YEARS {
            return Err(TermError::TooLong);
        }
        Ok(Term {
            start_year,
            end_year,
        })
    }

    pub fn start_year(self) -> u16 {
        self.start_year
    }

    pub fn end_year(self) -> u16 {
        self.end_year
    }

    /// Every calendar year of the term, both ends included (2020–2025 has six).
    pub fn years(self) -> RangeInclusive<u16> {
        self.start_year..=self.end_year
    }

    /// Whether a target year belongs to this term.
    pub fn contains(self, year: u16) -> bool {
        self.years().contains(&year)
    }
}

impl fmt::Display for Term {
    /// The way Vietnamese documents write a term: `2020–2025`, with an en dash.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start_year, self.end_year)
    }
}

impl FromStr for Term {
    type Err = TermError;

    /// Accepts what people type: `2020–2025`, `2020-2025`, `2020 - 2025`, `2020—2025`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (start, end) = s
            .trim()
            .split_once(['-', '–', '—'])
            .ok_or(TermError::Format)?;
        let year = |part: &str| -> Result<u16, TermError> {
            let part = part.trim();
            if part.len() != 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(TermError::Format);
            }
            part.parse().map_err(|_| TermError::Format)
        };
        Term::new(year(start)?, year(end)?)
    }
}

impl TryFrom<TermFields> for Term {
    type Error = TermError;

    fn try_from(fields: TermFields) -> Result<Self, Self::Error> {
        Term::new(fields.start_year, fields.end_year)
    }
}

impl From<Term> for TermFields {
    fn from(term: Term) -> Self {
        TermFields {
            start_year: term.start_year,
            end_year: term.end_year,
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn term_2020_2025_has_six_years_and_prints_with_en_dash() {
        let term: Term = "2020-2025".parse().expect("valid term");
        assert_eq!(
            term.years().collect::<Vec<_>>(),
            [2020, 2021, 2022, 2023, 2024, 2025]
        );
        assert_eq!(term.to_string(), "2020–2025");
        assert!(term.contains(2022));
        assert!(!term.contains(2026));
    }

    #[test]
    fn deserialising_an_invalid_term_fails_with_the_rule_message() {
        let err = serde_json::from_str::<Term>(r#"{"start_year":2025,"end_year":2020}"#)
            .expect_err("end before start must be refused");
        assert!(err.to_string().contains("năm kết thúc"), "{err}");
    }

    #[test]
    fn serialisation_round_trips() {
        let term = Term::new(2020, 2025).expect("valid term");
        let json = serde_json::to_string(&term).expect("serialise");
        assert_eq!(json, r#"{"start_year":2020,"end_year":2025}"#);
        assert_eq!(
            serde_json::from_str::<Term>(&json).expect("deserialise"),
            term
        );
    }
}
