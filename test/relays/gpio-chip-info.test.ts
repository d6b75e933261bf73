import t from 'tap';
import {
  findHeaderChip,
  type GpioChipInfo,
  lineOffset,
  sysfsNumber,
} from '../../src/relays/gpio-chips/gpio-chip-info.js';
import { readSysfsChips } from '../../src/relays/gpio-chips/read-sysfs-chips.js';
import { parseGpiodetect } from '../../src/relays/gpiochip/gpiod-tools.js';
import { GpioChipNotFoundError, GpioPinOutOfRangeError } from '../../src/relays/relay-errors.js';
import { FakeSysfsTree } from './fake-sysfs-tree.js';

const chip = (name: string, label: string, base: number, ngpio: number): GpioChipInfo => ({
  name,
  label,
  base,
  ngpio,
});

t.test('BCM 17 maps to the sysfs number the running kernel uses, per model', async (t) => {
  const layouts: [string, GpioChipInfo[], number][] = [
    [
      'Pi 4, kernel 5.15',
      [
        chip('gpiochip0', 'pinctrl-bcm2711', 0, 58),
        chip('gpiochip504', 'raspberrypi-exp-gpio', 504, 8),
      ],
      17,
    ],
    [
      'Pi 4, kernel 6.6',
      [
        chip('gpiochip512', 'pinctrl-bcm2711', 512, 58),
        chip('gpiochip570', 'raspberrypi-exp-gpio', 570, 8),
      ],
      529,
    ],
    [
      'Pi 3, kernel 6.6',
      [
        chip('gpiochip512', 'pinctrl-bcm2835', 512, 54),
        chip('gpiochip566', 'raspberrypi-exp-gpio', 566, 8),
      ],
      529,
    ],
    [
      'Pi 5, kernel 6.6',
      [
        chip('gpiochip512', 'gpio-brcmstb@107d508500', 512, 32),
        chip('gpiochip544', 'gpio-brcmstb@107d508520', 544, 4),
        chip('gpiochip548', 'gpio-brcmstb@107d517c00', 548, 17),
        chip('gpiochip565', 'gpio-brcmstb@107d517c20', 565, 6),
        chip('gpiochip571', 'pinctrl-rp1', 571, 54),
      ],
      588,
    ],
  ];
  for (const [model, chips, expected] of layouts) {
    const header = findHeaderChip(chips, 'test');
    t.equal(sysfsNumber(header, 'line-select', 17), expected, model);
    t.equal(
      lineOffset(header, 'line-select', 17),
      17,
      `${model}: chardev offset is the BCM number`,
    );
  }
});

t.test('no header chip: a typed error that lists what the kernel offers', async (t) => {
  const chips = [chip('gpiochip0', 'gpio-mockup-A', 0, 8)];
  const error = t.throws(() => findHeaderChip(chips, '/sys/class/gpio')) as GpioChipNotFoundError;
  t.type(error, GpioChipNotFoundError);
  t.equal(error.code, 'GPIO_CHIP_NOT_FOUND');
  t.match(error.message, /gpiochip0 \[gpio-mockup-A\]/);
  t.match(error.message, /relays\.chipLabels/);
  t.equal(
    findHeaderChip(chips, 'x', ['gpio-mockup-A']).name,
    'gpiochip0',
    'a configured label is accepted',
  );
});

t.test('a pin beyond the chip is refused with the valid range', async (t) => {
  const header = chip('gpiochip512', 'pinctrl-bcm2835', 512, 54);
  const error = t.throws(() => sysfsNumber(header, 'hook', 54)) as GpioPinOutOfRangeError;
  t.type(error, GpioPinOutOfRangeError);
  t.equal(error.code, 'GPIO_PIN_OUT_OF_RANGE');
  t.match(error.message, /hook is on BCM 54.*lines 0-53/);
  t.throws(() => lineOffset(header, 'hook', -1), { code: 'GPIO_PIN_OUT_OF_RANGE' });
});

t.test('chips are read from label, base and ngpio files, never assumed', async (t) => {
  const tree = new FakeSysfsTree([
    { label: 'raspberrypi-exp-gpio', base: 600, ngpio: 8 },
    { label: 'pinctrl-bcm2711', base: 544, ngpio: 58 },
  ]).start(false);
  t.teardown(() => tree.stop());
  const chips = await readSysfsChips(tree.root);
  t.same(chips, [
    { name: 'gpiochip544', label: 'pinctrl-bcm2711', base: 544, ngpio: 58 },
    { name: 'gpiochip600', label: 'raspberrypi-exp-gpio', base: 600, ngpio: 8 },
  ]);
  await t.rejects(readSysfsChips(`${tree.root}/missing`), { code: 'GPIO_SYSFS_FAILED' });
});

t.test('gpiodetect output of both libgpiod versions parses', async (t) => {
  const text =
    'gpiochip0 [pinctrl-bcm2711] (58 lines)\ngpiochip1 [raspberrypi-exp-gpio] (8 lines)\n';
  t.same(parseGpiodetect(text), [
    { name: 'gpiochip0', label: 'pinctrl-bcm2711', base: 0, ngpio: 58 },
    { name: 'gpiochip1', label: 'raspberrypi-exp-gpio', base: 0, ngpio: 8 },
  ]);
});
