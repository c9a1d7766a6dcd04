import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * Key policy statements for the audit services: each names one resource by the ARN built from
 * the naming module (the key's stack deploys before the resource exists, and a token would
 * make the keys stack depend on the audit stack), and each is conditioned so that the key
 * serves that resource and nothing else.
 */

/**
 * CloudTrail may encrypt the log files of the one trail (and describe the key while it sets
 * the trail up); principals of the account may decrypt those log files only through S3, and
 * only when their IAM policy also allows it.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 */
export function cloudTrailUsage(scope: Construct, trailName: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;
  // CloudTrail puts the trail's ARN in the encryption context of every log file; the region
  // part varies for a multi-region trail's events, the trail name does not.
  const logFileContext = `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/${trailName}`;
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  return [
    new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsTrailLogFiles',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': logFileContext },
      },
    }),
    new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
    new iam.PolicyStatement({
      sid: 'AuditReadersDecryptTrailLogFilesThroughS3',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': logFileContext },
      },
    }),
  ];
}

/**
 * Lets CloudWatch alarms, EventBridge rules and (through SNS, with an IAM grant) principals of
 * the account publish to one KMS-encrypted SNS topic: SNS names the topic in the encryption
 * context, so the key serves that topic only.
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 */
export function encryptedTopicUsage(scope: Construct, topicName: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const topicArn = `arn:${stack.partition}:sns:${stack.region}:${stack.account}:${topicName}`;
  const topicContext = { 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
  const actions = ['kms:Decrypt', 'kms:GenerateDataKey*'];
  return [
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsPublishToAlertTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions,
      resources: ['*'],
      conditions: { StringEquals: { ...topicContext, 'aws:SourceAccount': stack.account } },
    }),
    new iam.PolicyStatement({
      sid: 'EventBridgePublishesToAlertTopic',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions,
      resources: ['*'],
      // EventBridge does not pass aws:SourceAccount or aws:SourceArn on to KMS: a condition on
      // them would drop every finding silently. The topic's encryption context is the bound.
      conditions: { StringEquals: topicContext },
    }),
    new iam.PolicyStatement({
      sid: 'AlertTopicThroughSns',
      principals: [new iam.AccountRootPrincipal()],
      actions,
      resources: ['*'],
      conditions: {
        StringEquals: { ...topicContext, 'kms:CallerAccount': stack.account, 'kms:ViaService': `sns.${stack.region}.amazonaws.com` },
      },
    }),
  ];
}

/**
 * Lets principals of the account (with an IAM grant of their own) use a key through S3 for the
 * objects of one bucket: S3 puts the object's ARN in the encryption context (the bucket must
 * not use S3 Bucket Keys, which would put the bucket's ARN there instead).
 */
export function bucketUsage(scope: Construct, sid: string, bucketName: string): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.AccountRootPrincipal()],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'kms:CallerAccount': stack.account, 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
      StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:${stack.partition}:s3:::${bucketName}/*` },
    },
  });
}
