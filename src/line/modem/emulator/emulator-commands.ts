/**
 * Splits a command line the way V.250 modems do: `ATE0V1+FCLASS=8;+VCID=1` becomes
 * `E0`, `V1`, `+FCLASS=8`, `+VCID=1`. Returns undefined for a line that is not a command.
 */
export function splitAtCommands(line: string): string[] | undefined {
  const upper = line.toUpperCase();
  if (!upper.startsWith('AT')) return undefined;
  const body = upper.slice(2);
  const commands: string[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch === ' ' || ch === ';') {
      i++;
    } else if (ch === '+') {
      // Extended commands run to the next `;`, their argument may hold commas and `!`.
      const end = body.indexOf(';', i);
      commands.push(body.slice(i, end === -1 ? body.length : end));
      i = end === -1 ? body.length : end + 1;
    } else if (ch === 'D') {
      commands.push(body.slice(i));
      i = body.length;
    } else {
      const match = /^(S\d+(=\d*|\?)?|&?[A-Z]\d*)/.exec(body.slice(i));
      if (!match) {
        commands.push(body.slice(i, i + 1));
        i++;
      } else {
        commands.push(match[0]);
        i += match[0].length;
      }
    }
  }
  if (commands.length === 0) commands.push('');
  return commands;
}
