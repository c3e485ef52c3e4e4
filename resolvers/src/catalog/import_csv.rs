//! The product CSV format of the reference (§3.3), free of GraphQL: parsing a file into bulk
//! items (in the shape of `BulkProductInput`), and the downloadable template.
//!
//! A row with a non-empty `sku` starts a product (and, when it has variant columns, its first
//! variant); a row with an empty `sku` is one more variant of the product above it. Ids in
//! `category_ids` / `tag_ids` are separated by `;`. Cells are trimmed; empty cells are absent
//! values (an update keeps what the product has). Structural problems (unknown columns, cells
//! that are not numbers, booleans or UUIDs, a variant row before any product) reject the whole
//! file with the line number; rule violations (a missing name, a bad currency) fail only their
//! product, as in a bulk request.

use serde::Serialize;
use uuid::Uuid;

/// The columns, in the reference's order.
pub const COLUMNS: [&str; 27] = [
    "sku",
    "active",
    "price_net",
    "price_gross",
    "currency",
    "tax_rule_id",
    "stock",
    "weight",
    "locale",
    "name",
    "slug",
    "description",
    "meta_title",
    "meta_description",
    "category_ids",
    "tag_ids",
    "variant_sku",
    "variant_active",
    "variant_stock",
    "variant_price_net",
    "variant_price_gross",
    "option_1_group",
    "option_1_value",
    "option_2_group",
    "option_2_value",
    "option_3_group",
    "option_3_value",
];

/// The largest file accepted (10 MiB, as the reference).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Why a file was rejected: the 1-based line and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    pub line: u64,
    pub message: String,
}

fn fail(line: u64, message: impl Into<String>) -> CsvError {
    CsvError {
        line,
        message: message.into(),
    }
}

/// One translation of a CSV product (GraphQL `ProductTranslationInput`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CsvTranslation {
    pub locale: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub meta_title: String,
    pub meta_description: String,
}

/// One option of a CSV variant (GraphQL `BulkOptionInput`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CsvOption {
    pub group_name: String,
    pub option_name: String,
    pub locale: String,
}

/// One variant row (GraphQL `BulkVariantInput`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CsvVariant {
    /// The line it came from (not sent).
    #[serde(skip)]
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stock: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_net: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_gross: Option<i32>,
    pub options: Vec<CsvOption>,
}

/// One product of the file (GraphQL `BulkProductInput`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CsvProduct {
    /// The line its first row is on (not sent).
    #[serde(skip)]
    pub line: u64,
    pub sku: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_net: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_gross: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_rule_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stock: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translations: Option<Vec<CsvTranslation>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category_ids: Option<Vec<Uuid>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<Uuid>>,
    pub variants: Vec<CsvVariant>,
}

impl CsvProduct {
    /// The item as GraphQL input JSON (camelCase, absent values left out).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Column positions of one file.
struct Header {
    index: [Option<usize>; COLUMNS.len()],
}

impl Header {
    fn parse(record: &csv::StringRecord) -> Result<Self, CsvError> {
        let mut index = [None; COLUMNS.len()];
        for (i, raw) in record.iter().enumerate() {
            let name = raw.trim().to_ascii_lowercase();
            if name.is_empty() {
                continue;
            }
            let Some(col) = COLUMNS.iter().position(|c| *c == name) else {
                return Err(fail(1, format!("unknown column \"{name}\"")));
            };
            if index[col].replace(i).is_some() {
                return Err(fail(1, format!("column \"{name}\" appears twice")));
            }
        }
        if index[0].is_none() {
            return Err(fail(1, "the header has no \"sku\" column"));
        }
        Ok(Self { index })
    }

    /// The trimmed cell of `column` ("" when the file has no such column).
    fn get<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|col| self.index[col])
            .and_then(|i| record.get(i))
            .map_or("", str::trim)
    }
}

fn int(line: u64, column: &str, cell: &str) -> Result<Option<i32>, CsvError> {
    if cell.is_empty() {
        return Ok(None);
    }
    cell.parse::<i32>()
        .map(Some)
        .map_err(|_| fail(line, format!("{column}: \"{cell}\" is not a whole number")))
}

fn boolean(line: u64, column: &str, cell: &str) -> Result<Option<bool>, CsvError> {
    match cell.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" | "yes" | "y" => Ok(Some(true)),
        "false" | "0" | "no" | "n" => Ok(Some(false)),
        _ => Err(fail(
            line,
            format!("{column}: \"{cell}\" is not true or false"),
        )),
    }
}

fn uuid(line: u64, column: &str, cell: &str) -> Result<Uuid, CsvError> {
    Uuid::parse_str(cell).map_err(|_| fail(line, format!("{column}: \"{cell}\" is not a UUID")))
}

