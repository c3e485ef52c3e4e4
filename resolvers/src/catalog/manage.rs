//! Catalog maintenance: tags, categories (list, get, update, delete), single variants,
//! property-group update/delete and options, tax-rule get/update/delete, warehouse
//! get/update/delete and stock reads. Every field is guarded by its permission and every
//! change writes an audit entry.

use async_graphql::{Context, InputObject, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use stoa_db::models::catalog::Product;
use stoa_db::models::catalog_manage::{
    CategoryAdmin, CategoryFull, CategoryRefusal, CategoryWrite, OptionWrite, PropertyGroupAdmin,
    StockEntry, Tag, TaxRuleAdmin, VariantAdmin, VariantRefusal, VariantWrite, WarehouseAdmin,
    WarehouseRefusal, WarehouseWrite,
};
use stoa_db::models::catalog_write::{PropertyGroups, TaxRule};
use uuid::Uuid;

use super::admin::{
    CategoryInput, NameInput, PropertyGroupNode, PropertyOptionInput, TaxRuleInput, TaxRuleNode,
    WarehouseNode, check_category, check_color, check_identifier, check_tax_rule, conn, db_err,
    group_node, names, pick, sku_conflict,
};
use super::query::{CategoryTranslationNode, resolve_locale};
use super::types::{Locale, NameTranslationNode, VariantNode};
use crate::audit;
use crate::domain::auth::Permission;
use crate::error::{ApiError, ErrorCode};
use crate::guard::StaffGuard;
use crate::hooks;
use stoa_plugin_sdk::hooks as hk;

/// Page and limit of an admin list: page ≥ 1, limit in 1..=max else the default.
pub(crate) fn paging(page: Option<i64>, limit: Option<i64>, default: i64, max: i64) -> (i64, i64) {
    let page = page.unwrap_or(1).max(1);
    let limit = limit.filter(|l| (1..=max).contains(l)).unwrap_or(default);
    (page, limit)
}

pub(super) fn not_found(what: &str) -> ApiError {
    ApiError::with_message(ErrorCode::NotFound, format!("{what} not found"))
}

fn in_use(message: &str) -> impl Fn(stoa_db::DbError) -> ApiError + '_ {
    move |e| match e {
        stoa_db::DbError::Conflict { .. } => ApiError::with_message(ErrorCode::Conflict, message),
        e => db_err(e),
    }
}

// --- tags -----------------------------------------------------------------------------

/// A product tag.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TagNode {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
}

impl From<Tag> for TagNode {
    fn from(t: Tag) -> Self {
        Self {
            id: t.id,
            name: t.name,
            slug: t.slug,
        }
    }
}

/// A page of tags.
#[derive(SimpleObject)]
pub struct TagPage {
    pub items: Vec<TagNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Input of `createTag` / `updateTag`.
#[derive(InputObject)]
pub struct TagInput {
    /// 1 to 100 characters.
    pub name: String,
    /// 1 to 100 characters, unique.
    pub slug: String,
}

fn check_tag(input: &TagInput) -> Result<(String, String), ApiError> {
    let name = input.name.trim();
    let slug = input.slug.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("name", "1 to 100 characters"));
    }
    if slug.is_empty() || slug.chars().count() > 100 {
        return Err(ApiError::invalid("slug", "1 to 100 characters"));
    }
    Ok((name.to_owned(), slug.to_owned()))
}

fn slug_taken(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError {
            field: Some("slug".into()),
            ..ApiError::with_message(ErrorCode::Conflict, "a tag with this slug exists")
        },
        e => db_err(e),
    }
}

// --- categories -----------------------------------------------------------------------

/// A category as an admin sees it: active or not, every translation.
#[derive(SimpleObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryAdminNode {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub position: i32,
    pub active: bool,
    pub custom_fields: Json<serde_json::Value>,
    /// The name in the request's locale.
    pub name: String,
    /// The slug in the request's locale.
    pub slug: String,
    pub translations: Vec<CategoryTranslationNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) fn category_node(c: CategoryFull, locale: &Locale) -> CategoryAdminNode {
    let chosen = locale.pick(&c.translations, |t| &t.locale);
    CategoryAdminNode {
        id: c.category.id,
        parent_id: c.category.parent_id,
        position: c.category.position,
        active: c.category.active,
        custom_fields: Json(c.category.custom_fields),
        name: chosen.map(|t| t.name.clone()).unwrap_or_default(),
        slug: chosen.map(|t| t.slug.clone()).unwrap_or_default(),
        translations: c
            .translations
            .into_iter()
            .map(|t| CategoryTranslationNode {
                locale: t.locale,
                name: t.name,
                description: t.description,
                slug: t.slug,
            })
            .collect(),
        created_at: c.category.created_at,
        updated_at: c.category.updated_at,
    }
}

