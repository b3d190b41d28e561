-- Where each callback goes, so that delivery can be fair across receivers: one
-- receiver that hangs must not hold every delivery slot while others wait.
-- origin: scheme://host[:port], lower-cased, without user info (it may hold a
-- password); destination: the origin and the path (no query), the finer key
-- that lets a healthy path be served while another path of the same origin hangs.
ALTER TABLE callback_deliveries
  ADD COLUMN origin text GENERATED ALWAYS AS (
    lower(regexp_replace(COALESCE(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*'), url), '//[^@/]*@', '//'))) STORED,
  ADD COLUMN destination text GENERATED ALWAYS AS (
    lower(regexp_replace(COALESCE(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*'), url), '//[^@/]*@', '//'))
    || COALESCE(substring(url FROM '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*([^?#]*)'), '')) STORED;
