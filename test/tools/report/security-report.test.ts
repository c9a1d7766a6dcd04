import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controlTowerControls } from '../../../lib/compliance/control-tower';
import { createRulePacks } from '../../../lib/compliance/rule-packs';
import { loadStageConfig, loadStageConfigs, resolveConfigFiles } from '../../../lib/config';
import { renderArchitecture } from '../../../tools/docs/architecture';
import { DIAGRAM_STAGE, GENERATED_DOCS, renderArchitectureDoc } from '../../../tools/docs/generate';
import { checklistControlIds, checklistTestFiles } from '../../../tools/report/checklists';
import { runReportCli } from '../../../tools/report/cli';
import { CONTROLS } from '../../../tools/report/controls';
import { POST_PRODUCTION_CHECKLIST, PRE_PRODUCTION_CHECKLIST } from '../../../tools/report/design-document';
import { renderMarkdown } from '../../../tools/report/render-markdown';
import { ruleIdsOf } from '../../../tools/report/rule-packs';
import { buildSecurityReport, type SecurityReport } from '../../../tools/report/security-report';
import { synthesizeStage } from '../../../tools/synthesized/synthesize';
import type { SynthesizedStage } from '../../../tools/synthesized/synthesized-stage';
import { stageConfig } from '../../harness/cdk-app';
import { writeConfigVariant } from '../../harness/config-files';

const ROOT = path.join(__dirname, '..', '..', '..');

// Both stages (and one variant) are synthesized once, here, as `npm run synth` writes them (without
// re-running the rule packs, which the stack tests and app.test.ts check); the report and the
// architecture document are rendered from that output. They share this file so the suite
// synthesizes each stage once for both.
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'security-report-test-'));
const synthesized = new Map<string, SynthesizedStage>();
const reports = new Map<string, SecurityReport>();

function stage(name: string): SynthesizedStage {
  let found = synthesized.get(name);
  if (!found) {
    found = synthesizeStage(stageConfig(name), { validate: false, outdir: path.join(outdir, name) });
    synthesized.set(name, found);
  }
  return found;
}

function report(name: string): SecurityReport {
  let found = reports.get(name);
  if (!found) {
    found = buildSecurityReport(stage(name));
    reports.set(name, found);
  }
  return found;
}

function control(of: SecurityReport, id: string) {
  const found = of.controls.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`No control ${id}`);
  return found;
}

function values(of: SecurityReport, id: string): string[] {
  return control(of, id).evidence.map((evidence) => evidence.value);
}