/// A page of categories.
#[derive(SimpleObject)]
pub struct CategoryAdminPage {
    pub items: Vec<CategoryAdminNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

pub(super) fn category_write(input: &CategoryInput) -> Result<CategoryWrite, ApiError> {
    check_category(input)?;
    Ok(CategoryWrite {
        parent_id: input.parent_id,
        position: input.position,
        active: input.active,
        custom_fields: input
            .custom_fields
            .as_ref()
            .map_or_else(|| serde_json::json!({}), |j| j.0.clone()),
        translations: input
            .translations
            .iter()
            .map(|t| {
                let t = t.clone();
                (t.locale, t.name, t.description, t.slug)
            })
            .collect(),
    })
}

// --- variants, stock ------------------------------------------------------------------

/// Input of `createVariant` / `updateVariant` (update replaces every field, as the
/// reference's PUT).
#[derive(InputObject)]
pub struct VariantInput {
    /// Empty or absent: no SKU.
    pub sku: Option<String>,
    /// Absent: the product's price applies.
    pub price_net: Option<i32>,
    pub price_gross: Option<i32>,
    #[graphql(default = true)]
    pub active: bool,
    /// At most one option per property group; no other variant of the product may have
    /// the same set.
    #[graphql(default)]
    pub option_ids: Vec<Uuid>,
    /// When given, the absolute quantity in the default warehouse (a movement records it).
    pub stock: Option<i32>,
}

fn variant_refusal(r: VariantRefusal) -> ApiError {
    match r {
        VariantRefusal::UnknownProduct => not_found("product"),
        VariantRefusal::UnknownVariant => not_found("variant"),
        VariantRefusal::UnknownOption(id) => {
            ApiError::invalid("optionIds", format!("unknown option {id}"))
        }
        VariantRefusal::SameGroupTwice => {
            ApiError::invalid("optionIds", "at most one option per property group")
        }
        VariantRefusal::DuplicateCombination => ApiError {
            field: Some("optionIds".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "another variant of this product has these options",
            )
        },
    }
}

/// A stock row with the names an admin reads it by.
#[derive(SimpleObject)]
pub struct StockEntryNode {
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub product_id: Uuid,
    pub variant_id: Option<Uuid>,
    pub quantity: i32,
    pub warehouse_name: String,
    pub warehouse_code: String,
    pub product_sku: Option<String>,
    /// In the request's locale (else the first available).
    pub product_name: Option<String>,
    pub variant_sku: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<StockEntry> for StockEntryNode {
    fn from(s: StockEntry) -> Self {
        Self {
            id: s.id,
            warehouse_id: s.warehouse_id,
            product_id: s.product_id,
            variant_id: s.variant_id,
            quantity: s.quantity,
            warehouse_name: s.warehouse_name,
            warehouse_code: s.warehouse_code,
            product_sku: s.product_sku,
            product_name: s.product_name,
            variant_sku: s.variant_sku,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

/// Input of `updateWarehouse` (replaces every field).
#[derive(InputObject, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseUpdateInput {
    pub name: String,
    pub code: String,
    #[graphql(default)]
    pub priority: i32,
    #[graphql(default = true)]
    pub active: bool,
    #[graphql(default)]
    pub allow_negative_stock: bool,
}

/// A page of warehouses.
#[derive(SimpleObject)]
pub struct WarehousePage {
    pub items: Vec<WarehouseNode>,
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub pages: i64,
}

/// Input of `updatePropertyGroup` (replaces identifier, position and names).
#[derive(InputObject)]
pub struct PropertyGroupUpdateInput {
    pub identifier: String,
    #[graphql(default)]
    pub position: i32,
    pub translations: Vec<NameInput>,
}

/// An option of a property group.
#[derive(SimpleObject)]
pub struct PropertyOptionAdminNode {
    pub id: Uuid,
    pub group_id: Uuid,
    pub code: String,
    pub color_hex: Option<String>,
    pub position: i32,
    pub name: String,
    pub translations: Vec<NameTranslationNode>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn option_write(input: PropertyOptionInput) -> Result<OptionWrite, ApiError> {
    check_color(input.color_hex.as_deref())?;
    if input.translations.is_empty() {
        return Err(ApiError::invalid(
            "translations",
            "at least one translation is required",
        ));
    }
    if input.code.chars().count() > 50 {
        return Err(ApiError::invalid("code", "at most 50 characters"));
    }
    Ok(OptionWrite {
        code: input.code,
        color_hex: input.color_hex,
        position: input.position,
        names: input
            .translations
            .into_iter()
            .map(|t| (t.locale, t.name))
            .collect(),
    })
}

fn identifier_taken(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError {
            field: Some("identifier".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "a property group with this identifier exists",
            )
        },
        e => db_err(e),
    }
}

fn code_taken(e: stoa_db::DbError) -> ApiError {
    match e {
        stoa_db::DbError::Conflict { .. } => ApiError {
            field: Some("code".into()),
            ..ApiError::with_message(
                ErrorCode::Conflict,
                "a warehouse with this code already exists",
            )
        },
        e => db_err(e),
    }
}

/// Catalog maintenance queries.
#[derive(Default)]
pub struct CatalogManageQuery;

#[Object]
impl CatalogManageQuery {
    /// Tags by name, paginated (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn tags(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        #[graphql(desc = "Case-insensitive substring of the name.")] name: Option<String>,
    ) -> Result<TagPage> {
        let (page, limit) = paging(page, limit, 20, 200);
        let mut c = conn(ctx).await?;
        let (rows, total) = Tag::page(&mut c, name.as_deref(), (page - 1) * limit, limit)
            .await
            .map_err(db_err)?;
        Ok(TagPage {
            items: rows.into_iter().map(Into::into).collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One tag (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn tag(&self, ctx: &Context<'_>, id: Uuid) -> Result<TagNode> {
        let mut c = conn(ctx).await?;
        Ok(Tag::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("tag"))?
            .into())
    }

    /// Categories (active or not) by position, paginated by category (`categories.read`).
    #[graphql(guard = "StaffGuard(Permission::CategoriesRead)")]
    async fn admin_categories(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        parent_id: Option<Uuid>,
        active: Option<bool>,
    ) -> Result<CategoryAdminPage> {
        let (page, limit) = paging(page, limit, 20, 200);
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        let (rows, total) =
            CategoryAdmin::page(&mut c, parent_id, active, (page - 1) * limit, limit)
                .await
                .map_err(db_err)?;
        Ok(CategoryAdminPage {
            items: rows
                .into_iter()
                .map(|r| category_node(r, &locale))
                .collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One category, active or not (`categories.read`).
    #[graphql(guard = "StaffGuard(Permission::CategoriesRead)")]
    async fn admin_category(&self, ctx: &Context<'_>, id: Uuid) -> Result<CategoryAdminNode> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        let row = CategoryAdmin::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("category"))?;
        Ok(category_node(row, &locale))
    }

    /// One property group with its options (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn property_group(&self, ctx: &Context<'_>, id: Uuid) -> Result<PropertyGroupNode> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        let g = PropertyGroups::load(&mut c, Some(id))
            .await
            .map_err(db_err)?
            .into_iter()
            .next()
            .ok_or_else(|| not_found("property group"))?;
        Ok(group_node(g, &locale))
    }

    /// One tax rule (`tax.read`).
    #[graphql(guard = "StaffGuard(Permission::TaxRead)")]
    async fn tax_rule(&self, ctx: &Context<'_>, id: Uuid) -> Result<TaxRuleNode> {
        let mut c = conn(ctx).await?;
        Ok(TaxRule::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("tax rule"))?
            .into())
    }

    /// Warehouses by priority, paginated (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn warehouse_page(
        &self,
        ctx: &Context<'_>,
        page: Option<i64>,
        limit: Option<i64>,
        active: Option<bool>,
    ) -> Result<WarehousePage> {
        let (page, limit) = paging(page, limit, 20, 200);
        let mut c = conn(ctx).await?;
        let (rows, total) = WarehouseAdmin::page(&mut c, active, (page - 1) * limit, limit)
            .await
            .map_err(db_err)?;
        Ok(WarehousePage {
            items: rows.into_iter().map(Into::into).collect(),
            total,
            page,
            limit,
            pages: (total + limit - 1) / limit,
        })
    }

    /// One warehouse (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn warehouse(&self, ctx: &Context<'_>, id: Uuid) -> Result<WarehouseNode> {
        let mut c = conn(ctx).await?;
        Ok(WarehouseAdmin::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("warehouse"))?
            .into())
    }

    /// The stock rows of a warehouse (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn warehouse_stock(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Uuid,
    ) -> Result<Vec<StockEntryNode>> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        if WarehouseAdmin::by_id(&mut c, warehouse_id)
            .await
            .map_err(db_err)?
            .is_none()
        {
            return Err(not_found("warehouse").into());
        }
        Ok(
            WarehouseAdmin::stock_of_warehouse(&mut c, warehouse_id, &locale.requested)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }

    /// The stock rows of a product in every warehouse (`products.read`).
    #[graphql(guard = "StaffGuard(Permission::ProductsRead)")]
    async fn product_stock(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
    ) -> Result<Vec<StockEntryNode>> {
        let locale = resolve_locale(ctx, None);
        let mut c = conn(ctx).await?;
        if Product::by_id(&mut c, product_id)
            .await
            .map_err(db_err)?
            .is_none()
        {
            return Err(not_found("product").into());
        }
        Ok(
            WarehouseAdmin::stock_of_product(&mut c, product_id, &locale.requested)
                .await
                .map_err(db_err)?
                .into_iter()
                .map(Into::into)
                .collect(),
        )
    }
}

/// Catalog maintenance mutations.
#[derive(Default)]
pub struct CatalogManageMutation;

#[Object]
impl CatalogManageMutation {
    /// Creates a tag (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_tag(&self, ctx: &Context<'_>, input: TagInput) -> Result<TagNode> {
        let (name, slug) = check_tag(&input)?;
        let hook = hooks::guard(
            ctx,
            (hk::TAG_BEFORE_CREATE, hk::TAG_AFTER_CREATE),
            || serde_json::json!({ "name": name, "slug": slug }),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let t = Tag::create(&mut c, &name, &slug)
            .await
            .map_err(slug_taken)?;
        audit::record(
            ctx,
            &mut c,
            "create",
            "tag",
            Some(t.id),
            serde_json::json!({ "name": t.name, "slug": t.slug }),
        )
        .await?;
        let t = TagNode::from(t);
        hook.after(|| hooks::snapshot(&t)).await;
        Ok(t)
    }

    /// Renames a tag (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_tag(&self, ctx: &Context<'_>, id: Uuid, input: TagInput) -> Result<TagNode> {
        let (name, slug) = check_tag(&input)?;
        let mut c = conn(ctx).await?;
        let before = Tag::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("tag"))?;
        let hook = hooks::guard(
            ctx,
            (hk::TAG_BEFORE_UPDATE, hk::TAG_AFTER_UPDATE),
            || serde_json::json!({ "id": id, "name": name, "slug": slug }),
        )
        .await?;
        let t = Tag::update(&mut c, id, &name, &slug)
            .await
            .map_err(slug_taken)?
            .ok_or_else(|| not_found("tag"))?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "tag",
            Some(id),
            serde_json::json!({
                "name": { "from": before.name, "to": t.name },
                "slug": { "from": before.slug, "to": t.slug },
            }),
        )
        .await?;
        let t = TagNode::from(t);
        hook.after(|| hooks::snapshot(&t)).await;
        Ok(t)
    }

