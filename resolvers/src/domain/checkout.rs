//! The checkout: turns a cart (or a list of lines) into an order in **one** transaction.
//! Free of GraphQL types; the resolver checks the caller and the input's shape first.
//!
//! Inside the transaction, in this order:
//! 1. the idempotency key is claimed (`INSERT … ON CONFLICT DO NOTHING`): a retry of a
//!    committed checkout returns its order; a concurrent retry waits on the key's row lock and
//!    then returns the order the first one committed;
//! 2. the cart is locked and read (a cart consumed meanwhile is NOT_FOUND);
//! 3. every line is re-read (one statement for all lines, [`checkout_lines`]) and priced on
//!    the server ([`crate::domain::pricing`]): unknown or
//!    inactive products and variants, a variant of another product, a product with variants
//!    without a variant, and products priced in another currency are refused; names come in
//!    the request's locale (else the default, else the first);
//! 4. the shipping method (must be active; its gross price is charged) and the payment rule:
//!    when an active payment method exists one is required and must be active; a method with
//!    a provider needs a payment reference, a manual one (empty provider) does not;
//! 5. the discount code is evaluated ([`crate::domain::discount`]);
//! 6. `checkout.before` runs with the draft order (a refusal cancels everything);
//! 7. the order (unique number, another one on a collision), its lines, the creation history
//!    row and the `order.created` event are written in one statement ([`insert_checkout_order`]);
//! 8. the discount is redeemed atomically (a code used up meanwhile cancels everything);
//! 9. stock is taken ([`stoa_db::models::stock::take_for_order`]; not enough cancels
//!    everything);
//! 10. the key is completed with the order and the cart is deleted; commit.
//!
//! The transaction sends no notification itself: PostgreSQL serializes the commits of
//! notifying transactions on one global lock held until the commit record is flushed, which
//! made concurrent checkouts commit one by one. The order insert defers them (the event
//! ids and the catalog tables changed), and [`notify_committed`] sends them right after the
//! commit in one statement that does not wait for a flush.
//!
//! After the commit `checkout.after` and `order.after_create` run; when anything failed after
//! `checkout.before` had accepted, `checkout.after_failed` runs with the error. Every hook
//! gets the order snapshot in GraphQL field names and the metadata `provider` (the payment
//! method's, "" for manual) and `payment_reference`.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use stoa_db::diesel_async::AsyncConnection;
use stoa_db::models::checkout::{self as db, Claim, NewOrder, NewOrderItem};
use stoa_db::models::discount::Discount;
use stoa_db::models::orders::{
    ORDER_NUMBER_ATTEMPTS, ORDER_NUMBER_CONSTRAINT, Order, OrderItem, PlacedOrder, checkout_lines,
    insert_checkout_order, notify_committed,
};
use stoa_db::models::settings::StoreSettings;
use stoa_db::models::shipping_payment::{PaymentMethod, ShippingMethod};
use stoa_db::models::stock::{self, StockError};
use stoa_db::{AsyncPgConnection, DbError};
use stoa_plugin_sdk::{HookError, HookEvent, HookRegistry, hooks as names};
use uuid::Uuid;

use crate::domain::discount::{self, DiscountRefusal};
use crate::domain::orders::new_order_number;
use crate::domain::pricing::{self, LineInput};
use crate::error::{ApiError, ErrorCode};

/// One requested line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRequest {
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
}

/// Where the lines come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A cart; it is deleted by the checkout. Checked under its lock: a customer's cart is
    /// only that customer's, a guest cart only for whoever presents its session id, an
    /// expired cart is NOT_FOUND.
    Cart {
        id: Uuid,
        /// The guest session the caller presents.
        session: Option<String>,
    },
    /// Lines given directly.
    Items(Vec<LineRequest>),
}

/// An idempotency key and whose it is.
#[derive(Debug, Clone)]
pub struct Idempotency {
    /// `customer:<id>`, `session:<sha256 of the guest session>`, `ip:<address>` or `anonymous`.
    pub caller: String,
    pub key: String,
}

