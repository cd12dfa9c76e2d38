//! Types that cross the network between the browser and the server, besides the sync
//! protocol's own (`sync.rs`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::org::{Role, Roles};

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
    /// The first of `roles` (reviewer, editor, administrator), for clients of the first
    /// release, which knew one role per account.
    pub role: Role,
    /// Every role the account holds at its unit. Absent from what a first-release server sent
    /// and from sessions devices stored then: read as `role` alone (`Me::has`).
    #[serde(default)]
    pub roles: Roles,
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    /// The unit whose campaigns the user sees: its own for a reviewer, the one above for an
    /// editor. Sent as `district_id`, the first release's name, when that was always a
    /// district.
    #[serde(rename = "district_id")]
    pub campaigns_of: Option<Uuid>,
}

impl Me {
    /// The roles the account holds (`role` alone where `roles` was not sent).
    pub fn held(&self) -> Roles {
        if self.roles.is_empty() {
            Roles::of(&[self.role])
        } else {
            self.roles.clone()
        }
    }

    /// Whether the account holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.held().has(role)
    }
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
    /// The units asked to send plans, each directly under the opener's unit. Absent: all of
    /// them, including units added later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 5000))]
    pub units: Option<Vec<Uuid>>,
    /// The structure categories its plans break the pool and targets down by, in order: codes
    /// of the catalogue with its labels, or the committee's own (`x_` and twelve hex digits
    /// made from a UUID, with the committee's label). Absent: the six of letter 381-CV/HU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<crate::domain::Categories>,
    /// The coverage indicators its plans report (`hamlets` first when any is asked). Absent:
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub coverage: Option<Vec<crate::domain::Indicator>>,
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// A session a device stored before accounts held several roles (and what a first-release
    /// server answers) has `role` alone; it still reads as that one role.
    #[test]
    fn a_session_stored_with_one_role_reads_as_that_role() {
        let stored = r#"{"id":"00000000-0000-0000-0000-000000000001","username":"bantochuc",
            "display_name":"Ban Tổ chức","role":"district_reviewer","unit_id":null,
            "unit_name":null,"district_id":null}"#;
        let me: Me = serde_json::from_str(stored).expect("an old session parses");
        assert!(me.has(Role::Reviewer));
        assert!(!me.has(Role::Editor));
        assert_eq!(me.held(), Roles::of(&[Role::Reviewer]));

        let both = Me {
            roles: Roles::of(&[Role::Editor, Role::Reviewer]),
            ..me
        };
        assert!(both.has(Role::Editor) && both.has(Role::Reviewer));
    }
}
