/**
 * `routesim gguf synth OUT.gguf [--layers N --width N --context N --vocab N --heads N --heads-kv N --ff N
 * --seed N --type f32|f16]`: write a loadable llama-architecture GGUF model with seeded random weights,
 * so tests, demos and CI have real models without downloading any (src/backends/gguf/synth.ts).
 */
import type { Argv } from 'yargs';
import { UserError } from '../core/errors.js';
import { formatCount, num } from '../core/format.js';
import type { Command } from './command.js';

/** The largest model synth writes: its weights are made in memory, a tensor at a time (and for tests). */
const MAX_SYNTH_BYTES = 2 * 2 ** 30;

interface SynthArgs {
  out: string;
  layers?: number;
  width?: number;
  context?: number;
  vocab?: number;
  heads?: number;
  'heads-kv'?: number;
  ff?: number;
  seed?: number;
  type?: string;
  arch?: string;
  json?: boolean;
}

const synth: Command<SynthArgs> = {
  command: 'synth <out>',
  describe: 'write a small llama GGUF model with random weights (a few hundred KB to tens of MB)',
  builder: (y: Argv) =>
    y
      .positional('out', { type: 'string', demandOption: true, describe: 'the .gguf file to write' })
      .option('layers', { type: 'number', describe: 'transformer blocks (default 2)' })
      .option('width', { type: 'number', describe: 'embedding width (default 64)' })
      .option('context', { type: 'number', describe: 'trained context length (default 2048)' })
      .option('vocab', { type: 'number', describe: 'vocabulary size, >= 259 (default 512)' })
      .option('heads', { type: 'number', describe: 'attention heads (default 4)' })
      .option('heads-kv', { type: 'number', describe: 'key/value heads (default: --heads)' })
      .option('ff', {
        type: 'number',
        describe: 'feed-forward width (default 8/3 × width, rounded up to 32)',
      })
      .option('seed', { type: 'number', describe: 'weights seed (default 42)' })
      .option('type', { type: 'string', choices: ['f32', 'f16'], describe: 'weight type (default f32)' })
      .option('arch', {
        type: 'string',
        describe: 'general.architecture (default llama; others make unloadable files, for tests)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the result as JSON',
      }) as Argv<SynthArgs>,
  run: async (argv, io) => {
    const { llamaTensors, resolveSynthOptions, synthesizeGguf } = await import('../backends/gguf/synth.js');
    const { tensorBytes } = await import('../backends/gguf/gguf-writer.js');
    const options = {
      layers: argv.layers,
      width: argv.width,
      context: argv.context,
      vocab: argv.vocab,
      heads: argv.heads,
      heads_kv: argv['heads-kv'],
      ff: argv.ff,
      seed: argv.seed,
      type: argv.type as 'f32' | 'f16' | undefined,
      architecture: argv.arch,
    };
    // Checked before anything is allocated: --width 100000 once died in a typed array, exit 3.
    const size = llamaTensors(resolveSynthOptions(options)).reduce((n, t) => n + tensorBytes(t), 0);
    if (size > MAX_SYNTH_BYTES)
      throw new UserError(
        `bad synth options: the model would be ${num(size / 2 ** 30)} GiB of weights; gguf synth writes at most ${MAX_SYNTH_BYTES / 2 ** 30} GiB (lower --width, --layers, --vocab or --ff)`,
      );
    const r = synthesizeGguf(argv.out, options, { label: 'output' });
    if (argv.json) {
      io.stdout(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    const o = r.options;
    io.stdout(
      `wrote ${r.path}: ${o.architecture}, ${o.layers} layers, width ${o.width}, ${o.heads} heads, ff ${o.ff}, ` +
        `vocab ${o.vocab}, context ${o.context}, ${o.type}; ${formatCount(r.parameters)} parameters, ` +
        `${formatCount(r.bytes / 1024)} KiB\n`,
    );
    return 0;
  },
};

export const command: Command = {
  command: 'gguf <command>',
  describe: 'GGUF model tools (synth: make a test model)',
  builder: (y: Argv) => y.demandCommand(1, 'Name a subcommand: synth'),
  subcommands: [synth],
};
