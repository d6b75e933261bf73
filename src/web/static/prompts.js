// Uploads a prompt recording as a raw audio/wav body (no multipart parser on the appliance).
// The CSRF token travels in a header, since the body is the audio itself.
const MAX_BYTES = 2 * 1024 * 1024;
const words = JSON.parse(document.getElementById('prompts-messages')?.textContent ?? '{}');

for (const form of document.querySelectorAll('form.upload')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const output = form.querySelector('output');
    const file = form.querySelector('input[type=file]').files[0];
    const say = (text, ok) => {
      output.textContent = text;
      output.className = ok ? 'notice' : 'error';
    };
    if (!file) return say(words.noFile, false);
    if (file.size > MAX_BYTES) return say(words.tooLarge, false);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const response = await fetch(form.getAttribute('action'), {
        method: 'POST',
        headers: { 'content-type': 'audio/wav', 'x-csrf-token': form.dataset.csrf },
        body: file,
        credentials: 'same-origin',
      });
      const text = (await response.text()).trim();
      if (response.ok) {
        window.location.assign('/prompts?done=uploaded');
        return;
      }
      say(text, false);
    } catch (error) {
      say(String(error), false);
    } finally {
      button.disabled = false;
    }
  });
}
