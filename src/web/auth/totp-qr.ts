import { encode } from 'uqr';
import { html, type SafeHtml } from '../html.js';

/**
 * The otpauth:// address as a QR code in inline SVG, drawn on the server: no script, no image
 * request, and only presentation attributes (the CSP forbids style attributes). uqr (a port of
 * Nayuki's reference encoder, no dependencies) makes the module matrix; one path draws it.
 */
export function qrCodeSvg(text: string, label: string): SafeHtml {
  // M: 15 % error correction, the usual choice for a code scanned off a screen.
  const qr = encode(text, { ecc: 'M', border: 4 });
  let path = '';
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  const size = qr.size;
  return html`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 5}" height="${size * 5}" shape-rendering="crispEdges" role="img" aria-label="${label}"><title>${label}</title><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}
