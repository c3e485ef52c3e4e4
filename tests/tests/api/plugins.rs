//! Plugins: a before-hook cancels the operation with its message on every surface; an
//! after-hook sees the committed result.

use std::sync::{Arc, Mutex};

use serde_json::json;
use stoa_plugin_sdk::{HookError, HookEvent, Plugin, PluginContext, PluginError, hooks};
use stoa_tests::{Auth, TestApp};

/// Refuses products whose SKU starts with `BANNED`; records the SKUs created after commit
/// together with whether the product row was visible from another connection.
#[derive(Clone, Default)]
struct SkuPolice {
    created: Arc<Mutex<Vec<(String, bool)>>>,
}

impl Plugin for SkuPolice {
    fn name(&self) -> &'static str {
        "sku_police"
    }
    fn version(&self) -> &'static str {
        "0.0.1"
    }
    fn description(&self) -> &'static str {
        "test plugin"
    }
    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
        ctx.on(hooks::PRODUCT_BEFORE_CREATE, |e| async move {
            let sku = e.entity["sku"].as_str().unwrap_or_default().to_owned();
            if sku.starts_with("BANNED") {
                Err(HookError::new(format!("SKU {sku} is banned")))
            } else {
                Ok(())
            }
        })?;
        let created = self.created.clone();
        let pool = ctx.pool.clone().ok_or_else(|| ctx.fail("needs the pool"))?;
        ctx.on(hooks::PRODUCT_AFTER_CREATE, move |e| {
            let (created, pool) = (created.clone(), pool.clone());
            async move {
                use diesel::prelude::*;
                use diesel_async::RunQueryDsl;
                use stoa_db::schema::products;
                let id: uuid::Uuid = serde_json::from_value(e.entity["id"].clone())
                    .map_err(|e| HookError::new(e.to_string()))?;
                let mut c = stoa_db::pool::conn(&pool)
                    .await
                    .map_err(|e| HookError::new(e.to_string()))?;
                let visible = products::table
                    .find(id)
                    .select(products::id)
                    .first::<uuid::Uuid>(&mut c)
                    .await
                    .optional()
                    .map_err(|e| HookError::new(e.to_string()))?
                    .is_some();
                let sku = e.entity["sku"].as_str().unwrap_or_default().to_owned();
                created
                    .lock()
                    .map_err(|_| HookError::new("poisoned"))?
                    .push((sku, visible));
                Ok(())
            }
        })
    }
}

const CREATE: &str = "mutation($i: ProductInput!) { createProduct(input: $i) { id sku } }";

fn product(sku: &str) -> serde_json::Value {
    json!({"i": {"sku": sku, "active": true, "priceGross": 1000, "priceNet": 840,
        "translations": [{"locale": "en-US", "name": sku, "slug": sku.to_lowercase()}]}})
}

#[tokio::test(flavor = "multi_thread")]
async fn before_hooks_cancel_and_after_hooks_see_the_commit() {
    let police = SkuPolice::default();
    let app = TestApp::with_plugins(vec![Arc::new(police.clone())], |_| {}).await;
    let admin = app.staff("admin").await;

    let refused = app.gql(&admin, CREATE, product("BANNED-1")).await;
    assert_eq!(refused.code(), "REJECTED");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "SKU BANNED-1 is banned"
    );
    // Nothing was written.
    let listed = app
        .gql(&admin, "{ adminProducts(limit: 50) { total } }", json!({}))
        .await
        .ok();
    assert_eq!(listed.data("adminProducts.total"), 0);

    // The REST route shows the same refusal as 422.
    let stoa_tests::Auth::Bearer(token) = &admin else {
        panic!("bearer")
    };
    let r = app
        .http()
        .post(app.url("/api/v1/admin/products"))
        .bearer_auth(token)
        .json(
            &json!({"sku": "BANNED-2", "currency": "EUR", "price_gross": 100,
            "translations": [{"locale": "en-US", "name": "x", "slug": "x"}]}),
        )
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["errors"][0]["detail"], "SKU BANNED-2 is banned");

    app.gql(&admin, CREATE, product("FINE-1")).await.ok();
    let created = police.created.lock().map(|c| c.clone()).unwrap_or_default();
    assert_eq!(created, [("FINE-1".to_owned(), true)]);
}

