-- seed.sql: a small catalog for the shop tests: products (one with markup in its name,
-- one with only 5 left for the race), "bought together" pairs, best sellers per
-- category and recommendations for one known customer.
INSERT INTO products (id, name, description, category, price_cents, stock) VALUES
  ('P1', 'Blue enamel mug', 'A sturdy mug', 'Kitchen', 1250, 500),
  ('P2', 'Cast-iron teapot', '', 'Kitchen', 3400, 200),
  ('P3', 'Linen tea towel', '', 'Kitchen', 650, 300),
  ('P4', 'Beeswax candle', '', 'Home', 900, 100),
  ('P5', 'Stoneware bowl <script>alert("bowl")</script>', '', 'Kitchen', 1800, 50),
  ('P6', 'Oak coaster set', '', 'Home', 1500, 0),
  ('RACE', 'Limited print', '', 'Art', 4500, 5),
  ('BIG', 'Notebook', '', 'Paper', 300, 1000000);
INSERT INTO product_recs (product_id, rank, rec_product_id, score) VALUES
  ('P1', 1, 'P2', 0.91), ('P1', 2, 'P3', 0.72), ('P1', 3, 'P5', 0.40),
  ('P2', 1, 'P1', 0.91), ('P3', 1, 'P1', 0.72), ('BIG', 1, 'P1', 0.10);
INSERT INTO popular_by_category (category, rank, product_id, score) VALUES
  ('Kitchen', 1, 'P1', 120), ('Kitchen', 2, 'P2', 80), ('Kitchen', 3, 'P3', 60),
  ('Kitchen', 4, 'P5', 30), ('Home', 1, 'P4', 40), ('Home', 2, 'P6', 10);
INSERT INTO customer_recs (customer_id, rank, product_id, score) VALUES
  ('C100', 1, 'P4', 0.8), ('C100', 2, 'P2', 0.6), ('C100', 3, 'P3', 0.3);

-- The currency cartograph build would have written.
INSERT INTO settings (key, value) VALUES ('currency', '£');
