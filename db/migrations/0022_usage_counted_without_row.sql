-- Usage records counted without their usage_logs row: the database refused the row even with its text
-- fields sanitised, and the accounting applied the record's counters alone (modules/gateway/accounting.cpp,
-- write_each). The record's usage_key is kept here in the same transaction, so a counters-only write sent
-- again after its COMMIT answer was lost adds nothing the second time (the usage_logs row's unique key does
-- this for every other record, migration 0019). One row per refused record: rare, and a list for operators
-- of the calls whose row is missing.
CREATE TABLE IF NOT EXISTS usage_counted_without_row (
  usage_key uuid PRIMARY KEY,
  request_id varchar(100),
  user_id varchar(255),
  model_id varchar(100),
  created_at timestamptz NOT NULL DEFAULT now()
);
