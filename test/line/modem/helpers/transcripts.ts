import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '../../../fixtures/modem');

/**
 * Reads an AT transcript: text where `<DLE>`, `<ETX>`, `<SUB>`, `<CR>`, `<LF>` and `<xNN>` stand
 * for those bytes and real line breaks are ignored, so byte-exact modem output stays readable.
 * Lines starting with `#` are comments.
 */
export function loadTranscript(name: string): Buffer {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  return transcriptBytes(text);
}

export function transcriptBytes(text: string): Buffer {
  const body = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('');
  const names: Record<string, number> = {
    DLE: 0x10,
    ETX: 0x03,
    SUB: 0x1a,
    CR: 0x0d,
    LF: 0x0a,
    CAN: 0x18,
  };
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const match = /^<(DLE|ETX|SUB|CR|LF|CAN|x[0-9a-fA-F]{2})>/.exec(body.slice(i));
    if (match) {
      const token = match[1]!;
      bytes.push(token.startsWith('x') ? Number.parseInt(token.slice(1), 16) : names[token]!);
      i += match[0].length;
    } else {
      bytes.push(body.charCodeAt(i) & 0xff);
      i++;
    }
  }
  return Buffer.from(bytes);
}
