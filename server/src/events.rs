//! The event listener: one connection per instance, taken out of the pool, `LISTEN`s on
//! `stoa_events`. Each notification carries the id of a committed `domain_events` row; the
//! listener drains every notification already queued, reads those rows in one query (on the
//! same connection) and publishes them on the instance's [`EventBus`] by id.
//!
//! After the connection is lost it reconnects (once a second) and, before going on, catches up
//! by reading every event with an id above the ones it had seen, so an event committed while
//! it was down is still delivered. Ids of recently published events are remembered (the last
//! [`SEEN_WINDOW`]) so that an event both caught up and notified is published once; an event
//! whose transaction committed while the listener was down **and** whose id is older than
//! that window is not caught up.
//!
//! Checkout sends its notification right after its commit (not inside the transaction, so
//! that concurrent commits do not queue on PostgreSQL's notify lock); an instance that dies
//! between the two leaves a committed event without a notification. Every [`SWEEP_EVERY`]
//! the listener therefore also reads committed events above its floor that it has not
//! published, so such an event still reaches every subscriber, a few seconds late.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::{FutureExt, StreamExt};
use stoa_db::DbError;
use stoa_db::models::orders::{DomainEvent, EVENT_CHANNEL};
use stoa_resolvers::events::EventBus;
use tokio_util::sync::CancellationToken;

/// How many published event ids are remembered for de-duplication.
pub const SEEN_WINDOW: usize = 10_000;

/// The listening connection's `application_name` (to find it in `pg_stat_activity`).
pub const APPLICATION_NAME: &str = "stoa events listener";

/// How often the listener looks for committed events whose notification never came.
pub const SWEEP_EVERY: Duration = Duration::from_secs(5);

/// Rows read per catch-up query.
const CATCH_UP_PAGE: i64 = 500;

/// What the listener has published so far.
#[derive(Debug, Default)]
struct Cursor {
    /// Events up to this id are done with (published, older than the start, or out of the
    /// window); `None` before the first connection.
    floor: Option<i64>,
    /// Published ids above `floor`.
    seen: BTreeSet<i64>,
}

impl Cursor {
    /// Publishes the events not published yet, by id.
    fn publish(&mut self, bus: &EventBus, mut events: Vec<DomainEvent>) {
        events.sort_by_key(|e| e.id);
        let floor = self.floor.unwrap_or(0);
        for e in events {
            if e.id > floor && !self.seen.insert(e.id) {
                continue;
            }
            bus.publish(e);
        }
        while self.seen.len() > SEEN_WINDOW {
            if let Some(oldest) = self.seen.pop_first() {
                self.floor = Some(oldest.max(floor));
            }
        }
    }
}

enum Exit {
    Stopped,
    Lost,
}

/// Listens until `stop` is cancelled, reconnecting after failures.
pub async fn listen(bus: Arc<EventBus>, pool: stoa_db::Pool, stop: CancellationToken) {
    let mut cursor = Cursor::default();
    loop {
        if let Ok(conn) = stoa_db::pool::conn(&pool).await {
            let mut conn = stoa_db::Conn::take(conn);
            // Not a request's statement: keep it out of the statement metric.
            diesel_async::AsyncConnection::set_instrumentation(
                &mut conn,
                |_: diesel::connection::InstrumentationEvent<'_>| {},
            );
            let exit = run(&bus, &mut conn, &mut cursor, &stop).await;
            bus.set_listening(false);
            match exit {
                Ok(Exit::Stopped) => return,
                Ok(Exit::Lost) => tracing::warn!("event notifications lost; reconnecting"),
                Err(e) => tracing::warn!(error = %e, "event listener failed; reconnecting"),
            }
        }
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
        }
    }
}

