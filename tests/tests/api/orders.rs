//! Orders: the admin list (filters, sort, search), detail shapes (admin and store), the
//! status machine with its history, events and stock restore, permissions, ownership, guest
//! lookups by token, payment transactions — and the stock domain the checkout uses
//! (deduction by priority, allow-negative remainders, deadlock-free concurrency, restore
//! exactly once) plus order numbers that survive a collision.

use crate::catalog_admin::keys;
use diesel::sql_types::{Integer, Nullable, Text, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use reqwest::Method;
use serde_json::{Value, json};
use stoa_db::models::orders::{DomainEvent, Order, StatusHistory};
use stoa_db::models::stock::{self, StockError};
use stoa_tests::{Auth, TestApp};
use uuid::Uuid;

const DEMO1: &str = "0d000000-0000-4000-800f-000000000001";
const DEMO2: &str = "0d000000-0000-4000-800f-000000000002";
const MARIA: &str = "0d000000-0000-4000-800c-000000000001";

/// `(status, body)` of a REST call (`Value::Null` for an empty body); `cookie` is sent as a
/// `Cookie` header.
async fn rest(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Option<Value>,
    cookie: Option<&str>,
) -> (u16, Value) {
    let mut req = app.http().request(method, app.url(path));
    match auth {
        Auth::Bearer(t) => req = req.header("authorization", format!("Bearer {t}")),
        Auth::ApiKey(k) => req = req.header("authorization", format!("ApiKey {k}")),
        Auth::Raw(r) => req = req.header("authorization", r),
        Auth::None => {}
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("text");
    let v = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("json")
    };
    (status, v)
}

async fn get(app: &TestApp, path: &str, auth: &Auth) -> (u16, Value) {
    rest(app, Method::GET, path, auth, None, None).await
}

fn numbers(v: &Value) -> Vec<&str> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|o| o["order_number"].as_str().expect("number"))
        .collect()
}

async fn db(app: &TestApp) -> AsyncPgConnection {
    stoa_db::pool::establish(&app.db_url).await.expect("conn")
}

/// A product (optionally with a variant) straight in the database.
async fn product(c: &mut AsyncPgConnection, with_variant: bool) -> (Uuid, Option<Uuid>) {
    let id = Uuid::now_v7();
    diesel::sql_query("INSERT INTO products (id, sku, active) VALUES ($1, $2, TRUE)")
        .bind::<SqlUuid, _>(id)
        .bind::<Text, _>(format!("P-{}", id.simple()))
        .execute(c)
        .await
        .expect("product");
    let variant = if with_variant {
        let v = Uuid::now_v7();
        diesel::sql_query("INSERT INTO product_variants (id, product_id, sku) VALUES ($1, $2, $3)")
            .bind::<SqlUuid, _>(v)
            .bind::<SqlUuid, _>(id)
            .bind::<Text, _>(format!("V-{}", v.simple()))
            .execute(c)
            .await
            .expect("variant");
        Some(v)
    } else {
        None
    };
    (id, variant)
}

