//! Structure categories (cơ cấu) as data: the catalogue the app ships, and the list a campaign
//! asks its plans to break the pool and the targets down by.
//!
//! The first release knew six categories, fixed in the code; letter 381-CV/HU asked for
//! exactly those, and every campaign stored without a list still means them
//! ([`Categories::classic`]). Plans of the 2025–2030 term ask for others (Youth Union members,
//! the military draft pool, industrial workers, private business owners, …), and a committee
//! may add its own. A category is known by its code; its label is the campaign's.

use std::fmt;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// The longest code: room for a catalogue code or `x_` and twelve hex digits.
pub const MAX_CODE: usize = 24;
/// The most categories one campaign may ask for: a phone's grid stays fillable.
pub const MAX_CATEGORIES: usize = 16;
/// The longest label of a committee's own category.
pub const MAX_LABEL: usize = 80;

/// A category's code: 1–[`MAX_CODE`] of `a-z`, `0-9` and `_`, starting with a letter. Held
/// inline so a figure stays a small `Copy` value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Code {
    len: u8,
    bytes: [u8; MAX_CODE],
}

impl Code {
    /// Reads a code; `None` unless it has the form above. `total` is not a category.
    pub fn parse(text: &str) -> Option<Code> {
        let b = text.as_bytes();
        let well_formed = !b.is_empty()
            && b.len() <= MAX_CODE
            && b[0].is_ascii_lowercase()
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_');
        if !well_formed || text == "total" {
            return None;
        }
        let mut bytes = [0; MAX_CODE];
        bytes[..b.len()].copy_from_slice(b);
        Some(Code {
            len: u8::try_from(b.len()).ok()?,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (see `parse`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The code of a committee's own category, made from the id its creator drew for it.
    pub fn custom(id: uuid::Uuid) -> Code {
        let hex = id.simple().to_string();
        // `x_` and twelve hex digits always parse; the fallback is never taken.
        Code::parse(&format!("x_{}", &hex[20..])).unwrap_or(Code {
            len: 1,
            bytes: [b'x'; MAX_CODE],
        })
    }

    /// Whether the code is one of the catalogue's.
    pub fn in_catalogue(self) -> bool {
        catalogue_entry(self.as_str()).is_some()
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Code::parse(&text)
            .ok_or_else(|| de::Error::custom(format!("mã cơ cấu «{text}» không hợp lệ")))
    }
}

/// A category of the catalogue the app ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub label: &'static str,
    /// Who counts in it, in a sentence, for the campaign form.
    pub description: &'static str,
}

/// The categories of letter 381-CV/HU, in its order: what a campaign stored without a list
/// asks for.
pub const CLASSIC: [&str; 6] = [
    "ethnic_minority",
    "religious",
    "youth_union",
    "women",
    "students",
    "workers",
];

/// The catalogue, in the order the campaign form offers it. Categories overlap (a K'Ho woman of
/// Youth Union age counts in three): each is bounded by the total and never summed.
pub const CATALOGUE: &[Entry] = &[
    Entry {
        code: "ethnic_minority",
        label: "Người dân tộc thiểu số",
        description: "Quần chúng là người dân tộc thiểu số.",
    },
    Entry {
        code: "religious",
        label: "Người có đạo",
        description: "Quần chúng theo một tôn giáo.",
    },
    Entry {
        code: "youth_union",
        label: "Trong độ tuổi Đoàn",
        description: "Quần chúng từ 16 đến 30 tuổi.",
    },
    Entry {
        code: "women",
        label: "Nữ",
        description: "Quần chúng nữ.",
    },
    Entry {
        code: "students",
        label: "Đang học tập",
        description: "Học sinh, sinh viên, học viên đang theo học.",
    },
    Entry {
        code: "workers",
        label: "Đang lao động, làm việc",
        description: "Quần chúng đang lao động, làm việc.",
    },
    Entry {
        code: "youth_union_members",
        label: "Đoàn viên",
        description: "Đoàn viên Đoàn Thanh niên Cộng sản Hồ Chí Minh.",
    },
    Entry {
        code: "military_pool",
        label: "Nguồn tuyển quân, dân quân",
        description: "Thanh niên trong diện gọi nhập ngũ và dân quân tự vệ.",
    },
    Entry {
        code: "industrial_workers",
        label: "Công nhân",
        description: "Công nhân lao động trực tiếp sản xuất.",
    },
    Entry {
        code: "non_state_workers",
        label: "Người lao động khu vực ngoài nhà nước",
        description: "Người lao động trong doanh nghiệp ngoài khu vực nhà nước.",
    },
    Entry {
        code: "business_owners",
        label: "Chủ doanh nghiệp tư nhân",
        description: "Chủ doanh nghiệp tư nhân, được kết nạp theo quy định thí điểm.",
    },
    Entry {
        code: "village_leaders",
        label: "Người có uy tín",
        description: "Già làng, trưởng bản, người có uy tín trong cộng đồng.",
    },
];

/// The catalogue's entry for a code.
pub fn catalogue_entry(code: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.code == code)
}

/// One category a campaign asks for: its code and the label its plans show.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: Code,
    pub label: String,
}

/// The categories a campaign's plans break the pool and targets down by, in its order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Categories(pub Vec<Category>);

impl Default for Categories {
    fn default() -> Self {
        Categories::classic()
    }
}

/// Why a campaign's list of categories cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProblem {
    pub code: &'static str,
    pub message: String,
}

impl Categories {
    /// The six of letter 381-CV/HU, with the catalogue's labels.
    pub fn classic() -> Categories {
        Categories::of_catalogue(&CLASSIC)
    }

