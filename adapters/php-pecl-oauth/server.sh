#!/usr/bin/env bash
# PECL oauth's OAuthProvider behind PHP's built-in web server, a live server for
# `oauth1-conformance probe`:
#
#   bash adapters/php-pecl-oauth/server.sh --port PORT --credentials FILE
#
# Runs `php -S 127.0.0.1:PORT server.php` (server.php routes every request), prints
# `listening on http://127.0.0.1:PORT` once the port accepts connections, and stops the web server
# and removes its state directory on SIGTERM or SIGINT.
set -euo pipefail

usage="usage: server.sh --port PORT --credentials FILE"
port= credentials=
while (($#)); do
  case $1 in
    --port) port=${2:?$usage}; shift 2 ;;
    --credentials) credentials=${2:?$usage}; shift 2 ;;
    *) echo "server.sh: unknown argument $1; $usage" >&2; exit 2 ;;
  esac
done
[[ $port =~ ^[0-9]+$ && $port -ge 1 && $port -le 65535 ]] || { echo "server.sh: --port must be 1-65535; $usage" >&2; exit 2; }
[[ -n $credentials ]] || { echo "server.sh: --credentials is required; $usage" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
resolved=$(realpath -e "$credentials" 2>/dev/null) || { echo "server.sh: no credentials file $credentials" >&2; exit 2; }
credentials=$resolved
php "$here/server.php" --check-credentials "$credentials"

state=$(mktemp -d "${TMPDIR:-/tmp}/pecl-oauth-server.XXXXXX")
server_pid=
stop() {
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$state"
}
trap 'stop; exit 0' TERM INT
trap stop EXIT

# php -S reports on stderr that it listens ("Development Server (http://...) started") once the
# socket is bound, and logs each request there; that stream is passed on to stderr, and the
# listening line goes to stdout when the server reports it.
mkfifo "$state/stderr"
OAUTH1_SERVER_CREDENTIALS=$credentials OAUTH1_SERVER_STATE=$state \
  php -S "127.0.0.1:$port" "$here/server.php" >&2 2>"$state/stderr" &
server_pid=$!
while IFS= read -r line; do
  printf '%s\n' "$line" >&2
  if [[ $line == *"Development Server (http://127.0.0.1:$port) started"* ]]; then
    echo "listening on http://127.0.0.1:$port"
  fi
done <"$state/stderr" &

status=0
wait "$server_pid" || status=$?
server_pid=
echo "server.sh: php -S exited with status $status" >&2
exit 2
