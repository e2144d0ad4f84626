import { useState, type ReactNode } from 'react';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import { submitCommand } from '../../transport/submit-command.js';
import { changeDone, changeRequest, describeChange, type Checked, type UserChange } from './user-changes.js';

const sameChange = (a: UserChange, b: UserChange) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One change to the users in an inline panel: the first press checks what was typed and asks; the
 * second sends it. Editing a field after the question takes the question back, so what is confirmed
 * is always what is sent. A refusal (the form's check or the server's sentence) stays in the panel,
 * beside what to correct; `onDone` gets the Server's answer in words.
 */
export function ChangeForm({
  projectId,
  label,
  checked,
  askAtOnce = false,
  onDone,
  onClose,
  children,
}: {
  projectId: string;
  /** What the change is called: the panel's name and its first button. */
  label: string;
  /** The change as typed so far, or why it cannot be sent. */
  checked: Checked;
  /** For a change with nothing to type (disable, enable): the question shows at once. */
  askAtOnce?: boolean;
  onDone: (answer: string) => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const change = 'change' in checked ? checked.change : null;
  const [asked, setAsked] = useState<UserChange | null>(askAtOnce ? change : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const asking = asked !== null && change !== null && sameChange(asked, change) ? describeChange(change) : null;

  const send = async (sent: UserChange) => {
    setSending(true);
    const { path, body } = changeRequest(sent);
    const outcome = await submitCommand(describeChange(sent).what, `${projectPath(projectId)}${path}`, { requestId: newRequestId(), ...body });
    setSending(false);
    setAsked(null);
    if (outcome.ok) onDone(changeDone(sent, outcome.reply));
    else setProblem(outcome.error);
  };

  const submit = () => {
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    if (asking) void send(checked.change);
    else setAsked(checked.change);
  };

  return (
    <form
      className="inline-panel user-change"
      aria-label={label}
      data-testid="user-change"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      {children}
      {asking ? <span data-testid="user-change-question">{asking.question}</span> : null}
      <button type="submit" data-testid={asking ? 'user-change-confirm' : 'user-change-next'} disabled={sending} autoFocus={askAtOnce}>
        {sending ? 'Sending…' : asking ? asking.confirm : `${label}…`}
      </button>
      <button type="button" disabled={sending} onClick={onClose}>
        Cancel
      </button>
      {problem ? (
        <p className="error-text" role="alert" data-testid="user-change-error">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
