//! Authentication state that every instance shares: refresh-token families, revoked access
//! tokens and login lockout.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::error::DbResult;
use crate::schema::{login_attempts, refresh_tokens, revoked_access_tokens};

/// One issued refresh token.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RefreshToken {
    pub id: Uuid,
    pub token_id: Uuid,
    pub user_id: Uuid,
    pub user_type: String,
    pub family_id: Uuid,
    pub revoked: bool,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl RefreshToken {
    /// Records a newly issued refresh token.
    pub async fn insert(conn: &mut AsyncPgConnection, token: &Self) -> DbResult<()> {
        diesel::insert_into(refresh_tokens::table)
            .values(token)
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Reads a token by jti and locks its row until the transaction ends.
    pub async fn for_update(
        conn: &mut AsyncPgConnection,
        token_id: Uuid,
    ) -> DbResult<Option<Self>> {
        Ok(refresh_tokens::table
            .filter(refresh_tokens::token_id.eq(token_id))
            .for_update()
            .select(Self::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// Revokes one token.
    pub async fn revoke(conn: &mut AsyncPgConnection, token_id: Uuid) -> DbResult<()> {
        diesel::update(refresh_tokens::table.filter(refresh_tokens::token_id.eq(token_id)))
            .set(refresh_tokens::revoked.eq(true))
            .execute(conn)
            .await?;
        Ok(())
    }

    /// Revokes every token of a family (reuse detected, or logout).
    pub async fn revoke_family(conn: &mut AsyncPgConnection, family_id: Uuid) -> DbResult<usize> {
        Ok(
            diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family_id)))
                .set(refresh_tokens::revoked.eq(true))
                .execute(conn)
                .await?,
        )
    }

    /// Revokes every token of a user.
    pub async fn revoke_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> DbResult<usize> {
        Ok(
            diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)))
                .set(refresh_tokens::revoked.eq(true))
                .execute(conn)
                .await?,
        )
    }

    /// Deletes tokens that expired before `before` (housekeeping).
    pub async fn purge_expired(
        conn: &mut AsyncPgConnection,
        before: DateTime<Utc>,
    ) -> DbResult<usize> {
        Ok(
            diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(before)))
                .execute(conn)
                .await?,
        )
    }
}

/// An access token revoked before its expiry.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = revoked_access_tokens, check_for_backend(diesel::pg::Pg))]
pub struct RevokedAccessToken {
    pub jti: Uuid,
    pub expires_at: DateTime<Utc>,
}

impl RevokedAccessToken {
    /// Revokes an access token until its expiry (idempotent).
    pub async fn revoke(
        conn: &mut AsyncPgConnection,
        jti: Uuid,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        diesel::insert_into(revoked_access_tokens::table)
            .values(&Self { jti, expires_at })
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(())
    }

    /// True when the token was revoked.
    pub async fn is_revoked(conn: &mut AsyncPgConnection, jti: Uuid) -> DbResult<bool> {
        let n: i64 = revoked_access_tokens::table
            .filter(revoked_access_tokens::jti.eq(jti))
            .count()
            .get_result(conn)
            .await?;
        Ok(n > 0)
    }

    /// Deletes entries whose token has expired anyway.
    pub async fn purge_expired(
        conn: &mut AsyncPgConnection,
        now: DateTime<Utc>,
    ) -> DbResult<usize> {
        Ok(diesel::delete(
            revoked_access_tokens::table.filter(revoked_access_tokens::expires_at.lt(now)),
        )
        .execute(conn)
        .await?)
    }
}

/// Failed-login bookkeeping per normalised email.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = login_attempts, check_for_backend(diesel::pg::Pg))]
pub struct LoginAttempts {
    pub email: String,
    pub failures: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl LoginAttempts {
    /// When the email is locked, until when.
    pub async fn locked_until(
        conn: &mut AsyncPgConnection,
        email: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<DateTime<Utc>>> {
        let row: Option<Option<DateTime<Utc>>> = login_attempts::table
            .find(email)
            .select(login_attempts::locked_until)
            .first(conn)
            .await
            .optional()?;
        Ok(row.flatten().filter(|t| *t > now))
    }

    /// Counts a failure atomically; when it reaches `max_attempts` the email is locked until
    /// `now + lock`, and the counter starts again. Returns the lock end when this failure locked it.
    pub async fn record_failure(
        conn: &mut AsyncPgConnection,
        email: &str,
        max_attempts: i32,
        now: DateTime<Utc>,
        lock: chrono::Duration,
    ) -> DbResult<Option<DateTime<Utc>>> {
        use diesel::upsert::excluded;
        let failures: i32 = diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::email.eq(email),
                login_attempts::failures.eq(1),
                login_attempts::updated_at.eq(now),
            ))
            .on_conflict(login_attempts::email)
            .do_update()
            .set((
                login_attempts::failures.eq(login_attempts::failures + 1),
                login_attempts::updated_at.eq(excluded(login_attempts::updated_at)),
            ))
            .returning(login_attempts::failures)
            .get_result(conn)
            .await?;
        if failures < max_attempts {
            return Ok(None);
        }
        let until = now + lock;
        diesel::update(login_attempts::table.find(email))
            .set((
                login_attempts::failures.eq(0),
                login_attempts::locked_until.eq(Some(until)),
            ))
            .execute(conn)
            .await?;
        Ok(Some(until))
    }

    /// Forgets the failures of an email after a successful login.
    pub async fn reset(conn: &mut AsyncPgConnection, email: &str) -> DbResult<()> {
        diesel::delete(login_attempts::table.find(email))
            .execute(conn)
            .await?;
        Ok(())
    }
}
