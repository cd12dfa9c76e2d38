//! The second demo: the 2025 shape, with no district level. Tỉnh ủy Lâm Đồng reviews its
//! communes (Bảo Lâm 1–5 among them, the old Bảo Lâm district's communes) and two block
//! committees; each commune fills its own plan for the province's campaign and reviews its
//! cells' plans for a campaign of its own. The composition is illustrative: a few communes of
//! the 124 and a handful of cells each, not the province's real roll.
//!
//! Idempotent like the 2022 demo (units by code, users by username, campaigns by id), with
//! the same deterministic ids and the same demo password.

use app::domain::{Campaign, CommitteeKind, Role, Term, TermTotalRule, UnitKind, UnitLevel};
use chrono::{Days, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, TransactionTrait};
use uuid::Uuid;

use crate::seed::{
    DemoLogin, NewAccount, NewUnit, SeedReport, checked, demo_id, ensure_account, ensure_unit,
    vietnam_today,
};

/// The province.
const PROVINCE_CODE: &str = "TU-LAM-DONG";
const PROVINCE_NAME: &str = "Đảng bộ tỉnh Lâm Đồng";

/// A committee directly under the province, with its cells.
struct Committee {
    code: &'static str,
    name: &'static str,
    committee: CommitteeKind,
    kind: UnitKind,
    members: i32,
    /// Login prefix: `<login>` fills the committee's plan and reviews its cells;
    /// `<login>-quantri` manages its accounts.
    login: &'static str,
    cells: &'static [&'static str],
    /// Cells given their own editor login (`<login>-cb<N>`, N counted from 1).
    cell_logins: usize,
}

const VILLAGE_CELLS: &[&str] = &[
    "Chi bộ thôn 1",
    "Chi bộ thôn 2",
    "Chi bộ thôn 3",
    "Chi bộ thôn 4",
    "Chi bộ Quân sự xã",
    "Chi bộ Công an xã",
    "Chi bộ Trường THCS",
];

const COMMITTEES: &[Committee] = &[
    Committee {
        code: "XA-BAO-LAM-1",
        name: "Đảng bộ xã Bảo Lâm 1",
        committee: CommitteeKind::Commune,
        kind: UnitKind::Commune,
        members: 410,
        login: "baolam1",
        cells: VILLAGE_CELLS,
        cell_logins: 3,
    },
    Committee {
        code: "XA-BAO-LAM-2",
        name: "Đảng bộ xã Bảo Lâm 2",
        committee: CommitteeKind::Commune,
        kind: UnitKind::Commune,
        members: 386,
        login: "baolam2",
        cells: VILLAGE_CELLS,
        cell_logins: 0,
    },
    Committee {
        code: "XA-BAO-LAM-3",
        name: "Đảng bộ xã Bảo Lâm 3",
        committee: CommitteeKind::Commune,
        kind: UnitKind::Commune,
        members: 342,
        login: "baolam3",
        cells: VILLAGE_CELLS,
        cell_logins: 0,
    },
    Committee {
        code: "XA-BAO-LAM-4",
        name: "Đảng bộ xã Bảo Lâm 4",
        committee: CommitteeKind::Commune,
        kind: UnitKind::Commune,
        members: 298,
        login: "baolam4",
        cells: VILLAGE_CELLS,
        cell_logins: 0,
    },
    Committee {
        code: "XA-BAO-LAM-5",
        name: "Đảng bộ xã Bảo Lâm 5",
        committee: CommitteeKind::Commune,
        kind: UnitKind::Commune,
        members: 362,
        login: "baolam5",
        cells: &[
            "Chi bộ thôn Lộc Bắc 1",
            "Chi bộ thôn Lộc Bắc 2",
            "Chi bộ thôn Lộc Bảo 1",
            "Chi bộ thôn Lộc Bảo 2",
            "Chi bộ Quân sự xã",
            "Chi bộ Công an xã",
            "Chi bộ Trường THCS Lộc Bắc",
            "Chi bộ Trạm Y tế",
        ],
        cell_logins: 2,
    },
    Committee {
        code: "DU-CQD-TINH",
        name: "Đảng bộ các cơ quan Đảng tỉnh",
        committee: CommitteeKind::Block,
        kind: UnitKind::Agency,
        members: 1250,
        login: "khoi-cqd",
        cells: &[
            "Chi bộ Văn phòng Tỉnh ủy",
            "Chi bộ Ban Tổ chức Tỉnh ủy",
            "Chi bộ Ban Tuyên giáo và Dân vận Tỉnh ủy",
            "Chi bộ Báo Lâm Đồng",
        ],
        cell_logins: 0,
    },
    Committee {
        code: "DU-UBND-TINH",
        name: "Đảng bộ Ủy ban nhân dân tỉnh",
        committee: CommitteeKind::Block,
        kind: UnitKind::Agency,
        members: 3100,
        login: "khoi-ubnd",
        cells: &[
            "Chi bộ Văn phòng UBND tỉnh",
            "Chi bộ Sở Nội vụ",
            "Chi bộ Sở Giáo dục và Đào tạo",
            "Chi bộ Sở Y tế",
        ],
        cell_logins: 0,
    },
];

