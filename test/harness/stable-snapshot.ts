/**
 * A jest snapshot serializer (registered in jest.config.js) that replaces asset hashes
 * (64 hex digits, as in S3 keys and asset paths) with a fixed marker, so a snapshot changes
 * only when infrastructure changes, not when a bundled handler's bytes or the CDK version do.
 */
const ASSET_HASH = /[0-9a-f]{64}/;

const serializer = {
  /** The marker that stands in for every hash. */
  marker: '[asset-hash]',
  test: (value: unknown): boolean => typeof value === 'string' && ASSET_HASH.test(value),
  serialize: (value: string): string => JSON.stringify(value.replace(new RegExp(ASSET_HASH.source, 'g'), serializer.marker)),
};

export = serializer;
