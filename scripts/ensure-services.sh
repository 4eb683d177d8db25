#!/usr/bin/env bash
# Make sure the local services of the scaled-out profile answer: PostgreSQL (5432),
# Redis (6379) and RabbitMQ (5672) on 127.0.0.1. A service that doesn't answer is started
# with the machine's own packages (no Docker), then waited for.
#
#   scripts/ensure-services.sh                 all three, never fails (for `make test`:
#                                              tests that need a missing one skip)
#   scripts/ensure-services.sh postgres redis  only these; exits 1 if one stays down
#
# It never stops or reconfigures a service that is already running.
set -uo pipefail

strict=1
services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  services=(postgres redis rabbitmq)
  strict=0
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  case "$1" in
    postgres)
      command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ] || return 1
      local version
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      [ -n "$version" ] && pg_ctlcluster --skip-systemctl-redirect "$version" main start ;;
    redis)
      command -v redis-server >/dev/null || return 1
      mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
        --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log ;;
    rabbitmq)
      command -v rabbitmq-server >/dev/null || return 1
      rabbitmq-server -detached ;;
  esac
}

port_of() { case "$1" in postgres) echo 5432 ;; redis) echo 6379 ;; rabbitmq) echo 5672 ;; esac; }
patience() { case "$1" in rabbitmq) echo 60 ;; *) echo 20 ;; esac; }

failed=0
for service in "${services[@]}"; do
  port=$(port_of "$service")
  if [ -z "$port" ]; then
    echo "ensure-services: unknown service '$service' (postgres, redis, rabbitmq)" >&2
    failed=1; continue
  fi
  if answers "$port"; then
    echo "==> $service answers on 127.0.0.1:$port"
    continue
  fi
  echo "==> $service is not answering on 127.0.0.1:$port; starting it"
  if ! start "$service" >/dev/null 2>&1; then
    echo "ensure-services: could not start $service here (not installed or no permission)" >&2
    failed=1; continue
  fi
  waited=0
  until answers "$port" || [ "$waited" -ge "$(patience "$service")" ]; do
    sleep 1; waited=$((waited + 1))
  done
  if answers "$port"; then
    echo "==> $service is up after ${waited}s"
  else
    echo "ensure-services: $service still not answering on 127.0.0.1:$port" >&2
    failed=1
  fi
done

if [ "$failed" -ne 0 ] && [ "$strict" -eq 1 ]; then
  exit 1
fi
exit 0