/** A deep copy of a synthesized stage, changed by `mutate`, as a report fixture. */
function mutated(name: string, mutate: (copy: { stacks: any[]; manifests: any[]; validation: any[] }) => void): SynthesizedStage {
  const original = stage(name);
  const copy = JSON.parse(JSON.stringify({ stacks: original.stacks, manifests: original.manifests, validation: original.validation }));
  mutate(copy);
  return { ...original, ...copy };
}

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe.each(['dev', 'prod'])('the %s security report', (name) => {
  test('passes: every control met, acknowledged or shown, no rule-pack violation', () => {
    const { summary, controls } = report(name);
    expect(controls.filter((candidate) => candidate.status === 'not met').map((candidate) => candidate.id)).toEqual([]);
    expect(summary).toMatchObject({ ruleViolations: 0, passed: true });
    expect(controls.map((candidate) => candidate.id)).toEqual(CONTROLS.map((definition) => definition.id));
  });

  test('counts each pack’s rules by the rule ids it applies, and lists every acknowledgment the templates record', () => {
    const { rulePacks } = report(name);
    const packs = createRulePacks();
    expect(rulePacks.packs.map((pack) => pack.pack)).toEqual([
      ...packs.map((pack) => pack.readPackName),
      'Control Tower',
      'CloudFormation Validate',
    ]);
    const controlTower = rulePacks.packs.find((candidate) => candidate.pack === 'Control Tower')!;
    expect(controlTower).toMatchObject({ rules: controlTowerControls().length, violations: [] });
    expect(controlTower.rules).toBeGreaterThan(100);
    expect(controlTower.acknowledgments.map((ack) => ack.rule)).toContain('Control-Tower::CT.S3.PR.2');
    for (const pack of packs) {
      const result = rulePacks.packs.find((candidate) => candidate.pack === pack.readPackName)!;
      expect(result.rules).toBe(ruleIdsOf(pack).length);
      expect(result.rules).toBeGreaterThan(50);
      expect(result.violations).toEqual([]);
    }
    const inTemplates = stage(name).stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources).flatMap(([logicalId, resource]) =>
        ((resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as any[]).map((rule) => `${stack.id} ${logicalId} ${rule.id}`),
      ),
    );
    const listed = rulePacks.packs.flatMap((pack) => pack.acknowledgments.map((ack) => `${ack.resource} ${ack.rule}`));
    expect(listed.sort()).toEqual(inTemplates.sort());
    expect(listed.length).toBeGreaterThan(10);
    for (const ack of rulePacks.packs.flatMap((pack) => pack.acknowledgments)) expect(ack.reason.length).toBeGreaterThanOrEqual(40);
  });

  test('names the resources no pack can check: the CDK’s default-security-group provider and the hosted rotations’ transform', () => {
    const unchecked = report(name).rulePacks.unchecked.map((item) => `${item.resource} ${item.type}`);
    expect(unchecked).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${name}/Network CustomVpcRestrictDefaultSG.*Handler.* AWS::Lambda::Function$`)),
        `${name}/DataStores (transform AWS::SecretsManager-2024-09-16) AWS::SecretsManager-2024-09-16`,
      ]),
    );
  });

  test('maps the design document’s checklists item by item, in its order, to controls that exist and tests that exist', () => {
    const { checklists } = report(name);
    expect(checklists.preProduction.map((item) => item.item)).toEqual([...PRE_PRODUCTION_CHECKLIST]);
    expect(checklists.postProduction.map((item) => item.item)).toEqual([...POST_PRODUCTION_CHECKLIST]);
    const organisational = [...checklists.preProduction, ...checklists.postProduction].filter(
      (item) => item.status === 'organisational duty',
    );
    expect(organisational.map((item) => item.item)).toEqual(
      expect.arrayContaining(['Penetration testing completed', 'Security training for team', 'Run penetration tests annually']),
    );
    for (const item of [...checklists.preProduction, ...checklists.postProduction]) {
      expect({ item: item.item, status: item.status }).not.toEqual({ item: item.item, status: 'not implemented' });
      if (item.status !== 'implemented') expect(item.duty?.length).toBeGreaterThan(30);
      for (const entry of item.implementedBy) expect(entry.resources.length).toBeGreaterThan(0);
    }
    for (const file of checklistTestFiles()) expect({ file, exists: fs.existsSync(path.join(ROOT, file)) }).toEqual({ file, exists: true });
    for (const id of checklistControlIds()) expect(CONTROLS.map((definition) => definition.id)).toContain(id);
  });

  test('the authorization matrix is the rendered AuthorizationPolicies: the gateway onto its routes, service onto service, nothing else', () => {
    const { authorization } = report(name);
    expect(authorization.denyByDefault).toEqual([stageConfig(name).kubernetes.namespace]);
    const calls = authorization.allowed.map(
      (call) => `${call.caller} -> ${call.callee}: ${call.methods.join(',')} ${call.paths.join(',')} :${call.ports.join(',')}`,
    );
    expect(calls).toEqual([
      'Kong (edge gateway) -> backend-api: GET,POST,PUT,DELETE /auth/*,/systems,/systems/* :8000',
      'Kong (edge gateway) -> diagnosis: POST /diagnosis :8080',
      'backend-api -> diagnosis: GET /diagnosis/* :8080',
      'diagnosis -> gnn-service: POST /gnn.v1.Inference/* :8001',
    ]);
    expect(authorization.allowed[0].principal).toBe('cluster.local/ns/kong/sa/kong-gateway');
  });

  test('renders Markdown with every section, every control and every acknowledgment reason', () => {
    const markdown = renderMarkdown(report(name));
    for (const heading of [
      '## Summary',
      '## 1. Controls',
      '## 2. Rule packs',
      '## 3. Design document checklists',
      '## 4. Service-to-service authorization',
    ]) {
      expect(markdown).toContain(heading);
    }
    for (const definition of CONTROLS) expect(markdown).toContain(`\`${definition.id}\``);
    expect(markdown).not.toMatch(/NOT MET/);
  });
});