/// A checkout, its shape already checked.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    /// The signed-in customer; `None` is a guest order (a guest token is issued).
    pub customer_id: Option<Uuid>,
    pub source: Source,
    /// ISO 4217, upper case; `None`: the cart's, else the store's.
    pub currency: Option<String>,
    pub billing_address: Value,
    pub shipping_address: Value,
    pub shipping_method_id: Option<Uuid>,
    pub payment_method_id: Option<Uuid>,
    pub payment_reference: String,
    /// An explicit code (refused when it does not apply); `None`: the cart's code, which is
    /// applied only when it still applies.
    pub discount_code: Option<String>,
    pub notes: String,
    pub custom_fields: Value,
    /// Locale of the line names, and the store's default.
    pub locale: String,
    pub default_locale: String,
    pub idempotency: Option<Idempotency>,
}

/// A placed (or, for a retried key, earlier placed) order.
#[derive(Debug, Clone)]
pub struct Placed {
    pub order: Order,
    pub items: Vec<OrderItem>,
    /// True when an earlier checkout with the same key placed it.
    pub replayed: bool,
}

/// Why a checkout did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error("cart not found")]
    CartNotFound,
    #[error("you do not have access to this cart")]
    CartForbidden,
    #[error("cart is empty")]
    EmptyCart,
    #[error("product or variant not found")]
    InvalidProduct,
    #[error("product is priced in {product}, the order in {order}")]
    CurrencyMismatch { product: String, order: String },
    #[error("a payment method is required")]
    PaymentMethodRequired,
    #[error("payment method not found or inactive")]
    InvalidPaymentMethod,
    #[error("a payment reference is required for this payment method")]
    PaymentReferenceRequired,
    #[error("shipping method not found or inactive")]
    InvalidShippingMethod,
    #[error("order amounts are too large")]
    AmountTooLarge,
    #[error(transparent)]
    Discount(DiscountRefusal),
    #[error("one or more items are out of stock")]
    InsufficientStock {
        product_id: Uuid,
        variant_id: Option<Uuid>,
    },
    #[error("{0}")]
    Rejected(HookError),
    /// The key's earlier checkout left no order (it was deleted since).
    #[error("the idempotency key was used by an order that no longer exists")]
    KeyOrphaned,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<stoa_db::DieselError> for CheckoutError {
    fn from(e: stoa_db::DieselError) -> Self {
        Self::Db(e.into())
    }
}

impl CheckoutError {
    /// The stable code the caller sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::CartNotFound | Self::InvalidPaymentMethod | Self::InvalidShippingMethod => {
                ErrorCode::NotFound
            }
            Self::CartForbidden => ErrorCode::Forbidden,
            Self::EmptyCart
            | Self::InvalidProduct
            | Self::CurrencyMismatch { .. }
            | Self::PaymentMethodRequired
            | Self::PaymentReferenceRequired
            | Self::AmountTooLarge => ErrorCode::ValidationError,
            Self::Discount(r) => r.code(),
            Self::InsufficientStock { .. } => ErrorCode::InsufficientStock,
            Self::Rejected(_) => ErrorCode::Rejected,
            Self::KeyOrphaned => ErrorCode::Conflict,
            Self::Db(DbError::Unavailable(_)) => ErrorCode::ServiceUnavailable,
            Self::Db(DbError::NotFound) => ErrorCode::NotFound,
            Self::Db(DbError::Conflict { .. }) => ErrorCode::Conflict,
            Self::Db(DbError::Query(_)) => ErrorCode::InternalError,
        }
    }
}

