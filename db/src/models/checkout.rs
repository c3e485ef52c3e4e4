//! The rows the checkout writes besides stock and the order itself (that one is
//! `orders::insert_checkout_order`): the new-order shapes, the idempotency claim, and the
//! cart it consumes. Every function takes the caller's connection, so the
//! checkout runs them all inside its one transaction.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::cart::{Cart, CartItem};
use crate::error::DbResult;
use crate::schema::{carts, checkout_idempotency, payment_methods};

/// A new order row (the number is given per insert attempt).
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub id: Uuid,
    pub customer_id: Option<Uuid>,
    pub guest_token: Option<String>,
    pub currency: String,
    pub subtotal_net: i32,
    pub subtotal_gross: i32,
    pub discount_total: i32,
    pub shipping_cost: i32,
    pub tax_total: i32,
    pub total: i32,
    pub billing_address: serde_json::Value,
    pub shipping_address: serde_json::Value,
    pub payment_method_id: Option<Uuid>,
    pub shipping_method_id: Option<Uuid>,
    pub discount_id: Option<Uuid>,
    pub discount_code: String,
    pub notes: String,
    pub payment_reference: String,
    pub custom_fields: serde_json::Value,
}

/// A new order line.
#[derive(Debug, Clone)]
pub struct NewOrderItem {
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub unit_price_net: i32,
    pub unit_price_gross: i32,
    pub total_net: i32,
    pub total_gross: i32,
    pub tax_rate: i32,
}

/// The outcome of claiming an idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this transaction owns it (until it commits or rolls back).
    New,
    /// The key was used by a committed checkout of the same caller: its order, if it still
    /// exists.
    Used(Option<Uuid>),
}

/// Claims `(caller, key)`: `INSERT … ON CONFLICT DO NOTHING`. A concurrent checkout holding
/// the same key makes this wait until it commits (then the key is [`Claim::Used`] with its
/// order) or rolls back (then the key is claimed here).
pub async fn claim_idempotency(
    conn: &mut AsyncPgConnection,
    caller: &str,
    key: &str,
) -> DbResult<Claim> {
    let inserted: Option<String> = diesel::insert_into(checkout_idempotency::table)
        .values((
            checkout_idempotency::caller.eq(caller),
            checkout_idempotency::key.eq(key),
        ))
        .on_conflict_do_nothing()
        .returning(checkout_idempotency::key)
        .get_result(conn)
        .await
        .optional()?;
    if inserted.is_some() {
        return Ok(Claim::New);
    }
    let order: Option<Option<Uuid>> = checkout_idempotency::table
        .find((caller, key))
        .select(checkout_idempotency::order_id)
        .first(conn)
        .await
        .optional()?;
    Ok(Claim::Used(order.flatten()))
}

/// Records the order a claimed key produced.
pub async fn complete_idempotency(
    conn: &mut AsyncPgConnection,
    caller: &str,
    key: &str,
    order_id: Uuid,
) -> DbResult<()> {
    diesel::update(checkout_idempotency::table.find((caller, key)))
        .set(checkout_idempotency::order_id.eq(order_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Locks a cart for the rest of the transaction and reads its lines (`None` when it is
/// gone, e.g. consumed by a concurrent checkout).
pub async fn lock_cart(
    conn: &mut AsyncPgConnection,
    cart_id: Uuid,
) -> DbResult<Option<(Cart, Vec<CartItem>)>> {
    let cart: Option<Cart> = carts::table
        .find(cart_id)
        .select(Cart::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some(cart) = cart else {
        return Ok(None);
    };
    let items = Cart::items(conn, cart_id).await?;
    Ok(Some((cart, items)))
}

/// Deletes a cart and its lines (the checkout consumed it).
pub async fn delete_cart(conn: &mut AsyncPgConnection, cart_id: Uuid) -> DbResult<()> {
    diesel::delete(carts::table.find(cart_id))
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether any payment method is active (then checkout needs one).
pub async fn any_active_payment_method(conn: &mut AsyncPgConnection) -> DbResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        payment_methods::table.filter(payment_methods::active.eq(true)),
    ))
    .get_result(conn)
    .await?)
}
