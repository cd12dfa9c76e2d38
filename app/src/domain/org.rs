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
