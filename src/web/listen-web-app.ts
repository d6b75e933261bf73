import type { FastifyInstance } from 'fastify';
import { LinekeeperError } from '../shared/errors.js';

export class WebListenError extends LinekeeperError {}

/**
 * Starts listening and turns the socket errors a technician meets into messages that say what
 * to change. Resolves with the page's base URL.
 */
export async function listenWebApp(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (error) {
    const where = `web page cannot listen on ${host}:${port}`;
    switch ((error as NodeJS.ErrnoException).code) {
      case 'EADDRINUSE':
        throw new WebListenError(
          'WEB_PORT_IN_USE',
          `${where}: the port is in use (is linekeeper already running?); set web.port to another port`,
          { cause: error },
        );
      case 'EACCES':
        throw new WebListenError(
          'WEB_PORT_DENIED',
          `${where}: permission denied (ports below 1024 need privileges); set web.port to 1024 or above`,
          { cause: error },
        );
      case 'EADDRNOTAVAIL':
        throw new WebListenError(
          'WEB_HOST_UNAVAILABLE',
          `${where}: ${host} is not an address of this machine; set web.host to 127.0.0.1`,
          { cause: error },
        );
      default:
        throw new WebListenError('WEB_LISTEN_FAILED', `${where}: ${(error as Error).message}`, {
          cause: error,
        });
    }
  }
}
