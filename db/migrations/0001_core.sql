-- Users: application accounts (login, role, rate-limit/budget tier)
CREATE TABLE IF NOT EXISTS users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email VARCHAR(255) UNIQUE NOT NULL,
  name VARCHAR(255) NOT NULL,
  username VARCHAR(255) UNIQUE,
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(50) NOT NULL DEFAULT 'user',
  is_active BOOLEAN NOT NULL DEFAULT true,
  tier VARCHAR(50) NOT NULL DEFAULT 'free',
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  last_login_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_email_check CHECK (email = lower(email)),
  CONSTRAINT users_role_check CHECK (role IN ('user', 'admin', 'super_admin')),
  CONSTRAINT users_tier_check CHECK (tier IN ('free', 'pro', 'enterprise', 'unlimited')),
  CONSTRAINT users_status_check CHECK (status IN ('active', 'inactive', 'suspended'))
);
CREATE INDEX IF NOT EXISTS idx_users_email ON users (email);
CREATE INDEX IF NOT EXISTS idx_users_role ON users (role);
CREATE INDEX IF NOT EXISTS idx_users_tier ON users (tier);
CREATE INDEX IF NOT EXISTS idx_users_is_active ON users (is_active);
CREATE INDEX IF NOT EXISTS idx_users_status ON users (status);
CREATE INDEX IF NOT EXISTS idx_users_created_at ON users (created_at);

-- Sessions: login sessions; token / refresh_token hold SHA-256 hex hashes, never the tokens
CREATE TABLE IF NOT EXISTS sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token VARCHAR(500) UNIQUE NOT NULL,
  refresh_token VARCHAR(500) UNIQUE NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  refresh_expires_at TIMESTAMPTZ NOT NULL,
  ip_address VARCHAR(45),
  user_agent TEXT,
  is_revoked BOOLEAN NOT NULL DEFAULT false,
  last_activity_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_sessions_token ON sessions (token);
CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (user_id);
CREATE INDEX IF NOT EXISTS idx_sessions_refresh_expires_at ON sessions (refresh_expires_at);

-- API keys: hashed programmatic credentials for the OpenAI-compatible endpoints, owned by a user
CREATE TABLE IF NOT EXISTS api_keys (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  key_hash TEXT UNIQUE NOT NULL,
  key_prefix TEXT NOT NULL,
  scopes JSONB NOT NULL DEFAULT '[]',
  expires_at TIMESTAMPTZ,
  last_used_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT api_keys_scopes_check CHECK (jsonb_typeof(scopes) = 'array')
);
CREATE INDEX IF NOT EXISTS idx_api_keys_user_id ON api_keys (user_id);

-- Conversations: chat threads of a user
CREATE TABLE IF NOT EXISTS conversations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id VARCHAR(255) NOT NULL,
  title VARCHAR(255) NOT NULL,
  model VARCHAR(255) DEFAULT 'openai/gpt-4o-mini',
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  message_count INT NOT NULL DEFAULT 0,
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT conversations_status_check CHECK (status IN ('active', 'archived')),
  CONSTRAINT conversations_message_count_check CHECK (message_count >= 0)
);
CREATE INDEX IF NOT EXISTS idx_conversations_user_id ON conversations (user_id);
CREATE INDEX IF NOT EXISTS idx_conversations_user_updated ON conversations (user_id, updated_at DESC);
CREATE INDEX IF NOT EXISTS idx_conversations_status ON conversations (status);

-- Messages: individual chat messages (user, assistant, system, tool) of a conversation
CREATE TABLE IF NOT EXISTS messages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id UUID NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role VARCHAR(20) NOT NULL,
  content TEXT NOT NULL,
  model VARCHAR(255),
  provider VARCHAR(50),
  prompt_tokens INT NOT NULL DEFAULT 0,
  completion_tokens INT NOT NULL DEFAULT 0,
  cost DECIMAL(12,4),
  latency_ms INT,
  metadata JSONB NOT NULL DEFAULT '{}',
  tool_calls JSONB,
  tool_call_id VARCHAR(255),
  token_count INT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'system', 'tool')),
  CONSTRAINT messages_prompt_tokens_check CHECK (prompt_tokens >= 0),
  CONSTRAINT messages_completion_tokens_check CHECK (completion_tokens >= 0),
  CONSTRAINT messages_token_count_check CHECK (token_count >= 0),
  CONSTRAINT messages_cost_check CHECK (cost >= 0)
);
CREATE INDEX IF NOT EXISTS idx_messages_conversation_id ON messages (conversation_id, created_at);

