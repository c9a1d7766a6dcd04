import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/** The plugin's name; acknowledgments of its findings are `Control-Tower::<control id>`. */
export const CONTROL_TOWER_PLUGIN_NAME = 'Control Tower';

/** The acknowledgment id of one control's finding, e.g. `Control-Tower::CT.S3.PR.2`. */
export function controlTowerFinding(controlId: string): string {
  if (!/^CT\.[A-Z0-9-]+\.PR\.\d+$/.test(controlId)) {
    throw new Error(`A Control Tower proactive control id looks like CT.S3.PR.2; got "${controlId}"`);
  }
  return `${CONTROL_TOWER_PLUGIN_NAME.replace(/ /g, '-')}::${controlId}`;
}

/** One proactive control: its guard rule file and the resource types it evaluates. */
export interface ControlTowerControl {
  /** The control's id, e.g. `CT.S3.PR.2`. */
  readonly id: string;
  /** The cfn-guard rule file. */
  readonly file: string;
  /** The CloudFormation resource types the control evaluates (from its metadata). */
  readonly resourceTypes: readonly string[];
}

const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower');

let controls: ControlTowerControl[] | undefined;

/**
 * Every Control Tower proactive control bundled with `@cdklabs/cdk-validator-cfnguard`, read from
 * the metadata that ships beside each rule. A rule without metadata is an error: it could not be
 * matched to the templates, and skipping it silently would drop a control.
 */
export function controlTowerControls(): readonly ControlTowerControl[] {
  if (controls) return controls;
  const found: ControlTowerControl[] = [];
  const guardDir = path.join(RULES_DIR, 'cfn-guard');
  for (const service of fs.readdirSync(guardDir).sort()) {
    for (const rule of fs.readdirSync(path.join(guardDir, service)).sort()) {
      const name = path.basename(rule, '.guard');
      const metadataFile = path.join(RULES_DIR, 'metadata', service, `${name}.metadata.json`);
      if (!fs.existsSync(metadataFile)) throw new Error(`The Control Tower rule ${service}/${rule} has no metadata at ${metadataFile}`);
      const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf8')) as { Id: string; EvaluatedResourceTypes: string[] };
      found.push({ id: metadata.Id, file: path.join(guardDir, service, rule), resourceTypes: metadata.EvaluatedResourceTypes });
    }
  }
  controls = found;
  return found;
}

/**
 * The AWS Control Tower proactive controls as a policy-validation plugin, beside the cdk-nag
 * packs: `@cdklabs/cdk-validator-cfnguard`'s bundled rules run by its bundled cfn-guard binary
 * (offline, no AWS account). Findings fail synthesis like the packs' do, and are acknowledged
 * the same way, on the resource, with {@link controlTowerFinding}.
 *
 * It runs only the controls that evaluate a resource type the templates contain: cfn-guard
 * reads and runs every rule it is given against every template, and a control of a type no
 * template has can only skip. That is the same verdict in about a quarter of the time.
 */
export class ControlTowerControls implements IPolicyValidationPluginBeta1 {
  public readonly name = CONTROL_TOWER_PLUGIN_NAME;
  public readonly version: string;
  public readonly ruleIds: string[];

  constructor() {
    this.version = (JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
    this.ruleIds = controlTowerControls().map((control) => control.id);
  }

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const applicable = applicableControls(new Set(context.templatePaths.flatMap((file) => resourceTypes(file))));
    if (applicable.length === 0) return { success: true, violations: [] };
    const validator = new CfnGuardValidator({
      controlTowerRulesEnabled: false,
      rules: applicable.map((control) => control.file),
      // cfn-guard reports every rule's result for every template: a few MB for a whole stage.
      maxBuffer: 256 * 1024 * 1024,
    });
    const report = validator.validate(context);
    const violations = report.violations.map((violation) => ({
      ...violation,
      // Named by control id (CT.S3.PR.2), as AWS documents them, not by guard rule name.
      ruleName: /^\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/.exec(violation.description)?.[1] ?? violation.ruleName,
      // Explicitly an error: once one finding of a report is acknowledged, the CDK recomputes the
      // report's success from the severities, and a finding without one would then pass.
      severity: 'error',
    }));
    return { ...report, violations };
  }
}

/** The controls that evaluate at least one of the given resource types. */
export function applicableControls(resourceTypes: ReadonlySet<string>): ControlTowerControl[] {
  return controlTowerControls().filter((control) => control.resourceTypes.some((type) => resourceTypes.has(type)));
}

function resourceTypes(templateFile: string): string[] {
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources?: Record<string, { Type?: string }> };
  return Object.values(template.Resources ?? {}).flatMap((resource) => (resource.Type ? [resource.Type] : []));
}
