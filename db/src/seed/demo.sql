-- step: tax rules
INSERT INTO tax_rules (id, name, rate, country_code, type) VALUES
  ('0d000000-0000-4000-8000-000000000001', 'Normaler Steuersatz', 1900, 'DE', 'standard'),
  ('0d000000-0000-4000-8000-000000000002', 'Ermäßigter Steuersatz', 700, 'DE', 'reduced');
-- step: tags
INSERT INTO tags (id, name, slug) VALUES
  ('0d000000-0000-4000-8001-000000000001', 'Neu', 'neu'),
  ('0d000000-0000-4000-8001-000000000002', 'Sale', 'sale'),
  ('0d000000-0000-4000-8001-000000000003', 'Bestseller', 'bestseller'),
  ('0d000000-0000-4000-8001-000000000004', 'Bio', 'bio');
-- step: categories
INSERT INTO categories (id, parent_id, position) VALUES
  ('0d000000-0000-4000-8002-000000000001', NULL, 0),
  ('0d000000-0000-4000-8002-000000000002', '0d000000-0000-4000-8002-000000000001', 0),
  ('0d000000-0000-4000-8002-000000000003', '0d000000-0000-4000-8002-000000000001', 1),
  ('0d000000-0000-4000-8002-000000000004', NULL, 1);
INSERT INTO category_translations (category_id, locale, name, description, slug) VALUES
  ('0d000000-0000-4000-8002-000000000001', 'de-DE', 'Elektronik', 'Elektronische Geräte', 'elektronik'),
  ('0d000000-0000-4000-8002-000000000001', 'en-US', 'Electronics', 'Electronic devices', 'electronics'),
  ('0d000000-0000-4000-8002-000000000002', 'de-DE', 'Smartphones', 'Mobiltelefone', 'smartphones'),
  ('0d000000-0000-4000-8002-000000000002', 'en-US', 'Smartphones', 'Mobile phones', 'smartphones'),
  ('0d000000-0000-4000-8002-000000000003', 'de-DE', 'Laptops', 'Tragbare Computer', 'laptops'),
  ('0d000000-0000-4000-8002-000000000003', 'en-US', 'Laptops', 'Portable computers', 'laptops'),
  ('0d000000-0000-4000-8002-000000000004', 'de-DE', 'Mode', 'Kleidung und Accessoires', 'mode'),
  ('0d000000-0000-4000-8002-000000000004', 'en-US', 'Fashion', 'Clothing and accessories', 'fashion');
-- step: property groups
INSERT INTO property_groups (id, identifier, position) VALUES
  ('0d000000-0000-4000-8003-000000000001', 'color', 0),
  ('0d000000-0000-4000-8003-000000000002', 'size', 1);
INSERT INTO property_group_translations (property_group_id, locale, name) VALUES
  ('0d000000-0000-4000-8003-000000000001', 'de-DE', 'Farbe'),
  ('0d000000-0000-4000-8003-000000000001', 'en-US', 'Color'),
  ('0d000000-0000-4000-8003-000000000002', 'de-DE', 'Größe'),
  ('0d000000-0000-4000-8003-000000000002', 'en-US', 'Size');
INSERT INTO property_options (id, group_id, code, color_hex, position) VALUES
  ('0d000000-0000-4000-8004-000000000001', '0d000000-0000-4000-8003-000000000001', 'SW', '#1a1a1a', 0),
  ('0d000000-0000-4000-8004-000000000002', '0d000000-0000-4000-8003-000000000001', 'WS', '#f5f5f5', 1),
  ('0d000000-0000-4000-8004-000000000003', '0d000000-0000-4000-8003-000000000001', 'BL', '#1e3a8a', 2),
  ('0d000000-0000-4000-8004-000000000004', '0d000000-0000-4000-8003-000000000002', 'S', NULL, 0),
  ('0d000000-0000-4000-8004-000000000005', '0d000000-0000-4000-8003-000000000002', 'M', NULL, 1),
  ('0d000000-0000-4000-8004-000000000006', '0d000000-0000-4000-8003-000000000002', 'L', NULL, 2),
  ('0d000000-0000-4000-8004-000000000007', '0d000000-0000-4000-8003-000000000002', 'XL', NULL, 3);
