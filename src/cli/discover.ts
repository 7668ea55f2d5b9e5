/**
 * `routesim discover DIR|FILE [--json | --yaml]`: read every .gguf file's metadata (architecture, parameters,
 * quantization, context length, size) and print the models a scenario's `discover:` would add: a table, or
 * scenario-shaped entries (what goes under `models:`, paths relative to the current folder) as JSON, with
 * the metadata apart under `info`, or as a ready-to-paste YAML `models:` block.
 * Files that cannot be used are listed on stderr, each naming the file, and make the exit code 2.
 */
import { statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { UserError } from '../core/errors.js';
import type { Command } from './command.js';

interface DiscoverArgs {
  dir: string;
  json?: boolean;
  yaml?: boolean;
}

function human(n: number): string {
  const units = ['', 'K', 'M', 'B', 'T'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i++;
  }
  return `${n.toFixed(n < 10 && i > 0 ? 1 : 0)}${units[i]}`;
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const command: Command<DiscoverArgs> = {
  command: 'discover <dir>',
  describe: 'list the GGUF models in a folder (or one file) as registry entries',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'a folder of .gguf files, or one file',
      })
      .option('json', {
        type: 'boolean',
        describe: 'print { models: [scenario entries], info: { id: metadata }, problems } as JSON',
      })
      .option('yaml', {
        type: 'boolean',
        describe: 'print a `models:` block to paste into a scenario',
      })
      .conflicts('json', 'yaml') as Argv<DiscoverArgs>,
  run: async (argv, io) => {
    const { discoverGguf, inspectGguf, toModelSpec, toScenarioEntry } = await import(
      '../backends/gguf/discover.js'
    );
    let result: Awaited<ReturnType<typeof discoverGguf>>;
    let isFile = false;
    try {
      isFile = statSync(argv.dir).isFile();
    } catch {
      isFile = argv.dir.toLowerCase().endsWith('.gguf');
    }
    if (isFile) result = { models: [await inspectGguf(argv.dir)], problems: [] };
    else result = await discoverGguf(argv.dir);
    const entries = result.models.map((m) => ({ ...m, spec: toModelSpec(m) }));
    if (argv.json || argv.yaml) {
      const models = entries.map((e) => toScenarioEntry(e));
      if (argv.json) {
        const info = Object.fromEntries(
          entries.map(({ spec, id, ...meta }) => [
            id,
            { ...meta, profile: spec.latency.model === 'profile' },
          ]),
        );
        io.stdout(`${JSON.stringify({ models, info, problems: result.problems }, null, 2)}\n`);
      } else {
        const { modelsYaml } = await import('./models-yaml.js');
        const lines = [`# routesim discover ${argv.dir}: paths are relative to ${process.cwd()}`];
        for (const e of entries)
          lines.push(`# ${e.id}: ${e.architecture}, ${human(e.parameters)} parameters, ${e.quantization}`);
        io.stdout(`${lines.join('\n')}\n${modelsYaml(models)}`);
      }
    } else if (entries.length === 0) {
      io.stdout(`no usable .gguf models in ${argv.dir}\n`);
    } else {
      const rows = [['id', 'architecture', 'params', 'quant', 'context', 'size', 'profile', 'path']];
      for (const e of entries) {
        rows.push([
          e.id,
          e.architecture,
          human(e.parameters),
          e.quantization,
          e.context_length === null ? '?' : String(e.context_length),
          bytes(e.size_bytes),
          e.spec.latency.model === 'profile' ? 'yes' : 'no',
          e.path,
        ]);
      }
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
      for (const r of rows)
        io.stdout(
          `${r
            .map((cell, c) => cell.padEnd(widths[c]))
            .join('  ')
            .trimEnd()}\n`,
        );
    }
    if (result.problems.length > 0) {
      throw new UserError(
        `${result.problems.length} of ${result.problems.length + entries.length} .gguf files could not be used`,
        result.problems,
      );
    }
    return 0;
  },
};
