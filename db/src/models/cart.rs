//! Carts and their lines. Every line operation is scoped by the cart **and** the line id (the
//! reference's cross-cart item IDOR is fixed here, below any caller), and every quantity change
//! re-checks stock against the line's new total inside one transaction that holds the cart's
//! row lock, so concurrent adds to one cart cannot both pass the check.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Jsonb, Nullable, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::catalog::{Product, Variant};
use super::orders::DomainEvent;
use crate::error::{DbError, DbResult};
use crate::schema::{cart_items, carts, product_variants, products, shipping_methods, tax_rules};

/// A cart row. `session_id` is the guest identity (empty for none); `discount_code` is empty
/// when no code is applied.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = carts, check_for_backend(diesel::pg::Pg))]
pub struct Cart {
    pub id: Uuid,
    pub customer_id: Option<Uuid>,
    pub session_id: String,
    pub currency: String,
    pub discount_code: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A cart line: one (product, variant) per cart.
#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Identifiable)]
#[diesel(table_name = cart_items, check_for_backend(diesel::pg::Pg))]
pub struct CartItem {
    pub id: Uuid,
    pub cart_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new cart.
#[derive(Debug, Clone)]
pub struct NewCart {
    pub customer_id: Option<Uuid>,
    pub session_id: String,
    pub currency: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why a line write was refused.
#[derive(Debug, thiserror::Error)]
pub enum CartError {
    /// The cart does not exist.
    #[error("cart not found")]
    CartNotFound,
    /// No line with this id in this cart (it may exist in another cart).
    #[error("cart item not found")]
    ItemNotFound,
    /// Active warehouses hold less than the line's new quantity.
    #[error("requested quantity exceeds available stock")]
    InsufficientStock,
    /// The line's quantity would not fit an `i32`.
    #[error("quantity too large")]
    QuantityTooLarge,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for CartError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(e.into())
    }
}

#[derive(QueryableByName)]
struct Availability {
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = Bool)]
    negative: bool,
}

/// Whether `requested` units of a product (or of one of its variants) can be sold: the sum over
/// active warehouses covers it, or an active warehouse holding a row for it allows negative
/// stock (the reference's rule, §6 "Cart stock check"). No reservation is made.
pub async fn stock_available(
    conn: &mut AsyncPgConnection,
    product_id: Uuid,
    variant_id: Option<Uuid>,
    requested: i64,
) -> DbResult<bool> {
    let a: Availability = diesel::sql_query(
        "SELECT COALESCE(SUM(ws.quantity), 0)::BIGINT AS total,
                COALESCE(BOOL_OR(w.allow_negative_stock), FALSE) AS negative
           FROM warehouse_stock ws JOIN warehouses w ON w.id = ws.warehouse_id
          WHERE w.active AND ws.product_id = $1 AND ws.variant_id IS NOT DISTINCT FROM $2",
    )
    .bind::<SqlUuid, _>(product_id)
    .bind::<Nullable<SqlUuid>, _>(variant_id)
    .get_result(conn)
    .await?;
    Ok(a.negative || a.total >= requested)
}

