import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import packageJson from '../../../package.json';

const ROOT = path.join(__dirname, '..', '..', '..');
const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'tools', 'rotate', 'Dockerfile'), 'utf8');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): { keyword: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** The instructions of each stage, with its FROM image resolved through the ARG defaults. */
function stages(text: string) {
  const all = instructions(text);
  const args = new Map(all.filter((i) => i.keyword === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=') as [string, string]));
  const result: { image: string; name?: string; body: { keyword: string; args: string }[] }[] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') {
      const [reference, , name] = instruction.args.split(/\s+/);
      const image = reference.replace(/^\$\{(\w+)\}$/, (_, arg: string) => args.get(arg) ?? `unset:${arg}`);
      result.push({ image, name, body: [] });
    } else if (result.length > 0) {
      result.at(-1)!.body.push(instruction);
    }
  }
  return result;
}

describe('the rotation tool’s Dockerfile', () => {
  const [build, runtime, ...more] = stages(DOCKERFILE);

  test('is multi-stage: a build stage, then a runtime stage', () => {
    expect(more).toEqual([]);
    expect(build.name).toBe('build');
    expect(runtime.name).toBeUndefined();
  });

  test('names every base image with an explicit tag, never latest', () => {
    for (const { image } of [build, runtime]) {
      expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[a-f0-9]{64})?$/);
      expect(image).not.toMatch(/:latest(@|$)/);
    }
  });

  test('runs on a distroless Node.js image as a numeric non-root user', () => {
    expect(runtime.image).toMatch(/^gcr\.io\/distroless\/nodejs\d+-debian\d+:nonroot/);
    const users = runtime.body.filter((i) => i.keyword === 'USER');
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0].args.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
  });

  test('the runtime stage holds only the bundle: no RUN, no ADD, files copied from the build stage only', () => {
    expect(runtime.body.filter((i) => ['RUN', 'ADD'].includes(i.keyword))).toEqual([]);
    for (const copy of runtime.body.filter((i) => i.keyword === 'COPY')) expect(copy.args).toMatch(/--from=build .*\/src\/dist\/rotate\//);
    expect(runtime.body.find((i) => i.keyword === 'ENTRYPOINT')?.args).toContain('/app/hydraulic-rotate.cjs');
  });

  test('the build stage installs from the lock file without install scripts and runs the bundle script', () => {
    const runs = build.body.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs).toEqual(['npm ci --ignore-scripts --no-audit --no-fund', 'npm run build:tool']);
    expect(packageJson.scripts['build:tool']).toContain('--outfile=dist/rotate/hydraulic-rotate.cjs');
  });

  test('the build context holds only what the build copies', () => {
    const ignore = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(ignore).toEqual(['*', '!package.json', '!package-lock.json', '!tsconfig.json', '!tools/']);
  });
});

describe('the bundle the image runs', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-bundle-'));
  const bundle = path.join(directory, 'hydraulic-rotate.cjs');
  const args = packageJson.scripts['build:tool']
    .split(/\s+/)
    .slice(1)
    .map((arg) => (arg.startsWith('--outfile=') ? `--outfile=${bundle}` : arg));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'esbuild'), args, { cwd: ROOT, stdio: 'pipe' });

  test('runs on its own, outside the repository (no node_modules, no TypeScript), and documents every command', () => {
    const result = spawnSync(process.execPath, [bundle, '--help'], { cwd: directory, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status).toBe(0);
    for (const command of ['status', 'enforce', 'mesh-ca', 'restart', 'verify-log']) expect(result.stdout).toContain(`  ${command} `);
    expect(fs.readFileSync(bundle, 'utf8')).not.toMatch(/require\("(tsx|typescript)"\)/);
  });

  test('reads the log from standard input, and exits 1 on a log that holds no event', () => {
    const ok = spawnSync(process.execPath, [bundle, 'verify-log'], { cwd: directory, encoding: 'utf8', input: '' });
    expect(ok.status).toBe(1);
    expect(ok.stdout).toMatch(/BROKEN at line 0: the log holds no event/);
  });
});

test('npx hydraulic-rotate runs the TypeScript source without a build step (package.json bin)', () => {
  expect(packageJson.bin).toEqual({ 'hydraulic-rotate': 'bin/hydraulic-rotate.js' });
  const result = spawnSync(process.execPath, [path.join(ROOT, packageJson.bin['hydraulic-rotate']), '--version'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(packageJson.version);
});
