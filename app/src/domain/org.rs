//! Organisation units and roles: the district, its grassroots Party organisations and their
//! subordinate cells, and who may do what.

use serde::{Deserialize, Serialize};

/// Defines a closed set of values with a stable wire/database code and a Vietnamese label.
/// Unknown codes are refused on parse rather than silently mapped to a default.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used on the wire and in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Vietnamese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a stable code; `None` for anything else.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

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
