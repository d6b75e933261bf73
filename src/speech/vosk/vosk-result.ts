/** One recognised word as libvosk reports it with vosk_recognizer_set_words(1). */
export interface RecognizedWord {
  word: string;
  /** 0..1 posterior from the lattice. */
  conf: number;
  /** Seconds from the start of the recogniser's audio. */
  start: number;
  end: number;
}

export interface DecodedUtterance {
  text: string;
  words: RecognizedWord[];
  /** Mean word confidence; 0 for an empty result; 1 when the engine gave no word details. */
  confidence: number;
}

/**
 * Parses a result or final_result JSON string. libvosk hand-writes this JSON; anything odd in it
 * yields an empty utterance rather than an exception inside a call.
 */
export function parseVoskResult(json: string | null): DecodedUtterance {
  const value = safeParse(json);
  const text = typeof value?.text === 'string' ? value.text.trim() : '';
  const words = Array.isArray(value?.result) ? value.result.flatMap(toWord) : [];
  const confidence =
    text === ''
      ? 0
      : words.length === 0
        ? 1
        : words.reduce((sum, w) => sum + w.conf, 0) / words.length;
  return { text, words, confidence };
}

/** Text of a partial_result JSON string ({"partial": "..."}). */
export function parseVoskPartial(json: string | null): string {
  const value = safeParse(json);
  return typeof value?.partial === 'string' ? value.partial.trim() : '';
}

function safeParse(json: string | null): Record<string, unknown> | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toWord(item: unknown): RecognizedWord[] {
  if (!item || typeof item !== 'object') return [];
  const { word, conf, start, end } = item as Record<string, unknown>;
  if (typeof word !== 'string') return [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return [{ word, conf: Math.min(1, Math.max(0, num(conf))), start: num(start), end: num(end) }];
}
