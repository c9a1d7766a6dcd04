import { randomBytes, randomInt } from 'node:crypto';

/** Bytes of randomness in an HS256 signing key: 512 bits, the block size of SHA-256 (RFC 7518 asks for at least 256). */
export const JWT_SIGNING_KEY_BYTES = 64;
/** A Fernet key is 32 bytes: a 16-byte HMAC-SHA256 key and a 16-byte AES-128 key. */
export const FERNET_KEY_BYTES = 32;
/** Characters of a Redis AUTH token: about 381 bits from 62 symbols (ElastiCache allows 16 to 128). */
export const REDIS_AUTH_TOKEN_LENGTH = 64;
/**
 * The AUTH token alphabet: letters and digits only. ElastiCache accepts only a few punctuation
 * characters, and URL- or shell-special ones break clients that put the token in a URL.
 */
export const REDIS_AUTH_TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A new HS256 signing key: 64 random bytes in unpadded base64url (86 characters). Clients use
 * the string itself as the HMAC key (as Kong's jwt plugin does with `secret_is_base64: false`).
 */
export function newJwtSigningKey(): string {
  return randomBytes(JWT_SIGNING_KEY_BYTES).toString('base64url');
}

/** A new Fernet key: 32 random bytes in padded url-safe base64 (44 characters), as `Fernet.generate_key()` makes. */
export function newFernetKey(): string {
  return randomBytes(FERNET_KEY_BYTES).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** A new Redis AUTH token: 64 characters drawn uniformly (rejection-sampled by `randomInt`) from letters and digits. */
export function newRedisAuthToken(): string {
  return Array.from({ length: REDIS_AUTH_TOKEN_LENGTH }, () => REDIS_AUTH_TOKEN_ALPHABET[randomInt(REDIS_AUTH_TOKEN_ALPHABET.length)]).join(
    '',
  );
}

/** Throws unless `key` is an HS256 key as {@link newJwtSigningKey} makes them. */
export function checkJwtSigningKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(key) || Buffer.from(key, 'base64url').length < JWT_SIGNING_KEY_BYTES) {
    throw new Error(`A JWT signing key must be at least ${JWT_SIGNING_KEY_BYTES} random bytes in unpadded base64url`);
  }
}

/** Throws unless `key` is a valid Fernet key: 44 characters of padded url-safe base64 decoding to 32 bytes. */
export function checkFernetKey(key: string): void {
  if (!/^[A-Za-z0-9_-]{43}=$/.test(key) || Buffer.from(key, 'base64url').length !== FERNET_KEY_BYTES) {
    throw new Error(`A Fernet key must be ${FERNET_KEY_BYTES} bytes in padded url-safe base64 (44 characters)`);
  }
}

/** Throws unless `token` is an AUTH token ElastiCache accepts and {@link newRedisAuthToken} could have made. */
export function checkRedisAuthToken(token: string): void {
  if (token.length < 16 || token.length > 128 || [...token].some((c) => !REDIS_AUTH_TOKEN_ALPHABET.includes(c))) {
    throw new Error('A Redis AUTH token must be 16 to 128 letters and digits');
  }
}
