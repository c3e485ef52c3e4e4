//! Store carts with server-side prices and totals.
//!
//! Ownership: a cart belongs to the customer who created it (signed-in principal), or to a
//! guest identified by the cart's `sessionId`. Every call on a cart checks it: a customer's
//! cart only for that customer; a guest cart for whoever presents its session id (the
//! `sessionId` argument, else the request's `X-Session-ID` header, else — in the store MCP
//! server — the MCP session's id). Anything else is FORBIDDEN. Line operations are scoped by
//! cart and line id (a line of another cart is NOT_FOUND, even for its owner).

use std::sync::Arc;

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::cart::{self as db, CartError, NewCart};
use stoa_db::models::catalog::{Product, Variant, batch};
use stoa_db::models::settings::StoreSettings;
use stoa_db::{Conn, pool};
use uuid::Uuid;

use crate::catalog::loaders::{CatalogDataLoader, TranslationsByProduct};
use crate::catalog::query::resolve_locale;
use crate::catalog::types::Locale;
use crate::domain::auth::{Permission, Principal};
use crate::domain::discount;
use crate::domain::pricing::{self, LineInput, PricedLine};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::guard::principal;
use crate::state::{AppState, GuestSession};
use stoa_plugin_sdk::{HookEvent, hooks as hk};

const FORBIDDEN: &str = "you do not have access to this cart";
const CART_NOT_FOUND: &str = "cart not found";
const ITEM_NOT_FOUND: &str = "cart item not found";
const INVALID_PRODUCT: &str = "product or variant not found";

/// Input of `createCart`.
#[derive(InputObject, Default)]
pub struct CreateCartInput {
    /// ISO 4217 code of the cart (3 letters); default: the store's currency.
    pub currency: Option<String>,
    /// The guest identity (up to 255 characters). Default: the request's `X-Session-ID`
    /// header (the MCP session in the store MCP server), else a random one; returned in
    /// `Cart.sessionId`. Guests must present it on every later call.
    pub session_id: Option<String>,
    /// When the cart stops being usable (must be in the future); none by default.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Input of `addToCart`.
#[derive(InputObject)]
pub struct AddToCartInput {
    /// An active product.
    pub product_id: Uuid,
    /// An active variant of the product; required when the product has active variants.
    pub variant_id: Option<Uuid>,
    /// Units to add (more than 0); adding a line that is already in the cart adds up.
    #[graphql(default = 1)]
    pub quantity: i32,
    /// Free-form data kept on the line (a JSON object); replaces the line's when given.
    pub custom_fields: Option<Json<serde_json::Value>>,
}

/// The totals of a cart, in minor units of the cart's currency.
#[derive(SimpleObject, Clone, Copy)]
pub struct CartTotals {
    /// Σ line totals, net.
    pub subtotal_net: i64,
    /// Σ line totals, gross.
    pub subtotal_gross: i64,
    /// What the applied discount code takes off the gross subtotal (0 when none applies).
    pub discount_total: i64,
    /// The gross price of the cheapest active shipping method (0 when there is none); the
    /// method chosen at checkout decides the order's shipping cost.
    pub shipping_estimate: i64,
    /// The items' tax (gross − net), less the discount's proportional share of it;
    /// shipping tax is not included.
    pub tax_total: i64,
    /// `subtotalGross − discountTotal + shippingEstimate`.
    pub total: i64,
}

/// A cart line with its prices.
pub struct CartItemNode {
    item: db::CartItem,
    sku: Option<String>,
    priced: PricedLine,
    locale: Arc<Locale>,
}

#[Object(name = "CartItem")]
impl CartItemNode {
    async fn id(&self) -> Uuid {
        self.item.id
    }

    async fn cart_id(&self) -> Uuid {
        self.item.cart_id
    }

    async fn product_id(&self) -> Uuid {
        self.item.product_id
    }

    async fn variant_id(&self) -> Option<Uuid> {
        self.item.variant_id
    }

    async fn quantity(&self) -> i32 {
        self.item.quantity
    }

