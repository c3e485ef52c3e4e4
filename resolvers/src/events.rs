//! The in-process side of the event bus. Domain events are rows of `domain_events`, written
//! in the transaction of the change; their ids are published on commit on the
//! `stoa_events` channel. One task per instance (the server's `events::listen`) listens, reads
//! the rows and hands them to [`EventBus::publish`]; every subscription holds a receiver of
//! the bus's broadcast channel and turns the rows it cares about into typed items.
//!
//! A subscriber that falls behind by more than the channel's capacity skips the events it
//! missed (it never slows the bus or other subscribers): delivery is at most once per
//! subscriber connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use futures_util::Stream;
use stoa_db::models::orders::DomainEvent;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Events a subscriber may fall behind by before it skips ahead.
pub const BUS_CAPACITY: usize = 1024;

/// The instance's event bus.
pub struct EventBus {
    tx: broadcast::Sender<Arc<DomainEvent>>,
    listening: AtomicBool,
    connects: AtomicU64,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(BUS_CAPACITY)
    }
}

impl EventBus {
    /// A bus whose subscribers may each fall `capacity` events behind.
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(1));
        Self {
            tx,
            listening: AtomicBool::new(false),
            connects: AtomicU64::new(0),
        }
    }

    /// A receiver of every event published from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>> {
        self.tx.subscribe()
    }

    /// Hands a committed event to every current subscriber (none is fine).
    pub fn publish(&self, event: DomainEvent) {
        let _ = self.tx.send(Arc::new(event));
    }

    /// Whether the listening connection is up (events are being heard).
    pub fn is_listening(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// How many times the listening connection has been established.
    pub fn connects(&self) -> u64 {
        self.connects.load(Ordering::Acquire)
    }

    /// The listener reports its connection up (counted) or down.
    pub fn set_listening(&self, up: bool) {
        if up {
            self.connects.fetch_add(1, Ordering::AcqRel);
        }
        self.listening.store(up, Ordering::Release);
    }
}

/// The events of `rx` that `pick` maps to an item. A lagging receiver skips ahead; the
/// stream ends when the bus is gone.
pub fn stream<T, F>(rx: broadcast::Receiver<Arc<DomainEvent>>, pick: F) -> impl Stream<Item = T>
where
    F: FnMut(&DomainEvent) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    futures_util::stream::unfold((rx, pick), |(mut rx, mut pick)| async move {
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    if let Some(item) = pick(&ev) {
                        return Some((item, (rx, pick)));
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(events.skipped = n, "subscriber lagged; skipping ahead");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
}

/// An `order.created` or `order.status_changed` event.
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
        let (status, previous_status) = match ev.kind.as_str() {
            "order.created" => (text(p, "status")?, None),
            "order.status_changed" => (text(p, "to")?, Some(text(p, "from")?)),
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

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use serde_json::json;

    use super::*;

    fn ev(id: i64, kind: &str, entity: Option<Uuid>, payload: serde_json::Value) -> DomainEvent {
        DomainEvent {
            id,
            kind: kind.into(),
            entity_id: entity,
            customer_id: None,
            payload,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn order_events_decode() {
        let id = Uuid::now_v7();
        let created = ev(
            1,
            "order.created",
            Some(id),
            json!({"order_number": "ORD-1", "status": "pending", "total": 1190, "currency": "EUR"}),
        );
        let d = OrderEventData::decode(&created).unwrap();
        assert_eq!((d.status.as_str(), d.previous_status), ("pending", None));
        let changed = ev(
            2,
            "order.status_changed",
            Some(id),
            json!({"from": "pending", "to": "confirmed", "order_number": "ORD-1", "total": 1190, "currency": "EUR"}),
        );
        let d = OrderEventData::decode(&changed).unwrap();
        assert_eq!(
            (d.status.as_str(), d.previous_status.as_deref(), d.total),
            ("confirmed", Some("pending"), 1190)
        );
        assert!(OrderEventData::decode(&ev(3, "cart.changed", Some(id), json!({}))).is_none());
    }

    #[test]
    fn stock_events_decode_with_and_without_variant() {
        let (p, v) = (Uuid::now_v7(), Uuid::now_v7());
        let d = StockEventData::decode(&ev(
            1,
            "stock.changed",
            Some(p),
            json!({"product_id": p, "variant_id": v, "stock": 4}),
        ))
        .unwrap();
        assert_eq!((d.product_id, d.variant_id, d.stock), (p, Some(v), 4));
        let d = StockEventData::decode(&ev(
            2,
            "stock.changed",
            Some(p),
            json!({"product_id": p, "variant_id": null, "stock": -1}),
        ))
        .unwrap();
        assert_eq!((d.variant_id, d.stock), (None, -1));
    }

    #[tokio::test]
    async fn a_lagging_subscriber_skips_ahead() {
        let bus = EventBus::new(2);
        let mut s = std::pin::pin!(stream(bus.subscribe(), |e| Some(e.id)));
        for id in 1..=5 {
            bus.publish(ev(id, "cart.changed", None, json!({})));
        }
        // Capacity 2: events 1–3 were overwritten; the stream resumes at the oldest kept.
        assert_eq!(s.next().await, Some(4));
        assert_eq!(s.next().await, Some(5));
        drop(bus);
        assert_eq!(s.next().await, None);
    }
}
