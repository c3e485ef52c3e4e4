//! The order status machine, order numbers and the order events. Free of GraphQL types: the
//! resolvers (and the checkout) call these functions with a connection.
//!
//! Transitions (the reference's): pending → confirmed | cancelled; confirmed → processing |
//! cancelled; processing → shipped | cancelled; shipped → delivered; delivered → refunded;
//! cancelled and refunded are terminal. A change locks the order row, writes a history row,
//! gives the order's stock back on `cancelled`/`refunded` and records an
//! `order.status_changed` domain event, all in one transaction.

use stoa_db::diesel_async::AsyncConnection;
use stoa_db::models::orders::{DomainEvent, InsertFuture, Order, StatusHistory};
use stoa_db::models::stock::{self, StockError};
use stoa_db::{AsyncPgConnection, DbError};
use stoa_plugin_sdk::{HookEvent, HookRegistry, hooks as hk};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

/// The status of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    /// Every status.
    pub const ALL: [Self; 7] = [
        Self::Pending,
        Self::Confirmed,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Refunded,
    ];

    /// The stored (and REST) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Confirmed => "confirmed",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The statuses this one may change to.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Pending => &[Self::Confirmed, Self::Cancelled],
            Self::Confirmed => &[Self::Processing, Self::Cancelled],
            Self::Processing => &[Self::Shipped, Self::Cancelled],
            Self::Shipped => &[Self::Delivered],
            Self::Delivered => &[Self::Refunded],
            Self::Cancelled | Self::Refunded => &[],
        }
    }

    /// True when the machine allows `self → to`.
    pub fn can_become(self, to: Self) -> bool {
        self.next().contains(&to)
    }

    /// True for the statuses that give the order's stock back.
    pub fn restores_stock(self) -> bool {
        matches!(self, Self::Cancelled | Self::Refunded)
    }
}

/// Why a status change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error("order not found")]
    NotFound,
    #[error("invalid status transition from \"{}\" to \"{}\"", from.as_str(), to.as_str())]
    InvalidTransition { from: OrderStatus, to: OrderStatus },
    /// A stored status outside the machine (the table's CHECK prevents it).
    #[error("order has an unknown status {0:?}")]
    UnknownStatus(String),
    /// A plugin's `order.before_update` refused the change.
    #[error("{0}")]
    Rejected(String),
    #[error(transparent)]
    Stock(#[from] StockError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<stoa_db::DieselError> for OrderError {
    fn from(e: stoa_db::DieselError) -> Self {
        Self::Db(e.into())
    }
}

impl From<OrderError> for ApiError {
    fn from(e: OrderError) -> Self {
        match e {
            OrderError::NotFound => ApiError::with_message(ErrorCode::NotFound, "order not found"),
            OrderError::Rejected(m) => ApiError::with_message(ErrorCode::Rejected, m),
            e @ OrderError::InvalidTransition { .. } => ApiError {
                field: Some("status".into()),
                ..ApiError::with_message(ErrorCode::Conflict, e.to_string())
            },
            OrderError::Db(DbError::NotFound)
            | OrderError::Stock(StockError::Db(DbError::NotFound)) => {
                ApiError::with_message(ErrorCode::NotFound, "order not found")
            }
            OrderError::Db(e) | OrderError::Stock(StockError::Db(e)) => e.into(),
            e @ (OrderError::UnknownStatus(_) | OrderError::Stock(_)) => ApiError::internal(e),
        }
    }
}

/// A status change that happened.
#[derive(Debug, Clone)]
pub struct StatusChange {
    /// The order after the change.
    pub order: Order,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub comment: String,
    /// Units of stock given back (cancel/refund), 0 otherwise.
    pub restored_units: i64,
}

/// An order as plugin hooks see it (GraphQL field names).
pub fn order_snapshot(o: &Order) -> serde_json::Value {
    serde_json::json!({
        "id": o.id, "orderNumber": o.order_number, "customerId": o.customer_id,
        "status": o.status, "currency": o.currency, "subtotalNet": o.subtotal_net,
        "subtotalGross": o.subtotal_gross, "discountTotal": o.discount_total,
        "shippingCost": o.shipping_cost, "taxTotal": o.tax_total, "total": o.total,
        "paymentMethodId": o.payment_method_id, "shippingMethodId": o.shipping_method_id,
        "paymentReference": o.payment_reference, "paymentStatus": o.payment_status,
    })
}

fn status_event(
    name: &str,
    order: &Order,
    from: OrderStatus,
    to: OrderStatus,
    comment: &str,
) -> HookEvent {
    HookEvent::new(name, order_snapshot(order))
        .change("from_status", from.as_str())
        .change("to_status", to.as_str())
        .change("comment", comment)
        .change("payment_reference", order.payment_reference.as_str())
}

/// `order.before_update`: runs inside the status change's transaction, after the transition
/// was checked and before anything is written; a refusal cancels the change.
async fn before_update(
    hooks: &HookRegistry,
    order: &Order,
    from: OrderStatus,
    to: OrderStatus,
    comment: &str,
) -> Result<(), OrderError> {
    if !hooks.has(hk::ORDER_BEFORE_UPDATE) {
        return Ok(());
    }
    hooks
        .before(status_event(
            hk::ORDER_BEFORE_UPDATE,
            order,
            from,
            to,
            comment,
        ))
        .await
        .map_err(|e| OrderError::Rejected(e.message))
}

/// `order.after_update`: runs after the change committed and cannot undo it.
async fn after_update(hooks: &HookRegistry, change: &StatusChange) {
    if hooks.has(hk::ORDER_AFTER_UPDATE) {
        let e = status_event(
            hk::ORDER_AFTER_UPDATE,
            &change.order,
            change.from,
            change.to,
            &change.comment,
        );
        hooks.after(e).await;
    }
}

