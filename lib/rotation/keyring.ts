/** One key of a keyring and the id clients select it by. */
export interface KeyringEntry {
  /** The id of the Secrets Manager version that introduced the key (e.g. a JWT `kid`, a Kong credential key). */
  readonly kid: string;
  readonly key: string;
}

/**
 * The value of a keyring secret (JWT signing key, API-key encryption key): the key to use now
 * and the one it replaced, so tokens and ciphertexts made with the previous key stay readable.
 *
 * ```json
 * { "current": { "kid": "...", "key": "..." }, "previous": { "kid": "...", "key": "..." } }
 * ```
 *
 * `current` is null only in the value CloudFormation creates, which the first rotation
 * (immediately on creation) replaces; `previous` is null until a second key exists and again
 * once a retired key is dropped.
 */
export interface Keyring {
  readonly current: KeyringEntry | null;
  readonly previous: KeyringEntry | null;
}

/**
 * The fields of a keyring value and of each of its entries, by name: the one definition every
 * reader outside the rotation functions (External Secrets templates, docs/secrets.md's contract for
 * clients) builds its paths from, so a renamed field breaks them at synthesis, not in production.
 */
export const KEYRING_FIELDS = {
  /** The key to sign or encrypt with now; null only before the first rotation. */
  current: 'current',
  /** The key `current` replaced; null before the second rotation and once a retired key is dropped. */
  previous: 'previous',
  /** An entry's key id. */
  kid: 'kid',
  /** An entry's key. */
  key: 'key',
} as const satisfies Record<keyof Keyring | keyof KeyringEntry, string>;

/**
 * The value CloudFormation creates a keyring secret with: no key yet (`current` and `previous`
 * null) and a random filler field, because CloudFormation cannot create a secret from a template
 * without generating a field. The first rotation, run as soon as the schedule exists, replaces it.
 */
export const KEYRING_BOOTSTRAP = {
  /** The JSON the generated field is added to. */
  template: { current: null, previous: null } satisfies Keyring,
  /** The generated filler field's name. */
  generatedField: 'bootstrap',
} as const;

/** Parses a keyring value, checking each key with `checkKey`. Messages never contain a key. */
export function parseKeyring(value: string, checkKey: (key: string) => void): Keyring {
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new Error('The keyring is not JSON');
  }
  if (typeof data !== 'object' || data === null || !('current' in data) || !('previous' in data)) {
    throw new Error('The keyring must be a JSON object with "current" and "previous"');
  }
  const record = data as Record<string, unknown>;
  return { current: parseEntry(record.current, 'current', checkKey), previous: parseEntry(record.previous, 'previous', checkKey) };
}

/** Serializes a keyring with exactly its two fields. */
export function serializeKeyring(keyring: Keyring): string {
  return JSON.stringify({ current: keyring.current, previous: keyring.previous });
}

function parseEntry(entry: unknown, name: string, checkKey: (key: string) => void): KeyringEntry | null {
  if (entry === null) return null;
  if (typeof entry !== 'object' || typeof (entry as KeyringEntry).kid !== 'string' || typeof (entry as KeyringEntry).key !== 'string') {
    throw new Error(`The keyring's "${name}" must be null or { "kid": string, "key": string }`);
  }
  const { kid, key } = entry as KeyringEntry;
  if (kid === '') throw new Error(`The keyring's "${name}" has an empty kid`);
  try {
    checkKey(key);
  } catch (error) {
    throw new Error(`The keyring's "${name}" key is invalid: ${(error as Error).message}`, { cause: error });
  }
  return { kid, key };
}
