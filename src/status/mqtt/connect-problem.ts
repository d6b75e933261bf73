import { describeBroker, type ResolvedMqttOptions } from './mqtt-options.js';

/** Why the broker connection failed, in words a technician on site can act on. */
export interface ConnectProblem {
  /** Stable key: logs and health group repeats by it. */
  kind:
    | 'auth-refused'
    | 'not-authorised'
    | 'refused'
    | 'unreachable'
    | 'dns'
    | 'no-connack'
    | 'tls'
    | 'keepalive'
    | 'reset'
    | 'other';
  message: string;
  /** Auth and TLS problems do not heal by retrying; they need a person. */
  needsPerson: boolean;
}

const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

export function classifyConnectError(error: unknown, o: ResolvedMqttOptions): ConnectProblem {
  const broker = describeBroker(o.url);
  const e = error as { code?: unknown; message?: unknown };
  const code = e?.code;
  const text = typeof e?.message === 'string' ? e.message : String(error);
  const user = o.username === undefined ? 'no username' : `user "${o.username}"`;

  // CONNACK return codes (MQTT 3.1.1): 4 bad username or password, 5 not authorised.
  if (code === 4 || code === 134) {
    return {
      kind: 'auth-refused',
      needsPerson: true,
      message:
        `broker ${broker} refused the username/password (${user}): check mqtt.username and ` +
        "mqtt.password against the broker's password file",
    };
  }
  if (code === 5 || code === 135) {
    return {
      kind: 'not-authorised',
      needsPerson: true,
      message:
        `broker ${broker} refused the connection as not authorised (${user}): check ` +
        "mqtt.username/mqtt.password and the broker's password file and ACL",
    };
  }
  if (typeof code === 'number') {
    return {
      kind: 'refused',
      needsPerson: true,
      message: `broker ${broker} refused the connection (${text}, code ${code})`,
    };
  }
  if (code === 'ECONNREFUSED') {
    return {
      kind: 'unreachable',
      needsPerson: false,
      message: `nothing is listening at ${broker}: is the broker running, and is the port right?`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
    return {
      kind: 'unreachable',
      needsPerson: false,
      message: `cannot reach ${broker} (${String(code)}): check the network and the address`,
    };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      kind: 'dns',
      needsPerson: false,
      message: `cannot resolve the broker host in ${broker}: check mqtt.url and DNS`,
    };
  }
  if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL'))) {
    return {
      kind: 'tls',
      needsPerson: true,
      message:
        `TLS with ${broker} failed (${code}: ${text}): set mqtt.tls.ca to the CA that signed ` +
        "the broker's certificate and make sure the URL's host name is in that certificate",
    };
  }
  if (text === 'connack timeout') {
    return {
      kind: 'no-connack',
      needsPerson: false,
      message:
        `broker ${broker} accepted the connection but did not answer MQTT CONNECT within ` +
        `${o.connectTimeoutMs} ms: broker overloaded, or a TLS port used with mqtt:// (or the reverse)`,
    };
  }
  if (text === 'Keepalive timeout') {
    return {
      kind: 'keepalive',
      needsPerson: false,
      message: `broker ${broker} stopped answering keepalive pings; reconnecting`,
    };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return {
      kind: 'reset',
      needsPerson: false,
      message: `connection to ${broker} was reset (${String(code)}); reconnecting`,
    };
  }
  return { kind: 'other', needsPerson: false, message: `MQTT connection problem: ${text}` };
}
