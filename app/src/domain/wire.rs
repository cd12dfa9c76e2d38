//! Types that cross the network between the browser and the server, besides the sync
//! protocol's own (`sync.rs`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::org::Role;

/// The body of every error response of the JSON API: a stable machine-readable `code`
/// (what the client branches on) and a Vietnamese `message` (what the user reads).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Technical detail for developers (e.g. where a JSON body stopped parsing), in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field problems of a refused form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// What `GET /healthz` answers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok` or `error`.
    pub status: String,
    /// `ok` or `unreachable`.
    pub database: String,
    /// The server's version (the workspace version).
    pub version: String,
}

/// `POST /api/v1/auth/login`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub username: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 256))]
    pub password: String,
}

/// Who is logged in: `GET /api/v1/auth/me`, and the answer to a login.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub district_id: Option<Uuid>,
}

/// One entry of a plan's history (`GET /api/v1/plans/{id}/versions`): a revision where the
/// status changed, or the latest.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionSummary {
    pub revision: i64,
    pub status: crate::domain::PlanStatus,
    pub at: chrono::DateTime<chrono::Utc>,
    pub author: Option<String>,
}

/// The fields that differ between two revisions (`GET /api/v1/plans/{id}/diff`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanDiff {
    pub from: i64,
    pub to: i64,
    pub changes: Vec<crate::domain::path::Difference>,
}

/// `POST /api/v1/campaigns` body. The id is made by the client, so a retried request cannot
/// open the campaign twice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub letter_number: String,
    pub letter_date: chrono::NaiveDate,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub title: String,
    pub term: crate::domain::Term,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::domain::schema::years))]
    pub years: Vec<u16>,
    pub deadline: chrono::NaiveDate,
    pub term_total_rule: crate::domain::TermTotalRule,
}
