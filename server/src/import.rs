//! Importing organisation units from a CSV file (`tao-nguon import-units FILE`).
//!
//! Columns, with a header row: `code,name,committee,level,kind,parent_code,member_count,
//! office_name`; only `code` and `name` are always needed, and columns may come in any order.
//! - `committee` is the kind of Party committee or cell (`province`, `central_city`,
//!   `district`, `commune`, `ward`, `special_zone`, `block`, `grassroots_committee`,
//!   `grassroots_cell`, `subordinate_cell`); `level` is the older way to say where a unit sits
//!   (`district`, `grassroots`, `subordinate_cell`), still read from the first release's files.
//!   A row gives either or both; with both, they must agree.
//! - `kind` (grassroots organisations only) is one of `commune`, `town`, `agency`,
//!   `public_service`, `enterprise`, `armed_forces`, `other`.
//! - `parent_code` names any unit above it, so the tree has any depth (a province over communes
//!   over grassroots committees over cells); empty for a top unit. A parent must come before
//!   its children, in the file or already in the database, and no unit may end up under itself.
//! - `office_name` is the reviewing office ("Ban Xây dựng Đảng"); empty keeps what is stored.
//!
//! Rows are matched by `code`: new codes are added, known ones updated. The whole file is
//! applied in one transaction: if any row is wrong, nothing is written and every wrong row is
//! reported.

use std::collections::HashMap;

use app::domain::{CommitteeKind, UnitKind, UnitLevel};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::store::entities::org_unit;
use crate::store::seq;

/// The longest office name kept ("Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh" is 42).
const MAX_OFFICE: usize = 120;

#[derive(Debug, Deserialize)]
struct Row {
    code: String,
    name: String,
    #[serde(default)]
    committee: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_code: String,
    #[serde(default)]
    member_count: String,
    #[serde(default)]
    office_name: String,
}

/// A row's own fields, checked: everything but its place in the tree.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    /// As the row says it; `None` when it gives only a level.
    committee: Option<CommitteeKind>,
    level: UnitLevel,
    kind: Option<UnitKind>,
    members: i32,
    office: Option<String>,
}

/// Reads a row's own fields, or says in Vietnamese what is wrong with them.
fn read_row(row: &Row) -> Result<Shape, String> {
    if row.code.is_empty() || row.code.chars().count() > 40 {
        return Err("mã đơn vị dài 1–40 ký tự".into());
    }
    if row.name.is_empty() || row.name.chars().count() > 200 {
        return Err("tên đơn vị dài 1–200 ký tự".into());
    }
    let committee = match row.committee.as_str() {
        "" => None,
        code => Some(CommitteeKind::from_code(code).ok_or_else(|| {
            format!(
                "loại tổ chức đảng «{code}» không có; dùng một trong: {}",
                codes(CommitteeKind::ALL.iter().map(|k| k.code()))
            )
        })?),
    };
    let level = match (row.level.as_str(), committee) {
        ("", Some(k)) => k.level(),
        ("", None) => return Err("cần cột committee (loại tổ chức đảng) hoặc level (cấp)".into()),
        (code, committee) => {
            let level = UnitLevel::from_code(code).ok_or_else(|| {
                format!("cấp «{code}» không có; dùng district, grassroots hoặc subordinate_cell")
            })?;
            if let Some(k) = committee
                && k.level() != level
            {
                return Err(format!(
                    "{} không ở cấp «{code}» (cấp của nó là {})",
                    k.label(),
                    k.level().code()
                ));
            }
            level
        }
    };
    let kind = match (level, row.kind.as_str()) {
        (_, "") => None,
        (UnitLevel::Grassroots, code) => {
            Some(UnitKind::from_code(code).ok_or_else(|| format!("loại hình «{code}» không có"))?)
        }
        _ => return Err("chỉ tổ chức cơ sở đảng mới có loại hình".into()),
    };
    let members = match row.member_count.as_str() {
        "" => 0,
        text => match text.parse::<i32>() {
            Ok(n) if (0..=1_000_000).contains(&n) => n,
            _ => return Err(format!("số đảng viên «{text}» không hợp lệ")),
        },
    };
    let office = match row.office_name.as_str() {
        "" => None,
        name if name.chars().count() > MAX_OFFICE => {
            return Err(format!("tên cơ quan tham mưu dài quá {MAX_OFFICE} ký tự"));
        }
        name => Some(name.to_owned()),
    };
    Ok(Shape {
        committee,
        level,
        kind,
        members,
        office,
    })
}

