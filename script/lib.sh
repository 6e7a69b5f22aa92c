# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this file
# Shared functions of the developer scripts. Source it; it does nothing by itself.
#
#   NETOPS_ROOT      repository root (computed from this file's place)
#   netops_env       exports NETOPS_DATABASE_URL, NETOPS_REDIS_URL, NETOPS_JWT_SECRET,
#                    NETOPS_MASTER_KEY, NETOPS_STORAGE_DIR (values already set win)
#
# Ports of the project-local services: NETOPS_PG_PORT (55432), NETOPS_REDIS_PORT (56379).
# NETOPS_PG_DIR moves the local cluster (default .local/pg), e.g. when `postgres` cannot enter the repo.

NETOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
NETOPS_LOCAL="$NETOPS_ROOT/.local"
NETOPS_PG_BIN=/usr/lib/postgresql/15/bin
# As root the cluster belongs to `postgres`, which must be able to enter the repository; when a parent
# directory is private (e.g. a clone under /root), the cluster moves to /var/tmp, one per checkout.
if [ -z "${NETOPS_PG_DIR:-}" ]; then
  NETOPS_PG_DIR="$NETOPS_LOCAL/pg"
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$NETOPS_ROOT"; then
    NETOPS_PG_DIR="/var/tmp/netops-pg-$(printf '%s' "$NETOPS_ROOT" | cksum | cut -d' ' -f1)"
  fi
fi
NETOPS_REDIS_DIR="$NETOPS_LOCAL/redis"
NETOPS_SECRETS_FILE="$NETOPS_LOCAL/secrets"

netops_say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
netops_die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

netops_is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as root: directly when we are root, through sudo otherwise.
netops_as_root() {
  if netops_is_root; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    netops_die "need root for: $* (run as root or install sudo)"
  fi
}

netops_pg_port() { printf '%s' "${NETOPS_PG_PORT:-55432}"; }
netops_redis_port() { printf '%s' "${NETOPS_REDIS_PORT:-56379}"; }

# The project-local cluster is owned by `postgres` when we are root (PostgreSQL refuses to run as
# root), by the current user otherwise.
netops_pg_owner() {
  if netops_is_root; then printf 'postgres'; else id -un; fi
}

# Runs a PostgreSQL server-side command as the cluster owner, from a directory it can read.
netops_as_pg() {
  if netops_is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Unix socket directory: .local/pg/run unless the socket path would exceed the kernel's limit.
netops_pg_socket_dir() {
  local dir="$NETOPS_PG_DIR/run" sock
  sock="$dir/.s.PGSQL.$(netops_pg_port)"
  if [ "${#sock}" -ge 100 ]; then
    dir="/tmp/netops-pg-$(id -u)-$(printf '%s' "$NETOPS_ROOT" | cksum | cut -d' ' -f1)"
  fi
  printf '%s' "$dir"
}

# --- URLs ---------------------------------------------------------------------------------------

# netops_url_with_db URL DB: the same libpq connection (URL or key=value form) with another database.
netops_url_with_db() {
  local url="$1" db="$2"
  if [[ "$url" =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
    printf '%s/%s%s' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[4]}"
  elif [[ "$url" =~ (^|[[:space:]])dbname=[^[:space:]]* ]]; then
    printf '%s' "$url" | sed -E "s/(^|[[:space:]])dbname=[^[:space:]]*/\\1dbname=$db/"
  else
    printf '%s dbname=%s' "$url" "$db"
  fi
}

# netops_redis_base URL: redis://[auth@]host:port without the /db suffix (and without a trailing /).
netops_redis_base() {
  local url="$1"
  if [[ "$url" =~ ^(rediss?://[^/?]*)(/[0-9]*)?/?(\?.*)?$ ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
  else
    printf '%s' "${url%/}"
  fi
}

# --- secrets and environment --------------------------------------------------------------------

# Generates .local/secrets once (mode 600); adds a key that is missing, never changes one that exists.
netops_ensure_secrets() {
  mkdir -p "$NETOPS_LOCAL"
  local key added=0
  for key in NETOPS_JWT_SECRET NETOPS_MASTER_KEY; do
    if [ ! -f "$NETOPS_SECRETS_FILE" ] || ! grep -q "^$key=." "$NETOPS_SECRETS_FILE"; then
      command -v openssl >/dev/null 2>&1 || netops_die "openssl is missing (run script/bootstrap)"
      (umask 077 && printf '%s=%s\n' "$key" "$(openssl rand -hex 32)" >>"$NETOPS_SECRETS_FILE")
      added=1
    fi
  done
  chmod 600 "$NETOPS_SECRETS_FILE"
  [ "$added" -eq 0 ] || netops_say "generated secrets in ${NETOPS_SECRETS_FILE#"$NETOPS_ROOT"/}"
}

# Reads one KEY=value line from .local/secrets (no shell evaluation of the file).
netops_secret() {
  [ -r "$NETOPS_SECRETS_FILE" ] || return 0
  sed -n "s/^$1=//p" "$NETOPS_SECRETS_FILE" | tail -n 1
}

netops_env() {
  export NETOPS_DATABASE_URL="${NETOPS_DATABASE_URL:-postgresql://postgres@127.0.0.1:$(netops_pg_port)/netops}"
  export NETOPS_REDIS_URL="${NETOPS_REDIS_URL:-redis://127.0.0.1:$(netops_redis_port)/0}"
  if [ -z "${NETOPS_JWT_SECRET:-}" ]; then
    NETOPS_JWT_SECRET="$(netops_secret NETOPS_JWT_SECRET)"
    [ -n "$NETOPS_JWT_SECRET" ] || netops_die "NETOPS_JWT_SECRET unset and not in .local/secrets (run script/setup)"
  fi
  if [ -z "${NETOPS_MASTER_KEY:-}" ]; then
    NETOPS_MASTER_KEY="$(netops_secret NETOPS_MASTER_KEY)"
    [ -n "$NETOPS_MASTER_KEY" ] || netops_die "NETOPS_MASTER_KEY unset and not in .local/secrets (run script/setup)"
  fi
  export NETOPS_JWT_SECRET NETOPS_MASTER_KEY
  export NETOPS_STORAGE_DIR="${NETOPS_STORAGE_DIR:-$NETOPS_LOCAL/storage}"
}

# --- waiting ------------------------------------------------------------------------------------

# netops_wait SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds or the deadline passes.
netops_wait() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      netops_say "$what did not answer within ${seconds}s"
      return 1
    fi
    sleep 0.2
  done
}

netops_log_tail() {
  local file="$1"
  if [ -r "$file" ]; then
    printf -- '--- last lines of %s ---\n' "$file" >&2
    tail -n 30 "$file" >&2
    printf -- '---\n' >&2
  elif netops_is_root && [ -e "$file" ]; then
    tail -n 30 "$file" >&2
  fi
}

# pg_isready against a URL or key=value string; 0 only when the server accepts connections.
netops_pg_ready_url() { pg_isready -q -d "$1" -t 2; }
netops_pg_ready_port() { pg_isready -q -h 127.0.0.1 -p "$1" -U postgres -t 2; }
netops_redis_ready_url() { [ "$(redis-cli -u "$1" ping 2>/dev/null)" = PONG ]; }
netops_redis_ready_port() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }
