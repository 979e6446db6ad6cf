#!/bin/sh
# Rewrites the golden outputs of the memory tools (physmap, stress-ng) from
# the current tree. Review the diff before committing it.
set -e
cd "$(dirname "$0")/.."
UPDATE_GOLDEN=1 npx vitest run tests/user/applets/physmap.test.ts tests/user/progs/stress-ng.test.ts
git diff --stat -- tests/user/applets/golden tests/user/progs/golden
