import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CliDependencies, runCli } from '../../../tools/rotate/cli';
import { FakeClock, events } from './fake-clock';
import { FakeSecretsManager } from './fake-secrets';

function cli(setUp: (aws: FakeSecretsManager) => void = () => undefined, extra: Partial<CliDependencies> = {}) {
  const clock = new FakeClock();
  const aws = new FakeSecretsManager(clock);
  setUp(aws);
  const out: string[] = [];
  const err: string[] = [];
  const deps: CliDependencies = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: { HYDRAULIC_ROTATE_ACTOR: 'system:serviceaccount:hydraulic-prod:secret-rotation' },
    now: clock.now,
    sleep: clock.sleep,
    secretsClient: () => aws.client,
    runId: 'run-1',
    ...extra,
  };
  return { run: (...argv: string[]) => runCli(argv, deps), out, err, aws };
}

const COMMAND_OPTIONS: Record<string, string[]> = {
  status: ['--prefix', '--tag', '--max-age-days', '--grace-days', '--region'],
  enforce: ['--prefix', '--tag', '--max-age-days', '--grace-days', '--region', '--timeout-minutes', '--deadline-minutes', '--now'],
  'mesh-ca': ['--namespace', '--certificate', '--root-certificate', '--istiod', '--rotation-age-days', '--timeout-minutes', '--kube-api'],
  restart: ['--namespace', '--secret-prefix', '--workload', '--timeout-minutes', '--sync-grace-minutes', '--region', '--kube-api'],
  'verify-log': ['[file]', '--anchor', '--allow-open'],
};

describe('--help', () => {
  test('lists every command and global option, the audit format, the hash chain and the exit codes', async () => {
    const { run, out } = cli();
    expect(await run('--help')).toBe(0);
    const help = out.join('');
    for (const command of Object.keys(COMMAND_OPTIONS)) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const option of ['--actor', '--audit-log', '--chain-anchor', '--quiet', '--version']) expect(help).toContain(option);
    expect(help).toMatch(/timestamp, event_type, user_id,\s+tenant_id \(null\), resource, action, ip_address \(null\), user_agent, result/);
    expect(help).toContain('hex(SHA-256(previous event_hash || RFC 8785 canonical JSON of the event without event_hash))');
    expect(help).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n(.*\n)? {2}2 .*\n {2}3 /);
  });

  test.each(Object.entries(COMMAND_OPTIONS))('%s --help documents each of its options', async (command, options) => {
    const { run, out } = cli();
    expect(await run(command, '--help')).toBe(0);
    for (const option of options) expect(out.join('')).toContain(option);
  });
});

describe('status', () => {
  test('prints the table on stderr, the audit events on stdout, and exits 1 when a secret is OVERDUE or FAILED', async () => {
    const { run, out, err } = cli((aws) => {
      aws.add('hydraulic/dev/jwt-signing-key', 3);
      aws.add('hydraulic/dev/redis-auth-token', 40);
      aws.add('hydraulic/dev/database-credentials', 2);
      aws.leavePending('hydraulic/dev/database-credentials', 'v9', 'hangs');
    });
    expect(await run('status', '--prefix', 'hydraulic/dev/', '--max-age-days', '30')).toBe(1);
    const table = err.join('');
    expect(table).toMatch(/\| Secret\s+\| Last rotated\s+\| Next rotation\s+\| Period\s+\| State\s+\| Notes/);
    expect(table).toMatch(/hydraulic\/dev\/jwt-signing-key\s+\| 2026-02-26 03:17Z\s+\| 2026-03-28 03:17Z\s+\| 30 d\s+\| OK/);
    expect(table).toMatch(/hydraulic\/dev\/redis-auth-token .*\| OVERDUE/);
    expect(table).toMatch(/hydraulic\/dev\/database-credentials .*\| FAILED .*v9 is staged AWSPENDING/);
    const logged = events(out.join('').trim().split('\n'));
    expect(logged.map((event) => event.event_type)).toEqual([
      'audit.log.opened',
      'secret.inventory.listed',
      'secret.rotation.checked',
      'secret.rotation.checked',
      'secret.rotation.checked',
      'audit.log.closed',
    ]);
    expect(logged[0].user_id).toBe('system:serviceaccount:hydraulic-prod:secret-rotation');
    expect(logged.at(-1).metadata).toMatchObject({ exit_code: 1, events: 6 });
  });

  test('exits 0 when every secret is OK or DUE', async () => {
    const { run } = cli((aws) => aws.add('hydraulic/dev/jwt-signing-key', 30.2));
    expect(await run('status', '--prefix', 'hydraulic/dev/')).toBe(0);
  });
});

