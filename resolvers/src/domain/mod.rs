//! Domain services: the rules of Stoa, free of GraphQL types.

pub mod auth;
pub mod media;
