//! Organisation units and roles: the district, its grassroots Party organisations and their
//! subordinate cells, and who may do what.

use crate::domain::coded::coded_enum;

coded_enum! {
    /// Where a unit sits in the hierarchy.
    UnitLevel {
        /// The district Party committee (Đảng bộ huyện): reviews and aggregates.
        District = "district" => "Đảng bộ huyện",
        /// A grassroots Party organisation (tổ chức cơ sở đảng): fills in a plan.
        Grassroots = "grassroots" => "Tổ chức cơ sở đảng",
        /// A subordinate cell of a grassroots Party committee (chi bộ trực thuộc).
        SubordinateCell = "subordinate_cell" => "Chi bộ trực thuộc",
    }
}

coded_enum! {
    /// The kind of Party committee (or cell) a unit is. Which kinds exist, and how they nest,
    /// changed with the 2025 reorganisation (no district level since 1 July 2025: provinces
    /// over communes, wards and special zones); the tree of units is data, and this names what
    /// each node is, for labels and for the name of the office that reviews for it.
    CommitteeKind {
        Province = "province" => "Tỉnh ủy",
        CentralCity = "central_city" => "Thành ủy",
        District = "district" => "Huyện ủy",
        Commune = "commune" => "Đảng ủy xã",
        Ward = "ward" => "Đảng ủy phường",
        SpecialZone = "special_zone" => "Đảng ủy đặc khu",
        /// A committee of a block of agencies or enterprises (Đảng ủy khối), directly under a
        /// province.
        Block = "block" => "Đảng ủy khối",
        /// A grassroots Party committee with subordinate cells (Đảng bộ cơ sở).
        GrassrootsCommittee = "grassroots_committee" => "Đảng bộ cơ sở",
        /// A grassroots cell with no cells under it (Chi bộ cơ sở).
        GrassrootsCell = "grassroots_cell" => "Chi bộ cơ sở",
        /// A cell under a grassroots Party committee (Chi bộ trực thuộc).
        SubordinateCell = "subordinate_cell" => "Chi bộ trực thuộc",
    }
}

impl CommitteeKind {
    /// The word for the area or body this committee leads, as in "toàn huyện", "toàn xã".
    pub fn area_word(self) -> &'static str {
        match self {
            CommitteeKind::Province => "tỉnh",
            CommitteeKind::CentralCity => "thành phố",
            CommitteeKind::District => "huyện",
            CommitteeKind::Commune => "xã",
            CommitteeKind::Ward => "phường",
            CommitteeKind::SpecialZone => "đặc khu",
            CommitteeKind::Block => "khối",
            CommitteeKind::GrassrootsCommittee => "đảng bộ",
            CommitteeKind::GrassrootsCell | CommitteeKind::SubordinateCell => "chi bộ",
        }
    }

    /// The row of all units together in totals and rankings: "Toàn huyện", "Toàn tỉnh", …
    pub fn whole(self) -> String {
        format!("Toàn {}", self.area_word())
    }

    /// The reviewer's screens as the navigation names them: the level's own word.
    pub fn overview_label(self) -> &'static str {
        match self {
            CommitteeKind::Province => "Tổng hợp của tỉnh",
            CommitteeKind::CentralCity => "Tổng hợp của thành phố",
            CommitteeKind::District => "Tổng hợp của huyện",
            CommitteeKind::Commune => "Tổng hợp của xã",
            CommitteeKind::Ward => "Tổng hợp của phường",
            CommitteeKind::SpecialZone => "Tổng hợp của đặc khu",
            CommitteeKind::Block => "Tổng hợp của khối",
            CommitteeKind::GrassrootsCommittee
            | CommitteeKind::GrassrootsCell
            | CommitteeKind::SubordinateCell => "Tổng hợp các chi bộ",
        }
    }

    /// The office that reviews the plans of the units under this committee, as such offices
    /// are usually called; a unit's own `office_name` overrides it.
    pub fn usual_office(self) -> &'static str {
        match self {
            CommitteeKind::Province => "Ban Tổ chức Tỉnh ủy",
            CommitteeKind::CentralCity => "Ban Tổ chức Thành ủy",
            CommitteeKind::District => "Ban Tổ chức Huyện ủy",
            CommitteeKind::Commune | CommitteeKind::Ward | CommitteeKind::SpecialZone => {
                "Ban Xây dựng Đảng"
            }
            CommitteeKind::Block => "Ban Tổ chức Đảng ủy khối",
            CommitteeKind::GrassrootsCommittee => "Ban Thường vụ Đảng ủy",
            CommitteeKind::GrassrootsCell | CommitteeKind::SubordinateCell => "Chi ủy",
        }
    }

    /// Where a unit of this kind sits in the three levels the first release stored (a unit's
    /// `level` column): a committee over grassroots organisations is at the top, a cell under a
    /// grassroots committee at the bottom, every other organisation between them.
    pub fn level(self) -> UnitLevel {
        match self {
            CommitteeKind::Province | CommitteeKind::CentralCity | CommitteeKind::District => {
                UnitLevel::District
            }
            CommitteeKind::SubordinateCell => UnitLevel::SubordinateCell,
            _ => UnitLevel::Grassroots,
        }
    }

    /// The kind a unit stored before kinds of committee existed (schema of 2026-11) had: a
    /// district, a grassroots organisation with or without cells, or a cell.
    pub fn of_level(level: UnitLevel, has_subordinate_cells: bool) -> CommitteeKind {
        match level {
            UnitLevel::District => CommitteeKind::District,
            UnitLevel::Grassroots if has_subordinate_cells => CommitteeKind::GrassrootsCommittee,
            UnitLevel::Grassroots => CommitteeKind::GrassrootsCell,
            UnitLevel::SubordinateCell => CommitteeKind::SubordinateCell,
        }
    }
}

