//! Stoa's GraphQL schema: domain services, resolvers, guards and error codes. No HTTP here:
//! the server, the REST layer and the MCP servers all execute operations on [`StoaSchema`].

pub mod account;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod commerce;
pub mod domain;
pub mod error;
pub mod events;
pub mod extension;
pub mod guard;
pub mod hooks;
pub mod settings;
pub mod state;
pub mod subscription;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

pub use error::{ApiError, ErrorCode};
pub use state::{AcceptLanguage, AppState, GraphqlLimits, GuestSession, I18nSettings, RequestMeta};

/// The query root.
#[derive(MergedObject, Default)]
pub struct Query(
    account::AccountQuery,
    api_keys::ApiKeyQuery,
    settings::SettingsQuery,
    audit::AuditQuery,
    catalog::query::CatalogQuery,
    catalog::admin::CatalogAdminQuery,
    catalog::manage::CatalogManageQuery,
    catalog::search::SearchQuery,
    catalog::media::MediaQuery,
    catalog::attributes::AttributeQuery,
    catalog::import::CatalogImportQuery,
    commerce::customers::CustomerAdminQuery,
    commerce::addresses::AddressQuery,
    commerce::orders::OrderQuery,
    commerce::cart::CartQuery,
    commerce::discounts::DiscountQuery,
    commerce::methods::MethodQuery,
);

/// The mutation root.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    account::AccountMutation,
    api_keys::ApiKeyMutation,
    settings::SettingsMutation,
    catalog::admin::CatalogAdminMutation,
    catalog::manage::CatalogManageMutation,
    catalog::media::MediaMutation,
    catalog::attributes::AttributeMutation,
    catalog::import::CatalogImportMutation,
    commerce::customers::CustomerAdminMutation,
    commerce::addresses::AddressMutation,
    commerce::orders::OrderMutation,
    commerce::cart::CartMutation,
    commerce::checkout::CheckoutMutation,
    commerce::discounts::DiscountMutation,
    commerce::methods::MethodMutation,
);

/// The one schema.
pub type StoaSchema = Schema<Query, Mutation, subscription::Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, subscription::Subscription> {
    Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
}

/// Builds the schema with its state, limits and extensions.
pub fn build_schema(state: AppState, limits: GraphqlLimits) -> StoaSchema {
    let mut b = builder()
        .data(state)
        .extension(extension::ErrorCodes)
        .extension(extension::Loaders)
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity);
    if !limits.introspection {
        b = b.disable_introspection();
    }
    b.finish()
}

/// The schema without state: enough for introspection (SDL, OpenAPI generation), not for
/// resolving fields that need the database.
pub fn bare_schema() -> StoaSchema {
    builder().finish()
}

/// Validates a named operation document against the schema without running it; returns
/// the validation messages (empty when valid). Variable values are not checked.
pub async fn validate_operation(document: &str, operation: &str) -> Vec<String> {
    let schema = builder().extension(extension::ValidateOnly).finish();
    let resp = schema
        .execute(async_graphql::Request::new(document).operation_name(operation))
        .await;
    resp.errors
        .into_iter()
        .map(|e| e.message)
        .filter(|m| !(m.contains("Variable") && m.contains("not provided")))
        .collect()
}

/// The SDL with sorted fields and enum items: `schema/schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl_with_options(
        async_graphql::SDLExportOptions::new()
            .sorted_fields()
            .sorted_enum_items(),
    )
}