async fn run(
    bus: &EventBus,
    conn: &mut AsyncPgConnection,
    cursor: &mut Cursor,
    stop: &CancellationToken,
) -> Result<Exit, DbError> {
    diesel::sql_query(format!("SET application_name TO '{APPLICATION_NAME}'"))
        .execute(conn)
        .await?;
    diesel::sql_query(format!("LISTEN {EVENT_CHANNEL}"))
        .execute(conn)
        .await?;
    match cursor.floor {
        None => cursor.floor = Some(DomainEvent::max_id(conn).await?),
        Some(floor) => catch_up(bus, conn, cursor, floor).await?,
    }
    bus.set_listening(true);
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    sweep.tick().await;
    loop {
        let ids = {
            let mut notes = std::pin::pin!(conn.notifications_stream());
            let first = tokio::select! {
                () = stop.cancelled() => return Ok(Exit::Stopped),
                _ = sweep.tick() => None,
                note = notes.next() => Some(note),
            };
            match first {
                None => None,
                Some(Some(Ok(first))) => {
                    let mut ids: Vec<i64> = first.payload.parse().ok().into_iter().collect();
                    // Everything already queued goes into the same read.
                    while let Some(Some(note)) = notes.next().now_or_never() {
                        match note {
                            Ok(n) => ids.extend(n.payload.parse::<i64>().ok()),
                            Err(_) => break,
                        }
                    }
                    Some(ids)
                }
                Some(_) => return Ok(Exit::Lost),
            }
        };
        let Some(ids) = ids else {
            sweep_unseen(bus, conn, cursor).await?;
            continue;
        };
        let events = DomainEvent::by_ids(conn, &ids).await?;
        cursor.publish(bus, events);
    }
}

/// Publishes committed events above the floor that were never published (their
/// notification was lost).
async fn sweep_unseen(
    bus: &EventBus,
    conn: &mut AsyncPgConnection,
    cursor: &mut Cursor,
) -> Result<(), DbError> {
    let Some(floor) = cursor.floor else {
        return Ok(());
    };
    let seen: Vec<i64> = cursor.seen.iter().copied().collect();
    let events = DomainEvent::unseen_after(conn, floor, &seen, CATCH_UP_PAGE).await?;
    if !events.is_empty() {
        tracing::warn!(
            count = events.len(),
            "published committed events whose notification was lost"
        );
        cursor.publish(bus, events);
    }
    Ok(())
}

/// Publishes every committed event above `from` not published yet.
async fn catch_up(
    bus: &EventBus,
    conn: &mut AsyncPgConnection,
    cursor: &mut Cursor,
    from: i64,
) -> Result<(), DbError> {
    let mut after = from;
    loop {
        let page = DomainEvent::after(conn, after, CATCH_UP_PAGE).await?;
        let Some(last) = page.last().map(|e| e.id) else {
            return Ok(());
        };
        let full = page.len() == usize::try_from(CATCH_UP_PAGE).unwrap_or(usize::MAX);
        cursor.publish(bus, page);
        after = last;
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64) -> DomainEvent {
        DomainEvent {
            id,
            kind: "cart.changed".into(),
            entity_id: None,
            customer_id: None,
            payload: serde_json::json!({}),
            created_at: chrono::Utc::now(),
        }
    }

    #[tokio::test]
    async fn each_event_is_published_once_in_id_order() {
        let bus = EventBus::new(64);
        let mut rx = bus.subscribe();
        let mut c = Cursor {
            floor: Some(10),
            seen: BTreeSet::new(),
        };
        c.publish(&bus, vec![ev(12), ev(11)]);
        // A catch-up that overlaps what notifications delivered, and a late commit below
        // the floor (published: it was never seen).
        c.publish(&bus, vec![ev(11), ev(12), ev(13), ev(9)]);
        let mut got = Vec::new();
        while let Ok(e) = rx.try_recv() {
            got.push(e.id);
        }
        assert_eq!(got, [11, 12, 9, 13]);
    }

    #[test]
    fn the_seen_window_is_bounded_and_raises_the_floor() {
        let bus = EventBus::new(1);
        let mut c = Cursor {
            floor: Some(0),
            seen: BTreeSet::new(),
        };
        let n = i64::try_from(SEEN_WINDOW).unwrap_or(i64::MAX) + 5;
        c.publish(&bus, (1..=n).map(ev).collect());
        assert_eq!(c.seen.len(), SEEN_WINDOW);
        assert_eq!(c.floor, Some(5));
    }
}
