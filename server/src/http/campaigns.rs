//! Opening a campaign: a committee asks the units directly under it (all, or those it chose)
//! for plans.

use app::domain::campaign::{CampaignProblem, units_asked};
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
use crate::store::{campaigns, seq};
pub use app::domain::wire::NewCampaign;

/// `POST /api/v1/campaigns`: a reviewer opens a campaign for units directly under its unit. The
/// id is made by the client, so sending the same request again answers as the first time.
#[utoipa::path(
    post,
    path = "/campaigns",
    operation_id = "openCampaign",
    summary = "Open a campaign for the units directly under the reviewer's unit (reviewer)",
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
    let opener = user.unit_id.ok_or(ApiError::Forbidden)?;
    let campaign = Campaign {
        id: new.id,
        opener_id: opener,
        letter_number: new.letter_number.trim().to_owned(),
        letter_date: new.letter_date,
        title: new.title.trim().to_owned(),
        term: new.term,
        years: new.years,
        deadline: new.deadline,
        term_total_rule: new.term_total_rule,
        categories: new.categories.clone().unwrap_or_default(),
        coverage: new.coverage.clone().unwrap_or_default(),
    };
    let mut problems = campaign.problems();
    // Stored in the catalogue's order, the number of hamlets first, whatever order was sent:
    // forms, prints and files follow it.
    let campaign = if problems.is_empty() {
        Campaign {
            coverage: app::domain::coverage::normalised(&campaign.coverage),
            ..campaign
        }
    } else {
        campaign
    };
    let under = campaigns::units_under(&state.db, opener).await?;
    // Listed only when chosen: a campaign for all asks units added later too.
    let mut listed = match units_asked(new.units.as_deref(), &under) {
        Ok(units) if new.units.is_some() => units,
        Ok(_) => Vec::new(),
        Err(problem) => {
            problems.push(problem);
            Vec::new()
        }
    };
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
        let record = campaigns::record(&txn, &existing).await?;
        let mut had = record.units.clone();
        had.sort();
        listed.sort();
        let same = record.campaign == campaign && listed == had;
        txn.rollback().await?;
        return if same {
            Ok((StatusCode::OK, Json(record)).into_response())
        } else {
            Err(ApiError::Conflict {
                code: "campaign.id_taken",
                message: "Mã đợt đăng ký đã được dùng cho một đợt khác.".into(),
            })
        };
    }
    let now = Utc::now();
    let row = campaigns::insert(&txn, &campaign, &listed, now).await?;
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
    let record = campaigns::record(&txn, &row).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(record)).into_response())
}
