//! Discount codes over GraphQL and REST: CRUD in the reference's shapes, list filters, code
//! conflicts (any case), validation codes, `validate` with computed amounts and refusals,
//! the atomic `apply` under 50 concurrent requests, delete of a discount an order used,
//! permissions and audit entries.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use stoa_tests::{Auth, TestApp};

use super::catalog_admin::{code, keys, rest};

const SHAPE: [&str; 9] = [
    "id",
    "code",
    "type",
    "value",
    "min_order_value",
    "used_count",
    "active",
    "created_at",
    "updated_at",
];

const FIELDS: &str = "id code type value minOrderValue maxUses usedCount validFrom validUntil \
                      active conditions";

async fn create(app: &TestApp, admin: &Auth, body: Value) -> Value {
    let (s, v) = rest(
        app,
        Method::POST,
        "/api/v1/admin/discounts",
        admin,
        Some(body),
    )
    .await;
    assert_eq!(s, 201, "{v}");
    v["data"].clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_owned()
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test(flavor = "multi_thread")]
async fn discounts_crud_over_rest_in_reference_shapes() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;

    let from = Utc::now() - Duration::days(1);
    let until = Utc::now() + Duration::days(30);
    let d = create(
        &app,
        &admin,
        json!({"code": "SPRING15", "type": "percentage", "value": 1500, "min_order_value": 2000,
               "max_uses": 10, "valid_from": rfc3339(from), "valid_until": rfc3339(until),
               "active": true, "ignored": "x"}),
    )
    .await;
    assert_eq!(
        keys(&d),
        [
            "id",
            "code",
            "type",
            "value",
            "min_order_value",
            "max_uses",
            "used_count",
            "valid_from",
            "valid_until",
            "active",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(d["value"], 1500);
    assert_eq!(d["used_count"], 0);
    assert_eq!(d["valid_from"], rfc3339(from));
    let spring = id(&d);

    // Optional fields are omitted; `max_uses` 0 means unlimited (as the reference's
    // `omitempty`); `active` defaults to true.
    let fixed = create(
        &app,
        &admin,
        json!({"code": "Fixed3", "type": "fixed", "value": 300, "max_uses": 0,
               "conditions": {"note": "stored"}}),
    )
    .await;
    assert_eq!(
        keys(&fixed),
        [
            "id",
            "code",
            "type",
            "value",
            "min_order_value",
            "used_count",
            "active",
            "conditions",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(fixed["active"], true);
    assert_eq!(fixed["conditions"], json!({"note": "stored"}));
    let off = create(
        &app,
        &admin,
        json!({"code": "OFF50", "type": "percentage", "value": 5000, "active": false}),
    )
    .await;
    assert_eq!(keys(&off), SHAPE);

    // GET one.
    let (s, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/discounts/{spring}"),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(got["data"], d);

    // The list: newest first, meta, filters.
    let (s, list) = rest(&app, Method::GET, "/api/v1/admin/discounts", &admin, None).await;
    assert_eq!(s, 200);
    let codes: Vec<&str> = list["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|x| x["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["OFF50", "Fixed3", "SPRING15"]);
    assert_eq!(
        list["meta"],
        json!({"total": 3, "page": 1, "limit": 20, "pages": 1})
    );
    for (query, expected) in [
        ("type=fixed", vec!["Fixed3"]),
        ("type=percentage", vec!["OFF50", "SPRING15"]),
        ("code=ring", vec!["SPRING15"]),
        ("code=f", vec!["OFF50", "Fixed3"]),
        ("active=false", vec!["OFF50"]),
        ("active=true&type=percentage", vec!["SPRING15"]),
        ("code=%25", vec![]),
        ("type=bogus", vec![]),
    ] {
        let (s, l) = rest(
            &app,
            Method::GET,
            &format!("/api/v1/admin/discounts?{query}"),
            &admin,
            None,
        )
        .await;
        assert_eq!(s, 200, "{query}");
        let got: Vec<&str> = l["data"]
            .as_array()
            .expect("list")
            .iter()
            .map(|x| x["code"].as_str().expect("code"))
            .collect();
        assert_eq!(got, expected, "{query}");
        assert_eq!(l["meta"]["total"], expected.len(), "{query}");
    }
    let (_, page2) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/discounts?page=2&limit=2",
        &admin,
        None,
    )
    .await;
    assert_eq!(page2["data"][0]["code"], "SPRING15");
    assert_eq!(
        page2["meta"],
        json!({"total": 3, "page": 2, "limit": 2, "pages": 2})
    );

    // PUT is partial: only the value changes.
    let (s, upd) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/discounts/{spring}"),
        &admin,
        Some(json!({"value": 1750, "code": ""})),
    )
    .await;
    assert_eq!(s, 200, "{upd}");
    assert_eq!(upd["data"]["value"], 1750);
    assert_eq!(upd["data"]["code"], "SPRING15");
    assert_eq!(upd["data"]["max_uses"], 10);
    assert_eq!(upd["data"]["valid_until"], rfc3339(until));
    assert_eq!(keys(&upd["data"]), keys(&d));

    // Codes are unique ignoring case, on create and on update.
    for (method, path) in [
        (Method::POST, "/api/v1/admin/discounts".to_owned()),
        (Method::PUT, format!("/api/v1/admin/discounts/{}", id(&off))),
    ] {
        let (s, e) = rest(
            &app,
            method,
            &path,
            &admin,
            Some(json!({"code": "spring15", "type": "fixed", "value": 100})),
        )
        .await;
        assert_eq!(s, 409, "{e}");
        assert_eq!(
            e,
            json!({"errors": [{"code": "duplicate_code", "detail": "a discount with this code already exists"}]})
        );
    }

    // Validation: 422 `validation_error` naming the field as the reference's Go fields.
    for (body, field) in [
        (json!({"code": "", "type": "fixed", "value": 1}), "Code"),
        (
            json!({"code": "x".repeat(101), "type": "fixed", "value": 1}),
            "Code",
        ),
        (json!({"code": "A", "type": "free", "value": 1}), "Type"),
        (json!({"code": "A", "type": "fixed", "value": 0}), "Value"),
        (
            json!({"code": "A", "type": "percentage", "value": 10001}),
            "Value",
        ),
        (
            json!({"code": "A", "type": "fixed", "value": 1, "min_order_value": -1}),
            "MinOrderValue",
        ),
        (
            json!({"code": "A", "type": "fixed", "value": 1, "max_uses": -2}),
            "MaxUses",
        ),
        (
            json!({"code": "A", "type": "fixed", "value": 1,
                   "valid_from": rfc3339(until), "valid_until": rfc3339(from)}),
            "ValidUntil",
        ),
        (
            json!({"code": "A", "type": "fixed", "value": 1, "conditions": [1]}),
            "Conditions",
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/discounts",
            &admin,
            Some(body.clone()),
        )
        .await;
        assert_eq!(s, 422, "{body} {e}");
        assert_eq!(code(&e), "validation_error", "{body}");
        assert_eq!(e["errors"][0]["field"], field, "{body}");
    }
    // An update is checked on the merged result: a percentage above 100 %, or an end
    // before the kept start.
    for (body, field) in [
        (json!({"type": "percentage", "value": 20000}), "Value"),
        (
            json!({"valid_until": rfc3339(from - Duration::days(1))}),
            "ValidUntil",
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::PUT,
            &format!("/api/v1/admin/discounts/{spring}"),
            &admin,
            Some(body),
        )
        .await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["field"], field);
    }
    let (s, e) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/discounts",
        &admin,
        Some(json!("not an object")),
    )
    .await;
    assert_eq!((s, code(&e)), (400, "invalid_json"));
    let (s, e) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/discounts/not-a-uuid",
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (400, "invalid_id"));

    // DELETE: 204 without a body, then 404.
    let path = format!("/api/v1/admin/discounts/{}", id(&fixed));
    let (s, body) = rest(&app, Method::DELETE, &path, &admin, None).await;
    assert_eq!((s, body), (204, Value::Null));
    for method in [Method::GET, Method::DELETE] {
        let (s, e) = rest(&app, method, &path, &admin, None).await;
        assert_eq!(
            (s, e),
            (
                404,
                json!({"errors": [{"code": "not_found", "detail": "discount not found"}]})
            )
        );
    }

    // Every change is audited.
    let audit = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"discount\", limit: 50) { items { action entityId changes } } }",
            json!({}),
        )
        .await
        .ok();
    let actions: Vec<(String, String)> = audit
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().expect("action").to_owned(),
                e["entityId"].as_str().expect("entity").to_owned(),
            )
        })
        .collect();
    for expected in [
        ("create".to_owned(), spring.clone()),
        ("update".to_owned(), spring.clone()),
        ("delete".to_owned(), id(&fixed)),
    ] {
        assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
    }
    let update = audit
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "update")
        .expect("update entry")
        .clone();
    assert_eq!(
        update["changes"],
        json!({"value": {"from": 1500, "to": 1750}})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn discounts_over_graphql_with_partial_updates_and_clearing() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let r = app
        .gql(
            &admin,
            &format!(
                "mutation($i: CreateDiscountInput!) {{ createDiscount(input: $i) {{ {FIELDS} }} }}"
            ),
            json!({"i": {"code": "  Week10 ", "type": "percentage", "value": 1000, "maxUses": 3,
                         "validUntil": rfc3339(Utc::now() + Duration::days(7))}}),
        )
        .await
        .ok();
    let d = r.data("createDiscount").clone();
    assert_eq!(d["code"], "Week10", "trimmed");
    assert_eq!(d["maxUses"], 3);
    assert_eq!(d["conditions"], Value::Null);
    let did = id(&d);

    // Two redemptions, then `maxUses` cannot go below them.
    for _ in 0..2 {
        app.gql(
            &admin,
            "mutation($id: UUID!) { applyDiscount(id: $id) }",
            json!({"id": did}),
        )
        .await
        .ok();
    }
    let update = format!(
        "mutation($id: UUID!, $i: UpdateDiscountInput!) {{ updateDiscount(id: $id, input: $i) {{ {FIELDS} }} }}"
    );
    let r = app
        .gql(&admin, &update, json!({"id": did, "i": {"maxUses": 1}}))
        .await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "maxUses");

    // Null clears `maxUses` and `validUntil`; absent fields stay.
    let r = app
        .gql(
            &admin,
            &update,
            json!({"id": did, "i": {"maxUses": null, "validUntil": null, "active": false}}),
        )
        .await
        .ok();
    let u = r.data("updateDiscount");
    assert_eq!(u["maxUses"], Value::Null);
    assert_eq!(u["validUntil"], Value::Null);
    assert_eq!(u["active"], false);
    assert_eq!(u["value"], 1000);
    assert_eq!(u["usedCount"], 2);

    // The list and the single read through GraphQL.
    let r = app
        .gql(
            &admin,
            &format!(
                "{{ discounts(code: \"WEEK\", active: false) {{ items {{ {FIELDS} }} total pages }} }}"
            ),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(r.data("discounts.total"), 1);
    assert_eq!(r.data("discounts.items")[0]["id"], did.as_str());
    let r = app
        .gql(
            &admin,
            "query($id: UUID!) { discount(id: $id) { code usedCount } }",
            json!({"id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(r.code(), "NOT_FOUND");

    // Unknown id on update, delete and apply.
    for (q, v) in [
        (
            update.as_str(),
            json!({"id": uuid::Uuid::now_v7(), "i": {}}),
        ),
        (
            "mutation($id: UUID!) { deleteDiscount(id: $id) }",
            json!({"id": uuid::Uuid::now_v7()}),
        ),
        (
            "mutation($id: UUID!) { applyDiscount(id: $id) }",
            json!({"id": uuid::Uuid::now_v7()}),
        ),
    ] {
        assert_eq!(app.gql(&admin, q, v).await.code(), "NOT_FOUND", "{q}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn validate_computes_amounts_and_refuses_with_stable_codes() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let now = Utc::now();
    create(
        &app,
        &admin,
        json!({"code": "TEN", "type": "percentage", "value": 1000}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"code": "FIVE", "type": "fixed", "value": 500, "min_order_value": 2000}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"code": "LATER", "type": "fixed", "value": 100,
               "valid_from": rfc3339(now + Duration::days(1))}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"code": "GONE", "type": "fixed", "value": 100,
               "valid_from": rfc3339(now - Duration::days(2)),
               "valid_until": rfc3339(now - Duration::days(1))}),
    )
    .await;
    create(
        &app,
        &admin,
        json!({"code": "OFF", "type": "fixed", "value": 100, "active": false}),
    )
    .await;
    let once = create(
        &app,
        &admin,
        json!({"code": "ONCE", "type": "fixed", "value": 100, "max_uses": 1}),
    )
    .await;
    let (s, _) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/discounts/{}/apply", id(&once)),
        &admin,
        None,
    )
    .await;
    assert_eq!(s, 204);

    // GraphQL: the amount, percentages rounded half up, capped at the total; codes match
    // ignoring case; a total of 0 is valid input.
    let q = "query($c: String!, $t: Int!) { validateDiscount(code: $c, orderTotal: $t) { code type value usedCount amount } }";
    for (c, total, amount) in [
        ("TEN", 1995, 200),
        ("ten", 1994, 199),
        ("TEN", 0, 0),
        ("FIVE", 2000, 500),
        ("five", 100_000, 500),
    ] {
        let r = app.gql(&admin, q, json!({"c": c, "t": total})).await.ok();
        assert_eq!(r.data("validateDiscount.amount"), amount, "{c} {total}");
    }
    for (c, total, expected) in [
        ("NOPE", 5000, "DISCOUNT_NOT_FOUND"),
        ("OFF", 5000, "DISCOUNT_INACTIVE"),
        ("LATER", 5000, "DISCOUNT_NOT_STARTED"),
        ("GONE", 5000, "DISCOUNT_EXPIRED"),
        ("ONCE", 5000, "DISCOUNT_EXHAUSTED"),
        ("FIVE", 1999, "DISCOUNT_MIN_ORDER_VALUE"),
    ] {
        let r = app.gql(&admin, q, json!({"c": c, "t": total})).await;
        assert_eq!(r.code(), expected, "{c}: {}", r.body);
        if expected == "DISCOUNT_MIN_ORDER_VALUE" {
            let msg = r.body["errors"][0]["message"].as_str().expect("message");
            assert!(msg.contains("2000"), "{msg}");
        }
    }
    let r = app.gql(&admin, q, json!({"c": "TEN", "t": -1})).await;
    assert_eq!(r.code(), "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["extensions"]["field"], "orderTotal");

    // REST: 200 with the discount in the reference's shape plus `amount`.
    let (s, v) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/discounts/validate",
        &admin,
        Some(json!({"code": "five", "order_total": 2500})),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        keys(&v["data"]),
        [
            "id",
            "code",
            "type",
            "value",
            "min_order_value",
            "used_count",
            "active",
            "created_at",
            "updated_at",
            "amount"
        ]
    );
    assert_eq!(v["data"]["code"], "FIVE");
    assert_eq!(v["data"]["amount"], 500);
    // The reference's codes and details.
    for (c, total, status, rest_code, detail) in [
        (
            "NOPE",
            5000,
            422,
            "code_invalid",
            "discount code is invalid or expired",
        ),
        (
            "OFF",
            5000,
            422,
            "code_invalid",
            "discount code is invalid or expired",
        ),
        (
            "LATER",
            5000,
            422,
            "code_invalid",
            "discount code is invalid or expired",
        ),
        (
            "GONE",
            5000,
            422,
            "code_invalid",
            "discount code is invalid or expired",
        ),
        (
            "ONCE",
            5000,
            422,
            "max_uses_reached",
            "discount code has reached its maximum number of uses",
        ),
        (
            "FIVE",
            1999,
            422,
            "validation_error",
            "invalid input: minimum order value not met",
        ),
    ] {
        let (s, e) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/discounts/validate",
            &admin,
            Some(json!({"code": c, "order_total": total})),
        )
        .await;
        assert_eq!(s, status, "{c}: {e}");
        assert_eq!(
            e,
            json!({"errors": [{"code": rest_code, "detail": detail}]}),
            "{c}"
        );
    }
    let (s, e) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/discounts/validate",
        &admin,
        Some(json!({"order_total": 100})),
    )
    .await;
    assert_eq!((s, code(&e)), (422, "validation_error"));
    assert_eq!(e["errors"][0]["field"], "Code");

    // Validation changes nothing.
    let r = app.gql(&admin, q, json!({"c": "TEN", "t": 100})).await.ok();
    assert_eq!(r.data("validateDiscount.usedCount"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_concurrent_applies_redeem_exactly_max_uses() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let d = create(
        &app,
        &admin,
        json!({"code": "RUSH", "type": "fixed", "value": 100, "max_uses": 5}),
    )
    .await;
    let path = format!("/api/v1/admin/discounts/{}/apply", id(&d));
    let calls = (0..50).map(|_| rest(&app, Method::POST, &path, &admin, None));
    let results = futures_util::future::join_all(calls).await;
    let ok = results.iter().filter(|(s, _)| *s == 204).count();
    assert_eq!(ok, 5, "{results:?}");
    for (s, e) in results.iter().filter(|(s, _)| *s != 204) {
        assert_eq!(*s, 422, "{e}");
        assert_eq!(code(e), "max_uses_reached");
    }
    let (_, got) = rest(
        &app,
        Method::GET,
        &format!("/api/v1/admin/discounts/{}", id(&d)),
        &admin,
        None,
    )
    .await;
    assert_eq!(got["data"]["used_count"], 5);

    // Apply is refused for a discount that is not redeemable for another reason, with the
    // reference's code; an inactive one keeps its count.
    let off = create(
        &app,
        &admin,
        json!({"code": "SLEEP", "type": "fixed", "value": 100, "active": false}),
    )
    .await;
    let (s, e) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/discounts/{}/apply", id(&off)),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (422, "code_invalid"));
    let r = app
        .gql(
            &admin,
            "mutation($id: UUID!) { applyDiscount(id: $id) }",
            json!({"id": id(&off)}),
        )
        .await;
    assert_eq!(r.code(), "DISCOUNT_INACTIVE");
    // The dates are guarded by the same statement.
    let now = Utc::now();
    for (body, expected) in [
        (
            json!({"code": "PAST", "type": "fixed", "value": 100,
                   "valid_from": rfc3339(now - Duration::days(2)),
                   "valid_until": rfc3339(now - Duration::days(1))}),
            "DISCOUNT_EXPIRED",
        ),
        (
            json!({"code": "SOON", "type": "fixed", "value": 100,
                   "valid_from": rfc3339(now + Duration::days(1))}),
            "DISCOUNT_NOT_STARTED",
        ),
    ] {
        let d = create(&app, &admin, body).await;
        let (s, e) = rest(
            &app,
            Method::POST,
            &format!("/api/v1/admin/discounts/{}/apply", id(&d)),
            &admin,
            None,
        )
        .await;
        assert_eq!((s, code(&e)), (422, "code_invalid"), "{expected}");
        let r = app
            .gql(
                &admin,
                "mutation($id: UUID!) { applyDiscount(id: $id) }",
                json!({"id": id(&d)}),
            )
            .await;
        assert_eq!(r.code(), expected);
        let (_, got) = rest(
            &app,
            Method::GET,
            &format!("/api/v1/admin/discounts/{}", id(&d)),
            &admin,
            None,
        )
        .await;
        assert_eq!(got["data"]["used_count"], 0, "{expected}");
    }
    let (s, e) = rest(
        &app,
        Method::POST,
        &format!("/api/v1/admin/discounts/{}/apply", uuid::Uuid::now_v7()),
        &admin,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (404, "not_found"));

    // Five redemptions, five audit entries.
    let audit = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"discount\", limit: 100) { items { action } } }",
            json!({}),
        )
        .await
        .ok();
    let applies = audit
        .data("auditLog.items")
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["action"] == "apply")
        .count();
    assert_eq!(applies, 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_discount_used_by_an_order_cannot_be_deleted() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let d = create(
        &app,
        &admin,
        json!({"code": "USED", "type": "fixed", "value": 100}),
    )
    .await;
    let mut c = stoa_db::pool::establish(&app.db_url).await.expect("conn");
    use diesel_async::RunQueryDsl;
    diesel::sql_query(format!(
        "INSERT INTO orders (order_number, discount_id, discount_code) VALUES ('ORD-TEST-1', '{}', 'USED')",
        id(&d)
    ))
    .execute(&mut c)
    .await
    .expect("order");
    let path = format!("/api/v1/admin/discounts/{}", id(&d));
    let (s, e) = rest(&app, Method::DELETE, &path, &admin, None).await;
    assert_eq!(s, 409, "{e}");
    assert_eq!(
        e,
        json!({"errors": [{"code": "conflict", "detail": "the discount is used by orders and cannot be deleted"}]})
    );
    let r = app
        .gql(
            &admin,
            "mutation($id: UUID!) { deleteDiscount(id: $id) }",
            json!({"id": id(&d)}),
        )
        .await;
    assert_eq!(r.code(), "CONFLICT");
    let (s, _) = rest(&app, Method::GET, &path, &admin, None).await;
    assert_eq!(s, 200, "still there");
}

