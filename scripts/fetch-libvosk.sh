#!/usr/bin/env bash
# Fetches libvosk for this machine into vendor/vosk/<platform>/libvosk.so (git-ignored).
#
# x86_64: from the `vosk` npm tarball (0.3.39). Only the shared library is used: the package's
#   JS wrapper needs ffi-napi, which does not build on Node 20, so the tarball is fetched with
#   `npm pack` (no install, no native build) and verified against a pinned SHA-256.
# aarch64 / armv7l: from the vosk-api GitHub release (0.3.45), at image-build time, verified
#   against the checksums pinned in models/manifest.json ("libvosk" section). This machine cannot
#   reach GitHub, so that path is untested here; it fails closed on any checksum mismatch.
#
# Usage: scripts/fetch-libvosk.sh [--force] [--dest DIR] [--arch x86_64|aarch64|armv7l]
# Prints the path of the installed library on its last line. Idempotent: an existing library
# whose checksum matches is kept.
set -euo pipefail

readonly NPM_VERSION=0.3.39
# SHA-256 of vosk-0.3.39.tgz as served by the npm registry. Cross-checked: the registry's own
# dist.integrity (sha512-/pWD6KLLxV/0Pu/...OGkw==) matched the same tarball when this was pinned.
readonly NPM_TARBALL_SHA256=f0acfb81236e492f29193ffbd1029204cd0af7107fca4e5e5a410432b3291ad3
# SHA-256 of package/lib/linux-x86_64/libvosk.so inside that tarball.
readonly NPM_LIB_SHA256=9f94ef218c32e271ae8ac84065ab25191af48832c06c6e624984b1c80f0b0920

readonly RELEASE_VERSION=0.3.45
readonly RELEASE_BASE="https://github.com/alphacep/vosk-api/releases/download/v${RELEASE_VERSION}"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST="${ROOT}/vendor/vosk"
FORCE=0
ARCH=$(uname -m)

die() {
  echo "fetch-libvosk: $*" >&2
  exit 1
}

while (($# > 0)); do
  case "$1" in
    --force) FORCE=1 ;;
    --dest)
      (($# >= 2)) || die "--dest needs a directory"
      DEST=$2
      shift
      ;;
    --arch)
      (($# >= 2)) || die "--arch needs x86_64, aarch64 or armv7l"
      ARCH=$2
      shift
      ;;
    -h | --help)
      sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

# Verifies a file against a pinned SHA-256; a mismatch deletes nothing but stops the script.
verify() {
  local file=$1 expected=$2 actual
  actual=$(sha256_of "$file")
  if [[ "$actual" != "$expected" ]]; then
    die "checksum mismatch for $(basename "$file"): expected ${expected}, got ${actual}." \
      "The download is corrupt or the upstream file changed; do not use it."
  fi
}

# Reads a field of the libvosk entry for an architecture from models/manifest.json.
manifest_field() {
  local arch=$1 field=$2
  node -e '
    const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const e = m.libvosk && m.libvosk[process.argv[2]];
    const v = e && e[process.argv[3]];
    if (typeof v !== "string" || v === "") process.exit(3);
    process.stdout.write(v);
  ' "${ROOT}/models/manifest.json" "$arch" "$field"
}

case "$ARCH" in
  x86_64 | amd64) PLATFORM=linux-x86_64 ;;
  aarch64 | arm64) PLATFORM=linux-aarch64 ;;
  armv7l | armhf | armv7) PLATFORM=linux-armv7l ;;
  *) die "no libvosk for architecture '${ARCH}': supported are x86_64, aarch64 and armv7l" ;;
esac

TARGET_DIR="${DEST}/${PLATFORM}"
TARGET="${TARGET_DIR}/libvosk.so"

WORK=$(mktemp -d)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

fetch_from_npm() {
  if ((FORCE == 0)) && [[ -f "$TARGET" ]] && [[ "$(sha256_of "$TARGET")" == "$NPM_LIB_SHA256" ]]; then
    echo "libvosk ${NPM_VERSION} already present and verified"
    return 0
  fi
  command -v npm >/dev/null || die "npm is not on PATH; it is needed to fetch the vosk tarball"
  echo "fetching vosk@${NPM_VERSION} from the npm registry (tarball only, nothing is installed)"
  (cd "$WORK" && npm pack "vosk@${NPM_VERSION}" --silent </dev/null >/dev/null) ||
    die "npm pack vosk@${NPM_VERSION} failed: check the network connection to the npm registry"
  local tarball="${WORK}/vosk-${NPM_VERSION}.tgz"
  [[ -f "$tarball" ]] || die "npm pack did not produce ${tarball##*/}"
  verify "$tarball" "$NPM_TARBALL_SHA256"
  tar -xzf "$tarball" -C "$WORK" package/lib/linux-x86_64/libvosk.so ||
    die "the vosk tarball has no lib/linux-x86_64/libvosk.so"
  verify "${WORK}/package/lib/linux-x86_64/libvosk.so" "$NPM_LIB_SHA256"
  install_library "${WORK}/package/lib/linux-x86_64/libvosk.so" "$NPM_VERSION" "npm:vosk@${NPM_VERSION}"
}

fetch_from_release() {
  local arch_key=$1 asset expected
  asset=$(manifest_field "$arch_key" asset) || die "models/manifest.json has no libvosk.${arch_key}.asset"
  expected=$(manifest_field "$arch_key" sha256) ||
    die "models/manifest.json has no pinned sha256 for libvosk.${arch_key}; refusing an unverified download"
  if ((FORCE == 0)) && [[ -f "${TARGET_DIR}/SOURCE" ]] && grep -qx "sha256=${expected}" "${TARGET_DIR}/SOURCE"; then
    echo "libvosk ${RELEASE_VERSION} already present (from ${asset})"
    return 0
  fi
  command -v curl >/dev/null || die "curl is needed to download ${asset}"
  command -v unzip >/dev/null || die "unzip is needed to unpack ${asset} (apt-get install unzip)"
  echo "downloading ${asset}"
  curl --fail --location --retry 3 --progress-bar -o "${WORK}/${asset}" "${RELEASE_BASE}/${asset}" ||
    die "download of ${RELEASE_BASE}/${asset} failed: check the network connection"
  verify "${WORK}/${asset}" "$expected"
  unzip -q "${WORK}/${asset}" -d "${WORK}/unpacked"
  local lib
  lib=$(find "${WORK}/unpacked" -name libvosk.so -type f | head -n 1)
  [[ -n "$lib" ]] || die "${asset} contains no libvosk.so"
  install_library "$lib" "$RELEASE_VERSION" "release:${asset}" "sha256=${expected}"
}

# Atomic install: a half-written library must never be loaded by the appliance.
install_library() {
  local source=$1 version=$2 origin=$3 archive_line=${4:-}
  mkdir -p "$TARGET_DIR"
  cp "$source" "${TARGET}.partial"
  chmod 0644 "${TARGET}.partial"
  mv -f "${TARGET}.partial" "$TARGET"
  {
    echo "version=${version}"
    echo "origin=${origin}"
    echo "library_sha256=$(sha256_of "$TARGET")"
    if [[ -n "$archive_line" ]]; then echo "$archive_line"; fi
  } >"${TARGET_DIR}/SOURCE"
  echo "installed libvosk ${version} (${origin})"
}

case "$PLATFORM" in
  linux-x86_64) fetch_from_npm ;;
  linux-aarch64) fetch_from_release aarch64 ;;
  linux-armv7l) fetch_from_release armv7l ;;
esac
echo "$TARGET"
