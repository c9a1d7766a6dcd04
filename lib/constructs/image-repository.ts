import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of an {@link ImageRepository}. */
export interface ImageRepositoryProps {
  /** The repository's name, from the naming module. */
  readonly repositoryName: string;
  /** Encrypts the image layers (a customer-managed key, usable only through ECR). */
  readonly encryptionKey: kms.IKey;
}

/**
 * A private ECR repository for one of the project's images: every push is scanned for
 * vulnerabilities, a tag once pushed can never point at another image, and layers are
 * encrypted with the data-stores key. Untagged images (failed or superseded pushes) expire.
 */
export class ImageRepository extends Construct {
  /** The repository. */
  public readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Resource', {
      repositoryName: props.repositoryName,
      imageScanOnPush: true,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey: props.encryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      emptyOnDelete: false,
      lifecycleRules: [
        { description: 'Expire untagged images after 14 days', tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(14) },
      ],
    });
  }
}
