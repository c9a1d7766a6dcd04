import { createServer, type Server } from 'node:net';
import { ioredisAuthProbe } from '../../lib/rotation/redis-auth-probe';

/** Parses RESP arrays of bulk strings (what clients send) from a buffer; returns the complete commands. */
function parseCommands(buffer: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let rest = buffer;
  for (;;) {
    const match = /^\*(\d+)\r\n/.exec(rest);
    if (!match) return { commands, rest };
    let offset = match[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(match[1]); i++) {
      const header = /^\$(\d+)\r\n/.exec(rest.slice(offset));
      if (!header) return { commands, rest };
      const start = offset + header[0].length;
      const end = start + Number(header[1]);
      if (rest.length < end + 2) return { commands, rest };
      args.push(rest.slice(start, end));
      offset = end + 2;
    }
    commands.push(args);
    rest = rest.slice(offset);
  }
}

/**
 * A plain-text server that speaks enough of the Redis protocol for AUTH and PING, with the
 * replies Redis gives: +OK or -WRONGPASS for AUTH, -NOAUTH for a command before it.
 */
function fakeRedis(password: string, options: { echoPasswordInError?: boolean } = {}): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    let buffer = '';
    let authenticated = false;
    socket.on('data', (chunk) => {
      const parsed = parseCommands(buffer + chunk.toString('utf8'));
      buffer = parsed.rest;
      for (const [name, ...args] of parsed.commands) {
        const command = name.toUpperCase();
        if (command === 'AUTH') {
          if (options.echoPasswordInError) socket.end(`-ERR unexpected failure for AUTH ${args[args.length - 1]}\r\n`);
          else if (args[args.length - 1] === password) {
            authenticated = true;
            socket.write('+OK\r\n');
          } else socket.write('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
        } else if (!authenticated) socket.write('-NOAUTH Authentication required.\r\n');
        else if (command === 'PING') socket.write('+PONG\r\n');
        else socket.write('+OK\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

describe('the ioredis AUTH probe', () => {
  const probe = ioredisAuthProbe({ tls: false, timeoutMs: 2000 });
  let server: Server;
  let port: number;

  beforeAll(async () => ({ server, port } = await fakeRedis('right-token-0123456789')));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('reports an accepted password', async () => {
    await expect(probe({ host: '127.0.0.1', port }, 'right-token-0123456789')).resolves.toBe(true);
  });

  test('reports a refused password as false, not an error', async () => {
    await expect(probe({ host: '127.0.0.1', port }, 'wrong-token-0123456789')).resolves.toBe(false);
  });

  test('throws when the server cannot be reached', async () => {
    const closed = await fakeRedis('x');
    const closedPort = closed.port;
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(probe({ host: '127.0.0.1', port: closedPort }, 'any-token-0123456789')).rejects.toThrow(/Could not reach 127\.0\.0\.1/);
  });

  test('never passes on a password a server echoes in its error', async () => {
    const echoing = await fakeRedis('x', { echoPasswordInError: true });
    try {
      const error = await probe({ host: '127.0.0.1', port: echoing.port }, 'leaky-token-0123456789').catch((e: Error) => e);
      expect(String(error)).not.toContain('leaky-token-0123456789');
      expect(String(error)).toContain('[redacted]');
    } finally {
      await new Promise((resolve) => echoing.server.close(resolve));
    }
  });

  test('uses TLS with the host name checked unless told otherwise', async () => {
    // A plain-text server cannot complete a TLS handshake: the default probe must fail, not fall back.
    await expect(ioredisAuthProbe({ timeoutMs: 1000 })({ host: '127.0.0.1', port }, 'right-token-0123456789')).rejects.toThrow(
      /Could not reach/,
    );
  });
});
