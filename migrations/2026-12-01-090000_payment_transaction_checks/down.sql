ALTER TABLE payment_transactions
    DROP CONSTRAINT payment_transactions_amount_check,
    DROP CONSTRAINT payment_transactions_status_check;
