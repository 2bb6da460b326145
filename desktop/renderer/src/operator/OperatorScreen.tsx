/**
 * The operator's screen: tracker bar, score, controls, event log, shortcuts, settings and the
 * match picker. It renders only from the ConsoleView pushed after each local commit.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ConsoleView } from '../../../contract/api.js';
import type { CommandResult } from '../../../contract/commands.js';
import { hasClock } from '../../../../shared/display/index.js';
import { useRunner } from '../api/use-console.js';
import { DEFAULT_BINDINGS, loadBindings, rebind, saveBindings, type Action, type Bindings } from '../keys/bindings.js';
import { Scoreboard } from '../scoreboard/Scoreboard.js';
import { ControlPad } from './ControlPad.js';
import { ClockSetDialog, ConfirmEndDialog, NoteDialog, SubstitutionDialog } from './dialogs.js';
import { EventLog } from './EventLog.js';
import { FoulDialog, OverrideDialog, ServeChoicesDialog, serveChoicesOpen } from './rules-dialogs.js';
import { actionsFor, intentFor, type DialogName, type RunIntent } from './intents.js';
import { KeyBindingsPanel } from './KeyBindingsPanel.js';
import { MatchPicker } from './MatchPicker.js';
import { SettingsPanel } from './SettingsPanel.js';
import { ProblemBanner, SyncBar } from './SyncBar.js';
import { StandbyBar } from './StandbyBar.js';
import { useShortcuts } from './use-shortcuts.js';

type Panel = 'none' | 'settings' | 'matches' | 'shortcuts';

export function OperatorScreen({ view, hostLink }: { view: ConsoleView; hostLink: string | null }) {
  const [bindings, setBindings] = useState<Bindings>(() => loadBindings(window.localStorage));
  const [panel, setPanel] = useState<Panel>('none');
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [capturingKey, setCapturingKey] = useState(false);
  const [toast, setToast] = useState<string | null>(null);

  const onRefused = useCallback((result: Extract<CommandResult, { ok: false }>, command: string) => {
    setToast(`${command}: ${result.code}: ${result.message}`);
  }, []);
  const run = useRunner(onRefused);
  const runIntent = useCallback(
    (intent: RunIntent) => {
      setToast(null);
      void run(intent.command, intent.args as never);
    },
    [run],
  );

  const snapshot = view.snapshot;
  const writable = view.info.writable && snapshot !== null;
  const onAction = useCallback(
    (action: Action) => {
      const intent = intentFor(action, snapshot);
      if (intent.kind !== 'none' && !writable) {
        setToast('This console is read-only for this match: it was handed over to another console.');
        return;
      }
      switch (intent.kind) {
        case 'run':
          runIntent(intent);
          return;
        case 'dialog':
          setDialog(intent.dialog);
          return;
        case 'none':
          setToast(intent.reason);
          return;
      }
    },
    [snapshot, writable, runIntent],
  );
  useShortcuts(bindings, dialog === null && !capturingKey, onAction);

  const updateBindings = useCallback((next: Bindings) => {
    setBindings(next);
    saveBindings(window.localStorage, next);
  }, []);
  const onRebind = useCallback(
    (action: Action, combo: string) => updateBindings(rebind(bindings, action, combo)),
    [bindings, updateBindings],
  );
  const available = useMemo(() => (snapshot ? actionsFor(snapshot.sport) : actionsFor('generic')), [snapshot]);
  const closeDialog = useCallback(() => setDialog(null), []);
  const onCorrect = useCallback(
    (seq: number) => runIntent({ kind: 'run', command: 'correct', args: { seq } }),
    [runIntent],
  );
  const showPicker = panel === 'matches' || (!snapshot && panel === 'none');

  return (
    <div className="operator">
      <SyncBar sync={view.sync} info={view.info} hostLink={hostLink} />
      <ProblemBanner sync={view.sync} info={view.info} />
      <StandbyBar info={view.info} run={run} />
      <nav className="toolbar">
        <button
          type="button"
          onClick={() => setPanel(panel === 'matches' ? 'none' : 'matches')}
          aria-pressed={showPicker}
        >
          Matches
        </button>
        <button
          type="button"
          onClick={() => setPanel(panel === 'settings' ? 'none' : 'settings')}
          aria-pressed={panel === 'settings'}
        >
          Settings
        </button>
        <button
          type="button"
          onClick={() => setPanel(panel === 'shortcuts' ? 'none' : 'shortcuts')}
          aria-pressed={panel === 'shortcuts'}
        >
          Shortcuts
        </button>
        {snapshot && hasClock(snapshot.sport) ? (
          <button type="button" onClick={() => setDialog('clock-set')} disabled={!writable}>
            Set clock
          </button>
        ) : null}
        {snapshot && serveChoicesOpen(snapshot) ? (
          <button type="button" onClick={() => setDialog('serve')} disabled={!writable} data-testid="open-serve">
            {snapshot.status === 'scheduled' ? 'Toss and start' : 'Serve choices'}
          </button>
        ) : null}
        {snapshot && (snapshot.status === 'live' || snapshot.status === 'paused') ? (
          <button type="button" onClick={() => setDialog('override')} disabled={!writable} data-testid="open-override">
            Set score
          </button>
        ) : null}
        <a className="scoreboard-link" href="#/scoreboard" target="_blank" rel="noreferrer">
          Spectator scoreboard
        </a>
      </nav>
      {toast ? (
        <div className="toast" role="status" data-testid="toast" onClick={() => setToast(null)}>
          {toast}
        </div>
      ) : null}

      {panel === 'settings' ? <SettingsPanel view={view} run={run} onDone={() => setPanel('none')} /> : null}
      {panel === 'shortcuts' ? (
        <KeyBindingsPanel
          bindings={bindings}
          available={available}
          onRebind={onRebind}
          onReset={() => updateBindings({ ...DEFAULT_BINDINGS })}
          onCapturing={setCapturingKey}
        />
      ) : null}
      {showPicker ? <MatchPicker view={view} run={run} onDone={() => setPanel('none')} /> : null}

      {snapshot ? (
        <main className="match">
          <Scoreboard snapshot={snapshot} variant="operator" />
          <ControlPad
            snapshot={snapshot}
            bindings={bindings}
            writable={writable}
            canRedo={view.redoable.length > 0}
            onAction={onAction}
          />
          <EventLog
            log={view.log}
            logOmitted={view.logOmitted ?? 0}
            setAside={view.setAside ?? []}
            snapshot={snapshot}
            writable={writable}
            onCorrect={onCorrect}
          />
        </main>
      ) : null}

      {snapshot && dialog === 'end' ? (
        <ConfirmEndDialog
          snapshot={snapshot}
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'end', args });
          }}
        />
      ) : null}
      {snapshot && (dialog === 'substitution-home' || dialog === 'substitution-away') ? (
        <SubstitutionDialog
          side={dialog === 'substitution-home' ? 'home' : 'away'}
          teamName={dialog === 'substitution-home' ? snapshot.home.name : snapshot.away.name}
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'addEvent', args });
          }}
        />
      ) : null}
      {snapshot && dialog === 'note' ? (
        <NoteDialog
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'addEvent', args });
          }}
        />
      ) : null}
      {snapshot && (dialog === 'foul-home' || dialog === 'foul-away') ? (
        <FoulDialog
          side={dialog === 'foul-home' ? 'home' : 'away'}
          snapshot={snapshot}
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'addEvent', args });
          }}
        />
      ) : null}
      {snapshot && dialog === 'serve' ? (
        <ServeChoicesDialog
          snapshot={snapshot}
          onCancel={closeDialog}
          onConfirm={(command, args) => {
            closeDialog();
            runIntent({ kind: 'run', command, args } as RunIntent);
          }}
        />
      ) : null}
      {snapshot && dialog === 'override' ? (
        <OverrideDialog
          snapshot={snapshot}
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'overrideScore', args });
          }}
        />
      ) : null}
      {snapshot && dialog === 'clock-set' ? (
        <ClockSetDialog
          snapshot={snapshot}
          onCancel={closeDialog}
          onConfirm={(args) => {
            closeDialog();
            runIntent({ kind: 'run', command: 'clockSet', args });
          }}
        />
      ) : null}
    </div>
  );
}