    /// The line's free-form data; null when empty.
    async fn custom_fields(&self) -> Option<Json<serde_json::Value>> {
        let empty = self
            .item
            .custom_fields
            .as_object()
            .is_some_and(|m| m.is_empty());
        (!empty && !self.item.custom_fields.is_null())
            .then(|| Json(self.item.custom_fields.clone()))
    }

    /// The variant's SKU, else the product's.
    async fn sku(&self) -> Option<String> {
        self.sku.clone()
    }

    /// The product's name in the request's locale.
    async fn name(&self, ctx: &Context<'_>) -> Result<String> {
        let loader = ctx
            .data::<CatalogDataLoader>()
            .map_err(|_| ApiError::internal("catalog loader missing"))?;
        let texts = loader
            .load_one(TranslationsByProduct(self.item.product_id))
            .await
            .map_err(ApiError::internal)?
            .unwrap_or_default();
        Ok(self
            .locale
            .pick(&texts, |t| &t.locale)
            .map(|t| t.name.clone())
            .unwrap_or_default())
    }

    /// Unit price, net (the variant's own price, else the product's).
    async fn unit_price_net(&self) -> i64 {
        self.priced.unit_price_net
    }

    /// Unit price, gross.
    async fn unit_price_gross(&self) -> i64 {
        self.priced.unit_price_gross
    }

    /// Unit price × quantity, net.
    async fn line_total_net(&self) -> i64 {
        self.priced.line_total_net
    }

    /// Unit price × quantity, gross.
    async fn line_total_gross(&self) -> i64 {
        self.priced.line_total_gross
    }

    /// The product's tax rate in basis points (1900 = 19 %).
    async fn tax_rate(&self) -> i32 {
        self.priced.tax_rate
    }
}

/// A shopping cart, priced on the server.
pub struct CartNode {
    cart: db::Cart,
    items: Vec<CartItemNode>,
    totals: CartTotals,
}

#[Object(name = "Cart")]
impl CartNode {
    async fn id(&self) -> Uuid {
        self.cart.id
    }

    /// The owning customer; null for a guest cart.
    async fn customer_id(&self) -> Option<Uuid> {
        self.cart.customer_id
    }

    /// The guest identity to present on later calls (`sessionId` / `X-Session-ID`).
    async fn session_id(&self) -> String {
        self.cart.session_id.clone()
    }

    /// ISO 4217 code.
    async fn currency(&self) -> String {
        self.cart.currency.clone()
    }

    /// The applied discount code, if any.
    async fn discount_code(&self) -> Option<String> {
        Some(self.cart.discount_code.clone()).filter(|c| !c.is_empty())
    }

    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.cart.expires_at
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.cart.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.cart.updated_at
    }

    /// The lines, oldest first.
    async fn items(&self) -> &[CartItemNode] {
        &self.items
    }

    /// Subtotals, discount, shipping estimate, tax and total.
    async fn totals(&self) -> CartTotals {
        self.totals
    }
}

/// The session id the request presents: the argument, else the header (or MCP session).
pub(crate) fn presented_session(ctx: &Context<'_>, arg: Option<String>) -> Option<String> {
    arg.map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| {
            ctx.data_opt::<GuestSession>()
                .map(|g| g.0.trim().to_owned())
                .filter(|s| !s.is_empty())
        })
}

/// Customers act on carts only with `store.cart.manage` (a customer API key may lack it).
fn check_permission(p: &Principal) -> ApiResult<()> {
    if p.customer_id().is_some() && !p.has(Permission::StoreCartManage) {
        return Err(ApiError::new(ErrorCode::Forbidden));
    }
    Ok(())
}

/// Whether the principal presenting `session` may use the cart.
fn may_access(p: &Principal, session: Option<&str>, cart: &db::Cart) -> bool {
    match cart.customer_id {
        Some(owner) => p.customer_id() == Some(owner),
        None => session.is_some_and(|s| !cart.session_id.is_empty() && s == cart.session_id),
    }
}

