//! The named body conversion of `POST /admin/products/bulk`: the reference decodes the
//! `products` list into its DTOs, refusing values of the wrong JSON type (400
//! `invalid_body`) and ignoring every other field, at every depth. GraphQL refuses unknown
//! input fields, so they are dropped here (and `null`s with them, which GraphQL reads as
//! "absent" only when left out).

use serde_json::{Map, Value};

/// The JSON type a DTO field must have.
#[derive(Clone, Copy)]
enum Kind {
    Int,
    Bool,
    Str,
    Strs,
    List(&'static [(&'static str, Kind)]),
}

const TRANSLATION: &[(&str, Kind)] = &[
    ("locale", Kind::Str),
    ("name", Kind::Str),
    ("description", Kind::Str),
    ("slug", Kind::Str),
    ("meta_title", Kind::Str),
    ("meta_description", Kind::Str),
];
const OPTION: &[(&str, Kind)] = &[
    ("group_name", Kind::Str),
    ("option_name", Kind::Str),
    ("locale", Kind::Str),
];
const VARIANT: &[(&str, Kind)] = &[
    ("sku", Kind::Str),
    ("active", Kind::Bool),
    ("stock", Kind::Int),
    ("price_net", Kind::Int),
    ("price_gross", Kind::Int),
    ("options", Kind::List(OPTION)),
];
/// `CreateProductRequest` + `stock` and `variants`, as far as Stoa reads it (plus
/// `media_ids`, as on `PUT /admin/products/{id}`).
const PRODUCT: &[(&str, Kind)] = &[
    ("sku", Kind::Str),
    ("active", Kind::Bool),
    ("price_net", Kind::Int),
    ("price_gross", Kind::Int),
    ("currency", Kind::Str),
    ("tax_rule_id", Kind::Str),
    ("stock", Kind::Int),
    ("weight", Kind::Int),
    ("translations", Kind::List(TRANSLATION)),
    ("category_ids", Kind::Strs),
    ("tag_ids", Kind::Strs),
    ("media_ids", Kind::Strs),
    ("variants", Kind::List(VARIANT)),
];

fn value(v: Value, kind: Kind) -> Option<Value> {
    let ok = match kind {
        Kind::Int => v.is_i64(),
        Kind::Bool => v.is_boolean(),
        Kind::Str => v.is_string(),
        Kind::Strs => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        Kind::List(fields) => {
            return match v {
                Value::Array(a) => a
                    .into_iter()
                    .map(|item| object(item, fields))
                    .collect::<Option<Vec<_>>>()
                    .map(Value::Array),
                _ => None,
            };
        }
    };
    ok.then_some(v)
}

fn object(v: Value, fields: &[(&str, Kind)]) -> Option<Value> {
    let Value::Object(m) = v else {
        return None;
    };
    let mut out = Map::new();
    for (k, v) in m {
        if v.is_null() {
            continue;
        }
        if let Some((_, kind)) = fields.iter().find(|(name, _)| *name == k) {
            out.insert(k, value(v, *kind)?);
        }
    }
    Some(Value::Object(out))
}

/// `products` of the bulk body: absent or `null` becomes `[]` (the operation answers 422
/// "give 1 to 250 products"); list items keep the reference DTO's fields only; `None` when
/// a value has the wrong JSON type (the family's bad-body error).
pub fn bulk_products(v: Value) -> Option<Value> {
    match v {
        Value::Null => Some(Value::Array(Vec::new())),
        other => value(other, Kind::List(PRODUCT)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::bulk_products;

    #[test]
    fn unknown_fields_and_nulls_are_dropped_at_every_depth() {
        let v = bulk_products(json!([{
            "sku": "A", "custom_fields": {"x": 1}, "tax_rule_id": null,
            "translations": [{"locale": "en-US", "name": "A", "slug": "a", "extra": 1}],
            "variants": [{"sku": "A-1", "color": "red", "options": [{"group_name": "Size", "option_name": "M", "id": 3}]}]
        }]));
        assert_eq!(
            v,
            Some(json!([{
                "sku": "A",
                "translations": [{"locale": "en-US", "name": "A", "slug": "a"}],
                "variants": [{"sku": "A-1", "options": [{"group_name": "Size", "option_name": "M"}]}]
            }]))
        );
        assert_eq!(bulk_products(json!(null)), Some(json!([])));
    }

    #[test]
    fn values_of_the_wrong_type_are_refused() {
        assert_eq!(bulk_products(json!("x")), None);
        assert_eq!(bulk_products(json!([1])), None);
        assert_eq!(bulk_products(json!([{"price_net": "10"}])), None);
        assert_eq!(bulk_products(json!([{"price_net": 1.5}])), None);
        assert_eq!(bulk_products(json!([{"tag_ids": [1]}])), None);
        assert_eq!(
            bulk_products(json!([{"variants": [{"options": [{"group_name": 1}]}]}])),
            None
        );
    }
}
