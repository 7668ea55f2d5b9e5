/**
 * `routesim calibrate MODEL.gguf [--out PROFILE.json] [--gpu auto|cuda|vulkan|false] [--max-seqs N]
 * [--repeats N] [--prompt-lengths 16,64,...] [--decode-tokens N] [--threads N] [--json]`: measure prefill
 * time against prompt length and decode step time against concurrent sequences on the real model, fit the
 * simulator's `profile` latency model, print the fit and its error, and write the profile that a scenario's
 * `latency: { profile: FILE }` uses (default: MODEL.profile.json beside the model, where discovery finds it).
 * `routesim calibrate --url URL [--api-model NAME] [--api chat|completions] [--api-key-env VAR]` does the
 * same against an OpenAI-compatible endpoint (default --out: NAME.profile.json in the current folder).
 * `routesim calibrate --benchmark DIR...`: see calibrate-benchmark.ts.
 */
import type { Argv } from 'yargs';
import type { ProfileFile } from '../backends/gguf/profile.js';
import { UserError } from '../core/errors.js';
import { OPENAI_APIS } from '../core/types.js';
import type { Command } from './command.js';
import { parseGpu } from './gpu-flag.js';
import { safeName } from './safe-name.js';

interface CalibrateArgs {
  model?: string;
  url?: string;
  'api-model'?: string;
  api: string;
  'api-key-env'?: string;
  benchmark?: string[];
  'per-model'?: boolean;
  'exclude-overloaded'?: boolean;
  models?: string;
  window?: number;
  'max-evals'?: number;
  'refine-evals'?: number;
  fit?: string;
  out?: string;
  gpu: string;
  'max-seqs'?: number;
  repeats?: number;
  'prompt-lengths'?: string;
  'decode-tokens'?: number;
  threads?: number;
  json?: boolean;
}

function parseLengths(text: string): number[] {
  const out = text.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new UserError(
      `--prompt-lengths must be a comma-separated list of positive integers, got '${text}'`,
    );
  }
  return out;
}

const f = (x: number, d = 3) => x.toFixed(d);

/** --url's flags: the API, the model name and the key (read from the variable --api-key-env names). */
function urlTarget(argv: CalibrateArgs, url: string) {
  const api = OPENAI_APIS.find((a) => a === argv.api);
  if (api === undefined) throw new UserError(`--api must be ${OPENAI_APIS.join(' or ')}, got '${argv.api}'`);
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UserError(
      `--url must be an http:// or https:// base URL, e.g. http://127.0.0.1:8000/v1, got '${url}'`,
    );
  }
  const name = argv['api-key-env'];
  const key = name === undefined ? null : process.env[name];
  if (key === undefined || key === '')
    throw new UserError(`--api-key-env ${name}: the environment variable ${name} is not set (or empty)`);
  return { api, api_key: key, ...(argv['api-model'] !== undefined ? { api_model: argv['api-model'] } : {}) };
}

