//! Product bulk upsert, CSV import and the CSV template (`products.create`, `products.read`).
//!
//! Every item runs the single create/update path (`product_write`: the same validation and
//! net/gross derivation, then `Product::create` / `Product::update`) inside its own
//! transaction, together with its variants (upserted through `VariantAdmin::save`), its stock
//! (the default warehouse, through `Warehouse::set_stock`, so movements and derived totals
//! stay consistent) and its audit entry. A bad item fails alone and leaves nothing behind.

use async_graphql::{Context, Enum, InputObject, InputType, Object, Result, SimpleObject, Upload};
use stoa_db::diesel_async::AsyncConnection;
use stoa_db::models::catalog::Product;
use stoa_db::models::catalog_import::ImportLookup;
use stoa_db::models::catalog_manage::{
    DEFAULT_WAREHOUSE, VariantAdmin, VariantRefusal, VariantWrite,
};
use stoa_db::models::catalog_write::{StockLine, Warehouse};
use uuid::Uuid;

use super::admin::{ProductInput, conn, db_err, product_write, sku_conflict};
use super::import_csv::{self, MAX_FILE_BYTES};
use crate::audit;
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::{StaffGuard, principal};
use crate::state::AppState;

/// The most items one `bulkUpsertProducts` call takes.
pub const MAX_BULK_ITEMS: usize = 250;

/// An option of a bulk variant, named rather than referenced: the property group and the
/// option are found by their translated names (case-insensitive) and created when missing.
#[derive(InputObject)]
pub struct BulkOptionInput {
    /// The property group's name, e.g. `Größe` (a new group's identifier is its slug:
    /// `groesse`).
    pub group_name: String,
    /// The option's name, e.g. `XL`.
    pub option_name: String,
    /// The locale the names are in (default: `i18n.default_locale`).
    pub locale: Option<String>,
}

/// A variant of a bulk product: updated when the product has a variant with this SKU (or,
/// without a SKU, with exactly these options), created otherwise.
#[derive(InputObject)]
pub struct BulkVariantInput {
    /// Empty or absent: no SKU.
    pub sku: Option<String>,
    #[graphql(default = true)]
    pub active: bool,
    /// When given, the absolute quantity in the default warehouse.
    pub stock: Option<i32>,
    /// Absent: the product's price applies.
    pub price_net: Option<i32>,
    pub price_gross: Option<i32>,
    /// At most one option per property group.
    #[graphql(default)]
    pub options: Vec<BulkOptionInput>,
}

/// One product of `bulkUpsertProducts`: the fields of `createProduct`, plus stock and
/// variants. A non-empty SKU that exists updates that product (absent fields stay); anything
/// else creates one.
#[derive(InputObject)]
pub struct BulkProductInput {
    #[graphql(flatten)]
    pub product: ProductInput,
    /// When given, the product's absolute quantity in the default warehouse.
    pub stock: Option<i32>,
    #[graphql(default)]
    pub variants: Vec<BulkVariantInput>,
}

/// What happened to a product of a bulk run.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum BulkAction {
    Created,
    Updated,
}

impl BulkAction {
    fn audit(self) -> &'static str {
        match self {
            Self::Created => "create",
            Self::Updated => "update",
        }
    }
}

/// The outcome of one item.
#[derive(SimpleObject, Debug)]
pub struct BulkItemResult {
    /// The item's position in the request (0-based).
    pub index: i32,
    /// The item's SKU, when it had one.
    pub sku: Option<String>,
    pub success: bool,
    /// The product's id, when it succeeded.
    pub id: Option<Uuid>,
    /// Created or updated, when it succeeded.
    pub action: Option<BulkAction>,
    /// Why it failed (`field: message`); empty on success.
    pub errors: Vec<String>,
}

