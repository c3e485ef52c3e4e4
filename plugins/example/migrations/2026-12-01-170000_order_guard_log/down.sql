DROP TABLE order_guard.log;
DROP SCHEMA order_guard;
