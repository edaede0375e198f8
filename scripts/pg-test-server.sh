#!/usr/bin/env bash
# Start or stop a private, throw-away PostgreSQL for tests (STYLE §7: CT_TEST_PG_DSN).
#   scripts/pg-test-server.sh start DIR   prints the DSN (also written to DIR/dsn)
#   scripts/pg-test-server.sh stop DIR    stops the server and removes DIR
# Runs the server as the "postgres" user when invoked as root (initdb/pg_ctl refuse root).
# Example: export CT_TEST_PG_DSN="$(scripts/pg-test-server.sh start "$(mktemp -d)")"
set -euo pipefail

PROG=${0##*/}
FIRST_PORT=54329
LAST_PORT=54428
DB=cratrace_test
DB_USER=cratrace

die() {
  echo "$PROG: $*" >&2
  exit 1
}

usage() {
  echo "usage: $PROG start DIR | stop DIR" >&2
  exit 2
}

find_bindir() {
  local d=/usr/lib/postgresql/15/bin
  if [ ! -x "$d/initdb" ] && command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
  fi
  if [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then
    die "no PostgreSQL server binaries in /usr/lib/postgresql/15/bin or \`pg_config --bindir\`" \
        "(install postgresql-15: scripts/install-deps.sh)"
  fi
  BINDIR=$d
}

# Run a command as the server's owner, from a directory that owner may enter.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$DIR" && runuser -u "$OWNER" -- "$@")
  else
    (cd "$DIR" && "$@")
  fi
}

setup_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    OWNER=postgres
    id -u "$OWNER" >/dev/null 2>&1 ||
      die "running as root but there is no 'postgres' system user to own the server"
    command -v runuser >/dev/null 2>&1 || die "running as root needs runuser(1) (util-linux)"
  else
    OWNER=$(id -un)
  fi
}

# The owner must be able to traverse every parent of DIR; fix only mktemp-style directories
# under /tmp (owned by us, mode 700), refuse to touch anything else. Missing parents are
# created by mkdir -p with the umask.
check_parents() {
  local p
  p=$(dirname "$DIR")
  while :; do
    if [ -e "$p" ] && ! as_owner_probe "$p"; then
      if [[ "$p" == /tmp/* ]] && [ -O "$p" ]; then
        echo "$PROG: making $p traversable (chmod 755) for user $OWNER" >&2
        chmod 755 "$p"
      else
        die "user $OWNER cannot enter $p, a parent of $DIR; choose a DIR under /tmp" \
            "(e.g. \"\$(mktemp -d)\") or make the parents traversable"
      fi
    fi
    [ "$p" = / ] && break
    p=$(dirname "$p")
  done
}

as_owner_probe() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$OWNER" -- test -x "$1" 2>/dev/null
  else
    test -x "$1"
  fi
}

resolve_dir() {
  [ -n "${1:-}" ] || usage
  case $1 in
    *[[:space:]\'\"\\]*) die "DIR must not contain spaces, quotes or backslashes: '$1'" ;;
  esac
  DIR=$(realpath -m -- "$1")
  [ "$DIR" != / ] || die "refusing to use / as DIR"
  # The Unix socket DIR/.s.PGSQL.NNNNN must fit sun_path (107 bytes).
  [ ${#DIR} -le 90 ] || die "DIR path is too long for a Unix socket (max 90 bytes): $DIR"
}

is_running() {
  [ -f "$DIR/data/PG_VERSION" ] && as_owner "$BINDIR/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_server() {
  local port opts
  for ((port = FIRST_PORT; port <= LAST_PORT; port++)); do
    port_in_use "$port" && continue
    opts="-h 127.0.0.1 -p $port -k $DIR -c fsync=off -c full_page_writes=off"
    opts+=" -c synchronous_commit=off"
    if as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 -o "$opts" start \
        >/dev/null 2>&1; then
      PORT=$port
      return 0
    fi
    # Lost a race for the port: try the next one; anything else is fatal.
    if [ -f "$DIR/log" ] && tail -n 20 "$DIR/log" | grep -q "could not bind\|Address already in use"; then
      continue
    fi
    echo "$PROG: the server failed to start; last lines of $DIR/log:" >&2
    tail -n 20 "$DIR/log" >&2 2>/dev/null || true
    exit 1
  done
  die "no free TCP port on 127.0.0.1 in $FIRST_PORT..$LAST_PORT"
}

cmd_start() {
  local dsn exists
  resolve_dir "$1"
  find_bindir
  setup_owner

  if [ -f "$DIR/dsn" ] && is_running; then
    cat "$DIR/dsn"
    return 0
  fi

  check_parents
  mkdir -p -- "$DIR"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$OWNER:" "$DIR"
  fi
  chmod 700 "$DIR"
  as_owner test -w "$DIR" || die "user $OWNER cannot write to $DIR"

  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    if ! as_owner "$BINDIR/initdb" -D "$DIR/data" -U "$DB_USER" --auth=trust -E UTF8 \
        --locale=C >"$DIR/initdb.log" 2>&1; then
      echo "$PROG: initdb failed:" >&2
      cat "$DIR/initdb.log" >&2
      exit 1
    fi
  fi

  if is_running; then
    # Running without a dsn file (interrupted start): stop, then start afresh on a known port.
    as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 ||
      die "a server runs in $DIR/data and cannot be stopped"
  fi
  start_server

  exists=$("$BINDIR/psql" -X -q -w -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -tA \
    -c "SELECT 1 FROM pg_database WHERE datname = '$DB'") ||
    die "cannot query the server on port $PORT (see $DIR/log)"
  if [ "$exists" != 1 ]; then
    "$BINDIR/createdb" -w -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB" ||
      die "createdb $DB failed (see $DIR/log)"
  fi

  dsn="postgresql://$DB_USER@127.0.0.1:$PORT/$DB"
  echo "$dsn" >"$DIR/dsn"
  echo "$dsn"
}

cmd_stop() {
  resolve_dir "$1"
  if [ ! -e "$DIR" ]; then
    echo "$PROG: $DIR does not exist; nothing to stop" >&2
    return 0
  fi
  [ -d "$DIR" ] || die "$DIR is not a directory"
  # Only remove what looks like ours.
  if [ ! -f "$DIR/data/PG_VERSION" ] && [ ! -f "$DIR/dsn" ] && [ -n "$(ls -A "$DIR")" ]; then
    die "$DIR does not look like a pg-test-server directory; not removing it"
  fi
  find_bindir
  setup_owner
  if is_running; then
    as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null ||
      die "pg_ctl stop failed (see $DIR/log)"
  fi
  rm -rf -- "$DIR"
}

[ $# -eq 2 ] || usage
export PGCONNECT_TIMEOUT=10
unset PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGREQUIRESSL PGPASSWORD 2>/dev/null || true
case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  *) usage ;;
esac
