import { z } from 'zod';

/** The shortest `secrets.clientRefreshMinutes` allowed: anything reading secrets must re-read them more often. */
export const MIN_CLIENT_REFRESH_MINUTES = 5;

/** How the stage's secrets reach their clients, which bounds how long an old value must keep working. */
export const secretsSection = z
  .strictObject({
    /**
     * The longest any client takes to pick up a new version of a secret (External Secrets'
     * refresh interval plus a restart, if a workload reads it only at start-up), in minutes.
     * The old Redis AUTH token is dropped this long after a rotation; the previous JWT signing
     * key this long after the session lifetime has also passed.
     * @default 60
     */
    clientRefreshMinutes: z.number().int().min(MIN_CLIENT_REFRESH_MINUTES).max(1440).default(60),
  })
  .prefault({});
