//! The REST compatibility layer: `/api/v1` routes as rows of a table, each running a named
//! GraphQL operation in-process through [`async_graphql::Executor`].
