//! The catalog: products, variants, options, media, categories.

pub mod admin;
pub mod attributes;
pub mod import;
pub mod import_csv;
pub mod loaders;
pub mod manage;
pub mod media;
pub mod query;
pub mod search;
pub mod types;
