#!/usr/bin/env bash
# Installs Redmine 5 (Debian package, SQLite) non-interactively when it is missing.
# Idempotent: does nothing when /usr/share/redmine is there with webrick in Gemfile.local.
set -euo pipefail
if [ ! -f /usr/share/redmine/config/environment.rb ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
  $SUDO debconf-set-selections <<'SEL'
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/default-language select en
SEL
  $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends redmine redmine-sqlite >/dev/null
fi
if ! grep -q webrick /usr/share/redmine/Gemfile.local 2>/dev/null; then
  echo "gem 'webrick'" | ${SUDO:-} tee -a /usr/share/redmine/Gemfile.local >/dev/null
fi
