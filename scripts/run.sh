#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io) and, when the widget is
# built, the demo web page, under supervisord (scripts/supervisord.conf), which restarts a
# server that crashes. Waits until each answers, prints where to talk to the bot, and
# stops everything on Ctrl-C within STOP_WAIT (default 10) seconds plus a little.
# `run.sh --shell` talks in this terminal instead; `run.sh --purge` deletes the
# conversations older than RETENTION_DAYS (`make purge`, runtime/retention.py).
set -euo pipefail
cd "$(dirname "$0")/.."

RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
HOST=${RASA_HOST:-127.0.0.1}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTIONS_PORT/webhook}
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
MODEL=models/assistant.tar.gz

# PROFILE=default keeps conversations in var/tracker.db; PROFILE=scaled shares them through
# PostgreSQL + Redis (endpoints.scaled.yml, README "Scaled-out profile"). Each setting below
# is only a default for this machine: export your own to override it.
PROFILE=${PROFILE:-default}
case "$PROFILE" in
  default) ENDPOINTS=endpoints.yml ;;
  scaled)
    ENDPOINTS=endpoints.scaled.yml
    export DB_HOST=${DB_HOST:-127.0.0.1} DB_PORT=${DB_PORT:-5432} DB_USER=${DB_USER:-postgres}
    export DB_PASSWORD=${DB_PASSWORD:-} DB_NAME=${DB_NAME:-magnesium_bot} DB_LOGIN_DB=${DB_LOGIN_DB:-postgres}
    export REDIS_HOST=${REDIS_HOST:-127.0.0.1} REDIS_PORT=${REDIS_PORT:-6379} REDIS_PASSWORD=${REDIS_PASSWORD:-}
    export REDIS_DB=${REDIS_DB:-1} REDIS_KEY_PREFIX=${REDIS_KEY_PREFIX:-magnesiumbot}
    # The action server refuses calls without this secret; a fresh random one per run.
    ACTION_SERVER_SECRET=${ACTION_SERVER_SECRET:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}
    export ACTION_SERVER_SECRET
    if [ "$DB_HOST" = 127.0.0.1 ] || [ "$REDIS_HOST" = 127.0.0.1 ]; then
      scripts/ensure-services.sh postgres redis || {
        echo "error: PROFILE=scaled needs PostgreSQL and Redis (see above)" >&2; exit 1; }
    fi ;;
  *) echo "error: unknown PROFILE=$PROFILE; use default or scaled" >&2; exit 1 ;;
esac
mode=${1:-serve}
if [ "$mode" = --purge ]; then
  # `make purge`: delete conversations older than RETENTION_DAYS from this profile's store
  shift
  exec .venv/bin/python -m runtime.retention --endpoints "$ENDPOINTS" "$@"
fi
mkdir -p var/log var/run
# Output written to a file is appended to it: the servers' restart messages (written by
# supervisord's event listener) then land after what this script printed, never over it.
if [ -f /dev/stdout ]; then exec >>/dev/stdout; fi
if [ -f /dev/stderr ]; then exec 2>>/dev/stderr; fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports="$ACTIONS_PORT"
[ "$mode" = serve ] && ports="$ports $RASA_PORT"
[ "$mode" = serve ] && [ -d web/dist ] && ports="$ports $WEB_PORT"
for p in $ports; do
  if port_busy "$p"; then
    echo "error: port $p is already in use; stop what uses it or pick others, e.g. make run RASA_PORT=5006 ACTIONS_PORT=5056 WEB_PORT=8081" >&2
    exit 1
  fi
done
[ -f "$MODEL" ] || { echo "error: no trained model at $MODEL; run 'make train' first" >&2; exit 1; }

# The servers run under supervisord (scripts/supervisord.conf): a crashed one is restarted
# with back-off, and each restart is printed here with its count.
export RUN_ROOT=$PWD MODEL ENDPOINTS RASA_HOST=$HOST RASA_PORT ACTIONS_PORT WEB_PORT
# Seconds each server gets to exit after SIGTERM before it is killed (SIGKILL).
export STOP_WAIT=${STOP_WAIT:-10}
export RASA_AUTOSTART=true WEB_AUTOSTART=false ACTIONS_AUTOSTART=true
# ACTIONS_MODULE set (the default, "actions"; the default profile only): the actions run
# inside the Rasa server (README "Actions in the server or apart"), so no action server is
# started; set but empty (`make run ACTIONS_MODULE=`): the action server.
export ACTIONS_MODULE=${ACTIONS_MODULE-actions}
[ "$PROFILE" = scaled ] && ACTIONS_MODULE=""
[ -n "$ACTIONS_MODULE" ] && [ "$mode" = serve ] && ACTIONS_AUTOSTART=false
[ -d web/dist ] && WEB_AUTOSTART=true
[ "$mode" = serve ] || RASA_AUTOSTART=false WEB_AUTOSTART=false
SUPERVISOR_LOG=var/log/supervisord.log
log_start=$(stat -c %s "$SUPERVISOR_LOG" 2>/dev/null || echo 0)
this_run_log() { tail -c +"$((log_start + 1))" "$SUPERVISOR_LOG" 2>/dev/null; }

