//! Domain services: the rules of Stoa, free of GraphQL types.

pub mod auth;
pub mod checkout;
pub mod discount;
pub mod media;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod secrets;
