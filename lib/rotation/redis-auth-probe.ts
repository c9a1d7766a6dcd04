import Redis from 'ioredis';
import type { RedisEndpoint } from './replication-group';

/** Whether the server accepts a password: true if AUTH succeeds, false if it is refused; throws if it cannot tell. */
export type RedisAuthProbe = (endpoint: RedisEndpoint, password: string) => Promise<boolean>;

/** Options of {@link ioredisAuthProbe}. */
export interface IoredisAuthProbeOptions {
  /**
   * Whether to connect with TLS, verifying the server's certificate against its host name.
   * Only tests turn it off, to talk to a local plain-text server.
   * @default true
   */
  readonly tls?: boolean;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** Errors Redis and Valkey answer a refused AUTH with. */
const REFUSED = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

/**
 * A probe that opens one connection, authenticates (ioredis sends AUTH on connect), sends PING
 * and closes. It never retries and never queues commands, so a refused password is reported
 * at once. Some servers echo the password in an error ("ERR AUTH <password> called without
 * any password configured"), so it is cut out of every message passed on.
 */
export function ioredisAuthProbe(options: IoredisAuthProbeOptions = {}): RedisAuthProbe {
  return async (endpoint, password) => {
    const client = new Redis({
      host: endpoint.host,
      port: endpoint.port,
      password,
      // RESP2 sends a plain AUTH, which every ElastiCache engine version answers; no client
      // metadata or maintenance subscriptions on a connection that only tests a password.
      protocol: 2,
      disableClientInfo: true,
      tls: options.tls === false ? undefined : { servername: endpoint.host },
      connectTimeout: options.timeoutMs ?? 5000,
      commandTimeout: options.timeoutMs ?? 5000,
      lazyConnect: true,
      enableOfflineQueue: false,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      reconnectOnError: () => false,
    });
    // A refused AUTH arrives as an 'error' event; the promises only say the connection closed.
    let reported: Error | undefined;
    client.on('error', (error: Error) => (reported = error));
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch (error) {
      const message = [reported?.message, (error as Error).message]
        .filter((part): part is string => part !== undefined)
        .join('; ')
        .split(password)
        .join('[redacted]');
      if (REFUSED.test(message)) return false;
      // The cause is not attached: its message could carry the password.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`Could not reach ${endpoint.host}:${endpoint.port} to test an AUTH token: ${message}`);
    } finally {
      client.disconnect();
    }
  };
}
