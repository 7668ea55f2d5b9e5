/**
 * `routesim gateway FILE [--port P] [--host H] [--record TRACE.jsonl] [--grace DURATION] [--gpu G]`: serve
 * OpenAI-compatible HTTP with the scenario's router in front of its models (gateway/server.ts) until
 * SIGTERM or SIGINT, then shut down gracefully: requests in flight get --grace (default 10 s) to finish,
 * and the record file is written whole.
 * Exit: 0 after a clean shutdown; 2 invalid input (the scenario, a flag, a port in use, a record path
 * that cannot be written).
 */
import type { Argv } from 'yargs';
import { EXIT_OK, UserError } from '../core/errors.js';
import { openAtomic } from '../core/output/atomic-file.js';
import type { Command, Io } from './command.js';
import { parseGpuOption } from './gpu-flag.js';
import { numberFlag } from './number-flag.js';
import { scenarioInputs } from './scenario-inputs.js';

interface GatewayArgs {
  file: string;
  port?: string | number;
  host?: string;
  record?: string;
  grace?: string;
  gpu?: string;
}

export const command: Command<GatewayArgs> = {
  command: 'gateway <file>',
  describe: "serve OpenAI-compatible HTTP, routed by the scenario's router to its models",
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the scenario file (YAML)' })
      .option('port', { type: 'string', describe: 'port to listen on, 0..65535 (default 8080; 0: any free)' })
      .option('host', { type: 'string', describe: 'address to listen on (default 127.0.0.1)' })
      .option('record', { type: 'string', describe: 'write the served requests as a native trace (JSONL)' })
      .option('grace', { type: 'string', describe: 'shutdown grace for requests in flight (default 10s)' })
      .option('gpu', { type: 'string', describe: 'override every gguf model gpu: auto|cuda|vulkan|false' }),
  run: gatewayCommand,
};

/** Why the server could not listen, as a user can act on it. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use (--port 0 picks a free one)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'no such address on this machine',
  ENOTFOUND: 'unknown host',
};

async function gatewayCommand(argv: GatewayArgs, io: Io): Promise<number> {
  const port = numberFlag('--port', argv.port, 'integer') ?? 8080;
  if (port < 0 || port > 65535)
    throw new UserError(`--port must be an integer in 0..65535, got '${argv.port}'`);
  const gpu = parseGpuOption(argv.gpu);
  const { parseDuration } = await import('../scenario/durations.js');
  let grace = 10_000;
  if (argv.grace !== undefined) {
    const g = parseDuration(argv.grace);
    if (!g.ok || !(g.value >= 0))
      throw new UserError(`--grace must be a duration >= 0 (e.g. 5s, 500ms), got '${argv.grace}'`);
    grace = g.value;
  }
  const { loadScenarioFile, scenarioIssuesToUserError } = await import('../scenario/load.js');
  const loaded = loadScenarioFile(argv.file, { serving: true });
  if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
  const scenario = loaded.scenario;
  const inputs = scenarioInputs(scenario);
  if (argv.record !== undefined) openAtomic(argv.record, { label: '--record', inputs }).abort();
  const { startGateway } = await import('../gateway/server.js');
  let gw: Awaited<ReturnType<typeof startGateway>>;
  try {
    gw = await startGateway(scenario, {
      port,
      host: argv.host ?? '127.0.0.1',
      ...(argv.record !== undefined ? { record: argv.record, inputs } : {}),
      ...(gpu !== undefined ? { gpu } : {}),
      onLog: (line) => io.stderr(`gateway: ${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === undefined ? undefined : LISTEN_ERRORS[code];
    if (why) throw new UserError(`cannot listen on ${argv.host ?? '127.0.0.1'}:${port}: ${why} (${code})`);
    throw err;
  }
  io.stderr(`gateway: ${scenario.name}: ${scenario.models.length} models, listening on ${gw.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  io.stderr('gateway: shutting down\n');
  // A second signal (a supervisor repeating it, a second Ctrl-C) must not kill the process before the
  // record is written: it is noted and the shutdown goes on (SIGKILL still ends it at once).
  const again = () => io.stderr('gateway: already shutting down; in flight requests get the grace period\n');
  process.on('SIGTERM', again);
  process.on('SIGINT', again);
  try {
    await gw.close(grace);
  } finally {
    process.off('SIGTERM', again);
    process.off('SIGINT', again);
  }
  if (argv.record !== undefined) io.stderr(`gateway: wrote ${argv.record}\n`);
  return EXIT_OK;
}
