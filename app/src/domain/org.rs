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
    /// What a user may do.
    Role {
        /// Reads and writes the plans of its own unit only.
        UnitEditor = "unit_editor" => "Cán bộ đơn vị",
        /// Reads every unit of its district; reviews, comments, approves, returns, opens campaigns.
        DistrictReviewer = "district_reviewer" => "Ban Tổ chức Huyện ủy",
        /// Manages units and users.
        Administrator = "administrator" => "Quản trị hệ thống",
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

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
        assert_eq!(K::District.usual_office(), "Ban Tổ chức Huyện ủy");
        assert_eq!(K::Province.usual_office(), "Ban Tổ chức Tỉnh ủy");
        assert_eq!(K::Commune.usual_office(), "Ban Xây dựng Đảng");
        for kind in K::ALL {
            assert_eq!(K::from_code(kind.code()), Some(*kind));
        }
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
