import { z } from 'zod';
import { dnsLabel } from './primitives';

/** Where External Secrets Operator runs, and how often it re-reads what it syncs. */
export const externalSecretsSection = z
  .strictObject({
    /**
     * The namespace the operator's controller runs in (its Pod Identity association names it).
     * @default external-secrets (the Helm chart's usual namespace)
     */
    namespace: dnsLabel.default('external-secrets'),
    /**
     * The controller's ServiceAccount (its Pod Identity association names it).
     * @default external-secrets (the Helm chart's default for a release named external-secrets)
     */
    serviceAccount: dnsLabel.default('external-secrets'),
    /**
     * Minutes between two reads of a rotating secret. Must be at most half the session lifetime,
     * because a rotated JWT key's predecessor stays valid for one session only.
     * @default 15
     */
    refreshMinutes: z.number().int().min(1).max(60).default(15),
  })
  .prefault({});

/** The part of a stage's configuration the refresh check refers to. */
interface RefreshReferences {
  readonly externalSecrets: z.output<typeof externalSecretsSection>;
  readonly session: { readonly maxLifetimeSeconds: number };
  readonly secrets: { readonly clientRefreshMinutes: number };
}

/**
 * Checks that secrets are re-read well inside the rotation overlap: after a rotation the previous
 * JWT key stays valid for one session lifetime, and pods must have the new key before then; the
 * old Redis AUTH token is dropped `secrets.clientRefreshMinutes` after a rotation, and the synced
 * Secrets must hold the new one before that.
 */
export function checkRefreshWithinOverlap(config: RefreshReferences, ctx: z.RefinementCtx): void {
  const limit = config.session.maxLifetimeSeconds / 2 / 60;
  if (config.externalSecrets.refreshMinutes > limit) {
    ctx.addIssue({
      code: 'custom',
      path: ['externalSecrets', 'refreshMinutes'],
      message: `must be at most half of session.maxLifetimeSeconds (${limit} minutes): a rotated JWT key's predecessor stays valid for one session only`,
    });
  }
  if (config.externalSecrets.refreshMinutes >= config.secrets.clientRefreshMinutes) {
    ctx.addIssue({
      code: 'custom',
      path: ['externalSecrets', 'refreshMinutes'],
      message: `must be shorter than secrets.clientRefreshMinutes (${config.secrets.clientRefreshMinutes}): the old Redis AUTH token stops working that long after a rotation, and every synced Secret must hold the new one before then`,
    });
  }
}
