import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../compliance/acknowledge';

/** The key prefix CloudTrail writes under in the archive. */
const TRAIL_PREFIX = 'cloudtrail';

/** Properties of an {@link AuditTrail}. */
export interface AuditTrailProps {
  /** The trail's name, from the naming module (the logs key's policy names it). */
  readonly trailName: string;
  /** The archive the log files are delivered to. */
  readonly bucket: s3.IBucket;
  /** Encrypts the log files and the log group. */
  readonly logsKey: kms.IKey;
  /** The log group CloudTrail also delivers to, for metric filters and alarms. */
  readonly logGroupName: string;
  /** Days the log group keeps events. */
  readonly logRetentionDays: number;
}

/**
 * The account's audit trail: every management event (reads and writes, every region, global
 * services included) with log file validation, encrypted with the logs key, delivered to the
 * Object-Locked archive and to a log group the security alarms read. Reads of the archive's
 * objects are recorded too, so looking at the audit trail leaves a trace.
 *
 * Secrets Manager has no CloudTrail data-event type: every call on a secret, `GetSecretValue`
 * included, is a management event, so the management selector records all access to the
 * project's secrets.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** The log group the trail delivers to. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.trailName });
    // Every grant below is bound to this trail (confused-deputy protection); the ARN is built
    // from the name because the grants must exist before the trail does.
    const fromThisTrail = { 'aws:SourceArn': trailArn };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logsKey,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const aclCheck = props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [props.bucket.bucketArn],
        conditions: { StringEquals: fromThisTrail },
      }),
    );
    props.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.bucket.arnForObjects(`${TRAIL_PREFIX}/AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { ...fromThisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    const role = new iam.Role(this, 'LogsRole', {
      description: 'Lets the audit trail deliver events to its log group',
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com', {
        conditions: { StringEquals: { ...fromThisTrail, 'aws:SourceAccount': stack.account } },
      }),
    });
    const logStreams = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${props.logGroupName}:log-stream:*`;
    const policy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'Write access to the audit trail log group only',
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logStreams] })],
    });
    acknowledge(
      policy,
      [`AwsSolutions-IAM5[Resource::${logStreams}]`],
      'CloudTrail names a new log stream per account and region; the wildcard covers only streams of the one audit trail log group.',
    );

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: props.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: props.logsKey.keyArn,
      s3BucketName: props.bucket.bucketName,
      s3KeyPrefix: TRAIL_PREFIX,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: role.roleArn,
      advancedEventSelectors: [
        {
          name: 'Every management event, reads and writes (Secrets Manager calls included)',
          fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
        },
        {
          name: 'Reads of the audit archive',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            { field: 'readOnly', equalTo: ['true'] },
            { field: 'resources.ARN', startsWith: [props.bucket.arnForObjects('')] },
          ],
        },
      ],
    });
    // CloudTrail checks the bucket policy and the role when the trail is created.
    if (aclCheck.policyDependable) this.trail.node.addDependency(aclCheck.policyDependable);
    this.trail.node.addDependency(policy);
  }
}
