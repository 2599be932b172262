#!/usr/bin/env node
// The launcher's older name, kept so that `node scripts/launch.mjs src/cli.ts …` still works: see launch.cjs.
import { createRequire } from 'node:module';

await createRequire(import.meta.url)('./launch.cjs').main(process.argv.slice(2));
