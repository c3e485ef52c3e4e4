//! Payments: recording an order's payment transactions and moving them along their status
//! machine. Free of GraphQL types: the staff mutations call these functions, and so will
//! payment providers (a webhook handler calls [`record_payment`] with the provider's
//! reference and [`set_payment_status`] or [`record_payment`] again as the payment moves on).
//!
//! Statuses (the stored names; `completed` is the reference's name for a captured payment):
//! pending → authorized | completed | failed | cancelled; authorized → completed | failed |
//! cancelled; completed → refunded; failed, cancelled and refunded are terminal. Statuses
//! never move backwards.
//!
//! Every write happens in one transaction: the order row is locked first (so concurrent
//! captures of one order run one after the other), then the rules are checked (amount > 0;
//! the currency is the order's; what is captured never exceeds the order total), the
//! transaction row and the order's derived `payment_status` are written and a
//! `payment.status_changed` domain event is recorded. After the commit the hooks run:
//! `payment_transaction.after_create` for a new transaction, `payment.after_complete` when
//! it became `completed`, `payment.after_failed` when it became `failed`.
//!
//! A non-empty provider reference makes recording idempotent: recording it again for the
//! same order and amount returns the existing transaction unchanged (no event, no hooks), or
//! moves it forward when the status given is further along.

use stoa_db::diesel_async::AsyncConnection;
use stoa_db::models::orders::{DomainEvent, Order, PaymentTransaction};
use stoa_db::models::payments::{NewPaymentTransaction, payment_method_exists};
use stoa_db::{AsyncPgConnection, DbError};
use stoa_plugin_sdk::{HookEvent, HookRegistry, hooks as hk};
use uuid::Uuid;

use crate::domain::orders::order_snapshot;
use crate::error::{ApiError, ErrorCode};

/// The kind of the domain event every payment write records.
pub const PAYMENT_EVENT: &str = "payment.status_changed";

/// The status of a payment transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    Pending,
    Authorized,
    /// Captured: the money is the store's (the reference's `completed`).
    Completed,
    Failed,
    Cancelled,
    Refunded,
}

impl PaymentStatus {
    /// Every status.
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Authorized,
        Self::Completed,
        Self::Failed,
        Self::Cancelled,
        Self::Refunded,
    ];

    /// The stored (and API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Authorized => "authorized",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    /// Parses a name, case-insensitively; `captured` and `paid` are accepted for
    /// `completed`, `canceled` for `cancelled`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "captured" | "paid" => Some(Self::Completed),
            "canceled" => Some(Self::Cancelled),
            _ => Self::ALL.into_iter().find(|x| x.as_str() == s),
        }
    }

    /// The statuses this one may change to.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Pending => &[
                Self::Authorized,
                Self::Completed,
                Self::Failed,
                Self::Cancelled,
            ],
            Self::Authorized => &[Self::Completed, Self::Failed, Self::Cancelled],
            Self::Completed => &[Self::Refunded],
            Self::Failed | Self::Cancelled | Self::Refunded => &[],
        }
    }

    /// True when the machine allows `self → to`.
    pub fn can_become(self, to: Self) -> bool {
        self.next().contains(&to)
    }

    /// True for the statuses whose amount counts against the order's open balance when a
    /// transaction is recorded (a failed or cancelled attempt does not).
    fn reserves_balance(self) -> bool {
        matches!(self, Self::Pending | Self::Authorized | Self::Completed)
    }
}

/// A payment to record.
#[derive(Debug, Clone)]
pub struct RecordPayment {
    pub order_id: Uuid,
    /// Minor units, > 0.
    pub amount: i32,
    /// ISO 4217 code in any case; `None` means the order's currency.
    pub currency: Option<String>,
    /// `refunded` cannot be recorded directly (refund a completed transaction instead).
    pub status: PaymentStatus,
    /// The provider's id of the payment (a Stripe PaymentIntent, a bank transfer's
    /// reference); empty when there is none. At most 255 characters.
    pub provider_reference: String,
    /// `None` means the order's payment method.
    pub payment_method_id: Option<Uuid>,
}

