import { z } from 'zod';

/** The design document's cap: "Session timeouts: Max 1 hour, configurable". */
export const MAX_SESSION_SECONDS = 3600;

/** Session and token lifetimes. */
export const sessionSection = z
  .strictObject({
    /**
     * The longest a session or access token may live, in seconds.
     * @default 3600
     */
    maxLifetimeSeconds: z
      .number()
      .int()
      .min(60)
      .max(MAX_SESSION_SECONDS, { error: `must be at most ${MAX_SESSION_SECONDS} seconds (the design document caps sessions at 1 hour)` })
      .default(MAX_SESSION_SECONDS),
  })
  .prefault({});
