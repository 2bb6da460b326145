/** Shortcut list with rebinding: click "Change", press the new key (Escape keeps the old one). */
import { useEffect, useState } from 'react';
import { ACTIONS, comboOf, displayCombo, type Action, type Bindings } from '../keys/bindings.js';

export function KeyBindingsPanel({
  bindings,
  available,
  onRebind,
  onReset,
  onCapturing,
}: {
  bindings: Bindings;
  available: Set<Action>;
  onRebind: (action: Action, combo: string) => void;
  onReset: () => void;
  /** Tells the screen to suspend shortcuts while a key is being captured. */
  onCapturing: (capturing: boolean) => void;
}) {
  const [capturing, setCapturing] = useState<Action | null>(null);

  useEffect(() => {
    onCapturing(capturing !== null);
    if (!capturing) return;
    const onKey = (event: KeyboardEvent) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.key === 'Escape') {
        setCapturing(null);
        return;
      }
      const combo = comboOf(event);
      if (!combo) return;
      onRebind(capturing, combo);
      setCapturing(null);
    };
    // Capture phase: this key must not also score a point.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [capturing, onRebind, onCapturing]);

  return (
    <section className="bindings" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {(Object.keys(ACTIONS) as Action[])
            .filter((action) => available.has(action))
            .map((action) => (
              <tr key={action} data-binding={action}>
                <td>{ACTIONS[action]}</td>
                <td>
                  <kbd data-testid={`binding-${action}`}>
                    {capturing === action ? 'press a key…' : displayCombo(bindings[action])}
                  </kbd>
                </td>
                <td>
                  <button type="button" onClick={() => setCapturing(capturing === action ? null : action)}>
                    {capturing === action ? 'Cancel' : 'Change'}
                  </button>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <button type="button" onClick={onReset}>
        Reset to defaults
      </button>
    </section>
  );
}
