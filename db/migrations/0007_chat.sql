-- Chat (issue #5): conversations and messages on top of the gateway.

-- Bumped by every change that alters what a conversation's context is (a message added, edited or
-- deleted, a new summary). The Redis context cache chat:context:{id} carries the version it was built
-- from, so a cache entry that another instance made stale is never used.
ALTER TABLE conversations ADD COLUMN IF NOT EXISTS context_version BIGINT NOT NULL DEFAULT 0;

-- Insertion order of messages: created_at can tie (several rows in one transaction), a UUID says nothing.
-- Cursor paging (before/after) and context building order by it.
ALTER TABLE messages ADD COLUMN IF NOT EXISTS seq BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX IF NOT EXISTS idx_messages_conversation_seq ON messages (conversation_id, seq);

-- A message's cost is the sum of its usage_logs rows (6 decimals): kept at the same scale so statistics
-- over messages add up exactly to the accounting.
ALTER TABLE messages ALTER COLUMN cost TYPE NUMERIC(12,6);

CREATE INDEX IF NOT EXISTS idx_conversations_user_created ON conversations (user_id, created_at DESC);

-- Which conversations already counted in user_token_stats.conversation_count for a (user, day, model,
-- provider): the accounting batch inserts here and adds only the rows that were new, so the count is of
-- distinct conversations however many batches and instances write that day.
CREATE TABLE IF NOT EXISTS user_conversation_days (
  user_id VARCHAR(255) NOT NULL,
  date DATE NOT NULL,
  model VARCHAR(150) NOT NULL,
  provider VARCHAR(100) NOT NULL,
  conversation_id UUID NOT NULL,
  PRIMARY KEY (user_id, date, model, provider, conversation_id)
);

-- Conversations belong to a user (user_id is text in the data model, so no foreign key): deleting the
-- user deletes them, and their messages with them.
CREATE OR REPLACE FUNCTION chat_delete_user_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM conversations WHERE user_id = OLD.id::text;
  RETURN OLD;
END
$$;
DROP TRIGGER IF EXISTS users_delete_conversations ON users;
CREATE TRIGGER users_delete_conversations AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION chat_delete_user_conversations();
