/** Server address, sign-in and court of this console. The password goes to the core, never to storage here. */
import { useState, type FormEvent } from 'react';
import type { ConsoleView } from '../../../contract/api.js';
import type { Runner } from '../api/use-console.js';

export function SettingsPanel({ view, run, onDone }: { view: ConsoleView; run: Runner; onDone: () => void }) {
  const [url, setUrl] = useState(view.sync.serverUrl ?? 'http://127.0.0.1:3001');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [court, setCourt] = useState(view.info.court ?? '');
  const [message, setMessage] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    if (court.trim() && court.trim() !== view.info.court) {
      const result = await run('setCourt', { court: court.trim() });
      if (!result.ok) return setMessage(result.message);
    }
    if (username && password) {
      const result = await run('setServer', { url: url.trim(), username, password });
      if (!result.ok) return setMessage(result.message);
      setPassword('');
    }
    onDone();
  };

  return (
    <section className="settings" aria-label="Settings">
      <h2>Settings</h2>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          Server URL
          <input name="serverUrl" value={url} onChange={(e) => setUrl(e.target.value)} type="url" required />
        </label>
        <label>
          User
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
          />
        </label>
        <label>
          Password
          <input
            name="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            type="password"
            autoComplete="current-password"
          />
        </label>
        <label>
          Court
          <input name="court" value={court} onChange={(e) => setCourt(e.target.value)} maxLength={64} />
        </label>
        <p className="hint">Console {view.info.consoleId}. Leave user and password empty to change only the court.</p>
        <p className="hint" data-testid="sign-in-state">
          {view.sync.tokenStorage
            ? `Signed in: the password is not kept; this console's sign-in is kept ${view.sync.tokenStorage === 'os-keychain' ? 'in the system keychain' : 'in a file only this account can read'}.`
            : 'Not signed in: enter user and password once.'}
        </p>
        {message ? (
          <p className="form-error" role="alert">
            {message}
          </p>
        ) : null}
        <div className="buttons">
          <button type="button" onClick={onDone}>
            Close
          </button>
          <button type="submit" data-primary>
            Save
          </button>
        </div>
      </form>
    </section>
  );
}
