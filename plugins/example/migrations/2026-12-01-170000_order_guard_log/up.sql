-- order_guard: the orders its checkout.after hook saw committed. Plugin tables live in a
-- PostgreSQL schema named after the plugin (never in `public`, so they stay out of the
-- core's db/src/schema.rs). No foreign key to orders: the core may drop or rename its
-- tables in its own migrations without knowing about plugins.
CREATE SCHEMA order_guard;

CREATE TABLE order_guard.log (
    id UUID PRIMARY KEY,
    order_id UUID NOT NULL UNIQUE,
    order_number TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    currency TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX log_seen_at_idx ON order_guard.log (seen_at DESC, id DESC);