/// Loads the cart and checks that the caller may use it.
pub(crate) async fn owned_cart(
    ctx: &Context<'_>,
    c: &mut Conn,
    id: Uuid,
    session: Option<String>,
) -> ApiResult<db::Cart> {
    let p = principal(ctx);
    check_permission(p)?;
    let cart = db::Cart::by_id(c, id)
        .await?
        .filter(|cart| cart.expires_at.is_none_or(|t| t > Utc::now()))
        .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, CART_NOT_FOUND))?;
    let session = presented_session(ctx, session);
    if !may_access(p, session.as_deref(), &cart) {
        return Err(ApiError::with_message(ErrorCode::Forbidden, FORBIDDEN));
    }
    Ok(cart)
}

/// The lines' prices and the cart's subtotals (before discount and shipping).
struct Lines {
    items: Vec<db::CartItem>,
    inputs: Vec<LineInput>,
    skus: Vec<Option<String>>,
}

async fn lines(c: &mut Conn, cart_id: Uuid) -> ApiResult<Lines> {
    let items = db::Cart::items(c, cart_id).await?;
    let pids: Vec<Uuid> = items.iter().map(|i| i.product_id).collect();
    let vids: Vec<Uuid> = items.iter().filter_map(|i| i.variant_id).collect();
    let rows = db::pricing_rows(c, &pids, &vids).await?;
    let mut out = Lines {
        items: Vec::with_capacity(items.len()),
        inputs: Vec::with_capacity(items.len()),
        skus: Vec::with_capacity(items.len()),
    };
    for item in items {
        // Lines cascade with their product and variant, so both are there.
        let Some(product) = rows.products.get(&item.product_id) else {
            continue;
        };
        let variant = item.variant_id.and_then(|v| rows.variants.get(&v));
        out.inputs.push(LineInput {
            product_price_net: product.price_net,
            product_price_gross: product.price_gross,
            variant_price_net: variant.and_then(|v| v.price_net),
            variant_price_gross: variant.and_then(|v| v.price_gross),
            tax_rate: product
                .tax_rule_id
                .and_then(|r| rows.tax_rates.get(&r).copied()),
            quantity: item.quantity,
        });
        out.skus.push(
            variant
                .and_then(|v| v.sku.clone())
                .or_else(|| product.sku.clone()),
        );
        out.items.push(item);
    }
    Ok(out)
}

/// Prices the cart: lines, the applied code (when it still applies), the shipping estimate.
async fn view(c: &mut Conn, cart: db::Cart, locale: Arc<Locale>) -> ApiResult<CartNode> {
    let l = lines(c, cart.id).await?;
    let subtotal_gross = pricing::price(&l.inputs, None, 0).totals.subtotal_gross;
    let discount_amount = if cart.discount_code.is_empty() {
        0
    } else {
        // A code that stopped applying (expired, used up, subtotal now below its minimum)
        // takes nothing off; it stays on the cart and applies again when it can.
        discount::check_code(c, &cart.discount_code, subtotal_gross)
            .await?
            .map_or(0, |(_, amount)| amount)
    };
    let shipping = db::cheapest_shipping(c)
        .await?
        .map(|(_, gross)| i64::from(gross));
    let priced = pricing::price(&l.inputs, shipping, discount_amount);
    let items = l
        .items
        .into_iter()
        .zip(l.skus)
        .zip(priced.lines)
        .map(|((item, sku), priced)| CartItemNode {
            item,
            sku,
            priced,
            locale: locale.clone(),
        })
        .collect();
    let t = priced.totals;
    Ok(CartNode {
        cart,
        items,
        totals: CartTotals {
            subtotal_net: t.subtotal_net,
            subtotal_gross: t.subtotal_gross,
            discount_total: t.discount_total,
            shipping_estimate: t.shipping_total,
            tax_total: t.tax_total,
            total: t.total,
        },
    })
}

fn cart_error(e: CartError) -> ApiError {
    match e {
        CartError::CartNotFound => ApiError::with_message(ErrorCode::NotFound, CART_NOT_FOUND),
        CartError::ItemNotFound => ApiError::with_message(ErrorCode::NotFound, ITEM_NOT_FOUND),
        CartError::InsufficientStock => ApiError::new(ErrorCode::InsufficientStock),
        CartError::QuantityTooLarge => ApiError::invalid("quantity", "quantity is too large"),
        CartError::Db(e) => e.into(),
    }
}

