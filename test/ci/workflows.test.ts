import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}
interface Job {
  readonly if?: string;
  readonly needs?: string;
  readonly permissions?: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

/** What .ci/run does: the environment it exports and the commands it runs, in order. */
function ciRun(): { env: Record<string, string>; commands: string[] } {
  const env: Record<string, string> = {};
  const commands: string[] = [];
  for (const line of read('.ci/run')
    .split('\n')
    .map((text) => text.trim())) {
    if (!line || line.startsWith('#') || line.startsWith('set ') || line.startsWith('cd ')) continue;
    const exported = /^export (\w+)=(.*)$/.exec(line);
    if (exported) env[exported[1]] = exported[2];
    else commands.push(line);
  }
  return { env, commands };
}

describe('the GitHub Actions workflow', () => {
  const text = read('.github/workflows/ci.yml');
  const workflow = parse(text) as Workflow;
  const { test: testJob, diff } = workflow.jobs;

  test('runs on every pull request and on pushes to main', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toEqual({ branches: ['main'] });
  });

  test('runs exactly what .ci/run runs, in the same order, with the same environment, on Node.js 20', () => {
    const { env, commands } = ciRun();
    expect(commands).toEqual([
      'node --version',
      'npm --version',
      'npm ci --no-audit --no-fund',
      'npm test',
      'npm run synth',
      'npm run report',
    ]);
    expect(testJob.steps.filter((step) => step.run).map((step) => step.run!.trim())).toEqual(commands);
    expect(testJob.env).toEqual(env);
    expect(testJob.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with).toEqual({ 'node-version': 20 });
  });

  test('never depends on npm audit, whose advisory service CI may not reach', () => {
    expect(text).not.toMatch(/npm audit/);
    expect(read('.ci/run')).toMatch(/npm ci --no-audit/);
  });

  test('reads the repository and nothing more, except the diff job, which alone gets an OIDC token', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(testJob.permissions).toBeUndefined();
    expect(diff.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'write' });
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect({ job: name, idToken: job.permissions?.['id-token'] }).toEqual({ job: name, idToken: name === 'diff' ? 'write' : undefined });
    }
  });

  test('posts cdk diff only with a configured role, only for pull requests from this repository, with no stored key', () => {
    expect(diff.if).toContain("github.event_name == 'pull_request'");
    expect(diff.if).toContain("vars.AWS_DIFF_ROLE_ARN != ''");
    expect(diff.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(diff.needs).toBe('test');
    const credentials = diff.steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(credentials?.with?.['role-to-assume']).toBe('${{ vars.AWS_DIFF_ROLE_ARN }}');
    expect(Object.keys(credentials?.with ?? {})).not.toContain('aws-access-key-id');
    expect(text).not.toMatch(/secrets\./);
    expect(diff.steps.map((step) => step.run ?? '').join('\n')).toMatch(/npx cdk diff '\*\*'[\s\S]*gh pr comment/);
  });

  test('pins every action to a full commit SHA, with the version beside it', () => {
    const uses = [...text.matchAll(/uses: (\S+)(.*)$/gm)];
    expect(uses.length).toBeGreaterThan(0);
    for (const [, action, comment] of uses) {
      expect({ action, pinned: /@[0-9a-f]{40}$/.test(action), version: /# v\d/.test(comment) }).toEqual({
        action,
        pinned: true,
        version: true,
      });
    }
    for (const job of Object.values(workflow.jobs)) {
      expect(job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'persist-credentials': false });
    }
  });
});

describe('the Dependabot configuration', () => {
  const config = parse(read('.github/dependabot.yml')) as {
    updates: { 'package-ecosystem': string; schedule: { interval: string }; groups?: Record<string, { patterns: string[] }> }[];
  };
  const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm')!;
  const matches = (name: string, pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);
  const groupOf = (name: string) =>
    Object.entries(npm.groups ?? {}).find(([, group]) => group.patterns.some((pattern) => matches(name, pattern)))?.[0];

  test('proposes updates monthly, for npm, the workflow’s actions and the rotation image', () => {
    expect(config.updates.map((update) => [update['package-ecosystem'], update.schedule.interval])).toEqual([
      ['npm', 'monthly'],
      ['github-actions', 'monthly'],
      ['docker', 'monthly'],
    ]);
  });

  test('groups every CDK, cdk8s and AWS SDK package of package.json in its own group', () => {
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const names = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)];
    const expected = (name: string) =>
      /^(aws-cdk|aws-cdk-lib|constructs|cdk-nag|@cdklabs\/)/.test(name)
        ? 'aws-cdk'
        : /^(cdk8s|kubernetes-models|@kubernetes-models\/)/.test(name)
          ? 'cdk8s'
          : /^(@aws-sdk\/|aws-sdk-client-mock)/.test(name)
            ? 'aws-sdk'
            : undefined;
    const families = names.filter((name) => expected(name) !== undefined);
    expect(families.length).toBeGreaterThanOrEqual(12);
    for (const name of families) expect({ name, group: groupOf(name) }).toEqual({ name, group: expected(name) });
  });
});
