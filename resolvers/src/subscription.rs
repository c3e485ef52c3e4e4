//! Subscriptions. `heartbeat` proves the WebSocket path end to end, including the principal
//! resolved from `connection_init`.

use std::time::Duration;

use async_graphql::{Context, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;

use crate::error::ApiError;
use crate::guard::principal;

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
