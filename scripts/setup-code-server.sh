#!/usr/bin/env bash
# Sets up what `npm run test:vscode` drives: code-server 4.99.4 (VS Code 1.99,
# the last release that runs on Node 20) under $CS_DIR (default /tmp/cs), with
# playwright-core, and Debian's Chromium. Once per machine; 5-10 minutes.
# Everything comes from npm and Debian: ripgrep is Debian's, copied where
# VS Code looks for it, because @vscode/ripgrep's install step downloads a binary.
set -euo pipefail
CS_DIR=${CS_DIR:-/tmp/cs}
apt-get install -y libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium >/dev/null
mkdir -p "$CS_DIR"
cd "$CS_DIR"
[ -f package.json ] || npm init -y >/dev/null
[ -x node_modules/.bin/code-server ] || npm install --no-audit --no-fund --ignore-scripts code-server@4.99.4 playwright-core >/dev/null
npm_config_yes=true npm rebuild argon2 >/dev/null
# VS Code's own dependencies, installed without their download steps, then built.
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild >/dev/null
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund >/dev/null)
# A quiet profile: no start-up editor, tips, trust prompt or telemetry.
mkdir -p "$CS_DIR/ud/User"
cat >"$CS_DIR/ud/User/settings.json" <<'JSON'
{ "workbench.startupEditor": "none", "security.workspace.trust.enabled": false, "workbench.tips.enabled": false, "extensions.ignoreRecommendations": true, "telemetry.telemetryLevel": "off" }
JSON
echo "code-server ready: $CS_DIR/node_modules/.bin/code-server"
