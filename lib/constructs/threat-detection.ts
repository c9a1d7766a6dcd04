import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';
import { controlTowerFinding } from '../compliance/control-tower';

/** The GuardDuty protection plans turned on, beyond the foundational data sources. */
export const GUARD_DUTY_FEATURES = [
  // S3 API calls on the audit archive and any data bucket.
  'S3_DATA_EVENTS',
  // The EKS control plane's audit log (privileged pods, anonymous access, exec into pods).
  'EKS_AUDIT_LOGS',
  // Process, file and network activity inside the nodes and containers.
  'RUNTIME_MONITORING',
  // Malware on the nodes' EBS volumes when a finding points at them.
  'EBS_MALWARE_PROTECTION',
  // Anomalous logins to the PostgreSQL database.
  'RDS_LOGIN_EVENTS',
] as const;

/**
 * A GuardDuty detector for the stage's account and region: threat findings from CloudTrail,
 * VPC flow logs and DNS, plus the protection plans above, published every 15 minutes.
 * GuardDuty manages its runtime agent on the EKS cluster as an add-on.
 */
export class ThreatDetection extends Construct {
  /** The detector. */
  public readonly detector: guardduty.CfnDetector;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.detector = new guardduty.CfnDetector(this, 'Resource', {
      enable: true,
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: GUARD_DUTY_FEATURES.map((name) => ({
        name,
        status: 'ENABLED',
        additionalConfiguration: name === 'RUNTIME_MONITORING' ? [{ name: 'EKS_ADDON_MANAGEMENT', status: 'ENABLED' }] : undefined,
      })),
    });
    acknowledge(
      this.detector,
      [controlTowerFinding('CT.GUARDDUTY.PR.1')],
      'S3 protection is on through the S3_DATA_EVENTS feature: GuardDuty replaced the DataSources object with features in March 2023 and this detector uses only features, while the control reads only DataSources.S3Logs.',
    );
  }
}