INSERT INTO property_option_translations (option_id, locale, name) VALUES
  ('0d000000-0000-4000-8004-000000000001', 'de-DE', 'Schwarz'), ('0d000000-0000-4000-8004-000000000001', 'en-US', 'Black'),
  ('0d000000-0000-4000-8004-000000000002', 'de-DE', 'Weiß'), ('0d000000-0000-4000-8004-000000000002', 'en-US', 'White'),
  ('0d000000-0000-4000-8004-000000000003', 'de-DE', 'Blau'), ('0d000000-0000-4000-8004-000000000003', 'en-US', 'Blue'),
  ('0d000000-0000-4000-8004-000000000004', 'de-DE', 'S'), ('0d000000-0000-4000-8004-000000000004', 'en-US', 'S'),
  ('0d000000-0000-4000-8004-000000000005', 'de-DE', 'M'), ('0d000000-0000-4000-8004-000000000005', 'en-US', 'M'),
  ('0d000000-0000-4000-8004-000000000006', 'de-DE', 'L'), ('0d000000-0000-4000-8004-000000000006', 'en-US', 'L'),
  ('0d000000-0000-4000-8004-000000000007', 'de-DE', 'XL'), ('0d000000-0000-4000-8004-000000000007', 'en-US', 'XL');
-- step: products
INSERT INTO products (id, sku, active, price_net, price_gross, currency, tax_rule_id, weight, created_at) VALUES
  ('0d000000-0000-4000-8005-000000000001', 'PHONE-001', TRUE, 67143, 79900, 'EUR', '0d000000-0000-4000-8000-000000000001', 190, NOW() - INTERVAL '5 minutes'),
  ('0d000000-0000-4000-8005-000000000002', 'LAPTOP-001', TRUE, 100756, 119900, 'EUR', '0d000000-0000-4000-8000-000000000001', 1250, NOW() - INTERVAL '4 minutes'),
  ('0d000000-0000-4000-8005-000000000003', 'SHIRT-001', TRUE, 2521, 2999, 'EUR', '0d000000-0000-4000-8000-000000000001', 200, NOW() - INTERVAL '3 minutes'),
  ('0d000000-0000-4000-8005-000000000004', 'BAG-001', TRUE, 7562, 8999, 'EUR', '0d000000-0000-4000-8000-000000000001', 800, NOW() - INTERVAL '2 minutes'),
  ('0d000000-0000-4000-8005-000000000005', 'COFFEE-001', TRUE, 16806, 19999, 'EUR', '0d000000-0000-4000-8000-000000000001', 4200, NOW() - INTERVAL '1 minute');
INSERT INTO product_translations (product_id, locale, name, description, slug, meta_title, meta_description) VALUES
  ('0d000000-0000-4000-8005-000000000001', 'de-DE', 'Smartphone Pro Max', 'Das neueste Smartphone mit brillantem Display, dreifacher Kamera und ganztägiger Akkulaufzeit.', 'smartphone-pro-max', 'Smartphone Pro Max', 'Das neueste Smartphone'),
  ('0d000000-0000-4000-8005-000000000001', 'en-US', 'Smartphone Pro Max', 'The latest smartphone with a brilliant display, triple camera and all-day battery life.', 'smartphone-pro-max-en', 'Smartphone Pro Max', 'The latest smartphone'),
  ('0d000000-0000-4000-8005-000000000002', 'de-DE', 'Ultrabook X1', 'Leichtes Ultrabook mit 14-Zoll-Display, 16 GB Arbeitsspeicher und 1 TB SSD.', 'ultrabook-x1', 'Ultrabook X1', 'Leichtes Ultrabook'),
  ('0d000000-0000-4000-8005-000000000002', 'en-US', 'Ultrabook X1', 'Lightweight ultrabook with a 14-inch display, 16 GB of memory and a 1 TB SSD.', 'ultrabook-x1-en', 'Ultrabook X1', 'Lightweight ultrabook'),
  ('0d000000-0000-4000-8005-000000000003', 'de-DE', 'T-Shirt Basic', 'Klassisches Baumwoll-T-Shirt in verschiedenen Größen. 100 % Bio-Baumwolle, GOTS-zertifiziert.', 't-shirt-basic', 'T-Shirt Basic', 'Klassisches Baumwoll-T-Shirt'),
  ('0d000000-0000-4000-8005-000000000003', 'en-US', 'Basic T-Shirt', 'Classic cotton t-shirt in several sizes. 100 % organic cotton, GOTS certified.', 'basic-t-shirt', 'Basic T-Shirt', 'Classic cotton t-shirt'),
  ('0d000000-0000-4000-8005-000000000004', 'de-DE', 'Leder-Handtasche', 'Elegante Handtasche aus echtem Leder mit viel Platz für den Alltag.', 'leder-handtasche', 'Leder-Handtasche', 'Elegante Handtasche'),
  ('0d000000-0000-4000-8005-000000000004', 'en-US', 'Leather Handbag', 'Elegant handbag made of genuine leather with plenty of room for every day.', 'leather-handbag', 'Leather Handbag', 'Elegant handbag'),
  ('0d000000-0000-4000-8005-000000000005', 'de-DE', 'Kaffeemaschine Deluxe', 'Vollautomat für perfekten Kaffee, Espresso und Cappuccino auf Knopfdruck.', 'kaffeemaschine-deluxe', 'Kaffeemaschine Deluxe', 'Vollautomat für perfekten Kaffee'),
  ('0d000000-0000-4000-8005-000000000005', 'en-US', 'Coffee Machine Deluxe', 'Fully automatic machine for perfect coffee, espresso and cappuccino at the push of a button.', 'coffee-machine-deluxe', 'Coffee Machine Deluxe', 'Perfect coffee at the push of a button');
