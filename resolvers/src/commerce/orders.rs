//! Orders over GraphQL: the admin list and detail, status changes (the machine lives in
//! [`crate::domain::orders`]), a customer's own orders, guest lookups by token and payment
//! transactions. Relations (items, history, transactions) load through the request's
//! [`OrderDataLoader`], so a page costs a fixed number of statements.

use async_graphql::{Context, Enum, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::orders::{
    Order, OrderFilter, OrderItem, OrderSort, PaymentTransaction, StatusHistory,
};
use stoa_db::pool;
use uuid::Uuid;

use super::order_loaders::{HistoryByOrder, ItemsByOrder, OrderDataLoader, TransactionsByOrder};
use crate::audit;
use crate::catalog::query::SortOrder;
use crate::domain::auth::Permission;
use crate::domain::orders::{self, OrderStatus};
use crate::error::{ApiError, ErrorCode};
use crate::guard::{CustomerGuard, StaffGuard, principal};
use crate::state::AppState;

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    Ok(pool::conn(&ctx.data_unchecked::<AppState>().pool).await?)
}

fn not_found() -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, "order not found")
}

/// Page ≥ 1; limit in 1..=100, else 25 (the reference's order handlers).
fn paging(page: Option<i64>, limit: Option<i64>) -> (i64, i64) {
    let page = page.unwrap_or(1).max(1);
    let limit = limit.filter(|l| (1..=100).contains(l)).unwrap_or(25);
    (page, limit)
}

fn loader<'a>(ctx: &'a Context<'_>) -> Result<&'a OrderDataLoader, ApiError> {
    ctx.data::<OrderDataLoader>()
        .map_err(|_| ApiError::internal("order loader missing from the request"))
}

fn load_err(e: std::sync::Arc<String>) -> ApiError {
    ApiError::internal(e)
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

fn non_empty_json(v: &serde_json::Value) -> Option<Json<serde_json::Value>> {
    let empty = v.is_null() || v.as_object().is_some_and(serde_json::Map::is_empty);
    (!empty).then(|| Json(v.clone()))
}

/// Sort keys of the admin order list.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderSortField {
    #[default]
    CreatedAt,
    Total,
    Status,
    OrderNumber,
}

impl From<OrderSortField> for OrderSort {
    fn from(s: OrderSortField) -> Self {
        match s {
            OrderSortField::CreatedAt => Self::CreatedAt,
            OrderSortField::Total => Self::Total,
            OrderSortField::Status => Self::Status,
            OrderSortField::OrderNumber => Self::OrderNumber,
        }
    }
}

/// An order. Staff see the guest token; customers and guests never do.
pub struct OrderNode {
    row: Order,
    staff_view: bool,
}

impl OrderNode {
    fn staff(row: Order) -> Self {
        Self {
            row,
            staff_view: true,
        }
    }

    pub(crate) fn store(row: Order) -> Self {
        Self {
            row,
            staff_view: false,
        }
    }
}