sup_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$sup_pid" ] || return 0
  echo; echo "==> stopping"
  local servers started=$SECONDS limit=$((STOP_WAIT + 15))
  servers=$(cat /proc/"$sup_pid"/task/*/children 2>/dev/null || true)
  kill -TERM "$sup_pid" 2>/dev/null || true
  # supervisord sends each server SIGTERM and, after STOP_WAIT s, SIGKILL; it gets a
  # little longer than that itself before it and whatever it still runs are killed.
  while kill -0 "$sup_pid" 2>/dev/null && [ $((SECONDS - started)) -lt "$limit" ]; do
    sleep 0.2
  done
  if kill -0 "$sup_pid" 2>/dev/null; then
    echo "error: the process manager did not stop within ${limit}s; killing it and the servers" >&2
    # shellcheck disable=SC2086
    kill -KILL "$sup_pid" $servers 2>/dev/null || true
  fi
  wait "$sup_pid" 2>/dev/null || true
  this_run_log | sed -n "s/.*killing '\\([a-z]*\\)' .*SIGKILL.*/\\1/p" | sort -u |
    while read -r program; do
      echo "warning: the $(server_name "$program") did not stop within ${STOP_WAIT}s of SIGTERM and was killed (SIGKILL); see var/log/$program.log" >&2
    done
  echo "==> stopped after $((SECONDS - started)) s"
}
server_name() {
  case $1 in actions) echo "action server" ;; rasa) echo "Rasa server" ;; web) echo "web page server" ;; *) echo "$1" ;; esac
}
trap stop EXIT
trap 'exit 0' INT TERM

.venv/bin/supervisord --nodaemon --silent -c scripts/supervisord.conf &
sup_pid=$!

wait_for() {  # name program url
  local name=$1 program=$2 url=$3 t=0
  printf "==> waiting for the %s " "$name"
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$sup_pid" 2>/dev/null; then
      echo; echo "error: the process manager exited; see $SUPERVISOR_LOG" >&2; exit 1
    fi
    if this_run_log | grep -q "gave up: $program "; then
      echo; echo "error: the $name keeps failing to start; see var/log/$program.log" >&2; exit 1
    fi
    sleep 1; t=$((t + 1)); printf "."
  done
  echo " up after ${t}s"
}

# Channels: credentials.yml plus each messaging platform of credentials.platforms.yml
# whose environment variables are set (README "Messaging platforms"). The generated file
# keeps ${VARIABLES}; Rasa reads the secrets from the environment.
.venv/bin/python -m channels.credentials credentials.yml credentials.platforms.yml \
  var/credentials.yml
if [ -d web/dist ]; then
  # Point the demo page's chat widget at this Rasa server (README "Chat widget").
  cat >web/dist/config.js <<JS
window.BoneChatConfig = {
  serverUrl: window.location.protocol + '//' + window.location.hostname + ':$RASA_PORT',
  title: 'Bone health assistant',
  initialMessage: '/greet',
};
JS
fi

if [ "$ACTIONS_AUTOSTART" = true ]; then
  echo "==> started the action server on 127.0.0.1:$ACTIONS_PORT (log: var/log/actions.log)"
  wait_for "action server" actions "http://127.0.0.1:$ACTIONS_PORT/health"
else
  echo "==> the custom actions run inside the Rasa server (ACTIONS_MODULE=$ACTIONS_MODULE)"
fi

if [ "$mode" = "--shell" ]; then
  .venv/bin/rasa shell --model "$MODEL" --endpoints "$ENDPOINTS"
  exit 0
fi

echo "==> started the Rasa server on $HOST:$RASA_PORT (log: var/log/rasa.log)"
wait_for "Rasa server" rasa "http://127.0.0.1:$RASA_PORT/"
if [ -d web/dist ]; then
  wait_for "web page" web "http://127.0.0.1:$WEB_PORT/"
fi

cat <<MSG

The assistant is running.
  REST:      curl -s -X POST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
               -H 'Content-Type: application/json' -d '{"sender": "me", "message": "hi"}'
  socket.io: http://127.0.0.1:$RASA_PORT/socket.io/
MSG
[ -d web/dist ] && echo "  Chat page: http://127.0.0.1:$WEB_PORT/  (open it in a browser)"
echo "  Profile:   $PROFILE ($ENDPOINTS)"
if [ -n "${RASA_AUTH_TOKEN:-}${JWT_SECRET:-}" ]; then
  echo "  HTTP API:  on, authentication required"
else
  echo "  HTTP API:  off (RASA_AUTH_TOKEN or JWT_SECRET turn it on, with authentication)"
fi
echo "  Restarts:  a server that stops is restarted and reported here (log: $SUPERVISOR_LOG)"
echo "Press Ctrl-C to stop."
wait "$sup_pid" || true
sup_pid=""
echo "error: the process manager stopped unexpectedly; see $SUPERVISOR_LOG" >&2
exit 1
