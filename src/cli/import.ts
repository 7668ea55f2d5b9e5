/**
 * `routesim import inference-perf EXPERIMENT_DIR --out FILE.yaml [--models DIR] [--gpu G]
 * [--coefficients NAME|FILE|none]`: write the scenario that replays a measured inference-perf experiment (one vLLM
 * engine model from exp-config.yaml, the profile's traffic), ready for more models, strategies and events.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Command } from './command.js';
import { checkGpuSpecFlag } from './gpu-spec-flag.js';
import { scenarioInputs } from './scenario-inputs.js';

interface ImportArgs {
  dir: string;
  out: string;
  models?: string;
  gpu?: string;
  coefficients?: string;
}

const inferencePerf: Command<ImportArgs> = {
  command: 'inference-perf <dir>',
  describe: 'write the scenario of a measured inference-perf experiment folder',
  builder: (y: Argv) =>
    y
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'the experiment folder (exp-config.yaml, profile.yaml, *_lifecycle_metrics.json)',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'the scenario file to write (.yaml)' })
      .option('models', {
        type: 'string',
        describe: 'folder of <model name>/config.json (default: models/ beside the experiments folder)',
      })
      .option('gpu', {
        type: 'string',
        describe: 'built-in GPU or datasheet JSON (default: the hardware/*.json beside, else h100-sxm)',
      })
      .option('coefficients', {
        type: 'string',
        describe:
          'a shipped profile (h100-vllm), a coefficients file from `calibrate --benchmark`, or none for the physics defaults (default: the shipped profile fitted on the GPU, if any)',
      }) as Argv<ImportArgs>,
  run: async (argv, io) => {
    const { readExperiment } = await import('../experiments/benchmark/measured.js');
    const { chosenCoefficients, importScenarioText } = await import('../experiments/benchmark/import.js');
    const { writeFileAtomic } = await import('../core/output/atomic-file.js');
    const exp = readExperiment(argv.dir);
    if (argv.gpu !== undefined) await checkGpuSpecFlag(argv.gpu);
    const coefficients = chosenCoefficients(exp, argv.coefficients, argv.gpu);
    const text = importScenarioText(exp, dirname(argv.out), {
      ...(argv.models !== undefined ? { models: argv.models } : {}),
      ...(argv.gpu !== undefined ? { gpu: argv.gpu } : {}),
      ...(coefficients !== undefined ? { coefficients } : {}),
    });
    // What the scenario reads, and every file of the experiment, are inputs: `--out DIR/exp-config.yaml`
    // once replaced the file it had just read. Loading the text also proves the file will load.
    const { loadScenario, scenarioIssuesToUserError } = await import('../scenario/load.js');
    const out = resolve(argv.out);
    const loaded = loadScenario(text, out);
    if (!loaded.ok) throw scenarioIssuesToUserError(loaded.issues);
    const read = scenarioInputs({ ...loaded.scenario, file: '' }); // all but the file being written
    const inputs = [...readdirSync(exp.dir).map((f) => join(exp.dir, f)), ...read];
    writeFileAtomic(argv.out, text, { label: '--out', inputs });
    io.stdout(`wrote ${argv.out} (${exp.server.model}, ${exp.profile.load.stages.length} stages)\n`);
    return 0;
  },
};

export const command: Command = {
  command: 'import <command>',
  describe: 'write a scenario from measured benchmark results',
  builder: (y: Argv) => y.demandCommand(1, 'Name a subcommand: inference-perf'),
  subcommands: [inferencePerf],
};
