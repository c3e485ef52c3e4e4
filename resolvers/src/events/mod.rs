//! The in-process side of the event bus. Domain events are rows of `domain_events`, written
//! in the transaction of the change; their ids are published on commit on the
//! `stoa_events` channel. One task per instance (the server's `events::listen`) listens, reads
//! the rows and hands them to [`EventBus::publish`]; every subscription holds a receiver of
//! the bus's broadcast channel and turns the rows it cares about into typed items.
//!
//! A subscriber that falls behind by more than the channel's capacity skips the events it
//! missed (it never slows the bus or other subscribers): delivery is at most once per
//! subscriber connection.
//!
//! A feed whose items do not depend on the caller (`orderEvents`) can be *shared* by the
//! WebSocket layer (see [`Shared`]): the subscribers of one operation then take their items
//! from one *hub* subscription that resolves each event once, while each is still authorized,
//! revoked and expired on its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

use async_graphql::Response;
use chrono::{DateTime, Utc};
use futures_util::Stream;
use stoa_db::models::orders::DomainEvent;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};

mod data;

pub use data::{CartEventData, OrderEventData, PaymentEventData, StockEventData};

/// Events a subscriber may fall behind by before it skips ahead.
pub const BUS_CAPACITY: usize = 1024;

/// Access tokens revoked while this instance listened, until they expire.
#[derive(Debug, Default)]
struct Revoked(Mutex<HashMap<Uuid, DateTime<Utc>>>);

impl Revoked {
    fn insert(&self, jti: Uuid, expires_at: DateTime<Utc>) {
        let mut m = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Utc::now();
        m.retain(|_, exp| *exp > now);
        m.insert(jti, expires_at);
    }

    fn contains(&self, jti: Uuid) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(&jti)
    }

    /// Why a subscription of `session` must end at `now`, if it must.
    fn session_end(&self, session: Session, now: DateTime<Utc>) -> Option<ErrorCode> {
        if self.contains(session.jti) {
            Some(ErrorCode::TokenRevoked)
        } else if now >= session.expires_at {
            Some(ErrorCode::TokenExpired)
        } else {
            None
        }
    }
}

/// The instance's event bus.
pub struct EventBus {
    tx: broadcast::Sender<Arc<DomainEvent>>,
    /// The revocations only: what the members of a shared feed listen to.
    control: broadcast::Sender<Arc<DomainEvent>>,
    /// The hubs of the shared feeds, by operation.
    hubs: Mutex<HashMap<String, Weak<Hub>>>,
    revoked: Arc<Revoked>,
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
        let (control, _) = broadcast::channel(capacity.max(1));
        Self {
            tx,
            control,
            hubs: Mutex::default(),
            revoked: Arc::default(),
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
        if event.kind == TOKEN_REVOKED
            && let Some(jti) = event.entity_id
        {
            let expires_at = event
                .payload
                .get("expires_at")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or(event.created_at + chrono::Duration::days(1));
            self.revoked.insert(jti, expires_at);
            let event = Arc::new(event);
            let _ = self.control.send(event.clone());
            let _ = self.tx.send(event);
            return;
        }
        let _ = self.tx.send(Arc::new(event));
    }

