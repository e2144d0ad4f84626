import { useState } from 'react';
import { SHELVE_DURATIONS } from './alarm-commands.js';

export interface ShelvePanelProps {
  count: number;
  onShelve(durationMs: number, comment: string): void;
  onCancel(): void;
}

/** Not a modal: the alarm list stays live and readable while the operator decides. */
export function ShelvePanel({ count, onShelve, onCancel }: ShelvePanelProps) {
  const [durationMs, setDurationMs] = useState(SHELVE_DURATIONS[0]!.ms);
  const [comment, setComment] = useState('');
  return (
    <form
      className="inline-panel"
      aria-label="Shelve alarms"
      onSubmit={(event) => {
        event.preventDefault();
        onShelve(durationMs, comment.trim());
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <span>
        Shelve {count} alarm{count === 1 ? '' : 's'} for
      </span>
      {SHELVE_DURATIONS.map((choice) => (
        <label key={choice.ms} className="radio">
          <input
            type="radio"
            name="shelve-duration"
            checked={durationMs === choice.ms}
            onChange={() => setDurationMs(choice.ms)}
          />
          {choice.label}
        </label>
      ))}
      <input
        className="comment"
        placeholder="Reason (recorded in the event list)"
        value={comment}
        maxLength={500}
        autoFocus
        onChange={(event) => setComment(event.target.value)}
      />
      <button type="submit" data-testid="shelve-confirm">
        Shelve
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
