//! Stoa's MCP servers: tool tables mapping tool names to GraphQL operations, executed
//! in-process through [`async_graphql::Executor`].
