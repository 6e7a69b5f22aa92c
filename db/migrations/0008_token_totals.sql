-- A day of one user's tokens on one model can pass 2^31 (an enterprise budget of 500 USD buys billions of
-- tokens of a cheap model): the daily total is BIGINT, so the accounting batch that would overflow it
-- cannot fail forever.
ALTER TABLE user_token_stats ALTER COLUMN total_tokens TYPE BIGINT;
