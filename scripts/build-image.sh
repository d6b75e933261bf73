#!/usr/bin/env bash
# Builds a flashable Raspberry Pi OS Lite (bookworm, arm64) image with linekeeper installed,
# on a technician's networked Linux machine, with pi-gen and the stage in image/stage-linekeeper.
#
#   scripts/build-image.sh --release FILE [options]
#     --release FILE      linekeeper-<version>-arm64.tar.gz from scripts/make-release.sh, made on
#                         an arm64 machine (its .sha256 is checked when present)
#     --work DIR          where pi-gen is cloned and builds (default: ./image-build; ~10 GB)
#     --hostname NAME     the image's host name (default: linekeeper)
#     --read-only-root    add overlayroot and linekeeper-read-only-root (see image/README.md)
#     --docker            build with pi-gen's build-docker.sh (default: build.sh, as root)
#     --dry-run           print the pi-gen config and the steps; no network, no root, no changes
#     -h, --help          this text
#
# The image has no login user (pi-gen's first user is locked) and no SSH; the technician works
# through linekeeper.yaml on the boot partition, the console and the web page.
set -euo pipefail
shopt -s inherit_errexit

# pi-gen at a fixed tag: the stage conventions and the Raspberry Pi OS release it builds.
readonly PIGEN_REPO=https://github.com/RPi-Distro/pi-gen.git
readonly PIGEN_REF=2024-11-19-raspios-bookworm-arm64
readonly STAGE_NAME=stage-linekeeper

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RELEASE=''
WORK="${PWD}/image-build"
HOST_NAME=linekeeper
READ_ONLY_ROOT=0
DOCKER=0
DRY_RUN=0

die() {
  printf 'build-image.sh: %s\n' "$*" >&2
  exit 1
}

usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($# > 0)); do
  case "$1" in
    --release)
      (($# >= 2)) || die "--release needs a file"
      RELEASE=$2
      shift 2
      ;;
    --work)
      (($# >= 2)) || die "--work needs a directory"
      WORK=$2
      shift 2
      ;;
    --hostname)
      (($# >= 2)) || die "--hostname needs a name"
      HOST_NAME=$2
      shift 2
      ;;
    --read-only-root)
      READ_ONLY_ROOT=1
      shift
      ;;
    --docker)
      DOCKER=1
      shift
      ;;
    --dry-run)
      DRY_RUN=1
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "build-image.sh: unknown option '$1'" >&2
      usage >&2
      exit 2
      ;;
  esac
done

[[ "$HOST_NAME" =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$ ]] || die "--hostname '${HOST_NAME}' is not a valid host name"
[[ "$WORK" != *' '* ]] || die "--work '${WORK}' contains a space, which debootstrap (inside pi-gen) cannot handle"

# The pi-gen config: sourced by pi-gen's build.sh; exported names reach the stage scripts.
pigen_config() {
  cat <<CONFIG
IMG_NAME=linekeeper
RELEASE=bookworm
TARGET_HOSTNAME=${HOST_NAME}
LOCALE_DEFAULT=en_GB.UTF-8
TIMEZONE_DEFAULT=Etc/UTC
# No login user: FIRST_USER_PASS unset locks the account; no rename wizard at first boot.
FIRST_USER_NAME=linekeeper-admin
DISABLE_FIRST_BOOT_USER_RENAME=1
ENABLE_SSH=0
DEPLOY_COMPRESSION=xz
STAGE_LIST="stage0 stage1 stage2 ${STAGE_NAME}"
export LINEKEEPER_READ_ONLY_ROOT=${READ_ONLY_ROOT}
CONFIG
}

# release.json inside the tarball must say arm64: the image is for a 64-bit Raspberry Pi.
check_release() {
  [[ -n "$RELEASE" ]] || die "--release FILE is required (make it with scripts/make-release.sh on an arm64 machine)"
  [[ -f "$RELEASE" ]] || die "--release ${RELEASE}: no such file"
  if [[ -f "${RELEASE}.sha256" ]]; then
    (cd "$(dirname "$RELEASE")" && sha256sum --check --quiet "$(basename "$RELEASE").sha256") ||
      die "${RELEASE} does not match its .sha256"
  fi
  local manifest
  manifest=$(tar -xzOf "$RELEASE" --wildcards '*/release.json') || die "${RELEASE} has no release.json: not made by scripts/make-release.sh"
  grep -q '"arch": "arm64"' <<<"$manifest" || die "${RELEASE} is not an arm64 release: make it on a Raspberry Pi or another arm64 machine"
}

STEPS=()
step() { STEPS+=("$*"); }

plan() {
  local runner=build.sh
  ((DOCKER == 1)) && runner=build-docker.sh
  step "git clone --branch ${PIGEN_REF} --depth 1 ${PIGEN_REPO} ${WORK}/pi-gen"
  step "copy ${REPO}/image/${STAGE_NAME} to ${WORK}/pi-gen/${STAGE_NAME}"
  step "copy ${RELEASE:-<--release FILE>} to ${WORK}/pi-gen/${STAGE_NAME}/00-install-linekeeper/files/linekeeper-release.tar.gz"
  step "write ${WORK}/pi-gen/config"
  step "run ${WORK}/pi-gen/${runner} (image in ${WORK}/pi-gen/deploy/)"
}

run() {
  local pigen="${WORK}/pi-gen"
  mkdir -p "$WORK"
  if [[ -d "${pigen}/.git" ]]; then
    git -C "$pigen" fetch --depth 1 origin tag "$PIGEN_REF"
    git -C "$pigen" checkout --force "$PIGEN_REF"
  else
    git clone --branch "$PIGEN_REF" --depth 1 "$PIGEN_REPO" "$pigen"
  fi
  # build-docker.sh copies the pi-gen folder into its container: the stage must be inside it.
  rm -rf "${pigen:?}/${STAGE_NAME}"
  cp -a "${REPO}/image/${STAGE_NAME}" "${pigen}/${STAGE_NAME}"
  cp "$RELEASE" "${pigen}/${STAGE_NAME}/00-install-linekeeper/files/linekeeper-release.tar.gz"
  pigen_config >"${pigen}/config"
  cd "$pigen"
  if ((DOCKER == 1)); then
    ./build-docker.sh
  else
    ((EUID == 0)) || die "pi-gen's build.sh needs root: sudo $0 ..., or use --docker"
    ./build.sh
  fi
  echo "image: $(find "${pigen}/deploy" -maxdepth 1 -name '*linekeeper*.img*' | sort | tail -n 1)"
}

plan
if ((DRY_RUN == 1)); then
  [[ -z "$RELEASE" ]] || check_release
  echo "# pi-gen config"
  pigen_config
  echo "# steps"
  printf '%s\n' "${STEPS[@]}"
  exit 0
fi
check_release
run