/// A warehouse straight in the database.
async fn warehouse(
    c: &mut AsyncPgConnection,
    priority: i32,
    active: bool,
    allow_negative: bool,
) -> Uuid {
    let id = Uuid::now_v7();
    diesel::sql_query(
        "INSERT INTO warehouses (id, name, code, priority, active, allow_negative_stock)
         VALUES ($1, 'W', $2, $3, $4, $5)",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(format!("W-{}", id.simple()))
    .bind::<Integer, _>(priority)
    .bind::<diesel::sql_types::Bool, _>(active)
    .bind::<diesel::sql_types::Bool, _>(allow_negative)
    .execute(c)
    .await
    .expect("warehouse");
    id
}

async fn put_stock(
    c: &mut AsyncPgConnection,
    warehouse: Uuid,
    line: (Uuid, Option<Uuid>),
    quantity: i32,
) {
    diesel::sql_query(
        "INSERT INTO warehouse_stock (warehouse_id, product_id, variant_id, quantity)
         VALUES ($1, $2, $3, $4)",
    )
    .bind::<SqlUuid, _>(warehouse)
    .bind::<SqlUuid, _>(line.0)
    .bind::<Nullable<SqlUuid>, _>(line.1)
    .bind::<Integer, _>(quantity)
    .execute(c)
    .await
    .expect("stock");
    stoa_db::models::catalog_write::resync_stock(c, &[line.0])
        .await
        .expect("resync");
}

#[derive(diesel::QueryableByName)]
struct Qty {
    #[diesel(sql_type = Integer)]
    quantity: i32,
}

async fn stock_in(c: &mut AsyncPgConnection, warehouse: Uuid, line: (Uuid, Option<Uuid>)) -> i32 {
    diesel::sql_query(
        "SELECT quantity FROM warehouse_stock WHERE warehouse_id = $1 AND product_id = $2
           AND variant_id IS NOT DISTINCT FROM $3",
    )
    .bind::<SqlUuid, _>(warehouse)
    .bind::<SqlUuid, _>(line.0)
    .bind::<Nullable<SqlUuid>, _>(line.1)
    .get_result::<Qty>(c)
    .await
    .expect("stock row")
    .quantity
}

/// The derived stock of a product (or of its variant).
async fn derived(c: &mut AsyncPgConnection, line: (Uuid, Option<Uuid>)) -> i32 {
    let q = match line.1 {
        Some(v) => {
            diesel::sql_query("SELECT stock AS quantity FROM product_variants WHERE id = $1")
                .bind::<SqlUuid, _>(v)
        }
        None => diesel::sql_query("SELECT stock AS quantity FROM products WHERE id = $1")
            .bind::<SqlUuid, _>(line.0),
    };
    q.get_result::<Qty>(c).await.expect("derived").quantity
}

/// An order as the checkout will write it (row + creation history + `order.created`).
async fn order(
    c: &mut AsyncPgConnection,
    customer: Option<Uuid>,
    guest_token: Option<&str>,
    status: &str,
    total: i32,
    lines: &[(Option<Uuid>, i32)],
) -> Order {
    let id = Uuid::now_v7();
    let number = stoa_resolvers::domain::orders::new_order_number().expect("number");
    diesel::sql_query(
        "INSERT INTO orders (id, order_number, customer_id, guest_token, status, total,
                             subtotal_gross, billing_address, notes)
         VALUES ($1, $2, $3, $4, $5, $6, $6, '{\"city\":\"Berlin\"}', '')",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Text, _>(&number)
    .bind::<Nullable<SqlUuid>, _>(customer)
    .bind::<Nullable<Text>, _>(guest_token)
    .bind::<Text, _>(status)
    .bind::<Integer, _>(total)
    .execute(c)
    .await
    .expect("order");
    for (product, qty) in lines {
        diesel::sql_query(
            "INSERT INTO order_items (order_id, product_id, sku, name, quantity, unit_price_net,
                                      unit_price_gross, total_net, total_gross, tax_rate)
             VALUES ($1, $2, 'SKU', 'Item', $3, 100, 119, 100 * $3, 119 * $3, 1900)",
        )
        .bind::<SqlUuid, _>(id)
        .bind::<Nullable<SqlUuid>, _>(*product)
        .bind::<Integer, _>(*qty)
        .execute(c)
        .await
        .expect("item");
    }
    let row = Order::by_id(c, id).await.expect("read").expect("order");
    stoa_resolvers::domain::orders::record_created(c, &row)
        .await
        .expect("record created");
    row
}

async fn staff_key(app: &TestApp, admin: &Auth, perms: &[&str]) -> Auth {
    let r = app
        .gql(
            admin,
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }",
            json!({"i": {"name": "orders-test", "permissions": perms}}),
        )
        .await
        .ok();
    Auth::ApiKey(r.data("createApiKey.key").as_str().expect("key").to_owned())
}

async fn customer_id(app: &TestApp, auth: &Auth) -> Uuid {
    let r = app.gql(auth, "{ account { id } }", json!({})).await.ok();
    r.data("account.id")
        .as_str()
        .expect("id")
        .parse()
        .expect("uuid")
}