impl Cart {
    /// Creates a cart.
    pub async fn create(conn: &mut AsyncPgConnection, new: NewCart) -> DbResult<Self> {
        Ok(diesel::insert_into(carts::table)
            .values((
                carts::id.eq(Uuid::now_v7()),
                carts::customer_id.eq(new.customer_id),
                carts::session_id.eq(new.session_id),
                carts::currency.eq(new.currency),
                carts::expires_at.eq(new.expires_at),
            ))
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// A cart by id (expired carts included; callers decide).
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(carts::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The cart's lines, oldest first.
    pub async fn items(conn: &mut AsyncPgConnection, cart_id: Uuid) -> DbResult<Vec<CartItem>> {
        Ok(cart_items::table
            .filter(cart_items::cart_id.eq(cart_id))
            .order((cart_items::created_at, cart_items::id))
            .select(CartItem::as_select())
            .load(conn)
            .await?)
    }

    /// Sets (or, with `""`, clears) the discount code.
    pub async fn set_discount_code(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        code: &str,
    ) -> DbResult<Self> {
        let code = code.to_owned();
        conn.transaction::<_, DbError, _>(async move |tx| {
            let cart: Self = diesel::update(carts::table.find(id))
                .set((
                    carts::discount_code.eq(code),
                    carts::updated_at.eq(Utc::now()),
                ))
                .returning(Self::as_returning())
                .get_result(tx)
                .await?;
            record_changed(tx, cart.id, cart.customer_id).await?;
            Ok(cart)
        })
        .await
    }
}

/// Locks the cart row for the rest of the transaction and marks it changed; returns the
/// cart's customer.
async fn lock_cart(tx: &mut AsyncPgConnection, cart_id: Uuid) -> Result<Option<Uuid>, CartError> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::updated_at.eq(Utc::now()))
        .returning(carts::customer_id)
        .get_result(tx)
        .await
        .optional()?
        .ok_or(CartError::CartNotFound)
}

/// Records the `cart.changed` event (payload `{cart_id}`) in the caller's transaction.
async fn record_changed(
    tx: &mut AsyncPgConnection,
    cart_id: Uuid,
    customer_id: Option<Uuid>,
) -> DbResult<()> {
    DomainEvent::record(
        tx,
        "cart.changed",
        Some(cart_id),
        customer_id,
        serde_json::json!({ "cart_id": cart_id }),
    )
    .await?;
    Ok(())
}

impl CartItem {
    /// Adds `quantity` units of a (product, variant) line: a new line, or more of an existing
    /// one (the unique line index treats "no variant" as one value). Stock must cover the
    /// line's total. `custom_fields` replace the line's when not empty.
    pub async fn add(
        conn: &mut AsyncPgConnection,
        cart_id: Uuid,
        product_id: Uuid,
        variant_id: Option<Uuid>,
        quantity: i32,
        custom_fields: serde_json::Value,
    ) -> Result<Self, CartError> {
        conn.transaction::<_, CartError, _>(async move |tx| {
            let customer_id = lock_cart(tx, cart_id).await?;
            let existing: Option<i32> = {
                let q = cart_items::table
                    .filter(cart_items::cart_id.eq(cart_id))
                    .filter(cart_items::product_id.eq(product_id))
                    .select(cart_items::quantity);
                match variant_id {
                    Some(v) => q.filter(cart_items::variant_id.eq(v)).first(tx).await,
                    None => q.filter(cart_items::variant_id.is_null()).first(tx).await,
                }
                .optional()?
            };
            let total = i64::from(existing.unwrap_or(0)) + i64::from(quantity);
            if i32::try_from(total).is_err() {
                return Err(CartError::QuantityTooLarge);
            }
            if !stock_available(tx, product_id, variant_id, total).await? {
                return Err(CartError::InsufficientStock);
            }
            let item: CartItem = diesel::sql_query(
                "INSERT INTO cart_items (id, cart_id, product_id, variant_id, quantity, custom_fields)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (cart_id, product_id, COALESCE(variant_id, '00000000-0000-0000-0000-000000000000'))
                 DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity,
                               custom_fields = CASE WHEN EXCLUDED.custom_fields = '{}'::jsonb
                                                    THEN cart_items.custom_fields
                                                    ELSE EXCLUDED.custom_fields END,
                               updated_at = NOW()
                 RETURNING id, cart_id, product_id, variant_id, quantity, custom_fields, created_at, updated_at",
            )
            .bind::<SqlUuid, _>(Uuid::now_v7())
            .bind::<SqlUuid, _>(cart_id)
            .bind::<SqlUuid, _>(product_id)
            .bind::<Nullable<SqlUuid>, _>(variant_id)
            .bind::<Integer, _>(quantity)
            .bind::<Jsonb, _>(custom_fields)
            .get_result(tx)
            .await?;
            record_changed(tx, cart_id, customer_id).await?;
            Ok(item)
        })
        .await
    }

