//! Subscriptions. `heartbeat` proves the WebSocket path end to end, including the principal
//! resolved from `connection_init`. The live feeds (`orderEvents`, `myOrderEvents`,
//! `cartEvents`, `stockLevels`) carry committed domain events of every instance (see
//! [`crate::events`]); each is authorized like the query it mirrors, once, when it starts,
//! and ends with `TOKEN_REVOKED` / `TOKEN_EXPIRED` when the access token it was authorized
//! with is revoked (logout, on any instance) or expires.

use std::collections::HashSet;
use std::time::Duration;

use async_graphql::{Context, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use uuid::Uuid;

use crate::commerce::cart::owned_cart;
use crate::domain::auth::Permission;
use crate::domain::auth::Principal;
use crate::domain::orders::OrderStatus;
use crate::error::ApiError;
use crate::events::{
    CartEventData, EventBus, OrderEventData, Session, Shared, StockEventData, feed, shared_feed,
};
use crate::guard::{CustomerGuard, StaffGuard, principal};
use crate::state::AppState;

/// Most products one `stockLevels` subscription may watch.
pub const MAX_WATCHED_PRODUCTS: usize = 100;

/// An order was placed, changed status or had a payment recorded or changed.
#[derive(SimpleObject, Clone)]
pub struct OrderEvent {
    /// `order.created`, `order.status_changed` or `payment.status_changed`.
    pub kind: String,
    pub order_id: Uuid,
    pub order_number: String,
    /// The order's (new) status.
    pub status: String,
    /// The status before the change; null for `order.created` and
    /// `payment.status_changed`.
    pub previous_status: Option<String>,
    /// Total in minor units.
    pub total: i32,
    pub currency: String,
    /// The ordering customer; null for a guest order.
    pub customer_id: Option<Uuid>,
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// The payment of a `payment.status_changed` event; null for the other kinds.
    pub payment: Option<crate::commerce::payments::OrderPaymentEvent>,
}

impl From<OrderEventData> for OrderEvent {
    fn from(d: OrderEventData) -> Self {
        Self {
            kind: d.kind,
            order_id: d.order_id,
            order_number: d.order_number,
            status: d.status,
            previous_status: d.previous_status,
            total: d.total,
            currency: d.currency,
            customer_id: d.customer_id,
            at: d.at,
            payment: d.payment.map(Into::into),
        }
    }
}

/// A cart changed (a line added, changed or removed, or the discount code set); query the
/// cart again for its contents.
#[derive(SimpleObject, Clone)]
pub struct CartEvent {
    pub cart_id: Uuid,
    /// `cart.changed`.
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// A derived stock total changed.
#[derive(SimpleObject, Clone)]
pub struct StockLevel {
    pub product_id: Uuid,
    /// Null for the product's total over all variants.
    pub variant_id: Option<Uuid>,
    /// Units in active warehouses (may be negative with allow-negative warehouses).
    pub stock: i32,
    pub at: DateTime<Utc>,
}

fn bus<'a>(ctx: &Context<'a>) -> Result<&'a EventBus> {
    Ok(&ctx.data::<AppState>()?.events)
}

/// The access token or API key the caller signed in with: its feeds end when the token
/// expires or is revoked, or when the key is revoked (keys do not expire).
fn session(ctx: &Context<'_>) -> Option<Session> {
    match principal(ctx) {
        Principal::Staff { token, .. } | Principal::Customer { token, .. } => Some(Session {
            jti: token.jti,
            expires_at: token.expires_at,
        }),
        Principal::StaffKey { key_id, .. } | Principal::CustomerKey { key_id, .. } => {
            Some(Session {
                jti: *key_id,
                expires_at: Utc::now() + chrono::Duration::days(36_500),
            })
        }
        Principal::Anonymous => None,
    }
}

