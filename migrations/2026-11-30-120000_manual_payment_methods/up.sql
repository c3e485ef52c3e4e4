-- A payment method without a provider is a manual method (invoice, bank transfer): it
-- checks out without a payment reference. The commerce migration refused an empty provider.
ALTER TABLE payment_methods DROP CONSTRAINT payment_methods_provider_check;