impl From<CheckoutError> for ApiError {
    fn from(e: CheckoutError) -> Self {
        let on = |field: &str, code: ErrorCode, e: &CheckoutError| ApiError {
            field: Some(field.to_owned()),
            ..ApiError::with_message(code, e.to_string())
        };
        match e {
            CheckoutError::CartNotFound => on("cartId", ErrorCode::NotFound, &e),
            CheckoutError::CartForbidden => {
                ApiError::with_message(ErrorCode::Forbidden, e.to_string())
            }
            CheckoutError::EmptyCart => on("cartId", ErrorCode::ValidationError, &e),
            CheckoutError::InvalidProduct => on("items", ErrorCode::ValidationError, &e),
            CheckoutError::CurrencyMismatch { .. } => {
                on("currency", ErrorCode::ValidationError, &e)
            }
            CheckoutError::PaymentMethodRequired => {
                on("paymentMethodId", ErrorCode::ValidationError, &e)
            }
            CheckoutError::InvalidPaymentMethod => on("paymentMethodId", ErrorCode::NotFound, &e),
            CheckoutError::PaymentReferenceRequired => {
                on("paymentReference", ErrorCode::ValidationError, &e)
            }
            CheckoutError::InvalidShippingMethod => on("shippingMethodId", ErrorCode::NotFound, &e),
            CheckoutError::AmountTooLarge => on("quantity", ErrorCode::ValidationError, &e),
            CheckoutError::Discount(r) => ApiError {
                field: Some("discountCode".into()),
                ..ApiError::from(r)
            },
            CheckoutError::InsufficientStock { .. } => {
                ApiError::with_message(ErrorCode::InsufficientStock, e.to_string())
            }
            CheckoutError::Rejected(h) => crate::hooks::rejected(h),
            CheckoutError::KeyOrphaned => on("idempotencyKey", ErrorCode::Conflict, &e),
            CheckoutError::Db(e) => e.into(),
        }
    }
}

/// A guest token: 32 bytes of the OS CSPRNG as 64 hex characters.
pub fn new_guest_token() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b)?;
    Ok(hex::encode(b))
}

/// The idempotency caller of a guest session (hashed: sessions may be long).
pub fn session_caller(session: &str) -> String {
    format!(
        "session:{}",
        hex::encode(Sha256::digest(session.as_bytes()))
    )
}

/// The draft of an order, before it has an id and a number.
struct Draft {
    order: NewOrder,
    items: Vec<NewOrderItem>,
    provider: String,
}

fn i32_of(v: i64) -> Result<i32, CheckoutError> {
    i32::try_from(v).map_err(|_| CheckoutError::AmountTooLarge)
}

/// Merges repeated (product, variant) lines, keeping the first one's position.
fn merge(lines: &[LineRequest]) -> Result<Vec<LineRequest>, CheckoutError> {
    let mut out: Vec<LineRequest> = Vec::with_capacity(lines.len());
    for l in lines {
        if let Some(m) = out
            .iter_mut()
            .find(|m| m.product_id == l.product_id && m.variant_id == l.variant_id)
        {
            m.quantity = m
                .quantity
                .checked_add(l.quantity)
                .ok_or(CheckoutError::AmountTooLarge)?;
        } else {
            out.push(*l);
        }
    }
    Ok(out)
}

