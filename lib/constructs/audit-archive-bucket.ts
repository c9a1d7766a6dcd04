import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, inCompliancePacks } from '../compliance/acknowledge';
import { notifyEventBridge } from './bucket-events';

/** Properties of an {@link AuditArchiveBucket}. */
export interface AuditArchiveBucketProps {
  /** The bucket's name, from the naming module (the logs key's policy names it). */
  readonly bucketName: string;
  /** Encrypts every object. */
  readonly encryptionKey: kms.IKey;
  /** Days each object is locked in compliance mode. */
  readonly objectLockDays: number;
  /** Days after which objects move to S3 Glacier Instant Retrieval. */
  readonly archiveAfterDays: number;
  /**
   * Days after which objects are deleted.
   * @default - never; kept until deleted on purpose
   */
  readonly expireAfterDays?: number;
  /** Where S3 writes this bucket's server access logs. */
  readonly serverAccessLogsBucket: s3.IBucket;
}

/**
 * The audit archive: CloudTrail log files and AWS Config snapshots. Object Lock in compliance
 * mode makes every object immutable for the retention period, for everyone including the root
 * user; versioned, private, TLS-only, KMS-encrypted, its own access logged, archived by lifecycle.
 */
export class AuditArchiveBucket extends Construct {
  /** The bucket. */
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditArchiveBucketProps) {
    super(scope, id);
    if (props.expireAfterDays !== undefined && props.expireAfterDays < props.objectLockDays) {
      throw new Error(`Audit objects are locked for ${props.objectLockDays} days; they cannot expire after ${props.expireAfterDays}`);
    }
    this.bucket = new s3.Bucket(this, 'Resource', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // No S3 Bucket Key: with one, S3 would put the bucket's ARN in the encryption context
      // instead of CloudTrail's, and the key policy could no longer tell trail log files (and
      // each object) apart. CloudTrail and Config write a few objects an hour; the KMS calls are cheap.
      bucketKeyEnabled: false,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.objectLockDays)),
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: `s3/${props.bucketName}/`,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'Archive',
          transitions: [
            { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(props.archiveAfterDays) },
          ],
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          ...(props.expireAfterDays === undefined
            ? {}
            : // Expiry leaves a delete marker; the locked version itself goes once it is no longer current and no longer locked.
              { expiration: Duration.days(props.expireAfterDays), noncurrentVersionExpiration: Duration.days(1) }),
        },
      ],
    });
    notifyEventBridge(this.bucket.node.defaultChild as s3.CfnBucket);
    acknowledge(
      this.bucket.node.defaultChild as s3.CfnBucket,
      inCompliancePacks('S3BucketReplicationEnabled'),
      'The archive is immutable under Object Lock compliance mode and CloudTrail records every region into it; a replica would need a second locked bucket and key in another region, left to the disaster-recovery design.',
    );
  }
}
