import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

/** The key prefix AWS Config writes under in the archive. */
const CONFIG_PREFIX = 'config';

/** The AWS Config managed rules, each checking a control this project puts in place. */
export const CONFIG_RULES: Readonly<Record<string, string>> = {
  MultiRegionTrail: config.ManagedRuleIdentifiers.CLOUDTRAIL_MULTI_REGION_ENABLED,
  TrailLogFileValidation: config.ManagedRuleIdentifiers.CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED,
  TrailEncryption: config.ManagedRuleIdentifiers.CLOUD_TRAIL_ENCRYPTION_ENABLED,
  KeyRotation: config.ManagedRuleIdentifiers.CMK_BACKING_KEY_ROTATION_ENABLED,
  LogGroupEncryption: config.ManagedRuleIdentifiers.CLOUDWATCH_LOG_GROUP_ENCRYPTED,
  VpcFlowLogs: config.ManagedRuleIdentifiers.VPC_FLOW_LOGS_ENABLED,
  WebAclLogging: config.ManagedRuleIdentifiers.WAFV2_LOGGING_ENABLED,
  BucketsTlsOnly: config.ManagedRuleIdentifiers.S3_BUCKET_SSL_REQUESTS_ONLY,
  BucketsNotPublic: config.ManagedRuleIdentifiers.S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED,
  TopicsEncrypted: config.ManagedRuleIdentifiers.SNS_ENCRYPTED_KMS,
  DatabaseEncryption: config.ManagedRuleIdentifiers.RDS_STORAGE_ENCRYPTED,
  DatabaseNotPublic: config.ManagedRuleIdentifiers.RDS_INSTANCE_PUBLIC_ACCESS_CHECK,
  SecretsRotated: config.ManagedRuleIdentifiers.SECRETSMANAGER_ROTATION_ENABLED_CHECK,
  RecoveryPointsEncrypted: config.ManagedRuleIdentifiers.BACKUP_RECOVERY_POINT_ENCRYPTED,
  ImagesScanned: config.ManagedRuleIdentifiers.ECR_PRIVATE_IMAGE_SCANNING_ENABLED,
  ImageTagsImmutable: config.ManagedRuleIdentifiers.ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED,
  RootMfa: config.ManagedRuleIdentifiers.ROOT_ACCOUNT_MFA_ENABLED,
};

/** Properties of a {@link ConfigurationCompliance}. */
export interface ConfigurationComplianceProps {
  /** The archive configuration snapshots and history are delivered to. */
  readonly bucket: s3.IBucket;
  /** The archive's key, which the recorder's role uses through S3. */
  readonly bucketKey: kms.IKey;
}

/**
 * An AWS Config recorder of every supported resource type (global ones included), delivering to
 * the audit archive, and the managed rules in {@link CONFIG_RULES}.
 */
export class ConfigurationCompliance extends Construct {
  /** The recorder. */
  public readonly recorder: config.CfnConfigurationRecorder;

  constructor(scope: Construct, id: string, props: ConfigurationComplianceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'Role', {
      description: 'Lets AWS Config read resource configurations and deliver them to the audit archive',
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWS_ConfigRole')],
    });
    acknowledge(
      role,
      ['AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]'],
      'AWS_ConfigRole is the read-only policy AWS keeps current as Config learns new resource types; a hand-written copy would fall behind.',
    );
    const objects = props.bucket.arnForObjects(`${CONFIG_PREFIX}/AWSLogs/${stack.account}/Config/*`);
    const delivery = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'Delivery of configuration snapshots and history to the audit archive only',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [props.bucket.bucketArn] }),
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }),
        // Only through S3, for this bucket's objects (the key policy adds the same bounds).
        new iam.PolicyStatement({
          actions: ['kms:GenerateDataKey'],
          resources: [props.bucketKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
        }),
      ],
    });
    acknowledge(
      delivery,
      [
        `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${CONFIG_PREFIX}/AWSLogs/${stack.account}/Config/*]`,
      ],
      'AWS Config names a new object per snapshot and history file; the wildcard covers only its own prefix of the archive.',
    );

    this.recorder = new config.CfnConfigurationRecorder(this, 'Resource', {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      s3BucketName: props.bucket.bucketName,
      s3KeyPrefix: CONFIG_PREFIX,
      s3KmsKeyArn: props.bucketKey.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    channel.node.addDependency(delivery);

    for (const [ruleId, identifier] of Object.entries(CONFIG_RULES)) {
      const rule = new config.ManagedRule(this, ruleId, { identifier });
      // A rule cannot be created before the recorder exists.
      rule.node.addDependency(this.recorder, channel);
    }
  }
}