/// Reads, checks and prices everything; writes nothing.
async fn draft(
    tx: &mut AsyncPgConnection,
    req: &CheckoutRequest,
    lines: &[LineRequest],
    cart_currency: Option<&str>,
    cart_code: Option<&str>,
) -> Result<Draft, CheckoutError> {
    let currency = match (&req.currency, cart_currency) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) => c.to_owned(),
        (None, None) => StoreSettings::get(tx).await?.currency,
    };
    // One statement reads every line's product, tax rate, variant, active-variant count and
    // name (and whether a payment method is required).
    let keys: Vec<(Uuid, Option<Uuid>)> =
        lines.iter().map(|l| (l.product_id, l.variant_id)).collect();
    let rows = checkout_lines(tx, &keys, &req.locale, &req.default_locale).await?;
    let payment_required = match rows.first() {
        Some(r) => r.payment_required,
        None => db::any_active_payment_method(tx).await?,
    };
    if rows.len() != lines.len() {
        return Err(CheckoutError::InvalidProduct);
    }
    let mut inputs = Vec::with_capacity(lines.len());
    let mut labels = Vec::with_capacity(lines.len());
    for (l, row) in lines.iter().zip(&rows) {
        let (Some(true), Some(product_currency), Some(price_net), Some(price_gross)) = (
            row.product_active,
            row.currency.as_deref(),
            row.product_price_net,
            row.product_price_gross,
        ) else {
            return Err(CheckoutError::InvalidProduct);
        };
        match l.variant_id {
            Some(_)
                if row.variant_id.is_none()
                    || row.variant_active != Some(true)
                    || row.variant_product_id != Some(l.product_id) =>
            {
                return Err(CheckoutError::InvalidProduct);
            }
            None if row.active_variants > 0 => return Err(CheckoutError::InvalidProduct),
            _ => {}
        }
        if !product_currency.eq_ignore_ascii_case(&currency) {
            return Err(CheckoutError::CurrencyMismatch {
                product: product_currency.to_owned(),
                order: currency,
            });
        }
        inputs.push(LineInput {
            product_price_net: price_net,
            product_price_gross: price_gross,
            variant_price_net: row.variant_price_net,
            variant_price_gross: row.variant_price_gross,
            tax_rate: row.tax_rate,
            quantity: l.quantity,
        });
        let sku = row
            .variant_sku
            .clone()
            .or_else(|| row.product_sku.clone())
            .unwrap_or_default();
        labels.push((sku, row.name.clone().unwrap_or_default()));
    }

    let shipping = match req.shipping_method_id {
        Some(id) => Some(
            ShippingMethod::by_id(tx, id)
                .await?
                .filter(|m| m.method.active)
                .ok_or(CheckoutError::InvalidShippingMethod)?
                .method,
        ),
        None => None,
    };
    let payment = match req.payment_method_id {
        Some(id) => Some(
            PaymentMethod::by_id(tx, id)
                .await?
                .filter(|m| m.method.active)
                .ok_or(CheckoutError::InvalidPaymentMethod)?
                .method,
        ),
        None if payment_required => {
            return Err(CheckoutError::PaymentMethodRequired);
        }
        None => None,
    };
    let provider = payment
        .as_ref()
        .map(|p| p.provider.clone())
        .unwrap_or_default();
    if !provider.is_empty() && req.payment_reference.trim().is_empty() {
        return Err(CheckoutError::PaymentReferenceRequired);
    }

    let subtotal_gross = pricing::price(&inputs, None, 0).totals.subtotal_gross;
    let now = chrono::Utc::now();
    let (discount, amount) = match (&req.discount_code, cart_code) {
        (Some(code), _) => {
            let d = Discount::by_code(tx, code)
                .await?
                .ok_or(CheckoutError::Discount(DiscountRefusal::NotFound))?;
            let a = discount::evaluate(&d, subtotal_gross, now).map_err(CheckoutError::Discount)?;
            (Some(d), a)
        }
        (None, Some(code)) if !code.is_empty() => match Discount::by_code(tx, code).await? {
            // The cart's totals showed nothing off for a code that does not apply either.
            Some(d) => match discount::evaluate(&d, subtotal_gross, now) {
                Ok(a) => (Some(d), a),
                Err(_) => (None, 0),
            },
            None => (None, 0),
        },
        _ => (None, 0),
    };
    let priced = pricing::price(
        &inputs,
        shipping.as_ref().map(|s| i64::from(s.price_gross)),
        amount,
    );
    let mut items = Vec::with_capacity(lines.len());
    for ((l, p), (sku, name)) in lines.iter().zip(&priced.lines).zip(labels) {
        items.push(NewOrderItem {
            product_id: l.product_id,
            variant_id: l.variant_id,
            sku,
            name,
            quantity: l.quantity,
            unit_price_net: i32_of(p.unit_price_net)?,
            unit_price_gross: i32_of(p.unit_price_gross)?,
            total_net: i32_of(p.line_total_net)?,
            total_gross: i32_of(p.line_total_gross)?,
            tax_rate: p.tax_rate,
        });
    }
    let t = priced.totals;
    let guest_token = if req.customer_id.is_none() {
        Some(new_guest_token().map_err(|e| DbError::Unavailable(format!("random source: {e}")))?)
    } else {
        None
    };
    Ok(Draft {
        order: NewOrder {
            id: Uuid::now_v7(),
            customer_id: req.customer_id,
            guest_token,
            currency,
            subtotal_net: i32_of(t.subtotal_net)?,
            subtotal_gross: i32_of(t.subtotal_gross)?,
            discount_total: i32_of(t.discount_total)?,
            shipping_cost: i32_of(t.shipping_total)?,
            tax_total: i32_of(t.tax_total)?,
            total: i32_of(t.total)?,
            billing_address: req.billing_address.clone(),
            shipping_address: req.shipping_address.clone(),
            payment_method_id: payment.as_ref().map(|p| p.id),
            shipping_method_id: shipping.as_ref().map(|s| s.id),
            discount_id: discount.as_ref().map(|d| d.id),
            discount_code: discount.map(|d| d.code).unwrap_or_default(),
            notes: req.notes.clone(),
            payment_reference: req.payment_reference.trim().to_owned(),
            custom_fields: req.custom_fields.clone(),
        },
        items,
        provider,
    })
}