/// The outcome of a bulk upsert or CSV import.
#[derive(SimpleObject, Debug)]
pub struct BulkResult {
    pub results: Vec<BulkItemResult>,
    pub total: i32,
    pub succeeded: i32,
    pub failed: i32,
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Puts `prefix` in front of the error's field (`variants[0]` + `sku`).
fn at(prefix: &str, mut e: ApiError) -> ApiError {
    e.field = Some(match e.field {
        Some(f) => format!("{prefix}.{f}"),
        None => prefix.to_owned(),
    });
    e
}

fn describe(e: &ApiError) -> String {
    match &e.field {
        Some(f) => format!("{f}: {}", e.message),
        None => e.message.clone(),
    }
}

fn refusal(r: VariantRefusal) -> ApiError {
    match r {
        VariantRefusal::UnknownProduct => {
            ApiError::with_message(ErrorCode::NotFound, "product not found")
        }
        VariantRefusal::UnknownVariant => {
            ApiError::with_message(ErrorCode::NotFound, "variant not found")
        }
        VariantRefusal::UnknownOption(id) => {
            ApiError::invalid("options", format!("unknown option {id}"))
        }
        VariantRefusal::SameGroupTwice => {
            ApiError::invalid("options", "at most one option per property group")
        }
        VariantRefusal::DuplicateCombination => ApiError {
            field: Some("options".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "another variant of this product has these options",
            )
        },
    }
}

fn trimmed(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks what `product_write` does not see: SKU lengths, stock, variants and option names.
fn check_item(item: &BulkProductInput) -> Result<(), ApiError> {
    if item
        .product
        .sku
        .as_deref()
        .is_some_and(|s| s.trim().chars().count() > 100)
    {
        return Err(ApiError::invalid("sku", "at most 100 characters"));
    }
    if item.stock.is_some_and(|s| s < 0) {
        return Err(ApiError::invalid("stock", "must not be negative"));
    }
    for (i, v) in item.variants.iter().enumerate() {
        let prefix = format!("variants[{i}]");
        for (field, n) in [
            ("priceNet", v.price_net),
            ("priceGross", v.price_gross),
            ("stock", v.stock),
        ] {
            if n.is_some_and(|n| n < 0) {
                return Err(at(
                    &prefix,
                    ApiError::invalid(field, "must not be negative"),
                ));
            }
        }
        if v.sku
            .as_deref()
            .is_some_and(|s| s.trim().chars().count() > 100)
        {
            return Err(at(
                &prefix,
                ApiError::invalid("sku", "at most 100 characters"),
            ));
        }
        for (j, o) in v.options.iter().enumerate() {
            let prefix = format!("{prefix}.options[{j}]");
            if o.group_name.trim().is_empty() || o.group_name.trim().chars().count() > 255 {
                return Err(at(
                    &prefix,
                    ApiError::invalid("groupName", "1 to 255 characters"),
                ));
            }
            if o.option_name.trim().is_empty() || o.option_name.trim().chars().count() > 255 {
                return Err(at(
                    &prefix,
                    ApiError::invalid("optionName", "1 to 255 characters"),
                ));
            }
            if o.locale
                .as_deref()
                .is_some_and(|l| !(2..=10).contains(&l.trim().chars().count()))
            {
                return Err(at(
                    &prefix,
                    ApiError::invalid("locale", "must be 2 to 10 characters"),
                ));
            }
        }
    }
    Ok(())
}

/// Upserts one item in its own transaction; the product's id and what happened.
async fn upsert_one(
    ctx: &Context<'_>,
    item: BulkProductInput,
    sku: Option<String>,
    default_locale: &str,
) -> Result<(Uuid, BulkAction), ApiError> {
    check_item(&item)?;
    let mut c = conn(ctx).await?;
    let existing = match &sku {
        Some(s) => ImportLookup::product_by_sku(&mut c, s, false)
            .await
            .map_err(db_err)?,
        None => None,
    };
    if existing.is_some() && !principal(ctx).has(Permission::ProductsUpdate) {
        return Err(ApiError {
            field: Some("sku".into()),
            ..ApiError::with_message(
                ErrorCode::Forbidden,
                "a product with this SKU exists; updating it needs products.update",
            )
        });
    }
    let existing_id = existing.as_ref().map(|p| p.id);
    let BulkProductInput {
        product,
        stock,
        variants,
    } = item;
    let w = product_write(ctx, product, existing.as_ref()).await?;
    let default_locale = default_locale.to_owned();
    c.transaction::<_, ApiError, _>(async move |tx| {
        let locked = match &sku {
            Some(s) => ImportLookup::product_by_sku(tx, s, true)
                .await
                .map_err(db_err)?
                .map(|p| p.id),
            None => None,
        };
        if locked != existing_id {
            return Err(ApiError {
                field: Some("sku".into()),
                ..ApiError::with_message(
                    ErrorCode::Conflict,
                    "the product with this SKU changed during the import; run it again",
                )
            });
        }
        let (p, action): (Product, BulkAction) = match existing_id {
            Some(id) => (
                Product::update(tx, id, w).await.map_err(sku_conflict)?,
                BulkAction::Updated,
            ),
            None => (
                Product::create(tx, w).await.map_err(sku_conflict)?,
                BulkAction::Created,
            ),
        };
        let mut lines = Vec::new();
        if let Some(q) = stock {
            lines.push(StockLine {
                product_id: p.id,
                variant_id: None,
                quantity: q,
                reference: "import".into(),
            });
        }
        let variant_count = variants.len();
        for (i, v) in variants.into_iter().enumerate() {
            let prefix = format!("variants[{i}]");
            let mut option_ids = Vec::with_capacity(v.options.len());
            for o in &v.options {
                let locale = trimmed(o.locale.as_deref()).unwrap_or_else(|| default_locale.clone());
                let group = o.group_name.trim();
                let name = o.option_name.trim();
                let identifier = Some(import_csv::slugify(group))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "group".to_owned());
                let identifier: String = identifier.chars().take(100).collect();
                let code: String = import_csv::slugify(name)
                    .to_uppercase()
                    .chars()
                    .take(50)
                    .collect();
                let id = ImportLookup::find_or_create_option(
                    tx,
                    &locale,
                    group,
                    name,
                    identifier.trim_end_matches('-'),
                    &code,
                )
                .await
                .map_err(|e| at(&prefix, db_err(e)))?;
                option_ids.push(id);
            }
            let vsku = trimmed(v.sku.as_deref());
            let target = match &vsku {
                Some(s) => match ImportLookup::variant_by_sku(tx, s).await.map_err(db_err)? {
                    Some(found) if found.product_id == p.id => Some(found.variant_id),
                    Some(_) => {
                        return Err(at(
                            &prefix,
                            ApiError {
                                field: Some("sku".into()),
                                ..ApiError::with_message(
                                    ErrorCode::Conflict,
                                    "a variant of another product has this SKU",
                                )
                            },
                        ));
                    }
                    None => None,
                },
                None => ImportLookup::variant_by_options(tx, p.id, &option_ids)
                    .await
                    .map_err(db_err)?,
            };
            let saved = VariantAdmin::save(
                tx,
                p.id,
                target,
                VariantWrite {
                    sku: vsku,
                    price_net: v.price_net,
                    price_gross: v.price_gross,
                    active: v.active,
                    option_ids,
                    stock: None,
                },
            )
            .await
            .map_err(|e| at(&prefix, sku_conflict(e)))?
            .map_err(|r| at(&prefix, refusal(r)))?;
            if let Some(q) = v.stock {
                lines.push(StockLine {
                    product_id: p.id,
                    variant_id: Some(saved.id),
                    quantity: q,
                    reference: "import".into(),
                });
            }
        }
        if !lines.is_empty() {
            Warehouse::set_stock(tx, DEFAULT_WAREHOUSE, lines)
                .await
                .map_err(db_err)?;
        }
        audit::record(
            ctx,
            tx,
            action.audit(),
            "product",
            Some(p.id),
            serde_json::json!({
                "sku": p.sku,
                "active": p.active,
                "source": "bulk",
                "variants": variant_count,
                "stock": stock,
            }),
        )
        .await?;
        Ok((p.id, action))
    })
    .await
}

/// `i18n.default_locale`.
fn default_locale(ctx: &Context<'_>) -> String {
    ctx.data::<AppState>()
        .map(|s| s.i18n.default_locale.clone())
        .unwrap_or_else(|_| "de-DE".to_owned())
}

/// Runs every item (in order, each in its own transaction) and sums up.
pub(crate) async fn run_bulk(ctx: &Context<'_>, items: Vec<BulkProductInput>) -> BulkResult {
    let default_locale = default_locale(ctx);
    let total = items.len();
    let mut results = Vec::with_capacity(total);
    for (i, item) in items.into_iter().enumerate() {
        let sku = trimmed(item.product.sku.as_deref());
        let outcome = upsert_one(ctx, item, sku.clone(), &default_locale).await;
        results.push(match outcome {
            Ok((id, action)) => BulkItemResult {
                index: count(i),
                sku,
                success: true,
                id: Some(id),
                action: Some(action),
                errors: Vec::new(),
            },
            Err(e) => BulkItemResult {
                index: count(i),
                sku,
                success: false,
                id: None,
                action: None,
                errors: vec![describe(&e)],
            },
        });
    }
    let succeeded = results.iter().filter(|r| r.success).count();
    BulkResult {
        total: count(total),
        succeeded: count(succeeded),
        failed: count(total - succeeded),
        results,
    }
}

/// Product import queries.
#[derive(Default)]
pub struct CatalogImportQuery;

#[Object]
impl CatalogImportQuery {
    /// The CSV template of `importProducts`: the header and one example product with two
    /// variants, in the default locale (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn product_import_template(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(import_csv::template(&default_locale(ctx)))
    }
}