    /// Sets the quantity of the line `item_id` **of the cart `cart_id`**, re-checking stock.
    pub async fn set_quantity(
        conn: &mut AsyncPgConnection,
        cart_id: Uuid,
        item_id: Uuid,
        quantity: i32,
    ) -> Result<Self, CartError> {
        conn.transaction::<_, CartError, _>(async move |tx| {
            let customer_id = lock_cart(tx, cart_id).await?;
            let item: CartItem = cart_items::table
                .filter(cart_items::id.eq(item_id))
                .filter(cart_items::cart_id.eq(cart_id))
                .select(CartItem::as_select())
                .first(tx)
                .await
                .optional()?
                .ok_or(CartError::ItemNotFound)?;
            if quantity > item.quantity
                && !stock_available(tx, item.product_id, item.variant_id, i64::from(quantity))
                    .await?
            {
                return Err(CartError::InsufficientStock);
            }
            let item = diesel::update(cart_items::table.find(item.id))
                .set((
                    cart_items::quantity.eq(quantity),
                    cart_items::updated_at.eq(Utc::now()),
                ))
                .returning(CartItem::as_returning())
                .get_result(tx)
                .await?;
            record_changed(tx, cart_id, customer_id).await?;
            Ok(item)
        })
        .await
    }

    /// Removes the line `item_id` **of the cart `cart_id`**.
    pub async fn remove(
        conn: &mut AsyncPgConnection,
        cart_id: Uuid,
        item_id: Uuid,
    ) -> Result<(), CartError> {
        conn.transaction::<_, CartError, _>(async move |tx| {
            let customer_id = lock_cart(tx, cart_id).await?;
            let n = diesel::delete(
                cart_items::table
                    .filter(cart_items::id.eq(item_id))
                    .filter(cart_items::cart_id.eq(cart_id)),
            )
            .execute(tx)
            .await?;
            if n == 0 {
                return Err(CartError::ItemNotFound);
            }
            record_changed(tx, cart_id, customer_id).await?;
            Ok(())
        })
        .await
    }
}

/// What pricing needs about a set of lines, read in three statements.
#[derive(Debug, Clone, Default)]
pub struct PricingRows {
    pub products: HashMap<Uuid, Product>,
    pub variants: HashMap<Uuid, Variant>,
    /// Tax rule id → rate in basis points.
    pub tax_rates: HashMap<Uuid, i32>,
}

/// Loads the products, variants and tax rates of the given ids.
pub async fn pricing_rows(
    conn: &mut AsyncPgConnection,
    product_ids: &[Uuid],
    variant_ids: &[Uuid],
) -> DbResult<PricingRows> {
    let mut out = PricingRows::default();
    if !product_ids.is_empty() {
        let ps: Vec<Product> = products::table
            .filter(products::id.eq_any(product_ids))
            .select(Product::as_select())
            .load(conn)
            .await?;
        let rule_ids: Vec<Uuid> = ps.iter().filter_map(|p| p.tax_rule_id).collect();
        if !rule_ids.is_empty() {
            let rates: Vec<(Uuid, i32)> = tax_rules::table
                .filter(tax_rules::id.eq_any(&rule_ids))
                .select((tax_rules::id, tax_rules::rate))
                .load(conn)
                .await?;
            out.tax_rates = rates.into_iter().collect();
        }
        out.products = ps.into_iter().map(|p| (p.id, p)).collect();
    }
    if !variant_ids.is_empty() {
        let vs: Vec<Variant> = product_variants::table
            .filter(product_variants::id.eq_any(variant_ids))
            .select(Variant::as_select())
            .load(conn)
            .await?;
        out.variants = vs.into_iter().map(|v| (v.id, v)).collect();
    }
    Ok(out)
}

/// The cheapest active shipping method's `(price_net, price_gross)`, if any is active.
pub async fn cheapest_shipping(conn: &mut AsyncPgConnection) -> DbResult<Option<(i32, i32)>> {
    Ok(shipping_methods::table
        .filter(shipping_methods::active.eq(true))
        .order((shipping_methods::price_gross, shipping_methods::id))
        .select((shipping_methods::price_net, shipping_methods::price_gross))
        .first(conn)
        .await
        .optional()?)
}
