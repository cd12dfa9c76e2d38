//! OpenAPI schemas of the wire types whose serde form is written by hand, for the server's
//! generated API document (feature `openapi`). The other wire types derive theirs next to
//! their definition, so a field added there is documented by the same change.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::count::Count;
use crate::domain::plan::Breakdown;
use crate::domain::term::{Term, TermFields};
use crate::domain::totals::Sums;

impl PartialSchema for Count {
    /// `null`, a JSON number, or the text typed when it is not a whole number (see
    /// `Count`'s `Serialize`).
    fn schema() -> RefOr<Schema> {
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "A count: null (blank), a whole number, or the text the user typed when it is \
                 not one (kept as typed so a draft loses nothing; the rules report it, and a \
                 plan with it cannot be submitted).",
            ))
            .into()
    }
}

impl ToSchema for Count {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Count")
    }
}

/// A term travels as its fields (`serde(try_from = "TermFields")`).
impl PartialSchema for Term {
    fn schema() -> RefOr<Schema> {
        TermFields::schema()
    }
}

impl ToSchema for Term {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Term")
    }
}

impl PartialSchema for Sums {
    /// One sum per figure of the campaign, the total first.
    fn schema() -> RefOr<Schema> {
        ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(0)),
            )
            .min_items(Some(1))
            .max_items(Some(1 + crate::domain::category::MAX_CATEGORIES))
            .description(Some(
                "The total, then one sum per category of the campaign in its order (for a \
                 campaign without a list: ethnic_minority, religious, youth_union, women, \
                 students, workers).",
            ))
            .into()
    }
}

/// A breakdown travels as one object: `total` and a field per category code.
impl PartialSchema for Breakdown {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .property("total", Count::schema())
            .additional_properties(Some(Count::schema()))
            .max_properties(Some(1 + 2 * crate::domain::category::MAX_CATEGORIES))
            .description(Some(
                "The total and, per structure category code (`women`, `ethnic_minority`, a \
                 committee's own `x_…`), the count in it. A category left out is blank.",
            ))
            .into()
    }
}

impl ToSchema for Breakdown {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Breakdown")
    }
}

impl ToSchema for Sums {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Sums")
    }
}

/// The years of a campaign: at most ten, each within the years a term may have.
pub(crate) fn years() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(crate::domain::term::FIRST_YEAR))
                .maximum(Some(crate::domain::term::LAST_YEAR)),
        )
        .max_items(Some(crate::domain::rules::MAX_TARGET_YEARS))
}

/// A closed set of codes (`coded_enum!`), each described by its Vietnamese label.
pub(crate) fn codes(values: &[(&str, &str)]) -> RefOr<Schema> {
    let described: Vec<String> = values
        .iter()
        .map(|(code, label)| format!("`{code}`: {label}"))
        .collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().map(|(code, _)| *code)))
        .description(Some(described.join("; ")))
        .into()
}
