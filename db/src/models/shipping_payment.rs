//! Shipping methods and payment methods with their translations. Lists load a page of
//! methods and then every translation of the page in one query (no query per method).
//!
//! A payment method's `config` column holds AES-256-GCM ciphertext sealed by the resolvers'
//! domain layer; the row types here never carry it, only whether one is set. The sealed
//! bytes are read by [`PaymentMethod::sealed_config`] and the start-up pass only.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::{DbError, DbResult};
use crate::schema::{
    payment_method_translations, payment_methods, shipping_method_translations, shipping_methods,
};

/// One locale's name and description of a method (input of writes, output of reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodText {
    pub locale: String,
    pub name: String,
    pub description: String,
}

// --- shipping methods -------------------------------------------------------------------

/// A shipping method row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = shipping_methods, check_for_backend(diesel::pg::Pg))]
pub struct ShippingMethod {
    pub id: Uuid,
    pub active: bool,
    pub price_net: i32,
    pub price_gross: i32,
    pub tax_rule_id: Option<Uuid>,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A shipping method with its translations (by locale).
#[derive(Debug, Clone)]
pub struct ShippingMethodFull {
    pub method: ShippingMethod,
    pub translations: Vec<MethodText>,
}

/// The fields a create or update writes; `None` leaves a field unchanged on update (and
/// takes the column default on create).
#[derive(Debug, Clone, Default)]
pub struct ShippingMethodWrite {
    pub active: Option<bool>,
    pub price_net: i32,
    pub price_gross: i32,
    pub tax_rule_id: Option<Option<Uuid>>,
    pub custom_fields: Option<serde_json::Value>,
    /// Replaces every translation when given.
    pub translations: Option<Vec<MethodText>>,
}

impl ShippingMethod {
    /// A page of methods by gross price (then id), optionally only (in)active ones, and the
    /// total count.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        active: Option<bool>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<ShippingMethodFull>, i64)> {
        let mut count = shipping_methods::table.count().into_boxed();
        let mut q = shipping_methods::table
            .select(Self::as_select())
            .into_boxed();
        if let Some(a) = active {
            count = count.filter(shipping_methods::active.eq(a));
            q = q.filter(shipping_methods::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows: Vec<Self> = q
            .order((
                shipping_methods::price_gross.asc(),
                shipping_methods::id.asc(),
            ))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((Self::with_translations(conn, rows).await?, total))
    }

    /// A method by id with its translations.
    pub async fn by_id(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> DbResult<Option<ShippingMethodFull>> {
        let row: Option<Self> = shipping_methods::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Self::with_translations(conn, vec![row]).await?.pop())
    }

    async fn with_translations(
        conn: &mut AsyncPgConnection,
        rows: Vec<Self>,
    ) -> DbResult<Vec<ShippingMethodFull>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let texts: Vec<(Uuid, String, String, String)> = shipping_method_translations::table
            .filter(shipping_method_translations::shipping_method_id.eq_any(&ids))
            .order((
                shipping_method_translations::shipping_method_id,
                shipping_method_translations::locale,
            ))
            .select((
                shipping_method_translations::shipping_method_id,
                shipping_method_translations::locale,
                shipping_method_translations::name,
                shipping_method_translations::description,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|method| ShippingMethodFull {
                translations: texts_of(&texts, method.id),
                method,
            })
            .collect())
    }

    /// Creates a method with its translations, in one transaction.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        w: ShippingMethodWrite,
    ) -> DbResult<ShippingMethodFull> {
        let id = Uuid::now_v7();
        conn.transaction::<_, DbError, _>(async move |tx| {
            diesel::insert_into(shipping_methods::table)
                .values((
                    shipping_methods::id.eq(id),
                    shipping_methods::active.eq(w.active.unwrap_or(true)),
                    shipping_methods::price_net.eq(w.price_net),
                    shipping_methods::price_gross.eq(w.price_gross),
                    shipping_methods::tax_rule_id.eq(w.tax_rule_id.flatten()),
                    shipping_methods::custom_fields
                        .eq(w.custom_fields.unwrap_or_else(|| serde_json::json!({}))),
                ))
                .execute(tx)
                .await?;
            replace_shipping_texts(tx, id, w.translations.unwrap_or_default()).await?;
            Self::by_id(tx, id).await?.ok_or(DbError::NotFound)
        })
        .await
    }