/// Why a payment was not recorded or changed.
#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("order not found")]
    OrderNotFound,
    #[error("payment transaction not found")]
    TransactionNotFound,
    #[error("payment method not found")]
    PaymentMethodNotFound,
    #[error("amount must be greater than zero")]
    InvalidAmount,
    #[error("provider reference must be at most 255 characters")]
    ReferenceTooLong,
    #[error("a payment cannot be recorded as refunded; refund a completed payment instead")]
    RecordedRefund,
    /// Capturing this amount would take the captured sum past the order total.
    #[error("amount exceeds the order's open balance of {open}")]
    ExceedsBalance { open: i64 },
    #[error("currency must be the order's currency {order}")]
    CurrencyMismatch { order: String },
    #[error("invalid payment status transition from \"{}\" to \"{}\"", from.as_str(), to.as_str())]
    InvalidTransition {
        from: PaymentStatus,
        to: PaymentStatus,
    },
    /// The provider reference belongs to a payment of another order, or of another amount
    /// or currency.
    #[error("the provider reference belongs to a different payment")]
    ReferenceConflict,
    /// A stored status outside the machine (the table's CHECK prevents it).
    #[error("payment transaction has an unknown status {0:?}")]
    UnknownStatus(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<stoa_db::DieselError> for PaymentError {
    fn from(e: stoa_db::DieselError) -> Self {
        Self::Db(e.into())
    }
}

impl From<PaymentError> for ApiError {
    fn from(e: PaymentError) -> Self {
        let on = |code, field: &str, e: PaymentError| ApiError {
            field: Some(field.to_owned()),
            ..ApiError::with_message(code, e.to_string())
        };
        match e {
            e @ (PaymentError::OrderNotFound | PaymentError::TransactionNotFound) => {
                ApiError::with_message(ErrorCode::NotFound, e.to_string())
            }
            e @ PaymentError::PaymentMethodNotFound => {
                on(ErrorCode::ValidationError, "paymentMethodId", e)
            }
            e @ (PaymentError::InvalidAmount | PaymentError::ExceedsBalance { .. }) => {
                on(ErrorCode::ValidationError, "amount", e)
            }
            e @ PaymentError::ReferenceTooLong => {
                on(ErrorCode::ValidationError, "providerReference", e)
            }
            e @ PaymentError::RecordedRefund => on(ErrorCode::ValidationError, "status", e),
            e @ PaymentError::CurrencyMismatch { .. } => {
                on(ErrorCode::ValidationError, "currency", e)
            }
            e @ PaymentError::InvalidTransition { .. } => on(ErrorCode::Conflict, "status", e),
            e @ PaymentError::ReferenceConflict => on(ErrorCode::Conflict, "providerReference", e),
            PaymentError::Db(DbError::Conflict { constraint })
                if constraint == "idx_payment_transactions_reference" =>
            {
                on(
                    ErrorCode::Conflict,
                    "providerReference",
                    PaymentError::ReferenceConflict,
                )
            }
            PaymentError::Db(e) => e.into(),
            e @ PaymentError::UnknownStatus(_) => ApiError::internal(e),
        }
    }
}

/// A payment write that happened (or was found already done).
#[derive(Debug, Clone)]
pub struct PaymentChange {
    /// The transaction after the write.
    pub transaction: PaymentTransaction,
    /// The order after the write (its `payment_status` is derived from its transactions).
    pub order: Order,
    /// The status before; `None` when the transaction was created.
    pub from: Option<PaymentStatus>,
    pub to: PaymentStatus,
    /// False when nothing changed (a repeated record or status): no event, no hooks.
    pub changed: bool,
}

impl PaymentChange {
    /// True when the write created the transaction.
    pub fn created(&self) -> bool {
        self.changed && self.from.is_none()
    }
}

/// A transaction as plugin hooks see it (GraphQL field names).
pub fn transaction_snapshot(t: &PaymentTransaction) -> serde_json::Value {
    serde_json::json!({
        "id": t.id, "orderId": t.order_id, "paymentMethodId": t.payment_method_id,
        "status": t.status, "currency": t.currency, "amount": t.amount,
        "providerReference": t.provider_reference, "createdAt": t.created_at,
    })
}

/// The order's payment status derived from its transactions: `paid` once the captured sum
/// covers the total, `partially_paid` below it, else `authorized`, `pending`, `refunded`,
/// `failed` or `cancelled` by the transactions present (`pending` when there are none).
pub fn derive_order_payment_status(total: i32, txs: &[PaymentTransaction]) -> &'static str {
    let has = |s: PaymentStatus| txs.iter().any(|t| t.status == s.as_str());
    let captured = captured_sum(txs, None);
    if captured > 0 && captured >= i64::from(total) {
        "paid"
    } else if captured > 0 {
        "partially_paid"
    } else if has(PaymentStatus::Authorized) {
        "authorized"
    } else if has(PaymentStatus::Pending) || txs.is_empty() {
        "pending"
    } else if has(PaymentStatus::Refunded) {
        "refunded"
    } else if has(PaymentStatus::Failed) {
        "failed"
    } else {
        "cancelled"
    }
}

