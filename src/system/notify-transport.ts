import { LinekeeperError } from '../shared/errors.js';

/**
 * Delivers sd_notify messages ("READY=1", "WATCHDOG=1", "STATUS=...") to systemd's notify
 * socket. One datagram per message; `send` is synchronous so a ping cannot queue up behind a
 * busy event loop and arrive after systemd has already given up on us.
 */
export interface NotifyTransport {
  send(message: string): void;
  close(): void;
}

/** Opens a transport to the socket named by NOTIFY_SOCKET (a path, or "@name" for abstract). */
export type OpenNotifyTransport = (socket: string) => Promise<NotifyTransport>;

export class SdNotifyError extends LinekeeperError {}