    /// Updates a method; `None` when it does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        w: ShippingMethodWrite,
    ) -> DbResult<Option<ShippingMethodFull>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let changed = diesel::update(shipping_methods::table.find(id))
                .set((
                    shipping_methods::price_net.eq(w.price_net),
                    shipping_methods::price_gross.eq(w.price_gross),
                    shipping_methods::updated_at.eq(Utc::now()),
                ))
                .execute(tx)
                .await?;
            if changed == 0 {
                return Ok(None);
            }
            if let Some(a) = w.active {
                diesel::update(shipping_methods::table.find(id))
                    .set(shipping_methods::active.eq(a))
                    .execute(tx)
                    .await?;
            }
            if let Some(t) = w.tax_rule_id {
                diesel::update(shipping_methods::table.find(id))
                    .set(shipping_methods::tax_rule_id.eq(t))
                    .execute(tx)
                    .await?;
            }
            if let Some(cf) = w.custom_fields {
                diesel::update(shipping_methods::table.find(id))
                    .set(shipping_methods::custom_fields.eq(cf))
                    .execute(tx)
                    .await?;
            }
            if let Some(ts) = w.translations {
                replace_shipping_texts(tx, id, ts).await?;
            }
            Self::by_id(tx, id).await
        })
        .await
    }

    /// Deletes a method; a conflict while orders use it, `false` when it does not exist.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(shipping_methods::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }
}

async fn replace_shipping_texts(
    tx: &mut AsyncPgConnection,
    id: Uuid,
    texts: Vec<MethodText>,
) -> DbResult<()> {
    diesel::delete(
        shipping_method_translations::table
            .filter(shipping_method_translations::shipping_method_id.eq(id)),
    )
    .execute(tx)
    .await?;
    if texts.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = texts
        .into_iter()
        .map(|t| {
            (
                shipping_method_translations::shipping_method_id.eq(id),
                shipping_method_translations::locale.eq(t.locale),
                shipping_method_translations::name.eq(t.name),
                shipping_method_translations::description.eq(t.description),
            )
        })
        .collect();
    diesel::insert_into(shipping_method_translations::table)
        .values(rows)
        .execute(tx)
        .await?;
    Ok(())
}

fn texts_of(all: &[(Uuid, String, String, String)], id: Uuid) -> Vec<MethodText> {
    all.iter()
        .filter(|t| t.0 == id)
        .map(|(_, locale, name, description)| MethodText {
            locale: locale.clone(),
            name: name.clone(),
            description: description.clone(),
        })
        .collect()
}

// --- payment methods --------------------------------------------------------------------

/// A payment method row, without its sealed configuration (only whether there is one).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payment_methods, check_for_backend(diesel::pg::Pg))]
pub struct PaymentMethod {
    pub id: Uuid,
    /// Empty for a manual method (invoice, bank transfer without a provider).
    pub provider: String,
    pub active: bool,
    #[diesel(select_expression = payment_methods::config.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<payment_methods::config>)]
    pub has_config: bool,
    pub custom_fields: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A payment method with its translations (by locale).
#[derive(Debug, Clone)]
pub struct PaymentMethodFull {
    pub method: PaymentMethod,
    pub translations: Vec<MethodText>,
}

/// The fields a create or update writes; `None` leaves a field unchanged on update.
#[derive(Default)]
pub struct PaymentMethodWrite {
    pub provider: Option<String>,
    pub active: Option<bool>,
    /// Sealed bytes: `Some(Some(_))` sets, `Some(None)` clears, `None` keeps.
    pub sealed_config: Option<Option<Vec<u8>>>,
    pub custom_fields: Option<serde_json::Value>,
    /// Replaces every translation when given.
    pub translations: Option<Vec<MethodText>>,
}

impl std::fmt::Debug for PaymentMethodWrite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaymentMethodWrite")
            .field("provider", &self.provider)
            .field("active", &self.active)
            .field("sealed_config", &self.sealed_config.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl PaymentMethod {
    /// A page of methods by creation time (then id), optionally only (in)active ones, and
    /// the total count.
    pub async fn page(
        conn: &mut AsyncPgConnection,
        active: Option<bool>,
        offset: i64,
        limit: i64,
    ) -> DbResult<(Vec<PaymentMethodFull>, i64)> {
        let mut count = payment_methods::table.count().into_boxed();
        let mut q = payment_methods::table
            .select(Self::as_select())
            .into_boxed();
        if let Some(a) = active {
            count = count.filter(payment_methods::active.eq(a));
            q = q.filter(payment_methods::active.eq(a));
        }
        let total: i64 = count.get_result(conn).await?;
        let rows: Vec<Self> = q
            .order((payment_methods::created_at.asc(), payment_methods::id.asc()))
            .offset(offset)
            .limit(limit)
            .load(conn)
            .await?;
        Ok((Self::with_translations(conn, rows).await?, total))
    }

    /// A method by id with its translations.
    pub async fn by_id(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> DbResult<Option<PaymentMethodFull>> {
        let row: Option<Self> = payment_methods::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Self::with_translations(conn, vec![row]).await?.pop())
    }

    async fn with_translations(
        conn: &mut AsyncPgConnection,
        rows: Vec<Self>,
    ) -> DbResult<Vec<PaymentMethodFull>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let texts: Vec<(Uuid, String, String, String)> = payment_method_translations::table
            .filter(payment_method_translations::payment_method_id.eq_any(&ids))
            .order((
                payment_method_translations::payment_method_id,
                payment_method_translations::locale,
            ))
            .select((
                payment_method_translations::payment_method_id,
                payment_method_translations::locale,
                payment_method_translations::name,
                payment_method_translations::description,
            ))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .map(|method| PaymentMethodFull {
                translations: texts_of(&texts, method.id),
                method,
            })
            .collect())
    }