/// The completed amount of `txs`, leaving out the transaction `except`.
fn captured_sum(txs: &[PaymentTransaction], except: Option<Uuid>) -> i64 {
    txs.iter()
        .filter(|t| t.status == PaymentStatus::Completed.as_str() && Some(t.id) != except)
        .map(|t| i64::from(t.amount))
        .sum()
}

/// The open balance check for `amount` of the transaction `except` (none for a new one).
fn check_balance(
    order: &Order,
    txs: &[PaymentTransaction],
    amount: i32,
    except: Option<Uuid>,
) -> Result<(), PaymentError> {
    let open = i64::from(order.total) - captured_sum(txs, except);
    if i64::from(amount) > open {
        return Err(PaymentError::ExceedsBalance { open: open.max(0) });
    }
    Ok(())
}

fn stored_status(t: &PaymentTransaction) -> Result<PaymentStatus, PaymentError> {
    PaymentStatus::parse(&t.status).ok_or_else(|| PaymentError::UnknownStatus(t.status.clone()))
}

/// Writes the transaction's new status, the order's payment status and the event; `tx` is
/// locked and belongs to the locked `order`.
async fn apply_transition(
    conn: &mut AsyncPgConnection,
    order: &Order,
    tx: PaymentTransaction,
    to: PaymentStatus,
) -> Result<PaymentChange, PaymentError> {
    let from = stored_status(&tx)?;
    if from == to {
        return Ok(PaymentChange {
            transaction: tx,
            order: order.clone(),
            from: Some(from),
            to,
            changed: false,
        });
    }
    if !from.can_become(to) {
        return Err(PaymentError::InvalidTransition { from, to });
    }
    let txs = PaymentTransaction::of_order(conn, order.id).await?;
    if to == PaymentStatus::Completed {
        check_balance(order, &txs, tx.amount, Some(tx.id))?;
    }
    let tx = PaymentTransaction::set_status(conn, tx.id, to.as_str()).await?;
    finish(conn, order, tx, Some(from), to).await
}

/// Updates the order's payment status from its transactions and records the event.
async fn finish(
    conn: &mut AsyncPgConnection,
    order: &Order,
    tx: PaymentTransaction,
    from: Option<PaymentStatus>,
    to: PaymentStatus,
) -> Result<PaymentChange, PaymentError> {
    let txs = PaymentTransaction::of_order(conn, order.id).await?;
    let derived = derive_order_payment_status(order.total, &txs);
    let order = Order::set_payment_status(conn, order.id, derived).await?;
    DomainEvent::record(
        conn,
        PAYMENT_EVENT,
        Some(order.id),
        order.customer_id,
        serde_json::json!({
            "transaction_id": tx.id,
            "from": from.map(PaymentStatus::as_str),
            "to": to.as_str(),
            "amount": tx.amount,
            "currency": tx.currency,
            "provider_reference": tx.provider_reference,
            "payment_method_id": tx.payment_method_id,
            "payment_status": order.payment_status,
            "order_number": order.order_number,
            "order_status": order.status,
            "total": order.total,
            "order_currency": order.currency,
        }),
    )
    .await?;
    Ok(PaymentChange {
        transaction: tx,
        order,
        from,
        to,
        changed: true,
    })
}