#[tokio::test(flavor = "multi_thread")]
async fn discount_permissions_are_enforced() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let manager = app.staff("manager").await;
    let (customer, _) = app.customer().await;
    let d = create(
        &app,
        &admin,
        json!({"code": "PERM", "type": "fixed", "value": 100}),
    )
    .await;
    let one = format!("/api/v1/admin/discounts/{}", id(&d));
    let apply = format!("{one}/apply");
    let body = json!({"code": "NEW", "type": "fixed", "value": 1});
    let validate = json!({"code": "PERM", "order_total": 100});

    // A manager holds `discounts.read` only.
    let (s, _) = rest(&app, Method::GET, "/api/v1/admin/discounts", &manager, None).await;
    assert_eq!(s, 200);
    let (s, _) = rest(&app, Method::GET, &one, &manager, None).await;
    assert_eq!(s, 200);
    let (s, _) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/discounts/validate",
        &manager,
        Some(validate.clone()),
    )
    .await;
    assert_eq!(s, 200);
    for (method, path, b) in [
        (
            Method::POST,
            "/api/v1/admin/discounts".to_owned(),
            Some(body.clone()),
        ),
        (Method::PUT, one.clone(), Some(json!({"value": 2}))),
        (Method::DELETE, one.clone(), None),
        (Method::POST, apply.clone(), None),
    ] {
        let (s, e) = rest(&app, method.clone(), &path, &manager, b).await;
        assert_eq!((s, code(&e)), (403, "forbidden"), "manager {method} {path}");
    }
    // Customers and anonymous callers get nothing.
    let (s, e) = rest(
        &app,
        Method::GET,
        "/api/v1/admin/discounts",
        &customer,
        None,
    )
    .await;
    assert_eq!((s, code(&e)), (403, "unauthorized"));
    let (s, e) = rest(
        &app,
        Method::POST,
        "/api/v1/admin/discounts/validate",
        &Auth::None,
        Some(validate),
    )
    .await;
    assert_eq!((s, code(&e)), (401, "unauthorized"));
    let r = app
        .gql(&customer, "{ discounts { total } }", json!({}))
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    // Nothing changed.
    let (_, got) = rest(&app, Method::GET, &one, &admin, None).await;
    assert_eq!(got["data"]["used_count"], 0);
    assert_eq!(got["data"]["value"], 100);
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_discounts_validate_with_their_amounts() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    for (c, total, status, amount) in [
        ("demo10", 1995, 200, Some(200)),
        ("SOMMER20", 5000, 200, Some(1000)),
        ("sommer20", 4999, 422, None),
        ("Fixed5", 2000, 200, Some(500)),
        ("FIXED5", 1999, 422, None),
    ] {
        let (s, v) = rest(
            &app,
            Method::POST,
            "/api/v1/admin/discounts/validate",
            &admin,
            Some(json!({"code": c, "order_total": total})),
        )
        .await;
        assert_eq!(s, status, "{c}: {v}");
        match amount {
            Some(a) => assert_eq!(v["data"]["amount"], a, "{c}"),
            None => assert_eq!(code(&v), "validation_error", "{c}"),
        }
    }
    let (_, list) = rest(&app, Method::GET, "/api/v1/admin/discounts", &admin, None).await;
    assert_eq!(list["meta"]["total"], 3);
}
