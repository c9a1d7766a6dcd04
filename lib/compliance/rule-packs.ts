import { Aspects, Validations, type App } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  WriteNagSuppressionsToCloudFormationAspect,
  type NagPack,
} from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { SecretLeakScan } from '../guards/secret-leak-scan';
import { ControlTowerControls } from './control-tower';

/** The cdk-nag 3 packs every template must pass: AWS Solutions, NIST 800-53 R5, PCI DSS 3.2.1, HIPAA Security. */
export function createRulePacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks(), new PCIDSS321Checks(), new HIPAASecurityChecks()];
}

/**
 * Runs the rule packs, the AWS Control Tower proactive controls and the secret leak scan as
 * policy-validation plugins: synthesis fails on any unacknowledged finding, and on any leak.
 */
export function enforceRulePacks(app: App): void {
  Validations.of(app).addPlugins(...createRulePacks(), new ControlTowerControls(), new SecretLeakScan());
}

/**
 * Copies every acknowledgment (`Validations.of(c).acknowledge`) into its resource's template
 * metadata, so a reviewer reading a template sees each acknowledged rule and its reason.
 */
export function recordAcknowledgmentsInTemplates(scope: IConstruct): void {
  Aspects.of(scope).add(new WriteNagSuppressionsToCloudFormationAspect());
}
