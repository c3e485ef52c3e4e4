//! The one schema: the core roots of `stoa-resolvers` merged with the GraphQL fields of the
//! plugins compiled into this binary ([`crate::plugins::PluginQuery`],
//! [`crate::plugins::PluginMutation`]). `/graphql`, the REST rows, the MCP tools, the SDL
//! (`schema/schema.graphql`) and the OpenAPI document all use this schema.

use async_graphql::MergedObject;
use stoa_resolvers::{AppState, GraphqlLimits};

/// The query root.
#[derive(MergedObject, Default)]
pub struct Query(stoa_resolvers::Query, crate::plugins::PluginQuery);

/// The mutation root.
#[derive(MergedObject, Default)]
pub struct Mutation(stoa_resolvers::Mutation, crate::plugins::PluginMutation);

/// The one schema.
pub type StoaSchema = stoa_resolvers::RootSchema<Query, Mutation>;

/// Builds the schema with its state, limits and extensions.
pub fn build_schema(state: AppState, limits: GraphqlLimits) -> StoaSchema {
    stoa_resolvers::build_schema::<Query, Mutation>(state, limits)
}

/// The schema without state: enough for introspection (SDL, OpenAPI generation).
pub fn bare_schema() -> StoaSchema {
    stoa_resolvers::bare_schema::<Query, Mutation>()
}

/// Validates a named operation document against the schema without running it; returns
/// the validation messages (empty when valid).
pub async fn validate_operation(document: &str, operation: &str) -> Vec<String> {
    stoa_resolvers::validate_operation::<Query, Mutation>(document, operation).await
}

/// The SDL with sorted fields and enum items: `schema/schema.graphql`.
pub fn sdl() -> String {
    stoa_resolvers::sdl::<Query, Mutation>()
}