/// The catalog tables a checkout changes (their triggers' notifications are deferred).
const CATALOG_TABLES: &[&str] = &["warehouse_stock", "product_variants", "products"];

/// Writes the draft's order with a fresh number, another one after a collision (at most
/// [`ORDER_NUMBER_ATTEMPTS`] numbers).
async fn insert_order(tx: &mut AsyncPgConnection, d: &Draft) -> Result<PlacedOrder, CheckoutError> {
    for _ in 0..ORDER_NUMBER_ATTEMPTS {
        let number = new_order_number().map_err(|e| {
            DbError::Unavailable(format!("no random source for order numbers: {e}"))
        })?;
        // The payload `domain::orders::record_created` writes.
        let payload = json!({
            "order_number": number,
            "status": "pending",
            "total": d.order.total,
            "currency": d.order.currency,
        });
        let placed =
            insert_checkout_order(tx, &d.order, &number, &d.items, "order placed", &payload)
                .await?;
        if let Some(p) = placed {
            return Ok(p);
        }
        tracing::warn!("order number collided; trying another");
    }
    Err(DbError::Conflict {
        constraint: ORDER_NUMBER_CONSTRAINT.to_owned(),
    }
    .into())
}

fn item_json(i: &NewOrderItem) -> Value {
    json!({
        "productId": i.product_id,
        "variantId": i.variant_id,
        "sku": i.sku,
        "name": i.name,
        "quantity": i.quantity,
        "unitPriceNet": i.unit_price_net,
        "unitPriceGross": i.unit_price_gross,
        "totalNet": i.total_net,
        "totalGross": i.total_gross,
        "taxRate": i.tax_rate,
    })
}

/// The draft as the `checkout.before` (and `checkout.after_failed`) hooks see it.
fn draft_json(d: &Draft) -> Value {
    let o = &d.order;
    json!({
        "customerId": o.customer_id,
        "isGuestOrder": o.guest_token.is_some(),
        "status": "pending",
        "currency": o.currency,
        "subtotalNet": o.subtotal_net,
        "subtotalGross": o.subtotal_gross,
        "discountTotal": o.discount_total,
        "shippingCost": o.shipping_cost,
        "taxTotal": o.tax_total,
        "total": o.total,
        "billingAddress": o.billing_address,
        "shippingAddress": o.shipping_address,
        "paymentMethodId": o.payment_method_id,
        "shippingMethodId": o.shipping_method_id,
        "discountCode": o.discount_code,
        "notes": o.notes,
        "paymentReference": o.payment_reference,
        "customFields": o.custom_fields,
        "items": d.items.iter().map(item_json).collect::<Vec<_>>(),
    })
}

