//! Stoa's GraphQL schema: domain services, resolvers, guards and error codes. No HTTP here:
//! the server composes these roots with the plugins' fields ([`RootSchema`]), and the REST
//! layer and the MCP servers execute operations on that schema.

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

use async_graphql::{MergedObject, ObjectType, Schema, SchemaBuilder};

pub use error::{ApiError, ErrorCode};
pub use state::{AcceptLanguage, AppState, GraphqlLimits, GuestSession, I18nSettings, RequestMeta};

/// The core's query fields. The server merges them with the plugins' into the schema's
/// root `Query` (so this object's own GraphQL name never appears in the schema).
#[derive(MergedObject, Default)]
#[graphql(name = "CoreQuery")]
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

/// The core's mutation fields, merged by the server into the root `Mutation`.
#[derive(MergedObject, Default)]
#[graphql(name = "CoreMutation")]
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
    commerce::payments::PaymentMutation,
    commerce::cart::CartMutation,
    commerce::checkout::CheckoutMutation,
    commerce::discounts::DiscountMutation,
    commerce::methods::MethodMutation,
);

/// A schema on the roots `Q` and `M`. The server composes the core roots ([`Query`],
/// [`Mutation`]) with the plugins' merged objects and names the result `StoaSchema`
/// (`stoa_server::schema`); this crate cannot, since plugin crates depend on it.
pub type RootSchema<Q, M> = Schema<Q, M, subscription::Subscription>;

fn builder<Q, M>() -> SchemaBuilder<Q, M, subscription::Subscription>
where
    Q: ObjectType + Default + 'static,
    M: ObjectType + Default + 'static,
{
    Schema::build(Q::default(), M::default(), subscription::Subscription)
}

/// Builds the schema on the roots `Q`/`M` with its state, limits and extensions.
pub fn build_schema<Q, M>(state: AppState, limits: GraphqlLimits) -> RootSchema<Q, M>
where
    Q: ObjectType + Default + 'static,
    M: ObjectType + Default + 'static,
{
    let mut b = builder::<Q, M>()
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

/// The schema on the roots `Q`/`M` without state: enough for introspection (SDL, OpenAPI
/// generation), not for resolving fields that need the database.
pub fn bare_schema<Q, M>() -> RootSchema<Q, M>
where
    Q: ObjectType + Default + 'static,
    M: ObjectType + Default + 'static,
{
    builder::<Q, M>().finish()
}

/// Validates a named operation document against the schema on `Q`/`M` without running it;
/// returns the validation messages (empty when valid). Variable values are not checked.
pub async fn validate_operation<Q, M>(document: &str, operation: &str) -> Vec<String>
where
    Q: ObjectType + Default + 'static,
    M: ObjectType + Default + 'static,
{
    let schema = builder::<Q, M>()
        .extension(extension::ValidateOnly)
        .finish();
    let resp = schema
        .execute(async_graphql::Request::new(document).operation_name(operation))
        .await;
    resp.errors
        .into_iter()
        .map(|e| e.message)
        .filter(|m| !(m.contains("Variable") && m.contains("not provided")))
        .collect()
}

/// The SDL of the schema on `Q`/`M` with sorted fields and enum items (for the server's
/// roots: `schema/schema.graphql`).
pub fn sdl<Q, M>() -> String
where
    Q: ObjectType + Default + 'static,
    M: ObjectType + Default + 'static,
{
    builder::<Q, M>().finish().sdl_with_options(
        async_graphql::SDLExportOptions::new()
            .sorted_fields()
            .sorted_enum_items(),
    )
}
