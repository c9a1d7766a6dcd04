#!/usr/bin/env node
/**
 * `npm run bench`: the wall time of `npm run synth` (every stage, both renderers, into fresh
 * folders) against an empty CDK app's `cdk synth` on the same machine, several runs each,
 * interleaved so both see the same load. Prints every run, the medians and the ratio.
 *
 * BENCH_RUNS sets the number of runs of each (default 5).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runEntryPoint } from '../lib/entry-point';

const ROOT = path.join(__dirname, '..');
/** The ratio the project aims for: synthesizing everything at most 2.5 times an empty app's synth. */
const GOAL = 2.5;

interface Measured {
  readonly name: string;
  readonly command: readonly string[];
  /** Where the command writes, as environment variables, given a fresh folder. */
  readonly outputs?: (folder: string) => Record<string, string>;
  readonly times: number[];
  /** Whether the CDK CLI's exit 1 for an app without stacks counts as done. */
  readonly allowNoStacks?: boolean;
}

/** Runs a command once with fresh output folders; returns its wall time in seconds. */
function timeOnce(measured: Measured): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-bench-'));
  const [program, ...args] = measured.command.map((part) => part.replace('<out>', out));
  const started = process.hrtime.bigint();
  const result = spawnSync(program, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_DISABLE_VERSION_CHECK: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      ...measured.outputs?.(out),
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(out, { recursive: true, force: true });
  if (result.status !== 0 && !(measured.allowNoStacks && /This app contains no stacks/.test(result.stderr))) {
    throw new Error(`${measured.name} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

runEntryPoint(() => {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  if (!Number.isInteger(runs) || runs < 1)
    throw Object.assign(new Error(`BENCH_RUNS must be a whole number of at least 1; got ${process.env.BENCH_RUNS}`), {
      name: 'ValidationError',
    });
  const synthScript = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { synth: string } }).scripts
    .synth;
  const node = (command: string) => command.split(/\s+/).map((part) => (part === 'node' ? process.execPath : part));
  const cdkCli = [process.execPath, path.join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk')];
  const measured: Measured[] = [
    {
      name: 'npm run synth (every stage, both renderers)',
      command: node(synthScript),
      outputs: (folder) => ({ CDK_OUTDIR: path.join(folder, 'cdk.out'), CDK8S_OUTDIR: path.join(folder, 'k8s') }),
      times: [],
    },
    {
      name: 'empty CDK app, cdk synth',
      command: [...cdkCli, 'synth', '--quiet', '--app', 'node --import tsx bin/bench-empty-app.ts', '--output', '<out>/cdk.out'],
      allowNoStacks: true,
      times: [],
    },
    {
      name: 'one-resource CDK app, cdk synth',
      command: [
        ...cdkCli,
        'synth',
        '--quiet',
        '--app',
        'node --import tsx bin/bench-empty-app.ts --one-resource',
        '--output',
        '<out>/cdk.out',
      ],
      times: [],
    },
  ];
  // One unmeasured run of each warms the disk cache and tsx's transform cache.
  for (const entry of measured) timeOnce(entry);
  for (let run = 1; run <= runs; run++) {
    for (const entry of measured) entry.times.push(timeOnce(entry));
    process.stdout.write(
      `run ${run}/${runs}: ${measured.map((entry) => `${entry.name} ${(entry.times.at(-1) ?? 0).toFixed(2)} s`).join('; ')}\n`,
    );
  }
  const [synth, empty, oneResource] = measured.map((entry) => median(entry.times));
  const lines = measured.map(
    (entry) => `  ${entry.name.padEnd(44)} median ${median(entry.times).toFixed(2)} s (min ${Math.min(...entry.times).toFixed(2)} s)`,
  );
  const ratio = synth / empty;
  process.stdout.write(
    `\n${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}, Node.js ${process.version}, ${runs} runs each\n${lines.join('\n')}\n` +
      `  ratio npm run synth / empty app's cdk synth: ${ratio.toFixed(2)}x (goal at most ${GOAL}x: ${ratio <= GOAL ? 'met' : 'not met'}); ` +
      `against the one-resource app: ${(synth / oneResource).toFixed(2)}x\n`,
  );
});