async fn set_status(app: &TestApp, auth: &Auth, id: Uuid, status: &str) -> (u16, Value) {
    rest(
        app,
        Method::PUT,
        &format!("/api/v1/admin/orders/{id}/status"),
        auth,
        Some(json!({ "status": status, "comment": format!("to {status}") })),
        None,
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_list_filters_sorts_searches_and_pages() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let mut c = db(&app).await;
    let maria: Uuid = MARIA.parse().expect("uuid");
    let big = order(&mut c, Some(maria), None, "pending", 99_000, &[(None, 1)]).await;
    let guest = order(
        &mut c,
        None,
        Some(&"a".repeat(64)),
        "shipped",
        10,
        &[(None, 2)],
    )
    .await;

    let (s, all) = get(&app, "/api/v1/admin/orders", &admin).await;
    assert_eq!(s, 200, "{all}");
    assert_eq!(
        all["meta"],
        json!({"total": 4, "page": 1, "limit": 25, "pages": 1})
    );
    // Newest first; no items in the list; the reference's field order; empty fields omitted.
    assert_eq!(numbers(&all["data"])[0], guest.order_number);
    let demo1 = all["data"]
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["id"] == DEMO1)
        .expect("demo1");
    assert_eq!(
        keys(demo1),
        [
            "id",
            "order_number",
            "customer_id",
            "status",
            "currency",
            "subtotal_net",
            "subtotal_gross",
            "shipping_cost",
            "tax_total",
            "total",
            "billing_address",
            "shipping_address",
            "payment_method_id",
            "shipping_method_id",
            "payment_reference",
            "created_at",
            "updated_at"
        ]
    );
    assert_eq!(demo1["created_at"], "2026-03-01T10:00:00Z");
    let listed_guest = &all["data"][0];
    assert_eq!(listed_guest["guest_token"], "a".repeat(64));
    assert!(listed_guest.get("customer_id").is_none());

    // The status filter works (the reference's MCP tool ignored it).
    let (_, pending) = get(&app, "/api/v1/admin/orders?status=pending", &admin).await;
    let mut got = numbers(&pending["data"]);
    got.sort_unstable();
    let mut want = vec!["ORD-20260301-DEMO2", big.order_number.as_str()];
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(pending["meta"]["total"], 2);

    let (_, of_maria) = get(
        &app,
        &format!("/api/v1/admin/orders?customer_id={MARIA}&sort=total&order=asc"),
        &admin,
    )
    .await;
    assert_eq!(
        numbers(&of_maria["data"]),
        ["ORD-20260301-DEMO1", big.order_number.as_str()]
    );
    let (_, searched) = get(&app, "/api/v1/admin/orders?search=demo", &admin).await;
    assert_eq!(searched["meta"]["total"], 2);
    let (_, by_number) = get(
        &app,
        "/api/v1/admin/orders?sort=order_number&order=asc&limit=2&page=2",
        &admin,
    )
    .await;
    assert_eq!(
        by_number["meta"],
        json!({"total": 4, "page": 2, "limit": 2, "pages": 2})
    );
    let mut sorted: Vec<String> = [
        "ORD-20260301-DEMO1".to_owned(),
        "ORD-20260301-DEMO2".to_owned(),
        big.order_number.clone(),
        guest.order_number.clone(),
    ]
    .to_vec();
    sorted.sort();
    assert_eq!(
        numbers(&by_number["data"]),
        [sorted[2].as_str(), sorted[3].as_str()]
    );
    let (_, none) = get(&app, "/api/v1/admin/orders?status=refunded", &admin).await;
    assert_eq!(none["data"], json!([]));

    // GraphQL: items load through one batched statement whatever the page size.
    let before = app.statement_count();
    let r = app
        .gql(
            &admin,
            "{ orders(limit: 10) { items { orderNumber items { sku quantity } } } }",
            json!({}),
        )
        .await
        .ok();
    let spent = app.statement_count() - before;
    assert_eq!(r.data("orders.items").as_array().expect("items").len(), 4);
    assert!(spent <= 6, "{spent} statements for a page with items");
}

