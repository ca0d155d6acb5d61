/**
 * Browser side of @web/test-runner's built-in `send-keys` command (the sendKeys plugin is on by
 * default). Same protocol as @web/test-runner-commands' `sendKeys`, which is not a direct
 * dependency of this workspace.
 */
interface WtrSocket {
  sendMessageWaitForResponse(message: unknown): Promise<{ executed: boolean; result?: unknown }>;
}

export type SendKeysPayload = { press: string } | { type: string } | { down: string } | { up: string };

export async function sendKeys(payload: SendKeysPayload): Promise<void> {
  const sessionId = new URL(window.location.href).searchParams.get('wtr-session-id');
  if (!sessionId) throw new Error('sendKeys: not running under @web/test-runner');
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as WtrSocket;
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command: 'send-keys', payload });
  if (!response.executed) throw new Error('sendKeys: the send-keys command is not available');
}

/** Browser side of @web/test-runner's built-in `emulate-media` command (e.g. `{ colorScheme: 'dark' }`). */
export async function emulateMedia(payload: {
  colorScheme?: 'light' | 'dark' | 'no-preference';
  reducedMotion?: 'reduce' | 'no-preference';
  media?: string;
}): Promise<void> {
  const sessionId = new URL(window.location.href).searchParams.get('wtr-session-id');
  if (!sessionId) throw new Error('emulateMedia: not running under @web/test-runner');
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as WtrSocket;
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command: 'emulate-media', payload });
  if (!response.executed) throw new Error('emulateMedia: the emulate-media command is not available');
}