/// Product bulk upsert and CSV import.
#[derive(Default)]
pub struct CatalogImportMutation;

#[Object]
impl CatalogImportMutation {
    /// Creates or updates 1 to 250 products (`products.create`; updating an existing SKU
    /// also needs `products.update`). Each item succeeds or fails alone, in its own
    /// transaction, and is audited as a `create` or `update` of the product.
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn bulk_upsert_products(
        &self,
        ctx: &Context<'_>,
        products: Vec<BulkProductInput>,
    ) -> Result<BulkResult> {
        if products.is_empty() || products.len() > MAX_BULK_ITEMS {
            return Err(ApiError::invalid(
                "products",
                format!("give 1 to {MAX_BULK_ITEMS} products"),
            )
            .into());
        }
        Ok(run_bulk(ctx, products).await)
    }

    /// Imports a product CSV file (at most 10 MiB; columns as in `productImportTemplate`),
    /// sent as a `multipart/form-data` request (GraphQL multipart request spec), through the
    /// same path as `bulkUpsertProducts` (`products.create`). A file that cannot be read is a
    /// `VALIDATION_ERROR` on `file` naming the line; no file is `MISSING_FILE`.
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn import_products(&self, ctx: &Context<'_>, file: Option<Upload>) -> Result<BulkResult> {
        let missing = || ApiError {
            field: Some("file".into()),
            ..ApiError::new(ErrorCode::MissingFile)
        };
        let file = file.ok_or_else(missing)?;
        if file.0 >= ctx.query_env.uploads.len() {
            return Err(missing().into());
        }
        let upload = file.value(ctx).map_err(ApiError::internal)?;
        let bytes = upload.content;
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ApiError {
                field: Some("file".into()),
                ..ApiError::with_message(ErrorCode::PayloadTooLarge, "the file exceeds 10 MiB")
            }
            .into());
        }
        let default_locale = default_locale(ctx);
        let rows = import_csv::parse(&bytes, &default_locale)
            .map_err(|e| ApiError::invalid("file", e.to_string()))?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let value =
                async_graphql::Value::from_json(row.to_json()).map_err(ApiError::internal)?;
            let item = BulkProductInput::parse(Some(value)).map_err(|e| {
                ApiError::invalid(
                    "file",
                    format!(
                        "line {}: {}",
                        row.line,
                        e.into_server_error(Default::default()).message
                    ),
                )
            })?;
            items.push(item);
        }
        Ok(run_bulk(ctx, items).await)
    }
}