#[tokio::test(flavor = "multi_thread")]
async fn detail_shapes_transactions_and_permissions() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let (s, d) = get(&app, &format!("/api/v1/admin/orders/{DEMO1}"), &admin).await;
    assert_eq!(s, 200, "{d}");
    let o = &d["data"];
    assert_eq!(o["order_number"], "ORD-20260301-DEMO1");
    assert_eq!(keys(o).last(), Some(&"status_history"));
    assert_eq!(
        keys(&o["items"][0]),
        [
            "id",
            "order_id",
            "product_id",
            "variant_id",
            "sku",
            "name",
            "quantity",
            "unit_price_net",
            "unit_price_gross",
            "total_net",
            "total_gross",
            "tax_rate"
        ]
    );
    assert_eq!(o["items"][0]["sku"], "PHONE-001-SW");
    let history = o["status_history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(
        keys(&history[1]),
        [
            "id",
            "order_id",
            "from_status",
            "to_status",
            "comment",
            "created_at"
        ]
    );
    assert_eq!(
        (&history[1]["from_status"], &history[1]["to_status"]),
        (&json!("pending"), &json!("confirmed"))
    );
    let (s, e) = get(
        &app,
        &format!("/api/v1/admin/orders/{}", Uuid::now_v7()),
        &admin,
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["detail"].clone()),
        (404, json!("order not found"))
    );
    let (s, e) = get(&app, "/api/v1/admin/orders/not-a-uuid", &admin).await;
    assert_eq!(
        (s, e["errors"][0]["code"].clone()),
        (400, json!("invalid_param"))
    );

    // Transactions: meta of one page holding all.
    let path = format!("/api/v1/admin/orders/{DEMO1}/transactions");
    let (s, t) = get(&app, &path, &admin).await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(
        t["meta"],
        json!({"total": 1, "page": 1, "limit": 1, "pages": 1})
    );
    assert_eq!(
        keys(&t["data"][0]),
        [
            "id",
            "order_id",
            "payment_method_id",
            "status",
            "currency",
            "amount",
            "provider_reference",
            "created_at"
        ]
    );
    assert_eq!(t["data"][0]["provider_reference"], "TXN-DEMO-001");
    let (_, t2) = get(
        &app,
        &format!("/api/v1/admin/orders/{DEMO2}/transactions"),
        &admin,
    )
    .await;
    assert_eq!(t2["data"], json!([]));

    // Permissions are enforced per field.
    let reader = staff_key(&app, &admin, &["orders.read"]).await;
    assert_eq!(get(&app, "/api/v1/admin/orders", &reader).await.0, 200);
    let (s, e) = get(&app, &path, &reader).await;
    assert_eq!(
        (s, e["errors"][0]["code"].clone()),
        (403, json!("forbidden"))
    );
    let (s, _) = set_status(&app, &reader, DEMO2.parse().expect("uuid"), "confirmed").await;
    assert_eq!(s, 403);
    let r = app
        .gql(
            &reader,
            &format!("{{ order(id: \"{DEMO1}\") {{ transactions {{ id }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    let unrelated = staff_key(&app, &admin, &["products.read"]).await;
    assert_eq!(get(&app, "/api/v1/admin/orders", &unrelated).await.0, 403);
    let (customer, _) = app.customer().await;
    assert_eq!(get(&app, "/api/v1/admin/orders", &customer).await.0, 403);
    assert_eq!(get(&app, "/api/v1/admin/orders", &Auth::None).await.0, 401);
    // The status is unchanged after the refused attempts.
    let (_, d2) = get(&app, &format!("/api/v1/admin/orders/{DEMO2}"), &admin).await;
    assert_eq!(d2["data"]["status"], "pending");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_allowed_transition_writes_history_events_and_audit() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let updater = staff_key(&app, &admin, &["orders.update", "orders.read"]).await;
    let mut c = db(&app).await;
    let a = order(&mut c, None, None, "pending", 100, &[(None, 1)]).await;
    let mut from = "pending";
    for to in [
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "refunded",
    ] {
        let (s, b) = set_status(&app, &updater, a.id, to).await;
        assert_eq!(s, 200, "{from} → {to}: {b}");
        assert_eq!(b["data"]["status"], to);
        let last = b["data"]["status_history"]
            .as_array()
            .expect("history")
            .last()
            .cloned()
            .expect("row");
        assert_eq!(
            (&last["from_status"], &last["to_status"], &last["comment"]),
            (&json!(from), &json!(to), &json!(format!("to {to}")))
        );
        from = to;
    }
    // Each cancellable state can be cancelled.
    for path in [
        &[][..],
        &["confirmed"][..],
        &["confirmed", "processing"][..],
    ] {
        let o = order(&mut c, None, None, "pending", 100, &[(None, 1)]).await;
        for step in path {
            assert_eq!(set_status(&app, &admin, o.id, step).await.0, 200);
        }
        assert_eq!(set_status(&app, &admin, o.id, "cancelled").await.0, 200);
        // Cancelled is terminal.
        let (s, e) = set_status(&app, &admin, o.id, "pending").await;
        assert_eq!(s, 422, "{e}");
        assert_eq!(e["errors"][0]["code"], "invalid_transition");
    }
    // Refused transitions: the reference's 422 and detail; nothing changes.
    let b = order(&mut c, None, None, "pending", 100, &[(None, 1)]).await;
    let (s, e) = set_status(&app, &admin, b.id, "shipped").await;
    assert_eq!(s, 422);
    assert_eq!(
        e,
        json!({"errors": [{"code": "invalid_transition",
            "detail": "invalid status transition from \"pending\" to \"shipped\"", "field": "status"}]})
    );
    let (s, e) = set_status(&app, &admin, a.id, "delivered").await;
    assert_eq!(
        (s, e["errors"][0]["code"].clone()),
        (422, json!("invalid_transition"))
    );
    let (s, e) = set_status(&app, &admin, b.id, "lost").await;
    assert_eq!(s, 422);
    assert_eq!(
        e["errors"][0],
        json!({"code": "validation_error", "detail": "oneof constraint violated on Status", "field": "Status"})
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/orders/{}/status", b.id),
        &admin,
        Some(json!({"comment": "x"})),
        None,
    )
    .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(
        e["errors"][0],
        json!({"code": "validation_error", "detail": "required constraint violated on Status", "field": "Status"})
    );
    let (s, e) = rest(
        &app,
        Method::PUT,
        &format!("/api/v1/admin/orders/{}/status", b.id),
        &admin,
        Some(json!({"status": "confirmed", "comment": "x".repeat(1001)})),
        None,
    )
    .await;
    assert_eq!(
        (s, e["errors"][0]["field"].clone()),
        (422, json!("Comment"))
    );
    let (s, _) = set_status(&app, &admin, Uuid::now_v7(), "confirmed").await;
    assert_eq!(s, 404);
    let history = StatusHistory::of_order(&mut c, b.id)
        .await
        .expect("history");
    assert_eq!(history.len(), 1, "only the creation row");
    assert_eq!(
        (
            history[0].from_status.as_str(),
            history[0].to_status.as_str()
        ),
        ("", "pending")
    );

    // Domain events: created, then one per change, in the same transactions.
    let events = DomainEvent::of_entity(&mut c, a.id).await.expect("events");
    let kinds: Vec<(&str, Value)> = events
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.payload.get("to").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("order.created", Value::Null),
            ("order.status_changed", json!("confirmed")),
            ("order.status_changed", json!("processing")),
            ("order.status_changed", json!("shipped")),
            ("order.status_changed", json!("delivered")),
            ("order.status_changed", json!("refunded")),
        ]
    );
    assert_eq!(
        events[1].payload,
        json!({"from": "pending", "to": "confirmed", "order_number": a.order_number, "total": a.total, "currency": a.currency})
    );

    // Every change is audited with a from/to diff.
    let r = app
        .gql(
            &admin,
            "{ auditLog(entityType: \"order\", limit: 200) { items { action entityType entityId changes userType } } }",
            json!({}),
        )
        .await
        .ok();
    let entries: Vec<Value> = r
        .data("auditLog.items")
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["entityId"] == json!(a.id))
        .cloned()
        .collect();
    assert_eq!(entries.len(), 5);
    assert!(
        entries
            .iter()
            .all(|e| e["action"] == "update_status" && e["entityType"] == "order")
    );
    assert!(entries.iter().any(|e| e["changes"]["status"]
        == json!({"from": "delivered", "to": "refunded"})
        && e["userType"] == "api_key"));
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_gives_stock_back_exactly_once() {
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let mut c = db(&app).await;
    let plain = product(&mut c, false).await;
    let varied = product(&mut c, true).await;
    let first = warehouse(&mut c, 0, true, false).await;
    let second = warehouse(&mut c, 5, true, false).await;
    put_stock(&mut c, first, plain, 3).await;
    put_stock(&mut c, second, plain, 10).await;
    put_stock(&mut c, second, varied, 4).await;
    let o = order(&mut c, None, None, "pending", 100, &[(Some(plain.0), 5)]).await;
    let lines = [(plain.0, None, 5), (varied.0, varied.1, 4)];
    let taken = c
        .transaction::<_, StockError, _>(async |tx| stock::deduct_for_order(tx, o.id, &lines).await)
        .await
        .expect("deduct");
    // Greedy by priority: 3 from the first warehouse, 2 from the second.
    assert_eq!(taken.len(), 3);
    assert_eq!(stock_in(&mut c, first, plain).await, 0);
    assert_eq!(stock_in(&mut c, second, plain).await, 8);
    assert_eq!(stock_in(&mut c, second, varied).await, 0);
    assert_eq!(derived(&mut c, plain).await, 8);
    assert_eq!(derived(&mut c, varied).await, 0);
    let sales = stock::sales_of_order(&mut c, o.id).await.expect("sales");
    assert_eq!(sales.iter().map(|s| s.3).sum::<i32>(), -9);

    assert_eq!(set_status(&app, &admin, o.id, "confirmed").await.0, 200);
    assert_eq!(
        stock_in(&mut c, first, plain).await,
        0,
        "confirming keeps stock"
    );
    let (s, b) = set_status(&app, &admin, o.id, "cancelled").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(stock_in(&mut c, first, plain).await, 3);
    assert_eq!(stock_in(&mut c, second, plain).await, 10);
    assert_eq!(stock_in(&mut c, second, varied).await, 4);
    assert_eq!(derived(&mut c, plain).await, 13);
    assert_eq!(derived(&mut c, varied).await, 4);
    // A second restore changes nothing.
    assert_eq!(
        stock::restore_for_order(&mut c, o.id).await.expect("again"),
        0
    );
    assert_eq!(stock_in(&mut c, first, plain).await, 3);
    assert_eq!(derived(&mut c, plain).await, 13);
    #[derive(diesel::QueryableByName)]
    struct Movement {
        #[diesel(sql_type = Text)]
        movement_type: String,
        #[diesel(sql_type = Integer)]
        quantity: i32,
        #[diesel(sql_type = Text)]
        reference: String,
    }
    let moves: Vec<Movement> = diesel::sql_query(
        "SELECT movement_type, quantity, reference FROM stock_movements WHERE order_id = $1
          ORDER BY movement_type, quantity",
    )
    .bind::<SqlUuid, _>(o.id)
    .load(&mut c)
    .await
    .expect("moves");
    let returns: Vec<&Movement> = moves
        .iter()
        .filter(|m| m.movement_type == "return")
        .collect();
    assert_eq!(returns.len(), 3);
    assert_eq!(returns.iter().map(|m| m.quantity).sum::<i32>(), 9);
    assert!(
        returns
            .iter()
            .all(|m| m.reference == format!("restore:order:{}", o.id))
    );
    assert!(
        moves
            .iter()
            .filter(|m| m.movement_type == "sale")
            .all(|m| m.reference == format!("order:{}", o.id))
    );

    // Refunding (the other restoring status) restores too, once.
    let p = order(&mut c, None, None, "pending", 100, &[(Some(plain.0), 2)]).await;
    c.transaction::<_, StockError, _>(async |tx| {
        stock::deduct_for_order(tx, p.id, &[(plain.0, None, 2)]).await
    })
    .await
    .expect("deduct");
    assert_eq!(derived(&mut c, plain).await, 11);
    for s in [
        "confirmed",
        "processing",
        "shipped",
        "delivered",
        "refunded",
    ] {
        assert_eq!(set_status(&app, &admin, p.id, s).await.0, 200);
    }
    assert_eq!(derived(&mut c, plain).await, 13);
}

