//! Administrator endpoints: accounts.

use app::domain::{Role, Roles};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::{self, NewUser};
use crate::http::error::ApiError;
use crate::http::extract::require;
use crate::http::extract::{ApiJson, ApiPath};
use crate::http::openapi::{
    BodyRefused, Invalid, Malformed, Missing, NeedsLogin, NotAllowed, Taken,
};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::audit;
use crate::store::entities::user_account;
use crate::store::units;

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserSummary {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    /// The account's roles at its unit.
    pub roles: Roles,
    pub unit_id: Option<Uuid>,
    pub disabled: bool,
}

impl From<user_account::Model> for UserSummary {
    fn from(u: user_account::Model) -> Self {
        UserSummary {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            roles: Roles::from_codes(&u.roles).unwrap_or_default(),
            unit_id: u.unit_id,
            disabled: u.disabled,
        }
    }
}

/// The accounts an administrator manages: all of them (an administrator with no unit), or
/// those of the units in its unit's subtree — a province's administrator its communes' and
/// their cells', a commune's its cells'.
enum Managed {
    All,
    Units(BTreeSet<Uuid>),
}

impl Managed {
    async fn of(state: &AppState, user: &AuthUser) -> Result<Managed, ApiError> {
        require(user, &[Role::Administrator])?;
        Ok(match user.unit_id {
            None => Managed::All,
            Some(unit) => Managed::Units(units::subtree(&state.db, unit).await?),
        })
    }

    fn covers(&self, unit: Option<Uuid>) -> bool {
        match self {
            Managed::All => true,
            Managed::Units(units) => unit.is_some_and(|u| units.contains(&u)),
        }
    }
}

/// `GET /api/v1/admin/users`
#[utoipa::path(
    get,
    path = "/admin/users",
    operation_id = "listUsers",
    summary = "The accounts this administrator manages (all, or its subtree's)",
    security(("session" = [])),
    responses(
        (status = 200, description = "The accounts, by username", body = Vec<UserSummary>),
        NeedsLogin,
        NotAllowed,
    )
)]
pub async fn list_users(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    let managed = Managed::of(&state, &user).await?;
    let mut query = user_account::Entity::find().order_by_asc(user_account::Column::Username);
    if let Managed::Units(units) = &managed {
        query = query.filter(user_account::Column::UnitId.is_in(units.iter().copied()));
    }
    let users = query.all(&state.db).await?;
    Ok(Json(users.into_iter().map(UserSummary::from).collect()))
}

/// `POST /api/v1/admin/users`
#[utoipa::path(
    post,
    path = "/admin/users",
    operation_id = "createUser",
    summary = "Create an account (administrator)",
    security(("session" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = UserSummary),
        Malformed,
        NeedsLogin,
        NotAllowed,
        BodyRefused,
        Taken,
        Invalid,
    )
)]
pub async fn create_user(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<Response, ApiError> {
    // Outside its subtree (or a whole-tree administrator, unit none) is not this
    // administrator's to create.
    if !Managed::of(&state, &user).await?.covers(new.unit_id) {
        return Err(ApiError::Forbidden);
    }
    let created = accounts::create_user(&state.db, new).await?;
    audit::record(
        &state.db,
        Some(user.id),
        Some(&user.username),
        "user.create",
        Some(created.username.clone()),
        None,
        None,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(UserSummary::from(created))).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPassword {
    #[schema(max_length = 256)]
    pub password: String,
}

/// `POST /api/v1/admin/users/{id}/password`
#[utoipa::path(
    post,
    path = "/admin/users/{id}/password",
    operation_id = "resetPassword",
    summary = "Set a new password for an account (administrator); ends its sessions",
    security(("session" = [])),
    params(("id" = Uuid, Path, description = "The account")),
    request_body = NewPassword,
    responses(
        (status = 204, description = "Password set"),
        Malformed,
        NeedsLogin,
        NotAllowed,
        BodyRefused,
        Missing,
        Invalid,
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, ApiError> {
    let managed = Managed::of(&state, &user).await?;
    let target = user_account::Entity::find_by_id(id).one(&state.db).await?;
    // Another subtree's account answers as if it did not exist.
    if !target.is_some_and(|t| managed.covers(t.unit_id)) {
        return Err(ApiError::NotFound("tài khoản"));
    }
    accounts::reset_password(&state.db, id, body.password).await?;
    state.sessions.remove_user(id);
    audit::record(
        &state.db,
        Some(user.id),
        Some(&user.username),
        "user.reset_password",
        Some(id.to_string()),
        None,
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