describe('controls read from the synthesized output', () => {
  test('session lifetime, rate limits and IP allow-lists are the values Kong and WAF were rendered with', () => {
    const prod = report('prod');
    expect(values(prod, 'session.lifetime')).toEqual([
      'maximum_expiration 3600 s; claims_to_verify exp; token from authorization header only',
    ]);
    expect(values(prod, 'rate-limits.tenant')).toEqual([
      expect.stringMatching(/^1000\/minute, 50000\/hour per consumer \(global\); policy redis; fault_tolerant true$/),
    ]);
    expect(values(prod, 'rate-limits.diagnosis-per-ip')).toEqual([
      expect.stringMatching(/^100\/minute per ip/),
      'WAF DiagnosisRateLimit: more than 100 requests per IP in 60 s (scoped down), Block',
    ]);
    expect(values(prod, 'ip-allow-lists.per-user')).toEqual(['consumer ops-admin: allow 203.0.113.0/24 (HTTP 403 otherwise)']);
  });

  test('encryption names the customer-managed key by its alias; the access-log bucket’s SSE-S3 is acknowledged with its reason', () => {
    const prod = report('prod');
    expect(values(prod, 'at-rest.database')).toEqual(['KMS alias/hydraulic/prod/data-stores']);
    expect(new Set(values(prod, 'at-rest.log-groups'))).toEqual(new Set(['KMS alias/hydraulic/prod/logs']));
    const accessLogs = control(prod, 'at-rest.buckets').evidence.find((evidence) => evidence.resource.includes('AccessLogBucket'))!;
    expect(accessLogs).toMatchObject({
      value: 'SSE-S3 (AES256)',
      status: 'acknowledged',
      note: expect.stringContaining('S3DefaultEncryptionKMS: ALB access logs'),
    });
  });

  test('prod protects its database from deletion; dev’s is off and acknowledged with the template’s reason', () => {
    expect(control(report('prod'), 'retention.database').evidence[0]).toMatchObject({ value: 'DeletionProtection true', status: 'met' });
    expect(control(report('dev'), 'retention.database').evidence[0]).toMatchObject({
      value: 'DeletionProtection false',
      status: 'acknowledged',
      note: expect.stringMatching(/^AwsSolutions-RDS10: .*deletionProtection: false/),
    });
  });

  test('mTLS is STRICT mesh-wide and in the namespace; the ALB-facing Kong ports are listed as the exceptions they are', () => {
    const mtls = control(report('prod'), 'mtls.mode');
    expect(mtls.status).toBe('met');
    expect(mtls.evidence.map((evidence) => `${evidence.resource}: ${evidence.value}`)).toEqual(
      expect.arrayContaining([
        'PeerAuthentication istio-system/default: STRICT (whole namespace)',
        'PeerAuthentication hydraulic-prod/default: STRICT (whole namespace)',
        'PeerAuthentication kong/kong-proxy-from-alb: port 8443: DISABLE',
      ]),
    );
  });

  test('a stage synthesized from a changed configuration reports the changed values', () => {
    const file = writeConfigVariant((data) => {
      data.session.maxLifetimeSeconds = 1800;
      data.rateLimits.perTenant.perMinute = 500;
      data.rateLimits.diagnosisPerIp.perMinute = 50;
      data.logging.retentionDays = 731;
    });
    const variant = buildSecurityReport(synthesizeStage(loadStageConfig(file), { validate: false, outdir: path.join(outdir, 'variant') }));
    expect(values(variant, 'session.lifetime')[0]).toMatch(/^maximum_expiration 1800 s;/);
    expect(values(variant, 'rate-limits.tenant')[0]).toMatch(/^500\/minute, 50000\/hour per consumer/);
    expect(values(variant, 'rate-limits.diagnosis-per-ip')).toEqual([
      expect.stringMatching(/^50\/minute per ip/),
      'WAF DiagnosisRateLimit: more than 50 requests per IP in 60 s (scoped down), Block',
    ]);
    expect(new Set(values(variant, 'logging.retention').map((value) => value.replace(/^.*: /, '')))).toEqual(new Set(['731 days']));
    expect(new Set(values(report('dev'), 'logging.retention').map((value) => value.replace(/^.*: /, '')))).toEqual(new Set(['365 days']));
    expect(variant.summary.passed).toBe(true);
  });
});