    /// Joins the hub of the shared feed `key` for a member authorized with `session`;
    /// when none is running, starts one with `start`, given the hub's receiver of events
    /// (taken now, so no event after this call is missed) and the sender of its responses.
    pub fn join<S>(&self, key: &str, session: Option<Session>, start: S) -> Joined
    where
        S: FnOnce(
            broadcast::Receiver<Arc<DomainEvent>>,
            broadcast::Sender<Arc<Response>>,
        ) -> tokio::task::AbortHandle,
    {
        let mut hubs = self.hubs.lock().unwrap_or_else(PoisonError::into_inner);
        let running = hubs.get(key).and_then(Weak::upgrade).and_then(|hub| {
            let rx = hub.tx.upgrade()?.subscribe();
            Some((hub, rx))
        });
        let (hub, rx) = match running {
            Some(running) => running,
            None => {
                hubs.retain(|_, hub| hub.strong_count() > 0);
                let (tx, rx) = broadcast::channel(BUS_CAPACITY);
                let weak = tx.downgrade();
                let task = start(self.subscribe(), tx);
                let hub = Arc::new(Hub { tx: weak, task });
                hubs.insert(key.to_owned(), Arc::downgrade(&hub));
                (hub, rx)
            }
        };
        Joined {
            _hub: hub,
            rx,
            session,
            revoked: self.revoked.clone(),
        }
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

/// The kind of the event recorded when an access token is revoked (logout); its entity id
/// is the token's id (`jti`), its payload `{"expires_at"}`. Every instance hears it, so a
/// running subscription authorized with that token ends everywhere.
pub const TOKEN_REVOKED: &str = "auth.token_revoked";

/// The access token a subscription was authorized with. The subscription ends, with an
/// error, when the token expires or is revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    pub jti: Uuid,
    pub expires_at: DateTime<Utc>,
}

struct Feed<F> {
    rx: broadcast::Receiver<Arc<DomainEvent>>,
    revoked: Arc<Revoked>,
    pick: F,
    session: Option<Session>,
    expiry: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
    /// Set when the next item is the error that ends the stream.
    end: Option<ErrorCode>,
}

/// Like [`stream`], for a subscriber signed in with `session` (none for anonymous callers and
/// API keys): the stream yields `TOKEN_REVOKED` or `TOKEN_EXPIRED` and ends as soon as the
/// token is revoked (on any instance) or expires, checked when it starts, at every event and
/// on a timer set to the expiry. The receiver is taken before the revocation check, so a
/// revocation is never missed between the two.
pub fn feed<T, F>(
    bus: &EventBus,
    session: Option<Session>,
    pick: F,
) -> impl Stream<Item = Result<T, ApiError>> + use<T, F>
where
    F: FnMut(&DomainEvent) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    feed_from(bus.subscribe(), bus.revoked.clone(), session, pick)
}

/// Request data set by the WebSocket layer on a subscription to a feed whose items do not
/// depend on the caller once authorized (`orderEvents`), to share the resolution of each
/// event among the subscribers of the same operation. Read by [`shared_feed`].
pub enum Shared {
    /// A subscriber. It is authorized, revoked and expired on its own (its feed yields only
    /// `TOKEN_REVOKED` / `TOKEN_EXPIRED`); once authorized, the function (given the bus and
    /// its session) joins it to the operation's hub, whose responses it then receives.
    Member(Mutex<Option<JoinFn>>),
    /// The hub: resolves the events of the receiver taken when it was started, once for
    /// every member. It runs as an internal principal, never revoked.
    Hub(Mutex<Option<broadcast::Receiver<Arc<DomainEvent>>>>),
}

/// How an authorized member joins its hub (see [`Shared::Member`]).
pub type JoinFn = Box<dyn FnOnce(&EventBus, Option<Session>) + Send>;