    /// Catalogue categories by code, in the given order (unknown codes are left out).
    pub fn of_catalogue(codes: &[&str]) -> Categories {
        Categories(
            codes
                .iter()
                .filter_map(|c| {
                    let entry = catalogue_entry(c)?;
                    Some(Category {
                        code: Code::parse(entry.code)?,
                        label: entry.label.to_owned(),
                    })
                })
                .collect(),
        )
    }

    /// Whether this is the first release's list, which the wire leaves out (a first-release
    /// client reads a campaign without the field, and means the same six).
    pub fn is_classic(&self) -> bool {
        *self == Categories::classic()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Category> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn codes(&self) -> impl Iterator<Item = Code> + '_ {
        self.0.iter().map(|c| c.code)
    }

    pub fn contains(&self, code: Code) -> bool {
        self.0.iter().any(|c| c.code == code)
    }

    /// The label of a category of this list; its code when the list does not have it.
    pub fn label(&self, code: Code) -> String {
        self.0
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.clone())
            .or_else(|| catalogue_entry(code.as_str()).map(|e| e.label.to_owned()))
            .unwrap_or_else(|| code.to_string())
    }

    /// What is wrong with the list, for the campaign form and the server alike: at least one
    /// category and at most [`MAX_CATEGORIES`], none twice, every label 1–[`MAX_LABEL`]
    /// characters, and a catalogue code keeps the catalogue's meaning (its label).
    pub fn problems(&self) -> Vec<ListProblem> {
        let mut out = Vec::new();
        if self.0.is_empty() {
            out.push(ListProblem {
                code: "categories.empty",
                message: "Chọn ít nhất một cơ cấu để phân tích nguồn và chỉ tiêu.".into(),
            });
        }
        if self.0.len() > MAX_CATEGORIES {
            out.push(ListProblem {
                code: "categories.too_many",
                message: format!("Một đợt chỉ hỏi tối đa {MAX_CATEGORIES} cơ cấu."),
            });
        }
        for (i, c) in self.0.iter().enumerate() {
            let label = c.label.trim();
            if self.0[..i].iter().any(|earlier| earlier.code == c.code) {
                out.push(ListProblem {
                    code: "categories.twice",
                    message: format!("Cơ cấu «{}» được chọn hai lần.", c.label),
                });
            }
            if label.is_empty() || label.chars().count() > MAX_LABEL {
                out.push(ListProblem {
                    code: "categories.label",
                    message: format!("Tên cơ cấu dài 1–{MAX_LABEL} ký tự."),
                });
            }
            if let Some(entry) = catalogue_entry(c.code.as_str())
                && entry.label != c.label
            {
                out.push(ListProblem {
                    code: "categories.catalogue_label",
                    message: format!(
                        "Cơ cấu mã «{}» là «{}» trong danh mục; cơ cấu riêng cần mã riêng.",
                        entry.code, entry.label
                    ),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn codes_are_short_lowercase_words_and_not_total() {
        for good in ["women", "x_0123456789ab", "a", "military_pool"] {
            assert_eq!(
                Code::parse(good).map(|c| c.to_string()).as_deref(),
                Some(good)
            );
        }
        for bad in [
            "",
            "total",
            "Women",
            "1st",
            "nữ",
            "a b",
            "pool.women",
            &"a".repeat(25),
        ] {
            assert!(Code::parse(bad).is_none(), "{bad:?}");
        }
        let id = uuid::Uuid::from_u128(0xabcdef01_2345_4678_9abc_def012345678);
        assert_eq!(Code::custom(id).as_str(), "x_def012345678");
        assert!(!Code::custom(id).in_catalogue());
    }

    #[test]
    fn the_catalogue_has_the_six_of_381_and_the_2025_ones_each_once() {
        for code in CLASSIC {
            assert!(catalogue_entry(code).is_some(), "{code}");
        }
        assert!(CATALOGUE.len() >= 11);
        for (i, e) in CATALOGUE.iter().enumerate() {
            assert!(Code::parse(e.code).is_some(), "{}", e.code);
            assert!(
                CATALOGUE[..i].iter().all(|f| f.code != e.code),
                "{}",
                e.code
            );
        }
        let classic = Categories::classic();
        assert_eq!(classic.len(), 6);
        assert!(classic.problems().is_empty());
        assert_eq!(
            serde_json::to_string(&Categories::default()).ok(),
            serde_json::to_string(&classic).ok()
        );
    }

    #[test]
    fn a_list_is_refused_when_empty_repeated_too_long_or_misnamed() {
        let own = |label: &str| Category {
            code: Code::custom(uuid::Uuid::from_u128(label.len() as u128)),
            label: label.into(),
        };
        let codes = |c: Categories| c.problems().into_iter().map(|p| p.code).collect::<Vec<_>>();
        assert_eq!(codes(Categories(vec![])), ["categories.empty"]);
        let mut twice = Categories::classic();
        twice.0.push(twice.0[0].clone());
        assert_eq!(codes(twice), ["categories.twice"]);
        assert_eq!(codes(Categories(vec![own(" ")])), ["categories.label"]);
        let mut renamed = Categories::classic();
        renamed.0[3].label = "Phụ nữ".into();
        assert_eq!(codes(renamed), ["categories.catalogue_label"]);
        let many = Categories(
            (0..=MAX_CATEGORIES)
                .map(|n| own(&"a".repeat(n + 1)))
                .collect(),
        );
        assert_eq!(codes(many), ["categories.too_many"]);
        let mut mine = Categories::classic();
        mine.0.push(own("Hộ nghèo"));
        assert!(mine.problems().is_empty());
        assert_eq!(mine.label(mine.0[6].code), "Hộ nghèo");
    }
}