describe('a control or a pack result that breaks shows in the report (fixtures changed from the dev output)', () => {
  const resourceOf = (copy: { stacks: any[] }, type: string) =>
    copy.stacks.flatMap((stack) => Object.values(stack.template.Resources) as any[]).find((resource) => resource.Type === type);
  const objectOf = (copy: { manifests: any[] }, kind: string, name: string) =>
    copy.manifests.flatMap((manifest) => manifest.objects).find((object: any) => object.kind === kind && object.metadata.name === name);

  test.each([
    ['at-rest.log-groups', (copy: any) => delete resourceOf(copy, 'AWS::Logs::LogGroup').Properties.KmsKeyId],
    [
      'in-transit.cache',
      (copy: any) => (resourceOf(copy, 'AWS::ElastiCache::ReplicationGroup').Properties.TransitEncryptionMode = 'preferred'),
    ],
    [
      'rotation.secrets',
      (copy: any) => (resourceOf(copy, 'AWS::SecretsManager::RotationSchedule').Properties.SecretId = { Ref: 'Nothing' }),
    ],
    ['rotation.kms-keys', (copy: any) => (resourceOf(copy, 'AWS::KMS::Key').Properties.EnableKeyRotation = false)],
    ['retention.deletion-policies', (copy: any) => (resourceOf(copy, 'AWS::SecretsManager::Secret').DeletionPolicy = 'Delete')],
    ['logging.retention', (copy: any) => (resourceOf(copy, 'AWS::Logs::LogGroup').Properties.RetentionInDays = 30)],
    ['mtls.mode', (copy: any) => (objectOf(copy, 'PeerAuthentication', 'default').spec.mtls.mode = 'PERMISSIVE')],
    [
      'authorization.mesh-default',
      (copy: any) => (objectOf(copy, 'AuthorizationPolicy', 'allow-backend-api').spec.rules[0].from[0].source = { notPrincipals: ['x'] }),
    ],
    ['session.lifetime', (copy: any) => (objectOf(copy, 'KongPlugin', 'jwt-session').config.maximum_expiration = 7200)],
    ['waf.attachment', (copy: any) => (objectOf(copy, 'IngressClassParams', 'hydraulic-dev-edge').spec.wafv2AclName = 'another-acl')],
    [
      'authorization.edge-routes',
      (copy: any) => (objectOf(copy, 'Ingress', 'systems-read').metadata.annotations['konghq.com/plugins'] = 'acl-systems-read'),
    ],
  ])('%s is not met when the output breaks it', (id, mutate) => {
    const broken = buildSecurityReport(mutated('dev', mutate));
    expect(control(broken, id).status).toBe('not met');
    expect(broken.summary.passed).toBe(false);
    expect(renderMarkdown(broken)).toContain('❌ NOT MET');
  });

  test('a violation in validation-report.json is counted against its pack and fails the report', () => {
    const broken = buildSecurityReport(
      mutated('dev', (copy) =>
        copy.validation.push({
          pluginName: 'AwsSolutions',
          conclusion: 'failure',
          violations: [
            {
              ruleName: 'AwsSolutions-S10',
              violatingConstructs: [{ constructPath: 'dev/Audit/Bucket/Resource', cloudFormationResource: { logicalId: 'Bucket' } }],
            },
          ],
        }),
      ),
    );
    expect(broken.rulePacks.packs[0].violations).toEqual([{ rule: 'AwsSolutions-S10', resource: 'dev/Audit/Bucket/Resource (Bucket)' }]);
    expect(broken.summary).toMatchObject({ ruleViolations: 1, passed: false });
  });

  test('without the allow-nothing policy the matrix says requests no policy matches are allowed', () => {
    const open = buildSecurityReport(
      mutated('dev', (copy) => {
        for (const manifest of copy.manifests)
          manifest.objects = manifest.objects.filter((object: any) => object.metadata.name !== 'allow-nothing');
      }),
    );
    expect(open.authorization.denyByDefault).toEqual([]);
    expect(renderMarkdown(open)).toContain('No namespace has an allow-nothing policy');
  });
});

