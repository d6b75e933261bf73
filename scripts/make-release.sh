#!/usr/bin/env bash
# Makes a release tarball for `linekeeper update FILE` and for the image build:
# linekeeper-<version>-<arch>.tar.gz with linekeeper-<version>/ inside (the built app, its
# production node_modules and release.json), and a .sha256 file next to it in sha256sum format.
#
#   scripts/make-release.sh [options]
#     --out DIR       where to put the tarball and its .sha256 (default: ./release)
#     --skip-build    use dist/ and node_modules/ as they are (default: npm ci && npm run build)
#     --version V     the version to stamp (default: package.json's); for test and pre-release builds
#     -h, --help      this text
#
# node_modules holds native modules (better-sqlite3, serialport) built for this machine's CPU and
# Node ABI, and release.json records both; `linekeeper update` refuses a release for another
# platform. So make a release for the Raspberry Pi on an arm64 machine with the same Node major
# (a Pi 4/5 or an arm64 CI runner), not on an x86 laptop.
set -euo pipefail
shopt -s inherit_errexit

# The same entries scripts/install.sh copies into /opt/linekeeper.
readonly APP_ENTRIES=(package.json package-lock.json dist node_modules examples models systemd scripts src/web/static README.md hardware)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="${REPO}/release"
BUILD=1
VERSION=''

die() {
  printf 'make-release.sh: %s\n' "$*" >&2
  exit 1
}

usage() { sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($# > 0)); do
  case "$1" in
    --out)
      (($# >= 2)) || die "--out needs a directory"
      OUT=$2
      shift 2
      ;;
    --skip-build)
      BUILD=0
      shift
      ;;
    --version)
      (($# >= 2)) || die "--version needs a version such as 0.2.0"
      VERSION=$2
      shift 2
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "make-release.sh: unknown option '$1'" >&2
      usage >&2
      exit 2
      ;;
  esac
done

command -v node >/dev/null || die "node is not on PATH"
cd "$REPO"
if ((BUILD == 1)); then
  npm ci --no-audit --no-fund
  npm run build
fi
[[ -f dist/cli/main.js ]] || die "no dist/cli/main.js: run without --skip-build, or npm run build first"
[[ -d node_modules ]] || die "no node_modules: run without --skip-build, or npm ci first"

[[ -n "$VERSION" ]] || VERSION=$(node -p 'require("./package.json").version')
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "'${VERSION}' is not a version like 1.2.3 or 1.2.3-rc.1"
ARCH=$(node -p 'process.arch')
NODE_ABI=$(node -p 'process.versions.modules')
NAME="linekeeper-${VERSION}"
TARBALL="${NAME}-${ARCH}.tar.gz"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STAGE="${WORK}/${NAME}"
mkdir -p "$STAGE"
for entry in "${APP_ENTRIES[@]}"; do
  [[ -e "$entry" ]] || continue
  mkdir -p "$(dirname "${STAGE}/${entry}")"
  cp -a "$entry" "${STAGE}/${entry}"
done

# Production modules only: the copy is pruned, the checkout keeps its dev tools.
(cd "$STAGE" && npm prune --omit=dev --no-audit --no-fund >/dev/null)
(cd "$STAGE" && node -e '
  const fs = require("node:fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  pkg.version = process.argv[1];
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
' "$VERSION")

COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat >"${STAGE}/release.json" <<JSON
{
  "name": "linekeeper",
  "version": "${VERSION}",
  "arch": "${ARCH}",
  "nodeAbi": "${NODE_ABI}",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "commit": "${COMMIT}"
}
JSON
chmod -R u=rwX,go=rX "$STAGE"

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
tar -C "$WORK" --owner=0 --group=0 --numeric-owner -czf "${OUT}/${TARBALL}.tmp" "$NAME"
mv "${OUT}/${TARBALL}.tmp" "${OUT}/${TARBALL}"
(cd "$OUT" && sha256sum "$TARBALL" >"${TARBALL}.sha256")
echo "${OUT}/${TARBALL}"
