#!/usr/bin/env node
// Entry point for `npx tingxie` / the installed bin: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli, processIo } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