#[tokio::test(flavor = "multi_thread")]
async fn deduction_takes_remainders_from_allow_negative_warehouses_or_refuses() {
    let app = TestApp::new().await;
    let mut c = db(&app).await;
    let a = product(&mut c, false).await;
    let b = product(&mut c, false).await;
    let main = warehouse(&mut c, 0, true, false).await;
    let closed = warehouse(&mut c, 1, false, false).await;
    let backorder = warehouse(&mut c, 9, true, true).await;
    put_stock(&mut c, main, a, 2).await;
    put_stock(&mut c, closed, a, 50).await;
    put_stock(&mut c, backorder, a, 0).await;
    put_stock(&mut c, main, b, 1).await;
    let o = order(&mut c, None, None, "pending", 1, &[]).await;

    // b has no allow-negative row: the whole deduction is refused and nothing changes.
    let err = c
        .transaction::<_, StockError, _>(async |tx| {
            stock::deduct_for_order(tx, o.id, &[(a.0, None, 5), (b.0, None, 2)]).await
        })
        .await
        .expect_err("insufficient");
    assert!(
        matches!(err, StockError::InsufficientStock { product_id, variant_id: None } if product_id == b.0),
        "{err:?}"
    );
    assert_eq!(stock_in(&mut c, main, a).await, 2);
    assert!(
        stock::sales_of_order(&mut c, o.id)
            .await
            .expect("sales")
            .is_empty()
    );

    // The inactive warehouse is skipped; the allow-negative one takes the remainder.
    c.transaction::<_, StockError, _>(async |tx| {
        stock::deduct_for_order(tx, o.id, &[(a.0, None, 3), (a.0, None, 2)]).await
    })
    .await
    .expect("deduct");
    assert_eq!(stock_in(&mut c, main, a).await, 0);
    assert_eq!(stock_in(&mut c, closed, a).await, 50);
    assert_eq!(stock_in(&mut c, backorder, a).await, -3);
    assert_eq!(derived(&mut c, a).await, -3);
    let bad = c
        .transaction::<_, StockError, _>(async |tx| {
            stock::deduct_for_order(tx, o.id, &[(a.0, None, 0)]).await
        })
        .await;
    assert!(matches!(bad, Err(StockError::InvalidQuantity { .. })));
    assert_eq!(
        stock::restore_for_order(&mut c, o.id)
            .await
            .expect("restore"),
        5
    );
    assert_eq!(stock_in(&mut c, main, a).await, 2);
    assert_eq!(stock_in(&mut c, backorder, a).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_multi_item_deductions_never_deadlock_or_oversell() {
    let app = TestApp::new().await;
    let mut c = db(&app).await;
    let first = warehouse(&mut c, 0, true, false).await;
    let second = warehouse(&mut c, 1, true, false).await;
    let mut lines = Vec::new();
    for i in 0..3 {
        let p = product(&mut c, i == 1).await;
        put_stock(&mut c, first, p, 8).await;
        put_stock(&mut c, second, p, 7).await;
        lines.push(p);
    }
    let mut orders = Vec::new();
    for _ in 0..20 {
        orders.push(order(&mut c, None, None, "pending", 1, &[]).await.id);
    }
    let mut tasks = Vec::new();
    for (i, oid) in orders.into_iter().enumerate() {
        let url = app.db_url.clone();
        let mut set: Vec<(Uuid, Option<Uuid>, i32)> = lines.iter().map(|l| (l.0, l.1, 1)).collect();
        if i % 2 == 1 {
            set.reverse();
        }
        tasks.push(tokio::spawn(async move {
            let mut conn = stoa_db::pool::establish(&url).await.expect("conn");
            conn.transaction::<_, StockError, _>(async |tx| {
                let d = stock::deduct_for_order(tx, oid, &set).await?;
                // Hold the locks a moment so that the transactions really overlap.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                Ok(d)
            })
            .await
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.expect("join") {
            Ok(_) => ok += 1,
            Err(StockError::InsufficientStock { .. }) => refused += 1,
            Err(e) => panic!("unexpected failure (deadlock?): {e:?}"),
        }
    }
    assert_eq!((ok, refused), (15, 5));
    for l in &lines {
        assert_eq!(stock_in(&mut c, first, *l).await, 0);
        assert_eq!(stock_in(&mut c, second, *l).await, 0);
        assert_eq!(derived(&mut c, *l).await, 0);
    }
}

fn insert_bare_order(
    conn: &mut AsyncPgConnection,
    number: String,
) -> stoa_db::models::orders::InsertFuture<'_, Uuid> {
    Box::pin(async move {
        let id = Uuid::now_v7();
        diesel::sql_query("INSERT INTO orders (id, order_number) VALUES ($1, $2)")
            .bind::<SqlUuid, _>(id)
            .bind::<Text, _>(number)
            .execute(conn)
            .await?;
        Ok(id)
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn order_numbers_retry_after_a_collision() {
    let app = TestApp::new().await;
    let mut c = db(&app).await;
    let taken = order(&mut c, None, None, "pending", 1, &[]).await;
    let fresh = stoa_resolvers::domain::orders::new_order_number().expect("number");
    let mut offered = vec![fresh.clone(), taken.order_number.clone()];
    let mut tried = Vec::new();
    // Inside an outer transaction, as the checkout will call it: the collision must not
    // abort the transaction.
    let id = c
        .transaction::<_, stoa_db::DbError, _>(async |tx| {
            stoa_db::models::orders::insert_with_unique_number(
                tx,
                || {
                    let n = offered.pop();
                    tried.extend(n.clone());
                    n
                },
                insert_bare_order,
            )
            .await
        })
        .await
        .expect("inserted after a retry");
    assert_eq!(tried, [taken.order_number.clone(), fresh.clone()]);
    let row = Order::by_id(&mut c, id).await.expect("read").expect("row");
    assert_eq!(row.order_number, fresh);
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_see_only_their_orders_and_guests_need_the_token() {
    let app = TestApp::new().await;
    app.seed_demo().await;
    let (alice, _) = app.customer().await;
    let (bob, _) = app.customer().await;
    let alice_id = customer_id(&app, &alice).await;
    let bob_id = customer_id(&app, &bob).await;
    let mut c = db(&app).await;
    let mut mine = Vec::new();
    for total in [100, 200, 300] {
        mine.push(
            order(
                &mut c,
                Some(alice_id),
                None,
                "pending",
                total,
                &[(None, 1), (None, 2)],
            )
            .await,
        );
    }
    let bobs = order(&mut c, Some(bob_id), None, "pending", 50, &[(None, 1)]).await;
    let token = "0123456789abcdef".repeat(4);
    let guest = order(&mut c, None, Some(&token), "pending", 70, &[(None, 1)]).await;
    diesel::sql_query(
        "INSERT INTO payment_transactions (order_id, status, currency, amount, provider_reference)
         VALUES ($1, 'completed', 'EUR', 70, 'pi_guest'), ($2, 'pending', 'EUR', 50, 'pi_bob')",
    )
    .bind::<SqlUuid, _>(guest.id)
    .bind::<SqlUuid, _>(bobs.id)
    .execute(&mut c)
    .await
    .expect("transactions");

    // REST: own orders with items, paginated (the reference ignores page/limit).
    let (s, l) = get(&app, "/api/v1/store/account/orders?limit=2", &alice).await;
    assert_eq!(s, 200, "{l}");
    assert_eq!(
        l["meta"],
        json!({"total": 3, "page": 1, "limit": 2, "pages": 2})
    );
    assert_eq!(
        numbers(&l["data"]),
        [mine[2].order_number.as_str(), mine[1].order_number.as_str()]
    );
    assert_eq!(l["data"][0]["items"].as_array().expect("items").len(), 2);
    assert!(l["data"][0].get("guest_token").is_none());
    assert!(l["data"][0].get("status_history").is_none());
    assert_eq!(keys(&l["data"][0]).last(), Some(&"items"));
    let (_, p2) = get(&app, "/api/v1/store/account/orders?limit=2&page=2", &alice).await;
    assert_eq!(numbers(&p2["data"]), [mine[0].order_number.as_str()]);
    let (s, e) = get(&app, "/api/v1/store/account/orders", &Auth::None).await;
    assert_eq!(
        (s, e["errors"][0]["code"].clone()),
        (401, json!("unauthorized"))
    );
    let (_, empty) = get(&app, "/api/v1/store/account/orders", &bob).await;
    assert_eq!(empty["meta"]["total"], 1);

    // GraphQL: another customer's order is NOT_FOUND, one's own is there.
    let q = "query($id: UUID!) { myOrder(id: $id) { orderNumber guestToken items { quantity } } }";
    let r = app.gql(&bob, q, json!({"id": mine[0].id})).await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app.gql(&bob, q, json!({"id": DEMO1})).await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app.gql(&alice, q, json!({"id": mine[0].id})).await.ok();
    assert_eq!(r.data("myOrder.orderNumber"), &json!(mine[0].order_number));
    let r = app.gql(&Auth::None, q, json!({"id": mine[0].id})).await;
    assert_eq!(r.code(), "UNAUTHENTICATED");
    let staff = app.staff("admin").await;
    assert_eq!(
        app.gql(&staff, q, json!({"id": mine[0].id})).await.code(),
        "FORBIDDEN"
    );

    // Store transactions: the owner, or the guest token by cookie or query.
    let bob_tx = format!("/api/v1/store/orders/{}/transactions", bobs.id);
    let (s, t) = get(&app, &bob_tx, &bob).await;
    assert_eq!((s, t["meta"]["total"].clone()), (200, json!(1)));
    let (s, e) = get(&app, &bob_tx, &alice).await;
    assert_eq!(
        (s, e["errors"][0]["detail"].clone()),
        (404, json!("order not found"))
    );
    let guest_tx = format!("/api/v1/store/orders/{}/transactions", guest.id);
    assert_eq!(get(&app, &guest_tx, &Auth::None).await.0, 404);
    let (s, _) = get(
        &app,
        &format!("{guest_tx}?guest_token={}", "f".repeat(64)),
        &Auth::None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, t) = get(
        &app,
        &format!("{guest_tx}?guest_token={token}"),
        &Auth::None,
    )
    .await;
    assert_eq!(s, 200, "{t}");
    assert_eq!(t["data"][0]["provider_reference"], "pi_guest");
    let cookie = format!("theme=dark; stoa_guest_token={token}");
    let (s, t) = rest(
        &app,
        Method::GET,
        &guest_tx,
        &Auth::None,
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!((s, t["meta"]["total"].clone()), (200, json!(1)));
    // A guest token opens only its own order.
    let (s, _) = get(&app, &format!("{bob_tx}?guest_token={token}"), &Auth::None).await;
    assert_eq!(s, 404);

    // GraphQL guest lookup needs the right token and never shows it.
    let gq = "query($id: UUID!, $t: String!) { guestOrder(id: $id, guestToken: $t) { orderNumber isGuestOrder guestToken } }";
    let r = app
        .gql(
            &Auth::None,
            gq,
            json!({"id": guest.id, "t": "f".repeat(64)}),
        )
        .await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app
        .gql(&Auth::None, gq, json!({"id": bobs.id, "t": token}))
        .await;
    assert_eq!(r.code(), "NOT_FOUND");
    let r = app
        .gql(&Auth::None, gq, json!({"id": guest.id, "t": token}))
        .await
        .ok();
    assert_eq!(r.data("guestOrder.isGuestOrder"), &json!(true));
    assert_eq!(r.data("guestOrder.guestToken"), &Value::Null);
    // Staff see the token.
    let (_, d) = get(&app, &format!("/api/v1/admin/orders/{}", guest.id), &staff).await;
    assert_eq!(d["data"]["guest_token"], json!(token));
    assert_eq!(
        keys(&d["data"])[..4],
        ["id", "order_number", "guest_token", "status"]
    );
}
