import type { SynthesizedStack, SynthesizedStage, TemplateResource } from './synthesized-stage';

/** A template resource with where it is: its stack and logical id. */
export interface LocatedResource {
  readonly stack: SynthesizedStack;
  readonly logicalId: string;
  readonly resource: TemplateResource;
  /** The construct path (`aws:cdk:path` metadata), when the template records it. */
  readonly constructPath?: string;
}

/** A rule-pack acknowledgment as the template metadata records it (`cdk_nag.rules_to_suppress`). */
export interface Acknowledgment {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * The resources of a stage's templates, and what the report needs to say about them: who a
 * reference points at (across stacks too), a key's alias, the acknowledgments on a resource.
 */
export class StageResources {
  private readonly byStackName: ReadonlyMap<string, SynthesizedStack>;

  constructor(private readonly stage: SynthesizedStage) {
    this.byStackName = new Map(stage.stacks.map((stack) => [stack.stackName, stack]));
  }

  /** Every resource of one CloudFormation type, in stack order then logical-id order. */
  ofType(type: string): LocatedResource[] {
    return this.stage.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources)
        .filter(([, resource]) => resource.Type === type)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([logicalId, resource]) => locate(stack, logicalId, resource)),
    );
  }

  /** Every resource of every stack. */
  all(): LocatedResource[] {
    return this.stage.stacks.flatMap((stack) =>
      Object.entries(stack.template.Resources).map(([logicalId, resource]) => locate(stack, logicalId, resource)),
    );
  }

  /**
   * The resource a property value refers to: `Ref`, `Fn::GetAtt`, a cross-stack
   * `Fn::GetStackOutput` (followed to the producing stack's output), or the first reference
   * inside `Fn::Join`/`Fn::Sub`. Undefined for a literal.
   */
  referenced(from: SynthesizedStack, value: unknown): LocatedResource | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    const intrinsic = value as Record<string, any>;
    if (typeof intrinsic.Ref === 'string') return this.inStack(from, intrinsic.Ref);
    if (Array.isArray(intrinsic['Fn::GetAtt'])) return this.inStack(from, String(intrinsic['Fn::GetAtt'][0]));
    const output = intrinsic['Fn::GetStackOutput'] as { StackName?: string; OutputName?: string } | undefined;
    if (output) {
      const producer = output.StackName ? this.byStackName.get(output.StackName) : undefined;
      const exported = producer && output.OutputName ? producer.template.Outputs?.[output.OutputName] : undefined;
      return producer && exported ? this.referenced(producer, exported.Value) : undefined;
    }
    for (const nested of Object.values(intrinsic).flat(3)) {
      const found = this.referenced(from, nested);
      if (found) return found;
    }
    return undefined;
  }

  /** A short, stable name for a resource: `<stack id> <logical id>`. */
  label(resource: LocatedResource): string {
    return `${resource.stack.id} ${resource.logicalId}`;
  }

  /**
   * How a property value reads in the report: a KMS key by its alias, another resource by
   * its label, a literal as itself.
   */
  describe(from: SynthesizedStack, value: unknown): string {
    const target = this.referenced(from, value);
    if (!target) return typeof value === 'string' ? value : JSON.stringify(value);
    if (target.resource.Type === 'AWS::KMS::Key') return this.keyAlias(target) ?? this.label(target);
    return this.label(target);
  }

  /** The alias (`alias/hydraulic/prod/logs`) of a KMS key, from the alias resource that targets it. */
  keyAlias(key: LocatedResource): string | undefined {
    const alias = Object.values(key.stack.template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::KMS::Alias' && this.referenced(key.stack, resource.Properties?.TargetKeyId)?.logicalId === key.logicalId,
    );
    return alias?.Properties?.AliasName as string | undefined;
  }

  /** The rule-pack acknowledgments recorded on a resource. */
  acknowledgments(resource: LocatedResource): Acknowledgment[] {
    const rules = (resource.resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[];
    return rules.map((rule) => ({ ruleId: rule.id, reason: rule.reason }));
  }

  /** The acknowledgment of a rule (its id without the pack prefix, e.g. `RDS10`) on a resource, if any. */
  acknowledgmentOf(resource: LocatedResource, ruleSuffixes: readonly string[]): Acknowledgment | undefined {
    return this.acknowledgments(resource).find((ack) => ruleSuffixes.some((suffix) => ack.ruleId.endsWith(`-${suffix}`)));
  }

  private inStack(stack: SynthesizedStack, logicalId: string): LocatedResource | undefined {
    const resource = stack.template.Resources[logicalId];
    return resource ? locate(stack, logicalId, resource) : undefined;
  }
}

function locate(stack: SynthesizedStack, logicalId: string, resource: TemplateResource): LocatedResource {
  return { stack, logicalId, resource, constructPath: resource.Metadata?.['aws:cdk:path'] as string | undefined };
}
