//! Vietnamese names for the fields of a plan, by path: used in rule messages, in conflict and
//! diff views, and next to reviewers' comments.

use uuid::Uuid;

use crate::domain::category::Categories;
use crate::domain::plan::{Figure, PlanDocument};

/// A number as Vietnamese documents write it: `1.200`, `100.000`.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A date as Vietnamese documents write it: `15/02/2022`. (Hand-written rather than chrono's
/// `format`, whose pattern interpreter is a sizeable part of the browser build.)
pub fn date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// A time of day and date: `14:05 15/02`.
pub fn time_and_day(t: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:02}:{:02} {:02}/{:02}",
        t.hour(),
        t.minute(),
        t.day(),
        t.month()
    )
}

/// An instant as Vietnam's local time (UTC+7, no daylight saving): `23:00 15/02/2022`.
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let l = (t + chrono::Duration::hours(crate::domain::board::LOCAL_OFFSET_HOURS)).naive_utc();
    format!(
        "{:02}:{:02} {:02}/{:02}/{}",
        l.hour(),
        l.minute(),
        l.day(),
        l.month(),
        l.year()
    )
}

/// "Đảng bộ xã Lộc An" → "ĐẢNG ỦY XÃ LỘC AN": a Đảng bộ issues through its committee; a Chi
/// bộ issues as itself.
pub fn issuer(unit_name: &str) -> String {
    let name = unit_name
        .strip_prefix("Đảng bộ ")
        .map_or_else(|| unit_name.to_owned(), |rest| format!("Đảng ủy {rest}"));
    name.to_uppercase()
}

/// The committee that issues a reviewing office's reports, as their heading prints it:
/// "Đảng bộ tỉnh Lâm Đồng" → "TỈNH ỦY LÂM ĐỒNG", "Đảng bộ huyện Bảo Lâm" → "HUYỆN ỦY BẢO LÂM",
/// "Đảng bộ xã Bảo Lâm 1" → "ĐẢNG ỦY XÃ BẢO LÂM 1" (the rule of [`issuer`] below a province).
pub fn committee_issuer(unit_name: &str, kind: crate::domain::CommitteeKind) -> String {
    use crate::domain::CommitteeKind as K;
    let named = |prefix: &str, committee: &str| {
        unit_name
            .strip_prefix(prefix)
            .map(|rest| format!("{committee} {rest}").to_uppercase())
    };
    match kind {
        K::Province => named("Đảng bộ tỉnh ", "Tỉnh ủy"),
        K::CentralCity => named("Đảng bộ thành phố ", "Thành ủy"),
        K::District => named("Đảng bộ huyện ", "Huyện ủy"),
        _ => None,
    }
    .unwrap_or_else(|| issuer(unit_name))
}

/// The place a unit's documents are dated at: its name without "Đảng bộ" and the word for its
/// level ("Đảng bộ xã Bảo Lâm 1" → "Bảo Lâm 1", "Đảng bộ huyện Bảo Lâm" → "Bảo Lâm").
pub fn place_of(unit_name: &str) -> String {
    let rest = unit_name.strip_prefix("Đảng bộ ").unwrap_or(unit_name);
    [
        "tỉnh ",
        "thành phố ",
        "huyện ",
        "xã ",
        "phường ",
        "đặc khu ",
    ]
    .iter()
    .find_map(|word| rest.strip_prefix(word))
    .unwrap_or(rest)
    .to_owned()
}

/// The abbreviation an office signs its document numbers with: the first letter of each word,
/// upper case, without tone marks but keeping Đ ("Ban Tổ chức Huyện ủy" → "BTCHU", "Ban Xây
/// dựng Đảng" → "BXDĐ"), as in "Số 12-BC/BTCHU".
pub fn office_abbreviation(office: &str) -> String {
    office
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .map(|c| base_letter(c).to_uppercase().collect::<String>())
        .collect()
}

