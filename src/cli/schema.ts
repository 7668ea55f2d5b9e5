/**
 * `routesim schema [--out FILE]`: the JSON Schema of scenario files, with a description on every key, for
 * editors (`# yaml-language-server: $schema=./scenario.schema.json` at the top of a scenario).
 * Prints it, or writes it to --out. Exit 0.
 */
import type { Argv } from 'yargs';
import type { Command } from './command.js';

interface SchemaArgs {
  out?: string;
}

export const command: Command<SchemaArgs> = {
  command: 'schema',
  describe: 'print the JSON Schema of scenario files (for editor completion)',
  builder: (y: Argv) => y.option('out', { type: 'string', describe: 'write it to this file instead' }),
  run: async (argv, io) => {
    const { scenarioJsonSchema } = await import('../scenario/json-schema.js');
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (argv.out !== undefined) {
      const { writeFileAtomic } = await import('../core/output/atomic-file.js');
      writeFileAtomic(argv.out, text, { label: '--out' });
      io.stdout(`wrote ${argv.out}\n`);
    } else io.stdout(text);
    return 0;
  },
};