fn uuids(line: u64, column: &str, cell: &str) -> Result<Option<Vec<Uuid>>, CsvError> {
    if cell.is_empty() {
        return Ok(None);
    }
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| uuid(line, column, s))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn text(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_owned())
}

/// A URL slug: lower case ASCII letters and digits joined by `-`; ä → ae, ö → oe, ü → ue,
/// ß → ss; anything else separates words.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        let piece: &str = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            _ => "",
        };
        if !piece.is_empty() {
            out.push_str(piece);
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn variant_of(
    h: &Header,
    r: &csv::StringRecord,
    line: u64,
    locale: &str,
) -> Result<Option<CsvVariant>, CsvError> {
    let mut options = Vec::new();
    for n in 1..=3 {
        let gcol = format!("option_{n}_group");
        let vcol = format!("option_{n}_value");
        match (h.get(r, &gcol), h.get(r, &vcol)) {
            ("", "") => {}
            ("", _) | (_, "") => {
                return Err(fail(line, format!("{gcol} and {vcol} go together")));
            }
            (g, v) => options.push(CsvOption {
                group_name: g.to_owned(),
                option_name: v.to_owned(),
                locale: locale.to_owned(),
            }),
        }
    }
    let v = CsvVariant {
        line,
        sku: text(h.get(r, "variant_sku")),
        active: boolean(line, "variant_active", h.get(r, "variant_active"))?,
        stock: int(line, "variant_stock", h.get(r, "variant_stock"))?,
        price_net: int(line, "variant_price_net", h.get(r, "variant_price_net"))?,
        price_gross: int(line, "variant_price_gross", h.get(r, "variant_price_gross"))?,
        options,
    };
    let any = v.sku.is_some()
        || v.stock.is_some()
        || v.price_net.is_some()
        || v.price_gross.is_some()
        || !v.options.is_empty();
    Ok(any.then_some(v))
}

fn product_of(
    h: &Header,
    r: &csv::StringRecord,
    line: u64,
    locale: &str,
) -> Result<CsvProduct, CsvError> {
    let name = h.get(r, "name");
    let slug = h.get(r, "slug");
    let has_texts = [
        "name",
        "slug",
        "description",
        "meta_title",
        "meta_description",
    ]
    .iter()
    .any(|c| !h.get(r, c).is_empty());
    let translations = has_texts.then(|| {
        vec![CsvTranslation {
            locale: locale.to_owned(),
            name: name.to_owned(),
            slug: if slug.is_empty() {
                slugify(name)
            } else {
                slug.to_owned()
            },
            description: h.get(r, "description").to_owned(),
            meta_title: h.get(r, "meta_title").to_owned(),
            meta_description: h.get(r, "meta_description").to_owned(),
        }]
    });
    let tax = h.get(r, "tax_rule_id");
    Ok(CsvProduct {
        line,
        sku: h.get(r, "sku").to_owned(),
        active: boolean(line, "active", h.get(r, "active"))?,
        price_net: int(line, "price_net", h.get(r, "price_net"))?,
        price_gross: int(line, "price_gross", h.get(r, "price_gross"))?,
        currency: text(h.get(r, "currency")),
        tax_rule_id: if tax.is_empty() {
            None
        } else {
            Some(uuid(line, "tax_rule_id", tax)?)
        },
        stock: int(line, "stock", h.get(r, "stock"))?,
        weight: int(line, "weight", h.get(r, "weight"))?,
        translations,
        category_ids: uuids(line, "category_ids", h.get(r, "category_ids"))?,
        tag_ids: uuids(line, "tag_ids", h.get(r, "tag_ids"))?,
        variants: Vec::new(),
    })
}

fn record_error(e: &csv::Error) -> CsvError {
    let line = e.position().map_or(1, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields, found {len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_owned(),
        _ => "the row cannot be read as CSV".to_owned(),
    };
    fail(line, message)
}

/// Parses a product CSV file. Empty `locale` cells mean `default_locale`; option names are
/// in the row's locale.
pub fn parse(bytes: &[u8], default_locale: &str) -> Result<Vec<CsvProduct>, CsvError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(fail(1, "the file is empty")),
        Some(r) => Header::parse(&r.map_err(|e| record_error(&e))?)?,
    };
    let mut products: Vec<CsvProduct> = Vec::new();
    for record in records {
        let r = record.map_err(|e| record_error(&e))?;
        let line = r.position().map_or(0, csv::Position::line);
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row_locale = header.get(&r, "locale");
        if header.get(&r, "sku").is_empty() {
            let Some(current) = products.last_mut() else {
                return Err(fail(
                    line,
                    "a row without sku adds a variant to the product above it, and there is none",
                ));
            };
            let locale = if row_locale.is_empty() {
                current
                    .translations
                    .as_ref()
                    .and_then(|t| t.first())
                    .map_or(default_locale, |t| t.locale.as_str())
                    .to_owned()
            } else {
                row_locale.to_owned()
            };
            match variant_of(&header, &r, line, &locale)? {
                Some(v) => current.variants.push(v),
                None => {
                    return Err(fail(
                        line,
                        "a row without sku must describe a variant (variant_sku, variant_stock, prices or options)",
                    ));
                }
            }
        } else {
            let locale = if row_locale.is_empty() {
                default_locale
            } else {
                row_locale
            };
            let mut p = product_of(&header, &r, line, locale)?;
            if let Some(v) = variant_of(&header, &r, line, locale)? {
                p.variants.push(v);
            }
            products.push(p);
        }
    }
    if products.is_empty() {
        return Err(fail(2, "the file has no product rows"));
    }
    Ok(products)
}

