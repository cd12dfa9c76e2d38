//! Demo data: Bảo Lâm district (Lâm Đồng) as it was when letter 381-CV/HU was sent — the town
//! of Lộc Thắng, its thirteen communes, and a few agencies, schools, enterprises and
//! armed-forces units, each with subordinate cells where it is a Đảng bộ cơ sở — plus one login
//! per role.
//!
//! Seeding is idempotent: units and users are matched by code and username, so running it
//! twice adds nothing. Identifiers are UUIDv5 of the code, so every machine gets the same ids.

use app::domain::{Campaign, CommitteeKind, Role, Term, TermTotalRule, UnitKind, UnitLevel};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::password;
use crate::store::entities::{org_unit, user_account};

/// The password of every demo account. Printed by `tao-nguon seed-demo`; never use the demo
/// data in production.
pub const DEMO_PASSWORD: &str = "taonguon2022";

/// Namespace for the demo's deterministic UUIDs.
const DEMO_NAMESPACE: Uuid = Uuid::from_u128(0x5a0c_4e3b_8f21_4d6a_9c1e_b0a1_ae00_2022);

/// One grassroots organisation of the demo district.
struct DemoUnit {
    code: &'static str,
    name: &'static str,
    kind: UnitKind,
    /// Number of village cells ("Chi bộ thôn 1", …), listed before `cells`.
    villages: u8,
    /// Other subordinate cells; a unit with no cells at all is a Chi bộ cơ sở.
    cells: &'static [&'static str],
    members: i32,
    /// The unit editor's login.
    login: &'static str,
}

/// The cells every commune has besides its villages' (thôn) cells.
const COMMUNE_INSTITUTION_CELLS: &[&str] = &[
    "Chi bộ Quân sự xã",
    "Chi bộ Công an xã",
    "Chi bộ Trường Tiểu học",
    "Chi bộ Trường THCS",
    "Chi bộ Trạm Y tế",
];

/// A commune Party committee with `villages` village cells and the institution cells.
const fn commune(
    code: &'static str,
    name: &'static str,
    login: &'static str,
    villages: u8,
    members: i32,
) -> DemoUnit {
    DemoUnit {
        code,
        name,
        kind: UnitKind::Commune,
        villages,
        cells: COMMUNE_INSTITUTION_CELLS,
        members,
        login,
    }
}