/// A committed order as the after-hooks see it (the guest token is not included).
pub fn order_json(o: &Order, items: &[OrderItem]) -> Value {
    json!({
        "id": o.id,
        "orderNumber": o.order_number,
        "customerId": o.customer_id,
        "isGuestOrder": o.guest_token.is_some(),
        "status": o.status,
        "currency": o.currency,
        "subtotalNet": o.subtotal_net,
        "subtotalGross": o.subtotal_gross,
        "discountTotal": o.discount_total,
        "shippingCost": o.shipping_cost,
        "taxTotal": o.tax_total,
        "total": o.total,
        "billingAddress": o.billing_address,
        "shippingAddress": o.shipping_address,
        "paymentMethodId": o.payment_method_id,
        "shippingMethodId": o.shipping_method_id,
        "discountCode": o.discount_code,
        "notes": o.notes,
        "paymentReference": o.payment_reference,
        "customFields": o.custom_fields,
        "createdAt": o.created_at,
        "items": items.iter().map(|i| json!({
            "id": i.id,
            "productId": i.product_id,
            "variantId": i.variant_id,
            "sku": i.sku,
            "name": i.name,
            "quantity": i.quantity,
            "unitPriceNet": i.unit_price_net,
            "unitPriceGross": i.unit_price_gross,
            "totalNet": i.total_net,
            "totalGross": i.total_gross,
            "taxRate": i.tax_rate,
        })).collect::<Vec<_>>(),
    })
}

/// What a checkout took from which warehouse row (`warehouse.after_stock_deduct` items).
fn deductions_json(deducted: &[stock::Deduction]) -> Value {
    Value::Array(
        deducted
            .iter()
            .map(|d| {
                json!({
                    "warehouse_id": d.warehouse_id, "product_id": d.product_id,
                    "variant_id": d.variant_id, "stock_id": d.stock_id, "quantity": d.quantity,
                })
            })
            .collect(),
    )
}

fn event(name: &str, entity: Value, provider: &str, reference: &str) -> HookEvent {
    HookEvent::new(name, entity)
        .meta("provider", provider)
        .meta("payment_reference", reference)
}

/// What the transaction produced.
enum Outcome {
    Placed {
        order: Box<Order>,
        items: Vec<OrderItem>,
        provider: String,
        deducted: Vec<stock::Deduction>,
        /// Deferred `order.created` and `stock.changed` events.
        event_ids: Vec<i64>,
    },
    Replayed(Uuid),
}