INSERT INTO product_categories (product_id, category_id, position) VALUES
  ('0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8002-000000000002', 0),
  ('0d000000-0000-4000-8005-000000000002', '0d000000-0000-4000-8002-000000000003', 0),
  ('0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8002-000000000004', 0),
  ('0d000000-0000-4000-8005-000000000004', '0d000000-0000-4000-8002-000000000004', 1),
  ('0d000000-0000-4000-8005-000000000005', '0d000000-0000-4000-8002-000000000001', 0);
INSERT INTO product_tags (product_id, tag_id) VALUES
  ('0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8001-000000000001'),
  ('0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8001-000000000003'),
  ('0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8001-000000000004'),
  ('0d000000-0000-4000-8005-000000000004', '0d000000-0000-4000-8001-000000000002');
-- step: variants
INSERT INTO product_variants (id, product_id, sku, price_net, price_gross, created_at) VALUES
  ('0d000000-0000-4000-8006-000000000001', '0d000000-0000-4000-8005-000000000001', 'PHONE-001-SW', NULL, NULL, NOW() - INTERVAL '5 minutes'),
  ('0d000000-0000-4000-8006-000000000002', '0d000000-0000-4000-8005-000000000001', 'PHONE-001-WS', NULL, NULL, NOW() - INTERVAL '4 minutes'),
  ('0d000000-0000-4000-8006-000000000003', '0d000000-0000-4000-8005-000000000003', 'SHIRT-001-S', NULL, NULL, NOW() - INTERVAL '5 minutes'),
  ('0d000000-0000-4000-8006-000000000004', '0d000000-0000-4000-8005-000000000003', 'SHIRT-001-M', NULL, NULL, NOW() - INTERVAL '4 minutes'),
  ('0d000000-0000-4000-8006-000000000005', '0d000000-0000-4000-8005-000000000003', 'SHIRT-001-L', NULL, NULL, NOW() - INTERVAL '3 minutes');
INSERT INTO product_variant_options (variant_id, option_id) VALUES
  ('0d000000-0000-4000-8006-000000000001', '0d000000-0000-4000-8004-000000000001'),
  ('0d000000-0000-4000-8006-000000000002', '0d000000-0000-4000-8004-000000000002'),
  ('0d000000-0000-4000-8006-000000000003', '0d000000-0000-4000-8004-000000000004'),
  ('0d000000-0000-4000-8006-000000000004', '0d000000-0000-4000-8004-000000000005'),
  ('0d000000-0000-4000-8006-000000000005', '0d000000-0000-4000-8004-000000000006');
-- step: stock
INSERT INTO warehouse_stock (warehouse_id, product_id, variant_id, quantity) VALUES
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8006-000000000001', 25),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8006-000000000002', 25),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000002', NULL, 20),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8006-000000000003', 70),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8006-000000000004', 80),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8006-000000000005', 50),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000004', NULL, 30),
  ('00000000-0000-0000-0000-000000000001', '0d000000-0000-4000-8005-000000000005', NULL, 15);
INSERT INTO stock_movements (warehouse_id, product_id, variant_id, movement_type, quantity, reference)
SELECT warehouse_id, product_id, variant_id, 'restock', quantity, 'seed:demo' FROM warehouse_stock;
UPDATE product_variants v SET stock = COALESCE((
    SELECT SUM(ws.quantity) FROM warehouse_stock ws JOIN warehouses w ON w.id = ws.warehouse_id
    WHERE w.active AND ws.variant_id = v.id), 0);
UPDATE products p SET stock = COALESCE((
    SELECT SUM(ws.quantity) FROM warehouse_stock ws JOIN warehouses w ON w.id = ws.warehouse_id
    WHERE w.active AND ws.product_id = p.id), 0);
