import type * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Sends every event of a bucket (object created, deleted, restored, ...) to the account's
 * default EventBridge bus, where detection rules can match a deleted log or an unexpected
 * writer. Set on the CloudFormation resource itself: the L2 `eventBridgeEnabled` would add a
 * custom-resource Lambda function to every stack with a bucket, for what CloudFormation does natively.
 */
export function notifyEventBridge(bucket: s3.CfnBucket): void {
  if (bucket.notificationConfiguration !== undefined) {
    throw new Error(`${bucket.node.path} already has a notification configuration; add EventBridge to it instead`);
  }
  bucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}