/// The after-commit hooks of a change.
async fn after_hooks(hooks: &HookRegistry, change: &PaymentChange) {
    if !change.changed {
        return;
    }
    let event = |name: &str| {
        HookEvent::new(name, transaction_snapshot(&change.transaction))
            .change("from_status", change.from.map_or("", PaymentStatus::as_str))
            .change("to_status", change.to.as_str())
            .meta("order", order_snapshot(&change.order))
            .meta("order_id", change.order.id.to_string())
            .meta("payment_status", change.order.payment_status.as_str())
    };
    if change.created() {
        crate::hooks::after(hooks, hk::PAYMENT_TRANSACTION_AFTER_CREATE, || {
            event(hk::PAYMENT_TRANSACTION_AFTER_CREATE)
        })
        .await;
    }
    match change.to {
        PaymentStatus::Completed => {
            crate::hooks::after(hooks, hk::PAYMENT_AFTER_COMPLETE, || {
                event(hk::PAYMENT_AFTER_COMPLETE)
            })
            .await;
        }
        PaymentStatus::Failed => {
            crate::hooks::after(hooks, hk::PAYMENT_AFTER_FAILED, || {
                event(hk::PAYMENT_AFTER_FAILED)
            })
            .await;
        }
        _ => {}
    }
}

/// Records a payment of an order, in one transaction (see the module docs), then runs the
/// after-hooks. With a provider reference already recorded for this order (same amount and
/// currency) it returns that transaction, moved forward to `input.status` when that is
/// further along (`changed` tells whether anything was written); a reference of another
/// payment is `ReferenceConflict`, a status behind the stored one `InvalidTransition`.
///
/// Pass a connection that is not inside a transaction: the hooks run after this function's
/// commit.
pub async fn record_payment(
    conn: &mut AsyncPgConnection,
    hooks: &HookRegistry,
    input: RecordPayment,
) -> Result<PaymentChange, PaymentError> {
    if input.amount <= 0 {
        return Err(PaymentError::InvalidAmount);
    }
    if input.provider_reference.chars().count() > 255 {
        return Err(PaymentError::ReferenceTooLong);
    }
    if input.status == PaymentStatus::Refunded {
        return Err(PaymentError::RecordedRefund);
    }
    let change = conn
        .transaction::<_, PaymentError, _>(async move |c| {
            let order = Order::lock(c, input.order_id)
                .await?
                .ok_or(PaymentError::OrderNotFound)?;
            let currency = match input.currency.as_deref().map(str::trim) {
                Some(given) if !given.eq_ignore_ascii_case(&order.currency) => {
                    return Err(PaymentError::CurrencyMismatch {
                        order: order.currency.clone(),
                    });
                }
                _ => order.currency.clone(),
            };
            if let Some(existing) =
                PaymentTransaction::lock_by_reference(c, &input.provider_reference).await?
            {
                if existing.order_id != order.id
                    || existing.amount != input.amount
                    || !existing.currency.eq_ignore_ascii_case(&currency)
                {
                    return Err(PaymentError::ReferenceConflict);
                }
                return apply_transition(c, &order, existing, input.status).await;
            }
            let method = input.payment_method_id.or(order.payment_method_id);
            if let Some(m) = input.payment_method_id
                && !payment_method_exists(c, m).await?
            {
                return Err(PaymentError::PaymentMethodNotFound);
            }
            if input.status.reserves_balance() {
                let txs = PaymentTransaction::of_order(c, order.id).await?;
                check_balance(&order, &txs, input.amount, None)?;
            }
            let tx = PaymentTransaction::insert(
                c,
                &NewPaymentTransaction {
                    id: Uuid::now_v7(),
                    order_id: order.id,
                    payment_method_id: method,
                    status: input.status.as_str(),
                    currency: &currency,
                    amount: input.amount,
                    provider_reference: &input.provider_reference,
                },
            )
            .await?;
            finish(c, &order, tx, None, input.status).await
        })
        .await?;
    after_hooks(hooks, &change).await;
    Ok(change)
}

