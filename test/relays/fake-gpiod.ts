import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Stand-ins for the Debian gpiod tools, as shell scripts: gpioset records each call, keeps
 * the line's logical value in a file, refuses a line another live gpioset holds (EBUSY) and,
 * in hold mode, runs until signalled, like the real one. A line's value outlives its holder.
 */
export class FakeGpiod {
  readonly dir = mkdtempSync(join(tmpdir(), 'lk-gpiod-'));
  readonly gpioset = join(this.dir, 'gpioset');
  readonly gpiodetect = join(this.dir, 'gpiodetect');

  constructor(
    version: '1.6.3' | '2.1.3',
    detect = 'gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n',
  ) {
    writeFileSync(join(this.dir, 'detect.txt'), detect);
    writeFileSync(this.gpiodetect, `#!/bin/bash\ncat '${this.dir}/detect.txt'\n`);
    writeFileSync(
      this.gpioset,
      `#!/bin/bash
set -u
D='${this.dir}'
if [ "\${1:-}" = --version ]; then echo "gpioset (libgpiod) v${version}"; exit 0; fi
echo "$*" >> "$D/calls.log"
chip=''; hold=0; low=0; spec=''
if [ '${version}' = 1.6.3 ]; then
  for a in "$@"; do case "$a" in --mode=signal) hold=1;; --mode=exit) ;; --active-low) low=1;; *=*) spec="$a";; *) chip="$a";; esac; done
else
  hold=1; prev=''
  for a in "$@"; do
    case "$prev" in --chip) chip="$a";; --toggle) [ "$a" = 0 ] && hold=0;; esac
    case "$a" in --active-low) low=1;; *=*) spec="$a";; esac
    prev="$a"
  done
fi
line="$chip-\${spec%%=*}"
# A killed holder may linger as a zombie until reaped, but the kernel freed its line already.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q ') Z ' "/proc/$1/stat"; }
if [ -f "$D/$line.holder" ] && alive "$(cat "$D/$line.holder")"; then
  echo "gpioset: unable to request lines: Device or resource busy" >&2; exit 1
fi
echo "\${spec#*=} $low" > "$D/$line.value"
[ "$hold" = 1 ] || exit 0
echo $$ > "$D/$line.holder"
trap 'rm -f "$D/$line.holder"; exit 0' TERM INT
while :; do sleep 1 & wait $!; done
`,
    );
    chmodSync(this.gpioset, 0o755);
    chmodSync(this.gpiodetect, 0o755);
  }

  /** Logical value and active-low flag last set on a line, e.g. `1 0`. */
  value(chip: string, offset: number): string {
    return readFileSync(join(this.dir, `${chip}-${offset}.value`), 'utf8').trim();
  }

  holder(chip: string, offset: number): number | null {
    const path = join(this.dir, `${chip}-${offset}.holder`);
    return existsSync(path) ? Number(readFileSync(path, 'utf8')) : null;
  }

  calls(): string[] {
    const path = join(this.dir, 'calls.log');
    return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
