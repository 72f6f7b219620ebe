#!/usr/bin/env bash
# Installs every Debian 12 package this repository needs to build, test and run, and
# the npm packages of the dashboard's browser test (tests/ui: `npm ci`, pinned by its
# package-lock.json; the browser is Debian's chromium, never a download).
#
# Idempotent and non-interactive: packages already installed are skipped, and the
# package index is refreshed only when something is missing (or the index was never
# fetched). Runs as root (CI) or through sudo otherwise.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  clang libclang-rt-14-dev            # libFuzzer and sanitizer runtimes
  # libraries
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libsqlite3-dev libpq-dev libspdlog-dev libcli11-dev
  libssl-dev                          # queue/remote: https (Boost.Asio SSL over OpenSSL)
  libisal-dev                         # queue/storage/log: CRC-32C with the CPU's instructions (Intel ISA-L)
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # what the README's commands and the tests run
  curl ca-certificates sqlite3 jq
  # the benchmark's peers and its chart (scripts/bench)
  redis-server beanstalkd gnuplot-nox
  postgresql-15                       # a throwaway server for the PostgreSQL tests (scripts/with-postgres)
  chromium fonts-liberation           # the dashboard's browser test (tests/ui), stable fonts in its screenshots
)
# Node.js and npm run the browser test. A machine that has them already (another
# packaging of Node.js) keeps its own: installing Debian's would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
}

installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

# The browser test's npm packages, exactly as package-lock.json pins them; again only
# when the lock file changed since the last install (a stamp inside node_modules).
install_npm_packages() {
  local dir=tests/ui
  local stamp=$dir/node_modules/.bootstrap-lock-sha256
  local wanted
  wanted=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$wanted" ]]; then
    echo "bootstrap: npm packages of $dir present"
    return
  fi
  echo "bootstrap: npm ci in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund)
  echo "$wanted" >"$stamp"
}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  install_npm_packages
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# An install fails with "Unable to locate package" on a machine whose index was never
# fetched (fresh containers ship without one), so refresh it first in that case.
if ! apt-cache show --no-all-versions "${missing[0]}" >/dev/null 2>&1 \
   || [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit 2>/dev/null) ]]; then
  as_root apt-get update -q
fi
if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  # A stale index names package versions the mirror no longer has: refresh once, retry.
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
install_npm_packages
echo "bootstrap: done"
