//! The catalog: products, variants, options, media, categories.

pub mod admin;
pub mod loaders;
pub mod manage;
pub mod media;
pub mod query;
pub mod search;
pub mod types;