/// A login to create: username, display name, roles, and its unit with the unit's name.
type Login = (String, String, Vec<Role>, Option<(Uuid, String)>);

/// The province's campaign for the 2025–2030 term, the same id on every machine.
pub fn province_campaign_id() -> Uuid {
    demo_id("campaign", "2025:TU-LAM-DONG")
}

/// A commune's campaign for its cells.
pub fn commune_campaign_id(commune_code: &str) -> Uuid {
    demo_id("campaign", &format!("2025:{commune_code}"))
}

/// The structure categories the 2025 demo's campaigns ask for: those the term's plans report
/// (women, Youth Union members, ethnic minorities, the religious, the draft pool, industrial
/// workers, workers outside the state sector, private business owners), in that order.
pub fn categories_2025() -> app::domain::Categories {
    app::domain::Categories::of_catalogue(&[
        "women",
        "youth_union_members",
        "ethnic_minority",
        "religious",
        "military_pool",
        "industrial_workers",
        "non_state_workers",
        "business_owners",
    ])
}

/// The coverage indicators the province asks its communes for (a mountain province with
/// hamlets still without a member or a cell).
pub const PROVINCE_COVERAGE: [app::domain::Indicator; 4] = [
    app::domain::Indicator::Hamlets,
    app::domain::Indicator::WithoutMember,
    app::domain::Indicator::WithoutCell,
    app::domain::Indicator::HeadsNotMembers,
];

/// A campaign of the 2025–2030 term asking for 2026–2030 by [`categories_2025`], sent `today`,
/// due in 45 days.
fn campaign_2025(
    id: Uuid,
    opener_id: Uuid,
    letter_number: &str,
    title: &str,
    today: NaiveDate,
    coverage: &[app::domain::Indicator],
) -> Result<Campaign, DbErr> {
    let term = Term::new(2025, 2030).map_err(|e| DbErr::Custom(format!("term: {e:?}")))?;
    let campaign = Campaign {
        id,
        opener_id,
        letter_number: letter_number.to_owned(),
        letter_date: today,
        title: title.to_owned(),
        term,
        years: (2026..=2030).collect(),
        deadline: today.checked_add_days(Days::new(45)).unwrap_or(today),
        term_total_rule: TermTotalRule::AtLeast,
        categories: categories_2025(),
        coverage: coverage.to_vec(),
    };
    checked(campaign)
}