fn positive(quantity: i32) -> ApiResult<i32> {
    if quantity > 0 {
        Ok(quantity)
    } else {
        Err(ApiError::invalid(
            "quantity",
            "quantity must be greater than zero",
        ))
    }
}

/// Checks that the product (and variant) can be put in the cart: both exist and are active,
/// the variant is the product's, a product with active variants is added as one of them, and
/// the product is priced in the cart's currency.
async fn sellable(
    c: &mut Conn,
    cart: &db::Cart,
    product_id: Uuid,
    variant_id: Option<Uuid>,
) -> ApiResult<()> {
    let invalid = |field: &str, msg: &str| ApiError::invalid(field, msg);
    let product: Product = Product::by_id(c, product_id)
        .await?
        .filter(|p| p.active)
        .ok_or_else(|| invalid("productId", INVALID_PRODUCT))?;
    let variants: Vec<Variant> = batch::variants(c, &[product_id])
        .await?
        .remove(&product_id)
        .unwrap_or_default();
    match variant_id {
        Some(vid) => {
            if !variants.iter().any(|v| v.id == vid && v.active) {
                return Err(invalid("variantId", INVALID_PRODUCT));
            }
        }
        None => {
            if variants.iter().any(|v| v.active) {
                return Err(invalid(
                    "variantId",
                    "this product has variants: choose one (variant_id)",
                ));
            }
        }
    }
    if !product.currency.eq_ignore_ascii_case(&cart.currency) {
        return Err(invalid(
            "productId",
            &format!(
                "product is priced in {}, the cart in {}",
                product.currency, cart.currency
            ),
        ));
    }
    Ok(())
}

/// A cart line as hooks see it (GraphQL field names).
fn item_json(i: &db::CartItem) -> serde_json::Value {
    serde_json::json!({
        "id": i.id, "cartId": i.cart_id, "productId": i.product_id, "variantId": i.variant_id,
        "quantity": i.quantity, "customFields": i.custom_fields,
    })
}

/// A cart as hooks see it (without its session id, which is a guest's credential).
fn cart_json(c: &db::Cart) -> serde_json::Value {
    serde_json::json!({
        "id": c.id, "customerId": c.customer_id, "currency": c.currency,
        "discountCode": c.discount_code,
    })
}

/// A `cart.*_update_item` / `cart.*_remove_item` event: the changes `item_id` and `quantity`
/// (0 when the line goes).
fn line_event(name: &str, entity: serde_json::Value, item_id: Uuid, quantity: i32) -> HookEvent {
    HookEvent::new(name, entity)
        .change("item_id", item_id.to_string())
        .change("quantity", quantity)
}

fn random_session() -> String {
    format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple())
}

async fn conn(ctx: &Context<'_>) -> ApiResult<Conn> {
    let s = ctx.data_unchecked::<AppState>();
    Ok(pool::conn(&s.pool).await?)
}

/// Cart queries.
#[derive(Default)]
pub struct CartQuery;

#[Object]
impl CartQuery {
    /// A cart the caller owns (see `createCart`), priced now.
    async fn cart(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        #[graphql(desc = "A guest cart's session id (else the X-Session-ID header)")]
        session_id: Option<String>,
        #[graphql(desc = "Locale of product names (else Accept-Language, else the default)")]
        locale: Option<String>,
    ) -> Result<CartNode> {
        let locale = resolve_locale(ctx, locale);
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, id, session_id).await?;
        Ok(view(&mut c, cart, locale).await?)
    }
}

/// Cart mutations.
#[derive(Default)]
pub struct CartMutation;

