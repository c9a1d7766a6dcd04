import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';

/** How many times the SDK tries one call before giving up (throttling and transient errors). */
export const SDK_MAX_ATTEMPTS = 8;

/** Properties of {@link createSecretsClient}. */
export interface SecretsClientOptions {
  /** The region; when undefined, the SDK's chain decides (AWS_REGION, the profile). */
  readonly region?: string;
  /** The tool's user agent, added to the SDK's. */
  readonly userAgent: string;
  /** A request handler to use instead of the SDK's HTTP client (tests). */
  readonly requestHandler?: SecretsManagerClientConfig['requestHandler'];
  /** Credentials instead of the SDK's provider chain (tests). */
  readonly credentials?: SecretsManagerClientConfig['credentials'];
  /** Tries per call. @default SDK_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
}

/**
 * A Secrets Manager client that retries throttled and transient failures itself, with the
 * SDK's adaptive mode: exponential backoff with jitter plus a client-side rate limiter that
 * slows down once the service starts throttling, up to {@link SDK_MAX_ATTEMPTS} attempts.
 */
export function createSecretsClient(options: SecretsClientOptions): SecretsManagerClient {
  return new SecretsManagerClient({
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? SDK_MAX_ATTEMPTS,
    customUserAgent: options.userAgent,
    ...(options.requestHandler ? { requestHandler: options.requestHandler } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}
