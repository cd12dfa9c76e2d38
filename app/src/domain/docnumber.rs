//! Vietnamese Party document numbers: `05-KH/ĐU`, `381-CV/HU`.
//!
//! The shape is `<number>-<type>/<issuer>`: a number of one to five digits, the document type
//! in capitals (`KH` a plan, `CV` an official letter, `NQ` a resolution…) and the issuing body's
//! abbreviation in capitals, possibly with `Đ`, digits and inner hyphens (`ĐU`, `HU`, `CB`,
//! `ĐUCA`, `BTC-HU`).

/// Why a document number does not have the expected shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocNumberProblem {
    /// Not `<number>-<type>/<issuer>` at all.
    Shape,
    /// Well formed, but of another document type than expected (e.g. `CV` where a plan's
    /// `KH` is needed).
    WrongType,
}

/// Checks a document number; `expected_type` (`"KH"`) also checks the type symbol.
///
/// # Errors
/// The [`DocNumberProblem`] found.
pub fn check(number: &str, expected_type: Option<&str>) -> Result<(), DocNumberProblem> {
    let (serial, rest) = number
        .trim()
        .split_once('-')
        .ok_or(DocNumberProblem::Shape)?;
    let (kind, issuer) = rest.split_once('/').ok_or(DocNumberProblem::Shape)?;
    let serial_ok = (1..=5).contains(&serial.len()) && serial.bytes().all(|b| b.is_ascii_digit());
    let kind_ok = (1..=4).contains(&kind.chars().count()) && kind.chars().all(is_capital);
    let issuer_ok = (1..=20).contains(&issuer.chars().count())
        && issuer
            .chars()
            .all(|c| is_capital(c) || c.is_ascii_digit() || c == '-')
        && !issuer.starts_with('-')
        && !issuer.ends_with('-');
    if !(serial_ok && kind_ok && issuer_ok) {
        return Err(DocNumberProblem::Shape);
    }
    match expected_type {
        Some(expected) if expected != kind => Err(DocNumberProblem::WrongType),
        _ => Ok(()),
    }
}

/// Capital letters as used in document symbols: A–Z and the Vietnamese Đ.
fn is_capital(c: char) -> bool {
    c.is_ascii_uppercase() || c == 'Đ'
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn real_numbers_are_accepted() {
        for n in [
            "05-KH/ĐU",
            "381-CV/HU",
            "12-KH/CB",
            "3-KH/ĐUCA",
            "01-KH/BTC-HU",
            "1-KH/ĐU2",
        ] {
            assert_eq!(check(n, None), Ok(()), "{n}");
        }
        assert_eq!(check("05-KH/ĐU", Some("KH")), Ok(()));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for n in [
            "",
            "05",
            "05-KH",
            "KH/ĐU",
            "05/KH-ĐU",
            "05-kh/đu",
            "123456-KH/ĐU",
            "05-KH/",
            "05-KH/-HU",
            "05 - KH/ĐU",
            "a5-KH/ĐU",
        ] {
            assert_eq!(check(n, None), Err(DocNumberProblem::Shape), "{n:?}");
        }
        assert_eq!(
            check("381-CV/HU", Some("KH")),
            Err(DocNumberProblem::WrongType)
        );
    }
}
