import { App, CfnResource, Stack } from 'aws-cdk-lib';
import type { IApplyRule, NagPack } from 'cdk-nag';
import { CONTROL_TOWER_PLUGIN_NAME, controlTowerControls } from '../../lib/compliance/control-tower';
import { createRulePacks } from '../../lib/compliance/rule-packs';
import { StageResources } from '../synthesized/resources';
import type { SynthesizedStage } from '../synthesized/synthesized-stage';

/** The CDK's own template validation, which reports (and lets the project acknowledge) CloudFormation lint findings. */
const CLOUDFORMATION_VALIDATE = 'CloudFormation Validate';

/** A finding that failed synthesis. */
export interface RuleViolation {
  readonly rule: string;
  readonly resource: string;
}

/** An acknowledged finding, with its reason, as the template records it. */
export interface RuleAcknowledgment {
  readonly rule: string;
  /** `<stack id> <logical id>` */
  readonly resource: string;
  readonly type: string;
  readonly reason: string;
}

/** One rule pack's results for a stage. */
export interface RulePackResult {
  readonly pack: string;
  /**
   * The rules the pack evaluates on every resource (for the Control Tower controls: the bundled
   * controls, each evaluated on the resource types it names); undefined where the count is not
   * knowable (CloudFormation Validate).
   */
  readonly rules?: number;
  /** Findings that were not acknowledged: synthesis fails on any, so a report should never show one. */
  readonly violations: readonly RuleViolation[];
  readonly acknowledgments: readonly RuleAcknowledgment[];
}

/** A template resource the packs cannot see, and why. */
export interface UncheckedResource {
  readonly resource: string;
  readonly type: string;
  readonly why: string;
}

/** The rule-pack section of the report. */
export interface RulePackReport {
  /** Template resources of AWS types that the packs' rules could check. */
  readonly resourcesChecked: number;
  readonly packs: readonly RulePackResult[];
  readonly unchecked: readonly UncheckedResource[];
}

/** How the report counts a pack's rules, for its readers. */
export const RULE_COUNT_METHOD =
  "A pack applies every one of its rules to every resource and lets each rule decide whether the resource's type concerns it. " +
  'The report instantiates each pack (the same `createRulePacks()` synthesis enforces), runs it over one probe resource while ' +
  'recording the rule ids it applies, and counts them. Violations come from `validation-report.json`, where the CDK lists a ' +
  'plugin only when it found something; synthesis fails on any unacknowledged finding, so a pack missing from it found none. ' +
  "Acknowledgments come from each resource's `Metadata.cdk_nag.rules_to_suppress` in the templates.";

/** The rule ids a pack applies to a resource: all of its rules, whatever the resource. */
export function ruleIdsOf(pack: NagPack): string[] {
  const ids = new Set<string>();
  const recorder = pack as unknown as { applyRule: (params: IApplyRule) => void };
  recorder.applyRule = (params) => ids.add(`${pack.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`);
  const probe = new Stack(new App(), 'Probe');
  new CfnResource(probe, 'Probe', { type: 'AWS::CloudFormation::WaitConditionHandle' });
  pack.validateScope(probe);
  return [...ids].sort();
}

/** What the rule packs found and what the templates acknowledge, for one stage. */
export function rulePackReport(stage: SynthesizedStage): RulePackReport {
  const resources = new StageResources(stage);
  const all = resources.all();
  const acknowledgments = all.flatMap((resource) =>
    resources.acknowledgments(resource).map((ack) => ({
      rule: ack.ruleId,
      resource: resources.label(resource),
      type: resource.resource.Type,
      reason: ack.reason,
    })),
  );
  const packs = createRulePacks();
  const pluginPrefix = (name: string) => `${name.replace(/ /g, '-')}::`;
  const packOf = (rule: string) =>
    [CLOUDFORMATION_VALIDATE, CONTROL_TOWER_PLUGIN_NAME].find((name) => rule.startsWith(pluginPrefix(name))) ??
    packs.find((pack) => rule.startsWith(`${pack.readPackName}-`))?.readPackName;
  const violationsOf = (name: string) =>
    stage.validation
      .filter((plugin) => plugin.pluginName === name)
      .flatMap((plugin) =>
        plugin.violations.flatMap((finding) =>
          finding.violatingConstructs.map((construct) => ({
            rule: finding.ruleName,
            resource: construct.cloudFormationResource?.logicalId
              ? `${construct.constructPath} (${construct.cloudFormationResource.logicalId})`
              : construct.constructPath,
          })),
        ),
      );
  const results: RulePackResult[] = [
    ...packs.map((pack) => ({
      pack: pack.readPackName,
      rules: ruleIdsOf(pack).length,
      violations: violationsOf(pack.name),
      acknowledgments: acknowledgments.filter((ack) => packOf(ack.rule) === pack.readPackName),
    })),
    {
      pack: CONTROL_TOWER_PLUGIN_NAME,
      rules: controlTowerControls().length,
      violations: violationsOf(CONTROL_TOWER_PLUGIN_NAME),
      acknowledgments: acknowledgments.filter((ack) => packOf(ack.rule) === CONTROL_TOWER_PLUGIN_NAME),
    },
    {
      pack: CLOUDFORMATION_VALIDATE,
      violations: violationsOf(CLOUDFORMATION_VALIDATE),
      acknowledgments: acknowledgments.filter((ack) => packOf(ack.rule) === CLOUDFORMATION_VALIDATE),
    },
  ];
  const unchecked = uncheckedResources(stage, resources);
  const awsTypes = all.filter((resource) => resource.resource.Type.startsWith('AWS::'));
  return {
    resourcesChecked: awsTypes.length - unchecked.filter((item) => item.type.startsWith('AWS::')).length,
    packs: results,
    unchecked,
  };
}

/**
 * Resources no pack sees: generic `CfnResource` constructs of an AWS type (the packs' rules match
 * resource classes, so none applies to them), and whatever a template transform creates at deployment.
 */
function uncheckedResources(stage: SynthesizedStage, resources: StageResources): UncheckedResource[] {
  const generic = resources
    .all()
    .filter((resource) => resource.resource.Type.startsWith('AWS::') && resource.constructPath !== undefined)
    .filter((resource) => stage.constructClasses.get(resource.constructPath!) === 'aws-cdk-lib.CfnResource')
    .map((resource) => ({
      resource: resources.label(resource),
      type: resource.resource.Type,
      why: "a generic CfnResource (a CDK-internal provider): cdk-nag's rules match resource classes, so none applies; the Control Tower controls, which read templates, do check it",
    }));
  const transformed = stage.stacks.flatMap((stack) =>
    [stack.template.Transform ?? []].flat().map((transform) => ({
      resource: `${stack.id} (transform ${transform})`,
      type: transform,
      why: 'the transform adds resources at deployment (for AWS::SecretsManager-2024-09-16: the hosted rotation functions); they are not in the template',
    })),
  );
  return [...generic, ...transformed];
}
