/** Lower-case words without punctuation: "Appointments, please!" -> ["appointments", "please"]. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}\p{N}'[\]]+/u)
    .filter((w) => w.length > 0);
}
