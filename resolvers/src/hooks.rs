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
