import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * A real unix datagram socket, bound by python3 (Node cannot), that prints every datagram it
 * receives as one JSON line: the same kind of socket systemd listens on for sd_notify.
 */
const RECEIVER = `
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
name = sys.argv[1]
s.bind("\\0" + name[1:] if name.startswith("@") else name)
print(json.dumps("bound"), flush=True)
while True:
    print(json.dumps(s.recv(65536).decode()), flush=True)
`;

export interface DatagramReceiver {
  /** Every datagram so far, in order of arrival. */
  messages: string[];
  /** Resolves once `count` datagrams have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<string[]>;
  close(): void;
}

export async function startDatagramReceiver(socket: string): Promise<DatagramReceiver> {
  const child: ChildProcess = spawn('python3', ['-u', '-c', RECEIVER, socket], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  let bound: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    bound = resolve;
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`datagram receiver exited (${code})`)));
  });
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const message = JSON.parse(line) as string;
      if (message === 'bound' && messages.length === 0) bound();
      else messages.push(message);
    }
    for (const wake of waiters.splice(0)) wake();
  });
  await ready;
  if (!socket.startsWith('@') && !existsSync(socket)) throw new Error(`${socket} not bound`);
  return {
    messages,
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`${messages.length} of ${count} datagrams: ${messages.join(' | ')}`)),
          timeoutMs,
        );
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages.slice());
          } else waiters.push(check);
        };
        check();
      });
    },
    close() {
      child.kill('SIGTERM');
    },
  };
}