-- Model configs: registered LLM models, their tier, limits and per-1k prices
CREATE TABLE IF NOT EXISTS model_configs (
  id VARCHAR(100) PRIMARY KEY,
  provider VARCHAR(50) NOT NULL,
  tier INT NOT NULL,
  context_window INT,
  max_tokens INT,
  cost_per_1k_input DECIMAL(10,6),
  cost_per_1k_output DECIMAL(10,6),
  cost_per_1k_cache_read DECIMAL(10,6),
  cost_per_1k_cache_write DECIMAL(10,6),
  capabilities JSONB NOT NULL DEFAULT '{}',
  enabled BOOLEAN NOT NULL DEFAULT true,
  supports_streaming BOOLEAN NOT NULL DEFAULT false,
  supports_functions BOOLEAN NOT NULL DEFAULT false,
  supports_vision BOOLEAN NOT NULL DEFAULT false,
  description TEXT,
  priority INT NOT NULL DEFAULT 100,
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  display_name VARCHAR(255),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT model_configs_tier_check CHECK (tier BETWEEN 0 AND 3),
  CONSTRAINT model_configs_status_check CHECK (status IN ('active', 'inactive', 'deprecated')),
  CONSTRAINT model_configs_context_window_check CHECK (context_window > 0),
  CONSTRAINT model_configs_max_tokens_check CHECK (max_tokens > 0),
  CONSTRAINT model_configs_cost_per_1k_input_check CHECK (cost_per_1k_input >= 0),
  CONSTRAINT model_configs_cost_per_1k_output_check CHECK (cost_per_1k_output >= 0),
  CONSTRAINT model_configs_cost_per_1k_cache_read_check CHECK (cost_per_1k_cache_read >= 0),
  CONSTRAINT model_configs_cost_per_1k_cache_write_check CHECK (cost_per_1k_cache_write >= 0)
);
CREATE INDEX IF NOT EXISTS idx_model_configs_tier_priority ON model_configs (tier, priority);
CREATE INDEX IF NOT EXISTS idx_model_configs_provider ON model_configs (provider);

-- AI providers: upstream LLM APIs, how to call them (endpoint, auth, encrypted key) and their usage
CREATE TABLE IF NOT EXISTS ai_providers (
  id VARCHAR(100) PRIMARY KEY,
  name VARCHAR(255) NOT NULL,
  description TEXT,
  api_endpoint TEXT,
  auth_type VARCHAR(50),
  api_key TEXT,
  capabilities JSONB NOT NULL DEFAULT '{}',
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  rate_limit_per_minute INT,
  credits_remaining DECIMAL(12,4),
  tokens_used BIGINT DEFAULT 0,
  last_usage_at TIMESTAMPTZ,
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT ai_providers_status_check CHECK (status IN ('active', 'inactive')),
  CONSTRAINT ai_providers_auth_type_check CHECK (auth_type IS NULL OR auth_type IN ('bearer', 'x-api-key', 'none')),
  CONSTRAINT ai_providers_rate_limit_per_minute_check CHECK (rate_limit_per_minute > 0),
  CONSTRAINT ai_providers_tokens_used_check CHECK (tokens_used >= 0)
);
CREATE INDEX IF NOT EXISTS idx_ai_providers_status ON ai_providers (status);

-- Orchestration rules: how `auto` requests pick and sequence models
CREATE TABLE IF NOT EXISTS orchestration_rules (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  description TEXT,
  strategy VARCHAR(50) NOT NULL,
  model_sequence JSONB NOT NULL,
  conditions JSONB NOT NULL DEFAULT '{}',
  enabled BOOLEAN NOT NULL DEFAULT true,
  priority INT NOT NULL DEFAULT 100,
  metadata JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT orchestration_rules_strategy_check
    CHECK (strategy IN ('fallback', 'load_balance', 'cost_optimize', 'quality_first', 'escalation')),
  CONSTRAINT orchestration_rules_model_sequence_check CHECK (jsonb_typeof(model_sequence) = 'array')
);
CREATE INDEX IF NOT EXISTS idx_orchestration_rules_enabled_priority ON orchestration_rules (enabled, priority);

