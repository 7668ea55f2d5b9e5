#!/usr/bin/env node
// Entry point for `npx routesim`: registers tsx so the TypeScript sources run as they are (no build step),
// then hands argv to the CLI. The exit code is the CLI's (0 ok, 1 expectations failed, 2 invalid input).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