    /// Creates a method with its translations, in one transaction.
    pub async fn create(
        conn: &mut AsyncPgConnection,
        w: PaymentMethodWrite,
    ) -> DbResult<PaymentMethodFull> {
        let id = Uuid::now_v7();
        conn.transaction::<_, DbError, _>(async move |tx| {
            diesel::insert_into(payment_methods::table)
                .values((
                    payment_methods::id.eq(id),
                    payment_methods::provider.eq(w.provider.unwrap_or_default()),
                    payment_methods::active.eq(w.active.unwrap_or(true)),
                    payment_methods::config.eq(w.sealed_config.flatten()),
                    payment_methods::custom_fields
                        .eq(w.custom_fields.unwrap_or_else(|| serde_json::json!({}))),
                ))
                .execute(tx)
                .await?;
            replace_payment_texts(tx, id, w.translations.unwrap_or_default()).await?;
            Self::by_id(tx, id).await?.ok_or(DbError::NotFound)
        })
        .await
    }

    /// Updates a method; `None` when it does not exist.
    pub async fn update(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        w: PaymentMethodWrite,
    ) -> DbResult<Option<PaymentMethodFull>> {
        conn.transaction::<_, DbError, _>(async move |tx| {
            let changed = diesel::update(payment_methods::table.find(id))
                .set(payment_methods::updated_at.eq(Utc::now()))
                .execute(tx)
                .await?;
            if changed == 0 {
                return Ok(None);
            }
            if let Some(p) = w.provider {
                diesel::update(payment_methods::table.find(id))
                    .set(payment_methods::provider.eq(p))
                    .execute(tx)
                    .await?;
            }
            if let Some(a) = w.active {
                diesel::update(payment_methods::table.find(id))
                    .set(payment_methods::active.eq(a))
                    .execute(tx)
                    .await?;
            }
            if let Some(c) = w.sealed_config {
                diesel::update(payment_methods::table.find(id))
                    .set(payment_methods::config.eq(c))
                    .execute(tx)
                    .await?;
            }
            if let Some(cf) = w.custom_fields {
                diesel::update(payment_methods::table.find(id))
                    .set(payment_methods::custom_fields.eq(cf))
                    .execute(tx)
                    .await?;
            }
            if let Some(ts) = w.translations {
                replace_payment_texts(tx, id, ts).await?;
            }
            Self::by_id(tx, id).await
        })
        .await
    }

    /// Deletes a method; a conflict while orders use it, `false` when it does not exist.
    pub async fn delete(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<bool> {
        Ok(diesel::delete(payment_methods::table.find(id))
            .execute(conn)
            .await?
            > 0)
    }

    /// The sealed configuration bytes of a method: `None` when the method does not exist,
    /// `Some(None)` when it has no configuration.
    pub async fn sealed_config(
        conn: &mut AsyncPgConnection,
        id: Uuid,
    ) -> DbResult<Option<Option<Vec<u8>>>> {
        Ok(payment_methods::table
            .find(id)
            .select(payment_methods::config)
            .first(conn)
            .await
            .optional()?)
    }

    /// Every stored configuration (id, bytes), for the start-up sealing pass.
    pub async fn all_configs(conn: &mut AsyncPgConnection) -> DbResult<Vec<(Uuid, Vec<u8>)>> {
        let rows: Vec<(Uuid, Option<Vec<u8>>)> = payment_methods::table
            .filter(payment_methods::config.is_not_null())
            .select((payment_methods::id, payment_methods::config))
            .load(conn)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, c)| c.map(|c| (id, c)))
            .collect())
    }

    /// Replaces a configuration only if it still holds `old` (another instance starting at
    /// the same time may have sealed it already); true when replaced.
    pub async fn replace_config(
        conn: &mut AsyncPgConnection,
        id: Uuid,
        old: &[u8],
        new: &[u8],
    ) -> DbResult<bool> {
        Ok(diesel::update(
            payment_methods::table
                .find(id)
                .filter(payment_methods::config.eq(old)),
        )
        .set(payment_methods::config.eq(new))
        .execute(conn)
        .await?
            > 0)
    }
}

async fn replace_payment_texts(
    tx: &mut AsyncPgConnection,
    id: Uuid,
    texts: Vec<MethodText>,
) -> DbResult<()> {
    diesel::delete(
        payment_method_translations::table
            .filter(payment_method_translations::payment_method_id.eq(id)),
    )
    .execute(tx)
    .await?;
    if texts.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = texts
        .into_iter()
        .map(|t| {
            (
                payment_method_translations::payment_method_id.eq(id),
                payment_method_translations::locale.eq(t.locale),
                payment_method_translations::name.eq(t.name),
                payment_method_translations::description.eq(t.description),
            )
        })
        .collect();
    diesel::insert_into(payment_method_translations::table)
        .values(rows)
        .execute(tx)
        .await?;
    Ok(())
}
