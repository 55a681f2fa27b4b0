#!/usr/bin/env bash
# A local Redmine for the bot's tests, bench and sandbox: installs it when missing (Debian's
# packages), configures it (REST on, admin/bot/agent users with API keys, a project with two
# subprojects, categories, the Telegram ID field, a Cancelled status, workflows), starts it on
# 127.0.0.1:${REDMINE_PORT:-3000} and writes what the tests need to the state file below.
# Idempotent: run it again and it only starts what is not running.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${REDMINE_PORT:-3000}"
state_dir="${XDG_STATE_HOME:-$HOME/.local/state}/service-desk-bot"
state="$state_dir/redmine.json"
as_redmine() { runuser -u www-data -- env REDMINE_INSTANCE=default RAILS_ENV=production "$@"; }
# Node is there wherever the project is; curl may not be.
answers() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }

bash "$here/install.sh"
cd /usr/share/redmine

echo "[redmine] configuring (rails runner)"
cp "$here/configure.rb" /tmp/service-desk-redmine-configure.rb
chmod 644 /tmp/service-desk-redmine-configure.rb
answer="$(as_redmine bundle exec rails runner /tmp/service-desk-redmine-configure.rb | tail -n 1)"

url="http://127.0.0.1:${port}"
if ! answers "$url/"; then
  echo "[redmine] starting on $url"
  log=/tmp/service-desk-redmine.log
  : > "$log"; chmod 666 "$log"
  as_redmine setsid nohup bundle exec rackup -E production -s webrick -o 127.0.0.1 -p "$port" >>"$log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do answers "$url/" && break; sleep 0.5; done
  answers "$url/" || { tail -n 30 "$log"; echo "[redmine] did not start"; exit 1; }
fi

mkdir -p "$state_dir"
node -e 'const a = JSON.parse(process.argv[1]); a.url = process.argv[2]; console.log(JSON.stringify(a, null, 2))' "$answer" "$url" > "$state"
echo "[redmine] ready at $url; state in $state"
