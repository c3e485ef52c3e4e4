//! The `checkout` mutation: checks the caller and the input's shape, then hands over to
//! [`crate::domain::checkout::place`], which does everything else in one transaction.
//!
//! - Lines come from a cart the caller owns (`cartId`; guests present the cart's session as
//!   for every cart call) or from `items`. Client prices, names and tax rates are accepted
//!   for compatibility and ignored: the server prices every line.
//! - Signed-in customers (with `store.checkout`) place their own orders; anyone else places
//!   a guest order and receives its `guestToken` once, in the result.
//! - `idempotencyKey`: a retry with the same key by the same caller (the customer, else the
//!   guest session, else the client address) returns the first order (`replayed: true`) and
//!   writes nothing, even when the retries race. A key reused with a different body also
//!   returns the first order: keys name an attempt, not a body.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use serde_json::Value;
use stoa_db::pool;
use uuid::Uuid;

use super::cart::presented_session;
use super::orders::OrderNode;
use crate::catalog::query::resolve_locale;
use crate::domain::auth::Permission;
use crate::domain::checkout::{
    self, CheckoutRequest, Idempotency, LineRequest, Source, session_caller,
};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::guard::principal;
use crate::hooks;
use crate::state::{AppState, RequestMeta};

/// A line to buy.
#[derive(InputObject)]
pub struct CheckoutItemInput {
    /// The product (required).
    pub product_id: Option<Uuid>,
    /// The variant; required for products with active variants.
    pub variant_id: Option<Uuid>,
    /// Units (at least 1; required).
    pub quantity: Option<i32>,
    /// Ignored: the server reads the SKU.
    pub sku: Option<Json<Value>>,
    /// Ignored: the server reads the name in the request's locale.
    pub name: Option<Json<Value>>,
    /// Ignored: the server prices every line.
    pub unit_price_net: Option<Json<Value>>,
    /// Ignored: the server prices every line.
    pub unit_price_gross: Option<Json<Value>>,
    /// Ignored: the product's tax rule decides.
    pub tax_rate: Option<Json<Value>>,
}

/// Input of `checkout`.
#[derive(InputObject)]
pub struct CheckoutInput {
    /// A cart the caller owns; its lines are bought and the cart is deleted. Give either
    /// `cartId` or `items`.
    pub cart_id: Option<Uuid>,
    /// A guest cart's session id (else the X-Session-ID header, else the MCP session).
    pub session_id: Option<String>,
    /// Lines to buy (when no `cartId` is given); repeated lines add up.
    pub items: Option<Vec<CheckoutItemInput>>,
    /// ISO 4217 code; default: the cart's, else the store's. Every product must be priced
    /// in it.
    pub currency: Option<String>,
    /// The billing address (a JSON object; required).
    pub billing_address: Option<Json<Value>>,
    /// The shipping address (a JSON object; required).
    pub shipping_address: Option<Json<Value>>,
    /// The buyer's email; stored in the addresses (`email`) that have none.
    pub email: Option<String>,
    /// An active shipping method; its gross price is charged. None: no shipping cost.
    pub shipping_method_id: Option<Uuid>,
    /// An active payment method; required when any is active.
    pub payment_method_id: Option<Uuid>,
    /// The payment provider's reference (at most 255 characters); required for a method
    /// with a provider, not for a manual one.
    pub payment_reference: Option<String>,
    /// A discount code; refused with its DISCOUNT_* code when it does not apply. Default:
    /// the cart's code, when it still applies.
    pub discount_code: Option<String>,
    /// A note for the shop (at most 1000 characters).
    pub notes: Option<String>,
    /// Free-form data (a JSON object).
    pub custom_fields: Option<Json<Value>>,
    /// Locale of the line names (else Accept-Language, else the default).
    pub locale: Option<String>,
}

