//! The typed payloads of the domain events the subscriptions carry, read from the rows'
//! JSON payloads (a row that does not parse is skipped, never a panic).

use chrono::{DateTime, Utc};
use stoa_db::models::orders::DomainEvent;
use uuid::Uuid;

/// An `order.created`, `order.status_changed` or `payment.status_changed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderEventData {
    pub kind: String,
    pub order_id: Uuid,
    pub order_number: String,
    /// The (new) status.
    pub status: String,
    /// The status before a change; none for a creation.
    pub previous_status: Option<String>,
    pub total: i32,
    pub currency: String,
    pub customer_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    /// The payment of a `payment.status_changed` event (the order's status is unchanged).
    pub payment: Option<PaymentEventData>,
}

/// The payment part of a `payment.status_changed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentEventData {
    pub transaction_id: Uuid,
    /// The transaction's new status.
    pub status: String,
    /// Its status before; none when the transaction was created.
    pub previous_status: Option<String>,
    pub amount: i32,
    pub currency: String,
    pub provider_reference: String,
    /// The order's payment status after the change (`paid`, `partially_paid`, …).
    pub order_payment_status: String,
}

impl PaymentEventData {
    fn decode(p: &serde_json::Value) -> Option<Self> {
        Some(Self {
            transaction_id: uuid(p, "transaction_id")?,
            status: text(p, "to")?,
            previous_status: text(p, "from"),
            amount: i32::try_from(p.get("amount")?.as_i64()?).ok()?,
            currency: text(p, "currency")?,
            provider_reference: text(p, "provider_reference").unwrap_or_default(),
            order_payment_status: text(p, "payment_status")?,
        })
    }
}

fn text(v: &serde_json::Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_owned)
}

fn uuid(v: &serde_json::Value, key: &str) -> Option<Uuid> {
    v.get(key)?.as_str()?.parse().ok()
}

impl OrderEventData {
    /// The order event in `ev`, when it is one (and complete).
    pub fn decode(ev: &DomainEvent) -> Option<Self> {
        let p = &ev.payload;
        let (status, previous_status, payment) = match ev.kind.as_str() {
            "order.created" => (text(p, "status")?, None, None),
            "order.status_changed" => (text(p, "to")?, Some(text(p, "from")?), None),
            "payment.status_changed" => (
                text(p, "order_status")?,
                None,
                Some(PaymentEventData::decode(p)?),
            ),
            _ => return None,
        };
        Some(Self {
            kind: ev.kind.clone(),
            order_id: ev.entity_id?,
            order_number: text(p, "order_number")?,
            status,
            previous_status,
            total: i32::try_from(p.get("total")?.as_i64()?).ok()?,
            currency: text(p, "currency")?,
            customer_id: ev.customer_id,
            at: ev.created_at,
            payment,
        })
    }
}

/// A `stock.changed` event: a derived stock total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockEventData {
    pub product_id: Uuid,
    /// None for the product's total.
    pub variant_id: Option<Uuid>,
    pub stock: i32,
    pub at: DateTime<Utc>,
}

impl StockEventData {
    /// The stock event in `ev`, when it is one.
    pub fn decode(ev: &DomainEvent) -> Option<Self> {
        if ev.kind != "stock.changed" {
            return None;
        }
        let p = &ev.payload;
        Some(Self {
            product_id: uuid(p, "product_id")?,
            variant_id: uuid(p, "variant_id"),
            stock: i32::try_from(p.get("stock")?.as_i64()?).ok()?,
            at: ev.created_at,
        })
    }
}

/// A `cart.changed` event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartEventData {
    pub cart_id: Uuid,
    pub kind: String,
    pub at: DateTime<Utc>,
}

impl CartEventData {
    /// The cart event in `ev`, when it is one.
    pub fn decode(ev: &DomainEvent) -> Option<Self> {
        if ev.kind != "cart.changed" {
            return None;
        }
        Some(Self {
            cart_id: ev.entity_id?,
            kind: ev.kind.clone(),
            at: ev.created_at,
        })
    }
}
