#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io) and, when the widget is
# built, the demo web page. Waits until each answers, prints where to talk to the bot,
# and stops everything on Ctrl-C.  `run.sh --shell` talks in this terminal instead.
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
mkdir -p var/log

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

pids=()
stop() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "==> stopping"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 0' INT TERM

wait_for() {  # name url pid
  local name=$1 url=$2 pid=$3 t=0
  printf "==> waiting for the %s " "$name"
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo; echo "error: the $name exited; see var/log/" >&2; exit 1
    fi
    sleep 1; t=$((t + 1)); printf "."
  done
  echo " up after ${t}s"
}

echo "==> starting the action server on 127.0.0.1:$ACTIONS_PORT (log: var/log/actions.log)"
SANIC_HOST=127.0.0.1 .venv/bin/python -m runtime.actions --actions actions --port "$ACTIONS_PORT" \
  >var/log/actions.log 2>&1 &
pids+=($!)
wait_for "action server" "http://127.0.0.1:$ACTIONS_PORT/health" "${pids[-1]}"

if [ "$mode" = "--shell" ]; then
  .venv/bin/rasa shell --model "$MODEL" --endpoints "$ENDPOINTS"
  exit 0
fi

# Channels: credentials.yml plus each messaging platform of credentials.platforms.yml
# whose environment variables are set (README "Messaging platforms"). The generated file
# keeps ${VARIABLES}; Rasa reads the secrets from the environment.
.venv/bin/python -m channels.credentials credentials.yml credentials.platforms.yml \
  var/credentials.yml
echo "==> starting the Rasa server on $HOST:$RASA_PORT (log: var/log/rasa.log)"
# python -m runtime = `rasa` plus the guards in runtime/ (timeouts, limits, API only with
# RASA_AUTH_TOKEN or JWT_SECRET from the environment: README "Reliability and security").
.venv/bin/python -m runtime run --model "$MODEL" --interface "$HOST" --port "$RASA_PORT" \
  --endpoints "$ENDPOINTS" --credentials var/credentials.yml \
  --cors "http://127.0.0.1:$WEB_PORT" "http://localhost:$WEB_PORT" \
  >var/log/rasa.log 2>&1 &
pids+=($!)
wait_for "Rasa server" "http://127.0.0.1:$RASA_PORT/" "${pids[-1]}"

if [ -d web/dist ]; then
  # Point the demo page's chat widget at this Rasa server (README "Chat widget").
  cat >web/dist/config.js <<JS
window.BoneChatConfig = {
  serverUrl: window.location.protocol + '//' + window.location.hostname + ':$RASA_PORT',
  title: 'Bone health assistant',
  initialMessage: '/greet',
};
JS
  .venv/bin/python -m http.server --bind 127.0.0.1 --directory web/dist "$WEB_PORT" \
    >var/log/web.log 2>&1 &
  pids+=($!)
  wait_for "web page" "http://127.0.0.1:$WEB_PORT/" "${pids[-1]}"
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
echo "Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
echo "error: a server stopped unexpectedly; see var/log/" >&2
exit 1