/// A Vietnamese letter without its tone and vowel marks (đ stays đ: it is its own letter).
fn base_letter(c: char) -> char {
    const GROUPS: [(&str, char); 12] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
    ];
    GROUPS
        .iter()
        .find(|(group, _)| group.contains(c))
        .map_or(c, |(_, base)| *base)
}

/// "ngày 25 tháng 01 năm 2022", the administrative way.
pub fn date_line(place: &str, date: Option<chrono::NaiveDate>) -> String {
    use chrono::Datelike;
    let place = if place.trim().is_empty() {
        "……"
    } else {
        place.trim()
    };
    match date {
        // Hướng dẫn 36-HD/VPTW: a day under 10 and the months 1 and 2 take a leading zero (so
        // that nothing can be written before them); the other months do not.
        Some(d) if d.month() <= 2 => format!(
            "{place}, ngày {:02} tháng {:02} năm {}",
            d.day(),
            d.month(),
            d.year()
        ),
        Some(d) => format!(
            "{place}, ngày {:02} tháng {} năm {}",
            d.day(),
            d.month(),
            d.year()
        ),
        None => format!("{place}, ngày … tháng … năm …"),
    }
}

/// A date as Vietnamese write it: `15/02/2022`, `5/2/2022`, `15-02-2022` or `15.02.2022`.
pub fn parse_vn_date(text: &str) -> Option<chrono::NaiveDate> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// What a date field shows for its stored text: `dd/mm/yyyy` for an ISO date, anything else
/// (a date still being typed) as it is.
pub fn date_input_text(stored: &str) -> String {
    parse_iso_date(stored).map_or_else(|| stored.to_owned(), date)
}

/// What a date field stores for what the user typed: the ISO date once it is one, else the
/// text as typed (the rules then say it is not a valid date yet).
pub fn date_from_input(typed: &str) -> String {
    parse_vn_date(typed)
        .or_else(|| parse_iso_date(typed))
        .map_or_else(
            || typed.to_owned(),
            |d| {
                use chrono::Datelike;
                format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            },
        )
}

/// Reads an ISO date (`2022-01-25`, how the plan stores it).
pub fn parse_iso_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn figure(code: &str, categories: &Categories) -> String {
    Figure::from_code(code).map_or_else(|| code.to_owned(), |f| f.label(categories))
}

