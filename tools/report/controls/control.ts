import { StageResources, type LocatedResource } from '../../synthesized/resources';
import { allObjects, type KubeObject, type SynthesizedStage } from '../../synthesized/synthesized-stage';
import type { DesignSection } from '../design-document';

/**
 * How one resource stands against a control: `met`; `acknowledged` (not met, with a rule-pack
 * acknowledgment in the template saying why); `not met`; or `informational` (a value the report
 * shows without judging it, such as a stage's chosen schedule).
 */
export type ControlStatus = 'met' | 'acknowledged' | 'not met' | 'informational';

/** What one resource or object contributes to a control. */
export interface ControlEvidence {
  /** `<stack id> <logical id>` for a template resource, `<Kind> <namespace>/<name>` for a Kubernetes object. */
  readonly resource: string;
  /** The value found in the synthesized output. */
  readonly value: string;
  readonly status: ControlStatus;
  /** For `acknowledged`: the acknowledgment's rule and reason. */
  readonly note?: string;
}

/** One security control, and what the synthesized output says about it. */
export interface ControlResult {
  readonly id: string;
  readonly area: string;
  readonly control: string;
  /** What a resource must show for the control to be met. */
  readonly expectation: string;
  readonly designSection: DesignSection;
  readonly status: ControlStatus;
  readonly evidence: readonly ControlEvidence[];
}

/** What a control reads: the stage's templates and manifests. */
export class ControlContext {
  readonly resources: StageResources;
  readonly objects: readonly (KubeObject & { readonly file: string })[];

  constructor(readonly stage: SynthesizedStage) {
    this.resources = new StageResources(stage);
    this.objects = allObjects(stage);
  }

  /** Objects of a kind (and, when given, a name), in apply order. */
  kind(kind: string, name?: string): (KubeObject & { readonly file: string })[] {
    return this.objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));
  }

  /** A parsed Helm values file (`kong-values.yaml`); throws when synthesis did not write it. */
  helm(file: string): any {
    const values = this.stage.helmValues.get(file);
    if (values === undefined) throw new Error(`${this.stage.sources.manifests}/helm/${file} is missing`);
    return values;
  }

  /** Evidence about a template resource: met when `met`, else acknowledged if one of `rules` is. */
  judge(resource: LocatedResource, value: string, met: boolean, rules: readonly string[] = []): ControlEvidence {
    const label = this.resources.label(resource);
    if (met) return { resource: label, value, status: 'met' };
    const acknowledgment = this.resources.acknowledgmentOf(resource, rules);
    return acknowledgment
      ? { resource: label, value, status: 'acknowledged', note: `${acknowledgment.ruleId}: ${acknowledgment.reason}` }
      : { resource: label, value, status: 'not met' };
  }
}

/** Evidence about a Kubernetes object. */
export function objectEvidence(object: KubeObject, value: string, status: ControlStatus): ControlEvidence {
  const where = object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
  return { resource: `${object.kind} ${where}`, value, status };
}

/** A control's definition: what it is and how to read it from the output. */
export interface ControlDefinition {
  readonly id: string;
  readonly area: string;
  readonly control: string;
  readonly expectation: string;
  readonly designSection: DesignSection;
  /**
   * Whether finding nothing is fine (an optional feature the stage does not use).
   * @default false - no evidence means the control is not met
   */
  readonly optional?: boolean;
  readonly evaluate: (context: ControlContext) => ControlEvidence[];
}

/** Evaluates a control: its status is its worst evidence's. */
export function evaluateControl(definition: ControlDefinition, context: ControlContext): ControlResult {
  const evidence = definition.evaluate(context);
  return {
    id: definition.id,
    area: definition.area,
    control: definition.control,
    expectation: definition.expectation,
    designSection: definition.designSection,
    status: overallStatus(evidence, definition.optional ?? false),
    evidence,
  };
}

function overallStatus(evidence: readonly ControlEvidence[], optional: boolean): ControlStatus {
  if (evidence.length === 0) return optional ? 'informational' : 'not met';
  for (const status of ['not met', 'acknowledged', 'met'] as const) {
    if (evidence.some((item) => item.status === status)) return status;
  }
  return 'informational';
}

/** `true`/`false` for CloudFormation's booleans, which templates write as booleans or strings. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A duration such as `2160h0m0s`, `24h` or `90d` in hours; NaN when unreadable. */
export function hours(duration: unknown): number {
  if (typeof duration !== 'string') return Number.NaN;
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration.trim());
  if (!match || duration.trim() === '') return Number.NaN;
  const [, d, h, m, s] = match.map((part) => Number(part ?? 0));
  return d * 24 + h + m / 60 + s / 3600;
}
