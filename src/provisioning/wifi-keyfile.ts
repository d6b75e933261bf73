import { createHash } from 'node:crypto';

export interface WifiSettings {
  ssid: string;
  psk: string;
  hidden?: boolean;
}

/** The connection's name in nmcli and its file name under system-connections/. */
export const WIFI_CONNECTION_ID = 'linekeeper-wifi';
export const WIFI_KEYFILE_NAME = `${WIFI_CONNECTION_ID}.nmconnection`;

/**
 * A NetworkManager keyfile (nm-settings-keyfile(5)) for a WPA-PSK network with DHCP. Raspberry
 * Pi OS bookworm manages the network with NetworkManager, which reads these at start; the file
 * must be root-owned with mode 0600 or NetworkManager ignores it. The UUID is derived from the
 * SSID, so applying the same file twice writes the same bytes.
 */
export function renderWifiKeyfile(wifi: WifiSettings): string {
  const uuid = uuidFrom(`linekeeper-wifi:${wifi.ssid}`);
  return [
    '# Written by linekeeper from linekeeper.yaml on the boot partition.',
    '[connection]',
    `id=${WIFI_CONNECTION_ID}`,
    `uuid=${uuid}`,
    'type=wifi',
    'autoconnect=true',
    '',
    '[wifi]',
    'mode=infrastructure',
    // NetworkManager reads ";" in an SSID as a byte-list separator unless escaped.
    `ssid=${keyfileValue(wifi.ssid).replace(/;/g, '\\;')}`,
    ...(wifi.hidden ? ['hidden=true'] : []),
    '',
    '[wifi-security]',
    'key-mgmt=wpa-psk',
    `psk=${keyfileValue(wifi.psk)}`,
    '',
    '[ipv4]',
    'method=auto',
    '',
    '[ipv6]',
    'method=auto',
    'addr-gen-mode=default',
    '',
  ].join('\n');
}

/** GLib key-file escaping: backslash, control characters, and leading/trailing spaces. */
function keyfileValue(value: string): string {
  let out = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r');
  if (out.startsWith(' ')) out = `\\s${out.slice(1)}`;
  if (out.endsWith(' ')) out = `${out.slice(0, -1)}\\s`;
  return out;
}

function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  // Version 5-shaped (name-based) so NetworkManager accepts it as a UUID.
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
