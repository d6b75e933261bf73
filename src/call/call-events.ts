import type { CallRecord, MenuChoice, PseudonymousCaller } from './call-record.js';

/**
 * Events a call emits while it runs. They carry pseudonymous callers only: these payloads go to
 * MQTT, the web page and logs as they are.
 */
export interface CallEvents {
  'call-started': { callId: string; caller: PseudonymousCaller; at: Date };
  'prompt-played': {
    callId: string;
    promptId: string;
    text: string;
    outcome: string;
    atMs: number;
  };
  'input-received': { callId: string; kind: 'dtmf' | 'speech'; value: string; atMs: number };
  'menu-choice': { callId: string; choice: MenuChoice };
  routed: { callId: string; route: string; atMs: number };
  'call-ended': { record: CallRecord };
}
