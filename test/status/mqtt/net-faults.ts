import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Network faults a clinic's broker shows in real life, made on loopback: a broker that takes
 * the TCP connection and then never answers, and a link that goes slow or refuses on demand.
 */

export interface StallingBroker {
  port: number;
  url: string;
  /** TCP connections accepted so far (one per connection attempt). */
  connections: () => number;
  /** Bytes received (the CONNECT packets nobody answers). */
  bytes: () => number;
  close: () => Promise<void>;
}

export async function startStallingBroker(): Promise<StallingBroker> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytes = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', (chunk) => {
      bytes += chunk.length;
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    connections: () => connections,
    bytes: () => bytes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface FaultyLink {
  port: number;
  url: string;
  /** Stop forwarding in both directions; bytes are held back, as with a stalled broker. */
  pause: () => void;
  resume: () => void;
  /** Refuse new connections (accept and reset at once) and cut existing ones. */
  block: () => void;
  unblock: () => void;
  connections: () => number;
  close: () => Promise<void>;
}

/** A TCP proxy to `target` on loopback that can be paused or blocked. */
export async function startFaultyLink(targetPort: number): Promise<FaultyLink> {
  const pairs = new Set<[Socket, Socket]>();
  let paused = false;
  let blocked = false;
  let connections = 0;
  const held: (() => void)[] = [];
  // Paused: bytes are held here, never delivered, so the far side sees silence (no PUBACK).
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => {
      if (paused) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  };
  const server = createServer((client) => {
    client.on('error', () => {});
    if (blocked) {
      client.destroy();
      return;
    }
    connections += 1;
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
  });
  const port = await listen(server);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const deliver of held.splice(0)) deliver();
    },
    block: () => {
      blocked = true;
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
    },
    unblock: () => {
      blocked = false;
    },
    connections: () => connections,
    close: async () => {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
