//! Tables as files: CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the
//! Vietnamese correctly) and XLSX (rust_xlsxwriter: numbers stored as numbers, bold headers).
//!
//! Unit names and other text come from users. A cell starting with `=`, `+`, `-`, `@` or a
//! control character would run as a formula when the CSV is opened in a spreadsheet, so such
//! text gets a leading apostrophe there; in XLSX every text is written as a string, never as a
//! formula, so it needs nothing.

use rust_xlsxwriter::{Format, Workbook};

/// A table could not be written as a file (the writer refused it).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ExportError(pub String);

/// One cell: text or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

macro_rules! number_cell {
    ($($t:ty),*) => {$(
        impl From<$t> for Cell {
            fn from(n: $t) -> Self {
                // Counts of people: far below 2^53, exact as f64.
                Cell::Number(n as f64)
            }
        }
    )*};
}
number_cell!(u32, u64, usize);

/// A titled table with notes under it.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub footers: Vec<String>,
}

impl Sheet {
    pub fn new(name: &str, title: String, headers: &[&str]) -> Sheet {
        Sheet {
            name: name.to_owned(),
            title,
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            footers: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    pub fn footer(&mut self, text: String) {
        self.footers.push(text);
    }
}

/// Makes user text inert in a spreadsheet opening a CSV.
pub fn csv_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The sheet as CSV bytes: title line, header, rows, then the notes.
pub fn to_csv(sheet: &Sheet) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::from(b"\xEF\xBB\xBF".as_slice());
    {
        // Text is always quoted: a spreadsheet set to split on `;` (Vietnamese regional
        // settings) must not cut a name like `X;=HYPERLINK(…)` into a cell starting with `=`.
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .quote_style(csv::QuoteStyle::NonNumeric)
            .from_writer(&mut out);
        let fail = |e: csv::Error| ExportError(format!("csv: {e}"));
        writer
            .write_record([csv_safe(&sheet.title)])
            .map_err(fail)?;
        writer
            .write_record(sheet.headers.iter().map(|h| csv_safe(h)))
            .map_err(fail)?;
        for row in &sheet.rows {
            writer
                .write_record(row.iter().map(|c| match c {
                    Cell::Text(t) => csv_safe(t),
                    Cell::Number(n) => number_text(*n),
                }))
                .map_err(fail)?;
        }
        for note in &sheet.footers {
            writer.write_record([csv_safe(note)]).map_err(fail)?;
        }
        writer
            .flush()
            .map_err(|e| ExportError(format!("csv: {e}")))?;
    }
    Ok(out)
}

/// The sheet as an XLSX workbook.
pub fn to_xlsx(sheet: &Sheet) -> Result<Vec<u8>, ExportError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ExportError(format!("xlsx: {e}"));
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let ws = workbook.add_worksheet();
    ws.set_name(&sheet.name).map_err(fail)?;
    ws.write_string_with_format(0, 0, &sheet.title, &bold)
        .map_err(fail)?;
    let header_row = 2;
    for (c, h) in sheet.headers.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| ExportError("xlsx: too many columns".into()))?;
        ws.write_string_with_format(header_row, col, h, &header)
            .map_err(fail)?;
        ws.set_column_width(col, if c < 3 { 28 } else { 14 })
            .map_err(fail)?;
    }
    let mut r = header_row + 1;
    for row in &sheet.rows {
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|_| ExportError("xlsx: too many columns".into()))?;
            match cell {
                Cell::Text(t) => ws.write_string(r, col, t).map_err(fail)?,
                Cell::Number(n) => ws.write_number(r, col, *n).map_err(fail)?,
            };
        }
        r += 1;
    }
    r += 1;
    for note in &sheet.footers {
        ws.write_string(r, 0, note).map_err(fail)?;
        r += 1;
    }
    ws.set_freeze_panes(header_row + 1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralised_in_csv() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("+1"), "'+1");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("Đảng bộ xã Lộc An"), "Đảng bộ xã Lộc An");
        let mut sheet = Sheet::new("s", "Tiêu đề".into(), &["Tên", "Số"]);
        sheet.row(vec!["=1+1".into(), 12u32.into()]);
        let text = String::from_utf8(to_csv(&sheet).expect("csv")).expect("utf8");
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=1+1\",12"), "{text}");
    }
}
