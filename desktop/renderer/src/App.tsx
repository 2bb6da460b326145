/** Routes (#/ operator, #/scoreboard spectator) and the web host's link/PIN gate. */
import { useCallback, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useConsoleView } from './api/use-console.js';
import type { HostLinkState } from './api/socket-console-api.js';
import { PIN_STORAGE_KEY, type Transport } from './api/pick-transport.js';
import { OperatorScreen } from './operator/OperatorScreen.js';
import { SpectatorBoard } from './scoreboard/SpectatorBoard.js';

type Route = 'operator' | 'scoreboard';

function routeOf(hash: string): Route {
  return hash.replace(/^#/, '').startsWith('/scoreboard') ? 'scoreboard' : 'operator';
}

function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

/** The web host link's state, read from the transport (an external store): null in Electron. */
function useHostLink(transport: Transport): HostLinkState | null {
  const subscribe = useCallback(
    (onChange: () => void) => (transport.kind === 'web' ? transport.api.onLinkState(onChange) : () => undefined),
    [transport],
  );
  return useSyncExternalStore(subscribe, () => (transport.kind === 'web' ? transport.api.linkState() : null));
}

const HOST_LINK_LABELS: Record<HostLinkState, string | null> = {
  open: null,
  connecting: 'Connecting to the console host…',
  'pin-required': 'PIN required',
  closed: 'Console host unreachable: scoring is paused until it is back',
};

function PinGate({ onPin }: { onPin: (pin: string) => void }) {
  const [pin, setPin] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pin.trim()) onPin(pin.trim());
  };
  return (
    <form className="pin-gate" onSubmit={submit} data-testid="pin-gate">
      <h1>Scoredesk console</h1>
      <label>
        Console PIN (printed by the console host)
        <input value={pin} onChange={(e) => setPin(e.target.value)} autoFocus inputMode="numeric" />
      </label>
      <button type="submit">Connect</button>
    </form>
  );
}

export function App({ transport }: { transport: Transport }) {
  const route = useRoute();
  const link = useHostLink(transport);
  const view = useConsoleView();

  if (link === 'pin-required' && transport.kind === 'web') {
    return (
      <PinGate
        onPin={(pin) => {
          window.sessionStorage.setItem(PIN_STORAGE_KEY, pin);
          transport.api.usePin(pin);
        }}
      />
    );
  }
  if (!view) return <div className="loading">{(link && HOST_LINK_LABELS[link]) ?? 'Loading…'}</div>;
  if (route === 'scoreboard') return <SpectatorBoard view={view} />;
  return <OperatorScreen view={view} hostLink={link ? HOST_LINK_LABELS[link] : null} />;
}