coded_enum! {
    /// The type of a grassroots Party organisation (loại hình tổ chức đảng); the letter asks
    /// plans to mind the particular nature of each.
    UnitKind {
        Commune = "commune" => "Xã",
        Town = "town" => "Thị trấn",
        Agency = "agency" => "Cơ quan",
        PublicService = "public_service" => "Đơn vị sự nghiệp",
        Enterprise = "enterprise" => "Doanh nghiệp",
        ArmedForces = "armed_forces" => "Lực lượng vũ trang",
        Other = "other" => "Loại hình khác",
    }
}

coded_enum! {
    /// What an account may do at its unit. An account holds one or more (a commune's staff fill
    /// the commune's plan and review its cells'). The codes are those the first release stored
    /// and sent, when the only reviewer was a district; they stay, being stored on devices.
    Role {
        /// Fills and submits its own unit's plans.
        Editor = "unit_editor" => "Lập kế hoạch của đơn vị",
        /// Reviews the plans of the units directly under its unit: board, return and approve,
        /// totals, achievement, exports, prints; opens campaigns for them.
        Reviewer = "district_reviewer" => "Thẩm định kế hoạch của cấp dưới",
        /// Manages units and accounts.
        Administrator = "administrator" => "Quản trị đơn vị và tài khoản",
    }
}

