/**
 * Every CLI command, one module each. Add a command by writing src/cli/<name>.ts exporting `command`
 * and listing it here.
 */

import { command as calibrate } from './calibrate.js';
import { command as check } from './check.js';
import type { Command } from './command.js';
import { command as compare } from './compare.js';
import { command as discover } from './discover.js';
import { command as fidelity } from './fidelity.js';
import { command as gateway } from './gateway.js';
import { command as gguf } from './gguf.js';
import { command as importCmd } from './import.js';
import { command as merge } from './merge.js';
import { command as run } from './run.js';
import { command as schema } from './schema.js';
import { command as sweep } from './sweep.js';
import { command as trace } from './trace.js';
import { command as validate } from './validate.js';

export const commands: readonly Command[] = [
  run,
  trace,
  gguf,
  gateway,
  discover,
  calibrate,
  fidelity,
  importCmd,
  validate,
  schema,
  compare,
  check,
  sweep,
  merge,
];