describe('npm run report', () => {
  test('writes reports/<stage>/security-report.{md,json} from a synthesized output and exits 0 when the stage passes', async () => {
    const out = path.join(outdir, 'reports');
    const dev = stage('dev');
    const io = { out: jest.fn(), err: jest.fn() };
    const code = await runReportCli(
      ['--cloud-assembly', path.dirname(dev.sources.cloudAssembly), '--manifests', path.dirname(dev.sources.manifests), '--out', out],
      io,
    );
    expect(io.err).not.toHaveBeenCalled();
    expect(code).toBe(0);
    expect(io.out).toHaveBeenCalledWith(
      expect.stringMatching(/^dev: \d+ controls met, \d+ acknowledged, 0 not met, .* 0 rule-pack violations/),
    );
    expect(JSON.parse(fs.readFileSync(path.join(out, 'dev', 'security-report.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(report('dev'))),
    );
    expect(fs.readFileSync(path.join(out, 'dev', 'security-report.md'), 'utf8')).toBe(renderMarkdown(report('dev')));
  });

  test('refuses, with exit 2 and what to run, when nothing was synthesized', async () => {
    const io = { out: jest.fn(), err: jest.fn() };
    expect(await runReportCli(['--cloud-assembly', path.join(outdir, 'nothing')], io)).toBe(2);
    expect(io.err).toHaveBeenCalledWith(expect.stringContaining('is not a cloud assembly; run npm run synth first'));
  });
});

describe('docs/architecture.md', () => {
  test('is what the synthesized app renders (run npm run docs after changing the stacks or charts)', async () => {
    // Every stage file, as npm run docs renders them.
    const stages = loadStageConfigs(resolveConfigFiles(undefined, path.join(ROOT, 'config'))).map((config) => stage(config.stage));
    const committed = fs.readFileSync(path.join(ROOT, GENERATED_DOCS.architecture), 'utf8');
    expect(committed).toBe(await renderArchitectureDoc(stages));
  });

  test('draws one mesh arrow per allowed call, the WAF on the ALB, and the stacks in dependency order', () => {
    const document = renderArchitecture([stage('dev'), stage('prod')], DIAGRAM_STAGE);
    for (const call of report('prod').authorization.allowed)
      expect(document).toContain(`|"mTLS ${call.methods.join(', ')} ${call.paths.join(', ')}"|`);
    expect(document).toContain('waf -.->|"filters every request (wafv2AclName)"| alb');
    expect(document).toMatch(/\| 1 +\| `prod\/Keys` /);
    expect(document.indexOf('`prod/DisasterRecovery` ')).toBeLessThan(document.indexOf('`prod/Backup` '));
  });

  test('draws from the output: a call the policies no longer allow, or a WAF no longer attached, disappears', () => {
    const changed = mutated('prod', (copy) => {
      const objects = copy.manifests.flatMap((manifest) => manifest.objects);
      objects.find((object: any) => object.metadata.name === 'allow-gnn-service').spec.rules = [];
      objects.find((object: any) => object.kind === 'IngressClassParams').spec.wafv2AclName = 'another-acl';
    });
    const document = renderArchitecture([changed], 'prod');
    expect(document).not.toContain('svc_gnn_service -');
    expect(document).not.toContain('-->|"mTLS POST /gnn.v1.Inference/*"|');
    expect(document).not.toContain('waf -.->');
  });
});
