import { constants } from 'node:os';
import type { NotifyTransport } from './notify-transport.js';
import { SdNotifyError } from './notify-transport.js';

// Linux values, the same on x86-64, arm64 and armhf (the Pi).
const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_NOSIGNAL = 0x4000;
/** sizeof(struct sockaddr_un.sun_path) on Linux. */
const SUN_PATH_MAX = 108;

interface LibcSocketCalls {
  socket(domain: number, type: number, protocol: number): number;
  sendto(
    fd: number,
    buf: Buffer,
    len: number,
    flags: number,
    addr: Buffer,
    addrLen: number,
  ): number;
  close(fd: number): number;
  errno(): number;
}

/**
 * Node has no unix datagram sockets, and the notify socket only takes datagrams. Rather than
 * spawn `systemd-notify` for every watchdog ping (a fork per ping, and NotifyAccess=all because
 * the sender would not be the main process), three libc calls are made through koffi, which the
 * speech engine already uses. The main process sends, so the unit keeps NotifyAccess=main.
 */
async function loadLibc(): Promise<LibcSocketCalls> {
  try {
    const { default: koffi } = await import('koffi');
    const libc = koffi.load('libc.so.6');
    const socket = libc.func('int socket(int, int, int)');
    const sendto = libc.func(
      'long sendto(int, const void *buf, size_t len, int flags, const void *addr, uint32_t addrlen)',
    );
    const close = libc.func('int close(int)');
    return {
      socket: (d, t, p) => socket(d, t, p) as number,
      sendto: (fd, buf, len, flags, addr, addrLen) =>
        Number(sendto(fd, buf, len, flags, addr, addrLen)),
      close: (fd) => close(fd) as number,
      errno: () => koffi.errno(),
    };
  } catch (error) {
    throw new SdNotifyError(
      'SD_NOTIFY_UNAVAILABLE',
      `cannot load libc.so.6 through koffi to talk to systemd (${(error as Error).message}); reinstall linekeeper (npm ci) or run the unit as Type=simple`,
      { cause: error },
    );
  }
}

/** struct sockaddr_un for a path, or for an abstract name when NOTIFY_SOCKET starts with "@". */
export function socketAddress(socket: string): Buffer {
  const abstract = socket.startsWith('@');
  const name = Buffer.from(abstract ? `\0${socket.slice(1)}` : socket, 'utf8');
  // A path carries its terminating NUL; an abstract name is exactly as long as it is.
  const pathLength = abstract ? name.length : name.length + 1;
  if (name.length < 2 || pathLength > SUN_PATH_MAX) {
    throw new SdNotifyError(
      'SD_NOTIFY_BAD_SOCKET',
      `NOTIFY_SOCKET="${socket}" is not a usable unix socket address (1 to ${SUN_PATH_MAX - 1} bytes); systemd sets it, so check the unit's Environment= lines`,
    );
  }
  const address = Buffer.alloc(2 + pathLength);
  address.writeUInt16LE(AF_UNIX, 0);
  name.copy(address, 2);
  return address;
}

function errnoName(errno: number): string {
  const entry = Object.entries(constants.errno).find(([, value]) => value === errno);
  return entry ? entry[0] : `errno ${errno}`;
}

export async function openDatagramNotifyTransport(socket: string): Promise<NotifyTransport> {
  const address = socketAddress(socket);
  const libc = await loadLibc();
  const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw new SdNotifyError(
      'SD_NOTIFY_SOCKET_FAILED',
      `cannot create a unix datagram socket (${errnoName(libc.errno())}); is AF_UNIX allowed by RestrictAddressFamilies=?`,
    );
  }
  let open = true;
  return {
    send(message: string) {
      if (!open) throw new SdNotifyError('SD_NOTIFY_CLOSED', 'notify socket already closed');
      const data = Buffer.from(message, 'utf8');
      const sent = libc.sendto(fd, data, data.length, MSG_NOSIGNAL, address, address.length);
      if (sent !== data.length) {
        const reason = sent < 0 ? errnoName(libc.errno()) : `${sent} of ${data.length} bytes`;
        throw new SdNotifyError(
          'SD_NOTIFY_SEND_FAILED',
          `could not tell systemd "${message.split('\n')[0]}" through ${socket} (${reason})`,
        );
      }
    },
    close() {
      if (!open) return;
      open = false;
      libc.close(fd);
    },
  };
}