/// One tick of `heartbeat`.
#[derive(SimpleObject, Clone)]
pub struct Heartbeat {
    /// 1, 2, 3, …
    pub seq: i32,
    pub at: DateTime<Utc>,
    /// `anonymous`, `admin`, `customer` or `api_key`: who the connection is authenticated as.
    pub principal: String,
}

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every order placed or changed in the store (staff with `orders.read`); with `status`,
    /// only the events whose (new) status is that one.
    #[graphql(guard = "StaffGuard(Permission::OrdersRead)")]
    async fn order_events(
        &self,
        ctx: &Context<'_>,
        status: Option<String>,
    ) -> Result<impl Stream<Item = Result<OrderEvent, ApiError>>> {
        let status = match status {
            Some(s) => Some(
                OrderStatus::parse(&s)
                    .ok_or_else(|| ApiError::invalid("status", "unknown order status"))?,
            ),
            None => None,
        };
        // Shareable: the items do not depend on the caller (see `events::Shared`).
        let shared = ctx.data_opt::<Shared>();
        Ok(shared_feed(bus(ctx)?, shared, session(ctx), move |ev| {
            OrderEventData::decode(ev)
                .filter(|d| status.is_none_or(|s| d.status == s.as_str()))
                .map(OrderEvent::from)
        }))
    }

    /// The signed-in customer's own orders as they are placed or change status.
    #[graphql(guard = "CustomerGuard(Permission::StoreOrdersRead)")]
    async fn my_order_events(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<OrderEvent, ApiError>>> {
        let customer = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(crate::error::ErrorCode::Forbidden))?;
        Ok(feed(bus(ctx)?, session(ctx), move |ev| {
            if ev.customer_id != Some(customer) {
                return None;
            }
            OrderEventData::decode(ev).map(OrderEvent::from)
        }))
    }

    /// Changes of a cart the caller owns (the same rule as the `cart` query).
    async fn cart_events(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        #[graphql(desc = "A guest cart's session id")] session_id: Option<String>,
    ) -> Result<impl Stream<Item = Result<CartEvent, ApiError>>> {
        let pool = &ctx.data::<AppState>()?.pool;
        let mut c = stoa_db::pool::conn(pool).await.map_err(ApiError::from)?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        drop(c);
        Ok(feed(bus(ctx)?, session(ctx), move |ev| {
            CartEventData::decode(ev)
                .filter(|d| d.cart_id == cart.id)
                .map(|d| CartEvent {
                    cart_id: d.cart_id,
                    kind: d.kind,
                    at: d.at,
                })
        }))
    }

    /// Stock totals of the given products (1 to 100) as they change: the product's total
    /// (`variantId` null) and each variant's.
    async fn stock_levels(
        &self,
        ctx: &Context<'_>,
        product_ids: Vec<Uuid>,
    ) -> Result<impl Stream<Item = Result<StockLevel, ApiError>>> {
        if product_ids.is_empty() || product_ids.len() > MAX_WATCHED_PRODUCTS {
            return Err(ApiError::invalid("productIds", "must name 1 to 100 products").into());
        }
        let watched: HashSet<Uuid> = product_ids.into_iter().collect();
        Ok(feed(bus(ctx)?, session(ctx), move |ev| {
            StockEventData::decode(ev)
                .filter(|d| watched.contains(&d.product_id))
                .map(|d| StockLevel {
                    product_id: d.product_id,
                    variant_id: d.variant_id,
                    stock: d.stock,
                    at: d.at,
                })
        }))
    }

    /// Ticks every `intervalMs` milliseconds (100 to 60000).
    async fn heartbeat(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1000)] interval_ms: i32,
    ) -> Result<impl Stream<Item = Heartbeat>> {
        if !(100..=60_000).contains(&interval_ms) {
            return Err(ApiError::invalid("intervalMs", "must be between 100 and 60000").into());
        }
        let who = principal(ctx).audit_type().to_owned();
        let every = Duration::from_millis(u64::try_from(interval_ms).unwrap_or(1000));
        Ok(futures_util::stream::unfold(0i32, move |seq| {
            let who = who.clone();
            async move {
                tokio::time::sleep(every).await;
                let seq = seq + 1;
                Some((
                    Heartbeat {
                        seq,
                        at: Utc::now(),
                        principal: who,
                    },
                    seq,
                ))
            }
        }))
    }
}
