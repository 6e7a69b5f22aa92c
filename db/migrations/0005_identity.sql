-- Refresh tokens that were rotated away. Presenting one again means it was stolen (or replayed):
-- the whole session is revoked. Rows go with their session.
CREATE TABLE IF NOT EXISTS session_refresh_tokens (
  token_hash VARCHAR(64) PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  rotated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_session_refresh_tokens_session ON session_refresh_tokens(session_id);
CREATE INDEX IF NOT EXISTS idx_sessions_user_active ON sessions(user_id) WHERE NOT is_revoked;
