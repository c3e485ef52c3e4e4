//! The rows the checkout writes besides stock: the order with its lines, the idempotency
//! claim, and the cart it consumes. Every function takes the caller's connection, so the
//! checkout runs them all inside its one transaction.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::cart::{Cart, CartItem};
use super::orders::{Order, OrderItem};
use crate::error::DbResult;
use crate::schema::{carts, checkout_idempotency, order_items, orders, payment_methods};

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

/// Inserts the order row (status `pending`) with `number`.
pub async fn insert_order(
    conn: &mut AsyncPgConnection,
    o: &NewOrder,
    number: &str,
) -> DbResult<Order> {
    Ok(diesel::insert_into(orders::table)
        .values((
            orders::id.eq(o.id),
            orders::order_number.eq(number),
            orders::customer_id.eq(o.customer_id),
            orders::guest_token.eq(o.guest_token.as_deref()),
            orders::status.eq("pending"),
            orders::currency.eq(&o.currency),
            orders::subtotal_net.eq(o.subtotal_net),
            orders::subtotal_gross.eq(o.subtotal_gross),
            orders::discount_total.eq(o.discount_total),
            orders::shipping_cost.eq(o.shipping_cost),
            orders::tax_total.eq(o.tax_total),
            orders::total.eq(o.total),
            orders::billing_address.eq(&o.billing_address),
            orders::shipping_address.eq(&o.shipping_address),
            orders::payment_method_id.eq(o.payment_method_id),
            orders::shipping_method_id.eq(o.shipping_method_id),
            orders::discount_id.eq(o.discount_id),
            orders::discount_code.eq(&o.discount_code),
            orders::notes.eq(&o.notes),
            orders::payment_reference.eq(&o.payment_reference),
            orders::custom_fields.eq(&o.custom_fields),
        ))
        .returning(Order::as_returning())
        .get_result(conn)
        .await?)
}

/// Inserts an order's lines, in the given order (ids are time-ordered, so the stored order
/// reads back the same).
pub async fn insert_items(
    conn: &mut AsyncPgConnection,
    order_id: Uuid,
    items: &[NewOrderItem],
) -> DbResult<Vec<OrderItem>> {
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<_> = items
        .iter()
        .map(|i| {
            (
                order_items::id.eq(Uuid::now_v7()),
                order_items::order_id.eq(order_id),
                order_items::product_id.eq(Some(i.product_id)),
                order_items::variant_id.eq(i.variant_id),
                order_items::sku.eq(&i.sku),
                order_items::name.eq(&i.name),
                order_items::quantity.eq(i.quantity),
                order_items::unit_price_net.eq(i.unit_price_net),
                order_items::unit_price_gross.eq(i.unit_price_gross),
                order_items::total_net.eq(i.total_net),
                order_items::total_gross.eq(i.total_gross),
                order_items::tax_rate.eq(i.tax_rate),
            )
        })
        .collect();
    Ok(diesel::insert_into(order_items::table)
        .values(&rows)
        .returning(OrderItem::as_returning())
        .get_results(conn)
        .await?)
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
