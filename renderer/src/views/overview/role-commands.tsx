import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useGate } from '../../stores/auth-store.js';
import { useProject } from '../../stores/project-store.js';
import { useRedundancy, type RedundancyState } from '../../stores/redundancy-store.js';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import { sendCommand } from '../../transport/send-command.js';
import { roleActions, type RoleAction } from './role-actions.js';

const selectStatus = (s: RedundancyState) => ({ status: s.serving ? s.dataStatus : null });

/** Switchover, preferred Server, freeze and out-of-service for engineers; each asks first and is logged with the user. */
export function RoleCommands() {
  const { status } = useRedundancy(useShallow(selectStatus));
  const projectId = useProject((s) => s.projectId);
  const [asking, setAsking] = useState<RoleAction | null>(null);
  const [comment, setComment] = useState('');
  const [sending, setSending] = useState(false);
  const gate = useGate('engineer');
  if (!status || !projectId || !status.peer) return null;
  const actions = roleActions(status);
  const { preferred, frozen, outOfService } = status.roles;

  const send = async (action: RoleAction) => {
    setSending(true);
    await sendCommand(action.label.replace('…', ''), `${projectPath(projectId)}${action.path}`, { requestId: newRequestId(), comment, ...action.body });
    setSending(false);
    setAsking(null);
    setComment('');
  };

  return (
    <div className="role-commands" data-testid="role-commands">
      <p className="muted" data-testid="role-settings">
        Preferred Server: {preferred}
        {frozen ? ' · roles frozen (maintenance)' : ''}
        {outOfService.length > 0 ? ` · out of service: ${outOfService.join(', ')}` : ''}
      </p>
      {asking ? (
        <form
          className="inline-panel"
          aria-label={asking.label}
          data-testid="role-question"
          onSubmit={(event) => {
            event.preventDefault();
            void send(asking);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setAsking(null);
          }}
        >
          <span>{asking.question}</span>
          <input className="comment" placeholder="Comment (optional, goes into the event list)" aria-label="Comment" value={comment} onChange={(event) => setComment(event.target.value)} />
          <button type="submit" data-testid="role-confirm" disabled={sending} autoFocus>
            {sending ? 'Sending…' : 'Confirm'}
          </button>
          <button type="button" disabled={sending} onClick={() => setAsking(null)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="role-actions">
          {actions.map((action) => (
            <button key={action.id} type="button" data-testid={`role-${action.id}`} disabled={gate.disabled} title={gate.why ?? undefined} onClick={() => setAsking(action)}>
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