const UNITS: &[DemoUnit] = &[
    DemoUnit {
        code: "TT-LOC-THANG",
        name: "Đảng bộ thị trấn Lộc Thắng",
        kind: UnitKind::Town,
        villages: 0,
        cells: &[
            "Chi bộ tổ dân phố 1",
            "Chi bộ tổ dân phố 2",
            "Chi bộ tổ dân phố 3",
            "Chi bộ tổ dân phố 4",
            "Chi bộ tổ dân phố 5",
            "Chi bộ tổ dân phố 6",
            "Chi bộ Quân sự thị trấn",
            "Chi bộ Công an thị trấn",
            "Chi bộ Trường THCS Lộc Thắng",
        ],
        members: 512,
        login: "loc-thang",
    },
    commune("XA-LOC-AN", "Đảng bộ xã Lộc An", "loc-an", 9, 286),
    commune("XA-LOC-BAO", "Đảng bộ xã Lộc Bảo", "loc-bao", 6, 174),
    commune("XA-LOC-BAC", "Đảng bộ xã Lộc Bắc", "loc-bac", 7, 158),
    commune("XA-LOC-DUC", "Đảng bộ xã Lộc Đức", "loc-duc", 10, 243),
    commune("XA-LOC-LAM", "Đảng bộ xã Lộc Lâm", "loc-lam", 5, 131),
    commune("XA-LOC-NAM", "Đảng bộ xã Lộc Nam", "loc-nam", 11, 262),
    commune("XA-LOC-NGAI", "Đảng bộ xã Lộc Ngãi", "loc-ngai", 12, 271),
    commune("XA-LOC-PHU", "Đảng bộ xã Lộc Phú", "loc-phu", 8, 189),
    commune("XA-LOC-QUANG", "Đảng bộ xã Lộc Quảng", "loc-quang", 8, 204),
    commune("XA-LOC-TAN", "Đảng bộ xã Lộc Tân", "loc-tan", 10, 238),
    commune("XA-LOC-THANH", "Đảng bộ xã Lộc Thành", "loc-thanh", 13, 297),
    commune("XA-B-LA", "Đảng bộ xã B'Lá", "b-la", 5, 142),
    commune("XA-TAN-LAC", "Đảng bộ xã Tân Lạc", "tan-lac", 9, 225),
    DemoUnit {
        code: "DB-CQ-HUYEN",
        name: "Đảng bộ Khối cơ quan huyện",
        kind: UnitKind::Agency,
        villages: 0,
        cells: &[
            "Chi bộ Văn phòng HĐND và UBND huyện",
            "Chi bộ Phòng Tài chính - Kế hoạch",
            "Chi bộ Phòng Nông nghiệp và Phát triển nông thôn",
            "Chi bộ Phòng Giáo dục và Đào tạo",
            "Chi bộ Phòng Dân tộc",
        ],
        members: 168,
        login: "khoi-co-quan",
    },
    DemoUnit {
        code: "CB-MTTQ",
        name: "Chi bộ Ủy ban Mặt trận Tổ quốc và các đoàn thể huyện",
        kind: UnitKind::Agency,
        villages: 0,
        cells: &[],
        members: 34,
        login: "mttq",
    },
    DemoUnit {
        code: "CB-THPT-LOC-THANH",
        name: "Chi bộ Trường THPT Lộc Thanh",
        kind: UnitKind::PublicService,
        villages: 0,
        cells: &[],
        members: 27,
        login: "thpt-loc-thanh",
    },
    DemoUnit {
        code: "CB-THPT-BAO-LAM",
        name: "Chi bộ Trường THPT Bảo Lâm",
        kind: UnitKind::PublicService,
        villages: 0,
        cells: &[],
        members: 31,
        login: "thpt-bao-lam",
    },
    DemoUnit {
        code: "DB-TTYT",
        name: "Đảng bộ Trung tâm Y tế huyện",
        kind: UnitKind::PublicService,
        villages: 0,
        cells: &[
            "Chi bộ Khối lâm sàng",
            "Chi bộ Khối cận lâm sàng",
            "Chi bộ Y tế dự phòng",
        ],
        members: 64,
        login: "trung-tam-y-te",
    },
    DemoUnit {
        code: "DB-NHOM-LAM-DONG",
        name: "Đảng bộ Công ty Nhôm Lâm Đồng - TKV",
        kind: UnitKind::Enterprise,
        villages: 0,
        cells: &[
            "Chi bộ Xưởng Tuyển",
            "Chi bộ Xưởng Hóa",
            "Chi bộ Xưởng Nhiệt điện",
            "Chi bộ Phòng Điều hành sản xuất",
        ],
        members: 121,
        login: "nhom-lam-dong",
    },
    DemoUnit {
        code: "CB-LAM-NGHIEP",
        name: "Chi bộ Công ty TNHH MTV Lâm nghiệp Bảo Lâm",
        kind: UnitKind::Enterprise,
        villages: 0,
        cells: &[],
        members: 19,
        login: "lam-nghiep",
    },
    DemoUnit {
        code: "DB-QUAN-SU",
        name: "Đảng bộ Quân sự huyện",
        kind: UnitKind::ArmedForces,
        villages: 0,
        cells: &[
            "Chi bộ Cơ quan Ban Chỉ huy",
            "Chi bộ Đại đội bộ binh",
            "Chi bộ Hậu cần - Kỹ thuật",
        ],
        members: 58,
        login: "quan-su",
    },
    DemoUnit {
        code: "DB-CONG-AN",
        name: "Đảng bộ Công an huyện",
        kind: UnitKind::ArmedForces,
        villages: 0,
        cells: &[
            "Chi bộ Cảnh sát",
            "Chi bộ An ninh",
            "Chi bộ Tham mưu - Hậu cần",
        ],
        members: 96,
        login: "cong-an",
    },
];

/// The district itself.
const DISTRICT_CODE: &str = "HU-BAO-LAM";
const DISTRICT_NAME: &str = "Đảng bộ huyện Bảo Lâm";

/// What a demo login is for, as printed after seeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub roles: app::domain::Roles,
    pub unit_name: Option<String>,
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub units_created: usize,
    pub users_created: usize,
    pub logins: Vec<DemoLogin>,
}

pub(crate) fn demo_id(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&DEMO_NAMESPACE, format!("{kind}:{key}").as_bytes())
}

/// A unit to create unless its code exists.
pub(crate) struct NewUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub parent: Option<Uuid>,
    pub level: UnitLevel,
    pub kind: Option<UnitKind>,
    /// The kind of committee; `None`: the one its level meant in 2022.
    pub committee: Option<CommitteeKind>,
    pub has_cells: bool,
    pub members: i32,
    pub order: i32,
}

