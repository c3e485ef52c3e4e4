//! Discount codes for staff: list with filters, get, create, partial update, delete,
//! validate against an order total (with the computed amount) and apply (an atomic
//! redemption that respects `max_uses`). Every field is guarded by its `discounts.*`
//! permission and every change writes an audit entry.

use async_graphql::{Context, InputObject, Json, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use stoa_db::models::discount::{Discount, DiscountFilter, DiscountWrite};
use stoa_db::pool;
use uuid::Uuid;

use crate::audit;
use crate::catalog::manage::paging;
use crate::domain::auth::Permission;
use crate::domain::discount::{KINDS, check_code, redeem_refusal};
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::hooks;
use crate::state::AppState;
use stoa_plugin_sdk::hooks as hk;

async fn conn(ctx: &Context<'_>) -> Result<stoa_db::Conn, ApiError> {
    Ok(pool::conn(&ctx.data_unchecked::<AppState>().pool).await?)
}

fn not_found() -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, "discount not found")
}

fn code_taken(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError {
            field: Some("code".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "a discount with this code already exists",
            )
        },
        e => e.into(),
    }
}

/// A discount code.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscountNode {
    /// The discount's id.
    pub id: Uuid,
    /// The code customers enter; unique ignoring case.
    pub code: String,
    /// `percentage` or `fixed`.
    #[graphql(name = "type")]
    #[serde(rename = "type")]
    pub kind: String,
    /// Basis points for `percentage` (1000 = 10 %), minor units for `fixed`.
    pub value: i32,
    /// The smallest order total (minor units) the code applies to; 0 = any.
    pub min_order_value: i32,
    /// How often the code may be redeemed; null = unlimited.
    pub max_uses: Option<i32>,
    /// How often the code has been redeemed.
    pub used_count: i32,
    /// Valid from this instant (inclusive); null = already valid.
    pub valid_from: Option<DateTime<Utc>>,
    /// Valid until this instant (exclusive); null = no end.
    pub valid_until: Option<DateTime<Utc>>,
    /// Switched on.
    pub active: bool,
    /// Free-form conditions (a JSON object, stored, not evaluated); null when empty.
    pub conditions: Option<Json<Value>>,
    /// When the discount was created.
    pub created_at: DateTime<Utc>,
    /// When the discount was last changed (a redemption counts).
    pub updated_at: DateTime<Utc>,
}

