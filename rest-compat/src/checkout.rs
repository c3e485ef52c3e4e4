//! `POST /api/v1/store/checkout`: the guest-token cookie and the store projection of the
//! placed order.

use serde_json::Value;

use crate::table::ResultCookie;

/// `stoa_guest_token=<64 hex>; Path=/api/v1/store; Max-Age=2592000 (30 days)`, from the
/// result's `guest_token` (null for customers' orders: no cookie).
pub const GUEST_COOKIE: ResultCookie = ResultCookie {
    field: "guest_token",
    name: "stoa_guest_token",
    path: "/api/v1/store",
    max_age: 2_592_000,
};

/// The order of a checkout result in the store projection: `is_guest_order` only when true
/// (the reference's `omitempty`), no guest token (it went into the cookie).
pub fn store_order(result: Value) -> Value {
    let mut order = match result {
        Value::Object(mut m) => m.shift_remove("order").unwrap_or(Value::Null),
        other => other,
    };
    if let Value::Object(m) = &mut order
        && m.get("is_guest_order") != Some(&Value::Bool(true))
    {
        m.shift_remove("is_guest_order");
    }
    order
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_store_projection_keeps_only_a_true_guest_flag() {
        let guest = store_order(
            json!({"order": {"id": "1", "is_guest_order": true, "status": "pending"}, "replayed": false}),
        );
        assert_eq!(
            guest,
            json!({"id": "1", "is_guest_order": true, "status": "pending"})
        );
        let keys: Vec<&String> = guest
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["id", "is_guest_order", "status"]);
        let customer = store_order(json!({"order": {"id": "1", "is_guest_order": false}}));
        assert_eq!(customer, json!({"id": "1"}));
    }
}
