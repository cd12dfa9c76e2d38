//! Creating accounts and resetting passwords: shared by the admin API and the command line.

use app::domain::wire::FieldError;
use app::domain::{Role, Roles};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::password;
use crate::store::entities::{org_unit, user_account, user_session};

pub const MIN_PASSWORD: usize = 8;

/// Why an account could not be created or its password changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Some fields are not valid: each says why.
    #[error("{message}")]
    Invalid {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    UsernameTaken(String),
    #[error("không có tài khoản này")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
    #[error("không băm được mật khẩu: {0}")]
    Hash(String),
}

/// A new account, as an administrator enters it.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    #[schema(max_length = 64)]
    pub username: String,
    #[schema(max_length = 200)]
    pub display_name: String,
    /// The account's roles at its unit (one or more).
    #[serde(default)]
    pub roles: Vec<Role>,
    /// One role, as the first release took it; joined to `roles` when both are given.
    #[serde(default)]
    pub role: Option<Role>,
    /// The unit the account works at: the one whose plans an editor fills, whose direct
    /// subordinates a reviewer reviews. Needed for both; an administrator without one manages
    /// the whole tree.
    pub unit_id: Option<Uuid>,
    #[schema(max_length = 256)]
    pub password: String,
}

fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

/// Usernames are what people type on phones: lower-case letters, digits, `.`, `_`, `-`.
fn username_ok(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
}

fn password_problem(password: &str) -> Option<FieldError> {
    let len = password.chars().count();
    if len < MIN_PASSWORD {
        Some(field(
            "password",
            "password.too_short",
            format!("Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự."),
        ))
    } else if len > crate::sessions::MAX_PASSWORD {
        Some(field(
            "password",
            "password.too_long",
            "Mật khẩu dài quá 256 ký tự.",
        ))
    } else {
        None
    }
}

/// Creates an account.
///
/// # Errors
/// [`AccountError::Invalid`] listing every invalid field, [`AccountError::UsernameTaken`], or
/// a database error.
pub async fn create_user<C: ConnectionTrait>(
    db: &C,
    new: NewUser,
) -> Result<user_account::Model, AccountError> {
    let username = new.username.trim().to_lowercase();
    let mut fields = Vec::new();
    if !username_ok(&username) {
        fields.push(field(
            "username",
            "username.format",
            "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang.",
        ));
    }
    let display_name = new.display_name.trim().to_owned();
    if display_name.is_empty() || display_name.chars().count() > 200 {
        fields.push(field(
            "display_name",
            "display_name.length",
            "Tên hiển thị dài 1–200 ký tự.",
        ));
    }
    fields.extend(password_problem(&new.password));
    let unit = match new.unit_id {
        Some(id) => org_unit::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let mut wanted: Vec<Role> = new.roles.clone();
    wanted.extend(new.role);
    let roles = Roles::of(&wanted);
    if roles.is_empty() {
        fields.push(field(
            "roles",
            "roles.empty",
            "Chọn ít nhất một vai trò cho tài khoản.",
        ));
    }
    let needs_unit = roles.iter().find(|r| *r != Role::Administrator);
    match (new.unit_id, &unit, needs_unit) {
        (Some(_), None, _) => fields.push(field(
            "unit_id",
            "unit.not_found",
            "Không tìm thấy đơn vị này.",
        )),
        (None, _, Some(role)) => fields.push(field(
            "unit_id",
            "unit.required",
            format!("Vai trò «{}» cần gắn với một đơn vị.", role.label()),
        )),
        _ => {}
    }
    if !fields.is_empty() {
        return Err(AccountError::Invalid {
            message: "Thông tin tài khoản chưa hợp lệ.".into(),
            fields,
        });
    }
    let taken = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(AccountError::UsernameTaken(format!(
            "Tên đăng nhập «{username}» đã có người dùng."
        )));
    }
    let hash = hash_password(new.password).await?;
    let now = Utc::now();
    Ok(user_account::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(username),
        display_name: Set(display_name),
        password_hash: Set(hash),
        roles: Set(roles.codes()),
        unit_id: Set(new.unit_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// Sets a new password and ends every session of the account.
///
/// # Errors
/// [`AccountError::Invalid`] for a bad password, [`AccountError::NotFound`], or a database
/// error.
pub async fn reset_password<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    new_password: String,
) -> Result<(), AccountError> {
    if let Some(problem) = password_problem(&new_password) {
        return Err(AccountError::Invalid {
            message: "Mật khẩu mới chưa hợp lệ.".into(),
            fields: vec![problem],
        });
    }
    let user = user_account::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AccountError::NotFound)?;
    let hash = hash_password(new_password).await?;
    let mut active: user_account::ActiveModel = user.into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

async fn hash_password(password: String) -> Result<String, AccountError> {
    password::hash_async(password)
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))
}
