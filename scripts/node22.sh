# Source this file to make Node.js >= 22.19 the `node` on PATH:   . scripts/node22.sh
# POSIX sh (npm runs package scripts with sh). @pulumi/pulumi needs Node >= 22 and undici 8 needs >= 22.19.
# Where the machine's node is older, the `node@22` package from the npm registry (it ships the binary) is
# installed once into a cache folder outside the repo and reused afterwards; one line on stderr says so.
# Where node is already recent enough, nothing changes and nothing is printed. Returns non-zero when no
# suitable node could be found or installed.

__pulumi_cmf_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=19)?0:1)' 2>/dev/null
}

__pulumi_cmf_node_status=0
if ! __pulumi_cmf_node_ok; then
  __pulumi_cmf_node_old="$(node --version 2>/dev/null || echo none)"
  __pulumi_cmf_node_dir="${PULUMI_CMF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-cmf}/node22"
  if [ ! -x "$__pulumi_cmf_node_dir/node_modules/node/bin/node" ]; then
    printf 'node22: your node is %s; pulumi-cmf needs >= 22.19: installing node@22 from the npm registry into %s (once, about 30 MB)\n' \
      "$__pulumi_cmf_node_old" "$__pulumi_cmf_node_dir" >&2
    mkdir -p "$__pulumi_cmf_node_dir"
    npm install --prefix "$__pulumi_cmf_node_dir" --no-save --no-audit --no-fund --loglevel=error node@22 >&2 \
      || printf 'node22: error: could not install node@22 from the npm registry\n' >&2
  fi
  PATH="$__pulumi_cmf_node_dir/node_modules/node/bin:$PATH"
  export PATH
  if __pulumi_cmf_node_ok; then
    printf 'node22: your node is %s; using node %s from %s\n' \
      "$__pulumi_cmf_node_old" "$(node --version)" "$__pulumi_cmf_node_dir" >&2
  else
    printf 'node22: error: node >= 22.19 is still not on PATH (found %s)\n' "$(node --version 2>/dev/null || echo none)" >&2
    __pulumi_cmf_node_status=1
  fi
  unset __pulumi_cmf_node_dir __pulumi_cmf_node_old
fi
unset -f __pulumi_cmf_node_ok
[ "$__pulumi_cmf_node_status" -eq 0 ] && unset __pulumi_cmf_node_status