/// The running subscription that resolves the events of a shared feed for its members; it
/// stops when the last member leaves.
pub struct Hub {
    tx: broadcast::WeakSender<Arc<Response>>,
    task: tokio::task::AbortHandle,
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A member's place in a hub (see [`EventBus::join`]).
pub struct Joined {
    _hub: Arc<Hub>,
    rx: broadcast::Receiver<Arc<Response>>,
    session: Option<Session>,
    revoked: Arc<Revoked>,
}

impl Joined {
    /// The hub's next response; none once the hub has stopped. A member whose session has
    /// ended receives nothing more (its own feed reports why).
    pub async fn next(&mut self) -> Option<Arc<Response>> {
        loop {
            match self.rx.recv().await {
                Ok(resp) => {
                    let now = Utc::now();
                    if self
                        .session
                        .is_some_and(|s| self.revoked.session_end(s, now).is_some())
                    {
                        std::future::pending::<()>().await;
                    }
                    return Some(resp);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(events.skipped = n, "subscriber lagged; skipping ahead");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

/// [`feed`], served as `shared` asks (see [`Shared`]); without it, served on its own.
pub fn shared_feed<T, F>(
    bus: &EventBus,
    shared: Option<&Shared>,
    session: Option<Session>,
    mut pick: F,
) -> impl Stream<Item = Result<T, ApiError>> + use<T, F>
where
    F: FnMut(&DomainEvent) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    fn take<V>(m: &Mutex<Option<V>>) -> Option<V> {
        m.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
    let (rx, items) = match shared {
        None => (bus.subscribe(), true),
        Some(Shared::Hub(events)) => (take(events).unwrap_or_else(|| bus.subscribe()), true),
        Some(Shared::Member(join)) => {
            let rx = bus.control.subscribe();
            if let Some(join) = take(join) {
                join(bus, session);
            }
            (rx, false)
        }
    };
    feed_from(rx, bus.revoked.clone(), session, move |ev| {
        if items { pick(ev) } else { None }
    })
}

fn feed_from<T, F>(
    rx: broadcast::Receiver<Arc<DomainEvent>>,
    revoked: Arc<Revoked>,
    session: Option<Session>,
    pick: F,
) -> impl Stream<Item = Result<T, ApiError>> + use<T, F>
where
    F: FnMut(&DomainEvent) -> Option<T> + Send + 'static,
    T: Send + 'static,
{
    let end = session.and_then(|s| revoked.session_end(s, Utc::now()));
    let expiry = session.map(|s| {
        let left = (s.expires_at - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep(left))
    });
    let state = Feed {
        rx,
        revoked,
        pick,
        session,
        expiry,
        end,
    };
    futures_util::stream::unfold(Some(state), |st| async move {
        let mut st = st?;
        if let Some(code) = st.end.take() {
            return Some((Err(ApiError::new(code)), None));
        }
        loop {
            let got = match st.expiry.as_mut() {
                Some(sleep) => tokio::select! {
                    biased;
                    got = st.rx.recv() => got,
                    () = sleep => return Some((Err(ApiError::new(ErrorCode::TokenExpired)), None)),
                },
                None => st.rx.recv().await,
            };
            match got {
                Ok(ev) => {
                    if let Some(s) = st.session {
                        if ev.kind == TOKEN_REVOKED && ev.entity_id == Some(s.jti) {
                            return Some((Err(ApiError::new(ErrorCode::TokenRevoked)), None));
                        }
                        if ev.created_at >= s.expires_at || Utc::now() >= s.expires_at {
                            return Some((Err(ApiError::new(ErrorCode::TokenExpired)), None));
                        }
                    }
                    if let Some(item) = (st.pick)(&ev) {
                        return Some((Ok(item), Some(st)));
                    }
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(events.skipped = n, "subscriber lagged; skipping ahead");
                    // A skipped event may have been this token's revocation.
                    let now = Utc::now();
                    if let Some(code) = st.session.and_then(|s| st.revoked.session_end(s, now)) {
                        return Some((Err(ApiError::new(code)), None));
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    })
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
        let tx = Uuid::now_v7();
        let paid = ev(
            4,
            "payment.status_changed",
            Some(id),
            json!({"transaction_id": tx, "from": null, "to": "completed", "amount": 1190,
                   "currency": "EUR", "provider_reference": "BANK-1", "payment_status": "paid",
                   "order_number": "ORD-1", "order_status": "confirmed", "total": 1190}),
        );
        let d = OrderEventData::decode(&paid).unwrap();
        assert_eq!((d.status.as_str(), d.previous_status), ("confirmed", None));
        let p = d.payment.unwrap();
        assert_eq!(
            (
                p.transaction_id,
                p.status.as_str(),
                p.previous_status,
                p.amount
            ),
            (tx, "completed", None, 1190)
        );
        assert_eq!(p.order_payment_status, "paid");
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

    fn code<T>(item: Option<Result<T, ApiError>>) -> Option<ErrorCode> {
        item.and_then(|r| r.err()).map(|e| e.code)
    }

    #[tokio::test]
    async fn a_feed_ends_when_its_token_is_revoked_or_expires() {
        let bus = EventBus::new(16);
        let jti = Uuid::now_v7();
        let session = Session {
            jti,
            expires_at: Utc::now() + chrono::Duration::minutes(5),
        };
        let mut s = std::pin::pin!(feed(&bus, Some(session), |e| Some(e.id)));
        let mut other = std::pin::pin!(feed(&bus, None, |e| Some(e.id)));
        bus.publish(ev(1, "cart.changed", None, json!({})));
        assert_eq!(s.next().await.map(|r| r.ok()), Some(Some(1)));
        // Another token's revocation changes nothing; this token's ends the feed.
        bus.publish(ev(2, TOKEN_REVOKED, Some(Uuid::now_v7()), json!({})));
        bus.publish(ev(3, TOKEN_REVOKED, Some(jti), json!({})));
        bus.publish(ev(4, "cart.changed", None, json!({})));
        assert_eq!(s.next().await.map(|r| r.ok()), Some(Some(2)));
        assert_eq!(code(s.next().await), Some(ErrorCode::TokenRevoked));
        assert!(s.next().await.is_none());
        // A feed without a session sees every event.
        for id in 1..=4 {
            assert_eq!(other.next().await.map(|r| r.ok()), Some(Some(id)));
        }
        // A feed started after the revocation ends at once.
        let mut late = std::pin::pin!(feed(&bus, Some(session), |e| Some(e.id)));
        assert_eq!(code(late.next().await), Some(ErrorCode::TokenRevoked));
        assert!(late.next().await.is_none());

        // Expiry ends a quiet feed on its timer.
        let soon = Session {
            jti: Uuid::now_v7(),
            expires_at: Utc::now() + chrono::Duration::milliseconds(50),
        };
        let mut s = std::pin::pin!(feed(&bus, Some(soon), |e| Some(e.id)));
        let ended = tokio::time::timeout(std::time::Duration::from_secs(5), s.next()).await;
        assert_eq!(code(ended.unwrap()), Some(ErrorCode::TokenExpired));
        assert!(s.next().await.is_none());
    }

    #[tokio::test]
    async fn a_shared_feeds_members_get_the_hubs_responses_until_their_session_ends() {
        let bus = EventBus::new(16);
        let jti = Uuid::now_v7();
        let session = Session {
            jti,
            expires_at: Utc::now() + chrono::Duration::minutes(5),
        };
        let (joined_tx, joined_rx) = std::sync::mpsc::channel();
        let started = Arc::new(AtomicU64::new(0));
        let join = |tx: std::sync::mpsc::Sender<Joined>, started: Arc<AtomicU64>| -> JoinFn {
            Box::new(move |bus: &EventBus, session| {
                let joined = bus.join("k", session, |mut events, out| {
                    started.fetch_add(1, Ordering::AcqRel);
                    tokio::spawn(async move {
                        while let Ok(ev) = events.recv().await {
                            let _ = out.send(Arc::new(Response::new(async_graphql::Value::from(
                                ev.id as i32,
                            ))));
                        }
                    })
                    .abort_handle()
                });
                let _ = tx.send(joined);
            })
        };
        let a = Shared::Member(Mutex::new(Some(join(joined_tx.clone(), started.clone()))));
        let b = Shared::Member(Mutex::new(Some(join(joined_tx, started.clone()))));
        let mut own_a = std::pin::pin!(shared_feed(&bus, Some(&a), Some(session), |e| Some(e.id)));
        let mut own_b = std::pin::pin!(shared_feed(&bus, Some(&b), None, |e| Some(e.id)));
        let (mut ja, mut jb) = (joined_rx.recv().unwrap(), joined_rx.recv().unwrap());
        // One hub for both members.
        assert_eq!(started.load(Ordering::Acquire), 1);
        bus.publish(ev(1, "order.created", None, json!({})));
        assert_eq!(ja.next().await.unwrap().data, async_graphql::Value::from(1));
        assert_eq!(jb.next().await.unwrap().data, async_graphql::Value::from(1));
        // The revocation of a's token ends a's own feed; a gets nothing more from the hub.
        bus.publish(ev(2, TOKEN_REVOKED, Some(jti), json!({})));
        bus.publish(ev(3, "order.created", None, json!({})));
        assert_eq!(code(own_a.next().await), Some(ErrorCode::TokenRevoked));
        assert!(own_a.next().await.is_none());
        assert_eq!(jb.next().await.unwrap().data, async_graphql::Value::from(2));
        assert_eq!(jb.next().await.unwrap().data, async_graphql::Value::from(3));
        let quiet = tokio::time::timeout(std::time::Duration::from_millis(50), ja.next()).await;
        assert!(quiet.is_err(), "a revoked member gets no more responses");
        // A member's own feed carries no items.
        let none = tokio::time::timeout(std::time::Duration::from_millis(50), own_b.next()).await;
        assert!(none.is_err());
    }
}
