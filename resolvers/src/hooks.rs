//! Running plugin hooks from resolvers: a before-hook's refusal becomes `REJECTED` with the
//! plugin's message; after-hooks run once the operation has committed.

use async_graphql::Context;
use stoa_plugin_sdk::{HookEvent, HookRegistry};

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The hooks of the schema's plugins.
pub fn registry<'a>(ctx: &Context<'a>) -> &'a HookRegistry {
    ctx.data_unchecked::<AppState>().plugins.hooks()
}

/// A before-hook refusal as the API error every surface shows.
pub fn rejected(e: stoa_plugin_sdk::HookError) -> ApiError {
    ApiError::with_message(ErrorCode::Rejected, e.message)
}

/// Runs the before-hook `name` when a plugin listens to it; `event` is only built then.
pub async fn before(
    hooks: &HookRegistry,
    name: &str,
    event: impl FnOnce() -> HookEvent,
) -> Result<(), ApiError> {
    if !hooks.has(name) {
        return Ok(());
    }
    hooks.before(event()).await.map_err(rejected)
}

/// Runs the after-hook `name` when a plugin listens to it (errors are logged by the SDK).
pub async fn after(hooks: &HookRegistry, name: &str, event: impl FnOnce() -> HookEvent) {
    if hooks.has(name) {
        hooks.after(event()).await;
    }
}

/// An entity, input or node as hooks see it: its JSON in the GraphQL field names (types
/// derive `serde::Serialize` with `rename_all = "camelCase"`).
pub fn snapshot<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_else(|e| {
        tracing::error!(error = %e, "hook snapshot failed");
        serde_json::Value::Null
    })
}

/// The before- and after-hook names of one write (`(hk::TAG_BEFORE_CREATE, hk::TAG_AFTER_CREATE)`).
pub type Pair = (&'static str, &'static str);

/// A write whose before-hook accepted: [`Accepted::after`] runs its after-hook once it committed.
#[must_use = "run the after-hook once the write committed"]
pub struct Accepted<'a> {
    hooks: &'a HookRegistry,
    after: &'static str,
}

/// Runs the before-hook of `names` about `entity()` (built only when a plugin listens); a
/// refusal is `REJECTED` with the plugin's message and the caller writes nothing.
pub async fn guard<'a>(
    ctx: &Context<'a>,
    (before_name, after_name): Pair,
    entity: impl FnOnce() -> serde_json::Value,
) -> Result<Accepted<'a>, ApiError> {
    let hooks = registry(ctx);
    before(hooks, before_name, || HookEvent::new(before_name, entity())).await?;
    Ok(Accepted {
        hooks,
        after: after_name,
    })
}

impl Accepted<'_> {
    /// Runs the after-hook about `entity()` (built only when a plugin listens).
    pub async fn after(self, entity: impl FnOnce() -> serde_json::Value) {
        let name = self.after;
        after(self.hooks, name, || HookEvent::new(name, entity())).await;
    }
}

/// `{"id": …}`: what delete hooks see.
pub fn id(id: uuid::Uuid) -> serde_json::Value {
    serde_json::json!({ "id": id })
}

/// `entity` (an input's snapshot) with the `id` it is about (update hooks).
pub fn with_id(mut entity: serde_json::Value, id: uuid::Uuid) -> serde_json::Value {
    if let Some(m) = entity.as_object_mut() {
        m.insert("id".to_owned(), serde_json::json!(id));
    }
    entity
}
