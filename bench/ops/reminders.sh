# bench/ops/reminders.sh — sourced by script/bench (suite ops): the reminder job over a large register.
#
#   ops_reminders_bench
#
# Times POST /api/v1/reminders/run (the job's set-based work: warranty_expiring and maintenance_due
# INSERT … SELECT … ON CONFLICT DO NOTHING, cancellation of disposed assets' reminders, listing ui ones) on
# NETOPS_BENCH_REMINDER_ROWS (1,000,000) assets in the database netops_bench_reminders
# (NETOPS_BENCH_REMINDERS_DB): loaded once by bench/assets/generate.sql, then a tenth of the asset models get
# maintenanceIntervalDays and 100,000 assets a closed maintenance ticket; reused afterwards (drop it to reload).
# Two runs: the first creates every reminder (reminders emptied before), the second finds them all present.
# Uses script/bench's helpers: netops_env, start_server, stop_server, BENCH_URL, BENCH_DIR, BENCH_ADMIN_PASSWORD.

REMINDERS_DB="${NETOPS_BENCH_REMINDERS_DB:-netops_bench_reminders}"
REMINDER_ROWS="${NETOPS_BENCH_REMINDER_ROWS:-1000000}"

ops_reminders_ensure_database() {
  local admin url n
  admin="$(netops_url_with_db "$NETOPS_DATABASE_URL" postgres)"
  url="$(netops_url_with_db "$NETOPS_DATABASE_URL" "$REMINDERS_DB")"
  if [ "$(psql "$admin" -XtAc "SELECT 1 FROM pg_database WHERE datname = '$REMINDERS_DB'")" != 1 ]; then
    psql "$admin" -XqA -v ON_ERROR_STOP=1 -c "CREATE DATABASE $REMINDERS_DB" >/dev/null
  fi
  NETOPS_DATABASE_URL="$url" "${BENCH_BINARY:-build/netops-gateway}" migrate >"$BENCH_DIR/reminders-migrate.log" 2>&1 || {
    netops_log_tail "$BENCH_DIR/reminders-migrate.log"
    netops_die "migrating $REMINDERS_DB failed"
  }
  n="$(psql "$url" -XtAc 'SELECT count(*) FROM assets')"
  if [ "$n" -lt "$REMINDER_ROWS" ]; then
    [ "$n" -eq 0 ] || netops_die "$REMINDERS_DB holds $n assets, not $REMINDER_ROWS: drop the database to reload it"
    netops_say "loading $REMINDER_ROWS assets into $REMINDERS_DB (once; later runs reuse it)"
    psql "$url" -Xq -v rows="$REMINDER_ROWS" -f bench/assets/generate.sql >/dev/null
  fi
  # Once: a tenth of the models (20 of 200) need maintenance every 180 days; 100,000 assets had it done at
  # some point of the last two years (closed tickets), the others count from their purchase date.
  if [ "$(psql "$url" -XtAc 'SELECT count(*) FROM maintenance_tickets')" -eq 0 ]; then
    psql "$url" -XqA -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
UPDATE asset_models SET spec = spec || '{"maintenanceIntervalDays": 180}'
WHERE id IN (SELECT id FROM asset_models ORDER BY model LIMIT 20);
INSERT INTO maintenance_tickets (asset_id, title, severity, status, opened_at, closed_at)
SELECT id, 'yearly service', 'low', 'closed', closed - interval '1 day', closed
FROM (SELECT id, now() - ((hashtext(id::text) & 1023) % 730) * interval '1 day' AS closed
      FROM assets ORDER BY id LIMIT 100000) x;
VACUUM ANALYZE asset_models;
VACUUM ANALYZE maintenance_tickets;
SQL
  fi
}

ops_reminders_bench() {
  netops_env
  mkdir -p "$BENCH_DIR"
  ops_reminders_ensure_database
  local url token out1 out2 t1 t2 code created total
  url="$(netops_url_with_db "$NETOPS_DATABASE_URL" "$REMINDERS_DB")"
  psql "$url" -XqA -c 'TRUNCATE reminders' -c 'VACUUM ANALYZE reminders' >/dev/null
  # No background generation: the two timed runs are the only ones.
  start_server NETOPS_DATABASE_URL="$url" NETOPS_ACCESS_LOG=false NETOPS_REMINDER_INTERVAL_S=0
  token="$(curl -fsS "$BENCH_URL/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin@localhost\",\"password\":\"$BENCH_ADMIN_PASSWORD\"}" |
    sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')"
  [ -n "$token" ] || netops_die "could not log in to the bench server"
  ops_reminders_run() {
    curl -sS -o "$BENCH_DIR/reminders-run-$1.json" -w '%{http_code} %{time_total}' --max-time 900 -X POST \
      -H "Authorization: Bearer $token" "$BENCH_URL/api/v1/reminders/run"
  }
  read -r code t1 <<<"$(ops_reminders_run 1)"
  [ "$code" = 200 ] || { cat "$BENCH_DIR/reminders-run-1.json" >&2; netops_die "reminders/run answered $code"; }
  read -r code t2 <<<"$(ops_reminders_run 2)"
  [ "$code" = 200 ] || { cat "$BENCH_DIR/reminders-run-2.json" >&2; netops_die "reminders/run answered $code"; }
  stop_server
  out1="$(cat "$BENCH_DIR/reminders-run-1.json")"
  out2="$(cat "$BENCH_DIR/reminders-run-2.json")"
  created="$(psql "$url" -XtAc "SELECT string_agg(reminder_type || ' ' || n, ', ' ORDER BY reminder_type)
                                FROM (SELECT reminder_type, count(*) n FROM reminders GROUP BY 1) x")"
  total="$(psql "$url" -XtAc 'SELECT count(*) FROM assets')"
  echo "## ops: reminder job over $total assets (POST /api/v1/reminders/run)"
  printf '| %-58s | %10s |\n' run seconds
  printf '|%s|%s|\n' "------------------------------------------------------------" "-----------:"
  printf '| %-58s | %10s |\n' "first run (creates every reminder)" "$t1"
  printf '| %-58s | %10s |\n' "second run (all present: ON CONFLICT DO NOTHING)" "$t2"
  echo
  echo "reminders created: $created"
  echo "first run: $out1"
  echo "second run: $out2"
  echo
}
