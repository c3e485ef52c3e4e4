//! Commerce beyond the catalog: customers and their addresses, carts, checkout, orders.

pub mod addresses;
pub mod cart;
pub mod checkout;
pub mod customers;
pub mod discounts;
pub mod methods;
pub mod order_loaders;
pub mod orders;
pub mod payments;
