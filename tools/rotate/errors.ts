/** The tool's exit codes; the runbook in docs/rotation.md starts from them. */
export const EXIT = {
  /** Everything checked is in order. */
  ok: 0,
  /** A policy failure: a secret overdue, a rotation, renewal or restart failed, a log broken. */
  policy: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The tool could not do its work: no credentials, access denied, throttled past every retry, an API unreachable. */
  access: 3,
} as const;

/** What went wrong, for the audit event and the exit code. */
export type ToolErrorKind = 'credentials' | 'access-denied' | 'throttled' | 'not-found' | 'unreachable' | 'usage' | 'failed';

/** An error the tool explains: the message says what happened and what to do about it. */
export class ToolError extends Error {
  constructor(
    message: string,
    public readonly kind: ToolErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ToolError';
  }

  /** The exit code this error ends the run with. */
  public get exitCode(): number {
    if (this.kind === 'usage') return EXIT.usage;
    if (this.kind === 'failed' || this.kind === 'not-found') return EXIT.policy;
    return EXIT.access;
  }
}

/** The names the AWS SDK gives the errors that mean "you may not". */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException']);
/** The names the AWS SDK gives the errors that mean "slow down". */
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

/**
 * Turns an AWS SDK error into a {@link ToolError} that says what to do: missing credentials
 * name the Pod Identity association to check, access denied names the action, throttling says
 * the SDK's retries were used up. Other errors pass through unchanged.
 */
export function explainAwsError(error: unknown, action: string, resource: string, serviceAccount?: string): unknown {
  if (error instanceof ToolError || !(error instanceof Error)) return error;
  const name = error.name;
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    const where = serviceAccount
      ? `in the cluster, check the EKS Pod Identity association of ServiceAccount ${serviceAccount} and that the Pod Identity Agent runs on the node`
      : 'in the cluster, check the EKS Pod Identity association of the job’s ServiceAccount';
    return new ToolError(
      `No AWS credentials found for ${action}: ${where}; on a workstation, set AWS_PROFILE (or run aws sso login) first. (${error.message})`,
      'credentials',
      { cause: error },
    );
  }
  if (ACCESS_DENIED.has(name)) {
    return new ToolError(
      `Access denied: ${action} on ${resource} (${error.message}). The rotation role allows only ListSecrets, DescribeSecret and RotateSecret on the stage’s secrets; check the secret’s name prefix and its resource policy.`,
      'access-denied',
      { cause: error },
    );
  }
  if (THROTTLED.has(name)) {
    return new ToolError(
      `Throttled by AWS: ${action} on ${resource} was still refused after ${attempts ?? 'every'} attempt(s) with adaptive backoff (${error.message}). Run again later, or look for another client using up the account’s Secrets Manager quota.`,
      'throttled',
      { cause: error },
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new ToolError(`Not found: ${action} on ${resource} (${error.message})`, 'not-found', { cause: error });
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError'].some((code) => name === code || error.message.includes(code))
  ) {
    return new ToolError(
      `Cannot reach AWS for ${action} (${error.message}): check the job's egress NetworkPolicy, DNS and the Secrets Manager endpoint`,
      'unreachable',
      { cause: error },
    );
  }
  return error;
}
