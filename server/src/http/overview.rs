//! The reviewing office's views of a campaign: the submission board, the totals and the
//! ranking, as JSON for the screens and as CSV/XLSX files to download.
//!
//! All are computed by the pure functions of `app::domain::{board, totals, achievement}` from
//! what is read here, so the screens, the exports and the tests agree by construction. Only a
//! reviewer at the unit that opened the campaign may see them; anyone else's campaign answers
//! 404, so its existence does not leak.

use app::domain::achievement::{self, Achievement, Period, Weights};
use app::domain::board::{self, Board, PlanFacts, UnitFacts};
use app::domain::sync::UnitRecord;
use app::domain::totals::{self, Figures, Include, Sums, Totals};
use app::domain::{Campaign, Categories, Figure, PlanDocument, PlanStatus, Role, labels};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use crate::export::Sheet;
use crate::http::download::{csv_response, xlsx_response};
use crate::http::error::ApiError;
use crate::http::extract::{ApiPath, ApiQuery, require};
use crate::http::openapi::{
    BodyRefused, CsvFile, Invalid, Malformed, Missing, NeedsLogin, NotAllowed, XlsxFile,
};
use crate::sessions::AuthUser;
use crate::state::AppState;
use crate::store::entities::{campaign, org_unit, plan};
use crate::store::{campaigns, records};

/// The campaign with what travels with it (the units it asks, the opener's own target), if
/// `user` reviews for the unit that opened it.
async fn campaign_record_for(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
) -> Result<app::domain::sync::CampaignRecord, ApiError> {
    require(user, &[Role::Reviewer])?;
    let reviewing = user.unit_id.ok_or(ApiError::Forbidden)?;
    let row = campaign::Entity::find_by_id(id)
        .one(&state.read)
        .await?
        .filter(|c| c.opener_id == reviewing)
        .ok_or(ApiError::NotFound("đợt đăng ký kế hoạch"))?;
    Ok(campaigns::record(&state.read, &row).await?)
}

/// The reviewer's own unit: the opener of every campaign it may see here, whose words
/// ("Toàn huyện", "Toàn xã") and name the files use.
async fn opener_unit(state: &AppState, user: &AuthUser) -> Result<UnitRecord, ApiError> {
    let id = user.unit_id.ok_or(ApiError::Forbidden)?;
    let row = org_unit::Entity::find_by_id(id)
        .one(&state.read)
        .await?
        .ok_or(ApiError::NotFound("đơn vị"))?;
    Ok(records::unit_record(&row)?)
}

/// The units a campaign asks, in display order.
async fn units_of(state: &AppState, asked: &[Uuid]) -> Result<Vec<UnitFacts>, ApiError> {
    let rows = org_unit::Entity::find()
        .filter(org_unit::Column::Id.is_in(asked.iter().copied()))
        .order_by_asc(org_unit::Column::SortOrder)
        .all(&state.read)
        .await?;
    rows.into_iter()
        .map(|u| {
            let record = records::unit_record(&u)?;
            Ok(UnitFacts {
                id: record.id,
                code: record.code,
                name: record.name,
                kind: record.kind,
                member_count: record.member_count,
                sort_order: record.sort_order,
            })
        })
        .collect()
}