export const command: Command<CalibrateArgs> = {
  command: 'calibrate [model]',
  describe:
    'measure a GGUF model or an OpenAI-compatible endpoint and fit the latency profile the simulator uses, or (--benchmark) fit the vLLM engine coefficients to measured runs',
  builder: (y: Argv) =>
    y
      .positional('model', { type: 'string', describe: 'the .gguf model file (or --url, or --benchmark)' })
      .option('url', {
        type: 'string',
        describe:
          'measure an OpenAI-compatible endpoint instead: its base URL, e.g. http://127.0.0.1:8000/v1',
      })
      .option('api-model', {
        type: 'string',
        describe: 'with --url: the model name to send (default: the first at GET /models)',
      })
      .option('api', { type: 'string', default: 'chat', describe: 'with --url: chat | completions' })
      .option('api-key-env', {
        type: 'string',
        describe: 'with --url: name of the environment variable holding the API key',
      })
      .option('benchmark', {
        type: 'string',
        array: true,
        describe: 'measured inference-perf experiment folders (or folders of them) to fit to',
      })
      .option('per-model', {
        type: 'boolean',
        default: false,
        describe: '--benchmark: also fit one set per model',
      })
      .option('exclude-overloaded', {
        type: 'boolean',
        default: false,
        describe: '--benchmark: leave overloaded runs out of the fit (they are still predicted)',
      })
      .option('models', {
        type: 'string',
        describe: '--benchmark: folder of <model>/config.json (default: models/ beside the experiments)',
      })
      .option('window', {
        type: 'number',
        describe: '--benchmark: seconds of each stage simulated while fitting (default 120)',
      })
      .option('fit', {
        type: 'string',
        describe:
          '--benchmark: the coefficients to fit, comma-separated (default all; the rest keep the physics defaults)',
      })
      .option('max-evals', {
        type: 'number',
        describe: '--benchmark: most evaluations per fit (default 200)',
      })
      .option('refine-evals', {
        type: 'number',
        describe:
          '--benchmark: evaluations refining the step-time coefficients on whole stages after the windowed fit (default 60; 0 = none)',
      })
      .option('out', { type: 'string', describe: 'profile file to write (default MODEL.profile.json)' })
      .option('gpu', {
        type: 'string',
        default: 'auto',
        describe:
          'auto | cuda | vulkan | false; --benchmark: the GPU spec (built-in name or JSON; auto = the hardware/*.json beside)',
      })
      .option('max-seqs', {
        type: 'number',
        describe: 'decode fit over 1..N concurrent sequences (default 4)',
      })
      .option('repeats', { type: 'number', describe: 'runs per point; the median is used (default 5)' })
      .option('prompt-lengths', {
        type: 'string',
        describe: 'prefill fit prompt lengths (default 16,64,128,256,512)',
      })
      .option('decode-tokens', { type: 'number', describe: 'tokens per decode measurement (default 32)' })
      .option('threads', {
        type: 'number',
        describe: 'CPU threads for llama.cpp (default: all cores but one on CPU)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the profile as JSON',
      }) as Argv<CalibrateArgs>,
  run: async (argv, io) => {
    if (argv.benchmark !== undefined) {
      if (argv.model !== undefined || argv.url !== undefined)
        throw new UserError('give a MODEL.gguf, --url URL or --benchmark DIR..., one of them');
      const { benchmarkCalibrate } = await import('./calibrate-benchmark.js');
      return benchmarkCalibrate(
        { ...argv, benchmark: argv.benchmark, ...(argv.gpu === 'auto' ? { gpu: undefined } : {}) },
        io,
      );
    }
    const { CALIBRATE_DEFAULTS } = await import('../backends/gguf/calibrate.js');
    const { profilePathFor, writeProfile } = await import('../backends/gguf/profile.js');
    const { refuseInputs, requireOutPath } = await import('../core/output/paths.js');
    const { model, url } = argv;
    if ((model === undefined) === (url === undefined))
      throw new UserError(
        'calibrate needs a .gguf model file, --url URL or --benchmark DIR... (one of them)',
      );
    const common = {
      ...CALIBRATE_DEFAULTS,
      ...(argv['max-seqs'] !== undefined ? { max_seqs: argv['max-seqs'] } : {}),
      ...(argv.repeats !== undefined ? { repeats: argv.repeats } : {}),
      ...(argv['prompt-lengths'] !== undefined
        ? { prompt_lengths: parseLengths(argv['prompt-lengths']) }
        : {}),
      ...(argv['decode-tokens'] !== undefined ? { decode_tokens: argv['decode-tokens'] } : {}),
      onProgress: (line: string) => io.stderr(`${line}\n`),
    };
    let profile: ProfileFile;
    let out: string;
    if (url !== undefined) {
      const target = urlTarget(argv, url);
      if (argv.out !== undefined) requireOutPath(argv.out, '--out');
      const { calibrateUrl } = await import('../backends/openai/calibrate.js');
      profile = await calibrateUrl(url, { ...common, ...target });
      out = argv.out ?? `${safeName(profile.model)}.profile.json`;
      writeProfile(out, profile, { label: '--out', inputs: [] });
    } else {
      const m = model!;
      out = argv.out ?? profilePathFor(m);
      // Checked before minutes of measuring, and again by the write itself.
      requireOutPath(out, '--out');
      refuseInputs(out, [m], '--out');
      const { calibrate } = await import('../backends/gguf/calibrate.js');
      profile = await calibrate(m, {
        ...common,
        gpu: parseGpu(argv.gpu),
        ...(argv.threads !== undefined ? { threads: argv.threads } : {}),
      });
      writeProfile(out, profile, { label: '--out', inputs: [m] });
    }
    if (argv.json) {
      io.stdout(`${JSON.stringify(profile, null, 2)}\n`);
      return 0;
    }
    const p = profile.fit.prefill;
    const d = profile.fit.decode;
    io.stdout(`model ${profile.model} on ${profile.device}\n`);
    io.stdout(
      `prefill     = ${f(profile.prefill_base_ms)} ms + ${f(profile.prefill_ms_per_token, 4)} ms × prompt tokens` +
        `   R² ${f(p.r2, 4)}  MAPE ${f(p.mape_pct, 1)}% (max ${f(p.max_ape_pct, 1)}%)\n`,
    );
    io.stdout(
      `decode step = ${f(profile.decode_base_ms)} ms + ${f(profile.decode_per_seq_ms, 4)} ms × running` +
        `   R² ${f(d.r2, 4)}  MAPE ${f(d.mape_pct, 1)}% (max ${f(d.max_ape_pct, 1)}%)\n`,
    );
    io.stdout('kind     x     measured ms   fitted ms   error\n');
    for (const pt of profile.points) {
      io.stdout(
        `${pt.kind.padEnd(8)} ${String(pt.x).padStart(4)}  ${f(pt.ms).padStart(11)}  ${f(pt.fit_ms).padStart(10)}  ${f(pt.ape_pct, 1).padStart(5)}%\n`,
      );
    }
    io.stdout(`wrote ${out}\n`);
    return 0;
  },
};