/// Places the order (see the module notes). `Err` means nothing was written.
pub async fn place(
    conn: &mut AsyncPgConnection,
    hooks: &HookRegistry,
    req: CheckoutRequest,
) -> Result<Placed, CheckoutError> {
    // Set once `checkout.before` accepted: the draft, for `checkout.after_failed`.
    let mut accepted: Option<(Value, String)> = None;
    let accepted_ref = &mut accepted;
    let req_ref = &req;
    let result = conn
        .transaction::<_, CheckoutError, _>(async move |tx| {
            if let Some(k) = &req_ref.idempotency {
                match db::claim_idempotency(tx, &k.caller, &k.key).await? {
                    Claim::New => {}
                    Claim::Used(Some(order_id)) => return Ok(Outcome::Replayed(order_id)),
                    Claim::Used(None) => return Err(CheckoutError::KeyOrphaned),
                }
            }
            let (lines, cart_currency, cart_code) = match &req_ref.source {
                Source::Items(lines) => (merge(lines)?, None, None),
                Source::Cart { id, session } => {
                    let (c, items) = db::lock_cart(tx, *id)
                        .await?
                        .filter(|(c, _)| c.expires_at.is_none_or(|t| t > chrono::Utc::now()))
                        .ok_or(CheckoutError::CartNotFound)?;
                    let allowed = match c.customer_id {
                        Some(owner) => req_ref.customer_id == Some(owner),
                        None => session
                            .as_deref()
                            .is_some_and(|s| !c.session_id.is_empty() && s == c.session_id),
                    };
                    if !allowed {
                        return Err(CheckoutError::CartForbidden);
                    }
                    if items.is_empty() {
                        return Err(CheckoutError::EmptyCart);
                    }
                    let lines: Vec<LineRequest> = items
                        .iter()
                        .map(|i| LineRequest {
                            product_id: i.product_id,
                            variant_id: i.variant_id,
                            quantity: i.quantity,
                        })
                        .collect();
                    (lines, Some(c.currency), Some(c.discount_code))
                }
            };
            let d = draft(
                tx,
                req_ref,
                &lines,
                cart_currency.as_deref(),
                cart_code.as_deref(),
            )
            .await?;
            let snapshot = draft_json(&d);
            // `order.before_create` sees the same draft, once `checkout.before` accepted.
            for name in [names::CHECKOUT_BEFORE, names::ORDER_BEFORE_CREATE] {
                crate::hooks::before(hooks, name, || {
                    event(
                        name,
                        snapshot.clone(),
                        &d.provider,
                        &d.order.payment_reference,
                    )
                })
                .await
                .map_err(|e| {
                    CheckoutError::Rejected(HookError {
                        plugin: String::new(),
                        message: e.message,
                    })
                })?;
                if name == names::CHECKOUT_BEFORE {
                    *accepted_ref = Some((snapshot.clone(), d.provider.clone()));
                }
            }

            // One statement: order, lines, history and `order.created` (its notification, like
            // the stock's and the catalog's, is sent after the commit: `notify_committed`).
            let PlacedOrder {
                order,
                items,
                event_id,
            } = insert_order(tx, &d).await?;

            if let Some(discount_id) = order.discount_id
                && !Discount::redeem(tx, discount_id).await?
            {
                let now = chrono::Utc::now();
                let refusal = match Discount::by_id(tx, discount_id).await? {
                    Some(current) => discount::redeem_refusal(&current, now),
                    None => DiscountRefusal::NotFound,
                };
                return Err(CheckoutError::Discount(refusal));
            }

            let stock_lines: Vec<_> = lines
                .iter()
                .map(|l| (l.product_id, l.variant_id, l.quantity))
                .collect();
            let taken = stock::take_for_order(tx, order.id, &stock_lines)
                .await
                .map_err(|e| match e {
                    StockError::InsufficientStock {
                        product_id,
                        variant_id,
                    } => CheckoutError::InsufficientStock {
                        product_id,
                        variant_id,
                    },
                    StockError::InvalidQuantity { .. } => CheckoutError::InvalidProduct,
                    StockError::Db(e) => CheckoutError::Db(e),
                })?;
            let deducted = taken.deductions;
            let mut event_ids = vec![event_id];
            event_ids.extend(taken.event_ids);

            if let Some(k) = &req_ref.idempotency {
                db::complete_idempotency(tx, &k.caller, &k.key, order.id).await?;
            }
            if let Source::Cart { id, .. } = req_ref.source {
                db::delete_cart(tx, id).await?;
            }
            Ok(Outcome::Placed {
                order: Box::new(order),
                items,
                provider: d.provider,
                deducted,
                event_ids,
            })
        })
        .await;

    match result {
        Ok(Outcome::Placed {
            order,
            items,
            provider,
            deducted,
            event_ids,
        }) => {
            // The events and catalog changes the transaction deferred; the order stands
            // even when this fails (listeners then miss its live events).
            if let Err(e) = notify_committed(conn, &event_ids, CATALOG_TABLES).await {
                tracing::warn!(error = %e, order = %order.id, "checkout notifications not sent");
            }
            let snapshot = order_json(&order, &items);
            for name in [names::CHECKOUT_AFTER, names::ORDER_AFTER_CREATE] {
                crate::hooks::after(hooks, name, || {
                    event(name, snapshot.clone(), &provider, &order.payment_reference)
                })
                .await;
            }
            crate::hooks::after(hooks, names::WAREHOUSE_AFTER_STOCK_DEDUCT, || {
                HookEvent::new(names::WAREHOUSE_AFTER_STOCK_DEDUCT, snapshot.clone())
                    .meta("order_id", order.id.to_string())
                    .meta("items", deductions_json(&deducted))
            })
            .await;
            Ok(Placed {
                order: *order,
                items,
                replayed: false,
            })
        }
        Ok(Outcome::Replayed(order_id)) => {
            let order = Order::by_id(conn, order_id)
                .await?
                .ok_or(CheckoutError::KeyOrphaned)?;
            let items = OrderItem::of_orders(conn, &[order_id])
                .await?
                .remove(&order_id)
                .unwrap_or_default();
            Ok(Placed {
                order,
                items,
                replayed: true,
            })
        }
        Err(e) => {
            if let Some((snapshot, provider)) = accepted {
                crate::hooks::after(hooks, names::CHECKOUT_AFTER_FAILED, || {
                    event(
                        names::CHECKOUT_AFTER_FAILED,
                        snapshot,
                        &provider,
                        &req.payment_reference,
                    )
                    .meta("error_code", e.code().as_str())
                    .meta("error", e.to_string())
                })
                .await;
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(p: u128, v: Option<u128>, q: i32) -> LineRequest {
        LineRequest {
            product_id: Uuid::from_u128(p),
            variant_id: v.map(Uuid::from_u128),
            quantity: q,
        }
    }

    #[test]
    fn repeated_lines_merge_in_first_position() {
        let merged = merge(&[line(1, None, 2), line(2, Some(3), 1), line(1, None, 3)])
            .map_err(|e| e.to_string());
        assert_eq!(merged, Ok(vec![line(1, None, 5), line(2, Some(3), 1)]));
        assert!(merge(&[line(1, None, i32::MAX), line(1, None, 1)]).is_err());
    }

    #[test]
    fn guest_tokens_are_64_hex() {
        let t = new_guest_token().map_err(|e| e.to_string());
        let Ok(t) = t else {
            panic!("rng");
        };
        assert_eq!(t.len(), 64);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(Ok(t), new_guest_token().map_err(|e| e.to_string()));
        assert_eq!(session_caller("abc").len(), "session:".len() + 64);
    }

    #[test]
    fn errors_have_stable_codes_and_fields() {
        let cases = [
            (
                CheckoutError::InvalidProduct,
                "VALIDATION_ERROR",
                Some("items"),
            ),
            (
                CheckoutError::PaymentMethodRequired,
                "VALIDATION_ERROR",
                Some("paymentMethodId"),
            ),
            (
                CheckoutError::InvalidPaymentMethod,
                "NOT_FOUND",
                Some("paymentMethodId"),
            ),
            (
                CheckoutError::PaymentReferenceRequired,
                "VALIDATION_ERROR",
                Some("paymentReference"),
            ),
            (
                CheckoutError::InvalidShippingMethod,
                "NOT_FOUND",
                Some("shippingMethodId"),
            ),
            (
                CheckoutError::Discount(DiscountRefusal::Exhausted),
                "DISCOUNT_EXHAUSTED",
                Some("discountCode"),
            ),
            (
                CheckoutError::InsufficientStock {
                    product_id: Uuid::nil(),
                    variant_id: None,
                },
                "INSUFFICIENT_STOCK",
                None,
            ),
            (
                CheckoutError::Rejected(HookError::new("too big")),
                "REJECTED",
                None,
            ),
        ];
        for (e, code, field) in cases {
            let a = ApiError::from(e);
            assert_eq!(a.code.as_str(), code);
            assert_eq!(a.field.as_deref(), field);
        }
        let a = ApiError::from(CheckoutError::Rejected(HookError::new("too big")));
        assert_eq!(a.message, "too big");
    }
}
