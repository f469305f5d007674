#!/bin/sh
# Regenerates the Push-Manager descriptor, then packages every function into
# .serverless/ with `serverless package` (offline: no AWS credentials used)
# and lists each zip's size in bytes. Extra arguments go to serverless, e.g.
# `npm run package -- --stage prod`.
set -eu

# esbuild errors can leave `serverless package` hanging: bound it.
PACKAGE_TIMEOUT_SECONDS=300

cd "$(dirname "$0")/.."
npm run --silent generate
timeout --kill-after=10 "$PACKAGE_TIMEOUT_SECONDS" \
  node node_modules/osls/bin/serverless.js package "$@"

for zip in .serverless/*.zip; do
  printf '%10d bytes  %s\n' "$(wc -c < "$zip")" "$zip"
done
