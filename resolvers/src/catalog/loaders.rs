//! DataLoaders of the catalog: one batched statement per relation per request, whatever the
//! page size. A fresh loader is attached to every request by [`crate::extension::Loaders`].

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use stoa_db::models::attributes::{Attributes, ValueFull};
use stoa_db::models::catalog::{
    NameTranslation, ProductMedia, ProductTranslation, PropertyOption, Variant, batch,
};
use stoa_db::{Pool, pool};
use uuid::Uuid;

/// The per-request loader as attached to requests (with a cache).
pub type CatalogDataLoader =
    async_graphql::dataloader::DataLoader<CatalogLoader, async_graphql::dataloader::HashMapCache>;

/// The loader; one per request.
pub struct CatalogLoader {
    pub pool: Pool,
}

/// Translations of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TranslationsByProduct(pub Uuid);
/// Variants of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VariantsByProduct(pub Uuid);
/// Options of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionsByVariant(pub Uuid);
/// Names of a property option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NamesByOption(pub Uuid);
/// Media of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MediaByProduct(pub Uuid);
/// Category ids of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CategoriesByProduct(pub Uuid);

/// Tag ids of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TagsByProduct(pub Uuid);

/// Attribute values of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributesByProduct(pub Uuid);

/// Attribute values of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributesByVariant(pub Uuid);

/// Loader errors must be `Clone`.
pub type LoadError = Arc<String>;

async fn conn(pool: &Pool) -> Result<stoa_db::Conn, LoadError> {
    pool::conn(pool).await.map_err(|e| Arc::new(e.to_string()))
}

fn rekey<K: Copy + Eq + std::hash::Hash, V>(
    keys: &[K],
    id: impl Fn(K) -> Uuid,
    mut m: HashMap<Uuid, V>,
) -> HashMap<K, V> {
    keys.iter()
        .filter_map(|k| m.remove(&id(*k)).map(|v| (*k, v)))
        .collect()
}

macro_rules! loader {
    ($key:ident, $value:ty, $batch:path) => {
        impl Loader<$key> for CatalogLoader {
            type Value = $value;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let mut c = conn(&self.pool).await?;
                let m = $batch(&mut c, &ids)
                    .await
                    .map_err(|e| Arc::new(e.to_string()))?;
                Ok(rekey(keys, |k| k.0, m))
            }
        }
    };
}

loader!(
    TranslationsByProduct,
    Vec<ProductTranslation>,
    batch::product_translations
);
loader!(VariantsByProduct, Vec<Variant>, batch::variants);
loader!(
    OptionsByVariant,
    Vec<PropertyOption>,
    batch::variant_options
);
loader!(
    NamesByOption,
    Vec<NameTranslation>,
    batch::option_translations
);
loader!(MediaByProduct, Vec<ProductMedia>, batch::product_media);
loader!(CategoriesByProduct, Vec<Uuid>, batch::product_categories);
loader!(TagsByProduct, Vec<Uuid>, batch::product_tags);
loader!(
    AttributesByProduct,
    Vec<ValueFull>,
    Attributes::values_of_products
);
loader!(
    AttributesByVariant,
    Vec<ValueFull>,
    Attributes::values_of_variants
);