/// A login to create unless its username exists.
pub(crate) struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub roles: &'a [Role],
    pub unit: Option<(Uuid, &'a str)>,
}

/// Returns the unit's id and whether it was created now.
pub(crate) async fn ensure_unit<C: ConnectionTrait>(
    db: &C,
    unit: &NewUnit<'_>,
    now: DateTime<Utc>,
) -> Result<(Uuid, bool), DbErr> {
    let existing = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq(unit.code))
        .one(db)
        .await?;
    if let Some(existing) = existing {
        return Ok((existing.id, false));
    }
    let id = demo_id("unit", unit.code);
    org_unit::ActiveModel {
        id: Set(id),
        parent_id: Set(unit.parent),
        code: Set(unit.code.to_owned()),
        name: Set(unit.name.to_owned()),
        level: Set(unit.level.code().to_owned()),
        kind: Set(unit.kind.map(|k| k.code().to_owned())),
        has_subordinate_cells: Set(unit.has_cells),
        committee: Set(Some(
            unit.committee
                .unwrap_or_else(|| CommitteeKind::of_level(unit.level, unit.has_cells))
                .code()
                .to_owned(),
        )),
        office_name: Set(None),
        member_count: Set(unit.members),
        sort_order: Set(unit.order),
        created_at: Set(now),
        updated_at: Set(now),
        seq: Set(crate::store::seq::next(db).await?),
    }
    .insert(db)
    .await?;
    Ok((id, true))
}

/// The id a demo login is created with (the same on every machine).
pub fn demo_id_of_user(username: &str) -> Uuid {
    demo_id("user", username)
}

/// Returns whether the account was created now.
pub(crate) async fn ensure_account<C: ConnectionTrait>(
    db: &C,
    account: &NewAccount<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let existing = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(account.username))
        .one(db)
        .await?;
    if existing.is_some() {
        return Ok(false);
    }
    let password_hash = password::hash(DEMO_PASSWORD)
        .map_err(|err| DbErr::Custom(format!("password hashing failed: {err}")))?;
    user_account::ActiveModel {
        id: Set(demo_id("user", account.username)),
        username: Set(account.username.to_owned()),
        display_name: Set(account.display_name.to_owned()),
        password_hash: Set(password_hash),
        roles: Set(app::domain::Roles::of(account.roles).codes()),
        unit_id: Set(account.unit.map(|(id, _)| id)),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(true)
}

/// Seeds the demo district in one transaction.
///
/// # Errors
/// The database error if any write fails; nothing is written in that case.
pub async fn seed_demo(db: &DatabaseConnection) -> Result<SeedReport, DbErr> {
    let txn = db.begin().await?;
    crate::store::seq::lock(&txn).await?;
    let now = Utc::now();
    let mut units_created = 0;
    let mut users_created = 0;

    let (district, created) = ensure_unit(
        &txn,
        &NewUnit {
            code: DISTRICT_CODE,
            name: DISTRICT_NAME,
            parent: None,
            level: UnitLevel::District,
            kind: None,
            committee: None,
            has_cells: false,
            members: UNITS.iter().map(|u| u.members).sum(),
            order: 0,
        },
        now,
    )
    .await?;
    units_created += usize::from(created);

    let mut accounts = vec![
        NewAccount {
            username: "quantri",
            display_name: "Quản trị hệ thống",
            roles: &[Role::Administrator],
            unit: None,
        },
        NewAccount {
            username: "bantochuc",
            display_name: "Ban Tổ chức Huyện ủy Bảo Lâm",
            roles: &[Role::Reviewer],
            unit: Some((district, DISTRICT_NAME)),
        },
    ];

    for (index, unit) in UNITS.iter().enumerate() {
        let cells: Vec<String> = (1..=unit.villages)
            .map(|n| format!("Chi bộ thôn {n}"))
            .chain(unit.cells.iter().map(|c| (*c).to_owned()))
            .collect();
        let (id, created) = ensure_unit(
            &txn,
            &NewUnit {
                code: unit.code,
                name: unit.name,
                parent: Some(district),
                level: UnitLevel::Grassroots,
                kind: Some(unit.kind),
                committee: None,
                has_cells: !cells.is_empty(),
                members: unit.members,
                order: i32::try_from(index + 1).unwrap_or(i32::MAX),
            },
            now,
        )
        .await?;
        units_created += usize::from(created);

        let cell_count = i32::try_from(cells.len()).unwrap_or(1).max(1);
        for (cell_index, cell) in cells.iter().enumerate() {
            let code = format!("{}-CB{:02}", unit.code, cell_index + 1);
            // Cell sizes vary a little so that per-cell sums are not trivially uniform.
            let members = unit.members / cell_count + i32::try_from(cell_index % 3).unwrap_or(0);
            let (_, created) = ensure_unit(
                &txn,
                &NewUnit {
                    code: &code,
                    name: cell,
                    parent: Some(id),
                    level: UnitLevel::SubordinateCell,
                    kind: None,
                    committee: None,
                    has_cells: false,
                    members,
                    order: i32::try_from(cell_index + 1).unwrap_or(i32::MAX),
                },
                now,
            )
            .await?;
            units_created += usize::from(created);
        }
        accounts.push(NewAccount {
            username: unit.login,
            display_name: unit.name,
            roles: &[Role::Editor],
            unit: Some((id, unit.name)),
        });
    }

    let mut logins = Vec::with_capacity(accounts.len());
    for account in &accounts {
        users_created += usize::from(ensure_account(&txn, account, now).await?);
        logins.push(DemoLogin {
            username: account.username.to_owned(),
            roles: app::domain::Roles::of(account.roles),
            unit_name: account.unit.map(|(_, name)| name.to_owned()),
        });
    }

    txn.commit().await?;
    Ok(SeedReport {
        units_created,
        users_created,
        logins,
    })
}

