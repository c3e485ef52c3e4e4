//! Staff payment mutations for manual methods (invoice, bank transfer): record a payment of
//! an order and move a transaction along its status machine. The rules live in
//! [`crate::domain::payments`], which payment providers call too.

use async_graphql::{Context, Object, Result};
use stoa_db::pool;
use uuid::Uuid;

use super::orders::PaymentTransactionNode;
use crate::audit;
use crate::domain::auth::Permission;
use crate::domain::payments::{self, PaymentChange, PaymentStatus, RecordPayment};
use crate::error::ApiError;
use crate::guard::StaffGuard;
use crate::state::AppState;

fn parse_status(raw: &str) -> Result<PaymentStatus, ApiError> {
    if raw.trim().is_empty() {
        return Err(ApiError::invalid("status", "status is required"));
    }
    PaymentStatus::parse(raw).ok_or_else(|| {
        ApiError::invalid(
            "status",
            "must be one of pending, authorized, completed, failed, cancelled, refunded",
        )
    })
}

fn audit_changes(change: &PaymentChange) -> serde_json::Value {
    let t = &change.transaction;
    serde_json::json!({
        "order_id": t.order_id,
        "status": {
            "from": change.from.map(PaymentStatus::as_str),
            "to": change.to.as_str(),
        },
        "amount": t.amount,
        "currency": t.currency,
        "provider_reference": t.provider_reference,
        "payment_status": change.order.payment_status,
    })
}

/// Payment mutations.
#[derive(Default)]
pub struct PaymentMutation;

#[Object]
impl PaymentMutation {
    /// Records a payment of an order (`orders.update`), e.g. a bank transfer that arrived.
    /// `status` is pending, authorized, completed (also `captured`/`paid`), failed or
    /// cancelled; `currency` defaults to (and must be) the order's; `paymentMethodId`
    /// defaults to the order's. Captured payments never exceed the order total
    /// (VALIDATION_ERROR on `amount`). Recording a `providerReference` again for the same
    /// payment returns it (moved forward when `status` is further along); a reference of
    /// another payment is CONFLICT on `providerReference`. The order's `paymentStatus`
    /// follows its transactions.
    #[graphql(guard = "StaffGuard(Permission::OrdersUpdate)")]
    #[expect(clippy::too_many_arguments, reason = "one argument per payment field")]
    async fn record_payment(
        &self,
        ctx: &Context<'_>,
        order_id: Uuid,
        amount: i32,
        status: String,
        currency: Option<String>,
        provider_reference: Option<String>,
        payment_method_id: Option<Uuid>,
    ) -> Result<PaymentTransactionNode> {
        let status = parse_status(&status)?;
        let input = RecordPayment {
            order_id,
            amount,
            currency: currency.filter(|c| !c.trim().is_empty()),
            status,
            provider_reference: provider_reference.unwrap_or_default().trim().to_owned(),
            payment_method_id,
        };
        let state = ctx.data_unchecked::<AppState>();
        let mut c = pool::conn(&state.pool).await.map_err(ApiError::from)?;
        let change = payments::record_payment(&mut c, crate::hooks::registry(ctx), input)
            .await
            .map_err(ApiError::from)?;
        if change.changed {
            let action = if change.created() {
                "record_payment"
            } else {
                "update_payment_status"
            };
            audit::record(
                ctx,
                &mut c,
                action,
                "payment_transaction",
                Some(change.transaction.id),
                audit_changes(&change),
            )
            .await?;
        }
        Ok(change.transaction.into())
    }

    /// Moves a payment transaction along its status machine (`orders.update`): pending →
    /// authorized | completed | failed | cancelled, authorized → completed | failed |
    /// cancelled, completed → refunded. The same status again changes nothing; a refused
    /// transition is CONFLICT on `status`. With `orderId`, a transaction of another order
    /// is NOT_FOUND.
    #[graphql(guard = "StaffGuard(Permission::OrdersUpdate)")]
    async fn set_payment_status(
        &self,
        ctx: &Context<'_>,
        transaction_id: Uuid,
        status: String,
        order_id: Option<Uuid>,
    ) -> Result<PaymentTransactionNode> {
        let to = parse_status(&status)?;
        let state = ctx.data_unchecked::<AppState>();
        let mut c = pool::conn(&state.pool).await.map_err(ApiError::from)?;
        let change = payments::set_payment_status(
            &mut c,
            crate::hooks::registry(ctx),
            transaction_id,
            order_id,
            to,
        )
        .await
        .map_err(ApiError::from)?;
        if change.changed {
            audit::record(
                ctx,
                &mut c,
                "update_payment_status",
                "payment_transaction",
                Some(change.transaction.id),
                audit_changes(&change),
            )
            .await?;
        }
        Ok(change.transaction.into())
    }
}

/// The payment of an order event of kind `payment.status_changed`.
#[derive(async_graphql::SimpleObject, Clone)]
pub struct OrderPaymentEvent {
    pub transaction_id: Uuid,
    /// The transaction's new status: pending, authorized, completed, failed, cancelled or
    /// refunded.
    pub status: String,
    /// Its status before; null when the transaction was just recorded.
    pub previous_status: Option<String>,
    /// Minor units.
    pub amount: i32,
    pub currency: String,
    /// The provider's reference; empty when none.
    pub provider_reference: String,
    /// The order's payment status after the change: paid, partially_paid, authorized,
    /// pending, refunded, failed or cancelled.
    pub order_payment_status: String,
}

impl From<crate::events::PaymentEventData> for OrderPaymentEvent {
    fn from(p: crate::events::PaymentEventData) -> Self {
        Self {
            transaction_id: p.transaction_id,
            status: p.status,
            previous_status: p.previous_status,
            amount: p.amount,
            currency: p.currency,
            provider_reference: p.provider_reference,
            order_payment_status: p.order_payment_status,
        }
    }
}
