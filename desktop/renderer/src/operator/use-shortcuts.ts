/** Global keyboard shortcuts of the operator's screen, off while typing or in a dialog. */
import { useEffectEvent, useLayoutEffect } from 'react';
import { actionFor, comboOf, type Action, type Bindings } from '../keys/bindings.js';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(bindings: Bindings, enabled: boolean, onAction: (action: Action) => void): void {
  // Latest handler without re-registering the listener on every render.
  const handler = useEffectEvent(onAction);
  // A layout effect: the listener is on in the same task that puts the screen on the page. A
  // passive effect runs a task later after a render outside an input event (the first view after
  // a reload comes from a fetch), so a key pressed as soon as the score showed was lost.
  useLayoutEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      const combo = comboOf(event);
      if (!combo) return;
      const action = actionFor(bindings, combo);
      if (!action) return;
      event.preventDefault();
      // Holding a key down must not score a run of points.
      if (event.repeat) return;
      handler(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [bindings, enabled]);
}
