//! The discount rule: whether a code applies to an order subtotal now, and how much it takes
//! off. Pure functions; the cart and checkout call them, and checkout then redeems the code
//! with [`stoa_db::models::discount::Discount::redeem`] inside its order transaction.
//!
//! - `percentage`: `value` basis points of the subtotal (1000 = 10 %), rounded half up to
//!   the minor unit;
//! - `fixed`: `value` minor units;
//! - never more than the subtotal.
//!
//! A refusal names why, with a stable code ([`DiscountRefusal::code`]).

use chrono::{DateTime, Utc};
use stoa_db::AsyncPgConnection;
use stoa_db::models::discount::Discount;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The discount types.
pub const KINDS: [&str; 2] = ["percentage", "fixed"];

/// Why a discount does not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DiscountRefusal {
    /// No discount has this code.
    #[error("discount code not found")]
    NotFound,
    /// The discount is switched off.
    #[error("discount code is not active")]
    Inactive,
    /// `valid_from` is still ahead.
    #[error("discount code is not valid yet")]
    NotStarted,
    /// `valid_until` has passed.
    #[error("discount code has expired")]
    Expired,
    /// `used_count` reached `max_uses`.
    #[error("discount code has reached its maximum number of uses")]
    Exhausted,
    /// The subtotal is below `min_order_value` (minor units).
    #[error("order total is below the discount's minimum order value of {0}")]
    MinOrderValue(i32),
}

impl DiscountRefusal {
    /// The stable code (`extensions.code` in GraphQL, the MCP tool error code).
    pub fn code(self) -> ErrorCode {
        match self {
            Self::NotFound => ErrorCode::DiscountNotFound,
            Self::Inactive => ErrorCode::DiscountInactive,
            Self::NotStarted => ErrorCode::DiscountNotStarted,
            Self::Expired => ErrorCode::DiscountExpired,
            Self::Exhausted => ErrorCode::DiscountExhausted,
            Self::MinOrderValue(_) => ErrorCode::DiscountMinOrderValue,
        }
    }
}

impl From<DiscountRefusal> for ApiError {
    fn from(r: DiscountRefusal) -> Self {
        ApiError::with_message(r.code(), r.to_string())
    }
}

/// The amount `discount` takes off `subtotal_gross` (minor units) at `now`, or why it does
/// not apply. Checks, in this order: active, started (`valid_from <= now`), not expired
/// (`now < valid_until`), uses left (`used_count < max_uses`), minimum order value
/// (`subtotal_gross >= min_order_value`). The amount is within `0..=subtotal_gross`.
pub fn evaluate(
    discount: &Discount,
    subtotal_gross: i64,
    now: DateTime<Utc>,
) -> Result<i64, DiscountRefusal> {
    if !discount.active {
        return Err(DiscountRefusal::Inactive);
    }
    if discount.valid_from.is_some_and(|from| now < from) {
        return Err(DiscountRefusal::NotStarted);
    }
    if discount.valid_until.is_some_and(|until| now >= until) {
        return Err(DiscountRefusal::Expired);
    }
    if discount
        .max_uses
        .is_some_and(|max| discount.used_count >= max)
    {
        return Err(DiscountRefusal::Exhausted);
    }
    if subtotal_gross < i64::from(discount.min_order_value) {
        return Err(DiscountRefusal::MinOrderValue(discount.min_order_value));
    }
    Ok(amount(&discount.kind, discount.value, subtotal_gross))
}

/// The amount of a discount of `kind` and `value` on `subtotal` (minor units), without the
/// validity checks: percentages in basis points rounded half up, capped at the subtotal.
pub fn amount(kind: &str, value: i32, subtotal: i64) -> i64 {
    let subtotal = subtotal.max(0);
    let value = i64::from(value.max(0));
    let raw = if kind == "percentage" {
        // `value` ≤ 10000 and `subtotal` fits an i32 column in practice; i128 keeps any
        // i64 subtotal exact.
        let scaled = (i128::from(subtotal) * i128::from(value) + 5_000) / 10_000;
        i64::try_from(scaled).unwrap_or(i64::MAX)
    } else {
        value
    };
    raw.min(subtotal)
}

/// Looks `code` up (case-insensitively) and evaluates it against `subtotal_gross` now: the
/// discount with its amount, or the refusal ([`DiscountRefusal::NotFound`] for an unknown
/// code). For the cart and checkout; redeeming is a separate, atomic step.
pub async fn check_code(
    conn: &mut AsyncPgConnection,
    code: &str,
    subtotal_gross: i64,
) -> ApiResult<Result<(Discount, i64), DiscountRefusal>> {
    let Some(d) = Discount::by_code(conn, code).await? else {
        return Ok(Err(DiscountRefusal::NotFound));
    };
    Ok(evaluate(&d, subtotal_gross, Utc::now()).map(|a| (d, a)))
}

