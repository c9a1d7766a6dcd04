import * as fs from 'node:fs';
import * as path from 'node:path';
import { stacksOf, type AssemblyStack } from '../../lib/guards/assembly-stacks';
import { INVENTORY_FILE, readInventory } from '../../lib/guards/inventory-file';
import { formatLeaks, scanDocument } from '../../lib/guards/leak-scan';
import {
  CLOUDFORMATION_LIMITS,
  HEADROOM_SHARE,
  headroomProblems,
  stackUsage,
  WEB_ACL_CAPACITY,
  webAclUsages,
  type StackUsage,
  type WebAclUsage,
} from '../../lib/guards/limits';
import { deletionProtectionProblems, inventoryDifferences, inventoryOf, retentionProblems } from '../../lib/guards/stateful-resources';
import { filesBelow, synthesizeCommittedStages, yamlDocuments, type SynthesizedApp } from '../harness/synthesized-app';

/**
 * Guards over the whole app as `npm run synth` writes it: every committed stage, both renderers,
 * synthesized once (with every validation plugin enforced, so a finding fails `beforeAll`), then
 * checked file by file. A new stack, chart or values file is covered without being named here.
 */
let app: SynthesizedApp;
let stacks: AssemblyStack[];

beforeAll(async () => {
  app = await synthesizeCommittedStages();
  stacks = stacksOf(app.assembly);
}, 180_000);

/** Prints a table of figures beside the test results (the issue asks for the figures, not only a verdict). */
function report(title: string, rows: readonly string[]): void {
  // eslint-disable-next-line no-console
  console.log(`${title}\n${rows.map((row) => `  ${row}`).join('\n')}`);
}

describe('the synthesized app', () => {
  test('holds every committed stage, each with stacks and manifests', () => {
    expect(app.stages.map((stage) => stage.stage)).toEqual(['dev', 'prod']);
    for (const stage of app.stages) {
      expect(stage.stacks).toBeGreaterThanOrEqual(8);
      expect(stage.kubernetesObjects).toBeGreaterThan(50);
    }
  });

  test('passes every validation plugin with nothing unacknowledged, and sets every feature flag to its recommended value', () => {
    const validation = JSON.parse(fs.readFileSync(path.join(app.cdkOut, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[]; suppressedViolations?: unknown[] }[];
    };
    for (const plugin of validation.pluginReports)
      expect({ plugin: plugin.pluginName, violations: plugin.violations }).toEqual({ plugin: plugin.pluginName, violations: [] });
    report(
      'Acknowledged findings per plugin (each with its reason in the template metadata):',
      validation.pluginReports.map((plugin) => `${plugin.pluginName}: ${plugin.suppressedViolations?.length ?? 0}`),
    );
    const flags = (app.assembly.manifest.artifacts!['aws-cdk-lib/feature-flag-report'].properties as { flags: Record<string, any> }).flags;
    const unconfigured = Object.entries(flags)
      .filter(([, flag]) => flag.userValue === undefined && (flag.unconfiguredBehavesLike?.v2 ?? false) !== flag.recommendedValue)
      .map(([name]) => name);
    expect(unconfigured).toEqual([]);
  });
});

describe('the rendered manifests', () => {
  test('the cdk8s app writes each stage into <outdir>/<stage>/, charts in apply order, Helm values apart', () => {
    const outdir = app.manifestDir;
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
});

describe('the replacement guard', () => {
  test(`every stateful resource keeps its stack, logical ID and type (${INVENTORY_FILE})`, () => {
    expect(inventoryDifferences(readInventory(), inventoryOf(stacks))).toEqual([]);
  });

  test('every stateful resource is retained or snapshotted on deletion and on replacement', () => {
    expect(retentionProblems(stacks)).toEqual([]);
  });

  test('every stateful resource of production has the deletion protection its service offers', () => {
    expect(deletionProtectionProblems(stacks.filter((stack) => stack.stage === 'prod'))).toEqual([]);
  });
});

describe('the leak scan', () => {
  test('finds no secret material in any template, asset manifest, manifest or Helm values file', () => {
    const templates = filesBelow(app.cdkOut, '.template.json');
    const assetManifests = filesBelow(app.cdkOut, '.assets.json');
    const manifests = filesBelow(app.manifestDir, '.yaml').filter((file) => !file.split(path.sep).includes('helm'));
    const helmValues = filesBelow(app.manifestDir, '.yaml').filter((file) => file.split(path.sep).includes('helm'));
    // The scan covers what was written, and there is something of each kind to cover.
    expect(templates.length).toBe(stacks.length);
    expect(assetManifests.length).toBe(stacks.length);
    expect(manifests.length).toBeGreaterThanOrEqual(30);
    expect(helmValues).toHaveLength(6);
    const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    const leaks = [
      ...templates.flatMap((file) => scanDocument(read(file), 'cloudformation', file)),
      ...assetManifests.flatMap((file) => scanDocument(read(file), 'asset-manifest', file)),
      ...manifests.flatMap((file) => scanDocument(yamlDocuments(file), 'kubernetes', file)),
      ...helmValues.flatMap((file) => scanDocument(yamlDocuments(file), 'helm-values', file)),
    ];
    expect(formatLeaks(leaks)).toBe('');
  });
});

describe('the limits headroom', () => {
  test('every stack is deployed from S3, where CloudFormation’s template limit is 1 MB', () => {
    expect(stacks.filter((stack) => !stack.templateFromS3).map((stack) => stack.stackName)).toEqual([]);
  });

  test(`every stack uses at most ${HEADROOM_SHARE * 100}% of CloudFormation's ${CLOUDFORMATION_LIMITS.resources} resources and ${CLOUDFORMATION_LIMITS.templateBytes} template bytes`, () => {
    const usages: StackUsage[] = stacks.map(stackUsage);
    const percent = (value: number, limit: number) => `${((100 * value) / limit).toFixed(1)}%`;
    report(
      'CloudFormation limits per stack (resources of 500, template bytes of 1,000,000):',
      usages.map(
        (usage) =>
          `${usage.stackName.padEnd(34)} ${String(usage.resources).padStart(4)} resources (${percent(usage.resources, CLOUDFORMATION_LIMITS.resources).padStart(5)})  ` +
          `${String(usage.templateBytes).padStart(7)} bytes (${percent(usage.templateBytes, CLOUDFORMATION_LIMITS.templateBytes).padStart(5)})`,
      ),
    );
    expect(headroomProblems(usages)).toEqual([]);
  });

  test(`every web ACL stays within its ${WEB_ACL_CAPACITY} WCUs`, () => {
    const usages: WebAclUsage[] = stacks.flatMap(webAclUsages);
    expect(usages.map((usage) => usage.stage).sort()).toEqual(['dev', 'prod']);
    report(
      `Web ACL capacity (WCUs of ${WEB_ACL_CAPACITY}):`,
      usages.map(
        (usage) =>
          `${usage.stackName}: ${usage.wcu} (${((100 * usage.wcu) / WEB_ACL_CAPACITY).toFixed(1)}%) = ${usage.rules.map((rule) => `${rule.name} ${rule.wcu}`).join(' + ')}`,
      ),
    );
    expect(usages.filter((usage) => usage.wcu > WEB_ACL_CAPACITY)).toEqual([]);
  });
});