/// The template: the header and one example product with two variants, in `locale`.
pub fn template(locale: &str) -> String {
    let rows: [[&str; COLUMNS.len()]; 2] = [
        [
            "TSHIRT-001",
            "true",
            "2101",
            "2500",
            "EUR",
            "",
            "",
            "180",
            locale,
            "Example T-Shirt",
            "example-t-shirt",
            "A soft cotton T-shirt.",
            "Example T-Shirt",
            "A soft cotton T-shirt.",
            "",
            "",
            "TSHIRT-001-S-BLUE",
            "true",
            "10",
            "",
            "",
            "Size",
            "S",
            "Color",
            "Blue",
            "",
            "",
        ],
        [
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            locale,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "TSHIRT-001-M-BLUE",
            "true",
            "5",
            "",
            "",
            "Size",
            "M",
            "Color",
            "Blue",
            "",
            "",
        ],
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    let written = w
        .write_record(COLUMNS)
        .and_then(|()| rows.iter().try_for_each(|r| w.write_record(r)));
    match (written, w.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_german_letters() {
        assert_eq!(slugify("Größe"), "groesse");
        assert_eq!(slugify("  Über Farbe!  "), "ueber-farbe");
        assert_eq!(slugify("Äpfel & Öl"), "aepfel-oel");
        assert_eq!(slugify("★"), "");
    }

    #[test]
    fn the_template_parses_to_one_product_with_two_variants() {
        let t = template("de-DE");
        assert!(t.starts_with("sku,active,price_net,"));
        let ps = parse(t.as_bytes(), "en-US").expect("template parses");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].sku, "TSHIRT-001");
        assert_eq!(ps[0].line, 2);
        assert_eq!(ps[0].variants.len(), 2);
        assert_eq!(ps[0].variants[1].line, 3);
        assert_eq!(ps[0].variants[1].options[0].option_name, "M");
        assert_eq!(ps[0].variants[1].options[0].locale, "de-DE");
    }

    #[test]
    fn structural_errors_name_the_line() {
        let e = parse(b"sku,nme\nA,b\n", "de-DE").expect_err("unknown column");
        assert_eq!(e.line, 1);
        let e = parse(b"sku,price_net\nA,1\nB,x\n", "de-DE").expect_err("not a number");
        assert_eq!((e.line, e.to_string().contains("price_net")), (3, true));
        let e = parse(b"sku,variant_sku\n,V1\n", "de-DE").expect_err("variant first");
        assert_eq!(e.line, 2);
        let e = parse(b"sku,name\nA,b,c\n", "de-DE").expect_err("field count");
        assert_eq!(e.line, 2);
        let e = parse(b"sku,category_ids\nA,nope\n", "de-DE").expect_err("uuid");
        assert_eq!(e.line, 2);
        assert_eq!(parse(b"", "de-DE").expect_err("empty").line, 1);
    }

    #[test]
    fn ids_split_on_semicolons_and_empty_cells_are_absent() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let csv = format!("sku,category_ids,name,price_net\nA,{a}; {b},Shirt,\n");
        let ps = parse(csv.as_bytes(), "de-DE").expect("parses");
        assert_eq!(ps[0].category_ids, Some(vec![a, b]));
        assert_eq!(ps[0].price_net, None);
        let t = ps[0].translations.as_ref().expect("translation");
        assert_eq!(
            (t[0].locale.as_str(), t[0].slug.as_str()),
            ("de-DE", "shirt")
        );
        let json = ps[0].to_json();
        assert!(json.get("priceNet").is_none());
        assert_eq!(json["categoryIds"][1], b.to_string());
    }
}
