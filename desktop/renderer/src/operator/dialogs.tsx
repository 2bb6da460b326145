/**
 * Modal dialogs: confirm before ending a match, and small forms for substitution, note and
 * clock. Enter confirms, Escape cancels; while one is open the scoring shortcuts are off.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Side } from '../../../../shared/events.js';
import type { MatchSnapshot } from '../../../../shared/match.js';
import { screenServerNow } from '../api/screen-time.js';
import { clockInputText, clockRemaining, parseClockInput } from '../../../../shared/display/index.js';
import type { ConsoleCommandArgs } from '../../../contract/commands.js';

export function Modal({
  title,
  children,
  onCancel,
  testId,
}: {
  title: string;
  children: ReactNode;
  onCancel: () => void;
  testId: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A dialog that is a question focuses its answer (Enter confirms); a form focuses its first field.
    const first =
      ref.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      ref.current?.querySelector<HTMLElement>('input, button[data-primary]');
    first?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        onCancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} ref={ref} data-testid={testId}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A form dialog's Cancel and submit buttons (the submit is the primary, focused by Modal). */
export function DialogButtons({
  onCancel,
  submit,
  disabled,
}: {
  onCancel: () => void;
  submit: ReactNode;
  disabled?: boolean;
}) {
  return (
    <div className="buttons">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" data-primary disabled={disabled}>
        {submit}
      </button>
    </div>
  );
}

export function ConfirmEndDialog({
  snapshot,
  onConfirm,
  onCancel,
}: {
  snapshot: MatchSnapshot;
  onConfirm: (args: ConsoleCommandArgs<'end'>) => void;
  onCancel: () => void;
}) {
  const [winner, setWinner] = useState<'' | Side>('');
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm({ ...(winner ? { winner } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
  };
  return (
    <Modal title="End the match?" onCancel={onCancel} testId="confirm-end">
      <form onSubmit={submit}>
        <p>
          {snapshot.home.name} {snapshot.home.score} – {snapshot.away.score} {snapshot.away.name}. Ending is recorded as
          an event and can be corrected later.
        </p>
        <label>
          Winner
          <select value={winner} onChange={(e) => setWinner(e.target.value as '' | Side)}>
            <option value="">As the rules decide</option>
            <option value="home">{snapshot.home.name} (early end)</option>
            <option value="away">{snapshot.away.name} (early end)</option>
          </select>
        </label>
        <label>
          Reason (optional)
          <input
            value={reason}
            maxLength={200}
            onChange={(e) => setReason(e.target.value)}
            placeholder="retirement, forfeit…"
          />
        </label>
        <div className="buttons">
          <button type="button" onClick={onCancel}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="danger" data-primary data-autofocus>
            End match <kbd>Enter</kbd>
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function SubstitutionDialog({
  side,
  teamName,
  onConfirm,
  onCancel,
}: {
  side: Side;
  teamName: string;
  onConfirm: (args: ConsoleCommandArgs<'addEvent'>) => void;
  onCancel: () => void;
}) {
  const [off, setOff] = useState('');
  const [on, setOn] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onConfirm({
      kind: 'substitution',
      side,
      ...(off.trim() ? { player: off.trim() } : {}),
      ...(on.trim() ? { playerIn: on.trim() } : {}),
    });
  };
  return (
    <Modal title={`Substitution: ${teamName}`} onCancel={onCancel} testId="substitution-dialog">
      <form onSubmit={submit}>
        <label>
          Player off
          <input value={off} maxLength={200} onChange={(e) => setOff(e.target.value)} />
        </label>
        <label>
          Player on
          <input value={on} maxLength={200} onChange={(e) => setOn(e.target.value)} />
        </label>
        <DialogButtons onCancel={onCancel} submit="Record" />
      </form>
    </Modal>
  );
}

export function NoteDialog({
  onConfirm,
  onCancel,
}: {
  onConfirm: (args: ConsoleCommandArgs<'addEvent'>) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) onConfirm({ kind: 'note', text: text.trim() });
  };
  return (
    <Modal title="Note" onCancel={onCancel} testId="note-dialog">
      <form onSubmit={submit}>
        <label>
          Text
          <input value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
        </label>
        <DialogButtons onCancel={onCancel} submit="Record" disabled={!text.trim()} />
      </form>
    </Modal>
  );
}

export function ClockSetDialog({
  snapshot,
  onConfirm,
  onCancel,
}: {
  snapshot: MatchSnapshot;
  onConfirm: (args: ConsoleCommandArgs<'clockSet'>) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(() => clockInputText(clockRemaining(snapshot.clock, screenServerNow())));
  const ms = parseClockInput(text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ms !== null) onConfirm({ remainingMs: ms });
  };
  return (
    <Modal title="Set the clock" onCancel={onCancel} testId="clock-dialog">
      <form onSubmit={submit}>
        <label>
          Time remaining (mm:ss or minutes)
          <input value={text} onChange={(e) => setText(e.target.value)} aria-invalid={ms === null} />
        </label>
        <DialogButtons onCancel={onCancel} submit="Set" disabled={ms === null} />
      </form>
    </Modal>
  );
}
