import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageConfigSchema } from '../lib/config';
import { BAD_CONFIG_CASES, type BadConfigCase } from './config/bad-config-cases';
import { writeConfigVariant } from './harness/config-files';

const ROOT = path.join(__dirname, '..');

/** Runs a TypeScript entry point the way package.json and cdk.json do. */
function run(entryPoint: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', entryPoint], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

/** Every file below a folder with its modification time, to prove nothing was written. */
function snapshotOf(dir: string): Record<string, number> {
  if (!fs.existsSync(dir)) return {};
  const entries: Record<string, number> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) entries[name] = fs.statSync(path.join(dir, name)).mtimeMs;
  return entries;
}

describe('a bad configuration file through the real entry points', () => {
  const badFile = writeConfigVariant((data) => (data.session.maxLifetimeSeconds = 7200));

  test.each([
    ['the CDK app', 'bin/app.ts'],
    ['the cdk8s app', 'k8s/main.ts'],
    ['npm run synth', 'bin/synth.ts'],
  ])('%s exits 1 with the file, field and allowed range, no stack trace, and writes nothing', (_name, entryPoint) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-out-'));
    const before = [snapshotOf(path.join(ROOT, 'cdk.out')), snapshotOf(path.join(ROOT, 'k8s', 'dist'))];

    const result = run(entryPoint, { CONFIG_FILE: badFile, CDK_OUTDIR: outdir, CDK8S_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Invalid configuration in ${badFile}`);
    expect(result.stderr).toContain('session.maxLifetimeSeconds');
    expect(result.stderr).toContain('got 7200; must be at most 3600 seconds');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.readdirSync(outdir)).toEqual([]);
    expect([snapshotOf(path.join(ROOT, 'cdk.out')), snapshotOf(path.join(ROOT, 'k8s', 'dist'))]).toEqual(before);
  });
});

/** `npm run synth`'s command from package.json, with `node` as this Node.js. */
function synthCommand(): string[] {
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { synth: string } }).scripts.synth;
  const [program, ...args] = script.trim().split(/\s+/);
  return [program === 'node' ? process.execPath : program, ...args];
}

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly milliseconds: number;
  /** Files the run left in its output folders. */
  readonly written: string[];
}

/** Runs `npm run synth`'s command on one configuration file, with fresh output folders. */
function synthesize(configFile: string, extraArgs: readonly string[] = []): Promise<Run> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-out-'));
  const [program, ...args] = synthCommand();
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...extraArgs, ...args], {
      cwd: ROOT,
      env: { ...process.env, CONFIG_FILE: configFile, CDK_OUTDIR: path.join(outdir, 'cdk.out'), CDK8S_OUTDIR: path.join(outdir, 'k8s') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, stderr, milliseconds: Date.now() - started, written: fs.readdirSync(outdir, { recursive: true }) as string[] }),
    );
  });
}

/** Runs tasks with at most `limit` at a time (the test machine has two cores, shared with jest's other worker). */
async function inBatches<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The schema section a case is about (`dataStores` for `dataStores.cache.port`). */
const sectionOf = (fieldPath: string) => fieldPath.split(/[.[]/)[0];

/** How many cases run through `npm run synth`: at least 30, each costing a Node.js start. */
const CORPUS_SIZE = 32;

/**
 * One case for every schema section (and the unknown-section case), then second cases of the
 * sections in schema order until {@link CORPUS_SIZE}.
 */
function corpus(): BadConfigCase[] {
  const sections = Object.keys(stageConfigSchema.shape);
  const sectionOfCase = ([, , fieldPath]: BadConfigCase) => (sections.includes(sectionOf(fieldPath)) ? sectionOf(fieldPath) : '(unknown)');
  const chosen = new Set<BadConfigCase>();
  for (const round of [1, 2]) {
    for (const section of ['(unknown)', ...sections]) {
      const candidates = BAD_CONFIG_CASES.filter((candidate) => sectionOfCase(candidate) === section && !chosen.has(candidate));
      if (candidates.length > 0 && (round === 1 || chosen.size < CORPUS_SIZE)) chosen.add(candidates[0]);
    }
  }
  return BAD_CONFIG_CASES.filter((candidate) => chosen.has(candidate));
}

describe('the bad-configuration corpus through npm run synth', () => {
  const cases = corpus();
  const runs = new Map<string, Run & { file: string }>();

  beforeAll(async () => {
    const results = await inBatches(cases, 2, async ([name, change]) => {
      const file = writeConfigVariant(change);
      return [name, { ...(await synthesize(file)), file }] as const;
    });
    for (const [name, run] of results) runs.set(name, run);
  }, 120_000);

  test('has at least 30 cases and one for every section of the schema', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const covered = new Set(cases.map(([, , fieldPath]) => sectionOf(fieldPath)));
    expect(Object.keys(stageConfigSchema.shape).filter((section) => !covered.has(section))).toEqual([]);
  });

  test.each(cases)(
    '%s: exit 1, its field path and what is allowed, no stack trace, nothing written',
    (name, _change, fieldPath, allowed) => {
      const run = runs.get(name)!;
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`Invalid configuration in ${run.file}`);
      expect(run.stderr).toMatch(new RegExp(`^  - ${fieldPath.replace(/[.[\]]/g, '\\$&')}(?: \\(line \\d+\\))?: `, 'm'));
      expect(run.stderr).toMatch(allowed);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.written).toEqual([]);
    },
  );

  test('a refusal is quick: the renderers’ modules never load', async () => {
    const durations = [...runs.values()].map((run) => run.milliseconds).sort((a, b) => a - b);
    const median = durations[Math.floor(durations.length / 2)];
    // eslint-disable-next-line no-console
    console.log(
      `npm run synth on a bad file: median ${median} ms, slowest ${durations.at(-1)} ms over ${durations.length} runs (2 at a time)`,
    );
    // What a bad file loads, recorded by a hook in the same command: no stack, chart, rule pack or model.
    const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-trace-')), 'modules.json');
    const hook = path.join(path.dirname(trace), 'trace.js');
    fs.writeFileSync(
      hook,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(trace)}, JSON.stringify(Object.keys(require.cache))));`,
    );
    const run = await synthesize(
      writeConfigVariant((data) => (data.session.maxLifetimeSeconds = 7200)),
      ['--require', hook],
    );
    expect(run.status).toBe(1);
    const loaded = JSON.parse(fs.readFileSync(trace, 'utf8')) as string[];
    expect(loaded.length).toBeGreaterThan(10);
    // The config schema reads RDS's engine-version enum (aws-rds, which pulls in secretsmanager's
    // rotation list); nothing else of the CDK, and nothing of cdk8s, the rule packs or the models.
    const heavy =
      /node_modules\/(cdk-nag|cdk8s|kubernetes-models|@kubernetes-models|@cdklabs)\/|\/(lib\/stacks|lib\/constructs|lib\/compliance|k8s\/charts)\/|aws-cdk-lib\/aws-(?!rds\/|secretsmanager\/)/;
    expect(loaded.filter((file) => heavy.test(file))).toEqual([]);
  });
});
