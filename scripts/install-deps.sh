#!/usr/bin/env bash
# Installs the Debian 12 packages apiota builds and tests with (see
# ../shared/STACK.md for why each was chosen). Skips apt when all are present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev postgresql libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev
  clang libclang-rt-14-dev
  curl
  nodejs
  chromium fonts-thai-tlwg-otf
  wrk nginx-light libnginx-mod-stream haproxy python3
  libmbedtls-dev openssl
)
# The web console is built with node and npm (web/). Debian ships npm as a
# package of its own; a NodeSource nodejs carries npm inside and conflicts
# with Debian's, so npm is asked for only when there is no npm command.
command -v npm >/dev/null 2>&1 || packages+=(npm)
# chromium runs the console's browser tests (tests/browser/, driven by
# playwright-core from web/node_modules); the Thai fonts let its Thai pages
# render (screenshots) rather than show empty boxes.

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # postgresql is here for its server binaries: the tests start private
  # clusters of their own (tests/support/postgres_cluster.h). Debian would
  # also create and start a system-wide cluster on port 5432, which the
  # tests do not use: postgresql-common's createcluster.d asks it not to.
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.d/apiota.conf >/dev/null
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