/// The roles an account holds, in `Role::ALL` order without repeats. Stored as their codes
/// joined by commas (`unit_editor,district_reviewer`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<Role>", into = "Vec<Role>")]
pub struct Roles(#[cfg_attr(feature = "openapi", schema(inline))] Vec<Role>);

impl Roles {
    /// These roles, ordered and without repeats.
    pub fn of(roles: &[Role]) -> Roles {
        Roles(
            Role::ALL
                .iter()
                .copied()
                .filter(|r| roles.contains(r))
                .collect(),
        )
    }

    pub fn has(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    /// The stored form: codes joined by commas.
    pub fn codes(&self) -> String {
        self.0
            .iter()
            .map(|r| r.code())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Parses the stored form; `None` if any code is unknown or none is given.
    pub fn from_codes(codes: &str) -> Option<Roles> {
        let parsed: Option<Vec<Role>> = codes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(Role::from_code)
            .collect();
        parsed.map(|r| Roles::of(&r)).filter(|r| !r.is_empty())
    }

    /// The one role a screen that shows a single one names first: reviewer, then editor, then
    /// administrator (what a first-release client reads from `Me.role`).
    pub fn primary(&self) -> Option<Role> {
        [Role::Reviewer, Role::Editor, Role::Administrator]
            .into_iter()
            .find(|r| self.has(*r))
    }
}

/// In which role a user acts on a plan: as its editor if the plan is its own unit's, as its
/// reviewer if its unit is the plan's reviewing unit (the committee that opened the campaign,
/// directly above the plan's unit). `None`: the plan is none of the user's business — an
/// administrator's roles give none, and a sibling's or a cousin's plan matches neither.
/// A unit never reviews its own plans, so the two cannot both hold.
pub fn capacity(
    roles: &Roles,
    user_unit: Option<uuid::Uuid>,
    plan_unit: uuid::Uuid,
    reviewing_unit: Option<uuid::Uuid>,
) -> Option<Role> {
    let unit = user_unit?;
    if roles.has(Role::Editor) && unit == plan_unit {
        Some(Role::Editor)
    } else if roles.has(Role::Reviewer) && reviewing_unit == Some(unit) {
        Some(Role::Reviewer)
    } else {
        None
    }
}

/// The units an administrator at `root` manages: `root` and every unit below it, at any depth,
/// from each unit's `(id, parent)`. Safe on a tree with a cycle (a hand-edited database): each
/// unit is taken once.
pub fn subtree(
    units: &[(uuid::Uuid, Option<uuid::Uuid>)],
    root: uuid::Uuid,
) -> std::collections::BTreeSet<uuid::Uuid> {
    let mut children: std::collections::BTreeMap<uuid::Uuid, Vec<uuid::Uuid>> =
        std::collections::BTreeMap::new();
    for (id, parent) in units {
        if let Some(parent) = parent {
            children.entry(*parent).or_default().push(*id);
        }
    }
    let mut out = std::collections::BTreeSet::from([root]);
    let mut todo = vec![root];
    while let Some(unit) = todo.pop() {
        for child in children.get(&unit).into_iter().flatten() {
            if out.insert(*child) {
                todo.push(*child);
            }
        }
    }
    out
}

impl From<Vec<Role>> for Roles {
    fn from(roles: Vec<Role>) -> Roles {
        Roles::of(&roles)
    }
}

impl From<Roles> for Vec<Role> {
    fn from(roles: Roles) -> Vec<Role> {
        roles.0
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_subtree_holds_the_root_and_everything_below_it_once() {
        let [province, commune, cell, other, other_cell] =
            [1, 2, 3, 4, 5].map(uuid::Uuid::from_u128);
        let units = [
            (province, None),
            (commune, Some(province)),
            (cell, Some(commune)),
            (other, Some(province)),
            (other_cell, Some(other)),
        ];
        let of = |root| super::subtree(&units, root).into_iter().collect::<Vec<_>>();
        assert_eq!(of(commune), vec![commune, cell]);
        assert_eq!(of(province).len(), 5);
        assert_eq!(of(cell), vec![cell]);
        // A cycle ends.
        let looped = [(commune, Some(cell)), (cell, Some(commune))];
        assert_eq!(super::subtree(&looped, commune).len(), 2);
    }

    use super::*;

    #[test]
    fn units_stored_before_committee_kinds_get_the_kind_they_were() {
        use CommitteeKind as K;
        assert_eq!(K::of_level(UnitLevel::District, false), K::District);
        assert_eq!(
            K::of_level(UnitLevel::Grassroots, true),
            K::GrassrootsCommittee
        );
        assert_eq!(K::of_level(UnitLevel::Grassroots, false), K::GrassrootsCell);
        assert_eq!(
            K::of_level(UnitLevel::SubordinateCell, false),
            K::SubordinateCell
        );
        // …and back: every kind's stored level is the level its old kind had.
        for (level, cells) in [
            (UnitLevel::District, false),
            (UnitLevel::Grassroots, true),
            (UnitLevel::Grassroots, false),
            (UnitLevel::SubordinateCell, false),
        ] {
            assert_eq!(K::of_level(level, cells).level(), level);
        }
        assert_eq!(K::Province.level(), UnitLevel::District);
        assert_eq!(K::Commune.level(), UnitLevel::Grassroots);
        assert_eq!(K::District.usual_office(), "Ban Tổ chức Huyện ủy");
        assert_eq!(K::District.overview_label(), "Tổng hợp của huyện");
        assert_eq!(K::Commune.overview_label(), "Tổng hợp của xã");
        assert_eq!(
            K::GrassrootsCommittee.overview_label(),
            "Tổng hợp các chi bộ"
        );
        assert_eq!(K::Province.usual_office(), "Ban Tổ chức Tỉnh ủy");
        assert_eq!(K::Commune.usual_office(), "Ban Xây dựng Đảng");
        for kind in K::ALL {
            assert_eq!(K::from_code(kind.code()), Some(*kind));
        }
    }

    #[test]
    fn roles_are_stored_as_ordered_codes_and_unknown_ones_are_refused() {
        let both = Roles::of(&[Role::Reviewer, Role::Editor, Role::Reviewer]);
        assert_eq!(both.codes(), "unit_editor,district_reviewer");
        assert_eq!(Roles::from_codes(&both.codes()), Some(both.clone()));
        assert_eq!(
            Roles::from_codes("district_reviewer"),
            Some(Roles::of(&[Role::Reviewer]))
        );
        assert_eq!(
            Roles::from_codes(" administrator , unit_editor"),
            Some(Roles::of(&[Role::Editor, Role::Administrator]))
        );
        assert_eq!(Roles::from_codes("unit_editor,owner"), None);
        assert_eq!(Roles::from_codes(""), None);
        assert_eq!(both.primary(), Some(Role::Reviewer));
        assert_eq!(
            Roles::of(&[Role::Administrator]).primary(),
            Some(Role::Administrator)
        );
        assert_eq!(
            serde_json::to_string(&both).ok().as_deref(),
            Some(r#"["unit_editor","district_reviewer"]"#)
        );
    }

    #[test]
    fn a_user_edits_its_own_units_plans_and_reviews_those_its_unit_reviews() {
        let commune = uuid::Uuid::from_u128(1);
        let cell = uuid::Uuid::from_u128(2);
        let sibling = uuid::Uuid::from_u128(3);
        let province = uuid::Uuid::from_u128(4);
        let both = Roles::of(&[Role::Editor, Role::Reviewer]);
        // The commune's own plan, reviewed by the province: it edits.
        assert_eq!(
            capacity(&both, Some(commune), commune, Some(province)),
            Some(Role::Editor)
        );
        // Its cell's plan: it reviews.
        assert_eq!(
            capacity(&both, Some(commune), cell, Some(commune)),
            Some(Role::Reviewer)
        );
        // Another commune's cell: nothing.
        assert_eq!(capacity(&both, Some(commune), sibling, Some(sibling)), None);
        // Holding only one role gives only that one.
        let editor = Roles::of(&[Role::Editor]);
        assert_eq!(capacity(&editor, Some(commune), cell, Some(commune)), None);
        let reviewer = Roles::of(&[Role::Reviewer]);
        assert_eq!(
            capacity(&reviewer, Some(commune), commune, Some(province)),
            None
        );
        // An administrator, or an account without a unit, acts on no plan.
        let admin = Roles::of(&[Role::Administrator]);
        assert_eq!(capacity(&admin, Some(commune), cell, Some(commune)), None);
        assert_eq!(capacity(&both, None, cell, Some(commune)), None);
    }

    #[test]
    fn every_code_parses_back_to_its_value() {
        for level in UnitLevel::ALL {
            assert_eq!(UnitLevel::from_code(level.code()), Some(*level));
        }
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::from_code(kind.code()), Some(*kind));
        }
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(*role));
        }
    }

    #[test]
    fn serde_uses_the_same_codes_as_the_database() {
        for kind in UnitKind::ALL {
            let json = serde_json::to_string(kind).expect("serialise");
            assert_eq!(json, format!("\"{}\"", kind.code()));
        }
        assert_eq!(UnitKind::from_code("Commune"), None, "codes are exact");
    }
}
