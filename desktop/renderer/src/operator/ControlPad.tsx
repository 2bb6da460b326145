/** Big buttons for mouse and touch, each labelled with its keyboard shortcut. */
import type { MatchSnapshot } from '../../../../shared/match.js';
import { ACTIONS, displayCombo, type Action, type Bindings } from '../keys/bindings.js';
import { actionsFor } from './intents.js';

interface Props {
  snapshot: MatchSnapshot;
  bindings: Bindings;
  writable: boolean;
  canRedo: boolean;
  onAction: (action: Action) => void;
}

function ActionButton({
  action,
  props,
  className,
  label,
}: {
  action: Action;
  props: Props;
  className?: string;
  label?: string;
}) {
  if (!actionsFor(props.snapshot.sport).has(action)) return null;
  const disabled = !props.writable || (action === 'redo' && !props.canRedo);
  return (
    <button
      type="button"
      className={`action ${className ?? ''}`}
      data-action={action}
      disabled={disabled}
      // Keep keyboard focus on the page so the next shortcut is not swallowed by the button.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => props.onAction(action)}
    >
      <span className="label">{label ?? ACTIONS[action]}</span>
      <kbd>{displayCombo(props.bindings[action])}</kbd>
      {action === 'undo' ? <kbd>{displayCombo(props.bindings.undoAlt)}</kbd> : null}
    </button>
  );
}

export function ControlPad(props: Props) {
  const { snapshot } = props;
  const startLabel = snapshot.status === 'scheduled' ? 'Start match' : 'Start';
  const pauseLabel = snapshot.status === 'paused' ? 'Resume' : 'Pause';
  return (
    <section className="control-pad" aria-label="Scoring controls">
      <div className="points">
        <div className="points-side">
          <ActionButton action="scoreHome" props={props} className="point home" label={`+1 ${snapshot.home.name}`} />
          <ActionButton action="scoreHome2" props={props} className="point home small" />
          <ActionButton action="scoreHome3" props={props} className="point home small" />
        </div>
        <div className="points-side">
          <ActionButton action="scoreAway" props={props} className="point away" label={`+1 ${snapshot.away.name}`} />
          <ActionButton action="scoreAway2" props={props} className="point away small" />
          <ActionButton action="scoreAway3" props={props} className="point away small" />
        </div>
      </div>
      <div className="row match-control">
        {snapshot.status === 'scheduled' ? <ActionButton action="start" props={props} label={startLabel} /> : null}
        {snapshot.status === 'live' || snapshot.status === 'paused' ? (
          <ActionButton action="pauseResume" props={props} label={pauseLabel} />
        ) : null}
        {snapshot.status !== 'finished' ? <ActionButton action="end" props={props} className="danger" /> : null}
        <ActionButton action="undo" props={props} />
        <ActionButton action="redo" props={props} />
      </div>
      <div className="row clock-control">
        <ActionButton
          action="clockToggle"
          props={props}
          label={snapshot.clock.running ? 'Stop clock' : 'Start clock'}
        />
        <ActionButton action="periodStart" props={props} />
        <ActionButton action="periodEnd" props={props} />
      </div>
      <div className="row side-events">
        <div className="side-group">
          <ActionButton action="timeoutHome" props={props} />
          <ActionButton action="foulHome" props={props} />
          <ActionButton action="yellowHome" props={props} className="yellow" />
          <ActionButton action="redHome" props={props} className="red" />
          <ActionButton action="subHome" props={props} />
        </div>
        <div className="side-group">
          <ActionButton action="timeoutAway" props={props} />
          <ActionButton action="foulAway" props={props} />
          <ActionButton action="yellowAway" props={props} className="yellow" />
          <ActionButton action="redAway" props={props} className="red" />
          <ActionButton action="subAway" props={props} />
        </div>
      </div>
      <div className="row">
        <ActionButton action="note" props={props} />
      </div>
    </section>
  );
}
