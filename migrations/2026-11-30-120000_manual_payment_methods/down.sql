-- Manual methods get a provider name back before the check returns.
UPDATE payment_methods SET provider = 'manual' WHERE provider = '';
ALTER TABLE payment_methods ADD CONSTRAINT payment_methods_provider_check CHECK (provider <> '');
