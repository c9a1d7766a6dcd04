import { z } from 'zod';
import { email } from './primitives';

/** Where security alerts go (design document, "Monitor security alerts 24/7"). */
export const alertsSection = z.strictObject({
  /** E-mail addresses subscribed to the security alert topic. */
  emails: z.array(email).min(1, { error: 'must list at least one address: an alert nobody receives is not an alert' }),
});