#[tokio::test(flavor = "multi_thread")]
async fn plugins_without_configuration_register_nothing() {
    // The built-in example plugin is present but unconfigured: products are created freely.
    let app = TestApp::new().await;
    let admin = app.staff("admin").await;
    let r = app.gql(&admin, CREATE, product("BANNED-3")).await.ok();
    assert_eq!(r.data("createProduct.sku"), "BANNED-3");
}

/// Refuses cancellations; records the transitions it saw after commit.
#[derive(Clone, Default)]
struct NoCancel {
    seen: Arc<Mutex<Vec<(String, String, String)>>>,
}

impl Plugin for NoCancel {
    fn name(&self) -> &'static str {
        "no_cancel"
    }
    fn version(&self) -> &'static str {
        "0.0.1"
    }
    fn description(&self) -> &'static str {
        "test plugin"
    }
    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
        ctx.on(hooks::ORDER_BEFORE_UPDATE, |e| async move {
            if e.changes["to_status"] == "cancelled" {
                Err(HookError::new("orders are never cancelled here"))
            } else {
                Ok(())
            }
        })?;
        let seen = self.seen.clone();
        ctx.on(hooks::ORDER_AFTER_UPDATE, move |e| {
            let seen = seen.clone();
            async move {
                let row = (
                    e.entity["orderNumber"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    e.changes["from_status"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    e.entity["status"].as_str().unwrap_or_default().to_owned(),
                );
                seen.lock()
                    .map_err(|_| HookError::new("poisoned"))?
                    .push(row);
                Ok(())
            }
        })
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn order_status_hooks_can_refuse_and_see_the_change() {
    let plugin = NoCancel::default();
    let app = TestApp::with_plugins(vec![Arc::new(plugin.clone())], |_| {}).await;
    app.seed_demo().await;
    let admin = app.staff("admin").await;
    let demo2 = "0d000000-0000-4000-800f-000000000002";
    const SET: &str =
        "mutation($id: UUID!, $s: String!) { updateOrderStatus(id: $id, status: $s) { status } }";
    let refused = app
        .gql(&admin, SET, json!({"id": demo2, "s": "cancelled"}))
        .await;
    assert_eq!(refused.code(), "REJECTED");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "orders are never cancelled here"
    );
    let ok = app
        .gql(&admin, SET, json!({"id": demo2, "s": "confirmed"}))
        .await
        .ok();
    assert_eq!(ok.data("updateOrderStatus.status"), "confirmed");
    let seen = plugin.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(
        seen,
        [(
            "ORD-20260301-DEMO2".to_owned(),
            "pending".to_owned(),
            "confirmed".to_owned()
        )]
    );
}

/// Records every hook event it sees, in order; refuses the before-hooks named in `refuse`
/// with the message `no <hook> today`.
#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<HookEvent>>>,
    refuse: Vec<&'static str>,
}

impl Recorder {
    fn refusing(refuse: Vec<&'static str>) -> Self {
        Self {
            refuse,
            ..Self::default()
        }
    }

    /// Takes what was recorded so far.
    fn take(&self) -> Vec<HookEvent> {
        self.seen
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }
}