#[Object]
impl OrderNode {
    async fn id(&self) -> Uuid {
        self.row.id
    }
    /// `ORD-YYYYMMDD-XXXXX`.
    async fn order_number(&self) -> &str {
        &self.row.order_number
    }
    /// The customer; null for guest orders (or a deleted customer).
    async fn customer_id(&self) -> Option<Uuid> {
        self.row.customer_id
    }
    /// The guest order's lookup token (staff only; null otherwise and for customer orders).
    async fn guest_token(&self) -> Option<&str> {
        self.row.guest_token.as_deref().filter(|_| self.staff_view)
    }
    /// True when the order was placed without an account.
    async fn is_guest_order(&self) -> bool {
        self.row.guest_token.is_some()
    }
    /// pending, confirmed, processing, shipped, delivered, cancelled or refunded.
    async fn status(&self) -> &str {
        &self.row.status
    }
    async fn currency(&self) -> &str {
        &self.row.currency
    }
    async fn subtotal_net(&self) -> i32 {
        self.row.subtotal_net
    }
    async fn subtotal_gross(&self) -> i32 {
        self.row.subtotal_gross
    }
    /// The discount taken off (minor units).
    async fn discount_total(&self) -> i32 {
        self.row.discount_total
    }
    async fn shipping_cost(&self) -> i32 {
        self.row.shipping_cost
    }
    async fn tax_total(&self) -> i32 {
        self.row.tax_total
    }
    /// The amount to pay (minor units).
    async fn total(&self) -> i32 {
        self.row.total
    }
    /// The billing address as given at checkout; null when none.
    async fn billing_address(&self) -> Option<Json<serde_json::Value>> {
        non_empty_json(&self.row.billing_address)
    }
    /// The shipping address as given at checkout; null when none.
    async fn shipping_address(&self) -> Option<Json<serde_json::Value>> {
        non_empty_json(&self.row.shipping_address)
    }
    async fn payment_method_id(&self) -> Option<Uuid> {
        self.row.payment_method_id
    }
    async fn shipping_method_id(&self) -> Option<Uuid> {
        self.row.shipping_method_id
    }
    /// The discount code applied; null when none.
    async fn discount_code(&self) -> Option<String> {
        non_empty(&self.row.discount_code)
    }
    /// The customer's note; null when none.
    async fn notes(&self) -> Option<String> {
        non_empty(&self.row.notes)
    }
    /// The payment provider's reference; null when none.
    async fn payment_reference(&self) -> Option<String> {
        non_empty(&self.row.payment_reference)
    }
    /// pending, authorized, paid, failed, refunded …
    async fn payment_status(&self) -> &str {
        &self.row.payment_status
    }
    /// Custom fields; null when none.
    async fn custom_fields(&self) -> Option<Json<serde_json::Value>> {
        non_empty_json(&self.row.custom_fields)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }
    /// The order lines.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<OrderItemNode>> {
        Ok(loader(ctx)?
            .load_one(ItemsByOrder(self.row.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// Every status change, oldest first (the first row is the creation: '' → pending).
    async fn status_history(&self, ctx: &Context<'_>) -> Result<Vec<StatusHistoryNode>> {
        Ok(loader(ctx)?
            .load_one(HistoryByOrder(self.row.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The payment transactions, oldest first (staff need `payment.read`; customers and
    /// guests see those of their own order).
    async fn transactions(&self, ctx: &Context<'_>) -> Result<Vec<PaymentTransactionNode>> {
        let p = principal(ctx);
        if self.staff_view && !p.has(Permission::PaymentRead) {
            return Err(ApiError::new(ErrorCode::Forbidden).into());
        }
        Ok(loader(ctx)?
            .load_one(TransactionsByOrder(self.row.id))
            .await
            .map_err(load_err)?
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect())
    }
}

/// An order line (names and prices as they were at checkout).
#[derive(SimpleObject)]
pub struct OrderItemNode {
    pub id: Uuid,
    pub order_id: Uuid,
    pub product_id: Option<Uuid>,
    pub variant_id: Option<Uuid>,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price_net: i32,
    pub unit_price_gross: i32,
    pub total_net: i32,
    pub total_gross: i32,
    /// Basis points (1900 = 19 %).
    pub tax_rate: i32,
}

impl From<OrderItem> for OrderItemNode {
    fn from(i: OrderItem) -> Self {
        Self {
            id: i.id,
            order_id: i.order_id,
            product_id: i.product_id,
            variant_id: i.variant_id,
            sku: i.sku,
            name: i.name,
            quantity: i.quantity,
            unit_price_net: i.unit_price_net,
            unit_price_gross: i.unit_price_gross,
            total_net: i.total_net,
            total_gross: i.total_gross,
            tax_rate: i.tax_rate,
        }
    }
}

/// One status change.
#[derive(SimpleObject)]
pub struct StatusHistoryNode {
    pub id: Uuid,
    pub order_id: Uuid,
    /// '' for the creation row.
    pub from_status: String,
    pub to_status: String,
    /// Null when none was given.
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<StatusHistory> for StatusHistoryNode {
    fn from(h: StatusHistory) -> Self {
        Self {
            id: h.id,
            order_id: h.order_id,
            from_status: h.from_status,
            to_status: h.to_status,
            comment: non_empty(&h.comment),
            created_at: h.created_at,
        }
    }
}

/// A payment transaction of an order.
#[derive(SimpleObject)]
pub struct PaymentTransactionNode {
    pub id: Uuid,
    pub order_id: Uuid,
    pub payment_method_id: Option<Uuid>,
    /// pending, completed, failed, refunded …
    pub status: String,
    pub currency: String,
    pub amount: i32,
    pub provider_reference: String,
    pub created_at: DateTime<Utc>,
}

impl From<PaymentTransaction> for PaymentTransactionNode {
    fn from(t: PaymentTransaction) -> Self {
        Self {
            id: t.id,
            order_id: t.order_id,
            payment_method_id: t.payment_method_id,
            status: t.status,
            currency: t.currency,
            amount: t.amount,
            provider_reference: t.provider_reference,
            created_at: t.created_at,
        }
    }
}

/// A page of orders.
#[derive(SimpleObject)]
pub struct OrderPage {
    pub items: Vec<OrderNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// An order's transactions with the reference's list counts (one page holding all).
#[derive(SimpleObject)]
pub struct PaymentTransactionList {
    pub items: Vec<PaymentTransactionNode>,
    pub total: i64,
    /// Always 1.
    pub page: i64,
    /// The number of transactions.
    pub limit: i64,
    /// Always 1.
    pub pages: i64,
}

impl From<Vec<PaymentTransaction>> for PaymentTransactionList {
    fn from(rows: Vec<PaymentTransaction>) -> Self {
        let n = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        Self {
            items: rows.into_iter().map(Into::into).collect(),
            total: n,
            page: 1,
            limit: n,
            pages: 1,
        }
    }
}

fn page_of(rows: Vec<Order>, total: i64, page: i64, limit: i64, staff: bool) -> OrderPage {
    OrderPage {
        items: rows
            .into_iter()
            .map(|r| {
                if staff {
                    OrderNode::staff(r)
                } else {
                    OrderNode::store(r)
                }
            })
            .collect(),
        total,
        page,
        limit,
        pages: (total + limit - 1) / limit,
    }
}

fn parse_status(raw: &str) -> Result<OrderStatus, ApiError> {
    if raw.is_empty() {
        return Err(ApiError::invalid("status", "status is required"));
    }
    OrderStatus::parse(raw).ok_or_else(|| {
        ApiError::invalid(
            "status",
            "must be one of pending, confirmed, processing, shipped, delivered, cancelled, refunded",
        )
    })
}

/// Order queries.
#[derive(Default)]
pub struct OrderQuery;

#[Object]
impl OrderQuery {
    /// Orders, newest first unless sorted otherwise (`orders.read`). `status` filters by
    /// status, `customerId` by customer, `search` matches part of the order number.
    #[graphql(guard = "StaffGuard(Permission::OrdersRead)")]
    #[expect(clippy::too_many_arguments, reason = "one argument per list parameter")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        status: Option<String>,
        customer_id: Option<Uuid>,
        search: Option<String>,
        sort: Option<OrderSortField>,
        order: Option<SortOrder>,
    ) -> Result<OrderPage> {
        let (page, limit) = paging(page, limit);
        let filter = OrderFilter {
            status: status.filter(|s| !s.is_empty()),
            customer_id,
            search: search
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
        };
        let descending = order.unwrap_or_default() == SortOrder::Desc;
        let mut c = conn(ctx).await?;
        let (rows, total) = Order::page(
            &mut c,
            &filter,
            sort.unwrap_or_default().into(),
            descending,
            (page - 1) * limit,
            limit,
        )
        .await
        .map_err(ApiError::from)?;
        Ok(page_of(rows, total, page, limit, true))
    }

    /// One order with items, history and guest token (`orders.read`).
    #[graphql(guard = "StaffGuard(Permission::OrdersRead)")]
    async fn order(&self, ctx: &Context<'_>, id: Uuid) -> Result<OrderNode> {
        let mut c = conn(ctx).await?;
        let row = Order::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(not_found)?;
        Ok(OrderNode::staff(row))
    }

    /// The payment transactions of an order (`payment.read`).
    #[graphql(guard = "StaffGuard(Permission::PaymentRead)")]
    async fn order_transactions(
        &self,
        ctx: &Context<'_>,
        order_id: Uuid,
    ) -> Result<PaymentTransactionList> {
        let mut c = conn(ctx).await?;
        if Order::by_id(&mut c, order_id)
            .await
            .map_err(ApiError::from)?
            .is_none()
        {
            return Err(not_found().into());
        }
        Ok(PaymentTransaction::of_order(&mut c, order_id)
            .await
            .map_err(ApiError::from)?
            .into())
    }

    /// The signed-in customer's orders, newest first, paginated (the reference's list is
    /// not).
    #[graphql(guard = "CustomerGuard(Permission::StoreOrdersRead)")]
    async fn my_orders(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
    ) -> Result<OrderPage> {
        let customer = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let (page, limit) = paging(page, limit);
        let mut c = conn(ctx).await?;
        let (rows, total) = Order::page_of_customer(&mut c, customer, (page - 1) * limit, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(page_of(rows, total, page, limit, false))
    }

    /// One of the signed-in customer's orders (another customer's is NOT_FOUND).
    #[graphql(guard = "CustomerGuard(Permission::StoreOrdersRead)")]
    async fn my_order(&self, ctx: &Context<'_>, id: Uuid) -> Result<OrderNode> {
        let customer = principal(ctx)
            .customer_id()
            .ok_or_else(|| ApiError::new(ErrorCode::Unauthenticated))?;
        let mut c = conn(ctx).await?;
        let row = Order::of_customer(&mut c, customer, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(not_found)?;
        Ok(OrderNode::store(row))
    }

    /// A guest order by its id and the token the checkout handed out (NOT_FOUND unless both
    /// match).
    async fn guest_order(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        guest_token: String,
    ) -> Result<OrderNode> {
        let mut c = conn(ctx).await?;
        let row = guest_lookup(&mut c, id, &guest_token).await?;
        Ok(OrderNode::store(row))
    }

    /// The payment transactions of the caller's order: the signed-in owner, or anyone
    /// presenting the order's guest token (NOT_FOUND otherwise).
    async fn store_order_transactions(
        &self,
        ctx: &Context<'_>,
        order_id: Uuid,
        guest_token: Option<String>,
    ) -> Result<PaymentTransactionList> {
        let mut c = conn(ctx).await?;
        let owner = match principal(ctx).customer_id() {
            Some(customer) => Order::of_customer(&mut c, customer, order_id)
                .await
                .map_err(ApiError::from)?,
            None => None,
        };
        let row = match (owner, guest_token.filter(|t| !t.is_empty())) {
            (Some(row), _) => row,
            (None, Some(token)) => guest_lookup(&mut c, order_id, &token).await?,
            (None, None) => return Err(not_found().into()),
        };
        Ok(PaymentTransaction::of_order(&mut c, row.id)
            .await
            .map_err(ApiError::from)?
            .into())
    }
}

async fn guest_lookup(
    c: &mut stoa_db::AsyncPgConnection,
    id: Uuid,
    token: &str,
) -> Result<Order, ApiError> {
    // Tokens are 64 hex characters; anything else cannot match.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    Order::of_guest(c, id, token).await?.ok_or_else(not_found)
}

/// Order mutations.
#[derive(Default)]
pub struct OrderMutation;

#[Object]
impl OrderMutation {
    /// Moves an order along the status machine (`orders.update`): pending → confirmed |
    /// cancelled, confirmed → processing | cancelled, processing → shipped | cancelled,
    /// shipped → delivered, delivered → refunded. Cancelling or refunding gives the order's
    /// stock back. A refused transition is CONFLICT on `status`.
    #[graphql(guard = "StaffGuard(Permission::OrdersUpdate)")]
    async fn update_order_status(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        status: String,
        comment: Option<String>,
    ) -> Result<OrderNode> {
        let to = parse_status(status.trim())?;
        let comment = comment.unwrap_or_default();
        if comment.chars().count() > 1000 {
            return Err(ApiError::invalid("comment", "at most 1000 characters").into());
        }
        let mut c = conn(ctx).await?;
        let change = orders::change_status(&mut c, crate::hooks::registry(ctx), id, to, &comment)
            .await
            .map_err(ApiError::from)?;
        audit::record(
            ctx,
            &mut c,
            "update_status",
            "order",
            Some(id),
            serde_json::json!({
                "status": { "from": change.from.as_str(), "to": change.to.as_str() },
                "comment": change.comment,
                "restored_units": change.restored_units,
            }),
        )
        .await?;
        Ok(OrderNode::staff(change.order))
    }
}
