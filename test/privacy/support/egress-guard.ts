import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

export interface EgressAttempt {
  kind: 'tcp' | 'udp' | 'dns';
  target: string;
}

/**
 * Intercepts every outbound connection this process tries: TCP (net.Socket#connect, which
 * http, https, tls, fetch and MQTT.js all go through), UDP sends and DNS lookups. Allowed
 * targets connect as usual; anything else is recorded and refused with an error, as a
 * firewall with a default-deny rule would.
 */
export function interceptEgress(allowed: (attempt: EgressAttempt) => boolean) {
  const attempts: EgressAttempt[] = [];
  const blocked: EgressAttempt[] = [];
  const check = (attempt: EgressAttempt) => {
    attempts.push(attempt);
    const ok = allowed(attempt);
    if (!ok) blocked.push(attempt);
    return ok;
  };

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (
      Array.isArray(first) ? first[0] : typeof first === 'object' && first !== null ? first : null
    ) as { port?: number; host?: string; path?: string } | null;
    const target =
      options?.path ??
      (options
        ? `${options.host ?? 'localhost'}:${options.port}`
        : typeof first === 'string' && !/^\d+$/.test(first)
          ? first
          : `${typeof args[1] === 'string' ? args[1] : 'localhost'}:${String(first)}`);
    if (!check({ kind: 'tcp', target })) {
      process.nextTick(() => this.destroy(new Error(`egress to ${target} blocked by test`)));
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const send = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
    const port = args.find((a) => typeof a === 'number' && a > 0);
    const host = args.find((a) => typeof a === 'string');
    if (!check({ kind: 'udp', target: `${String(host)}:${String(port)}` })) return;
    return (send as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;

  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;
  const isLoopbackName = (host: string) =>
    ['localhost', '127.0.0.1', '::1'].includes(host) || net.isIP(host) !== 0;
  dns.lookup = ((host: string, ...rest: unknown[]) => {
    const callback = rest.at(-1) as (err: Error | null, ...r: unknown[]) => void;
    if (!check({ kind: 'dns', target: host }) && !isLoopbackName(host)) {
      process.nextTick(() => callback(new Error(`DNS lookup of ${host} blocked by test`)));
      return;
    }
    return (lookup as (...a: unknown[]) => void)(host, ...rest);
  }) as typeof dns.lookup;
  dns.promises.lookup = (async (host: string, ...rest: unknown[]) => {
    if (!check({ kind: 'dns', target: host }) && !isLoopbackName(host))
      throw new Error(`DNS lookup of ${host} blocked by test`);
    return (promisesLookup as (...a: unknown[]) => unknown)(host, ...rest);
  }) as typeof dns.promises.lookup;

  return {
    attempts,
    blocked,
    restore() {
      net.Socket.prototype.connect = connect;
      dgram.Socket.prototype.send = send;
      dns.lookup = lookup;
      dns.promises.lookup = promisesLookup;
    },
  };
}
