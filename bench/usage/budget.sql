-- pgbench script: the gateway's budget check (modules/gateway/budget_repo.cpp, gateway.budget_usage) for a
-- random one of the 10,000 bench users: one index range of user_token_stats over the month.
\set u random(0, 9999)
SELECT least(coalesce(sum(total_cost) FILTER (WHERE date = current_date), 0), 9000000)::numeric(20, 12)::text AS day_cost,
       least(coalesce(sum(total_tokens) FILTER (WHERE date = current_date), 0), 9e18)::bigint AS day_tokens,
       least(coalesce(sum(total_cost), 0), 9000000)::numeric(20, 12)::text AS month_cost,
       least(coalesce(sum(total_tokens), 0), 9e18)::bigint AS month_tokens
FROM user_token_stats WHERE user_id = '00000000-0000-4000-8000-' || lpad(:u::text, 12, '0')
  AND date >= date_trunc('month', current_date)::date AND date <= current_date;
