//! Importing organisation units from a CSV file (`tao-nguon import-units FILE`).
//!
//! Columns, with a header row: `code,name,level,kind,parent_code,member_count`.
//! `level` is `district`, `grassroots` or `subordinate_cell`; `kind` (grassroots only) is one
//! of `commune`, `town`, `agency`, `public_service`, `enterprise`, `armed_forces`, `other`.
//! Rows are matched by `code`: new codes are added, known ones updated. A parent must come
//! before its children (in the file or already in the database). The whole file is applied in
//! one transaction: if any row is wrong, nothing is written and every wrong row is reported.

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

#[derive(Debug, Deserialize)]
struct Row {
    code: String,
    name: String,
    level: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_code: String,
    #[serde(default)]
    member_count: String,
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
    let mut codes: HashMap<String, (Uuid, String)> = org_unit::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), (u.id, u.level)))
        .collect();
    let mut report = ImportReport::default();
    let now = Utc::now();
    for (line, row) in rows {
        let mut bad = |why: String| problems.push(format!("  dòng {line} ({}): {why}", row.code));
        if row.code.is_empty() || row.code.chars().count() > 40 {
            bad("mã đơn vị dài 1–40 ký tự".into());
            continue;
        }
        if row.name.is_empty() || row.name.chars().count() > 200 {
            bad("tên đơn vị dài 1–200 ký tự".into());
            continue;
        }
        let Some(level) = UnitLevel::from_code(&row.level) else {
            bad(format!(
                "cấp «{}» không có; dùng district, grassroots hoặc subordinate_cell",
                row.level
            ));
            continue;
        };
        let kind = match (level, row.kind.as_str()) {
            (UnitLevel::Grassroots, code) => match UnitKind::from_code(code) {
                Some(k) => Some(k),
                None => {
                    bad(format!("loại hình «{code}» không có"));
                    continue;
                }
            },
            (_, "") => None,
            (_, _) => {
                bad("chỉ tổ chức cơ sở đảng mới có loại hình".into());
                continue;
            }
        };
        let members = if row.member_count.is_empty() {
            0
        } else {
            match row.member_count.parse::<i32>() {
                Ok(n) if (0..=1_000_000).contains(&n) => n,
                _ => {
                    bad(format!("số đảng viên «{}» không hợp lệ", row.member_count));
                    continue;
                }
            }
        };
        let wanted_parent = match level {
            UnitLevel::District => None,
            UnitLevel::Grassroots => Some(UnitLevel::District),
            UnitLevel::SubordinateCell => Some(UnitLevel::Grassroots),
        };
        let parent = match (wanted_parent, row.parent_code.as_str()) {
            (None, "") => None,
            (None, _) => {
                bad("đảng bộ huyện không có đơn vị cấp trên".into());
                continue;
            }
            (Some(want), code) => match codes.get(code) {
                Some((id, lvl)) if lvl == want.code() => Some(*id),
                _ => {
                    bad(format!(
                        "đơn vị cấp trên «{code}» chưa có hoặc không phải {}",
                        want.label().to_lowercase()
                    ));
                    continue;
                }
            },
        };
        let existing = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq(&row.code))
            .one(&txn)
            .await?;
        match existing {
            Some(unit)
                if unit.name == row.name
                    && unit.level == level.code()
                    && unit.kind.as_deref() == kind.map(UnitKind::code)
                    && unit.parent_id == parent
                    && unit.member_count == members =>
            {
                report.unchanged += 1;
            }
            Some(unit) => {
                let level_changed = unit.level != level.code();
                let cells = unit.has_subordinate_cells;
                let mut active: org_unit::ActiveModel = unit.into();
                if level_changed {
                    // A unit moved between levels is what its new level means.
                    let committee = CommitteeKind::of_level(level, cells);
                    active.committee = Set(Some(committee.code().to_owned()));
                }
                active.name = Set(row.name.clone());
                active.level = Set(level.code().to_owned());
                active.kind = Set(kind.map(|k| k.code().to_owned()));
                active.parent_id = Set(parent);
                active.member_count = Set(members);
                active.updated_at = Set(now);
                active.seq = Set(seq::next(&txn).await?);
                active.update(&txn).await?;
                report.updated += 1;
            }
            None => {
                let id = Uuid::new_v4();
                org_unit::ActiveModel {
                    id: Set(id),
                    parent_id: Set(parent),
                    code: Set(row.code.clone()),
                    name: Set(row.name.clone()),
                    level: Set(level.code().to_owned()),
                    kind: Set(kind.map(|k| k.code().to_owned())),
                    has_subordinate_cells: Set(false),
                    committee: Set(Some(
                        CommitteeKind::of_level(level, false).code().to_owned(),
                    )),
                    office_name: Set(None),
                    member_count: Set(members),
                    sort_order: Set(i32::try_from(line).unwrap_or(i32::MAX)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    seq: Set(seq::next(&txn).await?),
                }
                .insert(&txn)
                .await?;
                codes.insert(row.code.clone(), (id, level.code().to_owned()));
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