impl Plugin for Recorder {
    fn name(&self) -> &'static str {
        "recorder"
    }
    fn version(&self) -> &'static str {
        "0.0.1"
    }
    fn description(&self) -> &'static str {
        "test plugin"
    }
    fn init(&self, ctx: &mut PluginContext<'_>) -> Result<(), PluginError> {
        for name in hooks::ALL {
            let seen = self.seen.clone();
            let refuse = self.refuse.contains(name);
            ctx.on(name, move |e| {
                let seen = seen.clone();
                async move {
                    let message = format!("no {} today", e.name);
                    seen.lock().map_err(|_| HookError::new("poisoned"))?.push(e);
                    if refuse {
                        Err(HookError::new(message))
                    } else {
                        Ok(())
                    }
                }
            })?;
        }
        Ok(())
    }
}

const DEFAULT_WAREHOUSE: &str = "00000000-0000-0000-0000-000000000001";

/// Runs an operation that must succeed and returns `data.<field>`.
async fn run(
    app: &TestApp,
    auth: &Auth,
    query: &str,
    vars: serde_json::Value,
) -> serde_json::Value {
    let r = app.gql(auth, query, vars).await.ok();
    let field = r.body["data"]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .expect("one field");
    r.data(&field).clone()
}

/// Creates a product with `stock` units in the default warehouse; returns its id.
async fn stocked_product(app: &TestApp, admin: &Auth, sku: &str, stock: i32) -> String {
    let p = run(app, admin, CREATE, product(sku)).await;
    let id = p["id"].as_str().expect("id").to_owned();
    run(
        app,
        admin,
        "mutation($w: UUID!, $i: [StockLineInput!]!) { setWarehouseStock(warehouseId: $w, items: $i) { id quantity } }",
        json!({"w": DEFAULT_WAREHOUSE, "i": [{"productId": id, "quantity": stock}]}),
    )
    .await;
    id
}

fn names(events: &[HookEvent]) -> Vec<&str> {
    events.iter().map(|e| e.name.as_str()).collect()
}

/// Takes what `rec` recorded and checks the hook names, in order.
#[track_caller]
fn recorded(rec: &Recorder, expected: &[&str]) -> Vec<HookEvent> {
    let events = rec.take();
    assert_eq!(names(&events), expected);
    events
}

fn find<'a>(events: &'a [HookEvent], name: &str) -> &'a HookEvent {
    events
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} was not fired"))
}

/// Create, update and delete through GraphQL, returning the created id.
async fn crud(app: &TestApp, admin: &Auth, family: &str, create: &str, update: &str) -> String {
    let created = run(
        app,
        admin,
        &format!("mutation {{ create{family}(input: {create}) {{ id }} }}"),
        json!({}),
    )
    .await;
    let id = created["id"].as_str().expect("id").to_owned();
    run(
        app,
        admin,
        &format!("mutation($id: UUID!) {{ update{family}(id: $id, input: {update}) {{ id }} }}"),
        json!({"id": id}),
    )
    .await;
    run(
        app,
        admin,
        &format!("mutation($id: UUID!) {{ delete{family}(id: $id) }}"),
        json!({"id": id}),
    )
    .await;
    id
}