/// A placed order.
#[derive(SimpleObject)]
pub struct CheckoutResult {
    pub order: OrderNode,
    /// A guest order's lookup token (64 hex characters); keep it to look the order up. Null
    /// for customers' orders.
    pub guest_token: Option<String>,
    /// True when an earlier checkout with the same idempotency key placed this order.
    pub replayed: bool,
}

fn object(field: &str, v: Option<Json<Value>>, required: bool) -> ApiResult<Value> {
    match v.map(|j| j.0) {
        Some(v @ Value::Object(_)) => Ok(v),
        None | Some(Value::Null) if !required => Ok(serde_json::json!({})),
        _ => Err(ApiError::invalid(field, "required: a JSON object")),
    }
}

fn text(field: &str, v: Option<String>, max: usize) -> ApiResult<String> {
    let v = v.map(|s| s.trim().to_owned()).unwrap_or_default();
    if v.chars().count() > max {
        return Err(ApiError::invalid(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(v)
}

fn lines(items: Vec<CheckoutItemInput>) -> ApiResult<Vec<LineRequest>> {
    items
        .into_iter()
        .map(|i| {
            let product_id = i
                .product_id
                .ok_or_else(|| ApiError::invalid("productId", "product_id is required"))?;
            let quantity = i
                .quantity
                .filter(|q| *q >= 1)
                .ok_or_else(|| ApiError::invalid("quantity", "quantity must be at least 1"))?;
            Ok(LineRequest {
                product_id,
                variant_id: i.variant_id,
                quantity,
            })
        })
        .collect()
}

/// Adds `email` to an address object that has none.
fn with_email(mut address: Value, email: &str) -> Value {
    if let Value::Object(m) = &mut address
        && !email.is_empty()
        && !m.contains_key("email")
    {
        m.insert("email".into(), Value::String(email.to_owned()));
    }
    address
}

/// Checkout mutations.
#[derive(Default)]
pub struct CheckoutMutation;

#[Object]
impl CheckoutMutation {
    /// Places an order from a cart or from lines, priced on the server, in one transaction
    /// with the stock deduction and the discount redemption. Errors: VALIDATION_ERROR (with
    /// `field`: items for unknown or inactive products, paymentMethodId, paymentReference,
    /// currency, the addresses …), NOT_FOUND on paymentMethodId / shippingMethodId for
    /// unknown or inactive methods, INSUFFICIENT_STOCK, DISCOUNT_*, REJECTED (a plugin's
    /// `checkout.before`). Nothing is written when it fails.
    async fn checkout(
        &self,
        ctx: &Context<'_>,
        input: CheckoutInput,
        #[graphql(
            desc = "Retries with the same key return the first order (at most 255 characters)"
        )]
        idempotency_key: Option<String>,
    ) -> Result<CheckoutResult> {
        let p = principal(ctx);
        let customer_id = p.customer_id();
        if customer_id.is_some() && !p.has(Permission::StoreCheckout) {
            return Err(ApiError::new(ErrorCode::Forbidden).into());
        }
        let items = input.items.unwrap_or_default();
        let source = match (input.cart_id, items.is_empty()) {
            (Some(_), false) => {
                return Err(
                    ApiError::invalid("cartId", "give either cartId or items, not both").into(),
                );
            }
            (Some(id), true) => Source::Cart {
                id,
                session: presented_session(ctx, input.session_id.clone()),
            },
            (None, false) => Source::Items(lines(items)?),
            (None, true) => {
                return Err(ApiError::invalid(
                    "cartId",
                    "either cartId or at least one item is required",
                )
                .into());
            }
        };
        let currency = match input.currency.map(|c| c.trim().to_ascii_uppercase()) {
            None => None,
            Some(c) if c.is_empty() => None,
            Some(c) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => Some(c),
            Some(_) => {
                return Err(
                    ApiError::invalid("currency", "must be a 3-letter ISO 4217 code").into(),
                );
            }
        };
        let email = text("email", input.email, 255)?;
        let billing_address = with_email(
            object("billingAddress", input.billing_address, true)?,
            &email,
        );
        let shipping_address = with_email(
            object("shippingAddress", input.shipping_address, true)?,
            &email,
        );
        let custom_fields = object("customFields", input.custom_fields, false)?;
        let notes = text("notes", input.notes, 1000)?;
        let payment_reference = text("paymentReference", input.payment_reference, 255)?;
        let discount_code =
            Some(text("discountCode", input.discount_code, 100)?).filter(|c| !c.is_empty());
        let key = text("idempotencyKey", idempotency_key, 255)?;
        let locale = resolve_locale(ctx, input.locale);

        let state = ctx.data_unchecked::<AppState>();
        let mut c = pool::conn(&state.pool).await.map_err(ApiError::from)?;
        let session = presented_session(ctx, input.session_id);
        // Customers act on carts only with `store.cart.manage`; ownership is checked under
        // the cart's lock, after the idempotency key (a retry finds its order, not the
        // consumed cart).
        if matches!(source, Source::Cart { .. })
            && customer_id.is_some()
            && !p.has(Permission::StoreCartManage)
        {
            return Err(ApiError::new(ErrorCode::Forbidden).into());
        }
        let idempotency = (!key.is_empty()).then(|| Idempotency {
            caller: match (customer_id, &session) {
                (Some(id), _) => format!("customer:{id}"),
                (None, Some(s)) => session_caller(s),
                (None, None) => ctx
                    .data_opt::<RequestMeta>()
                    .and_then(|m| m.ip)
                    .map_or_else(|| "anonymous".to_owned(), |ip| format!("ip:{ip}")),
            },
            key,
        });
        let placed = checkout::place(
            &mut c,
            hooks::registry(ctx),
            CheckoutRequest {
                customer_id,
                source,
                currency,
                billing_address,
                shipping_address,
                shipping_method_id: input.shipping_method_id,
                payment_method_id: input.payment_method_id,
                payment_reference,
                discount_code,
                notes,
                custom_fields,
                locale: locale.requested.clone(),
                default_locale: locale.default.clone(),
                idempotency,
            },
        )
        .await
        .map_err(ApiError::from)?;
        let guest_token = placed.order.guest_token.clone();
        Ok(CheckoutResult {
            order: OrderNode::store(placed.order),
            guest_token,
            replayed: placed.replayed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_must_be_objects() {
        assert!(object("billingAddress", None, true).is_err());
        assert!(object("billingAddress", Some(Json(Value::from("x"))), true).is_err());
        assert_eq!(
            object("customFields", None, false).map_err(|e| e.message),
            Ok(serde_json::json!({}))
        );
        let e = object("shippingAddress", Some(Json(Value::Null)), true).err();
        assert_eq!(e.and_then(|e| e.field).as_deref(), Some("shippingAddress"));
    }

    #[test]
    fn email_fills_addresses_without_one() {
        let a = with_email(serde_json::json!({"city": "Berlin"}), "ann@example.com");
        assert_eq!(a["email"], "ann@example.com");
        let b = with_email(
            serde_json::json!({"email": "own@example.com"}),
            "x@example.com",
        );
        assert_eq!(b["email"], "own@example.com");
    }

    #[test]
    fn lines_need_a_product_and_a_positive_quantity() {
        let item = |p: Option<Uuid>, q: Option<i32>| CheckoutItemInput {
            product_id: p,
            variant_id: None,
            quantity: q,
            sku: None,
            name: None,
            unit_price_net: Some(Json(Value::from(1))),
            unit_price_gross: None,
            tax_rate: None,
        };
        let e = lines(vec![item(None, Some(1))]).err();
        assert_eq!(e.and_then(|e| e.field).as_deref(), Some("productId"));
        let e = lines(vec![item(Some(Uuid::nil()), Some(0))]).err();
        assert_eq!(e.and_then(|e| e.field).as_deref(), Some("quantity"));
        assert!(lines(vec![item(Some(Uuid::nil()), Some(2))]).is_ok());
    }
}
