#!/usr/bin/env node
// `npx hydraulic-rotate` in a clone of this repository (after `npm ci`): runs the TypeScript
// source through tsx, a dev dependency, with no build step. The container image runs the
// esbuild bundle instead (`npm run build:tool`), which needs neither tsx nor TypeScript.
require('tsx/cjs');
require('../tools/rotate/main.ts');