/// Seeds the 2025 demo in one transaction: units, logins and three open campaigns (the
/// province's for every unit under it; Bảo Lâm 1's for all its cells; Bảo Lâm 5's for the
/// cells it chose, leaving out two that have no one left to propose).
///
/// # Errors
/// The database error if any write fails; nothing is written in that case.
pub async fn seed(db: &DatabaseConnection) -> Result<SeedReport, DbErr> {
    let txn = db.begin().await?;
    crate::store::seq::lock(&txn).await?;
    let now = Utc::now();
    let today = vietnam_today(now);
    let mut units_created = 0;
    let (province, created) = ensure_unit(
        &txn,
        &NewUnit {
            code: PROVINCE_CODE,
            name: PROVINCE_NAME,
            parent: None,
            level: UnitLevel::District,
            kind: None,
            committee: Some(CommitteeKind::Province),
            has_cells: false,
            members: COMMITTEES.iter().map(|c| c.members).sum(),
            order: 0,
        },
        now,
    )
    .await?;
    units_created += usize::from(created);

    // Usernames are built here, so they are kept until the accounts are written.
    let mut accounts: Vec<Login> = vec![
        (
            "tinhuy".into(),
            "Ban Tổ chức Tỉnh ủy Lâm Đồng".into(),
            vec![Role::Reviewer],
            Some((province, PROVINCE_NAME.into())),
        ),
        (
            "tinhuy-quantri".into(),
            "Quản trị tài khoản — Tỉnh ủy Lâm Đồng".into(),
            vec![Role::Administrator],
            Some((province, PROVINCE_NAME.into())),
        ),
    ];
    let mut commune_cells: Vec<(Uuid, &Committee, Vec<Uuid>)> = Vec::new();
    for (index, c) in COMMITTEES.iter().enumerate() {
        let (id, created) = ensure_unit(
            &txn,
            &NewUnit {
                code: c.code,
                name: c.name,
                parent: Some(province),
                level: UnitLevel::Grassroots,
                kind: Some(c.kind),
                committee: Some(c.committee),
                has_cells: true,
                members: c.members,
                order: i32::try_from(index + 1).unwrap_or(i32::MAX),
            },
            now,
        )
        .await?;
        units_created += usize::from(created);
        accounts.push((
            c.login.into(),
            c.name.into(),
            vec![Role::Editor, Role::Reviewer],
            Some((id, c.name.into())),
        ));
        accounts.push((
            format!("{}-quantri", c.login),
            format!("Quản trị tài khoản — {}", c.name),
            vec![Role::Administrator],
            Some((id, c.name.into())),
        ));
        let per_cell = c.members / i32::try_from(c.cells.len()).unwrap_or(1).max(1);
        let mut cells = Vec::with_capacity(c.cells.len());
        for (n, cell) in c.cells.iter().enumerate() {
            let code = format!("{}-CB{:02}", c.code, n + 1);
            let (cell_id, created) = ensure_unit(
                &txn,
                &NewUnit {
                    code: &code,
                    name: cell,
                    parent: Some(id),
                    level: UnitLevel::SubordinateCell,
                    kind: None,
                    committee: Some(CommitteeKind::SubordinateCell),
                    has_cells: false,
                    members: per_cell + i32::try_from(n % 4).unwrap_or(0),
                    order: i32::try_from(n + 1).unwrap_or(i32::MAX),
                },
                now,
            )
            .await?;
            units_created += usize::from(created);
            if n < c.cell_logins {
                accounts.push((
                    format!("{}-cb{}", c.login, n + 1),
                    format!("{cell} — {}", c.name),
                    vec![Role::Editor],
                    Some((cell_id, format!("{cell} ({})", c.name))),
                ));
            }
            cells.push(cell_id);
        }
        commune_cells.push((id, c, cells));
    }

    let mut users_created = 0;
    let mut logins = Vec::with_capacity(accounts.len());
    for (username, display_name, roles, unit) in &accounts {
        let account = NewAccount {
            username,
            display_name,
            roles,
            unit: unit.as_ref().map(|(id, name)| (*id, name.as_str())),
        };
        users_created += usize::from(ensure_account(&txn, &account, now).await?);
        logins.push(DemoLogin {
            username: username.clone(),
            roles: app::domain::Roles::of(roles),
            unit_name: unit.as_ref().map(|(_, name)| name.clone()),
        });
    }

    let mut campaigns: Vec<(Campaign, Vec<Uuid>)> = vec![(
        campaign_2025(
            province_campaign_id(),
            province,
            "25-CV/BTCTU",
            "Kế hoạch tạo nguồn phát triển đảng viên nhiệm kỳ 2025–2030",
            today,
            &PROVINCE_COVERAGE,
        )?,
        Vec::new(),
    )];
    for (id, c, cells) in &commune_cells {
        let chosen = match c.code {
            "XA-BAO-LAM-1" => Vec::new(),
            // The two institution cells at the end have nobody left in the pool this term.
            "XA-BAO-LAM-5" => cells[..cells.len().saturating_sub(2)].to_vec(),
            _ => continue,
        };
        campaigns.push((
            campaign_2025(
                commune_campaign_id(c.code),
                *id,
                "08-CV/ĐU",
                &format!(
                    "Tạo nguồn phát triển đảng viên của các chi bộ {}, nhiệm kỳ 2025–2030",
                    c.name.trim_start_matches("Đảng bộ ")
                ),
                today,
                &[],
            )?,
            chosen,
        ));
    }
    for (campaign, chosen) in &campaigns {
        let exists = crate::store::entities::campaign::Entity::find_by_id(campaign.id)
            .one(&txn)
            .await?
            .is_some();
        if !exists {
            crate::store::campaigns::insert(&txn, campaign, chosen, now).await?;
        }
    }

    txn.commit().await?;
    Ok(SeedReport {
        units_created,
        users_created,
        logins,
    })
}
