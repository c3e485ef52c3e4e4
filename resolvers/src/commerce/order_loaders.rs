//! DataLoaders of orders: items, status history and payment transactions, one batched
//! statement per relation per request. A fresh loader is attached to every request by
//! [`crate::extension::Loaders`].

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use stoa_db::models::orders::{OrderItem, PaymentTransaction, StatusHistory};
use stoa_db::{Pool, pool};
use uuid::Uuid;

/// The per-request loader as attached to requests (with a cache).
pub type OrderDataLoader =
    async_graphql::dataloader::DataLoader<OrderLoader, async_graphql::dataloader::HashMapCache>;

/// The loader; one per request.
pub struct OrderLoader {
    pub pool: Pool,
}

impl OrderLoader {
    /// The loader attached to a request.
    pub fn data_loader(pool: Pool) -> OrderDataLoader {
        async_graphql::dataloader::DataLoader::with_cache(
            Self { pool },
            tokio::spawn,
            async_graphql::dataloader::HashMapCache::default(),
        )
        .delay(std::time::Duration::from_millis(1))
    }
}

/// Items of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemsByOrder(pub Uuid);
/// Status history of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryByOrder(pub Uuid);
/// Payment transactions of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransactionsByOrder(pub Uuid);

/// Loader errors must be `Clone`.
pub type LoadError = Arc<String>;

macro_rules! loader {
    ($key:ident, $value:ty, $batch:path) => {
        impl Loader<$key> for OrderLoader {
            type Value = Vec<$value>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let mut c = pool::conn(&self.pool)
                    .await
                    .map_err(|e| Arc::new(e.to_string()))?;
                let mut m = $batch(&mut c, &ids)
                    .await
                    .map_err(|e| Arc::new(e.to_string()))?;
                Ok(keys
                    .iter()
                    .map(|k| (*k, m.remove(&k.0).unwrap_or_default()))
                    .collect())
            }
        }
    };
}

loader!(ItemsByOrder, OrderItem, OrderItem::of_orders);
loader!(HistoryByOrder, StatusHistory, StatusHistory::of_orders);
loader!(
    TransactionsByOrder,
    PaymentTransaction,
    PaymentTransaction::of_orders
);