/// Why a discount that exists could not be redeemed now (its state re-read after
/// [`Discount::redeem`] said no): the refusal [`evaluate`] gives, ignoring the order value.
pub fn redeem_refusal(discount: &Discount, now: DateTime<Utc>) -> DiscountRefusal {
    let probe = Discount {
        min_order_value: 0,
        ..discount.clone()
    };
    // A discount that passes every check now was exhausted by a concurrent redemption
    // between the update and the re-read.
    evaluate(&probe, 0, now)
        .err()
        .unwrap_or(DiscountRefusal::Exhausted)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn discount(kind: &str, value: i32) -> Discount {
        let t = Utc::now();
        Discount {
            id: uuid::Uuid::nil(),
            code: "TEST".into(),
            kind: kind.into(),
            value,
            min_order_value: 0,
            max_uses: None,
            used_count: 0,
            valid_from: None,
            valid_until: None,
            active: true,
            conditions: serde_json::json!({}),
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn percentage_is_basis_points_rounded_half_up() {
        let now = Utc::now();
        // 10 % of 1995 = 199.5 → 200; of 1994 = 199.4 → 199.
        assert_eq!(evaluate(&discount("percentage", 1000), 1995, now), Ok(200));
        assert_eq!(evaluate(&discount("percentage", 1000), 1994, now), Ok(199));
        // 12.5 % of 1 = 0.125 → 0; 50 % of 1 = 0.5 → 1.
        assert_eq!(evaluate(&discount("percentage", 1250), 1, now), Ok(0));
        assert_eq!(evaluate(&discount("percentage", 5000), 1, now), Ok(1));
        assert_eq!(
            evaluate(&discount("percentage", 2000), 10000, now),
            Ok(2000)
        );
        assert_eq!(evaluate(&discount("percentage", 1000), 0, now), Ok(0));
    }

    #[test]
    fn never_more_than_the_subtotal() {
        let now = Utc::now();
        assert_eq!(
            evaluate(&discount("percentage", 10000), 4321, now),
            Ok(4321)
        );
        assert_eq!(evaluate(&discount("fixed", 500), 300, now), Ok(300));
        assert_eq!(evaluate(&discount("fixed", 500), 2000, now), Ok(500));
        assert_eq!(amount("fixed", 500, -10), 0);
        assert_eq!(amount("percentage", 10000, i64::MAX), i64::MAX);
    }

    #[test]
    fn every_refusal_has_its_code() {
        let now = Utc::now();
        let mut d = discount("fixed", 500);
        d.active = false;
        assert_eq!(evaluate(&d, 1000, now), Err(DiscountRefusal::Inactive));

        let mut d = discount("fixed", 500);
        d.valid_from = Some(now + Duration::hours(1));
        assert_eq!(evaluate(&d, 1000, now), Err(DiscountRefusal::NotStarted));
        d.valid_from = Some(now);
        assert_eq!(evaluate(&d, 1000, now), Ok(500));

        let mut d = discount("fixed", 500);
        d.valid_until = Some(now);
        assert_eq!(evaluate(&d, 1000, now), Err(DiscountRefusal::Expired));
        d.valid_until = Some(now + Duration::seconds(1));
        assert_eq!(evaluate(&d, 1000, now), Ok(500));

        let mut d = discount("fixed", 500);
        d.max_uses = Some(3);
        d.used_count = 3;
        assert_eq!(evaluate(&d, 1000, now), Err(DiscountRefusal::Exhausted));
        d.used_count = 2;
        assert_eq!(evaluate(&d, 1000, now), Ok(500));

        let mut d = discount("percentage", 2000);
        d.min_order_value = 5000;
        assert_eq!(
            evaluate(&d, 4999, now),
            Err(DiscountRefusal::MinOrderValue(5000))
        );
        assert_eq!(evaluate(&d, 5000, now), Ok(1000));

        let codes = [
            (DiscountRefusal::NotFound, "DISCOUNT_NOT_FOUND"),
            (DiscountRefusal::Inactive, "DISCOUNT_INACTIVE"),
            (DiscountRefusal::NotStarted, "DISCOUNT_NOT_STARTED"),
            (DiscountRefusal::Expired, "DISCOUNT_EXPIRED"),
            (DiscountRefusal::Exhausted, "DISCOUNT_EXHAUSTED"),
            (
                DiscountRefusal::MinOrderValue(5000),
                "DISCOUNT_MIN_ORDER_VALUE",
            ),
        ];
        for (r, code) in codes {
            let e = ApiError::from(r);
            assert_eq!(e.code.as_str(), code);
            assert_eq!(e.code.http_status(), 422);
        }
        assert!(
            ApiError::from(DiscountRefusal::MinOrderValue(5000))
                .message
                .contains("5000")
        );
    }

    #[test]
    fn refusals_are_checked_in_order() {
        let now = Utc::now();
        let mut d = discount("fixed", 500);
        d.active = false;
        d.valid_until = Some(now - Duration::days(1));
        d.min_order_value = 10_000;
        assert_eq!(evaluate(&d, 0, now), Err(DiscountRefusal::Inactive));
        d.active = true;
        assert_eq!(evaluate(&d, 0, now), Err(DiscountRefusal::Expired));
        d.valid_until = None;
        assert_eq!(
            evaluate(&d, 0, now),
            Err(DiscountRefusal::MinOrderValue(10_000))
        );
    }

    #[test]
    fn redeem_refusal_ignores_the_order_value() {
        let now = Utc::now();
        let mut d = discount("fixed", 500);
        d.min_order_value = 10_000;
        assert_eq!(redeem_refusal(&d, now), DiscountRefusal::Exhausted);
        d.valid_until = Some(now - Duration::days(1));
        assert_eq!(redeem_refusal(&d, now), DiscountRefusal::Expired);
    }
}
