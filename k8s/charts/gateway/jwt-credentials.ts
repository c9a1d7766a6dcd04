import { KEYRING_FIELDS } from '../../../lib/rotation/keyring';

/**
 * The contract between the signing keyring in Secrets Manager, Kong's jwt credentials and the
 * auth service that signs tokens (docs/secrets.md, "Reading current and previous keys").
 *
 * The keyring is `{"current":{"kid","key"},"previous":{"kid","key"}|null}` (`lib/rotation/keyring.ts`).
 * Each consumer gets one Kong jwt credential per slot. Kong finds a token's credential by its `kid`
 * claim (payload, then JOSE header) and requires credential keys to be unique across consumers, so
 * the `kid` a token carries names both the consumer and the keyring entry that signed it:
 * `<consumer>.<entry kid>`.
 */

/** The slots of the keyring a consumer has a credential for. */
export const JWT_CREDENTIAL_SLOTS = [KEYRING_FIELDS.current, KEYRING_FIELDS.previous] as const;

/** One slot of the keyring. */
export type JwtCredentialSlot = (typeof JWT_CREDENTIAL_SLOTS)[number];

/** The key of the fetched data the credential templates read: the whole keyring JSON. */
export const SIGNING_KEYRING = 'keyring';

/** Separates the consumer from the entry's kid; a consumer name (a DNS label) never contains it. */
export const JWT_KEY_ID_SEPARATOR = '.';

/**
 * The `kid` of a token a consumer's key signed, and the `key` of Kong's credential for it: the
 * consumer's name, a dot and the `kid` of the keyring entry (a Secrets Manager version id).
 */
export function jwtKeyId(consumer: string, entryKid: string): string {
  return `${consumer}${JWT_KEY_ID_SEPARATOR}${entryKid}`;
}

/** The credential key of a consumer's `previous` slot while the keyring has no previous key: no token names it. */
export function noPreviousKeyId(consumer: string): string {
  return jwtKeyId(consumer, 'no-previous-key');
}

/**
 * External Secrets templates (engine v2, Go templates with Sprig) of one jwt credential Secret
 * (`key`, `algorithm`, `secret`), computed from the whole keyring JSON in {@link SIGNING_KEYRING}.
 *
 * - `current`: the current entry; while the keyring has none (before its first rotation, seconds
 *   after the stack is created) the template fails, so the sync fails and Kong gets no credential
 *   rather than an empty key.
 * - `previous`: the previous entry; while there is none (before the second rotation, and once a
 *   retired key is dropped) a placeholder credential whose key id no token carries, holding the
 *   current key (Kong refuses a credential without a secret, and the current key grants nothing the
 *   current credential does not).
 */
export function jwtCredentialTemplate(consumer: string, slot: JwtCredentialSlot, secretName: string): Record<string, string> {
  const { current, previous, kid, key } = KEYRING_FIELDS;
  const ring = `(.${SIGNING_KEYRING} | fromJson)`;
  const noCurrent = `{{ fail "${secretName} has no current key yet: its first rotation has not finished" }}`;
  const keyId = (field: string) => `${consumer}${JWT_KEY_ID_SEPARATOR}{{ .${field} }}`;
  if (slot === current) {
    return {
      key: `{{ with ${ring}.${current} }}${keyId(kid)}{{ else }}${noCurrent}{{ end }}`,
      algorithm: 'HS256',
      secret: `{{ with ${ring}.${current} }}{{ .${key} }}{{ else }}${noCurrent}{{ end }}`,
    };
  }
  return {
    key: `{{ with ${ring}.${previous} }}${keyId(kid)}{{ else }}${noPreviousKeyId(consumer)}{{ end }}`,
    algorithm: 'HS256',
    secret:
      `{{ $ring := .${SIGNING_KEYRING} | fromJson }}{{ with $ring.${previous} }}{{ .${key} }}` +
      `{{ else }}{{ with $ring.${current} }}{{ .${key} }}{{ else }}${noCurrent}{{ end }}{{ end }}`,
  };
}
