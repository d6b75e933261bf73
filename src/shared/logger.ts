import { type Logger, pino } from 'pino';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * JSON lines on stderr: under systemd they go to journald as they are, and stdout stays free
 * for command output (`simulate --json`). Each module takes a child with its own `module` name.
 */
export function createLogger(level: LogLevel, destination: number = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'linekeeper' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        // Defence in depth: raw numbers must never be logged, but if a field slips in, hide it.
        paths: ['callerNumber', '*.callerNumber', 'number', '*.number', 'password', '*.password'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
