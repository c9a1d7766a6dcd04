import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeConfigVariant } from './harness/config-files';

const ROOT = path.join(__dirname, '..');

/** Runs a TypeScript entry point the way package.json and cdk.json do. */
function run(entryPoint: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', entryPoint], {
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

test('the cdk8s app renders a named stage into <outdir>/<stage>/', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hzt-k8s-'));
  const result = run('k8s/main.ts', { CONFIG_FILE: path.join(ROOT, 'config', 'dev.yaml'), CDK8S_OUTDIR: outdir });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const files = fs.readdirSync(path.join(outdir, 'dev')).sort();
  // Charts that depend on each other are numbered in apply order; the baseline comes first.
  expect(files.slice(0, 9)).toEqual([
    '0000-namespace-baseline.yaml',
    '0001-mesh-ca.yaml',
    '0002-mesh-workloads.yaml',
    '0003-mesh-mtls.yaml',
    '0004-mesh-authorization.yaml',
    '0005-mesh-network-policies.yaml',
    '0006-mesh-egress.yaml',
    '0007-mesh-audit-logging.yaml',
    '0008-external-secrets.yaml',
  ]);
  expect(files.filter((file) => file.startsWith('00') && file.includes('gateway')).length).toBe(5);
  expect(fs.readdirSync(path.join(outdir, 'dev', 'helm')).sort()).toEqual([
    'gateway-log-shipper-values.yaml',
    'istiod-values.yaml',
    'kong-values.yaml',
  ]);
  // Helm parses YAML 1.1, where a bare off is the boolean false; Kong needs the string.
  const values = fs.readFileSync(path.join(outdir, 'dev', 'helm', 'kong-values.yaml'), 'utf8');
  expect(values).toContain('database: "off"');
  expect(values).toContain('headers: "off"');
  expect(values).toContain('real_ip_recursive: "on"');
});
