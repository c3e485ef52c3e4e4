-- Payment transactions are written by the core's payment service (and through it by
-- payment providers): the statuses it knows and positive amounts only. `completed` is the
-- reference's name for a captured payment.
ALTER TABLE payment_transactions
    ADD CONSTRAINT payment_transactions_status_check CHECK (status IN
        ('pending', 'authorized', 'completed', 'failed', 'cancelled', 'refunded')),
    ADD CONSTRAINT payment_transactions_amount_check CHECK (amount > 0);
