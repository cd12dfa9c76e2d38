//! Opening a campaign: the district asks its grassroots organisations for plans.

use app::domain::campaign::CampaignProblem;
use app::domain::sync::CampaignRecord;
use app::domain::wire::FieldError;
use app::domain::{Campaign, Role};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, Set, TransactionTrait};

use crate::api::ApiJson;
use crate::audit;
use crate::auth::{AuthUser, require};
use crate::entities::campaign;
use crate::error::ApiError;
use crate::state::AppState;
use crate::sync::{records, seq};
pub use app::domain::wire::NewCampaign;

pub async fn open(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(new): ApiJson<NewCampaign>,
) -> Result<Response, ApiError> {
    require(&user, &[Role::DistrictReviewer])?;
    let district = user.district_id.ok_or(ApiError::Forbidden)?;
    let campaign = Campaign {
        id: new.id,
        district_id: district,
        letter_number: new.letter_number.trim().to_owned(),
        letter_date: new.letter_date,
        title: new.title.trim().to_owned(),
        term: new.term,
        years: new.years,
        deadline: new.deadline,
        term_total_rule: new.term_total_rule,
    };
    let problems = campaign.problems();
    if !problems.is_empty() {
        return Err(ApiError::Validation {
            code: "campaign.invalid",
            message: "Thông tin đợt đăng ký chưa hợp lệ.".into(),
            fields: problems
                .into_iter()
                .map(
                    |CampaignProblem {
                         code,
                         field,
                         message,
                     }| FieldError {
                        field: field.into(),
                        code: code.into(),
                        message,
                    },
                )
                .collect(),
        });
    }

    let txn = state.db.begin().await?;
    seq::lock(&txn).await?;
    if let Some(existing) = campaign::Entity::find_by_id(campaign.id).one(&txn).await? {
        // The same request again: answer as the first time; a different one: refuse.
        let same = records::campaign(&existing)? == campaign;
        txn.rollback().await?;
        return if same {
            Ok((StatusCode::OK, Json(records::campaign_record(&existing)?)).into_response())
        } else {
            Err(ApiError::Conflict {
                code: "campaign.id_taken",
                message: "Mã đợt đăng ký đã được dùng cho một đợt khác.".into(),
            })
        };
    }
    let now = Utc::now();
    let row = insert(&txn, &campaign, now).await?;
    audit::record(
        &txn,
        Some(user.id),
        Some(&user.username),
        "campaign.open",
        Some(row.id.to_string()),
        Some(row.letter_number.clone()),
        None,
    )
    .await?;
    txn.commit().await?;
    let record: CampaignRecord = records::campaign_record(&row)?;
    Ok((StatusCode::CREATED, Json(record)).into_response())
}

/// Writes a new campaign row, taking the next number of the change sequence. The caller holds
/// the sequence lock in its transaction.
pub async fn insert<C: sea_orm::ConnectionTrait>(
    txn: &C,
    campaign: &Campaign,
    now: chrono::DateTime<Utc>,
) -> Result<campaign::Model, sea_orm::DbErr> {
    campaign::ActiveModel {
        id: Set(campaign.id),
        district_id: Set(campaign.district_id),
        letter_number: Set(campaign.letter_number.clone()),
        letter_date: Set(campaign.letter_date),
        title: Set(campaign.title.clone()),
        term_start: Set(i32::from(campaign.term.start_year())),
        term_end: Set(i32::from(campaign.term.end_year())),
        years: Set(records::years_column(&campaign.years)),
        deadline: Set(campaign.deadline),
        term_total_rule: Set(campaign.term_total_rule.code().to_owned()),
        district_target: Set(None),
        seq: Set(seq::next(txn).await?),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(txn)
    .await
}
