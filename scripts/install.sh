#!/usr/bin/env bash
# Installs linekeeper on Raspberry Pi OS Lite or Debian (trixie or bookworm), as root:
# Node.js 20+, the linekeeper system user, the app in /opt/linekeeper, the systemd units, a
# default config (simulated line) and, optionally, the speech model. Safe to run again: it
# updates the app, keeps the config, the state and the secrets, and keeps the previous app
# version for a rollback (linekeeper update --rollback). The app goes to
# /opt/linekeeper/releases/<version>/ with /opt/linekeeper/current pointing at it; the paths
# the units use (/opt/linekeeper/dist/...) are links through current (src/update/).
#
#   scripts/install.sh [options]
#     --bundle DIR      the built app to install: dist/, node_modules/ (production, built for
#                       this machine's architecture), package.json ... (default: this checkout)
#     --model LANG      also fetch the speech model for LANG (en, de, es) with scripts/fetch-model
#     --no-start        install and enable, but do not start the service now
#     --node-version V  the Node.js 20 release to fetch on bookworm (default below)
#     -h, --help        this text
#
# Node.js: trixie ships Node 20, which is installed from Debian. Bookworm ships Node 18, which
# is too old; there the official Node.js build for this architecture is fetched from the npm
# registry (package node-linux-<arch>, the binaries behind the `node` npm package), checked
# against the registry's SHA-512, and unpacked to /opt/linekeeper-node; a systemd drop-in points
# the units at it. The registry is $NPM_CONFIG_REGISTRY or https://registry.npmjs.org/.
set -euo pipefail
shopt -s inherit_errexit

readonly MIN_NODE_MAJOR=20
readonly APP_DIR=/opt/linekeeper
readonly STAGING_DIR=/opt/linekeeper.new
readonly NODE_DIR=/opt/linekeeper-node
readonly CONFIG_DIR=/etc/linekeeper
readonly STATE_DIR=/var/lib/linekeeper
readonly UNIT_DIR=/etc/systemd/system
readonly SYSUSERS_FILE=/usr/lib/sysusers.d/linekeeper.conf
# linekeeper-provision applies linekeeper.yaml from the boot partition (Raspberry Pi images).
readonly UNITS=(linekeeper.service linekeeper-firstboot.service linekeeper-provision.service)
# What the app needs at run time: certificates for MQTT over TLS, openssl for the first-boot
# certificate, udevadm for SerialPort.list(), systemd for the units and the user.
readonly RUNTIME_PACKAGES=(ca-certificates curl openssl udev systemd unzip)
readonly APP_ENTRIES=(package.json package-lock.json dist node_modules examples models systemd scripts src/web/static)

BUNDLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODEL=''
START=1
NODE_VERSION=${LINEKEEPER_NODE_VERSION:-20.20.2}
NODE_BIN=/usr/bin/node

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\ninstall.sh: %s\n' "$*" >&2
  exit 1
}

