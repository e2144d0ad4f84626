import { CommandResponse } from '../../../shared/protocol/api.js';
import { currentToken, openLogin } from '../stores/auth-store.js';
import { dismissBanner, showBanner } from '../stores/banner-store.js';
import { postCommand } from './command-post.js';
import { errorText } from './http.js';

/**
 * Sends one operator command and returns the Server's answer, or null when it failed (a banner then
 * says why and offers to send it again). The body, and so its request id, is fixed for every retry,
 * automatic or from the banner, so the pair applies it at most once however often it is repeated.
 */
export async function sendCommand(what: string, path: string, body: object): Promise<CommandResponse | null> {
  if (currentToken() === null) {
    openLogin(`${what} needs a login: sign in, then do it again.`);
    return null;
  }
  let retryingBanner: number | null = null;
  const onRetry = () => {
    retryingBanner ??= showBanner(`${what}: no Server has taken it yet (the pair may be switching over); trying again…`);
  };
  try {
    return await postCommand(path, body, CommandResponse, onRetry);
  } catch (error) {
    showBanner(`${what} failed: ${errorText(error)}`, () => void sendCommand(what, path, body));
    return null;
  } finally {
    if (retryingBanner !== null) dismissBanner(retryingBanner);
  }
}
