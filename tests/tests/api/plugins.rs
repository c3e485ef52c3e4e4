//! Plugins: a before-hook cancels the operation with its message on every surface; an
//! after-hook sees the committed result.

use std::sync::{Arc, Mutex};

use serde_json::json;
use stoa_plugin_sdk::{HookError, Plugin, PluginContext, PluginError, hooks};
use stoa_tests::TestApp;

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
