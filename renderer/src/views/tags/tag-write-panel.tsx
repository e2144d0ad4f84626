import { useState } from 'react';
import type { TagInfo } from '../../../../shared/protocol/entities.js';
import { projectPath } from '../../transport/project-path.js';
import { newRequestId } from '../../transport/request-id.js';
import { sendCommand } from '../../transport/send-command.js';

/** A value to confirm is shown as typed, never rounded: the operator confirms exactly what is written. */
function exactValue(value: number, tag: TagInfo): string {
  if (tag.type === 'boolean') return value === 0 ? 'off (0)' : 'on (1)';
  return tag.unit ? `${value} ${tag.unit}` : String(value);
}

/**
 * Writes one value to a writable tag, through the Server. The operator types the value, then confirms
 * the exact value and unit; the answer says whether the device took it.
 */
export function TagWritePanel({ projectId, tag, current, onClose }: { projectId: string; tag: TagInfo; current: number | null; onClose: () => void }) {
  const [text, setText] = useState(current === null ? '' : String(current));
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const value = tag.type === 'boolean' ? (text === '1' ? 1 : text === '0' ? 0 : NaN) : Number(text.trim() === '' ? NaN : text);
  const valid = Number.isFinite(value);

  const send = async () => {
    setSending(true);
    const reply = await sendCommand(`Writing ${tag.id}`, `${projectPath(projectId)}/tags/${encodeURIComponent(tag.id)}/write`, {
      requestId: newRequestId(),
      value,
    });
    setSending(false);
    setConfirming(false);
    const outcome = reply?.writes?.[0];
    if (outcome) setResult(outcome.ok ? `Written: ${exactValue(outcome.value, tag)}` : `Not written: ${outcome.error ?? 'refused'}`);
  };

  return (
    <form
      className="inline-panel tag-write"
      aria-label={`Write ${tag.id}`}
      data-testid="tag-write-panel"
      onSubmit={(event) => {
        event.preventDefault();
        if (!valid) return;
        if (confirming) void send();
        else setConfirming(true);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <label>
        New value of {tag.id}
        {tag.type === 'boolean' ? (
          <select data-testid="tag-write-value" value={text} onChange={(event) => { setText(event.target.value); setConfirming(false); }} autoFocus>
            <option value="">choose</option>
            <option value="1">on (1)</option>
            <option value="0">off (0)</option>
          </select>
        ) : (
          <input data-testid="tag-write-value" inputMode="decimal" value={text} onChange={(event) => { setText(event.target.value); setConfirming(false); }} autoFocus />
        )}
        {tag.unit}
      </label>
      {confirming ? (
        <span data-testid="tag-write-question">
          Write {exactValue(value, tag)} to {tag.id} on the plant?
        </span>
      ) : null}
      <button type="submit" data-testid={confirming ? 'tag-write-confirm' : 'tag-write-next'} disabled={!valid || sending}>
        {sending ? 'Writing…' : confirming ? 'Write now' : 'Write…'}
      </button>
      <button type="button" onClick={onClose} disabled={sending}>
        Close
      </button>
      {result ? <span className="muted" data-testid="tag-write-result" role="status">{result}</span> : null}
    </form>
  );
}
