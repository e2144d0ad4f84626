import { CommandResponse } from '../../../shared/protocol/api.js';
import { currentToken, openLogin } from '../stores/auth-store.js';
import { postCommand } from './command-post.js';
import { errorText } from './http.js';

export type CommandOutcome = { ok: true; reply: CommandResponse } | { ok: false; error: string };

/**
 * Sends one command from a form that shows the outcome itself, beside what was typed: the Server's
 * answer, or its sentence when it refused. Unlike `sendCommand` there is no banner and no Retry: a
 * refusal is corrected in the form and sent as a new request. A switchover is followed as for every
 * command (the same request id on each try).
 */
export async function submitCommand(what: string, path: string, body: object): Promise<CommandOutcome> {
  if (currentToken() === null) {
    const why = `${what} needs a login: sign in, then do it again.`;
    openLogin(why);
    return { ok: false, error: why };
  }
  try {
    return { ok: true, reply: await postCommand(path, body, CommandResponse, () => undefined) };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}
