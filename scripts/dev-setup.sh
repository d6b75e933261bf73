#!/usr/bin/env bash
# One command from a fresh clone to a running appliance in simulation, on Debian 12+ or
# Raspberry Pi OS: checks Node >= 20, installs the build tools for native modules, installs
# node_modules from the lock, builds, and starts `linekeeper run` with a simulated line, the web
# page on http://127.0.0.1:8080/ and data under ./var. Safe to run again: finished steps are
# skipped.
#
#   scripts/dev-setup.sh            set up, then run (Ctrl-C stops)
#   scripts/dev-setup.sh --no-run   set up only
#   scripts/dev-setup.sh --reinstall  also reinstall node_modules from scratch
set -euo pipefail
shopt -s inherit_errexit

readonly MIN_NODE_MAJOR=20
readonly BUILD_PACKAGES=(python3 make g++)
readonly DEV_CONFIG=var/dev-config.yaml

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/npm-locked-install.sh
source "${REPO_ROOT}/scripts/lib/npm-locked-install.sh"
RUN=1
REINSTALL=0

step() { printf '\n==> %s\n' "$*"; }
die() {
  printf '\ndev-setup: %s\n' "$*" >&2
  exit 1
}

APT_UPDATED=0
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "this step needs root: run as root or install sudo, then run this script again"
  fi
}

apt_install() {
  command -v apt-get >/dev/null || die "no apt-get here; install these yourself, then run this again: $*"
  if ((APT_UPDATED == 0)); then
    as_root apt-get update -q
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

node_major() {
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# The major version apt would install for a package, or 0 (e.g. "18.19.0+dfsg-6~deb12u2" -> 18).
apt_candidate_major() {
  command -v apt-cache >/dev/null || {
    echo 0
    return
  }
  local policy candidate
  policy=$(apt-cache policy "$1" 2>/dev/null || true)
  candidate=$(sed -n 's/^ *Candidate: //p' <<<"$policy")
  candidate=${candidate#*:}
  if [[ "$candidate" =~ ^([0-9]+)\. ]]; then echo "${BASH_REMATCH[1]}"; else echo 0; fi
}

ensure_node() {
  step "Node.js >= ${MIN_NODE_MAJOR}"
  if command -v node >/dev/null && (($(node_major) >= MIN_NODE_MAJOR)) && command -v npm >/dev/null; then
    echo "node $(node --version), npm $(npm --version)"
    return
  fi
  if command -v node >/dev/null && (($(node_major) >= MIN_NODE_MAJOR)); then
    echo "node $(node --version) has no npm; installing npm from apt"
    apt_install npm
    return
  fi
  local have="none"
  command -v node >/dev/null && have=$(node --version)
  if command -v apt-get >/dev/null && ((APT_UPDATED == 0)); then
    as_root apt-get update -q
    APT_UPDATED=1
  fi
  local offered
  offered=$(apt_candidate_major nodejs)
  if ((offered >= MIN_NODE_MAJOR)); then
    echo "installing nodejs ${offered} and npm from this distribution"
    apt_install nodejs npm
    return
  fi
  die "linekeeper needs Node.js ${MIN_NODE_MAJOR} or newer with npm (found: ${have});
this distribution offers nodejs ${offered/#0/no package}, which is too old.
Debian 12 and Raspberry Pi OS 12 ship Node 18; Debian 13 ships Node 20. Either:
  - install Node ${MIN_NODE_MAJOR} LTS or newer from the Node.js project's packages for your
    distribution (arm64 builds exist for the Raspberry Pi 4), or
  - use a Node version manager for your user,
then check 'node --version' prints v${MIN_NODE_MAJOR} or later and run this script again."
}

ensure_build_tools() {
  step "build tools for native modules (better-sqlite3, serialport): ${BUILD_PACKAGES[*]}"
  local missing=() pkg
  for pkg in "${BUILD_PACKAGES[@]}"; do
    # Each package is named after its command; checking the command lets tools installed
    # another way (e.g. pyenv's python3) count.
    command -v "$pkg" >/dev/null || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    echo "already installed"
    return
  fi
  apt_install "${missing[@]}"
}

# node_modules is current when npm finds every dependency of package.json installed at a
# matching version, and the native modules load with this Node (a Node upgrade needs a rebuild).
# (File times say little: editors and npm rewrite package.json without changing it.)
node_modules_current() {
  [[ -d node_modules ]] && npm ls --all >/dev/null 2>&1 && check_native_modules >/dev/null 2>&1
}

ensure_node_modules() {
  step "node_modules from package-lock.json"
  if ((REINSTALL == 0)) && node_modules_current; then
    echo "up to date (use --reinstall to install again)"
    return
  fi
  echo "installing; better-sqlite3 builds from source, which takes a minute or two"
  npm_locked_install
  check_native_modules
}

# Written after a successful build only: tsc emits even when it reports errors, so the age of
# dist/ alone would let a failed build count as done.
readonly BUILD_STAMP=dist/.dev-setup-build-ok

build() {
  step "build (TypeScript -> dist/)"
  # Like make: rebuild when any source or build setting is newer than the last good build.
  if [[ -f "$BUILD_STAMP" && -f dist/cli/main.js ]] &&
    [[ -z "$(find src package.json tsconfig.json tsconfig.build.json -newer "$BUILD_STAMP" -print -quit)" ]]; then
    echo "up to date"
    return
  fi
  rm -f "$BUILD_STAMP"
  npm run build --silent
  touch "$BUILD_STAMP"
  echo "built"
}

ensure_dev_config() {
  step "simulation config ${DEV_CONFIG}"
  mkdir -p var
  if [[ -f "$DEV_CONFIG" ]]; then
    echo "kept (yours to edit)"
  else
    cat >"$DEV_CONFIG" <<'YAML'
# Written by scripts/dev-setup.sh for running linekeeper on a development machine; edit freely
# (var/ is not in git). The full set of keys: src/config/config-schema.ts.
version: 1
dataDir: ./var
line:
  driver: simulated
speech:
  engine: simulated
relays:
  driver: simulated
mqtt:
  enabled: false
web:
  enabled: true
  host: 127.0.0.1
  port: 8080
YAML
    echo "written"
  fi
  # An explicit --config keeps a box's /etc/linekeeper/config.yaml (a real modem, a real
  # broker) out of a development run.
  node dist/cli/main.js --config "$DEV_CONFIG" check-config
}

main() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      --no-run) RUN=0 ;;
      --reinstall) REINSTALL=1 ;;
      -h | --help)
        usage
        return 0
        ;;
      *)
        echo "dev-setup: unknown option '$arg'" >&2
        usage >&2
        return 2
        ;;
    esac
  done
  cd "$REPO_ROOT"
  ensure_node
  ensure_build_tools
  ensure_node_modules
  build
  ensure_dev_config
  if ((RUN == 0)); then
    printf '\nSet up. Start the simulated appliance with:\n  node dist/cli/main.js --config %s run\n' "$DEV_CONFIG"
    return 0
  fi
  step "starting linekeeper in simulation (web page as configured in ${DEV_CONFIG}; Ctrl-C stops)"
  exec node dist/cli/main.js --config "$DEV_CONFIG" run
}

# Sourcing (as test/ci/dev-setup.test.ts does) only defines the functions.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
