/**
 * Where a bench file's figures go: reports/bench/<NAME>.json (index.ts later adds the machine block to
 * each), and the load-average line printed under a table so a reader can judge how busy the machine was.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** The JSON file of bench `name`. */
export function resultsPath(name: string): string {
  return `reports/bench/${name}.json`;
}

/** Writes `body` to resultsPath(name) as indented JSON with a final newline, and says so. */
export function writeResults(name: string, body: object): void {
  mkdirSync('reports/bench', { recursive: true });
  writeFileSync(resultsPath(name), `${JSON.stringify(body, null, 2)}\n`);
  console.log(`wrote ${resultsPath(name)}`);
}

/** "load average during the run: 1.02 0.97 0.88 on 16 CPUs". */
export function loadLine(): string {
  return `load average during the run: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} on ${cpus().length} CPUs`;
}
