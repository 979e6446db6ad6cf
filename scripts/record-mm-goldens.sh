#!/bin/sh
# Rewrites the golden outputs of physmap from
# the current tree. Review the diff before committing it.
set -e
cd "$(dirname "$0")/.."
UPDATE_GOLDEN=1 npx vitest run tests/user/applets/physmap.test.ts
git diff --stat -- tests/user/applets/golden
