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
use sea_orm::{EntityTrait, TransactionTrait};

use crate::http::error::ApiError;
use crate::http::extract::ApiJson;
use crate::http::extract::require;
use crate::http::openapi::{BodyRefused, Invalid, Malformed, NeedsLogin, NotAllowed, Taken};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::audit;
use crate::store::entities::campaign;
use crate::store::{records, seq};
pub use app::domain::wire::NewCampaign;

/// `POST /api/v1/campaigns`: a district reviewer opens a campaign for its units. The id is made
/// by the client, so sending the same request again answers as the first time.
#[utoipa::path(
    post,
    path = "/campaigns",
    operation_id = "openCampaign",
    summary = "Open a campaign (district reviewer)",
    security(("session" = [])),
    request_body = NewCampaign,
    responses(
        (status = 201, description = "Opened", body = CampaignRecord),
        (status = 200, description = "Already opened by the same request", body = CampaignRecord),
        Malformed,
        NeedsLogin,
        NotAllowed,
        BodyRefused,
        Taken,
        Invalid,
    )
)]
pub async fn open(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(new): ApiJson<NewCampaign>,
) -> Result<Response, ApiError> {
    require(&user, &[Role::Reviewer])?;
    let district = user.unit_id.ok_or(ApiError::Forbidden)?;
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
    let row = crate::store::campaigns::insert(&txn, &campaign, now).await?;
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