/// A readable name for the field at `path`, e.g. "Chỉ tiêu năm 2023 — Nữ". With the
/// document, cells and roster entries are named by their names.
/// Categories are named as `categories` (the campaign's) names them.
pub fn describe(path: &str, doc: Option<&PlanDocument>, categories: &Categories) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let cell_name = |id: &str| -> String {
        id.parse::<Uuid>()
            .ok()
            .and_then(|id| doc.and_then(|d| d.cells.get(&id)))
            .map_or_else(|| "Chi bộ".to_owned(), |c| c.name.clone())
    };
    match parts.as_slice() {
        ["header", field] => match *field {
            "document_number" => "Số hiệu kế hoạch".into(),
            "issued_on" => "Ngày ban hành".into(),
            "place" => "Địa danh".into(),
            "signer_name" => "Người ký".into(),
            "signer_title" => "Chức vụ người ký".into(),
            other => other.into(),
        },
        ["pool"] => "Nguồn hiện có".into(),
        ["pool", f] => format!("Nguồn hiện có — {}", figure(f, categories)),
        ["progress", "awareness_course"] => "Số đã học lớp nhận thức về Đảng".into(),
        ["progress", "applied"] => "Số đã có đơn xin vào Đảng".into(),
        ["targets"] => "Chỉ tiêu các năm".into(),
        ["targets", year] => format!("Chỉ tiêu năm {year}"),
        ["targets", year, f] => format!("Chỉ tiêu năm {year} — {}", figure(f, categories)),
        ["actuals", year] => format!("Đã kết nạp năm {year}"),
        ["actuals", year, f] => format!("Đã kết nạp năm {year} — {}", figure(f, categories)),
        ["term_target"] => "Chỉ tiêu cả nhiệm kỳ".into(),
        ["term_target", f] => format!("Chỉ tiêu cả nhiệm kỳ — {}", figure(f, categories)),
        ["cells"] => "Phân bổ cho chi bộ trực thuộc".into(),
        ["cells", id] => cell_name(id),
        ["cells", id, "name"] => format!("{} — tên", cell_name(id)),
        ["cells", id, "pool", f] => {
            format!("{} — nguồn — {}", cell_name(id), figure(f, categories))
        }
        ["cells", id, "targets", year] => format!("{} — chỉ tiêu năm {year}", cell_name(id)),
        ["cells", id, "targets", year, f] => {
            format!(
                "{} — chỉ tiêu năm {year} — {}",
                cell_name(id),
                figure(f, categories)
            )
        }
        ["screening", "members"] => "Số đảng viên hiện có".into(),
        ["screening", "reviewed"] => "Số đảng viên được rà soát".into(),
        ["screening", "expected_removals"] => "Số dự kiến đưa ra khỏi Đảng".into(),
        ["coverage"] => "Độ phủ tổ chức đảng".into(),
        ["coverage", i, rest @ ..] => {
            let label = crate::domain::Indicator::from_code(i).map_or(*i, |i| i.label());
            match rest {
                [] => label.into(),
                ["now"] => format!("{label} — hiện nay"),
                ["target"] => format!("{label} — đến cuối nhiệm kỳ"),
                _ => path.to_owned(),
            }
        }
        ["sections", "assessment"] => "Đánh giá tình hình".into(),
        ["sections", "solutions"] => "Giải pháp thực hiện".into(),
        ["sections", "notes"] => "Kiến nghị, ghi chú".into(),
        ["roster"] => "Danh sách quần chúng ưu tú".into(),
        ["roster", id, rest @ ..] => {
            let person = id
                .parse::<Uuid>()
                .ok()
                .and_then(|id| doc.and_then(|d| d.roster.0.get(&id)))
                .map(|p| p.full_name.trim().to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Quần chúng chưa có tên".to_owned());
            let field = match rest.first().copied() {
                None => return person,
                Some("full_name") => "họ và tên",
                Some("birth_year") => "năm sinh",
                Some("sex") => "giới tính",
                Some("ethnicity") => "dân tộc",
                Some("religion") => "tôn giáo",
                Some("occupation") => "nghề nghiệp",
                Some("cell_id") => "chi bộ",
                Some("stage") => "tiến độ",
                Some("expected_admission_year") => "năm dự kiến kết nạp",
                Some(other) => other,
            };
            format!("{person} — {field}")
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_level_issues_its_reports_under_its_own_committee_and_office() {
        use super::{committee_issuer, office_abbreviation, place_of};
        use crate::domain::CommitteeKind as K;
        assert_eq!(
            committee_issuer("Đảng bộ tỉnh Lâm Đồng", K::Province),
            "TỈNH ỦY LÂM ĐỒNG"
        );
        assert_eq!(
            committee_issuer("Đảng bộ huyện Bảo Lâm", K::District),
            "HUYỆN ỦY BẢO LÂM"
        );
        assert_eq!(
            committee_issuer("Đảng bộ xã Bảo Lâm 1", K::Commune),
            "ĐẢNG ỦY XÃ BẢO LÂM 1"
        );
        assert_eq!(
            committee_issuer("Đảng bộ Khối cơ quan tỉnh", K::Block),
            "ĐẢNG ỦY KHỐI CƠ QUAN TỈNH"
        );
        // A name the rule does not know is printed as it is.
        assert_eq!(
            committee_issuer("Tỉnh ủy Lâm Đồng", K::Province),
            "TỈNH ỦY LÂM ĐỒNG"
        );
        assert_eq!(place_of("Đảng bộ xã Bảo Lâm 1"), "Bảo Lâm 1");
        assert_eq!(place_of("Đảng bộ huyện Bảo Lâm"), "Bảo Lâm");
        assert_eq!(place_of("Đảng bộ tỉnh Lâm Đồng"), "Lâm Đồng");
        assert_eq!(office_abbreviation("Ban Tổ chức Huyện ủy"), "BTCHU");
        assert_eq!(office_abbreviation("Ban Tổ chức Tỉnh ủy"), "BTCTU");
        assert_eq!(office_abbreviation("Ban Xây dựng Đảng"), "BXDĐ");
    }

    #[test]
    fn the_issuer_and_date_line_follow_the_administrative_style() {
        assert_eq!(super::issuer("Đảng bộ xã Lộc An"), "ĐẢNG ỦY XÃ LỘC AN");
        assert_eq!(
            super::issuer("Chi bộ Trường THPT Lộc Thanh"),
            "CHI BỘ TRƯỜNG THPT LỘC THANH"
        );
        let d = chrono::NaiveDate::from_ymd_opt(2022, 1, 5);
        assert_eq!(
            super::date_line("Lộc An", d),
            "Lộc An, ngày 05 tháng 01 năm 2022"
        );
        assert_eq!(super::date_line("", None), "……, ngày … tháng … năm …");
        let march = chrono::NaiveDate::from_ymd_opt(2022, 3, 15);
        assert_eq!(
            super::date_line("Lộc An", march),
            "Lộc An, ngày 15 tháng 3 năm 2022"
        );
        let december = chrono::NaiveDate::from_ymd_opt(2025, 12, 2);
        assert_eq!(
            super::date_line("Lộc An", december),
            "Lộc An, ngày 02 tháng 12 năm 2025"
        );
    }

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn dates_are_typed_and_shown_day_first_and_stored_as_iso() {
        assert_eq!(date_from_input("15/02/2022"), "2022-02-15");
        assert_eq!(date_from_input("5/2/2022"), "2022-02-05");
        assert_eq!(date_from_input("15.02.2022"), "2022-02-15");
        assert_eq!(date_from_input("2022-02-15"), "2022-02-15");
        assert_eq!(date_from_input("15/02/20"), "15/02/20");
        assert_eq!(date_from_input("31/02/2022"), "31/02/2022");
        assert_eq!(date_input_text("2022-02-15"), "15/02/2022");
        assert_eq!(date_input_text("15/02/20"), "15/02/20");
    }

    #[test]
    fn numbers_use_dots_between_thousands() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1200), "1.200");
        assert_eq!(number(100_000), "100.000");
        assert_eq!(number(-1_234_567), "-1.234.567");
    }

    #[test]
    fn dates_are_written_and_read_without_chrono_patterns() {
        let d = chrono::NaiveDate::from_ymd_opt(2022, 2, 5).expect("date");
        assert_eq!(date(d), "05/02/2022");
        assert_eq!(parse_iso_date("2022-02-05"), Some(d));
        for bad in [
            "2022-02-30",
            "22-02-05",
            "2022-2-5",
            "05/02/2022",
            "",
            "2022-02-05x",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn paths_read_as_vietnamese() {
        let six = Categories::classic();
        assert_eq!(
            describe("targets.2023.women", None, &six),
            "Chỉ tiêu năm 2023 — Nữ"
        );
        assert_eq!(
            describe("pool.total", None, &six),
            "Nguồn hiện có — Tổng số"
        );
        assert_eq!(
            describe("sections.solutions", None, &six),
            "Giải pháp thực hiện"
        );
        let id = Uuid::from_u128(5);
        let doc = PlanDocument::blank(&[2022], &[(id, "Chi bộ thôn 2".into())], &six);
        assert_eq!(
            describe(&format!("cells.{id}.targets.2022.total"), Some(&doc), &six),
            "Chi bộ thôn 2 — chỉ tiêu năm 2022 — Tổng số"
        );
        // A committee's own category by the name it gave it.
        let mut own = six.clone();
        let code = crate::domain::category::Code::custom(Uuid::from_u128(9));
        own.0.push(crate::domain::category::Category {
            code,
            label: "Hộ nghèo".into(),
        });
        assert_eq!(
            describe(&format!("pool.{code}"), None, &own),
            "Nguồn hiện có — Hộ nghèo"
        );
    }
}
