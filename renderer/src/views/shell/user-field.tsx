import { setUserName, USER_NAME_MAX, usePrefs } from '../../stores/prefs-store.js';

/** Until logins exist, the operator says who they are; acknowledgements carry this name. */
export function UserField() {
  const userName = usePrefs((s) => s.userName);
  return (
    <label className="user-field">
      User:
      <input
        data-testid="user-name"
        value={userName}
        maxLength={USER_NAME_MAX}
        spellCheck={false}
        aria-invalid={userName.trim() === ''}
        onChange={(event) => setUserName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === 'Escape') event.currentTarget.blur();
        }}
      />
    </label>
  );
}
