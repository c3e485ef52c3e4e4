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
-- step: attributes
INSERT INTO attributes (id, identifier, type, unit, position, filterable) VALUES
  ('0d000000-0000-4000-8007-000000000001', 'brand', 'text', NULL, 0, FALSE),
  ('0d000000-0000-4000-8007-000000000002', 'material', 'select', NULL, 1, TRUE),
  ('0d000000-0000-4000-8007-000000000003', 'weight', 'number', 'g', 2, FALSE),
  ('0d000000-0000-4000-8007-000000000004', 'waterproof', 'boolean', NULL, 3, TRUE),
  ('0d000000-0000-4000-8007-000000000005', 'features', 'multi_select', NULL, 4, TRUE);
INSERT INTO attribute_translations (attribute_id, locale, name, description) VALUES
  ('0d000000-0000-4000-8007-000000000001', 'de-DE', 'Marke', 'Hersteller oder Markenname'),
  ('0d000000-0000-4000-8007-000000000001', 'en-US', 'Brand', 'Manufacturer or brand name'),
  ('0d000000-0000-4000-8007-000000000002', 'de-DE', 'Material', ''), ('0d000000-0000-4000-8007-000000000002', 'en-US', 'Material', ''),
  ('0d000000-0000-4000-8007-000000000003', 'de-DE', 'Gewicht', ''), ('0d000000-0000-4000-8007-000000000003', 'en-US', 'Weight', ''),
  ('0d000000-0000-4000-8007-000000000004', 'de-DE', 'Wasserdicht', ''), ('0d000000-0000-4000-8007-000000000004', 'en-US', 'Waterproof', ''),
  ('0d000000-0000-4000-8007-000000000005', 'de-DE', 'Merkmale', ''), ('0d000000-0000-4000-8007-000000000005', 'en-US', 'Features', '');
INSERT INTO attribute_options (id, attribute_id, position) VALUES
  ('0d000000-0000-4000-8008-000000000001', '0d000000-0000-4000-8007-000000000002', 0),
  ('0d000000-0000-4000-8008-000000000002', '0d000000-0000-4000-8007-000000000002', 1),
  ('0d000000-0000-4000-8008-000000000003', '0d000000-0000-4000-8007-000000000002', 2),
  ('0d000000-0000-4000-8008-000000000004', '0d000000-0000-4000-8007-000000000002', 3),
  ('0d000000-0000-4000-8008-000000000005', '0d000000-0000-4000-8007-000000000005', 0),
  ('0d000000-0000-4000-8008-000000000006', '0d000000-0000-4000-8007-000000000005', 1),
  ('0d000000-0000-4000-8008-000000000007', '0d000000-0000-4000-8007-000000000005', 2),
  ('0d000000-0000-4000-8008-000000000008', '0d000000-0000-4000-8007-000000000005', 3);
INSERT INTO attribute_option_translations (option_id, locale, name) VALUES
  ('0d000000-0000-4000-8008-000000000001', 'de-DE', 'Baumwolle'), ('0d000000-0000-4000-8008-000000000001', 'en-US', 'Cotton'),
  ('0d000000-0000-4000-8008-000000000002', 'de-DE', 'Polyester'), ('0d000000-0000-4000-8008-000000000002', 'en-US', 'Polyester'),
  ('0d000000-0000-4000-8008-000000000003', 'de-DE', 'Leder'), ('0d000000-0000-4000-8008-000000000003', 'en-US', 'Leather'),
  ('0d000000-0000-4000-8008-000000000004', 'de-DE', 'Metall'), ('0d000000-0000-4000-8008-000000000004', 'en-US', 'Metal'),
  ('0d000000-0000-4000-8008-000000000005', 'de-DE', 'Street Style'), ('0d000000-0000-4000-8008-000000000005', 'en-US', 'Street Style'),
  ('0d000000-0000-4000-8008-000000000006', 'de-DE', 'Sneaker'), ('0d000000-0000-4000-8008-000000000006', 'en-US', 'Sneaker'),
  ('0d000000-0000-4000-8008-000000000007', 'de-DE', 'Leichtgewicht'), ('0d000000-0000-4000-8008-000000000007', 'en-US', 'Lightweight'),
  ('0d000000-0000-4000-8008-000000000008', 'de-DE', 'Premium'), ('0d000000-0000-4000-8008-000000000008', 'en-US', 'Premium');