-- Usage logs: one row per completion call (final model, tier, tokens, cost, quality, outcome)
CREATE TABLE IF NOT EXISTS usage_logs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id VARCHAR(255) NOT NULL,
  model_id VARCHAR(100),
  tier INT NOT NULL,
  prompt_tokens INT,
  completion_tokens INT,
  total_tokens INT,
  total_cost DECIMAL(10,6),
  quality_score DECIMAL(3,2),
  escalated BOOLEAN NOT NULL DEFAULT false,
  provider VARCHAR(100),
  latency_ms INT,
  upstream_latency_ms INT,
  status VARCHAR(20) NOT NULL DEFAULT 'success',
  error_code VARCHAR(50),
  estimated BOOLEAN NOT NULL DEFAULT false,
  cache_read_tokens INT NOT NULL DEFAULT 0,
  cache_write_tokens INT NOT NULL DEFAULT 0,
  request_id VARCHAR(100),
  attempts INT NOT NULL DEFAULT 1,
  conversation_id UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT usage_logs_tier_check CHECK (tier BETWEEN 0 AND 3),
  CONSTRAINT usage_logs_quality_score_check CHECK (quality_score BETWEEN 0 AND 1),
  CONSTRAINT usage_logs_status_check CHECK (status IN ('success', 'error')),
  CONSTRAINT usage_logs_prompt_tokens_check CHECK (prompt_tokens >= 0),
  CONSTRAINT usage_logs_completion_tokens_check CHECK (completion_tokens >= 0),
  CONSTRAINT usage_logs_total_tokens_check CHECK (total_tokens >= 0),
  CONSTRAINT usage_logs_cache_read_tokens_check CHECK (cache_read_tokens >= 0),
  CONSTRAINT usage_logs_cache_write_tokens_check CHECK (cache_write_tokens >= 0),
  CONSTRAINT usage_logs_total_cost_check CHECK (total_cost >= 0),
  CONSTRAINT usage_logs_attempts_check CHECK (attempts >= 0)
);
CREATE INDEX IF NOT EXISTS idx_usage_logs_user_created ON usage_logs (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_usage_logs_model_created ON usage_logs (model_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_usage_logs_created_at ON usage_logs (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_usage_logs_conversation_id ON usage_logs (conversation_id) WHERE conversation_id IS NOT NULL;

-- Audit logs: security and admin actions with before/after details and the request's correlation id
CREATE TABLE IF NOT EXISTS audit_logs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  correlation_id VARCHAR(100),
  user_id VARCHAR(255),
  action VARCHAR(100) NOT NULL,
  resource VARCHAR(255),
  details JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS idx_audit_logs_user_created ON audit_logs (user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_audit_logs_action ON audit_logs (action);
CREATE INDEX IF NOT EXISTS idx_audit_logs_resource ON audit_logs (resource);
CREATE INDEX IF NOT EXISTS idx_audit_logs_created_at ON audit_logs (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_audit_logs_correlation_id ON audit_logs (correlation_id);

-- User token stats: daily token/cost aggregates per user, model and provider
CREATE TABLE IF NOT EXISTS user_token_stats (
  user_id VARCHAR(255),
  date DATE,
  model VARCHAR(150),
  provider VARCHAR(100),
  total_tokens INT NOT NULL DEFAULT 0,
  total_cost DECIMAL(12,6) NOT NULL DEFAULT 0,
  message_count INT NOT NULL DEFAULT 0,
  conversation_count INT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, date, model, provider),
  CONSTRAINT user_token_stats_total_tokens_check CHECK (total_tokens >= 0),
  CONSTRAINT user_token_stats_total_cost_check CHECK (total_cost >= 0),
  CONSTRAINT user_token_stats_message_count_check CHECK (message_count >= 0),
  CONSTRAINT user_token_stats_conversation_count_check CHECK (conversation_count >= 0)
);
CREATE INDEX IF NOT EXISTS idx_user_token_stats_date ON user_token_stats (date);
