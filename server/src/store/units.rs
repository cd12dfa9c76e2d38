//! Reading the tree of units.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QuerySelect};
use uuid::Uuid;

use crate::store::entities::org_unit;

/// `root` and every unit below it (`app::domain::org::subtree` over every unit's parent).
/// Reads two columns of every unit: a province's tree is a few thousand rows.
pub async fn subtree<C: ConnectionTrait>(db: &C, root: Uuid) -> Result<BTreeSet<Uuid>, DbErr> {
    let pairs: Vec<(Uuid, Option<Uuid>)> = org_unit::Entity::find()
        .select_only()
        .column(org_unit::Column::Id)
        .column(org_unit::Column::ParentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(app::domain::org::subtree(&pairs, root))
}