/// Moves a transaction to `to` along the status machine, in one transaction (see the module
/// docs), then runs the after-hooks. The same status again changes nothing. With
/// `order_id`, a transaction of another order is `TransactionNotFound`.
///
/// Pass a connection that is not inside a transaction: the hooks run after this function's
/// commit.
pub async fn set_payment_status(
    conn: &mut AsyncPgConnection,
    hooks: &HookRegistry,
    transaction_id: Uuid,
    order_id: Option<Uuid>,
    to: PaymentStatus,
) -> Result<PaymentChange, PaymentError> {
    let change = conn
        .transaction::<_, PaymentError, _>(async move |c| {
            // The order is locked before the transaction row, as in `record_payment`.
            let seen = PaymentTransaction::by_id(c, transaction_id)
                .await?
                .filter(|t| order_id.is_none_or(|o| o == t.order_id))
                .ok_or(PaymentError::TransactionNotFound)?;
            let order = Order::lock(c, seen.order_id)
                .await?
                .ok_or(PaymentError::TransactionNotFound)?;
            let tx = PaymentTransaction::lock(c, transaction_id)
                .await?
                .ok_or(PaymentError::TransactionNotFound)?;
            apply_transition(c, &order, tx, to).await
        })
        .await?;
    after_hooks(hooks, &change).await;
    Ok(change)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn tx(status: &str, amount: i32) -> PaymentTransaction {
        PaymentTransaction {
            id: Uuid::now_v7(),
            order_id: Uuid::nil(),
            payment_method_id: None,
            status: status.into(),
            currency: "EUR".into(),
            amount,
            provider_reference: String::new(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn statuses_never_move_backwards() {
        use PaymentStatus as S;
        let allowed: Vec<(S, S)> = S::ALL
            .into_iter()
            .flat_map(|a| S::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (S::Pending, S::Authorized),
                (S::Pending, S::Completed),
                (S::Pending, S::Failed),
                (S::Pending, S::Cancelled),
                (S::Authorized, S::Completed),
                (S::Authorized, S::Failed),
                (S::Authorized, S::Cancelled),
                (S::Completed, S::Refunded),
            ]
        );
        for s in S::ALL {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
        assert_eq!(S::parse(" Captured "), Some(S::Completed));
        assert_eq!(S::parse("paid"), Some(S::Completed));
        assert_eq!(S::parse("canceled"), Some(S::Cancelled));
        assert_eq!(S::parse("settled"), None);
    }

    #[test]
    fn the_order_payment_status_follows_the_transactions() {
        assert_eq!(derive_order_payment_status(1000, &[]), "pending");
        assert_eq!(
            derive_order_payment_status(1000, &[tx("completed", 400), tx("failed", 600)]),
            "partially_paid"
        );
        assert_eq!(
            derive_order_payment_status(1000, &[tx("completed", 400), tx("completed", 600)]),
            "paid"
        );
        assert_eq!(
            derive_order_payment_status(1000, &[tx("authorized", 1000)]),
            "authorized"
        );
        assert_eq!(
            derive_order_payment_status(1000, &[tx("refunded", 1000)]),
            "refunded"
        );
        assert_eq!(
            derive_order_payment_status(1000, &[tx("failed", 1000), tx("cancelled", 1000)]),
            "failed"
        );
    }

    #[test]
    fn errors_map_to_stable_codes_and_fields() {
        let e = ApiError::from(PaymentError::ExceedsBalance { open: 250 });
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ValidationError, Some("amount"))
        );
        assert_eq!(e.message, "amount exceeds the order's open balance of 250");
        let e = ApiError::from(PaymentError::CurrencyMismatch {
            order: "EUR".into(),
        });
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::ValidationError, Some("currency"))
        );
        let e = ApiError::from(PaymentError::InvalidTransition {
            from: PaymentStatus::Completed,
            to: PaymentStatus::Failed,
        });
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Conflict, Some("status"))
        );
        let e = ApiError::from(PaymentError::Db(DbError::Conflict {
            constraint: "idx_payment_transactions_reference".into(),
        }));
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::Conflict, Some("providerReference"))
        );
        assert_eq!(
            ApiError::from(PaymentError::OrderNotFound).code,
            ErrorCode::NotFound
        );
    }
}