#[Object]
impl CartMutation {
    /// Creates a cart: the signed-in customer's, or a guest cart identified by its
    /// `sessionId` (given, else the request's `X-Session-ID`, else random).
    async fn create_cart(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] input: CreateCartInput,
    ) -> Result<CartNode> {
        let p = principal(ctx);
        check_permission(p)?;
        let session = presented_session(ctx, input.session_id)
            .or_else(|| p.customer_id().is_none().then(random_session))
            .unwrap_or_default();
        if session.chars().count() > 255 {
            return Err(ApiError::invalid("sessionId", "must be at most 255 characters").into());
        }
        if input.expires_at.is_some_and(|t| t <= Utc::now()) {
            return Err(ApiError::invalid("expiresAt", "must be in the future").into());
        }
        let mut c = conn(ctx).await?;
        let currency = match input.currency.map(|s| s.trim().to_ascii_uppercase()) {
            Some(cur) if cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()) => cur,
            Some(_) => {
                return Err(
                    ApiError::invalid("currency", "must be a 3-letter ISO 4217 code").into(),
                );
            }
            None => {
                StoreSettings::get(&mut c)
                    .await
                    .map_err(ApiError::from)?
                    .currency
            }
        };
        let cart = db::Cart::create(
            &mut c,
            NewCart {
                customer_id: p.customer_id(),
                session_id: session,
                currency,
                expires_at: input.expires_at,
            },
        )
        .await
        .map_err(ApiError::from)?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }

    /// Adds a product (or one of its variants) to a cart; the same line again adds up.
    /// Refused with INSUFFICIENT_STOCK when active warehouses hold less than the line's new
    /// quantity, and VALIDATION_ERROR (field productId/variantId) for unknown or inactive
    /// products and variants.
    async fn add_to_cart(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        input: AddToCartInput,
        session_id: Option<String>,
    ) -> Result<CartNode> {
        let quantity = positive(input.quantity)?;
        let custom_fields = match input.custom_fields.map(|j| j.0) {
            None | Some(serde_json::Value::Null) => serde_json::json!({}),
            Some(v @ serde_json::Value::Object(_)) => v,
            Some(_) => {
                return Err(ApiError::invalid("customFields", "must be a JSON object").into());
            }
        };
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        sellable(&mut c, &cart, input.product_id, input.variant_id).await?;
        let hooks = crate::hooks::registry(ctx);
        crate::hooks::before(hooks, hk::CART_BEFORE_ADD_ITEM, || {
            HookEvent::new(
                hk::CART_BEFORE_ADD_ITEM,
                serde_json::json!({
                    "cartId": cart.id, "productId": input.product_id,
                    "variantId": input.variant_id, "quantity": quantity,
                    "customFields": custom_fields,
                }),
            )
        })
        .await?;
        let item = db::CartItem::add(
            &mut c,
            cart.id,
            input.product_id,
            input.variant_id,
            quantity,
            custom_fields,
        )
        .await
        .map_err(cart_error)?;
        crate::hooks::after(hooks, hk::CART_AFTER_ADD_ITEM, || {
            HookEvent::new(hk::CART_AFTER_ADD_ITEM, item_json(&item))
        })
        .await;
        let cart = db::Cart::by_id(&mut c, cart.id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, CART_NOT_FOUND))?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }

    /// Sets the quantity of a line of the cart (more than 0; stock is checked when it grows).
    async fn update_cart_item(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        item_id: Uuid,
        quantity: i32,
        session_id: Option<String>,
    ) -> Result<CartNode> {
        let quantity = positive(quantity)?;
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        let hooks = crate::hooks::registry(ctx);
        crate::hooks::before(hooks, hk::CART_BEFORE_UPDATE_ITEM, || {
            line_event(
                hk::CART_BEFORE_UPDATE_ITEM,
                cart_json(&cart),
                item_id,
                quantity,
            )
        })
        .await?;
        let item = db::CartItem::set_quantity(&mut c, cart.id, item_id, quantity)
            .await
            .map_err(cart_error)?;
        crate::hooks::after(hooks, hk::CART_AFTER_UPDATE_ITEM, || {
            line_event(
                hk::CART_AFTER_UPDATE_ITEM,
                item_json(&item),
                item_id,
                quantity,
            )
        })
        .await;
        let cart = db::Cart::by_id(&mut c, cart.id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, CART_NOT_FOUND))?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }

    /// Removes a line of the cart.
    async fn remove_cart_item(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        item_id: Uuid,
        session_id: Option<String>,
    ) -> Result<CartNode> {
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        let hooks = crate::hooks::registry(ctx);
        crate::hooks::before(hooks, hk::CART_BEFORE_REMOVE_ITEM, || {
            line_event(hk::CART_BEFORE_REMOVE_ITEM, cart_json(&cart), item_id, 0)
        })
        .await?;
        db::CartItem::remove(&mut c, cart.id, item_id)
            .await
            .map_err(cart_error)?;
        crate::hooks::after(hooks, hk::CART_AFTER_REMOVE_ITEM, || {
            line_event(hk::CART_AFTER_REMOVE_ITEM, cart_json(&cart), item_id, 0)
        })
        .await;
        let cart = db::Cart::by_id(&mut c, cart.id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::with_message(ErrorCode::NotFound, CART_NOT_FOUND))?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }

    /// Applies a discount code to the cart (case-insensitive). Refused with the discount's
    /// code (DISCOUNT_NOT_FOUND, DISCOUNT_EXPIRED, DISCOUNT_MIN_ORDER_VALUE, …) when it does
    /// not apply to the cart now. The code is redeemed only by checkout.
    async fn apply_cart_discount(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        code: String,
        session_id: Option<String>,
    ) -> Result<CartNode> {
        let code = code.trim().to_owned();
        if code.is_empty() {
            return Err(ApiError::invalid("code", "code is required").into());
        }
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        let subtotal = pricing::price(&lines(&mut c, cart.id).await?.inputs, None, 0)
            .totals
            .subtotal_gross;
        let (d, _) = discount::check_code(&mut c, &code, subtotal)
            .await?
            .map_err(ApiError::from)?;
        let cart = db::Cart::set_discount_code(&mut c, cart.id, &d.code)
            .await
            .map_err(ApiError::from)?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }

    /// Removes the cart's discount code.
    async fn remove_cart_discount(
        &self,
        ctx: &Context<'_>,
        cart_id: Uuid,
        session_id: Option<String>,
    ) -> Result<CartNode> {
        let mut c = conn(ctx).await?;
        let cart = owned_cart(ctx, &mut c, cart_id, session_id).await?;
        let cart = db::Cart::set_discount_code(&mut c, cart.id, "")
            .await
            .map_err(ApiError::from)?;
        Ok(view(&mut c, cart, resolve_locale(ctx, None)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cart(customer: Option<Uuid>, session: &str) -> db::Cart {
        let t = Utc::now();
        db::Cart {
            id: Uuid::nil(),
            customer_id: customer,
            session_id: session.into(),
            currency: "EUR".into(),
            discount_code: String::new(),
            expires_at: None,
            created_at: t,
            updated_at: t,
        }
    }

    fn customer(id: Uuid) -> Principal {
        Principal::CustomerKey {
            key_id: Uuid::nil(),
            customer_id: id,
            permissions: vec![Permission::StoreCartManage],
        }
    }

    #[test]
    fn ownership_rules() {
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let anon = Principal::Anonymous;
        // A customer's cart: that customer only, whatever session is presented.
        assert!(may_access(&customer(a), None, &cart(Some(a), "")));
        assert!(!may_access(&customer(b), None, &cart(Some(a), "s")));
        assert!(!may_access(&anon, Some("s"), &cart(Some(a), "s")));
        // A guest cart: whoever presents its session id.
        assert!(may_access(&anon, Some("s"), &cart(None, "s")));
        assert!(may_access(&customer(a), Some("s"), &cart(None, "s")));
        assert!(!may_access(&anon, None, &cart(None, "s")));
        assert!(!may_access(&anon, Some("t"), &cart(None, "s")));
        // A guest cart without a session id is nobody's.
        assert!(!may_access(&anon, Some(""), &cart(None, "")));
    }

    #[test]
    fn quantities_must_be_positive() {
        assert!(positive(1).is_ok());
        assert_eq!(
            positive(0).map_err(|e| e.field),
            Err(Some("quantity".to_owned()))
        );
        assert!(positive(-3).is_err());
    }

    #[test]
    fn random_sessions_are_long_and_distinct() {
        let s = random_session();
        assert_eq!(s.len(), 64);
        assert_ne!(s, random_session());
    }
}