impl From<Discount> for DiscountNode {
    fn from(d: Discount) -> Self {
        let conditions = d
            .conditions
            .as_object()
            .is_some_and(|m| !m.is_empty())
            .then(|| Json(d.conditions.clone()));
        Self {
            id: d.id,
            code: d.code,
            kind: d.kind,
            value: d.value,
            min_order_value: d.min_order_value,
            max_uses: d.max_uses,
            used_count: d.used_count,
            valid_from: d.valid_from,
            valid_until: d.valid_until,
            active: d.active,
            conditions,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// A page of discounts.
#[derive(SimpleObject)]
pub struct DiscountPage {
    /// The discounts of this page.
    pub items: Vec<DiscountNode>,
    /// Discounts matching the filters.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// Discounts per page.
    pub limit: i64,
    /// Pages in all.
    pub pages: i64,
}

/// A discount that applies to the given order total: every field of the discount, plus the
/// amount it takes off.
#[derive(SimpleObject)]
pub struct DiscountValidation {
    #[graphql(flatten)]
    pub discount: DiscountNode,
    /// The amount (minor units) the discount takes off the order total: percentages rounded
    /// half up, never more than the total.
    pub amount: i64,
}

/// Input of `createDiscount`.
#[derive(InputObject)]
pub struct CreateDiscountInput {
    /// 1 to 100 characters (surrounding spaces are trimmed); unique ignoring case.
    pub code: String,
    /// `percentage` or `fixed`.
    #[graphql(name = "type")]
    pub kind: String,
    /// Basis points for `percentage` (1 to 10000), minor units for `fixed` (at least 1).
    pub value: i32,
    /// Minor units, at least 0 (the default: any order).
    #[graphql(default)]
    pub min_order_value: i32,
    /// At least 1; null or 0 = unlimited.
    pub max_uses: Option<i32>,
    pub valid_from: Option<DateTime<Utc>>,
    /// Must be after `validFrom`.
    pub valid_until: Option<DateTime<Utc>>,
    #[graphql(default = true)]
    pub active: bool,
    /// A JSON object (stored, not evaluated).
    pub conditions: Option<Json<Value>>,
}

/// Input of `updateDiscount`: absent fields stay as they are.
#[derive(InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDiscountInput {
    pub code: Option<String>,
    #[graphql(name = "type")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<i32>,
    pub min_order_value: Option<i32>,
    /// Null or 0 = unlimited; not below the uses so far.
    pub max_uses: MaybeUndefined<i32>,
    /// Null clears it.
    pub valid_from: MaybeUndefined<DateTime<Utc>>,
    /// Null clears it.
    pub valid_until: MaybeUndefined<DateTime<Utc>>,
    pub active: Option<bool>,
    pub conditions: Option<Json<Value>>,
}

fn conditions(v: Option<Json<Value>>) -> Result<Option<Value>, ApiError> {
    match v {
        None => Ok(None),
        Some(Json(Value::Null)) => Ok(Some(json!({}))),
        Some(Json(v @ Value::Object(_))) => Ok(Some(v)),
        Some(_) => Err(ApiError::invalid("conditions", "must be a JSON object")),
    }
}

fn max_uses(v: Option<i32>) -> Option<i32> {
    v.filter(|n| *n != 0)
}

/// The rules every stored discount satisfies (the table's checks, as input errors).
fn check(w: &DiscountWrite, used_count: i32) -> Result<(), ApiError> {
    let len = w.code.chars().count();
    if !(1..=100).contains(&len) {
        return Err(ApiError::invalid("code", "must be 1 to 100 characters"));
    }
    if !KINDS.contains(&w.kind.as_str()) {
        return Err(ApiError::invalid("type", "must be percentage or fixed"));
    }
    if w.value < 1 {
        return Err(ApiError::invalid("value", "must be at least 1"));
    }
    if w.kind == "percentage" && w.value > 10_000 {
        return Err(ApiError::invalid(
            "value",
            "a percentage is at most 10000 basis points (100 %)",
        ));
    }
    if w.min_order_value < 0 {
        return Err(ApiError::invalid("minOrderValue", "must not be negative"));
    }
    if let Some(max) = w.max_uses {
        if max < 1 {
            return Err(ApiError::invalid(
                "maxUses",
                "must be at least 1 (0 or null: unlimited)",
            ));
        }
        if max < used_count {
            return Err(ApiError::invalid(
                "maxUses",
                format!("must not be below the uses so far ({used_count})"),
            ));
        }
    }
    if let (Some(from), Some(until)) = (w.valid_from, w.valid_until)
        && until <= from
    {
        return Err(ApiError::invalid("validUntil", "must be after valid_from"));
    }
    Ok(())
}

fn snapshot(d: &Discount) -> Value {
    json!({
        "code": d.code, "type": d.kind, "value": d.value, "min_order_value": d.min_order_value,
        "max_uses": d.max_uses, "valid_from": d.valid_from, "valid_until": d.valid_until,
        "active": d.active, "conditions": d.conditions,
    })
}

/// `{"field": {"from", "to"}}` for every field that changed.
fn changes(before: &Discount, after: &Discount) -> Value {
    let (b, a) = (snapshot(before), snapshot(after));
    let mut out = serde_json::Map::new();
    if let (Some(b), Some(a)) = (b.as_object(), a.as_object()) {
        for (k, to) in a {
            let from = b.get(k).cloned().unwrap_or(Value::Null);
            if &from != to {
                out.insert(k.clone(), json!({ "from": from, "to": to }));
            }
        }
    }
    Value::Object(out)
}

/// Discount queries.
#[derive(Default)]
pub struct DiscountQuery;

#[Object]
impl DiscountQuery {
    /// Discounts, newest first, paginated (`discounts.read`).
    #[graphql(guard = "StaffGuard(Permission::DiscountsRead)")]
    async fn discounts(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        #[graphql(desc = "1 to 200 (default 20).")] limit: Option<i64>,
        #[graphql(name = "type", desc = "Only `percentage` or only `fixed` discounts.")]
        kind: Option<String>,
        #[graphql(desc = "Case-insensitive substring of the code.")] code: Option<String>,
        active: Option<bool>,
    ) -> Result<DiscountPage> {
        let (page, limit) = paging(page, limit, 20, 200);
        let filter = DiscountFilter {
            kind,
            code: code.filter(|c| !c.is_empty()),
            active,
        };
        let mut c = conn(ctx).await?;
        let (rows, total) = Discount::page(&mut c, &filter, (page - 1) * limit, limit)
            .await
            .map_err(ApiError::from)?;
        Ok(DiscountPage {
            items: rows.into_iter().map(Into::into).collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One discount (`discounts.read`).
    #[graphql(guard = "StaffGuard(Permission::DiscountsRead)")]
    async fn discount(&self, ctx: &Context<'_>, id: Uuid) -> Result<DiscountNode> {
        let mut c = conn(ctx).await?;
        Ok(Discount::by_id(&mut c, id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(not_found)?
            .into())
    }

    /// Checks a code (any case) against an order total (minor units, 0 allowed) now:
    /// the discount and the amount it takes off, or a `DISCOUNT_*` refusal
    /// (`discounts.read`). Changes nothing.
    #[graphql(guard = "StaffGuard(Permission::DiscountsRead)")]
    async fn validate_discount(
        &self,
        ctx: &Context<'_>,
        code: String,
        order_total: i64,
    ) -> Result<DiscountValidation> {
        if code.trim().is_empty() {
            return Err(ApiError::invalid("code", "required").into());
        }
        if order_total < 0 {
            return Err(ApiError::invalid("orderTotal", "must not be negative").into());
        }
        let mut c = conn(ctx).await?;
        let (d, amount) = check_code(&mut c, &code, order_total)
            .await?
            .map_err(ApiError::from)?;
        Ok(DiscountValidation {
            discount: d.into(),
            amount,
        })
    }
}

/// Discount mutations.
#[derive(Default)]
pub struct DiscountMutation;

#[Object]
impl DiscountMutation {
    /// Creates a discount (`discounts.create`). A code taken in any case is a `CONFLICT`.
    #[graphql(guard = "StaffGuard(Permission::DiscountsCreate)")]
    async fn create_discount(
        &self,
        ctx: &Context<'_>,
        input: CreateDiscountInput,
    ) -> Result<DiscountNode> {
        let w = DiscountWrite {
            code: input.code.trim().to_owned(),
            kind: input.kind,
            value: input.value,
            min_order_value: input.min_order_value,
            max_uses: max_uses(input.max_uses),
            valid_from: input.valid_from,
            valid_until: input.valid_until,
            active: input.active,
            conditions: conditions(input.conditions)?.unwrap_or_else(|| json!({})),
        };
        check(&w, 0)?;
        let hook = hooks::guard(
            ctx,
            (hk::DISCOUNT_BEFORE_CREATE, hk::DISCOUNT_AFTER_CREATE),
            || {
                json!({
                    "code": w.code, "type": w.kind, "value": w.value,
                    "minOrderValue": w.min_order_value, "maxUses": w.max_uses,
                    "validFrom": w.valid_from, "validUntil": w.valid_until, "active": w.active,
                    "conditions": w.conditions,
                })
            },
        )
        .await?;
        let mut c = conn(ctx).await?;
        let d = Discount::create(&mut c, &w).await.map_err(code_taken)?;
        audit::record(ctx, &mut c, "create", "discount", Some(d.id), snapshot(&d)).await?;
        let d = DiscountNode::from(d);
        hook.after(|| hooks::snapshot(&d)).await;
        Ok(d)
    }

    /// Changes the given fields of a discount (`discounts.update`); the result must satisfy
    /// the same rules as a new discount.
    #[graphql(guard = "StaffGuard(Permission::DiscountsUpdate)")]
    async fn update_discount(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: UpdateDiscountInput,
    ) -> Result<DiscountNode> {
        let hook = hooks::guard(
            ctx,
            (hk::DISCOUNT_BEFORE_UPDATE, hk::DISCOUNT_AFTER_UPDATE),
            || hooks::with_id(hooks::snapshot(&input), id),
        )
        .await?;
        let new_conditions = conditions(input.conditions)?;
        let mut c = conn(ctx).await?;
        let (before, after) = Discount::update(&mut c, id, move |row, w| {
            if let Some(code) = input.code {
                w.code = code.trim().to_owned();
            }
            if let Some(kind) = input.kind {
                w.kind = kind;
            }
            if let Some(v) = input.value {
                w.value = v;
            }
            if let Some(v) = input.min_order_value {
                w.min_order_value = v;
            }
            match input.max_uses {
                MaybeUndefined::Undefined => {}
                MaybeUndefined::Null => w.max_uses = None,
                MaybeUndefined::Value(n) => w.max_uses = max_uses(Some(n)),
            }
            input.valid_from.update_to(&mut w.valid_from);
            input.valid_until.update_to(&mut w.valid_until);
            if let Some(a) = input.active {
                w.active = a;
            }
            if let Some(cond) = new_conditions {
                w.conditions = cond;
            }
            check(w, row.used_count)
        })
        .await
        .map_err(code_taken)?
        .ok_or_else(not_found)??;
        audit::record(
            ctx,
            &mut c,
            "update",
            "discount",
            Some(id),
            changes(&before, &after),
        )
        .await?;
        let after = DiscountNode::from(after);
        hook.after(|| hooks::snapshot(&after)).await;
        Ok(after)
    }

    /// Deletes a discount (`discounts.delete`). One that an order used is kept: `CONFLICT`.
    #[graphql(guard = "StaffGuard(Permission::DiscountsDelete)")]
    async fn delete_discount(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(
            ctx,
            (hk::DISCOUNT_BEFORE_DELETE, hk::DISCOUNT_AFTER_DELETE),
            || hooks::id(id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let deleted = Discount::delete(&mut c, id).await.map_err(|e| match e {
            stoa_db::DbError::Conflict { .. } => ApiError::with_message(
                ErrorCode::Conflict,
                "the discount is used by orders and cannot be deleted",
            ),
            e => e.into(),
        })?;
        if !deleted {
            return Err(not_found().into());
        }
        audit::record(ctx, &mut c, "delete", "discount", Some(id), json!({})).await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Redeems a discount once (`discounts.update`): atomically, so concurrent calls never
    /// pass `max_uses`. Refused with a `DISCOUNT_*` code when the discount is inactive, not
    /// started, expired or exhausted.
    #[graphql(guard = "StaffGuard(Permission::DiscountsUpdate)")]
    async fn apply_discount(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !Discount::redeem(&mut c, id).await.map_err(ApiError::from)? {
            let d = Discount::by_id(&mut c, id)
                .await
                .map_err(ApiError::from)?
                .ok_or_else(not_found)?;
            return Err(ApiError::from(redeem_refusal(&d, Utc::now())).into());
        }
        audit::record(ctx, &mut c, "apply", "discount", Some(id), json!({})).await?;
        Ok(true)
    }
}