/// Changes an order's status per the machine, in one transaction: locks the order, checks
/// the transition, writes the history row, gives stock back on `cancelled`/`refunded`
/// (exactly once per order) and records the `order.status_changed` event.
pub async fn change_status(
    conn: &mut AsyncPgConnection,
    hooks: &HookRegistry,
    order_id: Uuid,
    to: OrderStatus,
    comment: &str,
) -> Result<StatusChange, OrderError> {
    let comment = comment.to_owned();
    let change = conn
        .transaction::<_, OrderError, _>(async move |tx| {
            let order = Order::lock(tx, order_id)
                .await?
                .ok_or(OrderError::NotFound)?;
            let from = OrderStatus::parse(&order.status)
                .ok_or_else(|| OrderError::UnknownStatus(order.status.clone()))?;
            if !from.can_become(to) {
                return Err(OrderError::InvalidTransition { from, to });
            }
            before_update(hooks, &order, from, to, &comment).await?;
            let order = Order::set_status(tx, order_id, to.as_str()).await?;
            StatusHistory::insert(tx, order_id, from.as_str(), to.as_str(), &comment).await?;
            let restored_units = if to.restores_stock() {
                stock::restore_for_order(tx, order_id).await?
            } else {
                0
            };
            DomainEvent::record(
                tx,
                "order.status_changed",
                Some(order_id),
                order.customer_id,
                serde_json::json!({
                    "from": from.as_str(),
                    "to": to.as_str(),
                    "order_number": order.order_number,
                    "total": order.total,
                    "currency": order.currency,
                }),
            )
            .await?;
            Ok(StatusChange {
                order,
                from,
                to,
                comment,
                restored_units,
            })
        })
        .await?;
    after_update(hooks, &change).await;
    Ok(change)
}

/// Records the creation of an order: the history row `''` → `pending` (comment "order
/// placed") and the `order.created` event, for an order written outside the checkout (the
/// checkout writes both in the statement that inserts the order:
/// `stoa_db::models::orders::insert_checkout_order`, with the same payload).
pub async fn record_created(conn: &mut AsyncPgConnection, order: &Order) -> Result<(), DbError> {
    StatusHistory::insert(conn, order.id, "", &order.status, "order placed").await?;
    DomainEvent::record(
        conn,
        "order.created",
        Some(order.id),
        order.customer_id,
        serde_json::json!({
            "order_number": order.order_number,
            "status": order.status,
            "total": order.total,
            "currency": order.currency,
        }),
    )
    .await?;
    Ok(())
}

const NUMBER_ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A new order number `ORD-YYYYMMDD-XXXXX`: the UTC date and 5 characters of `A-Z0-9` from
/// the operating system's CSPRNG (uniform: bytes ≥ 252 are drawn again).
pub fn new_order_number() -> Result<String, getrandom::Error> {
    let mut suffix = String::with_capacity(5);
    let mut buf = [0u8; 16];
    while suffix.len() < 5 {
        getrandom::fill(&mut buf)?;
        for b in buf {
            if suffix.len() == 5 {
                break;
            }
            if b < 252 {
                suffix.push(char::from(NUMBER_ALPHABET[usize::from(b % 36)]));
            }
        }
    }
    Ok(format!(
        "ORD-{}-{suffix}",
        chrono::Utc::now().format("%Y%m%d")
    ))
}

/// Inserts an order with a fresh number, retrying with another number when it collides (see
/// [`stoa_db::models::orders::insert_with_unique_number`]). `insert` receives the number.
pub async fn insert_with_order_number<T, F>(
    conn: &mut AsyncPgConnection,
    insert: F,
) -> Result<T, ApiError>
where
    T: Send,
    F: for<'c> FnMut(&'c mut AsyncPgConnection, String) -> InsertFuture<'c, T> + Send,
{
    Ok(stoa_db::models::orders::insert_with_unique_number(
        conn,
        || {
            new_order_number()
                .inspect_err(|e| tracing::error!(error = %e, "random source failed"))
                .ok()
        },
        insert,
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_matches_the_reference() {
        use OrderStatus as S;
        let allowed: Vec<(S, S)> = S::ALL
            .into_iter()
            .flat_map(|a| S::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (S::Pending, S::Confirmed),
                (S::Pending, S::Cancelled),
                (S::Confirmed, S::Processing),
                (S::Confirmed, S::Cancelled),
                (S::Processing, S::Shipped),
                (S::Processing, S::Cancelled),
                (S::Shipped, S::Delivered),
                (S::Delivered, S::Refunded),
            ]
        );
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn invalid_transitions_read_like_the_reference() {
        let e = ApiError::from(OrderError::InvalidTransition {
            from: OrderStatus::Pending,
            to: OrderStatus::Shipped,
        });
        assert_eq!(e.code, ErrorCode::Conflict);
        assert_eq!(e.field.as_deref(), Some("status"));
        assert_eq!(
            e.message,
            "invalid status transition from \"pending\" to \"shipped\""
        );
        assert_eq!(
            ApiError::from(OrderError::NotFound).code,
            ErrorCode::NotFound
        );
    }

    #[test]
    fn order_numbers_have_the_reference_format() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let n = new_order_number().expect("rng");
            assert_eq!(n.len(), 18, "{n}");
            assert!(n.starts_with("ORD-"));
            assert_eq!(&n[4..12], chrono::Utc::now().format("%Y%m%d").to_string());
            assert_eq!(&n[12..13], "-");
            assert!(n[13..].bytes().all(|b| NUMBER_ALPHABET.contains(&b)));
            seen.insert(n);
        }
        assert!(seen.len() > 190, "numbers are random");
    }
}
