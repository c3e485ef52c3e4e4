//! Staff accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::admin_users;

/// A staff account (`super_admin`, `admin` or `manager`).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = admin_users, check_for_backend(diesel::pg::Pg))]
pub struct AdminUser {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: String,
    pub active: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Values for a new staff account.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = admin_users)]
pub struct NewAdminUser<'a> {
    pub id: Uuid,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub role: &'a str,
}

impl AdminUser {
    /// Looks a staff account up by email, case-insensitively.
    pub async fn by_email(conn: &mut AsyncPgConnection, email: &str) -> DbResult<Option<Self>> {
        Ok(admin_users::table
            .filter(crate::lower(admin_users::email).eq(email.to_lowercase()))
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Looks a staff account up by id.
    pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<Option<Self>> {
        Ok(admin_users::table
            .find(id)
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Inserts a staff account; a duplicate email is a [`crate::DbError::Conflict`].
    pub async fn create(conn: &mut AsyncPgConnection, new: NewAdminUser<'_>) -> DbResult<Self> {
        Ok(diesel::insert_into(admin_users::table)
            .values(new)
            .returning(Self::as_returning())
            .get_result(conn)
            .await?)
    }

    /// Records a successful login.
    pub async fn touch_login(conn: &mut AsyncPgConnection, id: Uuid) -> DbResult<()> {
        diesel::update(admin_users::table.find(id))
            .set(admin_users::last_login_at.eq(diesel::dsl::now))
            .execute(conn)
            .await?;
        Ok(())
    }
}
