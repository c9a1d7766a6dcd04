import { Aspects, Reference, Stack, Token, Tokenization, type IAspect } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { IConstruct } from 'constructs';
import { acknowledge } from './acknowledge';
import { controlTowerFinding } from './control-tower';

/**
 * A Control Tower control that accepts a key, subnet or security group only as a literal id or
 * as a resource of the same template: it cannot follow `Fn::GetStackOutput`, the way this
 * project's stacks share the keys and the VPC.
 */
interface LocalReferenceControl {
  readonly controlId: string;
  /** What the control requires, for the reason. */
  readonly requirement: string;
  /** The references to check on a resource, or undefined when the control does not apply to it. */
  readonly references: (resource: IConstruct) => { readonly property: string; readonly values: readonly unknown[] } | undefined;
  /** The type the references must point at. */
  readonly target: (construct: IConstruct) => boolean;
}

const isKey = (construct: IConstruct) => construct instanceof kms.CfnKey;

const CONTROLS: readonly LocalReferenceControl[] = [
  {
    controlId: 'CT.CLOUDWATCH.PR.3',
    requirement: 'a log group encrypted with a KMS key',
    references: (resource) => (resource instanceof logs.CfnLogGroup ? { property: 'KmsKeyId', values: [resource.kmsKeyId] } : undefined),
    target: isKey,
  },
  {
    controlId: 'CT.CLOUDTRAIL.PR.1',
    requirement: 'a trail encrypted with a KMS key',
    references: (resource) => (resource instanceof cloudtrail.CfnTrail ? { property: 'KMSKeyId', values: [resource.kmsKeyId] } : undefined),
    target: isKey,
  },
  {
    controlId: 'CT.RDS.PR.30',
    requirement: 'a database instance encrypted with a KMS key',
    references: (resource) => (resource instanceof rds.CfnDBInstance ? { property: 'KmsKeyId', values: [resource.kmsKeyId] } : undefined),
    target: isKey,
  },
  {
    controlId: 'CT.LAMBDA.PR.3',
    requirement: 'a function in the customer-managed VPC',
    references: (resource) => {
      if (!(resource instanceof lambda.CfnFunction)) return undefined;
      const vpcConfig = Tokenization.isResolvable(resource.vpcConfig) ? undefined : resource.vpcConfig;
      // Security groups are the function's own (local references, which the control accepts).
      if (!vpcConfig?.securityGroupIds?.length) return { property: 'VpcConfig.SubnetIds', values: [] };
      return { property: 'VpcConfig.SubnetIds', values: vpcConfig.subnetIds ?? [] };
    },
    target: (construct) => construct instanceof ec2.CfnSubnet,
  },
];

/**
 * The resource another stack's value refers to, when the value is exactly one reference
 * (`Fn::GetAtt`/`Ref`) to a resource of another stack; otherwise undefined.
 */
function crossStackTarget(value: unknown, from: IConstruct): IConstruct | undefined {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) return undefined;
  const fragments = Tokenization.reverseString(value);
  if (fragments.length !== 1 || fragments.tokens.length !== 1) return undefined;
  const token = fragments.firstToken;
  if (!Reference.isReference(token)) return undefined;
  return Stack.of(token.target) === Stack.of(from) ? undefined : token.target;
}

/**
 * Acknowledges the Control Tower findings a cross-stack reference causes, resource by resource,
 * and only after checking that the value really is a reference to a key (or subnet) of another
 * stack of the stage: a resource with no key, or a literal the control would reject, still fails.
 */
class CrossStackReferenceAcknowledgments implements IAspect {
  public visit(node: IConstruct): void {
    for (const control of CONTROLS) {
      const checked = control.references(node);
      if (!checked || checked.values.length === 0) continue;
      const targets = checked.values.map((value) => crossStackTarget(value, node));
      if (!targets.every((target) => target !== undefined && control.target(target))) continue;
      const [first] = targets as IConstruct[];
      acknowledge(
        node,
        [controlTowerFinding(control.controlId)],
        `${control.controlId} requires ${control.requirement}; ${checked.property} is ${first.node.path} of the stack ${Stack.of(first).stackName}, ` +
          'read by Fn::GetStackOutput, and the control accepts only a literal or a resource of the same template.',
      );
    }
  }
}

/** Adds the acknowledgments of {@link CrossStackReferenceAcknowledgments} to every resource of a scope. */
export function acknowledgeCrossStackReferences(scope: IConstruct): void {
  Aspects.of(scope).add(new CrossStackReferenceAcknowledgments());
}