fn crud_names(family: &str) -> Vec<String> {
    ["create", "update", "delete"]
        .iter()
        .flat_map(|a| {
            [
                format!("{family}.before_{a}"),
                format!("{family}.after_{a}"),
            ]
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_hook_family_fires_with_its_payload() {
    let rec = Recorder::default();
    let app = TestApp::with_plugins(vec![Arc::new(rec.clone())], |_| {}).await;
    let admin = app.staff("super_admin").await;

    // Admin CRUD families: before/after of create, update and delete, in order.
    let families = [
        (
            "Category",
            "category",
            r#"{translations: [{locale: "en-US", name: "Shoes", slug: "shoes"}]}"#,
            r#"{active: false, translations: [{locale: "en-US", name: "Boots", slug: "boots"}]}"#,
        ),
        (
            "Tag",
            "tag",
            r#"{name: "Sale", slug: "sale"}"#,
            r#"{name: "Big sale", slug: "sale"}"#,
        ),
        (
            "TaxRule",
            "tax",
            r#"{name: "Std", rate: 1900, countryCode: "DE"}"#,
            r#"{name: "Std", rate: 700, countryCode: "DE"}"#,
        ),
        (
            "ShippingMethod",
            "shipping",
            r#"{priceGross: 490, translations: [{locale: "en-US", name: "Parcel"}]}"#,
            r#"{priceGross: 590}"#,
        ),
        (
            "PaymentMethod",
            "payment_method",
            r#"{translations: [{locale: "en-US", name: "Invoice"}]}"#,
            r#"{active: false}"#,
        ),
        (
            "Discount",
            "discount",
            r#"{code: "TEN", type: "percentage", value: 1000}"#,
            r#"{value: 500}"#,
        ),
        (
            "Warehouse",
            "warehouse",
            r#"{name: "North", code: "NORTH"}"#,
            r#"{name: "North 2", code: "NORTH"}"#,
        ),
    ];
    for (family, hook, create, update) in families {
        let id = crud(&app, &admin, family, create, update).await;
        let events = rec.take();
        assert_eq!(names(&events), crud_names(hook), "{family}");
        // After-create and after-update see the committed entity; deletes name the id.
        assert_eq!(events[1].entity["id"], id.as_str(), "{family}");
        assert_eq!(events[2].entity["id"], id.as_str(), "{family}");
        assert_eq!(events[3].entity["id"], id.as_str(), "{family}");
        assert_eq!(events[4].entity, json!({"id": id}), "{family}");
        assert_eq!(events[5].entity, json!({"id": id}), "{family}");
    }

    // Media: upload and delete.
    let up = crate::media::gql_upload(
        &app,
        &admin,
        Some((crate::media::PNG, "dot.png", "image/png")),
        None,
    )
    .await
    .ok();
    let media_id = up.data("uploadMedia.id").as_str().expect("id").to_owned();
    run(
        &app,
        &admin,
        "mutation($id: UUID!) { deleteMedia(id: $id) }",
        json!({"id": media_id}),
    )
    .await;
    let events = recorded(
        &rec,
        &[
            "media.before_upload",
            "media.after_upload",
            "media.before_delete",
            "media.after_delete",
        ],
    );
    assert_eq!(events[0].entity["mimeType"], "image/png");
    assert!(
        events[0].entity.get("id").is_none(),
        "nothing is stored yet"
    );
    assert_eq!(events[1].entity["id"], media_id.as_str());
    assert_eq!(events[3].entity["filename"], "dot.png");

    // Stock: one before/after pair per line.
    let product_id = stocked_product(&app, &admin, "HOOKED-1", 5).await;
    let events = recorded(
        &rec,
        &[
            "product.before_create",
            "product.after_create",
            "warehouse.before_stock_update",
            "warehouse.after_stock_update",
        ],
    );
    assert_eq!(
        serde_json::Value::Object(events[2].metadata.clone()),
        json!({"warehouse_id": DEFAULT_WAREHOUSE, "product_id": product_id, "variant_id": null, "quantity": 5})
    );
    assert_eq!(events[3].entity["quantity"], 5);
    assert_eq!(events[3].entity["warehouseId"], DEFAULT_WAREHOUSE);

    // Customers: registration, admin update.
    let email = "hooked@example.com";
    let customer = app.register(email, "customer-password-1").await;
    let customer_id = customer["id"].as_str().expect("id").to_owned();
    run(
        &app,
        &admin,
        "mutation($id: UUID!) { updateCustomer(id: $id, input: {firstName: \"Ann\"}) { id } }",
        json!({"id": customer_id}),
    )
    .await;
    let events = recorded(
        &rec,
        &[
            "customer.before_create",
            "customer.after_create",
            "customer.before_update",
            "customer.after_update",
        ],
    );
    assert_eq!(events[0].entity["email"], email);
    assert_eq!(events[1].entity["id"], customer_id.as_str());
    assert!(events[1].entity.get("passwordHash").is_none());
    assert_eq!(
        events[2].entity,
        json!({"id": customer_id, "firstName": "Ann"})
    );
    assert_eq!(events[3].entity["firstName"], "Ann");

    // Cart lines: add, update, remove, add again.
    let shopper = Auth::Bearer(app.login(email, "customer-password-1").await.access);
    let cart = run(&app, &shopper, "mutation { createCart { id } }", json!({})).await;
    let cart_id = cart["id"].as_str().expect("id").to_owned();
    const ADD: &str = "mutation($c: UUID!, $i: AddToCartInput!) { addToCart(cartId: $c, input: $i) { items { id quantity } } }";
    let added = run(
        &app,
        &shopper,
        ADD,
        json!({"c": cart_id, "i": {"productId": product_id, "quantity": 1}}),
    )
    .await;
    let item_id = added["items"][0]["id"].as_str().expect("item").to_owned();
    run(
        &app,
        &shopper,
        "mutation($c: UUID!, $i: UUID!) { updateCartItem(cartId: $c, itemId: $i, quantity: 3) { id } }",
        json!({"c": cart_id, "i": item_id}),
    )
    .await;
    run(
        &app,
        &shopper,
        "mutation($c: UUID!, $i: UUID!) { removeCartItem(cartId: $c, itemId: $i) { id } }",
        json!({"c": cart_id, "i": item_id}),
    )
    .await;
    run(
        &app,
        &shopper,
        ADD,
        json!({"c": cart_id, "i": {"productId": product_id, "quantity": 2}}),
    )
    .await;
    let events = recorded(
        &rec,
        &[
            "cart.before_add_item",
            "cart.after_add_item",
            "cart.before_update_item",
            "cart.after_update_item",
            "cart.before_remove_item",
            "cart.after_remove_item",
            "cart.before_add_item",
            "cart.after_add_item",
        ],
    );
    assert_eq!(events[0].entity["productId"], product_id.as_str());
    assert_eq!(events[0].entity["quantity"], 1);
    assert_eq!(events[1].entity["id"], item_id.as_str());
    assert_eq!(events[1].entity["cartId"], cart_id.as_str());
    for (e, quantity) in [
        (&events[2], 3),
        (&events[3], 3),
        (&events[4], 0),
        (&events[5], 0),
    ] {
        assert_eq!(e.changes["item_id"], item_id.as_str(), "{}", e.name);
        assert_eq!(e.changes["quantity"], quantity, "{}", e.name);
    }
    assert_eq!(events[3].entity["quantity"], 3);
    assert_eq!(events[7].entity["quantity"], 2);

    // Checkout: the order hooks and the stock it took.
    let address = json!({"firstName": "Ann", "lastName": "Lee", "street": "Main 1", "city": "Berlin", "postalCode": "10115", "country": "DE"});
    let placed = run(
        &app,
        &shopper,
        "mutation($i: CheckoutInput!) { checkout(input: $i) { order { id total } } }",
        json!({"i": {"cartId": cart_id, "billingAddress": address, "shippingAddress": address}}),
    )
    .await;
    let order_id = placed["order"]["id"].as_str().expect("order").to_owned();
    let events = recorded(
        &rec,
        &[
            "checkout.before",
            "order.before_create",
            "checkout.after",
            "order.after_create",
            "warehouse.after_stock_deduct",
        ],
    );
    let draft = find(&events, "order.before_create");
    assert!(
        draft.entity.get("id").is_none(),
        "the order is not written yet"
    );
    assert_eq!(draft.entity["total"], placed["order"]["total"]);
    assert_eq!(
        find(&events, "order.after_create").entity["id"],
        order_id.as_str()
    );
    let deduct = find(&events, "warehouse.after_stock_deduct");
    let items = deduct.metadata["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["warehouse_id"], DEFAULT_WAREHOUSE);
    assert_eq!(items[0]["product_id"], product_id.as_str());
    assert_eq!(items[0]["quantity"], 2);
    assert_eq!(deduct.entity["id"], order_id.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn refusing_before_hooks_cancel_cart_order_and_category_writes() {
    let rec = Recorder::refusing(vec![
        hooks::CART_BEFORE_ADD_ITEM,
        hooks::ORDER_BEFORE_CREATE,
        hooks::CATEGORY_BEFORE_DELETE,
    ]);
    let app = TestApp::with_plugins(vec![Arc::new(rec.clone())], |_| {}).await;
    let admin = app.staff("super_admin").await;

    // A category that cannot be deleted, over GraphQL and REST.
    let category = run(
        &app,
        &admin,
        r#"mutation { createCategory(input: {translations: [{locale: "en-US", name: "Keep", slug: "keep"}]}) { id } }"#,
        json!({}),
    )
    .await;
    let category_id = category["id"].as_str().expect("id").to_owned();
    let refused = app
        .gql(
            &admin,
            "mutation($id: UUID!) { deleteCategory(id: $id) }",
            json!({"id": category_id}),
        )
        .await;
    assert_eq!(refused.code(), "REJECTED");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "no category.before_delete today"
    );
    let stoa_tests::Auth::Bearer(token) = &admin else {
        panic!("bearer")
    };
    let r = app
        .http()
        .delete(app.url(&format!("/api/v1/admin/categories/{category_id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["errors"][0]["code"], "rejected");
    assert_eq!(
        body["errors"][0]["detail"],
        "no category.before_delete today"
    );
    let kept = run(
        &app,
        &admin,
        "query($id: UUID!) { adminCategory(id: $id) { id } }",
        json!({"id": category_id}),
    )
    .await;
    assert_eq!(kept["id"], category_id.as_str());

    // A cart line that cannot be added.
    let product_id = stocked_product(&app, &admin, "REFUSED-1", 5).await;
    let cart = run(
        &app,
        &Auth::None,
        "mutation { createCart { id sessionId } }",
        json!({}),
    )
    .await;
    let (cart_id, session) = (
        cart["id"].as_str().expect("id"),
        cart["sessionId"].as_str().expect("session"),
    );
    let refused = app
        .gql(
            &Auth::None,
            "mutation($c: UUID!, $s: String, $i: AddToCartInput!) { addToCart(cartId: $c, sessionId: $s, input: $i) { id } }",
            json!({"c": cart_id, "s": session, "i": {"productId": product_id, "quantity": 1}}),
        )
        .await;
    assert_eq!(refused.code(), "REJECTED");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "no cart.before_add_item today"
    );
    let items = run(
        &app,
        &Auth::None,
        "query($c: UUID!, $s: String) { cart(id: $c, sessionId: $s) { items { id } } }",
        json!({"c": cart_id, "s": session}),
    )
    .await;
    assert_eq!(items["items"], json!([]));

    // An order that cannot be created: nothing is written, the stock stays.
    let address = json!({"firstName": "Ann", "lastName": "Lee", "street": "Main 1", "city": "Berlin", "postalCode": "10115", "country": "DE"});
    rec.take();
    let refused = app
        .gql(
            &Auth::None,
            "mutation($i: CheckoutInput!) { checkout(input: $i) { order { id } } }",
            json!({"i": {"items": [{"productId": product_id, "quantity": 2}], "email": "ann@example.com",
                "billingAddress": address, "shippingAddress": address}}),
        )
        .await;
    assert_eq!(refused.code(), "REJECTED");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "no order.before_create today"
    );
    recorded(
        &rec,
        &[
            "checkout.before",
            "order.before_create",
            "checkout.after_failed",
        ],
    );
    let orders = run(&app, &admin, "{ orders { total } }", json!({})).await;
    assert_eq!(orders["total"], 0);
    let stock = run(
        &app,
        &Auth::None,
        "query($id: UUID) { product(id: $id) { stock } }",
        json!({"id": product_id}),
    )
    .await;
    assert_eq!(stock["stock"], 5);
}