fn codes<'a>(all: impl Iterator<Item = &'a str>) -> String {
    all.collect::<Vec<_>>().join(", ")
}

/// Whether putting `unit` under `parent` would put it under itself: `parent` is `unit` or
/// below it, following `parents` (the tree as it stands, with this file's rows so far).
fn would_loop(parents: &HashMap<Uuid, Option<Uuid>>, unit: Uuid, parent: Uuid) -> bool {
    let mut at = Some(parent);
    // A tree has fewer levels than units; the bound stops a loop already in stored data.
    for _ in 0..=parents.len() {
        match at {
            None => return false,
            Some(id) if id == unit => return true,
            Some(id) => at = parents.get(&id).copied().flatten(),
        }
    }
    true
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("tệp CSV có {} dòng sai, chưa nhập gì:\n{}", .0.len(), .0.join("\n"))]
    Rows(Vec<String>),
    #[error("lỗi cơ sở dữ liệu, chưa nhập gì: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// Imports units from CSV text.
///
/// # Errors
/// [`ImportError::Rows`] listing every wrong row (line number and reason), or a database error.
pub async fn import_units(
    db: &DatabaseConnection,
    csv_text: &str,
) -> Result<ImportReport, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2;
        match record {
            Ok(row) => rows.push((line, row)),
            Err(e) => problems.push(format!("  dòng {line}: {e}")),
        }
    }

    let txn = db.begin().await?;
    seq::lock(&txn).await?;
    let stored = org_unit::Entity::find().all(&txn).await?;
    let mut codes: HashMap<String, (Uuid, UnitLevel)> = HashMap::new();
    let mut parents: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    for u in &stored {
        if let Some(level) = UnitLevel::from_code(&u.level) {
            codes.insert(u.code.clone(), (u.id, level));
        }
        parents.insert(u.id, u.parent_id);
    }
    let mut report = ImportReport::default();
    let now = Utc::now();
    for (line, row) in rows {
        let mut bad = |why: String| problems.push(format!("  dòng {line} ({}): {why}", row.code));
        let shape = match read_row(&row) {
            Ok(shape) => shape,
            Err(why) => {
                bad(why);
                continue;
            }
        };
        let parent = match row.parent_code.as_str() {
            "" if shape.level == UnitLevel::SubordinateCell => {
                bad("chi bộ trực thuộc phải có đơn vị cấp trên (cột parent_code)".into());
                continue;
            }
            "" => None,
            code if code == row.code => {
                bad("một đơn vị không thể là cấp trên của chính nó".into());
                continue;
            }
            code => match codes.get(code) {
                Some((_, UnitLevel::SubordinateCell)) => {
                    bad(format!(
                        "«{code}» là chi bộ trực thuộc, không có đơn vị nào ở dưới"
                    ));
                    continue;
                }
                Some((id, _)) => Some(*id),
                None => {
                    bad(format!(
                        "đơn vị cấp trên «{code}» chưa có (phải đứng trước trong tệp hoặc đã có trong cơ sở dữ liệu)"
                    ));
                    continue;
                }
            },
        };
        let existing = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq(&row.code))
            .one(&txn)
            .await?;
        if let (Some(unit), Some(parent)) = (&existing, parent)
            && would_loop(&parents, unit.id, parent)
        {
            bad(format!(
                "đặt dưới «{}» thì đơn vị sẽ nằm dưới chính nó",
                row.parent_code
            ));
            continue;
        }
        let level = shape.level;
        let kind = shape.kind.map(|k| k.code().to_owned());
        match existing {
            Some(unit) => {
                let level_changed = unit.level != level.code();
                let committee = match shape.committee {
                    Some(k) => Some(k.code().to_owned()),
                    // A unit moved between levels is what its new level means.
                    None if level_changed => Some(
                        CommitteeKind::of_level(level, unit.has_subordinate_cells)
                            .code()
                            .to_owned(),
                    ),
                    None => unit.committee.clone(),
                };
                let office = shape.office.clone().or_else(|| unit.office_name.clone());
                if unit.name == row.name
                    && !level_changed
                    && unit.kind == kind
                    && unit.parent_id == parent
                    && unit.member_count == shape.members
                    && unit.committee == committee
                    && unit.office_name == office
                {
                    report.unchanged += 1;
                } else {
                    let id = unit.id;
                    let mut active: org_unit::ActiveModel = unit.into();
                    active.name = Set(row.name.clone());
                    active.level = Set(level.code().to_owned());
                    active.kind = Set(kind);
                    active.committee = Set(committee);
                    active.office_name = Set(office);
                    active.parent_id = Set(parent);
                    active.member_count = Set(shape.members);
                    active.updated_at = Set(now);
                    active.seq = Set(seq::next(&txn).await?);
                    active.update(&txn).await?;
                    codes.insert(row.code.clone(), (id, level));
                    parents.insert(id, parent);
                    report.updated += 1;
                }
            }
            None => {
                let id = Uuid::new_v4();
                let committee = shape
                    .committee
                    .unwrap_or_else(|| CommitteeKind::of_level(level, false));
                org_unit::ActiveModel {
                    id: Set(id),
                    parent_id: Set(parent),
                    code: Set(row.code.clone()),
                    name: Set(row.name.clone()),
                    level: Set(level.code().to_owned()),
                    kind: Set(kind),
                    has_subordinate_cells: Set(false),
                    committee: Set(Some(committee.code().to_owned())),
                    office_name: Set(shape.office.clone()),
                    member_count: Set(shape.members),
                    sort_order: Set(i32::try_from(line).unwrap_or(i32::MAX)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    seq: Set(seq::next(&txn).await?),
                }
                .insert(&txn)
                .await?;
                codes.insert(row.code.clone(), (id, level));
                parents.insert(id, parent);
                report.created += 1;
            }
        }
        if let (UnitLevel::SubordinateCell, Some(parent)) = (level, parent) {
            // The parent now has cells: it is a Đảng bộ cơ sở.
            if let Some(p) = org_unit::Entity::find_by_id(parent).one(&txn).await?
                && !p.has_subordinate_cells
            {
                let was_cell = p.committee.as_deref() == Some(CommitteeKind::GrassrootsCell.code());
                let mut active: org_unit::ActiveModel = p.into();
                active.has_subordinate_cells = Set(true);
                if was_cell {
                    active.committee =
                        Set(Some(CommitteeKind::GrassrootsCommittee.code().to_owned()));
                }
                active.seq = Set(seq::next(&txn).await?);
                active.update(&txn).await?;
            }
        }
    }
    if !problems.is_empty() {
        txn.rollback().await?;
        return Err(ImportError::Rows(problems));
    }
    txn.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(committee: &str, level: &str, kind: &str) -> Row {
        Row {
            code: "XA-BL1".into(),
            name: "Đảng ủy xã Bảo Lâm 1".into(),
            committee: committee.into(),
            level: level.into(),
            kind: kind.into(),
            parent_code: String::new(),
            member_count: "360".into(),
            office_name: String::new(),
        }
    }

    #[test]
    fn a_row_says_its_committee_its_level_or_both_in_agreement() {
        let commune = read_row(&row("commune", "", "commune")).expect("commune");
        assert_eq!(
            (commune.committee, commune.level, commune.members),
            (Some(CommitteeKind::Commune), UnitLevel::Grassroots, 360)
        );
        // A first-release file: the level alone.
        let old = read_row(&row("", "grassroots", "commune")).expect("level only");
        assert_eq!((old.committee, old.level), (None, UnitLevel::Grassroots));
        assert!(read_row(&row("province", "district", "")).is_ok());
        for (committee, level, kind, needle) in [
            ("", "", "", "cần cột committee"),
            ("xa", "", "", "«xa» không có"),
            ("commune", "district", "", "không ở cấp"),
            ("province", "", "commune", "chỉ tổ chức cơ sở"),
            ("commune", "", "village", "«village»"),
        ] {
            let err = read_row(&row(committee, level, kind)).expect_err(needle);
            assert!(err.contains(needle), "{needle} in {err}");
        }
        let mut long = row("commune", "", "");
        long.office_name = "B".repeat(MAX_OFFICE + 1);
        assert!(read_row(&long).is_err());
        long.office_name = "Ban Xây dựng Đảng".into();
        assert_eq!(
            read_row(&long).expect("office").office.as_deref(),
            Some("Ban Xây dựng Đảng")
        );
    }

    #[test]
    fn a_unit_cannot_be_put_under_itself() {
        let [a, b, c] = [Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3)];
        // a ← b ← c
        let parents = HashMap::from([(a, None), (b, Some(a)), (c, Some(b))]);
        assert!(would_loop(&parents, a, c), "a under its grandchild");
        assert!(would_loop(&parents, b, b));
        assert!(!would_loop(&parents, c, a), "c straight under a");
        // Stored data with a loop already in it still ends.
        let looped = HashMap::from([(a, Some(b)), (b, Some(a))]);
        assert!(would_loop(&looped, c, a));
    }
}