describe('enforce', () => {
  test('exits 0 after rotating what was due, and writes only audit events with --quiet', async () => {
    const { run, out, err, aws } = cli((aws) => aws.add('hydraulic/dev/jwt-signing-key', 30.2));
    expect(await run('--quiet', 'enforce', '--prefix', 'hydraulic/dev/')).toBe(0);
    expect(aws.rotateCalls).toEqual(['hydraulic/dev/jwt-signing-key']);
    expect(err).toEqual([]);
    expect(
      out
        .join('')
        .trim()
        .split('\n')
        .every((line) => JSON.parse(line).event_hash),
    ).toBe(true);
  });

  test('--now rotates a secret that is not due', async () => {
    const { run, aws } = cli((aws) => aws.add('hydraulic/dev/jwt-signing-key', 1));
    expect(await run('--quiet', 'enforce', '--prefix', 'hydraulic/dev/jwt-signing-key', '--now')).toBe(0);
    expect(aws.rotateCalls).toEqual(['hydraulic/dev/jwt-signing-key']);
  });

  test('exits 1 when a rotation fails', async () => {
    const { run } = cli((aws) => aws.add('hydraulic/dev/jwt-signing-key', 30.2, { behaviour: 'hangs' }));
    expect(await run('enforce', '--prefix', 'hydraulic/dev/', '--timeout-minutes', '1')).toBe(1);
  });

  test('exits 3 with a tool.error event when the credentials are missing', async () => {
    const { run, out, err } = cli((aws) =>
      aws.mock
        .onAnyCommand()
        .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' })),
    );
    expect(await run('enforce', '--prefix', 'hydraulic/dev/')).toBe(3);
    const logged = events(out.join('').trim().split('\n'));
    expect(logged.at(-2)).toMatchObject({ event_type: 'tool.error', result: 'failure', metadata: { kind: 'credentials' } });
    expect(err.join('')).toMatch(/No AWS credentials found/);
  });
});

describe('usage errors exit 2', () => {
  test.each([
    [['enforce', '--max-age-days', '0']],
    [['status', '--tag', 'no-equals-sign']],
    [['restart', '--namespace', 'x', '--secret-prefix', 'p/', '--workload', 'Bad_Name=x']],
    [['rotate-everything']],
    [['--chain-anchor', 'abc', 'status', '--prefix', 'p/']],
  ])('%p', async (argv) => {
    const { run, err } = cli();
    expect(await run(...argv)).toBe(2);
    expect(err.join('')).toMatch(/error|must/i);
  });
});

describe('verify-log', () => {
  async function logFile(edit: (lines: string[]) => string[] = (lines) => lines): Promise<string> {
    const { run, out } = cli((aws) => aws.add('hydraulic/dev/jwt-signing-key', 3));
    await run('status', '--prefix', 'hydraulic/dev/');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')), 'audit.jsonl');
    fs.writeFileSync(file, `${edit(out.join('').trim().split('\n')).join('\n')}\n`);
    return file;
  }

  test('says OK for an untouched log', async () => {
    const { run, out } = cli();
    expect(await run('verify-log', await logFile())).toBe(0);
    expect(out.join('')).toMatch(/^OK: 4 events in 1 run\(s\); last event_hash [a-f0-9]{64}/);
  });

  test('exits 1 naming the edited line', async () => {
    const { run, out } = cli();
    const file = await logFile((lines) => lines.map((line, index) => (index === 2 ? line.replace('"state":"OK"', '"state":"DUE"') : line)));
    expect(await run('verify-log', file)).toBe(1);
    expect(out.join('')).toMatch(/^BROKEN at line 3: .*edited/);
  });

  test('reads standard input', async () => {
    const file = await logFile((lines) => lines.filter((_, index) => index !== 1));
    const { run, out } = cli(undefined, { readStdin: async () => fs.readFileSync(file, 'utf8') });
    expect(await run('verify-log')).toBe(1);
    expect(out.join('')).toMatch(/^BROKEN at line 2: .*deleted/);
  });
});