usage() { sed -n '2,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

parse_args() {
  while (($# > 0)); do
    case "$1" in
      --bundle)
        (($# >= 2)) || die "--bundle needs a directory"
        BUNDLE=$(cd "$2" && pwd) || die "--bundle $2: no such directory"
        shift 2
        ;;
      --model)
        (($# >= 2)) || die "--model needs a language (en, de, es)"
        MODEL=$2
        shift 2
        ;;
      --node-version)
        (($# >= 2)) || die "--node-version needs a version such as 20.20.2"
        NODE_VERSION=$2
        shift 2
        ;;
      --no-start)
        START=0
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        echo "install.sh: unknown option '$1'" >&2
        usage >&2
        exit 2
        ;;
    esac
  done
}

check_system() {
  step "system"
  ((EUID == 0)) || die "run as root (sudo $0): it creates a user and installs system files"
  [[ -r /etc/os-release ]] || die "no /etc/os-release: this installs on Debian or Raspberry Pi OS only"
  local id codename
  # shellcheck disable=SC1091 # read at run time, from the machine being installed
  id=$(. /etc/os-release && echo "${ID:-}")
  # shellcheck disable=SC1091
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  case "$id/$codename" in
    debian/bookworm | debian/trixie | raspbian/bookworm | raspbian/trixie) ;;
    *) echo "warning: ${id:-unknown} ${codename:-?} is not tested; supported: Debian and Raspberry Pi OS bookworm or trixie" ;;
  esac
  echo "${id} ${codename}, $(dpkg --print-architecture)"
  [[ -f "${BUNDLE}/dist/cli/main.js" ]] ||
    die "${BUNDLE} has no dist/cli/main.js: build it first (npm ci && npm run build) or pass --bundle"
  [[ -d "${BUNDLE}/node_modules" ]] ||
    die "${BUNDLE} has no node_modules: run npm ci --omit=dev there on this architecture first"
}

APT_UPDATED=0
apt_install() {
  if ((APT_UPDATED == 0)); then
    apt-get -q -o DPkg::Lock::Timeout=300 update
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$@"
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)" != installed ]]; then
      echo "$pkg"
    fi
  done
}

install_packages() {
  step "Debian packages"
  local missing
  mapfile -t missing < <(missing_packages "${RUNTIME_PACKAGES[@]}")
  if ((${#missing[@]} == 0)); then
    echo "already installed: ${RUNTIME_PACKAGES[*]}"
  else
    apt_install "${missing[@]}"
  fi
}

# The major version of a node binary, or 0.
node_major_of() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# The major version apt would install for nodejs, or 0 ("20.19.2+dfsg-1" -> 20).
apt_nodejs_major() {
  local candidate
  candidate=$(apt-cache policy nodejs 2>/dev/null | sed -n 's/^ *Candidate: //p')
  candidate=${candidate#*:}
  if [[ "$candidate" =~ ^([0-9]+)\. ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

node_arch() {
  case "$(dpkg --print-architecture)" in
    amd64) echo x64 ;;
    arm64) echo arm64 ;;
    armhf) echo armv7l ;;
    *) die "no Node.js build for $(dpkg --print-architecture); use a 64-bit Raspberry Pi OS" ;;
  esac
}

# Fetches node-linux-<arch>@VERSION from the npm registry, checks its SHA-512 and unpacks it.
fetch_node_from_registry() {
  local registry package meta tarball integrity tmp
  registry=${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org/}
  package="node-linux-$(node_arch)"
  echo "fetching ${package}@${NODE_VERSION} from ${registry}"
  meta=$(curl -fsSL --retry 3 "${registry%/}/${package}/${NODE_VERSION}") ||
    die "cannot read ${package}@${NODE_VERSION} from ${registry}: check the network or --node-version"
  tarball=$(grep -o '"tarball": *"[^"]*"' <<<"$meta" | sed 's/.*"\(http[^"]*\)"$/\1/')
  integrity=$(grep -o '"integrity": *"sha512-[^"]*"' <<<"$meta" | sed 's/.*"sha512-\([^"]*\)"$/\1/')
  [[ -n "$tarball" && -n "$integrity" ]] || die "the registry's answer for ${package} has no tarball or sha512"
  tmp=$(mktemp -d)
  curl -fL --retry 3 --progress-bar -o "${tmp}/node.tgz" "$tarball" || die "download of ${tarball} failed"
  local actual
  actual=$(openssl dgst -sha512 -binary "${tmp}/node.tgz" | base64 -w0)
  [[ "$actual" == "$integrity" ]] || die "${tarball}: SHA-512 does not match the registry's; not installing it"
  rm -rf "${NODE_DIR}.new"
  mkdir -p "${NODE_DIR}.new"
  tar -xzf "${tmp}/node.tgz" -C "${NODE_DIR}.new" --strip-components=1
  rm -rf "$tmp" "$NODE_DIR"
  mv "${NODE_DIR}.new" "$NODE_DIR"
}

install_node() {
  step "Node.js >= ${MIN_NODE_MAJOR}"
  if (($(node_major_of /usr/bin/node) >= MIN_NODE_MAJOR)); then
    NODE_BIN=/usr/bin/node
  elif (($(apt_nodejs_major) >= MIN_NODE_MAJOR)); then
    apt_install nodejs
    NODE_BIN=/usr/bin/node
  else
    if [[ "$(node_major_of "${NODE_DIR}/bin/node")" != "${NODE_VERSION%%.*}" ||
      "$("${NODE_DIR}/bin/node" --version 2>/dev/null)" != "v${NODE_VERSION}" ]]; then
      echo "Debian offers Node $(apt_nodejs_major) here; linekeeper needs ${MIN_NODE_MAJOR}+"
      fetch_node_from_registry
    fi
    NODE_BIN="${NODE_DIR}/bin/node"
  fi
  (($(node_major_of "$NODE_BIN") >= MIN_NODE_MAJOR)) || die "${NODE_BIN} does not run or is older than ${MIN_NODE_MAJOR}"
  echo "node $("$NODE_BIN" --version) at ${NODE_BIN}"
}

create_user() {
  step "user linekeeper"
  install -D -m 0644 "${BUNDLE}/systemd/linekeeper.sysusers" "$SYSUSERS_FILE"
  systemd-sysusers "$SYSUSERS_FILE"
  id linekeeper
}

# The new version is staged whole, then made current by `linekeeper update --staged`, the same
# switch an update does (one symlink rename): a power cut leaves either version complete.
install_app() {
  step "app in ${APP_DIR}"
  rm -rf "$STAGING_DIR"
  mkdir -p "$STAGING_DIR"
  local entry
  for entry in "${APP_ENTRIES[@]}"; do
    [[ -e "${BUNDLE}/${entry}" ]] || continue
    mkdir -p "$(dirname "${STAGING_DIR}/${entry}")"
    cp -a "${BUNDLE}/${entry}" "${STAGING_DIR}/${entry}"
  done
  [[ -f "${BUNDLE}/README.md" ]] && cp "${BUNDLE}/README.md" "${STAGING_DIR}/"
  [[ -d "${BUNDLE}/hardware" ]] && cp -a "${BUNDLE}/hardware" "${STAGING_DIR}/"
  chown -R root:root "$STAGING_DIR"
  chmod -R u=rwX,go=rX "$STAGING_DIR"
  "$NODE_BIN" "${STAGING_DIR}/dist/cli/main.js" --version >/dev/null ||
    die "the new app does not start with ${NODE_BIN}; ${APP_DIR} was left as it was"
  "$NODE_BIN" "${STAGING_DIR}/dist/cli/main.js" --config "${CONFIG_DIR}/config.yaml" \
    update --staged "$STAGING_DIR" --no-restart ||
    die "the new app was not switched to; ${APP_DIR}/current was left as it was"
  echo "linekeeper $("$NODE_BIN" "${APP_DIR}/dist/cli/main.js" --version) installed"
}

install_config() {
  step "config in ${CONFIG_DIR}"
  install -d -m 0755 "$CONFIG_DIR"
  install -d -m 0750 -o linekeeper -g linekeeper "$STATE_DIR"
  if [[ -f "${CONFIG_DIR}/config.yaml" ]]; then
    echo "keeping ${CONFIG_DIR}/config.yaml"
  else
    cat >"${CONFIG_DIR}/config.yaml" <<'YAML'
# linekeeper configuration: every key and its default is in /opt/linekeeper/examples/config.yaml.
# Check changes with: linekeeper check-config /etc/linekeeper/config.yaml
# The line is simulated until line.driver is set to modem or soundcard.
version: 1
dataDir: /var/lib/linekeeper
YAML
  fi
  # root:linekeeper 0640: the service reads it; it may hold the MQTT password.
  chown root:linekeeper "${CONFIG_DIR}/config.yaml"
  chmod 0640 "${CONFIG_DIR}/config.yaml"
  "$NODE_BIN" "${APP_DIR}/dist/cli/main.js" check-config "${CONFIG_DIR}/config.yaml"
}

install_units() {
  step "systemd units"
  local unit
  for unit in "${UNITS[@]}"; do
    install -m 0644 "${APP_DIR}/systemd/${unit}" "${UNIT_DIR}/${unit}"
    # The units run /usr/bin/node; with Node from the registry, a drop-in points them at it.
    local dropin="${UNIT_DIR}/${unit}.d/10-node.conf"
    if [[ "$NODE_BIN" == /usr/bin/node ]]; then
      rm -f "$dropin"
    else
      mkdir -p "$(dirname "$dropin")"
      {
        echo "# Written by scripts/install.sh: Node ${MIN_NODE_MAJOR}+ is ${NODE_BIN} on this system."
        echo '[Service]'
        grep -E '^Exec(Start|StopPost)=' "${UNIT_DIR}/${unit}" | sed 's/=.*/=/' | sort -u
        grep -E '^Exec(Start|StopPost)=' "${UNIT_DIR}/${unit}" | sed "s#/usr/bin/node#${NODE_BIN}#"
      } >"$dropin"
    fi
  done
  # A command for the technician: linekeeper modem-probe, linekeeper doctor ...
  printf '#!/bin/sh\nexec %s %s/dist/cli/main.js "$@"\n' "$NODE_BIN" "$APP_DIR" >/usr/local/bin/linekeeper
  chmod 0755 /usr/local/bin/linekeeper
  systemd-analyze verify "${UNITS[@]/#/${UNIT_DIR}/}"
  systemctl enable "${UNITS[@]}"
}

install_model() {
  [[ -n "$MODEL" ]] || return 0
  step "speech model ${MODEL}"
  PATH="$(dirname "$NODE_BIN"):${PATH}" runuser -u linekeeper -- \
    "${APP_DIR}/scripts/fetch-model" --data-dir "$STATE_DIR" "$MODEL"
}

start_service() {
  step "start"
  if ((START == 0)); then
    echo "not started (--no-start): systemctl start linekeeper-firstboot linekeeper"
  elif [[ ! -d /run/systemd/system ]]; then
    echo "systemd is not running here (chroot or image build): the service starts at the next boot"
  else
    systemctl daemon-reload
    systemctl restart linekeeper-firstboot.service linekeeper.service
    systemctl --no-pager --lines=0 status linekeeper.service
    echo "setup code and certificate fingerprint: journalctl -u linekeeper-firstboot -o cat"
  fi
}

main() {
  parse_args "$@"
  check_system
  install_packages
  install_node
  create_user
  install_app
  install_config
  install_units
  install_model
  start_service
  step "done"
}

main "$@"
