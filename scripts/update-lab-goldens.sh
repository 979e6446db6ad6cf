#!/bin/sh
# Rewrites tests/fixtures/labs/*.out from the labs in rootfs/root/labs (see
# tests/labs/labs.test.ts). Kernel changes move the labs' numbers: run this,
# then read `git diff tests/fixtures/labs` as a learner would before committing.
set -e
cd "$(dirname "$0")/.."
npm run build >/dev/null
UPDATE_LAB_GOLDENS=1 npx vitest run tests/labs "$@"
git diff --stat -- tests/fixtures/labs