    /// Deletes a tag; products lose it (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_tag(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(ctx, (hk::TAG_BEFORE_DELETE, hk::TAG_AFTER_DELETE), || {
            hooks::id(id)
        })
        .await?;
        let mut c = conn(ctx).await?;
        if !Tag::delete(&mut c, id).await.map_err(db_err)? {
            return Err(not_found("tag").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "tag",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Replaces a category's fields and translations (`categories.update`). A parent below
    /// the category itself is refused.
    #[graphql(guard = "StaffGuard(Permission::CategoriesUpdate)")]
    async fn update_category(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: CategoryInput,
    ) -> Result<CategoryAdminNode> {
        let w = category_write(&input)?;
        let hook = hooks::guard(
            ctx,
            (hk::CATEGORY_BEFORE_UPDATE, hk::CATEGORY_AFTER_UPDATE),
            || hooks::with_id(hooks::snapshot(&input), id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        let row = match CategoryAdmin::update(&mut c, id, w.clone())
            .await
            .map_err(db_err)?
        {
            Ok(Some(row)) => row,
            Ok(None) => return Err(not_found("category").into()),
            Err(CategoryRefusal::UnknownParent) => {
                return Err(ApiError::invalid("parentId", "unknown parent category").into());
            }
            Err(CategoryRefusal::Cycle) => {
                return Err(ApiError::invalid(
                    "parentId",
                    "a category cannot sit below itself or its descendants",
                )
                .into());
            }
        };
        audit::record(
            ctx,
            &mut c,
            "update",
            "category",
            Some(id),
            serde_json::json!({
                "parent_id": w.parent_id, "position": w.position, "active": w.active,
                "locales": w.translations.iter().map(|t| t.0.clone()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        let node = category_node(row, &resolve_locale(ctx, None));
        hook.after(|| hooks::snapshot(&node)).await;
        Ok(node)
    }

    /// Deletes a category; its children move up to its parent, products lose it
    /// (`categories.delete`).
    #[graphql(guard = "StaffGuard(Permission::CategoriesDelete)")]
    async fn delete_category(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(
            ctx,
            (hk::CATEGORY_BEFORE_DELETE, hk::CATEGORY_AFTER_DELETE),
            || hooks::id(id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        if !CategoryAdmin::delete(&mut c, id).await.map_err(db_err)? {
            return Err(not_found("category").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "category",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Adds one variant to a product (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_variant(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        input: VariantInput,
    ) -> Result<VariantNode> {
        save_variant(ctx, product_id, None, input).await
    }

    /// Replaces a variant's fields and option set (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_variant(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        variant_id: Uuid,
        input: VariantInput,
    ) -> Result<VariantNode> {
        save_variant(ctx, product_id, Some(variant_id), input).await
    }

    /// Deletes a variant of a product; its stock goes with it (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_variant(
        &self,
        ctx: &Context<'_>,
        product_id: Uuid,
        variant_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !VariantAdmin::delete(&mut c, product_id, variant_id)
            .await
            .map_err(db_err)?
        {
            return Err(not_found("variant").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete_variant",
            "product",
            Some(product_id),
            serde_json::json!({ "variant_id": variant_id }),
        )
        .await?;
        Ok(true)
    }

    /// Replaces a property group's identifier, position and names (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_property_group(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: PropertyGroupUpdateInput,
    ) -> Result<PropertyGroupNode> {
        check_identifier(&input.identifier)?;
        if input.translations.is_empty() {
            return Err(
                ApiError::invalid("translations", "at least one translation is required").into(),
            );
        }
        let ns: Vec<(String, String)> = input
            .translations
            .into_iter()
            .map(|t| (t.locale, t.name))
            .collect();
        let mut c = conn(ctx).await?;
        if !PropertyGroupAdmin::update(&mut c, id, &input.identifier, input.position, ns)
            .await
            .map_err(identifier_taken)?
        {
            return Err(not_found("property group").into());
        }
        audit::record(
            ctx,
            &mut c,
            "update",
            "property_group",
            Some(id),
            serde_json::json!({ "identifier": input.identifier, "position": input.position }),
        )
        .await?;
        let g = PropertyGroups::load(&mut c, Some(id))
            .await
            .map_err(db_err)?
            .into_iter()
            .next()
            .ok_or_else(|| not_found("property group"))?;
        Ok(group_node(g, &resolve_locale(ctx, None)))
    }

    /// Deletes a property group with its options; refused while a variant uses one of them
    /// (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_property_group(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !PropertyGroupAdmin::delete(&mut c, id)
            .await
            .map_err(in_use(
                "an option of this property group is used by variants",
            ))?
        {
            return Err(not_found("property group").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "property_group",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        Ok(true)
    }

    /// Adds an option to a property group (`products.create`).
    #[graphql(guard = "StaffGuard(Permission::ProductsCreate)")]
    async fn create_property_option(
        &self,
        ctx: &Context<'_>,
        group_id: Uuid,
        input: PropertyOptionInput,
    ) -> Result<PropertyOptionAdminNode> {
        save_option(ctx, group_id, None, input).await
    }

    /// Replaces an option of a property group (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_property_option(
        &self,
        ctx: &Context<'_>,
        group_id: Uuid,
        option_id: Uuid,
        input: PropertyOptionInput,
    ) -> Result<PropertyOptionAdminNode> {
        save_option(ctx, group_id, Some(option_id), input).await
    }

    /// Deletes an option; refused while a variant uses it (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_property_option(
        &self,
        ctx: &Context<'_>,
        group_id: Uuid,
        option_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !PropertyGroupAdmin::delete_option(&mut c, group_id, option_id)
            .await
            .map_err(in_use("this option is used by variants"))?
        {
            return Err(not_found("property option").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete_option",
            "property_group",
            Some(group_id),
            serde_json::json!({ "option_id": option_id }),
        )
        .await?;
        Ok(true)
    }

    /// Replaces a tax rule (`tax.update`).
    #[graphql(guard = "StaffGuard(Permission::TaxUpdate)")]
    async fn update_tax_rule(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: TaxRuleInput,
    ) -> Result<TaxRuleNode> {
        check_tax_rule(&input)?;
        let mut c = conn(ctx).await?;
        let before = TaxRule::by_id(&mut c, id)
            .await
            .map_err(db_err)?
            .ok_or_else(|| not_found("tax rule"))?;
        let hook = hooks::guard(ctx, (hk::TAX_BEFORE_UPDATE, hk::TAX_AFTER_UPDATE), || {
            hooks::with_id(hooks::snapshot(&input), id)
        })
        .await?;
        TaxRuleAdmin::update(
            &mut c,
            id,
            input.name.trim(),
            input.rate,
            &input.country_code,
            &input.kind,
        )
        .await
        .map_err(db_err)?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "tax_rule",
            Some(id),
            serde_json::json!({ "rate": { "from": before.rate, "to": input.rate } }),
        )
        .await?;
        let t = TaxRuleNode::from(
            TaxRule::by_id(&mut c, id)
                .await
                .map_err(db_err)?
                .ok_or_else(|| not_found("tax rule"))?,
        );
        hook.after(|| hooks::snapshot(&t)).await;
        Ok(t)
    }

    /// Deletes a tax rule; refused while products use it (`tax.delete`).
    #[graphql(guard = "StaffGuard(Permission::TaxDelete)")]
    async fn delete_tax_rule(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(ctx, (hk::TAX_BEFORE_DELETE, hk::TAX_AFTER_DELETE), || {
            hooks::id(id)
        })
        .await?;
        let mut c = conn(ctx).await?;
        if !TaxRuleAdmin::delete(&mut c, id)
            .await
            .map_err(in_use("this tax rule is used by products"))?
        {
            return Err(not_found("tax rule").into());
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "tax_rule",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Replaces a warehouse's fields; product stock follows when it is (de)activated
    /// (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn update_warehouse(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        input: WarehouseUpdateInput,
    ) -> Result<WarehouseNode> {
        let name = input.name.trim();
        let code = input.code.trim();
        if name.is_empty() || code.is_empty() || code.len() > 50 {
            return Err(ApiError::invalid(
                "code",
                "name and code (at most 50 characters) are required",
            )
            .into());
        }
        if input.priority < 0 {
            return Err(ApiError::invalid("priority", "must not be negative").into());
        }
        let hook = hooks::guard(
            ctx,
            (hk::WAREHOUSE_BEFORE_UPDATE, hk::WAREHOUSE_AFTER_UPDATE),
            || hooks::with_id(hooks::snapshot(&input), id),
        )
        .await?;
        let w = WarehouseWrite {
            name: name.to_owned(),
            code: code.to_owned(),
            priority: input.priority,
            active: input.active,
            allow_negative_stock: input.allow_negative_stock,
        };
        let mut c = conn(ctx).await?;
        let row = WarehouseAdmin::update(&mut c, id, w)
            .await
            .map_err(code_taken)?
            .ok_or_else(|| not_found("warehouse"))?;
        audit::record(
            ctx,
            &mut c,
            "update",
            "warehouse",
            Some(id),
            serde_json::json!({ "code": row.code, "active": row.active, "priority": row.priority }),
        )
        .await?;
        let row = WarehouseNode::from(row);
        hook.after(|| hooks::snapshot(&row)).await;
        Ok(row)
    }

    /// Deletes an empty warehouse; the default warehouse stays (`products.delete`).
    #[graphql(guard = "StaffGuard(Permission::ProductsDelete)")]
    async fn delete_warehouse(&self, ctx: &Context<'_>, id: Uuid) -> Result<bool> {
        let hook = hooks::guard(
            ctx,
            (hk::WAREHOUSE_BEFORE_DELETE, hk::WAREHOUSE_AFTER_DELETE),
            || hooks::id(id),
        )
        .await?;
        let mut c = conn(ctx).await?;
        match WarehouseAdmin::delete(&mut c, id).await.map_err(db_err)? {
            Ok(true) => {}
            Ok(false) => return Err(not_found("warehouse").into()),
            Err(WarehouseRefusal::Default) => {
                return Err(ApiError::with_message(
                    ErrorCode::Conflict,
                    "the default warehouse cannot be deleted",
                )
                .into());
            }
            Err(WarehouseRefusal::HoldsStock(n)) => {
                return Err(ApiError::with_message(
                    ErrorCode::Conflict,
                    format!("the warehouse still holds {n} units; set its stock to 0 first"),
                )
                .into());
            }
        }
        audit::record(
            ctx,
            &mut c,
            "delete",
            "warehouse",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        hook.after(|| hooks::id(id)).await;
        Ok(true)
    }

    /// Removes a stock row from a warehouse; a movement takes its quantity out
    /// (`products.update`).
    #[graphql(guard = "StaffGuard(Permission::ProductsUpdate)")]
    async fn remove_warehouse_stock(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Uuid,
        stock_id: Uuid,
    ) -> Result<bool> {
        let mut c = conn(ctx).await?;
        if !WarehouseAdmin::remove_stock(&mut c, warehouse_id, stock_id)
            .await
            .map_err(db_err)?
        {
            return Err(not_found("stock entry").into());
        }
        audit::record(
            ctx,
            &mut c,
            "remove_stock",
            "warehouse",
            Some(warehouse_id),
            serde_json::json!({ "stock_id": stock_id }),
        )
        .await?;
        Ok(true)
    }
}

async fn save_variant(
    ctx: &Context<'_>,
    product_id: Uuid,
    variant_id: Option<Uuid>,
    input: VariantInput,
) -> Result<VariantNode> {
    for (field, v) in [
        ("priceNet", input.price_net),
        ("priceGross", input.price_gross),
        ("stock", input.stock),
    ] {
        if v.is_some_and(|v| v < 0) {
            return Err(ApiError::invalid(field, "must not be negative").into());
        }
    }
    if input
        .sku
        .as_deref()
        .is_some_and(|s| s.chars().count() > 100)
    {
        return Err(ApiError::invalid("sku", "at most 100 characters").into());
    }
    let w = VariantWrite {
        sku: input.sku,
        price_net: input.price_net,
        price_gross: input.price_gross,
        active: input.active,
        option_ids: input.option_ids,
        stock: input.stock,
    };
    let mut c = conn(ctx).await?;
    let v = VariantAdmin::save(&mut c, product_id, variant_id, w)
        .await
        .map_err(sku_conflict)?
        .map_err(variant_refusal)?;
    let p = Product::by_id(&mut c, product_id)
        .await
        .map_err(db_err)?
        .ok_or_else(|| not_found("product"))?;
    audit::record(
        ctx,
        &mut c,
        if variant_id.is_some() {
            "update_variant"
        } else {
            "create_variant"
        },
        "product",
        Some(product_id),
        serde_json::json!({ "variant_id": v.id, "sku": v.sku, "active": v.active }),
    )
    .await?;
    Ok(VariantNode::new(
        v,
        p.price_net,
        p.price_gross,
        resolve_locale(ctx, None),
    ))
}

async fn save_option(
    ctx: &Context<'_>,
    group_id: Uuid,
    option_id: Option<Uuid>,
    input: PropertyOptionInput,
) -> Result<PropertyOptionAdminNode> {
    let w = option_write(input)?;
    let mut c = conn(ctx).await?;
    let (o, ns) = PropertyGroupAdmin::save_option(&mut c, group_id, option_id, w)
        .await
        .map_err(db_err)?
        .ok_or_else(|| {
            not_found(if option_id.is_some() {
                "property option"
            } else {
                "property group"
            })
        })?;
    audit::record(
        ctx,
        &mut c,
        if option_id.is_some() {
            "update_option"
        } else {
            "create_option"
        },
        "property_group",
        Some(group_id),
        serde_json::json!({ "option_id": o.id, "code": o.code }),
    )
    .await?;
    let locale = resolve_locale(ctx, None);
    Ok(PropertyOptionAdminNode {
        id: o.id,
        group_id: o.group_id,
        code: o.code,
        color_hex: o.color_hex,
        position: o.position,
        name: pick(&locale, &ns),
        translations: names(&ns),
        created_at: o.created_at,
        updated_at: o.updated_at,
    })
}