type FactsRow = (
    Uuid,
    Uuid,
    String,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

async fn plan_facts(state: &AppState, campaign_id: Uuid) -> Result<Vec<PlanFacts>, ApiError> {
    // Only the columns the board needs: never the documents.
    let rows: Vec<FactsRow> = plan::Entity::find()
        .select_only()
        .column(plan::Column::Id)
        .column(plan::Column::UnitId)
        .column(plan::Column::Status)
        .column(plan::Column::SubmittedAtDevice)
        .column(plan::Column::ReceivedAt)
        .filter(plan::Column::CampaignId.eq(campaign_id))
        .into_tuple()
        .all(&state.read)
        .await?;
    rows.into_iter()
        .map(|(plan_id, unit_id, status, device, received)| {
            Ok(PlanFacts {
                plan_id,
                unit_id,
                status: PlanStatus::from_code(&status).ok_or_else(|| {
                    ApiError::Internal(format!("plan {plan_id}: status {status}"))
                })?,
                submitted_at_device: device,
                received_at: received,
            })
        })
        .collect()
}

async fn board_of(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
) -> Result<(Campaign, Board), ApiError> {
    let record = campaign_record_for(state, user, id).await?;
    let units = units_of(state, &campaigns::asked(&state.read, &record).await?).await?;
    let campaign = record.campaign;
    let plans = plan_facts(state, id).await?;
    let board = board::build(&campaign, &units, &plans, Utc::now());
    Ok((campaign, board))
}

/// `GET /api/v1/campaigns/{id}/board`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/board",
    operation_id = "campaignBoard",
    summary = "Submission board: each unit's status against the deadline",
    security(("session" = [])),
    params(CampaignId),
    responses((status = 200, description = "The board", body = Board), Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn board(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Board>, ApiError> {
    Ok(Json(board_of(&state, &user, id).await?.1))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    /// Which plans are counted: `submitted` (the default: submitted and approved), `approved`,
    /// or `ever_submitted` (also those returned for revision).
    #[serde(default = "default_include")]
    #[param(inline)]
    pub include: Include,
}

fn default_include() -> Include {
    Include::Submitted
}

async fn totals_of(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    include: Include,
) -> Result<(Campaign, Totals), ApiError> {
    let record = campaign_record_for(state, user, id).await?;
    let units = units_of(state, &campaigns::asked(&state.read, &record).await?).await?;
    let campaign = record.campaign;
    let documents = plan_documents(state, id, include).await?;
    let inputs = totals::inputs(&documents);
    let totals = totals::compute(
        &campaign.years,
        &campaign.categories,
        &units,
        &inputs,
        include,
    )
    .with_own_target(record.own_target.as_ref());
    Ok((campaign, totals))
}

type Documents = Vec<(Uuid, PlanStatus, PlanDocument)>;

/// The documents of the campaign's plans in the statuses `include` counts.
async fn plan_documents(
    state: &AppState,
    id: Uuid,
    include: Include,
) -> Result<Documents, ApiError> {
    let statuses: Vec<&str> = PlanStatus::ALL
        .iter()
        .filter(|s| include.counts(**s))
        .map(|s| s.code())
        .collect();
    let rows: Vec<(Uuid, String, String)> = plan::Entity::find()
        .select_only()
        .column(plan::Column::UnitId)
        .column(plan::Column::Status)
        .column(plan::Column::Document)
        .filter(plan::Column::CampaignId.eq(id))
        .filter(plan::Column::Status.is_in(statuses))
        .into_tuple()
        .all(&state.read)
        .await?;
    let mut documents: Vec<(Uuid, PlanStatus, PlanDocument)> = Vec::with_capacity(rows.len());
    for (unit_id, status, text) in rows {
        let status = PlanStatus::from_code(&status)
            .ok_or_else(|| ApiError::Internal(format!("unit {unit_id}: status {status}")))?;
        let mut document: PlanDocument = serde_json::from_str(&text)
            .map_err(|e| ApiError::Internal(format!("unit {unit_id}: document: {e}")))?;
        app::domain::plan::upgrade(&mut document);
        documents.push((unit_id, status, document));
    }
    Ok(documents)
}

/// `GET /api/v1/campaigns/{id}/totals?include=submitted|approved`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/totals",
    operation_id = "campaignTotals",
    summary = "District totals of the counted plans, by kind and by unit",
    security(("session" = [])),
    params(CampaignId, TotalsQuery),
    responses((status = 200, description = "The totals", body = Totals), Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn totals(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<TotalsQuery>,
) -> Result<Json<Totals>, ApiError> {
    Ok(Json(totals_of(&state, &user, id, query.include).await?.1))
}

/// Vietnam local time of an instant, for people reading a file.
fn local(at: Option<DateTime<Utc>>) -> String {
    at.map(labels::local_time).unwrap_or_default()
}

fn board_sheet(campaign: &Campaign, board: &Board) -> Sheet {
    let mut sheet = Sheet::new(
        "Tình hình nộp",
        format!(
            "Tình hình nộp kế hoạch — Công văn {} — hạn nộp {}",
            campaign.letter_number,
            labels::date(campaign.deadline)
        ),
        &[
            "STT",
            "Mã đơn vị",
            "Tên tổ chức cơ sở đảng",
            "Loại hình",
            "Số đảng viên",
            "Tình trạng",
            "Bấm gửi lúc (trên máy)",
            "Máy chủ nhận lúc",
            "Số ngày trễ",
            "Gửi khi mất mạng trước hạn",
        ],
    );
    for (i, row) in board.rows.iter().enumerate() {
        sheet.row(vec![
            (i + 1).into(),
            row.unit_code.clone().into(),
            row.unit_name.clone().into(),
            row.kind.map(|k| k.label()).unwrap_or_default().into(),
            row.member_count.into(),
            row.status.label().into(),
            local(row.submitted_at_device).into(),
            local(row.received_at).into(),
            row.days_late.into(),
            if row.received_after_deadline {
                "Có"
            } else {
                ""
            }
            .into(),
        ]);
    }
    for (status, count) in &board.counts {
        sheet.footer(format!("{}: {count}", status.label()));
    }
    sheet
}

/// A column per figure of the campaign (the total, then its categories in its order).
fn figure_headers(prefix: &str, categories: &Categories) -> Vec<String> {
    Figure::all(categories)
        .into_iter()
        .map(|f| format!("{prefix} — {}", f.label(categories)))
        .collect()
}

fn totals_sheet(campaign: &Campaign, totals: &Totals, opener: &UnitRecord) -> Sheet {
    let mut headers: Vec<String> = vec![
        "Đơn vị / nhóm".into(),
        "Số đơn vị".into(),
        "Số kế hoạch tính".into(),
        "Số đảng viên".into(),
    ];
    let categories = &campaign.categories;
    let width = 1 + categories.len();
    headers.extend(figure_headers("Nguồn", categories));
    for year in &campaign.years {
        headers.extend(figure_headers(&format!("Chỉ tiêu {year}"), categories));
    }
    headers.extend(figure_headers("Cả nhiệm kỳ", categories));
    // Two columns per coverage indicator the campaign asks for: today, and the term's end.
    for indicator in &campaign.coverage {
        headers.push(format!("{} — hiện nay", indicator.label()));
        headers.push(format!("{} — đến cuối nhiệm kỳ", indicator.label()));
    }
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let included = match totals.include {
        Include::Submitted => "kế hoạch đã nộp và đã duyệt",
        Include::Approved => "kế hoạch đã duyệt",
        Include::EverSubmitted => "kế hoạch đã từng nộp (kể cả đang bị trả lại)",
    };
    let mut sheet = Sheet::new(
        "Tổng hợp",
        format!(
            "Tổng hợp chỉ tiêu — Công văn {} — nhiệm kỳ {} — tính {included}",
            campaign.letter_number, campaign.term
        ),
        &refs,
    );
    let figures_row = |name: String, f: &Figures| {
        let mut cells: Vec<crate::export::Cell> = vec![
            name.into(),
            f.units.into(),
            f.plans.into(),
            f.members.into(),
        ];
        // One cell per header, whatever the sums hold.
        let row = |sums: Option<&Sums>| -> Vec<crate::export::Cell> {
            (0..width)
                .map(|i| sums.map_or(0, |s| s.at(i)).into())
                .collect()
        };
        cells.extend(row(Some(&f.pool)));
        for year in &campaign.years {
            cells.extend(row(f.targets.get(year)));
        }
        cells.extend(row(Some(&f.term_target)));
        for indicator in &campaign.coverage {
            let sum = f.coverage_of(*indicator);
            cells.push(sum.now.into());
            cells.push(sum.target.into());
        }
        cells
    };
    sheet.row(figures_row(opener.committee().whole(), &totals.overall));
    for (kind, figures) in &totals.by_kind {
        sheet.row(figures_row(format!("Loại hình: {}", kind.label()), figures));
    }
    for unit in &totals.by_unit {
        sheet.row(figures_row(unit.unit_name.clone(), &unit.figures));
    }
    sheet.footer(format!(
        "Định hướng 3–4 % đảng viên mới mỗi năm trên {} đảng viên: {}–{} người/năm.",
        totals.guideline.members, totals.guideline.yearly_low, totals.guideline.yearly_high
    ));
    if let Some(target) = &totals.own_target {
        sheet.footer(format!(
            "Chỉ tiêu cả nhiệm kỳ theo Nghị quyết Đại hội {}: {}; tổng chỉ tiêu cả nhiệm kỳ của các kế hoạch: {}.",
            opener.name,
            target.total(),
            totals.overall.term_target.total()
        ));
    }
    sheet
}

fn file_name(campaign: &Campaign, what: &str, format: FileFormat) -> String {
    let ext = match format {
        FileFormat::Csv => "csv",
        FileFormat::Xlsx => "xlsx",
    };
    let number: String = campaign
        .letter_number
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{what}-{number}.{ext}")
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AchievementQuery {
    /// `term` (default) or a year of the campaign.
    pub period: Option<String>,
    /// Weight of timeliness in the score, 0–100 (not all three zero).
    #[param(maximum = 100)]
    pub w_time: Option<u32>,
    /// Weight of the target achieved, 0–100.
    #[param(maximum = 100)]
    pub w_target: Option<u32>,
    /// Weight of the structure achieved, 0–100.
    #[param(maximum = 100)]
    pub w_structure: Option<u32>,
}

async fn achievement_of(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    query: &AchievementQuery,
) -> Result<(Campaign, Achievement), ApiError> {
    let (campaign, board) = board_of(state, user, id).await?;
    let bad = |message: String| ApiError::BadRequest {
        code: "query.invalid",
        message,
        detail: None,
    };
    let period = match query.period.as_deref() {
        None | Some("term") => Period::Term,
        Some(text) => match text.parse::<u16>() {
            Ok(year) if campaign.years.contains(&year) => Period::Year(year),
            _ => {
                return Err(bad(format!(
                    "Kỳ «{text}» không có trong đợt này: dùng «term» hoặc một trong các năm {:?}.",
                    campaign.years
                )));
            }
        },
    };
    let defaults = Weights::default();
    let weights = Weights {
        timeliness: query.w_time.unwrap_or(defaults.timeliness),
        target: query.w_target.unwrap_or(defaults.target),
        structure: query.w_structure.unwrap_or(defaults.structure),
    };
    if let Some(problem) = weights.problem() {
        return Err(bad(problem.to_owned()));
    }
    let documents = plan_documents(state, id, Include::EverSubmitted).await?;
    let inputs = totals::inputs(&documents);
    let result = achievement::compute(
        &board,
        &inputs,
        &campaign.years,
        &campaign.categories,
        period,
        weights,
    );
    Ok((campaign, result))
}

/// `GET /api/v1/campaigns/{id}/achievement?period=term|YYYY&w_time=&w_target=&w_structure=`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/achievement",
    operation_id = "campaignAchievement",
    summary = "Achievement of the targets and the ranking of units",
    security(("session" = [])),
    params(CampaignId, AchievementQuery),
    responses((status = 200, description = "Achievement and ranking", body = Achievement), Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn achievement(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<AchievementQuery>,
) -> Result<Json<Achievement>, ApiError> {
    Ok(Json(achievement_of(&state, &user, id, &query).await?.1))
}

fn achievement_sheet(campaign: &Campaign, a: &Achievement, opener: &UnitRecord) -> Sheet {
    let period = match a.period {
        Period::Term => format!("nhiệm kỳ {}", campaign.term),
        Period::Year(y) => format!("năm {y}"),
    };
    let mut sheet = Sheet::new(
        "Kết quả và xếp hạng",
        format!(
            "Kết quả thực hiện chỉ tiêu và xếp hạng thi đua — {period} — Công văn {}",
            campaign.letter_number
        ),
        &[
            "Hạng",
            "Tổ chức cơ sở đảng",
            "Loại hình",
            "Tình trạng kế hoạch",
            "Chỉ tiêu",
            "Đã kết nạp",
            "Đúng hạn (%)",
            "Đạt chỉ tiêu (%)",
            "Đạt cơ cấu (%)",
            "Điểm",
        ],
    );
    for r in &a.rows {
        sheet.row(vec![
            r.rank.into(),
            r.unit_name.clone().into(),
            r.kind.map(|k| k.label()).unwrap_or_default().into(),
            r.status.label().into(),
            r.target.total().into(),
            r.actual.total().into(),
            crate::export::Cell::Number(r.timeliness),
            crate::export::Cell::Number(r.target_rate),
            crate::export::Cell::Number(r.structure_rate),
            crate::export::Cell::Number(r.score),
        ]);
    }
    sheet.footer(format!(
        "{}: chỉ tiêu {}, đã kết nạp {}.",
        opener.committee().whole(),
        a.target.total(),
        a.actual.total()
    ));
    sheet.footer(a.formula.clone());
    sheet
}

/// The two file formats every view can be downloaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileFormat {
    Csv,
    Xlsx,
}

fn file_response(
    sheet: &Sheet,
    campaign: &Campaign,
    stem: &str,
    format: FileFormat,
) -> Result<Response, ApiError> {
    let name = file_name(campaign, stem, format);
    match format {
        FileFormat::Csv => csv_response(sheet, &name),
        FileFormat::Xlsx => xlsx_response(sheet, &name),
    }
}

/// The campaign a view is of (path parameter).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CampaignId {
    /// The campaign.
    pub id: Uuid,
}

async fn board_file(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    format: FileFormat,
) -> Result<Response, ApiError> {
    let (campaign, board) = board_of(state, user, id).await?;
    file_response(
        &board_sheet(&campaign, &board),
        &campaign,
        "tinh-hinh-nop",
        format,
    )
}

async fn totals_file(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    query: TotalsQuery,
    format: FileFormat,
) -> Result<Response, ApiError> {
    let (campaign, totals) = totals_of(state, user, id, query.include).await?;
    file_response(
        &totals_sheet(&campaign, &totals, &opener_unit(state, user).await?),
        &campaign,
        "tong-hop",
        format,
    )
}

async fn achievement_file(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
    query: AchievementQuery,
    format: FileFormat,
) -> Result<Response, ApiError> {
    let (campaign, a) = achievement_of(state, user, id, &query).await?;
    file_response(
        &achievement_sheet(&campaign, &a, &opener_unit(state, user).await?),
        &campaign,
        "ket-qua-xep-hang",
        format,
    )
}

// The downloads: each screen's table as CSV and as XLSX, with the screen's own query. One
// handler per address, so that each is routed and documented with exactly its parameters.

/// `GET /api/v1/campaigns/{id}/board.csv`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/board.csv",
    operation_id = "campaignBoardCsv",
    summary = "Submission board as CSV",
    security(("session" = [])),
    params(CampaignId),
    responses(CsvFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn board_csv(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    board_file(&state, &user, id, FileFormat::Csv).await
}

/// `GET /api/v1/campaigns/{id}/board.xlsx`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/board.xlsx",
    operation_id = "campaignBoardXlsx",
    summary = "Submission board as an Excel workbook",
    security(("session" = [])),
    params(CampaignId),
    responses(XlsxFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn board_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    board_file(&state, &user, id, FileFormat::Xlsx).await
}

/// `GET /api/v1/campaigns/{id}/totals.csv`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/totals.csv",
    operation_id = "campaignTotalsCsv",
    summary = "District totals as CSV",
    security(("session" = [])),
    params(CampaignId, TotalsQuery),
    responses(CsvFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn totals_csv(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<TotalsQuery>,
) -> Result<Response, ApiError> {
    totals_file(&state, &user, id, query, FileFormat::Csv).await
}

/// `GET /api/v1/campaigns/{id}/totals.xlsx`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/totals.xlsx",
    operation_id = "campaignTotalsXlsx",
    summary = "District totals as an Excel workbook",
    security(("session" = [])),
    params(CampaignId, TotalsQuery),
    responses(XlsxFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn totals_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<TotalsQuery>,
) -> Result<Response, ApiError> {
    totals_file(&state, &user, id, query, FileFormat::Xlsx).await
}

/// `GET /api/v1/campaigns/{id}/achievement.csv`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/achievement.csv",
    operation_id = "campaignAchievementCsv",
    summary = "Achievement and ranking as CSV",
    security(("session" = [])),
    params(CampaignId, AchievementQuery),
    responses(CsvFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn achievement_csv(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<AchievementQuery>,
) -> Result<Response, ApiError> {
    achievement_file(&state, &user, id, query, FileFormat::Csv).await
}

/// `GET /api/v1/campaigns/{id}/achievement.xlsx`
#[utoipa::path(
    get,
    path = "/campaigns/{id}/achievement.xlsx",
    operation_id = "campaignAchievementXlsx",
    summary = "Achievement and ranking as an Excel workbook",
    security(("session" = [])),
    params(CampaignId, AchievementQuery),
    responses(XlsxFile, Malformed, NeedsLogin, NotAllowed, Missing)
)]
pub async fn achievement_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<AchievementQuery>,
) -> Result<Response, ApiError> {
    achievement_file(&state, &user, id, query, FileFormat::Xlsx).await
}

/// `PUT /api/v1/campaigns/{id}/district-target`: the district's own whole-term target from its
/// Congress resolution, entered by the Board; compared with the units' plans in the totals and
/// delivered to every reviewer's device by sync.
#[utoipa::path(
    put,
    path = "/campaigns/{id}/district-target",
    operation_id = "setDistrictTarget",
    summary = "Enter the district's own whole-term target (district reviewer)",
    security(("session" = [])),
    params(CampaignId),
    request_body = app::domain::Breakdown,
    responses(
        (status = 200, description = "The campaign with its target", body = app::domain::sync::CampaignRecord),
        Malformed,
        NeedsLogin,
        NotAllowed,
        Missing,
        BodyRefused,
        Invalid,
    )
)]
pub async fn set_own_target(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<Uuid>,
    crate::http::extract::ApiJson(target): crate::http::extract::ApiJson<app::domain::Breakdown>,
) -> Result<Json<app::domain::sync::CampaignRecord>, ApiError> {
    let record = campaign_record_for(&state, &user, id).await?;
    let opener = opener_unit(&state, &user).await?;
    let problems = totals::target_problems(&target, &record.campaign.categories);
    if !problems.is_empty() {
        return Err(ApiError::Validation {
            code: "district_target.invalid",
            message: format!("Chỉ tiêu của {} chưa hợp lệ.", opener.name),
            fields: problems
                .into_iter()
                .map(|(field, message)| app::domain::wire::FieldError {
                    field,
                    code: "district_target.invalid".into(),
                    message,
                })
                .collect(),
        });
    }
    let text = serde_json::to_string(&target).map_err(|e| ApiError::Internal(e.to_string()))?;
    let txn = sea_orm::TransactionTrait::begin(&state.db).await?;
    crate::store::seq::lock(&txn).await?;
    let row = campaign::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("đợt đăng ký kế hoạch"))?;
    let mut active: campaign::ActiveModel = row.into();
    active.own_target = sea_orm::Set(Some(text));
    // A new place in the change sequence: every reviewer's device pulls it.
    active.seq = sea_orm::Set(crate::store::seq::next(&txn).await?);
    active.updated_at = sea_orm::Set(Utc::now());
    let row = sea_orm::ActiveModelTrait::update(active, &txn).await?;
    crate::store::audit::record(
        &txn,
        Some(user.id),
        Some(&user.username),
        "campaign.district_target",
        Some(row.id.to_string()),
        row.own_target.clone(),
        None,
    )
    .await?;
    let record = campaigns::record(&txn, &row).await?;
    txn.commit().await?;
    Ok(Json(record))
}
