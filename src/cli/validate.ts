/**
 * `routesim validate FILE... [--strategy S] [--seed N] [--set key=value ...]`: load each scenario as `run`
 * would (flags applied as overrides and validated like the file) without simulating. Prints
 * "FILE: ok (...)" per good file and every problem of every bad one as `file:line:col: message (suggestion)`.
 * Exit: 0 all valid; 2 any problem.
 */
import type { Argv } from 'yargs';
import { formatProblem, type Problem, UserError } from '../core/errors.js';
import type { Scenario } from '../scenario/types.js';
import type { Command, Io } from './command.js';

interface ValidateArgs {
  files: string[];
  strategy?: string;
  seed?: number;
  set?: string[];
}

export const command: Command<ValidateArgs> = {
  command: 'validate <files..>',
  describe: 'check scenario files and report every problem with its line and column',
  builder: (y: Argv) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'scenario files (YAML)',
      })
      .option('strategy', { type: 'string', describe: 'validate with router.strategy set to this' })
      .option('seed', { type: 'number', describe: 'validate with this seed' })
      .option('set', {
        type: 'string',
        array: true,
        describe: 'an override key=value, e.g. router.max_retries=1',
      }),
  run: validateCommand,
};

async function validateCommand(argv: ValidateArgs, io: Io): Promise<number> {
  const { loadScenarioFile } = await import('../scenario/load.js');
  const overrides = parseSets(argv.set ?? []);
  if (argv.strategy !== undefined) overrides['router.strategy'] = argv.strategy;
  const problems: Problem[] = [];
  let bad = 0;
  for (const file of argv.files) {
    const r = loadScenarioFile(file, { overrides, seed: argv.seed });
    if (r.ok) {
      io.stdout(`${file}: ok (${summary(r.scenario)})\n`);
      for (const w of r.warnings) io.stderr(`warning: ${formatProblem(w)}\n`);
    } else {
      bad++;
      problems.push(...r.issues);
    }
  }
  if (problems.length > 0) {
    const n = problems.length;
    throw new UserError(
      `${n} problem${n === 1 ? '' : 's'} in ${bad} of ${argv.files.length} file${argv.files.length === 1 ? '' : 's'}`,
      problems,
    );
  }
  return 0;
}

/** `key=value` flags -> overrides; the value is read as YAML by the loader. */
function parseSets(sets: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UserError(`--set expects key=value, got "${s}"`);
    out[s.slice(0, eq).trim()] = s.slice(eq + 1);
  }
  return out;
}

function summary(s: Scenario): string {
  const n = s.models.length;
  const t = s.traffic;
  const traffic =
    t.kind === 'synthetic'
      ? `${t.arrivals.process} ${round(t.arrivals.rate)}/s${Number.isFinite(t.requests) ? `, ${t.requests} requests` : ''}`
      : t.kind === 'trace'
        ? `trace ${t.format}`
        : t.kind === 'inference_perf'
          ? `inference-perf ${t.profile.load.type}, ${t.profile.load.stages.length} stage${t.profile.load.stages.length === 1 ? '' : 's'}`
          : `${t.streams.length} merged streams`;
  const parts = [
    `${n} model${n === 1 ? '' : 's'}`,
    `strategy ${s.router.strategy}`,
    traffic,
    Number.isFinite(s.horizon_ms) ? `horizon ${round(s.horizon_ms / 1000)}s` : 'until traffic ends',
    `${s.events.length} event${s.events.length === 1 ? '' : 's'}`,
    `${s.expect.length} expectation${s.expect.length === 1 ? '' : 's'}`,
  ];
  if (s.variants.length) parts.push(`${s.variants.length} variant${s.variants.length === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