INSERT INTO product_attribute_values (id, product_id, attribute_id, value_text, value_numeric, value_boolean, option_id) VALUES
  ('0d000000-0000-4000-8009-000000000001', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8007-000000000001', 'TechPro', NULL, NULL, NULL),
  ('0d000000-0000-4000-8009-000000000002', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8007-000000000002', NULL, NULL, NULL, '0d000000-0000-4000-8008-000000000004'),
  ('0d000000-0000-4000-8009-000000000003', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8007-000000000004', NULL, NULL, TRUE, NULL),
  ('0d000000-0000-4000-8009-000000000004', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8007-000000000001', 'StyleWear', NULL, NULL, NULL),
  ('0d000000-0000-4000-8009-000000000005', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8007-000000000002', NULL, NULL, NULL, '0d000000-0000-4000-8008-000000000001'),
  ('0d000000-0000-4000-8009-000000000006', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8007-000000000003', NULL, 200, NULL, NULL),
  ('0d000000-0000-4000-8009-000000000007', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8007-000000000005', NULL, NULL, NULL, NULL),
  ('0d000000-0000-4000-8009-000000000008', '0d000000-0000-4000-8005-000000000004', '0d000000-0000-4000-8007-000000000002', NULL, NULL, NULL, '0d000000-0000-4000-8008-000000000003'),
  ('0d000000-0000-4000-8009-000000000009', '0d000000-0000-4000-8005-000000000004', '0d000000-0000-4000-8007-000000000004', NULL, NULL, FALSE, NULL),
  ('0d000000-0000-4000-8009-00000000000a', '0d000000-0000-4000-8005-000000000004', '0d000000-0000-4000-8007-000000000005', NULL, NULL, NULL, NULL),
  ('0d000000-0000-4000-8009-00000000000b', '0d000000-0000-4000-8005-000000000005', '0d000000-0000-4000-8007-000000000001', 'BrewMaster', NULL, NULL, NULL),
  ('0d000000-0000-4000-8009-00000000000c', '0d000000-0000-4000-8005-000000000005', '0d000000-0000-4000-8007-000000000002', NULL, NULL, NULL, '0d000000-0000-4000-8008-000000000004');
INSERT INTO product_attribute_value_options (value_id, option_id) VALUES
  ('0d000000-0000-4000-8009-000000000007', '0d000000-0000-4000-8008-000000000005'),
  ('0d000000-0000-4000-8009-000000000007', '0d000000-0000-4000-8008-000000000007'),
  ('0d000000-0000-4000-8009-00000000000a', '0d000000-0000-4000-8008-000000000008');
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
-- step: shipping methods
INSERT INTO shipping_methods (id, active, price_net, price_gross, tax_rule_id) VALUES
  ('0d000000-0000-4000-800a-000000000001', TRUE, 335, 399, '0d000000-0000-4000-8000-000000000001'),
  ('0d000000-0000-4000-800a-000000000002', TRUE, 671, 799, '0d000000-0000-4000-8000-000000000001'),
  ('0d000000-0000-4000-800a-000000000003', TRUE, 0, 0, '0d000000-0000-4000-8000-000000000001');
INSERT INTO shipping_method_translations (shipping_method_id, locale, name, description) VALUES
  ('0d000000-0000-4000-800a-000000000001', 'de-DE', 'Standardversand', 'Lieferung in 3–5 Werktagen'),
  ('0d000000-0000-4000-800a-000000000001', 'en-US', 'Standard Shipping', 'Delivery in 3–5 business days'),
  ('0d000000-0000-4000-800a-000000000002', 'de-DE', 'Expressversand', 'Lieferung am nächsten Werktag'),
  ('0d000000-0000-4000-800a-000000000002', 'en-US', 'Express Shipping', 'Next business day delivery'),
  ('0d000000-0000-4000-800a-000000000003', 'de-DE', 'Kostenloser Versand', 'Lieferung in 5–7 Werktagen'),
  ('0d000000-0000-4000-800a-000000000003', 'en-US', 'Free Shipping', 'Delivery in 5–7 business days');
-- step: payment methods
INSERT INTO payment_methods (id, provider, active) VALUES
  ('0d000000-0000-4000-800b-000000000001', 'bank_transfer', TRUE),
  ('0d000000-0000-4000-800b-000000000002', 'credit_card', TRUE);
INSERT INTO payment_method_translations (payment_method_id, locale, name, description) VALUES
  ('0d000000-0000-4000-800b-000000000001', 'de-DE', 'Vorkasse', 'Zahlung per Banküberweisung vor dem Versand'),
  ('0d000000-0000-4000-800b-000000000001', 'en-US', 'Bank transfer', 'Pay by bank transfer before shipping'),
  ('0d000000-0000-4000-800b-000000000002', 'de-DE', 'Kreditkarte', 'Visa, Mastercard, American Express'),
  ('0d000000-0000-4000-800b-000000000002', 'en-US', 'Credit card', 'Visa, Mastercard, American Express');
-- step: customers
-- Both demo customers sign in with the password `Demo1234!` (an Argon2id hash).
INSERT INTO customers (id, email, password_hash, first_name, last_name) VALUES
  ('0d000000-0000-4000-800c-000000000001', 'maria@example.com', '$argon2id$v=19$m=65536,t=4,p=4$9k9rym0tBKrHF0a1/sfkaQ$NNbUIDrT9wt6ibi2LL8NMx+VknL9WrYIxSaBSmsgHOk', 'Maria', 'Schmidt'),
  ('0d000000-0000-4000-800c-000000000002', 'thomas@example.com', '$argon2id$v=19$m=65536,t=4,p=4$9k9rym0tBKrHF0a1/sfkaQ$NNbUIDrT9wt6ibi2LL8NMx+VknL9WrYIxSaBSmsgHOk', 'Thomas', 'Müller');
INSERT INTO customer_addresses (id, customer_id, first_name, last_name, company, street, city, zip, country_code, phone) VALUES
  ('0d000000-0000-4000-800d-000000000001', '0d000000-0000-4000-800c-000000000001', 'Maria', 'Schmidt', '', 'Hauptstraße 1', 'Berlin', '10115', 'DE', '+49 30 1234567'),
  ('0d000000-0000-4000-800d-000000000002', '0d000000-0000-4000-800c-000000000002', 'Thomas', 'Müller', '', 'Marienplatz 8', 'München', '80331', 'DE', '');
UPDATE customers SET default_billing_address_id = '0d000000-0000-4000-800d-000000000001',
                     default_shipping_address_id = '0d000000-0000-4000-800d-000000000001'
 WHERE id = '0d000000-0000-4000-800c-000000000001';
UPDATE customers SET default_billing_address_id = '0d000000-0000-4000-800d-000000000002',
                     default_shipping_address_id = '0d000000-0000-4000-800d-000000000002'
 WHERE id = '0d000000-0000-4000-800c-000000000002';
-- step: discounts
INSERT INTO discounts (id, code, type, value, min_order_value, max_uses, valid_from, valid_until) VALUES
  ('0d000000-0000-4000-800e-000000000001', 'DEMO10', 'percentage', 1000, 0, 100, NOW(), NOW() + INTERVAL '1 year'),
  ('0d000000-0000-4000-800e-000000000002', 'SOMMER20', 'percentage', 2000, 5000, 50, NOW(), NOW() + INTERVAL '1 year'),
  ('0d000000-0000-4000-800e-000000000003', 'FIXED5', 'fixed', 500, 2000, NULL, NOW(), NOW() + INTERVAL '1 year');
-- step: orders
-- Two past orders; the seeded stock levels are what is left after them.
INSERT INTO orders (id, order_number, customer_id, status, currency, subtotal_net, subtotal_gross, shipping_cost,
                    tax_total, total, billing_address, shipping_address, payment_method_id, shipping_method_id,
                    notes, payment_reference, payment_status, created_at, updated_at) VALUES
  ('0d000000-0000-4000-800f-000000000001', 'ORD-20260301-DEMO1', '0d000000-0000-4000-800c-000000000001', 'confirmed', 'EUR',
   67143, 79900, 399, 12757, 80299,
   '{"first_name":"Maria","last_name":"Schmidt","street":"Hauptstraße 1","city":"Berlin","zip":"10115","country_code":"DE","email":"maria@example.com"}',
   '{"first_name":"Maria","last_name":"Schmidt","street":"Hauptstraße 1","city":"Berlin","zip":"10115","country_code":"DE","email":"maria@example.com"}',
   '0d000000-0000-4000-800b-000000000002', '0d000000-0000-4000-800a-000000000001', '', 'TXN-DEMO-001', 'paid',
   '2026-03-01 10:00:00+00', '2026-03-01 10:30:00+00'),
  ('0d000000-0000-4000-800f-000000000002', 'ORD-20260301-DEMO2', '0d000000-0000-4000-800c-000000000002', 'pending', 'EUR',
   5042, 5998, 399, 956, 6397,
   '{"first_name":"Thomas","last_name":"Müller","street":"Marienplatz 8","city":"München","zip":"80331","country_code":"DE","email":"thomas@example.com"}',
   '{"first_name":"Thomas","last_name":"Müller","street":"Marienplatz 8","city":"München","zip":"80331","country_code":"DE","email":"thomas@example.com"}',
   '0d000000-0000-4000-800b-000000000001', '0d000000-0000-4000-800a-000000000001', 'Bitte klingeln', '', 'pending',
   '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00');
INSERT INTO order_items (order_id, product_id, variant_id, sku, name, quantity, unit_price_net, unit_price_gross, total_net, total_gross, tax_rate) VALUES
  ('0d000000-0000-4000-800f-000000000001', '0d000000-0000-4000-8005-000000000001', '0d000000-0000-4000-8006-000000000001',
   'PHONE-001-SW', 'Smartphone Pro Max', 1, 67143, 79900, 67143, 79900, 1900),
  ('0d000000-0000-4000-800f-000000000002', '0d000000-0000-4000-8005-000000000003', '0d000000-0000-4000-8006-000000000003',
   'SHIRT-001-S', 'T-Shirt Basic', 2, 2521, 2999, 5042, 5998, 1900);
INSERT INTO order_status_history (order_id, from_status, to_status, comment, created_at) VALUES
  ('0d000000-0000-4000-800f-000000000001', '', 'pending', 'order placed', '2026-03-01 10:00:00+00'),
  ('0d000000-0000-4000-800f-000000000001', 'pending', 'confirmed', 'payment received', '2026-03-01 10:30:00+00'),
  ('0d000000-0000-4000-800f-000000000002', '', 'pending', 'order placed', '2026-03-01 11:00:00+00');
INSERT INTO payment_transactions (order_id, payment_method_id, status, currency, amount, provider_reference, created_at) VALUES
  ('0d000000-0000-4000-800f-000000000001', '0d000000-0000-4000-800b-000000000002', 'completed', 'EUR', 80299, 'TXN-DEMO-001', '2026-03-01 10:30:00+00');
