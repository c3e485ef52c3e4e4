//! The catalog: products, variants, options, media, categories.

pub mod loaders;
pub mod query;
pub mod types;
