# shellcheck shell=bash
# Sourced by .ci/run and scripts/dev-setup.sh: installs node_modules exactly as package-lock.json
# says, like `npm ci`, and checks that the native modules load.
#
# Why not plain `npm ci`: it refuses a lock that lacks other platforms' optional packages (e.g.
# @biomejs/cli-darwin-arm64), and a registry that serves only linux builds, like the one our CI
# machines use, writes every lock that way. Only for that refusal, this installs from the same
# lock with `npm install` and fails if the lock would change: the same guarantee as npm ci
# (installed tree == lock), and real drift between package.json and the lock still fails.

npm_locked_install() {
  local log rc=0
  log=$(mktemp)
  npm ci --no-audit --no-fund </dev/null >"$log" 2>&1 || rc=$?
  if ((rc != 0)) && grep -q 'can only install packages when your package.json and package-lock.json' "$log"; then
    grep -E '^npm error (Missing|Invalid): ' "$log" | sed 's/^npm error /  /' || true
    echo "npm ci refused the lock over the packages above; installing from the same lock with npm install"
    rm -f "$log"
    local lock_before
    lock_before=$(mktemp)
    cp package-lock.json "$lock_before"
    rm -rf node_modules
    rc=0
    npm install --no-audit --no-fund </dev/null || rc=$?
    if ((rc == 0)) && ! cmp -s "$lock_before" package-lock.json; then
      diff -u "$lock_before" package-lock.json | head -n 60 || true
      cp "$lock_before" package-lock.json
      echo "error: package-lock.json does not match package.json (npm install wanted to change it);" \
        "run npm install and commit package-lock.json" >&2
      rc=1
    fi
    rm -f "$lock_before"
    return "$rc"
  fi
  cat "$log"
  rm -f "$log"
  return "$rc"
}

# A native module that failed to build should stop here with one clear line, not as dozens of
# unrelated-looking failures later.
check_native_modules() {
  node --input-type=module -e "
    import Database from 'better-sqlite3';
    const db = new Database(':memory:');
    console.log('better-sqlite3 loads: SQLite ' + db.prepare('select sqlite_version() v').get().v);
    db.close();"
}