/// The id of the demo campaign, the same on every machine.
pub fn demo_campaign_id() -> Uuid {
    demo_id("campaign", "381-CV/HU")
}

/// The demo campaign as of `today`: a letter like 381-CV/HU sent today for the current
/// Congress term, asking for the coming years, due in 45 days — so a demo always has an open
/// campaign with a deadline ahead instead of replaying one that closed in 2022.
pub fn demo_campaign(opener_id: Uuid, today: NaiveDate) -> Result<Campaign, DbErr> {
    // Plans made late in a year are for the next one.
    let first = u16::try_from(today.year() + i32::from(today.month() >= 10)).unwrap_or(2026);
    // Congress terms run 2020–2025, 2025–2030, …: the term holding `first` as a planned year.
    let start = 2020 + (first.saturating_sub(2021) / 5) * 5;
    let term = Term::new(start, start + 5)
        .map_err(|err| DbErr::Custom(format!("demo campaign term {start}: {err:?}")))?;
    let years = (first.max(start + 1)..=start + 5).collect();
    let campaign = Campaign {
        id: demo_campaign_id(),
        opener_id,
        letter_number: "381-CV/HU".into(),
        letter_date: today,
        title: format!("Kế hoạch tạo nguồn phát triển đảng viên nhiệm kỳ {term}"),
        term,
        years,
        deadline: today.checked_add_days(Days::new(45)).unwrap_or(today),
        term_total_rule: TermTotalRule::AtLeast,
        categories: app::domain::Categories::classic(),
        coverage: Vec::new(),
    };
    checked(campaign)
}

/// A demo campaign as the shared rules accept it, or the first reason they refuse it.
pub(crate) fn checked(campaign: Campaign) -> Result<Campaign, DbErr> {
    match campaign.problems().first() {
        None => Ok(campaign),
        Some(problem) => Err(DbErr::Custom(format!("demo campaign: {}", problem.message))),
    }
}

/// Vietnam's date at `now`, not UTC's: seeded at 06:00 in Bảo Lâm it is already that day there.
pub(crate) fn vietnam_today(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(app::domain::board::LOCAL_OFFSET_HOURS)).date_naive()
}

/// Opens the demo campaign unless it exists. Returns whether it was created.
pub async fn seed_demo_campaign(db: &DatabaseConnection) -> Result<bool, DbErr> {
    let txn = db.begin().await?;
    crate::store::seq::lock(&txn).await?;
    if crate::store::entities::campaign::Entity::find_by_id(demo_campaign_id())
        .one(&txn)
        .await?
        .is_some()
    {
        txn.rollback().await?;
        return Ok(false);
    }
    let district = demo_id("unit", DISTRICT_CODE);
    let now = Utc::now();
    let today = vietnam_today(now);
    let campaign = demo_campaign(district, today)?;
    // Every unit of the district, as the letter asked.
    crate::store::campaigns::insert(&txn, &campaign, &[], now).await?;
    txn.commit().await?;
    Ok(true)
}
