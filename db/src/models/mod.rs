//! Row types and the query functions that read and write them.

pub mod admin_user;
pub mod api_key;
pub mod attributes;
pub mod audit_log;
pub mod auth_state;
pub mod cart;
pub mod catalog;
pub mod catalog_import;
pub mod catalog_manage;
pub mod catalog_write;
pub mod checkout;
pub mod customer;
pub mod customer_admin;
pub mod discount;
pub mod media;
pub mod orders;
pub mod payments;
pub mod search;
pub mod settings;
pub mod shipping_payment;
pub mod stock;

pub use admin_user::{AdminUser, NewAdminUser};
pub use api_key::{ApiKey, NewApiKey};
pub use audit_log::{AuditFilter, AuditLog, NewAuditLog};
pub use auth_state::{LoginAttempts, RefreshToken, RevokedAccessToken};
pub use customer::{Customer, CustomerChanges, NewCustomer};
pub use settings::{StoreSettings, StoreSettingsChanges};
